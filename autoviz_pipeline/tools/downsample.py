"""Downsampling a line for drawing: Largest-Triangle-Three-Buckets (Steinarsson 2013), in O(n).

A line with a million points draws as a solid band and writes a 100 MB SVG; a few thousand points chosen
well look the same. LTTB keeps the first and the last point, splits the rest into ``n - 2`` equal buckets
and keeps from each the point that makes the largest triangle with the point kept before it and the mean
of the next bucket, so peaks, dips and turns survive while flat stretches thin out. Here the series'
global maximum and minimum are always kept as well (a bucket holding one keeps it instead of its LTTB
choice), so a single spike is never lost and the drawn range is the real range.

Only drawing uses this: findings and statistics are computed on every point before downsampling.
"""

from __future__ import annotations

import numpy as np


def lttb_indices(x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """Sorted positions of the ``n`` points of ``(x, y)`` to draw (every position when ``n >= len(x)``).

    ``x`` must be increasing (dates as their integer nanoseconds); ``y`` finite. ``n`` below 3 keeps the
    ends only; with ``n = 3`` there is room for one extreme besides the ends. The result has exactly ``min(n, len(x))`` positions, the first and last among them.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    size = len(x)
    if len(y) != size:
        raise ValueError(f"x and y differ in length ({size} and {len(y)})")
    if n >= size:
        return np.arange(size)
    if n <= 2:
        return np.array([0, size - 1][: max(n, 0)], dtype=np.int64)
    # buckets over the interior points 1..size-2: bucket i holds positions edges[i]..edges[i+1]-1
    edges = (1 + np.floor(np.arange(n - 1) * (size - 2) / (n - 2))).astype(np.int64)
    edges[-1] = size - 1
    sums_x = np.add.reduceat(x[1:-1], edges[:-1] - 1)
    sums_y = np.add.reduceat(y[1:-1], edges[:-1] - 1)
    counts = np.diff(edges)
    mean_x, mean_y = sums_x / counts, sums_y / counts
    chosen = np.empty(n, dtype=np.int64)
    chosen[0], chosen[-1] = 0, size - 1
    a = 0
    for i in range(n - 2):
        lo, hi = edges[i], edges[i + 1]
        # the next bucket's mean; after the last bucket, the last point
        cx, cy = (mean_x[i + 1], mean_y[i + 1]) if i + 1 < n - 2 else (x[-1], y[-1])
        ax, ay = x[a], y[a]
        area = np.abs((ax - cx) * (y[lo:hi] - ay) - (ax - x[lo:hi]) * (cy - ay))
        a = lo + int(np.argmax(area))
        chosen[i + 1] = a
    return _keep_extremes(chosen, edges, y)


def _keep_extremes(chosen: np.ndarray, edges: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Put the global maximum and minimum in place of their bucket's choice (the ends are kept anyway).

    Should both fall in one bucket, the second takes the slot of a neighbouring bucket, so the count stays.
    """
    out = chosen.copy()
    extremes = [p for p in dict.fromkeys((int(np.argmax(y)), int(np.argmin(y)))) if 0 < p < len(y) - 1]
    # slot of a position: its bucket's index + 1 (slot 0 holds the first point)
    slots = {p: int(np.searchsorted(edges, p, side="right")) for p in extremes}
    taken = {slots[p] for p in extremes if out[slots[p]] == p}
    for position in extremes:
        if out[slots[position]] == position:
            continue
        slot = slots[position]
        if slot in taken:  # the other extreme holds this bucket: take a neighbouring bucket's slot
            slot = slot + 1 if slot + 1 < len(out) - 1 else slot - 1
            if slot < 1:  # a single bucket (n = 3) has room for one of them only
                continue
        out[slot] = position
        taken.add(slot)
    return np.sort(out)
