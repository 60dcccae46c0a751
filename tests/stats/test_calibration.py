"""Forecast calibration: hand-computed Brier and skill scores, Wilson bins,
the rank correlation's interval, and properties that hold for any forecasts."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.calibration import (
    base_rate,
    brier_score,
    calibration_bins,
    median_ratio,
    rank_correlation,
    reference_brier,
    skill_score,
    wilson_interval,
)

FAST = settings(max_examples=150, deadline=None)


def test_brier_score_by_hand():
    # (0.8-1)^2 + (0.3-0)^2 + (0.6-0)^2 + (0.9-1)^2 = 0.04 + 0.09 + 0.36 + 0.01 = 0.50
    assert brier_score([0.8, 0.3, 0.6, 0.9], [1, 0, 0, 1]) == pytest.approx(0.50 / 4)


def test_reference_brier_is_the_base_rate_forecasters_score():
    outcomes = [1, 0, 0, 1, 0]  # base rate 0.4: 2 x 0.36 + 3 x 0.16 = 1.2, / 5
    assert base_rate(outcomes) == 0.4
    assert reference_brier(outcomes) == pytest.approx(0.24)
    assert reference_brier(outcomes, base_rate=0.3) == pytest.approx((2 * 0.49 + 3 * 0.09) / 5)


def test_skill_score_by_hand():
    forecasts, outcomes = [0.8, 0.3, 0.6, 0.9, 0.2], [1, 0, 0, 1, 0]
    brier = brier_score(forecasts, outcomes)  # (0.04 + 0.09 + 0.36 + 0.01 + 0.04) / 5
    assert brier == pytest.approx(0.108)
    assert skill_score(brier, reference_brier(outcomes)) == pytest.approx(1 - 0.108 / 0.24)


def test_skill_is_undefined_when_every_outcome_was_the_same():
    with pytest.raises(ValueError, match="every outcome was the same"):
        skill_score(0.1, reference_brier([1, 1, 1]))


@pytest.mark.parametrize(
    ("forecasts", "outcomes", "message"),
    [
        ([0.5], [1, 0], "pair up"),
        ([], [], "at least one"),
        ([1.2], [1], "between 0 and 1"),
        ([0.5], [2], "1 \\(won\\) or 0"),
    ],
)
def test_bad_forecasts_say_what_is_wrong(forecasts, outcomes, message):
    with pytest.raises(ValueError, match=message):
        brier_score(forecasts, outcomes)


def test_wilson_interval_by_hand():
    # 3 of 7: centre (3/7 + 1.96^2/14) / (1 + 1.96^2/7) = 0.4539; half-width 0.2959
    low, high = wilson_interval(3, 7)
    assert low == pytest.approx(0.1582, abs=1e-4)
    assert high == pytest.approx(0.7495, abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == 1.0


def test_calibration_bins_count_and_bound_each_fifth():
    forecasts = [0.05, 0.15, 0.35, 0.55, 0.55, 0.65, 0.85, 0.95, 1.0, 0.2]
    outcomes = [0, 0, 1, 1, 0, 1, 1, 1, 1, 0]
    bins = calibration_bins(forecasts, outcomes)
    assert [(b.low, b.high) for b in bins] == [
        (0.0, 0.2),
        (0.2, 0.4),
        (0.4, 0.6),
        (0.6, 0.8),
        (0.8, 1.0),
    ]
    # 0.2 falls in the second bin, 1.0 in the last
    assert [(b.n, b.won) for b in bins] == [(2, 0), (2, 1), (2, 1), (1, 1), (3, 3)]
    assert bins[4].share_won == 1.0
    assert bins[4].interval == pytest.approx(wilson_interval(3, 3))
    assert bins[1].mean_forecast == pytest.approx(0.275)


def test_rank_correlation_interval_uses_bonett_wright():
    x = list(range(12))
    y = [0, 2, 1, 3, 5, 4, 6, 8, 7, 9, 11, 10]
    result = rank_correlation(x, y)
    # d = 0,1,1,0,1,1,0,1,1,0,1,1: sum d^2 = 8; rho = 1 - 6*8 / (12 * 143)
    assert result.rho == pytest.approx(1 - 48 / 1716)
    se = math.sqrt((1 + result.rho**2 / 2) / 9)
    assert result.interval[0] == pytest.approx(math.tanh(math.atanh(result.rho) - 1.95996 * se))
    assert not result.too_few
    assert result.clear


def test_rank_correlation_says_too_few_below_ten_pairs():
    result = rank_correlation([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 6, 5])
    assert result.too_few and not result.clear
    assert rank_correlation([1, 2, 3], [3, 2, 1]).rho is None
    assert rank_correlation([1, 1, 1, 1, 1], [1, 2, 3, 4, 5]).rho is None


def test_rank_correlation_averages_tied_ranks():
    # ICE scores tie often; ties share their mean rank, so a tie is no signal
    result = rank_correlation([7, 7, 7, 7, 3, 3, 3, 3], [1, 0, 1, 0, 1, 0, 1, 0])
    assert result.rho == pytest.approx(0.0)


def test_median_ratio_ignores_losses():
    assert median_ratio([0.12, 0.10, 0.05], [0.06, 0.05, -0.02]) == pytest.approx(2.0)
    assert median_ratio([0.1], [-0.1]) is None


@FAST
@given(
    st.lists(
        st.tuples(st.floats(0, 1, allow_nan=False), st.integers(0, 1)), min_size=1, max_size=60
    )
)
def test_brier_is_between_zero_and_one_and_bins_hold_every_forecast(pairs):
    forecasts, outcomes = [p[0] for p in pairs], [p[1] for p in pairs]
    assert 0.0 <= brier_score(forecasts, outcomes) <= 1.0
    bins = calibration_bins(forecasts, outcomes)
    assert sum(b.n for b in bins) == len(pairs)
    assert sum(b.won for b in bins) == sum(outcomes)
    for b in bins:
        assert 0.0 <= b.interval[0] <= b.interval[1] <= 1.0
        if b.n:
            assert b.interval[0] <= b.share_won <= b.interval[1]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.15, 0.85))
def test_a_calibrated_forecaster_has_skill_zero_or_better(seed, spread):
    """Forecasts drawn around the base rate, outcomes drawn from the forecasts:
    such a forecaster is calibrated, and over many decisions its skill against
    the base rate is not below zero (beyond sampling noise)."""
    rng = random.Random(seed)
    forecasts = [min(1.0, max(0.0, 0.5 + spread * (rng.random() - 0.5))) for _ in range(3000)]
    outcomes = [1 if rng.random() < f else 0 for f in forecasts]
    skill = skill_score(brier_score(forecasts, outcomes), reference_brier(outcomes))
    assert skill > -0.02


@FAST
@given(st.lists(st.tuples(st.integers(1, 10), st.floats(-1, 1)), min_size=4, max_size=40))
def test_rank_correlation_lies_in_its_interval(pairs):
    result = rank_correlation([p[0] for p in pairs], [p[1] for p in pairs])
    if result.rho is not None:
        assert -1.0 <= result.interval[0] <= result.rho <= result.interval[1] <= 1.0
