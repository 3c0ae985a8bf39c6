"""One question phrase against one column: the cascade of matchers, strongest first.

The name as written > normalized (case, spaces, underscores) > lemmas ("statuses" → status) > short forms
written out both ways ("temp" ↔ temperature, "hs grad" ↔ high school graduates, "bdrms" ↔ bedrooms) >
synonyms (data/vocabulary.yaml) > initialisms ("body mass index" → bmi) > part of a longer name ("delay" →
dep_delay) > WordNet relations ("heavier" → weight, "vibrates" → vibration) > a typo of one or two letters
(rapidfuzz, only for words that are no English word). ``grounding`` runs it over every phrase of a question.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from .columns import ColumnForms, written_out
from .compounds import aggregate_words, compound_score, droppable_starts
from .lexicon import Token, degree, english_word, is_noun, known_word, lemma, verb_only
from .lexicon import lemmas as lemmas_of
from .settings import MatchSettings
from .vocabulary import RELATION_STRENGTH, vocabulary


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Words that ask for something (a task, an aggregate, an order, a chart, a period) and generic words of
    degree ("larger", "more"): they name a column only when written as its name."""
    cues = vocabulary().cues
    words: set[str] = set(cues["order_words"]) | set(_DEGREE_WORDS)
    for key in ("aggregate_words", "time_unit_words", "chart_words"):
        words.update(w for phrase in cues[key] for w in str(phrase).split())
    for said in cues["task_cues"].values():
        words.update(w for phrase in said for w in str(phrase).split())
    return frozenset(words | {lemma(w) for w in words})


@lru_cache(maxsize=1)
def _task_words() -> frozenset[str]:
    """Single words that ask for a task ("trend", "distribution"; not the weak "share", which often names the
    measure: "the share of the population aged 15-19" is perc1519)."""
    said = [cues for task, cues in vocabulary().cues["task_cues"].items() if task not in ("ranking", "comparison")]
    return frozenset(lemma(w) for cues in said for w in map(str, cues) if " " not in w)  # not "low", "high"


_DEGREE_WORDS = ("larger", "bigger", "smaller", "higher", "lower", "greater", "more", "less", "fewer", "many", "much",
                 "few", "better", "worse")


