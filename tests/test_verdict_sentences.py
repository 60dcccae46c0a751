"""The verdict's sentence: one per code, never "significant" too early, never "100%",
and every word through the gettext it is given."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tracker.experiments.verdicts import format_chance, shown_verdict


def stored(*, design, look, variants, srm=None, guardrails=()):
    return SimpleNamespace(
        is_primary=True,
        comparisons={
            "kind": "proportion",
            "control": "Control",
            "metric": "Win rate",
            "variants": variants,
            "guardrails_worse": [list(pair) for pair in guardrails],
        },
        look={**look, "design": design},
        srm=srm,
        warnings=[],
    )


WEEKLY = {"kind": "group_sequential", "spending": "obrien-fleming", "planned_looks": 5}
FIXED = {"kind": "fixed", "spending": "obrien-fleming", "planned_looks": 1}
LOOK_3 = {"number": 3, "information": 0.6, "critical_z": 2.68, "nominal_alpha": 0.00736}
HALF = {
    "number": 2,
    "information": 0.5,
    "critical_z": 1.96,
    "nominal_alpha": 0.05,
    "weeks_left": 4.0,
}
WINNER = {
    "name": "Short form",
    "significant": True,
    "good_direction": True,
    "lift": 0.3,
    "lift_ci": [0.12, 0.5],
    "difference": 0.03,
    "difference_ci": [0.012, 0.05],
    "chance_to_beat_control": 0.99996,
    "conditional_power": {"current_trend": 0.97, "planned_effect": 0.9},
}


def test_chances_never_read_as_certain():
    assert format_chance(1.0) == "> 99.9%"
    assert format_chance(0.0) == "< 0.1%"
    assert format_chance(0.5) == "50.0%"


def test_a_crossed_weekly_look_says_where_it_crossed():
    shown = shown_verdict(stored(design=WEEKLY, look=LOOK_3, variants=[WINNER]))
    assert shown.code == "stop_better" and shown.crossed and shown.calls_for_decision
    sentence = shown.sentence()
    assert sentence.startswith("Stop: Short form is better than Control on Win rate, 30.0% higher")
    assert "99.26% repeated CI +12.0% to +50.0%" in sentence
    assert "crossed the boundary at look 3 (|z| ≥ 2.68)" in sentence


def test_a_fixed_design_before_its_size_never_says_significant():
    shown = shown_verdict(stored(design=FIXED, look=HALF, variants=[WINNER]))
    assert shown.code == "keep_running" and not shown.calls_for_decision
    sentence = shown.sentence()
    assert "significant" not in sentence
    assert sentence.startswith("Keep running: 50% of the planned sample size.")
    assert "97.0% on the current trend, 90.0% if the planned effect is real" in sentence
    assert "About 4 more weeks" in sentence


def test_an_srm_sentence_says_not_to_read_the_result():
    shown = shown_verdict(
        stored(
            design=WEEKLY, look=LOOK_3, variants=[WINNER], srm={"mismatch": True, "p_value": 2e-6}
        )
    )
    assert shown.code == "untrustworthy"
    assert shown.sentence().startswith("Don't read this result")
    assert "p = 2e-06" in shown.sentence()
    assert "30.0%" not in shown.sentence()


def test_a_worse_guardrail_is_named():
    shown = shown_verdict(
        stored(design=WEEKLY, look=LOOK_3, variants=[WINNER], guardrails=[("CSAT", "Short form")])
    )
    assert shown.code == "guardrail_worse"
    assert "But CSAT is significantly worse" in shown.sentence()


def test_the_maximum_without_crossing_is_no_difference():
    flat = {**WINNER, "significant": False, "lift": 0.01, "lift_ci": [-0.05, 0.07]}
    final = {**LOOK_3, "number": 5, "information": 1.0, "critical_z": 2.03}
    shown = shown_verdict(stored(design=WEEKLY, look=final, variants=[flat]))
    assert shown.code == "final_no_difference"
    assert shown.sentence().startswith("No difference found")


def test_every_word_goes_through_the_gettext_given():
    seen: list[str] = []

    def gettext(text: str) -> str:
        seen.append(text)
        return text.replace("Stop", "Halt").replace("higher", "up")

    shown = shown_verdict(stored(design=WEEKLY, look=LOOK_3, variants=[WINNER]))
    assert shown.sentence(gettext).startswith("Halt: Short form is better")
    assert "30.0% up" in shown.sentence(gettext)
    assert shown.word(gettext) == "Halt: better"
    assert any("crossed the boundary" in text for text in seen)


@pytest.mark.parametrize("information", [0.0, 0.49])
def test_an_old_analysis_without_a_look_is_read_as_fixed(information):
    old = SimpleNamespace(
        is_primary=True,
        comparisons={
            "kind": "proportion",
            "control": "Control",
            "estimates": {
                "Control": {"size": 1000 * information},
                "B": {"size": 1000 * information},
            },
            "variants": [WINNER],
        },
        look=None,
        srm=None,
        warnings=[],
    )
    shown = shown_verdict(old, planned_total=2000, alpha=0.05)
    assert shown.code == "keep_running"
    assert shown.verdict.design.kind == "fixed"
