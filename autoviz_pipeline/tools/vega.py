"""Vega-Lite v5 building blocks shared by the chart tools.

A chart tool builds its spec in two steps from one computation (its :class:`~.chartdata.ChartData`). First a
declarative spec (:func:`build_spec`) says what Vega-Lite would do with the raw CSV: filters as ``transform``,
aggregation in the encoding, data named but empty. Then :func:`with_data` attaches the rows the chart actually
drew. Those rows are already filtered, aggregated and binned, so :func:`with_data` moves the transforms to
``usermeta`` and rewrites the two encodings that are not idempotent over pre-aggregated rows (a row ``count``
and ``bin``); ``sum``/``mean``/… of one row per group and a ``timeUnit`` over already-floored dates give back
what they are given. The inline spec, the only one a run writes or ``autoviz chart`` prints, therefore renders
exactly what the PNG shows.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..contracts import Aggregate, DatasetProfile, FilterSpec, Mark, Scalar, TimeUnit
from .caps import CAPS, MB
from .frame import JSON_ROW_CAP, date_interval, filter_operands, json_records

logger = logging.getLogger(__name__)

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.json"
DATA_NAME = "rows"
"""The named data source of a spec before :func:`with_data` fills it (Vega-Lite requires ``data``)."""

# Our units group by calendar period; Vega-Lite's plain "month" would fold every year onto one January.
VL_TIME_UNIT: dict[TimeUnit, str] = {
    "year": "year",
    "quarter": "yearquarter",
    "month": "yearmonth",
    "week": "yearweek",
    "day": "yearmonthdate",
    "hour": "yearmonthdatehours",
    "weekday": "day",  # Vega-Lite's day: the day of the week
    "month_of_year": "month",  # Vega-Lite's month: January … December over all years
    "quarter_of_year": "quarter",
    "hour_of_day": "hours",
}

Spec = dict[str, Any]


# --------------------------------------------------------------------------------------------------
# column names and titles
# --------------------------------------------------------------------------------------------------
# Every column name enters a spec through data_key: field_ref, expr_ref and the "as" of a transform are built
# on it, and with_data names the inline data's columns with it, so it is the one place that decides how a
# name is written. A name Vega-Lite reads as typed stays as it is (in a ``field``, dots and brackets escaped
# as Vega-Lite documents); a name that no escaping gets through Vega-Lite 5 and 6 / Vega 6 is renamed in the
# spec to an alias spelling its UTF-8 bytes in hex (reversible, and never a name kept as it is), and its
# titles still show the name:
# - a backslash: Vega-Lite re-escapes a field without it (``back\slash`` reads ``backslash``, no values);
# - a quote: Vega-Lite's box plot writes its field into a single-quoted expression (``datum['it's']``), and
#   its derived fields ("upper_box_<field>") into the double-quoted aria description with the backslash
#   that escaped a ``"``, which then ends the string;
# - a control or line-separator character: Vega-Lite writes the name raw into a generated expression;
# - an empty or blank name (``Invalid field reference``);
# - "if" and the names of Object.prototype ("constructor", "toString", "__proto__", ...): Vega's expression
#   parser reads such a string literal as an identifier (its keyword table is a plain object), and
#   Vega-Lite keeps per-field tables in plain objects, so these fail to compile or silently lose values;
# - a name beginning with "__", the prefix of the spec's own fields (aliases, __group_rank, Vega-Lite's
#   __count), which a column could otherwise overwrite.
ALIAS_PREFIX = "__col_"
_OWN_PREFIX = "__"
UNSAFE_LITERALS = frozenset({
    "if", "constructor", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable", "toLocaleString",
    "toString", "valueOf", "__proto__", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
    "__lookupSetter__",
})  # fmt: skip
"""Strings Vega's expression parser misreads as identifiers (``legalKeywords[value]`` on a plain object)."""
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters and Unicode line/paragraph separators (the set dataio replaces in column names)."""
_BROKEN_TITLE_ESCAPE = re.compile(r"\\(?=[\"ux0-9])")
_BACKSLASH_LOOKALIKE = "\u2216"  # ∖ SET MINUS


def needs_alias(name: str) -> bool:
    """Whether ``name`` must be renamed in a spec because Vega-Lite cannot read it as a field, escaped or not."""
    return (
        not name.strip()
        or name.startswith(_OWN_PREFIX)
        or name in UNSAFE_LITERALS
        or any(char in name for char in "\\'\"")
        or _LINE_BREAKING.search(name) is not None
    )


def data_key(name: str) -> str:
    """The name a column has in a spec's data: ``name`` itself, or ``__col_<UTF-8 hex>`` (see above)."""
    return ALIAS_PREFIX + name.encode("utf-8", "surrogatepass").hex() if needs_alias(name) else name


