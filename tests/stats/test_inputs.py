"""The arms' sufficient statistics: checked when made, built from raw values, merged."""

import math

import numpy as np
import pytest

from experiments.stats import Mean, Proportion, Rate


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Proportion(-1, 10), ValueError, "successes must be zero or more"),
        (lambda: Proportion(11, 10), ValueError, r"successes \(11\) must not be above trials"),
        (lambda: Proportion(0, 0), ValueError, "trials must be at least 1"),
        (lambda: Proportion(2.5, 10), TypeError, "successes must be a whole number"),
        (lambda: Proportion(True, 10), TypeError, "successes must be a whole number"),
        (lambda: Proportion("3", 10), TypeError, "successes must be a whole number"),
        (lambda: Mean(1, 2.0, 1.0), ValueError, "n must be at least 2"),
        (lambda: Mean(10, 2.0, -1.0), ValueError, "sd must be zero or more"),
        (lambda: Mean(10, 2.0, math.nan), ValueError, "sd must be a finite number"),
        (lambda: Mean(10, math.inf, 1.0), ValueError, "mean must be a finite number"),
        (lambda: Mean(10, "2", 1.0), TypeError, "mean must be a number"),
        (lambda: Rate(-2, 10.0), ValueError, "events must be zero or more"),
        (lambda: Rate(2, 0.0), ValueError, "exposure must be above zero"),
        (lambda: Rate(2, -5.0), ValueError, "exposure must be above zero"),
        (lambda: Rate(2, math.inf), ValueError, "exposure must be a finite number"),
        (lambda: Proportion.from_values([0, 1, 2]), ValueError, "values must be 0 or 1"),
        (lambda: Proportion.from_values([]), ValueError, "at least one outcome"),
        (lambda: Mean.from_values([1.0]), ValueError, "at least 2 numbers"),
        (lambda: Mean.from_values([1.0, math.nan]), ValueError, "values must be a finite"),
        (lambda: Rate.from_values([1, -1]), ValueError, "values must be zero or more"),
        (lambda: Rate.from_values([1, 2], [1.0]), ValueError, "one exposure per value"),
    ],
)
def test_bad_figures_are_rejected_with_the_field_and_the_rule(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_whole_floats_and_numpy_integers_are_accepted_as_counts():
    assert Proportion(np.int64(3), 10.0) == Proportion(3, 10)
    assert type(Proportion(np.int64(3), 10).successes) is int


def test_inputs_are_frozen():
    arm = Proportion(3, 10)
    with pytest.raises(AttributeError):
        arm.successes = 4  # type: ignore[misc]


def test_from_values():
    assert Proportion.from_values([True, False, 1, 0, 1]) == Proportion(3, 5)
    mean = Mean.from_values([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    assert mean.n == 8
    assert mean.mean == 5.0
    assert mean.sd == pytest.approx(np.std([2, 4, 4, 4, 5, 5, 7, 9], ddof=1))
    assert Rate.from_values([0, 1, 3], [2.0, 2.0, 1.0]) == Rate(4, 5.0)


def test_merging_is_the_same_as_pooling_raw_data():
    first, second = [1.0, 5.0, 2.5], [10.0, -3.0, 4.0, 4.5]
    merged = Mean.from_values(first) + Mean.from_values(second)
    pooled = Mean.from_values(first + second)
    assert merged.n == pooled.n
    assert merged.mean == pytest.approx(pooled.mean)
    assert merged.sd == pytest.approx(pooled.sd)
    assert Proportion(3, 10) + Proportion(4, 5) == Proportion(7, 15)
    assert Rate(3, 10.0) + Rate(4, 5.5) == Rate(7, 15.5)


def test_merging_different_kinds_is_a_type_error():
    with pytest.raises(TypeError):
        Proportion(3, 10) + Rate(3, 10.0)  # type: ignore[operator]
