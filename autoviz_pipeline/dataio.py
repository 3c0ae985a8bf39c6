"""Reading CSV files: sniffing encoding and delimiter once, then parsing the same way everywhere.

``detect_read_options`` looks at the first bytes only; ``read_csv`` parses with those options and
``typed_frame`` applies the roles the profile decided (dates parsed, currency stripped), so profiling
and every tool see the same values.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from pathlib import Path

import pandas as pd

from .contracts import DatasetProfile, ReadOptions
from .errors import CsvReadError

logger = logging.getLogger(__name__)

SNIFF_BYTES = 256 * 1024
DELIMITERS = ",;\t|"
_NUMBER_WITH_DECIMAL_COMMA = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")


def sha256_file(path: str | Path, *, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def detect_encoding(head: bytes) -> str:
    """BOMs first, then strict UTF-8, then cp1252 (Excel's default on Windows), then latin-1.

    latin-1 decodes any byte, so it is the last resort; cp1252 is preferred because it maps
    0x80-0x9f to the characters (€, quotes, dashes) that Windows exports actually contain.
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(head) - 3:
            try:
                head[: exc.start].decode("utf-8")
                return "utf-8"
            except UnicodeDecodeError:
                pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def detect_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        pass
    # the delimiter that splits most lines into the same number of fields (> 1)
    best, best_score = ",", 0
    for d in DELIMITERS:
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in lines]
        if counts[0] > 1:
            score = sum(1 for c in counts if c == counts[0]) * counts[0]
            if score > best_score:
                best, best_score = d, score
    return best


def detect_read_options(path: str | Path) -> ReadOptions:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CsvReadError(str(path), "file not found", "Check the path.") from None
    if size == 0:
        raise CsvReadError(str(path), "the file is empty (0 bytes)", "Export the table again with a header row.")
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = detect_encoding(head)
    if encoding != "utf-16" and b"\x00" in head:
        raise CsvReadError(
            str(path),
            "the file contains NUL bytes, so it is binary, not a text CSV",
            "Save it as CSV (comma-separated text) and try again.",
        )
    text = head.decode(encoding, errors="replace")
    if encoding == "utf-8-sig":
        text = text.lstrip("\ufeff")
    delimiter = detect_delimiter(text)
    decimal, thousands = ".", None
    if delimiter == ";":
        rows = list(csv.reader(text.splitlines()[1:50], delimiter=";"))
        cells = [c.strip() for row in rows for c in row]
        if cells and sum(bool(_NUMBER_WITH_DECIMAL_COMMA.match(c)) for c in cells) >= max(1, len(rows) // 2):
            decimal, thousands = ",", "."
    return ReadOptions(encoding=encoding, delimiter=delimiter, decimal=decimal, thousands=thousands)


def read_csv(path: str | Path, options: ReadOptions, *, nrows: int | None = None) -> pd.DataFrame:
    """Parse a CSV with the sniffed options; raise CsvReadError with the file and what to do."""
    header = read_header(path, options)
    try:
        df = pd.read_csv(
            path,
            header=0,
            names=_clean_column_names(header) if header else None,
            encoding=options.encoding,
            sep=options.delimiter,
            decimal=options.decimal,
            thousands=options.thousands,
            nrows=nrows,
            skipinitialspace=True,
            on_bad_lines="warn",
            engine="python" if len(options.delimiter) > 1 else "c",
        )
    except pd.errors.EmptyDataError:
        raise CsvReadError(str(path), "no columns found", "The file needs a header row and data rows.") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise CsvReadError(str(path), f"cannot be parsed as CSV ({exc})", "Check the delimiter and quoting.") from exc
    if df.columns.size == 0:
        raise CsvReadError(str(path), "no columns found", "The file needs a header row and data rows.")
    if not header:
        df.columns = _clean_column_names([str(c) for c in df.columns])
    return df


def read_header(path: str | Path, options: ReadOptions) -> list[str]:
    """The header row as written (pandas would rename duplicates to ``x.1``, hiding them)."""
    with open(path, encoding=options.encoding, errors="replace", newline="") as fh:
        try:
            return next(csv.reader(fh, delimiter=options.delimiter))
        except (StopIteration, csv.Error):
            return []


def _clean_column_names(names: list[str]) -> list[str]:
    """Blank names become ``column_N``; duplicates get ``_2``, ``_3``; pandas' ``Unnamed: N`` too."""
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names, start=1):
        name = raw.strip()
        if not name or re.fullmatch(r"Unnamed: \d+", name):
            name = f"column_{i}"
        base, n = name, 2
        while name in seen:
            name = f"{base}_{n}"
            n += 1
        seen.add(name)
        out.append(name)
    return out


_CURRENCY = re.compile(r"^\s*[-+]?\s*[$€£¥]?\s*[-+]?[\d,.\s]+\s*[$€£¥%]?\s*$")


def coerce_numeric_text(series: pd.Series) -> pd.Series | None:
    """Numbers written as text ("$1,234.50", "12%"): the parsed series when >= 95% parse, else None."""
    values = series.dropna().astype(str)
    if values.empty or not values.head(200).map(lambda v: bool(_CURRENCY.match(v))).mean() >= 0.95:
        return None
    cleaned = series.astype("string").str.replace(r"[\s$€£¥%,]", "", regex=True)
    parsed = pd.to_numeric(cleaned, errors="coerce")
    if parsed.notna().sum() < 0.95 * series.notna().sum():
        return None
    return parsed


def typed_frame(df: pd.DataFrame, profile: DatasetProfile) -> pd.DataFrame:
    """Apply the profile's roles: temporal → datetime, numeric text → numbers."""
    out = df.copy()
    for col in profile.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        if col.role == "temporal" and not pd.api.types.is_datetime64_any_dtype(s):
            out[col.name] = parse_dates(s)
        elif col.role == "numeric" and not pd.api.types.is_numeric_dtype(s):
            parsed = coerce_numeric_text(s)
            if parsed is not None:
                out[col.name] = parsed
    return out


def parse_dates(series: pd.Series) -> pd.Series:
    try:
        return pd.to_datetime(series, errors="coerce", format="mixed")
    except (TypeError, ValueError):
        return pd.to_datetime(series.astype(str), errors="coerce", format="mixed")


def load_frame(profile: DatasetProfile) -> pd.DataFrame:
    """The typed table for a profile, parsed exactly as profiling parsed it."""
    return typed_frame(read_csv(profile.path, profile.read_options), profile)
