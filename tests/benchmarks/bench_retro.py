"""Time and memory of the quarter's retrospective PDF.

Fills a fresh SQLite database with 13 weekly cycles and 40 experiments with their
results and stored analyses (tests/report_data.py), then

- runs ``tracker retro`` on it three times, each a fresh process as a user runs
  it, and prints the wall time from the command's start to its exit;
- renders the PDF twice inside one app (as the Reports page does), in a child
  process so that the figures are the render's alone, and prints the wall and
  CPU time and the peak memory (ru_maxrss) of that process and of the two
  layout workers.

Run with ``python tests/benchmarks/bench_retro.py [--experiments 40]``; pytest does
not collect it. Targets: at most 5 s and under 400 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
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
    """In the child: build the app, then time the report from the query to the
    bytes, the layout workers started first as the Reports page starts them."""
    os.environ["TRACKER_INSTANCE_PATH"] = instance
    from sqlmodel import Session

    from tracker import create_app
    from tracker.database import get_engine
    from tracker.reports.render import render_pdf
    from tracker.reports.service import build_retro, read_range
    from tracker.reports.worker import layout_workers

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url})
    timings, workers_mb = [], 0.0
    for _run in ("cold", "warm"):
        wall, cpu = time.perf_counter(), time.process_time()
        with (
            layout_workers() as workers,
            app.test_request_context(),
            Session(get_engine(app)) as session,
        ):
            span = read_range(session, f"{FIRST}..{LAST}")
            retro = build_retro(session, span, team="Benchmark Revenue Operations")
            pdf = render_pdf(retro, workers=workers)
        timings.append((time.perf_counter() - wall, time.process_time() - cpu))
        workers_mb = max(workers_mb, sum(pdf.worker_peaks_mb))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    queue.put((timings, peak_mb, workers_mb, pdf.pages, len(pdf.data), len(retro.experiments)))


def command(url: str, folder: str) -> list[float]:
    """Wall times of ``tracker retro`` for the range, each run a fresh process."""
    tracker = shutil.which("tracker", path=os.path.dirname(sys.executable)) or "tracker"
    env = dict(os.environ, TRACKER_DATABASE_URL=url, TRACKER_INSTANCE_PATH=folder)
    times = []
    for run in range(3):
        # Output to a file, not a pipe: the time is the command's, until its
        # process exits, as a shell waits for it (the fork server it leaves
        # behind holds a pipe open a little longer while it shuts down).
        with open(os.path.join(folder, "retro.log"), "w") as log:
            started = time.perf_counter()
            subprocess.run(
                [tracker, "retro", f"{FIRST}..{LAST}", "-o", os.path.join(folder, f"{run}.pdf")],
                env=env,
                check=True,
                stdout=log,
                stderr=log,
            )
            times.append(time.perf_counter() - started)
    return times


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
        runs = command(url, folder)
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        child = context.Process(target=render, args=(url, os.path.join(folder, "inst"), queue))
        child.start()
        timings, peak_mb, workers_mb, pages, size, count = queue.get()
        child.join()
    (cold, cold_cpu), (warm, warm_cpu) = timings
    print(f"Quarter retrospective: {count} experiments, {pages} pages, {size / 1024:,.0f} KB")
    took = statistics.median(runs)
    print(
        f"`tracker retro`, a fresh process each run: {took:.2f} s median "
        f"({', '.join(f'{t:.2f}' for t in runs)} s, start to exit); target <= {TARGET_SECONDS:g} s"
    )
    print(
        f"Render in the app, first: {cold:.2f} s wall ({cold_cpu:.2f} s CPU in this process, "
        f"with matplotlib's import and the fork server's start)"
    )
    print(f"Render in the app, again: {warm:.2f} s wall ({warm_cpu:.2f} s CPU in this process)")
    total_mb = peak_mb + workers_mb
    print(
        f"Peak memory: {total_mb:.0f} MB ({peak_mb:.0f} MB the app's process, "
        f"{workers_mb:.0f} MB the two layout workers; ru_maxrss), target < {TARGET_MB:g} MB"
    )
    print(f"Load average while it ran: {os.getloadavg()[0]:.2f} (other work slows the wall time)")
    ok = max(took, cold) <= TARGET_SECONDS and total_mb < TARGET_MB
    print("Within targets." if ok else "OUTSIDE the targets.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
