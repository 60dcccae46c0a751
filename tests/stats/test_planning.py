"""Sample sizes, minimum detectable effects, the sample-ratio check and multiplicity."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats
from statsmodels.stats import multitest
from statsmodels.stats import power as sm_power
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats import rates as sm_rates

from experiments.stats import (
    SampleSize,
    adjust_p_values,
    minimum_detectable_effect_mean,
    minimum_detectable_effect_proportion,
    sample_size_mean,
    sample_size_proportion,
    sample_size_rate,
    srm_check,
)


@pytest.mark.parametrize(
    ("baseline", "mde", "ratio", "alternative"),
    [
        (0.10, 0.02, 1.0, "two-sided"),
        (0.10, -0.02, 1.0, "two-sided"),
        (0.30, 0.05, 2.0, "two-sided"),
        (0.05, 0.01, 0.5, "larger"),
        (0.50, -0.1, 1.0, "smaller"),
        (0.02, 0.004, 3.0, "two-sided"),
    ],
)
def test_proportion_sizes_match_statsmodels(baseline, mde, ratio, alternative):
    size = sample_size_proportion(baseline, mde, ratio=ratio, alternative=alternative)
    # statsmodels' sample 1 is the variant; its ratio is control over variant.
    variant = sm_proportion.samplesize_proportions_2indep_onetail(
        mde, baseline, 0.8, ratio=1 / ratio, alpha=0.05, alternative=alternative
    )
    assert size == SampleSize(
        control=math.ceil(variant / ratio),
        variant=math.ceil(variant),
        total=math.ceil(variant / ratio) + math.ceil(variant),
    )


def test_relative_mde_reads_as_a_fraction_of_the_baseline():
    assert sample_size_proportion(0.2, 0.1, relative=True) == sample_size_proportion(0.2, 0.02)
    assert sample_size_mean(10.0, 0.05, baseline=80.0, relative=True) == sample_size_mean(10.0, 4.0)
    assert sample_size_rate(0.5, 0.2, relative=True) == sample_size_rate(0.5, 0.1)


@pytest.mark.parametrize(
    ("sd", "mde", "ratio", "alternative"),
    [
        (20.0, 5.0, 1.0, "two-sided"),
        (1.0, 0.3, 2.0, "two-sided"),
        (4.0, 1.0, 1.0, "larger"),
        (4.0, -1.0, 0.5, "smaller"),
        (10.0, 15.0, 1.0, "two-sided"),
    ],
)
def test_mean_sizes_match_statsmodels(sd, mde, ratio, alternative):
    size = sample_size_mean(sd, mde, ratio=ratio, alternative=alternative)
    control = sm_power.TTestIndPower().solve_power(
        effect_size=mde / sd, alpha=0.05, power=0.8, ratio=ratio, alternative=alternative
    )
    assert size.control == max(2, math.ceil(control))
    assert size.variant == max(2, math.ceil(control * ratio))


@pytest.mark.parametrize(
    ("baseline", "mde", "ratio"), [(0.05, 0.01, 1.0), (2.0, -0.3, 1.0), (0.1, 0.05, 2.0)]
)
def test_rate_sizes_give_the_planned_power_by_statsmodels(baseline, mde, ratio):
    size = sample_size_rate(baseline, mde, ratio=ratio)

    def power(variant_exposure):
        return sm_rates.power_poisson_ratio_2indep(
            baseline + mde,
            baseline,
            variant_exposure,
            nobs_ratio=1 / ratio,
            value=1,
            alpha=0.05,
            alternative="two-sided",
            method_var="score",
        ).power

    assert power(size.variant) >= 0.8
    assert power(size.variant - 1) < 0.8 + 1e-4  # the far tail adds a trifle


@pytest.mark.parametrize(("baseline", "mde"), [(0.1, 0.02), (0.3, -0.05), (0.02, 0.01)])
def test_proportion_size_gives_the_planned_power_back(baseline, mde):
    size = sample_size_proportion(baseline, mde)

    def power(n):
        return sm_proportion.power_proportions_2indep(mde, baseline, n, ratio=1.0).power

    assert power(size.variant) >= 0.8
    assert power(size.variant - 1) < 0.8 + 1e-4


def test_mean_size_gives_the_planned_power_back():
    size = sample_size_mean(15.0, 4.0)
    analysis = sm_power.TTestIndPower()
    assert analysis.power(4.0 / 15.0, size.control, 0.05) >= 0.8
    assert analysis.power(4.0 / 15.0, size.control - 1, 0.05) < 0.8


def test_minimum_detectable_effects_invert_the_sample_sizes():
    size = sample_size_proportion(0.12, 0.03)
    mde = minimum_detectable_effect_proportion(0.12, size.control)
    assert 0.029 < mde <= 0.03
    assert minimum_detectable_effect_proportion(0.12, size.control, relative=True) == (
        pytest.approx(mde / 0.12)
    )
    effect = sm_power.TTestIndPower().solve_power(nobs1=300, alpha=0.05, power=0.8)
    assert minimum_detectable_effect_mean(8.0, 300) == pytest.approx(8.0 * effect, rel=1e-6)
    assert minimum_detectable_effect_mean(8.0, 300, baseline=40.0, relative=True) == (
        pytest.approx(8.0 * effect / 40.0, rel=1e-6)
    )


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: sample_size_proportion(1.2, 0.1), ValueError, "baseline must be a proportion"),
        (lambda: sample_size_proportion(0.95, 0.1), ValueError, r"baseline \+ mde must be"),
        (lambda: sample_size_proportion(0.1, 0.0), ValueError, "mde must not be zero"),
        (lambda: sample_size_proportion(0.1, 0.02, power=1.0), ValueError, "power must be"),
        (lambda: sample_size_proportion(0.1, 0.02, ratio=0), ValueError, "ratio"),
        (
            lambda: sample_size_proportion(0.1, -0.02, alternative="larger"),
            ValueError,
            "points the other way",
        ),
        (lambda: sample_size_mean(0.0, 1.0), ValueError, "sd must be above zero"),
        (lambda: sample_size_mean(1.0, 0.1, relative=True), ValueError, "baseline is needed"),
        (lambda: sample_size_rate(0.0, 0.1), ValueError, "baseline_rate must be above zero"),
        (lambda: sample_size_rate(0.1, -0.2), ValueError, r"baseline_rate \+ mde"),
        (lambda: minimum_detectable_effect_mean(1.0, 1), ValueError, "n_per_arm must be at"),
        (lambda: minimum_detectable_effect_proportion(0.5, 3), ValueError, "too small"),
        (lambda: sample_size_mean(1.0, "x"), TypeError, "mde must be a number"),
    ],
)
def test_planning_rejects_bad_arguments(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_srm_matches_scipy_chisquare():
    observed, weights = [5100, 4800, 10300], [1, 1, 2]
    result = srm_check(observed, weights)
    expected = np.array(weights) / sum(weights) * sum(observed)
    reference = scipy_stats.chisquare(observed, expected)
    assert result.statistic == pytest.approx(reference.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert result.expected == pytest.approx(tuple(expected))
    assert result.mismatch is bool(reference.pvalue < 0.001)


def test_srm_flags_a_broken_split():
    assert srm_check([50_000, 51_500], [0.5, 0.5]).mismatch
    assert not srm_check([50_000, 50_100], [0.5, 0.5]).mismatch


@pytest.mark.parametrize(
    ("observed", "weights", "words"),
    [
        ([10], [1.0], "at least two arms"),
        ([10, 20], [1.0], "one weight per arm"),
        ([10, -2], [1.0, 1.0], "zero or more"),
        ([0, 0], [1.0, 1.0], "at least one unit"),
        ([10, 20], [1.0, 0.0], "weights must be finite and above zero"),
    ],
)
def test_srm_rejects_bad_arguments(observed, weights, words):
    with pytest.raises(ValueError, match=words):
        srm_check(observed, weights)


@pytest.mark.parametrize("method", ["holm", "fdr_bh", "bonferroni"])
@pytest.mark.parametrize("seed", range(5))
def test_adjusted_p_values_match_statsmodels(method, seed):
    p_values = list(np.random.default_rng(seed).uniform(0, 0.2, 2 + seed))
    expected = multitest.multipletests(p_values, method=method)[1]
    assert adjust_p_values(p_values, method) == pytest.approx(list(expected), rel=1e-12)


def test_adjust_p_values_rejects_bad_input():
    with pytest.raises(ValueError, match="method must be one of"):
        adjust_p_values([0.1], "sidak")
    with pytest.raises(ValueError, match="p_values must be between 0 and 1"):
        adjust_p_values([0.1, 1.2])
