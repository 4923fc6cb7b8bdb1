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
import difflib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Final, NamedTuple, TypeVar

from westcoast_rules._instants import (
    ParsedInstant,
    ZoneMemo,
    datetime_of,
    instant_of,
    micros,
    parse_duration,
    parse_instant,
    to_micros,
)
from westcoast_rules.errors import (
    DataError,
    MissingExtraError,
    NaiveDatetimeError,
    WestcoastRulesError,
    WrongTypeError,
)
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
    "LOG_SUFFIXES",
    "Entry",
    "LodgedFacts",
    "LogRow",
    "RowError",
    "RowReader",
    "check_columns",
    "csv_columns",
    "entries",
    "entry_of",
    "line_ticket",
    "log_entries",
    "log_format",
    "no_events",
    "opened",
    "parquet_file",
    "parquet_rows",
    "parquet_tickets",
    "read_log",
    "record_entries",
    "unreadable",
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
    or JSON values (``None`` or ``""`` for an empty field, a whole number for a tier), or a
    data frame's (an aware datetime for ``at``, a timedelta for ``every``, or, for a value of
    those columns out of range, the :class:`~westcoast_rules.DataError` that says so).

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
        if isinstance(at_text, datetime):  # a data frame's timestamp column
            parsed = instant_of(at_text)
        elif isinstance(at_text, DataError):  # a column's value out of range, as it was read
            raise at_text
        else:
            parsed = parse_instant(at_text, self._zones)
        if kind is Lodged:
            facts = self.facts((values[3], values[4], values[5], values[6]))
            return check_ticket_id(ticket), kind, parsed, facts, None
        if kind is UpdateTimeframeAgreed:
            every = values[7]
            if isinstance(every, DataError):  # a column's value out of range, as it was read
                raise every
            if not isinstance(every, timedelta):  # text, unless a frame's duration column
                every = parse_duration(every or "")
            return ticket, kind, parsed, None, UpdateTimeframeAgreed(datetime_of(parsed), every)
        return ticket, kind, parsed, None, None

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