def column_name(key: str) -> str:
    """The column behind a data key (the inverse of :func:`data_key`)."""
    if key.startswith(ALIAS_PREFIX):
        try:
            return bytes.fromhex(key[len(ALIAS_PREFIX):]).decode("utf-8", "surrogatepass")
        except ValueError:
            pass
    return key


def field_ref(name: str) -> str:
    """A column as a Vega-Lite ``field``: its data key with ``.``, ``[`` and ``]`` (nested access) escaped."""
    out = data_key(name)
    for char in ".[]":  # a quote or a backslash makes an alias
        out = out.replace(char, "\\" + char)
    return out


def field_name(ref: str) -> str:
    """The column a ``field`` written by :func:`field_ref` reads."""
    return column_name(re.sub(r"\\(.)", r"\1", ref, flags=re.DOTALL))


def js_string(text: str) -> str:
    """``text`` as a Vega expression string literal (split in two where the parser would misread it)."""
    if text in UNSAFE_LITERALS:
        return f"({json.dumps(text[:1])} + {json.dumps(text[1:])})"
    return json.dumps(text)


def expr_ref(name: str) -> str:
    """A column as a Vega expression operand, ``datum["<data key>"]``."""
    return f"datum[{js_string(data_key(name))}]"


def title_text(text: str) -> str:
    """A title (chart, axis, legend) as Vega can draw it, reading as ``text``: control and line-separator
    characters become spaces (as in column names), and a title that is one of :data:`UNSAFE_LITERALS` gets a
    trailing space (Vega would otherwise draw nothing, or fail)."""
    out = _LINE_BREAKING.sub(" ", text)
    return out + " " if out in UNSAFE_LITERALS else out


_GUIDE = {"x": "axis", "y": "axis", "color": "legend", "size": "legend", "shape": "legend", "opacity": "legend"}


def _channel_title(name: str, channel: Spec) -> None:
    """Give a channel a title Vega can draw (:func:`title_text`) in place.

    Vega-Lite also writes a channel's ``title`` into a generated aria description, raw, escaping only
    ``"``; there a backslash before ``"``, ``u``, ``x`` or a digit would start a broken escape. Such a title
    keeps its backslashes on the axis or legend (``axis.title``/``legend.title``, drawn as typed), and the
    channel's own title, read only by the description, has the lookalike ``∖`` in their place.
    """
    title = channel.get("title")
    if not isinstance(title, str):
        return
    shown = title_text(title)
    described = _BROKEN_TITLE_ESCAPE.sub(_BACKSLASH_LOOKALIKE, shown)
    channel["title"] = described
    if described != shown and name in _GUIDE:
        channel[_GUIDE[name]] = {**(channel.get(_GUIDE[name]) or {}), "title": shown}


_ALIAS = re.compile(re.escape(ALIAS_PREFIX) + r"[0-9a-f]*")
_ALIAS_OPERAND = re.compile(r'datum\["(' + _ALIAS.pattern + r')"\]')


def _aliases_read(node: Any) -> set[str]:
    """The aliases in a spec's encoding and transforms: a whole string (a field, a groupby, an ``as``) or a
    ``datum["…"]`` operand of an expression. Titles are text, not names."""
    if isinstance(node, str):
        return {node} if _ALIAS.fullmatch(node) else set(_ALIAS_OPERAND.findall(node))
    if isinstance(node, dict):
        return set().union(*(_aliases_read(value) for key, value in node.items() if key != "title"))
    if isinstance(node, list):
        return set().union(*(_aliases_read(item) for item in node))
    return set()


