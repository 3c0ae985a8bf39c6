"""What is measured and how: the aggregate ("total", "average", "how many"), the order asked for ("which
region sold the most", "sorted from highest to lowest", "the 5 youngest", "which make is the heaviest"),
whether rows are counted ("number of flights", "the most parcels"), and which measure words matched no
column ("which machine vibrates the most" on a table without vibration) — those are said, never replaced by
an unrelated column.
"""

from __future__ import annotations

import re

from ...contracts import Aggregate
from ..columns import COUNT_WORDS, ColumnForms
from ..lexicon import can_be_verb, degree, is_noun, lemma
from ..reading import Context, Mention, Ranking, SaidFilter
from ..vocabulary import vocabulary

_ORDER_PHRASE = re.compile(
    r"\b(?:sorted|ordered|organi[sz]ed|ranked|arranged|listed|rank(?:ed)?|from)?\s*(?:from\s+)?"
    r"(?P<first>highest|largest|greatest|most|biggest|high|lowest|smallest|least|fewest|low|best|worst)\s+to\s+"
    r"(?:the\s+)?(?:highest|largest|greatest|most|biggest|high|lowest|smallest|least|fewest|low|best|worst)\b"
    r"|\b(?P<dir>descending|decreasing|ascending|increasing)\s+order\b|\bin\s+(?P<dir2>descending|ascending)\b"
    r"|\b(?P<firstword>highest|largest|biggest|most|best|worst|lowest|smallest|least|fewest|top|bottom)\s+first\b"
    r"|\b(?P<bare>sorted|ranked)\s*(?:[.?!]|$)"  # "… per sub-category, sorted": largest first
    r"|\b(?P<by>ranked|sorted|ordered)\s+by\b")  # "genres ranked by audience votes": the largest first
_WHICH = re.compile(r"^\s*(?:which|what|who|where|when)\b(?!\s*(?:'s|’s|is|was|are|were)\s+(?:the\s+)?"
                    r"(?:highest|lowest|largest|smallest|maximum|minimum|average|mean|median|total)\b)")
_HOW_MANY = re.compile(r"\b(?:how many|number of|count of|total number of|no\. of)\s+(?:total\s+)?")
_ROW_COUNT = re.compile(r"\b(?:how many|number of|count of|how often|most often|least often|most frequent(?:ly)?|"
                        r"most common|least common|frequency|tally of)\b")
_QUANTITY_WORDS = frozenset("number num count total amount quantity qty sum".split())


def aggregate(ctx: Context) -> tuple[Aggregate | None, int | None]:
    """The aggregate the question asks for, and where; superlatives that order groups are no max()."""
    lower = _without_orders(ctx.lower)
    total = re.search(r"\btotal (?:number|count) of\b|\btotal (?:number|count)\b", lower)
    if total and not _names_a_count_column(ctx, total.start() + len("total "), counts_only=True):
        if _counts_a_quantity(ctx):
            return "sum", ctx.token_at(total.start())  # "the total number of marriages": the Marriages column
        return "count", None  # "the total number of claims" counts rows, it adds up no column
    # "I mean", "what does … mean": a way of speaking, no average
    lower = re.sub(r"\b(?:i|you|we|they|does|do|did)\s+mean\b", lambda w: " " * len(w.group(0)), lower)
    hits: list[tuple[int, int, Aggregate]] = []
    for word, agg in vocabulary().cues["aggregate_words"].items():
        for m in re.finditer(rf"\b{re.escape(word)}(?:s|d|ed)?\b", lower):  # "totals", "averaged"
            if agg == "count" and _names_a_count_column(ctx, m.start()):
                continue  # "by number of locations" names the column NumberofLocations, it counts no rows
            hits.append((m.start(), m.end(), agg))
            break
    if not hits:
        return _extreme_in_each(ctx)
    hits.sort()
    best = hits[0][0], hits[0][2]
    if best[1] in ("max", "min") and len(hits) > 1 and hits[1][2] not in ("max", "min") and \
            re.fullmatch(r"\s*(?:\w+\s+)?", lower[hits[0][1]:hits[1][0]]):
        best = hits[1][0], hits[1][2]  # "the highest average earnings": the average, ranked
    elif best[1] in ("count", "sum") and any(agg in ("mean", "median") for _, _, agg in hits[1:]) and \
            re.search(r"\b(?:on average|in the middle|typically)\b", lower):
        best = next((start, agg) for start, _, agg in hits[1:] if agg in ("mean", "median"))  # "how many days on average"
    at = ctx.token_at(best[0])
    agg = best[1]
    if agg == "count" and _counts_a_quantity(ctx):
        agg = "sum"  # "how many visitors came from paid": the visitors column counts them, add it up
    return agg, at


