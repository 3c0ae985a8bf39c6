"""Reading what a real Vega engine drew, and what a matplotlib figure drew, in the same terms.

Specs are rendered with vl-convert (the Vega-Lite compiler and the Vega runtime, in Deno) to a scenegraph:
nested groups of marks, each mark with its ``items`` (pixel positions, ``fill``/``stroke``, and an aria
``description`` that lists the datum as ``title: value; …``). The helpers here find marks, axis labels in
the order they are drawn, legend entries with their colours, and turn pixel positions back into data values
through an axis's tick labels. The matplotlib side reads the same things from a figure's artists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.axes import Axes

Node = dict[str, Any]


def render(spec: dict[str, Any], version: str | None = None) -> Node:
    """The scenegraph Vega draws for ``spec`` (a compile or parse error raises)."""
    import vl_convert as vlc

    options = {"vl_version": version} if version else {}
    return vlc.vegalite_to_scenegraph(json.loads(json.dumps(spec, allow_nan=False)), **options)


def nodes(node: Any) -> Iterator[Node]:
    """Every object of a scenegraph, depth first, in drawing order."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value)


def marks(node: Any) -> list[Node]:
    """Every mark (``role: mark``) in a scenegraph, nested ones included, in drawing order."""
    return [n for n in nodes(node) if "marktype" in n and n.get("role") == "mark"]


def items(scene: Node, marktype: str, *, role: str | None = None) -> list[Node]:
    """The items of every ``marktype`` mark; with ``role``, only those whose aria role description it is."""
    out = [item for m in marks(scene) if m["marktype"] == marktype for item in m.get("items", [])]
    return out if role is None else [item for item in out if item.get("ariaRoleDescription") == role]


def texts(node: Any, roles: set[str]) -> list[str]:
    """The text of every text mark item whose role is in ``roles`` (axis-title, legend-label, ...)."""
    return [str(item.get("text", "")) for n in nodes(node) if n.get("marktype") == "text" and n.get("role") in roles
            for item in n.get("items", [])]


def _axes(node: Any, orient: str) -> list[Node]:
    """The axis groups drawn at ``orient`` (bottom, left, ...)."""
    return [n for n in nodes(node) if n.get("orient") == orient and "items" in n and "marktype" not in n]


def axis_ticks(scene: Node, orient: str) -> list[tuple[float, str]]:
    """``(position, label)`` of each tick label of the axes at ``orient``, left to right or top to bottom."""
    along = "x" if orient in ("bottom", "top") else "y"
    out: list[tuple[float, str]] = []
    for axis in _axes(scene, orient):
        for m in axis["items"]:
            if m.get("role") == "axis-label":
                out += [(float(item[along]), plain(str(item["text"]))) for item in m["items"]]
    return sorted(out)


def axis_labels(scene: Node, orient: str) -> list[str]:
    return [label for _, label in axis_ticks(scene, orient)]


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


def pixel_to_value(scene: Node, orient: str = "left"):
    """A function turning a pixel position along a quantitative axis into its data value (from two ticks)."""
    ticks = [(pos, _number(label)) for pos, label in axis_ticks(scene, orient)]
    (p0, v0), (p1, v1) = ticks[0], ticks[-1]
    return lambda pixel: v0 + (pixel - p0) * (v1 - v0) / (p1 - p0)


def legend(scene: Any) -> list[tuple[str, str]]:
    """``(label, colour)`` of each symbol legend entry, top to bottom (the symbol's fill, else its stroke)."""
    found: list[tuple[str, str]] = []
    for entry in nodes(scene):
        roles = {m.get("role"): m for m in entry.get("items") or [] if isinstance(m, dict)}
        if "legend-symbol" in roles and "legend-label" in roles:
            (symbol,) = roles["legend-symbol"]["items"]
            (label,) = roles["legend-label"]["items"]
            found.append((plain(str(label["text"])), colour(symbol)))
    return found


