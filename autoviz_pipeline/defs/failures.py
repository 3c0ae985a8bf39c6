"""What went wrong in a failed step, as the one sentence a user needs (shared by the CLI and the sensor)."""

from typing import Any


def step_failure_message(event: Any) -> str:
    """The ``dg.Failure`` description when the step raised one on purpose, else the error's message."""
    data = event.step_failure_data
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    if data.error:
        return data.error.message.strip()
    return "unknown error (see the Dagster logs)"
