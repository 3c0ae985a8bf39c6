"""Six assets, one per stage; each body calls one core function and adds metadata for the UI."""


import base64
import re
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

import dagster as dg
from pydantic import Field

from ..checks import CheckOutcome, check_plan, check_profile, check_report, check_steps
from ..contracts import (
    AdaptedPlan,
    AnalysisRequest,
    ColumnProfile,
    ExecutionResult,
    IntentResult,
    LLMCall,
    ProfiledDataset,
    Report,
    ValidatedPlan,
)
from ..errors import AutovizError
from ..execution import execute_plan
from ..inbox import check_partition_key, clean_question, dataset_file, display_name, sidecar_question
from ..llm import Backend, propose_intent, propose_plan_patch
from ..planning import adapt_plan, select_plan
from ..profiling import profile_dataset
from ..repair import validate_plan
from ..report import render_report
from ..timeouts import stage_deadline
from ..understanding import classify_intent
from .resources import LLMResource, PipelineSettings
from .retries import TRANSIENT_RETRY, retries_left, retry_transient_only
from .watchdog import HOST_TAG, this_host

csv_files = dg.DynamicPartitionsDefinition(name="csv_files")


def add_partition(instance: dg.DagsterInstance, key: str, *, attempts: int = 6) -> None:
    """Register a file's partition, whoever else registers it at the same moment: two `autoviz run`s of one file
    name, or a run beside the sensor. On SQLite a concurrent insert of the same key fails (IntegrityError) or
    finds the database locked (OperationalError); both are retried after a short wait, and the key that another
    process added meanwhile counts as added."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    for attempt in range(attempts):
        if instance.has_dynamic_partition(csv_files.name, key):
            return
        try:
            instance.add_dynamic_partitions(csv_files.name, [key])
            return
        except (IntegrityError, OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
GROUP = "autoviz"
IO = "json_io_manager"
COLUMN_SCHEMA_MAX = 1000
"""At most this many columns in the profile's ``dagster/column_schema`` (a wider file says how many were left out)."""

# The blocking checks, one per stage whose bad output would mislead the next (logic: autoviz_pipeline/checks.py).
# A failed one fails its stage: later stages do not run, the run fails, the UI shows the check's description.
PROFILE_CHECK = dg.AssetCheckSpec(
    "columns_and_row_count", asset="dataset_profile", blocking=True,
    description="The profile has at least one column, and its row count is that of the table the later "
                "stages read, counted again.")
PLAN_CHECK = dg.AssetCheckSpec(
    "starts_with_the_answer", asset="validated_plan", blocking=True,
    description="At least one step survived validation, and the first answers the question.")
STEPS_CHECK = dg.AssetCheckSpec(
    "no_step_failed_silently", asset="step_results", blocking=True,
    description="Every planned step produced its files or failed with a reason.")
REPORT_CHECK = dg.AssetCheckSpec(
    "files_and_vega_lite_specs", asset="analysis_report", blocking=True,
    description="report.md, report.html and manifest.json exist; every chart's spec validates against the "
                "Vega-Lite v5 schema.")
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")
# report.md's links, by the target report.py writes (a percent-quoted path relative to the report's folder)
_IMAGE_LINK = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)\)")
_FILE_LINK = re.compile(r"(?<![!\\])\[((?:[^\]\\]|\\.)*)\]\((?![a-z][a-z0-9+.-]*:|#)[^)\s]*\)", re.IGNORECASE)
UI_IMAGE_BYTES = 2_000_000
"""At most this many bytes of PNG inlined in the report's Markdown metadata (Dagster stores it in the event log)."""


class RunParams(dg.Config):
    """Per-run inputs. Only the first stage takes config; the request travels downstream in its output."""

    question: str = Field(default="", description="the question; empty → the sidecar NAME.question.txt or the default")
    dataset_path: str | None = Field(default=None, description="the CSV; default: the inbox file of this partition, "
                                                               "else the file `autoviz register` recorded for it")
    out_dir: str | None = Field(default=None, description="report folder; default: <outputs>/<dataset>/<run>")


