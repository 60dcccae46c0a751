"""Importing a 100,000-row CSV of metric readings, through ``tracker import
readings``, on a SQLite file: seconds and peak memory. Targets: under 10 s and
under 300 MB. Also times exporting the same readings back.

    python tests/benchmarks/bench_csv.py [ROWS]
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TARGET_SECONDS = 10
TARGET_MB = 300
METRICS = 50


def write_file(path: Path, rows: int) -> None:
    """``rows`` weekly readings over METRICS metrics of the three kinds."""
    weeks = -(-rows // METRICS)
    start = date(1990, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(
            "metric,period_start,period_end,successes,trials,n,mean,sd,events,exposure,"
            "source_note\r\n"
        )
        written = 0
        for week in range(weeks):
            monday = start + timedelta(weeks=week)
            sunday = monday + timedelta(days=6)
            for m in range(METRICS):
                if written == rows:
                    return
                kind = m % 3
                if kind == 0:
                    figures = f"{100 + week % 50},{1000 + m},,,,,"
                elif kind == 1:
                    figures = f",,{40 + m},{5200.5 + week},{1300.25},,"
                else:
                    figures = f",,,,,{12 + week % 7},{480.5 + m}"
                out.write(f'Metric {m:02d},{monday},{sunday},{figures},"CRM, week {week}"\r\n')
                written += 1


PEAK = [0]


def run_import(app, engine, path: Path, *, trace: bool) -> tuple[float, int]:
    from sqlmodel import Session

    from tracker.csvio.readings import import_readings

    with app.app_context(), Session(engine) as session:
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with path.open("rb") as stream:
            count = import_readings(session, stream, user_id=None, source=path.name)
        session.commit()
        seconds = time.perf_counter() - started
        if trace:
            PEAK[0] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return seconds, count


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from sqlalchemy import text
    from sqlmodel import Session, select

    from tracker import create_app, migrate
    from tracker.csvio import exports
    from tracker.csvio.writer import csv_chunks
    from tracker.database import get_engine
    from tracker.models import Area, Metric, MetricKind

    with tempfile.TemporaryDirectory() as folder:
        os.environ["TRACKER_INSTANCE_PATH"] = folder
        os.environ.pop("TRACKER_DATABASE_URL", None)
        url = os.environ.get("TRACKER_BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
        app = create_app({"DATABASE_URL": url})
        engine = get_engine(app)
        migrate.upgrade(engine)
        kinds = (MetricKind.proportion, MetricKind.mean, MetricKind.rate)
        with Session(engine) as session:
            area = session.exec(select(Area)).first()
            assert area is not None
            session.add_all(
                Metric(name=f"Metric {m:02d}", area_id=area.id or 0, kind=kinds[m % 3])
                for m in range(METRICS)
            )
            session.commit()
        path = Path(folder) / "readings.csv"
        write_file(path, rows)
        size_mb = path.stat().st_size / 1e6

        # Timed on its own: tracemalloc slows Python several times over.
        seconds, count = run_import(app, engine, path, trace=False)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM change_log"))
            connection.execute(text("DELETE FROM reading"))
        _seconds, _count = run_import(app, engine, path, trace=True)
        peak = PEAK[0]

        with app.app_context(), Session(engine) as session:
            tracemalloc.start()
            started = time.perf_counter()
            export = exports.readings(session)
            exported = sum(len(chunk) for chunk in csv_chunks(export.header, export.rows))
            export_seconds = time.perf_counter() - started
            _current, export_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        engine.dispose()

    peak_mb = peak / 1e6
    print(f"file: {count:,} readings, {size_mb:.1f} MB")
    verdict = "met" if seconds < TARGET_SECONDS else "MISSED"
    print(f"import seconds: {seconds:.2f}  (target < {TARGET_SECONDS} s: {verdict})")
    verdict = "met" if max(peak_mb, rss_mb) < TARGET_MB else "MISSED"
    print(
        f"import memory: tracemalloc peak {peak_mb:.1f} MB, process max RSS {rss_mb:.1f} MB"
        f"  (target < {TARGET_MB} MB: {verdict})"
    )
    print(
        f"export: {exported / 1e6:.1f} MB of CSV in {export_seconds:.2f} s,"
        f" tracemalloc peak {export_peak / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
