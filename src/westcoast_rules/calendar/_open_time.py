"""A calendar's business time on instants: the door the other rooms of the library use.

:class:`OpenTime` answers the calendar's questions on integer instants (microseconds since
1970-01-01T00:00Z) instead of datetimes: the response targets, the lifecycle and the frames
compute with it, and so can a caller that holds instants already (a database column, a
stream of events). It is the same calendar, the same index and the same answers as
:class:`~westcoast_rules.BusinessCalendar`'s methods, with no datetime built on the way.
"""

from __future__ import annotations

import operator
from datetime import date, datetime, time
from typing import Any, Final
from zoneinfo import ZoneInfo

from westcoast_rules._instants import aware_micros, from_micros
from westcoast_rules.calendar._arithmetic import add_open_time, open_time_between
from westcoast_rules.calendar._index import OpenIntervals, Timetable
from westcoast_rules.calendar._values import require_date
from westcoast_rules.calendar._wall import wall_micros
from westcoast_rules.errors import WrongTypeError

__all__ = ["OpenTime"]

_DAY_MICROS: Final = 86_400_000_000


def _whole(value: object, name: str) -> int:
    """*value* as an int: an instant or an amount of microseconds; a typed error otherwise."""
    if type(value) is int:
        return value
    if not isinstance(value, bool):
        try:
            return operator.index(value)  # type: ignore[arg-type]  # TypeError below if not
        except TypeError:
            pass
    raise WrongTypeError(
        f"{name} must be whole microseconds since 1970-01-01T00:00Z (an int), got {value!r}; "
        "for a datetime t use open_time.instant(t), for a timedelta d use d // timedelta("
        "microseconds=1)"
    )


