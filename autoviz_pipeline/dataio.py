"""Reading CSV files: sniffing encoding and delimiter once, then parsing the same way everywhere.

``sniff`` checks the whole file's bytes once (what it is, which encoding, NUL bytes) and the first
256 KiB for the delimiter; ``read_table`` parses with those options and says what it had to assume
(ragged rows, renamed columns, long cells) instead of silently dropping or shifting anything; and
``typed_frame`` applies the roles the profile decided (dates parsed, currency stripped), so profiling
and every tool see the same values. Nothing here ever writes to the input file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contracts import DatasetProfile, ReadOptions
from .errors import CsvReadError, LimitExceededError

logger = logging.getLogger(__name__)

SNIFF_BYTES = 256 * 1024
SCAN_CHUNK = 4 * 1024 * 1024
DELIMITERS = ",;\t|"
MAX_NAME_CHARS = 100
"""Longer column names are shortened (and the report says so): they are labels, not documents."""
LONG_CELL_CHARS = 1_000
"""Cells longer than this are shortened (``…``) in the frame the steps get (``typed_frame``), so charts, findings,
table previews and every stored JSON hold at most this much of a cell; the profile says so in a note."""
LINE_BREAKS = (b"\n", b"\r")
MIXED_ENCODING = "utf-8-cp1252"
"""UTF-8 where the bytes are valid UTF-8, cp1252 for the rest: files pasted together from two exports."""
_NUMBER_WITH_DECIMAL_COMMA = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")

# Cells longer than Python's default limit (128 KiB) are data too; the csv module's limit is per process.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


# --------------------------------------------------------------------------------------------------
# the mixed UTF-8 / cp1252 codec
# --------------------------------------------------------------------------------------------------
def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk), exc.end


codecs.register_error("autoviz-cp1252-fallback", _cp1252_fallback)


class _MixedIncrementalDecoder(codecs.getincrementaldecoder("utf-8")):  # type: ignore[misc]
    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors="autoviz-cp1252-fallback")


def _mixed_search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") != MIXED_ENCODING.replace("-", "_"):
        return None
    return codecs.CodecInfo(
        name=MIXED_ENCODING,
        encode=codecs.utf_8_encode,
        decode=lambda data, errors="strict": codecs.utf_8_decode(data, "autoviz-cp1252-fallback", True),
        incrementalencoder=codecs.getincrementalencoder("utf-8"),
        incrementaldecoder=_MixedIncrementalDecoder,
    )


codecs.register(_mixed_search)


def sha256_file(path: str | Path, *, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------------
# what the file is, and its encoding
# --------------------------------------------------------------------------------------------------
# (magic bytes, what the file is, what to do): files that are not text tables but get a .csv name
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook or a zipped file), not CSV text",
     "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'; unzip an archive first."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook (binary), not CSV text",
     "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'."),
    (b"\x1f\x8b", "gzip-compressed, not plain CSV text", "Decompress it first (gunzip FILE) and drop the .csv."),
    (b"BZh", "bzip2-compressed, not plain CSV text", "Decompress it first (bunzip2 FILE)."),
    (b"\xfd7zXZ\x00", "xz-compressed, not plain CSV text", "Decompress it first (unxz FILE)."),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive, not CSV text", "Extract the CSV from the archive first."),
    (b"%PDF-", "a PDF document, not CSV text", "Export the table from its source as CSV."),
    (b"\x89PNG", "an image (PNG), binary, not a text CSV", "Save the table itself as CSV."),
    (b"\xff\xd8\xff", "an image (JPEG), binary, not a text CSV", "Save the table itself as CSV."),
    (b"GIF8", "an image (GIF), binary, not a text CSV", "Save the table itself as CSV."),
    (b"PAR1", "a Parquet file (binary), not CSV text",
     "Convert it to CSV first (e.g. pandas.read_parquet(...).to_csv(...))."),
    (b"SQLite format 3\x00", "an SQLite database (binary), not CSV text", "Export a table from it as CSV."),
)


@dataclass(frozen=True)
class Sniffed:
    """How to read a file, and what had to be assumed to read it (shown in the report)."""

    options: ReadOptions
    notes: tuple[str, ...] = ()
    sha256: str | None = None  # computed in the same pass as the byte scan (None when no scan was needed)
    content: bytes | None = field(default=None, repr=False, compare=False)
    """The whole file, when it was read whole (``sniff(..., whole=True)``): parsed from memory, not read again."""


def detect_encoding(head: bytes) -> str:
    """BOMs first, then UTF-16 without a BOM, strict UTF-8, cp1252 (Excel's default on Windows), latin-1.

    latin-1 decodes any byte, so it is the last resort; cp1252 is preferred because it maps
    0x80-0x9f to the characters (€, quotes, dashes) that Windows exports actually contain. Only the
    sample is looked at here; :func:`sniff` checks the rest of the file.
    """
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    bom_less = _utf16_without_bom(head)
    if bom_less:
        return bom_less
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
        if _UTF8_MULTIBYTE.search(head):
            return MIXED_ENCODING
    return "latin-1" if _CP1252_UNDEFINED.search(head) else "cp1252"


def _utf16_without_bom(head: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a NUL in every other byte: the side the NULs are on gives the byte order."""
    sample = head[: len(head) // 2 * 2][:65536]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    for encoding, zeros, other in (("utf-16-le", zeros_odd, zeros_even), ("utf-16-be", zeros_even, zeros_odd)):
        if zeros > 0.6 and other < 0.05:
            try:
                text = sample.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not re.search(r"[\x00-\x08\x0e-\x1f]", text):
                return encoding
    return None


@dataclass
class ByteScan:
    valid_utf8: bool = True
    first_bad_line: int | None = None
    bad_lines: int = 0
    multibyte: bool = False
    cp1252_undefined: bool = False
    nul_line: int | None = None
    sha256: str = ""


def scan_bytes(path: str | Path, *, content: bytes | None = None) -> ByteScan:
    """One pass over the whole file: NUL bytes, UTF-8 validity (and where it breaks), cp1252 fit, sha256.

    ``content``: the file's bytes, already read (a small file is read once). Safe to run in a thread beside a
    parse: hashlib releases the GIL on these 4 MiB chunks.
    """
    scan = ByteScan()
    digest = hashlib.sha256()  # the same read hashes the file: large files are read once, not twice
    lines_before, carry = 0, b""
    with _binary(path, content) as fh:
        while True:
            chunk = fh.read(SCAN_CHUNK)
            digest.update(chunk)
            final = not chunk
            data = carry + chunk
            carry = b""
            if scan.nul_line is None and (i := chunk.find(b"\x00")) >= 0:
                scan.nul_line = lines_before + chunk.count(b"\n", 0, i) + 1
            if not data.isascii():
                if not scan.multibyte and _UTF8_MULTIBYTE.search(data):
                    scan.multibyte = True
                if not scan.cp1252_undefined and _CP1252_UNDEFINED.search(data):
                    scan.cp1252_undefined = True
                data, carry = _check_utf8(data, final, lines_before, scan)
            lines_before += data.count(b"\n")
            if final:
                break
    scan.sha256 = digest.hexdigest()
    return scan


def _check_utf8(data: bytes, final: bool, lines_before: int, scan: ByteScan) -> tuple[bytes, bytes]:
    """Count the lines of ``data`` that are not valid UTF-8; a character cut at the end is carried over."""
    start = 0
    while True:
        try:
            data[start:].decode("utf-8")
            return data, b""
        except UnicodeDecodeError as exc:
            at = start + exc.start
            if not final and exc.reason == "unexpected end of data" and start + exc.end == len(data):
                return data[:at], data[at:]
            line = lines_before + data.count(b"\n", 0, at) + 1
            scan.valid_utf8 = False
            scan.first_bad_line = scan.first_bad_line or line
            scan.bad_lines += 1
            nl = data.find(b"\n", at)
            if nl < 0:
                return data, b""
            start = nl + 1


def _binary(path: str | Path, content: bytes | None):
    """The file's bytes to read: from memory when already read, else from disk."""
    return io.BytesIO(content) if content is not None else open(path, "rb")


@dataclass(frozen=True)
class Head:
    """The start of a file that passed the cheap checks, and the encoding those bytes suggest."""

    path: Path
    data: bytes
    encoding: str
    content: bytes | None = field(default=None, repr=False)
    """The whole file, when ``sniff_head(..., whole=True)`` read it (one read: hashed, scanned and parsed from it)."""

    @property
    def needs_scan(self) -> bool:
        """Whether :func:`finish_sniff` wants the whole file scanned (not for UTF-16/32, told by their NULs)."""
        return not self.encoding.startswith(("utf-16", "utf-32"))


def sniff(path: str | Path, *, max_file_mb: float | None = None, max_line_kb: float | None = None,
          whole: bool = False) -> Sniffed:
    """Decide how to read ``path``; raise CsvReadError (or LimitExceededError): what the file is, what to do.

    ``whole``: read the whole file into memory once (a small file): the scan, the hash and the parse
    (``read_table(..., content=sniffed.content)``) all use those bytes, so the file is read from disk once.
    """
    head = sniff_head(path, max_file_mb=max_file_mb, max_line_kb=max_line_kb, whole=whole)
    return finish_sniff(head, scan_bytes(head.path, content=head.content) if head.needs_scan else None)


def sniff_head(path: str | Path, *, max_file_mb: float | None = None, max_line_kb: float | None = None,
               whole: bool = False) -> Head:
    """The checks that need only the first ``SNIFF_BYTES``: exists, not empty, under the limit, not binary;
    and, with ``max_line_kb``, no line longer than that (:func:`check_line_lengths`, a few KB read per 512 KB).
    With ``whole``, the whole file is read (once) and kept in the head.

    ``finish_sniff(head, None)`` then gives the options the head alone suggests; with the whole-file
    :func:`scan_bytes` it gives the final ones (what :func:`sniff` returns). Large files start parsing on
    the first while the scan runs.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CsvReadError(str(path), "file not found", "Check the path.") from None
    if path.is_dir():
        raise CsvReadError(str(path), "is a folder, not a file", "Give the path of a CSV file.")
    if size == 0:
        raise CsvReadError(str(path), "the file is empty (0 bytes)", "Export the table again with a header row.")
    if max_file_mb is not None and size > max_file_mb * 1024 * 1024:
        raise LimitExceededError(str(path), "max_file_mb", f"{size / 1024 / 1024:,.1f} MB", f"{max_file_mb:g} MB")
    try:
        with open(path, "rb") as fh:
            content = fh.read() if whole else None
            head = content[:SNIFF_BYTES] if content is not None else fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise CsvReadError(str(path), f"cannot be opened ({exc.strerror or exc})",
                           "Check that the file exists and is readable.") from None
    for magic, what, hint in _MAGIC:
        if head.startswith(magic) and (magic != b"BZh" or head[4:10] == b"1AY&SY"):
            raise CsvReadError(str(path), f"the file is {what}", hint)
    if max_line_kb is not None:
        check_line_lengths(path, max_line_kb, size=size if content is None else len(content), content=content)
    return Head(path=path, data=head, encoding=detect_encoding(head), content=content)


def check_line_lengths(path: str | Path, max_line_kb: float, *, size: int | None = None,
                       content: bytes | None = None) -> None:
    """Raise LimitExceededError (``limits.max_line_kb``) when a line of the file is longer than the limit.

    Every parser holds a whole line (polars several times over: a 200 MB line took 2.8 GB), so this runs
    before any of them, and reads little: a line longer than the limit covers a whole block of half the
    limit, aligned on multiples of it, so each block is read only up to its first line break (usually
    within the first 4 KB) and only a block with none is measured to both sides. A 4 GB file costs
    ~8,000 small reads. Quoted cells with line breaks inside are checked where rows are parsed.
    """
    path = Path(path)
    limit = max(int(max_line_kb * 1024), 1)
    size = path.stat().st_size if size is None else size
    if size <= limit:
        return
    half = max(limit // 2, 1)
    with _binary(path, content) as fh:
        for start in range(0, size, half):
            end = min(start + half, size)
            if _has_line_break(fh, start, end):
                continue
            length, exact = _line_length_around(fh, start, end, limit, size)
            if length > limit:
                line = _line_number(fh, start)
                shown = f"line {line:,} ({length:,} bytes)" if exact else f"line {line:,}"
                advice = ("The first line alone is over the limit: the file may have no line breaks (not a table "
                          "with one row per line, or a line ending other than LF, CRLF or CR)." if line == 1
                          else "A CSV row is rarely this long: check that this line is a row of the table.")
                raise LimitExceededError(str(path), "max_line_kb", shown,
                                         f"{max_line_kb:,g} KB", advice=advice)


def _has_line_break(fh, start: int, end: int) -> bool:
    """Is there a line break in bytes [start, end)? Reads 4 KB, then larger pieces only while there is none."""
    fh.seek(start)
    pos, step = start, 4096
    while pos < end:
        data = fh.read(min(step, end - pos))
        if not data:
            return True  # the file shrank: nothing more to check here
        if any(b in data for b in LINE_BREAKS):
            return True
        pos += len(data)
        step = min(step * 8, 1 << 20)
    return False


def _line_length_around(fh, start: int, end: int, limit: int, size: int) -> tuple[int, bool]:
    """The length of the line holding bytes [start, end) (which hold no line break), looking ``limit`` bytes
    back and up to twice the limit from the line's start; ``(length, True)`` when both ends were found, else a
    lower bound and False."""
    back = max(0, start - limit)
    fh.seek(back)
    before = fh.read(start - back)
    first = max(before.rfind(b) for b in LINE_BREAKS)
    found_start = first >= 0 or back == 0
    line_start = back + first + 1 if first >= 0 else back
    fh.seek(end)
    after = fh.read(max(0, min(size, line_start + 2 * limit + 1) - end))
    breaks = [i for i in (after.find(b) for b in LINE_BREAKS) if i >= 0]
    if breaks:
        line_end, found_end = end + min(breaks), True
    else:
        line_end, found_end = end + len(after), end + len(after) >= size
    return line_end - line_start, found_start and found_end


def _line_number(fh, position: int) -> int:
    """The 1-based number of the line holding ``position`` (counted in 4 MiB reads; only for the error)."""
    fh.seek(0)
    count, left = 0, position
    while left > 0:
        data = fh.read(min(SCAN_CHUNK, left))
        if not data:
            break
        count += data.count(b"\n")
        left -= len(data)
    return count + 1


def finish_sniff(start: Head, scan: ByteScan | None) -> Sniffed:
    """The read options from the head and, when given, the scan of the whole file (NUL bytes, encoding)."""
    path, head, encoding = start.path, start.data, start.encoding
    notes: list[str] = []
    if scan is not None:
        if scan.nul_line is not None:
            raise CsvReadError(
                str(path),
                f"the file contains NUL bytes (first on line {scan.nul_line:,}), so it is binary or damaged, "
                "not a text CSV",
                "Save it as CSV (comma-separated text) again; if it was being copied, copy it again.",
            )
        encoding = _choose_encoding(encoding, scan)
        if encoding == MIXED_ENCODING:
            notes.append(
                f"the file mixes encodings: {scan.bad_lines:,} line(s) are not UTF-8 (first: line "
                f"{scan.first_bad_line:,}) and were read as cp1252; check accented characters on those lines"
            )
        elif encoding in ("cp1252", "latin-1"):
            notes.append(f"the file is not UTF-8: read with encoding {encoding}")
    elif encoding in ("utf-16-le", "utf-16-be"):
        notes.append(f"read as {encoding.upper()} without a byte-order mark (NUL bytes in every other byte)")
    text = head.decode(encoding, errors="replace")
    if encoding in ("utf-8-sig", "utf-16", "utf-32"):
        text = text.lstrip("\ufeff")
    if not text.strip():
        raise CsvReadError(str(path), "the file holds only blank lines or spaces, no header",
                           "Export the table again with a header row and data rows.")
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html", "<?xml")):
        raise CsvReadError(str(path), "the file is an HTML or XML page, not CSV (often a login or error page saved "
                           "instead of the download)", "Download or export the table again as CSV.")
    if lowered.startswith(("{\"", "[{")):
        raise CsvReadError(str(path), "the file is JSON, not CSV",
                           "Convert it to CSV (e.g. pandas.read_json(...).to_csv(...)).")
    hint = re.match(r"\s*sep=(.)\r?\n", text)  # Excel's "sep=;" line names the delimiter
    delimiter = hint.group(1) if hint and hint.group(1) in DELIMITERS else detect_delimiter(text)
    if hint:
        text = text[hint.end():]
    decimal, thousands = ".", None
    if delimiter == ";":
        rows = list(csv.reader(text.splitlines()[1:50], delimiter=";"))
        cells = [c.strip() for row in rows for c in row]
        if cells and sum(bool(_NUMBER_WITH_DECIMAL_COMMA.match(c)) for c in cells) >= max(1, len(rows) // 2):
            decimal, thousands = ",", "."
            notes.append("numbers read with a decimal comma (1.234,5 = 1234.5)")
    if delimiter != ",":
        notes.append(f"delimiter {delimiter!r}")
    options = ReadOptions(encoding=encoding, delimiter=delimiter, decimal=decimal, thousands=thousands)
    sha256 = scan.sha256 if scan is not None else None
    if sha256 is None and start.content is not None:  # UTF-16/32: not scanned, but read whole
        sha256 = hashlib.sha256(start.content).hexdigest()
    return Sniffed(options=options, notes=tuple(notes), sha256=sha256, content=start.content)


def _choose_encoding(sampled: str, scan: ByteScan) -> str:
    if scan.valid_utf8:
        return "utf-8-sig" if sampled == "utf-8-sig" else "utf-8"
    if scan.multibyte:  # real UTF-8 characters and bytes that are not: two exports pasted together
        return MIXED_ENCODING
    return "latin-1" if scan.cp1252_undefined else "cp1252"


def detect_read_options(path: str | Path, *, max_file_mb: float | None = None) -> ReadOptions:
    return sniff(path, max_file_mb=max_file_mb).options


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


# --------------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------------
@dataclass
class RecordScan:
    """The shape of every record, from one pass of Python's csv reader (what pandas would not tell)."""

    header: list[str] = field(default_factory=list)
    header_line: int = 0
    hint_line: int | None = None  # Excel's "sep=;" line above the header
    records: int = 0
    long_rows: int = 0
    long_lines: list[int] = field(default_factory=list)
    long_fields: int = 0
    trailing_empty: int = 0
    short_rows: int = 0
    short_lines: list[int] = field(default_factory=list)
    multiline: int = 0
    first_multiline: int | None = None


def _is_sep_hint(row: list[str]) -> bool:
    """Excel's ``sep=;`` line: it names the delimiter and is not the header."""
    return len(row) <= 2 and "".join(row).strip() == "sep="


def _text(path: str | Path, options: ReadOptions, text: str | None):
    """The file as text with the read options' encoding: from memory when already decoded, else from disk."""
    if text is not None:
        return io.StringIO(text, newline="")
    return open(path, encoding=options.encoding, errors="replace", newline="")


def scan_records(path: str | Path, options: ReadOptions, *, examples: int = 5,
                 max_line_kb: float | None = None, text: str | None = None) -> RecordScan:
    """Count data records and the ones whose field count differs from the header, with their line numbers.

    The usual record (one line, as many fields as the header) takes the fast path; only odd ones are
    looked at closely. With ``max_line_kb``, a record spanning lines (quoted cells with line breaks)
    longer than that fails (LimitExceededError); single lines were checked by ``check_line_lengths``.
    """
    max_chars = int(max_line_kb * 1024) if max_line_kb is not None else None
    scan = RecordScan()
    with _text(path, options, text) as fh:
        reader = csv.reader(fh, delimiter=options.delimiter)
        start, expected, records = 0, 0, 0
        try:
            for row in reader:
                line = reader.line_num
                n = len(row)
                if n == expected and line == start + 1:
                    records += 1
                    start = line
                    continue
                if not row or (n == 1 and not row[0].strip()):
                    start = line
                    continue
                if not scan.header:
                    if scan.hint_line is None and _is_sep_hint(row):
                        scan.hint_line = start = line
                        continue
                    scan.header, scan.header_line = row, line
                    scan.header[0] = scan.header[0].lstrip("\ufeff")
                    expected, start = n, line
                    continue
                records += 1
                if line - start > 1:
                    if max_chars is not None and (chars := sum(map(len, row))) > max_chars:
                        raise LimitExceededError(
                            str(path), "max_line_kb",
                            f"the row on lines {start + 1:,}-{line:,} ({chars / 1024:,.0f} KB of quoted text with "
                            "line breaks)", f"{max_line_kb:,g} KB",
                            advice="Check the quoting: a quote opened and never closed joins the lines after it.")
                    scan.multiline += 1
                    scan.first_multiline = scan.first_multiline or start + 1
                if n > expected:
                    if any(c.strip() for c in row[expected:]):
                        scan.long_rows += 1
                        scan.long_fields = max(scan.long_fields, n)
                        if len(scan.long_lines) < examples:
                            scan.long_lines.append(start + 1)
                    else:
                        scan.trailing_empty += 1
                elif n < expected:
                    scan.short_rows += 1
                    if len(scan.short_lines) < examples:
                        scan.short_lines.append(start + 1)
                start = line
        except csv.Error as exc:
            raise CsvReadError(str(path), f"line {reader.line_num:,} cannot be parsed as CSV ({exc})",
                               "Check the quoting on that line (a quote opened and never closed?).") from None
    scan.records = records
    return scan


def _longest_cell(df: pd.DataFrame) -> tuple[int, int, int]:
    """(characters, row, column index) of the longest text cell."""
    best = (0, 0, 0)
    for i in range(df.shape[1]):
        series = df.iloc[:, i]
        if series.dtype != object and not pd.api.types.is_string_dtype(series):
            continue
        try:
            lengths = series.str.len().fillna(-1).to_numpy()
        except (AttributeError, TypeError):  # no text in this column
            continue
        if len(lengths) and int(lengths.max()) > best[0]:
            best = (int(lengths.max()), int(lengths.argmax()), i)
    return best


@dataclass(frozen=True)
class Table:
    """A parsed table and the notes on what was assumed to read it."""

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()


def read_table(path: str | Path, options: ReadOptions, *, max_columns: int | None = None,
               max_line_kb: float | None = None, content: bytes | None = None) -> Table:
    """Parse a CSV with the sniffed options; raise CsvReadError with the file and what to do.

    Nothing is dropped silently: rows with more fields than the header keep their first values (the
    extra ones are counted, with line numbers), rows with fewer get empty cells, and both are noted.
    Trailing delimiters never shift the columns (``index_col=False``). ``content``: the file's bytes,
    already read by ``sniff(..., whole=True)``; they are decoded once and parsed from memory.

    Nothing is kept between calls: the stages hand the parsed table on through the columnar cache on disk
    (``handoff``), which any executor's processes can read.
    """
    return _parse_table(path, options, max_columns=max_columns, max_line_kb=max_line_kb, content=content)


def _check_columns(path: str | Path, n: int, max_columns: int | None) -> None:
    if max_columns is not None and n > max_columns:
        raise LimitExceededError(str(path), "max_columns", f"{n:,} columns", f"{max_columns:,} columns")


def _parse_table(path: str | Path, options: ReadOptions, *, max_columns: int | None,
                 max_line_kb: float | None = None, content: bytes | None = None) -> Table:
    """The one parse of a small file (pandas), after one pass of the csv module over the same text for the
    record shapes pandas does not report (ragged rows, quoted line breaks)."""
    text = content.decode(options.encoding, errors="replace") if content is not None else None
    scan = scan_records(path, options, max_line_kb=max_line_kb, text=text)
    if not scan.header:
        raise CsvReadError(str(path), "no header row found", "The file needs a header row and data rows.")
    n = len(scan.header)
    _check_columns(path, n, max_columns)
    names, notes = clean_column_names(scan.header)
    if scan.records == 0:
        raise CsvReadError(str(path), "the file has a header but no data rows", "Add data rows below the header.")
    try:
        source = {"filepath_or_buffer": io.StringIO(text)} if text is not None else {
            "filepath_or_buffer": path, "encoding": options.encoding, "encoding_errors": "replace"}
        df = pd.read_csv(
            **source,
            skiprows=[scan.hint_line - 1] if scan.hint_line else None,
            header=0,
            names=names,
            usecols=list(range(n)),
            index_col=False,
            sep=options.delimiter,
            decimal=options.decimal,
            thousands=options.thousands,
            skipinitialspace=True,
            on_bad_lines="error",
            low_memory=False,
        )
    except pd.errors.EmptyDataError:
        raise CsvReadError(str(path), "no columns found", "The file needs a header row and data rows.") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise CsvReadError(str(path), f"cannot be parsed as CSV ({detail})",
                           "Check the delimiter and quoting.") from exc
    if df.columns.size == 0:
        raise CsvReadError(str(path), "no columns found", "The file needs a header row and data rows.")
    notes += _shape_notes(scan, df)
    if len(df) != scan.records:
        notes.append(f"{len(df):,} rows were read but the file has {scan.records:,} records; check its quoting")
        logger.warning("%s: pandas read %d rows, csv found %d records", path, len(df), scan.records)
    return Table(frame=df, notes=tuple(notes))


def read_csv(path: str | Path, options: ReadOptions, *, nrows: int | None = None) -> pd.DataFrame:
    """The parsed table (see :func:`read_table`); ``nrows`` keeps only the first rows."""
    df = read_table(path, options).frame
    return df.head(nrows) if nrows is not None else df


def _lines(lines: list[int], total: int) -> str:
    shown = ", ".join(f"{x:,}" for x in lines)
    return f"line {shown}" if total == 1 else f"lines {shown}" + (" …" if total > len(lines) else "")


def _shape_notes(scan: RecordScan, df: pd.DataFrame) -> list[str]:
    n = len(scan.header)
    notes: list[str] = []
    if scan.hint_line:
        notes.append(f"line {scan.hint_line} ('sep=…', a hint Excel writes) names the delimiter; it was skipped")
    if scan.long_rows:
        notes.append(
            f"{scan.long_rows:,} row(s) have more fields than the header ({_lines(scan.long_lines, scan.long_rows)}: "
            f"up to {scan.long_fields} fields, header has {n}); their first {n} values were kept, the extra ones "
            "ignored. Quote values that contain the delimiter"
        )
    if scan.trailing_empty:
        notes.append(f"{scan.trailing_empty:,} row(s) end with extra empty fields (trailing delimiters), ignored")
    if scan.short_rows:
        notes.append(
            f"{scan.short_rows:,} row(s) have fewer fields than the header "
            f"({_lines(scan.short_lines, scan.short_rows)}); their missing cells are empty"
        )
    if scan.multiline:
        notes.append(
            f"{scan.multiline:,} row(s) have quoted cells with line breaks inside (first on line "
            f"{scan.first_multiline:,}); each was read as one row"
        )
    chars, row, column = _longest_cell(df)
    if chars > LONG_CELL_CHARS:
        notes.append(
            f"the longest cell has {chars:,} characters (data row {row + 1:,}, column "
            f"{short_text(str(df.columns[column]), 40)!r}); charts, tables and the report show at most the first "
            f"{LONG_CELL_CHARS:,} characters of a cell"
        )
    return notes


def read_header(path: str | Path, options: ReadOptions) -> list[str]:
    """The header row as written (pandas would rename duplicates to ``x.1``, hiding them)."""
    with open(path, encoding=options.encoding, errors="replace", newline="") as fh:
        try:
            for row in csv.reader(fh, delimiter=options.delimiter):
                if row and not (len(row) == 1 and not row[0].strip()):
                    return [row[0].lstrip("\ufeff"), *row[1:]]
        except csv.Error:
            return []
    return []


def short_text(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ends(name: str, limit: int = 40) -> str:
    """A long name shown by its start and its end (where a ``_2`` suffix is)."""
    return name if len(name) <= limit else f"{name[: limit - 12]}…{name[-10:]}"


def clean_column_names(names: list[str]) -> tuple[list[str], list[str]]:
    """Usable, unique column names, and a note for each kind of change made.

    Control characters and line breaks become spaces; blank names become ``column_N``; names longer
    than ``MAX_NAME_CHARS`` are shortened; duplicates get ``_2``, ``_3``. Anything else — HTML,
    formulas, path fragments — is kept verbatim: it is data, escaped wherever it is shown.
    """
    out: list[str] = []
    seen: set[str] = set()
    blank, duplicate, long, control = [], [], [], []
    for i, raw in enumerate(names, start=1):
        name = _CONTROL.sub(" ", raw).strip()
        if name != raw.strip():
            control.append(i)
        if not name or re.fullmatch(r"Unnamed: \d+", name):
            blank.append(i)
            name = f"column_{i}"
        if len(name) > MAX_NAME_CHARS:
            long.append((i, len(name)))
            name = name[: MAX_NAME_CHARS - 1] + "…"
        base, n = name, 2
        while name in seen:
            name = f"{short_text(base, MAX_NAME_CHARS - 4)}_{n}"
            n += 1
        if n > 2:
            duplicate.append((base, name))
        seen.add(name)
        out.append(name)
    notes: list[str] = []
    if blank:
        notes.append(f"blank column name(s) renamed: {', '.join(f'column {i} -> column_{i}' for i in blank[:10])}")
    if duplicate:
        shown = ", ".join(f"{_ends(a)!r} -> {_ends(b)!r}" for a, b in duplicate[:10])
        notes.append(f"duplicate column name(s) renamed: {shown}" + (" …" if len(duplicate) > 10 else ""))
    if long:
        shown = ", ".join(f"column {i} ({n:,} characters)" for i, n in long[:10])
        notes.append(f"long column name(s) shortened to {MAX_NAME_CHARS} characters: {shown}")
    if control:
        notes.append(f"line breaks or control characters in column name(s) {', '.join(map(str, control[:10]))} "
                     "replaced by spaces")
    return out, notes


def _clean_column_names(names: list[str]) -> list[str]:
    return clean_column_names(names)[0]


_CURRENCY = re.compile(r"^\s*[-+]?\s*[$€£¥]?\s*[-+]?[\d,.\s]+\s*[$€£¥%]?\s*$")


NUMERIC_TEXT_NOISE = r"[\s$€£¥%]"  # what is stripped from "$1,234.50", "1.234,50 €" or "12 %" before the number
_POINT_DECIMAL = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|-?\.\d+")  # 1,234.56 / 987.10
_COMMA_DECIMAL = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?|-?,\d+")  # 1.234,56 / 987,10


def decimal_mark(values: Iterable[str]) -> str:
    """The decimal mark numbers written as text use: "," when more of them read as 1.234,56 or 987,10 than
    as 1,234.56 or 987.10 (a German or French export's "1.234,56 €"), else "."."""
    point = comma = 0
    for value in values:
        value = re.sub(NUMERIC_TEXT_NOISE, "", str(value))
        point += bool(_POINT_DECIMAL.fullmatch(value))
        comma += bool(_COMMA_DECIMAL.fullmatch(value))
    return "," if comma > point else "."


def numeric_text_rules(decimal: str) -> tuple[tuple[str, str, bool], ...]:
    """How a number written as text becomes a number, for both engines (``coerce_numeric_text`` in pandas,
    ``engine.text_to_number`` in polars): ``(pattern, replacement, is_regex)`` applied in order — the noise
    (currency, %, spaces) dropped, then the grouping mark, then the decimal mark made a point."""
    grouping = "." if decimal == "," else ","  # "1.234,56 €": the dots group thousands; "$1,234.56": the commas
    rules = [(NUMERIC_TEXT_NOISE, "", True), (grouping, "", False)]
    if decimal != ".":
        rules.append((decimal, ".", False))
    return tuple(rules)


def coerce_numeric_text(series: pd.Series) -> pd.Series | None:
    """Numbers written as text ("$1,234.50", "1.234,50 €", "12%"): the parsed series when >= 95% parse, else None."""
    values = series.dropna().astype(str)
    if values.empty or not values.head(200).map(lambda v: bool(_CURRENCY.match(v))).mean() >= 0.95:
        return None
    cleaned = series.astype("string")
    for pattern, replacement, regex in numeric_text_rules(decimal_mark(values.head(1000))):
        cleaned = cleaned.str.replace(pattern, replacement, regex=regex)
    parsed = pd.to_numeric(cleaned, errors="coerce")
    if parsed.notna().sum() < 0.95 * series.notna().sum():
        return None
    return parsed


def typed_frame(df: pd.DataFrame, profile: DatasetProfile) -> pd.DataFrame:
    """Apply the profile's roles: temporal → datetime, numeric text → numbers (a new frame; ``df`` unchanged).

    The copy is shallow: parsed columns are replaced, never written into, so unchanged ones are shared.
    """
    out = df.copy(deep=False)
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
    for i in range(out.shape[1]):
        clipped = clip_long_text(out.iloc[:, i])
        if clipped is not None:
            out.isetitem(i, clipped)
    return out


def clip_long_text(series: pd.Series, limit: int = LONG_CELL_CHARS) -> pd.Series | None:
    """The series with text over ``limit`` characters shortened to ``limit`` (ending in ``…``), or None when
    no value is that long. The steps get these: a 20 MB cell otherwise went into a chart's inline data, its
    finding, the table preview, the stored step results and the manifest, each a full copy.
    Cheap on pandas' Arrow strings (0.1 s for 10 M rows); categories are looked at, not rows."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        if not (categories.dtype == object or pd.api.types.is_string_dtype(categories)):
            return None
        shortened = categories.map(lambda v: short_text(v, limit) if isinstance(v, str) else v)
        if shortened.equals(categories):
            return None
        if shortened.is_unique:
            return series.cat.rename_categories(shortened)
        return clip_long_text(series.astype(object), limit)
    if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
        return None
    try:
        lengths = series.str.len()
    except (AttributeError, TypeError):  # no text in this column
        return None
    long = (lengths > limit).fillna(False).to_numpy(dtype=bool)
    if not long.any():
        return None
    out = series.copy()
    out[long] = series[long].map(lambda v: short_text(v, limit))
    return out


def parse_dates(series: pd.Series) -> pd.Series:
    try:
        return pd.to_datetime(series, errors="coerce", format="mixed")
    except (TypeError, ValueError):
        return pd.to_datetime(series.astype(str), errors="coerce", format="mixed")
