"""Every way a log reaches the report gives the same report, and the lifecycle's own answers.

The ways: the records of ``read_log``, an open stream, a file, and a file cut into pieces for
two processes. All of them replay on the lifecycle's one transition table; here they are
compared with each other on generated logs (damaged rows, refusals, time-decided events), under
the Westcoast policy and under one whose every reading differs, and each reported ticket is
compared with what the public API says of the same events: ``policy.replay``, ``advance`` and
``report_row``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules import batch, lifecycle
from westcoast_rules.batch import pieces
from westcoast_rules.intake import accept_priority

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)
STRICTER = attrs.evolve(
    wr.WESTCOAST,
    reopen_at_ceiling_on_rejection=False,
    p1_may_start_at_tier_2=False,
    auto_resolve_after_business_days=2,
    reopen_window_days=2,
    chase_every_business_days=2,
    response_targets=(
        wr.ResponseTarget(
            wr.Priority.P1, wr.Clock.REAL_TIME, timedelta(hours=1), ("SLA-2", "HOURS-3")
        ),
        wr.ResponseTarget(
            wr.Priority.P2, wr.Clock.BUSINESS_HOURS, timedelta(hours=3), ("SLA-3", "HOURS-1")
        ),
        wr.ResponseTarget(
            wr.Priority.P3, wr.Clock.BUSINESS_HOURS, timedelta(hours=9), ("SLA-4", "HOURS-1")
        ),
    ),
)
"""A policy whose every reading differs from WESTCOAST's: targets, PROC-3/4/6, ESC-3/5."""


def event_of(values: list[str]) -> wr.Event:
    """A row of LOG_COLUMNS values read as its event record, as ``read_log`` reads it."""
    text = as_csv([values])
    [row] = list(batch.read_log(io.StringIO(text), format="csv"))
    if isinstance(row, batch.RowError):
        raise wr.DataError(row.message)
    return row.event


# -- logs to compare on ------------------------------------------------------------------------

NAMES = [kind.__name__ for kind in wr.EVENT_TYPES if kind is not wr.Lodged]


ALLOWED = {
    state: sorted({row.event.__name__ for row in lifecycle.TRANSITIONS if state in row.sources})
    for state in lifecycle.State
}
TIME_DECIDED = ("AutoResolved", "Closed")


# The strategies a ticket's rows are drawn from, built once: Hypothesis checks a strategy the
# first time it is drawn from, and a strategy built anew for every draw is checked every time.
LODGINGS = st.datetimes(datetime(2026, 10, 20), datetime(2027, 1, 10))
PRIORITIES = st.sampled_from(["P1", "P2", "P2", "P3", "P3"] * 4 + ["P4"])
CHANNELS = st.sampled_from(["phone", "phone", "email", "helpcentre"])
TIERS = {
    True: st.sampled_from(["", "1", "1", "1", "2", "3"]),  # of a P1
    False: st.sampled_from(["", "1"] * 4 + ["2"]),
}
CATEGORIES = st.sampled_from(["", "service", "migration", "root_cause_analysis", "dns"])
STEPS = st.integers(0, 7)
GAPS = st.sampled_from([0, 5, 90, 60 * 20, 60 * 24 * 2, 60 * 24 * 6, -30])
MINUTES = st.integers(0, 59)
ONE_IN_TEN = st.integers(0, 9)
ANY_NAME = st.sampled_from(NAMES)


