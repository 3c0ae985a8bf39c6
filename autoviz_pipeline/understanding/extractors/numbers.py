"""Numbers that filter or limit: "over 100", "2 or higher", "between 5 and 9", "IDs 3, 8 or 10", "class 2",
"houses with 4 bedrooms"; and "top 5", "the 3 lowest", "which 10 countries".

A comparison filters the number column named next to it (just before, else just after). Words a period
already read are skipped, so "since 1990" is a date and "price over 1990" a price.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...contracts import FilterSpec
from ..columns import ColumnForms
from ..grounding import best_column_for
from ..lexicon import degree, lemmas, value_key
from ..reading import Context, Ranking, SaidFilter
from ..vocabulary import vocabulary

# a number as written: "1,200", "$60k", "2.5 million", "$1.2m" (an "m" alone is a million only after "$": "5 m" is metres)
_NUM = (r"(?P<n>-?(?:\$\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|mn|bn)\b)?|\d[\d,]*(?:\.\d+)?(?:k\b|bn\b)?)"
        r"(?:\s(?:thousand|million|billion)\b)?)")
_UNIT = r"(?:\s*(?:%|percent|k\b|m\b|bn\b))?"
COMPARISONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), op)
    for pattern, op in (
        # number first: "2 or higher", "19 and older", "1020 or lower", "5+"
        (rf"{_NUM}{_UNIT}\s*(?:\+|(?:or|and)\s+(?:higher|more|greater|above|over|later|after|older|larger|up|"
         r"beyond|bigger|longer|heavier))", "gte"),
        (rf"{_NUM}{_UNIT}\s+(?:or|and)\s+(?:lower|less|fewer|below|under|smaller|earlier|before|younger|shorter|"
         r"lighter)", "lte"),
        # cue first: "at least 5", "no more than 3", "over 100", "before 2010"
        (rf"\b(?:at least|no less than|not less than|minimum of|a minimum of|on or after|starting at|"
         rf"(?:greater|more|higher|larger) than or equal to|>=|≥)\s*(?:the\s+year\s+|year\s+)?{_NUM}", "gte"),
        (rf"\b(?:at most|no more than|not more than|up to|maximum of|a maximum of|on or before|"
         rf"not exceeding|(?:less|fewer|lower|smaller) than or equal to|<=|≤)\s*(?:the\s+year\s+|year\s+)?{_NUM}",
         "lte"),
        (rf"(?:\b(?:(?:more|greater|higher|larger|bigger|later|older|longer|heavier|taller|above|over) than|"
         rf"over|above|exceed|exceeding|exceeds|exceeded|after|beyond|past|topped|tops|"
         r"top(?=\s+\$?\d[\d,]*(?:\.\d+\s*|\s*)(?:thousand|million|billion|k|m|bn)\b)"
         rf")|>)\s*(?:the\s+year\s+|year\s+)?{_NUM}",
         "gt"),
        (rf"(?:\b(?:(?:less|fewer|lower|smaller|earlier|younger|shorter|lighter|below|under) than|under|below|"
         rf"before|prior to)|<)\s*(?:the\s+year\s+|year\s+)?{_NUM}", "lt"),
        # any comparative, with the number first ("95°F or hotter", "13% or stronger") or after ("stronger than
        # 13%", "colder than -5"): greater, or less for a low pole ("cheaper", "lighter"); ``cmp`` reads the word
        (rf"{_NUM}{_UNIT}(?:\s*°\s*[cf]?|\s+degrees?(?:\s+[cf]\b)?)?\s+(?:or|and)\s+(?P<w>[a-z]+er)\b", "cmp="),
        (rf"\b(?P<w>[a-z]+er)\s+than\s*{_NUM}", "cmp"),
    )
)


def comparative_op(word: str, op: str) -> str | None:
    """The comparison a comparative adjective says: "hotter" → gt, "cheaper" → lt (gte, lte for ``op`` "cmp=");
    None for a word that is no comparative of a quantity ("other", "better")."""
    forms = lemmas(word) - {word}
    if not (degree(word) == "comparative" or any(word.startswith(f[:max(3, len(f) - 1)]) for f in forms)) or \
            not any(word.startswith(f[:3]) for f in forms):
        return None  # "better" (good), "other", "number"
    low = bool(forms & set(vocabulary().cues["low_pole_adjectives"]))
    return ("lt" if low else "gt") + ("e" if op == "cmp=" else "")


# "IDs of 3, 8, or 10", "stores 6 and 4": a list of numbers names values of a key column
_NUMBER_LIST = re.compile(r"(?<![\d.,$])\d+(?:\s*,\s*\d+)*,?\s+(?:or|and)\s+\d+\b(?![.,]\d)(?!\s*(?:%|percent))")
RANGE = re.compile(
    r"\b(?:between|from|within(?: the range(?: of)?)?|in the range(?: of)?|ranging from)\s+"
    + _NUM.replace("?P<n>", "?P<a>") + r"\s*(?:%|percent)?\s*(?:and|to|-|–)\s*" + _NUM.replace("?P<n>", "?P<b>")
)
_TOP = re.compile(r"\b(?:(?P<word>top|bottom|best|worst|highest|lowest)|(?P<edge>first|last))\s+(?P<n>\d{1,3}|"
                  r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\b"
                  r"(?(edge)(?!\s*(?:day|week|month|quarter|year|hour|decade)s?\b))(?!\s*%)"
                  r"(?![.,]\d|\s*(?:thousand|million|billion|k|m|bn)\b)")  # "top 2.4 million": a verb, "exceed"
_N_SUPERLATIVE = re.compile(r"\b(?:the\s+)?(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve|"
                            r"fifteen|twenty)\s+(?P<word>[a-z]+est|most|least|highest|lowest|best|worst|biggest|"
                            r"largest|smallest|fewest)\b")
_WHICH_N = re.compile(r"(?:^\W*|\b(?:which|what|the|show|list|plot|chart|graph|give|find|get|name|me)\s+)(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve|"
                      r"fifteen|twenty)(?=\s+[a-z]+)")
_LOW_WORDS = ("bottom", "worst", "lowest", "least", "fewest", "smallest")


_EQUATION = re.compile(r"(?<![\w.])(?P<col>[a-z_][\w.]*)\s*(?P<op>==|=|!=|≠)\s*(?P<val>-?\d+(?:\.\d+)?(?![\w.])|"
                       r"[a-z][\w-]*)", re.IGNORECASE)


def _equations(ctx: Context) -> list[SaidFilter]:
    """ "bac08 = 1", "Region != North": a column's own name, an equals sign and one of its values, as analysts
    write filters."""
    out = []
    for m in _EQUATION.finditer(ctx.question):
        col = next((c for c in ctx.index.columns if c.name.lower() == m.group("col").lower()), None)
        if col is None:
            continue
        said = m.group("val")
        value: str | float | int | None = None
        if re.fullmatch(r"-?\d+(?:\.\d+)?", said) and isinstance(col.profile.min, (int, float)):
            number_said = number(said)
            value = number_said if col.profile.min <= number_said <= col.profile.max else None
        else:
            value = col.values.get(value_key(said))
        if value is None:
            continue
        start, end = _span(ctx, m)
        if not ctx.free(start, end):
            continue
        op = "neq" if m.group("op") in ("!=", "≠") else "eq"
        out.append(SaidFilter(filter=FilterSpec(column=col.name, op=op, value=value), start=start, end=end,
                              source="number"))
        ctx.consumed.append((start, end))
    return out


def extract(ctx: Context) -> list[SaidFilter]:
    out: list[SaidFilter] = _equations(ctx)
    index = ctx.index
    ranged = [(m.position or 0, m.column) for m in ctx.column_matches()
              if (c := index.get(m.column)) is not None and (c.numeric or c.bands)]
    lower = ctx.lower
    for m in RANGE.finditer(lower):
        start, end = _span(ctx, m)
        if not ctx.free(start, end):
            continue
        column = _nearest(ctx, start, end, ranged)
        if column:
            lo, hi = number(m.group("a")), number(m.group("b"))
            end = _past_unit(ctx, end, ranged)
            spec = _in_bands(index.get(column), FilterSpec(column=column, op="range", values=[min(lo, hi), max(lo, hi)]))
            out.append(SaidFilter(filter=spec, start=start, end=end, source="number"))
            ctx.consumed.append((start, end))
    keyed = [(pos, c) for pos, c in ((m.position or 0, m.column) for m in ctx.column_matches())
             if (col := index.get(c)) is not None and col.role in ("identifier", "numeric", "categorical")
             and (col.role == "numeric" or col.profile.dtype.startswith(("int", "uint", "float")))]
    for m in _NUMBER_LIST.finditer(lower):
        start, end = _span(ctx, m)
        if not ctx.free(start, end):
            continue
        column = _nearest(ctx, start, end, keyed)
        if column and not any(f.filter.column == column for f in out):
            values = [number(v) for v in re.findall(r"-?\d[\d,]*(?:\.\d+)?", m.group(0))]
            out.append(SaidFilter(filter=FilterSpec(column=column, op="in", values=list(dict.fromkeys(values))),
                                  start=start, end=end, source="number"))
            ctx.consumed.append((start, end))
    out += _moves(ctx, ranged)
    for regex, op in COMPARISONS:
        for m in regex.finditer(lower):
            start, end = _span(ctx, m)
            if not ctx.free(start, end):
                continue
            value = number(m.group("n"))
            said_op = comparative_op(m.group("w"), op) if op.startswith("cmp") else op
            if said_op is None:
                continue
            percent = bool(re.match(r"\s*(?:%|percent\b|per cent\b)", lower[m.end():]))
            column = _people_number(ctx, start, end, value) or \
                _nearest(ctx, start, end, ranged, value, percent=percent) or _duration_said(ctx, end) or \
                _only_measure(ctx, value)
            if "$" in m.group("n") and (column is None or not _within(ctx, column, value)):
                # "houses that sold for more than $150,000": the price; "$300k" on prices in $1000s: 300
                column, value = _money(ctx, value, column) or (column, value)
            if column:
                said_unit = ctx.tokens[end].lower if end < len(ctx.tokens) else ""
                end = _past_unit(ctx, end, ranged)
                value = _in_column_unit(ctx, column, value, said_unit)
                spec = _year_of_time(ctx, column, said_op, value) or _in_bands(
                    index.get(column), FilterSpec(column=column, op=said_op, value=value))
                out.append(SaidFilter(filter=spec, start=start, end=end, source="period" if spec.column != column
                                      else "number"))
                ctx.consumed.append((start, end))
    out += _fractions(ctx, ranged)
    out += _freezing(ctx, ranged)
    out += _coded_values(ctx)
    out += _signs(ctx)
    return out


@lru_cache(maxsize=1)
def _move() -> re.Pattern[str]:
    verbs = "|".join(sorted(vocabulary().cues["move_verbs"], key=len, reverse=True))
    return re.compile(rf"\b(?P<verb>{verbs})\s+(?:by\s+)?(?:more than|over|at least)\s+"
                      r"(?P<n>\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)")


def _moves(ctx: Context, ranged: list[tuple[int, str]]) -> list[SaidFilter]:
    """ "days the Dow dropped more than 2%", "weeks it rose by over 5%": a move beyond a percent, on the change or
    return column (one that holds both signs): below -2 on percentages, below -0.02 on fractions (within ±1)."""
    out = []
    cues = vocabulary().cues
    signed = [c for c in ctx.index.columns if c.measure and isinstance(c.profile.min, (int, float))
              and isinstance(c.profile.max, (int, float)) and c.profile.min < 0 < c.profile.max]
    for m in _move().finditer(ctx.lower):
        start, end = _span(ctx, m)
        if not ctx.free(start, end):
            continue
        named = _nearest(ctx, start, end, [(pos, c) for pos, c in ranged if any(s.name == c for s in signed)])
        changes = [c.name for c in signed if set(c.words) & set(cues["change_words"])]
        column = named or (changes[0] if len(changes) == 1 else None)
        if column is None:
            continue
        col = ctx.index.get(column)
        size = float(m.group("n")) / (100 if max(abs(col.profile.min), abs(col.profile.max)) <= 1 else 1)
        op = cues["move_verbs"][m.group("verb")]
        value = round(-size if op == "lt" else size, 6)
        said = int(value) if value.is_integer() else value
        out.append(SaidFilter(filter=FilterSpec(column=column, op=op, value=said), start=start, end=end, source="number"))
        ctx.consumed.append((start, end))
    return out


_FREEZING = re.compile(r"\b(?P<op>below|under|above|over)\s+(?:the\s+)?freezing(?:\s+point)?\b")


def _freezing(ctx: Context, ranged: list[tuple[int, str]]) -> list[SaidFilter]:
    """ "days with a low below freezing": a temperature under 0 °C, or 32 °F where the column is in Fahrenheit (its
    name says so, or its values pass 50, which no daily temperature in Celsius does)."""
    out = []
    for m in _FREEZING.finditer(ctx.lower):
        start, end = _span(ctx, m)
        if not ctx.free(start, end):
            continue
        temperatures = [(pos, c) for pos, c in ranged if (col := ctx.index.get(c)) is not None and _a_temperature(col)]
        column = _nearest(ctx, start, end, temperatures)
        if column is None:
            named = {c for _, c in temperatures} or {c.name for c in ctx.index.columns if _a_temperature(c)}
            column = next(iter(named)) if len(named) == 1 else None
        if column is None:
            continue
        col = ctx.index.get(column)
        fahrenheit = bool({"f", "fahrenheit", "degf"} & set(col.words)) or (
            not {"c", "celsius", "degc"} & set(col.words) and isinstance(col.profile.max, (int, float))
            and col.profile.max > 50)
        op = "lt" if m.group("op") in ("below", "under") else "gt"
        out.append(SaidFilter(filter=FilterSpec(column=column, op=op, value=32 if fahrenheit else 0), start=start,
                              end=end, source="number"))
        ctx.consumed.append((start, end))
    return out


def _a_temperature(col: ColumnForms) -> bool:
    return col.measure and any("temperature" in e.split() for e in col.expanded | set(col.core))


_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
              "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75, "a fifth": 0.2, "one fifth": 0.2,
              "a tenth": 0.1, "one tenth": 0.1}
_FRACTION = re.compile(r"\b(?P<op>more than|over|above|at least|less than|under|below|at most|fewer than)\s+"
                       r"(?P<f>" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b")
_FRACTION_OPS = {"more than": "gt", "over": "gt", "above": "gt", "at least": "gte", "less than": "lt", "under": "lt",
                 "below": "lt", "at most": "lte", "fewer than": "lt"}


def _fractions(ctx: Context, ranged: list[tuple[int, str]]) -> list[SaidFilter]:
    """ "years when women earned more than half of all business degrees": a fraction compares a share, as a
    percentage (50) on a column of percentages, as itself (0.5) on a column of fractions (0 … 1)."""
    out = []
    for m in _FRACTION.finditer(ctx.lower):
        start, end = _span(ctx, m)
        if not ctx.free(start, end):
            continue
        fraction = _FRACTIONS[m.group("f")]
        shares = [(pos, c) for pos, c in ranged if (col := ctx.index.get(c)) is not None and col.measure
                  and isinstance(col.profile.min, (int, float)) and 0 <= col.profile.min and col.profile.max <= 100]
        column = _nearest(ctx, start, end, shares)
        if column is None:
            continue
        value = round(fraction if ctx.index.get(column).profile.max <= 1 else fraction * 100, 6)
        out.append(SaidFilter(filter=FilterSpec(column=column, op=_FRACTION_OPS[m.group("op")], value=value),
                              start=start, end=end, source="number"))
        ctx.consumed.append((start, end))
    return out


@lru_cache(maxsize=1)
def _sign_after() -> re.Pattern[str]:
    cues = vocabulary().cues
    signs = "|".join(re.escape(w) for w in cues["sign_words"])
    verbs = "|".join(re.escape(w) for w in cues["sign_verbs"])
    return re.compile(rf"\s*(?:is|was|were|are|being)\s+(?P<sign>{signs})\b|\s+(?P<verb>{verbs})\b")


def _signs(ctx: Context) -> list[SaidFilter]:
    """ "negative pcsalary", "returns were positive", "in the quarters when production fell": the sign of a
    number column that holds both (a change, a return), as a filter at zero."""
    out = []
    tokens = ctx.tokens
    cues = vocabulary().cues
    for m in ctx.column_matches():
        col = ctx.index.get(m.column)
        if col is None or not col.numeric or not isinstance(col.profile.min, (int, float)) or \
                not col.profile.min < 0 < col.profile.max:
            continue
        start = m.position or 0
        end = start + len(m.phrase.split())
        op, span = None, (start, end)
        before = [t.lower for t in tokens[max(0, start - 2):start]]
        if before and before[-1] in cues["sign_words"]:
            op, span = cues["sign_words"][before[-1]], (start - 1, end)
        elif end < len(tokens) and (said := _sign_after().match(ctx.lower, tokens[end - 1].end)) is not None:
            sign, verb = said.group("sign"), said.group("verb")
            if verb is not None and not set(before) & set(cues["condition_words"]):
                continue  # "how production fell over the years": a change told, not a condition
            op = cues["sign_words"][sign] if sign else cues["sign_verbs"][verb]
            span = (start, ctx.token_at(said.end() - 1) + 1)
        if op is None or not ctx.free(*span):
            continue
        out.append(SaidFilter(filter=FilterSpec(column=col.name, op=op, value=0), start=span[0], end=span[1],
                              source="number"))
        ctx.consumed.append(span)
    return out


def top_n(ctx: Context) -> Ranking | None:
    """ "top 5", "bottom 3", "the 3 lowest", "5 highest", "which 10 countries … the largest" (with a superlative
    later in the question), "top ten". The words are marked read, so no filter takes the number."""
    lower = ctx.lower
    m = _TOP.search(lower)
    if m is None:
        m = _N_SUPERLATIVE.search(lower)
    if m is None:
        which = _WHICH_N.search(lower)
        if which is not None and re.search(r"\b(?:one|which|each|any|all|both|none)\s+of\s+the\s+$",
                                           lower[:which.start("n")]):
            which = None  # "which of the three airports is the windiest": three groups said, one asked for
        superlative = re.search(r"\b(?:[a-z]+est|most|least|fewest|top|bottom|best|worst)\b",
                                lower[which.end():]) if which else None
        if which is None or superlative is None:
            return None
        m, word = which, superlative.group(0)
    else:
        word = m.groupdict().get("word") or m.groupdict().get("edge") or ""
    n = _count(m.group("n"))
    if not 0 < n <= 1000:
        return None
    start, end = _span(ctx, m)
    ctx.consumed.append((start, end))
    order = "ascending" if word in _LOW_WORDS or word in vocabulary().cues["low_pole_adjectives"] or \
        word.rstrip("est") in vocabulary().cues["low_pole_adjectives"] else "descending"
    return Ranking(order=order, limit=n, word=word, at=start)


def _coded_values(ctx: Context) -> list[SaidFilter]:
    """ "class 2 wines", "period 4 elements" (a column, then one of its values); "houses with 4 bedrooms" (a
    value, then its column): the number is a value of a column with few distinct numbers; "state 5", "FIPS 42":
    a value of a column of codes (no measure, no calendar), said right after its name."""
    out = []
    tokens = ctx.tokens
    for m in ctx.column_matches():
        col = ctx.index.get(m.column)
        if col is None or not isinstance(col.profile.min, (int, float)):
            continue
        codes = col.calendar is None and not col.measure and col.role in ("numeric", "identifier")
        if col.profile.distinct > 20 and not codes:
            continue
        pos, length = m.position or 0, len(m.phrase.split())
        # "state 5", "fips 42": a column of many codes takes the number said right after its name
        for at in ((pos + length, pos - 1) if col.profile.distinct <= 20 else (pos + length,)):
            if not 0 <= at < len(tokens) or not tokens[at].text.isdigit() or not ctx.free(at, at + 1):
                continue
            value = int(tokens[at].text)
            before = tokens[at - 1].lower if at > 0 else ""
            if at < pos and before in ("top", "bottom", "first", "last", "than", "least", "most"):
                continue
            if col.profile.min <= value <= col.profile.max and (col.role != "numeric" or col.profile.distinct <= 20
                                                                 or codes):
                out.append(SaidFilter(filter=FilterSpec(column=col.name, op="eq", value=value),
                                      start=min(at, pos), end=max(at + 1, pos + length), source="number"))
                ctx.consumed.append((at, at + 1))
                break
    return out


def _in_column_unit(ctx: Context, column: str, value: float | int, said: str) -> float | int:
    """ "took more than 2 days" on ``resolution_hours``: the number in the column's time unit (48)."""
    amounts = vocabulary().cues["time_amounts"]
    col = ctx.index.get(column)
    units = [w for w in col.words if w in amounts] if col is not None else []
    if said not in amounts or len(units) != 1 or amounts[said] == amounts[units[0]]:
        return value
    converted = round(value * amounts[said] / amounts[units[0]], 6)
    return int(converted) if float(converted).is_integer() else converted


