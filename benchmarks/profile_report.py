"""What lies between the report and a bare read of its log: a profile of ``report --jobs 1``.

Run from the repository root::

    python benchmarks/profile_report.py                  # the 100,000-ticket log
    python benchmarks/profile_report.py --tickets 20000  # quicker
    python benchmarks/profile_report.py --log FILE       # a log of your own

On the seeded example log (``bench_report.make_log``), in this one process, CPU time of:

- the floor: ``csv.reader`` over the file and ``datetime.fromisoformat`` on every ``at`` (its
  ``[Europe/London]`` suffix cut off), nothing else; and ``pyarrow.csv.read_csv`` for scale;
- the report in one process, as ``bench_report`` runs it (``report --jobs 1``), without and then
  under ``cProfile``.

Then the functions where the profiled time goes: the most time spent in the function itself
(``tottime``), and the library's functions by the time spent in them and what they call
(``cumtime``). cProfile slows Python calls, and its clock is the wall's, so on a shared machine
read the shares, not the seconds. A
measurement for whoever makes the report faster: it prints and exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

AS_OF = "2026-12-31T12:00:00+00:00"


def bare_read(path: Path) -> int:
    """Every row through csv.reader, every instant through fromisoformat: the floor."""
    rows = 0
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        at = next(reader).index("at")
        for row in reader:
            text = row[at]
            cut = text.find("[")
            datetime.fromisoformat(text if cut < 0 else text[:cut])
            rows += 1
    return rows


def arrow_read(path: Path) -> int:
    from pyarrow import csv as arrow_csv

    return int(arrow_csv.read_csv(path).num_rows)


def cpu(fn: object, *args: object) -> float:
    started = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - started


def where(func: tuple[str, int, str]) -> str:
    file, line, name = func
    if file == "~":
        return name  # a built-in
    parts = Path(file).parts
    if "westcoast_rules" in parts:
        file = "/".join(parts[parts.index("westcoast_rules") :])
    else:
        file = Path(file).name
    return f"{file}:{line} {name}"


def main() -> None:
    from bench_report import MODES, make_log

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="size of the seeded log")
    parser.add_argument("--log", type=Path, help="profile this log instead")
    parser.add_argument("--top", type=int, default=20, help="functions listed")
    args = parser.parse_args()

    from westcoast_rules.cli import main as cli

    with tempfile.TemporaryDirectory() as folder:
        if args.log:
            path = args.log
        else:
            print(f"making the {args.tickets:,}-ticket log ...", file=sys.stderr)
            path, _ = make_log(args.tickets, Path(folder))
        devnull = open("/dev/null", "w")  # noqa: SIM115 (for the length of the run)
        code = compile(MODES["report --jobs 1"].format(path=str(path), as_of=AS_OF), "r", "exec")
        namespace = {"main": cli, "devnull": devnull}
        rows = bare_read(path)  # also brings the file into the page cache
        floor = min(cpu(bare_read, path) for _ in range(3))
        arrow = min(cpu(arrow_read, path) for _ in range(3))
        plain = cpu(exec, code, namespace)
        # cProfile's own wall clock: a CPU-time clock costs a system call per event and made the
        # run 7x slower, charging the functions called most. Time the other tenants take is
        # charged to whichever function was running, in proportion to its time, so the shares
        # hold though the seconds grow with the load.
        profile = cProfile.Profile()
        started = time.process_time()
        profile.runctx("exec(code, namespace)", {"exec": exec}, {**locals()})
        profiled = time.process_time() - started

    print(f"{path.name}: {rows:,} events; CPU seconds in this process")
    print(f"  csv.reader + datetime.fromisoformat   {floor:7.2f}   (the floor; best of 3)")
    print(f"  pyarrow.csv.read_csv                  {arrow:7.2f}   (for scale; best of 3)")
    print(
        f"  report --jobs 1                       {plain:7.2f}   ({plain / floor:.1f}x the floor)"
    )
    print(f"  report --jobs 1 under cProfile        {profiled:7.2f}")

    stats = pstats.Stats(profile)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tottime for _, _, tottime, _, _ in entries.values())
    print(f"\nby time in the function itself (tottime), of {total:.2f} s profiled")
    print(f"  {'share':>6} {'tottime':>8} {'calls':>10}  function")
    ranked = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    for func, (_, calls, tottime, _, _) in ranked[: args.top]:
        print(f"  {tottime / total:6.1%} {tottime:8.2f} {calls:>10,}  {where(func)}")

    print("\nthe library's functions by time in them and below (cumtime)")
    print(f"  {'share':>6} {'cumtime':>8} {'calls':>10}  function")
    ours = [item for item in entries.items() if "westcoast_rules" in item[0][0]]
    ours.sort(key=lambda item: item[1][3], reverse=True)
    for func, (_, calls, _, cumtime, _) in ours[: args.top]:
        print(f"  {cumtime / total:6.1%} {cumtime:8.2f} {calls:>10,}  {where(func)}")


if __name__ == "__main__":
    main()
