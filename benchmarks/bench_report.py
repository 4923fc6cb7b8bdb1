"""Measure the SLA report over large event logs: events per second and peak memory.

Run from the repository root:

    python benchmarks/bench_report.py            # 100,000 and 200,000 tickets
    python benchmarks/bench_report.py --quick    # 10,000 and 20,000 tickets

Each log is made by the seeded example generator (``examples/generate_events.py``). Then, in
a fresh process each time, twice, keeping the best run:

- ``westcoast-rules report LOG`` as shipped: the fast path, one process per processor;
- the same with ``--jobs 1``: the fast path in one process;
- on the smaller log only, the reference path: ``report_log`` over ``read_log``'s records,
  that is ``replay_log`` and ``report_row`` on the lifecycle's own records, which is what
  ``westcoast-rules report`` ran before the fast path.

Two sizes show whether memory grows with the file: streaming means it should not. Memory is
the peak resident set of the main process and of the largest worker process. The issue's
target is 200,000 events per second on this 2-core machine; the script prints PASS or MISS
and exits 0 either way: it is a measurement, not a test.
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


MODES = {
    "cli": "main(['report', {path!r}, '--as-of', {as_of!r}, '--no-progress'], out=devnull)",
    "cli --jobs 1": (
        "main(['report', {path!r}, '--as-of', {as_of!r}, '--no-progress', '--jobs', '1'], "
        "out=devnull)"
    ),
    "reference": (
        "from datetime import datetime\n"
        "from westcoast_rules import WESTCOAST, batch\n"
        "summary = batch.SlaSummary()\n"
        "as_of = datetime.fromisoformat({as_of!r})\n"
        "for _ in batch.report_log(WESTCOAST, batch.read_log({path!r}), as_of=as_of, "
        "summary=summary, rows=False): pass\n"
        "summary.priorities()"
    ),
}


def run_report(path: Path, mode: str) -> tuple[float, float, float]:
    """Seconds, and peak resident memory (MiB) of the process and of its largest child."""
    code = (
        "import resource, sys\n"
        "from westcoast_rules.cli import main\n"
        "devnull = open('/dev/null', 'w')\n"
        + MODES[mode].format(path=str(path), as_of=AS_OF)
        + "\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    own, children = (int(value) / 1024 for value in done.stdout.split()[-2:])
    return seconds, own, children


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
    print(
        f"{'tickets':>9} {'events':>9} {'mode':<14} {'seconds':>8} {'events/s':>10} "
        f"{'MiB main':>9} {'MiB worker':>10}"
    )
    rates: dict[tuple[int, str], float] = {}
    memory: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for tickets in sizes:
            path, events = make_log(tickets, Path(folder))
            modes = [*MODES] if tickets == sizes[0] else ["cli", "cli --jobs 1"]
            for mode in modes:
                runs = [run_report(path, mode) for _ in range(1 if mode == "reference" else 2)]
                seconds = min(run[0] for run in runs)
                own = max(run[1] for run in runs)
                child = max(run[2] for run in runs)
                rate = events / (seconds - startup)
                rates[tickets, mode] = rate
                if mode == "cli":
                    memory[tickets] = max(own, child)
                print(
                    f"{tickets:>9,} {events:>9,} {mode:<14} {seconds:>8.2f} {rate:>10,.0f} "
                    f"{own:>9.1f} {child:>10.1f}"
                )
    rate = min(rates[tickets, "cli"] for tickets in sizes)
    verdict = "PASS" if rate >= TARGET_EVENTS_PER_SECOND else "MISS"
    target = TARGET_EVENTS_PER_SECOND
    print(f"throughput: {rate:,.0f} events/s against a target of {target:,}: {verdict}")
    small = sizes[0]
    reference = rates[small, "reference"]
    print(
        f"against the reference path ({small:,} tickets): the fast path in one process is "
        f"{rates[small, 'cli --jobs 1'] / reference:.1f}x, as shipped "
        f"{rates[small, 'cli'] / reference:.1f}x"
    )
    first, last = memory[sizes[0]], memory[sizes[-1]]
    print(
        f"memory (largest process): {first:.1f} MiB -> {last:.1f} MiB for twice the events "
        f"(x{last / first:.2f})"
    )


if __name__ == "__main__":
    main()