def _year_of_time(ctx: Context, column: str, op: str, value: float | int) -> FilterSpec | None:
    """ "csat trend over 2023": a year no value of the compared column comes near (csat is 1..5) is the year
    of the table's time, not a threshold that would keep nothing."""
    col = ctx.index.get(column)
    if not isinstance(value, int) or not 1800 <= value <= 2100 or col is None or not ctx.index.timelines or \
            not isinstance(col.profile.max, (int, float)) or col.profile.max * 10 >= value or op not in ("gt", "gte"):
        return None
    return FilterSpec(column=ctx.index.timelines[0].name, op="eq", value=value)


def _duration_said(ctx: Context, end: int) -> str | None:
    """ "films longer than 2 hours" with no column named: a number said in a unit of time compares the table's
    one duration (Running_Time_min, in its own unit); none when there are several."""
    unit = ctx.tokens[end].lower if end < len(ctx.tokens) else ""
    after = ctx.tokens[end + 1].lower if end + 1 < len(ctx.tokens) else ""
    durations = ctx.index.durations
    if after in ("ago", "old", "earlier", "later", "before", "after", "back"):
        return None  # "released more than 20 years ago": a time, not a length of time
    return durations[0] if unit in TIME_AMOUNTS and len(durations) == 1 else None


def _only_measure(ctx: Context, value: float) -> str | None:
    """ "readings above 20 °C" with no column named: the one quantity of the table whose values reach that
    far (between its minimum and maximum); none when several could be meant."""
    measures = [c for c in ctx.index.columns if c.measure]
    if len(measures) == 1:
        return measures[0].name
    within = [c.name for c in measures if isinstance(c.profile.min, (int, float)) and
              isinstance(c.profile.max, (int, float)) and c.profile.min <= value <= c.profile.max]
    return within[0] if len(within) == 1 else None


