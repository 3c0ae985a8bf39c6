"""Words: folding, column-name splitting, tokens and lemmas.

Lemmas come from lemminflect (a maintained English lemmatizer built on the SPECIALIST lexicon), so
"statuses" is "status", "series" and "species" stay themselves, "heavier" is "heavy" and "vibrates"
"vibrate". A word lemminflect does not know (a column's abbreviation, a typo) is its own lemma.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:'[a-z]+)?|\d+(?:\.\d+)?")
_PLAIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+|\d+(?:\.\d+)?")
_TOKEN = re.compile(_PLAIN_WORD.pattern + "|%")
_CLITICS = frozenset({"s", "t", "d", "m", "ll", "re", "ve"})


def fold(text: str) -> str:
    """Umlauts the way people type them without the key (ü → ue); other accents stripped (é → e)."""
    text = text.translate(_UMLAUTS)
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def split_name(name: str) -> list[str]:
    """``productCategory`` / ``product_category`` / ``Product.Category`` / ``Product Category`` → the words,
    lower-case: ``['product', 'category']``."""
    spaced = _CAMEL.sub(" ", _CAPS_THEN_WORD.sub(_caps_then_word, fold(name)))
    return [w.lower() for w in _PLAIN_WORD.findall(spaced)]


_CAPS_THEN_WORD = re.compile(r"(?<![A-Z])([A-Z]{2,})([a-z]{3,})")


def _caps_then_word(m: re.Match[str]) -> str:
    """ "TVnews", "GDPgrowth", "IDnumber": capitals, then a word in lower case, are an initialism and that word
    (tv news), unless the last capital begins the word ("HTMLParser": html parser)."""
    caps, tail = m.group(1), m.group(2)
    if english_word(tail) and not english_word((caps[-1] + tail).lower()):
        return f"{caps} {tail}"
    return m.group(0)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The word's dictionary form, preferring the noun ("rates" → rate, "heavier" → heavy, "sales" → sale)."""
    w = word.lower()
    if not w.isalpha() or len(w) <= 2:
        return w
    forms = getAllLemmas(w)
    for pos in ("NOUN", "ADJ", "VERB", "ADV", "PROPN"):
        if pos in forms and forms[pos]:
            candidates = forms[pos]
            shorter = [c for c in candidates if c != w and w.startswith(c)]  # "ages" (for ages) → age
            return shorter[0] if shorter else w if w in candidates else candidates[0]
    return w


@lru_cache(maxsize=65536)
def lemmas(word: str) -> frozenset[str]:
    """Every dictionary form the word may have ("left" → leave, left; "older" → old)."""
    w = word.lower()
    out = {w, lemma(w)}
    if w.isalpha() and len(w) > 2:
        for forms in getAllLemmas(w).values():
            out.update(forms)
    return frozenset(out)


@lru_cache(maxsize=65536)
def known_word(word: str) -> bool:
    """Does the lemmatizer's lexicon know the word ("rates" yes; "temperture", "bmi", "cred" no)?"""
    w = word.lower()
    return w.isalpha() and bool(getAllLemmas(w))


@lru_cache(maxsize=65536)
def english_word(word: str) -> bool:
    """Is it an English word, known to the lexicon or to WordNet ("county" is, so it is no typo of
    "country")? For the question's words only: in a column name "cred" or "temp" is a short form, though
    WordNet lists them. WordNet's words of three letters or fewer are mostly abbreviations ("cs", "ie")."""
    w = word.lower()
    return known_word(w) or (w.isalpha() and len(w) > 3 and any(f in wordnet_words() for f in lemmas(w)))


@lru_cache(maxsize=1)
def wordnet_words() -> frozenset[str]:
    """WordNet 3.0's single-word lemmas (``data/words.txt.gz``, built by ``scripts/build_thesaurus.py``)."""
    path = Path(__file__).parent / "data" / "words.txt.gz"
    return frozenset(gzip.decompress(path.read_bytes()).decode("utf-8").split("\n"))


@lru_cache(maxsize=65536)
def is_noun(word: str) -> bool:
    """Can the word be a noun ("workers", "interest" yes; "earn", "are" no)?"""
    return "NOUN" in getAllLemmas(word.lower())


@lru_cache(maxsize=65536)
def can_be_verb(word: str) -> bool:
    """Can the word be a verb ("leaks", "earns", "rates" yes; "machine" no)?"""
    return "VERB" in getAllLemmas(word.lower())


def noun_of_adjective(word: str) -> tuple[str, ...]:
    """The nouns an adjective in -y is made from ("rainy" → rain, "cloudy" → cloud, "sunny" / "foggy" → sun,
    fog: the consonant doubled), for values written as the noun; () for any other word."""
    w = word.lower()
    if len(w) < 4 or not w.endswith("y") or not w.isalpha() or w[-2] in "aeiouy":
        return ()
    stem = w[:-1]
    return (stem, stem[:-1]) if len(stem) >= 3 and stem[-1] == stem[-2] else (stem,)


