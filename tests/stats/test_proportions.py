"""Two proportions: the score test, its inverted intervals and the small-sample caveat."""

import math

import numpy as np
import pytest
from scipy import optimize, special
from scipy.stats import chi2_contingency
from statsmodels.stats import proportion as sm_proportion

from experiments.stats import InsufficientDataError, Proportion, compare
from experiments.stats import _scores as scores

Z95 = float(special.ndtri(0.975))

# (variant successes, variant trials, control successes, control trials)
CASES = [
    (130, 1000, 100, 1000),
    (5, 83, 12, 99),
    (7, 34, 1, 34),
    (36, 40, 16, 80),
    (45, 50, 40, 50),
    (1, 20, 3, 25),
    (480, 5000, 520, 5100),
    (12, 12000, 30, 11000),
]


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), CASES)
@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_p_value_is_the_pooled_z_test(x1, n1, x2, n2, alternative):
    result = compare(Proportion(x2, n2), Proportion(x1, n1), alternative=alternative)
    z, p_value = sm_proportion.proportions_ztest([x1, x2], [n1, n2], alternative=alternative)
    score = sm_proportion.test_proportions_2indep(
        x1, n1, x2, n2, method="score", compare="diff", correction=False, alternative=alternative
    )
    assert result.p_value == pytest.approx(p_value, rel=1e-9)
    assert result.p_value == pytest.approx(score.pvalue, rel=1e-9)
    assert result.statistic == pytest.approx(z, rel=1e-9)


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), CASES)
def test_ratio_interval_matches_statsmodels_away_from_the_edges(x1, n1, x2, n2):
    result = compare(Proportion(x2, n2), Proportion(x1, n1))
    low, upp = sm_proportion.confint_proportions_2indep(
        x1, n1, x2, n2, method="score", compare="ratio", correction=False
    )
    assert result.lift_ci == pytest.approx((low - 1, upp - 1), rel=1e-6)


def test_r_prop_test_smokers_first_two_groups():
    # R ?prop.test example data: smokers <- c(83, 90, 129, 70), patients <- c(86, 93,
    # 136, 82). R was not available here, so the two-group value of
    # prop.test(smokers[1:2], patients[1:2], correct = FALSE) is computed with scipy's
    # chi2_contingency(correction=False), which is the same Pearson chi-square:
    # X-squared = z^2 and the same p-value.
    table = [[83, 86 - 83], [90, 93 - 90]]
    chi2, p_value, _, _ = chi2_contingency(table, correction=False)
    result = compare(Proportion(90, 93), Proportion(83, 86))
    assert result.statistic**2 == pytest.approx(chi2, rel=1e-9)
    assert result.p_value == pytest.approx(p_value, rel=1e-9)


def test_statsmodels_own_example():
    # statsmodels' documented example of proportions_ztest: counts [5, 12] out of
    # [83, 99] print a p-value of 0.159.
    result = compare(Proportion(12, 99), Proportion(5, 83))
    assert round(result.p_value, 3) == 0.159


def test_published_intervals_fagerland_lydersen_laake():
    # Fagerland, Lydersen and Laake (2015), Recommended confidence intervals for two
    # independent binomial proportions, Stat Methods Med Res 24(2): 7/34 against 1/34.
    # Miettinen-Nurminen difference 0.028 to 0.34; Koopman score ratio 1.21 to 43.
    result = compare(Proportion(1, 34), Proportion(7, 34))
    low, high = result.difference_ci
    assert (round(low, 3), round(high, 2)) == (0.028, 0.34)
    # Koopman's ratio interval carries the variance factor N / (N - 1) that our
    # convention leaves out (it equals statsmodels' correction=True); with the factor
    # put back, our solver gives the published figures, and without it 1.22 to 42.6.
    z = Z95 * math.sqrt(68 / 67)
    low, high = scores.ratio_interval(7, 34, 1, 34, z, z)
    assert (round(low, 2), round(high)) == (1.21, 43)
    low, high = result.lift_ci
    assert (round(low + 1, 2), round(high + 1, 1)) == (1.22, 42.6)


