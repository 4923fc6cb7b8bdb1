"""How fast is `westcoast_rules.BusinessCalendar`, next to its peers and to the floor?

Run from the repository root, after ``pip install -e ".[bench]"``::

    python benchmarks/bench_calendar.py          # full run, about a minute on 2 cores
    python benchmarks/bench_calendar.py --quick  # a few seconds, noisier

Five implementations of the same calendar (Monday to Friday 08:00-18:00 Europe/London, closed
on the GB-ENG and IE bank holidays of the `holidays` package) answer four questions for the
same fixed, seeded instants:

- ``add``: four business hours after t;
- ``elapsed``: the business time between t and an instant up to 60 days later;
- ``is_open``: whether the desk is open at t;
- ``nbd_close``: 18:00 on the next business day, counting from the next opening at or
  after t (as ``add_business_days(t, 1)`` does), i.e. "by close of business tomorrow".

Each timing is the best of 9 repeats (3 with --quick), a repeat being as many whole passes
over all the inputs as fill 0.1 s (at least one), divided by the number of calls:
microseconds per call, including a Python ``for`` loop step (~0.01 us). Best, not median:
on a shared virtual machine slower repeats are other tenants' noise, and the medians of two
runs differ by up to 40%; the target lines also show the ratio of the medians. The repeats
of all the implementations are interleaved, so a slow spell of the machine hits them all
alike. Inputs are converted to each implementation's own types before the clock starts, and
every cache is warm (the startup section measures the cold start). Every answer is checked
against the slow oracle of the test suite (``tests/oracle.py``); disagreements are counted.

This is a measurement, not a test: it prints PASS/MISS against the targets of the issue and
exits 0 either way.
"""

from __future__ import annotations

import argparse
import math
import operator
import os
import platform
import random
import statistics
import subprocess
import sys
import timeit
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
LONDON = ZoneInfo("Europe/London")
ONE_DAY = timedelta(days=1)
FOUR_HOURS = timedelta(hours=4)
SEED = 20260101
MIN_REPEAT_SECONDS = 0.1  # a repeat makes whole passes over the inputs for at least this long
ROUNDS = 9  # repeats of every measurement, interleaved
N_INSTANTS = 1000
HOLIDAY_YEARS = range(2024, 2032)  # covers 2026-2027 plus the 60-day spans and next days
OPERATIONS = ("add", "elapsed", "is_open", "nbd_close")
OP_LABELS = {
    "add": "add (+4 business hours)",
    "elapsed": "elapsed (span <= 60 days)",
    "is_open": "is_open",
    "nbd_close": "next-business-day close",
}


# -- inputs ------------------------------------------------------------------------------


def make_inputs(n: int, seed: int = SEED) -> tuple[list[datetime], list[datetime]]:
    """*n* aware instants over 2026-2027 in Europe/London, and an end up to 60 days after each.

    70% are uniform over the two years (to the second, so mostly closed: the desk is open
    about 29% of the week); 10% are exactly 08:00, 10% exactly 18:00 and 10% on another whole
    local hour, on a random day (business day or not): +4 hours from 14:00 lands on a close.
    A few fixed instants near DST changes and holidays lead.
    """
    rng = random.Random(seed)
    first = datetime(2026, 1, 1, tzinfo=LONDON).timestamp()
    last = datetime(2028, 1, 1, tzinfo=LONDON).timestamp()
    fixed = [
        datetime(2026, 3, 27, 16, 0, tzinfo=LONDON),  # Friday before the spring change
        datetime(2026, 10, 23, 17, 0, tzinfo=LONDON),  # Friday before DST end + IE holiday
        datetime(2026, 12, 24, 17, 0, tzinfo=LONDON),  # Christmas Eve
        datetime(2026, 3, 16, 18, 0, tzinfo=LONDON),  # close, day before St Patrick's
        datetime(2027, 3, 26, 8, 0, tzinfo=LONDON),  # Good Friday 2027, at the opening time
    ]
    starts = fixed[:n]
    while len(starts) < n:
        kind = rng.random()
        if kind < 0.7:
            starts.append(datetime.fromtimestamp(rng.randrange(int(first), int(last)), LONDON))
        else:
            day = date(2026, 1, 1) + timedelta(days=rng.randrange(730))
            hour = 8 if kind < 0.8 else 18 if kind < 0.9 else rng.randrange(24)
            starts.append(datetime.combine(day, time(hour), LONDON))
    ends = [
        datetime.fromtimestamp(t.timestamp() + rng.randrange(60 * 86_400), LONDON) for t in starts
    ]
    return starts, ends


