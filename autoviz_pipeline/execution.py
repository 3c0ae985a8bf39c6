"""Stage 5: run the validated steps and write their artifacts (PNG, SVG, Vega-Lite spec, CSV).

The data is read once; each step gets the rows its filters select. A step that fails is recorded
with its error and the run goes on: one bad step never costs the others. File names come from the
step's position and a sanitized id — never from column names or question text. Exported table CSVs
are made inert for spreadsheets (cells starting with ``=``, ``+``, ``-``, ``@`` get a leading ``'``),
and the step's notes say so. With ``timeout_s``, steps past the deadline are recorded as not run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .contracts import (
    DatasetProfile,
    DroppedStep,
    ExecutionResult,
    PlanStep,
    StepResult,
    ValidatedPlan,
)
from .handoff import load_frame
from .errors import StageTimeoutError
from .fsutil import atomic_write, atomic_write_text
from .timeouts import stage_deadline
from .tools import TOOLS, apply_filters
from .tools.registry import ToolOutput, ToolParams, ToolSpec, column_params

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 50
CHART_DPI = 110
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


def execute_plan(
    plan: ValidatedPlan,
    profile: DatasetProfile,
    out_dir: str | Path,
    *,
    frame: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
    timeout_s: float | None = None,
) -> ExecutionResult:
    out = Path(out_dir)
    clear_previous_report(out)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    results: list[StepResult] = []
    failed: list[DroppedStep] = []
    steps = list(enumerate(plan.steps, start=1))
    loaded = False
    try:
        with stage_deadline(timeout_s, "step_results") as deadline:
            frame_for = _frame_source(profile, frame, plan.steps)
            loaded = True
            while steps:
                index, step = steps[0]
                deadline.check(f"before step {index}/{len(plan.steps)}: {step.tool}")
                if progress:
                    progress(f"step {index}/{len(plan.steps)}: {step.tool} ({step.id})")
                try:
                    results.append(run_step(step, index, frame_for(step), profile, out))
                except StageTimeoutError:
                    raise
                except Exception as exc:  # one failing step must not stop the others
                    logger.warning("step %s (%s) failed: %s", step.id, step.tool, exc)
                    logger.debug("step %s traceback", step.id, exc_info=True)
                    failed.append(DroppedStep(step=step.id, tool=step.tool, reason=f"{type(exc).__name__}: {exc}"))
                steps.pop(0)
    except StageTimeoutError as exc:
        if not loaded:
            raise  # the data could not even be loaded in time: nothing to report
        reason = f"not run: the stage time limit of {exc.seconds:g} s (limits.stage_timeout_s) was reached"
        logger.warning("step_results: %s; %d step(s) not run", reason, len(steps))
        failed += [DroppedStep(step=step.id, tool=step.tool, reason=reason) for _, step in steps]
    return ExecutionResult(out_dir=str(out.resolve()), results=results, failed=failed)


SHARED_FRAME_MAX_BYTES = 512 * 1024 * 1024
"""Large files: the columns of all steps are read once when they fit in this (estimated, in pandas)."""


def _frame_source(profile: DatasetProfile, frame: pd.DataFrame | None,
                  steps: list[PlanStep]) -> Callable[[PlanStep], pd.DataFrame]:
    """Small files: the whole table, read once. Large files: only the columns the steps need, from the
    columnar cache, so a 10-million-row file never sits in memory as a whole pandas frame — read once
    for all steps when they fit in ``SHARED_FRAME_MAX_BYTES``, else once per step."""
    if frame is not None:
        return lambda step: frame
    if profile.columnar_cache:
        from .engine import frame_bytes, load_columns

        needed = {id(step): step_columns(step, profile) for step in steps}
        union = list(dict.fromkeys(c for cols in needed.values() for c in cols if profile.column(c)))
        if not union or frame_bytes(profile, union) > SHARED_FRAME_MAX_BYTES:
            return lambda step: load_columns(profile, step_columns(step, profile))
        shared = load_columns(profile, union)

        def columns_of(step: PlanStep) -> pd.DataFrame:
            wanted = needed.get(id(step))
            if wanted is None:  # not a step of this plan
                return load_columns(profile, step_columns(step, profile))
            return shared[[c for c in wanted if c in shared.columns]]

        return columns_of
    df = load_frame(profile)
    return lambda step: df


_OUR_FILE = re.compile(r"^\d{2}_[A-Za-z0-9_-]+\.(png|svg|vl\.json|csv)$")
REPORT_FILES = ("report.md", "report.html", "manifest.json")


def holds_autoviz_report(out: Path) -> bool:
    """Does the folder hold a report this project wrote (a manifest with its ``autoviz_version``)?"""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and "autoviz_version" in manifest


def clear_previous_report(out: Path) -> None:
    """A folder reused for a new run (``autoviz run --out DIR``) must not mix the runs: when it holds an
    earlier autoviz report, that report's files go (the report, the manifest, ``charts/`` and ``tables/``
    files named as this module names them). Nothing else in the folder is touched."""
    if not holds_autoviz_report(out):
        return  # not ours: leave it alone
    stale = [out / name for name in REPORT_FILES]
    for sub in ("charts", "tables"):
        if (out / sub).is_dir():
            stale += [f for f in (out / sub).iterdir() if f.is_file() and _OUR_FILE.match(f.name)]
    for file in stale:
        file.unlink(missing_ok=True)
    logger.info("%s held an earlier report: its %d files were replaced by this run's", out, len(stale))


def step_columns(step: PlanStep, profile: DatasetProfile) -> list[str]:
    """The columns a step reads: its column params and filter columns, plus what an empty list means."""
    params = step.params
    columns: list[str] = []
    for name in column_params(type(params)):
        value = getattr(params, name)
        columns += [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]
    columns += [f.column for f in params.filters]
    if "columns" in type(params).model_fields and not params.columns:
        if step.tool == "correlation_heatmap":  # every numeric column
            columns += [c.name for c in profile.columns if c.role == "numeric"]
        elif params.filters:  # a summary of filtered rows needs the rows; unfiltered: the profile
            columns += [c.name for c in profile.columns if c.role != "text"]
    return list(dict.fromkeys(columns))


def run_step(step: PlanStep, index: int, df: pd.DataFrame, profile: DatasetProfile, out: Path) -> StepResult:
    tool, params, rows = _step_input(step, df)
    return write_output(step, index, tool.run(params, rows, profile), out)


def _step_input(step: PlanStep, df: pd.DataFrame) -> tuple[ToolSpec, ToolParams, pd.DataFrame]:
    """The step's tool, its params (validated once, by repair: the step's typed model) and the rows its filters
    select."""
    params = step.params
    return TOOLS[step.tool], params, apply_filters(df, params.filters) if params.filters else df


def first_chart_spec(plan: ValidatedPlan, profile: DatasetProfile, *,
                     failed: list[DroppedStep] | None = None) -> dict[str, Any] | None:
    """The Vega-Lite spec of the first chart :func:`execute_plan` writes for this plan, as its ``.vl.json`` holds
    it (data inline), computed from the same rows by the same tool, without drawing or writing anything.

    That chart is the first chart step's that runs: a step that fails is skipped (and added to ``failed``), as
    the run records it as failed and goes on. None when no chart step runs.
    """
    for step in plan.steps:
        if TOOLS[step.tool].chart_spec is None:
            continue  # a table: no chart
        try:
            tool, params, rows = _step_input(step, _frame_source(profile, None, [step])(step))
            spec = tool.chart_spec(params, rows, profile)
        except StageTimeoutError:
            raise
        except Exception as exc:  # noqa: BLE001 - the run records this step as failed and goes on: so do we
            logger.info("step %s (%s) fails, as it would in the run: %s", step.id, step.tool, exc)
            if failed is not None:
                failed.append(DroppedStep(step=step.id, tool=step.tool, reason=f"{type(exc).__name__}: {exc}"))
            continue
        return json.loads(spec_json(spec))
    return None


def spec_json(spec: dict[str, Any]) -> str:
    """A spec as its ``.vl.json`` file holds it."""
    return json.dumps(spec, indent=2, ensure_ascii=False, default=str)


def write_output(step: PlanStep, index: int, output: ToolOutput, out: Path) -> StepResult:
    stem = f"{index:02d}_{_SAFE.sub('_', step.id)[:40]}"
    paths: dict[str, Any] = {}
    if output.figure is not None:
        for ext in ("png", "svg"):
            target = out / "charts" / f"{stem}.{ext}"
            atomic_write(target, lambda tmp, ext=ext: output.figure.savefig(tmp, format=ext, dpi=CHART_DPI))
            paths[ext] = str(target.relative_to(out))
            if ext == "png":
                # the PNG's draw placed everything (constrained layout): the SVG reuses that layout instead of
                # computing it again, a quarter of a chart's rendering time; both files show the same layout
                output.figure.set_layout_engine("none")
        _close(output.figure)
    if output.spec is not None:
        target = out / "charts" / f"{stem}.vl.json"
        atomic_write_text(target, spec_json(output.spec))
        paths["spec_path"] = str(target.relative_to(out))
    preview: list[dict[str, Any]] = []
    notes = list(output.notes)
    if output.table is not None:
        target = out / "tables" / f"{stem}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        export, neutralized = neutralize_formulas(without_float_noise(output.table))
        atomic_write(target, lambda tmp: export.to_csv(tmp, index=False, float_format=FLOAT_FORMAT))
        paths["table_csv"] = str(target.relative_to(out))
        if neutralized:
            notes.append(
                f"{neutralized} cell(s) starting with =, +, - or @ were prefixed with ' in the CSV export, "
                "so spreadsheets show them as text instead of running them as formulas."
            )
        preview = json.loads(output.table.head(PREVIEW_ROWS).to_json(orient="records", date_format="iso"))
    return StepResult(
        step=step.id,
        tool=step.tool,
        title=step.title or output.title,
        kind="chart" if output.figure is not None else ("table" if output.table is not None else "text"),
        finding=output.finding,
        spec=output.spec,
        png=paths.get("png"),
        svg=paths.get("svg"),
        spec_path=paths.get("spec_path"),
        table_csv=paths.get("table_csv"),
        table=preview,
        notes=notes,
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?%?$")


def _risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(value)


FLOAT_FORMAT = "%.12g"
"""Numbers in CSV exports: 12 significant digits keep the data's own precision and drop the binary noise of
sums and means (732952.32, not 732952.3200000002)."""


def without_float_noise(table: pd.DataFrame) -> pd.DataFrame:
    """Floats inside mixed (object) columns written as :data:`FLOAT_FORMAT` too (``float_format`` only reaches
    float columns): a summary's quartile 4055.905, not 4055.9049999999997."""
    out = table
    for i in range(table.shape[1]):
        series = table.iloc[:, i]
        if series.dtype != object:
            continue
        floats = series.map(lambda v: isinstance(v, float) and math.isfinite(v)).astype(bool)
        if floats.any():
            if out is table:
                out = table.copy()
            out.isetitem(i, series.where(~floats, series[floats].map(lambda v: float(FLOAT_FORMAT % v))))
    return out


def neutralize_formulas(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """A copy safe to open in a spreadsheet (CSV injection): text that a spreadsheet would run as a
    formula (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``) gets a leading ``'``; numbers stay numbers.

    Returns the table to export and how many cells (and header names) were changed.
    """
    count = 0
    out = table
    for i, column in enumerate(table.columns):
        series = table.iloc[:, i]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)
                or isinstance(series.dtype, pd.CategoricalDtype)):
            continue
        mask = series.map(_risky).astype(bool)
        if mask.any():
            if out is table:
                out = table.copy()
            values = series.astype(object)
            out.isetitem(i, values.where(~mask, "'" + values[mask].astype(str)))
            count += int(mask.sum())
    if any(_risky(c) for c in table.columns):
        if out is table:
            out = table.copy()
        count += sum(_risky(c) for c in table.columns)
        out.columns = ["'" + c if _risky(c) else c for c in table.columns]
    return out, count


def _close(figure: Any) -> None:
    with contextlib.suppress(Exception):  # closing must never fail a step that already wrote its files
        figure.clear()
