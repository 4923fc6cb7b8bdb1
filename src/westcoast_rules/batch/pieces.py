"""How a log is read (:func:`planned`): cut into pieces of whole tickets for several processes,
streamed one ticket at a time, or held and grouped; and work on those pieces in processes.

The file is cut into pieces of about :data:`PIECE_BYTES` at lines where a new ticket begins
(never at a line of no known ticket, which belongs to none), so each piece holds whole
tickets and the pieces can be worked on independently. :func:`in_processes` runs a function
over the pieces in worker processes and gives the results back in file order, at most two
pieces per worker in flight, so memory stays flat. Nothing here knows what is done with a piece.

Whether a log's tickets come together at all (so that it can be streamed, or cut) is found by a
scan of its tickets alone (:func:`tickets_together`): the lines of a text file read as the
cutting reads them, the ticket column of a Parquet one.

A file is not cut where a cut could fall inside a record: in CSV, from the first piece with a
quote character (a quoted field may hold a line break). The rest of the file from there is
given back as one piece without an end, for the caller to read as one stream. Lines are
``\\n``-terminated everywhere, as the readers count them, so a piece's first line number is the
file's.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import multiprocessing
import operator
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Final, NamedTuple, TypeVar

from westcoast_rules.batch._files import unreadable
from westcoast_rules.batch._grouping import TicketRows
from westcoast_rules.batch._parquet import open_parquet, parquet_tickets
from westcoast_rules.batch._reading import Log, LogFile, LogFiles, opened_file, ticket_rows
from westcoast_rules.batch._reading import Piece as Piece  # noqa: PLC0414 (the report's, Dask's)
from westcoast_rules.batch._text import TextBlocks, csv_rows
from westcoast_rules.batch.log import RowError, RowReader
from westcoast_rules.errors import DataError

__all__ = ["cpu_count"]

PIECE_BYTES: Final = 4 << 20
"""About how much of the file one task reads."""

SMALL_BYTES: Final = PIECE_BYTES
"""The size of a log file that is read whole and grouped without a scan (some 40 MB held at
most): its tickets are not looked for first."""

START_METHOD: Final = (
    "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
)
"""How the worker processes start. Never ``fork``: the caller may have threads running (Polars',
PyArrow's and Dask's pools, a notebook's), whose locks a forked child inherits held, so it can
hang; Python 3.12 and later warn of it, and 3.14 no longer forks by default. The fork server
is a fresh process, single-threaded, that forks each worker, so workers start faster than
spawned ones; where there is none (Windows), spawn. Either way a program that reports with
``jobs`` above 1 runs its own work under ``if __name__ == "__main__":``, as
:mod:`multiprocessing` asks."""


def cpu_count() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Cut(NamedTuple):
    """A log file cut into pieces of whole tickets, for several processes to report, once
    *together* (the scan of the whole file, run beside the first pieces' work) says that each
    ticket's rows come together; when it does not, the log is reported from its rows held
    (:attr:`OpenLog.tickets`)."""

    path: Path
    format: str
    pieces: Iterator[Piece]
    together: Callable[[], bool]


class Dropped:
    """What :func:`in_processes` gives back, alone, when its *check* finds the pieces' work may
    not be used."""


class OpenLog(NamedTuple):
    """A log opened for a report: the rows of each of its tickets
    (:func:`~westcoast_rules.batch.sources.by_ticket`), read as they are taken; and, when it is
    to be reported in several processes, its :class:`Cut` (its rows are then read, held, only
    if the cut cannot be used)."""

    tickets: Iterator[TicketRows]
    cut: Cut | None


@contextmanager
def planned(log: Log, jobs: int = 1) -> Iterator[OpenLog]:
    """*log* opened for a report, read the way its size and order allow (files are closed
    after). A log of one CSV or JSON Lines file, of more than one piece, its tickets together,
    is given back cut into pieces (:class:`Cut`) for *jobs* processes when *jobs* is above 1. A
    log of files whose tickets are together (:func:`tickets_together`) is streamed, one ticket
    at a time, so memory stays flat. Any other is read whole and grouped: a log in time order
    (as helpdesks export them); a stream or records, which cannot be read twice; and a file of
    at most :data:`SMALL_BYTES`, without a scan, as that costs little and grouping a log
    whose tickets are together changes nothing."""
    together = False
    cut_log = None
    if isinstance(log, LogFiles):
        path, fmt = log.files[0]
        one = len(log.files) == 1
        try:
            cuts = cut(path, fmt) if jobs > 1 and one else None
            if cuts is not None:  # a glance: a log in time order shows it in its first rows
                if tickets_together(log.files, rows=GLANCE_ROWS):
                    cut_log = Cut(path, fmt, cuts, functools.partial(_scanned, log.files))
            elif not (one and path.is_file() and path.stat().st_size <= SMALL_BYTES):
                together = tickets_together(log.files)
        except OSError as exc:  # refused here as reading would refuse it
            raise unreadable(exc) from None
    # Nothing is read until the tickets are taken: with a cut, only if it cannot be used.
    with ticket_rows(log, together=together) as tickets:
        yield OpenLog(tickets, cut_log)


GLANCE_ROWS: Final = 20_000
"""How many rows of a log to be cut are scanned before its pieces are set to work: the rest
of the scan runs beside that work, before any of its results is used."""


def _scanned(files: tuple[LogFile, ...]) -> bool:
    """:func:`tickets_together`, a file that cannot be read refused as reading would refuse it."""
    try:
        return tickets_together(files)
    except OSError as exc:
        raise unreadable(exc) from None


def split(path: Path, fmt: str, piece_bytes: int | None = None) -> Iterator[Piece]:
    """Pieces of whole tickets covering the file after its header, in order, each of about
    *piece_bytes* (:data:`PIECE_BYTES`); the last is the rest of the file (``end=None``)
    from where it could not be cut safely (see above). Found lazily, as they are taken."""
    piece_bytes = piece_bytes or PIECE_BYTES
    with path.open("rb") as handle:
        header = handle.readline() if fmt == "csv" else b""
        ticket_of = _csv_ticket(header) if fmt == "csv" else _jsonl_ticket
        start, line = handle.tell(), 2 if fmt == "csv" else 1
        blank = _blank_csv if fmt == "csv" else _blank_jsonl
        while True:
            handle.seek(start + piece_bytes)
            cut = None
            if ticket_of is not None and handle.read(1):
                cut = _next_ticket_start(handle, ticket_of, blank)
            handle.seek(start)
            chunk = handle.read(-1 if cut is None else cut - start)
            if ticket_of is None or (fmt == "csv" and b'"' in chunk):  # may hold a line break
                yield Piece(start, None, line)
                return
            yield Piece(start, start + len(chunk), line)
            if cut is None:
                return
            start, line = cut, line + chunk.count(b"\n")


def cut(path: Path, fmt: str) -> Iterator[Piece] | None:
    """The pieces of a log file (:func:`split`), or ``None`` when it is one piece or cannot be
    cut (a Parquet file, or a CSV file with a quote in its first piece)."""
    if fmt not in ("csv", "jsonl") or not path.is_file():
        return None
    cuts = split(path, fmt)
    first = list(itertools.islice(cuts, 2))
    if len(first) < 2 or first[0].end is None:
        return None
    return itertools.chain(first, cuts)


def tickets_together(files: Iterable[LogFile], *, rows: int | None = None) -> bool:
    """Whether each ticket's rows come together in the log of *files* (each a path and its
    format, read in their order), from a scan of the tickets alone, as the reader reads them;
    a row of no known ticket belongs to none. With *rows*, in the first *rows* rows of each
    file."""
    seen: set[str] = set()
    current: str | None = None
    for path, fmt in files:
        with contextlib.closing(_file_runs(path, fmt, rows)) as runs:
            for ticket in runs:
                if ticket == current:  # a ticket's rows across the end of a file
                    continue
                if ticket in seen:
                    return False
                seen.add(ticket)
                current = ticket
    return True


def _file_runs(path: Path, fmt: str, rows: int | None) -> Generator[str, None, None]:
    """The ticket of each run of rows of one ticket in a log file, in order (a row of no known
    ticket belongs to none, and ends no run: the runs around it may be given as two of the same
    ticket), of its first *rows* rows if given. A CSV file whose tickets are its first column,
    read line by line (:func:`line_tickets`), is read in C: each line's text before its first
    comma, the runs of the same text made one."""
    parsed, carriage = _special(path) if fmt == "csv" else (False, False)
    if rows is None and fmt == "csv" and not parsed:
        with path.open("rb") as handle:
            place = _csv_place(handle.readline())
            if place is not None and place[1] == 0:
                if carriage:  # a line's text is the line less any \r and \n that end it
                    lines = filter(None, map(bytes.rstrip, handle, _LINE_ENDS))
                    firsts = filter(None, map(_FIRST, map(_PARTITION, lines, _COMMAS)))
                    yield from map(_TEXT, map(_FIRST, itertools.groupby(firsts)), _UTF8, _KEPT)
                    return
                # Without a \r, a line's text before its first comma is the line's before it,
                # less the \n of a line without a comma: made one per run, not per line; an
                # empty line or ticket is a run of no ticket.
                heads = map(_FIRST, map(_PARTITION, handle, _COMMAS))
                runs = map(bytes.rstrip, map(_FIRST, itertools.groupby(heads)), _NEWLINES)
                yield from map(_TEXT, filter(None, runs), _UTF8, _KEPT)
                return
    tickets = _file_tickets(path, fmt, parsed=parsed)
    if rows is not None:
        tickets = itertools.islice(tickets, rows)  # type: ignore[assignment]
    yield from map(_FIRST, itertools.groupby(filter(None, tickets)))


_FIRST: Final = operator.itemgetter(0)
_PARTITION: Final = bytes.partition
_COMMAS: Final = itertools.repeat(b",")
_TEXT: Final = bytes.decode
_UTF8: Final = itertools.repeat("utf-8")
_KEPT: Final = itertools.repeat("surrogateescape")  # as the reader decodes a file


def _file_tickets(path: Path, fmt: str, *, parsed: bool) -> Generator[str | None, None, None]:
    """The ticket of each row of a log file, read alone: a Parquet file's ticket column; a CSV
    file that needs the CSV parser (*parsed*, :func:`_special`) as the CSV reader reads it
    (:func:`_parsed_tickets`): a quoted field may hold a comma or a line break, and a quoted
    ticket is the ticket without its quotes; or each line of a text file (:func:`line_tickets`)."""
    if fmt == "parquet":
        with open_parquet(path) as file:
            yield from parquet_tickets(file, str(path))
    elif parsed:
        yield from _parsed_tickets(path)
    else:
        yield from line_tickets(path, fmt)


TicketOf = Callable[[bytes], "str | None"]


def line_tickets(path: Path, fmt: str) -> Iterator[str | None]:
    """The ticket of each line of a CSV or JSON Lines log after its header, as the cutting
    into pieces sees it (without a CSV or JSON parser where it can): ``None`` for a line of no
    known ticket. Right for a CSV file without a quote (:func:`_special`)."""
    with path.open("rb") as handle:
        header = handle.readline() if fmt == "csv" else b""
        ticket_of = _csv_ticket(header) if fmt == "csv" else _jsonl_ticket
        if ticket_of is None:  # no ticket column: the reader refuses the header
            yield None
            return
        if fmt == "csv":  # the lines not empty without their ends (_blank_csv), in C
            yield from map(ticket_of, filter(None, map(bytes.rstrip, handle, _LINE_ENDS)))
            return
        for raw in handle:
            if not _blank_jsonl(raw):
                yield ticket_of(raw)


def _special(path: Path) -> tuple[bool, bool]:
    """Whether a CSV file holds a quote, which may hold a comma or a line break (only then is a
    line not read as its text split at commas: :func:`_parsed_tickets`), and whether it holds a
    carriage return. Searched in C, a block at a time."""
    carriage = False
    with path.open("rb") as handle:
        for block in iter(functools.partial(handle.read, 1 << 20), b""):
            if b'"' in block:
                return True, carriage
            carriage = carriage or b"\r" in block
    return False, carriage


def _parsed_tickets(path: Path) -> Iterator[str | None]:
    """The ticket of each row of a CSV log as the CSV reader reads it (a bad row's, as it
    reports it); a log whose header the reader refuses gives one ``None``."""
    reader = RowReader(text_only=True)
    reader.row = _row_ticket  # each row's ticket alone: nothing else of it is decoded
    with opened_file(path, "csv") as text:
        try:
            for item in csv_rows(TextBlocks(text), str(path), 0, reader):
                yield item.ticket if isinstance(item, RowError) else item
        except DataError:  # refused when the log is read, with the same message
            yield None


def _row_ticket(source: str, line: int, values: Sequence[Any]) -> str | None:
    """The ticket of a row read by the reader, its values in the order of the log's columns."""
    ticket = values[0]
    return ticket if ticket else None


def _csv_place(header: bytes) -> tuple[int, int] | None:
    """How many columns a CSV log's *header* names, and the place of its ticket column among
    them; ``None`` without one."""
    text = header.decode("utf-8", "replace").removeprefix("\ufeff")
    columns = [column.strip().lower() for column in text.rstrip("\r\n").split(",")]
    if "ticket" not in columns or b'"' in header:
        return None
    return len(columns), columns.index("ticket")


def _csv_ticket(header: bytes) -> TicketOf | None:
    place = _csv_place(header)
    if place is None:
        return None
    width, index = place

    def ticket_of(raw: bytes) -> str | None:
        # Split before decoding, and decode the one field: a comma is one byte in UTF-8 and
        # never part of another character, so this is the field the line's text splits into.
        values = raw.rstrip(b"\r\n").split(b",")
        if len(values) == width:
            return values[index].decode("utf-8", "surrogateescape")
        return values[0].decode("utf-8", "surrogateescape") or None

    return ticket_of


_LINE_ENDS: Final = itertools.repeat(b"\r\n")
_NEWLINES: Final = itertools.repeat(b"\n")


def _blank_csv(raw: bytes) -> bool:
    return not raw.rstrip(b"\r\n")  # the CSV reader skips only empty lines


def _blank_jsonl(raw: bytes) -> bool:
    return not raw.strip()  # the JSON Lines reader skips lines of white space


def _jsonl_ticket(raw: bytes) -> str | None:
    try:
        fields = json.loads(raw)
    except ValueError:
        return None
    ticket = fields.get("ticket") if isinstance(fields, dict) else None
    return ticket if isinstance(ticket, str) else None


def _next_ticket_start(
    handle: BinaryIO, ticket_of: TicketOf, blank: Callable[[bytes], bool]
) -> int | None:
    """The offset of the first line, after the current position's line, that starts a new
    ticket as the reader's grouping sees it; ``None`` at the end of the file."""
    handle.readline()  # the rest of the line the position fell in
    previous: str | None = None
    while True:
        offset = handle.tell()
        raw = handle.readline()
        if not raw:
            return None
        if blank(raw):
            continue  # the reader skips it: it belongs to no ticket
        ticket = ticket_of(raw)
        if ticket is not None:  # a row of no known ticket is no place to cut
            if previous is not None and ticket != previous:
                return offset
            previous = ticket


_Result = TypeVar("_Result")


def in_processes(
    function: Callable[[Piece], _Result],
    pieces: Iterable[Piece],
    *,
    jobs: int,
    initializer: Callable[..., object],
    initargs: tuple[object, ...],
    check: Callable[[], bool] | None = None,
) -> Generator[_Result | Piece | Dropped, None, None]:
    """``function(piece)`` of each piece, in file order, from *jobs* worker processes, each
    started by ``initializer(*initargs)``; a piece without an end (the rest of the file, which
    could not be cut) is given back, last, for the caller to read. *check*, when given, is
    asked once the first pieces are at work, so that it runs beside them, and before any
    result is given back: when it answers ``False``, the work is dropped, and a
    :class:`Dropped` is all that is given back."""
    context = multiprocessing.get_context(START_METHOD)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=initializer, initargs=initargs
    ) as pool:
        # At most two pieces per worker in flight: results wait in order, memory stays flat.
        waiting: deque[Future[_Result]] = deque()
        rest = None
        pending = iter(pieces)
        for piece in pending:  # the first pieces set to work
            if piece.end is None:
                rest = piece
                break
            waiting.append(pool.submit(function, piece))
            if len(waiting) >= 2 * jobs:
                break
        if check is not None and not check():
            for future in waiting:
                future.cancel()
            yield Dropped()
            return
        if rest is None:
            for piece in pending:
                if piece.end is None:
                    rest = piece
                    break
                yield waiting.popleft().result()
                waiting.append(pool.submit(function, piece))
        while waiting:
            yield waiting.popleft().result()
    if rest is not None:
        yield rest
