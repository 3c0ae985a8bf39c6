"""anomaly_detection: flag rows whose value sits far from the bulk of a numeric column.

Both rules are robust on purpose. A mean/standard-deviation z-score is dragged by the very outliers it
looks for (one 10× spike inflates σ enough to hide itself), whereas the median, the MAD and the quartiles
barely move. The tool returns a chart (flagged points highlighted against the thresholds) and the flagged
rows as a table, so the report can show both where the anomalies are and what else those rows hold.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from pydantic import Field

from ..contracts import DatasetProfile
from . import vega
from .caps import CAPS
from .chartdata import FLAG_COLOR, MUTED_COLOR, ChartData, Colours
from .charts import (
    chart_output,
    colour_legend,
    draw_points,
    dress_axis,
    finish_axes,
    format_number,
    key_label,
    new_figure,
    plot_positions,
    plural,
    role_of,
    spec_only,
    split_column,
)
from .downsample import all_distinct, axis_numbers, drawn_note, keep_flagged
from .frame import numeric_values, require_columns, sample_positions, unique_name
from .registry import GroupCol, NumericCol, ToolOutput, ToolParams, ToolSpec

logger = logging.getLogger(__name__)

ROBUST_Z_FACTOR = 0.6745
"""Φ⁻¹(0.75): scales the MAD so a robust z matches an ordinary z on normal data (Iglewicz & Hoaglin)."""
MEAN_AD_FACTOR = 1.2533
"""√(π/2): the mean absolute deviation times this estimates σ on normal data; the fallback when MAD is 0."""

Method = Literal["robust_z", "iqr"]


class AnomalyDetectionParams(ToolParams):
    """Flag unusual values of a numeric column with a robust rule, and list the flagged rows."""

    column: NumericCol = Field(description="Numeric column to check for unusual values.")
    method: Method = Field(
        "robust_z",
        description="robust_z: distance from the median in MAD units; iqr: outside the quartile fences.",
    )
    threshold: float = Field(
        3.5, gt=0, le=50, description="robust_z only: flag rows whose |robust z| is above this (3.5 is usual)."
    )
    iqr_k: float = Field(
        1.5,
        gt=0,
        le=20,
        description="iqr only: flag values below Q1 - k*IQR or above Q3 + k*IQR (1.5 usual, 3 = extreme).",
    )
    x: GroupCol | None = Field(
        None, description="Optional column to plot the values against (e.g. a date); empty uses the row number."
    )


@dataclass(frozen=True)
class AnomalyScores:
    """Scores and flags for the non-missing values of a column, with the value bounds they imply."""

    scores: pd.Series
    flagged: pd.Series
    rule: str
    lower: float | None = None
    upper: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def score_anomalies(values: pd.Series, *, method: Method, threshold: float = 3.5, iqr_k: float = 1.5) -> AnomalyScores:
    """Score each value and flag the unusual ones.

    ``robust_z`` = 0.6745 · (v − median) / MAD, flagged when ``|z| > threshold``. When more than half the
    values are equal the MAD is 0 and every other value would score infinity, so the mean absolute
    deviation (times √(π/2)) stands in; if that is 0 too, all values are equal and nothing is flagged.
    ``iqr`` flags values outside ``[Q1 − k·IQR, Q3 + k·IQR]`` and scores (v − median) / IQR; an IQR of 0
    flags nothing, with a note, rather than flagging every value off the mode.
    """
    values = values.dropna().astype("float64")
    if values.empty:
        return _unscored(values, "no values")
    median = float(np.median(values.to_numpy()))
    deviation = values - median
    if method == "iqr":
        q1, q3 = (float(q) for q in values.quantile([0.25, 0.75]))
        iqr = q3 - q1
        if iqr <= 0:
            note = (
                f"The IQR is 0 (at least half the values equal {format_number(median)}), so the IQR rule "
                "flags nothing; method robust_z can still find outliers."
            )
            return _unscored(values, f"outside {iqr_k:g}×IQR fences", note)
        lower, upper = q1 - iqr_k * iqr, q3 + iqr_k * iqr
        rule = f"outside the {iqr_k:g}×IQR fences {format_number(lower)} to {format_number(upper)}"
        return AnomalyScores(deviation / iqr, (values < lower) | (values > upper), rule, lower, upper)

    notes: tuple[str, ...] = ()
    rule = f"|robust z| > {threshold:g}"
    distance = np.abs(deviation.to_numpy())
    mad = float(np.median(distance, overwrite_input=True))  # reorders its own copy: one array less at 10 M rows
    if mad > 0:
        scale = mad / ROBUST_Z_FACTOR
    else:
        mean_ad = float(distance.mean())
        if mean_ad <= 0:
            note = f"All {len(values):,} values equal {format_number(median)}; nothing to flag."
            return _unscored(values, rule, note)
        scale = MEAN_AD_FACTOR * mean_ad
        rule += " using the mean absolute deviation"
        notes = (
            (f"The MAD is 0 (more than half the values equal {format_number(median)}); "
             "scores use the mean absolute deviation instead."),
        )
    del distance
    scores = deviation / scale
    return AnomalyScores(
        scores, scores.abs() > threshold, rule, median - threshold * scale, median + threshold * scale, notes
    )


def _unscored(values: pd.Series, rule: str, *notes: str) -> AnomalyScores:
    """Every value scored 0 and none flagged (made only when needed: two arrays as long as the column)."""
    return AnomalyScores(pd.Series(0.0, index=values.index), pd.Series(False, index=values.index), rule,
                         notes=notes)


def _field_names(names: Any) -> dict[str, str]:
    """Derived column names that cannot clash with the CSV's own."""
    taken = list(names)
    return {base: unique_name(base, taken) for base in ("row", "score", "anomaly")}


