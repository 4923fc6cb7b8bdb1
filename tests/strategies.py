"""Shared Hypothesis strategies: instants and durations the rules are checked on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

ZONES = (
    UTC,
    ZoneInfo("Europe/London"),
    ZoneInfo("Europe/Dublin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("Australia/Lord_Howe"),  # a half-hour DST shift
)


def instants(
    min_value: datetime = datetime(2020, 1, 1), max_value: datetime = datetime(2035, 12, 31)
) -> st.SearchStrategy[datetime]:
    """Aware datetimes, 2020-2035 by default, in several zones, DST folds included."""
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from(ZONES),
        allow_imaginary=False,
    )


def around_hours() -> st.SearchStrategy[datetime]:
    """Instants that are often exactly on an opening or a close, where bugs live."""
    exact = st.builds(
        lambda d, h: datetime(d.year, d.month, d.day, h, tzinfo=ZoneInfo("Europe/London")),
        st.dates(min_value=datetime(2020, 1, 1).date(), max_value=datetime(2035, 12, 1).date()),
        st.sampled_from([0, 7, 8, 12, 17, 18, 23]),
    )
    return st.one_of(exact, instants())


def business_durations(max_days: int = 60) -> st.SearchStrategy[timedelta]:
    """Positive durations from a microsecond to *max_days*, whole hours more often than not."""
    hours = st.integers(min_value=1, max_value=max_days * 10).map(lambda h: timedelta(hours=h))
    any_length = st.timedeltas(
        min_value=timedelta(microseconds=1), max_value=timedelta(days=max_days)
    )
    return st.one_of(hours, any_length)


# -- event logs --------------------------------------------------------------------------------

LOG_HEADER = ("ticket", "event", "at", "priority", "channel", "tier", "category", "every")
"""A log's columns (``batch.LOG_COLUMNS``), spelt out so that this module imports no package."""

LATER_EVENTS = (
    "Acknowledged",
    "InfoRequested",
    "InfoReceived",
    "UpdateTimeframeAgreed",
    "Escalated",
    "Resolved",
    "ResolutionConfirmed",
    "ResolutionRejected",
    "Reopened",
)
"""The events after lodging; drawn at random, many are refused transitions (a bad row)."""

_LOG_START = datetime(2026, 11, 2, 8, tzinfo=ZoneInfo("Europe/London"))
_LOG_DAYS = 100
"""The days tickets are lodged over: past the end of January 2027, where the tests report."""
DAMAGES = (
    "bad instant",
    "unknown event",
    "never lodged",
    "no ticket",
    "bad priority",
    "bad timeframe",
    "lodged twice",
)
"""The ways :func:`event_logs` damages a log, beyond the transitions the rules refuse."""


class EventLog(NamedTuple):
    """A generated log: its rows in the log's order (values in the order of
    :data:`LOG_HEADER`, ``""`` for an empty cell), each row's instant (``None`` where its ``at``
    names none), and the log split into files: each file's rows (indices, in the log's order),
    the files in the order they are listed."""

    rows: list[tuple[str, ...]]
    instants: list[datetime | None]
    files: list[list[int]]

    def part(self, indices: list[int]) -> list[tuple[str, ...]]:
        return [self.rows[i] for i in indices]

    @property
    def grouped(self) -> list[tuple[str, ...]]:
        """The rows with each ticket's together (in the order tickets first come), each
        ticket's rows in the log's order: a file several processes can cut."""
        first = {row[0]: n for n, row in reversed(list(enumerate(self.rows)))}
        return sorted(self.rows, key=lambda row: first[row[0]])


def _stamp(at: datetime, zone: object) -> str:
    """*at* as a log has it: an RFC 3339 offset in *zone*, with the zone's name in brackets
    (RFC 9557) for a named zone half the time."""
    local = at.astimezone(zone)  # type: ignore[arg-type]
    key = getattr(zone, "key", None)
    return local.isoformat() + (f"[{key}]" if key and local.minute % 2 else "")