def test_published_ratio_interval_koopman_nam():
    # Koopman (1984), Biometrics 40, example as recomputed by Nam (1995), Biometrics 51,
    # with the score statistic without the N / (N - 1) factor: 36/40 against 16/80,
    # 95% score interval of the ratio 2.940 to 7.152.
    result = compare(Proportion(16, 80), Proportion(36, 40))
    low, high = result.lift_ci
    assert (round(low + 1, 3), round(high + 1, 3)) == (2.940, 7.152)


def test_fisher_exact_p_value_for_small_samples():
    # R ?fisher.test, "Tea tasting": matrix(c(3, 1, 1, 3)), alternative = "greater"
    # gives p-value = 0.2429 (R 4.x documentation example).
    result = compare(Proportion(1, 4), Proportion(3, 4), alternative="larger")
    assert [caveat.code for caveat in result.warnings] == ["small_sample"]
    assert round(result.exact_p_value, 4) == 0.2429
    assert "Fisher" in result.warnings[0].message


def test_no_caveat_and_no_exact_p_value_for_large_samples():
    result = compare(Proportion(100, 1000), Proportion(130, 1000))
    assert result.warnings == ()
    assert result.exact_p_value is None


def _neg_log_likelihood(x1, n1, x2, n2, p1, p2):
    return -(
        special.xlogy(x1, p1)
        + special.xlog1py(n1 - x1, -p1)
        + special.xlogy(x2, p2)
        + special.xlog1py(n2 - x2, -p2)
    )


def _brute_diff_cmle(x1, n1, x2, n2, delta):
    low, high = max(0.0, -delta), min(1.0, 1.0 - delta)

    def objective(p2):
        return _neg_log_likelihood(x1, n1, x2, n2, p2 + delta, p2)

    found = optimize.minimize_scalar(
        objective, bounds=(low, high), method="bounded", options={"xatol": 1e-13}
    )
    return found.x + delta, found.x


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [*CASES, (0, 50, 50, 50), (50, 50, 3, 40)])
@pytest.mark.parametrize("delta", [-0.9, -0.5, -0.12, 0.0, 0.05, 0.3, 0.77, 0.95])
def test_difference_estimate_maximizes_the_constrained_likelihood(x1, n1, x2, n2, delta):
    p1, p2 = scores.diff_cmle(x1, n1, x2, n2, delta)
    assert p1 - p2 == pytest.approx(delta, abs=1e-12)
    best = _brute_diff_cmle(x1, n1, x2, n2, delta)
    ours = _neg_log_likelihood(x1, n1, x2, n2, p1, p2)
    assert ours <= _neg_log_likelihood(x1, n1, x2, n2, *best) + 1e-9


@pytest.mark.parametrize(("x1", "n1", "x2", "n2"), [*CASES, (50, 50, 3, 40)])
@pytest.mark.parametrize("ratio", [0.05, 0.5, 1.0, 1.7, 4.0])
def test_ratio_estimate_maximizes_the_constrained_likelihood(x1, n1, x2, n2, ratio):
    p1, p2 = scores.ratio_cmle(x1, n1, x2, n2, ratio)
    assert p1 == pytest.approx(ratio * p2, rel=1e-12)
    ours = _neg_log_likelihood(x1, n1, x2, n2, p1, p2)
    others = np.linspace(1e-9, min(1.0, 1.0 / ratio) - 1e-9, 20001)
    assert ours <= np.min(_neg_log_likelihood(x1, n1, x2, n2, ratio * others, others)) + 1e-9


def _diff_score(x1, n1, x2, n2, delta):
    return (x1 / n1 - x2 / n2 - delta) / scores.diff_se(x1, n1, x2, n2, delta)


def _ratio_score(x1, n1, x2, n2, ratio):
    num, se = scores.ratio_num_se(x1, n1, x2, n2, ratio)
    return num / se


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"), [*CASES, (45, 50, 50, 50), (0, 40, 9, 40), (50, 50, 45, 50)]
)
def test_score_statistic_equals_the_critical_value_at_each_bound(x1, n1, x2, n2):
    result = compare(Proportion(x2, n2), Proportion(x1, n1))
    low, high = result.difference_ci
    for bound, target in ((low, Z95), (high, -Z95)):
        if abs(bound) < 1.0:
            assert _diff_score(x1, n1, x2, n2, bound) == pytest.approx(target, rel=1e-7)
    low, high = result.lift_ci
    for bound, target in ((low + 1.0, Z95), (high + 1.0, -Z95)):
        if 0.0 < bound < math.inf:
            assert _ratio_score(x1, n1, x2, n2, bound) == pytest.approx(target, rel=1e-7)


