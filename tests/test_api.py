import pandas as pd

from autoviz_pipeline.api import plan_for, primary_chart
from tests.conftest import DECEMBER


def test_primary_chart_carries_the_first_charts_numbers_computed_from_the_file():
    """The headline question's first chart: revenue summed per region and product type, every bar inline,
    checked against pandas on the CSV itself (not against the program's own output)."""
    spec = primary_chart(DECEMBER, "revenue totals by region and product type")
    assert spec["mark"] == "bar" and spec["encoding"]["x"]["field"] == "region"
    assert spec["encoding"]["color"]["field"] == "product_category"
    assert spec["encoding"]["y"]["field"] == "revenue" and spec["encoding"]["y"]["aggregate"] == "sum"
    bars = {(r["region"], r["product_category"]): r["revenue"] for r in spec["data"]["values"]}
    expected = pd.read_csv(DECEMBER).groupby(["region", "product_category"])["revenue"].sum()
    assert bars.keys() == set(expected.index)
    for key, total in expected.items():
        assert abs(bars[key] - total) < 1e-6, key
    # the bars in the order drawn (regions by total revenue) and the colours the PNG uses, stated in the spec
    by_region = pd.read_csv(DECEMBER).groupby("region")["revenue"].sum().sort_values(ascending=False)
    assert spec["encoding"]["x"]["sort"] == list(by_region.index)
    assert len(spec["encoding"]["color"]["scale"]["range"]) == expected.index.get_level_values(1).nunique()


def test_a_huge_question_is_cut_like_the_cli_cuts_it(december_profile):
    """primary_chart() and `autoviz chart` take the question's first limits.max_question_chars characters, as
    `autoviz run` does (the reading's time grows with the question: 1 MB did not finish in 10 minutes)."""
    filler = "revenue by region " + "and some more words " * 1_000  # 20,000 characters
    intent, _, _ = plan_for(filler, december_profile)
    assert len(intent.question) <= 2000 and intent.question.startswith("revenue by region")