def closed_days() -> set[date]:
    """The GB-ENG and IE bank holidays, straight from the `holidays` package."""
    import holidays

    days = set(holidays.country_holidays("GB", subdiv="ENG", years=HOLIDAY_YEARS))
    return days | set(holidays.country_holidays("IE", years=HOLIDAY_YEARS))


# -- implementations ---------------------------------------------------------------------


@dataclass
class Impl:
    """One implementation: a callable per operation, and how to convert the inputs for it."""

    name: str
    short: str  # column heading
    ops: dict[str, Callable[..., Any]]  # add(t, d), elapsed(a, b), is_open(t), nbd_close(t)
    convert: Callable[[datetime], Any] = lambda t: t
    duration: Any = FOUR_HOURS  # what `add` is given for "four business hours"
    note: str = ""


def westcoast_impl() -> Impl:
    import westcoast_rules as wr

    cal = wr.BusinessCalendar()

    def nbd_close(t: datetime) -> datetime:
        # The honest spelling: what code following PROC-4 writes.
        return cal.next_close(cal.add_business_days(t, 1))

    ops: dict[str, Callable[..., Any]] = {
        "add": cal.add,
        "elapsed": cal.elapsed,
        "is_open": cal.is_open,
        "nbd_close": nbd_close,
    }
    return Impl("westcoast_rules", "westcoast_rules", ops)


def westcoast_three_bisects_impl() -> Impl:
    """The same next-business-day close from three bisect lookups, no day-by-day walk."""
    import westcoast_rules as wr

    cal = wr.BusinessCalendar()

    def nbd_close(t: datetime) -> datetime:
        # the close of t's period (or of the next one if closed), the opening after
        # it, and that period's close; the same answer as every day has one window
        return cal.next_close(cal.next_open(cal.next_close(t)))

    return Impl("westcoast_rules, nbd_close by 3 bisects", "wr-3bisect", {"nbd_close": nbd_close})


def minimal_bisect_impl(closed: set[date]) -> Impl:
    """The floor in pure Python: one table of open intervals in epoch seconds, and bisect.

    No validation, no lazy building, positive durations only, years fixed up front.
    """
    starts: list[float] = []
    ends: list[float] = []
    cumulative = [0.0]  # open seconds before interval i
    day = date(HOLIDAY_YEARS.start, 1, 1)
    while day.year < HOLIDAY_YEARS.stop:
        if day.weekday() < 5 and day not in closed:
            lo = datetime.combine(day, time(8), LONDON).timestamp()
            hi = datetime.combine(day, time(18), LONDON).timestamp()
            starts.append(lo)
            ends.append(hi)
            cumulative.append(cumulative[-1] + hi - lo)
        day += ONE_DAY

    def open_before(x: float) -> float:
        i = bisect_right(starts, x) - 1
        return cumulative[i] + min(x, ends[i]) - starts[i] if i >= 0 else 0.0

    def add(at: datetime, duration: timedelta) -> datetime:
        target = open_before(at.timestamp()) + duration.total_seconds()
        i = bisect_left(cumulative, target) - 1  # a result on a close stays on the close
        return datetime.fromtimestamp(starts[i] + target - cumulative[i], LONDON)

    def elapsed(start: datetime, end: datetime) -> timedelta:
        return timedelta(seconds=open_before(end.timestamp()) - open_before(start.timestamp()))

    def is_open(at: datetime) -> bool:
        x = at.timestamp()
        i = bisect_right(starts, x) - 1
        return i >= 0 and x < ends[i]

    def nbd_close(at: datetime) -> datetime:
        x = at.timestamp()
        i = bisect_right(starts, x) - 1
        if i < 0 or x >= ends[i]:
            i += 1  # closed: the count starts at the next opening
        return datetime.fromtimestamp(ends[i + 1], LONDON)

    ops: dict[str, Callable[..., Any]] = {
        "add": add,
        "elapsed": elapsed,
        "is_open": is_open,
        "nbd_close": nbd_close,
    }
    return Impl("minimal bisect (in this file)", "minimal", ops)


