"""Group-sequential boundaries, their cost, conditional power and the always-valid
confidence sequence: published values, independent checks and properties."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from experiments.stats import (
    Proportion,
    always_valid_interval,
    always_valid_p_value,
    compare,
    conditional_power,
    nominal_alpha,
    sample_size_mean,
    sample_size_proportion,
    sample_size_rate,
    sequential_inflation,
    spending_bounds,
)
from experiments.stats.sequential import alpha_spent, crossing_probabilities

FIVE = [0.2, 0.4, 0.6, 0.8, 1.0]
SETTINGS = settings(max_examples=40, deadline=None)


def test_pocock_type_spending_matches_the_published_boundaries():
    # Lan-DeMets Pocock-type spending, five equal looks, two-sided alpha 0.05.
    bounds = spending_bounds(FIVE, spending="pocock")
    assert bounds == pytest.approx([2.4380, 2.4268, 2.4102, 2.3966, 2.3860], abs=1e-4)


def test_obrien_fleming_type_spending_matches_the_published_boundaries():
    # ldbounds / gsDesign / rpact, two-sided symmetric, alpha 0.05, five equal looks.
    bounds = spending_bounds(FIVE)
    assert bounds == pytest.approx([4.8769, 3.3570, 2.6803, 2.2898, 2.0310], abs=1e-4)


def test_two_looks_agree_with_an_independent_bivariate_normal_integral():
    # Under the null, (Z1, Z2) is bivariate normal with correlation sqrt(t1 / t2): the
    # chance of no crossing at either look is a rectangle probability scipy computes.
    t1 = 0.4
    c1, c2 = spending_bounds([t1, 1.0], spending="pocock")
    mvn = scipy_stats.multivariate_normal(cov=[[1, math.sqrt(t1)], [math.sqrt(t1), 1]])
    inside = mvn.cdf([c1, c2], lower_limit=[-c1, -c2])
    assert 1 - inside == pytest.approx(0.05, abs=2e-5)


def test_simulated_score_paths_cross_as_often_as_alpha():
    rng = np.random.default_rng(14)
    fractions = np.array(FIVE)
    bounds = np.array(spending_bounds(FIVE))
    steps = rng.normal(size=(200_000, 5)) * np.sqrt(np.diff(fractions, prepend=0.0))
    z = np.cumsum(steps, axis=1) / np.sqrt(fractions)
    crossed = (np.abs(z) >= bounds).any(axis=1).mean()
    assert crossed == pytest.approx(0.05, abs=3 * math.sqrt(0.05 * 0.95 / 200_000))


@SETTINGS
@given(
    looks=st.integers(2, 12),
    first=st.floats(0.05, 0.5),
    alpha=st.sampled_from([0.01, 0.05, 0.1]),
)
def test_obrien_fleming_boundaries_decrease(looks, first, alpha):
    # Equally spaced after a first look anywhere (weekly looks at a steady volume).
    fractions = np.linspace(first, 1.0, looks).tolist()
    bounds = spending_bounds(fractions, alpha=alpha)
    assert all(later < earlier for earlier, later in itertools.pairwise(bounds))


@SETTINGS
@given(looks=st.integers(2, 10), alpha=st.sampled_from([0.01, 0.05, 0.1]))
def test_pocock_boundaries_are_nearly_flat(looks, alpha):
    fractions = [k / looks for k in range(1, looks + 1)]
    bounds = spending_bounds(fractions, alpha=alpha, spending="pocock")
    obrien_fleming = spending_bounds(fractions, alpha=alpha)
    # within 12% of each other, where O'Brien-Fleming's first is 1.5 to 3.4 times its last
    assert max(bounds) / min(bounds) < 1.12
    assert max(bounds) / min(bounds) - 1 < (obrien_fleming[0] / obrien_fleming[-1] - 1) / 4
    assert min(bounds) > scipy_stats.norm.isf(alpha / 2)


@SETTINGS
@given(
    looks=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=6, unique=True),
    spending=st.sampled_from(["obrien-fleming", "pocock"]),
    alpha=st.sampled_from([0.01, 0.05, 0.1]),
)
def test_the_looks_spend_exactly_the_alpha_spent(looks, spending, alpha):
    fractions = sorted(looks)
    if len(fractions) > 1 and min(np.diff(fractions)) < 0.01:
        return
    bounds = spending_bounds(fractions, alpha=alpha, spending=spending)
    spent = crossing_probabilities(fractions, bounds)
    assert math.fsum(spent) == pytest.approx(
        alpha_spent(fractions[-1], alpha=alpha, spending=spending), abs=1e-7
    )
    if fractions[-1] == 1.0:
        assert math.fsum(spent) == pytest.approx(alpha, abs=1e-7)


@pytest.mark.parametrize("spending", ["obrien-fleming", "pocock"])
@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1])
def test_one_look_is_the_fixed_test(spending, alpha):
    (bound,) = spending_bounds([1.0], alpha=alpha, spending=spending)
    assert bound == pytest.approx(scipy_stats.norm.isf(alpha / 2), abs=1e-12)
    assert nominal_alpha(bound) == pytest.approx(alpha)
    assert sequential_inflation(1, alpha=alpha, spending=spending) == 1.0


def test_a_fraction_above_one_is_the_final_look():
    assert spending_bounds([0.5, 1.3]) == spending_bounds([0.5, 1.0])


def test_a_test_stopped_early_spends_only_what_its_last_look_allows():
    bounds = spending_bounds([0.3, 0.7])
    assert bounds[:1] == spending_bounds([0.3, 1.0])[:1]
    assert math.fsum(crossing_probabilities([0.3, 0.7], bounds)) == pytest.approx(
        alpha_spent(0.7), abs=1e-8
    )


@pytest.mark.parametrize(
    ("information", "message"),
    [
        ([], "at least one look"),
        ([0.5, 0.4], "must increase"),
        ([1.0, 1.2], "must increase"),
        ([0.0, 1.0], "above zero"),
        ([float("nan")], "finite"),
    ],
)
def test_bad_looks_are_refused_with_a_message(information, message):
    with pytest.raises(ValueError, match=message):
        spending_bounds(information)


def test_a_bad_spending_function_is_named():
    with pytest.raises(ValueError, match="obrien-fleming"):
        spending_bounds([1.0], spending="haybittle")  # type: ignore[arg-type]


def test_inflation_is_a_few_percent_for_obrien_fleming_and_more_for_pocock():
    # Jennison and Turnbull (2000), tables 7.6 and 7.7, alpha 0.05, power 0.8:
    # about 1.03 for O'Brien-Fleming-type and 1.21 for Pocock-type at five looks.
    assert sequential_inflation(5) == pytest.approx(1.025, abs=0.005)
    assert sequential_inflation(5, spending="pocock") == pytest.approx(1.21, abs=0.01)
    assert 1 < sequential_inflation(2) < sequential_inflation(5) < sequential_inflation(10)
    assert sequential_inflation([0.5, 1.0]) == pytest.approx(sequential_inflation(2))


def test_the_inflated_design_has_its_power_at_the_planned_effect():
    fractions = FIVE
    bounds = spending_bounds(fractions)
    drift = (scipy_stats.norm.isf(0.025) + scipy_stats.norm.ppf(0.8)) * math.sqrt(
        sequential_inflation(5)
    )
    power = math.fsum(crossing_probabilities(fractions, bounds, drift=drift))
    # the fixed test's two tails at the fixed drift give a hair over 0.8
    assert power == pytest.approx(0.8, abs=1e-3)


def test_sample_sizes_take_looks_and_return_the_inflated_maximum():
    fixed = sample_size_proportion(0.1, 0.02)
    weekly = sample_size_proportion(0.1, 0.02, looks=5)
    # the unrounded fixed size times the inflation, rounded up: within one unit
    assert abs(weekly.control - fixed.control * sequential_inflation(5)) <= 1
    assert weekly.total > fixed.total
    pocock = sample_size_mean(20.0, 5.0, looks=5, spending="pocock")
    assert pocock.control == pytest.approx(sample_size_mean(20.0, 5.0).control * 1.21, abs=3)
    assert sample_size_rate(0.05, 0.2, relative=True, looks=1) == sample_size_rate(
        0.05, 0.2, relative=True
    )


def test_conditional_power_under_the_trend_and_the_plan():
    # By hand: B(0.5) = 1 * sqrt(0.5); under the trend the mean at 1 is 2 B(0.5).
    cp = conditional_power(1.0, 0.5, final_critical_z=2.0, planned_drift=2.8)
    mean, sd = 2 * math.sqrt(0.5), math.sqrt(0.5)
    expected = scipy_stats.norm.sf((2.0 - mean) / sd) + scipy_stats.norm.cdf((-2.0 - mean) / sd)
    assert cp.current_trend == pytest.approx(expected)
    assert cp.planned_effect > cp.current_trend
    done = conditional_power(2.5, 1.0, final_critical_z=2.0, planned_drift=2.8)
    assert (done.current_trend, done.planned_effect) == (1.0, 1.0)
    assert conditional_power(0.0, 0.9, final_critical_z=2.0, planned_drift=0.0).current_trend < 0.01


@pytest.mark.parametrize(
    ("n", "tuning", "half_width"),
    [(1000, 5000, 0.336389), (400, 5000, 0.408586), (400, 400, 0.303521)],
)
def test_the_confidence_sequence_matches_growthbook(n, tuning, half_width):
    low, high = always_valid_interval(0.25, 0.1, n, tuning_n=tuning)
    assert (high - low) / 2 == pytest.approx(half_width, abs=1e-6)
    assert (low + high) / 2 == pytest.approx(0.25)


def test_the_confidence_sequence_is_wider_than_the_fixed_interval():
    _low, high = always_valid_interval(0.0, 0.1, 400, tuning_n=400)
    assert high > 1.96 * 0.1


@SETTINGS
@given(
    estimate=st.floats(-1, 1),
    se=st.floats(0.01, 1),
    n=st.integers(10, 100_000),
    tuning=st.integers(10, 100_000),
)
def test_the_p_value_is_below_alpha_exactly_when_the_interval_excludes_zero(
    estimate, se, n, tuning
):
    low, high = always_valid_interval(estimate, se, n, tuning_n=tuning)
    p = always_valid_p_value(estimate, se, n, tuning_n=tuning)
    if min(abs(low), abs(high)) > 1e-9:
        assert (p < 0.05) == (low > 0 or high < 0)
    assert 0 <= p <= 1


def test_at_a_look_compare_at_the_nominal_level_crosses_exactly_with_the_boundary():
    # The repeated confidence interval of the score test excludes zero exactly when
    # the pooled z statistic is beyond the look's critical value.
    critical = spending_bounds([0.4, 1.0])[0]
    for successes in range(150, 260, 5):
        result = compare(
            Proportion(150, 1000), Proportion(successes, 1000), alpha=nominal_alpha(critical)
        )
        excludes = result.difference_ci[0] > 0 or result.difference_ci[1] < 0
        assert result.significant == (abs(result.statistic) >= critical)
        assert excludes == result.significant
