"""The event log: its one column schema, its readers, and the reading of a row.

A log has one event per row: the ticket's id, the event's name, its instant, and the fields
the event needs (:data:`LOG_COLUMNS`; :data:`EVENT_COLUMNS` says which event takes which). Every
reader (CSV, JSON Lines) gives the row's values in the order of :data:`LOG_COLUMNS` to one
:class:`RowReader`, which checks them and makes an :class:`Entry` (the row on instants, what
replaying needs) or a :class:`LogRow` (the row as an event record, for users), or a
:class:`RowError` saying what is wrong.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Final, NamedTuple, TypeVar

from westcoast_rules._instants import (
    ParsedInstant,
    ZoneMemo,
    datetime_of,
    micros,
    parse_duration,
    parse_instant,
    to_micros,
)
from westcoast_rules.errors import DataError, WestcoastRulesError
from westcoast_rules.escalation import Tier
from westcoast_rules.events import (
    EVENT_TYPES,
    EVENTS_BY_NAME,
    Event,
    Lodged,
    UpdateTimeframeAgreed,
    check_ticket_id,
    event_at,
)
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category

__all__ = [
    "EVENT_COLUMNS",
    "LOG_COLUMNS",
    "Entry",
    "LodgedFacts",
    "LogRow",
    "RowError",
    "RowReader",
    "entries",
    "entry_of",
    "log_format",
    "opened",
    "read_log",
]

LOG_COLUMNS: Final = ("ticket", "event", "at", "priority", "channel", "tier", "category", "every")
"""The columns of a CSV event log, and the keys of a JSON Lines one."""

REQUIRED_COLUMNS: Final = LOG_COLUMNS[:3]
"""The columns every log has: the ticket, the event and its instant."""

EVENT_COLUMNS: Final = MappingProxyType(
    {
        kind: (
            ("priority", "channel", "tier", "category")
            if kind is Lodged
            else ("every",)
            if kind is UpdateTimeframeAgreed
            else ()
        )
        for kind in EVENT_TYPES
    }
)
"""The columns beyond ticket, event and at that each event takes; the others stay empty."""

_OPTIONAL: Final = LOG_COLUMNS[3:]
_EVENTS: Final = dict(EVENTS_BY_NAME)  # a dict: looked up once a row, twice as fast as the proxy


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


class LodgedFacts(NamedTuple):
    """What a Lodged row decides about its ticket."""

    priority: Priority
    channel: Channel
    tier: Tier
    category: Category


Entry = tuple[str, int, str, type[Event], int, LodgedFacts | None, int | None, Event | None]
"""One good row of a log on instants, what replaying a ticket takes from it: ``(source, line,
ticket, kind, at, facts, every, event)``: the event's type and instant (microseconds since the
epoch), a Lodged row's facts, an UpdateTimeframeAgreed row's timeframe in microseconds, and the
row as an event record where one was made. A plain tuple, the ticket third as in a
:class:`RowError`: a large log makes one per row."""


def entry_of(row: LogRow) -> Entry:
    """The entry of a row already read as an event record."""
    event = row.event
    facts = every = None
    if isinstance(event, Lodged):
        facts = LodgedFacts(event.priority, event.channel, event.tier, event.category)
    elif isinstance(event, UpdateTimeframeAgreed):
        every = micros(event.every)
    return row.source, row.line, row.ticket, type(event), to_micros(event.at), facts, every, event


_Decoded = tuple[str, type[Event], ParsedInstant, LodgedFacts | None, UpdateTimeframeAgreed | None]
"""A row checked: its ticket, event type, instant and facts, and its event record when reading
it needs one (an agreed timeframe, whose record checks the timeframe)."""
_BLANK: Final = (None, "")
"""What an empty field is: nothing in JSON, an empty string in CSV or JSON."""
_FORBIDDEN: Final = {
    kind: tuple((3 + i, column) for i, column in enumerate(_OPTIONAL) if column not in allowed)
    for kind, allowed in EVENT_COLUMNS.items()
}
"""For each event, the columns it does not take, with their places in a row."""


class RowReader:
    """Reads rows given as values in the order of :data:`LOG_COLUMNS`: text, as CSV has them,
    or JSON values (``None`` or ``""`` for an empty field, a whole number for a tier).

    It remembers what many rows share (whether an offset agrees with its zone, the facts of each
    combination of a Lodged row's fields), so reading a large log is cheap; every check is made
    as for the first row.
    """

    def __init__(self, *, text_only: bool = False) -> None:
        self._zones: ZoneMemo = {}
        self._lodged: dict[tuple[Any, ...], LodgedFacts | str] = {}
        self._text_only = text_only
        """Whether every value is text (CSV), so that an empty field is exactly a false one."""

    def entry(self, source: str, line: int, values: Sequence[Any]) -> Entry | RowError:
        """The row as an :class:`Entry`, or a :class:`RowError` saying what is wrong."""
        try:
            ticket, kind, parsed, facts, event = self._decode(values)
        except WestcoastRulesError as exc:
            return RowError(source, line, _text_or_none(values[0]), str(exc))
        every = None if event is None else micros(event.every)
        return source, line, ticket, kind, parsed[0], facts, every, event

    def log_row(self, source: str, line: int, values: Sequence[Any]) -> LogRow | RowError:
        """The row as a :class:`LogRow` with its event record, or a :class:`RowError`."""
        try:
            ticket, kind, parsed, facts, event = self._decode(values)
            record: Event | None = event
            if record is None:
                at = datetime_of(parsed)
                record = event_at(kind, at) if facts is None else Lodged(ticket, at, *facts)
        except WestcoastRulesError as exc:
            return RowError(source, line, _text_or_none(values[0]), str(exc))
        return LogRow(source, line, ticket, record)

    def _decode(self, values: Sequence[Any]) -> _Decoded:
        """The checks of a row, in the order their messages are reported."""
        ticket, name, at_text = values[0], values[1], values[2]
        if not (ticket and name and at_text):
            missing = [
                key for key, value in zip(REQUIRED_COLUMNS, values, strict=False) if not value
            ]
            raise DataError(f"missing {', '.join(missing)}")
        if not (type(ticket) is str or isinstance(ticket, str)) or not isinstance(name, str):
            raise DataError("ticket and event must be strings")
        kind = _EVENTS.get(name)
        if kind is None:
            raise DataError(f"unknown event {name!r}: expected one of {', '.join(EVENTS_BY_NAME)}")
        more = values[3] or values[4] or values[5] or values[6] or values[7]
        if more or not self._text_only:  # fields beyond the instant: are they the event's?
            extra = [column for i, column in _FORBIDDEN[kind] if values[i] not in _BLANK]
            if extra:
                raise DataError(f"{name} takes no {', '.join(extra)}")
        parsed = parse_instant(at_text, self._zones)
        if kind is Lodged:
            facts = self._facts((values[3], values[4], values[5], values[6]))
            return check_ticket_id(ticket), kind, parsed, facts, None
        if kind is UpdateTimeframeAgreed:
            every = parse_duration(values[7] or "")
            return ticket, kind, parsed, None, UpdateTimeframeAgreed(datetime_of(parsed), every)
        return ticket, kind, parsed, None, None

    def _facts(self, values: tuple[Any, ...]) -> LodgedFacts:
        try:
            known = self._lodged.get(values)
        except TypeError:  # an unhashable JSON value: decide it alone
            return _lodged_facts(*values)
        if known is None:
            try:
                known = _lodged_facts(*values)
            except DataError as exc:
                known = str(exc)
            self._lodged[values] = known
        if isinstance(known, str):
            raise DataError(known)
        return known


def _lodged_facts(priority: Any, channel: Any, tier: Any, category: Any) -> LodgedFacts:
    return LodgedFacts(
        _enum(Priority, priority, "priority"),
        _enum(Channel, channel, "channel"),
        Tier(_tier(tier)),
        _enum(Category, category or "service", "category"),
    )


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


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# -- the formats -------------------------------------------------------------------------------

_Item = TypeVar("_Item")
Finish = Callable[[str, int, Sequence[Any]], "_Item | RowError"]
"""What a reader makes of a row: given the file's name, the line and the row's values in the
order of LOG_COLUMNS (:meth:`RowReader.entry` or :meth:`RowReader.log_row`)."""


def log_format(name: str) -> str:
    """The format of a log by its file name: ``"csv"`` or ``"jsonl"``."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise DataError(f"cannot tell the format of {name!r}: name it .csv or .jsonl, or pass format=")


@contextmanager
def opened(source: str | Path | IO[str], format: str | None) -> Iterator[tuple[IO[str], str, str]]:
    """The open log (a file is closed after), its name for messages, and its format."""
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "<stream>")
    fmt = format or log_format(name)
    if fmt not in ("csv", "jsonl"):
        raise DataError(f"unknown log format {fmt!r}: use 'csv' or 'jsonl'")
    if isinstance(source, str | Path):
        with Path(source).open(encoding="utf-8", newline="") as handle:
            yield handle, name, fmt
    else:
        yield source, name, fmt