@st.composite
def event_logs(draw: st.DrawFn, *, damaged: bool = True) -> EventLog:
    """Event logs of a few tickets as a helpdesk exports them, in any order (shuffled within
    and between tickets, or in time order, or by ticket), damaged (:data:`DAMAGES`) when
    *damaged*, and split across up to three files listed in any order. Each ticket's instants
    differ, so any order of its rows has one time order."""
    rows: list[tuple[str, ...]] = []
    instants: list[datetime | None] = []
    for n in range(draw(st.integers(1, 5))):
        at = _LOG_START + timedelta(minutes=draw(st.integers(0, _LOG_DAYS * 24 * 60)))
        lodged = (
            f"WC-{n}",
            "Lodged",
            "",
            draw(st.sampled_from(["P1", "P2", "P3"])),
            draw(st.sampled_from(["phone", "email", "helpcentre"])),
            draw(st.sampled_from(["", "1", "2"])),
            draw(st.sampled_from(["", "service", "partner_centre"])),
            "",
        )
        events = [lodged]
        events += [
            (f"WC-{n}", name, "", "", "", "", "", "P1D" if "Timeframe" in name else "")
            for name in draw(st.lists(st.sampled_from(LATER_EVENTS), max_size=4))
        ]
        for event in events:
            at += timedelta(minutes=draw(st.integers(1, 3 * 24 * 60)))
            rows.append((*event[:2], _stamp(at, draw(st.sampled_from(ZONES))), *event[3:]))
            instants.append(at)
    if damaged:
        for damage in draw(st.lists(st.sampled_from(DAMAGES), max_size=3)):
            if damage in ("never lodged", "no ticket", "lodged twice"):
                ticket = {"never lodged": "WC-99", "no ticket": ""}.get(damage, rows[0][0])
                made = "Lodged,P2,email" if damage == "lodged twice" else "Acknowledged,,"
                name, priority, channel = made.split(",")
                # an instant no other row of the log has: one time order whatever the order
                at = _LOG_START + timedelta(minutes=draw(st.integers(0, _LOG_DAYS * 24 * 60)))
                at += timedelta(seconds=len(rows) + 1)
                rows.append((ticket, name, _stamp(at, UTC), priority, channel, "", "", ""))
                instants.append(at)
                continue
            i = draw(st.integers(0, len(rows) - 1))
            row = list(rows[i])
            if damage == "bad instant":
                row[2] = draw(
                    st.sampled_from(
                        [
                            "not a time",
                            "2026-02-30T09:00:00+00:00",
                            "2026-11-23T09:00:00+00:00[Mars/Olympus]",
                            "9999-12-31T23:59:59+00:00[Pacific/Kiritimati]",
                        ]
                    )
                )
                instants[i] = None
            elif damage == "unknown event":
                row[1] = "Pinged"
                row[3:] = [""] * 5
            elif damage == "bad timeframe":
                row[1:] = ["UpdateTimeframeAgreed", row[2], "", "", "", "", "P99999999999D"]
            elif row[1] == "Lodged":  # a bad priority
                row[3] = "P4"
            rows[i] = tuple(row)
    order = draw(st.sampled_from(["shuffled", "in time order", "by ticket, shuffled"]))
    places = list(range(len(rows)))
    if order == "in time order":
        places.sort(key=lambda i: instants[i] or _LOG_START)
    else:
        places = draw(st.permutations(places))
        if order == "by ticket, shuffled":
            first = {rows[i][0]: n for n, i in reversed(list(enumerate(places)))}
            places.sort(key=lambda i: first[rows[i][0]])
    rows, instants = [rows[i] for i in places], [instants[i] for i in places]
    file_of = draw(st.lists(st.integers(0, 2), min_size=len(rows), max_size=len(rows)))
    files = [[i for i, f in enumerate(file_of) if f == n] for n in sorted(set(file_of))]
    return EventLog(rows, instants, draw(st.permutations(files)))