LOG_SUFFIXES: Final = MappingProxyType(
    {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
)
"""The format of a log file by the end of its name."""


def log_format(name: str) -> str:
    """The format of a log by its file name: ``"csv"``, ``"jsonl"`` or ``"parquet"``."""
    fmt = LOG_SUFFIXES.get(Path(name).suffix.lower())
    if fmt is not None:
        return fmt
    raise DataError(
        f"cannot tell the format of {name!r}: name it .csv, .jsonl or .parquet, or pass format="
    )


@contextmanager
def opened(source: str | Path | IO[str], format: str | None) -> Iterator[tuple[IO[str], str, str]]:
    """The open log (a file is closed after), its name for messages, and its format.

    A file is read as UTF-8, its lines split on ``\\n`` only (so every reader, and the cutting
    of a file into pieces, counts the same lines); bytes that are not UTF-8 are kept for the
    reader to report as a bad row, not to stop it.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        name = str(source)
        fmt = format or log_format(name)
        _check_format(fmt)
        try:
            handle = path.open(encoding="utf-8", errors="surrogateescape", newline="\n")
        except OSError as exc:
            raise unreadable(name, exc) from None
        with handle:
            yield handle, name, fmt
        return
    if not hasattr(source, "read"):
        raise WrongTypeError(
            f"a log is a path, an open text stream or read_log's records, got {source!r}"
        )
    name = getattr(source, "name", "<stream>")
    fmt = format or log_format(str(name))
    _check_format(fmt)
    yield source, str(name), fmt


def unreadable(name: str, error: OSError) -> DataError:
    """What to say of a log file that cannot be opened."""
    if isinstance(error, IsADirectoryError):
        return DataError(f"{name} is a directory: give the path of a log file")
    return DataError(f"cannot read the log {name}: {error.strerror or error}")


def _check_format(fmt: str) -> None:
    if fmt not in _READERS and fmt != "parquet":
        raise DataError(f"unknown log format {fmt!r}: use 'csv', 'jsonl' or 'parquet'")


_BOM: Final = "\ufeff"


def csv_columns(text: str) -> list[str]:
    """The column names of a CSV header line as a log's header is read: a byte order mark,
    spaces and capitals forgiven."""
    fields = next(csv.reader([text.removeprefix(_BOM)]), [])
    return [column.strip().lower() for column in fields]


def line_ticket(text: str, columns: Sequence[str]) -> str | None:
    """The ticket of a CSV line that is no good row, as a log's grouping sees it, read without
    a CSV parser (as the cutting of a file into pieces reads it): its ticket column when it
    splits into the header's columns, else its first field; ``None`` when that is empty."""
    values = text.rstrip("\r\n").split(",")
    if len(values) == len(columns):
        return values[columns.index("ticket")] or None
    return values[0] or None


def _csv_header(text: str, name: str) -> list[str]:
    """The columns a CSV log's header names, checked: a byte order mark, spaces and capitals
    are forgiven; a column the log does not have is refused, by name."""
    if not text.strip():
        raise DataError(
            f"the first line is empty: a CSV log starts with its header, {','.join(LOG_COLUMNS)}",
            source=name,
            line=1,
        )
    try:
        header = csv_columns(text)
    except csv.Error as exc:
        raise DataError(f"the header is not a CSV row: {exc}", source=name, line=1) from None
    check_columns(header, "the header", source=name, line=1)
    return header


def check_columns(
    columns: Sequence[str], where: str, *, source: str | None = None, line: int | None = None
) -> None:
    """Check the column names of a log (a CSV header's, a data frame's), given in lower case:
    each a column of :data:`LOG_COLUMNS`, once, and ticket, event and at among them. A column
    the log does not have is refused, by name, with the nearest one it might mean."""
    unknown = [column for column in columns if column not in _COLUMN_SET]
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


_CONTINUATION: Final = 16
"""How many lines one CSV record may span: a quoted field may hold a line break, but a stray
quote must not swallow the rest of a log."""

_Line = tuple[int, str]


class _Lines:
    """Numbered lines for a CSV parser: it takes them one by one, and a record's lines that do
    not make a record are given back, to be read again from the second."""

    def __init__(self, lines: Iterator[str], first: int) -> None:
        self._source = lines
        self._given_back: deque[_Line] = deque()
        self._number = first - 1
        self.taken: list[_Line] = []
        """The lines the parser took since the last record."""
        self.capped = False
        """Whether the parser was refused a line: a record longer than _CONTINUATION."""

    def feed(self) -> Iterator[str]:
        self.capped = False
        while True:
            if len(self.taken) > _CONTINUATION:
                self.capped = True
                return
            if self._given_back:
                line = self._given_back.popleft()
            else:
                text = next(self._source, None)
                if text is None:
                    return
                self._number += 1
                line = (self._number, text)
            self.taken.append(line)
            yield line[1]

    def record(self) -> list[_Line]:
        """The lines of the record just parsed."""
        taken, self.taken = self.taken, []
        return taken

    def give_back(self, lines: list[_Line]) -> None:
        self._given_back.extendleft(reversed(lines))


def _csv_rows(
    lines: Iterable[str], name: str, line_offset: int, finish: Finish[_Item]
) -> Iterator[_Item | RowError]:
    """The rows of CSV *lines*, the header first; *line_offset* counts the file's lines before
    the second of these (for a piece of a file, whose header is the file's first line)."""
    source = iter(lines)
    first = next(source, None)
    if first is None:
        return
    header = _csv_header(first, name)
    width = len(header)
    if tuple(header) == LOG_COLUMNS:
        ordered = None
    else:  # columns in another order, or some missing: put them in LOG_COLUMNS' order
        ordered = itemgetter(*(header.index(c) if c in header else width for c in LOG_COLUMNS))
    physical = _Lines(source, line_offset + 2)

    def record(taken: list[_Line], values: list[str]) -> _Item | RowError:
        line, text = taken[-1]  # a record over several lines is counted at its last
        undecodable = _undecodable(taken)
        if undecodable:
            return RowError(name, line, line_ticket(text, header), undecodable)
        if len(values) != width:
            message = (
                _UNCLOSED if text.count('"') % 2 else f"{len(values)} fields, expected {width}"
            )
            return RowError(name, line, line_ticket(text, header), message)
        return finish(name, line, values if ordered is None else ordered([*values, ""]))

    while True:
        reader = csv.reader(physical.feed())
        try:
            for values in reader:
                taken = physical.record()
                if len(taken) > 1 and (
                    len(values) != width
                    or physical.capped
                    or sum(text.count('"') for _, text in taken) % 2  # closed by the end
                ):
                    # A quote that does not close on its line: that line is the bad row, and
                    # the lines the parser took after it are read again.
                    yield RowError(name, taken[0][0], line_ticket(taken[0][1], header), _UNCLOSED)
                    physical.give_back(taken[1:])
                    break
                if values:  # not an empty line
                    yield record(taken, values)
            else:
                return
        except csv.Error as exc:
            taken = physical.record()
            problem = _csv_problem(exc, taken)
            yield RowError(name, taken[0][0], line_ticket(taken[0][1], header), problem)
            physical.give_back(taken[1:])


_UNCLOSED: Final = (
    'unclosed quote ("): a quoted field must end with a quote on the same line; the rows '
    "after this line are read as usual"
)


def _csv_problem(error: csv.Error, taken: list[_Line]) -> str:
    if len(taken) > 1:
        return _UNCLOSED
    if "new-line" in str(error):
        return "a carriage return (\\r) inside a field; end lines with \\n or \\r\\n"
    return f"not a CSV row: {error}"


def _undecodable(lines: Iterable[_Line]) -> str | None:
    """What is wrong with lines holding bytes that are not UTF-8 (kept by surrogateescape)."""
    for _, text in lines:
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                byte = ord(text[exc.start]) - 0xDC00
                return (
                    f"the byte 0x{byte:02x} at column {exc.start + 1} is not UTF-8; save the "
                    "log as UTF-8"
                )
    return None


def _jsonl_rows(
    lines: Iterable[str], name: str, line_offset: int, finish: Finish[_Item]
) -> Iterator[_Item | RowError]:
    """The rows of JSON Lines *lines*; *line_offset* counts lines of the file before these."""
    for line, raw in enumerate(lines, start=line_offset + 1):
        text = raw.removeprefix(_BOM) if line == 1 else raw
        if not text.strip():
            continue
        undecodable = _undecodable([(line, text)])
        if undecodable:
            yield RowError(name, line, None, undecodable)
            continue
        try:
            fields = json.loads(text)
        except (ValueError, RecursionError) as exc:
            yield RowError(name, line, None, f"not valid JSON: {exc}")
            continue
        if not isinstance(fields, dict):
            yield RowError(name, line, None, "each line must be a JSON object")
            continue
        unknown = sorted(key for key in fields if key not in _COLUMN_SET)
        if unknown:
            ticket = _text_or_none(fields.get("ticket"))
            yield RowError(
                name, line, ticket, f"unknown keys {unknown}: use {', '.join(LOG_COLUMNS)}"
            )
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


def record_entries(records: Iterable[LogRow | RowError]) -> Iterator[Entry | RowError]:
    """The entries of rows read as event records (:func:`read_log`)."""
    for record in records:
        if isinstance(record, RowError):
            yield record
        elif isinstance(record, LogRow):
            yield entry_of(record)
        else:
            raise WrongTypeError(
                f"the records of a log are read_log's LogRow and RowError, got {record!r}"
            )


@contextmanager
def log_entries(
    source: str | Path | IO[str] | Iterable[LogRow | RowError], format: str | None = None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of a log, however it is given (a file is closed after). A log without a
    single row is refused: a report of nothing is more likely a wrong file than a quiet week."""
    if isinstance(source, str | Path) or hasattr(source, "read"):
        with _file_rows(source, format, "entry") as (rows, name):  # type: ignore[arg-type]
            yield _not_empty(rows, name)
        return
    if hasattr(source, "columns") or isinstance(source, bytes) or not isinstance(source, Iterable):
        raise WrongTypeError(
            f"a log is a path, an open text stream or read_log's records, got "
            f"{type(source).__name__}; for a data frame of log rows use "
            "westcoast_rules.frames.report(policy, frame, as_of=...)"
        )
    yield _not_empty(record_entries(source), "the log")


def _not_empty(items: Iterator[_Item], name: str) -> Iterator[_Item]:
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        raise DataError(no_events(name))


def no_events(name: str) -> str:
    """What to say of a log without a single row."""
    return f"{name} holds no events: not one row after its header; is it the right file?"


@contextmanager
def _file_rows(
    source: str | Path | IO[str], format: str | None, make: str
) -> Iterator[tuple[Iterator[Any], str]]:
    """The rows of a log file or stream, each made by :class:`RowReader`'s method *make*
    (``"entry"`` or ``"log_row"``), and the log's name for messages."""
    if isinstance(source, str | Path) and (format or log_format(str(source))) == "parquet":
        reader = RowReader()
        yield parquet_rows(Path(source), str(source), getattr(reader, make)), str(source)
        return
    with opened(source, format) as (handle, name, fmt):
        if fmt == "parquet":
            raise WrongTypeError(
                f"a Parquet log is read from its path, not from a stream: give the path of {name}"
            )
        reader = RowReader(text_only=fmt == "csv")
        yield _READERS[fmt](handle, name, 0, getattr(reader, make)), name


def read_log(
    source: str | Path | IO[str], *, format: str | None = None
) -> Iterator[LogRow | RowError]:
    """Each row of an event log: a :class:`LogRow`, or a :class:`RowError` when unreadable.

    *format* is ``"csv"``, ``"jsonl"`` or ``"parquet"`` (a path only; it needs pyarrow); by
    default it follows the file's suffix.

    >>> import io
    >>> lines = ["ticket,event,at", "WC-1,Resolved,2026-11-23T12:00:00+00:00"]
    >>> next(read_log(io.StringIO(chr(10).join(lines)), format="csv")).event
    Resolved(at=datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc))
    """
    with _file_rows(source, format, "log_row") as (rows, _):
        yield from rows


# -- Parquet -----------------------------------------------------------------------------------

_BATCH_ROWS: Final = 65_536
"""How many rows of a Parquet log are read at once."""


def _parquet_module() -> Any:
    try:
        import pyarrow.parquet  # noqa: PLC0415 - an optional dependency, for Parquet logs only
    except ImportError as missing:
        raise MissingExtraError(
            f"reading a Parquet log needs pyarrow ({missing.name} is missing): "
            'pip install "westcoast-rules[dask]", or pip install pyarrow'
        ) from missing
    return pyarrow.parquet


def parquet_file(path: Path, name: str) -> tuple[Any, dict[str, int]]:
    """A Parquet log opened (a ``pyarrow.parquet.ParquetFile``), and the place of each of its
    log columns, its column names checked as a CSV header's are."""
    parquet = _parquet_module()
    try:
        handle = parquet.ParquetFile(path)
    except OSError as exc:
        raise unreadable(name, exc) from None
    except ValueError as exc:  # pyarrow.ArrowInvalid: not Parquet
        raise DataError(f"{name} is not a Parquet file: {exc}") from None
    names = [column.strip().lower() for column in handle.schema_arrow.names]
    check_columns(names, "the Parquet log's columns", source=name)
    return handle, {column: i for i, column in enumerate(names)}


def parquet_rows(
    path: Path,
    name: str,
    finish: Finish[_Item],
    row_group: int | None = None,
) -> Iterator[_Item | RowError]:
    """The rows of a Parquet log, numbered from 1 (a Parquet file has no header line), or of
    one of its row groups, numbered as in the file: ``at`` a zoned timestamp column (a tz-naive
    one is refused, HOURS-5) or text, ``every`` a duration column or ISO 8601 text, the rest as
    in CSV."""
    handle, places = parquet_file(path, name)
    line = 1
    groups = None
    if row_group is not None:
        groups = [row_group]
        line += sum(handle.metadata.row_group(i).num_rows for i in range(row_group))
    batches = _undamaged(handle.iter_batches(batch_size=_BATCH_ROWS, row_groups=groups), name)
    for batch in batches:
        length = batch.num_rows
        columns = [
            [None] * length
            if column not in places
            else _parquet_values(batch.column(places[column]), column, name)
            for column in LOG_COLUMNS
        ]
        for values in zip(*columns, strict=True):
            yield finish(name, line, values)
            line += 1


def _parquet_values(array: Any, column: str, name: str) -> list[Any]:
    """A Parquet column's values as the row reader takes them."""
    import pyarrow  # noqa: PLC0415 - imported by _parquet_module before any column is read

    kind = array.type
    if column == "at" and pyarrow.types.is_timestamp(kind):
        if kind.tz is None:
            raise NaiveDatetimeError(
                f"{name}: column 'at' holds timestamps without a time zone, which name no "
                "instant (HOURS-5); write them with their zone (e.g. UTC)"
            )
        return _time_values(array, column)
    if column == "every" and pyarrow.types.is_duration(kind):
        return _time_values(array, column)
    values: list[Any] = array.to_pylist()
    if column == "tier" and pyarrow.types.is_floating(kind):
        return [int(v) if v is not None and float(v).is_integer() else v for v in values]
    return values


def _undamaged(batches: Iterator[Any], name: object) -> Iterator[Any]:
    """The batches of a Parquet file as pyarrow reads them; a damaged page (corrupt compressed
    data, a bad header) is a DataError naming the file, not an OSError from deep inside."""
    try:
        yield from batches
    except (OSError, ValueError) as exc:  # ValueError: pyarrow.ArrowInvalid
        raise DataError(
            f"{name} is a damaged Parquet file ({str(exc).strip() or type(exc).__name__}): "
            "write it again, or read what is left with pyarrow"
        ) from None


def _time_values(array: Any, column: str) -> list[Any]:
    """A Parquet column of instants or durations in its own unit, range-checked before it is
    scaled (a value out of range is a bad row, never wrapped into a plausible one)."""
    try:
        from westcoast_rules._array_instants import row_values  # noqa: PLC0415 - needs numpy
    except ImportError as missing:
        raise MissingExtraError(
            f"reading times from a Parquet log needs numpy ({missing.name} is missing): "
            'pip install "westcoast-rules[dask]", or pip install pyarrow numpy'
        ) from missing
    return row_values(array.to_numpy(zero_copy_only=False), column)


def parquet_tickets(path: Path) -> Iterator[str | None]:
    """The ticket of each row of a Parquet log, read alone."""
    handle, places = parquet_file(path, str(path))
    name = handle.schema_arrow.names[places["ticket"]]
    for batch in _undamaged(handle.iter_batches(batch_size=_BATCH_ROWS, columns=[name]), path):
        for ticket in batch.column(0).to_pylist():
            yield ticket if isinstance(ticket, str) and ticket else None
