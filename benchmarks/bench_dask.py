"""Measure the SLA report past one machine: `--dask local` against the one-machine report.

Run from the repository root (needs the ``[dask]`` extra):

    python benchmarks/bench_dask.py            # 200,000 tickets
    python benchmarks/bench_dask.py --quick    # 20,000 tickets

The seeded example generator (``examples/generate_events.py``) writes a log grouped by ticket;
the same log is also written in time order, as helpdesks export it, as CSV and as Parquet.
Each command then runs in a fresh process (best of ``--repeats``, the commands interleaved, so
a slow minute of this shared machine hits them alike):

- ``one machine``: ``westcoast-rules report LOG`` as shipped, a process per processor;
- ``one process``: the same with ``--jobs 1``;
- ``time order``: the log in time order, grouped by ticket in memory first;
- ``dask local``: ``--dask local``, a cluster of a worker process per processor started by the
  command (its start-up is part of the time, as a user meets it), on the grouped CSV, and on
  the time-ordered Parquet log.

Printed: seconds, events per second, the peak resident memory of the command's own process
(the client, for Dask) and of its largest child process, and the ratio to ``one machine``.
Before timing, each way's ``--rows --format csv`` output is compared with the one-machine
output: byte for byte where the log is the same file, row for row (sorted) where the order of
the log differs. It is a measurement, not a test: it prints and exits 0.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_report import make_log

AS_OF = "2026-12-31T12:00:00+00:00"


def make_logs(tickets: int, folder: Path) -> tuple[dict[str, Path], int]:
    grouped, _ = make_log(tickets, folder)  # the generator's log, as bench_report makes it
    import pandas as pd

    frame = pd.read_csv(grouped, dtype=str, keep_default_na=False)
    at = pd.to_datetime(
        frame["at"].str.replace(r"\[.*\]", "", regex=True), utc=True, format="ISO8601"
    )
    order = at.argsort(kind="stable")
    by_time = frame.iloc[order]
    by_time.to_csv(folder / "by_time.csv", index=False)
    typed = by_time.copy()
    typed["at"] = at.iloc[order].dt.tz_convert("Europe/London")
    typed["tier"] = pd.to_numeric(typed["tier"]).astype("Int64")
    # Row groups of 100,000 rows, as a writer of large logs makes them: a task each.
    typed.replace({"": None}).to_parquet(
        folder / "by_time.parquet", index=False, row_group_size=100_000
    )
    logs = {
        "grouped": grouped,
        "by_time": folder / "by_time.csv",
        "parquet": folder / "by_time.parquet",
    }
    return logs, len(frame)


def ways(logs: dict[str, Path]) -> dict[str, list[str]]:
    return {
        "one machine": [str(logs["grouped"])],
        "one process": [str(logs["grouped"]), "--jobs", "1"],
        "time order": [str(logs["by_time"])],
        "dask local": [str(logs["grouped"]), "--dask", "local"],
        "dask local, Parquet in time order": [str(logs["parquet"]), "--dask", "local"],
    }


def run(arguments: list[str], *extra: str) -> tuple[float, float, float, str]:
    """Seconds, peak resident MiB of the process and of its largest child, and what it printed
    (stdout: the report alone, whatever Dask logs on stderr)."""
    code = (
        "import resource, sys\n"
        "from westcoast_rules.cli import main\n"
        f"status = main({arguments + list(extra)!r})\n"
        # The peak of this process since it began (VmHWM: ru_maxrss would count the parent
        # it was forked from), and of its largest child.
        "own = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write(f'\\nmeasured {status} {own} {children}\\n')\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    status, own, children = done.stderr.split("measured ")[-1].split()
    assert status == "0", done.stderr[-2000:]
    return seconds, int(own) / 1024, int(children) / 1024, done.stdout


def check(commands: dict[str, list[str]]) -> None:
    """Every way's rows against the one-machine rows."""
    rows = ["report", "--as-of", AS_OF, "--rows", "--format", "csv", "--no-progress"]
    reference = run([*rows[:1], *commands["one machine"], *rows[1:]])[3]
    for name, command in commands.items():
        output = run([*rows[:1], *command, *rows[1:]])[3]
        same_file = command[0] == commands["one machine"][0]
        if same_file:
            verdict = "byte for byte" if output == reference else "DIFFERENT"
        else:
            equal = sorted(output.splitlines()) == sorted(reference.splitlines())
            verdict = "row for row" if equal else "DIFFERENT"
        print(f"  {name:<36} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 tickets")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each, best kept")
    args = parser.parse_args()
    tickets = 20_000 if args.quick else 200_000
    with tempfile.TemporaryDirectory() as folder:
        logs, events = make_logs(tickets, Path(folder))
        commands = ways(logs)
        print(f"{tickets:,} tickets, {events:,} events; the same rows every way:")
        check(commands)
        best: dict[str, tuple[float, float, float]] = {}
        for _ in range(args.repeats):
            for name, command in commands.items():
                seconds, own, child, _ = run(
                    ["report", *command, "--as-of", AS_OF, "--no-progress"]
                )
                if name not in best or seconds < best[name][0]:
                    best[name] = (seconds, own, child)
        base = best["one machine"][0]
        print(f"{'':<36} {'seconds':>8} {'events/s':>10} {'MiB own':>8} {'MiB child':>9} {'x':>6}")
        for name, (seconds, own, child) in best.items():
            print(
                f"{name:<36} {seconds:>8.1f} {events / seconds:>10,.0f} {own:>8.0f} "
                f"{child:>9.0f} {seconds / base:>6.2f}"
            )


if __name__ == "__main__":
    main()
