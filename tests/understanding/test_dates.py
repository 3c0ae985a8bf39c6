"""Dates said in questions: each form read by hand, and the ones that are no date."""

import pandas as pd
import pytest

from autoviz_pipeline.understanding.extractors.dates import PartialDate, date_mentions, mentions, resolve_year


def read(question: str) -> list[tuple[str, list[str | int | None]]]:
    """(op, values) per mention, years left open shown as None."""
    out = []
    for m in date_mentions(" " + question.lower() + " "):
        out.append((m.op, [d.value(d.year) if d.year is not None else (d.month, d.day) for d in m.dates]))
    return out


@pytest.mark.parametrize("question,expected", [
    ("revenue before 2024-12-10 by region", [("lt", ["2024-12-10"])]),
    ("readings on or after 2024/11/05 08:30", [("gte", ["2024-11-05 08:30"])]),
    ("visitors until 2023-06", [("lte", ["2023-06"])]),
    ("visitors in May 2024", [("eq", ["2024-05"])]),
    ("sales since March 3rd, 2024", [("gte", ["2024-03-03"])]),
    ("sales after the 3rd of March 2024", [("gt", ["2024-03-03"])]),
    ("signups in Q2 2024 by channel", [("eq", ["2024-Q2"])]),
    ("signups during the first quarter of 2023", [("eq", ["2023-Q1"])]),
    ("signups in 2023Q4", [("eq", ["2023-Q4"])]),
    ("visitors in 2024 by month", [("eq", [2024])]),
    ("in the year 2017", [("eq", [2017])]),
    ("between December 31, 2007, and December 31, 2008", [("range", ["2007-12-31", "2008-12-31"])]),
    ("from 2024-12-05 to 2024-12-12", [("range", ["2024-12-05", "2024-12-12"])]),
    ("between 2015 and 2017", [("range", [2015, 2017])]),
    ("revenue after December 20", [("gt", [(12, 20)])]),
    ("revenue between march and june", [("range", [(3, None), (6, None)])]),
    ("visitors after 2015", [("gt", [2015])]),  # which column a year filters is periods.py's choice
    ("the top 2024 customers for 2024", [("eq", [2024])]),
    ("divorces in the 1970s", [("range", [1970, 1979])]),
    ("the '90s", [("range", [1990, 1999])]),
    ("during World War II (1939-1945)", [("range", [1939, 1945])]),
    ("from 1952 to 2007", [("range", [1952, 2007])]),
    ("sales volume from 2017 onward", [("gte", [2017])]),
    ("1990 or later", [("gte", [1990])]),
    ("2016 only - weekly prices", [("eq", [2016])]),
    ("just 2017: volume against price", [("eq", [2017])]),
    ("june through august 2016", [("range", ["2016-06", "2016-08"])]),
    ("jan 2015 to mar 2016", [("range", ["2015-01", "2016-03"])]),
    ("the last 10 years of data", [("gte", [])]),
])
def test_date_forms(question, expected):
    assert read(question) == expected


@pytest.mark.parametrize("question", [
    "people in their 30s",             # an age, not the 1930s
    "revenue may increase by region",  # the verb
    "orders for may",                  # "for may": too loose
    "from 5 to 10",                    # numbers, no dates
    "between 2024-13-01 and 2024-14-01",  # no such months
    "on February 30",                  # no such day
    "in 20 days",
    "between 2024-01-05",              # "between" one date
    "a market report",                 # "mar" inside a word
])
def test_no_date(question):
    assert read(question) == []


def test_a_year_left_unsaid_comes_from_the_column():
    december = lambda: (pd.Timestamp("2024-12-01"), pd.Timestamp("2024-12-31"))
    two_years = lambda: (pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31"))
    from_march = lambda: (pd.Timestamp("2023-03-01"), pd.Timestamp("2024-02-28"))
    assert resolve_year(PartialDate(None, 12, 20), december) == 2024
    assert resolve_year(PartialDate(None, 11, 10), december) == 2024  # one year of data: its year, even outside it
    assert resolve_year(PartialDate(None, 5), two_years) is None  # May 2023 or May 2024: not guessed
    assert resolve_year(PartialDate(None, 5), from_march) == 2023  # only May 2023 lies in the data
    assert resolve_year(PartialDate(None, 2, 15), from_march) == 2024
    assert resolve_year(PartialDate(2019, 5), two_years) == 2019
    assert resolve_year(PartialDate(None, 5), lambda: (None, None)) is None


@pytest.mark.parametrize("question,days", [
    ("what share of commits were on saturday vs sunday?", (6, 7)),   # a list of days, side by side
    ("sales on tuesday, wednesday and friday", (2, 3, 5)),
    ("sales on mon-fri", (1, 2, 3, 4, 5)),                          # a range of days
    ("monday to friday sales", (1, 2, 3, 4, 5)),
    ("sales on mondays", (1,)),
])
def test_lists_and_ranges_of_day_names(question, days):
    _, calendar = mentions(question)
    assert [(c.part, c.values) for c in calendar] == [("weekday", days)]