def _span(ctx: Context, m: re.Match[str]) -> tuple[int, int]:
    """The tokens a match covers: from the token at its start to the last token that starts inside it (a
    trailing "%", "," or "?" is no token, so the span never runs past the question's last word)."""
    start = ctx.token_at(m.start())
    return start, max([t.index + 1 for t in ctx.tokens if t.start < m.end()] + [start])


TIME_AMOUNTS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years".split())


def _past_unit(ctx: Context, end: int, numbers: list[tuple[int, str]]) -> int:
    """The end of a compared number with its unit: "more than 10 days", "over 5 kg" (the unit is read with
    the number: "days" names no date column there), unless the word names a number column itself."""
    if end < len(ctx.tokens) and (ctx.tokens[end].lower in vocabulary().units or ctx.tokens[end].lower in
                                  TIME_AMOUNTS) and not any(pos == end for pos, _ in numbers):
        return end + 1
    return end


def _in_bands(col: ColumnForms | None, spec: FilterSpec) -> FilterSpec:
    """A comparison on a column of number bands, as the bands it keeps: "65 or over" → 65-69, …, 100+;
    "under 5" → 0-4; "15 to 64" → 15-19 … 60-64. A number column is compared as it is."""
    if col is None or not col.bands or col.numeric:
        return spec
    v = spec.value
    kept = [value for value, (lo, hi) in col.bands.items() if (
        spec.op in ("gte", "gt") and lo >= v or spec.op == "lte" and hi <= v or spec.op == "lt" and hi < v
        or spec.op == "eq" and lo <= v <= hi
        or spec.op == "range" and lo >= spec.values[0] and hi <= spec.values[1])]
    return FilterSpec(column=spec.column, op="in", values=kept) if kept else spec