def score_phrase(phrase: list[Token], col: ColumnForms, settings: MatchSettings, *,
                 names: frozenset[str] = frozenset()) -> tuple[float, str]:
    """How well a phrase of the question names a column: (score, method), (0, "") for no match. ``names``:
    the words of every column's name, which a phrase may not drop as filler ("districts total")."""
    voc = vocabulary()
    words = [t.lower for t in phrase]
    lemmas = [t.lemma for t in phrase]
    if " ".join(t.text for t in phrase) == col.name:
        return settings.exact_weight, "exact"
    if " ".join(words) == col.name.lower() or words == col.words or "".join(words) == col.joined or (
            len(words) > 1 and "".join(words).replace(".", "") == col.joined):  # "PM2.5" → pm25
        return settings.normalized_weight, "normalized"
    if lemmas == col.lemmas:
        return settings.lemma_weight, "lemma"
    if len(lemmas) == 1 and lemmas[0] in col.values_are:
        return settings.lemma_weight - 0.03, "lemma"  # "per season" → year holding "2009-2010", "countries" → Location
    if len(words) == 1 and words[0] != lemmas[0] and words[0].endswith("ed") and \
            lemmas[0] in voc.cues["grouping_verbs"]:
        return 0.0, ""  # "sorted", "grouped": an order or a grouping asked for ("sort" is no kind of thing here)
    if len(words) == 1 and words[0] in voc.cues["aggregate_prefixes"]:
        return 0.0, ""  # "total investment": "total" asks for a sum; it names the column "total" only as written
    if len(lemmas) == 1 and lemmas[0] in _task_words() and lemmas[0] not in col.lemmas:
        return 0.0, ""  # "distribution", "trend": a task word names a column by its own word only, no synonym
    content = [x for x in lemmas if x not in voc.stopwords]
    if lemmas == col.core and len(col.core) < len(col.content) and \
            set(col.content) - set(col.core) <= vocabulary().generic_name_words:
        return settings.partial_weight + 0.02, "partial"  # "customer" alone: customer_id or _name, loosely
    if lemmas in (col.content, col.core) or (len(content) >= 2 and sorted(content) in (sorted(col.content),
                                                                                      sorted(col.core))):
        return settings.lemma_weight - 0.03, "lemma"  # "vibration" → vibration_mm_s, "type of policy" → policy_type
    if len(lemmas) >= 2 and lemmas[-1] in ("time", "duration", "length") and lemmas[:-1] == col.core and \
            set(col.words) & set(voc.cues["time_amounts"]):
        return settings.lemma_weight - 0.03, "lemma"  # "wait time" → wait_minutes: a time said by its unit
    if written_out(lemmas) & col.expanded:
        return settings.abbreviation_weight, "abbreviation"  # temp ↔ temperature, "max temp" ↔ tmax
    if len(words) == 1 and words[0] in _DEGREE_WORDS:
        return 0.0, ""  # "larger than 2,000 sq ft": a comparison, not the size column
    for name in (col.core, col.content, col.lemmas):  # "claim identifiers" → claim_id, "pass %" → pass_pct
        if len(lemmas) == len(name) and all(a == b or voc.synonyms(a, b) for a, b in zip(lemmas, name)):
            return settings.synonym_weight, "synonym"
    if len(lemmas) == 1 and any(voc.synonyms(lemmas[0], e) for e in col.expanded if " " not in e):
        return settings.synonym_weight - 0.02, "synonym"  # "rain" → precip (precipitation)
    if len(lemmas) == 1 and len(col.core) == 1 and len(col.core[0]) >= 5 and lemmas[0] not in col.core and any(
            s.startswith(col.core[0]) for s in voc.synonyms_of(words[0]) if " " not in s):
        return settings.synonym_weight - 0.03, "synonym"  # "spending" → expend (a synonym's beginning: expenditure)
    if _aligned(lemmas, col, names):
        literal = 0.01 if set(col.core) <= set(lemmas) else -0.01  # "area share": area_ha's own word over region's synonym
        return settings.abbreviation_weight - 0.02 + literal + _rate_bonus(lemmas, col), "abbreviation"  # "… graduation rates" ↔ hs_grad
    if len(col.core) >= 2 and len(lemmas) >= 2 and _aligned(lemmas, col, names, core=col.core[-1:]):
        return settings.partial_weight - 0.02, "partial"  # "graduation rates" → hs_grad (its head, "grad")
    alias = max((_alias_score(a, col, settings) for a in voc.phrase_synonyms(words)), default=0.0)
    if alias:
        return alias, "synonym"
    if _initialism(words, col):
        return settings.initialism_weight, "initialism"
    if _short_form(words, col, settings):
        return settings.abbreviation_weight - 0.04, "abbreviation"
    if _known_prefix(words, col):
        return settings.partial_weight, "abbreviation"
    if _derived(words, col):
        return settings.lemma_weight - 0.06, "derived"  # "certification expiration" → certificationexpires
    if len(words) == 1 and len(col.words) == 1 and len(words[0]) >= 5 and len(col.joined) > len(words[0]) + 2 and (
            col.joined.endswith(words[0]) or col.joined.startswith(lemmas[0])):
        return round(settings.partial_weight * 0.9, 3), "partial"  # "power" → horsepower, "floor" → blockfloor
    if col.joined.isalnum() and (len(words) >= 3 or not english_word(col.joined)) and \
            (spelt := compound_score(words, col.joined, glued=len(col.words) == 1) or _head_first(words, col)):
        # "night fatality rate" → nghtfatrte; "return on equity" → roe; "news" → tvnews (a part unsaid)
        return round(settings.abbreviation_weight * spelt, 3), "abbreviation"
    fuzzy = _typo(words, col, settings)
    if fuzzy:
        return fuzzy, "fuzzy"
    if len(lemmas) == 1 and lemmas[0] in voc.generic_name_words and lemmas[0] in col.content and \
            len(col.content) > 1 and lemmas[0] not in col.core and words[0] in (lemmas[0], lemmas[0] + "s"):
        return round(settings.partial_weight * 0.9, 3), "partial"  # "count by name": first_name or last_name?
    if len(lemmas) == 1 and len(col.core) == 1 and not english_word(col.core[0]) and any(
            " " in e and e.split()[-1] == lemmas[0] for e in col.expanded):
        return round(settings.partial_weight, 3), "partial"  # "satisfaction" → csat (customer satisfaction)
    if len(lemmas) == 1 and col.numeric and lemmas[0] not in col.core and words[0] in voc.units and \
            words[0] in col.words:
        return round(settings.partial_weight + 0.02, 3), "partial"  # "days served", "tenure in days" → diff_days
    if len(lemmas) == 1 and lemmas[0] in col.titled:
        return round(settings.partial_weight, 3), "partial"  # "co2 per capita": emissions of co2_emissions.csv
    partial = _partial(lemmas, col, settings)
    if partial:
        return partial, "partial"
    related = _related(lemmas, col, settings, said=words)
    if related:
        return related, "related"
    if len(phrase) == 1 and (again := _without_re(phrase[0])) is not None:
        score, method = score_phrase([again], col, settings, names=names)  # "rearrested" → arrest
        return (round(score * 0.95, 3), method) if score else (0.0, "")
    return 0.0, ""


