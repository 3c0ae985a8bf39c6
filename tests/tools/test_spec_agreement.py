"""Each chart's Vega-Lite spec and its matplotlib figure draw the same chart (issue #13 point 2).

For every chart tool, on several invented datasets, the inline spec is rendered by a real Vega engine
(vl-convert) and compared with the figure's artists: the order of the categories along the axes, the colour
of each category (legend entries, in order, and every mark), how many marks are drawn, and for box plots the
statistics each box shows. Both must also be what the tool's chart data says (``ToolOutput.chart``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.tools import TOOLS, get_tool, vega
from autoviz_pipeline.tools.anomaly import AnomalyData, score_anomalies
from autoviz_pipeline.tools.chartdata import ChartData
from autoviz_pipeline.tools.charts import (
    BarData,
    BoxData,
    HeatmapData,
    HistogramData,
    LineData,
    PieData,
    ScatterData,
)
from autoviz_pipeline.tools.frame import json_records

from .scenegraph import (
    axis_labels,
    axis_ticks,
    bars,
    colour,
    hex_of,
    items,
    legend,
    marks,
    mpl_bars,
    mpl_legend,
    mpl_ticks,
    pixel_to_value,
    plain,
    render,
    stack_colours,
)
from .test_support import assert_valid_vega_lite, make_profile

pytest.importorskip("vl_convert", reason="vl-convert-python renders the specs with a real Vega engine")


# --------------------------------------------------------------------------------------------------
# invented datasets
# --------------------------------------------------------------------------------------------------
def shop() -> pd.DataFrame:
    """Revenue per region, product and month. Totals by hand: regions West 84, North 55, East 47, South 16;
    products Electronics 106, Clothing 68, Toys 28 (neither in alphabetical order)."""
    cells = {
        ("North", "Clothing"): 10, ("North", "Electronics"): 40, ("North", "Toys"): 5,
        ("South", "Clothing"): 8, ("South", "Electronics"): 6, ("South", "Toys"): 2,
        ("East", "Clothing"): 20, ("East", "Electronics"): 15, ("East", "Toys"): 12,
        ("West", "Clothing"): 30, ("West", "Electronics"): 45, ("West", "Toys"): 9,
    }  # fmt: skip
    rows = []
    for (region, product), total in cells.items():
        for month, part in ((1, 0.2), (2, 0.3), (3, 0.5)):
            revenue = total * part
            rows.append({"date": pd.Timestamp(2024, month, 15), "region": region, "product": product,
                         "revenue": revenue, "units": round(revenue / 3 + month, 2)})
    return pd.DataFrame(rows)


def sensors() -> pd.DataFrame:
    """Readings of five stations every hour, with a status; station medians Elm > Birch > Cedar > Aspen >
    Dogwood, statuses ok > warn > fail by count, a few far readings."""
    rng = np.random.default_rng(7)
    centre = {"Aspen": 20.0, "Birch": 50.0, "Cedar": 35.0, "Dogwood": 10.0, "Elm": 60.0}
    stations = np.array(list(centre))[rng.integers(0, 5, 300)]
    reading = np.array([centre[s] for s in stations]) + rng.normal(0, 6, 300)
    reading[[5, 77, 150]] = [140.0, -60.0, 190.0]
    status = rng.choice(["ok", "warn", "fail"], size=300, p=[0.6, 0.3, 0.1])
    return pd.DataFrame({"time": pd.date_range("2024-03-01", periods=300, freq="h"), "station": stations,
                         "status": status, "reading": reading.round(2), "load": rng.uniform(0, 9, 300).round(2)})


def many() -> pd.DataFrame:
    """8,000 skewed values in two groups: more rows than a spec carries, so a sample would move the boxes."""
    rng = np.random.default_rng(3)
    return pd.DataFrame({"group": np.where(rng.random(8000) < 0.5, "small", "large"),
                         "wait": rng.exponential(10, 8000).round(3)})


def flat() -> pd.DataFrame:
    """More than half the values equal: the MAD is 0 and the robust rule falls back to the mean deviation."""
    return pd.DataFrame({"day": pd.date_range("2024-01-01", periods=12, freq="D"),
                         "count": [5.0] * 8 + [6.0, 4.0, 9.0, 30.0]})


def odd() -> pd.DataFrame:
    """Categories Vega cannot take as literals in a ``sort`` or ``scale.domain`` (see ``vega.literal``)."""
    kinds = ["if", "constructor", "valueOf", "plain"] * 6
    return pd.DataFrame({"kind": kinds, "tag": (["toString", "a\u2028b", "ok"] * 8),
                         "size": np.arange(24.0) % 7 + np.arange(24) // 4})


DATASETS = {"shop": shop, "sensors": sensors, "many": many, "flat": flat, "odd": odd}

CASES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "bar": ("bar_chart", "shop", {"x": "region", "y": "revenue"}),
    "bar_stacked": ("bar_chart", "shop", {"x": "region", "y": "revenue", "color": "product"}),
    "bar_grouped": ("bar_chart", "shop", {"x": "region", "y": "revenue", "color": "product", "stacked": False}),
    "bar_counts": ("bar_chart", "sensors", {"x": "station", "color": "status"}),
    "bar_top": ("bar_chart", "sensors", {"x": "station", "y": "reading", "aggregate": "mean", "top_n": 3}),
    "bar_odd": ("bar_chart", "odd", {"x": "kind", "y": "size", "color": "tag"}),
    "line": ("line_chart", "shop", {"x": "date", "y": "revenue", "color": "product", "time_unit": "month"}),
    "line_area": ("line_chart", "shop", {"x": "date", "y": "revenue", "color": "region", "time_unit": "month",
                                         "area": True}),
    "line_stations": ("line_chart", "sensors", {"x": "time", "y": "reading", "color": "station", "time_unit": "day"}),
    "scatter": ("scatter_plot", "shop", {"x": "units", "y": "revenue", "color": "product"}),
    "scatter_status": ("scatter_plot", "sensors", {"x": "load", "y": "reading", "color": "status"}),
    "histogram": ("histogram", "sensors", {"column": "reading", "bins": 12, "color": "status"}),
    "histogram_plain": ("histogram", "shop", {"column": "revenue", "bins": 8}),
    "box": ("box_plot", "sensors", {"column": "reading", "by": "station"}),
    "box_regions": ("box_plot", "shop", {"column": "revenue", "by": "region"}),
    "box_many": ("box_plot", "many", {"column": "wait", "by": "group"}),
    "box_one": ("box_plot", "sensors", {"column": "reading"}),
    "box_odd": ("box_plot", "odd", {"column": "size", "by": "kind"}),
    "pie": ("pie_chart", "shop", {"category": "product", "value": "revenue"}),
    "pie_counts": ("pie_chart", "sensors", {"category": "station", "top_n": 3}),
    "pie_odd": ("pie_chart", "odd", {"category": "tag", "value": "size"}),
    "heatmap": ("heatmap", "shop", {"x": "region", "y": "product", "value": "revenue", "aggregate": "sum"}),
    "heatmap_counts": ("heatmap", "sensors", {"x": "station", "y": "status"}),
    "heatmap_odd": ("heatmap", "odd", {"x": "tag", "y": "kind", "value": "size", "aggregate": "mean"}),
    "correlation": ("correlation_heatmap", "sensors", {"columns": ["reading", "load"]}),
    "correlation_shop": ("correlation_heatmap", "shop", {"columns": ["revenue", "units"]}),
    "anomaly": ("anomaly_detection", "sensors", {"column": "reading"}),
    "anomaly_over_time": ("anomaly_detection", "flat", {"column": "count", "x": "day"}),
    "anomaly_iqr": ("anomaly_detection", "shop", {"column": "revenue", "method": "iqr", "x": "date"}),
}


def test_every_chart_tool_is_compared_on_two_datasets():
    datasets: dict[str, set[str]] = {}
    for tool, dataset, _ in CASES.values():
        datasets.setdefault(tool, set()).add(dataset)
    assert set(datasets) == {name for name, tool in TOOLS.items() if tool.kind == "chart"}
    assert all(len(used) >= 2 for used in datasets.values()), datasets


def run_case(case: str) -> tuple[Any, dict[str, Any], Any, pd.DataFrame]:
    """The tool's output, the Vega scenegraph of its spec, the figure's axes, and the data."""
    tool_name, dataset, params = CASES[case]
    df = DATASETS[dataset]()
    tool = get_tool(tool_name)
    out = tool.run(tool.params(**params), df, make_profile(df))
    assert_valid_vega_lite(out.spec)
    return out, render(out.spec), out.figure.axes[0], df


# --------------------------------------------------------------------------------------------------
# what each kind of chart must agree on
# --------------------------------------------------------------------------------------------------
def same_legend(scene: dict[str, Any], ax: Any, *, label=lambda text: text) -> list[tuple[str, str]]:
    """The Vega legend and the figure's legend list the same categories, in the same order, in the same colours."""
    drawn = legend(scene)
    figure = [(label(plain(text)), fill) for text, fill in mpl_legend(ax)]
    assert drawn == figure
    return drawn


