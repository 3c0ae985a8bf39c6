"""Rival readings of the same words: which column (or value) a phrase names when several could, and which loose
matches only finish a neighbour's name. Each rule here takes the candidates ``grounding`` scored and adjusts or drops
some, with the phrasing that motivates it ("average rating" is a number's; "minutes played" names no games column;
"the lowest close" no Low column)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .columns import ColumnIndex
from .lexicon import Token, degree, is_noun, list_items, verb_only
from .matchers import score_phrase
from .settings import MatchSettings
from .vocabulary import vocabulary

LOOSE = frozenset({"related", "partial", "fuzzy"})


@dataclass
class Candidate:
    """One reading of the tokens start..end: a column (or a value of it, ``method == "value"``), how well the words
    name it and how they matched."""

    start: int
    end: int  # exclusive
    column: str
    score: float
    method: str
    phrase: str
    value: str | None = None

    @property
    def length(self) -> int:
        return self.end - self.start


def values_of_the_named_column(chosen: list[Candidate], candidates: list[Candidate]) -> list[Candidate]:
    """A value several columns hold ("High", "Low" in every rating column) belongs to the column named next to
    it: "high vs low frighteningness", "frighteningness: high"."""
    named = [c for c in chosen if c.method != "value"]
    out = []
    for c in chosen:
        if c.method == "value":
            near = [n.column for n in named if 0 <= n.start - c.end <= 3 or 0 <= c.start - n.end <= 1]
            owner = next((o for o in candidates if o.method == "value" and (o.start, o.end) == (c.start, c.end)
                          and o.column in near and o.column != c.column and abs(o.score - c.score) < 1e-9), None)
            c = owner or c
        out.append(c)
    return out


def tagged(candidates: list[Candidate], tokens: list[Token], index: ColumnIndex) -> list[Candidate]:
    """Columns told apart by a capital letter (``expendA``, ``expendB``: candidate A's and B's) when the question
    names one ("A's spending", "candidate A"): that one's columns first, the other letters' after."""
    tags = {c.tag for c in index.columns if c.tag}
    said = {t.lower for k, t in enumerate(tokens) if len(t.text) == 1 and t.text.isupper() and t.lower in tags
            and (k > 0 or (k + 1 < len(tokens) and tokens[k + 1].clitic))}
    if len(tags) < 2 or not said:
        return candidates
    tag_of = {c.name: c.tag for c in index.columns}

    def score(c: Candidate) -> float:
        tag = tag_of.get(c.column)
        return c.score if tag is None or c.method == "value" else c.score + (0.02 if tag in said else -0.03)
    return [Candidate(c.start, c.end, c.column, round(score(c), 3), c.method, c.phrase, c.value) for c in candidates]


_LOG_WORDS = frozenset("log logs logged ln logarithm logarithmic".split())


def unlogged(candidates: list[Candidate], tokens: list[Token], index: ColumnIndex) -> list[Candidate]:
    """Where a table has both ``price`` and ``lprice`` (its log, as econometric tables name it), words that
    spell the log's name mean the number itself unless the question says "log" or names ``lprice`` as written:
    "living area" is ``area``, not ``larea``."""
    if not index.log_of or any(t.lower in _LOG_WORDS for t in tokens):
        return candidates
    return [Candidate(c.start, c.end, index.log_of[c.column], c.score, c.method, c.phrase, c.value)
            if c.column in index.log_of and c.method not in ("exact", "normalized", "value") else c for c in candidates]


_AVERAGED = frozenset("average avg mean median total sum".split())


def numbers_after_an_aggregate(candidates: list[Candidate], tokens: list[Token],
                                index: ColumnIndex) -> list[Candidate]:
    """ "average rating" where both ``MPAA_Rating`` (codes) and ``Audience_Rating`` (numbers) end in the word:
    an average or total is of a number, so a loose match of a column of text there gives way to a number's."""
    out = []
    for c in candidates:
        col = index.get(c.column)
        if c.method in ("partial", "related", "fuzzy", "synonym") and c.start > 0 and \
                tokens[c.start - 1].lower in _AVERAGED and col is not None and not col.numeric and any(
                    (o.start, o.end) == (c.start, c.end) and o.method != "value" and
                    (n := index.get(o.column)) is not None and n.measure for o in candidates):
            c = Candidate(c.start, c.end, c.column, round(c.score - 0.1, 3), c.method, c.phrase, c.value)
        out.append(c)
    return out


def literal_before_synonym(candidates: list[Candidate], tokens: list[Token],
                            index: ColumnIndex) -> list[Candidate]:
    """ "per segment" with ``category`` (a synonym) and ``customer_segment`` (the word itself, its head): the
    name that holds the very word said comes first."""
    out = []
    for c in candidates:
        col = index.get(c.column)
        rivals = [o for o in candidates if (o.start, o.end) == (c.start, c.end) and o.method == "synonym"
                  and o.score >= c.score and (r := index.get(o.column)) is not None and not r.numeric]
        if c.length == 1 and c.method == "partial" and col is not None and not col.numeric and \
                tokens[c.start].lemma == col.head and rivals:  # two categories, one of them the word itself
            best = max(o.score for o in rivals)
            c = Candidate(c.start, c.end, c.column, round(best + 0.01, 3), c.method, c.phrase, c.value)
        out.append(c)
    return out


def superlative_of_a_named(c: Candidate, candidates: list[Candidate], tokens: list[Token]) -> bool:
    """ "the hottest temperature of each month": a superlative before a word that names the same column says
    which end of it (the max), it names no column itself; "the coldest nights" (nights name no column) does."""
    return c.method == "related" and c.length == 1 and degree(tokens[c.start].lower) == "superlative" and any(
        o.start == c.end and o.column == c.column for o in candidates)