def pandas_elapsed(holidays: list[date]) -> Callable[[Any, Any], Any]:
    """Business time between two pandas Timestamps, Monday to Friday 08:00-18:00 but
    *holidays*. pandas has no "business time between"; the usual recipe: roll both ends into
    open time, then partial first day + whole business days between + partial last day."""
    import numpy as np
    import pandas as pd

    hour = pd.offsets.CustomBusinessHour(n=1, start="08:00", end="18:00", holidays=holidays)
    busdays = np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, "datetime64[D]"))
    ten_hours = pd.Timedelta(hours=10)

    def elapsed(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timedelta:
        a, b = hour.rollforward(start), hour.rollforward(end)
        if a.date() == b.date():
            return b - a
        first_close = a.replace(hour=18, minute=0, second=0, microsecond=0)
        last_open = b.replace(hour=8, minute=0, second=0, microsecond=0)
        whole = int(np.busday_count(a.date() + ONE_DAY, b.date(), busdaycal=busdays))
        return (first_close - a) + (b - last_open) + whole * ten_hours

    return elapsed


def pandas_impl(closed: set[date]) -> Impl:
    import pandas as pd

    holidays = sorted(closed)
    hour = pd.offsets.CustomBusinessHour(n=1, start="08:00", end="18:00", holidays=holidays)
    four = pd.offsets.CustomBusinessHour(n=4, start="08:00", end="18:00", holidays=holidays)
    bday = pd.offsets.CustomBusinessDay(holidays=holidays)
    elapsed = pandas_elapsed(holidays)

    def nbd_close(at: pd.Timestamp) -> pd.Timestamp:
        return (hour.rollforward(at).normalize() + bday).replace(hour=18)

    ops: dict[str, Callable[..., Any]] = {
        "add": operator.add,
        "elapsed": elapsed,
        "is_open": hour.is_on_offset,
    }
    ops["nbd_close"] = nbd_close
    return Impl(
        f"pandas {pd.__version__}",
        "pandas",
        ops,
        convert=lambda t: pd.Timestamp(t).tz_convert("Europe/London"),
        duration=four,
        note=(
            "pandas: CustomBusinessHour(start='08:00', end='18:00', holidays=<same days>) on "
            "tz-aware Timestamps in Europe/London. add = t + CustomBusinessHour(n=4); "
            "is_open = is_on_offset(t); elapsed = rollforward both ends + numpy.busday_count "
            "(pandas has no call for it); nbd_close = "
            "(rollforward(t).normalize() + CustomBusinessDay(holidays=...)).replace(hour=18)."
        ),
    )


def businesstimedelta_impl(closed: set[date]) -> Impl:
    from importlib.metadata import version

    import pytz
    from businesstimedelta import BusinessTimeDelta, HolidayRule, Rules, WorkDayRule

    # The rules call tz.localize(), so they need a pytz zone. Inputs may be any aware
    # datetime (they are only ever .astimezone()d); results come back pytz-aware.
    zone = pytz.timezone("Europe/London")
    workday = WorkDayRule(
        start_time=time(8), end_time=time(18), working_days=[0, 1, 2, 3, 4], tz=zone
    )
    rules = Rules([workday, HolidayRule(closed, tz=zone)])
    ops: dict[str, Callable[..., Any]] = {
        "add": operator.add,
        "elapsed": lambda a, b: rules.difference(a, b).timedelta,
        "is_open": lambda t: rules.next(t)[0] <= t,
        "nbd_close": lambda t: rules.next(rules.next(t)[1])[1],
    }
    return Impl(
        f"businesstimedelta {version('businesstimedelta')}",
        "btd",
        ops,
        duration=BusinessTimeDelta(rules, hours=4),
        note=(
            "businesstimedelta: Rules([WorkDayRule(08:00, 18:00, Mon-Fri), HolidayRule(<same "
            "days>)]), both with tz=pytz.timezone('Europe/London') (the rules call "
            "tz.localize, so a zoneinfo zone fails); fed the same zoneinfo-aware datetimes, "
            "answers are pytz-aware and compared as instants. add = t + BusinessTimeDelta("
            "rules, hours=4); elapsed = rules.difference(a, b).timedelta; is_open = "
            "rules.next(t)[0] <= t; nbd_close = rules.next(rules.next(t)[1])[1]."
        ),
    )


def oracle_impl() -> Impl:
    sys.path.insert(0, str(ROOT))
    from tests.oracle import SlowCalendar

    oracle = SlowCalendar()

    def nbd_close(t: datetime) -> datetime:
        intervals = oracle.day_hours(oracle.add_business_days(t, 1).astimezone(LONDON).date())
        return intervals[-1][1]  # the close of that business day's last window

    ops: dict[str, Callable[..., Any]] = {
        "add": oracle.add,
        "elapsed": oracle.elapsed,
        "is_open": oracle.is_open,
    }
    ops["nbd_close"] = nbd_close
    return Impl("oracle (tests/oracle.py)", "oracle", ops)


# -- measuring ---------------------------------------------------------------------------


def call_loop(fn: Callable[..., Any], op: str, args: tuple[list[Any], ...]) -> Callable[[], None]:
    """A closure making one call of *fn* per input, with as little else as possible."""
    starts, ends, duration = args[0], args[1], args[2][0]
    if op == "add":

        def loop() -> None:
            for t in starts:
                fn(t, duration)

    elif op == "elapsed":
        pairs = list(zip(starts, ends, strict=True))

        def loop() -> None:
            for a, b in pairs:
                fn(a, b)

    else:

        def loop() -> None:
            for t in starts:
                fn(t)

    return loop


def answers(fn: Callable[..., Any], op: str, args: tuple[list[Any], ...]) -> list[Any]:
    starts, ends, duration = args[0], args[1], args[2][0]
    if op == "add":
        return [fn(t, duration) for t in starts]
    if op == "elapsed":
        return [fn(a, b) for a, b in zip(starts, ends, strict=True)]
    return [fn(t) for t in starts]


def canonical(value: Any) -> Any:
    """Instants and durations as integer microseconds, so answers compare across types."""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):  # also pandas.Timestamp
        return round(value.timestamp() * 1_000_000)
    return round(value.total_seconds() * 1_000_000)  # timedelta, pandas.Timedelta


