"""Large files: parse the CSV once into a columnar cache, then profile and aggregate on that.

Measured on a 2-core machine with a 10 M-row, 918 MB sales CSV (benchmarks/scale.py): pandas
``read_csv`` 1.6-2.0 s / 2.6 GB peak (it holds every row); polars ``scan_csv().sink_parquet()`` 3.3-3.8 s
/ 0.4 GB with lz4 (4.2-5.9 s with its default zstd); DuckDB's CSV → Parquet copy 4.5 s / 0.78 GB (an
earlier measurement). Polars streams with the smallest footprint, so it does the parse.

- ``profile_large`` parses while ``dataio.scan_bytes`` checks every byte and hashes the file in a
  thread (the parse runs on the options the file's head suggests and is redone in the rare case the
  scan disagrees); ``parquet_cache`` keeps ``<cache>/<sha256>.parquet`` (lz4: the fastest to write and
  to read back) once per file content. A digest index keyed by (path, size, mtime) spares re-hashing.
- ``columnar_profile`` decides roles on a sample with the same rules as small files
  (``roles.profile_column``) and takes counts and statistics over every row with polars, one
  column at a time (categories: one group-by gives the distinct count and the top values).
- ``load_columns`` hands the steps only the columns they need (``execution`` reads the union of all
  steps' columns once when it is small enough), low-cardinality text as pandas categories.

Small files keep the simple pandas path (``profiling.profile_dataset``) and hand their parsed frame to the
execute stage through the same cache (``handoff``: ``place_verified`` / ``verified``); the threshold is
``limits.columnar_min_mb`` in config/autoviz.yaml. This module never imports ``profiling`` (which imports it):
the rules both paths use are in ``roles``.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .contracts import ColumnProfile, DatasetProfile, ReadOptions, TopValue
from .dataio import Sniffed, decimal_mark, numeric_text_rules, typed_frame
from .fsutil import atomic_write_text, pid_alive
from .roles import COUNT_NOTES, TOP_VALUES, VALUE_INDEX_MAX, VALUE_MAX_CHARS, _short, count_notes, profile_column

logger = logging.getLogger(__name__)

PARQUET_COMPRESSION = "lz4"
"""Measured on the 10 M-row file: lz4 writes in 3.5 s and decodes fastest; zstd (polars' default) takes
5.9 s to write a file 40% smaller; uncompressed is slower still (more bytes to write)."""
SAMPLE_ROWS = 20_000
STATS_BATCH_VALUES = 2_000_000
STATS_BATCH_COLUMNS = 100
"""Column statistics are computed for as many columns in one query as hold ``STATS_BATCH_VALUES`` values together,
at most ``STATS_BATCH_COLUMNS``: a tall file's columns one at a time as before (2 M rows or more: the peak is one
column), a wide file's in batches of 100. Measured on 5,000 columns × 2,000 rows: one query per column 80 s (the
schema was also read per column); 100 per query 13 s / 455 MB; 500: 14 s / 594 MB; 2,000: 25 s / 1.7 GB."""
_DIGEST_INDEX = "digests.json"
PROFILE_CACHE = "{digest}.profile-v3.json"  # v3: season labels ("2009-10") are no dates
"""Cached profiles; v2: column names cleaned as the small path cleans them, cell text shortened. A v1 profile
(``<digest>.profile.json``) could hold a 1,000,000-character column name or 50 MB values: it is not read."""


def cache_dir() -> Path:
    from .settings import load_config

    cache = load_config().path("cache")
    sweep_temp_files(cache)
    return cache


_TEMP = re.compile(r"^\.(?:early\.)?(?:[0-9a-f]{64}\.)?(?P<pid>\d+)(?:\.\d+)?\.parquet\.tmp$|\.utf8\.csv\.tmp$")


def sweep_temp_files(cache: Path) -> list[Path]:
    """Remove the temporary files a parse killed hard (``kill -9``) left in the cache: those whose writing process
    is gone. Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(cache.iterdir()) if cache.is_dir() else []
    except OSError:
        return removed
    for file in entries:
        m = _TEMP.search(file.name)
        if m is None:
            continue
        pid = int(m.group("pid")) if m.group("pid") else None
        if pid is not None and pid_alive(pid):
            continue  # a parse still running (this or another process)
        if pid is None and time.time() - file.stat().st_mtime < 3600:
            continue  # a recent UTF-8 copy: maybe still being written
        file.unlink(missing_ok=True)
        removed.append(file)
    if removed:
        logger.info("removed %d temporary files left in %s by interrupted parses", len(removed), cache)
    return removed


