"""Median server time of each list and status page with 3,000 experiments and
100,000 result snapshots. Target: under 50 ms each.

    python tests/benchmarks/bench_pages.py          # both cases
    python tests/benchmarks/bench_pages.py demo     # the demo, then 500 running more

The second case starts from the demo and adds 500 running experiments and
1,500 hypotheses: every page stays within 1.5 times its demo time and under
50 ms, because the dashboard and the meeting show the few experiments that
need attention and link to the rest.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.timing import big_app, median_ms

TARGET_MS = 50
PAGES = (
    "/experiments/",
    "/experiments/?status=decided",
    "/experiments/1000",
    "/experiments/2999",
    "/backlog/",
    "/backlog/1000",
    "/metrics/",
    "/metrics/1000",
    "/learnings/",
    "/changes/",
    "/areas/",
)


DEMO_PAGES = ("/", "/week", "/experiments/", "/backlog/", "/metrics/", "/learnings/", "/cycles")
GROWTH_LIMIT = 1.5


def demo_case() -> None:
    """The demo beside the demo grown by 500 running experiments: two apps, their
    requests taken in turn, so a burst of load on a shared machine slows both."""
    import os

    from tests.benchmarks.timing import demo_app, paired_median_ms

    print("load average (1, 5, 15 min):", " ".join(f"{n:.2f}" for n in os.getloadavg()))
    with demo_app() as (_small_app, small), demo_app() as (large_app, large):
        added = add_running(large_app, experiments=500, hypotheses=1500)
        timed = {path: paired_median_ms(small, large, path) for path in DEMO_PAGES}
        stopped = stop_some(large_app, every=10)
        waiting = {path: paired_median_ms(small, large, path) for path in ("/", "/week")}
    print(f"demo, then {added}")
    print(
        f"{'page':<16} {'demo ms':>8} {'grown ms':>9} {'growth':>7}  target"
        f"{'':<40} CPU ms: demo, grown, growth"
    )
    for path in DEMO_PAGES:
        print_growth(path, *timed[path])
    print(f"then {stopped} of them stopped, each waiting for a decision")
    for path, figures in waiting.items():
        print_growth(path, *figures)
    print("load average (1, 5, 15 min):", " ".join(f"{n:.2f}" for n in os.getloadavg()))


def print_growth(
    path: str, small_ms: float, large_ms: float, status: int, small_cpu: float, large_cpu: float
) -> None:
    growth = large_ms / small_ms if small_ms else float("inf")
    met = large_ms < TARGET_MS and growth <= GROWTH_LIMIT and status == 200
    verdict = f"< {TARGET_MS} ms, <= {GROWTH_LIMIT}x {'met' if met else 'MISSED'} (HTTP {status})"
    print(
        f"{path:<16} {small_ms:>8.1f} {large_ms:>9.1f} {growth:>6.2f}x  {verdict:<40}"
        f" {small_cpu:>6.1f} {large_cpu:>6.1f} {large_cpu / small_cpu if small_cpu else 0:>5.2f}x"
    )


def stop_some(app: object, *, every: int) -> int:
    """Stop every ``every``-th bench experiment: each then needs a decision."""
    from sqlalchemy import text

    from tracker.database import get_engine

    with get_engine(app).begin() as connection:  # type: ignore[arg-type]
        return int(
            connection.execute(
                text(
                    "UPDATE experiment SET status = 'stopped', stopped_on = started_on"
                    " WHERE title LIKE 'Bench experiment %' AND id % :every = 0"
                ),
                {"every": every},
            ).rowcount
        )


def add_running(app: object, *, experiments: int, hypotheses: int) -> str:
    """Add running experiments (each with its hypothesis and two arms) and
    backlog hypotheses to the demo, in bulk."""
    from datetime import date, timedelta

    from sqlmodel import Session, select

    from tracker.database import get_engine
    from tracker.models import Arm, Experiment, ExperimentStatus, Hypothesis, Metric

    engine = get_engine(app)  # type: ignore[arg-type]
    today = date.today()
    with Session(engine) as session:
        metrics = session.exec(select(Metric)).all()
        made = []
        for index in range(hypotheses + experiments):
            metric = metrics[index % len(metrics)]
            made.append(
                Hypothesis(
                    title=f"Bench hypothesis {index}",
                    change="Try something small",
                    area_id=metric.area_id,
                    metric_id=metric.id,
                    score=float(index % 10),
                    status="testing" if index < experiments else "backlog",
                )
            )
        session.add_all(made)
        session.flush()
        running = [
            Experiment(
                title=f"Bench experiment {index}",
                hypothesis_id=made[index].id,
                primary_metric_id=made[index].metric_id,
                status=ExperimentStatus.running,
                planned_control=5000,
                planned_variant=5000,
                planned_total=10000,
                observed_total=float(index),
                weekly_volume=2000.0,
                started_on=today - timedelta(days=index % 20),
            )
            for index in range(experiments)
        ]
        session.add_all(running)
        session.flush()
        for experiment in running:
            control = Arm(experiment_id=experiment.id, name="Control", share=0.5, is_control=True)
            session.add_all([control, Arm(experiment_id=experiment.id, name="B", share=0.5)])
        session.commit()
    return f"{experiments} running experiments and {hypotheses} hypotheses added"


def main() -> None:
    if sys.argv[1:] == ["demo"]:
        demo_case()
        return
    demo_case()
    with big_app(cycles=60, experiments=3000, snapshots=102_000, action_items=2000) as (
        _app,
        client,
        counts,
    ):
        print("data:", counts)
        print(f"{'page':<32} {'median ms':>10}  target")
        for path in PAGES:
            median, status = median_ms(client, path)
            verdict = "met" if median < TARGET_MS and status == 200 else "MISSED"
            print(f"{path:<32} {median:>10.1f}  < {TARGET_MS} ms {verdict} (HTTP {status})")


if __name__ == "__main__":
    main()
