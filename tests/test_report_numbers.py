"""Numbers and words a reader trusts (#13, point 6), on a real run of the README example: separators and
sensible precision in tables, CSVs without binary noise, every grouping asked answered, no sentence twice,
CSV links that are links, tables that scroll, a legend in the stack's order, titles that say what limits the
chart. Expected values are computed here with pandas from the bundled CSV, not copied from the program's
output."""

import re
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from autoviz_pipeline.api import cached_profile
from autoviz_pipeline.contracts import FilterSpec
from autoviz_pipeline.handoff import load_frame
from autoviz_pipeline.report import _fmt
from autoviz_pipeline.tools import TOOLS
from autoviz_pipeline.tools.charts import (
    BarChartParams,
    LineChartParams,
    bar_chart,
    ranking_sentence,
    share_text,
)
from autoviz_pipeline.tools.vega import describe_filter
from tests.conftest import DECEMBER
from tests.tools.test_support import make_profile
from tests.test_cli import _autoviz
from tests.test_report_interactive import _hover, only_our_scripts, opened


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("numbers")
    out = tmp / "report"
    p = _autoviz("run", str(DECEMBER), "revenue totals by region and product type", "--out", str(out), tmp_path=tmp)
    assert p.returncode == 0, p.stderr
    return out


@pytest.mark.parametrize("value,shown", [
    (1070743.13, "1,070,743"),   # a sum: separators, no decimals (never 1.07074e+06)
    (949853.0, "949,853"),       # a whole float like an int
    (32.8, "32.8"),              # a share: at most two decimals, no trailing zeros
    (5261.98925806, "5,262"),
    (324.79, "324.79"),
    (0.0123456, "0.0123"),       # below one: three significant digits
    (2024, "2024"),              # a year (an int under 10,000) keeps its digits
    (60611, "60,611"),
    (float("nan"), ""),
])
def test_table_cells_have_separators_and_sensible_precision(value, shown):
    assert _fmt(value) == shown


def test_the_group_table_shows_readable_totals(report):
    frame = pd.read_csv(DECEMBER)
    totals = frame.groupby("region")["revenue"].sum()
    md = (report / "report.md").read_text(encoding="utf-8")
    for region, total in totals.items():
        assert f"| {region} | {round(total):,} |" in md
    assert "e+0" not in md


def test_csv_exports_carry_no_binary_noise(report):
    frame = pd.read_csv(DECEMBER)
    for path in (report / "tables").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\d\.\d*(?:0000000|9999999)\d", text), (path.name, text[:300])
    table = pd.read_csv(next((report / "tables").glob("*group_table.csv")))
    totals = frame.groupby("region")["revenue"].sum().round(2)
    assert dict(zip(table["region"], table["Sum of revenue"])) == pytest.approx(totals.to_dict())


def test_the_answer_covers_both_groupings_and_no_sentence_is_said_twice(report):
    frame = pd.read_csv(DECEMBER)
    by_category = frame.groupby("product_category")["revenue"].sum()
    md = (report / "report.md").read_text(encoding="utf-8")
    answer = md.split("**Answer:**", 1)[1].split("\n", 1)[0]
    assert "West has the highest" in answer
    assert f"{by_category.idxmax()} has the highest sum of revenue: {round(by_category.max()):,}" in answer
    prose = [line for line in md.split("## How this was decided")[0].splitlines()
             if line and not line.startswith(("|", "#", "!", "Full table"))]
    sentences = [s for line in prose for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line.replace("**Answer:** ", ""))]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, repeated


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.scrolling_tables, self.in_scroll = [], 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href"))
        if tag == "div" and attrs.get("class") == "scroll":
            self.in_scroll += 1
        if tag == "table" and self.in_scroll:
            self.scrolling_tables += 1

    def handle_endtag(self, tag):
        if tag == "div" and self.in_scroll:
            self.in_scroll -= 1


