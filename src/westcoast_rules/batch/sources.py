"""A log as the reports read it: however it is given, each ticket's rows together, in time order.

A log's rows are replayed ticket by ticket, each ticket's rows in time order. Every way a log
is given (a file, several files, a stream, :func:`read_log`'s records; a data frame's rows and
Dask's partitions in :mod:`westcoast_rules.frames`) goes through one grouping,
:func:`by_ticket`, whose rules are these:

- Each ticket's rows are replayed together, the tickets in the order their first rows come.
- A ticket's rows are put in time order, stably: rows at one instant keep the log's order. A
  row that could not be read (a :class:`RowError`: no instant to sort it by) keeps its place
  among its ticket's rows, and the good rows around it are put in time order; it is reported
  with its file and line and moves no other row.
- A row that carries no ticket (its ticket cell empty, or no ticket could be read from it) is
  a bad row of no ticket: reported on its own, where it stands, and counted with no ticket.
  So the same rows give the same report in any order, within a ticket and between tickets.

A log given by its paths is first scanned for its tickets alone (:func:`tickets_together`):
when each ticket's rows are together it is streamed, one ticket at a time, and memory stays
flat whatever its size; when not (a log in time order, as helpdesks export them), every row
is read into memory and grouped first. A small file (one piece, :data:`_SMALL`) is grouped in
memory without a scan. A stream or :func:`read_log`'s records cannot be read twice: they are
always read into memory and grouped. The memory this costs is measured in the how-to
"Reports larger than one machine".
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, Final, TypeAlias

from westcoast_rules.batch import pieces
from westcoast_rules.batch._parquet import parquet_file, parquet_rows, parquet_tickets
from westcoast_rules.batch._text import READERS, entries, opened
from westcoast_rules.batch.log import (
    LOG_SUFFIXES,
    Entry,
    LogRow,
    RowError,
    RowReader,
    entry_of,
    log_format,
    no_events,
    unreadable,
)
from westcoast_rules.errors import DataError, WrongTypeError

__all__ = [
    "LogSource",
    "TicketRows",
    "by_ticket",
    "in_time_order",
    "read_log",
    "tickets_together",
]

LogSource: TypeAlias = str | Path | Sequence[str | Path] | IO[str] | Iterable[LogRow | RowError]
"""A log as the reports take it: a path, several paths (one log, read in their order), an
open text stream, or :func:`~westcoast_rules.batch.read_log`'s records."""

TicketRows: TypeAlias = list[Entry | RowError]
"""The rows of one ticket, in time order; or one bad row of no ticket, alone."""


# -- the one grouping --------------------------------------------------------------------------

_AT: Final = attrgetter("at")


def in_time_order(rows: list[Entry | RowError]) -> list[Entry | RowError]:
    """One ticket's rows in time order, stably; a bad row keeps its place among them, the good
    rows around it in time order. Rows already in order are given back as they are."""
    try:
        previous = rows[0].at  # type: ignore[union-attr]
        for row in rows:
            at = row.at  # type: ignore[union-attr]
            if at < previous:
                break
            previous = at
        else:
            return rows  # the common case: nothing to move
    except AttributeError:  # a bad row, which has no instant: see below
        pass
    except IndexError:
        return rows  # no rows
    # A bad row keeps its place; the good rows fill the others in time order.
    placed = iter(sorted((row for row in rows if not isinstance(row, RowError)), key=_AT))
    return [row if isinstance(row, RowError) else next(placed) for row in rows]


def by_ticket(items: Iterable[Entry | RowError], *, together: bool = False) -> Iterator[TicketRows]:
    """The rows of each ticket together, in time order, the tickets in the order their first
    rows come; a row of no ticket alone, where it stands (the rules are in this module's
    docstring). With *together* (the rows of each ticket are known to be together: a file
    scanned, a piece of one), each ticket is given as soon as its rows end, so memory stays
    flat; otherwise every row is held first.

    >>> from westcoast_rules.batch import RowError
    >>> rows = [RowError("log", 1, "A", ""), RowError("log", 2, None, ""),
    ...         RowError("log", 3, "B", ""), RowError("log", 4, "A", "")]
    >>> [[row.line for row in group] for group in by_ticket(rows)]
    [[1, 4], [2], [3]]
    """
    if together:
        return _runs(items)
    return _held(items)


def _runs(items: Iterable[Entry | RowError]) -> Iterator[TicketRows]:
    """:func:`by_ticket` of rows whose tickets come together."""
    group: TicketRows = []
    loose: list[TicketRows] = []  # rows of no ticket met during the current ticket's rows
    current: str | None = None
    for item in items:
        ticket = item.ticket
        if ticket is None:
            if group:
                loose.append([item])
            else:
                yield [item]
            continue
        if ticket != current:
            if group:
                yield in_time_order(group)
                yield from loose
                loose = []
            group = []
            current = ticket
        group.append(item)
    if group:
        yield in_time_order(group)
    yield from loose


def _held(items: Iterable[Entry | RowError]) -> Iterator[TicketRows]:
    """:func:`by_ticket` of rows in any order: every row held, then grouped."""
    groups: list[TicketRows] = []
    tickets: dict[str, TicketRows] = {}
    for item in items:
        ticket = item.ticket
        if ticket is None:
            groups.append([item])
            continue
        rows = tickets.get(ticket)
        if rows is None:
            rows = tickets[ticket] = []
            groups.append(rows)
        rows.append(item)
    del tickets
    # Given back one at a time, each let go once given, so a report holds no row twice.
    groups.reverse()
    while groups:
        yield in_time_order(groups.pop())


