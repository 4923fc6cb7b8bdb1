"""Measure the SLA report, what-if and replay over large event logs: events per second, memory.

Run from the repository root:

    python benchmarks/bench_report.py                       # 100,000 and 200,000 tickets
    python benchmarks/bench_report.py --quick               # 10,000 and 20,000 tickets
    python benchmarks/bench_report.py --against d53f6e3     # side by side with another commit
    python benchmarks/bench_report.py --quick --instructions --against d53f6e3   # exact counts

Each log is made by the seeded example generator (``examples/generate_events.py``). Then, in a
fresh process each time, each of these runs (best of ``--repeats``, the runs of every mode and
every version interleaved, each version first every other time, so a slow minute of this
shared machine hits them alike):

- ``report``: ``westcoast-rules report LOG`` as shipped, one process per processor: the
  installed command itself, as users run it (:data:`COMMANDS`);
- ``report --jobs 1``: the same in one process;
- ``whatif``: ``westcoast-rules whatif LOG --p2-hours 3``, one process;
- ``replay_log``: every ticket rebuilt as a ``Ticket`` from ``read_log``'s records.

With ``--against REV``, the same commands also run on the code of commit REV, installed with
its own dependencies in a virtual environment of its own (made once, then kept in
``--venvs``), and the table gives the speed-up of this code over it (``this/it``, by CPU time
for the one-process modes, by wall time for the report as shipped). Events per second subtract
the process's start-up, measured the same way for each version. Memory is the peak resident
set of the main process and of the largest worker. With ``--instructions``, valgrind counts
the instructions of the one-process modes instead: slow, but the same count every run,
whatever the machine's other tenants do. It is a measurement, not a test: it prints and exits 0.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-12-31T12:00:00+00:00"

MODES = {
    "report": "main(['report', {path!r}, '--as-of', {as_of!r}, '--no-progress'], out=devnull)",
    # The one-process modes: run as ``main([...])`` in ``python -c``, whose CPU time is measured
    # in the process itself (start-up subtracted, below).
    "report --jobs 1": (
        "main(['report', {path!r}, '--as-of', {as_of!r}, '--no-progress', '--jobs', '1'], "
        "out=devnull)"
    ),
    "whatif": (
        "main(['whatif', {path!r}, '--as-of', {as_of!r}, '--no-progress', '--p2-hours', '3'], "
        "out=devnull)"
    ),
    "replay_log": (
        "from datetime import datetime\n"
        "from westcoast_rules import WESTCOAST, batch\n"
        "as_of = datetime.fromisoformat({as_of!r})\n"
        "for _ in batch.replay_log(WESTCOAST, batch.read_log({path!r}), as_of=as_of): pass"
    ),
}
STARTUP = "pass"
# The modes that run in one process: their CPU time is the measure; the others', wall time.
ONE_PROCESS = ("report --jobs 1", "whatif", "replay_log")
COMMANDS = {"report": ("report", "{path}", "--as-of", "{as_of}", "--no-progress")}
"""The modes timed as users run them: the installed ``westcoast-rules`` command of the version's
environment (its source first on the path). As shipped, the report starts its worker processes
from a fork server, which imports the command's own module (so the library) once for all of
them: started from ``python -c``, each worker would import it afresh. Its :data:`MODES` body is
what counts instructions and profiles it."""
VENVS = Path(tempfile.gettempdir()) / "westcoast-rules-bench"


class Version(NamedTuple):
    """A version of the code to run: the Python that runs it, and its source on PYTHONPATH (the
    checkout's own ``src``), or None where the code is installed in that Python's venv."""

    python: str
    source: Path | None

    @property
    def command(self) -> Path:
        """The ``westcoast-rules`` command installed beside the version's Python."""
        command = Path(self.python).parent / "westcoast-rules"
        if not command.exists():
            raise SystemExit(
                f"no westcoast-rules command beside {self.python}: install this checkout "
                '(pip install -e ".[test,bench]") to time the report as shipped'
            )
        return command

    def env(self) -> dict[str, str]:
        if self.source is None:
            return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        return {**os.environ, "PYTHONPATH": str(self.source)}


THIS = Version(sys.executable, ROOT / "src")


class Run(NamedTuple):
    """One run of a mode: wall and CPU seconds (its own and its children's), peak memory."""

    seconds: float
    cpu: float
    own_mib: float
    child_mib: float | None
    """``None`` where the workers are not the process's children to measure."""

    def time(self, mode: str) -> float:
        return self.cpu if mode in ONE_PROCESS else self.seconds


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


def run(version: Version, body: str) -> Run:
    """Wall and CPU seconds, and peak resident memory (MiB) of the process and of its largest
    child."""
    code = (
        "import resource, sys\n"
        "from westcoast_rules.cli import main\n"
        "devnull = open('/dev/null', 'w')\n"
        f"{body}\n"
        "own = resource.getrusage(resource.RUSAGE_SELF)\n"
        "children = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime\n"
        "print(cpu, own.ru_maxrss, children.ru_maxrss)\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [version.python, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=version.env(),
    )
    seconds = time.perf_counter() - started
    cpu, own, children = done.stdout.split()[-3:]
    return Run(seconds, float(cpu), int(own) / 1024, int(children) / 1024)


def run_command(version: Version, arguments: list[str]) -> Run:
    """Wall and CPU seconds and peak resident memory (MiB) of the version's command run with
    *arguments*: its own process's (its workers, started by a fork server, are not its
    children to count; the report as shipped is judged on wall time)."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        process = subprocess.Popen(
            [str(version.command), *arguments], stdout=devnull, env=version.env()
        )
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, None)


def run_mode(version: Version, mode: str, path: Path) -> Run:
    """One run of *mode* on the log at *path*: as the installed command for the modes in
    :data:`COMMANDS`, else its :data:`MODES` body in ``python -c``."""
    if mode in COMMANDS:
        return run_command(
            version, [part.format(path=path, as_of=AS_OF) for part in COMMANDS[mode]]
        )
    return run(version, MODES[mode].format(path=str(path), as_of=AS_OF))


def instructions(version: Version, body: str) -> int:
    """Instructions the run executes (valgrind's callgrind): the same count every time, however
    busy the machine, for the modes that run in one process."""
    code = "from westcoast_rules.cli import main\ndevnull = open('/dev/null', 'w')\n" + body
    valgrind = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")
    done = subprocess.run(
        [*valgrind, version.python, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**version.env(), "PYTHONHASHSEED": "0"},
    )
    refs = next(line for line in done.stderr.splitlines() if "refs:" in line)
    return int(refs.split()[-1].replace(",", ""))


def count_instructions(versions: dict[str, Version], folder: Path, tickets: int) -> None:
    """Instructions per event of each one-process mode, each version, on one log."""
    path, events = make_log(tickets, folder)
    print(f"instructions (callgrind), {tickets:,} tickets, {events:,} events:")
    for mode in ONE_PROCESS:
        counts = {}
        for name, version in versions.items():
            start = instructions(version, STARTUP)
            counts[name] = instructions(version, MODES[mode].format(path=str(path), as_of=AS_OF))
            counts[name] -= start
        line = ", ".join(f"{name} {count / events:,.0f}" for name, count in counts.items())
        ratios = ", ".join(
            f"{name}/this {count / counts['this']:.2f}"
            for name, count in counts.items()
            if name != "this"
        )
        print(f"  {mode:<16} per event: {line}  ({ratios or 'this alone'})")


def installed(revision: str, venvs: Path) -> Version:
    """A virtual environment with the code of *revision* installed, and its own dependencies:
    made the first time (a minute or two), then kept in *venvs* under the commit's hash."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    venv = venvs / commit
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"installing {revision} ({commit[:12]}) into {venv} ...", file=sys.stderr)
        with tempfile.TemporaryDirectory() as folder:
            tree = Path(folder) / "tree"
            git = ["git", "-C", str(ROOT), "worktree"]
            subprocess.run([*git, "add", "--detach", str(tree), commit], check=True)
            try:
                subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
                pip = [str(python), "-m", "pip", "install", "--quiet"]
                subprocess.run([*pip, str(tree)], check=True)
            except BaseException:
                subprocess.run(["rm", "-rf", str(venv)], check=False)
                raise
            finally:
                subprocess.run([*git, "remove", "--force", str(tree)], check=False)
    return Version(str(python), None)


def versions_of(against: str | None, venvs: Path) -> dict[str, Version]:
    """This checkout's code, and *against*'s if given, by the name the tables show."""
    versions = {"this": THIS}
    if against:
        versions[against] = installed(against, venvs)
    return versions


def startup_of(versions: dict[str, Version]) -> dict[str, Run]:
    """The fastest of three empty runs of each version: what a run's figures subtract."""
    return {
        name: min((run(version, STARTUP) for _ in range(3)), key=lambda r: r.seconds)
        for name, version in versions.items()
    }


def compare(
    versions: dict[str, Version], path: Path, modes: list[str], repeats: int
) -> dict[tuple[str, str], Run]:
    """The best run of every mode on every version, by the time that mode is judged on."""
    best: dict[tuple[str, str], Run] = {}
    for repeat in range(repeats):
        for mode in modes:
            # Each version goes first every other time: a second run in a row was seen to be
            # slower on this machine, whichever version it was.
            order = list(versions.items())[:: 1 if repeat % 2 == 0 else -1]
            for name, version in order:
                measured = run_mode(version, mode, path)
                kept = best.get((mode, name))
                if kept is None or measured.time(mode) < kept.time(mode):
                    best[mode, name] = measured
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 and 20,000 tickets")
    parser.add_argument("--against", metavar="REV", help="also run the code of this commit")
    parser.add_argument(
        "--venvs", type=Path, default=VENVS, help=f"where REV's venv is kept (default {VENVS})"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, best kept")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instead, count instructions with valgrind on the smaller log (slow, exact)",
    )
    args = parser.parse_args()
    sizes = (10_000, 20_000) if args.quick else (100_000, 200_000)
    versions = versions_of(args.against, args.venvs)
    startup = startup_of(versions)
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} processors")
    print("start-up: " + ", ".join(f"{name} {r.seconds:.2f} s" for name, r in startup.items()))
    with tempfile.TemporaryDirectory() as folder:
        if args.instructions:
            count_instructions(versions, Path(folder), sizes[0])
            return
        print(
            "events/s: by CPU time for the one-process modes, by wall time for the report as "
            "shipped (wall figures move with this shared machine's load)"
        )
        header = f"{'tickets':>9} {'events':>9} {'mode':<16} {'version':<10} {'seconds':>8} "
        print(
            header + f"{'CPU s':>7} {'events/s':>10} {'MiB main':>9} {'MiB worker':>10} "
            f"{'this/it':>7}"
        )
        for tickets in sizes:
            path, events = make_log(tickets, Path(folder))
            best = compare(versions, path, list(MODES), args.repeats)
            for mode in MODES:
                rates = {}
                for name in versions:
                    r = best[mode, name]
                    spent = r.time(mode) - startup[name].time(mode)
                    rates[name] = events / max(spent, 1e-9)
                    speedup = rates["this"] / rates[name]
                    worker = "-" if r.child_mib is None else f"{r.child_mib:.1f}"
                    print(
                        f"{tickets:>9,} {events:>9,} {mode:<16} {name:<10} {r.seconds:>8.2f} "
                        f"{r.cpu:>7.2f} {rates[name]:>10,.0f} {r.own_mib:>9.1f} "
                        f"{worker:>10} {speedup:>7.2f}"
                    )


if __name__ == "__main__":
    main()
