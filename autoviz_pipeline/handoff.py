"""The hand-off between stages: the parsed table travels through the columnar cache on disk, never in memory.

The profile stage parses a small file once and stores the frame as ``<cache>/<sha256>.<options>.frame-v1.parquet``
(keyed by the CSV's content hash and the read options; written beside its own sha256, as the large-file Parquet
is). The execute stage, in the same process or another one (multiprocess, dask), loads it after checking that
digest: a truncated, damaged or replaced cache file is rebuilt from the CSV, and only from the content the profile
describes (a CSV changed since it was profiled fails with a clear message instead of giving other numbers).
Large files already hand over their Parquet (``profile.columnar_cache``, read by ``engine.load_columns``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from pathlib import Path

import pandas as pd

from .contracts import DatasetProfile
from .dataio import read_table, typed_frame
from .engine import PARQUET_COMPRESSION, cache_dir, drop_cached_parquet, place_verified, verified
from .errors import CsvReadError

logger = logging.getLogger(__name__)

FRAME_CACHE = "{digest}.{options}.frame-v1.parquet"
"""v1: the frame ``dataio.read_table`` returns, as pandas wrote it (pandas' metadata keeps every dtype)."""


def frame_path(profile: DatasetProfile) -> Path:
    options = hashlib.sha256(profile.read_options.model_dump_json().encode()).hexdigest()[:16]
    return cache_dir() / FRAME_CACHE.format(digest=profile.sha256, options=options)


def store_frame(frame: pd.DataFrame, profile: DatasetProfile) -> Path | None:
    """Write the parsed table for the later stages (once per content: an existing verified copy is kept).
    None when it cannot be written (a read-only or misplaced cache, a column Parquet cannot hold): the execute
    stage then parses the CSV again."""
    target = frame_path(profile)
    if verified(target):
        return target
    # per process and thread: two runs of one file at once (dask threads, the sensor beside a CLI run)
    tmp = target.with_name(f".{profile.sha256}.{os.getpid()}.{threading.get_ident()}.parquet.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp, compression=PARQUET_COMPRESSION)
        place_verified(tmp, target)
    except Exception as exc:  # noqa: BLE001 - a read-only cache, a column pyarrow refuses: the CSV is still there
        logger.warning("the parsed table of %s could not be cached (%s): the execute stage parses it again",
                       profile.name, exc)
        return None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return target


def load_frame(profile: DatasetProfile) -> pd.DataFrame:
    """The typed table for a small file's profile: from the verified cache, else parsed again from the CSV."""
    target = frame_path(profile)
    if verified(target):
        try:
            return typed_frame(pd.read_parquet(target), profile)
        except Exception as exc:  # noqa: BLE001 - verified yet unreadable (another pyarrow): rebuilt below
            logger.warning("%s could not be read (%s): parsing %s again", target.name, exc, profile.name)
            drop_cached_parquet(target)
    elif target.exists():
        logger.warning("%s does not match the digest recorded when it was written (truncated, damaged or "
                       "replaced): parsing %s again", target.name, profile.name)
        drop_cached_parquet(target)
    return typed_frame(_parse_profiled(profile), profile)


def _parse_profiled(profile: DatasetProfile) -> pd.DataFrame:
    """Parse the CSV again, only if it still holds the content that was profiled; the frame is cached again."""
    try:
        content = Path(profile.path).read_bytes()
    except OSError as exc:
        raise CsvReadError(profile.path, f"cannot be read again for the charts ({exc.strerror or exc})",
                           "Keep the file in place until the run ends, or run it again.") from None
    if hashlib.sha256(content).hexdigest() != profile.sha256:
        raise CsvReadError(profile.path, "the file changed after it was profiled (its sha256 differs), so the "
                           "profile and the plan no longer describe it", "Run the pipeline again on the new file.")
    frame = read_table(profile.path, profile.read_options, content=content).frame
    store_frame(frame, profile)
    return frame
