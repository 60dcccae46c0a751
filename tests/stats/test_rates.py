"""Two Poisson rates: the score test and score intervals of statsmodels."""

import math

import pytest
from scipy import special
from statsmodels.stats import rates as sm_rates

from experiments.stats import InsufficientDataError, Rate, compare

# (variant events, variant exposure, control events, control exposure)
CASES = [
    (60, 51477.5, 30, 54308.7),
    (41, 28010.0, 15, 19017.0),
    (6, 51.0, 1, 54.0),
    (11, 800.0, 21, 3011.0),
    (120, 2400.0, 150, 2500.0),
    (3, 10.0, 9, 12.0),
    (0, 400.0, 7, 380.0),
]


def test_gu_et_al_example():
    # Gu, Ng, Tang and Schucany (2008), Biometrical Journal 50, example 1: 60 events in
    # 51477.5 person-years against 30 in 54308.7; score statistic 3.4174, one-sided
    # p-value 0.000316 (statsmodels' test suite pins the same figures).
    result = compare(Rate(30, 54308.7), Rate(60, 51477.5), alternative="larger")
    assert round(result.statistic, 4) == 3.4174
    assert round(result.p_value, 6) == 0.000316


def test_ratesci_score_intervals():
    # R package ratesci, scoreci(60, 51477.5, 30, 54308.7, distrib = "poi",
    # contrast = "RR", skew = FALSE): 1.365962 to 3.259306; and with exposures in
    # thousands, contrast = "RD": 0.265796 to 0.989192 (as quoted in statsmodels' tests).
    result = compare(Rate(30, 54308.7), Rate(60, 51477.5))
    assert result.lift_ci == pytest.approx((0.365962, 2.259306), abs=5e-6)
    result = compare(Rate(30, 54.3087), Rate(60, 51.4775))
    assert result.difference_ci == pytest.approx((0.265796, 0.989192), abs=5e-6)


def test_ng_et_al_difference_example():
    # Ng, Gu and Tang (2007), Comput Stat Data Anal 51: 41 events in 28010 against 15 in
    # 19017, score test of the difference, one-sided: 2.0818, p = 0.0187.
    result = compare(Rate(15, 19017), Rate(41, 28010), alternative="larger")
    assert round(result.statistic, 4) == 2.0818
    assert round(result.p_value, 4) == 0.0187


def test_r_poisson_test_estimate():
    # R ?poisson.test: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878)) reports
    # rate ratio 1.971488. Its p-value and interval are exact-conditional, not score.
    result = compare(Rate(21, 3011), Rate(11, 800))
    assert round(result.lift + 1, 6) == 1.971488


@pytest.mark.parametrize(("y1", "e1", "y2", "e2"), CASES)
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_p_value_matches_statsmodels(y1, e1, y2, e2, alternative):
    result = compare(Rate(y2, e2), Rate(y1, e1), alternative=alternative)
    expected = sm_rates.test_poisson_2indep(
        y1, e1, y2, e2, method="score", compare="ratio", alternative=alternative
    )
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-9)
    diff = sm_rates.test_poisson_2indep(
        y1, e1, y2, e2, method="score", compare="diff", alternative=alternative
    )
    assert result.p_value == pytest.approx(diff.pvalue, rel=1e-9)


@pytest.mark.parametrize(("y1", "e1", "y2", "e2"), CASES)
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_intervals_match_statsmodels(y1, e1, y2, e2, alpha):
    result = compare(Rate(y2, e2), Rate(y1, e1), alpha=alpha)
    low, high = sm_rates.confint_poisson_2indep(
        y1, e1, y2, e2, method="score", compare="diff", alpha=alpha
    )
    # statsmodels stops its search (fmin, xtol=1e-8) within 1e-8 of the bound in
    # absolute terms, which for rates per unit is looser than 1e-6 relative; the next
    # test shows ours is the bound to the last digits.
    assert result.difference_ci == pytest.approx((low, high), rel=1e-6, abs=1e-8)
    if y1 > 0:
        low, high = sm_rates.confint_poisson_2indep(
            y1, e1, y2, e2, method="score", compare="ratio", alpha=alpha
        )
        assert result.lift_ci == pytest.approx((low - 1, high - 1), rel=1e-6)
    else:
        # statsmodels' search wanders off zero; the score bound is exactly ratio 0.
        assert result.lift_ci[0] == -1.0


@pytest.mark.parametrize(("y1", "e1", "y2", "e2"), CASES)
def test_statsmodels_test_gives_alpha_at_our_bounds(y1, e1, y2, e2):
    result = compare(Rate(y2, e2), Rate(y1, e1))
    for bound in result.difference_ci:
        at_bound = sm_rates.test_poisson_2indep(
            y1, e1, y2, e2, value=bound, method="score", compare="diff"
        )
        assert at_bound.pvalue == pytest.approx(0.05, rel=1e-9)
    if result.lift_ci is not None and y1 > 0:
        for bound in result.lift_ci:
            at_bound = sm_rates.test_poisson_2indep(
                y1, e1, y2, e2, value=bound + 1, method="score", compare="ratio"
            )
            assert at_bound.pvalue == pytest.approx(0.05, rel=1e-9)


def test_one_sided_bounds_are_the_two_sided_ones_at_twice_alpha():
    y1, e1, y2, e2 = CASES[0]
    larger = compare(Rate(y2, e2), Rate(y1, e1), alternative="larger")
    low, _ = sm_rates.confint_poisson_2indep(y1, e1, y2, e2, method="score", alpha=0.1)
    assert larger.lift_ci == (pytest.approx(low - 1, rel=1e-6), math.inf)
    _, high = sm_rates.confint_poisson_2indep(
        y1, e1, y2, e2, method="score", compare="diff", alpha=0.1
    )
    smaller = compare(Rate(y2, e2), Rate(y1, e1), alternative="smaller")
    assert smaller.difference_ci == (-math.inf, pytest.approx(high, rel=1e-6, abs=1e-8))


def test_zero_control_events_leave_lift_undefined():
    result = compare(Rate(0, 500.0), Rate(12, 500.0))
    assert result.lift is None
    assert result.lift_ci is None
    assert result.significant
    assert result.difference_ci[0] > 0


def test_few_events_warn():
    result = compare(Rate(2, 100.0), Rate(4, 100.0))
    assert "small_sample" in [caveat.code for caveat in result.warnings]


def test_no_events_raise():
    with pytest.raises(InsufficientDataError, match="No events in either arm"):
        compare(Rate(0, 100.0), Rate(0, 90.0))


def test_chance_to_beat_control_is_the_normal_approximation():
    result = compare(Rate(100, 1000.0), Rate(120, 1000.0))
    se = math.sqrt(0.1 / 1000 + 0.12 / 1000)
    assert result.chance_to_beat_control == pytest.approx(special.ndtr(0.02 / se))