def _request(context: dg.AssetExecutionContext, config: RunParams, settings: PipelineSettings) -> AnalysisRequest:
    partition = context.partition_key
    try:
        check_partition_key(partition)
    except ValueError as exc:
        raise dg.Failure(description=str(exc)) from None
    if config.dataset_path:
        path = Path(config.dataset_path)
    else:
        found = dataset_file(settings.inbox_dir, partition)
        if found is None:
            raise dg.Failure(
                description=f"No file for partition {partition!r} in {settings.inbox_dir}, and none registered. "
                "Put the CSV in the inbox, register it (autoviz register FILE) or pass "
                "ops.dataset_profile.config.dataset_path."
            )
        path = found
    question = config.question.strip() or sidecar_question(path) or settings.default_question
    if config.out_dir:
        out_dir = Path(config.out_dir)
    else:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        folder = _SAFE.sub("_", Path(partition).stem)[:60] or "dataset"
        out_dir = Path(settings.outputs_dir) / folder / f"{stamp}-{context.run.run_id[:8]}"
    return AnalysisRequest(question=question, dataset_path=str(path), partition=partition, out_dir=str(out_dir))


@dg.asset(partitions_def=csv_files, group_name=GROUP, io_manager_key=IO, check_specs=[PROFILE_CHECK],
          kinds={"csv", "pandas"})
def dataset_profile(context: dg.AssetExecutionContext, config: RunParams, settings: PipelineSettings):
    """Profile the CSV: roles, counts, stats, samples, sha256."""
    context.instance.add_run_tags(context.run.run_id, {HOST_TAG: this_host()})  # for the watchdog (kill -9)
    request = _request(context, config, settings)
    question, question_notes = clean_question(request.question, max_chars=settings.max_question_chars)
    if not config.question.strip() and not sidecar_question(request.dataset_path):
        question_notes.append("no question given (run config or NAME.question.txt): answered the default question")
    request = request.model_copy(update={"question": question or settings.default_question})
    context.log.info(f"profiling {display_name(request.dataset_path, 1000)}")
    try:
        with stage_deadline(settings.stage_timeout_s, "dataset_profile"):
            profile = profile_dataset(request.dataset_path, name=Path(request.dataset_path).name,
                                      limits=settings.limits())
    except AutovizError as exc:
        raise dg.Failure(description=str(exc), metadata={"file": display_name(request.dataset_path, 1000)},
                         allow_retries=False) from None
    if question_notes:
        profile = profile.model_copy(update={"notes": [*profile.notes, *question_notes]})
    context.log.info(f"{profile.rows:,} rows × {len(profile.columns)} columns profiled"
                     + (" (columnar cache)" if profile.columnar_cache else ""))
    metadata = {
        "question": request.question,
        "dagster/row_count": profile.rows,
        "dagster/column_schema": column_schema(profile.columns),
        "columns": len(profile.columns),
        "sha256": profile.sha256,
        **({"column_schema_note": f"the first {COLUMN_SCHEMA_MAX:,} of {len(profile.columns):,} columns"}
           if len(profile.columns) > COLUMN_SCHEMA_MAX else {}),
    }
    yield from _checked(context, ProfiledDataset(request=request, profile=profile), metadata, PROFILE_CHECK,
                    check_profile(profile))


@dg.asset(partitions_def=csv_files, group_name=GROUP, io_manager_key=IO, retry_policy=TRANSIENT_RETRY,
          kinds={"python", "llm"})
@retry_transient_only
def question_intent(context: dg.AssetExecutionContext, dataset_profile: ProfiledDataset,
                    llm: LLMResource) -> IntentResult:
    """Classify the question's intent and ground its columns, values and chart words (offline), then let
    the configured model propose the intent; any failure keeps the offline result, recorded in llm_calls."""
    profile = dataset_profile.profile
    offline = classify_intent(dataset_profile.request.question, profile)
    backend = llm.build("intent")
    intent = propose_intent(offline, profile, backend, retry_transient=retries_left(context))
    _log_llm_calls(context, intent.llm_calls)
    context.add_output_metadata({
        **llm_metadata(backend, intent.llm_calls, attempt=context.retry_number + 1),
        "intent": intent.intent,
        "confidence": intent.confidence,
        "source": intent.source,
        "matches": dg.MetadataValue.json([m.model_dump() for m in intent.matches]),
    })
    return intent


@dg.asset(partitions_def=csv_files, group_name=GROUP, io_manager_key=IO, retry_policy=TRANSIENT_RETRY,
          kinds={"python", "llm"})
