"""Grounding question phrases to columns and to values, with a score and a method for every match.

Each phrase of the question is scored against each column by the cascade of small matchers in
``matchers.py`` (after NL4DV: the name as written first, a typo last). Phrases are chosen so that the
covered words score most in total (a two-word name beats its parts, two exact names beat one loose pair); equal-score
rivals are kept as alternatives, never silently guessed. Which of several readings of the same words wins is decided
by the rules of ``rivals.py``.
"""

from __future__ import annotations


from ..contracts import ColumnMatch, DatasetProfile
from .columns import COUNT_WORDS, ColumnForms, ColumnIndex, column_index
from .lexicon import (Token, is_noun, known_word, lemma_key, noun_of_adjective, tokenize,
                      value_key)
from . import rivals
from .matchers import score_phrase
from .rivals import LOOSE, Candidate
from .settings import DEFAULT_SETTINGS, MatchSettings
from .vocabulary import vocabulary

_GROUPING_WORDS = frozenset("by per each every across".split())
_JOINS = frozenset("by vs versus and or against with than each every".split())  # "id for each paper": two things


# --------------------------------------------------------------------------------------------------
# the whole question
# --------------------------------------------------------------------------------------------------
def ground(tokens: list[Token], index: ColumnIndex, *, settings: MatchSettings = DEFAULT_SETTINGS,
           text: str = "") -> tuple[list[ColumnMatch], list[ColumnMatch]]:
    """Column and value matches of the question, best first per span and without overlaps, in question order,
    and the equal-score rivals left out (ambiguities, kept for the manifest). ``text``, the question the tokens
    were read from, tells where punctuation parts them: no phrase reads across a bracket ("element (alkali" is
    no "EA"), and no column's name across a comma."""
    candidates = [c for c in _candidates(tokens, index, settings, text)
                  if not _names_rows(c, tokens, index, settings)]
    candidates = _whole_phrases_first(rivals.tagged(rivals.unlogged(candidates, tokens, index), tokens, index))
    candidates = rivals.literal_before_synonym(rivals.numbers_after_an_aggregate(candidates, tokens, index), tokens,
                                               index)
    candidates = [c for c in candidates if not rivals.superlative_of_a_named(c, candidates, tokens)
                  and not rivals.degree_of_another(c, candidates, tokens, index)]
    chosen = _best_cover(candidates, len(tokens), {c.name: c.profile.nulls for c in index.columns})
    chosen = [c for c in chosen if c not in rivals.absorbed(chosen, tokens, index, settings)
              and not rivals.modifies_a_column(c, chosen, tokens, index)
              and not rivals.participle_of(c, chosen, tokens, index)]
    chosen = rivals.values_of_the_named_column(chosen, candidates)
    listed = rivals.glossed(chosen, tokens, text) + rivals.listed_values(chosen, tokens, text)
    chosen = [c for c in chosen if c not in listed]
    matches, alternatives = [], []
    for cand in sorted(chosen, key=lambda c: c.start):
        ties = sorted({c.column for c in candidates if (c.start, c.end) == (cand.start, cand.end)
                       and c.column != cand.column and abs(c.score - cand.score) < 1e-9
                       and (c.method == "value") == (cand.method == "value")})
        match = _to_match(cand, ties)
        matches.append(match)
        alternatives += [_to_match(c, []) for c in candidates if (c.start, c.end) == (cand.start, cand.end)
                         and c.column in ties]
    return matches, alternatives


_PART_WORDS = frozenset("share shares proportion proportions percentage percentages fraction part portion".split())


def _part_of_the_whole(tokens: list[Token], i: int) -> bool:
    """ "share of the total", "proportion of all": a part of the whole is asked for (a share chart)."""
    after = [t.lower for t in tokens[i + 1:i + 4]]
    return tokens[i].lower in _PART_WORDS and after[:1] == ["of"] and bool(
        set(after[1:3]) & {"total", "whole", "all", "overall", "sum"})


