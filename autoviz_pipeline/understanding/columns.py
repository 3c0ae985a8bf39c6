"""What each column's name says, computed once per profile: its words, lemmas, the words that say what it
holds (no units, no qualifiers), their long forms, its values, and whether it counts time (a date column,
or numbers that are years, months, quarters, hours).
"""

from __future__ import annotations

import re

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..contracts import ColumnProfile, DatasetProfile
from ..roles import season_labels
from ..tools.registry import ColumnParam
from .lexicon import is_noun, known_word, lemma, lemma_key, segment, split_name, value_key
from .settings import DEFAULT_CHART_SETTINGS, ChartSettings
from .vocabulary import vocabulary

_NUMERIC = ColumnParam("numeric")
# calendar parts stored as numbers: the name says which, the values must fit
_WEEKDAY_NAMES = frozenset(("weekday", "dayofweek", "dow", "wday", "weekdaynum", "dayofweeknum"))
_CALENDAR_PARTS = {"year": None, "quarter": (1, 4), "month": (1, 12), "day": (1, 31), "hour": (0, 23),
                   "week": (1, 53)}


@dataclass
class ColumnForms:
    profile: ColumnProfile
    words: list[str]  # the name's words, lower-case: "Curb_Weight_kg" → curb, weight, kg
    lemmas: list[str]
    joined: str  # the words run together: "curbweightkg"
    content: list[str]  # lemmas without units and digits: curb, weight
    core: list[str]  # content without qualifiers and generic words ("max_temp_c" → temp)
    expanded: set[str] = field(default_factory=set)  # core with short forms written out: "temperature"
    values: dict[str, str] = field(default_factory=dict)  # value_key → value as written
    value_lemmas: dict[str, str] = field(default_factory=dict)  # lemma_key → value ("faults" → fault)
    value_starts: dict[str, str] = field(default_factory=dict)  # the first words of one value only → it
    calendar: str | None = None  # "year", "month", … when the numbers are calendar parts
    values_are: frozenset[str] = frozenset()  # what its values are, names for the column: season, country
    bands: dict[str, tuple[float, float]] = field(default_factory=dict)  # "80-84" → (80, 84), "100+" → (100, inf)
    tag: str | None = None  # "expendA", "voteB": a capital letter that says whose (candidate A), not a word
    titled: frozenset[str] = frozenset()  # the file's words before this name: "co2" for emissions in co2_emissions.csv

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def role(self) -> str:
        return self.profile.role

    @property
    def head(self) -> str:
        """The noun the name is about: its last core word, or the last before "of" ("alcalinity_of_ash" is
        an alcalinity)."""
        before = [w for w in self.core if w not in self.complement]
        return before[-1] if before else self.core[-1] if self.core else (self.lemmas[-1] if self.lemmas else "")

    @property
    def complement(self) -> frozenset[str]:
        """The core words after "of" that only qualify the head ("od280/od315_of_diluted_wines": dilute, wine);
        a word of the head before "of" too is no complement."""
        if "of" not in self.words[1:]:
            return frozenset()
        at = self.words.index("of", 1)
        after = set(self.lemmas[at + 1:]) & set(self.core)
        return frozenset(after - set(self.lemmas[:at]))

    @property
    def numeric(self) -> bool:
        return _NUMERIC.fits(self.profile)

    @property
    def coded(self) -> bool:
        """Whole numbers that code a few categories (sex 1/2, chest pain type 0-3, 4/6/8 cylinders): grouped
        by, not measured, unless an aggregate is asked of them ("average rating")."""
        p = self.profile
        repeated = p.count >= 4 * p.distinct  # a code recurs; two rows of 3 and 1 say nothing
        return p.role == "numeric" and self.calendar is None and 1 < p.distinct <= 5 and repeated and \
            isinstance(p.min, (int, float)) and isinstance(p.max, (int, float)) and float(p.min).is_integer() \
            and float(p.max).is_integer() and p.dtype.startswith(("int", "uint", "Int"))

    @property
    def measure(self) -> bool:
        """A number to measure: numeric and no key, calendar part, 0/1 flag or small code; a number whose name
        says it is a code or key (``cowcode2``, ``politycode``, ``zip_id``) measures nothing either."""
        keyed = (bool(set(self.words) & _KEY_WORDS) or self.joined.endswith(_KEY_ENDINGS)) and \
            not {"of", "per"} & set(self.words)  # not lines_of_code; statefips, zipcode
        return self.profile.role == "numeric" and self.calendar is None and not self.coded and not keyed and \
            not self.entity_code

    @property
    def whole_numbers(self) -> bool:
        """Numbers whose smallest and largest are whole (ints, or floats because of gaps)."""
        p = self.profile
        return p.role == "numeric" and isinstance(p.min, (int, float)) and isinstance(p.max, (int, float)) and \
            float(p.min).is_integer() and float(p.max).is_integer()

    @property
    def entity_code(self) -> bool:
        """Whole numbers in a column named by the kind of thing a row is about (``state``, ``county``, ``firm``):
        codes of those things (state 5 is California), grouped by, never added up."""
        return len(self.lemmas) == 1 and self.lemmas[0] in vocabulary().cues["entity_names"] and self.whole_numbers

    @property
    def small_count(self) -> bool:
        """A few whole numbers from 0 (executions 0..4): they look like a code, but "the most …" adds them up."""
        return self.coded and not self.entity_code and self.profile.min == 0

    @property
    def timeline(self) -> bool:
        """Does the column place rows in time (dates, or years)?"""
        return self.profile.role == "temporal" or self.calendar in ("year", "season")

    @property
    def one_per_row(self) -> bool:
        return self.profile.distinct >= self.profile.count > 0


