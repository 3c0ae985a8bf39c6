"""Grounding question phrases to columns and to values, with a score and a method for every match.

A cascade of small matchers (after NL4DV): exact > normalized (case/space/underscore) > stem (plurals)
> derived (a verb's noun: acceleration → accelerate) > synonym (words and phrases, both ways) >
abbreviation > fuzzy, each giving a score; a longer phrase beats its substring; equal-score rivals are
kept as alternatives rather than silently guessed. A word that names the rows ("for customers named …")
and a word that only finishes its neighbour's name ("email *addresses*") are no column mentions.
Everything is driven by the profile — there are no table- or question-specific rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .contracts import ColumnMatch, ColumnProfile, DatasetProfile


class MatchSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    min_score: float = Field(0.7, ge=0, le=1, description="below this nothing is matched")
    max_ngram: int = Field(4, ge=1, le=8)
    exact_weight: float = 1.0
    normalized_weight: float = 0.97
    stem_weight: float = 0.93
    synonym_weight: float = 0.85
    partial_weight: float = 0.8
    abbreviation_weight: float = 0.82
    value_weight: float = 0.8


DEFAULT_SETTINGS = MatchSettings()

# Words that mean the same thing in column names. Each group maps to its first word. Exports often keep
# their headers in the language of the office that made them, so the common business words of German,
# French, Spanish, Italian, Portuguese and Dutch are here too (folded: "Stückpreis" is "stueckpreis";
# words that are also English words with another meaning, such as "pays" or "data", are left out).
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("category", "type", "kind", "class", "group", "segment", "genre", "sort",
     "kategorie", "categorie", "categoria", "art", "typ", "tipo"),
    ("revenue", "sales", "turnover", "income", "earnings", "proceeds", "sold", "sell", "selling",
     "umsatz", "erloes", "verkauf", "ventes", "ventas", "ingresos", "vendite", "fatturato", "vendas", "receita",
     "omzet"),
    ("price", "cost", "fee", "charge", "rate", "expensive", "cheap", "cheaper", "cheapest", "pricey",
     "preis", "stueckpreis", "einzelpreis", "kosten", "prix", "precio",
     "prezzo", "preco", "prijs"),
    ("amount", "value", "total", "sum", "betrag", "summe", "montant", "importe", "monto", "importo", "valor",
     "bedrag"),
    ("quantity", "qty", "units", "volume", "count", "menge", "anzahl", "stueck", "stueckzahl", "quantite",
     "cantidad", "quantita", "quantidade", "aantal"),
    ("profit", "gewinn", "benefice", "beneficio", "ganancia", "profitto", "lucro", "winst"),
    ("date", "day", "time", "timestamp", "datetime", "when", "datum", "fecha", "tag"),
    ("month", "monat", "mois", "mes", "mese", "maand"),
    ("year", "yr", "jahr", "annee", "ano", "anno", "jaar"),
    ("region", "area", "zone", "territory", "district", "gebiet", "regione", "regiao"),
    ("country", "nation", "land", "staat", "pais", "paese", "nazione"),
    ("city", "town", "stadt", "ort", "ville", "ciudad", "citta", "cidade", "stad", "plaats"),
    ("customer", "client", "buyer", "consumer", "kunde", "cliente", "klant"),
    ("product", "item", "article", "good", "merchandise", "produkt", "artikel", "ware", "produit", "producto",
     "prodotto", "produto"),
    ("employee", "staff", "worker", "personnel"),
    ("identifier", "id", "key", "code"),
    ("number", "num", "no", "nbr", "count"),
    ("name", "title", "label"),
    # what a question's adjectives measure: "employees older than 50", "the hottest days", "how windy"
    ("age", "years", "old", "older", "oldest", "young", "younger", "youngest"),
    ("temperature", "temp", "hot", "hotter", "hottest", "cold", "colder", "coldest", "warm", "warmer", "warmest"),
    ("precipitation", "rain", "rainfall", "rainy", "snowfall"),
    ("wind", "windy", "windier", "windiest"),
    ("weight", "heavy", "heavier", "heaviest"),
    ("height", "tall", "taller", "tallest"),
    ("speed", "fast", "faster", "fastest", "velocity"),
    ("duration", "long", "longer", "longest"),
    ("distance", "far", "farther", "farthest", "further", "furthest"),
    ("percentage", "percent", "pct", "share", "ratio"),
    ("description", "desc", "details", "text", "comment", "notes"),
    ("address", "location", "place"),
    ("average", "avg", "mean"),
)
ABBREVIATIONS = {
    "qty": "quantity", "amt": "amount", "num": "number", "no": "number", "nbr": "number", "dept": "department",
    "desc": "description", "temp": "temperature", "pct": "percent", "avg": "average", "cnt": "count",
    "yr": "year", "mo": "month", "addr": "address", "emp": "employee", "cust": "customer", "prod": "product",
    "cat": "category", "info": "information", "dob": "birth", "img": "image", "tel": "phone", "org": "organization",
    "mgr": "manager", "max": "maximum", "min": "minimum", "std": "standard", "lat": "latitude", "lon": "longitude",
    "lng": "longitude", "acct": "account", "bal": "balance", "inv": "invoice", "ssn": "ssn", "ref": "reference",
}
STOPWORDS = frozenset(
    "a an the of for in on at to by per and or with from as is are was were be been what which who whom how "
    "show me give get display plot chart draw graph create make list i we you it its their this that these those "
    "each every all any some do does did can could would should please my our your over under between than "
    "versus vs across into out up down there here also then".split()
)

UNIT_WORDS = frozenset(
    "c f k mm cm m km kg g lb lbs s ms sec min h hr hrs kw kwh w v a mph kph kmh pct usd eur gbp jpy chf "
    "hpa kpa mbar psi rpm db ppm ml cl oz ft mi wh mwh hz khz mhz ghz kcal kj gb mb kb tb".split()
)

# phrases that name the same thing, in either direction: a question saying "family name" finds a
# ``surname`` column and one saying "surname" finds ``last_name``
PHRASE_SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("revenue", "total amount", "sales amount", "order value", "order total", "sales total"),
    ("phone", "contact number", "phone number", "mobile number", "telephone number", "telephone", "cell phone"),
    ("last name", "family name", "surname"),
    ("first name", "given name", "forename"),
    ("name", "full name"),
    ("url", "web link", "website", "link", "homepage"),
    ("email", "email address", "e mail", "mail address"),
    ("staff", "staff member"),
    ("birth date", "date of birth", "birthday"),
    ("postal code", "zip code", "zip", "postcode"),
    ("id", "identification number", "identifier"),
    ("location", "venue", "geographic area"),
    ("country", "nation"),
    ("gender", "sex"),
    ("height", "elevation", "altitude"),
    ("major", "field of study", "area of study", "subject of study", "specialization"),
    ("position", "role"),
    ("player", "athlete"),
    ("college", "university", "educational institution"),
)
PHRASE_SYNONYMS: dict[str, tuple[str, ...]] = {}
for _group in PHRASE_SYNONYM_GROUPS:
    for _phrase in _group:
        PHRASE_SYNONYMS[_phrase] = PHRASE_SYNONYMS.get(_phrase, ()) + tuple(p for p in _group if p != _phrase)

# words that qualify a column name without saying what it holds ("recorded_by_staff_id" is about staff)
GENERIC_NAME_WORDS = frozenset("id code key by of the number no num type name value".split())
# aggregates that qualify what a column holds ("max_temp_c" holds temperatures, "total_amount" amounts)
_QUALIFIERS = frozenset("maximum minimum average mean median total sum".split())

_PHRASE_SYNONYM_STEMS: dict[str, tuple[str, ...]] = {}  # filled below, once stem() exists

_SHORT_FORMS: dict[str, list[str]] = {}
for _short, _full in ABBREVIATIONS.items():
    _SHORT_FORMS.setdefault(_full, []).append(_short)

_SYN_INDEX: dict[str, str] = {}
for _group in SYNONYM_GROUPS:
    for _w in _group:
        _SYN_INDEX.setdefault(_w, _group[0])

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+|\d+(?:\.\d+)?")


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def fold(text: str) -> str:
    """Fold umlauts the way people type them without the key (ü → ue) and strip other accents (é → e)."""
    text = text.translate(_UMLAUTS)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def split_name(name: str) -> list[str]:
    """``productCategory`` / ``product_category`` / ``Product Category`` → ``['product', 'category']``."""
    spaced = _CAMEL.sub(" ", fold(name))
    return [w.lower() for w in _WORD.findall(spaced)]


def stem(word: str) -> str:
    """A light stemmer: plurals and common verb endings, enough for column names."""
    w = word.lower()
    w = ABBREVIATIONS.get(w, w)
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            return w[: -len(suffix)] + repl
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("ment") and len(w) >= 9:  # measurement → measure, assignment → assign
        w = w[:-4]
    elif w.endswith("ation") and len(w) >= 10:  # consideration → consider
        w = w[:-5]
    elif w.endswith("ed") and len(w) >= 7 and not w.endswith("eed"):  # ordered → order, recorded → record
        w = w[:-2]
    return w


def _init_phrase_synonym_stems() -> None:
    for phrase, aliases in PHRASE_SYNONYMS.items():
        key = " ".join(stem(w) for w in phrase.split())
        _PHRASE_SYNONYM_STEMS[key] = _PHRASE_SYNONYM_STEMS.get(key, ()) + aliases


def canonical(word: str) -> str:
    s = stem(word)
    return _SYN_INDEX.get(s, _SYN_INDEX.get(word.lower(), s))


def value_key(value: str) -> str:
    """How a cell value is compared with question words: case, spaces, underscores and dashes folded."""
    return " ".join(_WORD.findall(value.replace("_", " ").lower()))


def stem_key(key: str) -> str:
    """A ``value_key`` with each word stemmed, so a plural finds its singular value and back (short forms
    stay as written: the value "no" is not the word "number")."""
    return " ".join(w if w in ABBREVIATIONS else stem(w) for w in key.split())


def abbreviation_of(words: list[str], joined: str) -> bool:
    """Is ``joined`` (a column name) made of prefixes of ``words``, in order, one each?

    Catches names like ``stuid`` (student id), ``fname`` (first name), ``dno`` (department number),
    ``authorder`` (author order). A word also stands for its known short forms (number → no, num).
    At least one prefix must be 3+ letters so two initials don't match.
    """
    forms = [[w, *_SHORT_FORMS.get(w, ())] for w in words]

    def walk(i: int, pos: int, long_seen: bool) -> bool:
        if i == len(forms):
            return pos == len(joined) and long_seen
        for k, form in enumerate(forms[i]):
            for n in range(min(len(form), len(joined) - pos), 0, -1):
                whole_short_form = k > 0 and n == len(form)  # "no" for number, "id" for identifier
                if joined[pos:pos + n] == form[:n] and walk(i + 1, pos + n, long_seen or n >= 3 or whole_short_form):
                    return True
        return False

    return len(words) >= 2 and walk(0, 0, False)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment): a swap of two letters counts as one typo."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


_init_phrase_synonym_stems()


@dataclass
class Token:
    text: str
    start: int  # index in the token list
    lower: str = ""
    stem: str = ""
    clitic: bool = False  # the "s" of "what's", "supervisor's": part of the word before, never a mention

    def __post_init__(self) -> None:
        self.lower = fold(self.text).lower()
        self.stem = stem(self.lower)


NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                "eight": "8", "nine": "9", "ten": "10", "first": "1", "second": "2", "third": "3"}


_CLITICS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})


def tokenize(question: str) -> list[Token]:
    return [Token(m.group(0), i, clitic=_is_clitic(question, m)) for i, m in enumerate(_WORD.finditer(question))]


def _is_clitic(question: str, m: re.Match[str]) -> bool:
    """ "s" after "what'" or "supervisor'" (a letter, then an apostrophe); not the quoted value in "'m'"."""
    at = m.start()
    return m.group(0).lower() in _CLITICS and at >= 2 and question[at - 1] in "'’" and question[at - 2].isalpha()


def word_index(text: str, pos: int) -> int:
    """The position, among ``tokenize(text)``'s words, of the word at character ``pos`` of ``text``."""
    return len(_WORD.findall(text[:pos]))


