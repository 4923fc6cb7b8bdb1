"""A log read: each of its files opened once and read by its format's reader (or its stream,
or its records), each row an entry, a log without a row refused, the rows grouped by ticket.

What a log is was said at the door (:mod:`~westcoast_rules.batch.sources`): its files, each
with its format decided and checked (:class:`LogFiles`), an open text stream
(:class:`LogStream`), or :func:`~westcoast_rules.batch.read_log`'s records
(:class:`LogRecords`). How it is read, streamed or held, was planned in
:mod:`~westcoast_rules.batch.pieces`. Here it is read, in that order and no other: the files
one after the other, each opened when its rows are reached and closed when they end; the readers
(CSV and JSON Lines in ``_text``, Parquet in ``_parquet``) are each given their file open.
Text is read as UTF-8 with its lines split on ``\\n`` only, as the cutting into pieces counts
them; bytes that are not UTF-8 are kept for the reader to report as a bad row.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, Any, Final, NamedTuple, TypeAlias

from westcoast_rules.batch._files import unreadable
from westcoast_rules.batch._grouping import TicketRows, by_ticket
from westcoast_rules.batch._parquet import open_parquet, parquet_file, parquet_rows
from westcoast_rules.batch._text import READERS, TextBlocks, entries
from westcoast_rules.batch.log import Entry, LogRow, RowError, RowReader, record_entries
from westcoast_rules.errors import DataError, WrongTypeError

__all__ = [
    "NO_EVENTS",
    "Log",
    "LogFile",
    "LogFiles",
    "LogRecords",
    "LogStream",
    "Piece",
    "file_entries",
    "log_entries",
    "piece_lines",
    "row_groups",
    "ticket_rows",
]


class LogFile(NamedTuple):
    """A file of a log, with its format (``"csv"``, ``"jsonl"`` or ``"parquet"``)."""

    path: Path
    format: str


class LogFiles(NamedTuple):
    """A log given by its files, read as one in their order."""

    files: tuple[LogFile, ...]


class LogStream(NamedTuple):
    """A log given as an open text stream, with its name and its text format."""

    file: IO[str]
    name: str
    format: str


class LogRecords(NamedTuple):
    """A log given as :func:`~westcoast_rules.batch.read_log`'s records."""

    records: Iterable[LogRow | RowError]


Log: TypeAlias = LogFiles | LogStream | LogRecords
"""A log as the door gives it to be read."""

NO_EVENTS: Final = "{} holds no events: not one row after its header; is it the right file?"
"""What is said of a log without a single row (``NO_EVENTS.format(name)``): a report of nothing
is more likely a wrong file than a quiet week."""


class Piece(NamedTuple):
    """Bytes ``[start, end)`` of a log file, whose first line is line *line* of the file.

    An *end* of ``None`` means the rest of the file, which could not be cut safely: it is
    read as one stream, by the parent process.
    """

    start: int
    end: int | None
    line: int


@contextmanager
def ticket_rows(log: Log, *, together: bool = False) -> Iterator[Iterator[TicketRows]]:
    """The rows of each ticket of *log* together and in time order
    (:func:`~westcoast_rules.batch.sources.by_ticket`), read as they are taken; with *together*
    (each ticket's rows are known to come together) streamed, otherwise held. A file open when
    the caller is done is closed after."""
    with contextlib.closing(log_entries(log)) as entries:
        yield by_ticket(entries, together=together)


def log_entries(log: Log, *, records: bool = False) -> LogRows:
    """Each row of *log*, in the log's order: an :class:`Entry`, or with *records* the row as
    read_log gives it (a :class:`LogRow`), or a :class:`RowError`. A file, stream or set of
    records without a single row is refused (:data:`NO_EVENTS`), except with *records*: the
    rows of an empty file are none."""
    return LogRows.of(_opened(log, records))


class LogRows(itertools.chain[Any]):
    """The rows of a log, each taken straight from its reader (a chain, in C, of each part's
    rows: no frame of this module's runs per row); :meth:`close` closes the file being read."""

    _parts: Generator[Iterable[Any], None, None]

    @classmethod
    def of(cls, parts: Generator[Iterable[Any], None, None]) -> LogRows:
        """The rows of each of *parts* in turn (:func:`_opened`'s)."""
        rows = cls.from_iterable(parts)
        assert isinstance(rows, LogRows)
        rows._parts = parts
        return rows

    def close(self) -> None:
        """Stop reading: the file being read is closed."""
        self._parts.close()


