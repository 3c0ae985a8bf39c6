"""Run-together names made of shortened words, read against the question's words.

Statistical tables often name a column by gluing the beginnings or consonants of its words together:
``totfatrte`` (total fatality rate), ``nghtfatpvm`` (night fatalities per vehicle mile), ``rpcpersinc`` (real
per capita personal income), ``consprod`` (consumer products), ``pcsalary`` (percent change in salary), ``roe``
(return on equity). A question says the words in full. :func:`compound_score` splits such a name into pieces,
one per word said, in order, each piece a shortening of its word: the word, its beginning ("fat" in
"fatality"), its first letter and some of the rest ("nght" in "night", "rte" in "rate", "wknd" in "weekend"),
its initial, a short form from ``data/vocabulary.yaml`` ("lbs" for pounds), or the beginning of a synonym
there ("deaths" reads ``fat``, fatalities). A qualifier at the start (``tot``, ``avg``) or a unit at the end
(``lbs``) may go unsaid; small words and numbers said may have no piece; an aggregate asked ("avg", "total")
is a piece only as the name's leading qualifier.
"""

from __future__ import annotations

from functools import lru_cache

from .lexicon import is_noun, lemmas
from .vocabulary import vocabulary

_MAX_FORMS = 12


@lru_cache(maxsize=4096)
def _forms(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a piece of a name may shorten: (the word, its lemmas and singular, its short forms), and (its
    synonyms in ``data/vocabulary.yaml``: "deaths" → fatalities), which only pieces of 3+ letters may stand for."""
    voc = vocabulary()
    own = [word, *sorted(lemmas(word))]
    if word.endswith("s") and len(word) > 3:
        own.append(word[:-1])
    own += [s for s in voc.short_forms([word]) if " " not in s]
    own = list(dict.fromkeys(w for w in own if w.isalnum()))
    others = [w for w in voc.synonyms_of(word) if w.isalnum() and w not in own]
    return tuple(own), tuple(others[:_MAX_FORMS])


def _shortens(piece: str, form: str, *, letters: bool = True) -> bool:
    """Is ``piece`` a shortening of ``form``: the whole, its beginning, its initial, or (``letters``) 3+ of its
    letters in order starting with the first ("nght" night, "rte" rate, "execs" executions)?"""
    if not piece or piece[0] != form[0]:
        return False
    if form.startswith(piece):
        return True
    if len(piece) < 3 or not letters:
        return False
    it = iter(form)
    # its letters in order, and its consonants the word's first ones: "rte" is rate, not r-e-l-a-t-e-d
    return all(ch in it for ch in piece) and _skeleton(form).startswith(_skeleton(piece))


def _skeleton(word: str) -> str:
    return word[:1] + "".join(ch for ch in word[1:] if ch not in "aeiouy")


@lru_cache(maxsize=1)
def droppable_starts() -> tuple[str, ...]:
    """Qualifiers a name may carry unsaid at its start: "tot", "total", "avg", "mean" …"""
    voc = vocabulary()
    out = set(voc.qualifiers)
    for short in voc.abbreviation_keys:
        if any(e in voc.qualifiers for e in voc.expansions(short)):
            out.add(short)
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=1)
def aggregate_words() -> frozenset[str]:
    """Words that ask for an aggregate ("avg", "total", "mean"): a piece of a name only as its leading qualifier."""
    return frozenset(w for w, agg in vocabulary().cues["aggregate_words"].items() if " " not in str(w)
                     and agg != "count")  # not "number", "count": names say them (dno = department number)


def compound_score(words: list[str], name: str, *, glued: bool = False) -> float:
    """How well the words said spell a run-together name (:func:`_spelled`); failing that, for a ``glued`` name
    (one word, no separators), all of it but a short unsaid part at its start or end, somewhat less sure
    ("news" → tvnews, "distance" → distvct): the words are nouns spelling 4+ letters with pieces of 3+, the part
    left is at most 3 letters at the start, 4 at the end, and no longer than what they spell; in a name of five
    letters, the four said are a shortening, not the word itself."""
    whole = _spelled(words, name)
    if whole or not glued or len(name) < 5 or not all(is_noun(w) for w in words if w not in vocabulary().stopwords):
        return whole
    parts = [name[cut:] for cut in range(1, 4)] + [name[:-cut] for cut in range(1, 5)]
    if len(name) < 6:  # a letter and a whole word of four ("ehead"): too short to be sure; "wght" (weight) is read
        parts = [p for p in parts if p not in {form for w in words for form in _forms(w)[0]}]
    return round(max(((UNSAID_PART - 0.02 * (len(name) - len(part))) * _spelled(words, part, unsaid=True)
                      for part in parts if len(part) >= max(4, len(name) - len(part))), default=0.0), 3)


UNSAID_PART = 0.92  # less 0.02 a letter unsaid: "weight" is bwght (b unsaid) before lbwght (lb)


def _spelled(words: list[str], name: str, *, unsaid: bool = False) -> float:
    """How well the words said spell a run-together name, 0 for not at all: 1.0 when every piece is said, less
    for each qualifier or unit of the name left unsaid and each small word with no piece. The last word said
    needs a piece of 3+ letters ("real GDP over time" is not realgovt), unless the name is the initials of
    three or more words in a row ("return on equity" → roe); a small word is at most an initial."""
    voc = vocabulary()
    if len(name) < 3 or not name.isalnum() or not words:
        return 0.0
    asks = [w in aggregate_words() for w in words]  # only a qualifier piece at the start: "total" → tot, "avg" ↛ a
    starts = frozenset(droppable_starts())
    optional = [w in voc.stopwords or w.isdigit() or w == "per" for w in words]
    if (optional[0] and words[0] != "per") or optional[-1]:  # "per capita income" → pcinc
        return 0.0
    forms = [_forms(w) if not optional[k] else ((w,), ()) for k, w in enumerate(words)]
    if len(words) == 1 and len(name) >= 4 and name.endswith("s") and words[0].endswith("s") and \
            any(f.startswith(name[:-1]) and len(f) > len(name) for f in forms[0][0]):
        return 0.92  # "executions" → execs: a plural said short
    units = voc.units

    @lru_cache(maxsize=None)
    def walk(i: int, pos: int, pieces: int, longs: int, skips: int, last: int, loose: bool, initials: bool) -> float:
        """Spell ``name[pos:]`` with ``words[i:]``: ``pieces`` so far, ``longs`` of them 3+ letters, ``skips``
        unsaid qualifiers/units and skipped small words, ``last`` the length of the piece of the last word,
        ``loose`` whether a synonym was read, ``initials`` whether a word said was read by its initial alone."""
        if pos == len(name):
            if any(not optional[k] for k in range(i, len(words))) or (loose and initials):
                return 0.0  # "level pays" is no l(og) wage: a synonym and a bare initial together are too loose
            initialism = pieces >= 3 and longs == 0 and pieces == len(name) and not skips
            if initialism or (longs and last >= 3 and (pieces >= 2 or skips)):
                return max(0.0, 1.0 - 0.03 * skips)
            return 0.0
        found = 0.0
        if i < len(words):
            own, others = forms[i]
            for form, own_form in [*((f, True) for f in own), *((f, False) for f in others)]:
                longest = 1 if optional[i] else min(len(name) - pos, len(form))  # "on" of "return on equity": o
                # a synonym's piece, or any piece beside an unsaid part: its beginning, 3+ letters
                for n in range(longest, 0 if own_form and not unsaid else 2, -1):
                    if asks[i] and (pos or name[:n] not in starts):
                        continue  # "avg temperature" is no a(vg)temp: an aggregate asked, not a name's piece
                    if _shortens(name[pos:pos + n], form, letters=own_form):
                        found = max(found, walk(i + 1, pos + n, pieces + 1, longs + (n >= 3), skips, n,
                                                loose or not own_form, initials or (n == 1 and not optional[i])))
                        if found == 1.0:
                            return found
            if optional[i]:
                found = max(found, walk(i + 1, pos, pieces, longs, skips + 1, last, loose, initials))
        if pos == 0:
            for start in droppable_starts():
                if name.startswith(start) and len(start) < len(name):
                    found = max(found, walk(i, len(start), pieces, longs, skips + 1, last, loose, initials))
        elif i == len(words) and len(name) - pos >= 2 and name[pos:] in units:
            found = max(found, walk(i, len(name), pieces, longs, skips + 1, 3, loose, initials))
        return found

    return walk(0, 0, 0, 0, int(unsaid), 0, False, False)