_POLES = {"high": frozenset("max maximum high highest peak top upper".split()),
          "low": frozenset("min minimum low lowest bottom lower".split())}


def _pole(qualifiers: set[str]) -> str | None:
    """Which end a name's qualifier says: "maximum" high, "minimum" low; None for neither or both."""
    poles = [p for p, words in _POLES.items() if qualifiers & words]
    return poles[0] if len(poles) == 1 else None


def _head_first(words: list[str], col: ColumnForms) -> float:
    """A name that puts the head noun first ("pentree": price of entree, "psoda"), said modifier first
    ("entree prices", "soda price"): the two words spell it in the other order, a little less sure."""
    voc = vocabulary()
    if len(words) != 2 or any(w in voc.stopwords for w in words) or lemma(words[1]) not in voc.cues["quantity_heads"]:
        return 0.0  # "temperature affect" is no a(ffect)temp, "on-time arrival" no arr_time
    return round(0.97 * compound_score(words[::-1], col.joined), 3)


def _without_re(token: Token) -> Token | None:
    """ "rearrested", "reoffended": a verb done again, which no lexicon lists, read as the verb itself."""
    w = token.lower
    if len(w) >= 7 and w.startswith("re") and not english_word(w) and english_word(w[2:]):
        return Token(token.text[2:], token.index, token.start + 2, token.end)
    return None


_MEASURE_WORDS = frozenset("rate level number amount count value figure score percentage share total data type kind "
                           "category class group".split())
_RATE_WORDS = frozenset("rate ratio percentage percent share per capita".split())
_SUFFIXES = ("ization", "isation", "ized", "ised", "ize", "ise", "ity", "ness", "iness", "y", "ly", "al", "ic", "ous", "ful",
             "ment", "ments")  # not "ion" or "ing": "production" is no product, "generation" nothing general


def _rate_bonus(lemmas: list[str], col: ColumnForms) -> float:
    """ "divorce rate" finds ``Divorces_per_1000`` before ``Divorces``: a rate is a count per something."""
    if not set(lemmas) & _RATE_WORDS:
        return 0.0
    return 0.03 if set(col.words) & {"per", "rate", "pct", "percent", "ratio", "share", "capita"} else -0.05


def _aligned(lemmas: list[str], col: ColumnForms, names: frozenset[str], *, core: list[str] | None = None) -> bool:
    """Each word of the name said in turn, by itself, a synonym, its long form, or a word it begins ("grad"
    in "graduation"); a trailing measure word may follow ("… graduation rates", "murder rate")."""
    voc = vocabulary()
    core_words = col.core if core is None else core
    # "aids per capita" → aidscapita: a name drops the "per" of a rate
    lemmas = [w for k, w in enumerate(lemmas) if not (w == "per" and k + 1 < len(lemmas) and lemmas[k + 1] in
                                                      core_words and lemmas[k + 1] in _RATE_WORDS)]
    if any(w in voc.stopwords for w in lemmas):
        return False  # "price for each number": two things
    words = list(lemmas)
    if len(core_words) == len(words) == 1 and words == core_words:
        return False  # the plain lemma rules already said so
    fillers = _MEASURE_WORDS if core is None else _RATE_WORDS  # a name's head alone takes no "… class"
    while len(words) > len(core_words) and words[-1] in fillers and words[-1] not in names:
        words.pop()
    i = 0
    for core in core_words:
        forms = [core.split(), *([lemma(x) for x in e.split()] for e in voc.expansions(core))]
        for form in sorted(forms, key=len, reverse=True):
            seg = words[i:i + len(form)]
            if len(seg) == len(form) and all(_same_word(a, b) for a, b in zip(seg, form)):
                i += len(form)
                break
        else:
            return False
    return i == len(words) and len(words) > 0