@lru_cache(maxsize=65536)
def verb_only(word: str) -> bool:
    """Is the word a verb and no noun ("live", "earn"; not "rate", "vote")?"""
    forms = getAllLemmas(word.lower())
    return "VERB" in forms and "NOUN" not in forms


@lru_cache(maxsize=65536)
def degree(word: str) -> str | None:
    """``"superlative"`` for "heaviest", ``"comparative"`` for "heavier", else None. A word that is also a
    noun in its own right is no degree ("number" is not more numb)."""
    w = word.lower()
    forms = getAllLemmas(w)
    if w in forms.get("NOUN", ()):
        return None
    for pos, (comparative, superlative) in (("ADJ", ("JJR", "JJS")), ("ADV", ("RBR", "RBS"))):
        for base in forms.get(pos, ()):
            inflections = getAllInflections(base, upos=pos)
            if w in inflections.get(superlative, ()):
                return "superlative"
            if w in inflections.get(comparative, ()):
                return "comparative"
    return None


_LINK_WORDS = frozenset({"of", "in", "by", "to", "on", "at", "per"})  # "Numberof|Locations", "timeonsite"


@lru_cache(maxsize=4096)
def segment(word: str, abbreviations: frozenset[str] = frozenset()) -> tuple[str, ...] | None:
    """A run-together name cut into known words ("ctryname" → ctry, name; "blockfloor" → block, floor), in the
    fewest pieces (at most 3), each an English word of 3+ letters or a known short form; None when it can't be."""
    w = word.lower()
    if len(w) < 6 or not w.isalpha():
        return None

    def piece(p: str, first: bool = False) -> bool:
        return (len(p) >= 3 and english_word(p)) or p in abbreviations or (not first and p in _LINK_WORDS)

    best: tuple[str, ...] | None = None
    for i in range(2, len(w) - 1):
        a, rest = w[:i], w[i:]
        if not piece(a, first=True):
            continue
        if piece(rest):
            cand: tuple[str, ...] = (a, rest)
        else:
            cand = next(((a, rest[:j], rest[j:]) for j in range(2, len(rest) - 1)
                         if piece(rest[:j]) and piece(rest[j:])), None)
        if cand is not None and (best is None or len(cand) < len(best)):
            best = cand
    return best


@dataclass
class Token:
    """A word of the question with where it was said (token index and character span)."""

    text: str
    index: int
    start: int = 0
    end: int = 0
    clitic: bool = False  # the "s" of "what's", "supervisor's": part of the word before, never a mention
    hyphened: bool = False  # joined to the word before by a hyphen ("no-show", "two-year")
    lower: str = field(init=False)
    lemma: str = field(init=False)

    def __post_init__(self) -> None:
        self.lower = fold(self.text).lower()
        self.lemma = lemma(self.lower)

    @property
    def is_number(self) -> bool:
        return self.text[:1].isdigit()


def tokenize(text: str) -> list[Token]:
    """The question's words, numbers as tokens; "what's" is "what" + a clitic "s"; a "%" that follows no number
    is a word ("win %": a synonym of percent in names, ``vocabulary.yaml``), not a share cue ("butterfat %")."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        if m.group(0) == "%":
            if text[:m.start()].rstrip()[-1:].isdigit():
                continue
            tokens.append(Token("%", len(tokens), m.start(), m.end()))
            continue
        hyphened = bool(tokens) and m.start() == tokens[-1].end + 1 and text[m.start() - 1] == "-"
        tokens.append(Token(m.group(0), len(tokens), m.start(), m.end(), clitic=_is_clitic(text, m),
                            hyphened=hyphened))
    return tokens


def _is_clitic(text: str, m: re.Match[str]) -> bool:
    """ "s" after "what'" or "supervisor'" (a letter, then an apostrophe); not the quoted value in "'m'"."""
    at = m.start()
    return m.group(0).lower() in _CLITICS and at >= 2 and text[at - 1] in "'’" and text[at - 2].isalpha()


def value_key(value: str) -> str:
    """How a cell value is compared with question words: case, accents, spaces, underscores and dashes folded."""
    return " ".join(_PLAIN_WORD.findall(fold(value).replace("_", " ").lower()))


def lemma_key(key: str) -> str:
    """A ``value_key`` with each word's lemma, so a plural finds its singular value and back."""
    return " ".join(lemma(w) for w in key.split())


def list_items(text: str) -> list[str]:
    """The items of a list as written ("JFK, LaGuardia and Newark", "none, primary, secondary..."): split at
    commas, semicolons, slashes, "and", "or" and "&"; empty items and trailing dots dropped."""
    return [x.strip() for x in re.split(r"[,;/&]|\band\b|\bor\b", text) if x.strip(" .…")]