def _with_number_words(phrase: list[Token]) -> list[Token] | None:
    """'line one' → 'line 1' (column names write numbers as digits); None when nothing changes."""
    if len(phrase) < 2 or phrase[-1].lower not in NUMBER_WORDS or phrase[-1].lower in ("first", "second", "third"):
        return None
    return [*phrase[:-1], Token(NUMBER_WORDS[phrase[-1].lower], phrase[-1].start)]


@dataclass
class _ColumnForms:
    profile: ColumnProfile
    words: list[str]
    stems: list[str]
    canon: list[str]
    joined: str
    content: list[str] = field(default_factory=list)  # stems without unit suffixes (mm, kw, c, usd …)
    # the words that say what it holds: no unit, key word or qualifying aggregate ("max_temp_c" → temp),
    # as stems (for partial names) and as synonyms read them (max_temp_c → temperature)
    distinctive: list[str] = field(default_factory=list)
    core: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # lower-cased value → value as written
    value_stems: dict[str, str] = field(default_factory=dict)  # its words stemmed ("faults" → "fault") → value


def _column_forms(profile: DatasetProfile) -> list[_ColumnForms]:
    forms = []
    for col in profile.columns:
        words = split_name(col.name) or [col.name.lower()]
        holds = [w for w in words if w not in UNIT_WORDS and not w.isdigit()
                 and not {w, stem(w)} & (GENERIC_NAME_WORDS | _QUALIFIERS)]
        values: dict[str, str] = {}
        value_stems: dict[str, str | None] = {}
        if col.role in ("categorical", "boolean", "identifier", "text"):
            for v in col.values or [tv.value for tv in col.top_values]:
                key = value_key(v)
                if key and not key.isdigit():
                    values.setdefault(key, v)
                    stemmed = stem_key(key)
                    value_stems[stemmed] = v if value_stems.get(stemmed, v) == v else None  # two values: neither
        forms.append(
            _ColumnForms(
                profile=col,
                words=words,
                stems=[stem(w) for w in words],
                canon=[canonical(w) for w in words],
                joined="".join(words),
                content=[stem(w) for w in words if w not in UNIT_WORDS and not w.isdigit()],
                distinctive=[stem(w) for w in holds] or [stem(w) for w in words],
                core=[canonical(w) for w in holds],
                values=values,
                value_stems={k: v for k, v in value_stems.items() if v is not None},
            )
        )
    return forms


