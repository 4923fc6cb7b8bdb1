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
import itertools
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, Final, NamedTuple, TypeAlias

from westcoast_rules.batch import pieces
from westcoast_rules.batch._files import (
    LOG_SUFFIXES,
    check_format,
    log_format,
    no_events,
    unreadable,
)
from westcoast_rules.batch._parquet import open_parquet, parquet_file, parquet_rows
from westcoast_rules.batch._text import READERS, entries
from westcoast_rules.batch.log import (
    Entry,
    LogRow,
    RowError,
    RowReader,
)
from westcoast_rules.batch.log import record_entries as record_entries  # noqa: PLC0414 (replay's)
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


class Cut(NamedTuple):
    """A log file cut into pieces of whole tickets, for several processes to report."""

    path: Path
    format: str
    pieces: Iterator[pieces.Piece]


class OpenLog(NamedTuple):
    """A log opened for a report: the rows of each of its tickets (:func:`by_ticket`), read as
    they are taken; or, when it is to be reported in several processes, its :class:`Cut` (and
    no rows: the processes read the pieces)."""

    tickets: Iterator[TicketRows]
    cut: Cut | None


@contextmanager
def opened(source: LogSource, format: str | None = None, *, jobs: int = 1) -> Iterator[OpenLog]:
    """The log *source*, however it is given, opened for a report (files are closed after):
    each file's format decided and checked, an unreadable file refused, before any reader
    sees it. With *jobs* above 1, a CSV or JSON Lines file given by its path, of more than one
    piece, its tickets together, is given back cut into pieces (:class:`Cut`) for that many
    processes; any other log as the rows of each ticket, together and in time order."""
    files = _log_files(source, format)
    if files is not None:
        cut, together = _plan(files, jobs)
        if cut is not None:
            yield OpenLog(iter(()), cut)
            return
        with contextlib.closing(_chained(files)) as each:
            rows = itertools.chain.from_iterable(each)
            yield OpenLog(by_ticket(rows, together=together), None)
        return
    with _entries(source, format) as log:  # type: ignore[arg-type]
        yield OpenLog(by_ticket(log), None)  # a stream or records: read once, so held


@contextmanager
def ticket_rows(source: LogSource, format: str | None = None) -> Iterator[Iterator[TicketRows]]:
    """The rows of each ticket of a log, together and in time order (:func:`by_ticket`),
    however the log is given (files are closed after)."""
    with opened(source, format) as log:
        yield log.tickets


def _log_files(source: object, format: str | None) -> list[tuple[Path, str]] | None:
    """The files of a log given as a path or a list or tuple of paths, each with its format,
    checked; ``None`` for a log given otherwise."""
    paths = log_paths(source)
    if paths is None:
        return None
    files = [(path, format or log_format(str(path))) for path in paths]
    for _, fmt in files:
        check_format(fmt)
    return files


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


def _plan(files: list[tuple[Path, str]], jobs: int) -> tuple[Cut | None, bool]:
    """How the log of *files* is read: cut into pieces for *jobs* processes, when it is one
    CSV or JSON Lines file of several pieces, its tickets together; otherwise whether the rows
    of each ticket are together, so that it can be streamed (a small file is held and grouped
    without a scan: that costs little, and grouping a log whose tickets are together changes
    nothing)."""
    path, fmt = files[0]
    try:
        cuts = pieces.cut(path, fmt) if jobs > 1 and len(files) == 1 else None
        if cuts is None and len(files) == 1 and path.is_file() and path.stat().st_size <= _SMALL:
            return None, False
        together = pieces.tickets_together(files)
    except OSError as exc:  # refused here as reading would refuse it
        raise unreadable(str(exc.filename or path), exc) from None
    return (Cut(path, fmt, cuts) if cuts is not None and together else None), together


_SMALL: Final = pieces.PIECE_BYTES
"""The size of a file that is grouped in memory without a scan (some 40 MB held at most)."""


def tickets_together(paths: Sequence[Path], format: str | None = None) -> bool:
    """Whether each ticket's rows come together in the log of *paths* (read in their order),
    from a scan of the tickets alone; a row of no known ticket belongs to none."""
    return pieces.tickets_together([(path, format or log_format(str(path))) for path in paths])


