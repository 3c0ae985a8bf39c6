"""Downsampling raw rows for drawing: lines by Largest-Triangle-Three-Buckets (Steinarsson 2013), in O(n), point
clouds by :func:`cover_sample`, and flagged points always kept (:func:`keep_flagged`).

A line with a million points draws as a solid band and writes a 100 MB SVG; a few thousand points chosen
well look the same. LTTB keeps the first and the last point, splits the rest into ``n - 2`` equal buckets
and keeps from each the point that makes the largest triangle with the point kept before it and the mean
of the next bucket, so peaks, dips and turns survive while flat stretches thin out. Here the series'
global maximum and minimum are always kept as well (a bucket holding one keeps it instead of its LTTB
choice), so a single spike is never lost and the drawn range is the real range.

A point cloud has no order to follow: a random sample keeps its density but loses the few points far from
the rest, which are often the ones that matter. :func:`cover_sample` keeps the extremes and one point of every
occupied cell of a grid over the cloud (an outlier sits in a cell of its own), then fills the budget with a
fixed random sample, so dense regions still look dense.

Only drawing uses this: findings and statistics are computed on every point before downsampling. Every choice
is deterministic (a fixed seed): the same file draws the same points on every run.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .frame import sample_positions

LTTB = "LTTB downsampling"
COVER = "the extremes, one point per occupied grid cell and a fixed random sample"
FLAGGED_SHARE = 0.8
"""Of a chart's point budget, at most this share goes to flagged points; the rest draws the others around them."""


def drawn_note(shown: int, total: int, how: str, *, unit: str = "with {} points",
               uses: str = "the finding uses every point") -> str:
    """What a chart drew of its data, for its notes: "Drawn with 2,000 of 100,000 points (LTTB downsampling); …";
    ``unit`` words the count ("at {} x values")."""
    return f"Drawn {unit.format(f'{shown:,} of {total:,}')} ({how}); {uses}."


def lttb_indices(x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """Sorted positions of the ``n`` points of ``(x, y)`` to draw (every position when ``n >= len(x)``).

    ``x`` must be increasing (dates as their integer nanoseconds); ``y`` finite. ``n`` below 3 keeps the
    ends only; with ``n = 3`` there is room for one extreme besides the ends. The result has exactly ``min(n, len(x))`` positions, the first and last among them.
    """
    x, y = _coordinates(x, y)
    size = len(x)
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


def _coordinates(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both coordinates as float arrays of one length."""
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length ({len(x)} and {len(y)})")
    return x, y


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


def axis_numbers(values: pd.Series) -> np.ndarray:
    """An axis' values as floats to downsample along: dates as nanoseconds (UTC), missing values as NaN."""
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values.dt.tz_convert(None) if values.dt.tz is not None else values
        numbers = stamps.to_numpy(dtype="datetime64[ns]").astype("int64").astype("float64")
        return np.where(values.isna().to_numpy(), np.nan, numbers)
    return values.to_numpy(dtype="float64", na_value=np.nan)


def cover_sample(x: np.ndarray, y: np.ndarray, n: int, *, seed: int = 0) -> np.ndarray:
    """Sorted positions of at most ``n`` points of ``(x, y)`` that draw like all of them (all when ``n >= len(x)``).

    In this order until ``n`` are chosen: the lowest and highest ``x`` and ``y`` (the drawn ranges are the real
    ones), the first point of each occupied cell of a grid of about ``n / 2`` cells spanning the points (no
    isolated point or outlying cluster is lost), then a fixed random sample of the others. Missing coordinates
    (NaN) count as the lowest cell; O(len log len), about 0.3 s for three million points.
    """
    x, y = _coordinates(x, y)
    size = len(x)
    if n >= size:
        return np.arange(size)
    if n <= 0:
        return np.arange(0)
    side = max(1, math.isqrt(n // 2))
    cell = _cells(x, side) * side + _cells(y, side)
    _, firsts = np.unique(cell, return_index=True)
    ends = [int(f(v)) for v in (x, y) if np.isfinite(v).any() for f in (np.nanargmin, np.nanargmax)]
    chosen = np.array(list(dict.fromkeys([*ends, *firsts.tolist()]))[:n], dtype=np.int64)
    rest = n - len(chosen)
    if rest > 0:
        others = np.ones(size, dtype=bool)
        others[chosen] = False
        pool = np.flatnonzero(others)
        chosen = np.r_[chosen, pool[sample_positions(len(pool), rest, seed=seed)]]
    return np.sort(chosen)


def _cells(v: np.ndarray, side: int) -> np.ndarray:
    """Each value's cell ``0..side-1`` along one axis, over the finite values' range (NaN: cell 0)."""
    finite = np.isfinite(v)
    if not finite.any():
        return np.zeros(len(v), dtype=np.int64)
    lo, hi = float(v[finite].min()), float(v[finite].max())
    span = hi - lo or 1.0
    scaled = np.nan_to_num((v - lo) / span * side, nan=0.0, posinf=side - 1, neginf=0.0)
    return np.clip(scaled.astype(np.int64), 0, side - 1)


def keep_flagged(x: np.ndarray, y: np.ndarray, flagged: np.ndarray, n: int, *,
                 line: bool = False) -> tuple[np.ndarray, str | None]:
    """Sorted positions of at most ``n`` points to draw, the flagged ones first, and how they were chosen.

    Flagged points take up to ``FLAGGED_SHARE`` of ``n`` (all of them when they fit; else :func:`cover_sample`
    of them, which keeps their extremes and every isolated one); the others fill the rest, by LTTB along ``x``
    when ``line`` (``x`` increasing: a line of raw values, whose peaks and dips it keeps), else by
    :func:`cover_sample`. The second value says how, for :func:`drawn_note`: ``None`` when every point is drawn.
    """
    x, y = _coordinates(x, y)
    flagged = np.asarray(flagged, dtype=bool)
    size = len(x)
    if size <= n:
        return np.arange(size), None
    marked = np.flatnonzero(flagged)
    room = max(int(n * FLAGGED_SHARE), 1)
    thinned = len(marked) > room
    if thinned:
        marked = marked[cover_sample(x[marked], y[marked], room)]
    left = n - len(marked)
    if line:
        others = lttb_indices(x, y, left)  # among every point: LTTB keeps the shape the flagged points sit in
    else:
        pool = np.flatnonzero(~flagged)
        others = pool[cover_sample(x[pool], y[pool], left)]
    chosen = np.union1d(marked, others)
    count = int(flagged.sum())
    if not thinned:
        how = f"all {count:,} flagged; the others by {LTTB if line else COVER}"
    elif line:
        how = f"{len(marked):,} of the {count:,} flagged by {COVER}; the others by {LTTB}"
    else:
        how = f"{len(marked):,} of the {count:,} flagged and {len(chosen) - len(marked):,} others, each by {COVER}"
    return chosen, how
