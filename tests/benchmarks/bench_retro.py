"""Time and memory of the retrospective PDF, one Typst compile in one process.

Two ranges:

- the demo-sized quarter: a fresh SQLite database filled with 13 weekly cycles
  and 40 experiments with their results, guardrails and stored analyses
  (tests/report_data.py);
- the demo's own quarter: ``tracker demo`` on another fresh database, its
  cycles' range.

The command runs as a user's installed copy does: ``pip install .`` byte-compiles
Revloop's modules, so the benchmark compiles this checkout's (``compileall``, into
its ``__pycache__`` folders) before it measures; without that, a shell with
PYTHONDONTWRITEBYTECODE set would compile about 80 modules from source on every run.

For each, it

- runs ``tracker retro`` five times, each a fresh process as a user runs it,
  and prints the wall time from the command's start to its exit, the CPU time
  of that process (user + system, from wait4) and its peak memory (ru_maxrss);
- downloads PDFs from the Reports page in a child process (so that the peak
  memory is that process's own), with an app that has made one report already:
  five ranges it has not made before (the range, and four that start later),
  and prints their median wall and CPU time.

On a shared machine the wall time grows with the load (printed at the start and
the end); the CPU time is the cost of the report itself.

Run with ``python tests/benchmarks/bench_retro.py``; pytest does not collect it.
Targets on the 2-core machine: the command at most 1.5 s, the web download at
most 0.5 s, peak memory at most 200 MB.
"""

from __future__ import annotations

import argparse
import compileall
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

COMMAND_SECONDS = 1.5
WEB_SECONDS = 0.5
TARGET_MB = 200.0
FIRST, LAST = "2026-W27", "2026-W39"
PASSWORD = "bench-password-123"


def fill_quarter(url: str, experiments: int) -> str:
    """The demo-sized quarter; returns its range."""
    from sqlmodel import Session

    from experiments.cycles import IsoWeek
    from tests.conftest import reset_schema
    from tests.report_data import build_quarter
    from tracker.database import build_engine

    engine = build_engine(url)
    reset_schema(engine)
    with Session(engine) as session:
        build_quarter(
            session, first=IsoWeek.parse(FIRST), last=IsoWeek.parse(LAST), experiments=experiments
        )
    engine.dispose()
    return f"{FIRST}..{LAST}"


def fill_demo(url: str, folder: str) -> str:
    """The demo's data; returns the range of its cycles."""
    env = dict(
        os.environ,
        TRACKER_DATABASE_URL=url,
        TRACKER_INSTANCE_PATH=folder,
        TRACKER_DEMO_PASSWORD=PASSWORD,
    )
    subprocess.run([*_tracker(), "demo"], env=env, check=True, capture_output=True, cwd=ROOT)
    from sqlmodel import Session, col, select

    from tracker.database import build_engine
    from tracker.models import Cycle

    engine = build_engine(url)
    with Session(engine) as session:
        weeks = session.exec(select(Cycle.iso_week).order_by(col(Cycle.iso_week))).all()
    engine.dispose()
    return f"{weeks[0]}..{weeks[-1]}"


ROOT = str(Path(__file__).resolve().parents[2])


def _tracker() -> list[str]:
    """The installed ``tracker`` script, or this checkout's command run the same way."""
    script = shutil.which("tracker", path=os.path.dirname(sys.executable))
    if script:
        return [script]
    return [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]


# Runs each command and answers with its wall time, CPU time and peak memory. Linux
# keeps a process's peak memory (ru_maxrss) across exec, so a command started by this
# benchmark, which holds the filled quarter, would report the benchmark's own memory
# as its floor; started by this small process, begun before the benchmark grew, it
# reports its own.
LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    started = time.perf_counter()
    with subprocess.Popen(
        job["args"], env=job["env"], cwd=job["cwd"], stderr=subprocess.DEVNULL
    ) as process:
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "status": process.returncode,
                      "cpu": usage.ru_utime + usage.ru_stime, "kib": usage.ru_maxrss}), flush=True)
"""


def start_launcher() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def command(
    launcher: subprocess.Popen[str], url: str, folder: str, span: str
) -> tuple[list[float], list[float], float, int]:
    """Wall and CPU times of ``tracker retro`` (each a fresh process), the largest
    peak memory of those processes in MB and the PDF's size in bytes."""
    env = dict(os.environ, TRACKER_DATABASE_URL=url, TRACKER_INSTANCE_PATH=folder)
    times, cpu, peak_mb, size = [], [], 0.0, 0
    assert launcher.stdin and launcher.stdout
    for run in range(5):
        target = os.path.join(folder, f"{run}.pdf")
        args = [*_tracker(), "retro", span, "-o", target]
        launcher.stdin.write(json.dumps({"args": args, "env": env, "cwd": ROOT}) + "\n")
        launcher.stdin.flush()
        done = json.loads(launcher.stdout.readline())
        assert done["status"] == 0, done
        times.append(done["seconds"])
        cpu.append(done["cpu"])
        peak_mb = max(peak_mb, done["kib"] / 1024)  # KiB on Linux
        size = os.path.getsize(target)
    return times, cpu, peak_mb, size