_EXTREME_IN_EACH = re.compile(r"\b(?:the\s+)?(?P<sup>[a-z]+est)\s+(?:[a-z]+\s+){0,3}?(?:(?:of|in|for|during)\s+)?"
                              r"(?:each|every|per)\b")


def _extreme_in_each(ctx: Context) -> tuple[Aggregate | None, int | None]:
    """ "the hottest temperature of each month", "the coldest low recorded each month": a superlative of a
    quantity within each group is that group's max (min for a low pole: cold, cheap, short …)."""
    m = _EXTREME_IN_EACH.search(ctx.lower)
    if m is None or degree(m.group("sup")) != "superlative" or m.group("sup") in vocabulary().cues["order_words"]:
        return None, None
    at = ctx.token_at(m.start("sup"))
    low = lemma(m.group("sup")) in vocabulary().cues["low_pole_adjectives"]
    return ("min" if low else "max"), at


def _names_a_count_column(ctx: Context, char: int, *, counts_only: bool = False) -> bool:
    """Is the count word at ``char`` part of a phrase that matched a column of counts by its name? With
    ``counts_only``, only a column that holds counts ("count_working", "num_children"; not "receipt_number")."""
    at = ctx.token_at(char)
    word = ctx.tokens[at].lower

    def counts(col: ColumnForms) -> bool:
        return col.words[0] in COUNT_WORDS or "count" in col.words

    return any((m.position or 0) <= at < (m.position or 0) + len(m.phrase.split()) and
               (col := ctx.index.get(m.column)) is not None and col.numeric and (
                   (word in col.words and not counts_only) or word in COUNT_WORDS and counts(col))
               for m in ctx.column_matches())


def ranking(ctx: Context, top: Ranking | None, aggregate: Aggregate | None) -> Ranking | None:
    """The order asked for: a top-N, an order phrase, "which … the most", or a superlative adjective that
    names its own measure ("the heaviest", "the 10 priciest weeks", "longest-serving")."""
    lower = ctx.lower
    order = None
    m = _ORDER_PHRASE.search(lower)
    if m:
        word = m.group("first") or m.group("dir") or m.group("dir2") or m.group("firstword") or m.group("bare") or \
            m.group("by")
        order = "ascending" if word in ("lowest", "smallest", "least", "fewest", "low", "ascending", "increasing",
                                        "worst", "bottom") else "descending"
    if order is not None and m.group("by") and _by_a_category(ctx, ctx.token_at(m.end())):
        order = None  # "revenue sorted by region": the regions in their order, not by value
    if order is not None and re.search(r"\b(?:best|worst)\b", m.group(0)) and _more_is_worse(ctx):
        order = "ascending" if order == "descending" else "descending"  # "worst first" for delays: the longest
    superlative = _speed_as_time(ctx, _superlative(ctx))
    if superlative is not None and superlative.word in ("best", "worst") and _more_is_worse(ctx):
        flipped = "ascending" if superlative.order == "descending" else "descending"
        superlative = superlative.model_copy(update={"order": flipped})
    if top is not None and top.word in ("best", "worst") and _more_is_worse(ctx):
        top = top.model_copy(update={"order": "ascending" if top.order == "descending" else "descending"})
    if top is not None:
        measure = superlative.measure if superlative else None
        head = superlative.head if superlative else None
        if superlative is not None and superlative.word not in vocabulary().cues["order_words"]:
            order = superlative.order
        return top.model_copy(update={"order": order or top.order, "measure": measure, "head": head})
    if superlative is not None and (superlative.measure or _WHICH.search(lower) or order is None):
        if superlative.measure or _WHICH.search(lower) or superlative.word in ("most", "least", "fewest") or (
                superlative.head and re.match(rf"\s*(?:the\s+)?{re.escape(superlative.word)}\b", lower)):
            # "busiest station", "the most popular genres": the question is the ranking itself
            return superlative.model_copy(update={"order": order or superlative.order})
    if order is not None:
        return Ranking(order=order, word=m.group(0).strip(), at=ctx.token_at(m.start()))
    return None