def check_bars(out, scene, ax, *, category_axis: bool = True) -> None:
    if category_axis:
        assert axis_labels(scene, "bottom") == [plain(t) for t in mpl_ticks(ax)]
    same_legend(scene, ax)
    # every bar, left to right and bottom to top of each stack (or left to right within a group), by colour
    assert stack_colours(bars(scene)) == stack_colours(mpl_bars(ax))


def check_lines(out, scene, ax) -> None:
    drawn = same_legend(scene, ax)
    if out.spec["mark"] == "area" and "color" in out.spec["encoding"]:
        # stacked areas, bottom to top: Vega's bottom area has the lowest baseline (largest pixel y2)
        areas = [m for m in marks(scene) if m["marktype"] == "area" and m.get("items")]
        vega_stack = [colour(a["items"][0]) for a in sorted(areas, key=lambda a: -np.mean(
            [float(i.get("y2", 0)) for i in a["items"]]))]
        assert vega_stack == [hex_of(c.get_facecolor()[0]) for c in ax.collections]
        return
    lines = [m for m in marks(scene) if m["marktype"] == "line" and m.get("items")]
    vega_lines = sorted((colour(m["items"][0]), len(m["items"])) for m in lines)
    figure_lines = sorted((hex_of(line.get_color()), int(np.isfinite(line.get_ydata().astype(float)).sum()))
                          for line in ax.get_lines())
    assert vega_lines == figure_lines
    assert [fill for _, fill in drawn] == [hex_of(line.get_color()) for line in ax.get_lines()]


