"""The bad-input matrix: files users really drop in the inbox, and what the pipeline must do with each.

Each case writes one file (exact bytes) and names a question. ``expect`` is ``"report"`` (the run
succeeds, and ``note`` — a regex — must appear among the notes of what was assumed) or ``"error"``
(the run fails, and ``error`` must appear in the message, which also names the file and what to do).
Shared by ``tests/reliability/test_bad_inputs.py`` and ``benchmarks/bad_inputs.py``.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    question: str = "Give an overview of this dataset."
    expect: str = "report"  # "report" | "error"
    note: str | None = None  # regex over the report's notes (profile, columns, intent, steps)
    error: str | None = None  # regex over the error message
    file_name: str | None = None  # default: <name>.csv

    @property
    def file(self) -> str:
        return self.file_name or f"{self.name}.csv"

    def write(self, folder: Path) -> Path:
        path = folder / self.file
        path.write_bytes(self.build())
        return path


def _table(rows: int = 30, *, sep: str = ",") -> str:
    lines = [sep.join(["region", "product", "revenue", "units"])]
    regions, products = ["North", "South", "East", "West"], ["Tea", "Coffee", "Cocoa"]
    for i in range(rows):
        lines.append(sep.join([regions[i % 4], products[i % 3], f"{100 + 7.5 * i:.2f}", str(i % 9 + 1)]))
    return "\n".join(lines) + "\n"


def _utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _mixed_encoding() -> bytes:
    head = "city,amount\n" + "".join(f"Zürich,{i}\n" for i in range(20))  # UTF-8
    tail = "".join(f"Köln,{i}\n" for i in range(20))  # pasted in from a cp1252 export
    return head.encode("utf-8") + tail.encode("cp1252")


def _ragged() -> bytes:
    lines = ["a,b,c"] + [f"{i},x{i % 3},{i * 1.5}" for i in range(20)]
    lines[5] = "4,x1,6.0,EXTRA,MORE"  # too many fields
    lines[9] = "8,x2"  # too few
    return ("\n".join(lines) + "\n").encode()


def _quoted_newlines() -> bytes:
    lines = ["id,comment,score"]
    for i in range(15):
        lines.append(f'{i},"line one of {i}\nline two, with a comma",{i % 5}')
    return ("\n".join(lines) + "\n").encode()


def _wide(n: int) -> Callable[[], bytes]:
    def build() -> bytes:
        header = ",".join(f"m{j:04d}" for j in range(n))
        rows = [",".join(str((i * 31 + j * 7) % 97) for j in range(n)) for i in range(40)]
        return (header + "\n" + "\n".join(rows) + "\n").encode()

    return build


def _long_cells() -> bytes:
    big = "x" * 300_000  # more than Python's csv default field limit (131,072)
    lines = ["name,note,value"] + [f"r{i},{big if i % 4 == 0 else 'short'},{i}" for i in range(12)]
    return ("\n".join(lines) + "\n").encode()


def _long_names() -> bytes:
    long1, long2 = "revenue_" + "q" * 4000, "revenue_" + "q" * 4000 + "_b"
    rows = [f"{long1},{long2},region"] + [f"{i},{i * 2},{'NS'[i % 2]}" for i in range(20)]
    return ("\n".join(rows) + "\n").encode()


CASES: tuple[Case, ...] = (
    # --- files that are not tables
    Case("empty", lambda: b"", expect="error", error=r"empty"),
    Case("header_only", _utf8("a,b,c\n"), expect="error", error=r"no data rows"),
    Case("blank_lines_only", _utf8("\n\n  \n\n"), expect="error", error=r"empty|no columns|no header"),
    Case("binary_png", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), expect="error",
         error=r"binary|image"),
    Case("excel_xlsx", _xlsx, expect="error", error=r"Excel|zip"),
    Case("gzip_csv", lambda: gzip.compress(_table().encode()), expect="error", error=r"gzip"),
    Case("html_page", _utf8("<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n"),
         expect="error", error=r"HTML"),
    # --- encodings
    Case("utf8_bom", lambda: codecs.BOM_UTF8 + _table().encode()),
    Case("utf16_bom", lambda: _table().replace("North", "Nörth").encode("utf-16")),
    Case("utf16le_no_bom", lambda: _table().replace("North", "Nörth").encode("utf-16-le"), note=r"UTF-16"),
    Case("cp1252", lambda: _table().replace("North", "Nörth €").encode("cp1252"), note=r"cp1252"),
    Case("latin1", lambda: "city,n\n".encode() + b"".join(b"caf\xe9 \x81,%d\n" % i for i in range(12)),
         note=r"latin-1"),
    Case("mixed_utf8_cp1252", _mixed_encoding, note=r"not UTF-8.*cp1252"),
    # --- delimiters and quoting
    Case("semicolon_decimal_comma", lambda: _table(sep=";").replace(".", ",").encode(), note=r"delimiter ';'"),
    Case("tab", lambda: _table(sep="\t").encode(), note=r"delimiter '\\t'"),
    Case("pipe", lambda: _table(sep="|").encode(), note=r"delimiter '\|'"),
    Case("excel_sep_hint", lambda: ("sep=;\r\n" + _table(sep=";").replace("\n", "\r\n")).encode("cp1252"),
         note=r"sep="),
    Case("crlf_line_endings", lambda: _table().replace("\n", "\r\n").encode()),
    Case("quoted_newlines", _quoted_newlines, note=r"line breaks"),
    Case("ragged_rows", _ragged, note=r"line 6.*5 fields|fewer fields"),
    Case("single_column", _utf8("value\n" + "".join(f"{i * 3 % 11}\n" for i in range(30)))),
    # --- column names
    Case("duplicate_blank_names", _utf8("a,a,,b\n" + "".join(f"{i},{i + 1},{i % 3},x{i % 2}\n" for i in range(20))),
         note=r"renamed"),
    Case("very_long_names", _long_names, note=r"shortened"),
    # --- values
    Case("currency_thousands", _utf8("item,price\n" + "".join(f'i{i},"${1000 + i * 37:,}.50"\n' for i in range(20))),
         note=r"numbers written as text"),
    Case("all_null_and_constant", _utf8("a,b,c\n" + "".join(f"{i},,same\n" for i in range(20))),
         note=r"all values are missing"),
    Case("single_row", _utf8("region,revenue\nNorth,10\n"), note=r"one data row"),
    Case("wide_1200_columns", _wide(1200)),
    Case("extremely_long_cells", _long_cells, note=r"longest cell"),
    # --- questions
    Case("question_empty", lambda: _table().encode(), question="", note=r"no question given|empty question"),
    # 100 KB: 50 times the limit, and still one command-line argument (at most 128 KiB on Linux)
    Case("question_huge", lambda: _table().encode(), question="revenue by region " + "blah " * 20_000,
         note=r"question.*shortened"),
    Case("question_french", lambda: _table().encode(), question="Quel est le chiffre d'affaires par région ?"),
    Case("question_japanese", lambda: _table().encode(), question="地域別の売上を教えてください",
         note=r"no column named"),
    Case("question_no_column", lambda: _table().encode(), question="how many unicorns live on mars",
         note=r"no column named"),
)
"""Every case the matrix runs; names are unique and safe as file names."""
