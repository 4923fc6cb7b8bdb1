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

Each timing is the median of several repeats (15 for the two bisect implementations, 5 for
the slow ones), a repeat being as many whole passes over all the inputs as fill 0.1 s (at
least one), divided by the number of calls: microseconds per call, including a Python
``for`` loop step (~0.02 us). The inputs are prepared (converted to the implementation's own
types) before the clock starts and every cache is warm (see the startup section for cold). Every answer is checked against the
slow oracle of the test suite (``tests/oracle.py``) and disagreements are counted.

This is a measurement, not a test: it prints PASS/MISS against the targets of the issue and
exits 0 either way.
"""

from __future__ import annotations

import argparse
import math
import operator
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
    """One implementation: how to convert inputs, and a callable per operation."""

    name: str
    convert: Callable[[datetime], Any]
    duration: Any  # what `add` is given for "four business hours"
    add: Callable[[Any, Any], Any]
    elapsed: Callable[[Any, Any], Any]
    is_open: Callable[[Any], Any]
    nbd_close: Callable[[Any], Any]
    notes: list[str] = field(default_factory=list)


def westcoast_impl() -> Impl:
    import westcoast_rules as wr

    cal = wr.BusinessCalendar()

    def nbd_close(t: datetime) -> datetime:
        # The honest spelling: what PROC-4 code writes. Three bisects would do (see README).
        return cal.next_close(cal.add_business_days(t, 1))

    return Impl(
        "westcoast_rules",
        convert=lambda t: t,
        duration=FOUR_HOURS,
        add=cal.add,
        elapsed=cal.elapsed,
        is_open=cal.is_open,
        nbd_close=nbd_close,
    )


def westcoast_bisect_nbd_close() -> Callable[[datetime], datetime]:
    """The same answer as next_close(add_business_days(t, 1)) from three bisect lookups."""
    import westcoast_rules as wr

    cal = wr.BusinessCalendar()
    return lambda t: cal.next_close(cal.next_open(cal.next_close(t)))


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

    return Impl("minimal bisect", lambda t: t, FOUR_HOURS, add, elapsed, is_open, nbd_close)


def pandas_impl(closed: set[date]) -> Impl:
    import numpy as np
    import pandas as pd

    holidays = sorted(closed)
    hour = pd.offsets.CustomBusinessHour(n=1, start="08:00", end="18:00", holidays=holidays)
    four = pd.offsets.CustomBusinessHour(n=4, start="08:00", end="18:00", holidays=holidays)
    bday = pd.offsets.CustomBusinessDay(holidays=holidays)
    busdays = np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, "datetime64[D]"))
    ten_hours = pd.Timedelta(hours=10)

    def elapsed(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timedelta:
        # pandas has no "business time between"; the usual recipe: roll both ends into open
        # time, then partial first day + whole business days between + partial last day.
        a, b = hour.rollforward(start), hour.rollforward(end)
        if a.date() == b.date():
            return b - a
        first_close = a.replace(hour=18, minute=0, second=0, microsecond=0)
        last_open = b.replace(hour=8, minute=0, second=0, microsecond=0)
        whole = int(np.busday_count(a.date() + ONE_DAY, b.date(), busdaycal=busdays))
        return (first_close - a) + (b - last_open) + whole * ten_hours

    def nbd_close(at: pd.Timestamp) -> pd.Timestamp:
        return (hour.rollforward(at).normalize() + bday).replace(hour=18)

    return Impl(
        f"pandas {pd.__version__}",
        convert=lambda t: pd.Timestamp(t).tz_convert("Europe/London"),
        duration=four,
        add=operator.add,
        elapsed=elapsed,
        is_open=hour.is_on_offset,
        nbd_close=nbd_close,
        notes=[
            "pandas: CustomBusinessHour(start='08:00', end='18:00', holidays=...) on tz-aware "
            "Timestamps in Europe/London; add = t + CustomBusinessHour(n=4); is_open = "
            "is_on_offset; elapsed = rollforward + numpy.busday_count (no pandas call for it); "
            "nbd_close = (rollforward(t).normalize() + CustomBusinessDay).replace(hour=18)",
        ],
    )


def businesstimedelta_impl(closed: set[date]) -> Impl:
    from importlib.metadata import version

    import pytz
    from businesstimedelta import BusinessTimeDelta, HolidayRule, Rules, WorkDayRule

    # The rules call tz.localize(), so they need a pytz zone; inputs may be any aware
    # datetime (they are only ever .astimezone()d), and results come back pytz-aware.
    zone = pytz.timezone("Europe/London")
    workday = WorkDayRule(
        start_time=time(8), end_time=time(18), working_days=[0, 1, 2, 3, 4], tz=zone
    )
    rules = Rules([workday, HolidayRule(closed, tz=zone)])

    return Impl(
        f"businesstimedelta {version('businesstimedelta')}",
        convert=lambda t: t,
        duration=BusinessTimeDelta(rules, hours=4),
        add=operator.add,
        elapsed=lambda a, b: rules.difference(a, b).timedelta,
        is_open=lambda t: rules.next(t)[0] <= t,
        nbd_close=lambda t: rules.next(rules.next(t)[1])[1],
        notes=[
            "businesstimedelta: Rules([WorkDayRule 08-18 Mon-Fri, HolidayRule(same days)]) with "
            "tz=pytz 'Europe/London' (it calls tz.localize); fed the same zoneinfo-aware "
            "datetimes, results pytz-aware, compared as instants; add = t + "
            "BusinessTimeDelta(rules, hours=4); elapsed = rules.difference(a, b); is_open = "
            "rules.next(t)[0] <= t; nbd_close = rules.next(rules.next(t)[1])[1]",
        ],
    )


def oracle_impl() -> Impl:
    sys.path.insert(0, str(ROOT))
    from tests.oracle import SlowCalendar

    oracle = SlowCalendar()

    def nbd_close(t: datetime) -> datetime:
        hours = oracle.day_hours(oracle.add_business_days(t, 1).astimezone(LONDON).date())
        assert hours is not None
        return hours[1]

    return Impl(
        "oracle (tests)",
        lambda t: t,
        FOUR_HOURS,
        oracle.add,
        oracle.elapsed,
        oracle.is_open,
        nbd_close,
    )


# -- measuring ---------------------------------------------------------------------------


def call_loop(impl: Impl, op: str, starts: list[Any], ends: list[Any]) -> Callable[[], None]:
    """A closure making one call of *op* per input, with the fewest extra instructions."""
    if op == "add":
        add, d = impl.add, impl.duration

        def loop() -> None:
            for t in starts:
                add(t, d)

    elif op == "elapsed":
        elapsed, pairs = impl.elapsed, list(zip(starts, ends, strict=True))

        def loop() -> None:
            for a, b in pairs:
                elapsed(a, b)

    else:
        fn = getattr(impl, op)

        def loop() -> None:
            for t in starts:
                fn(t)

    return loop


def answers(impl: Impl, op: str, starts: list[Any], ends: list[Any]) -> list[Any]:
    if op == "add":
        return [impl.add(t, impl.duration) for t in starts]
    if op == "elapsed":
        return [impl.elapsed(a, b) for a, b in zip(starts, ends, strict=True)]
    return [getattr(impl, op)(t) for t in starts]


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
class Result:
    us_per_call: dict[str, float] = field(default_factory=dict)
    disagreements: dict[str, list[str]] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)


def measure(
    impl: Impl,
    inputs: tuple[list[datetime], list[datetime]],
    expected: dict[str, list[Any]] | None,
    repeats: int,
    operations: Sequence[str] = OPERATIONS,
) -> Result:
    starts = [impl.convert(t) for t in inputs[0]]
    ends = [impl.convert(t) for t in inputs[1]]
    result = Result()
    for op in operations:
        got = answers(impl, op, starts, ends)  # also warms caches (the lazy index) up
        if expected is not None:
            bad = []
            for t, u, want, have in zip(inputs[0], inputs[1], expected[op], got, strict=True):
                if canonical(want) != canonical(have):
                    arg = f"{show(t)} -> {show(u)}" if op == "elapsed" else show(t)
                    bad.append(f"{arg}: oracle {show(want)}, got {show(have)}")
            result.disagreements[op] = bad
            result.checked[op] = len(got)
        timer = timeit.Timer(call_loop(impl, op, starts, ends))
        once = min(timer.repeat(repeat=2, number=1))
        number = max(1, math.ceil(MIN_REPEAT_SECONDS / once))  # passes per repeat
        times = timer.repeat(repeat=repeats, number=number)
        result.us_per_call[op] = statistics.median(times) / (number * len(starts)) * 1e6
    return result


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


def startup(runs: int) -> dict[str, float]:
    """Medians over *runs* fresh interpreters, in milliseconds."""
    samples: list[list[float]] = []
    holiday_imports: list[float] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP_SCRIPT], capture_output=True, text=True, check=True
        ).stdout
        samples.append([float(x) for x in out.split()])
        out = subprocess.run(
            [sys.executable, "-c", HOLIDAYS_SCRIPT], capture_output=True, text=True, check=True
        ).stdout
        holiday_imports.append(float(out))
    importtime = []
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import westcoast_rules"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        line = next(x for x in err.splitlines() if x.rstrip().endswith("| westcoast_rules"))
        importtime.append(int(line.split("|")[1]) / 1000)
    return {
        "import westcoast_rules (perf_counter)": statistics.median(s[0] for s in samples) * 1e3,
        "import westcoast_rules (-X importtime, cumulative)": statistics.median(importtime),
        "first cal.add() on a fresh calendar": statistics.median(s[1] for s in samples) * 1e3,
        "  of which `import holidays` alone": statistics.median(holiday_imports) * 1e3,
        "second cal.add()": statistics.median(s[2] for s in samples) * 1e3,
    }


# -- reporting ---------------------------------------------------------------------------


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer inputs and repeats")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    n, fast_repeats, slow_repeats, runs = (200, 5, 3, 3) if args.quick else (N_INSTANTS, 15, 5, 5)

    inputs = make_inputs(n)
    closed = closed_days()
    oracle = oracle_impl()
    expected = {op: answers(oracle, op, *inputs) for op in OPERATIONS}
    impls = [
        (westcoast_impl(), fast_repeats),
        (minimal_bisect_impl(closed), fast_repeats),
        (pandas_impl(closed), slow_repeats),
        (businesstimedelta_impl(closed), slow_repeats),
        (oracle, slow_repeats),
    ]
    n_open = sum(oracle.is_open(t) for t in inputs[0])
    n_edge = sum(t.time() in (time(8), time(18)) for t in inputs[0])
    print(
        f"{n} instants over 2026-2027 (seed {SEED}): {n_open} open, {n - n_open} closed, "
        f"{n_edge} at exactly 08:00 or 18:00 local"
    )
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")

    results: dict[str, Result] = {}
    for impl, repeats in impls:
        print(f"  measuring {impl.name} ...", file=sys.stderr, flush=True)
        results[impl.name] = measure(impl, inputs, expected, repeats)
    wr_name, min_name, pd_name, bt_name, or_name = (impl.name for impl, _ in impls)
    wr, floor = results[wr_name], results[min_name]

    print(f"\nmicroseconds per call (median of {fast_repeats} or {slow_repeats} repeats)\n")
    rows = [["operation", *(name.split(" ")[0] for name in results), "pd/wr", "btd/wr", "wr/min"]]
    for op in OPERATIONS:
        us = [results[name].us_per_call[op] for name in results]
        rows.append(
            [
                OP_LABELS[op],
                *(f"{u:.2f}" if u < 100 else f"{u:.0f}" for u in us),
                f"{results[pd_name].us_per_call[op] / wr.us_per_call[op]:.0f}x",
                f"{results[bt_name].us_per_call[op] / wr.us_per_call[op]:.0f}x",
                f"{wr.us_per_call[op] / floor.us_per_call[op]:.2f}x",
            ]
        )
    print(table(rows))
    print(f"\ncolumns: {', '.join(results)}; oracle/wr ratios: ", end="")
    print(", ".join(f"{results[or_name].us_per_call[op] / wr.us_per_call[op]:.0f}x" for op in OPERATIONS))
    alt = westcoast_bisect_nbd_close()
    alt_impl = Impl("alt", lambda t: t, None, operator.add, operator.sub, bool, alt)
    alt_check = measure(alt_impl, inputs, expected, fast_repeats, ["nbd_close"])
    alt_us = alt_check.us_per_call["nbd_close"]
    print(
        f"westcoast_rules nbd_close as next_close(next_open(next_close(t))) instead: "
        f"{alt_us:.2f} us ({alt_us / floor.us_per_call['nbd_close']:.2f}x minimal), "
        f"{len(alt_check.disagreements['nbd_close'])} disagreements with the oracle"
    )

    print("\ntargets (from the issue)")
    for op in ("add", "elapsed"):
        for peer in (pd_name, bt_name):
            ratio = results[peer].us_per_call[op] / wr.us_per_call[op]
            verdict = "PASS" if ratio >= 25 else "MISS"
            print(f"  {verdict}  {op}: >= 25x faster than {peer}: {ratio:.0f}x")
    for op in OPERATIONS:
        ratio = wr.us_per_call[op] / floor.us_per_call[op]
        verdict = "PASS" if ratio <= 1.5 else "MISS"
        print(f"  {verdict}  {op}: within 1.5x of the minimal bisect: {ratio:.2f}x")

    print("\nagreement with the oracle (same inputs)")
    for name, result in results.items():
        if name == or_name:
            continue
        for op in OPERATIONS:
            bad = result.disagreements[op]
            print(f"  {name:28} {op:10} {len(bad):4} of {result.checked[op]} disagree")
            for example in bad[:2]:
                print(f"      e.g. {example}")
    for impl, _ in impls:
        for note in impl.notes:
            print(f"\nnote: {note}")

    print(f"\nstartup, median of {runs} fresh interpreters (ms)")
    for label, ms in startup(runs).items():
        print(f"  {label:52} {ms:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
