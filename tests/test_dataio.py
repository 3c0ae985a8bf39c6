
import pandas as pd
import pytest

from autoviz_pipeline.dataio import detect_read_options, read_csv
from autoviz_pipeline.errors import CsvReadError
from tests.conftest import EXAMPLES


def test_cp1252_semicolon_decimal_comma_example_loads():
    path = EXAMPLES / "european_sales_cp1252.csv"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    opts = detect_read_options(path)
    assert (opts.encoding, opts.delimiter, opts.decimal) == ("cp1252", ";", ",")
    df = read_csv(path, opts)
    assert "Stückpreis €" in df.columns and "Köln" in set(df["Stadt"])
    # decimal commas parsed as numbers: check one row by hand against the raw text
    raw_first = path.read_bytes().decode("cp1252").splitlines()[1].split(";")
    assert df["Umsatz €"].iloc[0] == pytest.approx(float(raw_first[6].replace(",", ".")))


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_delimiters_are_sniffed(write_csv, sep):
    text = sep.join(["a", "b", "c"]) + "\n" + "\n".join(sep.join([str(i), f"x{i}", f"{i}.5"]) for i in range(10))
    path = write_csv("d.csv", text)
    opts = detect_read_options(path)
    assert opts.delimiter == sep
    assert list(read_csv(path, opts).columns) == ["a", "b", "c"]


@pytest.mark.parametrize("encoding,bom", [("utf-8-sig", b""), ("utf-16", b"")])
def test_bom_encodings(write_csv, encoding, bom):
    path = write_csv("e.csv", "name,value\nZürich,1\nKöln,2\n", encoding=encoding)
    opts = detect_read_options(path)
    df = read_csv(path, opts)
    assert list(df.columns) == ["name", "value"]  # no BOM glued to the first name
    assert list(df["name"]) == ["Zürich", "Köln"]


def test_latin1_bytes_undefined_in_cp1252_fall_back(write_csv):
    path = write_csv("l.csv", b"name,value\n\x81x,1\ncaf\xe9,2\n")
    assert detect_read_options(path).encoding == "latin-1"