def alias_transforms(spec: Spec, profile: DatasetProfile) -> list[Spec]:
    """``calculate`` steps copying each renamed column the spec reads from the raw data to its alias.

    Vega-Lite parses the dates and numbers of a raw column it reads, not of a calculated one, so a date or
    number column is parsed here (``toDate``/``toNumber``, what Vega-Lite's own parse would apply).
    """
    steps: list[Spec] = []
    for alias in sorted(_aliases_read([spec.get("encoding"), spec.get("transform")])):
        name = column_name(alias)
        if name == alias or data_key(name) != alias:
            continue
        value = f"datum[{js_string(name)}]"
        col = profile.column(name)
        role = col.role if col is not None else None
        if role == "temporal":
            value = f"toDate({value})"
        elif role == "numeric":
            value = f"toNumber({value})"
        steps.append({"calculate": value, "as": alias})
    return steps


def bin_end_field(field: str) -> str:
    """The inline-data column holding each bin's end (Vega-Lite's ``x2`` for ``bin: "binned"``)."""
    return f"{field}_end"


def column_type(profile: DatasetProfile, column: str) -> str:
    """The measurement type Vega-Lite should read a column as, from its profiled role."""
    col = profile.column(column)
    role = col.role if col is not None else None
    if role == "temporal":
        return "temporal"
    if role == "numeric":
        return "quantitative"
    return "nominal"


def measure_title(value: str | None, aggregate: Aggregate | None) -> str:
    """The axis title for a measure: "Sum of revenue", "Count of rows", or the bare column name."""
    if value is None or aggregate == "count":
        return "Count of rows"
    if aggregate is None:
        return value
    return f"{aggregate.capitalize()} of {value}"


def group_channel(
    field: str,
    *,
    type: str,
    bins: int | None = None,
    time_unit: TimeUnit | None = None,
    sort: Any = None,
    title: str | None = None,
) -> Spec:
    """A category/position channel (x, y, color, xOffset) with optional binning, time unit and sort."""
    channel: Spec = {"field": field_ref(field), "type": type}
    if bins is not None:
        channel["bin"] = {"maxbins": bins}
        channel["type"] = "quantitative"
    if time_unit is not None:
        channel["timeUnit"] = VL_TIME_UNIT[time_unit]
    if sort is not None:
        channel["sort"] = sort
    channel["title"] = title if title is not None else field
    return channel


def measure_channel(value: str | None, aggregate: Aggregate | None, *, title: str | None = None) -> Spec:
    """A quantitative channel holding an aggregated measure; ``count`` has no field in Vega-Lite."""
    if value is None or aggregate == "count":
        return {"aggregate": "count", "type": "quantitative", "title": title or measure_title(None, None)}
    channel: Spec = {"field": field_ref(value), "type": "quantitative"}
    if aggregate is not None:
        channel["aggregate"] = aggregate
    channel["title"] = title or measure_title(value, aggregate)
    return channel


def build_spec(
    *,
    title: str,
    mark: Mark,
    encoding: Mapping[str, Spec | None],
    filters: Sequence[FilterSpec] = (),
    profile: DatasetProfile,
    transforms: Iterable[Spec] = (),
    scope: Sequence[str] = (),
) -> Spec:
    """A complete unit spec: schema, title, named data, mark, encoding (``None`` channels dropped), transforms.

    Filter transforms come first, so later transforms (top-N ranks, scores) see only the filtered rows;
    before them, each column the spec reads under an alias (:func:`data_key`) is copied to it. Every title
    goes through :func:`title_text`, and says what the chart is limited to: ``scope`` (a period unit, a top-N)
    and the filters ("Sum of revenue by month (top 5; city = Malmö)").
    """
    said = [*scope, *(describe_filter(f) for f in filters)]
    title = f"{title} ({'; '.join(said)})" if said else title
    spec: Spec = {"$schema": SCHEMA_URL, "title": title_text(title), "data": {"name": DATA_NAME}}
    spec["mark"] = mark  # a plain string, so callers can read the mark type directly
    spec["encoding"] = {name: dict(channel) for name, channel in encoding.items() if channel is not None}
    for name, channel in spec["encoding"].items():
        _channel_title(name, channel)
    spec["transform"] = filter_transforms(filters, profile) + list(transforms)
    spec["transform"][:0] = alias_transforms(spec, profile)
    if not spec["transform"]:
        del spec["transform"]
    return spec


# --------------------------------------------------------------------------------------------------
# transforms
# --------------------------------------------------------------------------------------------------
_OPS = {"eq": "=", "neq": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}