def show(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(LONDON).isoformat(sep=" ")
    return str(value)


@dataclass
class Case:
    """One operation of one implementation: its disagreements with the oracle, its timings."""

    impl: Impl
    op: str
    calls: int
    timer: timeit.Timer
    number: int = 1  # passes over the inputs per repeat
    disagreements: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    @property
    def us(self) -> float:
        """Microseconds per call in the best repeat (the least disturbed by the machine)."""
        return min(self.times) / (self.number * self.calls) * 1e6

    @property
    def median_us(self) -> float:
        return statistics.median(self.times) / (self.number * self.calls) * 1e6


def prepare(
    impl: Impl,
    inputs: tuple[list[datetime], list[datetime]],
    expected: dict[str, list[Any]],
    min_repeat: float,
) -> list[Case]:
    """Check every answer of *impl* against *expected*, and calibrate its timers."""
    args = ([impl.convert(t) for t in inputs[0]], [impl.convert(t) for t in inputs[1]])
    args_d = (*args, [impl.duration])
    cases = []
    for op, fn in impl.ops.items():
        got = answers(fn, op, args_d)  # also warms every cache (the lazy index) up
        case = Case(impl, op, len(got), timeit.Timer(call_loop(fn, op, args_d)))
        for t, u, want, have in zip(*inputs, expected[op], got, strict=True):
            if canonical(want) != canonical(have):
                arg = f"{show(t)} -> {show(u)}" if op == "elapsed" else show(t)
                case.disagreements.append(f"{arg}: oracle {show(want)}, got {show(have)}")
        once = min(case.timer.repeat(repeat=2, number=1))
        case.number = max(1, math.ceil(min_repeat / once))
        cases.append(case)
    return cases


STARTUP_SCRIPT = """
import time
t0 = time.perf_counter()
import westcoast_rules as wr
t1 = time.perf_counter()
from datetime import datetime, timedelta
cal = wr.BusinessCalendar()
at = datetime(2026, 11, 20, 17, 0, tzinfo=wr.LONDON)
t2 = time.perf_counter()
cal.add(at, timedelta(hours=4))
t3 = time.perf_counter()
cal.add(at, timedelta(hours=4))
t4 = time.perf_counter()
print(t1 - t0, t3 - t2, t4 - t3)
"""
HOLIDAYS_SCRIPT = """
import time
t0 = time.perf_counter()
import holidays
print(time.perf_counter() - t0)
"""


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True)