@retry_transient_only
def analysis_plan(context: dg.AssetExecutionContext, question_intent: IntentResult,
                  dataset_profile: ProfiledDataset, llm: LLMResource) -> AdaptedPlan:
    """Start from the intent's template and adapt it to the question (offline), then apply the edits the
    configured model proposes; validation decides what survives."""
    profile = dataset_profile.profile
    offline = adapt_plan(select_plan(question_intent, profile), question_intent, profile)
    backend = llm.build("adapt")
    adapted = propose_plan_patch(offline, question_intent, profile, backend, retry_transient=retries_left(context))
    _log_llm_calls(context, adapted.llm_calls)
    context.add_output_metadata({
        **llm_metadata(backend, adapted.llm_calls, attempt=context.retry_number + 1),
        "template": adapted.before.template,
        "steps": len(adapted.steps),
        "changes": dg.MetadataValue.json([c.model_dump() for c in adapted.changes]),
    })
    return adapted


@dg.asset(partitions_def=csv_files, group_name=GROUP, io_manager_key=IO, check_specs=[PLAN_CHECK], kinds={"python"})
def validated_plan(context: dg.AssetExecutionContext, analysis_plan: AdaptedPlan,
                   dataset_profile: ProfiledDataset, settings: PipelineSettings):
    """Check every param against the profile; repair names or drop steps, with reasons."""
    validated = validate_plan(analysis_plan.steps, dataset_profile.profile, max_steps=settings.max_charts)
    for r in validated.repairs:
        context.log.info(f"repair {r.step}.{r.param}: {r.original!r} → {r.repaired!r} ({r.method}, {r.score})")
    for d in validated.dropped:
        context.log.warning(f"dropped {d.step}: {d.reason}")
    metadata = {
        "steps": len(validated.steps),
        "repairs": len(validated.repairs),
        "dropped": len(validated.dropped),
    }
    yield from _checked(context, validated, metadata, PLAN_CHECK, check_plan(validated))


@dg.asset(partitions_def=csv_files, group_name=GROUP, io_manager_key=IO, check_specs=[STEPS_CHECK],
          kinds={"matplotlib", "vega-lite"})
def step_results(context: dg.AssetExecutionContext, validated_plan: ValidatedPlan,
                 dataset_profile: ProfiledDataset, settings: PipelineSettings):
    """Run the tools; write PNG, SVG, Vega-Lite and CSV artifacts into the run's folder."""
    result = execute_plan(validated_plan, dataset_profile.profile, dataset_profile.request.out_dir,
                          progress=context.log.info, timeout_s=settings.stage_timeout_s)
    for f in result.failed:
        context.log.warning(f"step {f.step} failed: {f.reason}")
    metadata = {
        "charts": sum(1 for r in result.results if r.kind == "chart"),
        "tables": sum(1 for r in result.results if r.kind == "table"),
        "failed": len(result.failed),
        "out_dir": dg.MetadataValue.path(result.out_dir),
    }
    yield from _checked(context, result, metadata, STEPS_CHECK, check_steps(validated_plan, result))


@dg.asset(partitions_def=csv_files, group_name=GROUP, io_manager_key=IO, check_specs=[REPORT_CHECK],
          kinds={"html", "markdown", "json"})
def analysis_report(context: dg.AssetExecutionContext, dataset_profile: ProfiledDataset,
                    question_intent: IntentResult, analysis_plan: AdaptedPlan, validated_plan: ValidatedPlan,
                    step_results: ExecutionResult):
    """Render report.md, report.html and manifest.json; show the report with its charts in the UI."""
    started = time.perf_counter()
    timings = _stage_timings(context)
    report = render_report(
        question=dataset_profile.request.question, profile=dataset_profile.profile, intent=question_intent,
        adapted=analysis_plan, validated=validated_plan, execution=step_results,
        llm_calls=[*question_intent.llm_calls, *analysis_plan.llm_calls], timings=timings,
        out_dir=dataset_profile.request.out_dir,
    )
    context.log.info(f"report: {report.html} (rendered in {time.perf_counter() - started:.2f}s)")
    metadata = {
        "report": dg.MetadataValue.md(_ui_markdown(report)),
        "report_html": dg.MetadataValue.path(report.html),
        "manifest": dg.MetadataValue.path(report.manifest),
    }
    yield from _checked(context, report, metadata, REPORT_CHECK, check_report(report))


