"""Errors raised by the pipeline, each carrying its facts and saying what to do next.

    AutovizError
    ├── InputError            the CSV or the question cannot be used (which file, what to do)
    │   ├── CsvReadError      the file is empty, binary, or not parseable as CSV
    │   └── LimitExceededError  the file is over a configured limit (which one, how to raise it)
    ├── StageTimeoutError     a stage ran longer than limits.stage_timeout_s
    ├── TransientError        a temporary failure (an LLM server's 5xx or 429, a timeout): the stage runs again
    ├── PlanError             a template or a plan is malformed (a bug in config/, not in the data)
    └── ToolParamError        a step's params do not fit the data (repair drops the step, logged)
        └── UnknownColumnError

Stages never let these escape for a single bad step: ``repair`` drops the step and ``execution``
records the failure; only errors that make the whole run meaningless (unreadable input) propagate.
Only ``TransientError`` is worth retrying: the Dagster layer (``defs/retries.py``) runs the stage again
with backoff and fails every other error at once. The LLM stages raise it while retries are left and fall
back to the offline result on their last attempt, so a failing model server never fails a run.
"""

from __future__ import annotations

from collections.abc import Sequence

LIMITS_FILE = "config/autoviz.yaml"


class AutovizError(Exception):
    """Base of every error the pipeline raises on purpose."""


class InputError(AutovizError):
    def __init__(self, path: str, problem: str, hint: str) -> None:
        self.path, self.problem, self.hint = path, problem, hint
        super().__init__(f"{path}: {problem}. {hint}")


class CsvReadError(InputError):
    """The file cannot be read as a table."""


class LimitExceededError(InputError):
    """The input is over a configured limit (``limits:`` in config/autoviz.yaml)."""

    def __init__(self, path: str, limit: str, value: str, maximum: str, *, advice: str = "") -> None:
        self.limit, self.value, self.maximum = limit, value, maximum
        super().__init__(
            path,
            f"{value} is over the limit of {maximum} (limits.{limit})",
            f"{advice}{' ' if advice else ''}Split or reduce the file, or raise limits.{limit} in {LIMITS_FILE} "
            f"(per run: the settings resource's {limit}).",
        )


class StageTimeoutError(AutovizError):
    """A stage ran past ``limits.stage_timeout_s``."""

    def __init__(self, stage: str, seconds: float, detail: str = "") -> None:
        self.stage, self.seconds, self.detail = stage, seconds, detail
        where = f" ({detail})" if detail else ""
        super().__init__(
            f"stage {stage} took longer than {seconds:g} s{where} and was stopped (limits.stage_timeout_s). "
            f"Reduce the file or the number of charts, or raise limits.stage_timeout_s in {LIMITS_FILE}."
        )


class TransientError(AutovizError):
    """A failure that may pass if the same stage runs again (an LLM server's 5xx, a timeout, a reset).

    Raise it (``raise TransientError("LLM intent stage", "timeout: no answer within 30 s") from exc``) only
    where retrying can help; Dagster retries the stage with exponential backoff (``defs/retries.py``).
    """

    def __init__(self, what: str, problem: str) -> None:
        self.what, self.problem = what, problem
        super().__init__(f"{what}: {problem} (temporary: the stage runs again after a short wait). If it keeps "
                         "failing, check that the service is up, or run with the offline backend.")


class PlanError(AutovizError):
    """A plan template is malformed: fix the YAML under config/templates/."""


class ToolParamError(AutovizError):
    """A param does not fit the dataset."""


class UnknownColumnError(ToolParamError):
    def __init__(self, column: str, known: Sequence[str]) -> None:
        self.column, self.known = column, tuple(known)
        shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
        super().__init__(
            f"Column {column!r} is not in the CSV (columns: {shown}). Reword the question to name an existing column."
        )
