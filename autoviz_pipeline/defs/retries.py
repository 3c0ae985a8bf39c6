"""Step retries for temporary failures only (an LLM timing out, a connection reset), with backoff.

Dagster's ``RetryPolicy`` retries whatever a step raises. Retrying a bad file or a bug only delays the
failure, so :func:`retry_transient_only` lets :class:`~autoviz_pipeline.errors.TransientError` through
to the policy and turns every other error into a ``dg.Failure(allow_retries=False)``: it fails at once,
with its message.

    @dg.asset(..., retry_policy=TRANSIENT_RETRY)
    @retry_transient_only
    def question_intent(...): ...
"""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import dagster as dg

from ..errors import AutovizError, TransientError

F = TypeVar("F", bound=Callable[..., Any])

TRANSIENT_RETRY = dg.RetryPolicy(max_retries=3, delay=1.0, backoff=dg.Backoff.EXPONENTIAL,
                                 jitter=dg.Jitter.PLUS_MINUS)
"""Up to 3 more attempts, about 1 s, 3 s and 7 s apart (± 1 s of jitter, so parallel runs spread out)."""


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