def _allowed_names(names: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from([name for name in names if name not in TIME_DECIDED] or NAMES)


ALLOWED_NAMES = {state: _allowed_names(ALLOWED[state] or NAMES) for state in lifecycle.State}
"""The events a ticket in each state allows, less those time decides."""
NOT_LODGED_NAMES = _allowed_names(NAMES)
EVERY = st.sampled_from(["PT4H", "P2D"] * 4 + ["PT0S", "soon"])
ONE_IN_81 = st.integers(0, 80)
COLUMNS = st.integers(1, 7)
DAMAGES = st.sampled_from(["", "P2", "x", "Lodged"])


@st.composite
def rows_of_a_ticket(draw: st.DrawFn, number: int) -> list[list[str]]:
    """A ticket's rows in LOG_COLUMNS order: mostly what a desk records, sometimes not.

    The ticket is followed under WESTCOAST as the rows are drawn, so most events are ones its
    state allows; the rest, and a few damaged rows, try the paths where rules refuse.
    """
    ticket_id = f"WC-{number}"
    at = draw(LODGINGS)
    at = at.replace(second=0, microsecond=0, tzinfo=LONDON)
    priority = draw(PRIORITIES)
    channel = draw(CHANNELS)
    tier = draw(TIERS[priority == "P1"])
    category = draw(CATEGORIES)
    rows = [[ticket_id, "Lodged", a_stamp(draw, at), priority, channel, tier, category, ""]]
    try:
        ticket: wr.Ticket | None = wr.WESTCOAST.replay([event_of(rows[0])])
    except wr.WestcoastRulesError:
        ticket = None
    for _ in range(draw(STEPS)):
        gap = draw(GAPS)
        at += timedelta(minutes=gap + draw(MINUTES))
        if ticket is not None and at >= ticket.history[-1].at:
            before = len(ticket.history)
            ticket = wr.WESTCOAST.advance(ticket, at)
            decided = ticket.history[before:]
            for event in decided:  # a log may record what time decided, or not
                if draw(st.booleans()):
                    rows.append([ticket_id, type(event).__name__, event.at.isoformat()] + [""] * 5)
        choices = NOT_LODGED_NAMES if ticket is None else ALLOWED_NAMES[ticket.state]
        name = draw(ANY_NAME if draw(ONE_IN_TEN) == 0 else choices)
        every = ""
        if name == "UpdateTimeframeAgreed":
            every = draw(EVERY)
        row = [ticket_id, name, a_stamp(draw, at), "", "", "", "", every]
        if draw(ONE_IN_81) == 0:
            row[draw(COLUMNS)] = draw(DAMAGES)
        rows.append(row)
        if ticket is not None:
            with contextlib.suppress(wr.WestcoastRulesError):  # a refused row changes nothing
                ticket = wr.WESTCOAST.apply(ticket, event_of(row))
    return rows


ONE_IN_61 = st.integers(0, 60)
GOOD_STAMP = st.integers(0, 2)
BAD_STAMP = st.integers(0, 4)


def a_stamp(draw: st.DrawFn, at: datetime) -> str:
    """*at* as a log writes it: zoned, offset only or in UTC; now and then (one in 61), wrong."""
    local = at.astimezone(LONDON)
    if draw(ONE_IN_61) == 0:
        bad = [
            f"{local.replace(tzinfo=None).isoformat()}+05:00[Europe/London]",
            local.replace(tzinfo=None).isoformat(),
            f"{local.isoformat()}[Mars/Olympus]",
            f"{local.isoformat()}[Europe/London",
            "yesterday",
        ]
        return bad[draw(BAD_STAMP)]
    good = [
        f"{local.isoformat()}[Europe/London]",
        local.isoformat(),
        local.astimezone(UTC).isoformat(),
    ]
    return good[draw(GOOD_STAMP)]


TICKETS = st.integers(1, 6)
TICKET_ROWS = [rows_of_a_ticket(number) for number in range(4)]


@st.composite
def logs(draw: st.DrawFn) -> list[list[str]]:
    tickets = draw(TICKETS)
    rows: list[list[str]] = []
    for number in range(tickets):
        rows.extend(draw(TICKET_ROWS[number % 4]))  # ids may repeat, out of turn
    return rows


def as_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(batch.LOG_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def as_jsonl(rows: list[list[str]]) -> str:
    lines = []
    for row in rows:
        fields: dict[str, object] = {
            k: v for k, v in zip(batch.LOG_COLUMNS, row, strict=False) if v
        }
        if fields.get("tier", "").isdigit():  # type: ignore[union-attr]
            fields["tier"] = int(fields["tier"])  # type: ignore[arg-type]
        lines.append(json.dumps(fields))
    return "\n".join(lines) + "\n"


as_ofs = st.datetimes(datetime(2026, 10, 20), datetime(2027, 1, 20), timezones=st.just(LONDON))


WAYS = ("records", "stream", "file", "file, jobs=2")
QUICK_WAYS = WAYS[:3]
"""The ways in one process: generated logs go these ways (a pool of processes per example would
be slow); the examples of this file and of ``test_batch_pieces.py`` go all of them."""


def report(
    text: str, fmt: str, way: str, policy: wr.SupportPolicy, folder: Path, **options: object
) -> object:
    """The report of the log *text* reached *way*: items and summary, or the error raised."""
    summary = batch.SlaSummary()
    path = folder / f"log.{fmt}"
    if way.startswith("file"):
        path.write_text(text, encoding="utf-8")
    log: object = {
        "records": lambda: batch.read_log(io.StringIO(text), format=fmt),
        "stream": lambda: io.StringIO(text),
        "file": lambda: path,
        "file, jobs=2": lambda: path,
    }[way]()
    jobs = 2 if way.endswith("jobs=2") else 1
    try:
        items = list(
            batch.report_log(
                policy,
                log,
                as_of=options.pop("as_of", AS_OF),
                summary=summary,  # type: ignore[arg-type]
                format=fmt,
                jobs=jobs,
                **options,  # type: ignore[arg-type]
            )
        )
    except wr.WestcoastRulesError as exc:
        return type(exc), str(exc).replace(str(path), "<log>").replace("<stream>", "<log>")
    for index, item in enumerate(items):
        if isinstance(item, batch.RowError):
            items[index] = item._replace(source="<log>")
    return items, summary


def every_way(
    text: str,
    fmt: str,
    policy: wr.SupportPolicy,
    folder: Path,
    ways: tuple[str, ...] = WAYS,
    **options: object,
) -> object:
    """The one report every way gives; fails naming the way that differs."""
    first = report(text, fmt, ways[0], policy, folder, **dict(options))
    for way in ways[1:]:
        assert first == report(text, fmt, way, policy, folder, **dict(options)), way
    return first


def in_ticket_order(rows: list[list[str]]) -> list[int]:
    """The places of the rows with each ticket's together, the tickets as they first appear."""
    tickets: dict[str, list[int]] = {}
    for place, row in enumerate(rows):
        tickets.setdefault(row[0], []).append(place)
    return [place for places in tickets.values() for place in places]


def written(rows: list[list[str]], fmt: str) -> str:
    return as_csv(rows) if fmt == "csv" else as_jsonl(rows)


def renumbered(result: object, line_of: dict[int, int]) -> object:
    """A report with each line number it names (the rows', and those in messages) mapped."""

    def text(message: str) -> str:
        message = re.sub(r"line (\d+)", lambda m: f"line {line_of[int(m[1])]}", message)
        return re.sub(r"<log>:(\d+):", lambda m: f"<log>:{line_of[int(m[1])]}:", message)

    if isinstance(result[0], type):  # type: ignore[index]
        return result[0], text(result[1])  # type: ignore[index]
    items, summary = result  # type: ignore[misc]
    return [
        item._replace(line=line_of[item.line], message=text(item.message))
        if isinstance(item, batch.RowError)
        else item
        for item in items
    ], summary


def grouped_every_way(
    rows: list[list[str]], fmt: str, policy: wr.SupportPolicy, folder: Path, **options: object
) -> None:
    """A file in any order is grouped by ticket: its report is the grouped log's, streamed or
    read as records, the lines being the file's."""
    order = in_ticket_order(rows)
    first = 2 if fmt == "csv" else 1  # the line of the first row
    line_of = {first + k: first + place for k, place in enumerate(order)}
    together = written([rows[place] for place in order], fmt)
    from_file = report(written(rows, fmt), fmt, "file", policy, folder, **dict(options))
    for way in ("records", "stream"):
        streamed = report(together, fmt, way, policy, folder, **dict(options))
        assert from_file == renumbered(streamed, line_of), way


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 200)


@given(logs(), as_ofs, st.sampled_from(["csv", "jsonl"]), st.sampled_from([wr.WESTCOAST, STRICTER]))
def test_every_way_gives_the_same_report(
    folder: Path, rows: list[list[str]], as_of: datetime, fmt: str, policy: wr.SupportPolicy
) -> None:
    grouped_every_way(rows, fmt, policy, folder, as_of=as_of)


@given(logs(), as_ofs)
def test_strict_stops_at_the_same_row_with_the_same_message_every_way(
    folder: Path, rows: list[list[str]], as_of: datetime
) -> None:
    grouped_every_way(rows, "csv", wr.WESTCOAST, folder, as_of=as_of, strict=True)


@given(logs(), as_ofs)
def test_a_stream_whose_ticket_comes_back_is_grouped_as_a_file_is(
    folder: Path, rows: list[list[str]], as_of: datetime
) -> None:
    """A stream and read_log's records are read once, held and grouped by ticket: a ticket
    whose rows come back after another ticket's is one ticket, as in a file."""
    text = as_csv(rows)
    from_file = report(text, "csv", "file", wr.WESTCOAST, folder, as_of=as_of)
    for way in ("stream", "records"):
        assert from_file == report(text, "csv", way, wr.WESTCOAST, folder, as_of=as_of), way


@given(logs(), as_ofs, st.sampled_from([wr.WESTCOAST, STRICTER]))
def test_each_ticket_reported_is_what_the_lifecycle_says_of_its_events(
    rows: list[list[str]], as_of: datetime, policy: wr.SupportPolicy
) -> None:
    """A ticket without bad rows: the report's row is ``report_row`` of the ticket that
    ``policy.replay`` and ``policy.advance`` make of its events in time order (stably: the
    report puts a ticket's rows in time order first), time-decided rows aside."""
    records = list(batch.read_log(io.StringIO(as_csv(rows)), format="csv"))
    reported = [
        item
        for item in batch.report_log(policy, records, as_of=as_of)
        if isinstance(item, batch.TicketRow) and not item.bad_rows
    ]
    runs = [
        (
            ticket,
            sorted(
                (r.event for r in run if isinstance(r, batch.LogRow) and r.event.at <= as_of),
                key=lambda event: event.at.timestamp(),
            ),
        )
        for ticket, run in itertools.groupby(records, key=lambda record: record.ticket)
    ]
    once = {ticket for ticket, _ in runs if [t for t, _ in runs].count(ticket) == 1}
    events_of = {ticket: events for ticket, events in runs if ticket in once}
    for row in reported:
        if row.ticket not in once:
            continue  # an id that comes back after another ticket: two tickets of one name
        events = events_of[row.ticket]
        lodged = events[0]
        assert isinstance(lodged, wr.Lodged)
        accepted, notices = accept_priority(
            policy, lodged.priority, lodged.channel, lodged.category
        )
        ticket = policy.replay([attrs.evolve(lodged, priority=accepted)])  # as intake takes it
        for event in events[1:]:
            ticket = policy.advance(ticket, event.at)
            if isinstance(event, wr.AutoResolved | wr.Closed) and ticket.history[-1] == event:
                continue  # decided by time, and recorded by the log too
            ticket = policy.apply(ticket, event)
        ticket = policy.advance(ticket, as_of)
        expected = batch.report_row(policy, ticket, as_of)
        assert expected._replace(notices=" ".join(map(str, notices)) or None) == row


EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")


@pytest.mark.slow  # the whole example log
@pytest.mark.parametrize(
    "as_of",
    [
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # the spring change
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON).replace(fold=1),  # the repeated hour
        datetime(2026, 12, 24, 17, 59, tzinfo=LONDON),
        datetime(2027, 6, 1, tzinfo=LONDON),
    ],
)
@pytest.mark.parametrize("policy", [wr.WESTCOAST, STRICTER], ids=["westcoast", "stricter"])
def test_the_example_log_every_way(
    as_of: datetime, policy: wr.SupportPolicy, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 100_000)
    every_way(EXAMPLE_TEXT, "csv", policy, folder, as_of=as_of)