def _chained(
    files: Sequence[tuple[Path, str]],
) -> Generator[Iterator[Entry | RowError], None, None]:
    """The entries of each file of one log, one file after the other, each open while its
    entries are taken (the next is opened when they end): ``itertools.chain.from_iterable``
    of these is the log's."""
    for path, fmt in files:
        with _file_rows(path, fmt, RowReader(text_only=fmt == "csv")) as rows:
            yield _not_empty(rows, str(path))


@contextmanager
def _entries(
    source: IO[str] | Iterable[LogRow | RowError], format: str | None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of a log stream or set of records, as read. A log without a single row is
    refused: a report of nothing is more likely a wrong file than a quiet week."""
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        yield _not_empty(_stream_rows(source, name, format, records=False), name)  # type: ignore[arg-type]
        return
    if hasattr(source, "columns") or isinstance(source, bytes) or not isinstance(source, Iterable):
        raise WrongTypeError(
            f"a log is a path, an open text stream or read_log's records, got "
            f"{type(source).__name__}; for a data frame of log rows use "
            "westcoast_rules.frames.report(policy, frame, as_of=...)"
        )
    yield _not_empty(record_entries(source), "the log")


def _not_empty(items: Iterator[Any], name: str) -> Iterator[Any]:
    """*items*, refused when there is not one."""
    first = next(items, _NONE)
    if first is _NONE:
        raise DataError(no_events(name))
    return itertools.chain((first,), items)


_NONE: Final = object()


def _stream_rows(source: IO[str], name: str, format: str | None, *, records: bool) -> Iterator[Any]:
    """The rows of an open text stream, each an entry, or a record with *records*."""
    fmt = format or log_format(name)
    check_format(fmt)
    if fmt == "parquet":
        raise WrongTypeError(
            f"a Parquet log is read from its path, not from a stream: give the path of {name}"
        )
    return READERS[fmt](source, name, 0, RowReader(text_only=fmt == "csv", records=records))


@contextmanager
def _file_rows(path: Path, fmt: str, reader: RowReader) -> Iterator[Iterator[Any]]:
    """The rows of a log file in format *fmt*, each made by *reader*; the file opened here
    and closed after."""
    with _opened(path, fmt) as file:
        if fmt == "parquet":
            yield parquet_rows(file, str(path), reader)
        else:
            yield READERS[fmt](file, str(path), 0, reader)


def _opened(path: Path, fmt: str) -> IO[Any]:
    """A log file opened to be read, or refused when it cannot be: every reader is given its
    file open. Text is read as UTF-8, its lines split on ``\\n`` only (as the cutting into
    pieces counts them); bytes that are not UTF-8 are kept for the reader to report as a bad
    row, not to stop it."""
    try:
        if fmt == "parquet":
            return open_parquet(path)
        return path.open(encoding="utf-8", errors="surrogateescape", newline="\n")
    except OSError as exc:
        raise unreadable(str(path), exc) from None


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
    if isinstance(source, str | Path):
        path = Path(source)
        fmt = format or log_format(str(source))
        check_format(fmt)
        with _file_rows(path, fmt, RowReader(text_only=fmt == "csv", records=True)) as rows:
            yield from rows
        return
    if not hasattr(source, "read"):
        raise WrongTypeError(
            f"a log is a path, an open text stream or read_log's records, got {source!r}"
        )
    yield from _stream_rows(source, str(getattr(source, "name", "<stream>")), format, records=True)


# -- parts of a file, for several processes or Dask workers ----------------------------------


@contextmanager
def file_entries(
    path: Path, fmt: str, *, piece: pieces.Piece | None = None, row_group: int | None = None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of a part of a log file, as read: a *piece* of a CSV or JSON Lines file
    (:func:`~westcoast_rules.batch.pieces.split`), or a *row_group* of a Parquet one."""
    name = str(path)
    if fmt == "parquet":
        with _opened(path, fmt) as file:
            yield parquet_rows(file, name, RowReader(), row_group)
        return
    if piece is None:
        raise WrongTypeError(f"a part of the {fmt} file {name} is a piece of it: give the piece")
    with pieces.piece_lines(path, fmt, piece) as (lines, line_offset):
        yield entries(lines, name, fmt, line_offset)


def row_groups(path: Path) -> int:
    """How many row groups the Parquet log *path* has: the parts it is read in by workers."""
    with _opened(path, "parquet") as file:
        handle, _ = parquet_file(file, str(path), RowReader())
        return int(handle.num_row_groups)
