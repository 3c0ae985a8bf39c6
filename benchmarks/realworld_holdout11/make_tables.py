#!/usr/bin/env python3
"""Re-export the eleventh held-out corpus's tables into tables/ from the packages and public repositories that ship
the data (SOURCES.md).

One table is inside a Python package (statsmodels); five are read, at a pinned commit, from clones of five public
GitHub repositories of datahub.io's "core datasets" (all ODC-PDDL-1.0):

    pip install pandas==2.3.3 statsmodels==0.15.0
    git clone https://github.com/datasets/s-and-p-500-companies-financials /tmp/s-and-p-500-companies-financials
    git clone https://github.com/datasets/exchange-rates /tmp/exchange-rates
    git clone https://github.com/datasets/covid-19 /tmp/covid-19
    git clone https://github.com/datasets/un-locode /tmp/un-locode
    git clone https://github.com/datasets/eu-emissions-trading-system /tmp/eu-emissions-trading-system
    python benchmarks/realworld_holdout11/make_tables.py [OUTDIR]

A clone folder can be moved with the environment variable named beside it below (SP500_REPO, FX_REPO, COVID_REPO,
LOCODE_REPO, ETS_REPO); a bare git directory works too. None of these tables is used by benchmarks/realworld,
benchmarks/realworld_holdout ... realworld_holdout10 or shared/bench/realworld (as listed to the writer), none is in
vega_datasets, palmerpenguins, pydataset or the Rdatasets collection, and none is a copy of the iris, auto-mpg,
mtcars, movies, Sample Superstore, titanic, tips, diamonds or gapminder tables.
"""
import io
import os
import subprocess
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import table_export  # noqa: E402  (benchmarks/table_export.py: the output folder and save(), shared)

save = table_export.saver(__file__)
tidy = table_export.tidy  # categories plain, whole floats as integers, single precision kept

SP500_COMMIT = "44d0ca307550c1615663da85fae5e79efbc7b3a1"
FX_COMMIT = "fa7d949956d1db1d21102654b1f40d64d2568677"
COVID_COMMIT = "daefa2fe355b1900e0f3b2e206512d54432cab92"
LOCODE_COMMIT = "b1309b37edea63334a819a78c22b8967f61c37ad"
ETS_COMMIT = "82336bc6548e09946560a295d5949ba95c4685f7"


def git_csv(env: str, default: str, commit: str, path: str, **kw) -> pd.DataFrame:
    """One CSV file of a git clone, as it is at `commit` (so later updates of the repository change nothing)."""
    repo = os.environ.get(env, default)
    if not os.path.isdir(repo):
        sys.exit(f"make_tables.py: no clone at {repo!r}; see this script's docstring for the git clone commands")
    text = subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], check=True, capture_output=True,
                          text=True).stdout
    return pd.read_csv(io.StringIO(text), **kw)


# datahub.io core "s-and-p-500-companies-financials": one row per S&P 500 constituent (503), all 14 columns as
# shipped (`Sector` holds the GICS sub-industry, as shipped; `SEC Filings` a URL).
save(tidy(git_csv("SP500_REPO", "/tmp/s-and-p-500-companies-financials", SP500_COMMIT,
                  "data/constituents-financials.csv")), "sp500_financials.csv")

# datahub.io core "exchange-rates" (US Federal Reserve H.10 via FRED): monthly averages, one row per country and
# month, 1971-01 ... 2026-06, the 3 columns as shipped (`Date` is the first of the month, YYYY-MM-DD).
save(tidy(git_csv("FX_REPO", "/tmp/exchange-rates", FX_COMMIT, "data/monthly.csv")), "fed_exchange_rates_monthly.csv")

# datahub.io core "covid-19" (JHU CSSE): cumulative confirmed cases, one row per day (2020-01-22 ... 2022-04-16),
# one column per key country, as shipped.
save(tidy(git_csv("COVID_REPO", "/tmp/covid-19", COVID_COMMIT, "data/key-countries-pivoted.csv")),
     "covid_key_countries.csv")

# datahub.io core "un-locode" (UNECE UN/LOCODE): one row per country subdivision (ISO 3166-2), the 4 columns as
# shipped. Read as text without NA parsing, so Namibia's code "NA" stays as written (a CSV reader that treats "NA"
# as missing will read it as a gap).
save(git_csv("LOCODE_REPO", "/tmp/un-locode", LOCODE_COMMIT, "data/subdivision-codes.csv", dtype=str,
             keep_default_na=False), "un_subdivisions.csv")

# datahub.io core "eu-emissions-trading-system" (European Environment Agency, EU ETS data viewer): verified
# emissions per ETS activity sector and year, 2005-2025, the 3 columns as shipped.
save(tidy(git_csv("ETS_REPO", "/tmp/eu-emissions-trading-system", ETS_COMMIT, "data/eu-ets-sector-emissions.csv")),
     "eu_ets_sector_emissions.csv")

# statsmodels: star98, California school districts' 1998 math results (Jeff Gill, "Generalized Linear Models: A
# Unified Approach"), one row per district (303), all 22 columns as shipped (the last 7 are products of the others).
import statsmodels.api as sm  # noqa: E402

save(tidy(sm.datasets.star98.load_pandas().data), "star98_districts.csv")