def colour(item: Node) -> str:
    """A mark item's colour as ``#rrggbb``: its fill, or its stroke when it is not filled."""
    fill = item.get("fill")
    return hex_of(fill if fill and fill not in ("transparent", "none") else item["stroke"])


def described(item: Node) -> dict[str, str]:
    """The datum of an item, from its aria description ``title: value; title: value``."""
    out: dict[str, str] = {}
    for part in str(item.get("description", "")).split("; "):
        title, _, value = part.partition(": ")
        out[title] = value
    return out


def bars(scene: Node, *, role: str = "bar") -> list[tuple[float, float, float, str]]:
    """``(centre x, bottom, top, colour)`` of every bar of non-zero height, bottom and top counted upwards."""
    out = []
    for item in items(scene, "rect", role=role):
        y, y2 = float(item["y"]), float(item.get("y2", item["y"] + item.get("height", 0)))
        if abs(y2 - y) < 1e-9:
            continue
        out.append((float(item["x"]) + float(item["width"]) / 2, -max(y, y2), -min(y, y2), colour(item)))
    return out


# --------------------------------------------------------------------------------------------------
# matplotlib
# --------------------------------------------------------------------------------------------------
def hex_of(value: Any) -> str:
    """A colour as ``#rrggbb``, from matplotlib's forms or a CSS ``rgb(r, g, b)``."""
    css = re.fullmatch(r"rgb\((\d+), ?(\d+), ?(\d+)\)", value) if isinstance(value, str) else None
    if css:
        value = tuple(int(part) / 255 for part in css.groups())
    return mcolors.to_hex(value)


def mpl_ticks(ax: Axes, axis: str = "x") -> list[str]:
    """Tick labels left to right (x) or top to bottom (y), as drawn."""
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    if axis == "x":
        shown = [(ax.transData.transform((t, 0))[0], label.get_text()) for t, label in zip(ticks, labels)]
        return [text for _, text in sorted(shown)]
    shown = [(-ax.transData.transform((0, t))[1], label.get_text()) for t, label in zip(ticks, labels)]
    return [text for _, text in sorted(shown)]


def mpl_legend(ax: Axes) -> list[tuple[str, str]]:
    """``(label, colour)`` of each legend entry, top to bottom."""
    found = ax.get_legend()
    if found is None:
        return []
    out = []
    for text, handle in zip(found.get_texts(), found.legend_handles, strict=True):
        if hasattr(handle, "get_facecolor") and not hasattr(handle, "get_xdata"):
            face = handle.get_facecolor()
            face = face[0] if np.ndim(face) == 2 else face
        else:
            face = handle.get_color()
        out.append((text.get_text(), hex_of(face)))
    return out


def mpl_bars(ax: Axes) -> list[tuple[float, float, float, str]]:
    """``(centre x, bottom, top, colour)`` of every drawn bar of non-zero height."""
    out = []
    for patch in ax.patches:
        if not hasattr(patch, "get_height") or patch.get_height() == 0:
            continue
        x0, y0 = ax.transData.transform((patch.get_x(), patch.get_y()))
        x1, y1 = ax.transData.transform((patch.get_x() + patch.get_width(), patch.get_y() + patch.get_height()))
        out.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1), hex_of(patch.get_facecolor())))
    return out


def stack_colours(bar_list: list[tuple[float, float, float, str]]) -> list[list[str]]:
    """The bars' colours grouped by position along x (left to right), each group bottom to top."""
    columns: dict[float, list[tuple[float, str]]] = {}
    for x, bottom, _top, fill in bar_list:
        key = next((k for k in columns if abs(k - x) < 0.5), x)
        columns.setdefault(key, []).append((bottom, fill))
    return [[fill for _, fill in sorted(column)] for _, column in sorted(columns.items())]


def plain(label: str) -> str:
    """A label as both renderers show it: without matplotlib's ``$`` escape, line separators as spaces, and
    without the trailing space a spec gives a category Vega cannot take as a literal (``vega.literal``)."""
    return re.sub(r"\\\$", "$", label).replace("\u2028", " ").replace("\u2029", " ").strip()
