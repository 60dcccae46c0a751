"""The design's looks and the one verdict every page shows."""

import math

import pytest

from experiments.design import Design, Look, next_look
from experiments.stats import Proportion, compare, spending_bounds
from experiments.verdict import CALLS_FOR_DECISION, Reading, VariantReading, verdict

WEEKLY = Design("group_sequential", planned_looks=5)
EARLY = Look(number=2, information=0.4, critical_z=3.357, nominal_alpha=0.0008)
FINAL = Look(number=5, information=1.02, critical_z=2.031, nominal_alpha=0.0423)
WINNER = VariantReading("B", significant=True, better=True, lift=0.3, chance_better=0.999)
LOSER = VariantReading("C", significant=True, better=False, lift=-0.2, chance_better=0.001)
FLAT = VariantReading("B", significant=False, better=True, lift=0.02, chance_better=0.6)


def looks(design, fractions, units=1000.0):
    made = []
    for fraction in fractions:
        made.append(
            next_look(
                design,
                earlier=made,
                information=fraction,
                units=units * fraction,
                planned_total=units,
            )
        )
    return made


def test_weekly_looks_take_the_spending_boundaries_of_the_looks_so_far():
    made = looks(WEEKLY, [0.2, 0.4, 0.6])
    assert [look.number for look in made] == [1, 2, 3]
    assert [look.critical_z for look in made] == pytest.approx(
        spending_bounds([0.2, 0.4, 0.6]), abs=1e-9
    )
    assert made[1].nominal_alpha == pytest.approx(2 * (1 - 0.99960), abs=2e-5)


def test_a_second_look_with_no_new_data_spends_no_alpha():
    first = looks(WEEKLY, [0.3])[0]
    again = next_look(WEEKLY, earlier=[first], information=0.3, units=300, planned_total=1000)
    assert again == first
    later = next_look(
        WEEKLY, earlier=[first, again], information=0.6, units=600, planned_total=1000
    )
    assert later.number == 2
    assert later.critical_z == pytest.approx(spending_bounds([0.3, 0.6])[-1])


def test_after_the_maximum_the_final_boundary_stays():
    made = looks(WEEKLY, [0.5, 1.1])
    assert made[-1].final
    assert (
        next_look(WEEKLY, earlier=made, information=1.3, units=1300, planned_total=1000) == made[-1]
    )


def test_a_fixed_design_is_tested_at_its_alpha_at_every_look():
    made = looks(Design("fixed"), [0.3, 0.6, 1.0])
    assert {look.nominal_alpha for look in made} == {0.05}
    assert made[0].critical_z == pytest.approx(1.959964, abs=1e-6)


def test_an_always_valid_look_uses_the_confidence_sequence():
    look = next_look(
        Design("always_valid"), earlier=[], information=1.0, units=400, planned_total=400
    )
    assert look.critical_z == pytest.approx(0.303521 / 0.1, abs=1e-5)


def test_a_one_sided_design_is_tested_on_its_side():
    look = next_look(
        Design("fixed"),
        earlier=[],
        information=1.0,
        units=10,
        planned_total=10,
        alternative="larger",
    )
    assert look.critical_z == pytest.approx(1.644854, abs=1e-6)


def test_a_weekly_design_needs_looks_to_plan_for():
    with pytest.raises(ValueError, match="at least 2"):
        Design("group_sequential", planned_looks=1)
    with pytest.raises(ValueError, match="kind"):
        Design("bayesian")  # type: ignore[arg-type]


def test_an_srm_is_untrustworthy_whatever_the_result():
    reading = Reading(WEEKLY, FINAL, (WINNER,), srm_p_value=1e-6)
    result = verdict(reading)
    assert result.code == "untrustworthy"
    assert result.calls_for_decision and not result.crossed


def test_a_fixed_design_before_its_planned_size_keeps_running_even_when_significant():
    result = verdict(Reading(Design("fixed"), EARLY, (WINNER,)), weeks_left=3.0)
    assert result.code == "keep_running"
    assert not result.calls_for_decision
    assert result.weeks_left == 3.0


def test_a_crossed_boundary_stops_better_or_worse():
    assert verdict(Reading(WEEKLY, EARLY, (WINNER,))).code == "stop_better"
    assert verdict(Reading(WEEKLY, EARLY, (LOSER,))).code == "stop_worse"
    both = verdict(Reading(WEEKLY, EARLY, (LOSER, WINNER)))
    assert both.code == "stop_better" and both.variant == WINNER
    assert verdict(Reading(WEEKLY, EARLY, (WINNER,))).crossed


def test_a_worse_guardrail_overrides_a_win():
    reading = Reading(WEEKLY, EARLY, (WINNER,), guardrails_worse=(("CSAT", "B"),))
    result = verdict(reading)
    assert result.code == "guardrail_worse"
    assert result.guardrails == (("CSAT", "B"),)
    # a guardrail does not turn "keep running" into a stop
    assert verdict(Reading(WEEKLY, EARLY, (FLAT,), guardrails_worse=(("CSAT", "B"),))).code == (
        "keep_running"
    )


def test_the_maximum_without_crossing_is_final_with_no_difference():
    result = verdict(Reading(WEEKLY, FINAL, (FLAT,)), weeks_left=2.0)
    assert result.code == "final_no_difference"
    assert result.weeks_left is None
    assert "keep_running" not in CALLS_FOR_DECISION


def test_no_comparable_data_keeps_running():
    assert verdict(Reading(WEEKLY, EARLY, ())).code == "keep_running"


def test_a_group_sequential_look_is_judged_by_compare_at_its_nominal_level():
    # 3rd weekly look, O'Brien-Fleming: p = 0.004 crosses; p = 0.02 does not.
    look = looks(WEEKLY, [0.2, 0.4, 0.6])[-1]
    strong = compare(Proportion(100, 1000), Proportion(145, 1000), alpha=look.nominal_alpha)
    weak = compare(Proportion(100, 1000), Proportion(130, 1000), alpha=look.nominal_alpha)
    assert strong.p_value < look.nominal_alpha < weak.p_value
    assert math.isclose(look.nominal_alpha, 2 * (1 - 0.99632), abs_tol=1e-4)
