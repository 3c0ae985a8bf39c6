"""Chart words: "bar chart", "as a pie", "scatter", "histogram". A word with another everyday meaning
("line", "bar", "area", "box", "point") counts only where it names a chart: before a chart noun ("line
chart"), after "as a"/"in a"/"using" ("as bars"), or closing the request ("…, line"). So "share price",
"line items", "bar staff" and a column named ``line_1`` hold no chart word.
"""

from __future__ import annotations

from functools import lru_cache

from ...contracts import Mark
from ..reading import ChartWord, Context
from ..vocabulary import vocabulary

_INTRO = ("as", "in", "using", "use", "with", "into", "via", "make", "draw", "plot", "show", "want")


@lru_cache(maxsize=1)
def _words() -> list[tuple[list[str], Mark, bool]]:
    cues = vocabulary().cues
    ambiguous = set(cues["ambiguous_chart_words"])
    words = [(str(w).replace("-", " ").split(), mark, str(w) in ambiguous) for w, mark in cues["chart_words"].items()]
    return sorted(words, key=lambda x: -len(x[0]))


def extract(ctx: Context) -> list[ChartWord]:
    nouns = set(vocabulary().cues["chart_nouns"])
    named = {i for m in ctx.column_matches() for i in range(m.position or 0, (m.position or 0) + len(m.phrase.split()))}
    tokens = ctx.tokens
    found: list[ChartWord] = []
    taken: set[int] = set()
    for i in range(len(tokens)):
        for words, mark, ambiguous in _words():
            j = i + len(words)
            if j > len(tokens) or [t.lower for t in tokens[i:j]] != words or taken & set(range(i, j)):
                continue
            before = [t.lower for t in tokens[max(0, i - 3):i]]
            after = tokens[j].lower if j < len(tokens) else ""
            chart_noun = after.rstrip("s") in nouns or after in nouns
            ends_clause = j == len(tokens) or _punctuated(ctx, tokens[j - 1].end)
            introduced = any(w in _INTRO for w in before[-2:])
            # "as dots over time", "using bars": the chart word right after "as"/"using" needs no clause end
            right_after = before[-1:] in (["as"], ["using"]) or before[-2:] in (["as", "a"], ["as", "an"],
                                                                                ["using", "a"])
            set_apart = i > 0 and ctx.question[:tokens[i].start].rstrip()[-1:] in (",", ":", "-", "–", "—", "(")
            lines = words[0] in ("line", "lines", "bar", "bars", "box", "boxes") and (
                (before[-1:] and before[-1] in ("one", "a", "separate", "different", "individual", "two", "three",
                                                "another")) or after in ("per", "for", "each"))
            if ambiguous and not (chart_noun or lines or right_after or (ends_clause and (introduced or set_apart))):
                continue  # "one line per carrier", "separate lines for men and women": a line chart
            if not chart_noun and set(range(i, j)) & named:
                continue  # a column's name ("line one addresses" → line_1)
            found.append(ChartWord(word=" ".join(words), mark=mark, at=i))
            taken.update(range(i, j))
    return sorted(found, key=lambda w: w.at)


def _punctuated(ctx: Context, char: int) -> bool:
    """Does a clause end right after this character (a comma, a full stop, a dash, a question mark)?"""
    rest = ctx.question[char:char + 3].lstrip(" ")
    return rest[:1] in (",", ".", "?", "!", ";", ":", "-", "–", "—", ")") or not rest
