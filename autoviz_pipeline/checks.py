"""What every run checks before a stage's output is used downstream; plain functions, no Dagster.

``defs/assets.py`` turns each into a blocking Dagster asset check of its stage (a failed check stops the
run before the next stage reads the bad value, and shows in the UI with its description):

    check_profile   the profile has at least one column, and its row count is the file's (counted again)
    check_plan      the validated plan has at least one step, and the first answers the question
    check_steps     every planned step either produced its files or failed with a reason (none vanished)
    check_report    report.md, report.html and manifest.json exist, and every chart's Vega-Lite spec
                    validates against the Vega-Lite v5 JSON schema (the copy altair ships)

Descriptions name steps and files the pipeline made, never a value from the CSV.
"""

from __future__ import annotations

import importlib.resources
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .contracts import DatasetProfile, ExecutionResult, Report, ValidatedPlan
from .dataio import scan_records

VEGA_LITE_MAJOR = "v5"  # tools/vega.py's SCHEMA_URL


@dataclass(frozen=True)
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict[str, Any] = field(default_factory=dict)


def _fail(description: str, **metadata: Any) -> CheckOutcome:
    return CheckOutcome(False, description, metadata)


# --------------------------------------------------------------------------------------------------
def count_rows(profile: DatasetProfile) -> tuple[int, str]:
    """The rows of the table the later stages read: (count, how). That table is the columnar cache the profile
    stage left (a large file's, or the hand-off of a small file's parsed frame), trusted only when its sha256 is
    as recorded; its Parquet footer counts its rows without reading the CSV a second time (a small file is read
    once per run). Without a verified hand-off, the CSV's records are counted with Python's csv module."""
    import pyarrow.parquet as pq

    from .engine import verified
    from .handoff import frame_path

    if profile.columnar_cache:
        return pq.ParquetFile(profile.columnar_cache).metadata.num_rows, "rows in the columnar cache's footer"
    handed = frame_path(profile)
    if verified(handed):
        return pq.ParquetFile(handed).metadata.num_rows, "rows of the table handed to the later stages"
    return scan_records(profile.path, profile.read_options).records, "CSV records counted with the csv module"


def check_profile(profile: DatasetProfile) -> CheckOutcome:
    if not profile.columns:
        return _fail("the profile has no columns: nothing downstream could be charted", rows=profile.rows)
    counted, how = count_rows(profile)
    metadata = {"columns": len(profile.columns), "rows": profile.rows, "rows_counted": counted, "counted_by": how}
    if counted != profile.rows:
        return CheckOutcome(False, f"the profile says {profile.rows:,} rows but the file has {counted:,} ({how}): "
                                   "the file changed while it was read, or its quoting misleads the parser; every "
                                   "count in the report would be off", metadata)
    return CheckOutcome(True, f"{len(profile.columns):,} columns; {profile.rows:,} rows, as counted again", metadata)


# --------------------------------------------------------------------------------------------------
def check_plan(plan: ValidatedPlan) -> CheckOutcome:
    metadata = {"steps": len(plan.steps), "dropped": len(plan.dropped)}
    if not plan.steps:
        reasons = "; ".join(f"{d.step}: {d.reason}" for d in plan.dropped[:5]) or "the plan was empty"
        return _fail(f"no step survived validation ({reasons[:500]})", **metadata)
    first = plan.steps[0]
    if first.origin != "question":
        answer = next((s for s in plan.steps if s.origin == "question"), None)
        if answer is not None:
            why = f"the answer ({answer.id}) is not the first step; {first.id} ({first.origin}) is"
        else:
            dropped = next((d for d in plan.dropped if d.step == "answer"), None)
            why = ("the step that answers the question was dropped: " + dropped.reason[:300] if dropped
                   else "no step answers the question")
        return _fail(f"{why}. The report's first chart would pass for the answer.", **metadata)
    return CheckOutcome(True, f"{len(plan.steps)} step(s); the first, {first.id} ({first.tool}), answers the "
                              "question", metadata)


