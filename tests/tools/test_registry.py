"""The registry: names, lookups, and params models fit to become LLM schemas."""

from __future__ import annotations

import sys
from types import MappingProxyType

import pandas as pd
import pytest
from matplotlib.figure import Figure
from pydantic import ValidationError

from autoviz_pipeline.tools import TOOLS, get_tool
from autoviz_pipeline.tools.registry import ColumnParam, UnknownToolError, column_params

from .test_support import make_profile

EXPECTED = {
    "bar_chart", "line_chart", "scatter_plot", "histogram", "box_plot", "pie_chart", "heatmap",
    "correlation_heatmap", "anomaly_detection", "aggregate_table", "summary_statistics",
}  # fmt: skip


def test_registry_is_read_only_and_complete():
    assert isinstance(TOOLS, MappingProxyType)
    assert set(TOOLS) == EXPECTED
    assert all(name == tool.name for name, tool in TOOLS.items())
    with pytest.raises(TypeError):
        TOOLS["new"] = TOOLS["bar_chart"]  # type: ignore[index]


def test_unknown_tool_lists_the_known_ones():
    with pytest.raises(UnknownToolError) as info:
        get_tool("pie_chrat")
    assert info.value.known == tuple(sorted(EXPECTED))
    assert "bar_chart" in str(info.value)


def test_kinds_and_spec_builders():
    for tool in TOOLS.values():
        assert (tool.chart_spec is not None) == (tool.kind == "chart")
        assert tool.description


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_param_is_described_for_the_llm(name):
    model = get_tool(name).params
    assert model.model_config["frozen"] and model.model_config["extra"] == "forbid"
    schema = model.model_json_schema()
    missing = [field for field, prop in schema["properties"].items() if not prop.get("description")]
    assert not missing, f"{name}: fields without description: {missing}"
    assert model.__doc__


def test_column_params_are_typed_by_role():
    assert column_params(get_tool("bar_chart").params) == {
        "x": (ColumnParam("group"), False),
        "y": (ColumnParam("numeric"), False),
        "color": (ColumnParam("group"), False),
    }
    assert column_params(get_tool("correlation_heatmap").params) == {"columns": (ColumnParam("numeric"), True)}
    assert column_params(get_tool("aggregate_table").params)["group_by"] == (ColumnParam("group"), True)
    assert column_params(get_tool("summary_statistics").params)["columns"] == (ColumnParam("any"), True)
    assert column_params(get_tool("scatter_plot").params)["x"] == (ColumnParam("any"), False)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("bar_chart", {"x": "a", "top_n": 0}),
        ("bar_chart", {"x": "a", "x_bin": 101}),
        ("bar_chart", {"x": "a", "colour": "b"}),
        ("histogram", {"column": "a", "bins": 1}),
        ("aggregate_table", {"group_by": []}),
        ("aggregate_table", {"group_by": ["a", "b", "c", "d"]}),
        ("correlation_heatmap", {"columns": [f"c{i}" for i in range(16)]}),
        ("pie_chart", {"category": "a", "aggregate": "average"}),
    ],
)
def test_params_are_bounded(name, params):
    with pytest.raises(ValidationError):
        get_tool(name).params(**params)


def test_a_charts_spec_alone_is_the_spec_its_run_returns_and_draws_nothing(monkeypatch):
    df = pd.DataFrame({"d": pd.date_range("2015-01-01", periods=6), "g": ["a", "b", "c"] * 2,
                       "v": [1.0, 2.0, 3.0, 5.0, 8.0, 40.0], "w": [3, 1, 4, 1, 5, 9]})
    profile = make_profile(df)
    params = {
        "bar_chart": {"x": "g", "y": "v"}, "line_chart": {"x": "d", "y": "v"}, "scatter_plot": {"x": "v", "y": "w"},
        "histogram": {"column": "v"}, "box_plot": {"column": "v", "by": "g"}, "pie_chart": {"category": "g"},
        "heatmap": {"x": "g", "y": "d"}, "correlation_heatmap": {}, "anomaly_detection": {"column": "v"},
    }  # fmt: skip
    assert set(params) == {name for name, tool in TOOLS.items() if tool.kind == "chart"}
    alone = {}
    with monkeypatch.context() as patch:
        def no_drawing(*args, **kwargs):
            raise AssertionError("chart_spec drew a figure")

        patch.setattr(Figure, "__init__", no_drawing)
        for name, raw in params.items():
            tool = get_tool(name)
            alone[name] = tool.chart_spec(tool.params(**raw), df, profile)
    for name, raw in params.items():
        tool = get_tool(name)
        ran = tool.run(tool.params(**raw), df, profile)
        assert ran.figure is not None and alone[name] == ran.spec, name
        assert alone[name]["data"]["values"], name


def test_core_imports_no_dagster_and_no_pyplot():
    """The core runs without Dagster and never touches pyplot's global state (checked in a fresh interpreter)."""
    import subprocess

    code = (
        "import sys; import autoviz_pipeline.api, autoviz_pipeline.execution, autoviz_pipeline.report, "
        "autoviz_pipeline.tools; "
        "bad = [m for m in sys.modules if m == 'dagster' or m.startswith('dagster.') or m == 'matplotlib.pyplot']; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
