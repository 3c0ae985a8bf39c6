"""The artifact caps (issue #14, point 1): one model holds them, tables and specs are cut with a note before they
outgrow them, and a report folder is checked against them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from autoviz_pipeline.tools import vega
from autoviz_pipeline.tools.caps import CAPS, ArtifactCaps, artifact_violations, bounded_table, cap_for
from autoviz_pipeline.tools.registry import ToolOutput

from .test_support import assert_valid_vega_lite, make_profile


def test_the_caps_of_issue_14():
    assert (CAPS.svg_bytes, CAPS.png_bytes, CAPS.spec_bytes) == (2_000_000, 1_000_000, 1_000_000)
    assert (CAPS.table_csv_bytes, CAPS.report_html_bytes) == (10_000_000, 10_000_000)
    assert cap_for("04_outliers.vl.json") == ("spec_bytes", 1_000_000)
    assert cap_for("report.html") == ("report_html_bytes", 10_000_000)
    assert cap_for("manifest.json") is None and cap_for("report.md") is None


def test_a_small_table_is_left_alone():
    table = pd.DataFrame({"a": range(100), "b": ["x"] * 100})
    kept, note = bounded_table(table)
    assert kept is table and note is None


def test_a_table_over_its_cap_keeps_its_first_rows_and_says_so():
    table = pd.DataFrame({"id": [f"C{i:07d}" for i in range(20_000)], "v": np.arange(20_000) * 1.5})
    caps = ArtifactCaps(table_csv_bytes=100_000)
    kept, note = bounded_table(table, caps)
    assert 0 < len(kept) < len(table) and kept.equals(table.head(len(kept)))
    assert len(kept.to_csv(index=False).encode()) <= 100_000
    assert note == f"The table holds the first {len(kept):,} of 20,000 rows (a table CSV is kept within 0.1 MB)."


def test_every_tool_output_keeps_the_table_csv_cap():
    """12 MB of rows: the output holds the first ones that fit in 10 MB, with a note; the CSV written fits."""
    rows = 240_000
    table = pd.DataFrame({"customer": [f"customer number {i:09d}" for i in range(rows)], "total": np.arange(rows) / 7})
    assert len(table.to_csv(index=False).encode()) > CAPS.table_csv_bytes
    out = ToolOutput(title="t", finding="f", table=table, notes=["earlier note"])
    assert len(out.table.to_csv(index=False, float_format="%.12g").encode()) <= CAPS.table_csv_bytes
    assert out.table.iloc[0]["customer"] == "customer number 000000000"
    assert out.notes[0] == "earlier note" and out.notes[1].startswith(f"The table holds the first {len(out.table):,} ")


def test_a_spec_with_long_values_is_cut_to_its_byte_cap_with_a_note():
    df = pd.DataFrame({"label": ["x" * 1000 + str(i) for i in range(3000)], "v": np.arange(3000.0)})
    spec = vega.build_spec(title="t", mark="point", profile=make_profile(df),
                           encoding={"x": vega.group_channel("label", type="nominal"),
                                     "y": {"field": "v", "type": "quantitative"}})
    inline, notes = vega.with_data(spec, df)
    assert vega.spec_bytes(inline) <= CAPS.spec_bytes
    kept = len(inline["data"]["values"])
    assert 0 < kept < 3000
    assert notes == [f"The inline chart data holds the first {kept:,} of 3,000 rows (a spec is kept within 1 MB)."]
    assert_valid_vega_lite(inline)
    assert vega.rows_that_fit(spec, df.head(50), 5000) <= kept  # what a thinning tool asks first


def test_artifact_violations_names_each_file_over_its_cap(tmp_path):
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "01_a.svg").write_bytes(b"x" * 2_000_001)
    (tmp_path / "charts" / "01_a.png").write_bytes(b"x" * 1000)
    (tmp_path / "manifest.json").write_bytes(b"x" * 20_000_000)  # no cap of its own
    assert artifact_violations(tmp_path) == ["charts/01_a.svg: 2.00 MB > 2 MB (svg_bytes)"]
