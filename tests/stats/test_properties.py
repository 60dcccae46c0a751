"""Properties that must hold for any figures (hypothesis)."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from statsmodels.stats import power as sm_power
from statsmodels.stats import proportion as sm_proportion

from experiments.stats import (
    InsufficientDataError,
    Mean,
    Proportion,
    Rate,
    compare,
    sample_size_mean,
    sample_size_proportion,
)

FAST = settings(max_examples=150, deadline=None)
ALTERNATIVES = st.sampled_from(["two-sided", "larger", "smaller"])
ALPHAS = st.sampled_from([0.01, 0.05, 0.1])


@st.composite
def proportions(draw):
    trials = draw(st.integers(1, 5000))
    return Proportion(draw(st.integers(0, trials)), trials)


@st.composite
def means(draw):
    n = draw(st.integers(2, 5000))
    mean = draw(st.floats(-1e4, 1e4, allow_nan=False))
    sd = draw(st.floats(0, 1e3, allow_nan=False))
    return Mean(n, mean, sd)


@st.composite
def rates(draw):
    exposure = draw(st.floats(0.5, 1e6, allow_nan=False))
    return Rate(draw(st.integers(0, 5000)), exposure)


ARM_PAIRS = st.one_of(
    st.tuples(proportions(), proportions()),
    st.tuples(means(), means()),
    st.tuples(rates(), rates()),
)


def _compare_or_skip(control, variant, **options):
    try:
        return compare(control, variant, **options)
    except InsufficientDataError:
        assume(False)
        raise


def _contains(interval, value, slack=1e-9):
    low, high = interval
    scale = slack * max(1.0, abs(value))
    return low - scale <= value <= high + scale


def _excludes_zero(interval):
    return interval[0] > 0 or interval[1] < 0


@FAST
@given(ARM_PAIRS, ALPHAS, ALTERNATIVES)
def test_every_figure_is_a_number_in_range(pair, alpha, alternative):
    result = _compare_or_skip(*pair, alpha=alpha, alternative=alternative)
    assert 0.0 <= result.p_value <= 1.0
    assert 0.0 <= result.chance_to_beat_control <= 1.0
    assert _contains(result.difference_ci, result.difference)
    numbers = [result.p_value, result.statistic, result.difference, *result.difference_ci]
    if result.lift is not None:
        assert _contains(result.lift_ci, result.lift)
        numbers += [result.lift, *result.lift_ci]
    assert not any(math.isnan(number) for number in numbers)
    assert result.summary().endswith(f"significant at alpha {alpha:g}.")


@FAST
@given(ARM_PAIRS, ALPHAS, ALTERNATIVES)
def test_significance_agrees_with_the_intervals(pair, alpha, alternative):
    result = _compare_or_skip(*pair, alpha=alpha, alternative=alternative)
    # Skip the knife edge where the p-value is alpha to within rounding.
    assume(abs(result.p_value - alpha) > 1e-7 * alpha)
    assert _excludes_zero(result.difference_ci) == result.significant
    if result.lift_ci is not None and "unbounded_lift" not in [c.code for c in result.warnings]:
        assert _excludes_zero(result.lift_ci) == result.significant


@FAST
@given(ARM_PAIRS, ALTERNATIVES)
def test_swapping_the_arms_flips_the_signs_and_keeps_the_p_value(pair, alternative):
    control, variant = pair
    mirror = {"two-sided": "two-sided", "larger": "smaller", "smaller": "larger"}[alternative]
    forward = _compare_or_skip(control, variant, alternative=alternative)
    backward = _compare_or_skip(variant, control, alternative=mirror)
    assert backward.p_value == pytest.approx(forward.p_value, rel=1e-9, abs=1e-300)
    assert backward.difference == -forward.difference
    assert backward.statistic == pytest.approx(-forward.statistic, rel=1e-9, abs=1e-12)
    low, high = forward.difference_ci
    assert backward.difference_ci == pytest.approx((-high, -low), rel=1e-7, abs=1e-10)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.booleans(), min_size=1, max_size=50),
    st.lists(st.booleans(), min_size=1, max_size=50),
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40),
    st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40),
    st.lists(st.integers(0, 20), min_size=1, max_size=40),
    st.lists(st.integers(0, 20), min_size=1, max_size=40),
)
def test_adding_snapshots_is_pooling_the_raw_data(flags_a, flags_b, xs_a, xs_b, ks_a, ks_b):
    assert Proportion.from_values(flags_a) + Proportion.from_values(flags_b) == (
        Proportion.from_values(flags_a + flags_b)
    )
    merged, pooled = Mean.from_values(xs_a) + Mean.from_values(xs_b), Mean.from_values(xs_a + xs_b)
    assert merged.n == pooled.n
    assert merged.mean == pytest.approx(pooled.mean, rel=1e-9, abs=1e-9)
    assert merged.sd == pytest.approx(pooled.sd, rel=1e-7, abs=1e-7)
    assert Rate.from_values(ks_a) + Rate.from_values(ks_b) == Rate.from_values(ks_a + ks_b)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.02, 0.6), st.floats(0.05, 0.5), st.sampled_from([0.5, 1.0, 2.0]))
def test_proportion_size_gives_the_planned_power_back(baseline, lift, ratio):
    mde = baseline * lift
    size = sample_size_proportion(baseline, mde, ratio=ratio)

    def power(variant):
        return sm_proportion.power_proportions_2indep(
            mde, baseline, variant, ratio=1 / ratio, alternative="larger", alpha=0.025
        ).power

    assert power(size.variant) >= 0.8 - 1e-9
    assert power(size.variant - 1) < 0.8


@settings(max_examples=25, deadline=None)
@given(st.floats(0.1, 1.5), st.sampled_from([0.5, 1.0, 2.0]))
def test_mean_size_gives_the_planned_power_back(effect_size, ratio):
    size = sample_size_mean(1.0, effect_size, ratio=ratio)
    analysis = sm_power.TTestIndPower()
    assert analysis.power(effect_size, size.control, 0.05, ratio=ratio) >= 0.8 - 1e-9
    if size.control > 2:
        assert analysis.power(effect_size, size.control - 1, 0.05, ratio=ratio) < 0.8


@FAST
@given(ARM_PAIRS, ALPHAS, ALTERNATIVES)
def test_the_verdict_alone_is_the_test_compare_reports(pair, alpha, alternative):
    """``significance`` (the ledger's "did the gain hold?") answers as ``compare`` does."""
    from experiments.stats import significance

    control, variant = pair
    full = _compare_or_skip(control, variant, alpha=alpha, alternative=alternative)
    alone = significance(control, variant, alpha=alpha, alternative=alternative)
    assert alone.significant == full.significant
    assert alone.p_value == full.p_value
    assert alone.statistic == full.statistic
    assert alone.difference == full.difference


def test_importing_the_engine_or_testing_a_proportion_loads_no_scipy():
    """A report that reads stored analyses and judges shipped gains pays for no SciPy."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, experiments.stats as s;"
        "s.significance(s.Proportion(100, 1000), s.Proportion(130, 1000));"
        "s.significance(s.Rate(10, 100.0), s.Rate(20, 100.0));"
        "print('scipy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=False
    )
    assert loaded.stdout.strip() == "False", loaded.stderr
