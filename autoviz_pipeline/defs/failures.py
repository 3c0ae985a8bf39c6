"""What went wrong in a failed run, written where a user finds it (shared by the CLI and the sensors).

Every failed run leaves ``<outputs>/_failures/<run id>.json``: the dataset, the stage, the error (which
names the file and what to do) and how to retry. Nothing is retried automatically for a bad file: the
same file version never runs again by itself (the sensor's run key), so the record says how to retry.
"""

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_text

FAILURES_FOLDER = "_failures"
RECORDED_BY_TAG = "autoviz/failure_recorded_by"  # on runs whose launcher writes its own record (`autoviz run`)
RETRY_HINT = (
    "Fix what the error says, then save the file again in the inbox: a new version runs once. "
    "Saving the same bytes again also counts (its modification time changes). "
    "A file registered with `autoviz register`: materialize its partition again (UI or dagster asset materialize). "
    "Or run it by hand: autoviz run FILE \"QUESTION\" (add --debug for details)."
)


def step_failure_message(event: Any) -> str:
    """The ``dg.Failure`` description when the step raised one on purpose, else the error's message."""
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    if data.error:
        message = data.error.message.strip()
        cause = data.error.cause
        while cause is not None and cause.cause is not None:
            cause = cause.cause
        if cause is not None:  # Dagster wraps the real error ("Error occurred while ..."): say both
            return f"{message} {cause.message.strip()}"
        return message
    return "unknown error (see the Dagster logs)"


def first_step_failure(events: Iterable[Any]) -> tuple[str | None, str | None]:
    """``(stage, message)`` of the first failed step among a run's events."""
    for event in events:
        if getattr(event, "is_step_failure", False):
            return event.step_key, step_failure_message(event)
    return None, None


def safe_text(value: Any, limit: int = 4000) -> str | None:
    """Text that always serializes: undecodable bytes escaped, at most ``limit`` characters."""
    if value is None:
        return None
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure_record(*, run_id: str, partition: str | None, file: str | None, stage: str | None, error: str,
                   version: str | None = None, source: str = "dagster") -> dict[str, Any]:
    return {
        "run_id": run_id,
        "partition": safe_text(partition),
        "file": safe_text(file),
        "version": safe_text(version),
        "stage": stage,
        "error": safe_text(error),
        "source": source,
        "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "retry": RETRY_HINT,
    }


def write_failure_record(outputs_dir: str | Path, record: dict[str, Any]) -> Path:
    """Write the record atomically as ``<outputs>/_failures/<run id>.json`` and return its path."""
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(record["run_id"]))[:80] or "run"
    target = Path(outputs_dir) / FAILURES_FOLDER / f"{name}.json"
    atomic_write_text(target, json.dumps(record, indent=2, ensure_ascii=False))
    return target
