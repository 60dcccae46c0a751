"""CSV exports: every list's "Export CSV", safe for spreadsheets, streamed with a
fixed number of queries, and round trips of readings and result snapshots."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from tests.conftest import reset_schema
from tests.test_csv_fixtures import make_experiment, make_metrics
from tracker import create_app
from tracker.database import get_engine
from tracker.models import (
    ActionItem,
    Analysis,
    Area,
    Arm,
    Cycle,
    Hypothesis,
    HypothesisStatus,
    Learning,
    LearningExperiment,
    Metric,
    Reading,
    ResultSet,
    ResultSnapshot,
    Role,
)

TRICKY_READINGS = (
    "metric,period_start,period_end,successes,trials,n,mean,sd,events,exposure,source_note\n"
    'Win rate,2026-01-05,2026-01-11,120,1000,,,,,,"CRM, ""won"" report"\n'
    'Win rate,2026-01-12,2026-01-18,0,1,,,,,,=HYPERLINK("http://evil")\n'
    'Average deal size,2026-01-05,2026-01-11,,,40,-5200.125,1300.5,,,"two\nlines"\n'
    "Escalations per 100 tickets,2026-01-05,2026-01-11,,,,,,12,480.25,-3 vs last week\n"
    "نسبة التحويل,2026-01-05,2026-01-11,30,90,,,,,,تقرير المبيعات الأسبوعي\n"
)


def parse(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), body[:20]
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def import_readings_text(db: Session, text: str) -> int:
    from tracker.csvio.readings import import_readings

    count = import_readings(db, io.BytesIO(text.encode()), user_id=None)
    db.commit()
    return count


@pytest.fixture
def metrics(db: Session):
    return make_metrics(db)


def test_readings_export_is_the_import_format_and_safe(client, db, signed_in, metrics):
    signed_in(Role.viewer)
    import_readings_text(db, TRICKY_READINGS)
    response = client.get("/export/readings.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = parse(response)
    assert rows[0][0] == "metric" and rows[0][-1] == "source_note"
    by_note = {row[-1]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in by_note  # neutralised text
    assert "'-3 vs last week" in by_note
    deal = by_note["two\nlines"]
    assert deal[6] == "-5200.125"  # a negative number stays a number
    assert by_note["تقرير المبيعات الأسبوعي"][0] == "نسبة التحويل"
    one = client.get(f"/export/metrics/{metrics['win'].id}/readings.csv")
    assert [row[0] for row in parse(one)[1:]] == ["Win rate", "Win rate"]


def test_readings_export_runs_a_fixed_number_of_queries(
    client, db, signed_in, metrics, count_queries
):
    signed_in(Role.viewer)
    counts = []
    for total in (10, 1000):
        db.add_all(
            Reading(
                metric_id=metrics["win"].id,
                period_start=date(2000, 1, 3) + timedelta(weeks=len(counts) * 2000 + i),
                period_end=date(2000, 1, 9) + timedelta(weeks=len(counts) * 2000 + i),
                successes=1,
                trials=2,
            )
            for i in range(total)
        )
        db.commit()
        with count_queries() as queries:
            rows = parse(client.get("/export/readings.csv"))
        counts.append(len(queries))
        assert len(rows) == 1 + (10 if total == 10 else 1010)
    assert counts[0] == counts[1]


def roundtrip_app(tmp_path, name: str):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite",
            "WTF_CSRF_ENABLED": False,
        }
    )
    reset_schema(get_engine(app))
    return app


def reading_records(session: Session) -> list[tuple]:
    rows = session.exec(
        select(Reading, Metric.name).join(Metric, Metric.id == Reading.metric_id)
    ).all()
    fields = ("period_start", "period_end", "successes", "trials", "n", "mean", "sd")
    fields += ("events", "exposure", "source_note")
    return sorted((name, *(getattr(r, f) for f in fields)) for r, name in rows)


def test_readings_round_trip_into_a_fresh_database(client, db, signed_in, metrics, tmp_path):
    signed_in(Role.viewer)
    import_readings_text(db, TRICKY_READINGS)
    exported = client.get("/export/readings.csv").get_data()
    fresh = roundtrip_app(tmp_path, "fresh")
    with Session(get_engine(fresh), expire_on_commit=False) as other:
        make_metrics(other)
        from tracker.csvio.readings import import_readings

        assert import_readings(other, io.BytesIO(exported), user_id=None) == 5
        other.commit()
        assert reading_records(other) == reading_records(db)
    get_engine(fresh).dispose()


def results_file(experiment_id: int) -> str:
    e = experiment_id
    return (
        "experiment,recorded_at,arm,metric,successes,trials,n,mean,sd,events,exposure,note\n"
        f'{e},2026-01-05 09:00,Control,Win rate,100,1000,,,,,,"=1+1, week one"\n'
        f"{e},2026-01-05 09:00,Short form,Win rate,130,1000,,,,,,\n"
        f"{e},2026-01-12 09:30,Control,Win rate,210,2000,,,,,,\n"
        f"{e},2026-01-12 09:30,Short form,Win rate,270,2000,,,,,,\n"
        f"{e},2026-01-12 09:30,Control,Average deal size,,,50,-5000.5,900.25,,,\n"
        f"{e},2026-01-12 09:30,Short form,Average deal size,,,60,5100,950,,,\n"
    )


def snapshot_records(session: Session) -> list[tuple]:
    rows = session.exec(
        select(ResultSnapshot, ResultSet, Arm.name, Metric.name)
        .join(ResultSet, ResultSet.id == ResultSnapshot.result_set_id)
        .join(Arm, Arm.id == ResultSnapshot.arm_id)
        .join(Metric, Metric.id == ResultSnapshot.metric_id)
    ).all()
    figures = ("successes", "trials", "n", "mean", "sd", "events", "exposure")
    return sorted(
        (s.experiment_id, rs.recorded_at, rs.note, arm, metric, *(getattr(s, f) for f in figures))
        for s, rs, arm, metric in rows
    )


def analysis_records(session: Session) -> list[tuple]:
    rows = session.exec(
        select(Analysis, ResultSet.recorded_at).join(
            ResultSet, ResultSet.id == Analysis.result_set_id
        )
    ).all()
    out = []
    for analysis, recorded_at in rows:
        comparisons = dict(analysis.comparisons)
        comparisons["variants"] = [
            {k: v for k, v in variant.items() if k != "arm_id"}
            for variant in comparisons["variants"]
        ]
        out.append((recorded_at, analysis.metric_id, analysis.is_primary, repr(comparisons)))
    return sorted(out)


def test_results_round_trip_into_a_fresh_database(client, db, signed_in, metrics, tmp_path):
    from tracker.csvio.results import import_results

    signed_in(Role.viewer)
    experiment = make_experiment(db, metrics)
    import_results(db, io.BytesIO(results_file(experiment.id).encode()), user_id=None)
    db.commit()
    exported = client.get(f"/export/results.csv?experiment={experiment.id}").get_data()
    assert "'=1+1, week one" in exported.decode("utf-8-sig")
    fresh = roundtrip_app(tmp_path, "fresh-results")
    with Session(get_engine(fresh), expire_on_commit=False) as other:
        twin = make_experiment(other, make_metrics(other))
        assert twin.id == experiment.id
        with fresh.app_context():
            imported = import_results(other, io.BytesIO(exported), user_id=None)
        other.commit()
        assert (imported.sets, imported.rows) == (2, 6)
        assert snapshot_records(other) == snapshot_records(db)
        assert analysis_records(other) == analysis_records(db)
    get_engine(fresh).dispose()


def test_experiments_export_carries_the_latest_primary_analysis(client, db, signed_in, metrics):
    from tracker.csvio.results import import_results

    signed_in(Role.viewer)
    running = make_experiment(db, metrics)
    make_experiment(db, metrics)  # no results yet
    import_results(db, io.BytesIO(results_file(running.id).encode()), user_id=None)
    db.commit()
    rows = parse(client.get("/export/experiments.csv"))
    header, rows = rows[0], rows[1:]
    assert header[:3] == ["id", "title", "status"]
    for name in ("control_estimate", "variant_estimate", "lift", "lift_ci_low", "lift_ci_high"):
        assert name in header
    assert len(rows) == 2
    row = dict(zip(header, rows[0], strict=True))
    assert row["variant"] == "Short form" and row["control"] == "Control"
    assert float(row["control_estimate"]) == pytest.approx(0.105)
    assert float(row["variant_estimate"]) == pytest.approx(0.135)
    assert float(row["lift"]) == pytest.approx(0.2857, abs=1e-3)
    assert float(row["lift_ci_low"]) < float(row["lift"]) < float(row["lift_ci_high"])
    assert row["significant"] in ("true", "false") and float(row["p_value"]) < 0.05
    assert row["verdict"].startswith("Short form")
    assert row["results_recorded_at"].startswith("2026-01-12T09:30")
    empty = dict(zip(header, rows[1], strict=True))
    assert empty["lift"] == "" and empty["status"] == "running"
    filtered = parse(client.get("/export/experiments.csv?status=draft"))
    assert len(filtered) == 1


def test_backlog_export_respects_filters_and_neutralises(client, db, signed_in, metrics):
    user = signed_in(Role.viewer)
    sales = db.exec(select(Area).where(Area.name == "Sales")).one()
    marketing = db.exec(select(Area).where(Area.name == "Marketing")).one()
    db.add_all(
        [
            Hypothesis(
                title="=cmd|' /C calc'!A0",
                change="x",
                area_id=sales.id,
                score=7.0,
                author_id=user.id,
                scores={"impact": 7},
            ),
            Hypothesis(
                title="عرض تجريبي أقصر",
                change="y",
                area_id=sales.id,
                score=5.0,
                status=HypothesisStatus.parked,
            ),
            Hypothesis(title="Nurture e-mails", change="z", area_id=marketing.id, score=6.0),
        ]
    )
    db.commit()
    rows = parse(client.get("/export/backlog.csv"))
    assert [row[1] for row in rows[1:]] == [
        "'=cmd|' /C calc'!A0",
        "Nurture e-mails",
        "عرض تجريبي أقصر",
    ]
    assert rows[1][13] == user.display_name and rows[1][10] == "impact 7"
    only_sales = parse(client.get(f"/export/backlog.csv?area={sales.id}&status=parked"))
    assert [row[1] for row in only_sales[1:]] == ["عرض تجريبي أقصر"]


def test_actions_learnings_and_cycles_exports(client, db, signed_in, metrics):
    from experiments.cycles import ActionStatus

    user = signed_in(Role.viewer)
    week = Cycle(iso_week="2026-W02", starts_on=date(2026, 1, 5), notes="+ good meeting")
    db.add(week)
    db.flush()
    db.add_all(
        [
            ActionItem(
                title="Call lost deals",
                owner_id=user.id,
                cycle_id=week.id,
                first_cycle_id=week.id,
                due_week="2026-W03",
            ),
            ActionItem(
                title="Old item",
                owner_id=user.id,
                cycle_id=week.id,
                first_cycle_id=week.id,
                due_week="2026-W02",
                status=ActionStatus.done,
            ),
            ActionItem(
                title="Someone else's",
                cycle_id=week.id,
                first_cycle_id=week.id,
                due_week="2026-W02",
            ),
        ]
    )
    experiment = make_experiment(db, metrics)
    learning = Learning(text="Short forms win; @mentions help", tags="forms")
    db.add_all([learning, Learning(text="Unrelated", tags="")])
    db.flush()
    db.add(LearningExperiment(learning_id=learning.id, experiment_id=experiment.id))
    db.commit()

    mine_open = parse(client.get("/export/actions.csv?owner=me&status=open&status=in_progress"))
    assert [row[1] for row in mine_open[1:]] == ["Call lost deals"]
    everything = parse(client.get("/export/actions.csv?cycle=2026-w02"))
    assert len(everything) == 4 and everything[1][6] == "2026-W02"

    learnings = parse(client.get("/export/learnings.csv?q=forms"))
    assert learnings[1][1] == "Short forms win; @mentions help"
    assert learnings[1][5] == str(experiment.id) and learnings[1][6] == experiment.title
    assert len(learnings) == 2

    cycles = parse(client.get("/export/cycles.csv"))
    assert cycles[1][0] == "2026-W02" and cycles[1][7] == "'+ good meeting"


def test_every_list_page_links_its_export_with_its_filters(client, db, signed_in, metrics):
    signed_in(Role.viewer)
    sales = db.exec(select(Area).where(Area.name == "Sales")).one()
    pages = {
        f"/backlog/?area={sales.id}&status=parked": (
            f"/export/backlog.csv?area={sales.id}&amp;status=parked"
        ),
        f"/experiments/?area={sales.id}": f"/export/experiments.csv?area={sales.id}",
        f"/metrics/{metrics['win'].id}": f"/export/metrics/{metrics['win'].id}/readings.csv",
        "/learnings/?q=forms": "/export/learnings.csv?q=forms",
        "/cycles": "/export/cycles.csv",
        "/actions/mine": "/export/actions.csv?owner=me&amp;status=open&amp;status=in_progress",
        "/actions/mine?show=all": "/export/actions.csv?owner=me",
    }
    for page, link in pages.items():
        html = client.get(page).get_data(as_text=True)
        assert f'href="{link}"' in html, page
        assert "Export CSV" in html


def test_exports_and_the_import_page_need_sign_in(client):
    for path in ("/export/backlog.csv", "/export/readings.csv", "/export/cycles.csv", "/import/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/sign-in")
