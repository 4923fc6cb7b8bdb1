"""Event logs in bulk: read them, replay every ticket, report SLA timing, compare policies.

A log has one event per row: the ticket's id, the event's name, its instant, and the fields
the event needs. As CSV::

    ticket,event,at,priority,channel,tier,category,every
    WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email,1,service,
    WC-1,Acknowledged,2026-11-23T09:12:00+00:00,,,,,

and as JSON Lines, one object per line with the same keys (``{"ticket": "WC-1", "event":
"Lodged", ...}``). Instants are ISO 8601 with an offset, optionally with ``[Europe/London]``.

Reading streams: a ticket's rows must be contiguous (sort the log by ticket, then time), and
each ticket is replayed and reported as soon as its rows end, so memory does not grow with the
file. Before each event, what time alone decided is applied (``policy.advance``), so a log need
not record auto-resolutions and closes (rows that do are accepted when they match).

Nothing is dropped silently: a bad row, or an event the rules refuse, becomes a
:class:`RowError` naming the file and line. The default reports and counts them and goes on
without that row; ``strict=True`` raises :class:`~westcoast_rules.DataError` at the first one.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple, TypeVar, cast

import attrs

from westcoast_rules import _parallel
from westcoast_rules._instants import (
    MICROS_PER_SECOND,
    aware_micros,
    from_micros,
    micros,
    to_micros,
)
from westcoast_rules.errors import DataError, WestcoastRulesError, WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.events import (
    EVENT_TYPES,
    AutoResolved,
    Closed,
    Event,
    Lodged,
    UpdateTimeframeAgreed,
)
from westcoast_rules.lifecycle import Ticket, TicketDraft
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category
from westcoast_rules.serialization import parse_datetime, parse_duration
from westcoast_rules.sla import ResponseState

if TYPE_CHECKING:
    from westcoast_rules._fastpath import Outcome
    from westcoast_rules.policy import SupportPolicy

__all__ = [
    "LOG_COLUMNS",
    "LogRow",
    "PrioritySummary",
    "ReplayedTicket",
    "RowError",
    "SlaReport",
    "SlaSummary",
    "TicketDiff",
    "TicketRow",
    "WhatIfReport",
    "read_log",
    "replay_log",
    "report_log",
    "report_row",
    "sla_report",
    "what_if",
]

LOG_COLUMNS: Final = ("ticket", "event", "at", "priority", "channel", "tier", "category", "every")
"""The columns of a CSV event log, and the keys of a JSON Lines one."""

_EVENTS_BY_NAME: Final = {kind.__name__: kind for kind in EVENT_TYPES}
_LODGED_FIELDS: Final = frozenset({"priority", "channel", "tier", "category"})
_FIELDS_OF: Final = {Lodged: _LODGED_FIELDS, UpdateTimeframeAgreed: frozenset({"every"})}
_NO_FIELDS: Final[frozenset[str]] = frozenset()
_EVENT_FIELDS: Final = LOG_COLUMNS[3:]
"""The columns beyond ticket, event and at: each belongs to some events only."""
_AT_ONLY: Final[dict[str, Callable[[datetime], Event]]] = {
    kind.__name__: kind for kind in EVENT_TYPES if kind not in _FIELDS_OF
}


class LogRow(NamedTuple):
    """One good row of a log: where it came from, its ticket, its event."""

    source: str
    line: int
    ticket: str
    event: Event


class RowError(NamedTuple):
    """A row that could not be used, and why."""

    source: str
    line: int
    ticket: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


# -- reading -----------------------------------------------------------------------------------


def _event_from_fields(fields: dict[str, Any]) -> tuple[str, Event]:
    """The ticket id and event of one row's fields; :class:`DataError` says what is wrong."""
    ticket, name, at_text = fields.get("ticket"), fields.get("event"), fields.get("at")
    if not (ticket and name and at_text):
        missing = [key for key in ("ticket", "event", "at") if not fields.get(key)]
        raise DataError(f"missing {', '.join(missing)}")
    if not isinstance(ticket, str) or not isinstance(name, str):
        raise DataError("ticket and event must be strings")
    kind = _EVENTS_BY_NAME.get(name)
    if kind is None:
        raise DataError(f"unknown event {name!r}: expected one of {', '.join(_EVENTS_BY_NAME)}")
    allowed = _FIELDS_OF.get(kind, _NO_FIELDS)
    extra = [
        key for key in _EVENT_FIELDS if fields.get(key) not in (None, "") and key not in allowed
    ]
    if extra:
        raise DataError(f"{name} takes no {', '.join(extra)}")
    at = parse_datetime(at_text)
    if kind is Lodged:
        return ticket, Lodged(
            id=ticket,
            at=at,
            priority=_enum(Priority, fields.get("priority"), "priority"),
            channel=_enum(Channel, fields.get("channel"), "channel"),
            tier=Tier(_tier(fields.get("tier"))),
            category=_enum(Category, fields.get("category") or "service", "category"),
        )
    if kind is UpdateTimeframeAgreed:
        return ticket, UpdateTimeframeAgreed(at, parse_duration(fields.get("every") or ""))
    return ticket, _AT_ONLY[name](at)


