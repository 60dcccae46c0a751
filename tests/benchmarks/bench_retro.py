"""Time and memory of the quarter's retrospective PDF.

Fills a fresh SQLite database with 13 weekly cycles and 40 experiments with their
results and stored analyses (tests/report_data.py), then renders the quarter's PDF
in a child process (so the figures are the render's alone, not the filling's) and
prints the wall time, the CPU time and the peak memory (ru_maxrss) of that child.

Run with ``python tests/benchmarks/bench_retro.py [--experiments 40]``; pytest does
not collect it. Targets: at most 5 s and under 400 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TARGET_SECONDS = 5.0
TARGET_MB = 400.0
FIRST, LAST = "2026-W27", "2026-W39"


def fill(url: str, experiments: int) -> None:
    from sqlmodel import Session

    from experiments.cycles import IsoWeek
    from tests.conftest import reset_schema
    from tests.report_data import build_quarter
    from tracker.database import build_engine

    engine = build_engine(url)
    reset_schema(engine)
    with Session(engine) as session:
        build_quarter(
            session,
            first=IsoWeek.parse(FIRST),
            last=IsoWeek.parse(LAST),
            experiments=experiments,
        )
    engine.dispose()


def render(url: str, instance: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In the child: build the app, then time the report from the query to the bytes."""
    os.environ["TRACKER_INSTANCE_PATH"] = instance
    from sqlmodel import Session

    from tracker import create_app
    from tracker.database import get_engine
    from tracker.reports.render import render_pdf
    from tracker.reports.service import build_retro, read_range

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url})
    timings = []
    for _run in ("cold", "warm"):
        wall, cpu = time.perf_counter(), time.process_time()
        with app.test_request_context(), Session(get_engine(app)) as session:
            span = read_range(session, f"{FIRST}..{LAST}")
            retro = build_retro(session, span, team="Benchmark Revenue Operations")
            pdf = render_pdf(retro)
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    queue.put((timings, peak_mb, pdf.pages, len(pdf.data), len(retro.experiments)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", type=int, default=40)
    parser.add_argument("--keep", help="write the PDF's database here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="revloop-bench-") as folder:
        url = f"sqlite:///{args.keep or os.path.join(folder, 'bench.sqlite')}"
        started = time.perf_counter()
        fill(url, args.experiments)
        print(
            f"Filled 13 cycles and {args.experiments} experiments "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=render, args=(url, os.path.join(folder, "inst"), queue))
        child.start()
        timings, peak_mb, pages, size, count = queue.get()
        child.join()
    (cold, cold_cpu), (warm, warm_cpu) = timings
    print(f"Quarter retrospective: {count} experiments, {pages} pages, {size / 1024:,.0f} KB")
    print(
        f"Render time, first in a fresh process (as `tracker retro`): {cold:.2f} s wall "
        f"({cold_cpu:.2f} s CPU, with the lazy imports of matplotlib and WeasyPrint)"
    )
    print(
        f"Render time, again in the same process (as the web app): {warm:.2f} s wall "
        f"({warm_cpu:.2f} s CPU); target <= {TARGET_SECONDS:g} s"
    )
    print(f"Peak memory: {peak_mb:.0f} MB (ru_maxrss of the rendering process), target < 400 MB")
    print(f"Load average while it ran: {os.getloadavg()[0]:.2f} (other work slows the wall time)")
    ok = cold <= TARGET_SECONDS and peak_mb < TARGET_MB
    print("Within targets." if ok else "OUTSIDE the targets.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