def _by_a_category(ctx: Context, at: int) -> bool:
    """Does the first column named from token ``at`` on (past "the") hold no quantity?"""
    named = sorted((x for x in ctx.column_matches() if (x.position or 0) >= at), key=lambda x: x.position or 0)
    return bool(named) and (named[0].position or 0) <= at + 1 and \
        not ((col := ctx.index.get(named[0].column)) is not None and col.measure)


_SPEED = {"fast": "ascending", "quick": "ascending", "slow": "descending", "long": "descending", "short": "ascending"}


def _speed_as_time(ctx: Context, superlative: Ranking | None) -> Ranking | None:
    """ "which carrier is the slowest?" with no speed column: the one duration column (DeliveryDays), the
    slowest taking the longest and the fastest the least; "who keeps patients waiting longest" likewise."""
    if superlative is None:
        return None
    base = next((b for b in _SPEED if superlative.word.startswith(b)), None)
    durations = ctx.index.durations
    if base is None or (superlative.measure is None and len(durations) != 1) or (
            superlative.measure is not None and superlative.measure not in durations):
        return superlative
    # "which agent resolves tickets fastest" (resolution_hours): the fastest take the least time
    return superlative.model_copy(update={"measure": superlative.measure or durations[0], "order": _SPEED[base]})


def _more_is_worse(ctx: Context) -> bool:
    """Is the quantity the question measures one where more is worse (delays, crime, deaths)?"""
    bad = set(vocabulary().cues["more_is_worse"])
    if ctx.index.entity & bad:
        return True  # us_unemployment.csv: "the November rate worst" is the highest
    for m in ctx.column_matches():
        col = ctx.index.get(m.column)
        if col is not None and col.measure and (set(col.lemmas) | set(col.core)) & bad:
            return True
    return False


def _superlative(ctx: Context) -> Ranking | None:
    """The first superlative that orders: an adjective ("heaviest", "priciest"), "most/least" + an
    adjective or noun ("most expensive", "least windy", "the most flights"), or a plain order word in a
    "which …" question ("which region sold the most")."""
    cues = vocabulary().cues
    low = set(cues["low_pole_adjectives"])
    order_words = cues["order_words"]
    tokens = ctx.tokens
    measures = {m.position: m.column for m in ctx.column_matches()}
    which = bool(_WHICH.search(ctx.lower)) or bool(re.search(r"\bin which\b|[.:;?!-]\s*which\b", ctx.lower))
    for t in tokens:
        word = t.lower
        if ctx.in_period(t.index) or not ctx.free(t.index, t.index + 1):
            continue  # "the last decade": a period; "at least 4 bedrooms": a number's bound; no superlative
        if word in ("most", "least", "fewest") and t.index + 1 < len(tokens):
            nxt = tokens[t.index + 1]
            column = measures.get(nxt.index)
            if column is not None and ctx.index.get(column).measure:
                order = "ascending" if word != "most" else "descending"
                return Ranking(order=order, word=f"{word} {nxt.lower}", at=t.index, measure=column,
                               head=_head(ctx, t.index))
        if degree(word) == "superlative" and word not in order_words and word not in ("most", "least"):
            column = measures.get(t.index)
            order = "ascending" if t.lemma in low else "descending"
            return Ranking(order=order, word=word, at=t.index, measure=column if column and
                           ctx.index.get(column).measure else None, head=_head(ctx, t.index))
        if word in order_words and (which or word in ("most", "least", "fewest")) and word not in ("top", "bottom"):
            return Ranking(order=order_words[word], word=word, at=t.index, head=_head(ctx, t.index))
    return None