def _csv_header(reader: Iterator[list[str]], name: str) -> list[str] | None:
    """The header of a CSV log, checked; ``None`` for an empty file."""
    header = next(reader, None)
    if header is None:
        return None
    header = [column.strip() for column in header]
    unknown = [column for column in header if column not in LOG_COLUMNS]
    if unknown or not set(REQUIRED_COLUMNS) <= set(header):
        raise DataError(
            f"the header must name columns of {', '.join(LOG_COLUMNS)} (ticket, event and at at "
            f"least); got {', '.join(header)}",
            source=name,
            line=1,
        )
    return header


def _csv_rows(
    lines: Iterable[str], name: str, line_offset: int, finish: Finish[_Item]
) -> Iterator[_Item | RowError]:
    """The rows of CSV *lines*, the header first; *line_offset* counts rows of the file before
    these (for a piece of a file)."""
    reader = csv.reader(lines)
    header = _csv_header(reader, name)
    if header is None:
        return
    width = len(header)
    if tuple(header) == LOG_COLUMNS:
        ordered = None
    else:  # columns in another order, or some missing: put them in LOG_COLUMNS' order
        ordered = itemgetter(*(header.index(c) if c in header else width for c in LOG_COLUMNS))
    for values in reader:
        if not values:
            continue
        line = reader.line_num + line_offset
        if len(values) != width:
            message = f"{len(values)} fields, expected {width}"
            yield RowError(name, line, values[0] or None, message)
        elif ordered is None:
            yield finish(name, line, values)
        else:
            yield finish(name, line, ordered([*values, ""]))