def _checked(context: dg.AssetExecutionContext, value: object, metadata: dict[str, object],
             spec: dg.AssetCheckSpec, outcome: CheckOutcome) -> Iterator[dg.MaterializeResult]:
    """The stage's output with its check's result. A failed check then fails the stage with the check's
    description, which the run's failure (and its record in ``_failures/``) says; the stages after it do not run.
    (A stage with checks has several outputs for Dagster: its return annotation stays off, and what is stored is
    loaded as the downstream parameter's type.)"""
    yield dg.MaterializeResult(value=value, metadata=metadata, check_results=[dg.AssetCheckResult(
        check_name=spec.name, passed=outcome.passed, description=outcome.description, metadata=outcome.metadata)])
    if not outcome.passed:
        raise dg.Failure(description=f"check {spec.name} failed: {outcome.description}", allow_retries=False)


def column_schema(columns: list[ColumnProfile]) -> dg.TableSchema:
    """The profile's columns as Dagster's column schema: the parsed dtype as type, the role as description."""
    return dg.TableSchema(columns=[
        dg.TableColumn(name=c.name, type=c.dtype, description=c.role,
                       constraints=dg.TableColumnConstraints(nullable=c.nulls > 0))
        for c in columns[:COLUMN_SCHEMA_MAX]])


def llm_metadata(backend: Backend, calls: list[LLMCall], *, attempt: int) -> dict[str, object]:
    """Model calls of one LLM stage for the UI: how many, tokens (those the server reported), latency. The
    offline backend makes no call: 0 of each."""
    return {
        "llm_model": "offline" if backend.kind == "offline" else f"{backend.kind}/{backend.model}",
        "llm_calls": len(calls),
        "llm_prompt_tokens": sum(c.prompt_tokens or 0 for c in calls),
        "llm_completion_tokens": sum(c.completion_tokens or 0 for c in calls),
        "llm_latency_ms": round(sum(c.latency_ms for c in calls), 1),
        "llm_fallback": any(c.fallback_used for c in calls),
        "attempt": attempt,
    }


def _log_llm_calls(context: dg.AssetExecutionContext, calls: list[LLMCall]) -> None:
    for c in calls:
        line = f"LLM {c.stage}: {c.backend}/{c.model} {c.outcome} ({c.latency_ms:.0f} ms)"
        if c.fallback_used:
            context.log.warning(line + "; the offline result is used")
        else:
            context.log.info(line)


def _stage_timings(context: dg.AssetExecutionContext) -> dict[str, float]:
    """Seconds per finished stage of this run, from the instance's step stats."""
    timings: dict[str, float] = {}
    try:
        for stat in context.instance.get_run_step_stats(context.run.run_id):
            if stat.start_time and stat.end_time:
                timings[stat.step_key] = round(stat.end_time - stat.start_time, 3)
    except Exception:  # noqa: BLE001 - timings are informative; a storage without stats must not fail the run
        context.log.debug("no step stats available for timings")
    return timings


def _ui_markdown(report: Report, max_chars: int = 20_000, max_image_bytes: int = UI_IMAGE_BYTES) -> str:
    """The report's Markdown as the UI shows it. The UI cannot read the files next to the report: each chart's
    PNG is inlined where the report shows it, as many as fit in ``max_image_bytes`` (the rest, and any image
    outside the report's folder, say to open report.html), and a link to a table file becomes its text."""
    text = Path(report.markdown).read_text(encoding="utf-8")
    if len(text) > max_chars:
        text = text[:max_chars] + "\n\n… (truncated; open report.html for the rest)"
    folder = Path(report.out_dir).resolve()
    budget = max_image_bytes

    def inline(link: re.Match) -> str:
        nonlocal budget
        png = (folder / unquote(link.group(2))).resolve()
        if png.suffix.lower() == ".png" and png.is_relative_to(folder) and png.is_file():
            data = png.read_bytes()
            if len(data) <= budget:
                budget -= len(data)
                return f"![{link.group(1)}](data:image/png;base64,{base64.b64encode(data).decode('ascii')})"
        return f"*({link.group(1) or 'chart'}: open report.html)*"

    return _FILE_LINK.sub(r"\1", _IMAGE_LINK.sub(inline, text))


ASSETS = [dataset_profile, question_intent, analysis_plan, validated_plan, step_results, analysis_report]