def _head(ctx: Context, at: int) -> str | None:
    """What is ranked: the subject of a "which/who" question ("which make is the heaviest" → make, "which 10
    restaurants" → restaurant), else the noun a superlative qualifies ("the hottest month" → month)."""
    tokens = ctx.tokens
    subject = _subject(ctx)
    if subject is not None:
        return subject
    for t in tokens[at + 1:at + 3]:
        if is_noun(t.lower) and t.lower not in vocabulary().stopwords and t.lower not in _AGGREGATE_NOUNS:
            return t.lemma
    return None


_AGGREGATE_NOUNS = frozenset("average avg mean total sum median number count".split())


def _subject(ctx: Context) -> str | None:
    m = re.search(r"(?:^|[.:;?!-]\s*|\bin\s+)(?:which|what|who)\s+(?:(?:one|ones|of)\s+)?(?:(?:the|these|those|our|all)\s+)?"
                  r"(?:\d+\s+|(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)\s+)?"
                  r"(?P<noun>[a-z]+)", ctx.lower)
    if m is None:
        return None
    noun = next((t.lemma for t in ctx.tokens if t.start >= m.start("noun") and is_noun(t.lower)
                 and t.lower not in vocabulary().stopwords and t.lower not in _AGGREGATE_NOUNS), None)
    return noun


def counts_rows(ctx: Context, mentions: list[Mention], aggregate: Aggregate | None) -> bool:
    """Are rows counted: "how many", "number of flights", "most common", "the most parcels" (a plural noun
    that names no column), "how often"?"""
    if aggregate == "count":
        return True
    if aggregate is not None:
        return False
    if _ROW_COUNT.search(ctx.lower):
        return True
    if re.search(r"\b(?:most|least)\s+(?:" + "|".join(vocabulary().cues["count_adjectives"]) + r")\b", ctx.lower) and \
            not any((c := ctx.index.get(m.column)) is not None and c.measure for m in mentions):
        return True  # "which genre is the most popular": the genre with the most rows (unless by a quantity said)
    most = r"\b(?:the\s+)?(?:most|fewest|least|more|fewer)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+s)\b"
    for m, qualified in ((re.search(most + r"(?!\s+(?:of|per))", ctx.lower), False),
                         (re.search(most + r"\s+of\b", ctx.lower), True)):
        if m is None:
            continue
        at = ctx.token_at(m.start("noun"))
        named = [x for x in ctx.column_matches() if (x.position or 0) <= at < (x.position or 0) + len(x.phrase.split())]
        if qualified and not named:
            continue  # "the most units of stock": an amount of something, unless the noun names a column's things
        return not named or not any((c := ctx.index.get(x.column)) is not None and (c.measure or c.small_count)
                                    for x in named)  # "the most medals": rows; "the most executions" (0..4): added
    return False


def unmatched(ctx: Context, mentions: list[Mention], filters: list[SaidFilter], counted: bool) -> list[str]:
    """Words that name what to measure but matched no column: a noun after an aggregate word ("average
    vibration" on a table without it), a superlative or a verb of measure ("vibrates the most", "heaviest").
    The chart then counts rows and the report says so."""
    voc = vocabulary()
    known_spans = ctx.matched_words()
    known_spans |= {i for f in filters for i in range(f.start, f.end)}
    known_spans |= {i for s, e in ctx.consumed for i in range(s, e)}
    rows = {w for said in voc.cues["row_nouns"] for w in (said, lemma(said))}  # "the lowest avg reading": a row
    skip = voc.stopwords | set(voc.cues["order_words"]) | rows | set(voc.cues["row_words"]) | \
        set(voc.cues["chart_nouns"])
    cue_words = {w for phrase in voc.cues["aggregate_words"] for w in str(phrase).split()}
    cue_words |= {w for phrase in voc.cues["time_unit_words"] for w in str(phrase).split()}
    cue_words |= set(voc.cues["chart_words"])
    out: list[str] = []
    tokens = ctx.tokens
    for t in tokens:
        if t.index in known_spans or t.lower in skip or t.lower in cue_words or not t.lower.isalpha():
            continue
        near = any(abs(t.index - i) <= 2 for i in known_spans if i not in {x for s, e in ctx.consumed for x in range(s, e)})
        if is_noun(t.lower) and len(t.lower) > 2 and not near:
            ctx.unexplained.append(t.text)
        prev = tokens[t.index - 1].lower if t.index > 0 else ""
        nxt = tokens[t.index + 1].lower if t.index + 1 < len(tokens) else ""
        after_aggregate = _after_aggregate(tokens, t.index) and is_noun(t.lower)
        superlative = degree(t.lower) == "superlative" and t.lower not in voc.cues["order_words"]
        measured_after = any(t.index < i <= t.index + 3 for i in known_spans)
        # "which machine vibrates the most", "which machine leaks the most" (a verb right after its subject)
        verb_form = not is_noun(t.lower) or (can_be_verb(t.lower) and t.index - 1 in known_spans)
        verb_of_measure = nxt in ("the", "most", "least", "more", "less") and verb_form and not measured_after and \
            t.lemma not in ("have", "do", "be", "get", "make", "show", "see", "sell", "win", "use") and \
            prev not in ("the", "a", "an")
        # "which region gets the most complaints": what there is most of, unless it names the rows
        most_of = prev in ("most", "least", "fewest", "more", "less") and is_noun(t.lower) and \
            t.lemma not in ctx.index.entity
        # "the most profitable genre" on a table without profit: what the superlative measures is unsaid
        most_adjective = prev in ("most", "least") and not is_noun(t.lower) and degree(t.lower) is None and \
            t.lower not in voc.cues["count_adjectives"] and not can_be_verb(t.lower) and not t.lower.endswith("ly")
        if (after_aggregate and not counted) or superlative or most_of or most_adjective or (
                verb_of_measure and _which_question(ctx)):
            out.append(t.text)
    return list(dict.fromkeys(out))


