"""Every chart tool's Vega-Lite specs render in a real Vega engine whatever the columns are called.

Quotes, brackets, dots, backslashes, line breaks, ``__proto__``, ``constructor``, ``toString`` and ``if`` each
broke Vega-Lite or Vega in their own way (a parse error, a compile error, a silently empty axis). Each spec is
rendered with vl-convert (the Vega-Lite compiler and the Vega runtime, in Deno) to a scenegraph, and the test
counts what was drawn, reads the category labels, and finds each column's name in a title.

The data is invented: a few rows with three categories, two series, two numbers and a date.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from autoviz_pipeline.contracts import FilterSpec
from autoviz_pipeline.tools import TOOLS, get_tool, vega
from autoviz_pipeline.tools.frame import json_records

from .scenegraph import marks, render, texts
from .test_support import assert_valid_vega_lite, make_profile

vlc = pytest.importorskip("vl_convert", reason="vl-convert-python renders the specs with a real Vega engine")

HOSTILE_NAMES = [
    "it's",
    'a"b',
    '"]',
    "a.b",
    "x[0]",
    "back\\slash",
    "__proto__",
    "constructor",
    "toString",
    "new\nline",
    "if",
    "tab\there \\\"q\\u",
    "  ",
]
ROLES = ("cat", "series", "num", "num2", "date")


def hostile_frame(shift: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Eight invented rows whose five columns take five hostile names, starting at ``HOSTILE_NAMES[shift]``."""
    names = {role: HOSTILE_NAMES[(shift + i) % len(HOSTILE_NAMES)] for i, role in enumerate(ROLES)}
    df = pd.DataFrame(
        {
            names["cat"]: ["Alder", "Alder", "Birch", "Cedar", "Cedar", "Cedar", "Birch", "Alder"],
            names["series"]: ["wet", "dry", "wet", "dry", "wet", "dry", "dry", "wet"],
            names["num"]: [4.0, 7.0, 2.5, 9.0, 1.0, 30.0, 6.0, 5.5],
            names["num2"]: [1.0, 3.0, 2.0, 8.0, 5.0, 6.0, 4.0, 7.5],
            names["date"]: pd.to_datetime(
                ["2021-01-05", "2021-01-20", "2021-02-03", "2021-02-17", "2021-03-02", "2021-03-30", "2021-04-11",
                 "2021-04-25"]
            ),
        }
    )
    return df, names


# case → (tool, params with role names standing for the columns, the role whose name is a title as it is)
CASES: dict[str, tuple[str, dict[str, Any], str | None]] = {
    "bar_chart": ("bar_chart", {"x": "cat", "y": "num", "color": "series", "top_n": 2, "stacked": False}, "cat"),
    "bar_chart_binned": ("bar_chart", {"x": "num2", "x_bin": 4, "y": "num"}, "num2"),
    "line_chart": ("line_chart", {"x": "date", "y": "num", "color": "cat", "time_unit": "month"}, "cat"),
    "scatter_plot": ("scatter_plot", {"x": "num", "y": "num2", "color": "cat", "size": "num"}, "num2"),
    "histogram": ("histogram", {"column": "num", "bins": 5, "color": "series"}, "num"),
    "box_plot": ("box_plot", {"column": "num", "by": "cat"}, "cat"),
    "pie_chart": ("pie_chart", {"category": "cat", "value": "num", "top_n": 2}, "cat"),
    "heatmap": ("heatmap", {"x": "cat", "y": "series", "value": "num", "aggregate": "mean"}, "series"),
    "correlation_heatmap": ("correlation_heatmap", {"columns": ["num", "num2"]}, None),
    "anomaly_detection": ("anomaly_detection", {"column": "num", "x": "date", "threshold": 2.0}, "date"),
    "anomaly_detection_by_row": ("anomaly_detection", {"column": "num", "method": "iqr"}, "num"),
}


def test_every_chart_tool_is_rendered():
    assert {tool for tool, _, _ in CASES.values()} == {name for name, tool in TOOLS.items() if tool.kind == "chart"}