def _candidates(tokens: list[Token], index: ColumnIndex, settings: MatchSettings, text: str = "") -> list[Candidate]:
    voc = vocabulary()
    out: list[Candidate] = []
    n = len(tokens)
    gaps = [text[a.end:b.start] if text else " " for a, b in zip(tokens, tokens[1:])]
    for i in range(n):
        for j in range(i + 1, min(n, i + settings.max_ngram) + 1):
            phrase = tokens[i:j]
            parted = set("".join(gaps[i:j - 1]))
            if phrase[0].clitic:
                continue
            if parted & set("()[]{};:?!"):
                break  # a bracket or a sentence's end parts the words: no phrase reads across it
            if "," in parted:
                out += _value_candidates(phrase, i, j, index.columns, settings)  # "Korea, Republic of": a value
                continue
            if any(t.clitic for t in phrase):  # "McDonald's" names a value, never a column …
                out += _value_candidates(phrase, i, j, index.columns, settings, whole_only=True)
                bare = [t for t in phrase if not t.clitic]
                if phrase[-1].clitic or len(bare) < 2:
                    continue
                for col in index.columns:  # … but "mother's education" is motheduc, read without its "'s"
                    score, method = score_phrase(bare, col, settings, names=index.words)
                    if score >= settings.min_score:
                        out.append(Candidate(i, j, col.name, round(score * 0.98, 3), method,
                                             " ".join(t.text for t in phrase)))  # a word a token: spans count them
                continue
            edges_stop = (phrase[0].lower in voc.stopwords or phrase[-1].lower in voc.stopwords) and not (
                j == i + 1 and _stopword_as_name(tokens, i, index)) and not _hyphenated(phrase) and not (  # "no-show"
                j > i + 2 and " ".join(t.lower for t in phrase[:2]) in voc.cues["rate_phrases"])  # "per capita income"
            if edges_stop and j == i + 1 and phrase[0].text.islower() and _stopword_value(tokens, i):
                out += _value_candidates(phrase, i, j, [c for c in index.columns if c.profile.distinct <= 5], settings,
                                         whole_only=True)  # "up weeks vs down weeks": Direction's Up and Down
                continue
            if edges_stop and not (phrase[0].text[:1].isupper() and phrase[0].index > 0 or phrase[0].text.isupper()):
                continue  # "the", "by" … end no phrase; "US Steel", "The Who" (capitalized) may be a value
            text = " ".join(t.text for t in phrase)
            joins = any(t.lower in _JOINS for t in phrase[1:-1])  # "price by number", "bmi vs age": two things
            numbered = _with_number_words(phrase)
            has_number = any(t.is_number for t in phrase)
            for col in index.columns:
                if edges_stop and j == i + 1 and text == col.name and phrase[0].index > 0:
                    out.append(Candidate(i, j, col.name, settings.exact_weight, "exact", text))  # "May" on Jan..Dec
                    continue
                if edges_stop:  # a capitalized stopword: only a cell value may start with it ("US", "The Who"),
                    # or a column's name as written ("US gross" → US_Gross)
                    score, method = score_phrase(phrase, col, settings, names=index.words) if j > i + 1 else (0.0, "")
                    if method in ("exact", "normalized"):
                        out.append(Candidate(i, j, col.name, score, method, text))
                        continue
                    key = value_key(text)
                    value = col.values.get(key) or next((col.values[a] for a in voc.value_aliases(key)
                                                         if a in col.values), None)
                    if value is not None:
                        out.append(Candidate(i, j, col.name, settings.value_weight, "value", text, value=value))
                    continue
                digits_in_name = any(ch.isdigit() for ch in col.name)
                score, method = (0.0, "") if has_number and not digits_in_name else \
                    score_phrase(phrase, col, settings, names=index.words)
                if numbered is not None and digits_in_name and score < settings.normalized_weight:
                    alt = score_phrase(numbered, col, settings, names=index.words)
                    score, method = max((score, method), alt)
                if joins and method not in ("exact", "normalized"):
                    score = 0.0
                if j == i + 1 and _part_of_the_whole(tokens, i):
                    score = 0.0  # "each state's share of the total": the share asked for, not a share column
                if j == i + 1 and _period_not_amount(tokens, i, col):
                    score = 0.0  # "unusual days", "the 5 busiest days": periods of the time line, not shipping_days
                if j == i + 1 and phrase[0].lower in ("number", "count", "amount") and j < n and tokens[j].lower == "of" \
                        and method not in ("exact", "normalized", "lemma") and \
                        not (col.words[0] in COUNT_WORDS - {"no"} | {"amount", "amt"} or "count" in col.words):
                    score = 0.0  # "number of visits" counts; it names no_show only through "no" = number, and
                    # "number of elements" no "atomic number" (a label, not a count); num_children, count_working do
                if score >= min(settings.min_score, settings.min_related_score if method == "related" else 1):
                    out.append(Candidate(i, j, col.name, score, method, text))
                out += _value_candidates(phrase, i, j, [col], settings)
    return out


