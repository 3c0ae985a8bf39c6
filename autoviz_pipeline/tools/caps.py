"""The size caps every artifact of a report keeps, whatever the row count (issue #14, point 1), in one place.

A chart of raw rows draws a bounded number of points (the rest are downsampled, and the notes say how), a
spec carries a bounded number of rows and bytes, a table CSV and ``report.html`` are cut, with a note, before
they outgrow their caps. The tools, the report and ``benchmarks/scale.py`` read the numbers here;
:func:`artifact_violations` is the one check of a report folder against them (the benchmark and the tests).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

MB = 1_000_000


class ArtifactCaps(BaseModel):
    """Most bytes a report's files may hold, and the point budgets that keep the charts inside them."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    svg_bytes: int = Field(2 * MB, gt=0, description="a chart's SVG")
    png_bytes: int = Field(1 * MB, gt=0, description="a chart's PNG")
    spec_bytes: int = Field(1 * MB, gt=0, description="a Vega-Lite spec as written (indented), inline data included")
    table_csv_bytes: int = Field(10 * MB, gt=0, description="an exported table CSV; longer tables are cut, with a note")
    report_html_bytes: int = Field(10 * MB, gt=0, description="report.html, embedded PNGs and specs included")
    spec_rows: int = Field(5000, gt=0,
                           description="rows a spec carries inline; also the most raw points one chart draws")
    vector_points: int = Field(
        2000, gt=0, description="above this many points of their own sizes, a scatter's points are an image inside "
                                "the SVG (each would be a ~650-byte path; points of one size share one shape)")


CAPS = ArtifactCaps()

_CAP_OF = {".svg": "svg_bytes", ".png": "png_bytes", ".vl.json": "spec_bytes", ".csv": "table_csv_bytes",
           "report.html": "report_html_bytes"}


def cap_for(name: str, caps: ArtifactCaps = CAPS) -> tuple[str, int] | None:
    """``(field, bytes)`` of the cap a report file of this name keeps, or ``None`` for a file without one."""
    for ending, field in _CAP_OF.items():
        if name.endswith(ending):
            return field, getattr(caps, field)
    return None


def artifact_violations(out_dir: str | Path, caps: ArtifactCaps = CAPS) -> list[str]:
    """One line per file of a report folder over its cap, e.g.
    ``charts/04_outliers.svg: 274.18 MB > 2 MB (svg_bytes)``; empty when every file keeps its cap."""
    out = Path(out_dir)
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        found = cap_for(path.name, caps)
        size = path.stat().st_size
        if found is not None and size > found[1]:
            lines.append(f"{path.relative_to(out).as_posix()}: {size / MB:.2f} MB > {found[1] / MB:g} MB ({found[0]})")
    return lines


def bounded_table(table: pd.DataFrame, caps: ArtifactCaps = CAPS) -> tuple[pd.DataFrame, str | None]:
    """``table``, or its first rows when its CSV would outgrow ``caps.table_csv_bytes``, and the note saying so.

    Tools sort their tables most telling first (the largest groups, the most extreme anomalies), so the first
    rows are the ones to keep. The size is estimated on a sample of rows and, when near the cap, measured.
    """
    from .frame import sample_positions  # caps is imported by frame

    cap = caps.table_csv_bytes
    if table.empty:
        return table, None
    sample = table.iloc[sample_positions(len(table), 1000)]
    per_row = _csv_bytes(sample) / len(sample)
    if per_row * len(table) <= cap / 2:
        return table, None
    # measured from the rows the estimate keeps, not the whole table (465,000 flagged rows of 10 M: 7 s of CSV)
    kept = min(len(table), int(cap / per_row))
    size = _csv_bytes(table.head(kept))
    while size > cap and kept:
        kept = int(kept * cap / size * 0.95)
        size = _csv_bytes(table.head(kept))
    if kept == len(table):
        return table, None
    return table.head(kept), (f"The table holds the first {kept:,} of {len(table):,} rows "
                              f"(a table CSV is kept within {cap / MB:g} MB).")


def _csv_bytes(table: pd.DataFrame) -> int:
    """About what the table's CSV export takes (floats written in full: a little more than the export's)."""
    return len(table.to_csv(index=False).encode("utf-8"))
