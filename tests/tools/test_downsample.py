"""Downsampling for drawing: LTTB (exact counts, the ends and the extremes kept, the shape followed), point clouds
thinned by cover_sample (bounded, deterministic, outliers kept) and flagged points always kept (keep_flagged)."""

from __future__ import annotations

import numpy as np
import pytest

from autoviz_pipeline.tools.downsample import cover_sample, keep_flagged, lttb_indices


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


def cloud(size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, size), rng.gamma(2.0, 20.0, size)


@pytest.mark.parametrize(("size", "n"), [(300_000, 5000), (10_001, 5000), (100, 7), (50, 1)])
def test_cover_sample_returns_exactly_n_sorted_distinct_positions(size, n):
    x, y = cloud(size)
    idx = cover_sample(x, y, n)
    assert len(idx) == n and np.all(np.diff(idx) > 0) and idx[0] >= 0 and idx[-1] < size


def test_cover_sample_keeps_every_point_when_they_fit_and_is_deterministic():
    x, y = cloud(1000)
    assert cover_sample(x, y, 1000).tolist() == list(range(1000))
    x, y = cloud(200_000)
    assert cover_sample(x, y, 3000).tolist() == cover_sample(x.copy(), y.copy(), 3000).tolist()


def test_cover_sample_keeps_isolated_points_a_random_sample_would_lose():
    """A million points in a blob and five far from it, each on its own: all five are drawn, and the extremes."""
    x, y = cloud(1_000_000)
    far = [11, 222_222, 500_000, 777_777, 999_998]
    x[far], y[far] = [40.0, -40.0, 40.0, -40.0, 0.0], [900.0, 900.0, -300.0, -300.0, 2000.0]
    idx = cover_sample(x, y, 5000)
    assert set(far) <= set(idx.tolist())
    for v in (x, y):
        assert v.argmax() in idx and v.argmin() in idx


def test_cover_sample_copes_with_missing_and_constant_coordinates():
    x = np.r_[np.full(50_000, 3.0), [np.nan] * 10]
    y = np.arange(len(x), dtype=float)
    idx = cover_sample(x, y, 500)
    assert len(idx) == 500 and 0 in idx and len(x) - 1 in idx


def test_keep_flagged_draws_every_flagged_point_and_a_bounded_rest():
    x, y = cloud(500_000)
    flagged = np.zeros(len(x), dtype=bool)
    flagged[np.random.default_rng(3).choice(len(x), 700, replace=False)] = True
    idx, how = keep_flagged(x, y, flagged, 5000)
    assert len(idx) == 5000 and np.all(np.diff(idx) > 0)
    assert set(np.flatnonzero(flagged).tolist()) <= set(idx.tolist())
    assert how == ("all 700 flagged; the others by the extremes, one point per occupied grid cell and a fixed "
                   "random sample")
    again, _ = keep_flagged(x, y, flagged, 5000)
    assert again.tolist() == idx.tolist()


def test_keep_flagged_on_a_line_uses_lttb_for_the_rest():
    y = np.sin(np.linspace(0, 30, 400_000))
    flagged = np.zeros(len(y), dtype=bool)
    flagged[[1000, 250_000, 399_000]] = True
    idx, how = keep_flagged(np.arange(len(y)), y, flagged, 2000, line=True)
    assert len(idx) <= 2000 and {1000, 250_000, 399_000} <= set(idx.tolist())
    assert how == "all 3 flagged; the others by LTTB downsampling"
    assert np.max(np.abs(np.interp(np.arange(len(y)), idx, y[idx]) - y)) < 0.05  # the line keeps its shape


def test_keep_flagged_thins_too_many_flagged_points_but_keeps_their_extremes():
    """More flagged points than the budget holds: most of the budget, their extremes, and still some others."""
    x, y = cloud(400_000)
    flagged = y > np.quantile(y, 0.9)  # 40,000 flagged
    idx, how = keep_flagged(x, y, flagged, 5000)
    assert len(idx) == 5000
    assert flagged[idx].sum() == 4000 and (~flagged[idx]).sum() == 1000
    assert y.argmax() in idx
    assert np.flatnonzero(flagged)[x[flagged].argmax()] in idx  # the flagged cloud's own extremes
    assert how.startswith("4,000 of the 40,000 flagged and 1,000 others, each by the extremes")


def test_keep_flagged_draws_everything_when_it_fits():
    x, y = cloud(100)
    idx, how = keep_flagged(x, y, y > 50, 5000)
    assert idx.tolist() == list(range(100)) and how is None