def _transforms(params: AnomalyDetectionParams, fields: dict[str, str]) -> list[dict[str, Any]]:
    """The scoring rule as Vega-Lite transforms, so the data-free spec flags what the tool flags."""
    value, col = vega.expr_ref(params.column), vega.field_ref(params.column)
    score, flag = vega.data_key(fields["score"]), vega.data_key(fields["anomaly"])
    steps: list[dict[str, Any]] = []
    if params.x is None:
        steps.append({"window": [{"op": "row_number", "as": vega.data_key(fields["row"])}]})
    if params.method == "iqr":
        k = params.iqr_k
        steps += [
            {
                "joinaggregate": [
                    {"op": "q1", "field": col, "as": "__q1"},
                    {"op": "q3", "field": col, "as": "__q3"},
                    {"op": "median", "field": col, "as": "__median"},
                ]
            },
            {"calculate": "datum.__q3 - datum.__q1", "as": "__iqr"},
            {"calculate": f"datum.__iqr > 0 ? ({value} - datum.__median) / datum.__iqr : 0", "as": score},
            {
                "calculate": f"datum.__iqr > 0 && ({value} < datum.__q1 - {k} * datum.__iqr || "
                f"{value} > datum.__q3 + {k} * datum.__iqr) ? 'flagged' : 'normal'",
                "as": flag,
            },
        ]
    else:
        # the MAD, or where more than half the values are equal (MAD 0) the mean absolute deviation × √(π/2),
        # as score_anomalies does; all values equal: no scale, nothing flagged
        steps += [
            {"joinaggregate": [{"op": "median", "field": col, "as": "__median"}]},
            {"calculate": f"abs({value} - datum.__median)", "as": "__abs_dev"},
            {"joinaggregate": [{"op": "median", "field": "__abs_dev", "as": "__mad"},
                               {"op": "mean", "field": "__abs_dev", "as": "__mean_ad"}]},
            {"calculate": f"datum.__mad > 0 ? datum.__mad / {ROBUST_Z_FACTOR} : {MEAN_AD_FACTOR} * datum.__mean_ad",
             "as": "__scale"},
            {"calculate": f"datum.__scale > 0 ? ({value} - datum.__median) / datum.__scale : 0", "as": score},
            {"calculate": f"abs({vega.expr_ref(fields['score'])}) > {params.threshold} ? 'flagged' : 'normal'",
             "as": flag},
        ]
    return steps


