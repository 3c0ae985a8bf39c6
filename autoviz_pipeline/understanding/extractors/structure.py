"""The grouping structure: which named columns group ("by region", "for each airline"), which split by
colour ("colored by class", "one line per carrier"), which only count rows ("number of students"), which are
named only to be filtered; and the period unit ("monthly", "by day of the week"), binning and "X vs Y".
"""

from __future__ import annotations

import re

from ...contracts import ColumnMatch, TimeUnit
from ..columns import ColumnForms
from ..lexicon import can_be_verb, is_noun, lemma
from ..matchers import cue_words
from ..reading import ChartWord, Context, Mention, SaidFilter
from ..vocabulary import vocabulary
from .numbers import TIME_AMOUNTS

_BIN_WORDS = re.compile(r"\b(bins?|binned|buckets?|intervals?|(?:groups|ranges|brackets|bands) of \d+)\b")


def mentions(ctx: Context, filters: list[SaidFilter], aggregate: str | None = None) -> list[Mention]:
    """The columns the question names, each with its cue, in question order (values and the words a period
    already read excluded: "the last 7 days" names no axis of days)."""
    cues = vocabulary().cues
    group_cues = set(cues["group_cues"])
    split_cues = [c.split() for c in cues["split_cues"]]
    tokens = ctx.tokens
    out: list[Mention] = []
    in_group = False
    last_end = 0
    period_words = {i for f in filters if f.source == "period" for i in range(f.start, f.end)}
    period_words |= _unit_phrase_words(ctx)
    # the unit of a compared number ("more than 10 days") is read with the number: no date column
    period_words |= {i for f in filters if f.source == "number" for i in range(f.start, f.end)
                     if tokens[i].lower in TIME_AMOUNTS or tokens[i].lower in vocabulary().units}
    for m in ctx.column_matches():
        start = m.position or 0
        end = start + len(m.phrase.split())
        if set(range(start, end)) <= period_words:
            continue
        window = [t.lower for t in tokens[max(0, start - 6):start]]
        if window[-1:] == ["per"] and f"per {m.phrase.lower()}" in cues["rate_phrases"] and \
                m.method in ("partial", "related", "fuzzy"):
            continue  # "alcohol consumption per capita": the rate of the measure before, not aidscapita
        between = _without_rates([t.lower for t in tokens[last_end:start]], cues["rate_phrases"])
        if re.search(r"\b(?:across|over|for|in|of)\s+all(?:\s+the)?(?:\s+\w+)?\s*$", " ".join(window)) and \
                re.search(r"\b(?:in total|total|overall|combined|altogether|sum)\b", ctx.lower) and \
                m.phrase.lower().endswith("s"):
            continue  # "the most murders in total across all years": summed over them, no axis of years
        across = False
        said = " ".join(window)
        if any(window[len(window) - len(c):] == c for c in split_cues if len(c) <= len(window)) or \
                re.search(r"\b(colou?red|split|broken down|stacked|segmented|colou?r(?:-coded)?)\s+by"
                          r"(?:\s+(?:the|a|an|its|their|each))?\s*$", said) or \
                re.search(r"\b(?:colou?r|shade)\s*(?:in\s+)?$", said) or _split_by_a_condition(said) or \
                SPLIT_FOR.search(said):
            cue = "split"  # "one line for men and another for women"
        elif (any(w in group_cues for w in between[-3:]) or _between_groups(tokens, start, end, m.phrase) or (
                in_group and between and set(between) <= {"and", "or", ","}) or _for_each(window)) and \
                not set(between[-2:]) & {"all", "whole", "entire"}:
            cue = "group"  # "by region", "for each airline"; not "across all countries" (all of them, together)
            across = "across" in between[-3:] and not any(w in group_cues - {"across"} for w in between[-3:])
        else:
            cue = "plain"
        col_here = ctx.index.get(m.column)
        if cue == "plain" and col_here is not None and (col_here.role == "boolean" or col_here.profile.distinct == 2) \
                and against_the_rest(ctx, start, end):
            cue = "split"  # "married vs unmarried workers": one colour, one line each
        if cue == "group" and re.search(r"\b(?:one|a|an|each)\s+(?:dot|point|marker|circle|bubble)\s+"
                                        r"(?:per|for(?:\s+each|\s+every)?)\s*$", " ".join(window)):
            cue = "plain"  # "one dot per state": what each point is, no grouping or colour
        in_group = cue in ("group", "split")
        filtered = any(f.filter.column == m.column and f.source in ("number", "missing") for f in filters)
        col = ctx.index.get(m.column)
        if (kinds := _kinds_listed(ctx, m)) is not None:
            regrounded = m.model_copy(update={"column": kinds.name, "alternatives": [m.column]})
            ctx.matches = [regrounded if x is m else x for x in ctx.matches]
            col, m = kinds, regrounded  # "which kind of element (alkali metal, halogen, …)": the kinds listed
        if cue == "group" and col is not None and col.measure and (key := _key_of(ctx, col, m.phrase)) is not None:
            regrounded = m.model_copy(update={"column": key.name, "alternatives": [col.name]})
            ctx.matches = [regrounded if x is m else x for x in ctx.matches]
            col, m = key, regrounded  # "per order": order_id, not order_total
        prefixes = cues["aggregate_prefixes"]
        aggregated = bool(start) and (tokens[start - 1].lower in prefixes or (
            start > 1 and tokens[start - 1].lower == "of" and tokens[start - 2].lower in prefixes))
        trended = end < len(tokens) and tokens[end].lower in ("trend", "trends", "trending", "over")
        # "the most executions" over executions 0..4 (which look like a code): an amount, added up
        aggregated = aggregated or (bool(start) and tokens[start - 1].lower in ("most", "fewest") and col is not None
                                    and col.small_count)
        quantity = col is not None and (col.measure or (col.numeric and (aggregated or trended))  # "average author ID",
                                        or _rate_of_flag(ctx, col, end))  # "csat trend"; "readmission rate": a 0/1's mean
        if cue == "group" and quantity and aggregated and tokens[start - 1].lower != "of" and \
                start > 1 and tokens[start - 2].lower == "by":
            cue = "plain"  # "top 3 states by average alcohol use": the measure ranked by, not a grouping
        elif cue == "group" and quantity and start > 2 and tokens[start - 3].lower == "by" and \
                tokens[start - 2].lower in prefixes and tokens[start - 1].lower not in ("of", "and", "or"):
            cue = "plain"  # "ranked by total dollar volume": a word between the aggregate and the measure
        elif cue == "group" and quantity and _ranked_things_by(ctx, start, out):
            cue = "plain"  # "top 5 cities by median sale price": the measure the cities are ranked by
        if cue == "plain" and quantity and _ordered_by(window):
            cue = "group"  # "avg bp over age", "how does cholesterol change with age": age is the axis
        if cue == "plain" and quantity and _ranked_things(ctx, start, end):
            cue = "group"  # "top 5 ages with the most patients": the ages are ranked, by the patients counted
        counted = _counted(ctx, m.column, m.phrase, start) or (
            cue == "plain" and col is not None and col.role == "temporal" and _names_events(col, m.phrase))
        out.append(Mention(column=m.column, phrase=m.phrase, start=start, end=end, method=m.method,
                           score=m.score, cue=cue, counted=counted,
                           filtered=filtered, quantity=quantity, across=cue == "group" and across))
        last_end = end
    out = _modifiers_dropped(ctx, out)
    return _units_of_measures(ctx, _drop_rate_units(ctx, out) if aggregate in ("mean", "median") else out)


