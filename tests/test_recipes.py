"""Value-series recipes: baskets, year-on-year growth, trailing sums, sampling and windowed volatility."""

from __future__ import annotations

import numpy as np

from tracker.evaluate.recipes import ValueSeries, basket, sample, ttm, value_series, yoy_growth


def d(*iso):
    return np.array(iso, dtype="datetime64[D]")


def test_step_std_matches_numpy_on_any_window():
    rng = np.random.default_rng(0)
    values = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, 300)))
    vs = ValueSeries(np.arange(300).astype("datetime64[D]"), values, "price", "daily")
    steps = np.diff(np.log(values))
    for lo, hi in ((0, 299), (50, 170), (200, 203)):
        assert abs(vs.step_std(lo, hi, log=True) - np.std(steps[lo:hi], ddof=1)) < 1e-9
    assert vs.step_std(10, 11, log=True) is None  # one step: no spread


def test_basket_rebases_at_the_baseline_and_needs_half_the_members():
    a = (d("2025-01-01", "2025-01-02", "2025-01-03"), np.array([10.0, 11.0, 12.0]))
    b = (d("2025-01-02", "2025-01-03"), np.array([200.0, 100.0]))
    dates, values = basket([a, b], "2025-01-02")
    assert [str(x) for x in dates] == ["2025-01-01", "2025-01-02", "2025-01-03"]
    assert np.allclose(values, [10 / 11, 1.0, (12 / 11 + 0.5) / 2])  # day 1: only a (1 of 2 = half)


def test_yoy_growth_and_ttm():
    q = d("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31", "2025-06-30")
    v = np.array([100.0, 110, 120, 130, 150, 99])
    gd, gv = yoy_growth(q, v)
    assert [str(x) for x in gd] == ["2025-03-31", "2025-06-30"] and np.allclose(gv, [50.0, -10.0])
    td, tv = ttm(q, v)
    assert [str(x) for x in td] == ["2024-12-31", "2025-03-31", "2025-06-30"] and tv.tolist() == [460, 510, 499]


def test_sample_carries_a_value_over_holidays_for_a_week_only():
    ok, vals = sample(d("2025-01-01", "2025-01-20"), np.array([1.0, 2.0]), d("2025-01-03", "2025-01-15", "2025-01-21"))
    assert ok.tolist() == [True, False, True] and vals.tolist() == [1.0, 2.0]


def test_relative_and_ratio_recipes():
    raw = {"close:A": (d("2025-01-01", "2025-01-02"), np.array([10.0, 12.0]), "csv"),
           "close:B": (d("2025-01-01", "2025-01-02"), np.array([100.0, 100.0]), "csv"),
           "stmt:A:EBIT": (d("2025-03-31", "2025-06-30"), np.array([560.0, 600.0]), "csv"),
           "stmt:A:InterestExpense": (d("2025-03-31", "2025-06-30"), np.array([-10.0, 0.0]), "csv")}
    rel = value_series({"recipe": "relative", "series": ["close:A", "close:B"]}, raw)
    assert rel.values.tolist() == [0.1, 0.12] and rel.provider == "csv"
    cover = value_series({"recipe": "statement_ratio", "series": ["stmt:A:EBIT", "stmt:A:InterestExpense"],
                          "params": {"scale": 1.0}}, raw)
    assert cover.values.tolist() == [56.0] and cover.kind == "ratio"  # a zero interest expense is skipped
    missing = value_series({"recipe": "close", "series": ["close:Z"]}, raw)
    assert not len(missing) and missing.note == "no data yet for close:Z"
