"""Every ratio of issue 20 ("Speed, kept") side by side, measured in one run: one table.

Run from the repository root, after ``pip install -e ".[test,bench]"``::

    python benchmarks/bench_ratios.py                    # 100,000 tickets; 200,000 rows
    python benchmarks/bench_ratios.py --quick            # 10,000 tickets; 20,000 rows

Nothing here is a second recipe: the pieces are the other benchmarks' own.

- The report against the turn-2 fast path (``--against``, default commit d53f6e3, installed
  with its own dependencies in a venv of its own, made once: ``bench_report.installed``), on
  the seeded example log (``bench_report.make_log``; the generator is the same file at both
  commits), each command in a fresh process, best of ``--repeats`` interleaved runs, start-up
  subtracted (``bench_report.compare``):
  ``report --jobs 1`` and ``whatif --p2-hours 3`` (each one process) by events per CPU
  second, ``report`` as shipped (a process per processor) by events per wall second.
- ``frames.sla`` per row against ``frames.business_add`` per row on the lodging column of the
  same export (``bench_frames.export``), best of ``--repeats`` interleaved, in one process; and
  the peak resident memory of a fresh process that makes a 1,000,000-row export (100,000 with
  ``--quick``) and runs ``frames.sla`` over it, against what is resident before the call (on
  Linux the peak of making the export is forgotten first, so the peak is the call's own).
- ``calendar.add`` (four business hours) against the minimal bisect reference of
  ``bench_calendar`` on its seeded instants, timed and checked against the oracle the way
  ``bench_calendar`` does.

Wall-time figures move with the load of this shared machine (10-40% between runs); CPU time
moves less; the ratios, taken from interleaved runs, are what to read. It is a measurement, not
a test: it prints PASS/MISS against the issue's targets and exits 0 either way.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
AGAINST = "d53f6e3"  # the turn-2 fast path
SLA_MEMORY = """
import gc, resource, sys
sys.path.insert(0, {benchmarks!r})
import numpy as np
import bench_frames
import westcoast_rules as wr
table = bench_frames.export(np.random.default_rng(bench_frames.SEED), {rows})
gc.collect()
def kib(field):
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith(field)).split()[1])
try:  # Linux: forget the peak of making the export, so that the peak after is frames.sla's
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = kib("VmRSS:")
except OSError:
    kib = None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
bench_frames.export_sla(wr.WESTCOAST, table)
print(before, kib("VmHWM:") if kib else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@dataclass(frozen=True)
class Ratio:
    """One line of the table: this code's figure, the reference's, and how they compare."""

    what: str
    this: str
    reference: str
    ratio: float | None
    target: str
    met: bool | None

    def cells(self) -> list[str]:
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}x"
        verdict = "" if self.met is None else ("PASS" if self.met else "MISS")
        return [self.what, self.this, self.reference, ratio, self.target, verdict]


def report_ratios(tickets: int, against: str, repeats: int, venvs: Path) -> list[Ratio]:
    from bench_report import compare, make_log, startup_of, versions_of

    versions = versions_of(against, venvs)
    startup = startup_of(versions)
    modes = ["report --jobs 1", "report", "whatif"]
    with tempfile.TemporaryDirectory() as folder:
        path, events = make_log(tickets, Path(folder))
        print(f"report: {tickets:,} tickets, {events:,} events; runs ...", file=sys.stderr)
        best = compare(versions, path, modes, repeats)
    lines = []
    labels = {
        "report --jobs 1": ("report --jobs 1, events per CPU s", ">= 1.5x"),
        "report": ("report as shipped, events per wall s", ">= 1.0x"),
        # One process, so CPU seconds: its wall time on an idle machine, steadier on this one.
        "whatif": ("whatif --p2-hours 3, events per CPU s", "kept (>= 1.0x)"),
    }
    for mode in modes:
        rate = {
            name: events / max(best[mode, name].time(mode) - startup[name].time(mode), 1e-9)
            for name in versions
        }
        ratio = rate["this"] / rate[against]
        what, target = labels[mode]
        goal = float(target.strip("kept()>= x"))
        raw = {name: best[mode, name].time(mode) for name in versions}
        lines.append(
            Ratio(
                what,
                f"{rate['this']:,.0f} ({raw['this']:.2f} s)",
                f"{rate[against]:,.0f} ({raw[against]:.2f} s)",
                ratio,
                target,
                ratio >= goal,
            )
        )
    return lines


