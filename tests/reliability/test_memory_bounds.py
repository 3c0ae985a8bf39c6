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


@pytest.mark.parametrize("path_kind", PATHS)
def test_a_quoted_cell_with_line_breaks_over_the_limit_fails_naming_it(tmp_path, cache, path_kind):
    csv = tmp_path / "quoted.csv"
    cell = "a quoted note with a line break\n" * 4000  # 128 KB over short lines: only a CSV parser sees it
    csv.write_text("date,note,amount\n" + "".join(f"2024-01-02,n{i},{i}\n" for i in range(50))
                   + f'2024-01-03,"{cell}",7\n' + "".join(f"2024-01-04,m{i},{i}\n" for i in range(50)))
    with pytest.raises(LimitExceededError) as err:
        profile_dataset(csv, limits=Limits(columnar_min_mb=PATHS[path_kind], max_line_kb=64))
    message = str(err.value)
    assert "quoted text with line breaks" in message and "(limits.max_line_kb)" in message
    assert "Check the quoting" in message
    assert not any(p.suffix == ".parquet" for p in cache.glob("*"))  # no cache kept for a file over a limit
    # under the limit, the same file is read, the cell one value
    profile = profile_dataset(csv, limits=Limits(columnar_min_mb=PATHS[path_kind], max_line_kb=1024))
    assert profile.rows == 101


def test_a_huge_column_name_is_shortened_on_the_columnar_path_as_on_the_simple_path(tmp_path, cache):
    import polars as pl

    csv = tmp_path / "wide_name.csv"
    long = "n" * 200_000
    csv.write_text(f"{long},amount,region\n" + "".join(f"{i},{i % 13}.5,{'NSEW'[i % 4]}\n" for i in range(500)))
    big = profile_dataset(csv, limits=Limits(columnar_min_mb=0))
    small = profile_dataset(csv, limits=Limits(columnar_min_mb=10_000))
    assert big.column_names == small.column_names
    assert len(big.column_names[0]) == MAX_NAME_CHARS
    assert any("long column name(s) shortened" in n and "200,000 characters" in n for n in big.notes)
    assert list(pl.read_parquet_schema(big.columnar_cache)) == big.column_names
    assert len(big.model_dump_json()) < 50_000


def _json_files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.is_dir() for p in folder.rglob("*.json")]


@pytest.mark.parametrize("path_kind", PATHS)
def test_long_cells_never_reach_stored_json_or_the_manifest(tmp_path, cache, monkeypatch, path_kind):
    """A 300,000-character cell (under the line limit: the run succeeds) is shortened in what the steps see, so
    no chart spec, finding, table preview, stored stage output or manifest holds it; the profile notes it."""
    from autoviz_pipeline import profiling

    monkeypatch.setattr(profiling, "_is_large", lambda path, limits: path_kind == "columnar")
    cell = "lorem ipsum dolor sit amet " * 11_112  # 300,024 characters
    csv = tmp_path / "notes.csv"
    csv.write_text("note,amount\n" + "".join(f"{cell if i % 6 == 0 else f'short {i % 3}'},{i}.5\n" for i in range(36)))
    with dg.instance_for_test() as instance:
        result = run_partition(
            instance, csv.name, storage=tmp_path / "storage", run_config=question_config(csv, "amount by note"),
            settings=PipelineSettings(inbox_dir=str(tmp_path), outputs_dir=str(tmp_path / "out")))
    assert result.success
    report = Path(result.output_for_node("analysis_report").manifest).parent
    files = _json_files(tmp_path / "storage", tmp_path / "out", report)
    assert any(p.name == "manifest.json" for p in files) and len(files) >= 6
    run_of_cell = cell[: LONG_CELL_CHARS + 100]
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert run_of_cell not in text, f"{file} holds the cell in full"
        assert len(text) < 500_000, f"{file} is {len(text):,} characters"
    manifest = json.loads((report / "manifest.json").read_text(encoding="utf-8"))
    notes = manifest["profile"]["notes"]
    assert any("longest cell" in n and f"first {LONG_CELL_CHARS:,} characters" in n for n in notes)
    assert csv.read_text().count(cell) == 6  # the input is untouched


def test_clip_long_text_shortens_only_long_values_and_keeps_categories_distinct():
    from autoviz_pipeline.dataio import clip_long_text

    long_a, long_b = "a" * 5000, "a" * 4000 + "b" * 1000
    s = pd.Series(["short", long_a, None, long_b])
    clipped = clip_long_text(s, 100)
    assert clipped.tolist()[0] == "short" and pd.isna(clipped.tolist()[2])
    assert [len(v) for v in clipped.dropna()] == [5, 100, 100] and clipped[1].endswith("…")
    assert clip_long_text(pd.Series(["a", "b"]), 100) is None and clip_long_text(pd.Series([1.0, 2.0]), 100) is None
    cats = clip_long_text(pd.Series(["x" * 300, "y", "x" * 300], dtype="category"), 100)
    assert isinstance(cats.dtype, pd.CategoricalDtype) and cats.str.len().max() == 100
    merged = clip_long_text(pd.Series([long_a, long_a + "z"], dtype="category"), 100)  # same first 99 characters
    assert merged.tolist() == [long_a[:99] + "…"] * 2


def test_a_parse_error_on_the_columnar_path_is_a_short_csv_error(tmp_path, cache):
    """polars' own error quotes the bad line; the message keeps a line of it and says what to do."""
    csv = tmp_path / "bad.csv"
    csv.write_text("id,amount\n" + "".join(f"{i},{i}\n" for i in range(20_000)) + "20000," + "oops" * 5000 + "\n")
    with pytest.raises(CsvReadError) as err:
        profile_dataset(csv, limits=Limits(columnar_min_mb=0))
    message = str(err.value)
    assert message.startswith(str(csv)) and "cannot be parsed as CSV" in message and "Check the delimiter" in message
    assert len(message) < 600 and "oops" * 100 not in message


def test_a_wide_file_is_profiled_in_a_few_queries(tmp_path, cache, monkeypatch):
    """5,000 columns took 80 s: a query (and a schema read) per column. Columns are batched now."""
    import polars as pl

    calls = []
    real = pl.collect_all

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pl, "collect_all", counting)
    csv = tmp_path / "wide.csv"
    columns = 300
    csv.write_text(",".join(f"m{j}" for j in range(columns)) + "\n"
                   + "".join(",".join(str((i * 7 + j) % 50) for j in range(columns)) + "\n" for i in range(60)))
    profile = profile_dataset(csv, limits=Limits(columnar_min_mb=0))
    assert len(profile.columns) == columns and profile.column("m7").max == 49
    assert len(calls) <= 5, f"{len(calls)} queries for {columns} columns"
    small = profile_dataset(csv, limits=Limits(columnar_min_mb=10_000))
    for b, s in zip(profile.columns, small.columns):
        assert (b.name, b.role, b.count, b.distinct, b.min, b.max) == \
            (s.name, s.role, s.count, s.distinct, s.min, s.max)
