"""How fast is `westcoast_rules.frames` on columns, next to what an analyst would do without it?

Run from the repository root, after ``pip install -e ".[test,bench]"``::

    python benchmarks/bench_frames.py          # 1,000,000 instants, 20,000 tickets: minutes
    python benchmarks/bench_frames.py --quick  # 100,000 instants, 5,000 tickets: seconds

Side by side in one process, on the same seeded inputs (tz-aware pandas Timestamps in
Europe/London, 2026-2027, the kind of column a helpdesk export gives):

- ``business_add``: four business hours after each instant. ``frames.business_add`` on the
  whole column, against the loop a user writes without it (``[calendar.add(t.to_pydatetime(),
  four_hours) for t in column]``, the Timestamp -> datetime conversion included) and against
  pandas' ``t + CustomBusinessHour(n=4)`` on the same calendar;
- ``business_elapsed``: the open time between each instant and one up to 60 days later, against
  the loop over ``calendar.elapsed`` and pandas' usual recipe (``rollforward`` both ends and
  ``numpy.busday_count``: pandas has no call for it);
- ``sla``: a 20,000-ticket export (priority, channel, category, created, first response)
  through ``frames.sla``, against the row loop over ``assess`` and ``response_status``.

The loops and pandas are timed on a sample of the rows (all of them for the calendar loop in a
full run) and given per row; pandas' CustomBusinessHour takes ~100 us a row, so a million
would take minutes. Each timing is the best of the repeats, which are interleaved so that a
slow spell of this shared machine hits every contender alike; the ratios are what to read, the
absolute figures drift by 30% from run to run. Every answer of the vectorised functions is
checked against the loop's on the sample; disagreements are counted.

This is a measurement, not a test: it prints PASS/MISS against the targets of the issue and
exits 0 either way.
"""

from __future__ import annotations

import argparse
import gc
import inspect
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from bench_calendar import pandas_elapsed

import westcoast_rules as wr
from westcoast_rules import frames

SEED = 20261201
FOUR_HOURS = timedelta(hours=4)
AS_OF = datetime(2028, 1, 1, tzinfo=wr.LONDON)
IMPACT = {
    wr.Priority.P1: wr.Impact.ALL_USERS,
    wr.Priority.P2: wr.Impact.SOME_USERS,
    wr.Priority.P3: wr.Impact.HOW_TO,
}


def instants(rng: np.random.Generator, n: int) -> pd.Series:
    start = pd.Timestamp("2026-01-01", tz="UTC").value // 1_000
    span = 2 * 365 * 86_400_000_000
    micros = start + rng.integers(0, span, n)
    micros -= micros % 60_000_000  # whole minutes, as exports have them; some exactly at 08:00
    return (
        pd.Series(micros.astype("datetime64[us]"))
        .dt.tz_localize("UTC")
        .dt.tz_convert("Europe/London")
    )


def export(rng: np.random.Generator, n: int) -> pd.DataFrame:
    created = instants(rng, n)
    delay = pd.to_timedelta(rng.integers(1, 3 * 24 * 60, n), unit="min")
    responded = (created + delay).where(rng.random(n) > 0.1)
    categories = ["service"] * 8 + ["migration", "partner_centre", "dns", "operating_system"]
    return pd.DataFrame(
        {
            "ticket_id": [f"T-{i:06d}" for i in range(n)],
            "priority": rng.choice(["P1", "p2", "P2", "P3"], n),
            "channel": rng.choice(["phone", "email", "Helpcentre"], n),
            "category": rng.choice(categories, n),
            "created_at": created,
            "first_response_at": responded,
        }
    )


def export_sla(policy: wr.SupportPolicy, table: pd.DataFrame) -> pd.DataFrame:
    """``frames.sla`` over an :func:`export`: its channel and category read, and no resolutions
    (the export has none), said so where ``frames.sla`` asks to be told."""
    options: dict[str, Any] = {"channel": "channel", "category": "category"}
    if "resolved_at" in inspect.signature(frames.sla).parameters:
        options["resolved_at"] = None
    return frames.sla(policy, table, as_of=AS_OF, **options)


def best(timings: list[float]) -> float:
    return min(timings)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def row_loop(policy: wr.SupportPolicy, table: pd.DataFrame) -> list[tuple[Any, ...]]:
    """What an analyst writes without frames: assess and response_status, row by row."""
    out = []
    for row in table.itertuples(index=False):
        lodged = row.created_at.to_pydatetime()
        responded = (
            None if pd.isna(row.first_response_at) else row.first_response_at.to_pydatetime()
        )
        raised = wr.Priority(row.priority)
        enquiry = wr.Enquiry(
            lodged, wr.Channel(row.channel), IMPACT[raised], category=wr.Category(row.category)
        )
        assessment = policy.assess(enquiry)
        if assessment.priority is None:
            out.append((None, None, "no_target"))
            continue
        status = policy.response_status(assessment.priority, lodged, AS_OF, responded)
        out.append((assessment.priority.value, status.due, status.state.value))
    return out


