"""Cell values said in the question as filters: "in the West" (eq), "Chrome, Firefox and Safari" (in),
"leaving out Chrome and Safari" (not in), "where pressure is missing" (eq None), and 0/1 or yes/no flags
used as adjectives ("married workers", "colonial houses": the flag is true).
"""

from __future__ import annotations

import re

from ...contracts import FilterSpec
from ..columns import ColumnForms
from ..lexicon import degree, is_noun, list_items
from ..reading import Context, SaidFilter
from ..vocabulary import vocabulary
from .structure import against_the_rest

_NEGATIONS = ("excluding", "exclude", "except", "other than", "leaving out", "leave out", "not", "without",
              "besides", "apart from", "aside from", "ignoring", "ignore", "omitting", "non", "but not", "outside")
_LIST_GLUE = {"and", "or", "nor", "&"}
_MISSING_AFTER = re.compile(r"(?:is|are|was|were)\s+(?P<not>not\s+)?(?:missing|empty|blank|null|unknown)\b")
_MISSING_BEFORE = re.compile(r"(?:\bmissing|\bwithout(?:\s+an?)?|\bwith\s+no|^no|\sno)$")
_TRUE = ("1", "true", "yes", "y", "t")
_FALSE = ("0", "false", "no", "n", "f")


def extract(ctx: Context) -> list[SaidFilter]:
    said: dict[tuple[str, bool], list[tuple[str, int, int]]] = {}
    for m in ctx.matches:
        if m.method != "value" or m.value is None:
            continue
        start = m.position or 0
        end = start + len(m.phrase.split())
        if not ctx.free(start, end) or _added_to_all(ctx, start, m.column):
            continue
        said.setdefault((m.column, _negated(ctx, start, m.column)), []).append((m.value, start, end))
    out: list[SaidFilter] = []
    for (column, negated), found in said.items():
        values = list(dict.fromkeys(v for v, _, _ in found))
        start, end = min(s for _, s, _ in found), max(e for _, _, e in found)
        if _examples(ctx, start, end) or _glossed(ctx, start, end, len(found)) or (
                len(values) == 1 and not negated and _contrasted(ctx, start, end)):
            # "by why the term ended (death, resignation, …)", "e-bikes vs classic bikes": its values, grouped
            ctx.examples.append(column)
            continue
        if len(values) == 1:
            spec = FilterSpec(column=column, op="neq" if negated else "eq", value=values[0])
        else:
            spec = FilterSpec(column=column, op="not_in" if negated else "in", values=values)
        out.append(SaidFilter(filter=spec, start=start, end=end, source="value"))
    out += _missing(ctx, taken={f.filter.column for f in out})
    out += _flags(ctx, taken={f.filter.column for f in out})
    out += _sexes(ctx, taken={f.filter.column for f in out})
    return out


def _sexes(ctx: Context, *, taken: set[str]) -> list[SaidFilter]:
    """A 0/1 column named by one sex (``male``, ``female``, ``woman``) and people of a sex said: "female household
    heads" keeps ``male`` = 0, "boys" keeps it 1, "boys vs girls" sets both side by side (grouped by it).
    The words of each sex are in cues.yaml (``sex_words``)."""
    sexes: dict[str, list[str]] = vocabulary().cues["sex_words"]
    of_word = {w: sex for sex, words in sexes.items() for w in words}
    flags = [(c, of_word[c.core[0]]) for c in ctx.index.columns if len(c.core) == 1 and c.core[0] in of_word
             and c.name not in taken and _one_of(c, want=True) is not None]
    if len(flags) != 1:
        return []  # none, or both ``male`` and ``female``: the words name a column each, matched as usual
    col, sex = flags[0]
    named = {i for m in ctx.matches if m.column != col.name
             for i in range(m.position or 0, (m.position or 0) + len(m.phrase.split()))}
    said = [(t.index, of_word[t.lower]) for t in ctx.tokens if t.lower in of_word and t.index not in named
            and ctx.free(t.index, t.index + 1) and not _names_other_columns(ctx, t.lemma, col)]
    if not said:
        return []
    if len({s for _, s in said}) > 1:
        ctx.examples.append(col.name)  # "boys vs girls": both sides, grouped
        return []
    at = said[0][0]
    value = _one_of(col, want=said[0][1] == sex)
    return [SaidFilter(filter=FilterSpec(column=col.name, op="eq", value=value), start=at, end=at + 1, source="value")]


