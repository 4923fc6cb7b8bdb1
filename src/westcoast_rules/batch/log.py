"""The event log's one column schema, and the reading of one row.

A log has one event per row: the ticket's id, the event's name, its instant, and the fields
the event needs (:data:`LOG_COLUMNS`; :data:`EVENT_COLUMNS` says which event takes which). Every
reader (CSV and JSON Lines in :mod:`~westcoast_rules.batch._text`, Parquet in
:mod:`~westcoast_rules.batch._parquet`, a data frame's rows in :mod:`westcoast_rules.frames`)
gives the row's values in the order of :data:`LOG_COLUMNS` to one :class:`RowReader`, which
checks them and makes an :class:`Entry` (the row on instants, what replaying needs) or a
:class:`LogRow` (the row as an event record, for users), or a :class:`RowError` saying what is
wrong. Nothing here opens a file: :mod:`~westcoast_rules.batch.sources` does.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any, Final, NamedTuple, TypeVar

from westcoast_rules._choices import choose
from westcoast_rules._instants import (
    CLOCKS,
    DayMemo,
    ParsedInstant,
    ZoneMemo,
    datetime_of,
    instant_micros,
    instant_of,
    micros,
    parse_duration,
    parse_instant,
    to_micros,
)
from westcoast_rules.batch._files import log_format as log_format  # noqa: PLC0414 (frames')
from westcoast_rules.errors import DataError, WestcoastRulesError, WrongTypeError
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

__all__ = ["LOG_COLUMNS", "LogRow", "RowError"]

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
_PLAIN: Final = frozenset(kind for kind, columns in EVENT_COLUMNS.items() if not columns)
"""The events that take no field beyond ticket, event and at: most rows of a log."""
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


class Entry(NamedTuple):
    """One good row of a log on instants, what replaying a ticket takes from it. Its first
    three fields are a :class:`RowError`'s, so either tells its ``ticket`` the same way."""

    source: str
    line: int
    ticket: str
    kind: type[Event]
    """The event's type."""
    at: int
    """The event's instant, in microseconds since the epoch."""
    facts: LodgedFacts | None
    """A Lodged row's facts; ``None`` for any other event."""
    every: int | None
    """An UpdateTimeframeAgreed row's timeframe, in microseconds; ``None`` for any other."""
    event: Event | None
    """The row as an event record, where one was made."""


_entry: Final = tuple.__new__
"""Makes an :class:`Entry` from a tuple of its fields as fast as a plain tuple is made (a large
log makes one per row): ``_entry(Entry, (...))``, the fields in order."""


def entry_of(row: LogRow) -> Entry:
    """The entry of a row already read as an event record."""
    event = row.event
    facts = every = None
    if isinstance(event, Lodged):
        facts = LodgedFacts(event.priority, event.channel, event.tier, event.category)
    elif isinstance(event, UpdateTimeframeAgreed):
        every = micros(event.every)
    return Entry(
        row.source, row.line, row.ticket, type(event), to_micros(event.at), facts, every, event
    )


def record_entries(records: Iterable[LogRow | RowError]) -> Iterator[Entry | RowError]:
    """The entries of rows read as event records (:func:`~westcoast_rules.batch.read_log`)."""
    for record in records:
        if isinstance(record, RowError):
            yield record
        elif isinstance(record, LogRow):
            yield entry_of(record)
        else:
            raise WrongTypeError(
                f"the records of a log are read_log's LogRow and RowError, got {record!r}"
            )


_BLANK: Final = (None, "")
"""What an empty field is: nothing in JSON, an empty string in CSV or JSON."""
_FORBIDDEN: Final = {
    kind: tuple((3 + i, column) for i, column in enumerate(_OPTIONAL) if column not in allowed)
    for kind, allowed in EVENT_COLUMNS.items()
}
"""For each event, the columns it does not take, with their places in a row."""


