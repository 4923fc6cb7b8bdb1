"""Measure the SLA report over large event logs: events per second and peak memory.

Run from the repository root:

    python benchmarks/bench_report.py            # 100,000 and 200,000 tickets
    python benchmarks/bench_report.py --quick    # 10,000 and 20,000 tickets

Each log is made by the seeded example generator (``examples/generate_events.py``), then
``westcoast-rules report`` runs over it in a fresh process, twice, and the best run is kept.
Two sizes show whether memory grows with the file: streaming means it should not.
The issue's target is 200,000 events per second on this 2-core machine; the script prints
PASS or MISS and exits 0 either way: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_EVENTS_PER_SECOND = 200_000
AS_OF = "2026-12-31T12:00:00+00:00"


def make_log(tickets: int, folder: Path) -> tuple[Path, int]:
    path = folder / f"events-{tickets}.csv"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "generate_events.py"),
            "--tickets",
            str(tickets),
            "--out",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    with path.open() as handle:
        events = sum(1 for _ in handle) - 1
    return path, events


def run_report(path: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one `westcoast-rules report` process."""
    code = (
        "import resource, sys\n"
        "from westcoast_rules.cli import main\n"
        f"status = main(['report', {str(path)!r}, '--as-of', {AS_OF!r}, '--no-progress'], "
        "out=open('/dev/null', 'w'))\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "sys.exit(status)\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, int(done.stdout.split()[-1]) / 1024


def startup_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import westcoast_rules.cli"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = (10_000, 20_000) if args.quick else (100_000, 200_000)
    startup = min(startup_seconds() for _ in range(3))
    print(f"Python {sys.version.split()[0]}; process start-up and import: {startup:.2f} s")
    print(f"{'tickets':>9} {'events':>9} {'seconds':>8} {'events/s':>10} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        results = []
        for tickets in sizes:
            path, events = make_log(tickets, Path(folder))
            runs = [run_report(path) for _ in range(2)]
            seconds = min(run[0] for run in runs)
            peak = max(run[1] for run in runs)
            rate = events / (seconds - startup)
            results.append((tickets, events, seconds, rate, peak))
            print(f"{tickets:>9,} {events:>9,} {seconds:>8.2f} {rate:>10,.0f} {peak:>9.1f}")
    rate = min(r[3] for r in results)
    verdict = "PASS" if rate >= TARGET_EVENTS_PER_SECOND else "MISS"
    target = TARGET_EVENTS_PER_SECOND
    print(f"throughput: {rate:,.0f} events/s against a target of {target:,}: {verdict}")
    growth = results[-1][4] / results[0][4]
    first, last = results[0][4], results[-1][4]
    print(f"memory: {first:.1f} MiB -> {last:.1f} MiB for twice the events (x{growth:.2f})")


if __name__ == "__main__":
    main()
