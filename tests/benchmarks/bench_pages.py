"""Median server time of each list and status page with 3,000 experiments and
100,000 result snapshots. Target: under 50 ms each.

    python tests/benchmarks/bench_pages.py
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


def main() -> None:
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