class RowReader:
    """Reads rows given as values in the order of :data:`LOG_COLUMNS`: text, as CSV has them,
    or JSON values (``None`` or ``""`` for an empty field, a whole number for a tier), or a
    data frame's (an aware datetime for ``at``, a timedelta for ``every``, or, for a value of
    those columns out of range, the :class:`~westcoast_rules.DataError` that says so).

    It remembers what many rows share (whether an offset agrees with its zone, the facts of each
    combination of a Lodged row's fields), so reading a large log is cheap; every check is made
    as for the first row.
    """

    def __init__(self, *, text_only: bool = False, records: bool = False) -> None:
        self._zones: ZoneMemo = {}
        self._days: DayMemo = {}
        self._lodged: dict[tuple[Any, ...], LodgedFacts | str] = {}
        self._text_only = text_only
        """Whether every value is text (CSV), so that an empty field is exactly a false one."""
        self._records = records
        """Whether each entry holds its row's event record, for :meth:`log_row`."""
        self._alone: frozenset[type[Event]] = _PLAIN if text_only and not records else frozenset()
        """The events whose entry needs the instant alone, of a row of text whose fields
        beyond the instant are empty."""
        self.row: Callable[[str, int, Sequence[Any]], Any] = self.log_row if records else self.entry
        """What a reader of a file makes of each row: :meth:`log_row` for *records*, else
        :meth:`entry`."""

    def columns(
        self, names: Sequence[str], where: str, *, source: str, line: int | None = None
    ) -> list[int | None]:
        """The place of each column of :data:`LOG_COLUMNS` among a file's column *names*
        (given in lower case), ``None`` where the file has none; the names checked first
        (:func:`check_columns`)."""
        check_columns(names, where, source=source, line=line)
        return [names.index(column) if column in names else None for column in LOG_COLUMNS]

    def entry(  # noqa: PLR0912  (a row's whole reading in one frame: a call a row costs)
        self, source: str, line: int, values: Sequence[Any]
    ) -> Entry | RowError:
        """The row as an :class:`Entry`, or a :class:`RowError` saying what is wrong: the
        checks of a row, in the order their messages are reported. With *records*, its
        ``event`` is the row's event record (which :meth:`log_row` gives)."""
        ticket, name, at_text, priority, channel, tier, category, every_text = values
        try:
            if not (ticket and name and at_text):
                raise _missing(values)
            if not self._text_only and not (isinstance(ticket, str) and isinstance(name, str)):
                raise DataError("ticket and event must be strings")
            try:
                kind = _EVENTS[name]
            except KeyError:
                raise DataError(
                    f"unknown event {name!r}: expected one of {', '.join(EVENTS_BY_NAME)}"
                ) from None
            if priority or channel or tier or category or every_text or not self._text_only:
                _takes(kind, name, values)  # fields beyond the instant: are they the event's?
                alone = False
            else:
                alone = kind in self._alone  # the common row of a CSV log: its instant alone
            parsed: ParsedInstant | None = None
            if alone or not (
                type(at_text) is not str or self._records or kind is UpdateTimeframeAgreed
            ):  # the instant alone, of text as every CSV and most JSON and Parquet logs have
                try:  # a day remembered, read by its clock (the one place: see DayMemo)
                    at = self._days[at_text[:11] + at_text[19:]] + CLOCKS[at_text[11:19]]  # type: ignore[operator]
                except (KeyError, TypeError):  # a new day or clock, or a day not so read
                    at = instant_micros(at_text, self._days, self._zones)
                if alone or kind in _PLAIN:
                    return _entry(Entry, (source, line, ticket, kind, at, None, None, None))
            else:  # not text, or its datetime wanted
                parsed = self._instant(at_text)
                at = parsed[0]
            facts = every = None
            event: Event | None = None
            if kind is Lodged:
                facts = self.facts((priority, channel, tier, category))
                ticket = check_ticket_id(ticket)
            elif kind is UpdateTimeframeAgreed:
                assert parsed is not None
                event = UpdateTimeframeAgreed(datetime_of(parsed), _timeframe(every_text))
                every = micros(event.every)
            if self._records and event is None:
                assert parsed is not None
                at_datetime = datetime_of(parsed)
                event = (
                    event_at(kind, at_datetime)
                    if facts is None
                    else Lodged(ticket, at_datetime, *facts)
                )
        except WestcoastRulesError as exc:
            return RowError(source, line, text_or_none(ticket), str(exc))
        return _entry(Entry, (source, line, ticket, kind, at, facts, every, event))

    def log_row(self, source: str, line: int, values: Sequence[Any]) -> LogRow | RowError:
        """The row as a :class:`LogRow` with its event record, or a :class:`RowError` (a
        reader made with *records*)."""
        read = self.entry(source, line, values)
        if isinstance(read, RowError):
            return read
        assert read.event is not None
        return LogRow(source, line, read.ticket, read.event)

    def _instant(self, value: Any) -> ParsedInstant:
        """The instant of an ``at`` value, with its datetime."""
        if type(value) is str:  # text, as every CSV and most JSON and Parquet logs have
            return parse_instant(value, self._zones)
        if isinstance(value, datetime):  # a data frame's timestamp column
            return instant_of(value)
        if isinstance(value, DataError):  # a column's value out of range, as it was read
            raise value
        return parse_instant(value, self._zones)  # which refuses it, saying what it is

    def facts(self, values: tuple[Any, ...]) -> LodgedFacts:
        """The facts of a Lodged row's priority, channel, tier and category, checked (a
        :class:`~westcoast_rules.DataError` says what is wrong), remembered per combination."""
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