def _enum(kind: type[Any], value: Any, name: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise DataError(f"{name} {value!r} is not one of {choices}") from None


def _tier(value: Any) -> int:
    if value in (None, ""):
        return 1
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3:
        return value
    if isinstance(value, str) and value in ("1", "2", "3"):
        return int(value)
    raise DataError(f"tier {value!r} is not 1, 2 or 3")


def read_log(
    source: str | Path | IO[str], *, format: str | None = None
) -> Iterator[LogRow | RowError]:
    """Each row of an event log: a :class:`LogRow`, or a :class:`RowError` when unreadable.

    *format* is ``"csv"`` or ``"jsonl"``; by default it follows the file's suffix.

    >>> import io
    >>> lines = ["ticket,event,at", "WC-1,Resolved,2026-11-23T12:00:00+00:00"]
    >>> next(read_log(io.StringIO(chr(10).join(lines)), format="csv")).event
    Resolved(at=datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc))
    """
    with _opened(source, format) as (handle, name, kind):
        if kind == "csv":
            yield from _read_csv(handle, name)
        else:
            yield from _read_jsonl(handle, name)


@contextmanager
def _opened(source: str | Path | IO[str], format: str | None) -> Iterator[tuple[IO[str], str, str]]:
    """The open log (a file is closed after), its name for messages, and its format."""
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "<stream>")
    kind = format or _format_of(name)
    if kind not in ("csv", "jsonl"):
        raise DataError(f"unknown log format {kind!r}: use 'csv' or 'jsonl'")
    if isinstance(source, str | Path):
        with Path(source).open(encoding="utf-8", newline="") as handle:
            yield handle, name, kind
    else:
        yield source, name, kind


def _format_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise DataError(f"cannot tell the format of {name!r}: name it .csv or .jsonl, or pass format=")


def _csv_header(reader: Iterator[list[str]], name: str) -> list[str] | None:
    """The header of a CSV log, checked; ``None`` for an empty file."""
    header = next(reader, None)
    if header is None:
        return None
    header = [column.strip() for column in header]
    unknown = [column for column in header if column not in LOG_COLUMNS]
    if unknown or not {"ticket", "event", "at"} <= set(header):
        raise DataError(
            f"the header must name columns of {', '.join(LOG_COLUMNS)} (ticket, event and at at "
            f"least); got {', '.join(header)}",
            source=name,
            line=1,
        )
    return header


def _csv_record(name: str, header: list[str], line: int, values: list[str]) -> LogRow | RowError:
    if len(values) != len(header):
        return RowError(
            name, line, values[0] or None, f"{len(values)} fields, expected {len(header)}"
        )
    return _row(dict(zip(header, values, strict=True)), name, line)


def _read_csv(handle: IO[str], name: str) -> Iterator[LogRow | RowError]:
    reader = csv.reader(handle)
    header = _csv_header(reader, name)
    if header is None:
        return
    for values in reader:
        if values:
            yield _csv_record(name, header, reader.line_num, values)


def _jsonl_record(name: str, line: int, text: str) -> LogRow | RowError:
    try:
        fields = json.loads(text)
    except ValueError as exc:
        return RowError(name, line, None, f"not valid JSON: {exc}")
    if not isinstance(fields, dict):
        return RowError(name, line, None, "each line must be a JSON object")
    unknown = sorted(key for key in fields if key not in LOG_COLUMNS)
    if unknown:
        return RowError(name, line, _str_or_none(fields.get("ticket")), f"unknown keys {unknown}")
    return _row(fields, name, line)