def report(name: str, vector: float, others: dict[str, float], targets: dict[str, float]) -> None:
    print(f"  {name:<18} frames {vector * 1e6:8.3f} us a row")
    for label, per_row in others.items():
        ratio = per_row / vector
        target = targets.get(label)
        verdict = "" if target is None else ("  PASS" if ratio >= target else "  MISS")
        goal = "" if target is None else f" (target >= {target:g}x)"
        print(
            f"  {'':<18} {label:<36} {per_row * 1e6:10.2f} us a row: {ratio:7.1f}x{goal}{verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows and repeats")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    loop_n = 20_000 if args.quick else n
    pandas_n = 300 if args.quick else 2_000
    tickets_n = 5_000 if args.quick else 20_000
    repeats = 2 if args.quick else 3

    rng = np.random.default_rng(SEED)
    calendar = wr.WESTCOAST.calendar
    start = instants(rng, n)
    end = start + pd.to_timedelta(rng.integers(0, 60 * 24 * 60, n), unit="min")
    table = export(rng, tickets_n)
    holidays = sorted(d for y in range(2025, 2030) for d in calendar.holidays_in(y))
    four = pd.offsets.CustomBusinessHour(n=4, start="08:00", end="18:00", holidays=holidays)
    elapsed_pandas = pandas_elapsed(holidays)  # bench_calendar's recipe
    frames.business_add(calendar, start.iloc[:10], FOUR_HOURS)  # the index, built once

    loop_start, loop_end = start.iloc[:loop_n], end.iloc[:loop_n]
    sample_start, sample_end = start.iloc[:pandas_n], end.iloc[:pandas_n]
    runs: dict[str, list[float]] = {}
    answers: dict[str, Any] = {}
    contenders: dict[str, Callable[[], Any]] = {
        "add frames": lambda: frames.business_add(calendar, start, FOUR_HOURS),
        "add loop": lambda: [calendar.add(t.to_pydatetime(), FOUR_HOURS) for t in loop_start],
        "add pandas": lambda: [t + four for t in sample_start],
        "elapsed frames": lambda: frames.business_elapsed(calendar, start, end),
        "elapsed loop": lambda: [
            calendar.elapsed(a.to_pydatetime(), b.to_pydatetime())
            for a, b in zip(loop_start, loop_end, strict=True)
        ],
        "elapsed pandas": lambda: [
            elapsed_pandas(a, b) for a, b in zip(sample_start, sample_end, strict=True)
        ],
        "sla frames": lambda: export_sla(wr.WESTCOAST, table),
        "sla loop": lambda: row_loop(wr.WESTCOAST, table),
    }
    rows = {"add loop": loop_n, "add pandas": pandas_n, "elapsed loop": loop_n}
    rows |= {"elapsed pandas": pandas_n, "sla frames": tickets_n, "sla loop": tickets_n}
    for _ in range(repeats):
        for name, fn in contenders.items():
            seconds, answers[name] = timed(fn)
            runs.setdefault(name, []).append(seconds / rows.get(name, n))

    print(f"frames on {n:,} instants and {tickets_n:,} tickets; loops on {loop_n:,}, pandas on")
    print(f"{pandas_n:,} rows; best of {repeats} interleaved repeats, per row")
    per = {name: best(times) for name, times in runs.items()}
    report(
        "business_add",
        per["add frames"],
        {"calendar.add loop": per["add loop"], "pandas CustomBusinessHour": per["add pandas"]},
        {"calendar.add loop": 10, "pandas CustomBusinessHour": 200},
    )
    report(
        "business_elapsed",
        per["elapsed frames"],
        {"calendar.elapsed loop": per["elapsed loop"], "pandas recipe": per["elapsed pandas"]},
        {"calendar.elapsed loop": 10, "pandas recipe": 200},
    )
    report(
        "sla",
        per["sla frames"],
        {"assess + response_status loop": per["sla loop"]},
        {"assess + response_status loop": 10},
    )

    print("\nanswers that differ from the loop's")
    added = answers["add frames"].iloc[:loop_n].tolist()
    wrong = sum(a != b for a, b in zip(added, answers["add loop"], strict=True))
    print(f"  business_add      {wrong} of {loop_n:,}")
    spent = answers["elapsed frames"].iloc[:loop_n].tolist()
    wrong = sum(a != b for a, b in zip(spent, answers["elapsed loop"], strict=True))
    print(f"  business_elapsed  {wrong} of {loop_n:,}")
    out = answers["sla frames"]
    mine = [
        (None if pd.isna(p) else p, None if pd.isna(d) else d.to_pydatetime(), r)
        for p, d, r in zip(out.sla_priority, out.response_due, out.response, strict=True)
    ]
    wrong = sum(a != b for a, b in zip(mine, answers["sla loop"], strict=True))
    print(f"  sla               {wrong} of {tickets_n:,}")
    sample = answers["add pandas"]
    wrong = sum(a != b for a, b in zip(added[:pandas_n], sample, strict=True))
    print(f"  pandas CustomBusinessHour, against frames: {wrong} of {pandas_n:,}")
    if wrong:
        print("   (it gives the next opening where a result lands on a close)")


if __name__ == "__main__":
    main()