def _takes(kind: type[Event], name: str, values: Sequence[Any]) -> None:
    """Refuse a row with a field beyond ticket, event and at that its event *kind* does not
    take, naming each."""
    for place, _ in _FORBIDDEN[kind]:
        if values[place] not in _BLANK:
            extra = [column for i, column in _FORBIDDEN[kind] if values[i] not in _BLANK]
            raise DataError(f"{name} takes no {', '.join(extra)}")


def _timeframe(value: Any) -> timedelta:
    """An UpdateTimeframeAgreed row's ``every``: text, unless a frame's duration column."""
    if isinstance(value, DataError):  # a column's value out of range, as it was read
        raise value
    return value if isinstance(value, timedelta) else parse_duration(value or "")


def _missing(values: Sequence[Any]) -> DataError:
    missing = [key for key, value in zip(REQUIRED_COLUMNS, values, strict=False) if not value]
    return DataError(f"missing {', '.join(missing)}")


def _lodged_facts(priority: Any, channel: Any, tier: Any, category: Any) -> LodgedFacts:
    return LodgedFacts(
        choose(Priority, priority, "(column priority)"),
        choose(Channel, channel, "(column channel)"),
        Tier.TIER_1 if tier in _BLANK else choose(Tier, tier, "(column tier)"),
        choose(Category, category or "service", "(column category)"),
    )


def text_or_none(value: Any) -> str | None:
    """*value* when it is text that is not empty, else ``None``: a bad row's ticket."""
    return value if isinstance(value, str) and value else None


_Item = TypeVar("_Item")
Finish = Callable[[str, int, Sequence[Any]], "_Item | RowError"]
"""What a reader makes of a row: given the file's name, the line and the row's values in the
order of LOG_COLUMNS (:meth:`RowReader.entry` or :meth:`RowReader.log_row`)."""

COLUMN_SET: Final = frozenset(LOG_COLUMNS)
"""The columns of a log, as a set."""


def check_columns(
    columns: Sequence[str], where: str, *, source: str | None = None, line: int | None = None
) -> None:
    """Check the column names of a log (a CSV header's, a data frame's), given in lower case:
    each a column of :data:`LOG_COLUMNS`, once, and ticket, event and at among them. A column
    the log does not have is refused, by name, with the nearest one it might mean."""
    unknown = [column for column in columns if column not in COLUMN_SET]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    doubled = sorted({column for column in columns if columns.count(column) > 1})
    if unknown or missing or doubled:
        problems = []
        for column in unknown:
            near = difflib.get_close_matches(column, LOG_COLUMNS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            problems.append(f"unknown column {column!r}{hint}")
        problems += [f"no {column!r} column" for column in missing]
        problems += [f"column {column!r} twice" for column in doubled]
        raise DataError(
            f"{where} must name columns of {', '.join(LOG_COLUMNS)} (ticket, event and at at "
            f"least): {'; '.join(problems)}; rename or remove them. An unknown column is "
            "refused rather than ignored: a misspelt one would quietly change the report",
            source=source,
            line=line,
        )