def _read_jsonl(handle: IO[str], name: str) -> Iterator[LogRow | RowError]:
    for line, text in enumerate(handle, start=1):
        if text.strip():
            yield _jsonl_record(name, line, text)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _row(fields: dict[str, Any], name: str, line: int) -> LogRow | RowError:
    try:
        ticket, event = _event_from_fields(fields)
    except WestcoastRulesError as exc:
        return RowError(name, line, _str_or_none(fields.get("ticket")), str(exc))
    return LogRow(name, line, ticket, event)


# -- replaying ---------------------------------------------------------------------------------


@attrs.frozen
class ReplayedTicket:
    """A ticket rebuilt from its rows of a log, with the rows that could not be used."""

    ticket: Ticket | None
    """``None`` when not even the Lodged row could be used."""
    ticket_id: str | None
    errors: tuple[RowError, ...]


_Item = TypeVar("_Item")


def _groups(
    items: Iterable[_Item], ticket_of: Callable[[_Item], str | None]
) -> Iterator[list[_Item]]:
    """Consecutive items of the same ticket; an item of no known ticket joins the current one."""
    group: list[_Item] = []
    current: str | None = None
    for item in items:
        ticket = ticket_of(item)
        if group and ticket is not None and ticket != current:
            yield group
            group = []
        if ticket is not None:
            current = ticket
        group.append(item)
    if group:
        yield group


_TICKET_OF: Final = attrgetter("ticket")


def replay_log(
    policy: SupportPolicy,
    records: Iterable[LogRow | RowError],
    *,
    as_of: datetime | None = None,
    strict: bool = False,
    redecide: bool = False,
) -> Iterator[ReplayedTicket]:
    """Every ticket of a log, replayed under *policy*, as the world stood at *as_of*.

    With *as_of*, rows after it are not yet known and are left out (a ticket lodged later is
    not yielded at all), and each ticket is advanced to *as_of*, so what time decided by then
    is applied. With ``redecide=True`` the log's own AutoResolved and Closed rows are set aside
    and *policy* decides them afresh: what a what-if needs. With ``strict=True`` the first bad
    row raises :class:`~westcoast_rules.DataError` with its file and line; otherwise bad rows
    are reported in each :class:`ReplayedTicket`'s errors.
    """
    as_of_micros = None if as_of is None else aware_micros(as_of, "as_of")
    for group in _groups(records, _TICKET_OF):
        draft: TicketDraft | None = None
        errors: list[RowError] = []
        ticket_id = next((r.ticket for r in group if r.ticket is not None), None)
        for record in group:
            if isinstance(record, RowError):
                errors.append(record)
            elif _set_aside(record.event, as_of_micros, redecide=redecide):
                continue
            else:
                try:
                    draft = _step(policy, draft, record)
                except WestcoastRulesError as exc:
                    errors.append(RowError(record.source, record.line, record.ticket, str(exc)))
            if strict and errors:
                error = errors[0]
                raise DataError(error.message, source=error.source, line=error.line)
        if draft is None and not errors:
            continue  # lodged after as_of: not known yet
        if draft is not None and as_of_micros is not None:
            draft.advance(policy, as_of_micros)
        ticket = None if draft is None else draft.freeze()
        yield ReplayedTicket(ticket, ticket_id, tuple(errors))


def _set_aside(event: Event, as_of_micros: int | None, *, redecide: bool) -> bool:
    """Whether a row is left out: after the report's instant, or for time to decide again."""
    if as_of_micros is not None and to_micros(event.at) > as_of_micros:
        return True
    return redecide and isinstance(event, AutoResolved | Closed)


