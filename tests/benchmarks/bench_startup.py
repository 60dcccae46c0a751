"""How fast ``tracker --help`` answers (target: under half a second), and which
heavy libraries a plain start imports (none should).

    python tests/benchmarks/bench_startup.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time

RUNS = 7
HEAVY = ("statsmodels", "matplotlib", "weasyprint", "scipy")


def main() -> None:
    tracker = shutil.which("tracker") or str(sys.executable).replace("python", "tracker")
    subprocess.run([tracker, "--help"], capture_output=True, check=True)  # warm the disk cache
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([tracker, "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    verdict = "met" if median < 0.5 else "MISSED"
    print(f"tracker --help: median {median * 1000:.0f} ms over {RUNS} runs (< 500 ms {verdict})")
    probe = (
        "import sys; from tracker import create_app; create_app(); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    print(f"heavy libraries loaded by create_app(): {loaded.stdout.strip() or loaded.stderr}")


if __name__ == "__main__":
    main()
