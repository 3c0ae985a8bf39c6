"""LTTB downsampling: exact counts, the ends and the extremes kept, the shape followed."""

from __future__ import annotations

import numpy as np
import pytest

from autoviz_pipeline.tools.downsample import lttb_indices


def walk(n: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=n).cumsum()


@pytest.mark.parametrize(("size", "n"), [(100_000, 2000), (10_001, 2000), (50, 7), (5, 4), (4, 3)])
def test_returns_exactly_n_sorted_distinct_positions_with_both_ends(size, n):
    idx = lttb_indices(np.arange(size), walk(size), n)
    assert len(idx) == n
    assert idx[0] == 0 and idx[-1] == size - 1
    assert np.all(np.diff(idx) > 0)


@pytest.mark.parametrize("n", [10_000, 20_000])
def test_n_at_or_above_the_length_keeps_every_point(n):
    assert lttb_indices(np.arange(10_000), walk(10_000), n).tolist() == list(range(10_000))


def test_fewer_than_three_keeps_the_ends_only():
    assert lttb_indices(np.arange(100), walk(100), 2).tolist() == [0, 99]
    assert lttb_indices(np.arange(100), walk(100), 1).tolist() == [0]


def test_keeps_a_single_spike_and_dip():
    y = np.sin(np.linspace(0, 20, 100_000))
    y[31_337] = 50.0   # one-sample spike
    y[77_777] = -40.0  # one-sample dip
    idx = lttb_indices(np.arange(len(y)), y, 2000)
    assert 31_337 in idx and 77_777 in idx
    assert y[idx].max() == 50.0 and y[idx].min() == -40.0


def test_keeps_both_extremes_when_they_share_a_bucket():
    y = np.zeros(100_000)
    y[5000], y[5001] = 10.0, -10.0  # adjacent: the same bucket of ~50 points
    idx = lttb_indices(np.arange(len(y)), y, 2000)
    assert {5000, 5001} <= set(idx.tolist()) and len(idx) == 2000 and len(set(idx.tolist())) == 2000


@pytest.mark.parametrize("seed", range(20))
def test_random_series_keep_their_global_max_and_min(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(10, 5000))
    n = int(rng.integers(4, size))
    y = rng.standard_cauchy(size)
    idx = lttb_indices(np.sort(rng.uniform(0, 1e6, size)), y, n)
    assert len(idx) == n and y.argmax() in idx and y.argmin() in idx


def test_follows_the_shape_of_the_line():
    """Thinned 50x, a smooth curve still interpolates to the original within a small error."""
    x = np.linspace(0, 10, 100_000)
    y = np.sin(x) * 100
    idx = lttb_indices(x, y, 2000)
    assert np.max(np.abs(np.interp(x, x[idx], y[idx]) - y)) < 0.1


def test_uneven_x_is_used_for_the_areas():
    """Dates as integer nanoseconds: uneven gaps do not break the selection."""
    x = np.cumsum(np.random.default_rng(1).integers(1, 10**9, 20_000)).astype("int64")
    idx = lttb_indices(x, walk(20_000), 500)
    assert len(idx) == 500 and idx[0] == 0 and idx[-1] == 19_999


def test_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        lttb_indices(np.arange(10), np.arange(9), 5)
