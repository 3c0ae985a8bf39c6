"""How the benchmarks read the run's first chart: the spec ``primary_chart`` returns, stated as the scorers read.

``primary_chart`` returns the spec the run writes for its first chart, with its plotted rows inline and
already filtered, aggregated and binned (``autoviz_pipeline/tools/vega.py``, ``with_data``). The scorers
(``benchmarks/realworld/score.py`` and the nl2vis kit's ``score.py``) read a declarative spec over the raw
table: its ``transform`` (executed on the table for the filter and top-N check), each channel's ``aggregate``
and ``bin``, and the mark of the first layer. Over the inline spec they would misread four things, which
:func:`scored_view` states as they read them:

- the transforms the rows went through are in ``usermeta.applied_transforms``: back into ``transform``;
- a row count is the ``sum`` of the rows' count column (a column the table does not have): a ``count`` again;
- a bin is ``bin: "binned"`` with the bin's end as ``x2``/``y2`` (a field the table does not have): a bin;
- a box plot is layers over the statistics computed from every row (whiskers, box, median, outliers), its
  first layer a ``rule``: the ``boxplot`` of its column. The box layer is found as Vega-Lite marks its own
  box plots' box: ``ariaRoleDescription: "box"``.

Nothing else changes; the inline rows are left out (the scorers ignore ``data``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from autoviz_pipeline.tools.vega import field_name, field_ref, title_text


def scored_view(spec: dict[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    """``spec`` (the run's inline spec) as the declarative spec over the table's ``columns`` it stands for."""
    columns = set(columns)
    out = {key: copy.deepcopy(value) for key, value in spec.items() if key not in ("data", "usermeta", "layer")}
    applied = (spec.get("usermeta") or {}).get("applied_transforms")
    if applied:
        out["transform"] = copy.deepcopy(applied)
    encoding = out.setdefault("encoding", {})
    layers = [layer for layer in spec.get("layer") or [] if isinstance(layer, dict)]
    if any(_is_box(layer) for layer in layers):
        out["mark"] = "boxplot"
        encoding["y"] = {"field": _box_column(layers, columns), "type": "quantitative"}
    for name, channel in list(encoding.items()):
        if not isinstance(channel, dict):
            continue
        if channel.get("bin") == "binned":
            channel["bin"] = True
            encoding.pop(f"{name}2", None)  # the bin's end
        field = channel.get("field")
        if channel.get("aggregate") == "sum" and isinstance(field, str) and field_name(field) not in columns:
            encoding[name] = {"aggregate": "count", "type": "quantitative", "title": channel.get("title")}
    return out


def _is_box(layer: dict[str, Any]) -> bool:
    mark = layer.get("mark")
    return isinstance(mark, dict) and mark.get("ariaRoleDescription") == "box"


def _box_column(layers: list[dict[str, Any]], columns: set[str]) -> str | None:
    """The column a layered box plot summarises (as a ``field``): its outliers' field (the layer with rows of its
    own), else the column its first layer's axis is titled by."""
    for layer in layers:
        field = ((layer.get("encoding") or {}).get("y") or {}).get("field")
        if "data" in layer and isinstance(field, str) and field_name(field) in columns:
            return field
    title = ((layers[0].get("encoding") or {}).get("y") or {}).get("title")
    return next((field_ref(c) for c in sorted(columns) if title_text(c) == title), title)


def predicted_spec(csv_path: Any, question: str) -> dict[str, Any]:
    """The benchmarks' prediction for a question: the run's first chart (``primary_chart``), as scored."""
    from autoviz_pipeline.api import cached_profile, primary_chart

    return scored_view(primary_chart(csv_path, question), cached_profile(csv_path).column_names)