def _jsonl_rows(
    lines: Iterable[str], name: str, line_offset: int, finish: Finish[_Item]
) -> Iterator[_Item | RowError]:
    """The rows of JSON Lines *lines*; *line_offset* counts lines of the file before these."""
    for line, text in enumerate(lines, start=line_offset + 1):
        if not text.strip():
            continue
        try:
            fields = json.loads(text)
        except ValueError as exc:
            yield RowError(name, line, None, f"not valid JSON: {exc}")
            continue
        if not isinstance(fields, dict):
            yield RowError(name, line, None, "each line must be a JSON object")
            continue
        unknown = sorted(key for key in fields if key not in _COLUMN_SET)
        if unknown:
            ticket = _text_or_none(fields.get("ticket"))
            yield RowError(name, line, ticket, f"unknown keys {unknown}")
            continue
        yield finish(name, line, [fields.get(column) for column in LOG_COLUMNS])


_COLUMN_SET: Final = frozenset(LOG_COLUMNS)
_READERS: Final = {"csv": _csv_rows, "jsonl": _jsonl_rows}


def entries(
    lines: Iterable[str], name: str, fmt: str, line_offset: int = 0
) -> Iterator[Entry | RowError]:
    """Every row of the log *lines* (of file *name*, in format *fmt*) as an :class:`Entry`, or
    a :class:`RowError` when it cannot be used."""
    return _READERS[fmt](lines, name, line_offset, RowReader(text_only=fmt == "csv").entry)


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
    with opened(source, format) as (handle, name, fmt):
        reader = RowReader(text_only=fmt == "csv")
        yield from _READERS[fmt](handle, name, 0, reader.log_row)
