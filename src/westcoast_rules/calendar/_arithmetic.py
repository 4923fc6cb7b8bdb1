"""Open time on instants, written once for any table of open intervals.

Business-time arithmetic is a search in a sorted table of open intervals that knows the open
time before each one: "how much open time lies before this instant" is one binary search, and
so is "at which instant has this much open time passed". The functions here are that search,
written against :class:`OpenTimeTable` so that the calendar's table (one instant at a time,
``bisect``) and the one of :mod:`westcoast_rules.frames` (a column of instants at a time,
numpy) share one copy of the rules (HOURS-3, SLA-3).

Instants are integer microseconds since 1970-01-01T00:00Z (HOURS-4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

__all__ = ["OpenTimeTable", "add_open_time", "open_time_before", "open_time_between"]

_X = TypeVar("_X")
"""Instants: an ``int`` here, a column of them in :mod:`westcoast_rules.frames`."""


class OpenTimeTable(Protocol[_X]):
    """A table of open intervals in time order, with the open time before each.

    What business-time arithmetic searches. The calendar's
    :class:`~westcoast_rules.calendar.OpenIntervals` is one, on integer instants;
    :mod:`westcoast_rules.frames` has one that searches for a whole column of instants at once.
    The arithmetic itself (:func:`open_time_before`, :func:`add_open_time`,
    :func:`open_time_between`) is written once, for either.

    >>> from datetime import UTC, datetime
    >>> from westcoast_rules.calendar import BusinessCalendar
    >>> open_time = BusinessCalendar().open_time
    >>> noon = open_time.instant(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    >>> table: OpenTimeTable[int] = open_time.covering(noon, noon)
    >>> i = table.at_or_before(noon)
    >>> print(open_time.local(table.starts[i]), open_time.local(table.ends[i]))
    2026-11-23 08:00:00+00:00 2026-11-23 18:00:00+00:00
    """

    @property
    def starts(self) -> Any:
        """The instant each open interval starts, ascending."""

    @property
    def ends(self) -> Any:
        """The instant each open interval ends (the intervals neither overlap nor touch)."""

    @property
    def cumulative(self) -> Any:
        """The open time before each interval, and after the last: one longer than starts."""

    def at_or_before(self, x: _X) -> _X:
        """The position of the last interval starting at or before *x*; 0 when none does."""

    def reaching(self, target: _X, forward: Any) -> _X:
        """The position of the interval in which *target* of open time is reached: counting
        forward, the one that ends there; counting back, the one that starts there. Always a
        position of the table: the last interval for the open time after it (an instant past
        the last close with nothing to add, whose answer is that instant)."""

    def beyond(self, target: _X) -> int:
        """-1 when some *target* comes before the table's first open time, 1 when some comes
        after its last, else 0."""

    def clip(self, x: _X, low: _X, high: _X) -> _X:
        """*x*, or *low* or *high* when it lies outside them (a static method will do)."""

    def choose(self, condition: Any, when: _X, otherwise: _X) -> _X:
        """*when* where *condition* holds, else *otherwise* (a static method will do)."""


_Table = TypeVar("_Table", bound=OpenTimeTable[Any])


def open_time_before(table: OpenTimeTable[_X], x: _X) -> _X:
    """The open time of *table* before instant *x*, in microseconds (HOURS-3: only open time
    counts).

    >>> from datetime import UTC, datetime
    >>> from westcoast_rules.calendar import BusinessCalendar
    >>> open_time = BusinessCalendar().open_time
    >>> monday_nine = open_time.instant(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    >>> table = open_time.covering(monday_nine, monday_nine)
    >>> open_time_before(table, monday_nine) - open_time_before(table, monday_nine - 3_600_000_000)
    3600000000
    """
    i = table.at_or_before(x)
    start = table.starts[i]
    return table.cumulative[i] + table.clip(x, start, table.ends[i]) - start  # type: ignore[no-any-return]


def open_time_between(table: OpenTimeTable[_X], a: _X, b: _X) -> _X:
    """The open time of *table* in ``[a, b)``, negative when *b* is before *a* (HOURS-3).

    >>> from datetime import UTC, datetime
    >>> from westcoast_rules.calendar import BusinessCalendar
    >>> open_time = BusinessCalendar().open_time
    >>> friday_five = open_time.instant(datetime(2026, 11, 20, 17, 0, tzinfo=UTC))
    >>> monday_eleven = open_time.instant(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    >>> table = open_time.covering(friday_five, monday_eleven)
    >>> open_time_between(table, friday_five, monday_eleven) / 3_600_000_000
    4.0
    """
    return open_time_before(table, b) - open_time_before(table, a)  # type: ignore[no-any-return, operator]


def add_open_time(
    table: _Table, x: Any, amount: Any, grow: Callable[[_Table, bool], _Table]
) -> Any:
    """The instant at which *amount* of open time has passed since instant *x* (HOURS-3);
    ``grow(table, backwards)`` gives the table for more years when it ends too soon.

    A result that lands on a close is that close ("due by 18:00", SLA-3), never the next
    opening. A negative *amount* counts back, and a result that lands on an opening is that
    opening. No time to add is the instant *x* itself, open or not.

    >>> from datetime import UTC, datetime
    >>> from westcoast_rules.calendar import BusinessCalendar
    >>> open_time = BusinessCalendar().open_time
    >>> monday_two = open_time.instant(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    >>> table = open_time.covering(monday_two, monday_two)
    >>> due = add_open_time(table, monday_two, 4 * 3_600_000_000, open_time.grown)
    >>> print(open_time.local(due))
    2026-11-23 18:00:00+00:00
    """
    while True:
        target = open_time_before(table, x) + amount
        beyond = table.beyond(target)
        if not beyond:
            break
        table = grow(table, beyond < 0)
    j = table.reaching(target, amount > 0)
    return table.choose(amount == 0, x, table.starts[j] + target - table.cumulative[j])