def test_html_links_the_full_tables_and_tables_scroll(report):
    page = only_our_scripts((report / "report.html").read_text(encoding="utf-8"))  # tables, not vega's code
    parser = _Links()
    parser.feed(page)
    csvs = sorted(p.relative_to(report).as_posix() for p in (report / "tables").glob("*.csv"))
    assert sorted(parser.links) == csvs and csvs
    assert parser.scrolling_tables == page.count("<table>")
    assert "white-space:nowrap" in page  # dates and numbers do not wrap inside a cell


def test_a_tooltip_writes_its_number_with_separators(report, tmp_path):
    """report.html, in Chromium: hovering West's bar of a category shows its sum as 1,234,567.89 (d3's "," keeps
    twelve significant digits), as the tables and findings write numbers, not 1234567.89."""
    frame = pd.read_csv(DECEMBER)
    with opened(report / "report.html", tmp_path) as browser:
        datum, rows, _ = _hover(browser, "answer", "West")
    total = frame[(frame["region"] == "West") & (frame["product_category"] == datum["product_category"])]
    assert rows["Sum of revenue"] == f"{total['revenue'].sum():,.12g}"
    assert "," in rows["Sum of revenue"]


def test_a_stacked_legend_lists_the_stack_top_down():
    table = pd.DataFrame({"x": ["a", "a", "a"], "c": ["big", "mid", "small"], "v": [30.0, 20.0, 10.0]})
    out = bar_chart(BarChartParams(x="x", y="v", color="c"), table, make_profile(table))
    ax = out.figure.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    bottoms = {c.get_label(): c.patches[0].get_y() for c in ax.containers}  # the largest at the bottom, then up
    plt.close(out.figure)
    assert labels == sorted(bottoms, key=bottoms.get, reverse=True) == ["small", "mid", "big"]
    assert out.spec["encoding"]["color"]["scale"]["domain"] == labels  # Vega's legend lists the same
    stack = {row["c"]: row["__stack"] for row in out.spec["data"]["values"]}  # and stacks from the bottom up
    assert sorted(stack, key=stack.get) == ["big", "mid", "small"]


def test_one_group_is_not_the_highest():
    assert ranking_sentence(pd.Series({"Malmö": 12.0}), phrase="sum of revenue", additive=True) == \
        "The sum of revenue for Malmö is 12."


def test_titles_say_the_period_the_top_n_and_the_filters():
    profile = cached_profile(DECEMBER)
    rows = load_frame(profile)

    def title(params):
        tool = TOOLS["bar_chart" if isinstance(params, BarChartParams) else "line_chart"]
        return tool.chart_spec(params, rows, profile)["title"]

    bar = BarChartParams(x="region", y="revenue", aggregate="sum", top_n=3, sort="ascending",
                         filters=[FilterSpec(column="product_category", op="eq", value="Toys")])
    assert title(bar) == "Sum of revenue by region (bottom 3; product_category = Toys)"
    line = LineChartParams(x="date", y="revenue", aggregate="sum", time_unit="week",
                           filters=[FilterSpec(column="region", op="in", values=["West", "North"])])
    assert title(line) == "Sum of revenue over date (per week; region in West, North)"
    plain = BarChartParams(x="region", y="revenue", aggregate="sum")
    assert title(plain) == "Sum of revenue by region"  # nothing limits it: nothing said


@pytest.mark.parametrize("spec,said", [
    ({"column": "year", "op": "range", "values": [1980, 1996]}, "year 1980–1996"),
    ({"column": "region", "op": "not_in", "values": ["N", "S", "E", "W"]}, "region not in N, S, E …"),
    ({"column": "date", "op": "eq", "value": 3, "part": "month"}, "month of date = 3"),
    ({"column": "price", "op": "gte", "value": 10}, "price ≥ 10"),
    ({"column": "pressure", "op": "eq", "value": None}, "pressure is missing"),
    ({"column": "pressure", "op": "neq", "value": None}, "pressure is not missing"),
    ({"column": "note", "op": "eq", "value": "x" * 500}, "note = " + "x" * 39 + "…"),  # a long cell, cut
])
def test_filters_read_as_a_title_says_them(spec, said):
    assert describe_filter(FilterSpec(**spec)) == said


