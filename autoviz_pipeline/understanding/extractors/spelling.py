"""Typos in the words that carry the question's structure: "avrage", "histogam", "relashionship", "temperture".

A word is corrected only when it is no English word (lemminflect's lexicon, WordNet), is long enough, and lies
one letter (two in long words) from exactly one word the reading knows: a cue word, or a word of a column's
name. Column names are matched with the same tolerance by the grounding itself; correcting them here too lets
"avg temperture" read as "avg temperature" everywhere (the note says what was read).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from ..columns import ColumnIndex
from ..lexicon import WORD, english_word, known_word
from ..settings import MatchSettings
from ..vocabulary import vocabulary


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    cues = vocabulary().cues
    words: set[str] = set()
    for key in ("chart_words", "aggregate_words", "time_unit_words", "order_words"):
        for phrase in cues[key]:
            words.update(str(phrase).split())
    for phrase in cues["split_cues"] + cues["group_cues"]:
        words.update(str(phrase).split())
    for phrases in cues["task_cues"].values():
        for phrase in phrases:
            words.update(str(phrase).split())
    words.update(cues["chart_nouns"])
    return frozenset(w for w in words if len(w) >= 4 and w.isalpha())


def correct(question: str, index: ColumnIndex, settings: MatchSettings) -> tuple[str, list[str]]:
    """The question with its misspelt cue words corrected, and a note per correction."""
    targets = set(_cue_words())
    for col in index.columns:
        targets.update(w for w in col.words if len(w) >= 4 and w.isalpha())
        targets.update(w for e in col.expanded for w in e.split() if len(w) >= 4)
    notes: list[str] = []
    out, last = [], 0
    variants = vocabulary().raw.get("spelling_variants", {})
    for m in WORD.finditer(question):
        word = m.group(0)
        lower = word.lower()
        if lower in variants:  # "colour" → color: the spelling column names use
            out.append(question[last:m.start()])
            out.append(variants[lower])
            last = m.end()
            continue
        if len(lower) < settings.min_typo_length or not lower.isalpha() or lower in targets or known_word(lower):
            continue
        if len(lower) == settings.min_typo_length:  # "wiat": a short word only with two letters swapped
            close = sorted({t for t in targets if len(t) == len(lower) and t[0] == lower[0] and
                            sorted(t) == sorted(lower) and DamerauLevenshtein.distance(lower, t) == 1})
        else:
            allowed = settings.max_typo_edits_short if len(lower) <= 8 else settings.max_typo_edits_long
            close = sorted({t for t in targets if t[0] == lower[0] and abs(len(t) - len(lower)) <= allowed
                            and DamerauLevenshtein.distance(lower, t, score_cutoff=allowed) <= allowed})
        if len(close) == 1 and not english_word(lower):
            out.append(question[last:m.start()])
            out.append(close[0])
            last = m.end()
            notes.append(f"read {word!r} as {close[0]!r}")
    if last == 0:
        return question, notes
    out.append(question[last:])
    return re.sub(r"\s+", " ", "".join(out)), notes