def describe_filter(spec: FilterSpec, *, most: int = 3, width: int = 40) -> str:
    """A filter as a title says it: "city = Malmö", "year 1980–1996", "region not in North, South",
    "month of date = 3", "pressure is missing"; each value cut to ``width`` characters."""
    def said(value: Any) -> str:
        text = str(value)
        return text if len(text) <= width else text[:width - 1] + "…"

    column = f"{spec.part} of {spec.column}" if spec.part else spec.column
    values = [said(v) for v in spec.values]
    listed = ", ".join(values[:most]) + (" …" if len(values) > most else "")
    if spec.op == "range" and len(values) == 2:
        return f"{column} {values[0]}–{values[1]}"
    if spec.op in ("in", "not_in"):
        return f"{column} {'in' if spec.op == 'in' else 'not in'} {listed}"
    if spec.value is None and spec.op in ("eq", "neq"):
        return f"{column} is {'not ' if spec.op == 'neq' else ''}missing"
    return f"{column} {_OPS.get(spec.op, spec.op)} {said(spec.value)}"


def filter_transforms(filters: Iterable[FilterSpec], profile: DatasetProfile) -> list[Spec]:
    """Our row filters as Vega-Lite ``filter`` transforms.

    String values take the casing the profile saw (our filters are case-insensitive, Vega-Lite's are not).
    A date given as a period ("2015", "2015-03") becomes an explicit ``[start, end)`` pair of DateTime
    bounds, the same interval :func:`frame.apply_filters` uses.
    """
    out: list[Spec] = []
    for spec in filters:
        col = profile.column(spec.column)
        role = col.role if col is not None else None
        operands = filter_operands(spec)
        if spec.part is not None:
            predicate = _part_predicate(spec, operands)
        elif role == "temporal" and not (spec.op in ("eq", "neq") and operands[0] is None):
            predicate = _temporal_predicate(spec, operands)
        else:
            if col is not None and role not in ("numeric", "temporal"):
                operands = [_profile_casing(col.top_values, col.samples, v) for v in operands]
            predicate = _scalar_predicate(field_ref(spec.column), spec.op, operands)
        out.append({"filter": predicate})
    return out


def _profile_casing(top_values: Sequence[Any], samples: Sequence[str], value: Scalar) -> Scalar:
    if not isinstance(value, str):
        return value
    for seen in [t.value for t in top_values] + list(samples):
        if seen.casefold() == value.casefold():
            return seen
    return value


def _scalar_predicate(field: str, op: str, operands: list[Scalar]) -> Spec:
    first = operands[0]
    if op == "eq":
        return {"field": field, "equal": first} if first is not None else {"field": field, "valid": False}
    if op == "neq":
        if first is None:
            return {"field": field, "valid": True}
        return {"not": {"field": field, "equal": first}}
    if op == "in":
        return {"field": field, "oneOf": operands}
    if op == "not_in":
        return {"not": {"field": field, "oneOf": operands}}
    if op == "range":
        return {"field": field, "range": operands}
    return {"field": field, op: first}


_VL_PART = {"year": "year", "quarter": "quarter", "month": "month", "weekday": "day", "hour": "hours"}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _part_predicate(spec: FilterSpec, operands: list[Scalar]) -> Spec:
    """A filter on a part of every date ("in March", "on weekends"), as a ``timeUnit`` predicate whose values
    are DateTime objects (months 1-based, days by name, as Vega-Lite reads them)."""
    unit = _VL_PART[spec.part]

    def when(value: Scalar) -> Spec:
        number = int(float(value))  # type: ignore[arg-type]
        return {unit: _WEEKDAY_NAMES[(number - 1) % 7] if spec.part == "weekday" else number}

    predicate: Spec = {"field": field_ref(spec.column), "timeUnit": unit}
    op = spec.op
    if op in ("eq", "neq"):
        predicate["equal"] = when(operands[0])
    elif op in ("in", "not_in"):
        predicate["oneOf"] = [when(v) for v in operands]
    elif op == "range":
        predicate["range"] = [when(v) for v in operands]
    else:
        predicate[op] = when(operands[0])
    return {"not": predicate} if op in ("neq", "not_in") else predicate


