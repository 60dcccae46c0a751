"""The public surface: argument checks, several variants, the sentence, the imports."""

import math
import subprocess
import sys
from dataclasses import FrozenInstanceError

import pytest

import experiments.stats as stats
from experiments.stats import (
    Caveat,
    Comparison,
    InsufficientDataError,
    Mean,
    Proportion,
    Rate,
    compare,
    compare_arms,
)

PUBLIC = [
    "compare",
    "Proportion",
    "Mean",
    "Rate",
    "compare_arms",
    "sample_size_proportion",
    "sample_size_mean",
    "sample_size_rate",
    "minimum_detectable_effect_proportion",
    "minimum_detectable_effect_mean",
    "srm_check",
    "adjust_p_values",
    "Comparison",
    "ArmsComparison",
    "SampleSize",
    "SrmResult",
    "Caveat",
    "InsufficientDataError",
]


def test_everything_public_is_exported():
    for name in PUBLIC:
        assert name in stats.__all__
        assert getattr(stats, name) is not None


def test_importing_the_engine_pulls_in_neither_the_web_nor_plotting():
    code = (
        "import sys, experiments.stats;"
        "heavy = [m for m in ('flask', 'matplotlib', 'sqlmodel', 'statsmodels')"
        " if m in sys.modules];"
        "print(','.join(heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="."
    )
    assert done.stdout.strip() == ""


def test_insufficient_data_is_a_value_error():
    assert issubclass(InsufficientDataError, ValueError)


def test_arms_of_different_kinds_are_a_type_error():
    with pytest.raises(TypeError, match="control and variant must be of one kind"):
        compare(Proportion(3, 10), Mean(10, 1.0, 1.0))
    with pytest.raises(TypeError, match="must be of one kind"):
        compare((3, 10), (4, 10))  # type: ignore[arg-type]


@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.5, -0.1, math.nan])
def test_alpha_out_of_range(alpha):
    with pytest.raises(ValueError, match=r"alpha must be between 0 and 0\.5"):
        compare(Proportion(3, 10), Proportion(4, 10), alpha=alpha)


def test_unknown_alternative():
    with pytest.raises(ValueError, match="alternative must be 'two-sided', 'larger'"):
        compare(Proportion(3, 10), Proportion(4, 10), alternative="greater")  # type: ignore[arg-type]


def test_comparison_is_frozen_and_documents_each_field():
    result = compare(Proportion(30, 100), Proportion(40, 100))
    with pytest.raises(FrozenInstanceError):
        result.p_value = 0.0  # type: ignore[misc]
    for field in Comparison.__dataclass_fields__:
        assert f"{field}:" in (Comparison.__doc__ or "")
    assert result.kind == "proportion"
    assert result.adjusted_p_value == result.p_value


def test_compare_arms_adjusts_with_holm_and_judges_on_the_adjusted_value():
    control = Proportion(100, 1000)
    variants = {"B": Proportion(130, 1000), "C": Proportion(98, 1000), "D": Proportion(127, 1000)}
    arms = compare_arms(control, variants)
    singles = {name: compare(control, arm) for name, arm in variants.items()}
    p = [singles[name].p_value for name in variants]
    assert list(arms.comparisons) == ["B", "C", "D"]
    expected = stats.adjust_p_values(p, "holm")
    for (name, comparison), adjusted in zip(arms.comparisons.items(), expected, strict=True):
        assert comparison.p_value == singles[name].p_value
        assert comparison.adjusted_p_value == adjusted
        assert comparison.significant == (adjusted < 0.05)
        assert comparison.difference_ci == singles[name].difference_ci
    assert singles["B"].significant and not arms.comparisons["B"].significant
    assert [caveat.code for caveat in arms.warnings] == ["multiple_variants"]
    assert "Holm" in arms.warnings[0].message
    assert "adjusted p = " in arms.comparisons["B"].summary()


def test_compare_arms_with_one_variant_or_no_correction_keeps_the_p_value():
    one = compare_arms(Mean(30, 10.0, 2.0), {"B": Mean(30, 11.0, 2.0)})
    assert one.comparisons["B"].adjusted_p_value == one.comparisons["B"].p_value
    assert one.warnings == ()
    many = compare_arms(
        Rate(30, 100.0), {"B": Rate(40, 100.0), "C": Rate(50, 100.0)}, correction="none"
    )
    for comparison in many.comparisons.values():
        assert comparison.adjusted_p_value == comparison.p_value
    assert "NOT adjusted" in many.warnings[0].message


@pytest.mark.parametrize(
    ("variants", "correction", "error", "words"),
    [
        ({}, "holm", ValueError, "at least one variant"),
        ({"B": Proportion(3, 10)}, "sidak", ValueError, "correction must be one of"),
        ({"B": Mean(10, 1.0, 1.0)}, "holm", TypeError, "of one kind"),
        ({3: Proportion(3, 10)}, "holm", TypeError, "keyed by non-empty names"),
    ],
)
def test_compare_arms_rejects_bad_arguments(variants, correction, error, words):
    with pytest.raises(error, match=words):
        compare_arms(Proportion(3, 10), variants, correction=correction)


def test_summary_words_by_kind_and_direction():
    worse = compare(Proportion(130, 1000), Proportion(100, 1000))
    assert worse.summary().startswith("Variant converts 23.1% worse than control (95% CI -")
    higher = compare(Mean(200, 100.0, 20.0), Mean(200, 104.2, 20.0))
    assert higher.summary(variant_name="B", control_name="A").startswith(
        "B's mean is 4.2% higher than A's (95% CI +"
    )
    lower = compare(Rate(200, 1000.0), Rate(150, 1000.0))
    sentence = lower.summary(variant_name="Callbacks")
    assert sentence.startswith("Callbacks' rate is 25.0% lower than control's")
    assert sentence.endswith("significant at alpha 0.05.")
    flat = compare(Proportion(100, 1000), Proportion(104, 1000))
    assert flat.summary().endswith("not significant at alpha 0.05.")


def test_summary_of_a_one_sided_test_prints_the_infinite_bound():
    result = compare(Proportion(100, 1000), Proportion(130, 1000), alternative="larger")
    assert "(95% one-sided CI +" in result.summary()
    assert "to +∞)" in result.summary()


def test_caveat_is_a_code_and_a_message_with_what_to_do():
    result = compare(Proportion(1, 20), Proportion(4, 20))
    (caveat,) = result.warnings
    assert isinstance(caveat, Caveat)
    assert caveat.code == "small_sample"
    assert "keep collecting data" in caveat.message


@pytest.mark.parametrize(
    ("control", "variant"),
    [
        (Rate(5, 1e-320), Rate(3, 1.0)),
        (Mean(3, 1e308, 1e308), Mean(3, -1e308, 1e308)),
    ],
)
def test_figures_beyond_floating_point_raise_instead_of_giving_nan(control, variant):
    with pytest.raises(ValueError, match=r"too (extreme|small)"):
        compare(control, variant)
