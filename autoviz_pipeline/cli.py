"""``autoviz``: run the Dagster job on a CSV, print the first chart's spec, or register a dataset.

    autoviz run FILE "QUESTION" [--out DIR]   the whole job in-process; prints where the report is
    autoviz chart FILE "QUESTION"             the run's first chart: its Vega-Lite spec, data inline (not drawn)
    autoviz register FILE [FILE ...]          add partitions to $DAGSTER_HOME, remembering where the files are
    autoviz schema FILE --stage intent|adapt  the JSON schema a model must fill for this CSV (--prompt: the prompt)

`run` and `schema` take --backend offline|openai|vllm|gpt4all, --llm-url URL and --model NAME, which
override config/autoviz.yaml and the AUTOVIZ_LLM_* environment variables.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from .errors import AutovizError

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autoviz", description="CSV + question → charts, tables and a report.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and Dagster's logs")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the whole pipeline (the Dagster job, in-process)")
    run.add_argument("file")
    run.add_argument("question", nargs="?", default="")
    run.add_argument("--out", help="write report.md, report.html, manifest.json and charts/ here "
                     "(an earlier autoviz report there is replaced; a folder holding report or chart files "
                     "autoviz did not write is refused; one run at a time per folder)")
    _llm_options(run)
    chart = sub.add_parser("chart", help="print the Vega-Lite spec (data inline) of the first chart `run` draws")
    chart.add_argument("file")
    chart.add_argument("question")
    register = sub.add_parser("register", help="add dataset partitions to the Dagster instance in $DAGSTER_HOME")
    register.add_argument("files", nargs="+")
    schema = sub.add_parser("schema", help="print the per-dataset JSON schema (or prompt) a model must fill")
    schema.add_argument("file")
    schema.add_argument("--stage", choices=["intent", "adapt"], default="adapt")
    schema.add_argument("--question", default="", help="columns relevant to it go first (default: overview)")
    schema.add_argument("--prompt", action="store_true", help="print the prompt messages instead of the schema")
    _llm_options(schema)
    for subparser in sub.choices.values():  # `autoviz run f.csv q --debug` works too
        subparser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                               help="show tracebacks and Dagster's logs")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.debug else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        if args.command == "chart":
            return _chart(args.file, args.question)
        if args.command == "register":
            return _register(args.files)
        if args.command == "schema":
            return _schema(args.file, args.stage, args.question, _overrides(args), prompt=args.prompt)
        return _run(args.file, args.question, args.out, debug=args.debug, llm=_overrides(args))
    except AutovizError as exc:
        if args.debug:
            raise
        print(f"autoviz: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autoviz: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line for the user, the traceback with --debug
        if args.debug:
            raise
        print(f"autoviz: internal error: {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
              file=sys.stderr)
        return 3


def _llm_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model (default: config/autoviz.yaml, then AUTOVIZ_LLM_* variables)")
    group.add_argument("--backend", choices=["offline", "openai", "vllm", "gpt4all"], help="which LLM backend")
    group.add_argument("--llm-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    group.add_argument("--model", help="a model configured in config/autoviz.yaml, else the served model name "
                                       "(gpt4all: the .gguf path)")


def _overrides(args: argparse.Namespace) -> dict[str, str]:
    values = {"backend": args.backend, "url": args.llm_url, "model": args.model}
    return {k: v for k, v in values.items() if v}


def _schema(file: str, stage: str, question: str, overrides: dict[str, str], *, prompt: bool) -> int:
    from .llm import LLMConfigError, LLMOverrides, env_overrides, load_llm_settings, make_backend, stage_request
    from .profiling import profile_dataset
    from .settings import load_config

    path = _check_file(file)
    try:
        model = load_llm_settings().model_for(stage, LLMOverrides(**overrides).over(env_overrides()))  # type: ignore[arg-type]
    except LLMConfigError as exc:
        raise AutovizError(str(exc)) from None
    profile = profile_dataset(path, name=path.name)
    request = stage_request(stage, question or load_config().default_question, profile,  # type: ignore[arg-type]
                            make_backend(model))
    print(json.dumps(request.messages if prompt else request.schema, indent=2, ensure_ascii=False))
    return 0


def _check_file(file: str) -> Path:
    path = Path(file)
    if not path.is_file():
        raise AutovizError(f"{file}: no such file. Give the path of a CSV file.")
    return path


def _chart(file: str, question: str) -> int:
    from .api import primary_chart

    spec = primary_chart(_check_file(file), question)
    print(json.dumps(spec, indent=2, ensure_ascii=False))
    return 0


def _instance() -> Any:
    """The instance in $DAGSTER_HOME (runs show in the UI), else an ephemeral one for this process.

    A home with a dagster.yaml is loaded as it is (the user's settings). A home without one is loaded with
    telemetry off and without Dagster's warning about the missing file, so that `autoviz` prints only its own lines.
    """
    from dagster import DagsterInstance

    home = os.environ.get("DAGSTER_HOME")
    if not home:
        return DagsterInstance.ephemeral()
    if (Path(home) / "dagster.yaml").is_file():
        return DagsterInstance.get()
    from dagster._core.instance.ref import InstanceRef

    quiet = _DropRecords("No dagster instance configuration file")
    dagster_log = logging.getLogger("dagster")
    dagster_log.addFilter(quiet)
    try:
        ref = InstanceRef.from_dir(str(Path(home).resolve()), overrides={"telemetry": {"enabled": False}})
    finally:
        dagster_log.removeFilter(quiet)
    return DagsterInstance.from_ref(ref)


class _DropRecords(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.prefix)


def _register(files: list[str]) -> int:
    """Add each file's partition to the instance and remember where the file is (``<inbox>/.registered.json``), so
    the UI's Materialize and ``dagster asset materialize`` find it with no config; the file stays where it is."""
    from .defs.assets import add_partition
    from .inbox import register_file
    from .settings import load_config

    if not os.environ.get("DAGSTER_HOME"):
        raise AutovizError("DAGSTER_HOME is not set: export DAGSTER_HOME=$PWD/.dagster_home (the instance to register in).")
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    paths = [_check_file(f) for f in files]
    instance = _instance()
    inbox = load_config().path("inbox")
    for f, path in zip(files, paths):
        key, before = register_file(inbox, path)
        add_partition(instance, key)
        print(f"registered {f} as partition {key}" + (f" (it stood for {before} until now)" if before else ""))
    return 0


def _run(file: str, question: str, out: str | None, *, debug: bool, llm: dict[str, str] | None = None) -> int:
    path = _check_file(file).resolve()
    out_dir = _check_out(out) if out else None
    with _out_lock(out_dir):
        return _run_job(path, question, out_dir, debug=debug, llm=llm)


def _check_out(out: str) -> Path:
    """``--out``: a folder (created if missing) that is empty or holds an earlier autoviz report; checked
    before any work, so a wrong ``--out`` costs nothing and overwrites nobody's files."""
    from .execution import REPORT_FILES, holds_autoviz_report

    folder = Path(out).resolve()
    if folder.exists() and not folder.is_dir():
        raise AutovizError(f"--out {out}: is a file, not a folder. Give a folder for the report (created if missing).")
    if folder.is_dir():
        taken = [n for n in (*REPORT_FILES, "charts", "tables") if (folder / n).exists()]
        if taken and not holds_autoviz_report(folder):
            raise AutovizError(f"--out {out}: already holds {', '.join(taken)} that autoviz did not write. Give an "
                               "empty folder, a new one, or the folder of an earlier autoviz report.")
    return folder


class _out_lock:
    """One run at a time into one ``--out`` folder: a second run is refused, never mixed with the first."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / ".autoviz-run.lock" if folder is not None else None

    def __enter__(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                if _alive(self.path):
                    raise AutovizError(f"--out {self.path.parent}: another autoviz run is writing its report there "
                                       f"(lock {self.path.name}); wait for it or give another folder.") from None
                self.path.unlink(missing_ok=True)  # left by a run that was killed
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return
        raise AutovizError(f"--out {self.path.parent}: cannot take the lock {self.path.name}")

    def __exit__(self, *exc: object) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _alive(lock: Path) -> bool:
    from .fsutil import pid_alive

    try:
        return pid_alive(int(lock.read_text().strip() or "0"))
    except (OSError, ValueError):
        return False


def _run_job(path: Path, question: str, out_dir: Path | None, *, debug: bool, llm: dict[str, str] | None) -> int:
    from .definitions import autoviz_job, defs
    from .defs.assets import add_partition
    from .defs.failures import RECORDED_BY_TAG
    from .inbox import display_name, partition_key_for

    key = partition_key_for(path.name)
    instance = _instance()
    add_partition(instance, key)
    config: dict[str, Any] = {"dataset_path": str(path), "question": question}
    if out_dir is not None:
        config["out_dir"] = str(out_dir)
    run_config: dict[str, Any] = {
        "ops": {"dataset_profile": {"config": config}},
        # without --debug the CLI prints the one-line error itself; Dagster's ERROR events carry stack traces
        # --debug: Dagster's full log; otherwise one line of progress per stage message (stderr)
        "loggers": {"console": {"config": {"log_level": "DEBUG"}}} if debug else {"progress": {"config": {}}},
    }
    if llm:
        run_config["resources"] = {"llm": {"config": llm}}
    job = defs.resolve_job_def(autoviz_job.name)
    result = job.execute_in_process(run_config=run_config, instance=instance, partition_key=key,
                                    raise_on_error=False,
                                    tags={"autoviz/file": display_name(path.name), RECORDED_BY_TAG: "cli"})
    if not result.success:
        print(f"autoviz: run failed: {_failure_message(result)}", file=sys.stderr)
        record = _record_failure(result, key, path)
        if record:
            print(f"autoviz: failure recorded in {record}", file=sys.stderr)
        return 1
    intent = result.output_for_node("question_intent")
    validated = result.output_for_node("validated_plan")
    execution = result.output_for_node("step_results")
    report = result.output_for_node("analysis_report")
    print(
        f"intent {intent.intent} ({intent.confidence:.2f}, {intent.source}) · plan {len(validated.steps)} steps · "
        f"{len(validated.repairs)} repaired · {len(validated.dropped) + len(execution.failed)} dropped · "
        f"{sum(r.kind == 'chart' for r in execution.results)} charts"
    )
    for call in [*intent.llm_calls, *result.output_for_node("analysis_plan").llm_calls]:
        fallback = "; offline result used" if call.fallback_used else ""
        print(f"llm {call.stage}: {call.backend}/{call.model} {call.outcome} ({call.latency_ms:.0f} ms){fallback}")
    for note in result.output_for_node("dataset_profile").profile.notes[:8]:
        print(f"note: {note}")
    if execution.results:
        from .report import plain_text

        print(f"answer: {plain_text(execution.results[0].finding)}")
    print(f"report: {report.html}")
    print(f"manifest: {report.manifest}")
    return 0


def _record_failure(result: Any, key: str, path: Path) -> Path | None:
    """``<outputs>/_failures/<run id>.json``, as the run failure sensor writes for sensor runs."""
    from .defs.failures import failure_record, first_step_failure, write_failure_record
    from .inbox import display_name
    from .settings import load_config

    stage, error = first_step_failure(result.all_events)
    record = failure_record(run_id=result.run_id, partition=key, file=display_name(path.name), stage=stage,
                            error=error or "the run failed (see --debug)", source="cli")
    try:
        return write_failure_record(load_config().path("outputs"), record)
    except OSError as exc:
        logger.warning("cannot write the failure record: %s", exc)
        return None


def _failure_message(result: Any) -> str:
    from .defs.failures import step_failure_message

    for event in result.all_events:
        if event.is_step_failure:
            return f"[{event.step_key}] {step_failure_message(event)}"
    return "see the Dagster logs (--debug)"


if __name__ == "__main__":
    sys.exit(main())
