"""Step retries for temporary failures only (an LLM server's 5xx or 429, a timeout), with backoff.

The two LLM stages are the only steps that call a service, so the only ones with a retry policy. While
:func:`retries_left`, they ask the model with ``retry_transient=True``: a temporary failure raises
:class:`~autoviz_pipeline.errors.TransientError` and Dagster runs the stage again (visible in the run's
timeline as a retry). On the last attempt they fall back to the offline result instead, as any other model
failure does, so a failing server never fails the run.

Dagster's ``RetryPolicy`` retries whatever a step raises. Retrying a bad file or a bug only delays the
failure, so :func:`retry_transient_only` lets ``TransientError`` through to the policy and turns every other
error into a ``dg.Failure(allow_retries=False)``: it fails at once, with its message.

    @dg.asset(..., retry_policy=TRANSIENT_RETRY)
    @retry_transient_only
    def question_intent(context, ...):
        propose_intent(..., retry_transient=retries_left(context))
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import dagster as dg

from ..errors import AutovizError, TransientError

F = TypeVar("F", bound=Callable[..., Any])

TRANSIENT_RETRY = dg.RetryPolicy(max_retries=2, delay=1.0, backoff=dg.Backoff.EXPONENTIAL,
                                 jitter=dg.Jitter.PLUS_MINUS)
"""Up to 2 more attempts, about 1 s and 3 s after the failure (± 1 s of jitter, so parallel runs spread out)."""


def retries_left(context: dg.AssetExecutionContext) -> bool:
    """Whether a TransientError raised now would be retried (False on the last attempt: fall back instead)."""
    return context.retry_number < TRANSIENT_RETRY.max_retries


def retry_transient_only(fn: F) -> F:
    """Wrap an asset body so that only TransientError is retried by the asset's retry policy."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (TransientError, dg.RetryRequested):
            raise
        except dg.Failure as exc:
            if exc.allow_retries is False:
                raise
            raise dg.Failure(description=exc.description, metadata=exc.metadata, allow_retries=False) from exc
        except AutovizError as exc:
            raise dg.Failure(description=str(exc), allow_retries=False) from exc
        except Exception as exc:  # noqa: BLE001 - a bug: retrying would only repeat it
            raise dg.Failure(description=f"{type(exc).__name__}: {exc}", allow_retries=False) from exc

    return wrapper  # type: ignore[return-value]