def _step(policy: SupportPolicy, draft: TicketDraft | None, row: LogRow) -> TicketDraft:
    """One row of a ticket's log: lodge it, or apply it after what time decided before it."""
    event = row.event
    if draft is None:
        if not isinstance(event, Lodged):
            raise DataError(
                f"ticket {row.ticket}'s first row is {type(event).__name__}, not Lodged (PROC-1); "
                "is the log sorted by ticket, then time?"
            )
        ticket = policy.lodge(
            event.id, event.at, event.priority, event.channel, event.tier, event.category
        )
        return TicketDraft(ticket)
    draft.advance(policy, to_micros(event.at))
    if isinstance(event, AutoResolved | Closed) and draft.history[-1] == event:
        return draft  # already decided by time, as the log says
    draft.apply(policy, event)
    return draft


# -- the SLA report ----------------------------------------------------------------------------


class TicketRow(NamedTuple):
    """One ticket of an SLA report: a plain record that ``pandas.DataFrame(rows)`` takes."""

    ticket: str
    priority: str
    category: str
    lodged_at: datetime
    response_due: datetime | None
    responded_at: datetime | None
    response: str
    """``met``, ``breached`` or ``pending`` as of the report's instant; ``no_target`` (SLA-6)."""
    time_to_respond: timedelta | None
    """From lodging to the response on the target's clock: business time for P2 and P3, real
    time for P1."""
    state: str
    tier: int
    next_deadline: datetime | None
    next_deadline_kind: str | None
    """``response``, ``chase``, ``auto_resolve`` or ``reopen_window_ends``."""
    bad_rows: int


def report_row(
    policy: SupportPolicy, ticket: Ticket, as_of: datetime, *, bad_rows: int = 0
) -> TicketRow:
    """The SLA report's row of *ticket* as of *as_of*."""
    status = policy.ticket_response_status(ticket, as_of, milestones=())
    deadlines = policy.deadlines(ticket, as_of)
    as_of_micros = to_micros(as_of)
    upcoming: list[tuple[int, str, datetime]] = []
    if status is not None and status.state is ResponseState.PENDING:
        upcoming.append((to_micros(status.due), "response", status.due))
    for kind, at in (
        ("chase", deadlines.next_chase),
        ("auto_resolve", deadlines.auto_resolve_at),
        ("reopen_window_ends", deadlines.reopen_until),
    ):
        if at is not None and to_micros(at) > as_of_micros:
            upcoming.append((to_micros(at), kind, at))
    _, next_kind, next_at = min(upcoming) if upcoming else (0, None, None)
    responded = status is not None and status.responded_at is not None
    return TicketRow(
        ticket=ticket.id,
        priority=ticket.priority.value,
        category=ticket.category.value,
        lodged_at=ticket.lodged_at,
        response_due=deadlines.response_due,
        responded_at=ticket.responded_at,
        response="no_target" if status is None else status.state.value,
        time_to_respond=status.used if status is not None and responded else None,
        state=ticket.state.value,
        tier=int(ticket.tier),
        next_deadline=next_at,
        next_deadline_kind=next_kind,
        bad_rows=bad_rows,
    )


class PrioritySummary(NamedTuple):
    """The SLA summary of one priority."""

    priority: str
    tickets: int
    met: int
    breached: int
    pending: int
    no_target: int
    breach_rate: float | None
    """Breached over decided (met + breached); ``None`` when nothing is decided yet."""
    median_response_hours: float | None
    p90_response_hours: float | None


_MINUTE: Final = 60 * MICROS_PER_SECOND