_KEY_WORDS = frozenset("id code key zip zipcode postcode fips isbn".split())
_KEY_ENDINGS = ("fips", "code", "isbn")  # run together with what they key: statefips, countycode
COUNT_WORDS = frozenset(("number", "count", "num", "cnt", "no"))
"""Words of a name that say it holds counts (``count_working``, ``num_children``)."""


@dataclass
class ColumnIndex:
    profile: DatasetProfile
    columns: list[ColumnForms]
    entity: set[str]  # lemmas that name the rows ("flights.csv" → flight)
    words: frozenset[str] = field(init=False)  # every column's core words, which no phrase passes over as filler
    timelines: list[ColumnForms] = field(init=False)  # columns that place rows in time, dates first
    durations: list[str] = field(init=False)  # quantities whose name says they hold a duration (days_out, wait_min)
    value_column: str | None = field(init=False)  # a long table's one quantity, named only "Value", "amount", …
    people_column: str | None = field(init=False)  # the one quantity named by people it counts ("bikers", "visitors")
    log_of: dict[str, str] = field(init=False)  # "lprice" → price: a name that is "l" and another number column's
    _by_name: dict[str, ColumnForms] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.words = frozenset(w for c in self.columns for w in c.core)
        self.timelines = sorted((c for c in self.columns if c.timeline), key=lambda c: c.role != "temporal")
        said = set(vocabulary().cues["duration_words"])
        self.durations = [c.name for c in self.columns if c.measure and c.role != "temporal" and set(c.words) & said]
        self._by_name = {c.name: c for c in self.columns}
        self.value_column = _value_column(self.columns)
        voc = vocabulary()
        people = [c.name for c in self.columns  # a plural name: "bikers", "visitors" count people
                  if c.measure and c.core and c.words[-1].endswith("s") and voc.names_people(c.core[-1])]
        self.people_column = people[0] if len(people) == 1 else None
        numbers = {c.name.lower(): c.name for c in self.columns if c.numeric}
        self.log_of = {c.name: numbers[c.name[1:].lower()] for c in self.columns  # econometric tables: lwage
                       if c.numeric and len(c.name) >= 4 and c.name[0] in "lL" and c.name[1:].lower() in numbers}

    def get(self, name: str) -> ColumnForms | None:
        return self._by_name.get(name)

    def calendar(self, part: str) -> ColumnForms | None:
        return next((c for c in self.columns if c.calendar == part), None)