_DETERMINERS = frozenset("which what each every per by the a its their whose this that".split())
_VERB_OBJECTS = frozenset("a an the me us it this that sure".split())


def _stopword_as_name(tokens: list[Token], i: int, index: ColumnIndex) -> bool:
    """A question word that is also a column's whole name, used as a noun: "which make is the heaviest",
    "by make" (a car's make), not "make a chart"."""
    word = tokens[i].lower
    if not any(word in (c.joined, *c.lemmas) and len(c.words) == 1 for c in index.columns):
        return False
    before = tokens[i - 1].lower if i > 0 else ""
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return before in _DETERMINERS and after not in _VERB_OBJECTS


def _stopword_value(tokens: list[Token], i: int) -> bool:
    """A small word used as an adjective before a plural noun ("down weeks", "up days", "off days"): it may be
    one of a few values of a column, as written."""
    k = i + 1
    if k + 1 < len(tokens) and tokens[k].lower in ("and", "or", "vs", "versus"):
        k += 2  # "up and down weeks"
    nxt = tokens[k] if k < len(tokens) else None
    return nxt is not None and nxt.lower != nxt.lemma and is_noun(nxt.lower) and nxt.lower not in vocabulary().stopwords


def _proper(phrase: list[Token]) -> bool:
    """Capitalized as a name is, and not only because it starts the question ("Holstein vs …" is a name:
    no English word; "Average …" is not)."""
    first = phrase[0]
    return first.text[:1].isupper() and (first.index > 0 or first.text.isupper() or not known_word(first.lower)
                                         or len(phrase) > 1 and phrase[1].text[:1].isupper())


_PERIOD_WORDS = frozenset("minute minutes hour hours day days week weeks month months year years".split())
_AMOUNT_BEFORE = frozenset("many in of total average mean median avg".split())


def _period_not_amount(tokens: list[Token], i: int, col: ColumnForms) -> bool:
    """Is a period word ("days") the unit of a number column here (``shipping_days``), or the time line's
    periods? An amount when counted or measured in it: "how many days", "tenure in days", "days served"."""
    word = tokens[i]
    if word.lower not in _PERIOD_WORDS or not col.numeric or word.lower not in col.words or word.lemma in col.core:
        return False
    before = tokens[i - 1].lower if i > 0 else ""
    after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return before not in _AMOUNT_BEFORE and not after.endswith("ed")


def _hyphenated(phrase: list[Token]) -> bool:
    """Words joined by hyphens ("two-year", "less-than-2-year"): a compound that names a value, in any case."""
    return len(phrase) >= 2 and all(t.hyphened for t in phrase[1:])