def _same_word(said: str, name: str) -> bool:
    voc = vocabulary()
    if said == name or voc.synonyms(said, name):
        return True
    begins = len(name) >= 3 and said.startswith(name) and (bool(voc.expansions(name)) or not known_word(name))
    derived = len(name) >= 4 and said.startswith(name) and said[len(name):] in _SUFFIXES
    return begins or derived  # "grad" in "graduation"; "urban" in "urbanized"


def _alias_score(alias: str, col: ColumnForms, settings: MatchSettings) -> float:
    alias_lemmas = [lemma(w) for w in alias.split()]
    if alias_lemmas in (col.lemmas, col.content, col.core) or " ".join(alias_lemmas) in col.expanded:
        return settings.synonym_weight
    if set(alias_lemmas) <= set(col.lemmas) and len(alias_lemmas) < len(col.lemmas):
        coverage = min(1.0, len(alias_lemmas) / max(1, len(col.core)))
        return round(settings.partial_weight * (0.8 + 0.2 * coverage), 3)
    return 0.0


def _initialism(words: list[str], col: ColumnForms) -> bool:
    """ "body mass index" → bmi, "miles per gallon" → mpg; and back: "mpg" → miles_per_gallon."""
    stop = vocabulary().stopwords
    if not all(w.isalpha() for w in words):
        return False
    name = col.core[0] if len(col.core) == 1 else (col.joined if len(col.words) == 1 else "")
    if name and len(words) >= 2 and not known_word(name):
        if all(w not in stop for w in (words[0], words[-1])) and len(name) >= 2:
            initials = "".join(w[0] for w in words)
            content_initials = "".join(w[0] for w in words if w not in stop)
            if name in (initials, content_initials) and (len(name) >= 3 or all(is_noun(w) for w in words)):
                return True  # "body mass index" → bmi; "chest pain" → cp, "ionization energy" → IE-1
    if len(words) == 1 and len(col.words) >= 2 and len(words[0]) >= 2 and not known_word(words[0]):
        return words[0] in ("".join(w[0] for w in col.words),
                            "".join(w[0] for w in col.words if w not in stop))
    if len(col.core) >= 2 and len(words) >= 3 and not known_word(col.core[-1]) and \
            not set(words) & set(col.core) and col.core[-1] == "".join(w[0] for w in words if w not in stop):
        return True  # "social security number" → mgr_ssn
    return False


def _short_form(words: list[str], col: ColumnForms, settings: MatchSettings) -> bool:
    """A name made of the words' beginnings ("stuid" = student id, "educ" = education, "bdrms" = bedrooms,
    "sqrft" = square feet), or a question's short form of a longer name ("exper" for experience)."""
    if len(col.words) == 1 or not any(len(w) >= 4 and known_word(w) for w in col.words):  # "horTh": hor, th
        content = [w for w in words if w not in vocabulary().stopwords] or words
        name, said = col.joined, "".join(content)
        if set(content) & aggregate_words() and not name.startswith(droppable_starts()):
            return False  # "avg temperature" is an average of temperature, not atemp (apparent temperature)
        if len(name) >= 3 and name[0] == said[0] and len(said) >= len(name) + 2 and not known_word(name):
            if _prefixes(content, name):  # "number of dependents" → numdep
                return True
            if len(content) <= 2 and _word_skeleton(name, content) and _consonants(name) >= 0.75 * _consonants(said):
                return True  # "bdrms" = bedrooms, "sqrft" = square feet; not "cpi" = capital
        if len(name) >= 3 and len(content) == 1 and name == _without_vowels(said) and name != said:
            return True  # "mnth" = month, "wkly" = weekly: the word without its vowels
    if len(words) == 1 and len(col.core) == 1:
        said, name = words[0], col.core[0]
        if len(said) >= 3 and len(name) >= len(said) + 2 and name.startswith(said) and (
                not known_word(said) or vocabulary().expansions(said)):
            return True
    return False