# ---- a month of two shops, asked per month (one period): a real `autoviz run` on a file written here
MARCH = [(f"2024-03-{day:02d}", shop, 2023 if day < 15 else 2024, 1000 + (day * 37 + 500 * i) % 2000)
         for day in range(1, 29) for i, shop in enumerate(("Alpha", "Beta"))]


@pytest.fixture(scope="module")
def one_month(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("one_month")
    path = tmp / "shops.csv"
    path.write_text("day,shop,fiscal_year,units\n" + "".join(f"{d},{s},{y},{u}\n" for d, s, y, u in MARCH),
                    encoding="utf-8")
    out = tmp / "report"
    p = _autoviz("run", str(path), "units per month by shop", "--out", str(out), tmp_path=tmp)
    assert p.returncode == 0, p.stderr
    return pd.read_csv(path, parse_dates=["day"]), out


def test_one_period_is_not_a_change_from_itself(one_month):
    frame, out = one_month
    shops = frame.groupby("shop")["units"].sum()  # every row in March 2024: one month, two lines
    md = (out / "report.md").read_text(encoding="utf-8")
    answer = md.split("**Answer:**", 1)[1].split("\n", 1)[0]
    assert "went from" not in answer and "+0%" not in answer, answer
    assert (f"Of 2 shop lines, {shops.idxmax()} is largest overall: its sum of units was {shops.max():,} "
            "\\(2024-03\\), the only month in the data.") in answer


def test_table_numbers_group_alike_dates_read_as_dates_and_codes_stay_as_written(one_month):
    frame, out = one_month
    per_day = frame.groupby("day")["units"].sum()  # 2,000 to 6,000 a day: under 10,000, still with separators
    md = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    top = per_day.sort_values(ascending=False, kind="stable").head(3)
    for day, total in top.items():
        assert f"| {day:%Y-%m-%d} | {total:,} |" in md  # a date, not 2024-03-18T00:00:00.000
        assert f"<td>{day:%Y-%m-%d}</td><td>{total:,}</td>" in html
    assert "T00:00" not in md.split("## How this was decided")[0]
    assert "| fiscal\\_year | numeric | int64 | 0 | 2 | 2023 … 2024 |" in md  # years keep their digits
    assert f"| units | numeric | int64 | 0 | {frame['units'].nunique()} | {frame['units'].min():,} … " \
           f"{frame['units'].max():,} |" in md  # amounts of four digits are amounts: 1,037
    assert "| day | temporal | datetime64\\[us\\] | 0 | 28 | 2024-03-01 … 2024-03-28 |" in md


def test_summary_csv_and_table_keep_the_data_precision(report):
    revenue = pd.read_csv(DECEMBER)["revenue"]  # prices to the cent: the statistics to the cent too
    summary = pd.read_csv(next((report / "tables").glob("*summary.csv")), dtype=str).set_index("column")
    for stat, value in {"mean": revenue.mean(), "std": revenue.std(), "25%": revenue.quantile(0.25),
                        "50%": revenue.quantile(0.5), "75%": revenue.quantile(0.75)}.items():
        assert float(summary.loc["revenue", stat]) == round(value, 2), stat
        assert len(summary.loc["revenue", stat].partition(".")[2]) <= 2, summary.loc["revenue", stat]


@pytest.mark.parametrize("fraction,said", [
    (0.002, "0.2%"), (0.0004, "<0.1%"), (0.33, "33%"), (0.998, "99.8%"), (0.99996, ">99.9%"), (1.0, "100%"),
    (0.0, "0%"),
])
def test_shares_keep_a_digit_near_nothing_and_near_everything(fraction, said):
    assert share_text(fraction) == said


def test_a_share_near_all_is_not_all():
    sentence = ranking_sentence(pd.Series({"big": 499.0, "small": 1.0}), phrase="sum of x", additive=True)
    assert sentence == "big has the highest sum of x: 499 (99.8% of total); small the lowest: 1."