@attrs.define
class SlaSummary:
    """Counts and response-time distributions, accumulated row by row in bounded memory.

    Response times are kept as a histogram of whole minutes, so the median and 90th
    percentile are exact to the minute whatever the number of tickets.
    """

    counts: dict[str, Counter[str]] = attrs.Factory(dict)
    minutes: dict[str, Counter[int]] = attrs.Factory(dict)
    bad_rows: int = 0
    unreadable_tickets: int = 0

    def add(self, row: TicketRow) -> None:
        """Count *row* in its priority's summary."""
        used = row.time_to_respond
        self._count(row.priority, row.response, None if used is None else micros(used))
        self.bad_rows += row.bad_rows

    def merge(self, other: SlaSummary) -> None:
        """Add the counts of *other*: the summary of another part of the same report."""
        for priority, counts in other.counts.items():
            self.counts.setdefault(priority, Counter()).update(counts)
        for priority, minutes in other.minutes.items():
            self.minutes.setdefault(priority, Counter()).update(minutes)
        self.bad_rows += other.bad_rows
        self.unreadable_tickets += other.unreadable_tickets

    def _count(self, priority: str, response: str, used: int | None) -> None:
        """Count one ticket; *used* is its time to respond in microseconds."""
        counts = self.counts.get(priority)
        if counts is None:
            counts = self.counts[priority] = Counter()
        counts[response] += 1
        if used is not None:
            minute = -(-used // _MINUTE)  # whole minutes, rounded up
            self.minutes.setdefault(priority, Counter())[minute] += 1

    def priorities(self) -> tuple[PrioritySummary, ...]:
        """One summary per priority seen, P1 first."""
        result = []
        for priority in sorted(self.counts):
            counts = self.counts[priority]
            decided = counts["met"] + counts["breached"]
            histogram = self.minutes.get(priority, Counter())
            result.append(
                PrioritySummary(
                    priority=priority,
                    tickets=sum(counts.values()),
                    met=counts["met"],
                    breached=counts["breached"],
                    pending=counts["pending"],
                    no_target=counts["no_target"],
                    breach_rate=counts["breached"] / decided if decided else None,
                    median_response_hours=_quantile_hours(histogram, 0.5),
                    p90_response_hours=_quantile_hours(histogram, 0.9),
                )
            )
        return tuple(result)


def _quantile_hours(histogram: Counter[int], q: float) -> float | None:
    """The nearest-rank *q* quantile of a histogram of minutes, in hours."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for minute in sorted(histogram):
        seen += histogram[minute]
        if seen >= rank:
            return minute / 60
    raise AssertionError("unreachable: the ranks add up to the total")


@attrs.frozen
class SlaReport:
    """An SLA report held in memory: rows, the summary per priority, and the bad rows."""

    as_of: datetime
    rows: tuple[TicketRow, ...]
    summary: tuple[PrioritySummary, ...]
    errors: tuple[RowError, ...]


def report_log(
    policy: SupportPolicy,
    source: str | Path | IO[str] | Iterable[LogRow | RowError],
    *,
    as_of: datetime,
    strict: bool = False,
    summary: SlaSummary | None = None,
    rows: bool = True,
    format: str | None = None,
    progress: Callable[[], object] | None = None,
    jobs: int = 1,
) -> Iterator[TicketRow | RowError]:
    """The SLA report of a log, streamed: a :class:`TicketRow` per ticket, and every bad row.

    *source* is a log file (CSV or JSON Lines, by its suffix or *format*), an open stream, or
    the records of :func:`read_log`. Each ticket's bad rows (:class:`RowError`) come just
    before its row, so nothing is lost; ``strict=True`` raises at the first instead. With
    *summary*, each ticket is also counted in it; ``rows=False`` then yields only the bad
    rows, for a summary alone. *progress* is called once per ticket.

    With *jobs* above 1, a file given by its path is cut into pieces of whole tickets that
    that many processes report; the results come back in file order, the same as from one
    process. A file of one piece (under 4 MB), a stream or records is reported here.

    The same answers as :func:`replay_log` and :func:`report_row` ticket by ticket, several
    times faster: a file or stream is replayed on integer instants, and any ticket with
    something out of the ordinary in it goes through those functions instead.

    >>> import io
    >>> from westcoast_rules import LONDON, WESTCOAST
    >>> log = io.StringIO(chr(10).join([
    ...     "ticket,event,at,priority,channel",
    ...     "WC-1,Lodged,2026-11-20T17:00:00+00:00[Europe/London],P2,email",
    ...     "WC-1,Acknowledged,2026-11-23T10:30:00+00:00[Europe/London],,"]))
    >>> as_of = datetime(2026, 12, 1, tzinfo=LONDON)
    >>> [(row.ticket, row.response) for row in report_log(WESTCOAST, log, as_of=as_of,
    ...                                                     format="csv")]
    [('WC-1', 'met')]
    """
    aware_micros(as_of, "as_of")  # an aware datetime (HOURS-5), checked before any reading
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise WrongTypeError(f"jobs must be a whole number of processes, 1 or more; got {jobs!r}")
    if jobs > 1 and isinstance(source, str | Path):
        yield from _report_parallel(
            policy,
            Path(source),
            format,
            as_of,
            jobs,
            strict=strict,
            summary=summary,
            rows=rows,
            progress=progress,
        )
        return
    if isinstance(source, str | Path) or hasattr(source, "read"):
        with _opened(cast("str | Path | IO[str]", source), format) as (handle, name, kind):
            yield from _report_lines(
                policy,
                handle,
                name,
                kind,
                line_offset=0,
                as_of=as_of,
                strict=strict,
                summary=summary,
                rows=rows,
                progress=progress,
            )
        return
    for replayed in replay_log(policy, source, as_of=as_of, strict=strict):
        yield from _reported(policy, replayed, as_of, summary, rows=rows)
        if progress is not None:
            progress()


def _reported(
    policy: SupportPolicy,
    replayed: ReplayedTicket,
    as_of: datetime,
    summary: SlaSummary | None,
    *,
    rows: bool,
) -> Iterator[TicketRow | RowError]:
    yield from replayed.errors
    if replayed.ticket is None:
        if summary is not None:
            summary.unreadable_tickets += 1
            summary.bad_rows += len(replayed.errors)
        return
    row = report_row(policy, replayed.ticket, as_of, bad_rows=len(replayed.errors))
    if summary is not None:
        summary.add(row)
    if rows:
        yield row


def _report_lines(
    policy: SupportPolicy,
    lines: Iterable[str],
    name: str,
    kind: str,
    *,
    line_offset: int,
    as_of: datetime,
    strict: bool,
    summary: SlaSummary | None,
    rows: bool,
    progress: Callable[[], object] | None,
) -> Iterator[TicketRow | RowError]:
    """:func:`report_log` of the lines of a log file, on the fast path: for CSV, the header
    then the rows; *line_offset* counts the file's rows before these (for a piece of it)."""
    from westcoast_rules._fastpath import FastReplay, Verdict

    log = _RawLog(lines, name, kind, line_offset)
    fast = FastReplay(policy, aware_micros(as_of, "as_of"), _event_in_order)
    zone = policy.calendar.zone
    for group in _groups(log, _RAW_TICKET):
        outcome = fast.replay([item[1] for item in group])
        if outcome is Verdict.NOT_YET:
            continue
        if outcome is Verdict.GIVE_BACK:
            records = [log.record(line, original) for _, _, line, original in group]
            for replayed in replay_log(policy, records, as_of=as_of, strict=strict):
                yield from _reported(policy, replayed, as_of, summary, rows=rows)
        else:
            if summary is not None:
                summary._count(outcome[1], outcome[6], outcome[7])
            if rows:
                yield _ticket_row(outcome, zone)
        if progress is not None:
            progress()


def _report_parallel(
    policy: SupportPolicy,
    path: Path,
    format: str | None,
    as_of: datetime,
    jobs: int,
    *,
    strict: bool,
    summary: SlaSummary | None,
    rows: bool,
    progress: Callable[[], object] | None,
) -> Iterator[TicketRow | RowError]:
    kind = format or _format_of(str(path))
    pieces: Iterator[_parallel.Piece] = iter(())
    if kind in ("csv", "jsonl") and path.is_file():
        pieces = _parallel.split(path, kind)
    first = list(itertools.islice(pieces, 2))
    if len(first) < 2 or first[0].end is None:  # one piece, or none cut: no processes
        yield from report_log(
            policy,
            path,
            as_of=as_of,
            strict=strict,
            summary=summary,
            rows=rows,
            format=format,
            progress=progress,
        )
        return
    results = _parallel.report_pieces(
        policy,
        path,
        kind,
        itertools.chain(first, pieces),
        jobs=jobs,
        as_of=as_of,
        strict=strict,
        rows=rows,
    )
    for result in results:
        if isinstance(result, _parallel.Piece):  # the rest, which could not be cut: stream it
            with _parallel.piece_lines(path, kind, result) as (lines, line_offset):
                yield from _report_lines(
                    policy,
                    lines,
                    str(path),
                    kind,
                    line_offset=line_offset,
                    as_of=as_of,
                    strict=strict,
                    summary=summary,
                    rows=rows,
                    progress=progress,
                )
            continue
        yield from result.items
        if summary is not None:
            summary.merge(result.summary)
        if progress is not None:
            for _ in range(result.tickets):
                progress()
        if result.error is not None:
            raise result.error


def _ticket_row(outcome: Outcome, zone: tzinfo) -> TicketRow:
    ticket, priority, category, lodged, due, responded, response, used, state, tier, at, kind = (
        outcome
    )
    return TicketRow(
        ticket=ticket,
        priority=priority,
        category=category,
        lodged_at=from_micros(lodged, zone),
        response_due=None if due is None else from_micros(due, zone),
        responded_at=None if responded is None else from_micros(responded, zone),
        response=response,
        time_to_respond=None if used is None else timedelta(microseconds=used),
        state=state,
        tier=tier,
        next_deadline=None if at is None else from_micros(at, zone),
        next_deadline_kind=kind,
        bad_rows=0,
    )


def _event_in_order(values: Sequence[str]) -> Event:
    """The reference reading of a row given in the order of :data:`LOG_COLUMNS`."""
    return _event_from_fields(dict(zip(LOG_COLUMNS, values, strict=True)))[1]


_Raw = tuple[str | None, Sequence[str] | None, int, Any]
"""A row as read: its ticket (for grouping), its fields in the order of :data:`LOG_COLUMNS`
(``None`` when they cannot be taken as they are), its line, and the row as the file has it."""
_RAW_TICKET: Final = itemgetter(0)


class _RawLog:
    """The rows of a log with as little reading as grouping needs; :meth:`record` reads one
    fully, as :func:`read_log` would have."""

    def __init__(self, handle: Iterable[str], name: str, kind: str, line_offset: int = 0) -> None:
        self.handle, self.name, self.kind = handle, name, kind
        self.line_offset = line_offset
        """Lines of the file before the handle's own lines (its header aside): for a piece."""
        self.header: list[str] = []

    def __iter__(self) -> Iterator[_Raw]:
        return self._csv() if self.kind == "csv" else self._jsonl()

    def record(self, line: int, original: Any) -> LogRow | RowError:
        if self.kind == "csv":
            return _csv_record(self.name, self.header, line, original)
        return _jsonl_record(self.name, line, original)

    def _csv(self) -> Iterator[_Raw]:
        reader = csv.reader(self.handle)
        header = _csv_header(reader, self.name)
        if header is None:
            return
        self.header = header
        width = len(header)
        ticket = header.index("ticket")
        standard = tuple(header) == LOG_COLUMNS
        reorder = itemgetter(*(header.index(c) if c in header else width for c in LOG_COLUMNS))
        skipped = self.line_offset
        for values in reader:
            if not values:
                continue
            line = reader.line_num + skipped
            if len(values) != width:
                yield values[0] or None, None, line, values
            elif standard:
                yield values[ticket], values, line, values
            else:
                yield values[ticket], reorder([*values, ""]), line, values

    def _jsonl(self) -> Iterator[_Raw]:
        for line, text in enumerate(self.handle, start=self.line_offset + 1):
            if not text.strip():
                continue
            try:
                fields = json.loads(text)
            except ValueError:
                yield None, None, line, text
                continue
            if not isinstance(fields, dict):
                yield None, None, line, text
                continue
            yield _str_or_none(fields.get("ticket")), _in_order(fields), line, text


def _in_order(fields: dict[str, Any]) -> list[str] | None:
    """A JSON object's fields as text in the order of :data:`LOG_COLUMNS`, when they are text
    (or a whole tier) and every key is known; ``None`` otherwise."""
    if not fields.keys() <= _COLUMN_SET:
        return None
    values = []
    for column in LOG_COLUMNS:
        value = fields.get(column)
        if value is None:
            value = ""
        elif type(value) is int and column == "tier":
            value = str(value)
        elif type(value) is not str:
            return None
        values.append(value)
    return values


_COLUMN_SET: Final = frozenset(LOG_COLUMNS)


def sla_report(
    policy: SupportPolicy,
    source: str | Path | IO[str] | Iterable[LogRow | RowError],
    *,
    as_of: datetime,
    strict: bool = False,
    jobs: int = 1,
) -> SlaReport:
    """The SLA report of a whole log, in memory: convenient in a notebook.

    *source* is as for :func:`report_log`, and so are *strict* and *jobs*. For files too
    large to hold, iterate :func:`report_log` with an :class:`SlaSummary`, as the command
    line does.
    """
    summary = SlaSummary()
    rows: list[TicketRow] = []
    errors: list[RowError] = []
    report = report_log(policy, source, as_of=as_of, strict=strict, summary=summary, jobs=jobs)
    for item in report:
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
    return SlaReport(as_of, tuple(rows), summary.priorities(), tuple(errors))


def _records(
    source: str | Path | IO[str] | Iterable[LogRow | RowError],
) -> Iterable[LogRow | RowError]:
    if isinstance(source, str | Path):
        return read_log(source)
    if hasattr(source, "read"):
        return read_log(cast("IO[str]", source))
    return source


# -- what if -----------------------------------------------------------------------------------


class TicketDiff(NamedTuple):
    """How one ticket differs between two policies."""

    ticket: str
    priority: str
    due_before: datetime | None
    due_after: datetime | None
    response_before: str
    response_after: str
    state_before: str
    state_after: str
    auto_resolved_before: datetime | None
    auto_resolved_after: datetime | None
    closed_before: datetime | None
    closed_after: datetime | None

    @property
    def breach_flip(self) -> str | None:
        """``"now_breached"``, ``"no_longer_breached"`` or ``None``."""
        before = self.response_before == "breached"
        after = self.response_after == "breached"
        if before == after:
            return None
        return "now_breached" if after else "no_longer_breached"


@attrs.frozen
class WhatIfReport:
    """The tickets whose outcome changes between two policies, and the breach flips."""

    as_of: datetime
    tickets: int
    changed: tuple[TicketDiff, ...]
    now_breached: int
    no_longer_breached: int
    errors: tuple[RowError, ...]


def _time_of(ticket: Ticket, kind: type) -> datetime | None:
    for event in reversed(ticket.history):
        if isinstance(event, kind):
            return event.at
    return None


def what_if(
    before: SupportPolicy,
    after: SupportPolicy,
    source: str | Path | IO[str] | Iterable[LogRow | RowError],
    *,
    as_of: datetime,
) -> WhatIfReport:
    """Replay the same log under two policies: per-ticket differences and breach flips.

    Compared per ticket: the response due and its status, the state, when the ticket
    auto-resolved (PROC-4) and when it closed (PROC-6). A row refused under either policy is
    reported once in ``errors``.
    """
    changed: list[TicketDiff] = []
    errors: dict[tuple[str, int], RowError] = {}
    tickets = flips_up = flips_down = 0
    for group in _groups(_records(source), _TICKET_OF):
        one = next(replay_log(before, group, as_of=as_of, redecide=True), None)
        two = next(replay_log(after, group, as_of=as_of, redecide=True), None)
        if one is None or two is None:
            continue
        for error in (*one.errors, *two.errors):
            errors.setdefault((error.source, error.line), error)
        if one.ticket is None or two.ticket is None:
            continue
        tickets += 1
        a = report_row(before, one.ticket, as_of)
        b = report_row(after, two.ticket, as_of)
        diff = TicketDiff(
            ticket=a.ticket,
            priority=a.priority,
            due_before=a.response_due,
            due_after=b.response_due,
            response_before=a.response,
            response_after=b.response,
            state_before=a.state,
            state_after=b.state,
            auto_resolved_before=_time_of(one.ticket, AutoResolved),
            auto_resolved_after=_time_of(two.ticket, AutoResolved),
            closed_before=one.ticket.closed_at,
            closed_after=two.ticket.closed_at,
        )
        if _differs(diff):
            changed.append(diff)
            flips_up += diff.breach_flip == "now_breached"
            flips_down += diff.breach_flip == "no_longer_breached"
    return WhatIfReport(
        as_of, tickets, tuple(changed), flips_up, flips_down, tuple(errors.values())
    )


def _differs(diff: TicketDiff) -> bool:
    pairs = (
        (diff.due_before, diff.due_after),
        (diff.response_before, diff.response_after),
        (diff.state_before, diff.state_after),
        (diff.auto_resolved_before, diff.auto_resolved_after),
        (diff.closed_before, diff.closed_after),
    )
    return any(_key(x) != _key(y) for x, y in pairs)


def _key(value: object) -> object:
    return to_micros(value) if isinstance(value, datetime) else value
