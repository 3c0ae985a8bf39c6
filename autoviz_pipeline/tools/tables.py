"""Table tools: grouped aggregates and per-column summary statistics.

Tables answer what a chart only suggests ("exactly how much per region?") and feed the report's CSV
exports. They share measures, labels and findings with the charts (``charts.resolve_measure``,
``charts.ranking_sentence``) so a table and a bar chart of the same question say the same thing.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
from pydantic import Field

from ..contracts import Aggregate, DatasetProfile
from .charts import (
    SortOrder,
    distinct_columns,
    format_number,
    key_frame,
    key_label,
    ranking_sentence,
    resolve_measure,
    role_of,
    share_text,
)
from .frame import (
    ColumnDataError,
    aggregate_values,
    column_kind,
    data_decimals,
    numeric_values,
    require_columns,
    round_to_data,
    unique_name,
)
from .registry import AnyCol, GroupCol, NumericCol, ToolOutput, ToolParams, ToolSpec

logger = logging.getLogger(__name__)

SHARE_COLUMN = "Share of total (%)"


class AggregateTableParams(ToolParams):
    """A table of a measure per group (one to three grouping columns), largest first."""

    group_by: list[GroupCol] = Field(
        min_length=1, max_length=3, description="One to three columns to group rows by (one table row per combination)."
    )
    value: NumericCol | None = Field(None, description="Numeric column to aggregate; leave empty to count rows.")
    aggregate: Aggregate = Field("sum", description="How to combine value per group (count when value is empty).")
    sort: SortOrder = Field("descending", description="Order rows by the aggregated value.")
    top_n: int | None = Field(
        50, ge=1, le=1000, description="Keep only the first N rows after sorting; empty keeps all."
    )


def aggregate_table(params: AggregateTableParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """Group, aggregate, add each group's share when values add up, sort and cap; the finding names the top group."""
    group = list(dict.fromkeys(params.group_by))
    distinct_columns(**{f"group_by[{i}]": c for i, c in enumerate(group)}, value=params.value)
    require_columns(df, {**{f"group_by[{i}]": c for i, c in enumerate(group)}, "value": params.value})
    aggregate = params.aggregate if params.value is not None else "count"
    measure, notes = resolve_measure(params.value, aggregate, duplicates=True, taken=group)
    label = unique_name(measure.label, group)
    columns = {c: df[c] for c in group}
    if params.value:
        columns[params.value] = numeric_values(df, params.value, param="value")
    work = key_frame(df.index, columns)
    table = aggregate_values(work, group, measure.value, measure.how, out=label)
    title = f"{measure.label} by {', '.join(group)}"
    if table.empty:
        return ToolOutput(title=title, finding="No rows to aggregate after filtering.", table=table, notes=notes)

    values = table[label]
    total = values.sum()
    if measure.additive and (values.dropna() >= 0).all() and total > 0:
        table[unique_name(SHARE_COLUMN, table.columns)] = (100 * values / total).round(1)
    if values.dtype.kind == "f" and params.value:  # to the data's precision: 732952.32, not 732952.3200000002
        table[label] = round_to_data(values, data_decimals(work[params.value]))
    table = table.sort_values(label, ascending=params.sort == "ascending", kind="stable", na_position="last")
    labels = [" / ".join(key_label(v) for v in row) for row in table[group].itertuples(index=False)]
    finding = ranking_sentence(
        pd.Series(table[label].to_numpy(), index=labels), phrase=measure.phrase, additive=measure.additive
    )
    if params.top_n is not None and len(table) > params.top_n:
        notes.append(f"Showing top {params.top_n} of {len(table):,} groups.")
        table = table.head(params.top_n)
    return ToolOutput(title=title, finding=finding, table=table.reset_index(drop=True), notes=notes)


class SummaryStatisticsParams(ToolParams):
    """Per-column statistics: counts, missing values, distinct values, and spread or most common value."""

    columns: list[AnyCol] = Field(
        default_factory=list, description="Columns to summarise; leave empty for all columns."
    )


STAT_COLUMNS = (
    "column", "role", "count", "nulls", "distinct",
    "mean", "std", "min", "25%", "50%", "75%", "max", "top", "top_count",
)  # fmt: skip


