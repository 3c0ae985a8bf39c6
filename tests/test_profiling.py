import hashlib

import pandas as pd
import pytest

from autoviz_pipeline.errors import CsvReadError
from autoviz_pipeline import roles as roles_module
from autoviz_pipeline.profiling import profile_dataset
from tests.conftest import DECEMBER, EXAMPLES


def test_december_roles_counts_and_hash(december_profile):
    p = december_profile
    roles = {c.name: c.role for c in p.columns}
    assert roles == {"date": "temporal", "revenue": "numeric", "region": "categorical",
                     "product_category": "categorical"}
    raw = pd.read_csv(DECEMBER)
    assert p.rows == len(raw)
    assert p.sha256 == hashlib.sha256(DECEMBER.read_bytes()).hexdigest()
    rev = p.column("revenue")
    assert rev.mean == pytest.approx(raw["revenue"].mean(), rel=1e-6)
    assert rev.min == pytest.approx(raw["revenue"].min()) and rev.max == pytest.approx(raw["revenue"].max())
    region = p.column("region")
    assert region.distinct == raw["region"].nunique()
    assert {t.value: t.count for t in region.top_values} == raw["region"].value_counts().to_dict()
    assert p.column("date").min.startswith("2024-12-01")
    assert p.read_options.encoding == "utf-8" and p.read_options.delimiter == ","


def test_sensor_example_nulls_and_identifier():
    p = profile_dataset(EXAMPLES / "sensor_readings.csv")
    raw = pd.read_csv(EXAMPLES / "sensor_readings.csv")
    assert p.column("pressure_kpa").nulls == int(raw["pressure_kpa"].isna().sum()) > 0
    assert p.column("timestamp").role == "temporal"
    assert p.column("status").role == "categorical"
    assert p.column("machine_id").role in ("identifier", "categorical")


def test_roles_for_boolean_identifier_text_and_currency(write_csv):
    rows = ["id,active,price,comment,team"]
    for i in range(40):
        rows.append(f'{i},{"yes" if i % 2 else "no"},"${1000 + i:,}.50",'
                    f'"free text about item number {i} here",T{i % 3}')
    p = profile_dataset(write_csv("mixed.csv", "\n".join(rows) + "\n"))
    roles = {c.name: c.role for c in p.columns}
    assert roles == {"id": "identifier", "active": "boolean", "price": "numeric", "comment": "text",
                     "team": "categorical"}
    assert p.column("price").min == pytest.approx(1000.5)  # "$1,000.50" parsed
    assert any("text" in n for n in p.column("price").notes)


def test_header_only_fails_with_hint(write_csv):
    with pytest.raises(CsvReadError, match="no data rows"):
        profile_dataset(write_csv("h.csv", "a,b,c\n"))


def test_all_null_and_constant_columns_are_noted(write_csv):
    p = profile_dataset(write_csv("n.csv", "a,b,c\n1,,x\n2,,x\n3,,x\n"))
    assert p.column("b").count == 0 and "all values are missing" in p.column("b").notes
    assert "constant column (one distinct value)" in p.column("c").notes


def test_one_column_that_breaks_the_rules_does_not_break_the_profile(write_csv, monkeypatch):
    from autoviz_pipeline import roles

    real = roles.infer_role

    def picky(name, series):
        if name == "odd":
            raise ValueError("values no rule expected")
        return real(name, series)

    monkeypatch.setattr(roles, "infer_role", picky)
    p = profile_dataset(write_csv("o.csv", "a,odd\n1,x\n2,y\n"))
    assert p.column("a").role == "numeric"
    odd = p.column("odd")
    assert odd.role == "text" and odd.count == 2 and "could not be profiled" in odd.notes[0]


def test_samples_are_the_first_distinct_values_even_far_down_a_long_column():
    from autoviz_pipeline.roles import profile_column

    long_run = pd.Series([7.0] * 5000 + [1.5, 7.0, 2.5, 3.5, 4.5, 5.5])  # one value for the first 5,000 rows
    assert profile_column("x", long_run).samples == ["7.0", "1.5", "2.5", "3.5", "4.5"]
    varied = pd.Series(range(100_000))
    assert profile_column("y", varied).samples == ["0", "1", "2", "3", "4"]


def test_seasons_spanning_two_years_are_labels_not_months(write_csv):
    """ "2009-10", "2010-11" … name seasons (the second part is always the next year): text in order, not
    October 2009; a monthly column written the same way ("2009-10", "2009-11" …) stays a date."""
    seasons = [f"{y}-{(y + 1) % 100:02d}" for y in range(2005, 2015)]
    months = [f"{2009 + m // 12}-{m % 12 + 1:02d}" for m in range(9, 40)]
    rows = [f"{seasons[i % 10]},{months[i % len(months)]},{i}" for i in range(60)]
    profile = profile_dataset(write_csv("seasons.csv", "season,month,n\n" + "\n".join(rows) + "\n"))
    roles = {c.name: c.role for c in profile.columns}
    assert roles["season"] == "categorical"
    assert roles["month"] == "temporal"
    assert not roles_module.season_labels(["2019-20"])  # one label says nothing
    assert roles_module.season_labels(["1999-2000", "2000-2001"])
    assert not roles_module.season_labels(["2009-10", "2009-11", "2009-12", "2010-01"])
