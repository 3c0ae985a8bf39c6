"""Run one bad-input case through the real pipeline and judge the outcome.

Two ways in: ``run_dagster`` materializes the six real assets in a Dagster instance (what the sensor
and ``dagster job execute`` do, in-process), ``run_cli`` runs ``autoviz run`` as a subprocess (what a
user types). Both record whether the input survived byte for byte (sha256 before and after).

Outcomes: ``report`` (the run succeeded and wrote report.html + manifest.json), ``error`` (the run failed
on purpose with a message naming the file and what to do), ``crash`` (anything else: an unexpected
exception, a traceback shown without --debug, a failure without a clear message).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cases import Case

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    case: str
    mode: str
    status: str  # report | error | crash
    message: str = ""
    notes: list[str] = field(default_factory=list)
    report_html: Path | None = None
    manifest: dict[str, Any] | None = None
    intact: bool = True
    seconds: float = 0.0
    stderr: str = ""

    def expected(self, case: Case) -> tuple[bool, str]:
        """Whether the outcome is what the case asks for, and why not."""
        if not self.intact:
            return False, "the input file changed or disappeared"
        if self.status != case.expect:
            return False, f"expected {case.expect}, got {self.status}: {self.message[:300]}"
        if case.expect == "report":
            text = " | ".join(self.notes)
            if case.note and not re.search(case.note, text, re.I | re.S):
                return False, f"no note matching {case.note!r} in: {text[:500]}"
            if not self.notes:
                return False, "a report without any note of what was assumed"
        if case.expect == "error" and case.error and not re.search(case.error, self.message, re.I):
            return False, f"error does not match {case.error!r}: {self.message[:300]}"
        return True, ""


def sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def report_notes(manifest: dict[str, Any]) -> list[str]:
    """Every note of what was assumed: profile, columns, intent, steps."""
    profile = manifest.get("profile", {})
    notes = list(profile.get("notes", []))
    for column in profile.get("columns", []):
        notes += [f"{column['name'][:40]}: {n}" for n in column.get("notes", [])]
    intent = manifest.get("intent", {})
    notes += intent.get("notes", [])
    notes += [f"matched {m['phrase']!r} -> column {m['column']!r} ({m['method']}, {m['score']:.2f})"
              for m in intent.get("matches", [])]
    for kind in ("charts", "tables", "texts"):
        for item in manifest.get(kind, []):
            notes += item.get("notes", [])
    return notes


def _clear(message: str, file: str) -> bool:
    """A clear error names the file and says what to do (a second sentence)."""
    return file in message and len(message.split(". ")) >= 2


def run_dagster(case: Case, folder: Path, instance: Any) -> Outcome:

    from autoviz_pipeline.defs.failures import first_step_failure
    from autoviz_pipeline.defs.resources import PipelineSettings
    from tests.dagster_support import question_config, run_partition
    from autoviz_pipeline.inbox import partition_key_for

    folder.mkdir(parents=True, exist_ok=True)
    csv = case.write(folder)
    before = sha256(csv)
    key = partition_key_for(csv.name)
    started = time.perf_counter()
    try:
        result = run_partition(
            instance, key, settings=PipelineSettings(inbox_dir=str(folder), outputs_dir=str(folder / "out")),
            storage=folder / "storage", run_config=question_config(csv, case.question), raise_on_error=False)
    except Exception as exc:  # noqa: BLE001 - that is what a crash is
        return Outcome(case.name, "dagster", "crash", f"{type(exc).__name__}: {exc}", intact=sha256(csv) == before,
                       seconds=time.perf_counter() - started)
    seconds = time.perf_counter() - started
    intact = sha256(csv) == before
    if result.success:
        report = result.output_for_node("analysis_report")
        html, manifest_path = Path(report.html), Path(report.manifest)
        if not (html.is_file() and manifest_path.is_file()):
            return Outcome(case.name, "dagster", "crash", "run succeeded without report files", intact=intact,
                           seconds=seconds)
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        return Outcome(case.name, "dagster", "report", notes=report_notes(manifest), report_html=html,
                       manifest=manifest, intact=intact, seconds=seconds)
    stage, message = first_step_failure(result.all_events)
    failures = [e for e in result.all_events if e.is_step_failure]
    on_purpose = bool(failures) and failures[0].step_failure_data.user_failure_data is not None
    status = "error" if on_purpose and message and _clear(message, case.file) else "crash"
    return Outcome(case.name, "dagster", status, f"[{stage}] {message}", intact=intact, seconds=seconds)


def run_cli(case: Case, folder: Path, *, extra: tuple[str, ...] = ()) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    csv = case.write(folder)
    before = sha256(csv)
    env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(folder / "storage"), "AUTOVIZ_OUTPUTS_DIR": str(folder / "out"),
           "MPLBACKEND": "Agg"}
    env.pop("DAGSTER_HOME", None)
    started = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", "run", str(csv), case.question,
                        "--out", str(folder / "report"), *extra],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - started
    intact = sha256(csv) == before
    leaked = any(marker in p.stderr for marker in ("Traceback", "Stack Trace:"))
    if p.returncode == 0:
        manifest_path = folder / "report" / "manifest.json"
        if leaked or not manifest_path.is_file() or not (folder / "report" / "report.html").is_file():
            return Outcome(case.name, "cli", "crash", "exit 0 without a report, or a traceback shown",
                           intact=intact, seconds=seconds, stderr=p.stderr)
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        return Outcome(case.name, "cli", "report", notes=report_notes(manifest),
                       report_html=folder / "report" / "report.html", manifest=manifest, intact=intact,
                       seconds=seconds, stderr=p.stderr)
    message = p.stderr.strip()
    status = "error" if p.returncode in (1, 2) and not leaked and _clear(message, case.file) else "crash"
    return Outcome(case.name, "cli", status, message, intact=intact, seconds=seconds, stderr=p.stderr)
