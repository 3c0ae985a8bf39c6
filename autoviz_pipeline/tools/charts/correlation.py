"""correlation_heatmap: correlation coefficients between numeric columns."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import Field

from ...contracts import DatasetProfile
from .. import vega
from ..chartdata import ChartData, Gradient
from ..frame import ColumnDataError, column_kind, numeric_values, require_columns
from ..registry import NumericCol, ToolOutput, ToolParams
from .figures import NO_ROWS_LEFT, chart_output
from .heatmap import HeatmapData, draw_heatmap, heatmap_inline_spec
from .scatter import correlation_words


class CorrelationHeatmapParams(ToolParams):
    """Correlation coefficients between numeric columns, to spot which move together."""

    columns: list[NumericCol] = Field(
        default_factory=list,
        max_length=15,
        description="Numeric columns to correlate; leave empty for every numeric column (up to 15).",
    )
    method: Literal["pearson", "spearman"] = Field(
        "pearson", description="pearson for linear relationships, spearman for monotonic ones (robust to outliers)."
    )


CORRELATION_FIELDS = ("column_x", "column_y", "correlation")


def _correlation_spec(params: CorrelationHeatmapParams, profile: DatasetProfile) -> dict[str, Any]:
    """The correlation heatmap's spec before its rows are attached; its fields are those of the correlation
    matrix."""
    x, y, r = CORRELATION_FIELDS
    encoding = {
        "x": {"field": x, "type": "nominal", "title": None, "sort": None},
        "y": {"field": y, "type": "nominal", "title": None, "sort": None},
        "color": {
            "field": r,
            "type": "quantitative",
            "title": f"{params.method.capitalize()} correlation",
            "scale": {"domain": [-1, 1], "scheme": "redblue", "reverse": True},
        },
    }
    spec = vega.build_spec(title=f"{params.method.capitalize()} correlation between numeric columns", mark="rect",
                           encoding=encoding, profile=profile)
    spec["usermeta"] = {"data": "one row per pair of columns: column_x, column_y, correlation"}
    if params.filters:
        spec["usermeta"]["filters"] = [f.model_dump() for f in params.filters]
    return spec


def _numeric_columns(
    params: CorrelationHeatmapParams, df: pd.DataFrame, profile: DatasetProfile
) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    if params.columns:
        columns = list(dict.fromkeys(params.columns))
    else:
        known = [c for c in profile.names_with_role("numeric") if c in df.columns]
        columns = known or [str(c) for c in df.columns if column_kind(df[c]) == "numeric"]
        if len(columns) > 15:
            notes.append(f"Using the first 15 of {len(columns)} numeric columns.")
            columns = columns[:15]
    if len(columns) < 2:
        raise ColumnDataError(f"correlation_heatmap needs at least two numeric columns; got {columns or 'none'}.")
    return columns, notes


def correlation_precheck(params: CorrelationHeatmapParams, profile: DatasetProfile) -> str | None:
    numeric = list(dict.fromkeys(params.columns)) or profile.names_with_role("numeric")
    if len(numeric) < 2:
        return f"a correlation needs at least two numeric columns; the data has {len(numeric) or 'none'}"
    return None


def correlation_data(params: CorrelationHeatmapParams, df: pd.DataFrame, profile: DatasetProfile) -> ChartData:
    """The correlation matrix; the finding names the most strongly correlated pair."""
    require_columns(df, {f"columns[{i}]": c for i, c in enumerate(params.columns)})
    columns, notes = _numeric_columns(params, df, profile)
    spec = _correlation_spec(params, profile)
    title = spec["title"]
    frame = pd.DataFrame({c: numeric_values(df, c, param="columns") for c in columns}, index=df.index)
    if len(frame.dropna(how="all")) < 2:
        reason = "fewer than 2 rows have values" if len(df) else NO_ROWS_LEFT
        return ChartData(title=title, spec=spec, notes=notes, empty=reason)
    corr = frame.corr(method=params.method, min_periods=3)
    constant = [c for c in columns if corr[c].isna().all()]
    if constant:
        notes.append(f"No correlation for {', '.join(constant)} (constant or too few values).")

    rows = pd.DataFrame(
        [(cx, cy, corr.loc[cy, cx]) for cy in columns for cx in columns], columns=list(CORRELATION_FIELDS)
    )
    pairs = rows[rows[CORRELATION_FIELDS[0]] != rows[CORRELATION_FIELDS[1]]].dropna()
    if pairs.empty:
        finding = "No pair of columns has a computable correlation."
    else:
        best = pairs.loc[pairs[CORRELATION_FIELDS[2]].abs().idxmax()]
        r = float(best[CORRELATION_FIELDS[2]])
        finding = (
            f"The strongest correlation is between {best[CORRELATION_FIELDS[1]]} and {best[CORRELATION_FIELDS[0]]}: "
            f"{params.method} r = {r:.2f} ({correlation_words(r).removeprefix('a ')})."
        )
    return HeatmapData(
        title=title, spec=spec, rows=rows, finding=finding, notes=notes, order=columns,
        grid=corr.loc[columns, columns].to_numpy(dtype=float), y_order=columns, x_labels=columns, y_labels=columns,
        x_title=None, y_title=None, gradient=Gradient("RdBu_r", -1.0, 1.0),
        colour_title=f"{params.method.capitalize()} correlation", decimals=2,
    )


def correlation_heatmap(params: CorrelationHeatmapParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Render the correlation matrix; the finding names the most strongly correlated pair."""
    return chart_output(correlation_data(params, df, profile), draw_heatmap, heatmap_inline_spec)
