#!/usr/bin/env python3
"""Re-export the tenth held-out corpus's tables into tables/ from the packages and public repositories that ship the
data (SOURCES.md).

Four tables are inside Python packages; two are read, at a pinned commit, from clones of two public GitHub repositories
of datahub.io's "core datasets" (both ODC-PDDL-1.0):

    pip install pandas==2.3.3 arch==8.0.0 pvlib==0.16.1 bokeh_sampledata==2026.1 ISLP==0.6.0
    git clone https://github.com/datasets/football-datasets /tmp/football-datasets
    git clone https://github.com/datasets/pharmaceutical-drug-spending /tmp/pharmaceutical-drug-spending
    python benchmarks/realworld_holdout10/make_tables.py [OUTDIR]

The two clone folders can be moved with the environment variables FOOTBALL_REPO and PHARMA_REPO (a bare git directory
works too). None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout ... realworld_holdout9
or shared/bench/realworld (as listed to the writer), none is in vega_datasets, palmerpenguins, pydataset or the
Rdatasets collection, and none is a copy of the iris, auto-mpg, mtcars, movies, Sample Superstore, titanic, tips,
diamonds or gapminder tables.
"""
import io
import json
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

FOOTBALL_COMMIT = "436a51f15258e7d0c6042c231227202b70a5a0ae"
PHARMA_COMMIT = "733445ef52837c7bf915765924ef6dd8bd6afbe7"


def git_csv(repo: str, commit: str, path: str) -> pd.DataFrame:
    """One CSV file of a git clone, as it is at `commit` (so later updates of the repository change nothing)."""
    if not os.path.isdir(repo):
        sys.exit(f"make_tables.py: no clone at {repo!r}; see this script's docstring for the git clone commands")
    text = subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], check=True, capture_output=True,
                          text=True).stdout
    return pd.read_csv(io.StringIO(text))


# datahub.io core "football-datasets" (data from football-data.co.uk): English Premier League results, the ten seasons
# 2009-10 ... 2018-19 (380 matches each), all 22 columns as shipped, plus `Season` ("2009-10"), the file's season.
football = os.environ.get("FOOTBALL_REPO", "/tmp/football-datasets")
seasons = []
for start in range(2009, 2019):
    tag = f"{start % 100:02d}{(start + 1) % 100:02d}"
    s = git_csv(football, FOOTBALL_COMMIT, f"datasets/premier-league/season-{tag}.csv")
    s.insert(0, "Season", f"{start}-{(start + 1) % 100:02d}")
    seasons.append(s)
save(tidy(pd.concat(seasons, ignore_index=True)), "premier_league_matches.csv")

# datahub.io core "pharmaceutical-drug-spending" (OECD Health Statistics, indicator PHARMAEXP): one row per country
# and year, all 6 columns as shipped.
pharma = os.environ.get("PHARMA_REPO", "/tmp/pharmaceutical-drug-spending")
save(tidy(git_csv(pharma, PHARMA_COMMIT, "data/data.csv")), "oecd_drug_spending.csv")

# pvlib: the CEC list of grid-tied inverters as prepared for NREL's SAM (sam-library-cec-inverters-2019-03-05.csv):
# one row per inverter, all 17 columns as shipped (the file's two header rows of units and SAM names are left out);
# `CEC_Date` written as YYYY-MM-DD ("n/a" left empty); plus `Manufacturer`, the part of `Name` before its first colon.
import pvlib  # noqa: E402

inv = pd.read_csv(os.path.join(os.path.dirname(pvlib.__file__), "data", "sam-library-cec-inverters-2019-03-05.csv"),
                  skiprows=[1, 2], na_values=["n/a"])
inv["CEC_Date"] = pd.to_datetime(inv["CEC_Date"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d")
inv.insert(1, "Manufacturer", inv["Name"].str.split(":").str[0].str.strip())
save(tidy(inv), "cec_inverters.csv")

# arch: daily prices of the NASDAQ Composite index, 1999-01-04 ... 2018-12-31 (arch.data.nasdaq.load()), all 6 columns
# as shipped; the frame's date index is written as the column `Date` (YYYY-MM-DD).
import arch.data.nasdaq  # noqa: E402

nasdaq = arch.data.nasdaq.load()
nasdaq.index = nasdaq.index.strftime("%Y-%m-%d")
nasdaq.index.name = "Date"
save(tidy(nasdaq.reset_index()), "nasdaq_daily.csv")

# bokeh_sampledata: medal counts by country at the 2014 Winter Olympics (Sochi), olympics2014.json: one row per
# country (87), its keys `name`, `abbr` and the medals' `gold`, `silver`, `bronze`, `total` as shipped.
import bokeh_sampledata  # noqa: E402

with open(os.path.join(os.path.dirname(bokeh_sampledata.__file__), "_data", "olympics2014.json")) as f:
    rows = [{"name": c["name"], "abbr": c["abbr"], **{k: c["medals"][k] for k in ("gold", "silver", "bronze", "total")}}
            for c in json.load(f)["data"]]
save(pd.DataFrame(rows), "sochi_2014_medals.csv")

# ISLP: Publication, NHLBI-funded clinical trials and whether/when their results were published (Gordon et al. 2013),
# as shipped (all 9 columns).
from ISLP import load_data  # noqa: E402

save(tidy(load_data("Publication")), "nhlbi_trials.csv")