def place_verified(source: Path, target: Path) -> None:
    """Move a finished Parquet into the cache with its sha256 recorded beside it (``<digest>.parquet.sha256``,
    what a later run checks). The digest is written first: a run that finds the Parquet finds its digest too."""
    from .dataio import sha256_file

    atomic_write_text(target.with_name(target.name + ".sha256"), sha256_file(source))
    os.replace(source, target)


def _drop_unverified(parquet: Path, csv: Path) -> list[str]:
    """A cached Parquet that fails its check is removed (the parse rebuilds it), with a note for the profile."""
    if not parquet.is_file() or verified(parquet):
        return []
    logger.warning("%s does not match the digest recorded when it was written: rebuilding it from %s",
                   parquet, csv.name)
    parquet.unlink(missing_ok=True)
    return [f"the columnar cache {parquet.name} could not be verified against the digest recorded when it was "
            "written (missing, truncated, damaged or replaced) and was rebuilt from the CSV"]


def verified(parquet: Path) -> bool:
    """Is the cached Parquet the file this project wrote (its sha256 as recorded)? A truncated, corrupted or
    swapped file is not, and is rebuilt from the CSV."""
    from .dataio import sha256_file

    try:
        recorded = parquet.with_name(parquet.name + ".sha256").read_text(encoding="utf-8").strip()
        return parquet.is_file() and sha256_file(parquet) == recorded
    except OSError:
        return False


def profile_large(path: str | Path, *, name: str, limits) -> DatasetProfile:
    """Profile a large CSV through the columnar cache; a second run on the same content reads no rows."""
    from .dataio import clean_column_names, read_header, sha256_file, sniff_head
    from .errors import LimitExceededError

    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_file_mb * 1024 * 1024:
        raise LimitExceededError(str(path), "max_file_mb", f"{size / 1024 / 1024:,.1f} MB",
                                 f"{limits.max_file_mb:g} MB")
    cache = cache_dir()
    digest = known_digest(path, cache)
    if digest is not None:
        cached = _cached_profile(cache, digest)
        if cached is not None:
            return cached.model_copy(update={"path": str(path), "name": name})
    head = sniff_head(path, max_file_mb=limits.max_file_mb, max_line_kb=limits.max_line_kb)  # before any parse
    sniffed, early = _sniff_while_parsing(head, cache, max_columns=limits.max_columns)
    try:
        digest = sniffed.sha256 or sha256_file(path)
        remember_digest(path, cache, digest)
        cached = _cached_profile(cache, digest)  # the same content under another name or time
        if cached is not None:
            return cached.model_copy(update={"path": str(path), "name": name})
        rebuilt = _drop_unverified(cache / f"{digest}.parquet", path)
        header = read_header(path, sniffed.options)
        if len(header) > limits.max_columns:
            raise LimitExceededError(str(path), "max_columns", f"{len(header):,} columns", f"{limits.max_columns:,}")
        name_notes = clean_column_names(header)[1]  # the Parquet's columns have these names (_csv_to_parquet)
        if early is not None and early.options == sniffed.options:
            if early.error is not None:
                raise early.error
            parquet = parquet_cache(path, sniffed.options, digest, cache, parsed=early.parquet)
        else:  # nothing parsed yet, or on options the whole file proved wrong
            parquet = parquet_cache(path, sniffed.options, digest, cache)
    finally:
        if early is not None and early.parquet is not None:
            early.parquet.unlink(missing_ok=True)
    try:
        profile = columnar_profile(path, name=name, digest=digest, options=sniffed.options, parquet=parquet,
                                   size_bytes=size, max_line_kb=limits.max_line_kb)
    except LimitExceededError:
        drop_cached_parquet(parquet)  # a file over a limit keeps no cache
        raise
    profile = profile.model_copy(update={"notes": [*sniffed.notes, *name_notes, *profile.notes]})
    atomic_write_text(cache / PROFILE_CACHE.format(digest=digest), profile.model_dump_json())
    (cache / f"{digest}.profile.json").unlink(missing_ok=True)  # a v1 profile of the same content
    return profile.model_copy(update={"notes": [*rebuilt, *profile.notes]})  # the rebuild is this run's news only


