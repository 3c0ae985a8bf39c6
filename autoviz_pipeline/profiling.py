"""Stage 1: profile a CSV — every column gets a role, counts, stats or top values, and samples.

The rules (roles, counts, samples) are in ``roles``, shared with the large-file ``engine``; this module reads the
file and picks the path: a small file is read once and parsed once with pandas, and the parsed table goes into
the columnar cache (``handoff``) for the execute stage; a large one goes through ``engine``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from .contracts import ColumnProfile, DatasetProfile
from .dataio import read_table, sniff
from .engine import profile_large
from .errors import InputError
from .handoff import store_frame
from .inbox import display_name, is_utf8_name, partition_key_for
from .roles import SAMPLES, _short, profile_column
from .settings import Limits, load_config

logger = logging.getLogger(__name__)


def profile_dataset(path: str | Path, *, name: str | None = None, limits: Limits | None = None) -> DatasetProfile:
    """Read the CSV once and describe it. Raises CsvReadError for files that are not usable tables.

    ``limits`` (default: ``config/autoviz.yaml``) caps the file size and the number of columns; a file
    over a cap fails with LimitExceededError before it is parsed. The profile's notes say everything
    that was assumed to read the file (encoding, delimiter, ragged rows, renamed columns).
    """
    path = Path(path)
    if not is_utf8_name(str(path)):
        raise InputError(display_name(str(path), 1000), "the file name contains bytes that are not UTF-8, so it "
                         "cannot be recorded in the report or the Dagster run",
                         f"Rename the file, e.g. to {partition_key_for(path.name)}")
    limits = limits or load_config().limits
    if _is_large(path, limits):
        return profile_large(path, name=name or path.name, limits=limits)
    # a small file: read from disk once; the scan, the hash and the parse work on those bytes
    sniffed = sniff(path, max_file_mb=limits.max_file_mb, max_line_kb=limits.max_line_kb, whole=True)
    options = sniffed.options
    table = read_table(path, options, max_columns=limits.max_columns, max_line_kb=limits.max_line_kb,
                       content=sniffed.content)
    df = table.frame
    columns = [_profile_column_safely(str(c), df[c]) for c in df.columns]
    notes = [*sniffed.notes, *table.notes]
    if len(df) == 1:
        notes.append("only one data row: spreads, trends and correlations need more rows")
    profile = DatasetProfile(
        path=str(path),
        name=name or path.name,
        sha256=sniffed.sha256,
        size_bytes=len(sniffed.content),
        rows=len(df),
        columns=columns,
        read_options=options,
        notes=notes,
    )
    store_frame(df, profile)  # the hand-off: the execute stage reads this, in whichever process it runs
    return profile


def _is_large(path: Path, limits: Limits) -> bool:
    try:
        return path.stat().st_size >= limits.columnar_min_mb * 1024 * 1024
    except OSError:
        return False  # sniff() says what is wrong with the path


def _profile_column_safely(name: str, series: pd.Series) -> ColumnProfile:
    """One odd column (values no rule expected) must not cost the whole profile: it becomes text, noted."""
    try:
        return profile_column(name, series)
    except Exception as exc:  # robustness around the role rules, never instead of them
        logger.warning("column %r could not be profiled: %s", name, exc, exc_info=logger.isEnabledFor(logging.DEBUG))
        non_null = series.dropna()
        return ColumnProfile(
            name=name, dtype=str(series.dtype), role="text", count=int(non_null.size), nulls=int(series.isna().sum()),
            distinct=int(non_null.astype(str).nunique()),
            samples=[_short(v) for v in non_null.astype(str).head(SAMPLES)],
            notes=[f"could not be profiled ({type(exc).__name__}: {_short(exc)}); treated as text"],
        )