def _prefixes(words: list[str], joined: str) -> bool:
    """Is ``joined`` the beginnings of ``words``, in order, one each, one of them 3+ letters? A word also
    stands for its short forms ("number" → no, num: "department number" → dno)."""
    shorts = vocabulary().short_forms
    forms = [[w, *shorts([w])] for w in words]

    def walk(i: int, pos: int, long_seen: bool) -> bool:
        if i == len(forms):
            return pos == len(joined) and long_seen
        for k, form in enumerate(forms[i]):
            for n in range(min(len(form), len(joined) - pos), 0, -1):
                whole_short = n == len(form) and (k > 0 or n >= 2)  # a short form, or a short word whole ("id")
                if joined[pos:pos + n] == form[:n] and walk(i + 1, pos + n, long_seen or n >= 3 or whole_short):
                    return True
        return False

    return walk(0, 0, False)


_DERIVATION_SUFFIXES = ("ation", "ition", "ution", "ion", "ing", "ment", "es", "ed", "e", "s")


def _roots(word: str) -> set[str]:
    """What a word may share with its verb: acceleration → {acceler, accelerat}, accelerate → {accelerat}."""
    return {word[: -len(s)] for s in _DERIVATION_SUFFIXES if word.endswith(s)}


def _forms_of_one_word(a: str, b: str) -> bool:
    """Two forms of one word: a shared root of 5+ letters, one of them the verb ("accelerate", "expires"), so
    nouns that merely share a start ("product" / "production", "general" / "generation") stay apart."""
    if a == b:
        return True
    if not any(w.endswith(("e", "es", "ed")) for w in (a, b)):
        return False
    return any(len(r) >= 5 for r in _roots(a) & _roots(b))


def _derived(words: list[str], col: ColumnForms) -> bool:
    if len(words) == len(col.words) and words != col.words and all(map(_forms_of_one_word, words, col.words)):
        return True
    if len(words) >= 2 and len(col.words) == 1:  # a run-together name ending in the verb
        head = "".join(words[:-1])
        return col.joined.startswith(head) and _forms_of_one_word(words[-1], col.joined[len(head):])
    return False


def _without_vowels(word: str) -> str:
    return word[0] + "".join(ch for ch in word[1:] if ch not in "aeiou")


def _known_prefix(words: list[str], col: ColumnForms) -> bool:
    """A one-word name that is an English word and the beginning of a much longer word said ("hum" for
    humidity, "temp" for temperature): an abbreviation that happens to be a word. Short names only, 4+ letters
    shorter, so "age" is not "agency" and "product" not "productivity"."""
    if len(words) != 1 or len(col.words) != 1:
        return False
    said, name = words[0], col.words[0]
    return 3 <= len(name) <= 4 and len(said) >= len(name) + 4 and said.startswith(name) and known_word(name)


def _consonants(text: str) -> int:
    return sum(ch not in "aeiou" for ch in text)


def _word_skeleton(name: str, words: list[str]) -> bool:
    """Is ``name`` some letters of each word in turn, each part starting with its word's first letter
    ("bdrms" = bedrooms, "sqrft" = square feet; "educ" is not "education earn")?"""
    if not words:
        return not name
    word, rest = words[0], words[1:]
    if not name or name[0] != word[0]:
        return False
    for cut in range(len(name), 0, -1):
        it = iter(word)
        if all(ch in it for ch in name[:cut]) and _word_skeleton(name[cut:], rest):
            return True
    return False


def _typo(words: list[str], col: ColumnForms, settings: MatchSettings) -> float:
    """A misspelt name: a small edit distance, never for a word that is English in its own right ("data" is
    not a typo of date, "religion" not of region)."""
    said = "".join(words)
    if len(said) < settings.min_typo_length or said[0] != col.joined[0] or any(english_word(w) for w in words):
        return 0.0
    targets = {col.joined, *("".join(e.split()) for e in col.expanded)}
    best = 0.0
    for target in targets:
        allowed = settings.max_typo_edits_short if min(len(said), len(target)) <= 8 else settings.max_typo_edits_long
        distance = DamerauLevenshtein.distance(said, target, score_cutoff=allowed)
        if 0 < distance <= allowed:
            best = max(best, round(settings.fuzzy_weight * (1 - distance / max(len(said), len(target))), 3))
    return best if best >= settings.min_score else 0.0


