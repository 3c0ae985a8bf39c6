"""A bar chart's spec states the cut its bars make: the transforms it lists (``usermeta.applied_transforms``, what
a reader or a benchmark re-runs on the raw table) keep the bars it carries inline, no fewer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autoviz_pipeline.tools import get_tool, vega
from autoviz_pipeline.tools.charts import MAX_CATEGORIES
from autoviz_pipeline.tools.frame import json_records

from .scenegraph import items, render
from .test_support import make_profile

pytest.importorskip("vl_convert", reason="vl-convert-python renders the specs with a real Vega engine")


@pytest.mark.parametrize("x,bars", [("year", 100), ("city", MAX_CATEGORIES)])
def test_the_spec_cuts_what_the_bars_cut(x, bars):
    """100 years keep their 100 bars (numbers keep every value, in order); 100 cities are cut to the largest 60."""
    df = pd.DataFrame({"year": np.arange(1900, 2000), "city": [f"city {i:03d}" for i in range(100)],
                       "v": np.arange(100.0) % 17 + 1})
    tool = get_tool("bar_chart")
    out = tool.run(tool.params(x=x, y="v", aggregate="sum"), df, make_profile(df))
    assert len(out.spec["data"]["values"]) == bars
    raw = render({**out.chart.spec, "datasets": {vega.DATA_NAME: json_records(df)}})  # its transforms, raw rows
    assert len(items(raw, "rect")) == bars
    ranked = [t for t in out.spec["usermeta"].get("applied_transforms", []) if "filter" in t]
    assert ranked == ([] if bars == 100 else [{"filter": f"datum.__group_rank <= {MAX_CATEGORIES}"}])