def check_points(out, scene, ax) -> None:
    same_legend(scene, ax)
    vega_points = Counter(colour(item) for item in items(scene, "symbol"))
    figure_points: Counter[str] = Counter()
    for collection in ax.collections:
        figure_points[hex_of(collection.get_facecolor()[0])] += len(collection.get_offsets())
    assert vega_points == figure_points


def check_pie(out, scene, ax) -> None:
    same_legend(scene, ax, label=lambda text: text.rsplit(" (", 1)[0])
    clockwise = sorted(items(scene, "arc"), key=lambda item: float(item["startAngle"]))
    assert [colour(item) for item in clockwise] == [hex_of(w.get_facecolor()) for w in ax.patches]


def vega_cells(scene: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Each heatmap cell's colour by its (x label, y label), the labels found by position."""
    xs, ys = axis_ticks(scene, "bottom"), axis_ticks(scene, "left")
    out = {}
    for item in items(scene, "rect"):
        x = float(item["x"]) + float(item["width"]) / 2
        y = float(item["y"]) + float(item["height"]) / 2
        column = min(xs, key=lambda tick: abs(tick[0] - x))[1]
        row = min(ys, key=lambda tick: abs(tick[0] - y))[1]
        out[(column, row)] = colour(item)
    return out


def figure_cells(ax) -> dict[tuple[str, str], str]:
    (image,) = ax.images
    grid = np.ma.masked_invalid(image.get_array())
    columns = {round(t): plain(label.get_text()) for t, label in zip(ax.get_xticks(), ax.get_xticklabels())}
    rows = {round(t): plain(label.get_text()) for t, label in zip(ax.get_yticks(), ax.get_yticklabels())}
    return {(columns[j], rows[i]): hex_of(image.cmap(image.norm(grid[i, j])))
            for (i, j), value in np.ndenumerate(grid.filled(np.nan)) if np.isfinite(value)}


def close_colours(a: str, b: str, tolerance: float = 0.06) -> bool:
    from matplotlib import colors as mcolors

    return float(np.abs(np.subtract(mcolors.to_rgb(a), mcolors.to_rgb(b))).max()) <= tolerance


def check_heatmap(out, scene, ax) -> None:
    assert axis_labels(scene, "bottom") == [plain(t) for t in mpl_ticks(ax)]
    assert axis_labels(scene, "left") == [plain(t) for t in mpl_ticks(ax, "y")]  # top to bottom
    drawn, figure = vega_cells(scene), figure_cells(ax)
    assert drawn.keys() == figure.keys()
    wrong = {cell: (drawn[cell], figure[cell]) for cell in drawn if not close_colours(drawn[cell], figure[cell])}
    assert not wrong


def vega_boxes(scene: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each box's statistics as Vega drew them, by its x label: pixels turned back into values."""
    value = pixel_to_value(scene, "left")
    labels = axis_ticks(scene, "bottom")
    out = {}
    boxes = items(scene, "rect", role="box")
    for box in boxes:
        left, right = float(box["x"]), float(box["x"]) + float(box["width"])
        centre = (left + right) / 2
        label = min(labels, key=lambda tick: abs(tick[0] - centre))[1] if labels else ""
        inside = [i for i in items(scene, "rect") if i is not box and left - 0.5 <= float(i["x"]) <= right
                  and float(i.get("height", 0)) <= 3]
        (median,) = inside
        whiskers = [i for i in items(scene, "rule") if abs(float(i["x"]) - centre) < 0.5]
        ends = [float(w[k]) for w in whiskers for k in ("y", "y2")]
        fliers = [i for i in items(scene, "symbol") if abs(float(i["x"]) - centre) < 0.5]
        out[label] = {
            "q1": value(float(box["y"]) + float(box["height"])), "q3": value(float(box["y"])),
            "med": value(float(median["y"]) + float(median.get("height", 0)) / 2),
            "whislo": value(max(ends)), "whishi": value(min(ends)), "fliers": len(fliers),
        }
    return out


def figure_boxes(ax) -> dict[str, dict[str, float]]:
    """Each box's statistics as matplotlib drew them (``bxp`` with patch_artist), by its x label."""
    labels = {round(t): plain(label.get_text()) for t, label in zip(ax.get_xticks(), ax.get_xticklabels())}
    out = {}
    for patch in ax.patches:
        xy = patch.get_path().vertices
        left, right = xy[:, 0].min(), xy[:, 0].max()
        centre = (left + right) / 2
        lines = [line.get_xydata() for line in ax.get_lines() if line.get_linestyle() != "None"]
        (median,) = [xy2 for xy2 in lines if len(xy2) == 2 and np.allclose(xy2[:, 0], [left, right])]
        whiskers = [xy2 for xy2 in lines if len(xy2) == 2 and np.allclose(xy2[:, 0], centre)]
        fliers = [line for line in ax.get_lines() if line.get_linestyle() == "None"
                  and len(line.get_xdata()) and np.allclose(line.get_xdata(), centre)]
        ends = np.concatenate([w[:, 1] for w in whiskers])
        out[labels.get(round(centre), "")] = {
            "q1": xy[:, 1].min(), "q3": xy[:, 1].max(), "med": median[0, 1],
            "whislo": ends.min(), "whishi": ends.max(), "fliers": sum(len(f.get_xdata()) for f in fliers),
        }
    return out


def check_boxes(out, scene, ax) -> None:
    drawn, figure = vega_boxes(scene), figure_boxes(ax)
    if len(figure) > 1:
        assert axis_labels(scene, "bottom") == [plain(t) for t in mpl_ticks(ax)]
    assert list(drawn) == list(figure) or len(figure) == 1
    span = max(s["whishi"] for s in figure.values()) - min(s["whislo"] for s in figure.values())
    for (label, ours), theirs in zip(drawn.items(), figure.values(), strict=True):
        assert ours["fliers"] == theirs["fliers"], label
        for stat in ("q1", "med", "q3", "whislo", "whishi"):
            assert ours[stat] == pytest.approx(theirs[stat], abs=1e-6 * span), (label, stat)


def check_anomalies(out, scene, ax) -> None:
    from autoviz_pipeline.tools.chartdata import FLAG_COLOR, MUTED_COLOR

    drawn = dict(legend(scene))
    assert drawn == {"normal": MUTED_COLOR, "flagged": FLAG_COLOR}
    figure = {plain(text).split(" (")[0]: fill for text, fill in mpl_legend(ax)}
    assert {k: figure[k] for k in drawn} == drawn
    check_points_by_colour(scene, ax)


def check_points_by_colour(scene, ax) -> None:
    vega_points = Counter(colour(item) for item in items(scene, "symbol"))
    figure_points: Counter[str] = Counter()
    for collection in ax.collections:
        if len(collection.get_offsets()):
            figure_points[hex_of(collection.get_facecolor()[0])] += len(collection.get_offsets())
    assert vega_points == figure_points


CHECKS = {
    "bar_chart": check_bars,
    "histogram": lambda out, scene, ax: check_bars(out, scene, ax, category_axis=False),
    "line_chart": check_lines,
    "scatter_plot": check_points,
    "pie_chart": check_pie,
    "heatmap": check_heatmap,
    "correlation_heatmap": check_heatmap,
    "box_plot": check_boxes,
    "anomaly_detection": check_anomalies,
}


def drawn_marks(chart: ChartData, scene: dict[str, Any]) -> tuple[int, int]:
    """(what the chart data says is drawn, what Vega drew): bars, points, slices, cells, boxes and outliers."""
    if isinstance(chart, (BarData, HistogramData)):
        return int((chart.rows[chart.count_field] != 0).sum()), len(bars(scene))
    if isinstance(chart, LineData):
        if chart.stacked:
            return len(chart.names), sum(1 for m in marks(scene) if m["marktype"] == "area" and m.get("items"))
        points = sum(len(chart.shown[n]) if n in chart.shown else int(chart.values[n].notna().sum())
                     for n in chart.names)
        return points, sum(len(m["items"]) for m in marks(scene) if m["marktype"] == "line")
    if isinstance(chart, (ScatterData, AnomalyData)):
        return len(chart.rows), len(items(scene, "symbol"))
    if isinstance(chart, PieData):
        return len(chart.sizes), len(items(scene, "arc"))
    if isinstance(chart, HeatmapData):
        return int(np.isfinite(chart.grid).sum()), len(items(scene, "rect"))
    assert isinstance(chart, BoxData)
    boxes, fliers = len(chart.stats), sum(len(st["fliers"]) for st in chart.stats)
    return boxes * 1000 + fliers, len(items(scene, "rect", role="box")) * 1000 + len(items(scene, "symbol"))


def check_chart_data(out, scene, ax) -> None:
    """Both renderings are the chart data's: its categories in its order, its colours, its marks."""
    chart = out.chart
    assert isinstance(chart, ChartData) and chart.empty is None
    assert len(out.spec["data"]["values"]) == len(chart.rows)
    if chart.colours is not None:
        listed = chart.colours.legend
        assert [fill for _, fill in legend(scene)] == [fill for _, _, fill in listed]
        assert [plain(text) for text, _ in mpl_legend(ax)][: len(listed)] == [plain(label) for _, label, _ in listed]
    labels = getattr(chart, "x_labels", None)
    if labels and axis_labels(scene, "bottom") and not isinstance(chart, LineData):
        assert axis_labels(scene, "bottom") == [plain(label) for label in labels]
    if isinstance(chart, HeatmapData):
        assert axis_labels(scene, "left") == [plain(label) for label in chart.y_labels]
    expected, drawn = drawn_marks(chart, scene)
    assert drawn == expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_spec_and_the_figure_draw_the_same_chart(case):
    out, scene, ax, _ = run_case(case)
    CHECKS[CASES[case][0]](out, scene, ax)
    check_chart_data(out, scene, ax)


def test_the_data_free_anomaly_spec_flags_what_the_tool_flags():
    """The spec that computes its own flags from the raw rows uses the same rule, MAD = 0 fallback included."""
    df = flat()
    tool = get_tool("anomaly_detection")
    model = tool.params(column="count", x="day")
    bare = tool.run(model, df, make_profile(df)).chart.spec  # its transforms, before the rows are inline
    scene = render({**bare, "datasets": {vega.DATA_NAME: json_records(df)}})
    flagged = int(score_anomalies(df["count"], method="robust_z").flagged.sum())
    assert flagged == 1  # 30, by the mean absolute deviation (the MAD alone would flag nothing, or everything)
    from autoviz_pipeline.tools.chartdata import FLAG_COLOR

    assert sum(colour(item) == FLAG_COLOR for item in items(scene, "symbol")) == flagged


def test_box_statistics_are_over_every_row_not_a_sample():
    """8,000 values: the spec's boxes are numpy's quartiles and 1.5×IQR whiskers over every value of a group."""
    out, _, _, df = run_case("box_many")
    for row in out.spec["data"]["values"]:
        values = df.loc[df["group"] == row["group"], "wait"].to_numpy()
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        inside = values[(values >= q1 - 1.5 * (q3 - q1)) & (values <= q3 + 1.5 * (q3 - q1))]
        assert (row["Q1"], row["median"], row["Q3"], row["rows"]) == (q1, median, q3, len(values))
        assert (row["lower whisker"], row["upper whisker"]) == (inside.min(), inside.max())
