"""A log however it is given, opened by one door: the first room a log passes on its way to a
report, and the last that knows how it was given.

A log is a path, several paths (one log, read in their order), an open text stream, or
:func:`read_log`'s records (:data:`LogSource`). Here, and only here, it is told which: each file's
format is decided by its name (or the ``format`` given) and checked, and anything that is no
log is refused, before a byte is read. The log then goes down once: to the plan of how it is
read (:mod:`~westcoast_rules.batch.pieces`: cut for several processes, streamed, or held), which
hands it to the reading (each file opened once, by its format's reader), whose rows end in the
one grouping by ticket, :func:`by_ticket`, which states its rules. The memory each way of
reading costs is measured in the how-to "Reports larger than one machine".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeAlias

from westcoast_rules.batch import pieces
from westcoast_rules.batch._files import LOG_SUFFIXES, check_format, log_format
from westcoast_rules.batch._grouping import TicketRows, by_ticket, in_time_order
from westcoast_rules.batch._reading import (
    NO_EVENTS as NO_EVENTS,  # noqa: PLC0414 (frames')
)
from westcoast_rules.batch._reading import (
    Log,
    LogFile,
    LogFiles,
    LogRecords,
    LogStream,
    log_entries,
)
from westcoast_rules.batch._reading import file_entries as file_entries  # noqa: PLC0414 (workers')
from westcoast_rules.batch._reading import row_groups as row_groups  # noqa: PLC0414 (Dask's)
from westcoast_rules.batch.log import LogRow, RowError
from westcoast_rules.batch.log import record_entries as record_entries  # noqa: PLC0414 (replay's)
from westcoast_rules.batch.pieces import OpenLog
from westcoast_rules.errors import WrongTypeError

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


@contextmanager
def opened(source: LogSource, format: str | None = None, *, jobs: int = 1) -> Iterator[OpenLog]:
    """The log *source*, however it is given, opened for a report (files are closed after):
    each file's format decided and checked before any is read, then read as
    :func:`~westcoast_rules.batch.pieces.planned` plans (for *jobs* processes, when above 1)."""
    log = _log_of(source, format)
    with pieces.planned(log, jobs) as opened_log:
        yield opened_log


@contextmanager
def ticket_rows(source: LogSource, format: str | None = None) -> Iterator[Iterator[TicketRows]]:
    """The rows of each ticket of a log, together and in time order (:func:`by_ticket`),
    however the log is given (files are closed after)."""
    with opened(source, format) as log:
        yield log.tickets


def _log_of(source: object, format: str | None) -> Log:
    """The log *source* as it is to be read: its files, each with its format decided and
    checked; an open text stream, with its format; or records. Anything else is refused."""
    paths = log_paths(source)
    if paths is not None:
        files = tuple(LogFile(path, format or log_format(str(path))) for path in paths)
        for file in files:
            check_format(file.format)
        return LogFiles(files)
    if hasattr(source, "read"):
        return _stream(source, format)  # type: ignore[arg-type]
    if hasattr(source, "columns") or isinstance(source, bytes) or not isinstance(source, Iterable):
        raise WrongTypeError(
            f"a log is a path, an open text stream or read_log's records, got "
            f"{type(source).__name__}; for a data frame of log rows use "
            "westcoast_rules.frames.report(policy, frame, as_of=...)"
        )
    return LogRecords(source)


def _stream(source: IO[str], format: str | None) -> LogStream:
    """An open text stream as a log, its format decided by its name or *format*."""
    name = str(getattr(source, "name", "<stream>"))
    fmt = format or log_format(name)
    check_format(fmt)
    if fmt == "parquet":
        raise WrongTypeError(
            f"a Parquet log is read from its path, not from a stream: give the path of {name}"
        )
    return LogStream(source, name, fmt)


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
    files = [LogFile(path, format or log_format(str(path))) for path in paths]
    return pieces.tickets_together(files)


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
    if not isinstance(source, str | Path) and not hasattr(source, "read"):
        raise WrongTypeError(
            f"a log is a path, an open text stream or read_log's records, got {source!r}"
        )
    log = _log_of(source, format)
    yield from log_entries(log, records=True)