def _value_column(columns: list[ColumnForms]) -> str | None:
    """A table in long form (country, year, sex, age group, Value): its one quantity has a name that says only
    "value" (``Value``, ``amount``, ``OBS_VALUE``), beside two or more columns that label it. Whatever the
    question calls the quantity ("population", "how many men"), it is that column, and it adds up."""
    value_words = set(vocabulary().cues["value_column_words"])
    named = [c for c in columns if c.measure and c.lemmas and set(c.lemmas) <= value_words]
    if len(named) != 1:
        return None
    rows = named[0].profile.count or 1
    # every other column labels the values: text, dates, flags, codes, or numbers with few values (an age
    # group's start year); a second real quantity (a house's "value" beside its "rent") makes no long table
    labels = [c for c in columns if c is not named[0] and (not c.measure or (
        c.profile.distinct <= 100 and c.profile.distinct * 20 <= rows))]
    if any(c.one_per_row and c.profile.role != "temporal" for c in labels):
        return None  # a row per payment, per order: "how many payments" counts them
    if len(labels) == len(columns) - 1 and len(labels) >= 2:
        return named[0].name
    return None


_INDEXES: dict[int, ColumnIndex] = {}


def column_index(profile: DatasetProfile, *, settings: ChartSettings = DEFAULT_CHART_SETTINGS) -> ColumnIndex:
    """The index of a profile, built once per profile object (a profile is frozen, so it never goes stale;
    the index holds the profile, so an id is never reused while its entry lives)."""
    hit = _INDEXES.get(id(profile))
    if hit is not None and hit.profile is profile:
        return hit
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    columns = [_forms(col, settings) for col in profile.columns]
    _titled(profile, columns)
    index = ColumnIndex(profile=profile, columns=columns, entity=_entity(profile, columns))
    _INDEXES[id(profile)] = index
    return index


_GENERIC_MEASURES = frozenset({"value", "amount", "total", "count", "number", "figure", "measure", "obs",
                               "observation"})


def _titled(profile: DatasetProfile, columns: list[ColumnForms]) -> None:
    """A file named after a column with words before it ("co2_emissions.csv" with ``emissions``): those words say
    what the column measures, so "co2 per capita" names it. Only a name said whole (``AveragePrice`` of
    avocado_prices.csv is an average of prices, not the avocados). And a table's one measure with a name that says
    nothing ("Value", "amount") measures what the file is named after."""
    stem = [lemma(w) for w in split_name(Path(profile.name).stem) if w.isalpha() or any(ch.isdigit() for ch in w)]
    for col in columns:
        n = len(col.core)
        if n and len(stem) > n and stem[-n:] == col.core == col.content and col.measure:
            col.titled = frozenset(w for w in stem[:-n] if w not in vocabulary().stopwords)
    generic = [c for c in columns if c.measure and c.core and set(c.core) <= _GENERIC_MEASURES]
    if stem and len(generic) == 1 and not any(stem[-1] in c.core for c in columns):
        generic[0].titled = frozenset({stem[-1]})  # un_population.csv's ``Value``: the population


def _forms(col: ColumnProfile, settings: ChartSettings) -> ColumnForms:
    voc = vocabulary()
    words = split_name(col.name) or [col.name.lower()]
    # "ctryname" → ctry name, "certificationexpires" → certification expires, "Numberof" → number of
    words = [part for w in words for part in ((segment(w, voc.abbreviation_keys) or (w,)) if not known_word(w)
                                              else (w,))]
    if len(words) > 1 and voc.expansions("".join(words)):
        words = ["".join(words)]  # "o3", "no2", "pm25": a short form kept whole (not "no" = number, then 2)
    lemmas = [lemma(w) for w in words]
    tag = words[-1] if len(words) > 1 and re.search(r"[a-z][A-Z]$", col.name) else None
    content = [lm for k, (w, lm) in enumerate(zip(words, lemmas))
               if not w.isdigit() and (tag is None or k < len(words) - 1)
               and not (w in voc.units and _only_units_after(words[k + 1:]))] or lemmas
    core = [w for w in content if w not in voc.qualifiers and w not in voc.generic_name_words] or content
    if len(content) >= 2 and content[-1] in voc.qualifiers and content[-1] not in core and \
            not any(is_noun(w) for w in core):
        core = [*core, content[-1]]  # "Worldwide Gross", "Domestic Gross": the qualifier is the noun there
    forms = ColumnForms(profile=col, words=words, lemmas=lemmas, joined="".join(words[:-1] if tag else words),
                        content=content,
                        core=core, expanded=set(written_out(core) | written_out(content)) | _lettered(words), tag=tag)
    if col.role in ("categorical", "boolean", "identifier", "text"):
        values = col.values or [tv.value for tv in col.top_values]
        _index_values(forms, values)
        forms.values_are = _values_are(forms.values)
        forms.bands = _bands(values)
    forms.calendar = _calendar_part(forms, settings)
    return forms


