"""Two means: Welch's t-test, its interval and Fieller's interval of the lift."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import special
from statsmodels.stats import weightstats

from experiments.stats import InsufficientDataError, Mean, compare

# R datasets::sleep, extra hours of sleep for drug 1 (group 1) and drug 2 (group 2).
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_r_welch_t_test_on_the_sleep_data():
    # R ?t.test example, t.test(extra ~ group, data = sleep) (group 1 minus group 2):
    # t = -1.8608, df = 17.776, p-value = 0.07939, 95% CI -3.3654832 0.2054832.
    result = compare(Mean.from_values(SLEEP_2), Mean.from_values(SLEEP_1))
    assert round(result.statistic, 4) == -1.8608
    assert round(result.df, 3) == 17.776
    assert round(result.p_value, 5) == 0.07939
    assert result.difference_ci == pytest.approx((-3.3654832, 0.2054832), abs=5e-8)
    assert result.method == "Welch's t-test"
    assert not result.significant


def _samples(seed, n1, n2, shift):
    rng = np.random.default_rng(seed)
    return rng.normal(10.0, 3.0, n1), rng.normal(10.0 + shift, 5.0, n2)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_matches_statsmodels_welch(seed, alternative):
    control, variant = _samples(seed, 30 + 7 * seed, 45 - 3 * seed, 0.6 * seed)
    result = compare(Mean.from_values(control), Mean.from_values(variant), alternative=alternative)
    t, p_value, df = weightstats.ttest_ind(
        variant, control, usevar="unequal", alternative=alternative
    )
    assert result.p_value == pytest.approx(p_value, rel=1e-9)
    assert result.statistic == pytest.approx(t, rel=1e-9)
    assert result.df == pytest.approx(df, rel=1e-9)
    compared = weightstats.CompareMeans(
        weightstats.DescrStatsW(variant), weightstats.DescrStatsW(control)
    )
    low, high = compared.tconfint_diff(usevar="unequal", alternative=alternative)
    assert result.difference_ci == pytest.approx((low, high), rel=1e-6)


def _fieller_statistic(result, control, variant, ratio):
    v1, v2 = variant.sd**2 / variant.n, control.sd**2 / control.n
    return (variant.mean - ratio * control.mean) / math.sqrt(v1 + ratio**2 * v2)


@pytest.mark.parametrize("seed", range(4))
def test_fieller_bounds_solve_the_t_statistic_at_the_welch_quantile(seed):
    control = Mean.from_values(_samples(seed, 40, 40, 0)[0])
    variant = Mean.from_values(_samples(seed + 10, 40, 40, 1.5)[1])
    result = compare(control, variant)
    q = special.stdtrit(result.df, 0.975)
    low, high = result.lift_ci
    assert _fieller_statistic(result, control, variant, low + 1) == pytest.approx(q)
    assert _fieller_statistic(result, control, variant, high + 1) == pytest.approx(-q)
    # The lift interval excludes zero exactly when the test rejects.
    assert (low > 0 or high < 0) == result.significant


def test_one_sided_fieller_bound_with_a_negative_control_mean():
    control, variant = Mean(50, -10.0, 4.0), Mean(50, -8.0, 4.0)
    larger = compare(control, variant, alternative="larger")
    assert larger.significant
    # Variant above a negative control means a ratio below 1: only an upper bound.
    assert larger.lift_ci[0] == -math.inf
    assert larger.lift_ci[1] < 0
    smaller = compare(control, variant, alternative="smaller")
    assert smaller.lift_ci[1] == math.inf


def test_control_mean_near_zero_gives_an_unbounded_lift():
    result = compare(Mean(20, 0.5, 4.0), Mean(20, 3.0, 4.0))
    assert result.lift_ci == (-math.inf, math.inf)
    codes = [caveat.code for caveat in result.warnings]
    assert codes == ["unbounded_lift"]
    assert "absolute difference" in result.warnings[0].message


def test_zero_control_mean_leaves_lift_undefined():
    result = compare(Mean(20, 0.0, 4.0), Mean(20, 3.0, 4.0))
    assert result.lift is None
    assert result.lift_ci is None
    assert result.summary().startswith("Variant's mean is 3 higher than control's (95% CI +")


def test_zero_variance_in_both_arms_raises():
    with pytest.raises(InsufficientDataError, match="standard deviation of zero"):
        compare(Mean(10, 1.0, 0.0), Mean(12, 2.0, 0.0))


def test_zero_variance_in_one_arm_still_compares():
    result = compare(Mean(10, 1.0, 0.0), Mean(12, 2.0, 1.0))
    assert result.df == pytest.approx(11.0)
    assert 0 < result.p_value < 0.01


def test_chance_to_beat_control_is_the_normal_approximation():
    result = compare(Mean(100, 10.0, 2.0), Mean(100, 10.4, 2.0))
    se = math.sqrt(2 * 4 / 100)
    assert result.chance_to_beat_control == pytest.approx(special.ndtr(0.4 / se))


def test_summary_of_a_negative_control_mean_reads_the_difference():
    result = compare(Mean(50, -20.0, 4.0), Mean(50, -10.0, 4.0))
    assert result.lift == pytest.approx(-0.5)
    assert result.summary().startswith("Variant's mean is 10 higher than control's (95% CI +")


@settings(max_examples=400, deadline=None)
@given(st.floats(0.0, 9.0), st.one_of(st.floats(-60.0, 60.0), st.floats(-3.0, 3.0)))
def test_welchs_p_value_is_student_t_as_scipy_computes_it(log_df, t):
    """The p-value of a test of means comes from our own Student's t (no SciPy to
    load); it must agree with SciPy's at every sample size."""
    from experiments.stats._student import t_cdf

    assume(abs(t) > 1e-3)  # nearer 0 SciPy's own figure drifts (next test)
    df = 10.0**log_df
    expected = float(special.stdtr(df, t))
    assume(expected > 1e-300)
    tolerance = 1e-11 if df <= 1e4 else 1e-9 if df <= 1e6 else 1e-6
    assert t_cdf(t, df) == pytest.approx(expected, rel=tolerance)


@given(st.one_of(st.floats(-1e3, 1e3), st.floats(-1e-3, 1e-3)))
def test_student_t_has_its_closed_forms_for_one_and_two_degrees_of_freedom(t):
    """Cauchy (df 1) and df 2 have exact distribution functions, tiny t included."""
    from experiments.stats._student import t_cdf

    assert t_cdf(t, 1.0) == pytest.approx(0.5 + math.atan(t) / math.pi, rel=1e-13)
    assert t_cdf(t, 2.0) == pytest.approx(0.5 + t / (2.0 * math.sqrt(2.0 + t * t)), rel=1e-13)