def drop_cached_parquet(parquet: Path) -> None:
    parquet.with_name(parquet.name + ".sha256").unlink(missing_ok=True)
    parquet.unlink(missing_ok=True)


@dataclass
class _EarlyParse:
    """The Parquet parsed on the options the file's head suggests, before the whole file was checked."""

    options: ReadOptions
    parquet: Path | None = None
    error: Exception | None = None


def _sniff_while_parsing(head, cache: Path, *, max_columns: int) -> tuple[Sniffed, _EarlyParse | None]:
    """``sniff``'s pass over every byte (NUL bytes, encoding, sha256) in a thread while polars parses the
    CSV on the options the head suggests: the ~1 s scan of a 1 GB file overlaps the ~3.5 s parse.

    The parse is kept only when the scan confirms its options (UTF-8 throughout: the usual case); the
    scan's errors come first, as with ``sniff``. Files the head already finds odd are sniffed first.
    """
    from .dataio import finish_sniff, read_header, scan_bytes
    from .errors import InputError, StageTimeoutError

    if not head.needs_scan:
        return finish_sniff(head, None), None
    try:
        guess = finish_sniff(head, None)
    except InputError:
        guess = None  # the whole-file sniff says what is wrong (NUL bytes are named before anything else)
    if (guess is None or guess.options.encoding not in ("utf-8", "utf-8-sig")
            or len(read_header(head.path, guess.options)) > max_columns):
        return finish_sniff(head, scan_bytes(head.path)), None
    cache.mkdir(parents=True, exist_ok=True)
    early = _EarlyParse(guess.options)
    tmp = cache / f".early.{os.getpid()}.{threading.get_ident()}.parquet.tmp"
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autoviz-scan")
    try:
        scanning = pool.submit(scan_bytes, head.path)
        try:
            _csv_to_parquet(head.path, guess.options, tmp)
            early.parquet = tmp
        except StageTimeoutError:
            raise
        except Exception as exc:  # noqa: BLE001 - raised later, if the scan confirms these options
            early.error = exc
            tmp.unlink(missing_ok=True)  # what the failed parse wrote
        return finish_sniff(head, scanning.result()), early
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _cached_profile(cache: Path, digest: str) -> DatasetProfile | None:
    file = cache / PROFILE_CACHE.format(digest=digest)
    if not file.is_file():
        return None
    try:
        profile = DatasetProfile.model_validate_json(file.read_text(encoding="utf-8"))
    except ValueError:
        return None  # written by another version: profile again
    return profile if profile.columnar_cache and verified(Path(profile.columnar_cache)) else None