def test_empty_and_binary_files_fail_clearly(write_csv):
    with pytest.raises(CsvReadError, match="empty"):
        detect_read_options(write_csv("empty.csv", b""))
    with pytest.raises(CsvReadError, match="binary"):
        detect_read_options(write_csv("bin.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


def test_duplicate_and_blank_column_names_are_made_unique(write_csv):
    path = write_csv("dup.csv", "a,a,,b\n1,2,3,4\n")
    df = read_csv(path, detect_read_options(path))
    assert list(df.columns) == ["a", "a_2", "column_3", "b"]
    assert df.iloc[0].tolist() == [1, 2, 3, 4]


# --- reliability: nothing dropped, shifted or guessed silently -------------------------------------
from autoviz_pipeline.dataio import (
    MIXED_ENCODING,
    clean_column_names,
    read_table,
    sniff,
)
from autoviz_pipeline.errors import LimitExceededError


def test_trailing_delimiters_do_not_shift_columns(write_csv):
    path = write_csv("t.csv", "a,b,c\n1,2,3,\n4,5,6,\n")
    table = read_table(path, detect_read_options(path))
    assert table.frame.to_dict("list") == {"a": [1, 4], "b": [2, 5], "c": [3, 6]}
    assert any("trailing delimiters" in n for n in table.notes)


def test_ragged_rows_are_kept_and_noted_with_line_numbers(write_csv):
    path = write_csv("r.csv", "a,b,c\n1,2,3\n4,5,6,7,8\n9,10\n11,12,13\n")
    table = read_table(path, detect_read_options(path))
    assert len(table.frame) == 4 and table.frame["a"].tolist() == [1, 4, 9, 11]
    long, short = (n for n in table.notes if "fields" in n)
    assert "line 3" in long and "5 fields" in long and "line 4" in short


def test_quoted_newlines_and_cells_over_the_csv_module_limit(write_csv):
    big = "y" * 200_000
    path = write_csv("q.csv", f'id,text\n1,"two\nlines"\n2,{big}\n')
    table = read_table(path, detect_read_options(path))
    assert table.frame["text"].tolist() == ["two\nlines", big]
    assert any("line breaks" in n for n in table.notes) and any("200,000 characters" in n for n in table.notes)


def test_mixed_utf8_and_cp1252_lines_are_both_decoded(write_csv):
    data = "city,n\nZürich,1\n".encode() + "Köln,2\n".encode("cp1252") + "Malmö,3\n".encode()
    path = write_csv("m.csv", data)
    sniffed = sniff(path)
    assert sniffed.options.encoding == MIXED_ENCODING and "line 3" in sniffed.notes[0]
    assert read_table(path, sniffed.options).frame["city"].tolist() == ["Zürich", "Köln", "Malmö"]


def test_non_utf8_after_the_sniffed_head_is_detected(write_csv):
    head = "name,v\n" + "".join(f"plain{i},{i}\n" for i in range(30_000))  # > 256 KiB of ASCII
    path = write_csv("late.csv", head.encode() + "Caf\xe9 \u20ac,1\n".encode("cp1252"))
    opts = detect_read_options(path)
    assert opts.encoding == "cp1252"
    assert read_table(path, opts).frame["name"].iloc[-1] == "Café €"


def test_utf16_without_bom_and_nul_bytes_late_in_the_file(write_csv):
    path = write_csv("u.csv", "a,b\nÄ,1\nB,2\n".encode("utf-16-le"))
    assert detect_read_options(path).encoding == "utf-16-le"
    damaged = write_csv("z.csv", ("a,b\n" + "x,1\n" * 100_000).encode() + b"\x00" * 64)
    with pytest.raises(CsvReadError, match=r"NUL bytes \(first on line 100,002\)"):
        detect_read_options(damaged)


@pytest.mark.parametrize("content,match", [
    (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "xls"),
    (b"\x1f\x8b\x08\x00", "gzip"),
    (b"%PDF-1.7\n", "PDF"),
    (b"  <!DOCTYPE html><html>", "HTML"),
    (b'{"a": 1}', "JSON"),
    (b"\n \n\t\n", "blank lines"),
])
def test_files_that_are_not_csv_say_what_they_are(write_csv, content, match):
    with pytest.raises(CsvReadError, match=match) as info:
        detect_read_options(write_csv("x.csv", content))
    assert "x.csv" in str(info.value)


def test_limits_name_the_setting(write_csv):
    path = write_csv("w.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(LimitExceededError, match=r"limits\.max_file_mb"):
        sniff(path, max_file_mb=1e-6)
    with pytest.raises(LimitExceededError, match=r"3 columns is over the limit of 2 columns"):
        read_table(path, detect_read_options(path), max_columns=2)


def test_column_names_long_control_blank_duplicate():
    names, notes = clean_column_names(["x" * 500, "x" * 500, "", "a\nb", "<script>", "=1+1"])
    assert len(names[0]) == 100 and names[0] != names[1] and len(set(names)) == 6
    assert names[2:] == ["column_3", "a b", "<script>", "=1+1"]  # hostile text is kept: it is escaped on output
    assert len(notes) == 4


def test_the_head_guess_and_the_whole_file_scan_make_the_same_sniff(write_csv):
    """Large files parse on the head's guess while the rest is scanned; the two halves give sniff's answer."""
    from autoviz_pipeline.dataio import finish_sniff, scan_bytes, sniff_head

    plain = write_csv("plain.csv", ("a;b\n" + "x;1,5\n" * 50_000).encode())
    head = sniff_head(plain)
    assert finish_sniff(head, None).options == finish_sniff(head, scan_bytes(plain)).options == sniff(plain).options
    assert finish_sniff(head, scan_bytes(plain)).sha256 == sniff(plain).sha256 is not None
    late = write_csv("late.csv", ("a,b\n" + "x,1\n" * 80_000).encode() + "Caf\xe9,2\n".encode("cp1252"))
    head = sniff_head(late)
    assert finish_sniff(head, None).options.encoding == "utf-8"  # the head alone looks like UTF-8
    assert finish_sniff(head, scan_bytes(late)).options.encoding == "cp1252"  # the scan knows better


def test_typed_frame_leaves_its_input_unchanged():
    from autoviz_pipeline.contracts import ColumnProfile, DatasetProfile, ReadOptions
    from autoviz_pipeline.dataio import typed_frame

    df = pd.DataFrame({"d": ["2024-01-02", "2024-02-03"], "m": ["$1,000", "$2,500.50"], "n": [1.0, 2.0]})
    cols = [ColumnProfile(name="d", dtype="str", role="temporal", count=2, nulls=0, distinct=2),
            ColumnProfile(name="m", dtype="str", role="numeric", count=2, nulls=0, distinct=2),
            ColumnProfile(name="n", dtype="float64", role="numeric", count=2, nulls=0, distinct=2)]
    profile = DatasetProfile(path="x.csv", name="x.csv", sha256="0", size_bytes=1, rows=2, columns=cols,
                             read_options=ReadOptions(encoding="utf-8", delimiter=","))
    typed = typed_frame(df, profile)
    assert typed["m"].tolist() == [1000.0, 2500.5] and str(typed["d"].dtype).startswith("datetime64")
    assert df["m"].tolist() == ["$1,000", "$2,500.50"] and df["d"].tolist() == ["2024-01-02", "2024-02-03"]
    typed.loc[0, "n"] = 99.0
    assert df["n"].tolist() == [1.0, 2.0]  # shared columns are not written through


@pytest.mark.parametrize("values,expected", [
    (["1.234,56 €", "987,10 €", "12.345,00 €"], [1234.56, 987.10, 12345.0]),   # a German export
    (["$1,234.56", "$987.10", "$12,345.00"], [1234.56, 987.10, 12345.0]),      # a US one
    (["1 234,5", "87,25", "-3,5"], [1234.5, 87.25, -3.5]),                      # French spaces, comma decimals
    (["1,234", "2,500", "12"], [1234, 2500, 12]),                               # ambiguous: commas group thousands
])
def test_numbers_written_as_text_follow_their_own_decimal_mark(values, expected):
    from autoviz_pipeline.dataio import coerce_numeric_text

    parsed = coerce_numeric_text(pd.Series(values))
    assert parsed is not None and parsed.tolist() == pytest.approx(expected)


def test_euro_text_agrees_on_both_paths(tmp_path, monkeypatch):
    from autoviz_pipeline.profiling import profile_dataset
    from autoviz_pipeline.settings import Limits

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "umsatz.csv"
    path.write_text("Stadt;Umsatz\nKöln;1.234,56 €\nBonn;987,10 €\nUlm;12.345,00 €\n", encoding="utf-8")
    for limits in (Limits(columnar_min_mb=10_000), Limits(columnar_min_mb=0)):
        col = profile_dataset(path, limits=limits).column("Umsatz")
        assert col.role == "numeric"
        assert (col.min, col.max, col.mean) == pytest.approx((987.10, 12345.0, (1234.56 + 987.10 + 12345.0) / 3))


def _counting(monkeypatch, module, name: str) -> list:
    """Calls of ``module.name`` (the real function still runs), one entry per call."""
    calls: list = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def test_a_small_file_is_read_from_disk_once_and_parsed_once(write_csv, tmp_path, monkeypatch):
    import builtins

    from autoviz_pipeline import dataio
    from autoviz_pipeline.profiling import profile_dataset

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    path = write_csv("t.csv", "a,b\n" + "1,x\n2,y\n" * 200)
    opens, real_open = [], builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: opens.append(f) or real_open(f, *a, **k))
    parses = _counting(monkeypatch, dataio, "_parse_table")
    profile = profile_dataset(path)
    assert profile.rows == 400 and len(parses) == 1
    assert [f for f in opens if str(f) == str(path)] == [path]  # sniff, hash, record scan and pandas: one read


def test_the_parsed_table_goes_to_the_next_stage_through_a_verified_cache(write_csv, tmp_path, monkeypatch):
    from autoviz_pipeline import dataio
    from autoviz_pipeline.handoff import frame_path, load_frame
    from autoviz_pipeline.profiling import profile_dataset

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    path = write_csv("t.csv", 'region,amount\nNorth,"$1,200.50"\nSouth,$80.00\nEast,"$3,000.00"\n')
    profile = profile_dataset(path)
    parses = _counting(monkeypatch, dataio, "_parse_table")
    frame = load_frame(profile)
    assert frame["amount"].tolist() == [1200.5, 80.0, 3000.0] and parses == []  # typed, and not parsed again
    cached = frame_path(profile)
    assert cached.parent == tmp_path / "cache" and profile.sha256 in cached.name
    good = cached.read_bytes()

    cached.write_bytes(good[: len(good) // 2])  # truncated (a full disk, a killed copy)
    assert load_frame(profile).equals(frame) and len(parses) == 1
    assert cached.read_bytes() == good  # rebuilt

    pd.DataFrame({"region": ["West"], "amount": ["$1.00"]}).to_parquet(cached)  # replaced by another table
    assert load_frame(profile).equals(frame) and len(parses) == 2
    assert cached.read_bytes() == good


def test_a_file_changed_after_profiling_is_not_read_as_if_it_were_the_profiled_one(write_csv, tmp_path,
                                                                                  monkeypatch):
    from autoviz_pipeline.errors import CsvReadError
    from autoviz_pipeline.handoff import frame_path, load_frame
    from autoviz_pipeline.profiling import profile_dataset

    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(tmp_path / "cache"))
    path = write_csv("t.csv", "a,b\n1,x\n2,y\n")
    profile = profile_dataset(path)
    assert len(load_frame(profile)) == 2
    path.write_text("a,b\n1,x\n2,y\n3,z\n")
    assert len(load_frame(profile)) == 2  # the cache holds the profiled content
    frame_path(profile).unlink()
    with pytest.raises(CsvReadError, match="changed after it was profiled"):
        load_frame(profile)



def test_a_cache_that_cannot_be_written_costs_a_second_parse_not_the_run(write_csv, tmp_path, monkeypatch):
    from autoviz_pipeline import dataio
    from autoviz_pipeline.handoff import load_frame
    from autoviz_pipeline.profiling import profile_dataset

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("AUTOVIZ_CACHE_DIR", str(blocker / "cache"))  # mkdir fails: a file is in the way
    path = write_csv("t.csv", "a,b\n1,x\n2,y\n")
    profile = profile_dataset(path)
    parses = _counting(monkeypatch, dataio, "_parse_table")
    assert load_frame(profile)["b"].tolist() == ["x", "y"] and len(parses) == 1