def _names_other_columns(ctx: Context, word: str, flag: ColumnForms) -> bool:
    """ "mothers who smoked" beside ``motheduc`` and ``fatheduc``: the table keeps the parents in columns of their
    own, so the sex flag is someone else's (the baby's). A sex word another column's name begins with or says."""
    voc = vocabulary()
    return any(c is not flag and (c.joined.startswith(word[:4]) or any(voc.synonyms(word, w) for w in c.words))
               for c in ctx.index.columns)


def _one_of(col: ColumnForms, *, want: bool) -> str | int | None:
    """The value of a yes/no column that says yes (``want``) or no: its true/false words, or 1/0 of a number
    column that holds only those two."""
    if col.role == "boolean":
        return _flag_value(_values(col), want=want)
    if col.numeric and col.profile.min == 0 and col.profile.max == 1 and col.profile.distinct == 2:
        return 1 if want else 0
    return None


def _values(col: ColumnForms) -> list[str]:
    return col.profile.values or [t.value for t in col.profile.top_values]


_ETC = re.compile(r"\s*[,;]?\s*(?:\.\.\.|…|etc\b|and so on\b|and the like\b|among others\b)")
_FOR_EXAMPLE = re.compile(r"(?:\be\.?g\.?|\bfor example|\bfor instance|\bsuch as|\blike)\s*[:,]?\s*$")


def _examples(ctx: Context, start: int, end: int) -> bool:
    """Are the values at tokens start..end examples of a column's values ("(death, resignation, retirement...)",
    "e.g. Ford and Fiat, …") rather than the ones to keep? Said by a trailing "...", "etc." after a list, or
    "e.g." / "for example" before one in parentheses."""
    tokens = ctx.tokens
    after = ctx.question[tokens[end - 1].end:]
    before = ctx.question[:tokens[start].start]
    listed = end - start > 1
    return (listed and bool(_ETC.match(after))) or (bool(_FOR_EXAMPLE.search(before)) and "(" in before[-30:])


def _glossed(ctx: Context, start: int, end: int, said: int) -> bool:
    """ "one line for each NYC airport (JFK, LaGuardia, Newark)": a list in brackets after a noun glosses the
    noun's values. When some of its items are no value of the column (LaGuardia for LGA), the list names every
    group the way the writer knows them: grouped by the column, none of its values left out."""
    text, tokens = ctx.question, ctx.tokens
    opened, closed = text.rfind("(", 0, tokens[start].start), text.find(")", tokens[end - 1].end)
    if opened < 1 or closed < 0 or ")" in text[opened:tokens[start].start] or not text[:opened].rstrip()[-1:].isalpha():
        return False
    items = list_items(text[opened + 1:closed])
    return len(items) >= 2 and said < len(items)


_VERSUS = ("vs", "versus", "v")


def _contrasted(ctx: Context, start: int, end: int) -> bool:
    """Is a lone value set against something ("e-bikes vs classic bikes", "classic vs the rest")? The other
    side was not recognised as a value, but it is the same column's: compared, never the one value kept."""
    words = [t.lower for t in ctx.tokens]
    return any(w in _VERSUS for w in words[max(0, start - 2):start] + words[end:end + 2])


def _added_to_all(ctx: Context, start: int, column: str) -> bool:
    """ "across the 50 states and DC": a value added to the column's own name (all of them) keeps them all."""
    if start < 2 or ctx.tokens[start - 1].lower not in ("and", "plus", "&", "including"):
        return False
    return any(m.column == column and (m.position or 0) + len(m.phrase.split()) == start - 1
               and m.phrase.lower().endswith("s") for m in ctx.column_matches())


def _negated(ctx: Context, start: int, column: str) -> bool:
    """Does a negation ("excluding", "other than", "not") govern the value at ``start``, directly or across a
    list of the same column's values ("leaving out Chrome, Firefox and Safari")?"""
    values_at = {m.position for m in ctx.matches if m.method == "value" and m.column == column}
    i = start - 1
    while i >= 0 and (ctx.tokens[i].lower in _LIST_GLUE or i in values_at or
                      any(m.method == "value" and m.column == column and (m.position or 0) <= i <
                          (m.position or 0) + len(m.phrase.split()) for m in ctx.matches)):
        i -= 1
    before = " ".join(t.lower for t in ctx.tokens[max(0, i - 1):i + 1])
    return any(before == n or before.endswith(" " + n) for n in _NEGATIONS)