def _digest_key(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def known_digest(path: str | Path, cache: Path) -> str | None:
    """The sha256 remembered for this file version (path, size, mtime), so a warm run reads no bytes."""
    try:
        return json.loads((cache / _DIGEST_INDEX).read_text(encoding="utf-8")).get(_digest_key(Path(path)))
    except (OSError, ValueError):
        return None


def remember_digest(path: str | Path, cache: Path, digest: str) -> None:
    path = Path(path)
    try:
        index = json.loads((cache / _DIGEST_INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    prefix = f"{path.resolve()}|"
    index = {k: v for k, v in index.items() if not k.startswith(prefix)}  # older versions of this file
    index[_digest_key(path)] = digest
    cache.mkdir(parents=True, exist_ok=True)
    atomic_write_text(cache / _DIGEST_INDEX, json.dumps(index, indent=0))


def parquet_cache(path: str | Path, options: ReadOptions, digest: str, cache: Path,
                  progress: Callable[[str], None] | None = None, *, parsed: Path | None = None) -> Path:
    """The Parquet copy of the CSV, written once per content; a streaming parse that never holds all rows.

    ``parsed``: a Parquet file already parsed from this content with these options, moved into place.
    """
    target = cache / f"{digest}.parquet"
    if target.is_file():
        if _clean_names(target):
            return target
        logger.info("%s was written with the CSV's raw column names (an earlier version): parsing again", target.name)
        drop_cached_parquet(target)
    cache.mkdir(parents=True, exist_ok=True)
    if parsed is not None:
        place_verified(parsed, target)
        return target
    tmp = cache / f".{digest}.{os.getpid()}.parquet.tmp"
    if progress:
        progress(f"parsing {Path(path).name} once into the columnar cache")
    try:
        _csv_to_parquet(Path(path), options, tmp)
        place_verified(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def _clean_names(parquet: Path) -> bool:
    """Are the Parquet's column names cleaned (``dataio.clean_column_names`` leaves them as they are)? Earlier
    versions kept the CSV's raw names: a 1,000,000-character header went into every profile, match and chart."""
    import polars as pl

    from .dataio import clean_column_names

    try:
        names = list(pl.read_parquet_schema(parquet))
    except Exception:  # noqa: BLE001 - unreadable: parsed again
        return False
    return clean_column_names(names)[0] == names


def _clean_rename(lf, header: list[str]) -> dict[str, str]:
    """polars' column names -> the names the small path gives the same header (``clean_column_names``: long
    names shortened, blank ones ``column_N``, duplicates ``_2``); polars' own names cleaned when it read a
    different number of columns than the csv module."""
    from .dataio import clean_column_names

    names = lf.collect_schema().names()
    clean = clean_column_names(header if len(header) == len(names) else names)[0]
    return {old: new for old, new in zip(names, clean) if old != new}


def _csv_to_parquet(path: Path, options: ReadOptions, target: Path) -> None:
    """polars parses UTF-8 only: a file in another encoding is first re-encoded, streaming, next to the
    cache (temp file, removed after). Decimal commas are polars' ``decimal_comma``.

    The text polars reads is valid UTF-8 (the byte scan said so, or it was re-encoded), so it is parsed
    strictly, which is 10% faster than ``utf8-lossy``; a parse on the head's guess that meets bytes
    that are not UTF-8 fails, and the scan's encoding parses again."""
    import polars as pl

    from .dataio import read_header
    from .errors import CsvReadError

    header = read_header(path, options)
    source, tmp = path, None
    if options.encoding not in ("utf-8", "utf-8-sig"):
        tmp = target.with_suffix(".utf8.csv.tmp")
        with open(path, encoding=options.encoding, errors="replace", newline="") as src, \
                open(tmp, "w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(1 << 22):
                dst.write(chunk)
        source = tmp
    try:
        grouped = _grouped_number_columns(source, options) if options.thousands else []
        lf = pl.scan_csv(
            source, separator=options.delimiter, infer_schema_length=10_000, try_parse_dates=True,
            encoding="utf8", decimal_comma=options.decimal == ",", schema_overrides=dict.fromkeys(grouped, pl.Utf8),
        )
        if grouped:  # "1.234,56": thousands dots dropped, the decimal comma made a point, as pandas reads it
            lf = lf.with_columns(text_to_number(pl.col(c), options.decimal) for c in grouped)
        rename = _clean_rename(lf, header)
        if rename:
            lf = lf.rename(rename)
        lf.sink_parquet(target, compression=PARQUET_COMPRESSION)
    except pl.exceptions.PolarsError as exc:  # what a parse error says, a line of it: not the whole bad line
        detail = " ".join(str(exc).split())[:300]
        raise CsvReadError(str(path), f"cannot be parsed as CSV ({detail})",
                           "Check the delimiter and quoting.") from exc
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def text_to_number(text, decimal: str):
    """A polars expression: numbers written as text ("1.234,56 €" with decimal ",", "$1,234.56" with ".")
    as Float64 by ``dataio.numeric_text_rules``, as ``dataio.coerce_numeric_text`` does in pandas; what does not
    parse is null."""
    import polars as pl

    for pattern, replacement, regex in numeric_text_rules(decimal):
        text = text.str.replace_all(pattern, replacement, literal=not regex)
    return text.cast(pl.Float64, strict=False)


def _grouped_number_columns(source: Path, options: ReadOptions) -> list[str]:
    """Columns of decimal-comma numbers in an export that also groups thousands ("1.234,56"), which polars'
    ``decimal_comma`` does not read: judged on the first 10,000 rows, every value a number."""
    import re

    import polars as pl

    t, d = re.escape(options.thousands or ""), re.escape(options.decimal)
    number = rf"^-?(\d{{1,3}}({t}\d{{3}})+|\d+)({d}\d+)?$"
    head = pl.read_csv(source, separator=options.delimiter, n_rows=10_000, infer_schema=False, encoding="utf8")
    out = []
    for name in head.columns:
        values = head[name].drop_nulls().str.strip_chars()
        values = values.filter(values != "")
        # with a separator in any value: polars would read "695,94" in the first rows as a number and
        # then fail on a later "1.234,56"; plain integers (no separator) keep polars' own reading
        if len(values) and values.str.contains(number).all() and values.str.contains(f"{t}|{d}").any():
            out.append(name)
    return out


def columnar_profile(path: str | Path, *, name: str, digest: str, options: ReadOptions, parquet: Path,
                     size_bytes: int, max_line_kb: float | None = None) -> DatasetProfile:
    """Roles from a sample (the same rules as small files), counts and statistics from every row.

    With ``max_line_kb``, a cell longer than that (a quoted cell with line breaks: longer lines were refused
    before the parse) fails with LimitExceededError, as the small path's record scan fails it."""
    import polars as pl

    from .dataio import LONG_CELL_CHARS, short_text
    from .errors import LimitExceededError

    lf = pl.scan_parquet(parquet)
    sample = lf.head(SAMPLE_ROWS).collect().to_pandas()
    sampled = [profile_column(str(c), sample[c]) for c in sample.columns]
    del sample
    rows = lf.select(pl.len()).collect().item()
    stats = _column_stats(lf, sampled, rows)
    longest = max(sampled, key=lambda c: stats[c.name].get("longest") or 0, default=None)
    longest_bytes = stats[longest.name].get("longest") or 0 if longest is not None else 0
    if max_line_kb is not None and longest_bytes > max_line_kb * 1024:
        raise LimitExceededError(
            str(path), "max_line_kb", f"a cell of column {short_text(longest.name, 40)!r} ({longest_bytes / 1024:,.0f} "
            "KB of quoted text with line breaks)", f"{max_line_kb:,g} KB",
            advice="Check the quoting: a quote opened and never closed joins the lines after it.")
    columns = []
    for col in sampled:
        s = stats[col.name]
        update = {"count": rows - s["nulls"], "nulls": s["nulls"], "distinct": s["distinct"]}
        for key in ("min", "max", "mean", "std", "median"):
            if key in s:
                update[key] = s[key]
        if "top" in s:
            update["top_values"] = [TopValue(value=_short(v), count=int(n)) for v, n in s["top"]]
        if "values" in s:
            update["values"] = s["values"]
        # the sample's count notes give way to those of every row
        notes = [n for n in col.notes if n not in COUNT_NOTES] + count_notes(update["count"], update["distinct"])
        notes.append(f"role decided on the first {min(rows, SAMPLE_ROWS):,} rows; statistics over all {rows:,}"
                     + ("; distinct count estimated (HyperLogLog)" if s.get("estimated") else ""))
        columns.append(col.model_copy(update={**update, "notes": notes}))
    notes = [f"large file: profiled on a columnar cache ({parquet.name})"]
    if longest_bytes > LONG_CELL_CHARS:
        notes.append(f"the longest cell has {longest_bytes:,} bytes (column {short_text(longest.name, 40)!r}); charts, "
                     f"tables and the report show at most the first {LONG_CELL_CHARS:,} characters of a cell")
    return DatasetProfile(path=str(path), name=name, sha256=digest, size_bytes=size_bytes, rows=rows,
                          columns=columns, read_options=options, columnar_cache=str(parquet), notes=notes)


def _column_stats(lf, sampled: list[ColumnProfile], rows: int) -> dict[str, dict]:
    """A batch of columns per query, so the peak memory is about ``STATS_BATCH_VALUES`` values (or one column of
    a tall file), and a wide file is not thousands of queries (the schema is read once, not per column)."""
    schema = lf.collect_schema()
    per_batch = max(1, min(STATS_BATCH_COLUMNS, STATS_BATCH_VALUES // max(rows, 1)))
    out: dict[str, dict] = {}
    for start in range(0, len(sampled), per_batch):
        out.update(_batch_stats(lf, sampled[start:start + per_batch], schema))
    return out


def _column_exprs(lf, col: ColumnProfile, schema, key: str) -> list:
    """The aggregations of one column, each named ``<key>:<stat>``."""
    import polars as pl

    c = pl.col(col.name)
    # exact distinct counts where few are expected; an estimate where there may be millions
    many = col.role in ("identifier", "text")
    exprs = [c.null_count().alias(f"{key}:nulls")]
    if col.role not in ("categorical", "boolean"):  # categories: the group-by counts them
        exprs.append((c.approx_n_unique() if many else c.drop_nulls().n_unique()).alias(f"{key}:distinct"))
    text = schema[col.name] == pl.Utf8
    if text:  # how long the longest cell is (offsets only: cheap)
        exprs.append(c.str.len_bytes().max().alias(f"{key}:longest"))
    numeric = (col.role in ("numeric", "boolean")
               or (col.role == "identifier" and col.dtype.startswith(("int", "float"))))
    if numeric:
        num = c.cast(pl.Float64, strict=False)
        if text:  # numbers written as text ("$1,234.50"), as dataio parses them
            head = lf.select(c).head(1000).collect()[col.name].drop_nulls().to_list()
            num = text_to_number(c, decimal_mark(head))
        exprs += [num.min().alias(f"{key}:min"), num.max().alias(f"{key}:max"), num.mean().alias(f"{key}:mean"),
                  num.std().alias(f"{key}:std"), num.median().alias(f"{key}:median")]
    elif col.role == "temporal":
        exprs += [c.min().cast(pl.Utf8).alias(f"{key}:min"), c.max().cast(pl.Utf8).alias(f"{key}:max")]
    return exprs


def _batch_stats(lf, batch: list[ColumnProfile], schema) -> dict[str, dict]:
    import polars as pl

    exprs, grouped, counts = [], [], {}
    for i, col in enumerate(batch):
        exprs += _column_exprs(lf, col, schema, str(i))
        if col.role in ("categorical", "boolean"):  # one group-by: the exact distinct count and the top values
            n = counts[col.name] = "n" if col.name != "n" else "n_"  # the count's name must not be the column's
            # largest first; ties by value, so the top values are the same every run
            grouped.append(lf.group_by(col.name).agg(pl.len().alias(n)).drop_nulls(col.name)
                           .sort([n, col.name], descending=[True, False]))
    frames = pl.collect_all([lf.select(exprs), *grouped])
    row = frames[0].row(0, named=True)
    groups = iter(frames[1:])
    out: dict[str, dict] = {}
    for i, col in enumerate(batch):
        prefix = f"{i}:"
        stats = {k[len(prefix):]: (None if isinstance(v, float) and math.isnan(v)
                                   else round(v, 6) if isinstance(v, float) else v)
                 for k, v in row.items() if k.startswith(prefix)}
        many = col.role in ("identifier", "text")
        if col.name in counts:
            top = next(groups)
            stats["distinct"] = top.height
            if top.height <= 10_000:
                names = top[col.name].cast(pl.Utf8).to_list()
                stats["top"] = list(zip(names[:TOP_VALUES], top[counts[col.name]].to_list()[:TOP_VALUES]))
                if top.height <= VALUE_INDEX_MAX and max(map(len, names), default=0) <= VALUE_MAX_CHARS:
                    stats["values"] = sorted(names)
        stats["distinct"] = int(stats.get("distinct") or 0)
        stats["estimated"] = many
        if many and stats["distinct"] <= 200:  # few: count exactly
            stats["distinct"] = int(lf.select(pl.col(col.name).drop_nulls().n_unique()).collect().item())
            stats["estimated"] = False
        out[col.name] = stats
    return out


def frame_bytes(profile: DatasetProfile, columns: Iterable[str]) -> int:
    """About how many bytes these columns take as the pandas frame ``load_columns`` returns."""
    total = 0
    for name in dict.fromkeys(columns):
        col = profile.column(name)
        if col is None:
            continue
        if col.role in ("categorical", "boolean") and not col.dtype.startswith(("int", "float", "bool")):
            per_row = 4  # category codes
        elif col.dtype.startswith(("int", "uint", "float", "datetime", "date")):
            per_row = 8
        elif col.dtype.startswith("bool"):
            per_row = 1
        else:  # text: its characters and an offset (pandas' Arrow-backed strings)
            per_row = 8 + max((len(s) for s in col.samples), default=16)
        total += per_row * profile.rows
    return total


def load_columns(profile: DatasetProfile, columns: Iterable[str]) -> pd.DataFrame:
    """Only these columns, as pandas; categorical/boolean text becomes a pandas category (small in memory).

    When the profile lists every value of such a column, its categories are those values, sorted (as
    sorting the text would order them), and polars encodes them directly (an ``Enum``): a third faster
    than building a ``Categorical`` and converting it.
    """
    import polars as pl

    assert profile.columnar_cache, "load_columns needs a profile made on the columnar cache"
    wanted = [c for c in dict.fromkeys(columns) if profile.column(c) is not None]
    lf = pl.scan_parquet(profile.columnar_cache).select(wanted)
    casts, fallback = [], []
    for name in wanted:
        col = profile.column(name)
        if col.role in ("categorical", "boolean") and not col.dtype.startswith(("int", "float", "bool")):
            text = pl.col(name).cast(pl.Utf8)
            listed = len(col.values) == col.distinct and len(set(col.values)) == len(col.values)
            casts.append(text.cast(pl.Enum(sorted(col.values))) if listed else text.cast(pl.Categorical))
            fallback.append(text.cast(pl.Categorical))
    try:
        frame = lf.with_columns(casts).collect() if casts else lf.collect()
    except pl.exceptions.PolarsError:  # a value the profile does not list (it cannot, unless edited)
        frame = lf.with_columns(fallback).collect()
    # the same typing as the small path: dates written as text parsed, "$1,234" as numbers
    return typed_frame(frame.to_pandas(), profile)