def filters_keeping_every_row(names: dict[str, str]) -> list[FilterSpec]:
    """One filter of each kind (scalar, category, date, date part) on hostile columns, none dropping a row."""
    return [
        FilterSpec(column=names["num"], op="range", values=[-100, 100]),
        FilterSpec(column=names["cat"], op="not_in", values=["Zelkova"]),
        FilterSpec(column=names["date"], op="gte", value="2020"),
        FilterSpec(column=names["date"], op="in", values=[1, 2, 3, 4], part="month"),
    ]


# --------------------------------------------------------------------------------------------------
# reading what Vega drew
# --------------------------------------------------------------------------------------------------
def _newest(versions: list[str]) -> str:
    return max(versions, key=lambda v: [int(part) for part in v.split(".")])


VL_VERSIONS = sorted(
    {_newest([v for v in vlc.get_vegalite_versions() if v.startswith("5.")]), _newest(vlc.get_vegalite_versions())}
)
"""The newest Vega-Lite 5 (the specs' ``$schema``, what the Vega editor picks for them) and the newest of all."""


def drawn(scenegraph: dict[str, Any], marktype: str) -> int:
    """How many items of ``marktype`` the chart's marks drew."""
    return sum(len(m.get("items", [])) for m in marks(scenegraph) if m["marktype"] == marktype)


def line_series(scenegraph: dict[str, Any]) -> int:
    """How many separate lines were drawn (one line mark per series, each with its points as items)."""
    return sum(1 for m in marks(scenegraph) if m["marktype"] == "line" and m.get("items"))


def shown(name: str) -> str:
    """A column name as a title shows it: line breaks and tabs as spaces, no surrounding blanks."""
    return re.sub(r"[\x00-\x1f]", " ", name).strip()


def labels(scenegraph: dict[str, Any]) -> set[str]:
    return set(texts(scenegraph, {"axis-label", "legend-label"}))


def titles(scenegraph: dict[str, Any]) -> list[str]:
    return [t.strip() for t in texts(scenegraph, {"axis-title", "legend-title", "title-text"})]


# what each tool draws per inline data row: its mark type, and whether each row is one item
ROW_MARK = {
    "bar_chart": "rect",
    "histogram": "rect",
    "heatmap": "rect",
    "correlation_heatmap": "rect",
    "pie_chart": "arc",
    "scatter_plot": "symbol",
    "anomaly_detection": "symbol",
}


def data_key(field: str) -> str:
    """The inline data's key a Vega-Lite ``field`` reads (``\\`` escapes the next character)."""
    return re.sub(r"\\(.)", r"\1", field, flags=re.DOTALL)


def expected_items(tool: str, spec: dict[str, Any]) -> int:
    """How many items the inline spec must draw (see :func:`count`), worked out from its own plotted rows."""
    rows = spec["data"]["values"]
    if tool in ROW_MARK:
        return len(rows)
    assert tool in ("line_chart", "box_plot")
    key = data_key(spec["encoding"]["color" if tool == "line_chart" else "x"]["field"])
    return len({row[key] for row in rows})  # a line or a box per category


def count(tool: str, scenegraph: dict[str, Any]) -> int | None:
    """What a tool drew: an item per plotted row, a line per series, a box per group (a box plot's rect
    marks, the box and the median tick, each hold one item per box; ``None`` if they disagree)."""
    if tool == "line_chart":
        return line_series(scenegraph)
    if tool == "box_plot":
        boxes = {len(m.get("items", [])) for m in marks(scenegraph) if m["marktype"] == "rect"}
        return boxes.pop() if len(boxes) == 1 else None
    return drawn(scenegraph, ROW_MARK[tool])


def category_values(spec: dict[str, Any]) -> set[str]:
    """The values of every nominal channel in the inline data: each must be drawn as a label."""
    out: set[str] = set()
    for channel in spec["encoding"].values():
        if channel.get("type") == "nominal" and "field" in channel and channel.get("title") is not None:
            key = data_key(channel["field"])
            out |= {str(row[key]) for row in spec["data"]["values"] if row.get(key) is not None}
    return out