# -- a log, however it is given ----------------------------------------------------------------


def log_paths(source: object) -> list[Path] | None:
    """The paths of a log given as a path or a list or tuple of paths; ``None`` otherwise. In
    a list, text is a path when it ends as a log file's name does (``.csv``, ``.jsonl``,
    ``.parquet``, ...): a list of CSV lines is not taken for file names."""
    if isinstance(source, str | Path):
        return [Path(source)]
    if isinstance(source, list | tuple) and source and all(map(_is_path, source)):
        return [Path(item) for item in source]
    return None


def _is_path(item: object) -> bool:
    return isinstance(item, Path) or (
        isinstance(item, str) and Path(item).suffix.lower() in LOG_SUFFIXES
    )


def tickets_together(paths: Sequence[Path], format: str | None = None) -> bool:
    """Whether each ticket's rows come together in the log of *paths* (read in their order),
    from a scan of the tickets alone; a row of no known ticket belongs to none."""
    seen: set[str] = set()
    current: str | None = None
    for path in paths:
        fmt = format or log_format(str(path))
        tickets = parquet_tickets(path) if fmt == "parquet" else pieces.line_tickets(path, fmt)
        for ticket in tickets:
            if ticket is None or ticket == current:
                continue
            if ticket in seen:
                return False
            seen.add(ticket)
            current = ticket
    return True


@contextmanager
def ticket_rows(
    source: LogSource, format: str | None = None, *, together: bool | None = None
) -> Iterator[Iterator[TicketRows]]:
    """The rows of each ticket of a log, together and in time order (:func:`by_ticket`),
    however the log is given (files are closed after). *together* is what
    :func:`tickets_together` said of a log given by its paths, when already asked."""
    paths = log_paths(source)
    if paths is None:  # a stream or records: read once, so held and grouped
        with _entries(source, format) as log:  # type: ignore[arg-type]
            yield by_ticket(log)
        return
    try:
        # A small file is held and grouped without a scan: that costs little, and grouping a
        # log whose tickets are together changes nothing.
        if together is None:
            small = len(paths) == 1 and paths[0].is_file() and paths[0].stat().st_size <= _SMALL
            together = not small and tickets_together(paths, format)
    except OSError as exc:  # refused here as reading would refuse it
        raise unreadable(str(exc.filename or paths[0]), exc) from None
    with contextlib.closing(_chained(paths, format)) as log:
        yield by_ticket(log, together=together)


_SMALL: Final = pieces.PIECE_BYTES
"""The size of a file that is grouped in memory without a scan (some 40 MB held at most)."""


def _chained(paths: Sequence[Path], format: str | None) -> Generator[Entry | RowError, None, None]:
    """The entries of the files of one log, one after the other, each open while it is read."""
    for path in paths:
        with _entries(path, format) as log:
            yield from log


@contextmanager
def _entries(
    source: str | Path | IO[str] | Iterable[LogRow | RowError], format: str | None = None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of one log file, stream or set of records, as read (a file is closed after).
    A log without a single row is refused: a report of nothing is more likely a wrong file than
    a quiet week."""
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


def _not_empty(items: Iterator[Any], name: str) -> Iterator[Any]:
    empty = True
    for item in items:
        empty = False
        yield item
    if empty:
        raise DataError(no_events(name))


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
        yield READERS[fmt](handle, name, 0, getattr(reader, make)), name


def read_log(
    source: str | Path | IO[str], *, format: str | None = None
) -> Iterator[LogRow | RowError]:
    """Each row of an event log, in the order of the log: a :class:`LogRow`, or a
    :class:`RowError` when unreadable.

    *format* is ``"csv"``, ``"jsonl"`` or ``"parquet"`` (a path only; it needs pyarrow); by
    default it follows the file's suffix.

    >>> import io
    >>> lines = ["ticket,event,at", "WC-1,Resolved,2026-11-23T12:00:00+00:00"]
    >>> next(read_log(io.StringIO(chr(10).join(lines)), format="csv")).event
    Resolved(at=datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc))
    """
    with _file_rows(source, format, "log_row") as (rows, _):
        yield from rows


# -- parts of a file, for several processes or Dask workers ----------------------------------


@contextmanager
def file_entries(
    path: Path, fmt: str, *, piece: pieces.Piece | None = None, row_group: int | None = None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of a part of a log file, as read: a *piece* of a CSV or JSON Lines file
    (:func:`~westcoast_rules.batch.pieces.split`), or a *row_group* of a Parquet one."""
    name = str(path)
    if fmt == "parquet":
        yield parquet_rows(path, name, RowReader().entry, row_group)
        return
    if piece is None:
        raise WrongTypeError(f"a part of the {fmt} file {name} is a piece of it: give the piece")
    with pieces.piece_lines(path, fmt, piece) as (lines, line_offset):
        yield entries(lines, name, fmt, line_offset)


def row_groups(path: Path) -> int:
    """How many row groups the Parquet log *path* has: the parts it is read in by workers."""
    handle, _ = parquet_file(path, str(path))
    return int(handle.num_row_groups)
