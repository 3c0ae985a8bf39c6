#!/usr/bin/env python3
"""Re-export the sixth held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 statsmodels causaldata plotly scikit-learn
    pip install --no-deps ISLP
    python benchmarks/realworld_holdout6/make_tables.py [OUTDIR]

(ISLP is installed with --no-deps: load_data() only needs pandas, numpy and scikit-learn.)

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout ... realworld_holdout5 or
shared/bench/realworld (as listed to the writer), none is shipped by vega_datasets, palmerpenguins or pydataset (nor
is the same data as one of pydataset's R datasets), and none is a copy of the iris, auto-mpg, mtcars, movies,
Sample Superstore, titanic, tips or diamonds tables.
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


def single_precision(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold single-precision values (read as doubles: 7.593977928161621) are written at single
    precision (7.593978), which is the value as recorded."""
    df = whole_floats_as_int(df)
    return df.astype({c: "float32" for c in df.columns if df[c].dtype in ("float32", "float64")})


# causaldata: castle-doctrine ("stand your ground") laws and crime, US states 2000-2010 (Cheng & Hoekstra 2013).
# The shipped table has 139 columns; the 23 that describe the state-year are kept (year, state id, treatment, crime
# rates, justifiable homicides, economy and demography, logged covariates, population weight). Left out: the 40
# region-quarter dummies r20001-r20104, the 51 state trends trend_1-trend_51, the 15 event-time dummies
# lead1-lead9/lag0-lag5, and the logged copies l_homicide, l_larceny, l_motor, l_lagprisoner, l_exp_subsidy,
# l_exp_pubwelfare.
from causaldata import castle, organ_donations  # noqa: E402

cas = castle.load_pandas().data
keep = ["year", "sid", "post", "homicide", "murder", "robbery", "assault", "burglary", "larceny", "motor",
        "robbery_gun_r", "jhcitizen_c", "jhpolice_c", "unemployrt", "poverty", "blackm_15_24", "whitem_15_24",
        "blackm_25_44", "whitem_25_44", "l_police", "l_income", "l_prisoner", "popwt"]
cas = single_precision(cas[keep])
cas["poverty"] = cas["poverty"].round(4)   # shipped as a double with 12+ digits; 4 decimals of a percent
cas["popwt"] = cas["popwt"].round().astype(int)   # a state population, stored as a float (4499293.0)
save(cas, "castle_doctrine_states.csv")

# causaldata: organ-donor registration rate by state and quarter, Q4 2010 - Q1 2012 (Kessler & Roth 2014), as
# shipped (State, Quarter "Q42010", Rate, Quarter_Num).
save(organ_donations.load_pandas().data, "organ_donations.csv")

# statsmodels: monthly sea surface temperature of the El Nino region, 1950-2010, shipped wide (YEAR, then one column
# per month JAN ... DEC). Written long: one row per month, the month's column name in a new column MONTH, its
# temperature in a new column TEMP, and the first day of the month as a date in a new column DATE.
import statsmodels.datasets as smd  # noqa: E402

nino = smd.elnino.load_pandas().data
months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
nino["YEAR"] = nino["YEAR"].astype(int)
long = nino.melt(id_vars=["YEAR"], value_vars=months, var_name="MONTH", value_name="TEMP").dropna(subset=["TEMP"])
long["DATE"] = pd.to_datetime(dict(year=long["YEAR"], month=long["MONTH"].map(months.index) + 1, day=1))
long = long.sort_values("DATE").reset_index(drop=True)
long["DATE"] = long["DATE"].dt.strftime("%Y-%m-%d")
save(long[["DATE", "YEAR", "MONTH", "TEMP"]], "elnino_sst.csv")

# ISLP: wages of 3,000 male workers in the US Mid-Atlantic region, 2003-2009 (ISLR2 Wage), as shipped.
# ISLP: US colleges and universities, US News & World Report 1995 (ISLR2 College; the package has no name column).
# ISLP: brain cancer patients treated with stereotactic radiation (ISLR2 BrainCancer), as shipped.
from ISLP import load_data  # noqa: E402

save(plain(load_data("Wage")), "mid_atlantic_wages.csv")
save(plain(load_data("College")), "us_colleges_1995.csv")
save(plain(load_data("BrainCancer")), "brain_cancer.csv")

# plotly: wind frequency by compass direction (16) and speed band (8), as shipped in plotly.express.data.wind().
import plotly.express as px  # noqa: E402

save(px.data.wind(), "wind_rose.csv")
