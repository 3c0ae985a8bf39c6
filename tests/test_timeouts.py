import threading
import time

import pytest

from autoviz_pipeline.errors import StageTimeoutError
from autoviz_pipeline.timeouts import Deadline, stage_deadline


def test_a_stage_past_its_limit_is_stopped_with_the_limit_named():
    started = time.monotonic()
    with pytest.raises(StageTimeoutError, match=r"stage demo took longer than 0\.2 s.*limits\.stage_timeout_s"):
        with stage_deadline(0.2, "demo"):
            time.sleep(3)
    assert time.monotonic() - started < 2


def test_no_limit_and_cooperative_checks_off_the_main_thread():
    with stage_deadline(0, "off") as deadline:
        time.sleep(0.05)
        deadline.check()
    errors = []

    def worker():
        with stage_deadline(0.05, "thread") as d:  # no signals here: only check() stops it
            time.sleep(0.1)
            try:
                d.check("between items")
            except StageTimeoutError as exc:
                errors.append(str(exc))

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert errors and "between items" in errors[0]
    assert Deadline(None, "x").remaining is None