def _modifiers_dropped(ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """ "how is population density distributed": where one quantity's spread is asked, two quantities said back
    to back, one word each with only a space between, that end a noun phrase, are one thing whose head is the
    second; the first (popul) says what the density is of. Not "median sale price" (the phrase goes on), nor
    "hue, coloured by …" (a comma parts them), nor "rows with different height prominences" (no spread asked:
    two columns listed)."""
    tokens = ctx.tokens
    spread = "|".join(re.escape(w) for w in vocabulary().cues["spread_words"])
    if not re.search(rf"\b(?:{spread})\b", ctx.lower):
        return mentions

    def modifier(m: Mention, n: Mention) -> bool:
        if n.start != m.end or not (m.quantity and n.quantity) or m.cue != "plain" or n.cue != "plain" or \
                m.end - m.start != 1 or n.end - n.start != 1 or m.column == n.column:
            return False
        spaced = ctx.question[tokens[m.start].end:tokens[n.start].start].strip() == ""
        after = tokens[n.end].lower if n.end < len(tokens) else ""
        goes_on = is_noun(after) and after not in vocabulary().stopwords and after not in cue_words()  # "… price"
        return spaced and not goes_on

    return [m for i, m in enumerate(mentions) if not (i + 1 < len(mentions) and modifier(m, mentions[i + 1]))]


_RATE_UNITS = TIME_AMOUNTS | {"season", "seasons", "game", "games", "match", "matches", "race", "races"}


def _drop_rate_units(ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """ "avg riders/hour by weather type", "mean riders per hour for each season", "which conference averages
    the most wins per season", "mean employees per store for each chain": with an average asked, a period word
    (or a thing only a number column matched) right after a count and "per"/"/" is the unit the count is averaged
    over (each row is one hour, one season, one store), not a grouping, when the question groups by something
    else. ("points per season for each division", no average: the seasons are the axis.)"""
    tokens, text = ctx.tokens, ctx.question
    others = {m.column for m in mentions if m.cue in ("group", "split")}
    numbers = vocabulary().number_words
    which = {m.column for m in mentions if any(  # "which conference", "compare the four seasons"
        t.lower in ("which", "what", "compare", "comparing") for t in tokens[max(0, m.start - 3):m.start]) or (
        m.start and (tokens[m.start - 1].lower in numbers or tokens[m.start - 1].text.isdigit()))}
    kept = []
    for m in mentions:
        before = tokens[m.start - 1] if m.start else None
        said = before is not None and (before.lower == "per" or text[before.end:tokens[m.start].start].strip() == "/")
        measure_at = m.start - (2 if before is not None and before.lower == "per" else 1)
        col = ctx.index.get(m.column)
        word = tokens[m.start]
        # a period ("per hour"), or a thing said singular that only a number column matched ("employees per
        # store" over nstores, the number of stores): the unit of the average, when something else groups
        unit = (word.lower in _RATE_UNITS and not col.measure if col is not None else False) or \
            (col is not None and col.measure and word.lower == word.lemma and word.lower not in col.words)
        if said and m.end - m.start == 1 and unit and measure_at >= 0 and (others | which) - {m.column} and \
                (_is_measure_word(ctx, mentions, measure_at)):
            ctx.rates.append(m.start)
            continue
        kept.append(m)
    return kept


def _is_measure_word(ctx: Context, mentions: list[Mention], at: int) -> bool:
    """Is the word at ``at`` a count of things that add up over time, "riders", "wins" (a plural noun, named by a
    measured column or by none), not a level such as "win %" ("avg win % per season": per season is the axis)?"""
    word = ctx.tokens[at]
    if word.lower == word.lemma or not word.lower.endswith("s"):
        return False
    return all(m.quantity for m in mentions if m.start <= at < m.end)


_THE_REST = re.compile(r"^\s*(?:[\w-]+\s+){0,2}(?:vs\.?|versus|or|and|against|compared (?:to|with))\s+"
                       r"(?:all\s+)?(?:the\s+)?(?P<other>rest|others?|other \w+|everyone else|everybody else|remainder|"
                       r"(?:non[-\s]?|un)(?P<stem>[a-z]+))\b")


def against_the_rest(ctx: Context, start: int, end: int) -> bool:
    """ "financial firms vs the rest", "married vs unmarried workers", "democracies and non-democracies": the
    words at ``start:end`` (a yes/no column) set against their complement, which the chart shows side by side.
    With "and", only the named complement counts ("non-…", "un-…" of the same word)."""
    if end > len(ctx.tokens) or start >= end:
        return False
    m = _THE_REST.match(ctx.lower[ctx.tokens[end - 1].end:])
    if m is None:
        return False
    said = ctx.tokens[start].lower
    same_word = m["stem"] is not None and m["stem"][:4] == said[:4]
    if m["stem"] is not None or re.match(r"^\s*(?:[\w-]+\s+){0,2}and\b", ctx.lower[ctx.tokens[end - 1].end:]):
        return same_word
    return True


SPLIT_FOR = re.compile(r"\b(?:(?:one|a|separate)\s+(?:line|lines|series|colou?r)|another(?:\s+one)?)\s+for\s*$")
"""What splits by the value or column said next: "one line for men and another for women"."""


def value_splits(ctx: Context) -> list[str]:
    """Columns a value of which is said right after "one line for", "another for": they split the chart."""
    return list(dict.fromkeys(m.column for m in ctx.matches if m.method == "value" and m.position is not None
                              and SPLIT_FOR.search(ctx.lower[:ctx.tokens[m.position].start])))


def _between_groups(tokens, start: int, end: int, phrase: str) -> bool:
    """ "vary between breeds", "differences between regions": between a plural category (no "and" after it,
    which makes a range or a pair: "between 2000 and 2010", "between Jersey and Holstein") compares its groups."""
    return start > 0 and tokens[start - 1].lower in ("between", "among", "amongst") and phrase.lower().endswith("s") \
        and not (end < len(tokens) and (tokens[end].lower in ("and", "&") or tokens[end].is_number))


def _units_of_measures(ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """ "average months of inventory", "days of supply": a time word right before "of" and a measured column
    is that column's unit, not a calendar column (``month``) or the dates."""
    tokens = ctx.tokens
    kept = []
    for i, m in enumerate(mentions):
        col = ctx.index.get(m.column)
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if col is not None and (col.calendar is not None or col.role == "temporal") and m.end - m.start == 1 and \
                tokens[m.start].lower in TIME_AMOUNTS and tokens[m.start].lower.endswith("s") and \
                m.end < len(tokens) and tokens[m.end].lower == "of" and nxt is not None and \
                nxt.start == m.end + 1 and nxt.quantity:
            continue
        kept.append(m)
    return kept


_CONDITION_SPLIT = re.compile(
    r"\b(?:colou?red|colou?r(?:-coded)?|split|broken down|separated?|grouped)\s+(?:by|on)\s+(?:whether|if)"
    r"(?:\s+(?:or\s+not\s+)?(?:they|it|he|she|the|a|an|this|that|patients?|people|\w+s)?)?"
    r"(?:\s+(?:has|have|had|is|are|was|were|got|get|did|do|does))?(?:\s+(?:a|an|the))?\s*$"
    r"|\bwith\s+(?:vs\.?|versus|and|or)\s+without\s*$")


def _split_by_a_condition(said: str) -> bool:
    """ "colour by whether they have heart disease", "patients with vs without heart disease": the named
    column splits the marks (one colour, one line each), whatever words stand between the cue and it."""
    return bool(_CONDITION_SPLIT.search(said))


def _rate_of_flag(ctx: Context, col: ColumnForms, end: int) -> bool:
    """ "readmission rate", "default rate by branch": a 0/1 column followed by a rate word is measured (its
    mean is the rate), not filtered to its 1s. The rate word may close the column's own phrase ("default rate")."""
    flag = col.role == "boolean" and isinstance(col.profile.min, (int, float)) and col.profile.min == 0 \
        and col.profile.max == 1
    rates = vocabulary().cues["rate_words"]
    return flag and (ctx.tokens[end - 1].lower in rates or (end < len(ctx.tokens) and ctx.tokens[end].lower in rates))


_TIME_NAME_WORDS = frozenset("date time day timestamp datetime at on when created".split())


def _names_events(col: ColumnForms, phrase: str) -> bool:
    """ "loans by genre" over ``loan_date``, "orders" over ``order_date``: the plural names the events the rows
    are, which are counted; the date is no axis unless a period asks for one."""
    words = [lemma(w) for w in phrase.lower().split()]
    return phrase.lower().endswith("s") and len(words) == 1 and words[0] in col.core and \
        words[0] not in _TIME_NAME_WORDS


def _without_rates(words: list[str], rates: list[str]) -> list[str]:
    """The words with "per capita", "per head", "per cent" taken out: a rate said, not a grouping; and the "by"
    of a word said twice ("hour-by-hour temperature", "day by day sales"): a pace, not "by temperature"."""
    text = " ".join(words)
    for rate in rates:
        text = re.sub(rf"\b{re.escape(rate)}\b", " ", text)
    return re.sub(r"\b(\w+) by \1\b", r"\1", text).split()


def _key_of(ctx: Context, col: ColumnForms, phrase: str) -> ColumnForms | None:
    """For a phrase that named a quantity by its core word ("order" → order_total): the key or category
    with that same core (order_id), which is what "per order" groups by."""
    said = [lemma(w) for w in phrase.lower().split()]
    if said != col.core:
        return None
    keys = [c for c in ctx.index.columns if c.core == col.core and c is not col and not c.measure
            and c.role in ("identifier", "categorical", "text")]
    return keys[0] if len(keys) == 1 else None


_CHANGE = re.compile(r"\b(?:change[sd]?|changing|vary|varies|varied|grow[sn]?|grew|increase[sd]?|decrease[sd]?|"
                     r"drop[sp]?|rise[sn]?|rose|climb[s]?|fall[s]?|go(?:es)? up|go(?:es)? down|trend[s]?|evolve[sd]?|"
                     r"shift[s]?|differ[s]?|develop[s]?)\b")


def _ordered_by(window: list[str]) -> bool:
    """ "… over age", "… change with age", "… drop as atomic radius grows": the number there is an axis."""
    text = " ".join(window)
    return bool(re.search(r"\bover\s*(?:the\s+)?$", text)) or (
        bool(re.search(r"\b(?:with|against|across|along|as)\s*(?:the\s+)?$", text)) and bool(_CHANGE.search(text)))


def _unit_phrase_words(ctx: Context) -> set[int]:
    """Words of a period phrase that name no axis: the "year" of "quarter of the year", the "hour" of "hour by
    hour" or "hourly" when a column of hours matched it (a time line's resolution, not the ``hour`` column)."""
    out: set[int] = set()
    for m in re.finditer(r"\b(?:month|quarter|hour|day|days)s?\s+of\s+(?:the\s+)?(?P<of>year|day|week)\b", ctx.lower):
        out.add(ctx.token_at(m.start("of")))
    for m in re.finditer(r"\b(?P<day>days?)\s+of\s+(?:the\s+)?week\b", ctx.lower):
        out.add(ctx.token_at(m.start("day")))  # "which days of the week": the weekdays (a unit), not a ``day`` column
    for m in re.finditer(r"\b(?:(?:over\s+)?(?:the\s+)?course\s+of|through(?:out)?)\s+(?:the|a)\s+(?P<of>day|year)\b",
                         ctx.lower):
        out.add(ctx.token_at(m.start("of")))  # "over the course of the day": its hours, not a ``day`` column
    calendar = {m.position for m in ctx.column_matches() if (c := ctx.index.get(m.column)) is not None
                and (c.calendar is not None or c.role == "temporal")}
    amounts = {m.position for m in ctx.column_matches() if m.method in ("partial", "related", "fuzzy")
               and (c := ctx.index.get(m.column)) is not None and c.measure}
    if ctx.index.timelines:
        for m in re.finditer(r"\b(?:per|by|each|every|a)\s+(?P<unit>year|month|week|day|quarter|hour)\b(?!\s+of\b)",
                             ctx.lower):
            if (t := ctx.token_at(m.start("unit"))) in amounts:
                out.add(t)  # "hires per year" with hire_date: the calendar's year, not years_experience (an amount)
    for m in re.finditer(r"\b(?P<a>hour|day|week|month|year)s?[\s-]+by[\s-]+(?P=a)\b|\b(?:hourly|daily|weekly|monthly|"
                         r"yearly|annually)\b|\b(?:over|through|across)\s+time\b", ctx.lower):
        for t in range(ctx.token_at(m.start()), ctx.token_at(m.end() - 1) + 1):
            if t in calendar or ctx.tokens[t].lower == "time":
                out.add(t)
    return out


def ungrouped(ctx: Context, chart_words: list[ChartWord]) -> list[str]:
    """What a grouping word names that no column, value, period or cue explains: "by birth order" on a table
    without one. The chart cannot group by it; the report says so instead of grouping silently by another
    column."""
    tokens = ctx.tokens
    covered = ctx.matched_words() | {i for s, e in ctx.consumed for i in range(s, e)} | set(ctx.rates)
    covered |= {i for w in chart_words for i in range(w.at, w.at + len(w.word.split()))}
    cues = vocabulary().cues
    asking = {str(w) for key in ("time_unit_words", "aggregate_words", "chart_words", "order_words")
              for phrase in cues[key] for w in str(phrase).split()}
    asking -= {str(w) for w, unit in cues["time_unit_words"].items() if unit == "decade"}  # no chart groups by one
    out = []
    for t in tokens:
        if t.lower != "by" and not (t.lower in ("each", "every") and t.index and
                                    tokens[t.index - 1].lower in ("for", "at", "in", "across")):
            continue  # "by airport", "at each airport"; not "per person": a rate
        before = tokens[t.index - 1] if t.index else None
        if before is not None and before.lower != before.lemma and can_be_verb(before.lower) and \
                not is_noun(before.lower) and before.lemma not in cues["grouping_verbs"]:
            continue  # "earned by women", "bought by women": who did it, no grouping ("grouped by" is one)
        words = []
        for u in tokens[t.index + 1:t.index + 4]:
            if u.index in covered or ctx.in_period(u.index) or u.lower in cues["stopwords"] or u.lower in asking or \
                    u.lemma in asking or not u.lower.isalpha() or not is_noun(u.lower) or \
                    u.lower in ("whether", "side"):  # "coloured by whether …", "side by side"
                break
            words.append(u.text)
        after = t.index + 1 + len(words)
        if words and (after >= len(tokens) or after not in covered or
                      set(ctx.question[tokens[after - 1].end:tokens[after].start]) & set(".?!;:")):
            out.append(" ".join(words))  # not "by birth weight" (weight named): the words end at a sentence's end
    return list(dict.fromkeys(out))


def _kinds_listed(ctx: Context, m: ColumnMatch) -> ColumnForms | None:
    """The column whose values the question lists as examples ("(alkali metal, halogen, noble gas...)"), when
    the phrase is a word for a kind of thing ("kind", "category") matched to another column by its name."""
    said = m.phrase.lower()
    if not any(said in (k, k + "s", k + "es", k[:-1] + "ies") for k in vocabulary().cues["kind_words"]):
        return None  # "kinds", "categories"; not "sorted"
    listed = [c for c in dict.fromkeys(ctx.examples) if c != m.column]
    return ctx.index.get(listed[0]) if len(listed) == 1 else None


def _ranked_things_by(ctx: Context, start: int, earlier: list[Mention]) -> bool:
    """ "top 5 cities by median price", "the 10 best teams by wins": "by" right after the things a top-N
    ranks (a column of categories, named after "top 5") introduces the measure they are ranked by."""
    tokens = ctx.tokens
    if start < 1 or tokens[start - 1].lower != "by":
        return False
    things = next((m for m in earlier if m.end == start - 1 and m.cue != "split"), None)
    col = ctx.index.get(things.column) if things is not None else None
    if col is None or col.measure or col.role == "temporal":
        return False
    before = [t.lower for t in tokens[max(0, things.start - 3):things.start]]
    numbers = vocabulary().number_words
    return any(w in ("top", "bottom", "best", "worst") for w in before) and \
        any(w.isdigit() or w in numbers for w in before)


def _ranked_things(ctx: Context, start: int, end: int) -> bool:
    """ "top 5 ages with the most patients", "the 10 ages with the worst progression": a plural said right after
    a top-N and followed by what ranks it names the things ranked (groups), not a quantity measured."""
    tokens = ctx.tokens
    before = [t.lower for t in tokens[max(0, start - 2):start]]
    numbers = vocabulary().number_words
    top = len(before) == 2 and before[0] in ("top", "bottom", "best", "worst", "the") and \
        (before[1].isdigit() or before[1] in numbers)
    return top and tokens[end - 1].lower.endswith("s") and end < len(tokens) and \
        tokens[end].lower in ("with", "by", "having", "that", "where")


def _for_each(window: list[str]) -> bool:
    text = " ".join(window)
    return bool(re.search(r"\b(?:for|in|of)\s+(?:each|every|all)(?:\s+the)?\s*$|\beach\s*$", text))


def _counted(ctx: Context, column: str, phrase: str, start: int) -> bool:
    """ "number of students", "how many players": rows are counted; the loosely named key is no field."""
    col = ctx.index.get(column)
    if col is None or col.measure:
        return False
    before = " ".join(t.lower for t in ctx.tokens[max(0, start - 5):start])
    if not re.search(r"(number of|count of|how many|many|total of)$", before) or \
            re.search(r"\b(by|per|on|for each|across)\s+(the\s+)?(total\s+)?(number|count) of$", before):
        return False  # "based on the number of cylinders", "by number of bedrooms": a grouping
    plural = phrase.lower().endswith("s")
    return plural or col.role in ("identifier",) or col.one_per_row


def time_unit(ctx: Context) -> TimeUnit | None:
    """The period the question groups by: "monthly", "by quarter", "per day of the week", "month to month"."""
    return time_unit_said(ctx)[0]


def time_unit_said(ctx: Context) -> tuple[TimeUnit | None, bool]:
    """The period unit, and whether it was said as a resolution of the time line ("hourly", "hour by hour":
    True) rather than a grouping ("by hour", "per month": False)."""
    lower = ctx.lower
    rates = [(ctx.tokens[i].start, ctx.tokens[i].end) for i in [*ctx.rates, *_units_said_of(ctx)]]
    # "each month" before "across the year": across/over/through often say the stretch, not the unit
    for cues in ("by|per|each|every|for each|for every|in each|of each", "across|over|through"):
        for word, unit in vocabulary().cues["time_unit_words"].items():
            if unit == "decade":
                if ctx.index.timelines and re.search(rf"\b(?:{cues})\s+(?:the\s+)?{re.escape(word)}s?\b", lower):
                    return "year", False  # "by decade": no chart groups by one; its years, said in a note
                continue
            plain = re.escape(word)
            if word.endswith("ly") and re.search(rf"\b{plain}\b", lower) or re.search(
                    rf"\b{plain}[\s-]+(?:to|by|over)[\s-]+{plain}\b", lower):
                return unit, True
            if any(not any(a <= g.start("unit") < b for a, b in rates) for g in re.finditer(
                    rf"\b(?:{cues})\s+(?:the\s+)?(?:calendar\s+)?(?P<unit>{plain}s?)\b", lower)) or (
                    " " in word and re.search(rf"\b{plain}\b", lower)):
                return unit, False  # not "riders per hour by season": a rate (``mentions``)
    if re.search(r"\b(?:which|what)\s+(?:calendar\s+)?months?\b|\bmonths?\s+(?:of|in)\s+the\s+year\b", lower):
        if re.search(r"\b(?:which|what)\s+months\b", lower) and _COMPARED.search(lower) and \
                not re.search(r"\b(?:calendar|of the year|in the year)\b", lower):
            return "month", False  # "which months had Brent above $120": those months, each in its year
        return ("month_of_year" if _years_spanned(ctx) > 1 else "month"), False
    if m := re.search(r"\b(?:which|what)\s+(?:\w+\s+)?(?P<unit>weeks|days|quarters)\b", lower):
        return {"weeks": "week", "days": "day", "quarters": "quarter"}[m.group("unit")], False
    if re.search(r"\b(?:which|what)\s+(?:hours?|time of day)\b", lower):
        return "hour_of_day", False
    if re.search(r"\b(?:which|what)\s+(?:day of the week|weekday)\b", lower):
        return "weekday", False
    return None, False


_COMPARED = re.compile(r"\b(?:above|below|over|under|more than|less than|greater than|fewer than|higher than|"
                       r"lower than|exceed(?:ed|s)?|at least|at most)\b|[<>]")


def _units_said_of(ctx: Context) -> list[int]:
    """Time words said as the unit of a measure: "by years of schooling", "months of supply" (a number of years
    of something, not the calendar's years)."""
    measured = {m.position for m in ctx.column_matches() if (c := ctx.index.get(m.column)) is not None and c.numeric
                and c.calendar is None and c.role != "temporal"}
    tokens = ctx.tokens
    return [i for i, t in enumerate(tokens[:-2]) if t.lower in TIME_AMOUNTS and t.lower.endswith("s")
            and tokens[i + 1].lower == "of" and i + 2 in measured]


def _years_spanned(ctx: Context) -> int:
    """How many calendar years the table's time covers (1 when it has no time column)."""
    import pandas as pd

    for col in ctx.index.timelines:
        p = col.profile
        try:
            lo, hi = (int(p.min), int(p.max)) if col.calendar == "year" else (pd.Timestamp(str(p.min)).year,
                                                                             pd.Timestamp(str(p.max)).year)
        except (TypeError, ValueError):
            continue
        return hi - lo + 1
    return 1


def group_size(ctx: Context) -> int | None:
    """ "which of the three airports", "the five breeds": how many groups the question says there are."""
    m = re.search(r"\b(?:of\s+)?(?:the|all|these|those|both)\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten|"
                  r"\d{1,2})\s+(?:[a-z]+\s+){0,2}?(?P<noun>[a-z]+s)\b", ctx.lower)  # "the three NYC airports"
    if m is None or re.search(r"\b(?:top|bottom|first|last)\s+$", ctx.lower[:m.start("n")]):
        return None
    n = m.group("n")
    return int(n) if n.isdigit() else int(vocabulary().number_words.get(n, "0")) or None


def bins(ctx: Context, chart_words: list) -> tuple[int | None, int | None]:
    """Bins asked for ("in 20 bins", "histogram": the default count, "ranges of 10"), and the index of the
    word that asked ("weight ranges": the number just before it is the one binned)."""
    lower = ctx.lower
    said = _BIN_WORDS.search(lower)
    if not said and not any(w.word in ("histogram", "histo") for w in chart_words):
        return None, None
    at = next((t.index for t in ctx.tokens if said and t.start >= said.start()), None)
    m = re.search(r"\b(\d{1,3})\s+(bins|buckets|groups|intervals|bars)\b", lower)
    return (int(m.group(1)) if m else ctx.chart_settings.default_bins), at


def versus(ctx: Context) -> bool:
    return bool(re.search(r"\b(?:vs\.?|versus|against)\b", ctx.lower)) or " v " in ctx.lower


def compared_values(ctx: Context, filters: list[SaidFilter]) -> list[str]:
    """Columns whose values the question sets side by side ("Asia vs Europe", "Chrome or Firefox"): kept as
    groups of the chart, never one filtered value."""
    return [f.filter.column for f in filters if f.source == "value" and f.filter.op == "in"]