def _opened(log: Log, records: bool) -> Generator[Iterable[Any], None, None]:
    """The rows of each part of *log* in turn, for :class:`LogRows` to chain: its first row,
    then the rest of its reader's; each file opened when its rows are reached, and closed
    when they end (when the next part is asked for) or the rows are closed."""
    for name, fmt, given in _parts(log):
        with opened_file(given, fmt) if isinstance(given, Path) else nullcontext(given) as file:
            reader = RowReader(text_only=fmt == "csv", records=records)
            if fmt == "parquet":
                rows = parquet_rows(file, name, reader)
            elif fmt == "records":
                rows = record_entries(file)
            elif fmt == "csv" and isinstance(given, Path):  # split on \n only: in blocks
                rows = READERS[fmt](TextBlocks(file), name, 0, reader)
            else:
                rows = READERS[fmt](file, name, 0, reader)
            # every reader is a generator, closed with the rows (a file's read stops there)
            with contextlib.closing(rows):  # type: ignore[type-var]
                first = next(rows, _NONE)
                if first is _NONE:
                    if records:
                        continue
                    raise DataError(NO_EVENTS.format(name))
                yield (first,)
                yield rows


_NONE: Final = object()


def _parts(log: Log) -> Iterator[tuple[str, str, Any]]:
    """Each part of *log* to read, in order: its name, its format (``"records"`` for records),
    and its path (a file, to be opened when its rows are reached), or the stream or records."""
    if isinstance(log, LogFiles):
        for path, fmt in log.files:
            yield str(path), fmt, path
    elif isinstance(log, LogStream):
        yield log.name, log.format, log.file
    else:
        yield "the log", "records", log.records


def opened_file(path: Path, fmt: str) -> IO[Any]:
    """A log file opened to be read, or refused when it cannot be: every reader is given its
    file open. Text is read as UTF-8, its lines split on ``\\n`` only (as the cutting into
    pieces counts them); bytes that are not UTF-8 are kept for the reader to report as a bad
    row, not to stop it."""
    try:
        if fmt == "parquet":
            return open_parquet(path)
        return path.open(encoding="utf-8", errors="surrogateescape", newline="\n")
    except OSError as exc:
        raise unreadable(exc) from None


# -- parts of a file, for several processes or Dask workers ----------------------------------


@contextmanager
def file_entries(
    path: Path, fmt: str, *, piece: Piece | None = None, row_group: int | None = None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of a part of a log file, as read: a *piece* of a CSV or JSON Lines file
    (:func:`~westcoast_rules.batch.pieces.split`), or a *row_group* of a Parquet one."""
    name = str(path)
    if fmt == "parquet":
        with opened_file(path, fmt) as file:
            yield parquet_rows(file, name, RowReader(), row_group)
        return
    if piece is None:
        raise WrongTypeError(f"a part of the {fmt} file {name} is a piece of it: give the piece")
    with piece_lines(path, fmt, piece) as (lines, line_offset):
        yield entries(lines, name, fmt, line_offset)


@contextmanager
def piece_lines(path: Path, fmt: str, piece: Piece) -> Iterator[tuple[Iterable[str], int]]:
    """The lines of *piece* (after the file's header, for CSV), and how many lines of the
    file came before them, the header aside. A piece with an end is read at once (it is
    bounded); the rest of a file is streamed."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise unreadable(exc) from None
    with raw:
        header = raw.readline().decode("utf-8", "surrogateescape") if fmt == "csv" else ""
        raw.seek(piece.start)
        body = raw if piece.end is None else io.BytesIO(raw.read(piece.end - piece.start))
        text = io.TextIOWrapper(body, encoding="utf-8", errors="surrogateescape", newline="\n")
        lines = TextBlocks(text, header) if fmt == "csv" else text
        yield lines, piece.line - (2 if fmt == "csv" else 1)


def row_groups(path: Path) -> int:
    """How many row groups the Parquet log *path* has: the parts it is read in by workers."""
    with opened_file(path, "parquet") as file:
        handle, _ = parquet_file(file, str(path), RowReader())
        return int(handle.num_row_groups)
