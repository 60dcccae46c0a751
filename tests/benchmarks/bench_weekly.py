"""Median server time of the This week page and the dashboard on five years
of weekly history: 260 cycles, 3,000 experiments, 20,000 action items.
Target: under 80 ms each.

    python tests/benchmarks/bench_weekly.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.timing import big_app, median_ms

TARGET_MS = 80


def main() -> None:
    with big_app(cycles=260, experiments=3000, snapshots=12_000, action_items=20_000) as (
        _app,
        client,
        counts,
    ):
        print("data:", counts)
        print(f"{'page':<12} {'median ms':>10}  target")
        for path in ("/week", "/"):
            median, status = median_ms(client, path)
            verdict = "met" if median < TARGET_MS and status == 200 else "MISSED"
            print(f"{path:<12} {median:>10.1f}  < {TARGET_MS} ms {verdict} (HTTP {status})")


if __name__ == "__main__":
    main()
