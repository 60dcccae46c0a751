"""Fill a database with years of weekly history, fast (bulk inserts).

Used by the page benchmarks: ``fill(engine, cycles=260, experiments=3000,
snapshots=100_000, action_items=20_000)`` gives five years of a busy team.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Engine, insert
from sqlmodel import SQLModel

from experiments.cycles import IsoWeek
from tracker.models import (
    ActionItem,
    Analysis,
    Arm,
    Cycle,
    Experiment,
    Hypothesis,
    Metric,
    Reading,
    ResultSet,
    ResultSnapshot,
    User,
)

CHUNK = 5000


def _bulk(connection, model: type[SQLModel], rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    table = model.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), rows[start : start + CHUNK])


def fill(
    engine: Engine,
    *,
    cycles: int,
    experiments: int,
    snapshots: int,
    action_items: int,
    today: datetime | None = None,
    seed: int = 7,
) -> dict[str, int]:
    rng = random.Random(seed)
    now = today or datetime.now(UTC)
    current = IsoWeek.containing(now.date())
    weeks = [current]
    while len(weeks) < cycles:
        weeks.insert(0, weeks[0].previous())
    with engine.begin() as connection:
        _bulk(
            connection,
            User,
            [
                {
                    "id": 1000 + i,
                    "email": f"bench{i}@example.com",
                    "display_name": f"Bench {i}",
                    "role": "editor",
                    "active": True,
                    "password_hash": "x",
                    "password_is_temporary": False,
                    "created_at": now,
                }
                for i in range(8)
            ],
        )
        metric_rows = [
            {
                "id": 1000 + i,
                "name": f"Metric {i}",
                "area_id": 1 + i % 3,
                "stage_id": 1 + i % 6,
                "kind": "proportion",
                "unit": "%",
                "direction": "higher",
                "formula": "",
                "description": "",
                "version": 1,
                "created_at": now,
            }
            for i in range(12)
        ]
        _bulk(connection, Metric, metric_rows)
        _bulk(
            connection,
            Reading,
            [
                {
                    "metric_id": m["id"],
                    "period_start": w.monday,
                    "period_end": w.sunday,
                    "successes": rng.randint(80, 120),
                    "trials": 500,
                    "source_note": "",
                    "created_at": now,
                }
                for m in metric_rows
                for w in weeks
            ],
        )
        cycle_rows = [
            {
                "id": 1000 + i,
                "iso_week": str(w),
                "starts_on": w.monday,
                "focus_area_id": 1 + i % 3,
                "phase": "closed" if i < len(weeks) - 1 else "review",
                "attendees": "",
                "notes": "",
                "version": 1,
                "meeting_date": w.monday + timedelta(days=1),
            }
            for i, w in enumerate(weeks)
        ]
        _bulk(connection, Cycle, cycle_rows)
        _bulk(
            connection,
            Hypothesis,
            [
                {
                    "id": 1000 + i,
                    "title": f"Hypothesis {i}",
                    "change": "change something",
                    "metric_id": 1000 + i % 12,
                    "direction": "increase",
                    "rationale": "",
                    "area_id": 1 + i % 3,
                    "priority_model": "ice",
                    "scores": {"impact": 5},
                    "score": rng.uniform(1, 10),
                    "status": "backlog" if i >= experiments else "testing",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(experiments + 500)
            ],
        )
        per_experiment = max(1, snapshots // (2 * experiments))
        experiment_rows, arm_rows, set_rows, snap_rows, analysis_rows = [], [], [], [], []
        set_id = 1000
        verdict = {
            "kind": "proportion",
            "control": "control",
            "lower_is_better": False,
            "estimates": {
                "control": {"estimate": 0.2, "size": 5000},
                "B": {"estimate": 0.22, "size": 5000},
            },
            "variants": [
                {
                    "name": "B",
                    "arm_id": None,
                    "control_estimate": 0.2,
                    "variant_estimate": 0.22,
                    "difference": 0.02,
                    "difference_ci": [0.004, 0.036],
                    "lift": 0.1,
                    "lift_ci": [0.02, 0.18],
                    "p_value": 0.03,
                    "adjusted_p_value": 0.03,
                    "exact_p_value": None,
                    "chance_to_beat_control": 0.985,
                    "significant": True,
                    "good_direction": True,
                    "method": "score test",
                    "summary": "B converts 10.0% better than control.",
                }
            ],
            "verdict": "B converts 10.0% better than control (95% CI +1.0% to +20.0%).",
        }
        for i in range(experiments):
            experiment_id = 1000 + i
            status = (
                "running"
                if i % 150 == 0
                else "stopped"
                if i % 301 == 0
                else "draft"
                if i % 97 == 0
                else "decided"
            )
            week = weeks[min(len(weeks) - 1, i * len(weeks) // experiments)]
            started = week.monday
            decided_at = (
                datetime.combine(started + timedelta(days=20), time(12), tzinfo=UTC)
                if status == "decided"
                else None
            )
            experiment_rows.append(
                {
                    "id": experiment_id,
                    "hypothesis_id": 1000 + i,
                    "title": f"Experiment {i}",
                    "owner_id": 1000 + i % 8,
                    "primary_metric_id": 1000 + i % 12,
                    "status": status,
                    "baseline": 0.2,
                    "mde": 0.02,
                    "mde_relative": False,
                    "alpha": 0.05,
                    "power": 0.8,
                    "alternative": "two-sided",
                    "planned_control": 5000,
                    "planned_variant": 5000,
                    "planned_total": 10000,
                    "weekly_volume": 2000,
                    "started_on": None if status == "draft" else started,
                    "observed_total": 0.0 if status == "draft" else 10000.0,
                    "latest_result_set_id": None,
                    "outcome": "won" if status == "decided" else None,
                    "action": "ship" if status == "decided" else None,
                    "rationale": "",
                    "early_decision_reason": "",
                    "decided_at": decided_at,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            arm_rows += [
                {
                    "id": 2 * experiment_id,
                    "experiment_id": experiment_id,
                    "name": "control",
                    "share": 0.5,
                    "is_control": True,
                    "position": 0,
                },
                {
                    "id": 2 * experiment_id + 1,
                    "experiment_id": experiment_id,
                    "name": "B",
                    "share": 0.5,
                    "is_control": False,
                    "position": 1,
                },
            ]
            if status == "draft":
                continue
            for n in range(per_experiment):
                set_id += 1
                set_rows.append(
                    {
                        "id": set_id,
                        "experiment_id": experiment_id,
                        "note": "",
                        "recorded_at": datetime.combine(
                            started + timedelta(days=n), time(9), tzinfo=UTC
                        ),
                    }
                )
                for arm in (2 * experiment_id, 2 * experiment_id + 1):
                    snap_rows.append(
                        {
                            "result_set_id": set_id,
                            "experiment_id": experiment_id,
                            "arm_id": arm,
                            "metric_id": 1000 + i % 12,
                            "successes": 100 + n,
                            "trials": 500 + 10 * n,
                        }
                    )
                analysis_rows.append(
                    {
                        "result_set_id": set_id,
                        "experiment_id": experiment_id,
                        "metric_id": 1000 + i % 12,
                        "is_primary": True,
                        "preliminary": False,
                        "comparisons": verdict,
                        "warnings": [],
                        "srm": None,
                        "chart_svg": "",
                        "created_at": now,
                    }
                )
            experiment_rows[-1]["latest_result_set_id"] = set_id
        _bulk(connection, Experiment, experiment_rows)
        _bulk(connection, Arm, arm_rows)
        _bulk(connection, ResultSet, set_rows)
        _bulk(connection, ResultSnapshot, snap_rows)
        _bulk(connection, Analysis, analysis_rows)
        item_rows = []
        for i in range(action_items):
            index = min(len(cycle_rows) - 1, i * len(cycle_rows) // action_items)
            cycle = cycle_rows[index]
            unfinished = index == len(cycle_rows) - 1
            item_rows.append(
                {
                    "title": f"Action {i}",
                    "details": "",
                    "owner_id": 1000 + i % 8,
                    "source_kind": "meeting",
                    "cycle_id": cycle["id"],
                    "first_cycle_id": cycle["id"],
                    "due_week": cycle["iso_week"],
                    "status": "open" if unfinished else "done",
                    "carried_count": i % 4 if unfinished else 0,
                    "version": 1,
                    "finished_week": None if unfinished else cycle["iso_week"],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _bulk(connection, ActionItem, item_rows)
    return {
        "cycles": len(cycle_rows),
        "experiments": len(experiment_rows),
        "snapshots": len(snap_rows),
        "analyses": len(analysis_rows),
        "action_items": len(item_rows),
    }
