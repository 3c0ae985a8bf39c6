"""Stage 5: run the validated steps and write their artifacts (PNG, SVG, Vega-Lite spec, CSV).

The data is read once; each step gets the rows its filters select. A step that fails is recorded
with its error and the run goes on: one bad step never costs the others. File names come from the
step's position and a sanitized id — never from column names or question text.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .contracts import DatasetProfile, DroppedStep, ExecutionResult, PlanStep, StepResult, ValidatedPlan
from .dataio import load_frame
from .fsutil import atomic_write, atomic_write_text
from .tools import TOOLS, apply_filters
from .tools.registry import ToolOutput

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 50
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


def execute_plan(
    plan: ValidatedPlan,
    profile: DatasetProfile,
    out_dir: str | Path,
    *,
    frame: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> ExecutionResult:
    out = Path(out_dir)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    df = frame if frame is not None else load_frame(profile)
    results: list[StepResult] = []
    failed: list[DroppedStep] = []
    for index, step in enumerate(plan.steps, start=1):
        if progress:
            progress(f"step {index}/{len(plan.steps)}: {step.tool} ({step.id})")
        try:
            results.append(run_step(step, index, df, profile, out))
        except Exception as exc:  # noqa: BLE001 - one failing step must not stop the others
            logger.warning("step %s (%s) failed: %s", step.id, step.tool, exc, exc_info=True)
            failed.append(DroppedStep(step=step.id, tool=step.tool, reason=f"{type(exc).__name__}: {exc}"))
    return ExecutionResult(out_dir=str(out.resolve()), results=results, failed=failed)


def run_step(step: PlanStep, index: int, df: pd.DataFrame, profile: DatasetProfile, out: Path) -> StepResult:
    spec = TOOLS[step.tool]
    params = spec.params.model_validate(step.params)
    rows = apply_filters(df, params.filters) if params.filters else df
    output = spec.run(params, rows, profile)
    return write_output(step, index, spec.kind, output, out)


def write_output(step: PlanStep, index: int, kind: str, output: ToolOutput, out: Path) -> StepResult:
    stem = f"{index:02d}_{_SAFE.sub('_', step.id)[:40]}"
    paths: dict[str, Any] = {}
    if output.figure is not None:
        for ext in ("png", "svg"):
            target = out / "charts" / f"{stem}.{ext}"
            atomic_write(target, lambda tmp, ext=ext: output.figure.savefig(tmp, format=ext, dpi=110, bbox_inches="tight"))
            paths[ext] = str(target.relative_to(out))
        _close(output.figure)
    if output.spec is not None:
        target = out / "charts" / f"{stem}.vl.json"
        atomic_write_text(target, json.dumps(output.spec, indent=2, ensure_ascii=False, default=str))
        paths["spec_path"] = str(target.relative_to(out))
    preview: list[dict[str, Any]] = []
    if output.table is not None:
        target = out / "tables" / f"{stem}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda tmp: output.table.to_csv(tmp, index=False))
        paths["table_csv"] = str(target.relative_to(out))
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
        notes=list(output.notes),
    )


def _close(figure: Any) -> None:
    try:
        figure.clear()
    except Exception:  # noqa: BLE001
        pass