_WITH_AND_WITHOUT = re.compile(r"\bwith\s+(?:vs\.?|versus|and|or)\s+without$")


def _missing(ctx: Context, *, taken: set[str]) -> list[SaidFilter]:
    """ "readings where pressure is missing", "rows with no discount", "… pressure is not missing": a missing
    (``eq None``) or a present (``neq None``) value of the column just named."""
    out: list[SaidFilter] = []
    tokens = ctx.tokens
    for m in ctx.column_matches():
        if m.column in taken:
            continue
        start = m.position or 0
        end = start + len(m.phrase.split())
        after = " ".join(t.lower for t in tokens[end:end + 3])
        before = " ".join(t.lower for t in tokens[max(0, start - 2):start])
        found = _MISSING_AFTER.match(after)
        if _WITH_AND_WITHOUT.search(" ".join(t.lower for t in tokens[max(0, start - 4):start])):
            continue  # "with vs without diabetes": both sides, split by it (structure.py), nothing missing
        if found or _MISSING_BEFORE.search(before):
            op = "neq" if found and found.group("not") else "eq"
            out.append(SaidFilter(filter=FilterSpec(column=m.column, op=op, value=None), start=start,
                                  end=end + (len(found.group(0).split()) if found else 0), source="missing"))
            taken.add(m.column)
    return out


def _flags(ctx: Context, *, taken: set[str]) -> list[SaidFilter]:
    """A yes/no column used as an adjective or with "only": "married workers", "colonial houses only",
    "weekend inspections", "non-colonial houses". Not when the question splits by it ("by married",
    "married vs single", "colour by weekend")."""
    out: list[SaidFilter] = []
    tokens = ctx.tokens
    if any(degree(t.lower) == "comparative" or t.lower in ("more", "less", "fewer") for t in tokens):
        return out  # "are colonial homes pricier?", "do married workers earn more?": both sides compared
    group_words = {"by", "per", "vs", "versus", "against", "each", "and", "or", "between", "colour", "color"}
    compared: set[str] = set()
    for m in ctx.column_matches():
        col = ctx.index.get(m.column)
        if col is None or col.role != "boolean" or m.column in taken:
            continue
        start = m.position or 0
        end = start + len(m.phrase.split())
        before = tokens[start - 1].lower if start > 0 else ""
        after = tokens[end].lower if end < len(tokens) else ""
        article_after_group = before in ("the", "a", "an", "its", "their") and start > 1 and \
            tokens[start - 2].lower in group_words  # "coloured by the observed flag"
        if before in group_words or article_after_group or after in ("vs", "versus", "or", "and") or \
                after in vocabulary().cues["rate_words"] or not ctx.free(start, end):
            continue  # "default rate": the flag is measured, not kept to its 1s
        if against_the_rest(ctx, start, end) or \
                _WITH_AND_WITHOUT.search(" ".join(t.lower for t in tokens[max(0, start - 4):start])):
            compared.add(m.column)  # "financial firms vs the rest", "arrest rate with and without financial aid"
            continue
        adjective = after.isalpha() and is_noun(after)
        in_place = before in ("in", "the") and (start < 2 or tokens[start - 2].lower in ("in", "from"))  # "in the South"
        if not (adjective or in_place or before == "only" or after == "only" or before == "non"):
            continue
        value = _flag_value(_values(col), want=before != "non")
        if value is not None:
            out.append(SaidFilter(filter=FilterSpec(column=m.column, op="eq", value=value), start=start, end=end,
                                  source="value"))
    # "industrial firms compared with non-industrial ones": both sides of one flag said are compared, not kept
    compared |= {f.filter.column for f in out if any(o.filter.column == f.filter.column and
                                                     o.filter.value != f.filter.value for o in out)}
    return [f for f in out if f.filter.column not in compared]


def _flag_value(values: list[str], *, want: bool) -> str | int | None:
    for v in values:
        if v.strip().lower() in (_TRUE if want else _FALSE):
            return int(v) if v.strip().isdigit() else v
    return None