@pytest.mark.slow  # the whole example log
def test_a_changed_reading_reaches_every_way(folder: Path) -> None:
    """Reopen window days (PROC-6), auto-resolve days (PROC-4) and the P3 target (SLA-4):
    change each and every way follows, ticket by ticket."""
    base = every_way(EXAMPLE_TEXT, "csv", wr.WESTCOAST, folder)
    p3 = wr.ResponseTarget(wr.Priority.P3, wr.Clock.BUSINESS_HOURS, timedelta(hours=2), ("SLA-4",))
    for changed in (
        attrs.evolve(wr.WESTCOAST, reopen_window_days=1),
        attrs.evolve(wr.WESTCOAST, auto_resolve_after_business_days=1),
        attrs.evolve(wr.WESTCOAST, response_targets=(*wr.WESTCOAST.response_targets[:2], p3)),
    ):
        other = every_way(EXAMPLE_TEXT, "csv", changed, folder)
        assert other != base
        rows = [item for item in other[0] if isinstance(item, batch.TicketRow)]  # type: ignore[index]
        records = batch.replay_log(changed, batch.read_log(EXAMPLE), as_of=AS_OF)
        expected = [
            batch.report_row(changed, r.ticket, AS_OF, bad_rows=len(r.errors))
            for r in records
            if r.ticket
        ]
        assert expected == rows


def test_a_header_in_another_order_and_without_optional_columns(folder: Path) -> None:
    text = (
        "at,event,ticket,priority,channel\n"
        "2026-11-20T17:00:00+00:00,Lodged,WC-1,P2,email\n"
        "2026-11-23T10:30:00+00:00,Acknowledged,WC-1,,\n"
    )
    items, _ = every_way(text, "csv", wr.WESTCOAST, folder)  # type: ignore[misc]
    assert ["met"] == [row.response for row in items]


@pytest.mark.parametrize("stamp", ["9999-12-31T23:30:00-05:00", "0001-01-01T00:10:00+01:00"])
def test_instants_beyond_what_a_datetime_holds_are_bad_rows(stamp: str, folder: Path) -> None:
    text = f"ticket,event,at,priority,channel\nWC-1,Lodged,{stamp},P2,email\n"
    items, _ = every_way(text, "csv", wr.WESTCOAST, folder)  # type: ignore[misc]
    [error] = items
    assert "outside the years a datetime can hold" in error.message


def test_an_event_beyond_what_a_datetime_holds_is_refused() -> None:
    late = datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(wr.CalendarRangeError, match="outside the years"):
        wr.Acknowledged(late)