def _score_phrase(phrase: list[Token], col: _ColumnForms, settings: MatchSettings) -> tuple[float, str]:
    """Score one question phrase against one column name."""
    lower = [t.lower for t in phrase]
    if " ".join(t.text for t in phrase) == col.profile.name:
        return settings.exact_weight, "exact"
    if " ".join(lower) == col.profile.name.lower() or lower == col.words or "".join(lower) == col.joined:
        return settings.normalized_weight, "normalized"
    stems = [t.stem for t in phrase]
    if stems == col.stems:
        return settings.stem_weight, "stem"
    content_stems = [x for x in stems if x not in STOPWORDS]
    if len(content_stems) >= 2 and sorted(content_stems) == sorted(col.stems):
        return settings.stem_weight - 0.03, "stem"  # "quantity of items ordered" → item_order_quantity
    canon = [canonical(t.text) for t in phrase]
    if canon == col.canon:
        return settings.synonym_weight, "synonym"
    aliases = PHRASE_SYNONYMS.get(" ".join(lower)) or _PHRASE_SYNONYM_STEMS.get(" ".join(stems)) or ()
    alias_score = max((_alias_score(alias, col, settings) for alias in aliases), default=0.0)
    if alias_score:
        return alias_score, "synonym"
    # a verb's noun ("acceleration" → accelerate, "expiration" → certificationexpires)
    if _derived_match(lower, col):
        return settings.stem_weight - 0.06, "derived"
    # the name without its unit suffix ("vibration" → vibration_mm_s, "power" → power_kw)
    if col.content != col.stems and col.content:
        if stems == col.content:
            return settings.stem_weight - 0.03, "stem"
        if canon == [canonical(w) for w in col.content]:
            return settings.synonym_weight - 0.03, "synonym"
    # a run-together abbreviation of the phrase ("student id" → stuid, "first name" → fname), or the
    # initials of three or more words, small ones included ("miles per gallon" → mpg)
    if len(col.words) == 1 and len(phrase) >= 2 and (
        abbreviation_of(lower, col.joined) or (len(phrase) >= 3 and col.joined == "".join(w[0] for w in lower))
    ):
        return settings.abbreviation_weight, "abbreviation"
    # fuzzy on the joined forms: typos and run-together words, a small edit distance only
    joined = "".join(lower)
    if len(joined) >= 4 and joined[0] == col.joined[0]:
        distance = edit_distance(joined, col.joined)
        allowed = 1 if min(len(joined), len(col.joined)) <= 8 else 2
        fuzzy = round(settings.synonym_weight * (1 - distance / max(len(joined), len(col.joined))), 3)
        if 0 < distance <= allowed and fuzzy >= settings.min_score:  # a weaker one must not hide the rules below
            return fuzzy, "fuzzy"
    # one word that starts or ends a run-together name ("floor" → blockfloor)
    if len(phrase) == 1 and len(col.words) == 1 and len(lower[0]) >= 5 and len(col.joined) > len(lower[0]) + 2 and (
        col.joined.startswith(phrase[0].stem) or col.joined.endswith(lower[0])
    ):
        return round(settings.partial_weight * 0.9, 3), "stem"
    # a phrase naming the distinctive part of a longer column name ("product" → product_category)
    if len(phrase) < len(col.words) and all(s in col.stems or c in col.canon for s, c in zip(stems, canon)):
        content = [s for s in stems if s not in STOPWORDS]
        if content and len(set(stems) & set(col.stems)) >= 1:
            coverage = min(1.0, len(phrase) / len(col.distinctive))
            return round(settings.partial_weight * (0.8 + 0.2 * coverage), 3), "stem"
    # a synonym of what the column holds, its qualifier unsaid ("the hottest days" → max_temp_c), or of the
    # noun its name ends in ("the most expensive orders" → unit_price: a unit price is a price)
    if col.core and (canon == col.core != col.canon or len(canon) == 1 < len(col.core) and canon[0] == col.core[-1]):
        return settings.synonym_weight - 0.07, "synonym"
    return 0.0, ""


