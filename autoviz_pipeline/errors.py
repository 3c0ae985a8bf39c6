"""Errors raised by the pipeline, each carrying its facts and saying what to do next.

    AutovizError
    ├── InputError            the CSV or the question cannot be used (which file, what to do)
    │   └── CsvReadError      the file is empty, binary, or not parseable as CSV
    ├── PlanError             a template or a plan is malformed (a bug in config/, not in the data)
    └── ToolParamError        a step's params do not fit the data (repair drops the step, logged)
        └── UnknownColumnError

Stages never let these escape for a single bad step: ``repair`` drops the step and ``execution``
records the failure; only errors that make the whole run meaningless (unreadable input) propagate.
"""

from __future__ import annotations

from collections.abc import Sequence


class AutovizError(Exception):
    """Base of every error the pipeline raises on purpose."""


class InputError(AutovizError):
    def __init__(self, path: str, problem: str, hint: str) -> None:
        self.path, self.problem, self.hint = path, problem, hint
        super().__init__(f"{path}: {problem}. {hint}")


class CsvReadError(InputError):
    """The file cannot be read as a table."""


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
