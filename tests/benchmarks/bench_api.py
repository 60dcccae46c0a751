"""Time to post 1,000 readings in one API request (validated, saved whole and
change-logged), on a fresh SQLite file. Target: under 1 second.

    python tests/benchmarks/bench_api.py [--readings 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readings", type=int, default=1000)
    count = parser.parse_args().readings

    from sqlmodel import Session

    from tests.conftest import reset_schema
    from tracker import create_app
    from tracker.database import get_engine
    from tracker.models import Metric, MetricKind, Role, User
    from tracker.tokens.service import create_token

    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRACKER_INSTANCE_PATH"] = folder
        url = f"sqlite:///{folder}/bench.sqlite"
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url})
        engine = get_engine(app)
        reset_schema(engine)
        with Session(engine) as session:
            user = User(
                email="bench@example.com", display_name="Bench", role=Role.editor, password_hash="x"
            )
            session.add(user)
            metric = Metric(name="Win rate", area_id=1, kind=MetricKind.proportion)
            session.add(metric)
            session.commit()
            token = create_token(session, user=user, name="bench").plain
            session.commit()
            metric_id = metric.id
        monday = date(2000, 1, 3)
        body = [
            {
                "period_start": (monday + timedelta(weeks=i)).isoformat(),
                "period_end": (monday + timedelta(weeks=i, days=6)).isoformat(),
                "successes": 100 + i % 50,
                "trials": 1000,
                "source_note": "CRM weekly export",
            }
            for i in range(count)
        ]
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        client.get("/api/v1/areas", headers=headers)  # warm up: schema check, imports
        started = time.perf_counter()
        response = client.post(f"/api/v1/metrics/{metric_id}/readings", json=body, headers=headers)
        elapsed = time.perf_counter() - started
        engine.dispose()
    verdict = "met" if elapsed < TARGET_SECONDS and response.status_code == 201 else "MISSED"
    print(
        f"POST {count:,} readings in one request: {elapsed:.3f} s "
        f"(target < {TARGET_SECONDS:g} s) {verdict} (HTTP {response.status_code})"
    )


if __name__ == "__main__":
    main()
