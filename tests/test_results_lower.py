"""Cumulative results that go down ask for a confirmation and say why (issue 17)."""

from __future__ import annotations

from sqlmodel import select

from tests.test_analysis import result_data, running, win_rate  # noqa: F401  (fixtures)
from tracker.models import Experiment, ResultSet


def test_lower_counts_than_the_last_set_ask_before_saving(client, db, running):  # noqa: F811
    experiment = running["experiment"]
    first = result_data(running, {"Control": (51, 508), "Short form": (70, 512)})
    assert client.post(f"/experiments/{experiment.id}/results", data=first).status_code == 302

    lower = result_data(running, {"Control": (40, 400), "Short form": (75, 530)})
    response = client.post(f"/experiments/{experiment.id}/results", data=lower)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Lower than 508 in the last result set" in page
    assert "Lower than 51 in the last result set" in page
    assert "Save anyway: these figures replace the last result set" in page
    assert 'value="400"' in page  # what was typed comes back
    assert len(db.exec(select(ResultSet)).all()) == 1

    lower["confirm_lower"] = "y"
    assert client.post(f"/experiments/{experiment.id}/results", data=lower).status_code == 302
    db.expire_all()
    assert len(db.exec(select(ResultSet)).all()) == 2
    assert db.get(Experiment, experiment.id).observed_total == 930


def test_growing_counts_save_without_a_question(client, db, running):  # noqa: F811
    experiment = running["experiment"]
    for control, variant in ((508, 512), (900, 910)):
        data = result_data(running, {"Control": (50, control), "Short form": (60, variant)})
        assert client.post(f"/experiments/{experiment.id}/results", data=data).status_code == 302