_SEASON_VALUE = re.compile(r"(?:19|20)\d\d (?:19|20)?\d\d")


def _values_are(values: dict[str, str]) -> frozenset[str]:
    """What a column's values are, as words that name the column whatever its own name: seasons ("2009-2010"),
    or a kind of thing WordNet knows most of them to be ("Bangladesh", "Nigeria" … → country, nation)."""
    if not values:
        return frozenset()
    if all(_SEASON_VALUE.fullmatch(v) for v in values):
        return frozenset({"season"})
    if len(values) < 3:
        return frozenset()
    voc = vocabulary()
    counts: dict[str, int] = {}
    for key in values:
        for kind in voc.kinds_of(key):
            if " " not in kind:
                counts[kind] = counts.get(kind, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= 0.6 * len(values))


_BAND = re.compile(r"(?P<a>\d+(?:\.\d+)?)\s*(?:-|–|to)\s*(?P<b>\d+(?:\.\d+)?)|(?P<c>\d+(?:\.\d+)?)\s*(?:\+|(?:and|or)\s+"
                   r"(?:over|older|above|more))|(?:under|below|less than|<)\s*(?P<d>\d+(?:\.\d+)?)")


def _bands(values: list[str]) -> dict[str, tuple[float, float]]:
    """A column of number bands ("0-4", "80-84", "100+", "under 5"): each value's range, so that "aged 65 or
    over" keeps the bands from 65 up. Only when four in five values (and at least three) are bands."""
    out: dict[str, tuple[float, float]] = {}
    for v in values:
        m = _BAND.fullmatch(str(v).strip().lower())
        if m is None:
            continue
        if m["a"] is not None:
            out[v] = (float(m["a"]), float(m["b"]))
        elif m["c"] is not None:
            out[v] = (float(m["c"]), float("inf"))
        else:
            out[v] = (float("-inf"), float(m["d"]) - 1e-9)
    return out if len(out) >= 3 and len(out) >= 0.8 * len(values) else {}


def _lettered(words: list[str]) -> set[str]:
    """A one-word name that is one letter and a word ("tgrade": t + grade, "pnodes": p + nodes): the letter
    abbreviates a qualifier (tumour grade, positive nodes), so the word alone names the column."""
    if len(words) != 1 or known_word(words[0]) or len(words[0]) < 6:
        return set()
    rest = words[0][1:]
    return {lemma(rest)} if len(rest) >= 5 and known_word(rest) else set()


def _index_values(forms: ColumnForms, values: list[str]) -> None:
    """A column's cell values as a question may say them: as written (case and spacing folded), as a lemma
    ("faults" → fault) and by their first words ("Holstein" → Holstein-Friesian); a form two values share
    names neither."""
    lemmas: dict[str, str | None] = {}
    for v in values:
        key = value_key(v)
        if key and not key.isdigit():
            forms.values.setdefault(key, v)
            lk = lemma_key(key)
            lemmas[lk] = v if lemmas.get(lk, v) == v else None
    for key, v in list(forms.values.items()):  # a season "2009-2010" said "2009-10", and back
        if (m := re.fullmatch(r"((?:19|20)\d\d) ((?:19|20)?\d\d)", key)) and \
                int(m[2][-2:]) == (int(m[1]) + 1) % 100:
            forms.values.setdefault(f"{m[1]} {m[2][-2:]}" if len(m[2]) == 4 else f"{m[1]} {m[1][:2]}{m[2]}", v)
    starts: dict[str, str | None] = {}
    for key, v in forms.values.items():
        parts = key.split()
        for n in range(1, len(parts)):
            start = " ".join(parts[:n])
            if len(start) >= 4 and start not in forms.values:
                starts[start] = v if starts.get(start, v) == v else None
    forms.value_lemmas = {k: v for k, v in lemmas.items() if v is not None}
    forms.value_starts = {k: v for k, v in starts.items() if v is not None}