def degree_of_another(c: Candidate, candidates: list[Candidate], tokens: list[Token], index: ColumnIndex) -> bool:
    """ "the 10 days with the lowest close", "the highest average volume", "is volume higher when …": a
    comparative or superlative of a plain word of size (high, low, large …) orders or compares the measure the
    question names; it names no ``High`` or ``Low`` column of its own. Said alone ("the days with the lowest"),
    or as the word itself ("the yearly high"), it still does."""
    word = tokens[c.start].lower
    if c.length != 1 or c.method in ("exact", "normalized", "value") or degree(word) is None or \
            tokens[c.start].lemma not in vocabulary().cues["size_adjectives"]:
        return False
    return any(o.column != c.column and o.method != "value" and not (o.start <= c.start < o.end)
               and (col := index.get(o.column)) is not None and col.measure for o in candidates)


def glossed(chosen: list[Candidate], tokens: list[Token], text: str) -> list[Candidate]:
    """Loose matches that a bracket right after them says in a column's own words: in "house size (sq ft)", the
    size is ``sqrft``, not the ``lotsize`` that "size" matched loosely."""
    out = []
    for c in chosen:
        if c.method not in LOOSE | {"synonym"} or not text:
            continue
        gloss = next((o for o in chosen if o.start == c.end and o.method not in LOOSE | {"value"}), None)
        if gloss is not None and text[tokens[c.end - 1].end:tokens[gloss.start].start].strip() == "(":
            out.append(c)
    return out


def listed_values(chosen: list[Candidate], tokens: list[Token], text: str) -> list[Candidate]:
    """A list in brackets right after a column named in its own words gives that column's values: in "seat belt
    law (none, primary, secondary)" the items are kinds of ``seatbelt``, not the ``slnone`` and ``sbsecon`` flags
    that their words spell loosely."""
    out = []
    for c in chosen:
        if c.method in LOOSE | {"value", "synonym"} or not text or c.end >= len(tokens):
            continue
        opened = text.find("(", tokens[c.end - 1].end)
        closed = text.find(")", opened)
        between = text[tokens[c.end - 1].end:opened] if opened > 0 else ""
        if opened < 0 or closed < 0 or len(between.split()) > 1 or not re.fullmatch(r"[\sA-Za-z-]*", between):
            continue  # "seat belt law (": one word (the head noun) at most between the column and the bracket
        if len(list_items(text[opened + 1:closed])) < 2:
            continue
        out += [o for o in chosen if o.column != c.column and o.method not in ("exact", "normalized", "lemma", "value")
                and tokens[o.start].start > opened and tokens[o.end - 1].end <= closed]
    return out


_KIND_WORDS = frozenset("type kind class category group sort".split())


def absorbed(chosen: list[Candidate], tokens: list[Token], index: ColumnIndex,
              settings: MatchSettings) -> list[Candidate]:
    """One-word matches that only finish a neighbour's name: in "customer email addresses", "addresses" is
    part of "email address" (the email column the neighbour found), not the address column."""
    out = []
    for word in chosen:
        if word.length != 1 or word.method == "value":
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
            col = index.get(other.column)
            if other.length == 1 and tokens[other.start].lemma in index.entity:
                continue  # "loan amounts" on a loans table: the loan names the rows, the amounts are a column
            if word.method in ("exact", "normalized") and col is not None and col.numeric:
                continue  # "best selling category": the category column itself; a quantity has no kinds to name
            # a word that names a column itself is no filler of the neighbour's name ("firm value": the value
            # column), except a kind word after a category ("engine type": the engine column's types)
            names = index.words - _KIND_WORDS
            if col is not None and score_phrase(pair, col, settings, names=names)[0] >= settings.min_score:
                out.append(word)
                break
    return out


def modifies_a_column(c: Candidate, chosen: list[Candidate], tokens: list[Token], index: ColumnIndex) -> bool:
    """ "flight distances", "customer emails": a word naming the rows, right before another column's name,
    only says whose the other column is."""
    col = index.get(c.column)
    titled = col is not None and tokens[c.start].lemma in col.titled
    if titled and c.length == 1 and c.end < len(tokens) and is_noun(tokens[c.end].lower) and \
            tokens[c.end].start - tokens[c.start].end <= 1:
        return True  # "NYC airports" on nyc_flights.csv: the file's word qualifies the noun after it, not flights
    if c.length != 1 or c.method == "value" or tokens[c.start].lemma not in index.entity:
        return False
    if c.method in ("exact", "normalized", "lemma") and col is not None and col.profile.dtype.startswith("float"):
        return False  # "wage men vs women" on wages.csv: the wage itself
    return any(o.start == c.end and o.method != "value" and o.column != c.column and
               tokens[o.start].start - tokens[c.end - 1].end <= 1 for o in chosen)  # not across "salary: financial"


def participle_of(c: Candidate, chosen: list[Candidate], tokens: list[Token], index: ColumnIndex) -> bool:
    """ "minutes played", "miles driven", "hours worked": a verb's participle right after a quantity's name says
    how that quantity was counted; it names no other quantity ("played" is only loosely ``games``). "districts
    won by each candidate" (a category, then its winner) keeps both."""
    word = tokens[c.start].lower

    def measured(name: str) -> bool:
        return (col := index.get(name)) is not None and col.measure

    return c.length == 1 and c.method in ("related", "partial", "fuzzy", "synonym") and verb_only(word) and \
        word != tokens[c.start].lemma and measured(c.column) and any(
            o.end == c.start and o.method != "value" and o.column != c.column and measured(o.column) for o in chosen)
