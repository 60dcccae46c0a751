"""Importing readings and result snapshots: from the page and the command line,
whole or not at all, each error naming its line and column."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlmodel import Session, func, select

from tests.arabic_pages import visible_text
from tests.test_csv_fixtures import make_experiment, make_metrics
from tracker.models import (
    Analysis,
    Change,
    Experiment,
    ExperimentStatus,
    Reading,
    ResultSet,
    ResultSnapshot,
    Role,
)

HEADER = "metric,period_start,period_end,successes,trials,n,mean,sd,events,exposure,source_note"


@pytest.fixture
def metrics(db: Session):
    return make_metrics(db)


def upload(client, kind: str, text: str | bytes, filename: str = "week.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        f"/import/{kind}",
        data={f"{kind}-csv_file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def reading_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Reading)).one()


GOOD_READINGS = (
    HEADER
    + "\n"
    + "Win rate,2026-01-05,2026-01-11,120,1000,,,,,,CRM report\n"
    + "Average deal size,2026-01-05,2026-01-11,,,40,5200.5,1300,,,\n"
    + "Escalations per 100 tickets,2026-01-05,2026-01-11,,,,,,12,480,\n"
    + "نسبة التحويل,2026-01-05,2026-01-11,30,90,,,,,,تقرير أسبوعي\n"
)


def test_readings_import_from_the_page(client, db, signed_in, metrics):
    user = signed_in(Role.editor)
    response = upload(client, "readings", GOOD_READINGS)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/import/")
    page = client.get("/import/").get_data(as_text=True)
    assert "Imported 4 readings from week.csv." in visible_text(page)
    readings = db.exec(select(Reading).order_by(Reading.metric_id)).all()
    by_metric = {r.metric_id: r for r in readings}
    win = by_metric[metrics["win"].id]
    assert (win.successes, win.trials, win.source_note) == (120, 1000, "CRM report")
    assert win.period_start == date(2026, 1, 5) and win.entered_by_id == user.id
    deal = by_metric[metrics["deal"].id]
    assert (deal.n, deal.mean, deal.sd, deal.successes) == (40, 5200.5, 1300.0, None)
    assert by_metric[metrics["esc"].id].exposure == 480.0
    assert by_metric[metrics["ar"].id].source_note == "تقرير أسبوعي"
    logged = db.exec(select(Change).where(Change.entity == "reading")).all()
    assert sorted(c.entity_id for c in logged) == sorted(r.id for r in readings)
    assert all(c.action == "create" and c.user_id == user.id for c in logged)


def test_semicolons_bom_decimal_commas_and_metric_ids(client, db, signed_in, metrics):
    signed_in(Role.editor)
    text = (
        "\ufeff" + HEADER.replace(",", ";") + "\n"
        f'{metrics["deal"].id};2026-01-05;2026-01-11;;;40;5200,5;1300,25;;;"note; with, both"\n'
    )
    assert upload(client, "readings", text).status_code == 302
    reading = db.exec(select(Reading)).one()
    assert (reading.mean, reading.sd, reading.source_note) == (5200.5, 1300.25, "note; with, both")


def test_the_header_is_checked_first(client, db, signed_in, metrics):
    signed_in(Role.editor)
    response = upload(client, "readings", "metric,period_start,trails\nWin rate,2026-01-05,3\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "line 1, column period_end: the column period_end is missing" in page
    assert "line 1, column trails: the column “trails” is unknown" in page
    assert reading_count(db) == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "Win rate,2026-01-05,2026-01-11,130,120,,,,,,",
            "line 2, column successes: Successes (130) must not be above trials (120)",
        ),
        (
            "Win rate,2026-01-05,2026-01-11,0,0,,,,,,",
            "line 2, column trials: Trials must be at least 1, got 0.",
        ),
        (
            "Win rate,2026-01-05,2026-01-11,-1,10,,,,,,",
            "line 2, column successes: Successes must be zero or more, got -1.",
        ),
        (
            "Win rate,2026-01-05,2026-01-11,1.5,10,,,,,,",
            "line 2, column successes: “1.5” is not a whole",
        ),
        (
            "Win rate,2026-01-05,2026-01-11,,10,,,,,,",
            "line 2, column successes: enter the successes",
        ),
        (
            "Win rate,2026-01-05,2026-01-11,1,10,5,,,,,",
            "line 2, column n: a proportion metric takes",
        ),
        (
            "Average deal size,2026-01-05,2026-01-11,,,1,50,3,,,",
            "line 2, column n: n must be at least 2",
        ),
        (
            "Average deal size,2026-01-05,2026-01-11,,,9,50,-3,,,",
            "line 2, column sd: Sd must be zero or more",
        ),
        (
            "Average deal size,2026-01-05,2026-01-11,,,9,abc,3,,,",
            "line 2, column mean: “abc” is not a number",
        ),
        (
            "Escalations per 100 tickets,2026-01-05,2026-01-11,,,,,,3,0,",
            "line 2, column exposure: Exposure must be above zero",
        ),
        (
            "Win rate,2026-01-11,2026-01-05,1,10,,,,,,",
            "line 2, column period_end: the period ends (2026-01-05) before it starts",
        ),
        (
            "Win rate,5/1/2026,2026-01-11,1,10,,,,,,",
            "line 2, column period_start: “5/1/2026” is not a date",
        ),
        (
            "Lead velocity,2026-01-05,2026-01-11,1,10,,,,,,",
            "line 2, column metric: there is no metric named “Lead velocity”",
        ),
    ],
)
def test_each_error_names_line_and_column(client, db, signed_in, metrics, row, message):
    signed_in(Role.editor)
    response = upload(client, "readings", f"{HEADER}\n{row}\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page.replace("&#34;", '"')
    assert "Nothing was imported: the file has 1 error." in page
    assert reading_count(db) == 0


def test_whole_or_nothing_one_bad_row_keeps_nothing(client, db, signed_in, metrics):
    signed_in(Role.editor)
    good = [f"Win rate,2026-{m:02d}-01,2026-{m:02d}-07,10,100,,,,,," for m in range(1, 13)]
    bad = 'Win rate,2025-01-01,2025-01-07,130,120,,,,,,"multi\nline note"'
    rows = [*good[:10], bad, *good[10:]]
    rows.append("Win rate,2025-02-01,2025-02-07,131,120,,,,,,")
    response = upload(client, "readings", HEADER + "\n" + "\n".join(rows) + "\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "line 12, column successes: Successes (130) must not be above trials (120)" in page
    # the multi-line note above pushes the last row to line 16
    assert "line 16, column successes: Successes (131) must not be above trials (120)" in page
    assert "the file has 2 errors" in page
    assert reading_count(db) == 0
    assert db.exec(select(func.count()).select_from(Change)).one() == 0


def test_many_errors_show_twenty_and_a_count(client, db, signed_in, metrics):
    signed_in(Role.editor)
    rows = [f"Win rate,2026-01-{d:02d},2026-01-{d:02d},5,1,,,,,," for d in range(1, 31)]
    page = upload(client, "readings", HEADER + "\n" + "\n".join(rows)).get_data(as_text=True)
    assert "the file has 30 errors" in page
    assert page.count("must not be above trials") == 20
    assert "… and 10 more errors." in page


def test_duplicate_periods_in_the_file_and_in_the_database(client, db, signed_in, metrics):
    signed_in(Role.editor)
    db.add(
        Reading(
            metric_id=metrics["win"].id,
            period_start=date(2026, 1, 12),
            period_end=date(2026, 1, 18),
            successes=1,
            trials=2,
        )
    )
    db.commit()
    text = (
        f"{HEADER}\n"
        "Win rate,2026-01-05,2026-01-11,1,10,,,,,,\n"
        "win rate,2026-01-05,2026-01-11,2,10,,,,,,\n"
        "Win rate,2026-01-12,2026-01-18,3,10,,,,,,\n"
    )
    page = upload(client, "readings", text).get_data(as_text=True)
    assert (
        "line 3, column period_start: the file has another reading of “Win rate” for the"
        " period starting 5 Jan 2026 (line 2)." in page
    )
    assert (
        "line 4, column period_start: a reading of “Win rate” for the period starting"
        " 12 Jan 2026 already exists" in page
    )
    assert reading_count(db) == 1


def test_deleted_metric_is_refused(client, db, signed_in, metrics):
    from tracker.models.types import utcnow

    signed_in(Role.editor)
    metrics["win"].deleted_at = utcnow()
    db.add(metrics["win"])
    db.commit()
    page = upload(client, "readings", f"{HEADER}\nWin rate,2026-01-05,2026-01-11,1,10,,,,,,\n")
    assert "the metric “Win rate” is deleted; restore it first." in page.get_data(as_text=True)


def test_no_file_and_not_utf8(client, db, signed_in, metrics):
    signed_in(Role.editor)
    response = client.post("/import/readings", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a CSV file to import." in response.get_data(as_text=True)
    text = f"{HEADER}\nWin rate,2026-01-05,2026-01-11,1,10,,,,,,Café\n".encode("cp1252")
    response = upload(client, "readings", text)
    assert response.status_code == 422
    assert "not UTF-8 text" in response.get_data(as_text=True)


def test_viewer_cannot_import(client, db, signed_in, metrics):
    signed_in(Role.viewer)
    assert client.get("/import/").status_code == 403
    assert upload(client, "readings", GOOD_READINGS).status_code == 403
    assert upload(client, "results", "experiment,arm,metric\n").status_code == 403
    assert reading_count(db) == 0


def test_import_page_shows_both_forms_to_an_editor(client, signed_in):
    signed_in(Role.editor)
    page = client.get("/import/").get_data(as_text=True)
    assert "Metric readings" in page and "Result snapshots" in page
    assert 'action="/import/readings"' in page and 'action="/import/results"' in page


# --- results ----------------------------------------------------------------------

RESULTS_HEADER = "experiment,recorded_at,arm,metric,successes,trials,n,mean,sd,events,exposure,note"


def results_text(experiment_id: int) -> str:
    e = experiment_id
    return (
        f"{RESULTS_HEADER}\n"
        f"{e},2026-01-05 09:00,Control,Win rate,100,1000,,,,,,week 1\n"
        f"{e},2026-01-05 09:00,Short form,Win rate,130,1000,,,,,,week 1\n"
        f"{e},2026-01-12 09:00,Control,Win rate,210,2000,,,,,,\n"
        f"{e},2026-01-12 09:00,Short form,Win rate,270,2000,,,,,,\n"
        f"{e},2026-01-12 09:00,Control,Average deal size,,,50,5000,900,,,\n"
        f"{e},2026-01-12 09:00,Short form,Average deal size,,,60,5100,950,,,\n"
    )


def test_results_import_makes_result_sets_analysed_like_the_form(client, db, signed_in, metrics):
    signed_in(Role.editor)
    experiment = make_experiment(db, metrics)
    response = upload(client, "results", results_text(experiment.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/import/").get_data(as_text=True)
    assert "Imported 2 result sets (6 rows) for 1 experiment, each analysed." in page
    sets = db.exec(select(ResultSet).order_by(ResultSet.recorded_at)).all()
    assert [s.recorded_at.strftime("%Y-%m-%d %H:%M") for s in sets] == [
        "2026-01-05 09:00",
        "2026-01-12 09:00",
    ]
    assert sets[0].note == "week 1" and sets[1].note == "Imported from week.csv"
    assert db.exec(select(func.count()).select_from(ResultSnapshot)).one() == 6
    db.expire_all()
    experiment = db.get(Experiment, experiment.id)
    assert experiment.latest_result_set_id == sets[1].id
    assert experiment.observed_total == 4000
    latest = db.exec(select(Analysis).where(Analysis.result_set_id == sets[1].id)).all()
    assert {a.metric_id: a.is_primary for a in latest} == {
        metrics["win"].id: True,
        metrics["deal"].id: False,
    }
    primary = next(a for a in latest if a.is_primary)
    variant = primary.comparisons["variants"][0]
    assert variant["name"] == "Short form"
    assert variant["lift"] == pytest.approx(0.2857, abs=1e-3)
    assert primary.chart_svg.startswith("<svg")
    # the experiment's page shows the imported analysis
    detail = client.get(f"/experiments/{experiment.id}").get_data(as_text=True)
    assert "Short form" in detail


def test_results_analysis_matches_the_results_form(client, db, signed_in, metrics):
    signed_in(Role.editor)
    by_file = make_experiment(db, metrics)
    by_form = make_experiment(db, metrics)
    text = (
        f"{RESULTS_HEADER}\n"
        f"{by_file.id},,Control,Win rate,100,1000,,,,,,\n"
        f"{by_file.id},,Short form,Win rate,130,1000,,,,,,\n"
    )
    assert upload(client, "results", text).status_code == 302
    from tracker.experiments.service import arms_of

    arms = arms_of(db, by_form.id)
    form = {"note": ""}
    for arm in arms:
        figures = (
            {"successes": 100, "trials": 1000}
            if arm.is_control
            else {"successes": 130, "trials": 1000}
        )
        for name, value in figures.items():
            form[f"m{metrics['win'].id}_a{arm.id}_{name}"] = str(value)
    form["save_results"] = "Save"
    response = client.post(f"/experiments/{by_form.id}/results", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    analyses = {
        a.experiment_id: a for a in db.exec(select(Analysis).where(Analysis.is_primary)).all()
    }
    a, b = analyses[by_file.id], analyses[by_form.id]
    for analysis in (a, b):
        for variant in analysis.comparisons["variants"]:
            variant.pop("arm_id")
    assert a.comparisons == b.comparisons
    assert a.warnings == b.warnings and a.srm == b.srm and a.preliminary == b.preliminary


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "{e},,Control,Win rate,130,120,,,,,,",
            "line 2, column successes: Successes (130) must not be above trials (120)",
        ),
        (
            "{e},,Treatment,Win rate,13,120,,,,,,",
            "line 2, column arm: experiment {e} has no arm named “Treatment”",
        ),
        (
            "{e},,Control,CSAT,13,120,,,,,,",
            "line 2, column metric: “CSAT” is not a metric of experiment {e}",
        ),
        (
            "999,,Control,Win rate,13,120,,,,,,",
            "line 2, column experiment: experiment 999: There is no experiment with that id.",
        ),
        (
            "{e},yesterday,Control,Win rate,13,120,,,,,,",
            "line 2, column recorded_at: “yesterday” is not a date and time",
        ),
        (
            "{e},,Control,Win rate,13,120,,,,,,",
            "line 2, column arm: the results of experiment {e} have no row for Short form"
            " on Win rate.",
        ),
    ],
)
def test_results_errors_name_line_and_column(client, db, signed_in, metrics, row, message):
    signed_in(Role.editor)
    experiment = make_experiment(db, metrics)
    response = upload(client, "results", f"{RESULTS_HEADER}\n{row.format(e=experiment.id)}\n")
    assert response.status_code == 422
    assert message.format(e=experiment.id) in response.get_data(as_text=True)
    assert db.exec(select(func.count()).select_from(ResultSet)).one() == 0


def test_results_need_a_running_or_stopped_experiment(client, db, signed_in, metrics):
    signed_in(Role.editor)
    draft = make_experiment(db, metrics, status=ExperimentStatus.draft)
    page = upload(client, "results", results_text(draft.id)).get_data(as_text=True)
    assert f"line 2, column experiment: experiment {draft.id}" in page
    assert "only a running or stopped experiment takes results" in page


def test_results_whole_or_nothing_across_sets(client, db, signed_in, metrics):
    signed_in(Role.editor)
    experiment = make_experiment(db, metrics)
    text = (
        results_text(experiment.id)
        + f"{experiment.id},2026-01-19 09:00,Control,Win rate,5,1,,,,,,\n"
    )
    page = upload(client, "results", text).get_data(as_text=True)
    assert "line 8, column successes: Successes (5) must not be above trials (1)" in page
    assert db.exec(select(func.count()).select_from(ResultSet)).one() == 0
    assert db.exec(select(func.count()).select_from(Analysis)).one() == 0


def test_results_older_than_the_latest_are_refused(client, db, signed_in, metrics):
    signed_in(Role.editor)
    experiment = make_experiment(db, metrics)
    assert upload(client, "results", results_text(experiment.id)).status_code == 302
    page = upload(client, "results", results_text(experiment.id)).get_data(as_text=True)
    assert "line 2, column recorded_at: experiment" in page
    assert "import only later results" in page
    assert db.exec(select(func.count()).select_from(ResultSet)).one() == 2


# --- the command line ----------------------------------------------------------------


def test_cli_imports_readings_and_exits_zero(runner, db, metrics, tmp_path):
    path = tmp_path / "readings.csv"
    path.write_text(GOOD_READINGS, encoding="utf-8-sig")
    result = runner.invoke(args=["import", "readings", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Imported 4 readings from {path}." in result.output
    assert reading_count(db) == 4


def test_cli_refuses_a_bad_file_with_exit_code_one(runner, db, metrics, tmp_path):
    path = tmp_path / "readings.csv"
    path.write_text(f"{HEADER}\nWin rate,2026-01-05,2026-01-11,130,120,,,,,,\n")
    result = runner.invoke(args=["import", "readings", str(path)])
    assert result.exit_code == 1
    assert "Nothing was imported: the file has 1 error." in result.output
    assert (
        "line 2, column successes: Successes (130) must not be above trials (120)" in result.output
    )
    assert reading_count(db) == 0


def test_cli_missing_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(args=["import", "readings", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_cli_imports_results(runner, db, metrics, tmp_path):
    experiment = make_experiment(db, metrics)
    path = tmp_path / "results.csv"
    path.write_text(results_text(experiment.id))
    result = runner.invoke(args=["import", "results", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 result sets (6 rows) for 1 experiment, each analysed." in result.output
    assert db.exec(select(func.count()).select_from(Analysis)).one() == 3


def test_cli_shows_a_progress_bar_for_large_files(runner, db, metrics, tmp_path, monkeypatch):
    from tracker.cli import imports

    monkeypatch.setattr(imports, "PROGRESS_FROM_BYTES", 10)
    monkeypatch.setattr("tracker.csvio.reader.PROGRESS_EVERY", 5)
    rows = [
        f"Win rate,{date.fromordinal(738000 + 7 * i)},{date.fromordinal(738006 + 7 * i)},1,10,,,,,,"
        for i in range(50)
    ]
    path = tmp_path / "readings.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    result = runner.invoke(args=["import", "readings", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Reading")
    assert reading_count(db) == 50


def test_progress_is_reported_up_to_the_end_of_the_file(monkeypatch):
    from tracker.csvio.reader import CsvRows

    monkeypatch.setattr("tracker.csvio.reader.PROGRESS_EVERY", 10)
    data = (HEADER + "\n" + "Win rate,2026-01-05,2026-01-11,1,10,,,,,,\n" * 100).encode()
    seen: list[int] = []
    rows = CsvRows(
        io.BytesIO(data), required=["metric"], optional=HEADER.split(",")[1:], progress=seen.append
    )
    assert len(list(rows)) == 100
    assert seen == sorted(seen) and seen[-1] == len(data) and len(seen) >= 2