def _value_candidates(phrase: list[Token], i: int, j: int, columns: list[ColumnForms],
                      settings: MatchSettings, *, whole_only: bool = False) -> list[Candidate]:
    """The phrase as a cell value of each column: as written, a plural ("faults"), another name ("US"), an
    initialism ("Internet Explorer" → IE), or a proper name said short ("Holstein" → Holstein-Friesian).
    ``whole_only``: a phrase with a clitic ("McDonald's") is a value as written or said short, nothing else."""
    voc = vocabulary()
    text = " ".join(t.text for t in phrase)
    key = value_key(text)
    digits = {d: w for w, d in voc.number_words.items() if w not in ("first", "second", "third")}
    spelled = " ".join(digits.get(w, w) for w in key.split())  # "2 year" → "two year"
    out = []
    for col in columns:
        value, weight = col.values.get(key), settings.value_weight
        if value is None and not whole_only and (value := col.value_lemmas.get(lemma_key(key))) is not None:
            weight *= settings.lemma_weight  # "which machines had faults": the status "fault"
        if value is None and not whole_only and len(phrase) == 1 and (value := next(
                (col.values[b] for b in noun_of_adjective(key) if b in col.values), None)) is not None:
            # "rainy days": the weather "rain" (foggy → fog), a condition on the rows, before the column a synonym
            # of its noun names loosely (precipitation)
            weight = settings.synonym_weight + 0.01
        if value is None and not whole_only and (len(key) > 2 or text.isupper()):  # "US", "CA"; not "us", "in"
            value = next((col.values[a] for a in voc.value_aliases(key) if a in col.values), None)
        if value is None and not whole_only and len(phrase) >= 2 and all(t.text[:1].isupper() for t in phrase):
            value = col.values.get("".join(t.lower[0] for t in phrase))  # "Internet Explorer" → IE
            weight *= 0.95
        if value is None and (_proper(phrase) or _hyphenated(phrase)) and (
                (value := col.value_starts.get(key)) is not None or (value := col.value_starts.get(spelled)) is not None
                or (value := col.values.get(spelled)) is not None):
            weight *= 0.95  # a proper name said short: "Holstein" → Holstein-Friesian; "2-year" → Two-year degree
        if value is not None:
            out.append(Candidate(i, j, col.name, weight, "value", text, value=value))
    return out


def _with_number_words(phrase: list[Token]) -> list[Token] | None:
    """ "line one" → "line 1" (column names write numbers as digits); None when nothing changes."""
    numbers = vocabulary().number_words
    last = phrase[-1].lower
    if len(phrase) < 2 or last not in numbers or last in ("first", "second", "third"):
        return None
    return [*phrase[:-1], Token(numbers[last], phrase[-1].index)]


def _whole_phrases_first(candidates: list[Candidate]) -> list[Candidate]:
    """A word read loosely (a synonym, a part, a relation) inside a longer phrase that spells one column's name
    is no column of its own: in "murder rate", "rate" is the rate of murders (``murdrate``), not a percentage
    column that "rate" is a synonym of."""
    wholes = [c for c in candidates if c.length > 1 and c.method not in LOOSE | {"synonym", "value"}]
    return [c for c in candidates if not (
        c.method in LOOSE | {"synonym"} and any(w.start <= c.start and c.end <= w.end and w.length > c.length
                                                 and w.column != c.column for w in wholes))]


def _looser(column: Candidate, value: Candidate) -> bool:
    """Does the cell value say more than the column match of the same words? Over a loose match, always; over
    a synonym of the same column's name too: "females" is the value "female" of ``sex``, not the column."""
    return column.method in LOOSE or (column.method == "synonym" and column.column == value.column)


def _best_cover(candidates: list[Candidate], n: int, nulls: dict[str, int]) -> list[Candidate]:
    """Non-overlapping candidates with the most score × words covered (weighted interval scheduling); on a
    tie, the longer phrase, then the column with fewer missing values."""
    best_at: dict[tuple[int, int], Candidate] = {}
    for c in candidates:  # one per span: the best score; a cell value beats a loose column match
        key = (c.start, c.end)
        if key in best_at and c.method == "value" and _looser(best_at[key], c):
            best_at[key] = c  # "mature cows": the value "Mature", not age (WordNet: mature → age)
            continue
        if key in best_at and best_at[key].method == "value" and _looser(c, best_at[key]):
            continue
        if key not in best_at or c.score > best_at[key].score + 1e-9 or (
                abs(c.score - best_at[key].score) < 1e-9 and nulls.get(c.column, 0) < nulls.get(best_at[key].column, 0)):
            best_at[key] = c  # on a tie, the fuller column ("windiest": wind_speed, not the gappy wind_gust)
    spans = sorted(best_at.values(), key=lambda c: c.end)
    best: list[tuple[float, list[Candidate]]] = [(0.0, [])] * (n + 1)
    by_end: dict[int, list[Candidate]] = {}
    for c in spans:
        by_end.setdefault(c.end, []).append(c)
    for end in range(1, n + 1):
        best[end] = best[end - 1]
        for c in by_end.get(end, []):
            total = best[c.start][0] + c.score * c.length + 0.001 * c.length
            if total > best[end][0] + 1e-9:
                best[end] = (total, [*best[c.start][1], c])
    return best[n][1]


