"""The one grouping of a log's rows by ticket, whatever gave them (:func:`by_ticket`): a file,
several files, a stream, :func:`~westcoast_rules.batch.read_log`'s records, a piece of a file in
a worker process, a data frame's rows and Dask's partitions in :mod:`westcoast_rules.frames`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import attrgetter
from typing import Final, TypeAlias

from westcoast_rules.batch.log import Entry, RowError

__all__ = ["TicketRows", "by_ticket", "in_time_order"]

TicketRows: TypeAlias = list[Entry | RowError]
"""The rows of one ticket, in time order; or one bad row of no ticket, alone."""

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
    """The rows of each ticket together, in time order; every way a log is given goes through
    this one grouping, whose rules are these:

    - Each ticket's rows are replayed together, the tickets in the order their first rows come.
    - A ticket's rows are put in time order, stably: rows at one instant keep the log's order.
      A row that could not be read (a :class:`RowError`: no instant to sort it by) keeps its
      place among its ticket's rows, and the good rows around it are put in time order; it is
      reported with its file and line and moves no other row.
    - A row that carries no ticket (its ticket cell empty, or no ticket could be read from it)
      is a bad row of no ticket: reported on its own, where it stands, and counted with no
      ticket.

    So the same rows give the same report in any order, within a ticket and between tickets.
    With *together* (the rows of each ticket are known to be together: a file scanned, a piece
    of one), each ticket is given as soon as its rows end, so memory stays flat; otherwise
    every row is held first.

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
    rows: TicketRows = []
    current: str | None = None  # the ticket of the last row of a ticket, whose rows are *rows*
    for item in items:
        ticket = item.ticket
        if ticket is None:
            groups.append([item])
            continue
        if ticket != current:  # a ticket's rows are looked up only where a run of them begins
            known = tickets.get(ticket)
            if known is None:
                known = tickets[ticket] = []
                groups.append(known)
            rows = known
            current = ticket
        rows.append(item)
    del tickets
    # Given back one at a time, each let go once given, so a report holds no row twice.
    groups.reverse()
    while groups:
        yield in_time_order(groups.pop())
