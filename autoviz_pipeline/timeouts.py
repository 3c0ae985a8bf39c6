"""Per-stage time limits (``limits.stage_timeout_s``): a stage that runs too long stops with a clear error.

Where the platform allows (POSIX, main thread: the in-process executor, ``autoviz run``, tests), a
``SIGALRM`` timer interrupts the stage; it fires between Python bytecodes, so a single long call into
C (one ``pandas.read_csv``) finishes before it is stopped. Everywhere, :meth:`Deadline.check` lets a
loop stop cleanly between items (``execution`` checks before every step).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import StageTimeoutError

logger = logging.getLogger(__name__)


class Deadline:
    """When a stage must be done; ``seconds`` of None or 0 means no limit."""

    def __init__(self, seconds: float | None, stage: str) -> None:
        self.seconds = seconds if seconds and seconds > 0 else None
        self.stage = stage
        self.started = time.monotonic()

    @property
    def remaining(self) -> float | None:
        return None if self.seconds is None else self.seconds - (time.monotonic() - self.started)

    def expired(self) -> bool:
        remaining = self.remaining
        return remaining is not None and remaining <= 0

    def check(self, detail: str = "") -> None:
        if self.expired():
            raise StageTimeoutError(self.stage, self.seconds or 0, detail)


@contextmanager
def stage_deadline(seconds: float | None, stage: str) -> Iterator[Deadline]:
    """Run the block under a deadline; raises StageTimeoutError when it is exceeded."""
    deadline = Deadline(seconds, stage)
    usable = (
        deadline.seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        if deadline.seconds is not None:
            logger.debug("stage %s: no timer outside the main thread; cooperative checks only", stage)
        yield deadline
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise StageTimeoutError(stage, deadline.seconds or 0)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, _ = signal.setitimer(signal.ITIMER_REAL, deadline.seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # an enclosing timer was running: give it back what is left of it
            left = outer_delay - (time.monotonic() - deadline.started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