def _temporal_predicate(spec: FilterSpec, operands: list[Scalar]) -> Spec:
    field = field_ref(spec.column)

    def bounds(value: Scalar) -> tuple[Spec, Spec | None]:
        start, end = date_interval(value, column=spec.column)
        return _datetime(start), (_datetime(end) if end is not None else None)

    def inside(value: Scalar) -> Spec:
        start, end = bounds(value)
        if end is None:
            return {"field": field, "equal": start}
        return {"and": [{"field": field, "gte": start}, {"field": field, "lt": end}]}

    def lower(value: Scalar, *, strictly: bool) -> Spec:
        start, end = bounds(value)
        if end is None:
            return {"field": field, "gt" if strictly else "gte": start}
        return {"field": field, "gte": end if strictly else start}

    def upper(value: Scalar, *, inclusive: bool) -> Spec:
        start, end = bounds(value)
        if end is None:
            return {"field": field, "lte" if inclusive else "lt": start}
        return {"field": field, "lt": end if inclusive else start}

    op = spec.op
    if op == "eq":
        return inside(operands[0])
    if op == "neq":
        return {"not": inside(operands[0])}
    if op == "in":
        return {"or": [inside(v) for v in operands]}
    if op == "not_in":
        return {"not": {"or": [inside(v) for v in operands]}}
    if op in ("gt", "gte"):
        return lower(operands[0], strictly=op == "gt")
    if op in ("lt", "lte"):
        return upper(operands[0], inclusive=op == "lte")
    return {"and": [lower(operands[0], strictly=False), upper(operands[1], inclusive=True)]}


def _datetime(stamp: pd.Timestamp) -> Spec:
    """A Vega-Lite DateTime object (months are 1-based there, as in pandas)."""
    out: Spec = {"year": stamp.year, "month": stamp.month, "date": stamp.day}
    if stamp.hour or stamp.minute or stamp.second:
        out.update(hours=stamp.hour, minutes=stamp.minute, seconds=stamp.second)
    return out


def top_n_transforms(field: str, *, value: str | None, aggregate: Aggregate, n: int, other: bool = False,
                     smallest: bool = False, time_unit: TimeUnit | None = None) -> list[Spec]:
    """Keep the ``n`` categories with the largest measure, the smallest with ``smallest`` (or relabel the
    rest "Other" when ``other``). A date grouped by ``time_unit`` is ranked by its periods ("the 5 days with
    the highest mean" of readings every 5 minutes: days, not readings).

    A ``joinaggregate`` + ``dense_rank`` window leaves the rows intact, so the encoding's own aggregate
    still applies after the cut. The rank sorts by the measure, then by the category, so that each category
    gets a rank of its own: groups tied on the measure do not share one (which would let "top 10" show 19).
    """
    op: Spec = {"op": aggregate if value is not None else "count", "as": "__group_measure"}
    if value is not None and aggregate != "count":
        op["field"] = field_ref(value)
    steps: list[Spec] = []
    key = field_ref(field)
    if time_unit is not None:
        steps.append({"timeUnit": VL_TIME_UNIT[time_unit], "field": key, "as": "__group_key"})
        key = "__group_key"
    steps += [
        {"joinaggregate": [op], "groupby": [key]},
        {
            "window": [{"op": "dense_rank", "as": "__group_rank"}],
            "sort": [{"field": "__group_measure", "order": "ascending" if smallest else "descending"},
                     {"field": key, "order": "ascending"}],
        },
    ]
    if other:
        relabel = f"datum.__group_rank <= {n} ? {expr_ref(field)} : 'Other'"
        steps.append({"calculate": relabel, "as": data_key(field)})
    else:
        steps.append({"filter": f"datum.__group_rank <= {n}"})
    return steps


