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


def cover_sample(x: np.ndarray, y: np.ndarray, n: int, *, seed: int = 0,
                 among: np.ndarray | None = None) -> np.ndarray:
    """Sorted positions of at most ``n`` points of ``(x, y)`` that draw like all of them (all when ``n >= len(x)``).

    In this order until ``n`` are chosen: the lowest and highest ``x`` and ``y`` (the drawn ranges are the real
    ones), the first point of each occupied cell of a grid of about ``n / 2`` cells spanning the points (no
    isolated point or outlying cluster is lost), then a fixed random sample of the others. Missing coordinates
    (NaN) count as the lowest cell. ``among``: a mask of the points to choose from, as if only those were given
    (without copying them: ten million points take 76 MB a coordinate). O(len), no sort of the points.
    """
    x, y = _coordinates(x, y)
    members = np.ones(len(x), dtype=bool) if among is None else np.asarray(among, dtype=bool)
    size = len(x) if among is None else int(members.sum())
    if n >= size:
        return np.arange(size) if among is None else np.flatnonzero(members)
    if n <= 0:
        return np.arange(0)
    side = max(1, math.isqrt(n // 2))
    cell = _cells(x, side, members)
    cell *= side
    cell += _cells(y, side, members)
    if among is not None:
        cell[~members] = side * side  # a cell of its own, left out below
    firsts = _first_positions(cell, side * side + 1)
    firsts = firsts[cell[firsts] < side * side]
    del cell
    ends = []
    for v in (x, y):
        v = v if among is None else np.where(members, v, np.nan)
        if np.isfinite(v).any():
            ends += [int(np.nanargmin(v)), int(np.nanargmax(v))]
    chosen = np.array(list(dict.fromkeys([*ends, *firsts.tolist()]))[:n], dtype=np.int64)
    rest = n - len(chosen)
    if rest > 0:
        others = members.copy()
        others[chosen] = False
        pool = np.flatnonzero(others)
        chosen = np.r_[chosen, pool[sample_positions(len(pool), rest, seed=seed)]]
    return np.sort(chosen)


def _first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """The position of each code's first occurrence, in code order, for the codes ``0..count-1`` that occur.

    What ``np.unique(codes, return_index=True)[1]`` returns, in O(len) instead of a sort of every code: 0.1 s
    instead of 6.5 s for ten million codes on a loaded 2-core machine (scatter and anomaly charts of 10 M rows).
    """
    first = np.full(count, len(codes), dtype=np.int64)
    step = 1 << 20
    for start in range(0, len(codes), step):  # a million positions at a time, not an index of every one
        part = codes[start:start + step]
        np.minimum.at(first, part, np.arange(start, start + len(part), dtype=np.int64))
    return first[first < len(codes)]


def all_distinct(values: np.ndarray, *, probe: int = 10_000) -> bool:
    """Are the values (floats) all different, NaNs counting as equal, as ``np.unique`` counts them? Without a sort
    of every value in the usual cases: increasing values (row numbers, times in file order) are; a spread sample
    with a repeat (10 M rows over 1,095 dates) is not. Only the rest are sorted."""
    values = np.asarray(values, dtype="float64")
    if len(values) < 2:
        return True
    if (np.diff(values) > 0).all():
        return True
    if np.isnan(values).sum() > 1:
        return False
    if len(values) > probe:
        sample = values[sample_positions(len(values), probe)]
        if len(np.unique(sample)) < len(sample):
            return False
    ordered = np.sort(values)
    return not (ordered[1:] == ordered[:-1]).any()


def _cells(v: np.ndarray, side: int, members: np.ndarray) -> np.ndarray:
    """Each value's cell ``0..side-1`` along one axis, over the range of the members' finite values (NaN: cell 0),
    as int32 computed in place (one float temporary)."""
    finite = np.isfinite(v) & members
    if not finite.any():
        return np.zeros(len(v), dtype=np.int32)
    lo, hi = float(np.min(v, where=finite, initial=np.inf)), float(np.max(v, where=finite, initial=-np.inf))
    del finite
    span = hi - lo or 1.0
    scaled = v - lo
    scaled /= span
    scaled *= side
    np.nan_to_num(scaled, copy=False, nan=0.0, posinf=side - 1, neginf=0.0)
    np.clip(scaled, 0, side - 1, out=scaled)  # before the cast: no overflow for points outside the members' range
    return scaled.astype(np.int32)


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
        marked = cover_sample(x, y, room, among=flagged)
    left = n - len(marked)
    if line:
        others = lttb_indices(x, y, left)  # among every point: LTTB keeps the shape the flagged points sit in
    else:
        others = cover_sample(x, y, left, among=~flagged)
    chosen = np.union1d(marked, others)
    count = int(flagged.sum())
    if not thinned:
        how = f"all {count:,} flagged; the others by {LTTB if line else COVER}"
    elif line:
        how = f"{len(marked):,} of the {count:,} flagged by {COVER}; the others by {LTTB}"
    else:
        how = f"{len(marked):,} of the {count:,} flagged and {len(chosen) - len(marked):,} others, each by {COVER}"
    return chosen, how
