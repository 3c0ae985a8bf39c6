"""``autoviz``: run the Dagster job on a CSV, print the first chart's spec, or register a dataset.

    autoviz run FILE "QUESTION" [--out DIR]   the whole job in-process; prints where the report is
    autoviz chart FILE "QUESTION"             the first chart's Vega-Lite spec as JSON (no rendering)
    autoviz register FILE [FILE ...]          add partitions to $DAGSTER_HOME (for `dagster job execute`)
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
    run.add_argument("--out", help="write report.md, report.html, manifest.json and charts/ here")
    chart = sub.add_parser("chart", help="print the first chart's Vega-Lite spec")
    chart.add_argument("file")
    chart.add_argument("question")
    register = sub.add_parser("register", help="add dataset partitions to the Dagster instance in $DAGSTER_HOME")
    register.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.debug else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        if args.command == "chart":
            return _chart(args.file, args.question)
        if args.command == "register":
            return _register(args.files)
        return _run(args.file, args.question, args.out, debug=args.debug)
    except AutovizError as exc:
        if args.debug:
            raise
        print(f"autoviz: {exc}", file=sys.stderr)
        return 2


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
    """The instance in $DAGSTER_HOME (runs show in the UI), else an ephemeral one for this process."""
    from dagster import DagsterInstance

    return DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else DagsterInstance.ephemeral()


def _register(files: list[str]) -> int:
    from .defs.assets import csv_files
    from .inbox import partition_key_for

    if not os.environ.get("DAGSTER_HOME"):
        raise AutovizError("DAGSTER_HOME is not set: export DAGSTER_HOME=$PWD/.dagster_home (the instance to register in).")
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    instance = _instance()
    keys = [partition_key_for(_check_file(f).name) for f in files]
    instance.add_dynamic_partitions(csv_files.name, keys)
    for f, k in zip(files, keys):
        print(f"registered {f} as partition {k}")
    return 0


def _run(file: str, question: str, out: str | None, *, debug: bool) -> int:
    from .definitions import autoviz_job, defs
    from .defs.assets import csv_files
    from .inbox import partition_key_for

    path = _check_file(file).resolve()
    key = partition_key_for(path.name)
    instance = _instance()
    instance.add_dynamic_partitions(csv_files.name, [key])
    config: dict[str, Any] = {"dataset_path": str(path), "question": question}
    if out:
        config["out_dir"] = str(Path(out).resolve())
    run_config = {
        "ops": {"dataset_profile": {"config": config}},
        "loggers": {"console": {"config": {"log_level": "DEBUG" if debug else "ERROR"}}},
    }
    job = defs.resolve_job_def(autoviz_job.name)
    result = job.execute_in_process(run_config=run_config, instance=instance, partition_key=key,
                                    raise_on_error=False, tags={"autoviz/file": path.name[:200]})
    if not result.success:
        print(f"autoviz: run failed: {_failure_message(result)}", file=sys.stderr)
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
    if execution.results:
        print(f"answer: {execution.results[0].finding}")
    print(f"report: {report.html}")
    print(f"manifest: {report.manifest}")
    return 0


def _failure_message(result: Any) -> str:
    from .defs.failures import step_failure_message

    for event in result.all_events:
        if event.is_step_failure:
            return f"[{event.step_key}] {step_failure_message(event)}"
    return "see the Dagster logs (--debug)"


if __name__ == "__main__":
    sys.exit(main())
