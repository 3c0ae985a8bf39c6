"""Every artifact within its cap on a generated 2 M-row file (issue #14, "Measured"): the CLI's entry point
(`autoviz run`, in-process) on benchmarks/scale_data.py's sales file, for the questions whose charts draw raw
rows (anomalies over time, a scatter) and the overview; the anomaly specs carry the flagged rows that matter.
About 25 s on two cores, most of it writing the file and its columnar cache."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from autoviz_pipeline.cli import main
from autoviz_pipeline.tools.caps import CAPS, artifact_violations
from autoviz_pipeline.tools.downsample import FLAGGED_SHARE
from tests.conftest import ROOT

ROWS = 2_000_000


@pytest.fixture(scope="module")
def big_sales(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("scale_data", ROOT / "benchmarks" / "scale_data.py")
    scale_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale_data)
    work = tmp_path_factory.mktemp("caps")
    path = scale_data.write_sales(work / "sales_2m.csv", ROWS)
    with pytest.MonkeyPatch.context() as env:
        for name in ("storage", "outputs", "cache"):
            env.setenv(f"AUTOVIZ_{name.upper()}_DIR", str(work / name))
        env.delenv("DAGSTER_HOME", raising=False)
        yield path, work


@pytest.mark.parametrize(("question", "tool"), [
    ("any unusual days in daily revenue", "anomaly_detection"),
    ("relationship between units and revenue", "scatter_plot"),
    ("give an overview", "anomaly_detection"),
])
def test_every_artifact_keeps_its_cap_on_two_million_rows(big_sales, question, tool):
    path, work = big_sales
    out = work / question.replace(" ", "_")
    assert main(["run", str(path), question, "--out", str(out)]) == 0
    assert artifact_violations(out) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    charts = [c for c in manifest["charts"] if c["tool"] == tool]
    assert charts and all((out / c[k]).is_file() for c in charts for k in ("png", "svg", "spec_path"))
    for chart in charts:
        spec = json.loads((out / chart["spec_path"]).read_text(encoding="utf-8"))
        assert 0 < len(spec["data"]["values"]) <= CAPS.spec_rows
        assert any(note.startswith("Drawn with ") and " of 2,000,000 points (" in note for note in chart["notes"])
        if tool == "anomaly_detection":
            _check_flagged_rows(out, chart, spec)


def _check_flagged_rows(out: Path, chart: dict, spec: dict) -> None:
    """The flagged rows drawn take 4/5 of the points at least (there are ~90,000; LTTB may choose more for the
    line of raw values), the most extreme row of the table among them."""
    flagged = [r for r in spec["data"]["values"] if r["anomaly"] == "flagged"]
    assert len(flagged) >= int(CAPS.spec_rows * FLAGGED_SHARE)
    column = spec["encoding"]["y"]["field"]
    (table,) = (out / "tables").glob(f"{Path(chart['spec_path']).name.split('.')[0]}.csv")
    with table.open(encoding="utf-8", newline="") as fh:
        most_extreme = float(next(csv.DictReader(fh))[column])
    assert most_extreme == max(r[column] for r in flagged) == max(r[column] for r in spec["data"]["values"])