def _nearest(ctx: Context, start: int, end: int, mentions: list[tuple[int, str]],
             value: float | None = None, *, percent: bool = False) -> str | None:
    """The column named just before the words start..end ("students aged 19 or older"), else just after
    ("over 100 visitors"); None when no number column is named within a few words. With the ``value`` compared,
    a column whose values reach it goes first: in "murder rate for counties with more than 100,000 people" the
    rate (0 to 30) is no column a hundred thousand can compare; the population is."""
    inside = [c for pos, c in mentions if start <= pos < end]
    before = [c for pos, c in sorted(mentions, reverse=True) if pos < start and start - pos <= 8]
    after = [c for pos, c in sorted(mentions) if pos >= end and pos - end <= 4]
    near = list(dict.fromkeys(inside[:1] + before + after))
    a_year = isinstance(value, int) and 1800 <= value <= 2100 and bool(ctx.index.timelines)  # _year_of_time's
    if value is not None and not a_year and not any(_within(ctx, c, value) for c in near[:1]):
        near = [c for c in near if _within(ctx, c, value)] or near
    if percent and near and not _a_percent(ctx, near[0]):  # "over 20% of residents are black": percblack
        near = [c for c in near if _a_percent(ctx, c)] or near
    return near[0] if near else None


def _money(ctx: Context, value: float, named: str | None) -> tuple[str, float | int] | None:
    """A sum said in dollars that the column named cannot hold: the amount of money (price, income, cost … in
    cues.yaml's money_words) whose values reach it, the named column itself first, one named by that word alone
    next; and, where none does, the sum in thousands or millions of dollars, as tables often keep money
    ("$300k" on prices of 100 to 725: 300; "sales above $10 billion" on sales in millions: 10,000)."""
    money = set(vocabulary().cues["money_words"])

    def rank(c: ColumnForms) -> tuple[bool, bool]:  # the column named, then one named by a money word alone
        return c.name != named, not (len(c.content) == 1 and c.content[0] in money)
    amounts = sorted((c for c in ctx.index.columns if c.measure and set(c.content) & money), key=rank)
    for scale in (1, 1_000, 1_000_000):
        said = value / scale if scale > 1 else value
        said = int(said) if float(said).is_integer() else said
        found = [c for c in amounts if _within(ctx, c.name, said)]
        if found and (len(found) == 1 or rank(found[0]) < rank(found[1])):
            return found[0].name, said
    return None