def startup(runs: int) -> dict[str, float]:
    """Medians over *runs* fresh interpreters, in milliseconds."""
    samples: list[list[float]] = []
    holidays_import: list[float] = []
    importtime: list[float] = []
    for _ in range(runs):
        samples.append([float(x) * 1e3 for x in run_python("-c", STARTUP_SCRIPT).stdout.split()])
        holidays_import.append(float(run_python("-c", HOLIDAYS_SCRIPT).stdout) * 1e3)
        err = run_python("-X", "importtime", "-c", "import westcoast_rules").stderr
        line = next(x for x in err.splitlines() if x.rstrip().endswith("| westcoast_rules"))
        importtime.append(int(line.split("|")[1]) / 1e3)
    return {
        "import westcoast_rules (perf_counter around the import)": statistics.median(
            s[0] for s in samples
        ),
        "import westcoast_rules (-X importtime, cumulative)": statistics.median(importtime),
        "first cal.add() on a fresh calendar (builds the index)": statistics.median(
            s[1] for s in samples
        ),
        "  for scale: `import holidays` alone, fresh interpreter": statistics.median(
            holidays_import
        ),
        "second cal.add() (warm; in-process figures above are per call)": statistics.median(
            s[2] for s in samples
        ),
    }


# -- reporting ---------------------------------------------------------------------------


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def fmt_us(us: float) -> str:
    return f"{us:.2f}" if us < 100 else f"{us:.0f}"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.2f}x" if ratio < 10 else f"{ratio:.0f}x"


def measure(
    impls: list[Impl],
    inputs: tuple[list[datetime], list[datetime]],
    expected: dict[str, list[Any]],
    rounds: int,
    min_repeat: float,
) -> dict[tuple[str, str], Case]:
    cases: dict[tuple[str, str], Case] = {}
    for impl in impls:
        print(f"checking and calibrating {impl.name} ...", file=sys.stderr)
        for case in prepare(impl, inputs, expected, min_repeat):
            cases[impl.short, case.op] = case
    for r in range(rounds):  # interleaved, so a slow spell of the machine hits everyone
        print(f"round {r + 1} of {rounds} ...", file=sys.stderr)
        for case in cases.values():
            case.times.append(case.timer.timeit(case.number))
    return cases


