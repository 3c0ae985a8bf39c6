from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "data" / "examples"
DECEMBER = EXAMPLES / "december_revenue.csv"

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def december_profile():
    from autoviz_pipeline.profiling import profile_dataset

    return profile_dataset(DECEMBER)


@pytest.fixture
def write_csv(tmp_path):
    """Write bytes or text to a CSV file in tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write
