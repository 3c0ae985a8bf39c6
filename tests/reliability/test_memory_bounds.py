"""Memory stays bounded by configured limits whatever the shape of the file (issue #12, point 3): a line or a
quoted cell over ``limits.max_line_kb`` fails with a message naming it before a parser holds it, huge column
names are shortened on the columnar path as on the simple one, and no stored JSON or manifest carries a cell
in full. ``benchmarks/hostile_shapes.py`` runs the full-size shapes (200 MB without a line break, a
1,000,000-character column name over 3 M rows, 50 MB cells, 5,000 columns) through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from autoviz_pipeline.dataio import LONG_CELL_CHARS, MAX_NAME_CHARS
from autoviz_pipeline.defs.resources import PipelineSettings
from autoviz_pipeline.errors import CsvReadError, LimitExceededError
from autoviz_pipeline.profiling import profile_dataset
from autoviz_pipeline.settings import Limits
from tests.dagster_support import question_config, run_partition

pytest.importorskip("polars")

PATHS = {"simple": 10_000, "columnar": 0}  # limits.columnar_min_mb: which path reads the file


def _rows(n: int, start: int = 0) -> str:
    return "".join(f"2024-01-{1 + i % 28:02d},{'NSEW'[i % 4]},{i % 97}.5\n" for i in range(start, start + n))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def no_parse(monkeypatch):
    """Fails the test if polars is asked to parse the file (the limit must be hit before)."""
    from autoviz_pipeline import engine

    def parse(*args, **kwargs):
        raise AssertionError("the file was handed to polars before its lines were checked")

    monkeypatch.setattr(engine, "_csv_to_parquet", parse)


@pytest.mark.parametrize("path_kind", PATHS)
def test_a_line_over_max_line_kb_fails_naming_the_limit_before_any_parse(tmp_path, cache, no_parse, path_kind):
    csv = tmp_path / "long_line.csv"
    csv.write_text("date,region,amount\n" + _rows(3000) + "garbage " * 20_000 + "\n" + _rows(3000, 3000))
    before = csv.read_bytes()
    with pytest.raises(LimitExceededError) as err:
        profile_dataset(csv, limits=Limits(columnar_min_mb=PATHS[path_kind], max_line_kb=64))
    message = str(err.value)
    assert err.value.limit == "max_line_kb"
    assert "line 3,002 " in message and "over the limit of 64 KB (limits.max_line_kb)" in message
    assert "long_line.csv" in message and "raise limits.max_line_kb" in message
    assert "garbage" not in message  # the line itself is not repeated
    assert csv.read_bytes() == before
    assert not any(p.suffix == ".parquet" for p in cache.glob("*"))


@pytest.mark.parametrize("path_kind", PATHS)
def test_a_file_without_line_breaks_fails_at_once(tmp_path, cache, no_parse, path_kind):
    csv = tmp_path / "one_line.csv"
    csv.write_bytes(b"abcdefghij klmnopqrstuvwxyz " * 20_000)  # 560 KB, no line break
    with pytest.raises(LimitExceededError, match=r"line 1 is over the limit of 64 KB \(limits\.max_line_kb\)\. "
                                                 r"The first line alone.*no line breaks"):
        profile_dataset(csv, limits=Limits(columnar_min_mb=PATHS[path_kind], max_line_kb=64))


def test_the_line_check_reads_little_and_finds_lines_just_over_the_limit(tmp_path):
    from autoviz_pipeline.dataio import check_line_lengths

    csv = tmp_path / "t.csv"
    limit = 8 * 1024
    csv.write_bytes(b"a,b\n" + b"x,1\n" * 10_000 + b"y" * limit + b",2\n" + b"x,1\n" * 10)  # a line of limit+2
    with pytest.raises(LimitExceededError, match=r"line 10,002 \(8,194 bytes\) is over the limit of 8 KB"):
        check_line_lengths(csv, 8)
    csv.write_bytes(b"a,b\n" + b"x,1\n" * 10_000 + b"y" * (limit - 2) + b",2\r\n" + b"x,1\n" * 10)  # exactly limit
    check_line_lengths(csv, 8)
    csv.write_bytes(b"a,b\r" + b"x,1\r" * 10_000)  # old Mac line ends: lines, not one long line
    check_line_lengths(csv, 8)


def _json_files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*.json")]