def _names_rows(c: Candidate, tokens: list[Token], index: ColumnIndex, settings: MatchSettings) -> bool:
    """ "for customers named …", "the customer's email", "how many flights": the word names the rows, so a
    loose match of it is no column mention (never after a grouping word: "by customer" is a column)."""
    if c.length != 1 or c.method == "value":
        return False
    token = tokens[c.start]
    if token.lemma not in index.entity or (c.start > 0 and tokens[c.start - 1].lower in _GROUPING_WORDS):
        return False
    if _counted_rows(c, tokens, index):
        return True
    col = index.get(c.column)
    if col is not None and col.role in ("numeric", "identifier") and token.lower != token.lemma and \
            col.words[-1] == token.lemma and col.profile.dtype.startswith(("int", "uint", "Int")) and \
            not _measured_before(tokens, c.start):
        return True  # "flights per month" over a ``flight`` number (a code): the flights are the rows
    weak = c.method in ("partial", "synonym", "fuzzy", "related") and c.score < settings.lemma_weight - 0.03
    possessive = c.end < len(tokens) and tokens[c.end].clitic
    return weak and (possessive or token.lower != token.lemma)


_MEASURING = frozenset(("distribution", "spread", "histogram", "range", "median", "mean", "average", "avg",
                        "typical", "sum", "total"))


def _measured_before(tokens: list[Token], at: int) -> bool:
    """ "distribution of CEO salaries", "average salaries": the word is measured, whatever the rows are."""
    return any(t.lower in _MEASURING for t in tokens[max(0, at - 4):at])


def _counted_rows(c: Candidate, tokens: list[Token], index: ColumnIndex) -> bool:
    """ "how many flights" over a ``flight`` number column of a flights table: the rows are counted."""
    col = index.get(c.column)
    before = " ".join(t.lower for t in tokens[max(0, c.start - 3):c.start])
    return col is not None and col.role in ("numeric", "identifier") and tokens[c.start].lower != tokens[c.start].lemma \
        and col.words[-1] == tokens[c.start].lemma \
        and any(before.endswith(cue) for cue in ("number of", "how many", "count of", "most", "fewest", "many"))


def _to_match(c: Candidate, rivals: list[str]) -> ColumnMatch:
    return ColumnMatch(phrase=c.phrase, column=c.column, method=c.method, score=round(min(1.0, c.score), 3),
                       value=c.value, alternatives=rivals, position=c.start)


# --------------------------------------------------------------------------------------------------


def best_column_for(name: str, profile: DatasetProfile, *, settings: MatchSettings = DEFAULT_SETTINGS,
                    candidates: list[str] | None = None) -> tuple[str | None, float, str]:
    """Repair helper: the column a (possibly wrong) name most likely means, with score and method.

    A model often glues an aggregation onto the name ("revenue_total", "avg_price"); when the name as
    given matches nothing, it is tried again without those words.
    """
    best = _best_column(name, profile, settings, candidates)
    if best[1] < settings.min_score:
        words = [w for w in name.replace("_", " ").split() if w.lower() not in vocabulary().cues["aggregate_prefixes"]]
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
    for col in column_index(profile).columns:
        if candidates is not None and col.name not in candidates:
            continue
        score, method = score_phrase(phrase, col, settings)
        if name.strip() == col.name:
            score, method = settings.exact_weight, "exact"
        elif name.strip().lower() == col.name.lower():
            score, method = settings.normalized_weight, "normalized"
        if method == "related" and score < settings.min_score:
            continue
        if score > best[1]:
            best = (col.name, score, method)
    return best