class OpenTime:
    """A calendar's business time on instants: integer microseconds since 1970-01-01T00:00Z.

    Durations are microseconds too, and days are :class:`~datetime.date` values in the
    calendar's zone. Get one from :attr:`BusinessCalendar.open_time`; it shares the
    calendar's index.

    >>> from datetime import datetime, timedelta
    >>> from westcoast_rules import LONDON, BusinessCalendar
    >>> open_time = BusinessCalendar().open_time
    >>> friday_five = open_time.instant(datetime(2026, 11, 20, 17, 0, tzinfo=LONDON))
    >>> four_hours = timedelta(hours=4) // timedelta(microseconds=1)
    >>> print(open_time.local(open_time.add(friday_five, four_hours)))
    2026-11-23 11:00:00+00:00
    """

    __slots__ = ("_timetable",)

    def __init__(self, timetable: Timetable) -> None:
        self._timetable = timetable

    def __reduce__(self) -> tuple[type[OpenTime], tuple[Timetable]]:
        return (OpenTime, (self._timetable,))

    def __repr__(self) -> str:
        return f"OpenTime(zone={self._timetable.zone.key!r})"

    @property
    def zone(self) -> ZoneInfo:
        """The zone whose wall clock the calendar's hours are read in.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> BusinessCalendar().open_time.zone
        zoneinfo.ZoneInfo(key='Europe/London')
        """
        return self._timetable.zone

    # -- crossing between datetimes, dates and instants ----------------------------------------

    def instant(self, at: datetime) -> int:
        """The instant of an aware datetime (HOURS-5: a naive one is refused).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> BusinessCalendar().open_time.instant(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
        1795424400000000
        """
        return aware_micros(at, "at")

    def local(self, x: int) -> datetime:
        """The datetime of instant *x* in the calendar's zone (HOURS-5).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> print(BusinessCalendar().open_time.local(1795424400000000))
        2026-11-23 09:00:00+00:00
        """
        return from_micros(_whole(x, "x"), self._timetable.zone)

    def local_date(self, x: int) -> date:
        """The local calendar date of instant *x*.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> BusinessCalendar().open_time.local_date(1795424400000000)
        datetime.date(2026, 11, 23)
        """
        if type(x) is not int:  # the check only where it can fail: a report asks per ticket
            x = _whole(x, "x")
        timetable = self._timetable
        wall = timetable.wall_time(x)
        if wall is not None:
            try:
                return date.fromordinal(wall // _DAY_MICROS)
            except ValueError:  # outside the years a date holds: refused as below
                pass
        return from_micros(x, timetable.zone).date()

    def local_instant(self, day: date, clock: time) -> int:
        """The first instant at which the local clock reads *clock* on *day*, or a later time.

        The library's one reading of a wall time: a time the clocks skip in spring is the
        instant they jump, and a time they repeat in autumn its first occurrence (whatever the
        ``fold`` of *clock*). Openings and closes (HOURS-1), PROC-3's chases, PROC-4's business
        days and PROC-6's midnights are all read this way.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> print(open_time.local(open_time.local_instant(date(2027, 3, 28), time(1, 30))))
        2027-03-28 02:00:00+01:00
        >>> print(open_time.local(open_time.local_instant(date(2026, 10, 25), time(1, 30))))
        2026-10-25 01:30:00+01:00
        """
        require_date(day)
        if not isinstance(clock, time) or clock.tzinfo is not None:
            raise WrongTypeError(
                f"clock must be a datetime.time without a tzinfo, got {clock!r}; the "
                "calendar's zone gives it meaning: pass e.g. time(9, 30)"
            )
        return self._timetable.local_instant(day, clock)

    def midnight(self, day: date) -> int:
        """The instant of the local midnight starting *day* (PROC-6 ends a window there).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> print(open_time.local(open_time.midnight(date(2026, 10, 25))))
        2026-10-25 00:00:00+01:00
        """
        if type(day) is not date:  # the check only where it can fail: a report asks per ticket
            require_date(day)
        return wall_micros(self._timetable.zone, day, 0)  # its day's offset remembered there

    # -- open time ------------------------------------------------------------------------------

    def is_open(self, x: int) -> bool:
        """Whether the desk is open at instant *x*: ``start <= local time < end`` (HOURS-1).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> BusinessCalendar().open_time.is_open(1795424400000000)  # Monday 09:00
        True
        """
        return self._timetable.is_open(_whole(x, "x"))

    def next_open(self, x: int) -> int:
        """The first open instant at or after *x*: *x* itself when the desk is open.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> saturday = open_time.instant(datetime(2026, 10, 24, 9, 0, tzinfo=LONDON))
        >>> print(open_time.local(open_time.next_open(saturday)))
        2026-10-27 08:00:00+00:00
        """
        return self._timetable.next_open(_whole(x, "x"))

    def add(self, x: int, amount: int) -> int:
        """The earliest instant at which *amount* microseconds of open time have passed since
        *x* (SLA-3): :meth:`BusinessCalendar.add` on instants.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> monday_two = open_time.instant(datetime(2026, 11, 23, 14, 0, tzinfo=LONDON))
        >>> print(open_time.local(open_time.add(monday_two, 4 * 3_600_000_000)))
        2026-11-23 18:00:00+00:00
        """
        if type(x) is not int:  # the checks only where they can fail: the hot path
            x = _whole(x, "x")
        if type(amount) is not int:
            amount = _whole(amount, "amount")
        # Straight to the arithmetic on the index that covers x (a report asks per ticket).
        timetable = self._timetable
        index = timetable.current
        if index is None or not index.lower <= x < index.upper:
            index = timetable.at(x)
        return add_open_time(index, x, amount, timetable.grown)  # type: ignore[no-any-return]

    def elapsed(self, a: int, b: int) -> int:
        """The open microseconds in ``[a, b)``, negative when *b* is before *a* (HOURS-3).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> friday_five = open_time.instant(datetime(2026, 11, 20, 17, 0, tzinfo=LONDON))
        >>> monday_eleven = open_time.instant(datetime(2026, 11, 23, 11, 0, tzinfo=LONDON))
        >>> open_time.elapsed(friday_five, monday_eleven) / 3_600_000_000
        4.0
        """
        if type(a) is not int:  # the checks only where they can fail: the hot path
            a = _whole(a, "a")
        if type(b) is not int:
            b = _whole(b, "b")
        # Straight to the arithmetic on an index that covers both (a report asks per ticket).
        timetable = self._timetable
        index = timetable.current
        if index is None or not (index.lower <= a < index.upper and index.lower <= b < index.upper):
            index = timetable.at(a)
            if not index.lower <= b < index.upper:
                index = timetable.at(b)
        return open_time_between(index, a, b)

    @staticmethod
    def real_add(x: Any, amount: Any) -> Any:
        """The instant *amount* microseconds of real time after *x* (HOURS-3, HOURS-4); for one
        instant or a column of them.

        >>> OpenTime.real_add(1795424400000000, 7_200_000_000)
        1795431600000000
        """
        return x + amount

    @staticmethod
    def real_elapsed(a: Any, b: Any) -> Any:
        """The real time from instant *a* to *b*, in microseconds (HOURS-4); for one instant or
        a column of them.

        >>> OpenTime.real_elapsed(1795424400000000, 1795431600000000)
        7200000000
        """
        return b - a

    # -- business days --------------------------------------------------------------------------

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after *day* (SLA-4).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> BusinessCalendar().open_time.next_business_day(date(2026, 12, 24))
        datetime.date(2026, 12, 29)
        """
        if type(day) is not date:  # the check only where it can fail: a report asks per ticket
            require_date(day)
        return self._timetable.next_business_day(day)

    def close_of_business(self, day: date) -> int:
        """The instant the desk closes on business day *day*: the end of its last window.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> print(open_time.local(open_time.close_of_business(date(2026, 11, 23))))
        2026-11-23 18:00:00+00:00
        """
        if type(day) is not date:  # the check only where it can fail: a report asks per ticket
            require_date(day)
        return self._timetable.close_of_business(day)

    def add_business_days(self, x: int, n: int) -> int:
        """The same local time *n* business days later, counted from *x* (PROC-4):
        :meth:`BusinessCalendar.add_business_days` on instants.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> wednesday = open_time.instant(datetime(2026, 12, 23, 10, 0, tzinfo=LONDON))
        >>> print(open_time.local(open_time.add_business_days(wednesday, 3)))
        2026-12-30 10:00:00+00:00
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise WrongTypeError(f"n must be an int, got {n!r}")
        return self._timetable.add_business_days(_whole(x, "x"), n)

    # -- the table ------------------------------------------------------------------------------

    def covering(self, low: int, high: int) -> OpenIntervals:
        """The calendar's open intervals over the local years of instants *low* to *high*, at
        least: the table :func:`~westcoast_rules.calendar.add_open_time` searches.

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> noon = open_time.instant(datetime(2026, 11, 23, 12, 0, tzinfo=LONDON))
        >>> table = open_time.covering(noon, noon)
        >>> table.lower <= noon < table.upper
        True
        """
        timetable = self._timetable
        low, high = _whole(low, "low"), _whole(high, "high")
        zone = timetable.zone
        return timetable.covering(from_micros(low, zone).year, from_micros(high, zone).year)

    def grown(self, table: OpenIntervals, backwards: bool = False) -> OpenIntervals:
        """The open intervals of *table* and of the years after it (before it, *backwards*).

        >>> from westcoast_rules import LONDON, BusinessCalendar
        >>> open_time = BusinessCalendar().open_time
        >>> table = open_time.covering(1795424400000000, 1795424400000000)
        >>> open_time.grown(table).last_year > table.last_year
        True
        """
        if not isinstance(table, OpenIntervals):
            raise WrongTypeError(
                f"table must be OpenIntervals, got {table!r}; get one from covering()"
            )
        return self._timetable.grown(table, backwards)