def report(
    cases: dict[tuple[str, str], Case], impls: list[Impl], extra: Impl, rounds: int, n: int
) -> None:
    wr, floor, pd_, btd, oracle = impls

    def us(impl: Impl, op: str) -> float:
        return cases[impl.short, op].us

    print(f"\nmicroseconds per call, best of {rounds} interleaved repeats\n")
    heads = ["pandas/wr", "btd/wr", "oracle/wr", "wr/minimal"]
    rows = [["operation", *(impl.short for impl in impls), *heads]]
    for op in OPERATIONS:
        rows.append(
            [
                OP_LABELS[op],
                *(fmt_us(us(impl, op)) for impl in impls),
                *(fmt_ratio(us(peer, op) / us(wr, op)) for peer in (pd_, btd, oracle)),
                fmt_ratio(us(wr, op) / us(floor, op)),
            ]
        )
    print(table(rows))
    alt = us(extra, "nbd_close")
    print(
        f"\nwestcoast_rules nbd_close as next_close(next_open(next_close(t))) instead of "
        f"next_close(add_business_days(t, 1)): {fmt_us(alt)} us, "
        f"{fmt_ratio(alt / us(floor, 'nbd_close'))} the minimal bisect"
    )

    print("\ntargets (from the issue); a measurement, so the exit status is 0 either way")

    def ratio(slow: Impl, fast: Impl, op: str) -> tuple[float, str]:
        best = cases[slow.short, op].us / cases[fast.short, op].us
        median = cases[slow.short, op].median_us / cases[fast.short, op].median_us
        return best, f"{fmt_ratio(best)} (medians: {fmt_ratio(median)})"

    for op in ("add", "elapsed"):
        for peer in (pd_, btd):
            best, text = ratio(peer, wr, op)
            verdict = "PASS" if best >= 25 else "MISS"
            print(f"  {verdict}  {op}: >= 25x faster than {peer.name}: {text}")
    for op in OPERATIONS:
        best, text = ratio(wr, floor, op)
        verdict = "PASS" if best <= 1.5 else "MISS"
        scope = "" if op in ("add", "elapsed") else " (not an issue target)"
        print(f"  {verdict}  {op}: within 1.5x of the minimal bisect{scope}: {text}")

    print(f"\nanswers that differ from the oracle's (of {n} each)")
    for case in cases.values():
        if case.impl is not oracle:
            print(f"  {case.impl.name:40} {case.op:10} {len(case.disagreements):4}")
            for example in case.disagreements[:2]:
                print(f"      e.g. {example}")
    for impl in impls:
        if impl.note:
            print(f"\nnote: {impl.note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer inputs, rounds and runs")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if args.quick:
        n, rounds, min_repeat, runs = 200, 3, 0.02, 3
    else:
        n, rounds, min_repeat, runs = N_INSTANTS, ROUNDS, MIN_REPEAT_SECONDS, 5

    inputs = make_inputs(n)
    closed = closed_days()
    oracle = oracle_impl()
    expected = {op: answers(fn, op, (*inputs, [FOUR_HOURS])) for op, fn in oracle.ops.items()}
    wr, floor, pd_, btd = (
        westcoast_impl(),
        minimal_bisect_impl(closed),
        pandas_impl(closed),
        businesstimedelta_impl(closed),
    )
    impls = [wr, floor, pd_, btd, oracle]
    extra = westcoast_three_bisects_impl()

    import westcoast_rules

    cal = westcoast_rules.BusinessCalendar()
    ours = {d for y in (2026, 2027, 2028) for d in cal.holidays_in(y)}
    same = ours == {d for d in closed if 2026 <= d.year <= 2028}
    n_open = sum(oracle.ops["is_open"](t) for t in inputs[0])
    n_edge = sum(t.time() in (time(8), time(18)) for t in inputs[0])
    print(
        f"{n} instants over 2026-2027 (seed {SEED}): {n_open} open, {n - n_open} closed, "
        f"{n_edge} at exactly 08:00 or 18:00 local; elapsed ends up to 60 days later"
    )
    print(
        f"holiday list given to the peers: {len(closed)} days {HOLIDAY_YEARS.start}-"
        f"{HOLIDAY_YEARS.stop - 1}, {'the same as' if same else 'DIFFERENT FROM'} "
        "westcoast_rules' closed days for 2026-2028"
    )
    print(
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs"
    )

    cases = measure([*impls, extra], inputs, expected, rounds, min_repeat)
    report(cases, impls, extra, rounds, n)
    print(f"\nstartup, median of {runs} fresh interpreters, milliseconds")
    for label, ms in startup(runs).items():
        print(f"  {label:64} {ms:7.3f}" if ms < 1 else f"  {label:64} {ms:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