def test_cases_where_statsmodels_fails():
    # statsmodels 0.15 raises "f(a) and f(b) must have different signs" for the score
    # interval of the difference here; ours is found and checked above.
    result = compare(Proportion(12, 99), Proportion(5, 83))
    low, high = result.difference_ci
    assert low < result.difference < high < 0.05
    # statsmodels' ratio interval stops at the feasible edge 0.95 when control converts
    # at 100%: the true score bound is well below.
    result = compare(Proportion(50, 50), Proportion(45, 50))
    assert result.lift_ci[0] + 1 == pytest.approx(0.7864, abs=1e-4)
    assert _ratio_score(45, 50, 50, 50, result.lift_ci[0] + 1) == pytest.approx(Z95)


def test_one_sided_interval_is_the_two_sided_one_at_twice_alpha():
    larger = compare(Proportion(100, 1000), Proportion(130, 1000), alternative="larger")
    two_sided = compare(Proportion(100, 1000), Proportion(130, 1000), alpha=0.1)
    assert larger.difference_ci == (pytest.approx(two_sided.difference_ci[0]), math.inf)
    assert larger.lift_ci == (pytest.approx(two_sided.lift_ci[0]), math.inf)
    smaller = compare(Proportion(100, 1000), Proportion(130, 1000), alternative="smaller")
    assert smaller.difference_ci == (-math.inf, pytest.approx(two_sided.difference_ci[1]))
    assert smaller.p_value == pytest.approx(1 - larger.p_value)


def test_extreme_arms_give_finite_bounds_within_the_range():
    result = compare(Proportion(50, 50), Proportion(0, 50))
    assert result.difference_ci[0] == -1.0
    assert -1.0 < result.difference_ci[1] < -0.9
    assert result.lift_ci[0] == -1.0
    assert result.significant


def test_zero_control_leaves_lift_undefined_but_tests_the_difference():
    result = compare(Proportion(0, 200), Proportion(9, 200))
    assert result.lift is None
    assert result.lift_ci is None
    assert "lift_undefined" in [caveat.code for caveat in result.warnings]
    assert result.significant
    assert result.difference_ci[0] > 0
    assert "percentage points" in result.summary()


@pytest.mark.parametrize(
    ("control", "variant", "words"),
    [
        (Proportion(0, 30), Proportion(0, 40), "No successes in either arm"),
        (Proportion(30, 30), Proportion(40, 40), "Every trial succeeded in both arms"),
    ],
)
def test_nothing_to_test_raises_a_sentence(control, variant, words):
    with pytest.raises(InsufficientDataError, match=words):
        compare(control, variant)


def _exact_chance(a1, b1, a2, b2):
    # Evan Miller's closed form of P(X1 > X2) for Beta posteriors with integer a1.
    total = 0.0
    for i in range(int(a1)):
        total += math.exp(
            special.betaln(a2 + i, b1 + b2)
            - math.log(b1 + i)
            - special.betaln(1 + i, b1)
            - special.betaln(a2, b2)
        )
    return total


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2"),
    [*CASES, (0, 5, 0, 3), (3, 3, 0, 2), (2, 10, 800, 4000), (400, 4000, 3, 10), (0, 9000, 1, 10)],
)
def test_chance_to_beat_control_is_the_beta_posterior_probability(x1, n1, x2, n2):
    result_chance = _chance(x1, n1, x2, n2)
    expected = _exact_chance(1 + x1, 1 + n1 - x1, 1 + x2, 1 + n2 - x2)
    assert result_chance == pytest.approx(expected, abs=1e-9)


def _chance(x1, n1, x2, n2):
    from experiments.stats import _bayes

    return _bayes.beta_chance_above(1 + x1, 1 + n1 - x1, 1 + x2, 1 + n2 - x2)
