"""A log as the reports read it: one file or several, its tickets together or not.

A log's rows are replayed ticket by ticket, so each ticket's rows must come together. A log
written in time order, as helpdesks export them, has its tickets' rows interleaved. Given by
its paths, a log is first scanned for its tickets alone (:func:`tickets_together`): when each
ticket's rows are together, it is read as a stream and memory stays flat whatever its size;
when not, every row is read into memory and put together by ticket (:func:`regrouped`),
which costs some 200 bytes an event (a million events, about 200 MB) and the scan. A stream
or ``read_log``'s records cannot be read twice: their tickets must come together, and a ticket
that comes back after another is reported as bad rows.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Final, TypeAlias

from westcoast_rules.batch import pieces
from westcoast_rules.batch.log import (
    LOG_SUFFIXES,
    Entry,
    LogRow,
    RowError,
    log_entries,
    log_format,
    parquet_tickets,
    unreadable,
)

__all__ = ["LogSource", "log_paths", "regrouped", "ticket_entries", "tickets_together"]

LogSource: TypeAlias = str | Path | Sequence[str | Path] | IO[str] | Iterable[LogRow | RowError]
"""A log as the reports take it: a path, several paths (one log, read in their order), an
open text stream, or :func:`~westcoast_rules.batch.read_log`'s records."""


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
    from a scan of the tickets alone. A row of no known ticket (a bad one) belongs to the
    ticket before it, as when reading."""
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


def regrouped(items: Iterable[Entry | RowError]) -> Iterator[Entry | RowError]:
    """The rows of each ticket together, the tickets in the order they first appear, each
    ticket's rows in the order read; a row of no known ticket stays with the ticket before it
    (rows before any ticket come first). A log whose tickets are together is unchanged."""
    tickets: dict[str | None, list[Entry | RowError]] = {}
    current: str | None = None
    for item in items:
        ticket = item[2]
        if ticket is not None:
            current = ticket
        rows = tickets.get(current)
        if rows is None:
            rows = tickets[current] = []
        rows.append(item)
    return itertools.chain.from_iterable(tickets.values())


@contextmanager
def ticket_entries(
    source: LogSource, format: str | None = None, *, together: bool | None = None
) -> Iterator[Iterator[Entry | RowError]]:
    """The entries of a log with each ticket's rows together, however the log is given (files
    are closed after): a log given by its paths is grouped by ticket when it is not already
    (see above; *together* is what :func:`tickets_together` said of it, when already asked);
    any other source is read as it comes."""
    paths = log_paths(source)
    if paths is None:
        with log_entries(source, format) as log:  # type: ignore[arg-type]
            yield log
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
        yield log if together else regrouped(log)


_SMALL: Final = pieces.PIECE_BYTES
"""The size of a file that is grouped in memory without a scan (some 40 MB held at most)."""


def _chained(paths: Sequence[Path], format: str | None) -> Generator[Entry | RowError, None, None]:
    """The entries of the files of one log, one after the other, each open while it is read."""
    for path in paths:
        with log_entries(path, format) as log:
            yield from log