def _partial(lemmas: list[str], col: ColumnForms, settings: MatchSettings) -> float:
    """A phrase naming part of a longer name: "delay" → dep_delay, "price" → unit_price (its head noun)."""
    voc = vocabulary()
    content = [x for x in lemmas if x not in voc.stopwords]
    if len(lemmas) >= 2 and lemmas == col.lemmas[:len(lemmas)] and len(lemmas) < len(col.lemmas):
        return round(settings.partial_weight, 3)  # "od280/od315" → od280/od315_of_diluted_wines
    if len(content) == 1 and len(lemmas) == 1 and any(
            len(e.split()) == 2 and voc.synonyms(content[0], e.split()[0]) and content[0] != e.split()[0]
            for e in col.expanded):
        return round(settings.partial_weight * 0.94, 3)  # "daily highs" → tmax (maximum temperature)
    if not content or len(content) >= len(col.core) + (1 if len(col.core) < len(col.content) else 0) or \
            len(content) < len(lemmas):
        return 0.0
    pool = set(col.core)
    if not all(x in pool or any(voc.synonyms(x, c) for c in pool) for x in content):
        return 0.0
    if set(content) <= col.complement:
        return 0.0  # "wines" names no od280/od315_of_diluted_wines: what follows "of" only qualifies the head
    readable = [c for c in col.core if english_word(c) or voc.expansions(c)] or col.core  # "ipeds" says nothing
    coverage = min(1.0, len(content) / len(readable))
    score = settings.partial_weight * (0.8 + 0.2 * coverage)
    if content[-1] == col.head or voc.synonyms(content[-1], col.head):
        score += 0.02  # the head noun: a unit price is a price
    if not all(x in pool for x in content):
        score -= 0.03  # a synonym of a name's word ("days" ~ date) below the word itself (days_served)
    return round(score, 3)


def _related(lemmas: list[str], col: ColumnForms, settings: MatchSettings, said: list[str] = ()) -> float:
    """WordNet: an adjective's attribute (heavy → weight), a verb's noun (vibrate → vibration), synonyms."""
    voc = vocabulary()
    content = [x for x in lemmas if x not in voc.stopwords]
    if len(content) != 1 or content[0] in cue_words() or len(content[0]) < 3:
        return 0.0  # "distributed", "highest": words that ask, not columns
    word = content[0]
    related = voc.related(word)
    if verb_only(word):  # a verb finds its noun ("vibrates" → vibration), not its loose synonyms ("live" → experience)
        related = {k: v for k, v in related.items() if v >= 0.95}
    best = 0.0
    targets = [(w, 1.0 if w == col.head else 0.9) for w in col.core]
    targets += [(e, 1.0) for e in col.expanded if e not in col.core]
    # csat: "customer satisfaction" → satisfaction; not tmax's "temperature" ("maximum" qualifies it: tmin has it too)
    targets += [(e.split()[-1], 0.9) for e in col.expanded if " " in e and not set(e.split()[:-1]) & voc.qualifiers]
    for target, weight in targets:
        # the other way round only a derivation or an attribute counts: a synonym in the column word's own
        # senses may be a rare sense of the question's word ("product" lists "production"; production is no product)
        backwards = voc.related(target, kinds="adD").get(word, 0.0)
        strength = max(related.get(target, 0.0), backwards)
        best = max(best, strength * weight)
    superlative = len(said) == 1 and degree(said[0]) == "superlative"
    for e in col.expanded if superlative else ():  # "the coldest nights" → tmin (minimum
        *quals, noun = e.split()  # temperature), "the hottest days" → tmax: the attribute at the pole said
        pole = _pole(set(quals))
        if pole is not None and related.get(noun, 0.0) >= RELATION_STRENGTH["a"] and \
                pole == ("low" if lemmas_of(word) & set(voc.cues["low_pole_adjectives"]) else "high"):
            best = max(best, 0.9)
    if best < 0.9 and len(col.words) == 1 and col.joined.isalnum() and not english_word(col.joined):
        for target, strength in related.items():  # an attribute: "heavy" → weight → bwght, "far" → distvct
            if strength >= RELATION_STRENGTH["a"] and " " not in target and target.isalpha():
                best = max(best, strength * 0.95 * compound_score([target], col.joined, glued=True))
    if best < 0.9:  # "earns" → earnings ~ revenue, "satisfied" → satisfaction: WordNet, then our synonym groups
        aliases = {a for e in col.expanded for a in voc.phrase_synonyms(e.split())}
        for target, strength in related.items():
            if strength >= 0.95 and (target in aliases or " " not in target and any(
                    voc.synonyms(target, w) for w in col.core)):
                best = max(best, strength * 0.85)
    score = round(settings.related_weight * best, 3)
    return score if score >= settings.min_related_score else 0.0