def frames_ratios(rows: int, memory_rows: int, repeats: int) -> list[Ratio]:
    import bench_frames
    import numpy as np

    import westcoast_rules as wr
    from westcoast_rules import frames

    print(f"frames: {rows:,} rows; runs ...", file=sys.stderr)
    table = bench_frames.export(np.random.default_rng(bench_frames.SEED), rows)
    calendar = wr.WESTCOAST.calendar
    contenders = {
        "sla": lambda: bench_frames.export_sla(wr.WESTCOAST, table),
        "business_add": lambda: frames.business_add(
            calendar, table["created_at"], bench_frames.FOUR_HOURS
        ),
    }
    for run in contenders.values():
        run()  # warm: the index, first-use caches
    best = dict.fromkeys(contenders, float("inf"))
    for _ in range(repeats):
        for name, run in contenders.items():
            gc.collect()
            started = time.process_time()
            run()
            best[name] = min(best[name], (time.process_time() - started) / rows)
    ratio = best["sla"] / best["business_add"]
    print(f"frames: peak memory at {memory_rows:,} rows ...", file=sys.stderr)
    code = SLA_MEMORY.format(benchmarks=str(HERE), rows=memory_rows)
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    before, peak = (int(kib) / 1024 for kib in done.stdout.split())
    return [
        Ratio(
            f"frames.sla / business_add, CPU us a row at {rows:,} rows",
            f"{best['sla'] * 1e6:.3f}",
            f"{best['business_add'] * 1e6:.3f}",
            ratio,
            "<= 5x",
            ratio <= 5,
        ),
        Ratio(
            f"frames.sla peak memory at {memory_rows:,} rows, MiB",
            f"{peak:,.0f}",
            f"{before:,.0f} (resident before)",
            None,
            "reported",
            None,
        ),
    ]


def calendar_ratio(quick: bool) -> list[Ratio]:
    from bench_calendar import (
        FOUR_HOURS,
        MIN_REPEAT_SECONDS,
        N_INSTANTS,
        ROUNDS,
        Impl,
        answers,
        closed_days,
        make_inputs,
        measure,
        minimal_bisect_impl,
        oracle_impl,
        westcoast_impl,
    )

    print("calendar: add against the minimal bisect ...", file=sys.stderr)
    n, rounds, min_repeat = (200, 3, 0.02) if quick else (N_INSTANTS, ROUNDS, MIN_REPEAT_SECONDS)
    inputs = make_inputs(n)
    expected = {"add": answers(oracle_impl().ops["add"], "add", (*inputs, [FOUR_HOURS]))}
    impls = [
        Impl(impl.name, impl.short, {"add": impl.ops["add"]})
        for impl in (westcoast_impl(), minimal_bisect_impl(closed_days()))
    ]
    cases = measure(impls, inputs, expected, rounds, min_repeat)
    ours, floor = cases["westcoast_rules", "add"], cases["minimal", "add"]
    wrong = len(ours.disagreements) + len(floor.disagreements)
    ratio = ours.us / floor.us
    return [
        Ratio(
            "calendar.add / minimal bisect, us a call",
            f"{ours.us:.2f}",
            f"{floor.us:.2f}",
            ratio,
            "<= 1.15x",
            ratio <= 1.15 and wrong == 0,
        )
    ]


def main() -> None:
    from bench_calendar import table
    from bench_report import VENVS

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 tickets, 20,000 rows")
    parser.add_argument("--against", default=AGAINST, metavar="REV", help="the reference")
    parser.add_argument("--venvs", type=Path, default=VENVS, help="where REV's venv is kept")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs, best kept")
    args = parser.parse_args()
    tickets, rows, memory_rows = (
        (10_000, 20_000, 100_000) if args.quick else (100_000, 200_000, 1_000_000)
    )
    started = time.perf_counter()
    lines = [
        *report_ratios(tickets, args.against, args.repeats, args.venvs),
        *frames_ratios(rows, memory_rows, args.repeats),
        *calendar_ratio(args.quick),
    ]
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} "
        f"processors; best of {args.repeats} interleaved runs; reference for the report: "
        f"{args.against}; {time.perf_counter() - started:.0f} s in all"
    )
    heads = ["measure", "this", "reference", "ratio", "target", ""]
    print(table([heads, *(line.cells() for line in lines)]))
    print(
        "\nratio: this/reference for the report (higher is faster); this/reference time for "
        "frames.sla (against business_add) and calendar.add (against the minimal bisect): "
        "lower is faster"
    )


if __name__ == "__main__":
    main()
