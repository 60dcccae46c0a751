"""The impact ledger's core: normal-normal shrinkage against a worked example,
annual values, persistence, and properties of the shrinkage."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.impact import (
    AnnualValue,
    Persistence,
    ProgrammeFit,
    annual_value,
    fit_programme,
    persistence,
    se_from_interval,
    total_value,
)
from experiments.stats import Mean, Proportion


def test_dersimonian_laird_worked_example():
    """Four lifts, worked by hand:
    weights 1/s^2 = 100, 2500, 2500, 1111.1 (sum 6211.1);
    fixed mean = (30 + 50 - 25 + 55.56) / 6211.1 = 0.01780;
    Q = 100 (0.2822)^2 + 2500 (0.0022)^2 + 2500 (0.0278)^2 + 1111.1 (0.0322)^2 = 11.06;
    c = 6211.1 - (10^4 + 2 x 6.25 x 10^6 + 1.2346 x 10^6) / 6211.1 = 3998.2;
    tau^2 = (11.06 - 3) / 3998.2 = 0.002016;
    mu = sum(y / (s^2 + tau^2)) / sum(1 / (s^2 + tau^2)) = 46.24 / 1253.9 = 0.0369."""
    fit = fit_programme([0.30, 0.02, -0.01, 0.05], [0.10, 0.02, 0.02, 0.03])
    assert fit.tau2 == pytest.approx(0.002016, rel=2e-3)
    assert fit.mean == pytest.approx(0.03688, rel=2e-3)
    # the noisy +30% keeps B = 0.002016 / 0.012016 = 0.168 of its distance from mu
    shrunk = fit.shrink(0.30, 0.10)
    assert shrunk.weight == pytest.approx(0.1678, rel=2e-3)
    assert shrunk.lift == pytest.approx(0.03688 + 0.1678 * (0.30 - 0.03688), rel=2e-3)
    assert shrunk.sd == pytest.approx(math.sqrt(0.1678) * 0.10, rel=2e-3)
    # a precise lift barely moves
    precise = fit.shrink(0.02, 0.02)
    assert abs(precise.lift - 0.02) < abs(shrunk.lift - 0.30)


def test_no_spread_beyond_noise_shrinks_everything_to_the_mean():
    fit = fit_programme([0.01, 0.02, 0.03], [0.05, 0.05, 0.05])
    assert fit.tau2 == 0.0
    assert fit.shrink(0.03, 0.05).lift == pytest.approx(fit.mean)


def test_se_from_a_95_interval():
    assert se_from_interval((0.1 - 1.959964 * 0.05, 0.1 + 1.959964 * 0.05)) == pytest.approx(0.05)
    with pytest.raises(ValueError, match="finite interval"):
        se_from_interval((0.0, math.inf))


def test_annual_value_by_hand():
    shrunk = ProgrammeFit(mean=0.0, tau2=0.01, k=5).shrink(0.2, 0.1)  # lift 0.1, sd 0.0707
    value = annual_value(shrunk, weekly_volume=20, unit_value=1000)
    # 0.1 x 20 won deals a week x 1000 a deal x 52 weeks
    assert value.value == pytest.approx(104_000)
    assert value.se == pytest.approx(1040 * 1000 * math.sqrt(0.5) * 0.1)
    assert value.interval[0] == pytest.approx(104_000 - 1.959964 * value.se)
    lower = annual_value(shrunk, weekly_volume=20, unit_value=1000, lower_is_better=True)
    assert lower.value == pytest.approx(-104_000)
    assert lower.interval[0] < lower.interval[1]


def test_total_adds_values_and_standard_errors_in_quadrature():
    a = AnnualValue(value=100.0, interval=(0.0, 0.0), se=30.0)
    b = AnnualValue(value=50.0, interval=(0.0, 0.0), se=40.0)
    total = total_value([a, b])
    assert total.value == 150.0 and total.se == pytest.approx(50.0)
    assert total_value([]).value == 0.0


def test_persistence_needs_four_weeks_after_shipping():
    before = [Proportion(200, 1000)] * 4
    assert persistence(before, [Proportion(260, 1000)] * 3) == Persistence.too_early
    assert persistence([], [Proportion(260, 1000)] * 4) == Persistence.too_early
    assert persistence(before, [Proportion(260, 1000)] * 4) == Persistence.held
    assert persistence(before, [Proportion(205, 1000)] * 4) == Persistence.faded
    # worse than before is not held
    assert persistence(before, [Proportion(150, 1000)] * 4) == Persistence.faded


def test_persistence_where_lower_is_better():
    before = [Mean(100, 30.0, 8.0)] * 4
    after = [Mean(100, 27.0, 8.0)] * 4
    assert persistence(before, after, lower_is_better=True) == Persistence.held
    assert persistence(before, after) == Persistence.faded


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(-0.5, 0.5), st.floats(0.005, 0.3)), min_size=1, max_size=30))
def test_shrunk_lifts_lie_between_the_raw_lift_and_the_mean(pairs):
    fit = fit_programme([p[0] for p in pairs], [p[1] for p in pairs])
    assert fit.tau2 >= 0
    for lift, se in pairs:
        shrunk = fit.shrink(lift, se)
        low, high = sorted((lift, fit.mean))
        assert low - 1e-9 <= shrunk.lift <= high + 1e-9
        assert shrunk.sd <= se + 1e-12
        assert shrunk.interval[0] <= shrunk.lift <= shrunk.interval[1]
