"""The calculators: sample size and significance as GET forms, every bad value
with its message beside the field, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from tests.arabic_pages import visible_text
from tracker.models import Role, User


def size(**values: object) -> str:
    params = {
        "size-kind": "proportion",
        "size-baseline": "10",
        "size-mde": "2",
        "size-mde_type": "absolute",
        "size-alpha": "0.05",
        "size-power": "0.8",
        "size-alternative": "two-sided",
        "size-variants": "1",
        "size-ratio": "1",
        "size-weekly_volume": "",
    }
    params.update({f"size-{key}": str(value) for key, value in values.items()})
    return "/calculators/?" + urlencode(params)


def sig(**values: object) -> str:
    params = {
        "sig-kind": "proportion",
        "sig-alpha": "0.05",
        "sig-alternative": "two-sided",
        "sig-control_successes": "100",
        "sig-control_trials": "1000",
        "sig-variant_successes": "130",
        "sig-variant_trials": "1000",
    }
    params.update({f"sig-{key}": str(value) for key, value in values.items()})
    return "/calculators/?" + urlencode(params)


@pytest.fixture
def viewer(signed_in: Callable[[Role], User]) -> User:
    return signed_in(Role.viewer)


def test_the_empty_page_explains_both_calculators(client: FlaskClient, viewer: User) -> None:
    response = client.get("/calculators/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Sample size" in page and "Significance" in page and "How it works" in page


def test_proportion_sample_size_matches_the_engine(client: FlaskClient, viewer: User) -> None:
    # 10% baseline, +2 points: 3,841 a side (experiments.stats' doctest)
    response = client.get(size(weekly_volume="1000"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3,841" in page and "7,682" in page
    assert "8 weeks" in page  # 7,682 / 1,000 a week, rounded up
    assert 'value="10"' in page  # the inputs stay in the form


def test_relative_effect_and_several_variants(client: FlaskClient, viewer: User) -> None:
    from experiments.stats import sample_size_proportion

    expected = sample_size_proportion(0.1, 0.2, relative=True, alpha=0.025)
    page = client.get(size(mde="20", mde_type="relative", variants="2")).get_data(as_text=True)
    assert f"{expected.control:,}" in page
    assert f"{expected.control * 3:,}" in page  # control plus two variants of equal size
    assert "Bonferroni" in page


def test_mean_and_rate_sample_sizes(client: FlaskClient, viewer: User) -> None:
    page = client.get(
        size(kind="mean", baseline="100", sd="20", mde="5", mde_type="absolute")
    ).get_data(as_text=True)
    assert "253" in page and "506" in page
    page = client.get(size(kind="rate", baseline="0.05", mde="20", mde_type="relative")).get_data(
        as_text=True
    )
    assert "8,608" in page and "units of exposure" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"alpha": "1"}, "Alpha must be between 0 and 1"),
        ({"alpha": "0"}, "Alpha must be between 0 and 1"),
        ({"power": "1.5"}, "Power must be between 0 and 1"),
        ({"mde": "0"}, "The effect cannot be zero"),
        ({"baseline": "120"}, "between 0 and 100"),
        ({"baseline": "abc"}, "Enter a number, like 12 or 0.5"),
        ({"kind": "mean", "sd": ""}, "Enter the standard deviation"),
        ({"kind": "mean", "sd": "-1"}, "must be above zero"),
        ({"kind": "rate", "baseline": "0"}, "must be above zero"),
        ({"variants": "0"}, "Enter between 1 and 20 variants"),
        ({"weekly_volume": "-5"}, "weekly volume must be above zero"),
        ({"alpha": "0.6"}, "Alpha must be between 0 and 0.5"),  # the engine's own check
        (
            {"baseline": "95", "mde": "10"},
            "The baseline plus this effect must stay between 0 and 100 percent",
        ),
        ({"alternative": "larger", "mde": "-2"}, "points the other way"),
    ],
)
def test_bad_sample_size_inputs_get_a_message(
    client: FlaskClient, viewer: User, values: dict[str, str], message: str
) -> None:
    response = client.get(size(**values))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "You need" not in page
    for value in values.values():
        if value:
            assert (
                f'value="{value}"' in page
                or f'value="{value}" selected' in page
                or (f'selected value="{value}"' in page)
            )


def test_proportion_significance_shows_the_full_comparison(
    client: FlaskClient, viewer: User
) -> None:
    response = client.get(sig())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Significant" in page
    assert "Variant converts 30.0% better than control (95% CI +1.8% to +66.1%)" in visible_text(
        page
    )
    assert "10.00%" in page and "13.00%" in page  # the estimates
    assert "+30.0%" in page  # the lift
    assert "0.035" in page  # the p-value
    assert "98.2%" in page  # chance to beat control


def test_mean_and_rate_significance(client: FlaskClient, viewer: User) -> None:
    page = client.get(
        sig(
            kind="mean",
            control_n="40",
            control_mean="10",
            control_sd="3",
            variant_n="40",
            variant_mean="11",
            variant_sd="3.5",
        )
    ).get_data(as_text=True)
    assert "mean is 10.0% higher than control" in visible_text(page)
    assert "Not significant" in page
    page = client.get(
        sig(
            kind="rate",
            control_events="30",
            control_exposure="1000",
            variant_events="20",
            variant_exposure="1000",
        )
    ).get_data(as_text=True)
    assert "rate is 33.3% lower than control" in visible_text(page)


def test_small_samples_carry_a_warning(client: FlaskClient, viewer: User) -> None:
    page = client.get(
        sig(control_successes="1", control_trials="20", variant_successes="3", variant_trials="20")
    ).get_data(as_text=True)
    assert "Fewer than 5 expected successes" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"control_successes": "1200"}, "Successes (1200) must not be above trials"),
        ({"variant_trials": "0"}, "Trials must be at least 1, got 0."),
        ({"variant_successes": ""}, "Enter a number."),
        ({"alpha": "1"}, "Alpha must be between 0 and 1"),
        ({"alpha": "0.7"}, "Alpha must be between 0 and 0.5"),
        (
            {
                "kind": "mean",
                "control_n": "1",
                "control_mean": "3",
                "control_sd": "-2",
                "variant_n": "5",
                "variant_mean": "3",
                "variant_sd": "1",
            },
            "n must be at least 2",
        ),
        (
            {
                "kind": "mean",
                "control_n": "5",
                "control_mean": "3",
                "control_sd": "-2",
                "variant_n": "5",
                "variant_mean": "3",
                "variant_sd": "1",
            },
            "Sd must be zero or more, got -2.0.",
        ),
        (
            {
                "kind": "rate",
                "control_events": "3",
                "control_exposure": "0",
                "variant_events": "5",
                "variant_exposure": "10",
            },
            "Exposure must be above zero, got 0.0.",
        ),
        (
            {
                "control_successes": "0",
                "variant_successes": "0",
            },
            "",
        ),
    ],
)
def test_bad_significance_inputs_get_a_message(
    client: FlaskClient, viewer: User, values: dict[str, str], message: str
) -> None:
    response = client.get(sig(**values))
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    if message:
        assert response.status_code == 422
        assert message in page
        assert "Not significant" not in page and ">Significant<" not in page
    # no conversions in either arm: either a message or a result, never a 500


def test_no_conversions_never_fails(client: FlaskClient, viewer: User) -> None:
    response = client.get(sig(control_successes="0", variant_successes="0"))
    assert response.status_code in (200, 422)
    page = response.get_data(as_text=True)
    assert "Significant" in page or "alert-error" in page


def test_sample_size_and_significance_are_independent(client: FlaskClient, viewer: User) -> None:
    page = client.get(size()).get_data(as_text=True)
    assert "3,841" in page and "Enter a number." not in page