_AGGREGATE_BEFORE = frozenset(("average", "avg", "mean", "total", "median", "sum", "maximum", "minimum"))


def _after_aggregate(tokens: list, at: int) -> bool:
    """Is the word the noun of an aggregate ("average vibration"), perhaps past a period adjective ("average
    weekly return", "total annual rainfall")?"""
    before = [t.lower for t in tokens[max(0, at - 2):at]]
    if before[-1:] and before[-1] in _AGGREGATE_BEFORE:
        return True
    periods = {w for w, unit in vocabulary().cues["time_unit_words"].items() if w.endswith("ly")}
    return len(before) == 2 and before[0] in _AGGREGATE_BEFORE and before[1] in periods | {"annual"}


def _which_question(ctx: Context) -> bool:
    return bool(re.match(r"^\s*(?:which|what|who|where)\b", ctx.lower))


def _without_orders(lower: str) -> str:
    """The question without its order words ("sorted from highest to lowest", "which … the most"), so
    "highest" there is read as an order, not as ``max``. Blanked, not cut: offsets still point into the question."""
    m = _ORDER_PHRASE.search(lower)
    if m:
        lower = lower[: m.start()] + " " * (m.end() - m.start()) + lower[m.end():]
    if _WHICH.search(lower):
        lower = re.sub(r"\b(?:the\s+)?(?:highest|largest|biggest|greatest|best|lowest|smallest|least|fewest|worst|"
                       r"most)\b", lambda w: " " * len(w.group(0)), lower)
    return lower


def _counts_a_quantity(ctx: Context) -> bool:
    """ "How many (total) <a numeric column> …", "number of votes": the column holds a count (its name is a
    plural or a count word: visitors, units, weeks_on_top, Marriages), so its values are added up. "How many
    scientists" over a ``scientist`` column of ids, or "how many orders" with no such column, count rows."""
    m = _HOW_MANY.search(ctx.lower)
    if m is None:
        return False
    at = ctx.token_at(m.end())
    named = next((x for x in ctx.column_matches() if (x.position or 0) == at), None)
    col = ctx.index.get(named.column) if named is not None else None
    if col is None or not col.measure:
        return False
    if any(w != lm or w in _QUANTITY_WORDS for w, lm in zip(col.words, col.lemmas)):
        return True
    # "how many silvers" over a ``silver`` column of whole numbers from 0 that recur: the plural counts its units,
    # add them up ("how many scientists" over a ``scientist`` number a row are ids: the rows are counted)
    said = ctx.tokens[at]
    return said.lower != said.lemma and said.lemma in col.lemmas and col.whole_numbers and \
        float(col.profile.min) >= 0 and not col.one_per_row