def _a_percent(ctx: Context, column: str) -> bool:
    col = ctx.index.get(column)
    return col is not None and bool(set(col.words) & set(vocabulary().cues["percent_words"]))


def _people_number(ctx: Context, start: int, end: int, value: float) -> str | None:
    """A number of people or an age, said of people, where no column is named: "counties with more than
    100,000 people" compares the population (the column "population" names), "people under 21" the age."""
    tokens = ctx.tokens
    voc = vocabulary()
    after = tokens[end].lower if end < len(tokens) else ""
    before = tokens[start - 1].lower if start > 0 else ""
    if after and voc.names_people(after) and not any(m.position == end for m in ctx.column_matches()):
        said = "population"
    elif before and voc.names_people(before) and not any(m.position == start - 1 for m in ctx.column_matches()):
        said = "age"
    else:
        return None
    column, score, _ = best_column_for(said, ctx.index.profile, candidates=[
        c.name for c in ctx.index.columns if c.numeric])
    return column if column is not None and score >= 0.8 and _within(ctx, column, value) else None


def _within(ctx: Context, column: str, value: float) -> bool:
    """Do the column's values reach ``value`` (between its minimum and maximum)? True when it cannot tell."""
    col = ctx.index.get(column)
    lo, hi = (col.profile.min, col.profile.max) if col is not None else (None, None)
    if not isinstance(lo, (int, float)) or not isinstance(hi, (int, float)) or col.bands:
        return True
    return lo <= value <= hi


_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


def number(text: str) -> float | int:
    """The value of a number as written: "1,200" → 1200, "$60k" → 60000, "2.5 million" → 2500000."""
    m = re.fullmatch(r"(-?)\$?([\d,]*\.?\d+)\s?([a-z]*)", text.strip().lower())
    if m is None:
        value = float(text.replace(",", "").replace("$", ""))
    else:
        value = float(m.group(2).replace(",", "")) * _SCALES.get(m.group(3), 1.0) * (-1 if m.group(1) else 1)
        value = round(value, 6)
    return int(value) if value.is_integer() else value


def _count(text: str) -> int:
    if text.isdigit():
        return int(text)
    return int(vocabulary().number_words.get(text, "0"))