def _spec(params: AnomalyDetectionParams, profile: DatasetProfile, fields: dict[str, str]) -> dict[str, Any]:
    x = params.x if params.x != params.column else None
    if x is not None:
        x_channel = vega.group_channel(x, type=vega.column_type(profile, x))
    else:
        x_channel = {"field": vega.field_ref(fields["row"]), "type": "quantitative", "title": "Row"}
    encoding = {
        "x": x_channel,
        "y": {"field": vega.field_ref(params.column), "type": "quantitative", "title": params.column},
        "color": {
            "field": vega.field_ref(fields["anomaly"]),
            "type": "nominal",
            "title": None,
            "scale": {"domain": ["normal", "flagged"], "range": [MUTED_COLOR, FLAG_COLOR]},
        },
    }
    title = f"Anomalies in {params.column}" + (f" over {x}" if x else "")
    return vega.build_spec(
        title=title,
        mark="point",
        encoding=encoding,
        filters=params.filters,
        profile=profile,
        transforms=_transforms(params.model_copy(update={"x": x}), fields),
    )


@dataclass(kw_only=True)
class AnomalyData(ChartData):
    """The scored values drawn: ``shown`` (positions among the scored rows, along x when ``line``), each
    ``flags``-ged or not, and the rule's thresholds; ``rows`` hold the same points, the flagged ones last (on
    top, as drawn)."""

    xs: np.ndarray
    ys: np.ndarray
    flags: np.ndarray
    shown: np.ndarray
    line: bool
    bounds: tuple[float | None, float | None]
    x_kind: str
    x_labels: list[str] | None
    x_title: str
    y_title: str


