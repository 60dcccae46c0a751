"""The backlog's priority scores: ICE, RICE and PIE as PRODUCT.md defines them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.priority import FIELDS, MODELS, Ice, Rice, check_field, format_score, score

one_to_ten = st.floats(min_value=1, max_value=10, allow_nan=False)


@given(one_to_ten, one_to_ten, one_to_ten)
def test_ice_score_stays_within_one_to_ten(impact: float, confidence: float, ease: float) -> None:
    value = score("ice", {"impact": impact, "confidence": confidence, "ease": ease})
    assert 1 <= value <= 10


@given(one_to_ten, one_to_ten, one_to_ten)
def test_pie_is_the_mean_of_its_three_inputs(a: float, b: float, c: float) -> None:
    value = score("pie", {"potential": a, "importance": b, "ease": c})
    assert value == pytest.approx((a + b + c) / 3)


@given(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.sampled_from([3, 2, 1, 0.5, 0.25]),
    st.sampled_from([100, 80, 50]),
    st.floats(min_value=0.5, max_value=120, allow_nan=False),
)
def test_rice_grows_with_reach_and_falls_with_effort(
    reach: float, impact: float, confidence: int, effort: float
) -> None:
    value = score(
        "rice", {"reach": reach, "impact": impact, "confidence": confidence, "effort": effort}
    )
    assert value == pytest.approx(reach * impact * confidence / 100 / effort)
    doubled = score(
        "rice",
        {"reach": reach, "impact": impact, "confidence": confidence, "effort": effort * 2},
    )
    assert doubled <= value


def test_intercom_example() -> None:
    # Intercom's worked example: 500 customers a quarter, impact 2, 80% confidence,
    # one person-month.
    assert score("rice", {"reach": 500, "impact": 2, "confidence": 80, "effort": 1}) == 800


@pytest.mark.parametrize(
    ("model", "scores", "message"),
    [
        ("ice", {"impact": 0, "confidence": 5, "ease": 5}, "impact must be from 1 to 10, got 0"),
        ("ice", {"impact": 5, "confidence": 10.5, "ease": 5}, "confidence must be from 1 to 10"),
        ("pie", {"potential": 5, "importance": 5, "ease": -1}, "ease must be from 1 to 10"),
        (
            "rice",
            {"reach": -1, "impact": 1, "confidence": 80, "effort": 1},
            "reach must be at least 0, got -1",
        ),
        (
            "rice",
            {"reach": 10, "impact": 1.5, "confidence": 80, "effort": 1},
            "impact must be one of 3, 2, 1, 0.5, 0.25, got 1.5",
        ),
        (
            "rice",
            {"reach": 10, "impact": 1, "confidence": 90, "effort": 1},
            "confidence must be one of 100, 80, 50, got 90",
        ),
        (
            "rice",
            {"reach": 10, "impact": 1, "confidence": 80, "effort": 0},
            "effort must be at least 0.5, got 0",
        ),
        ("ice", {"impact": 5, "confidence": 5}, "ease is missing"),
        ("ice", {"impact": 5, "confidence": 5, "ease": 5, "reach": 1}, "reach is not a ICE"),
        ("ice", {"impact": float("nan"), "confidence": 5, "ease": 5}, "impact must be"),
        ("ice", {"impact": "7", "confidence": 5, "ease": 5}, "impact must be a number"),
        ("ice", {"impact": True, "confidence": 5, "ease": 5}, "impact must be a number"),
    ],
)
def test_bad_inputs_name_the_field_and_its_range(
    model: str, scores: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        score(model, scores)  # type: ignore[arg-type]


def test_unknown_model_is_refused() -> None:
    with pytest.raises(ValueError, match="model must be one of ice, pie, rice"):
        score("wsjf", {})


def test_dataclasses_check_on_creation_and_are_frozen() -> None:
    with pytest.raises(ValueError, match="ease must be from 1 to 10"):
        Ice(impact=5, confidence=5, ease=11)
    inputs = Rice(reach=10, impact=1, confidence=100, effort=2)
    with pytest.raises(AttributeError):
        inputs.reach = 20  # type: ignore[misc]
    assert inputs.score == 5


def test_fields_describe_every_model_for_forms() -> None:
    assert set(FIELDS) == set(MODELS) == {"ice", "rice", "pie"}
    assert [spec.name for spec in FIELDS["ice"]] == ["impact", "confidence", "ease"]
    assert [spec.name for spec in FIELDS["rice"]] == ["reach", "impact", "confidence", "effort"]
    assert [spec.name for spec in FIELDS["pie"]] == ["potential", "importance", "ease"]
    for model, specs in FIELDS.items():
        defaults = {spec.name: spec.default for spec in specs}
        assert score(model, defaults) > 0  # every default is itself valid
        for spec in specs:
            assert spec.label and spec.help


def test_check_field_for_one_input() -> None:
    assert check_field("rice", "confidence", 50) == 50.0
    with pytest.raises(ValueError, match="RICE has no field 'ease'"):
        check_field("rice", "ease", 5)


def test_format_score_names_the_model() -> None:
    assert format_score("ice", 7.3333) == "ICE 7.3"
    assert format_score("pie", 10) == "PIE 10.0"
    assert format_score("rice", 2500) == "RICE 2,500"