# --------------------------------------------------------------------------------------------------
# inline data
# --------------------------------------------------------------------------------------------------
def with_data(
    spec: Spec, rows: pd.DataFrame, *, count_field: str = "count", cap: int = JSON_ROW_CAP
) -> tuple[Spec, list[str]]:
    """``spec`` plus ``data.values`` = ``rows`` (the plotted, already transformed rows), and notes.

    Rewrites what would be wrong over pre-aggregated rows: a row ``count`` becomes the sum of the
    ``count_field`` column, and a ``bin`` becomes ``"binned"`` with the bin end as the ``x2``/``y2`` channel.
    The data's columns are named by :func:`data_key`, as the encoding reads them; ``usermeta`` lists the
    renamed ones.
    """
    out = copy.deepcopy(spec)
    applied = out.pop("transform", None)
    out["usermeta"] = {"data": "values are the plotted rows: already filtered, aggregated and binned"}
    if applied:
        out["usermeta"]["applied_transforms"] = applied
    encoding = out.get("encoding", {})
    for name in list(encoding):
        channel = encoding[name]
        if channel.get("aggregate") == "count" and "field" not in channel:
            channel["field"] = field_ref(count_field)
            channel["aggregate"] = "sum"
        if isinstance(channel.get("bin"), dict):
            channel["bin"] = "binned"
            encoding[f"{name}2"] = {"field": field_ref(bin_end_field(field_name(channel["field"])))}
    keys = {column: data_key(str(column)) for column in rows.columns}
    renamed = {key: str(column) for column, key in keys.items() if key != str(column)}
    if renamed:
        out["usermeta"]["renamed_columns"] = renamed
    records = json_records(rows.rename(columns=keys), cap=cap)
    out["data"] = {"values": records}
    size = spec_bytes(out)
    kept = len(records)
    while size > CAPS.spec_bytes and kept:  # long values: fewer rows, so the written spec keeps its cap
        kept = int(kept * CAPS.spec_bytes / size * 0.95)
        out["data"]["values"] = records[:kept]
        size = spec_bytes(out)
    notes: list[str] = []
    if kept < len(records):
        notes.append(f"The inline chart data holds the first {kept:,} of {len(rows):,} rows "
                     f"(a spec is kept within {CAPS.spec_bytes / MB:g} MB).")
    elif len(rows) > cap:
        notes.append(f"The inline chart data holds the first {cap:,} of {len(rows):,} rows.")
    return out, notes


def literal(value: Any) -> Any:
    """A category as a spec may list it in a ``sort`` or ``scale.domain``: Vega-Lite writes those lists into
    expressions, where "constructor", "if", … (:data:`UNSAFE_LITERALS`) fail to parse and a line separator
    ends the string; such a value gets a trailing space (separators become spaces), as a title does."""
    if isinstance(value, str) and (value in UNSAFE_LITERALS or "\u2028" in value or "\u2029" in value):
        return title_text(value.replace("\u2028", " ").replace("\u2029", " "))
    return value


def literal_categories(spec: Spec) -> Spec:
    """``spec`` (in place) with every category it lists in a ``sort`` or ``scale.domain`` made a
    :func:`literal`, in those lists and in its inline rows alike, so the rows still match the lists."""
    keys: set[str] = set()
    for channel in spec.get("encoding", {}).values():
        if channel.get("type") not in ("nominal", "ordinal") or "field" not in channel:
            continue
        lists = [channel["sort"]] if isinstance(channel.get("sort"), list) else []
        domain = (channel.get("scale") or {}).get("domain")
        lists += [domain] if isinstance(domain, list) else []
        for listed in lists:
            listed[:] = [literal(v) for v in listed]
        if lists:
            keys.add(data_key(field_name(channel["field"])))
    tables = [spec.get("data", {}).get("values") or []]
    tables += [layer["data"].get("values") or [] for layer in spec.get("layer", []) if "data" in layer]
    for rows in tables:
        for row in rows:
            for key in keys & row.keys():
                row[key] = literal(row[key])
    return spec


def spec_bytes(spec: Spec) -> int:
    """The size of a spec as execution writes it (indented JSON, UTF-8)."""
    return len(json.dumps(spec, indent=2, ensure_ascii=False, default=str).encode("utf-8"))


def rows_that_fit(spec: Spec, sample: pd.DataFrame, n: int) -> int:
    """How many of ``n`` rows shaped like ``sample`` (a few of them) ``spec`` can carry inline within
    ``CAPS.spec_bytes``: ``n``, or fewer when the rows are long. A tool that thins its rows asks this first, so
    it chooses which rows to drop (never a flagged one) rather than :func:`with_data` cutting the last ones."""
    if sample.empty:
        return n
    bare = spec_bytes({"data": {"values": []}})
    per_row = (spec_bytes({"data": {"values": json_records(sample)}}) - bare) / len(sample)
    room = CAPS.spec_bytes - spec_bytes(spec) - 4096  # the usermeta with_data adds, and some slack
    return max(1, min(n, int(room / (per_row * 1.1))))
