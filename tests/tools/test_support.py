"""Shared helpers for the tools tests: a profile built from a DataFrame, figure saving, Vega-Lite validation.

Kept in a ``test_*`` module (imported relatively) rather than a conftest so the helpers are plain functions.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from autoviz_pipeline.contracts import (
    ColumnProfile,
    DatasetProfile,
    ReadOptions,
    Role,
    TopValue,
)
from autoviz_pipeline.tools.registry import ToolOutput


def make_profile(df: pd.DataFrame, *, roles: dict[str, Role] | None = None, name: str = "test") -> DatasetProfile:
    """A profile like profiling would produce, from an already typed DataFrame."""
    roles = roles or {}
    columns = []
    for column in df.columns:
        series = df[column]
        if column in roles:
            role = roles[column]
        elif pd.api.types.is_datetime64_any_dtype(series):
            role = "temporal"
        elif pd.api.types.is_bool_dtype(series):
            role = "boolean"
        elif pd.api.types.is_numeric_dtype(series):
            role = "numeric"
        else:
            role = "categorical"
        present = series.dropna()
        numeric = role == "numeric"
        counts = present.astype(str).value_counts().head(5)
        columns.append(
            ColumnProfile(
                name=str(column),
                dtype=str(series.dtype),
                role=role,
                count=int(present.size),
                nulls=int(series.isna().sum()),
                distinct=int(present.nunique()),
                min=(float(present.min()) if numeric else str(present.min()))
                if len(present) and role in ("numeric", "temporal")
                else None,
                max=(float(present.max()) if numeric else str(present.max()))
                if len(present) and role in ("numeric", "temporal")
                else None,
                top_values=[TopValue(value=str(v), count=int(c)) for v, c in counts.items()],
                samples=[str(v) for v in present.astype(str).unique()[:5]],
            )
        )
    return DatasetProfile(
        path=f"{name}.csv",
        name=name,
        sha256="0" * 64,
        size_bytes=0,
        rows=len(df),
        columns=columns,
        read_options=ReadOptions(encoding="utf-8", delimiter=","),
    )


def save_figure(output: ToolOutput, tmp_path: Path, stem: str = "chart") -> tuple[Path, Path]:
    """Render the output's figure to PNG and SVG for real and check both files look right."""
    assert output.figure is not None, "a chart tool must return a figure"
    png, svg = tmp_path / f"{stem}.png", tmp_path / f"{stem}.svg"
    output.figure.savefig(png, format="png", dpi=60)
    output.figure.savefig(svg, format="svg")
    assert png.stat().st_size > 1000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    head = svg.read_bytes()[:200].lstrip()
    assert head.startswith((b"<?xml", b"<svg"))
    return png, svg


@functools.cache
def _validator() -> Any:
    """A jsonschema validator for the Vega-Lite v5 schema shipped inside altair (compiled once)."""
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is needed to validate Vega-Lite specs")
    try:
        altair_dir = importlib.resources.files("altair")
    except ModuleNotFoundError:
        pytest.skip("altair is not installed: it ships the Vega-Lite v5 JSON schema the specs are validated against")
    path = altair_dir / "vegalite" / "v5" / "schema" / "vega-lite-schema.json"
    if not path.is_file():
        pytest.skip("this altair has no Vega-Lite v5 schema (altair>=5,<6 ships vegalite/v5/schema)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def assert_valid_vega_lite(spec: dict[str, Any]) -> None:
    """The spec is valid Vega-Lite v5 and survives a JSON round trip (no NaN, no numpy, no Timestamps)."""
    text = json.dumps(spec, allow_nan=False)
    errors = sorted(_validator().iter_errors(json.loads(text)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message[:300]}" for e in errors[:5])