def _alias_score(alias: str, col: _ColumnForms, settings: MatchSettings) -> float:
    alias_stems = [stem(w) for w in alias.split()]
    if alias_stems == col.stems or alias_stems == col.content:
        return settings.synonym_weight
    if set(alias_stems) <= set(col.stems) and len(alias_stems) < len(col.stems):
        coverage = min(1.0, len(alias_stems) / len(col.distinctive))
        return round(settings.partial_weight * (0.8 + 0.2 * coverage), 3)
    return 0.0


_DERIVATION_SUFFIXES = ("ation", "ition", "ution", "ion", "ing", "ment", "es", "ed", "e", "s")


def _roots(word: str) -> set[str]:
    """What a word may share with its verb: acceleration → {acceler, accelerat}, accelerate → {accelerat}."""
    word = word.lower()
    return {word[: -len(s)] for s in _DERIVATION_SUFFIXES if word.endswith(s)}


def _related(a: str, b: str) -> bool:
    """Two forms of one word: a shared root of 5+ letters, and one of them is the verb ("accelerate",
    "expires"), so nouns that merely share a start ("product" / "production", "general" / "generation")
    stay apart; or an adverb or adjective of the other ("remotely", "windy")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 4 and long in (short + "ly", short + "y"):  # "work remotely" → remote, "windy" → wind
        return True
    if not any(w.endswith(("e", "es", "ed")) for w in (a, b)):
        return False
    return any(len(r) >= 5 for r in _roots(a) & _roots(b))


def _derived_match(lower: list[str], col: _ColumnForms) -> bool:
    if len(lower) == len(col.words) and lower != col.words and all(map(_related, lower, col.words)):
        return True
    # a run-together name ending in the verb: "certification expiration" → certificationexpires
    if len(lower) >= 2 and len(col.words) == 1:
        head = "".join(lower[:-1])
        return col.joined.startswith(head) and _related(lower[-1], col.joined[len(head):])
    return False


@dataclass
class _Candidate:
    start: int
    end: int  # exclusive
    column: str
    score: float
    method: str
    phrase: str
    value: str | None = None


def ground_columns(
    question: str, profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS
) -> tuple[list[ColumnMatch], list[ColumnMatch], list[Token]]:
    """Matches (best per phrase, non-overlapping, longer phrases first) and ambiguous alternatives."""
    tokens = tokenize(question)
    forms = _cached_forms(profile)
    candidates: list[_Candidate] = []
    n = len(tokens)
    for i in range(n):
        for j in range(i + 1, min(n, i + settings.max_ngram) + 1):
            phrase = tokens[i:j]
            if phrase[0].lower in STOPWORDS or phrase[-1].lower in STOPWORDS or any(t.clitic for t in phrase):
                continue
            numbers_in_phrase = any(t.text[0].isdigit() for t in phrase)
            text = " ".join(t.text for t in phrase)
            for col in forms:
                if numbers_in_phrase and not any(ch.isdigit() for ch in col.profile.name):
                    score, method = 0.0, ""
                else:
                    score, method = _score_phrase(phrase, col, settings)
                    numbered = _with_number_words(phrase) if any(ch.isdigit() for ch in col.profile.name) else None
                    if numbered is not None and score < settings.normalized_weight:
                        alt_score, alt_method = _score_phrase(numbered, col, settings)
                        if alt_score > score:
                            score, method = alt_score, alt_method
                if score >= settings.min_score:
                    candidates.append(_Candidate(i, j, col.profile.name, score, method, text))
                value, weight = col.values.get(value_key(text)), settings.value_weight
                if value is None and (value := col.value_stems.get(stem_key(value_key(text)))) is not None:
                    weight *= settings.stem_weight  # "which machines had faults": the status "fault"
                if value is not None:
                    candidates.append(_Candidate(i, j, col.profile.name, weight, "value", text, value=value))
    entity = _entity_stems(profile, forms)
    candidates = [c for c in candidates if not _names_rows(c, tokens, entity, settings)]
    # longer phrases first, then higher score
    candidates.sort(key=lambda c: (-(c.end - c.start), -c.score))
    taken: set[int] = set()
    matches: list[ColumnMatch] = []
    alternatives: list[ColumnMatch] = []
    used_spans: dict[tuple[int, int], ColumnMatch] = {}
    chosen: list[_Candidate] = []
    for cand in candidates:
        span = set(range(cand.start, cand.end))
        key = (cand.start, cand.end)
        if key in used_spans:
            best = used_spans[key]
            if cand.score >= best.score - 1e-9 and cand.column != best.column and cand.method == best.method:
                alternatives.append(_to_match(cand, []))
            continue
        if span & taken:
            continue
        rivals = [
            c.column
            for c in candidates
            if (c.start, c.end) == key and c.column != cand.column and abs(c.score - cand.score) < 1e-9
            and (c.method == "value") == (cand.method == "value")
        ]
        match = _to_match(cand, rivals)
        used_spans[key] = match
        taken |= span
        matches.append(match)
        chosen.append(cand)
    absorbed = _absorbed(chosen, tokens, forms, settings)
    matches = [m for m, c in zip(matches, chosen, strict=True) if c not in absorbed]
    matches.sort(key=lambda m: phrase_position(m, tokens))
    return matches, alternatives, tokens


def _absorbed(chosen: list[_Candidate], tokens: list[Token], forms: list[_ColumnForms],
              settings: MatchSettings) -> list[_Candidate]:
    """One-word matches that only finish a neighbour's name: in "customer email addresses", "addresses" is
    part of "email address" (the email column the neighbour found), not the address column."""
    by_name = {f.profile.name: f for f in forms}
    out = []
    for word in chosen:
        if word.end - word.start != 1 or word.method == "value":
            continue
        for other in chosen:
            if other is word or other.method == "value" or other.column == word.column:
                continue
            if other.end == word.start:
                pair = tokens[other.end - 1: word.end]
            elif word.end == other.start:
                pair = tokens[word.start: other.start + 1]
            else:
                continue
            if _score_phrase(pair, by_name[other.column], settings)[0] >= settings.min_score:
                out.append(word)
                break
    return out


_GROUPING_WORDS = frozenset("by per each every across".split())


def _entity_stems(profile: DatasetProfile, forms: list[_ColumnForms]) -> set[str]:
    """Words that name the rows rather than a column: the file's own name ("customers.csv") and a word
    three or more columns start with (customer_id, customer_name, customer_phone …)."""
    firsts: dict[str, int] = {}
    for col in forms:
        if len(col.stems) >= 2:
            firsts[col.stems[0]] = firsts.get(col.stems[0], 0) + 1
    words = split_name(Path(profile.name).stem)
    return {w for w, n in firsts.items() if n >= 3} | ({stem(words[-1])} if words else set())


def _names_rows(c: _Candidate, tokens: list[Token], entity: set[str], settings: MatchSettings) -> bool:
    """ "for customers named …", "the customer's email", "among dependents": the word names the rows, so it
    is no column mention; only a weak partial match is dropped, and never after a grouping word ("by customer")."""
    if c.end - c.start != 1 or c.method not in ("stem", "synonym", "fuzzy") or c.score >= settings.stem_weight - 0.03:
        return False
    token = tokens[c.start]
    if token.stem not in entity or (c.start > 0 and tokens[c.start - 1].lower in _GROUPING_WORDS):
        return False
    possessive = c.end < len(tokens) and tokens[c.end].lower == "s"
    return possessive or token.lower != token.stem


def _to_match(c: _Candidate, rivals: list[str]) -> ColumnMatch:
    return ColumnMatch(
        phrase=c.phrase, column=c.column, method=c.method, score=round(min(1.0, c.score), 3),
        value=c.value, alternatives=sorted(set(rivals)), position=c.start,
    )


def _first_index(match: ColumnMatch, tokens: list[Token]) -> int:
    words = match.phrase.lower().split()
    for i in range(len(tokens) - len(words) + 1):
        if [t.lower for t in tokens[i : i + len(words)]] == words:
            return i
    return len(tokens)


def phrase_position(match: ColumnMatch, tokens: list[Token]) -> int:
    """Where the match's phrase starts: its own position, so a phrase said twice ("weight … weight ranges")
    is found where this match was made, not at its first occurrence."""
    return match.position if match.position is not None else _first_index(match, tokens)


_AGGREGATE_WORDS = frozenset("total sum avg average mean count max min maximum minimum median overall".split())


def best_column_for(name: str, profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS,
                    candidates: list[str] | None = None) -> tuple[str | None, float, str]:
    """Repair helper: the column a (possibly wrong) name most likely means, with score and method.

    A model often glues an aggregation onto the name ("revenue_total", "avg_price"); when the name as
    given matches nothing, it is tried again without those words.
    """
    best = _best_column(name, profile, settings, candidates)
    if best[1] < settings.min_score:
        words = [w for w in name.replace("_", " ").split() if w.lower() not in _AGGREGATE_WORDS]
        if words and len(words) < len(name.replace("_", " ").split()):
            column, score, method = _best_column(" ".join(words), profile, settings, candidates)
            if score > best[1]:
                best = (column, round(score * 0.95, 3), method)
    return best


def _best_column(name: str, profile: DatasetProfile, settings: MatchSettings,
                 candidates: list[str] | None) -> tuple[str | None, float, str]:
    phrase = tokenize(name.replace("_", " "))
    if not phrase:
        return None, 0.0, ""
    best: tuple[str | None, float, str] = (None, 0.0, "")
    for col in _cached_forms(profile):
        if candidates is not None and col.profile.name not in candidates:
            continue
        score, method = _score_phrase(phrase, col, settings)
        if name.strip() == col.profile.name:
            score, method = settings.exact_weight, "exact"
        elif name.strip().lower() == col.profile.name.lower():
            score, method = settings.normalized_weight, "normalized"
        if score > best[1]:
            best = (col.profile.name, score, method)
    return best


_FORMS_CACHE: dict[int, tuple[DatasetProfile, list[_ColumnForms]]] = {}


def _cached_forms(profile: DatasetProfile) -> list[_ColumnForms]:
    """Column forms per profile object: repairing many params of a wide table builds them once."""
    hit = _FORMS_CACHE.get(id(profile))
    if hit is not None and hit[0] is profile:
        return hit[1]
    if len(_FORMS_CACHE) > 64:
        _FORMS_CACHE.clear()
    forms = _column_forms(profile)
    _FORMS_CACHE[id(profile)] = (profile, forms)
    return forms