# --------------------------------------------------------------------------------------------------
def check_steps(plan: ValidatedPlan, execution: ExecutionResult) -> CheckOutcome:
    """Each planned step is accounted for exactly once (a result, or a failure with a reason), and each
    result's files are on disk and not empty."""
    out = Path(execution.out_dir)
    accounted = Counter([r.step for r in execution.results] + [f.step for f in execution.failed])
    problems = [f"{s.id}: neither a result nor a failure" for s in plan.steps if not accounted[s.id]]
    problems += [f"{step}: reported {n} times" for step, n in accounted.items() if n > 1]
    problems += [f"{f.step}: failed with no reason" for f in execution.failed if not f.reason.strip()]
    for r in execution.results:
        files = {"png": r.png, "svg": r.svg, "Vega-Lite spec": r.spec_path, "CSV": r.table_csv}
        if r.kind == "chart":
            problems += [f"{r.step}: a chart with no {what}" for what in ("png", "Vega-Lite spec") if not files[what]]
        problems += [f"{r.step}: its {what} {rel} is missing or empty" for what, rel in files.items()
                     if rel and not _nonempty(out / rel)]
    metadata = {"planned": len(plan.steps), "results": len(execution.results), "failed": len(execution.failed)}
    if problems:
        return _fail("steps failed silently: " + "; ".join(problems[:10])[:800], **metadata)
    return CheckOutcome(True, f"{len(execution.results)} result(s) with their files, {len(execution.failed)} "
                              f"failure(s) with their reason, of {len(plan.steps)} planned step(s)", metadata)


def _nonempty(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


# --------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def vega_lite_validator() -> Any:
    """A jsonschema validator of the Vega-Lite v5 schema shipped by altair (compiled once per process)."""
    import jsonschema

    path = importlib.resources.files("altair") / "vegalite" / VEGA_LITE_MAJOR / "schema" / "vega-lite-schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def spec_problem(spec: Any) -> str | None:
    """Why ``spec`` is not a valid Vega-Lite v5 spec (the most relevant error, where in the spec), or None."""
    import jsonschema

    if not isinstance(spec, dict):
        return "not a JSON object"
    if not str(spec.get("$schema", "")).endswith(f"/vega-lite/{VEGA_LITE_MAJOR}.json"):
        return f"its $schema is not Vega-Lite {VEGA_LITE_MAJOR}"
    error = jsonschema.exceptions.best_match(vega_lite_validator().iter_errors(spec))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path if isinstance(p, int) or str(p).isidentifier())
    return f"fails the schema's {error.validator!r} rule at /{where[:200]}"


def check_report(report: Report) -> CheckOutcome:
    """The report's files exist and are not empty, and every chart of the manifest has a valid spec file."""
    problems = [f"{name} is missing or empty" for name, path in
                (("report.md", report.markdown), ("report.html", report.html), ("manifest.json", report.manifest))
                if not _nonempty(Path(path))]
    if problems:
        return _fail("; ".join(problems))
    try:
        manifest = json.loads(Path(report.manifest).read_text(encoding="utf-8"))
        charts = manifest["charts"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return _fail(f"manifest.json cannot be read: {type(exc).__name__}")
    out = Path(report.out_dir)
    for chart in charts:
        step = str(chart.get("id"))[:60]
        rel = chart.get("spec_path")
        try:
            spec = json.loads((out / rel).read_text(encoding="utf-8")) if rel else None
        except (OSError, ValueError) as exc:
            problems.append(f"chart {step}: its Vega-Lite spec file cannot be read ({type(exc).__name__})")
            continue
        problem = "there is none" if spec is None else spec_problem(spec)
        if problem:
            problems.append(f"chart {step}: its Vega-Lite spec is not valid: {problem}")
    metadata = {"charts": len(charts), "invalid_specs": len(problems)}
    if problems:
        return _fail("; ".join(problems[:10])[:800], **metadata)
    return CheckOutcome(True, f"report.md, report.html and manifest.json written; {len(charts)} chart spec(s) valid "
                              f"Vega-Lite {VEGA_LITE_MAJOR}", metadata)
