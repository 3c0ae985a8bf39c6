import codecs

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