def _only_units_after(rest: list[str]) -> bool:
    """A unit word is a unit where only units, qualifiers or numbers follow it ("weight_kg", "temp_c_max",
    "vibration_mm_s"); inside a name it is a word ("pred_degree_awarded": degrees awarded, no angle)."""
    voc = vocabulary()
    return all(w in voc.units or w in voc.qualifiers or w.isdigit() for w in rest)


def written_out(words: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The words with each short form written out ("tmax" → maximum temperature; "hs grad" → high school
    graduates), lemmatized, as phrases (the words themselves included)."""
    return _written_out(tuple(words[:4]))


@lru_cache(maxsize=16384)
def _written_out(words: tuple[str, ...]) -> frozenset[str]:
    voc = vocabulary()
    options = [[w, *(" ".join(lemma(x) for x in long.split()) for long in voc.expansions(w))] for w in words]
    return frozenset(" ".join(combo) for combo in itertools.islice(itertools.product(*options), 32))


def _calendar_part(col: ColumnForms, settings: ChartSettings) -> str | None:
    """ "year", "month", … for a numeric column whose name says so and whose values fit the calendar."""
    p = col.profile
    if p.role == "categorical" and len(p.values) >= 2 and season_labels(p.values):
        return "season"  # "2009-10", "2010-11": seasons, in order, a time line of their own
    if p.role not in ("numeric", "identifier", "categorical") or not isinstance(p.min, (int, float)) \
            or not isinstance(p.max, (int, float)) or float(p.min) != int(p.min) or float(p.max) != int(p.max):
        return None
    voc = vocabulary()
    if col.joined in _WEEKDAY_NAMES and 0 <= p.min <= p.max <= 7 and p.distinct <= 7:
        return "weekday"  # weekday, day_of_week, dow: 0/1 … 6/7
    lo, hi = int(p.min), int(p.max)
    if col.lemmas and set(col.lemmas) <= {"time", "period", "date"} and 1000 <= lo < hi <= 2200 and \
            hi - lo <= settings.max_year_span and p.distinct >= 0.5 * (hi - lo + 1):
        return "year"  # OECD's and Eurostat's "TIME", a "period" of 1970 … 2022: years under a word for time, most
        # of the span there (a race's TIME of 1,000 … 2,150 seconds is scattered over it)
    for part, bounds in _CALENDAR_PARTS.items():
        if not any(voc.synonyms(w, part) or w == part or part in voc.expansions(w)
                   for w, said in zip(col.lemmas, col.words) if said == w):
            continue  # "year", "month", "hr" name calendar parts; "hours", "years" (plural) name amounts
        if bounds is None:
            if 1000 <= lo <= hi <= 2200 and hi - lo <= settings.max_year_span:
                return part
        elif bounds[0] <= p.min <= p.max <= bounds[1]:
            return part
    return None


def _entity(profile: DatasetProfile, columns: list[ColumnForms]) -> set[str]:
    """Words that name the rows rather than a column: the file's own name ("flights.csv" → flight) and a
    word three or more columns start with (customer_id, customer_name, customer_phone …)."""
    firsts: dict[str, int] = {}
    for col in columns:
        if len(col.lemmas) >= 2:
            firsts[col.lemmas[0]] = firsts.get(col.lemmas[0], 0) + 1
    words = [w for w in split_name(Path(profile.name).stem) if w.isalpha()]
    return {w for w, n in firsts.items() if n >= 3} | ({lemma(words[-1])} if words else set())