def anomaly_data(params: AnomalyDetectionParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """Score the column, choose the points drawn (every flagged one while they fit) and list the flagged rows."""
    require_columns(df, {"column": params.column, "x": params.x})
    notes: list[str] = []
    x = split_column(params.x, params.column, notes=notes)
    fields = _field_names([*profile.column_names, *map(str, df.columns)])
    spec = _spec(params, profile, fields)
    title = spec["title"]
    values = numeric_values(df, params.column, param="column")
    present = values.notna().to_numpy()
    missing = int((~present).sum())
    if missing:
        notes.append(f"{plural(missing, 'row')} with no {params.column} not scored.")
    if not present.any():
        reason = f"{params.column} has no values" if len(df) else "no rows are left after filtering"
        return ChartData(title=title, spec=spec, notes=notes, empty=reason,
                         table=df.head(0).assign(**{fields["score"]: pd.Series(dtype="float64")}))

    result = score_anomalies(values[present], method=params.method, threshold=params.threshold, iqr_k=params.iqr_k)
    notes += result.notes
    scores = result.scores.to_numpy()
    flags = result.flagged.to_numpy(dtype=bool)
    rows = df if present.all() else df.iloc[np.flatnonzero(present)]  # no copy of a column with no gaps

    table = rows[flags].copy()
    table[fields["score"]] = scores[flags]
    table = table.iloc[np.argsort(-np.abs(scores[flags]), kind="stable")]

    if x is not None:
        positions, x_labels, x_kind = plot_positions(rows[x], role=role_of(profile, x))
        xs, x_numbers = positions.to_numpy(), axis_numbers(positions)
        x_field = x
    else:
        numeric_index = pd.api.types.is_integer_dtype(rows.index)
        xs = rows.index.to_numpy() if numeric_index else np.flatnonzero(present)
        x_labels, x_kind, x_field, x_numbers = None, "quantitative", fields["row"], xs.astype("float64")
    ys = values.to_numpy() if len(rows) == len(df) else values[present].to_numpy()

    def plotted(at: np.ndarray) -> pd.DataFrame:
        """The chart data of these rows (positions among the scored rows)."""
        return pd.DataFrame(
            {
                x_field: rows[x].iloc[at].to_numpy() if x is not None else xs[at],
                params.column: ys[at],
                fields["score"]: scores[at],
                fields["anomaly"]: np.where(flags[at], "flagged", "normal"),
            }
        )

    # a trace only where x identifies the row: a line of raw values, thinned by LTTB; else a cloud of points
    line = x_kind != "nominal" and all_distinct(x_numbers)
    # rows already in order along x (row numbers, times in file order) are not copied into that order
    order = np.argsort(x_numbers, kind="stable") if line and not (np.diff(x_numbers) >= 0).all() else None
    budget = vega.rows_that_fit(spec, plotted(sample_positions(len(xs), 500)), CAPS.spec_rows)
    along = (x_numbers, ys, flags) if order is None else (x_numbers[order], ys[order], flags[order])
    kept, how = keep_flagged(*along, budget, line=line and bool(np.isfinite(x_numbers).all()))
    del along
    shown = kept if order is None else order[kept]  # positions among the scored rows, along x for a line
    if how is not None:
        notes.append(drawn_note(len(shown), len(xs), how, uses="the finding and the table use every row"))

    flagged_count, total = int(flags.sum()), int(present.sum())
    finding = f"{flagged_count:,} of {total:,} rows flagged in {params.column} ({result.rule})"
    if flagged_count:
        worst = table.iloc[0]
        where = f"{x} = {key_label(worst[x])}" if x is not None else f"row {table.index[0]}"
        finding += (
            f"; the most extreme is {format_number(worst[params.column])} at {where} "
            f"(score {worst[fields['score']]:.1f})"
        )
    finding += "."
    logger.info("anomaly_detection flagged %d of %d values of %r", flagged_count, total, params.column)
    colours = Colours(fields["anomaly"], ("normal", "flagged"), ("normal", f"flagged ({flagged_count:,})"),
                      (MUTED_COLOR, FLAG_COLOR))
    drawn = np.sort(shown)
    return AnomalyData(
        title=title, spec=spec, rows=plotted(np.r_[drawn[~flags[drawn]], drawn[flags[drawn]]]), finding=finding,
        notes=notes, colours=colours, table=table, xs=xs, ys=ys, flags=flags, shown=shown, line=line,
        bounds=(result.lower, result.upper), x_kind=x_kind, x_labels=x_labels,
        x_title=x if x is not None else "Row", y_title=params.column,
    )


def draw_anomalies(chart: AnomalyData) -> Figure:
    """The values (a faint trace along x when it identifies the rows), flagged ones on top, and the thresholds."""
    fig, ax = new_figure()
    xs, ys, flags, shown = chart.xs, chart.ys, chart.flags, chart.shown
    if chart.line:
        ax.plot(xs[shown], ys[shown], color=MUTED_COLOR, linewidth=0.6, alpha=0.5)
    normal, marked = shown[~flags[shown]], shown[flags[shown]]
    draw_points(ax, xs[normal], ys[normal], s=12, color=MUTED_COLOR, linewidths=0)
    draw_points(ax, xs[marked], ys[marked], s=40, color=FLAG_COLOR, edgecolors="black", linewidths=0.5, zorder=3)
    thresholds = [ax.axhline(bound, color=FLAG_COLOR, linestyle="--", linewidth=1, alpha=0.6)
                  for bound in chart.bounds if bound is not None]
    dress_axis(ax, "x", chart.x_kind, chart.x_labels)
    dress_axis(ax, "y", "quantitative", None)
    finish_axes(ax, title=chart.title, xlabel=chart.x_title, ylabel=chart.y_title)
    if chart.colours is not None:
        colour_legend(ax, chart.colours, handle="point", extra=[(thresholds[0], "threshold")] if thresholds else [],
                      titled=False)
    return fig


def anomaly_detection(params: AnomalyDetectionParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Score the column, draw it with flagged points highlighted, and return the flagged rows as a table."""
    return chart_output(anomaly_data(params, df, profile), draw_anomalies)


ANOMALY_TOOL = ToolSpec(
    name="anomaly_detection",
    kind="chart",
    params=AnomalyDetectionParams,
    run=anomaly_detection,
    chart_spec=spec_only(anomaly_data),
    description="Flag unusual values of a numeric column (robust z-score or IQR rule) and list the flagged rows.",
)
