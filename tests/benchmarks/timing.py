"""Helpers for the page benchmarks: a signed-in client on a big database,
and the median server time of a page."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def big_app(**sizes: int) -> Iterator[tuple[Any, Any, dict[str, int]]]:
    """An app on a temporary SQLite file filled by ``bigdata.fill``, and a
    client signed in as an editor."""
    from werkzeug.security import generate_password_hash

    from tests.benchmarks.bigdata import fill
    from tracker import create_app, migrate
    from tracker.database import get_engine
    from tracker.models import Role, User

    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRACKER_INSTANCE_PATH"] = folder
        os.environ.pop("TRACKER_DATABASE_URL", None)
        url = os.environ.get("TRACKER_BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
        app = create_app({"DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
        engine = get_engine(app)
        migrate.upgrade(engine)
        started = time.perf_counter()
        counts = fill(engine, **sizes)
        counts["fill_seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[assignment]
        from sqlmodel import Session

        with Session(engine) as session:
            session.add(
                User(
                    email="bench@example.com",
                    display_name="Bench",
                    role=Role.editor,
                    password_hash=generate_password_hash(
                        "bench-password", method="pbkdf2:sha256:1000"
                    ),
                )
            )
            session.commit()
        client = app.test_client()
        client.post("/sign-in", data={"email": "bench@example.com", "password": "bench-password"})
        yield app, client, counts
        engine.dispose()


@contextmanager
def demo_app() -> Iterator[tuple[Any, Any]]:
    """An app on a temporary SQLite file with the demo loaded, and a client
    signed in as the demo admin."""
    from tracker import create_app, migrate
    from tracker.database import get_engine
    from tracker.demo import load_demo

    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRACKER_INSTANCE_PATH"] = folder
        os.environ.pop("TRACKER_DATABASE_URL", None)
        app = create_app(
            {"DATABASE_URL": f"sqlite:///{folder}/demo.sqlite", "WTF_CSRF_ENABLED": False}
        )
        engine = get_engine(app)
        migrate.upgrade(engine)
        load_demo(engine, admin_email="bench@revloop.local", admin_password="bench-password")
        client = app.test_client()
        client.post("/sign-in", data={"email": "bench@revloop.local", "password": "bench-password"})
        yield app, client
        engine.dispose()


def median_ms(client: Any, path: str, *, runs: int = 15) -> tuple[float, int]:
    """Median milliseconds of GET ``path`` after one warm-up, and its status."""
    response = client.get(path)
    status = response.status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return statistics.median(times), status


def paired_median_ms(
    small: Any, large: Any, path: str, *, runs: int = 21
) -> tuple[float, float, int, float, float]:
    """Median milliseconds of GET ``path`` on two clients, their requests taken
    in turn after one warm-up each: wall time of each, the second one's status,
    then the CPU time of each (the figure to read on a loaded machine)."""
    small.get(path)
    large.get(path)
    wall: tuple[list[float], list[float]] = ([], [])
    cpu: tuple[list[float], list[float]] = ([], [])
    status = 0
    for _ in range(runs):
        for client, walls, cpus in zip((small, large), wall, cpu, strict=True):
            started, used = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - used) * 1000)
            status = response.status_code
    return (
        statistics.median(wall[0]),
        statistics.median(wall[1]),
        status,
        statistics.median(cpu[0]),
        statistics.median(cpu[1]),
    )