def later_starts(span: str, count: int) -> list[str]:
    """``span`` and the ranges that start 1, 2, ... weeks later and end with it."""
    from experiments.cycles import IsoWeek

    first_text, last = span.split("..")
    first, spans = IsoWeek.parse(first_text), []
    for _ in range(count):
        spans.append(f"{first}..{last}")
        first = first.next()
    return spans


def web(url: str, instance: str, span: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In the child: a signed-in viewer downloads PDFs from an app that has made one
    report already (a shorter range): five ranges it has not made before (``span``
    and four that start later)."""
    os.environ["TRACKER_INSTANCE_PATH"] = instance
    from sqlmodel import Session

    from tracker import create_app
    from tracker.database import get_engine
    from tracker.models import Role, User

    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})
    with Session(get_engine(app)) as session:
        user = User(email="bench-viewer@example.com", display_name="Bench", role=Role.viewer)
        user.set_password(PASSWORD)
        session.add(user)
        session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": "bench-viewer@example.com", "password": PASSWORD})

    def download(text: str) -> tuple[float, float]:
        started, used = time.perf_counter(), time.process_time()
        response = client.get(f"/reports/pdf?range={text}")
        assert response.status_code == 200, response.status
        body = response.get_data()
        took = time.perf_counter() - started, time.process_time() - used
        assert body.startswith(b"%PDF")
        # a server closes the response once it is sent: the worker's clean-up then
        # runs (render.forget_layouts), after the reader has the report
        response.close()
        return took

    ranges = later_starts(span, 7)
    fresh, warming = ranges[:5], ranges[6]  # the one made first is none of the five
    cold, _ = download(warming)
    new = [download(text) for text in fresh]
    queue.put((cold, new, own_peak_mb()))


def own_peak_mb() -> float:
    """This process's peak memory since it started: VmHWM, not ru_maxrss, which
    would count the memory of the benchmark that started it."""
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return kib / 1024


def measure(launcher: subprocess.Popen[str], name: str, url: str, folder: str, span: str) -> bool:
    runs, cpu, command_mb, size = command(launcher, url, folder, span)
    pages = _pages(os.path.join(folder, "0.pdf"))
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=web, args=(url, os.path.join(folder, "web"), span, queue))
    child.start()
    cold, new, web_mb = queue.get()
    child.join()
    took = statistics.median(runs)
    warm, warm_cpu = (statistics.median(pair[i] for pair in new) for i in (0, 1))
    print(f"{name} ({span}): {pages} pages, {size / 1024:,.0f} KB")
    print(
        f"  `tracker retro`, a fresh process: {took:.2f} s median "
        f"({', '.join(f'{t:.2f}' for t in runs)} s, start to exit; "
        f"{statistics.median(cpu):.2f} s CPU), "
        f"peak {command_mb:.0f} MB; target <= {COMMAND_SECONDS:g} s"
    )
    print(
        f"  web download, warm app, a range not made before: {warm:.2f} s median of 5 "
        f"({', '.join(f'{t:.2f}' for t, _c in new)} s; {warm_cpu:.2f} s CPU; the app's "
        f"first report {cold:.2f} s), peak {web_mb:.0f} MB in that process; "
        f"target <= {WEB_SECONDS:g} s"
    )
    return took <= COMMAND_SECONDS and warm <= WEB_SECONDS and max(command_mb, web_mb) <= TARGET_MB


def _pages(path: str) -> int:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--experiments", type=int, default=40)
    args = parser.parse_args()
    launcher = start_launcher()
    ok = True
    compileall.compile_dir(os.path.join(ROOT, "tracker"), quiet=1)
    compileall.compile_dir(os.path.join(ROOT, "experiments"), quiet=1)
    print(f"Load average at the start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="revloop-bench-") as folder:
        quarter = os.path.join(folder, "quarter")
        os.makedirs(quarter)
        url = f"sqlite:///{quarter}/bench.sqlite"
        started = time.perf_counter()
        span = fill_quarter(url, args.experiments)
        print(
            f"Filled 13 cycles and {args.experiments} experiments in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        ok &= measure(
            launcher, f"Demo-sized quarter, {args.experiments} experiments", url, quarter, span
        )
        demo = os.path.join(folder, "demo")
        os.makedirs(demo)
        url = f"sqlite:///{demo}/demo.sqlite"
        span = fill_demo(url, demo)
        ok &= measure(launcher, "The demo's quarter", url, demo, span)
    assert launcher.stdin
    launcher.stdin.close()
    launcher.wait()
    print(f"Load average while it ran: {os.getloadavg()[0]:.2f} (other work slows the wall time)")
    print("Within targets." if ok else "OUTSIDE the targets.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