def _numeric_stats(df: pd.DataFrame, columns: list[str]) -> dict[str, dict[str, Any]]:
    """mean, std, min, max and quartiles of these numeric columns, computed for all of them at once
    (a thousand columns: one vectorised pass instead of a thousand small ones)."""
    if not columns:
        return {}
    values = pd.concat({c: numeric_values(df, c, param="columns") for c in columns}, axis=1)
    quartiles = values.quantile([0.25, 0.5, 0.75])
    stats = pd.DataFrame({"mean": values.mean(), "std": values.std(), "min": values.min(), "max": values.max(),
                          "25%": quartiles.loc[0.25], "50%": quartiles.loc[0.5], "75%": quartiles.loc[0.75]})
    present = [c for c in columns if values[c].notna().any()]
    # each column's statistics to its data's precision (a mean of prices to the cent, 5261.99), as a reader
    # would write them, not 5261.98925806
    return {c: round_to_data(stats.loc[c], data_decimals(values[c])).to_dict() for c in present}


def _column_summary(series: pd.Series, *, column: str, role: str, numeric: dict[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(STAT_COLUMNS)
    row.update(
        column=column,
        role=role,
        count=int(series.notna().sum()),
        nulls=int(series.isna().sum()),
        distinct=int(series.nunique(dropna=True)),
    )
    kind = column_kind(series)
    present = series.dropna()
    if kind == "numeric" and numeric:
        row.update(numeric)
    elif kind == "temporal" and not present.empty:
        row.update(
            min=key_label(present.min()), max=key_label(present.max()), **{"50%": key_label(present.quantile(0.5))}
        )
    if kind != "numeric" and not present.empty:
        counts = present.value_counts()
        row.update(top=key_label(counts.index[0]), top_count=int(counts.iloc[0]))
    return row


def summary_statistics(params: SummaryStatisticsParams, df: pd.DataFrame, profile: DatasetProfile) -> ToolOutput:
    """One row per column; the finding gives the table size and the column with the most missing values."""
    if profile.columnar_cache and not params.filters:
        return _summary_from_profile(params, profile)
    columns = list(dict.fromkeys(params.columns)) or [str(c) for c in df.columns]
    require_columns(df, {f"columns[{i}]": c for i, c in enumerate(columns)})
    if not columns:
        raise ColumnDataError("summary_statistics needs at least one column; the table has none.")
    numeric = _numeric_stats(df, [c for c in columns if column_kind(df[c]) == "numeric"])
    rows = [_column_summary(df[c], column=c, role=role_of(profile, c) or column_kind(df[c]), numeric=numeric.get(c))
            for c in columns]
    table = pd.DataFrame(rows, columns=list(STAT_COLUMNS))
    title = "Summary statistics" + (f" of {', '.join(columns)}" if params.columns else "")
    if df.empty:
        return ToolOutput(title=title, finding="No rows to summarise after filtering.", table=table)
    worst = table.loc[table["nulls"].idxmax()]
    finding = f"{len(df):,} rows × {len(columns)} columns summarised; " + _missing(worst, len(df))
    return ToolOutput(title=title, finding=finding, table=table)


def _missing(worst: Any, rows: int) -> str:
    """The column with the most missing values, and how many, as the summary's finding says it."""
    if worst is None or not worst["nulls"]:
        return "no missing values."
    return (f"{worst['column']} has the most missing values ({format_number(worst['nulls'])}, "
            f"{share_text(worst['nulls'] / max(rows, 1))}).")


def _summary_from_profile(params: SummaryStatisticsParams, profile: DatasetProfile) -> ToolOutput:
    """A large file's profile already holds these statistics over every row (quartiles: the median only)."""
    columns = [profile.column(c) for c in dict.fromkeys(params.columns or profile.column_names)]
    rows = []
    for col in (c for c in columns if c is not None):
        row: dict[str, Any] = dict.fromkeys(STAT_COLUMNS)
        row.update(column=col.name, role=col.role, count=col.count, nulls=col.nulls, distinct=col.distinct,
                   mean=col.mean, std=col.std, min=col.min, max=col.max)
        row["50%"] = col.median
        if col.top_values and col.role != "numeric":
            row.update(top=col.top_values[0].value, top_count=col.top_values[0].count)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(STAT_COLUMNS))
    worst = max(rows, key=lambda r: r["nulls"], default=None)
    finding = (f"{profile.rows:,} rows × {len(rows)} columns summarised from the profile of every row; "
               + _missing(worst, profile.rows))
    title = "Summary statistics" + (f" of {', '.join(params.columns)}" if params.columns else "")
    return ToolOutput(title=title, finding=finding, table=table,
                      notes=["large file: statistics come from the profile; 25%/75% quartiles are not computed"])


TABLE_TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        name="aggregate_table",
        kind="table",
        params=AggregateTableParams,
        run=aggregate_table,
        description="A table of a count or an aggregated number per group (e.g. total revenue per region).",
    ),
    ToolSpec(
        name="summary_statistics",
        kind="table",
        params=SummaryStatisticsParams,
        run=summary_statistics,
        description="Per-column statistics: count, missing, distinct, mean/std/quartiles or most common value.",
    ),
)