def with_columns(roles: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A case's params with each role ("cat", "num", ...) replaced by the column that has it."""

    def column(value: Any) -> Any:
        return names.get(value, value) if isinstance(value, str) else value

    return {key: [column(v) for v in value] if isinstance(value, list) else column(value)
            for key, value in roles.items()}


def used_columns(roles: dict[str, Any], names: dict[str, str]) -> list[str]:
    values = [v for value in roles.values() for v in (value if isinstance(value, list) else [value])]
    return [names[v] for v in values if isinstance(v, str) and v in names]


@pytest.mark.parametrize("version", VL_VERSIONS)
@pytest.mark.parametrize("shift", range(len(HOSTILE_NAMES)))
@pytest.mark.parametrize("case", sorted(CASES))
def test_specs_render_in_vega_whatever_the_column_names(case, shift, version):
    tool_name, roles, titled = CASES[case]
    df, names = hostile_frame(shift)
    filters = filters_keeping_every_row(names) if tool_name != "correlation_heatmap" else []
    tool = get_tool(tool_name)
    model = tool.params(**with_columns(roles, names), filters=filters)
    profile = make_profile(df)
    output = tool.run(model, df, profile)
    spec = output.spec
    assert_valid_vega_lite(spec)
    columns = used_columns(roles, names)

    # the inline spec: drawn in full, every category labelled, every column named in a title
    scene = render(spec, version)
    expected = expected_items(tool_name, spec)
    assert expected > 1
    assert count(tool_name, scene) == expected
    drawn_labels = labels(scene)
    assert category_values(spec) <= drawn_labels
    assert not drawn_labels & {"undefined", "null", "NaN"}
    if titled is None:  # correlation_heatmap: the columns are the categories of both axes
        assert {shown(c) for c in columns} <= {shown(label) for label in drawn_labels}
    else:
        assert shown(names[titled]) in titles(scene), (names[titled], titles(scene))
        for column in columns:
            assert any(shown(column) in title for title in titles(scene)), (column, titles(scene))

    # the spec before its rows are inline (its transforms), over the raw rows under their real names: the same
    # marks and titles
    if tool_name == "correlation_heatmap":  # its data is the correlation matrix, not the CSV
        return
    bare = output.chart.spec
    assert_valid_vega_lite(bare)
    raw_scene = render({**bare, "datasets": {vega.DATA_NAME: json_records(df)}}, version)
    if tool_name == "histogram" or "x_bin" in roles:  # Vega-Lite bins for itself; its edges need not be ours
        assert drawn(raw_scene, "rect") >= 2
    else:
        assert count(tool_name, raw_scene) == expected
        # the same categories; the inline data names the lumped slice "Other (N more)", Vega-Lite "Other"
        assert {c for c in category_values(spec) if not c.startswith("Other")} <= labels(raw_scene)
    assert shown(names[titled]) in titles(raw_scene), (names[titled], titles(raw_scene))


@pytest.mark.parametrize("version", VL_VERSIONS)
def test_blank_names_and_titles_vega_misreads_render_as_typed(version):
    """What no chart tool is likely to meet (the pipeline renames blank columns), built with the helpers."""
    rows = pd.DataFrame({"": ["Alder", "Birch", "Cedar"], "  ": [3.0, 1.0, 2.0], "if": ["wet", "dry", "wet"]})
    profile = make_profile(rows)
    x_title, y_title = 'C:\\users\\"x"\\1', "constructor"
    spec = vega.build_spec(
        title="toString",
        mark="bar",
        profile=profile,
        encoding={
            "x": vega.group_channel("", type="nominal", title=x_title),
            "y": vega.measure_channel("  ", "sum", title=y_title),
            "color": vega.group_channel("if", type="nominal", title="a\u2028b"),
        },
    )
    inline, _ = vega.with_data(spec, rows)
    scene = render(inline, version)
    assert drawn(scene, "rect") == 3
    assert {"Alder", "Birch", "Cedar", "wet", "dry"} <= labels(scene)
    assert texts(scene, {"axis-title"}) == [x_title, "constructor "]  # the bare word would not be drawn at all
    assert texts(scene, {"legend-title"}) == ["a b"]
    assert texts(scene, {"title-text"}) == ["toString "]
    bare_scene = render({**spec, "datasets": {vega.DATA_NAME: json_records(rows)}}, version)
    assert drawn(bare_scene, "rect") == 3
