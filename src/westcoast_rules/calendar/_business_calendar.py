"""The business calendar: when the desk is open, and business-time arithmetic on datetimes.

:class:`BusinessCalendar` is the face users hold: it checks its definition once, when it is
built, takes and returns aware datetimes, and answers from the timetable of open intervals it
shares with its :attr:`~BusinessCalendar.open_time` (the same answers on instants).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs

from westcoast_rules._instants import (
    FROM_TIMESTAMP,
    KNOWN_ZONES,
    MICROS_PER_SECOND,
    OFFSET_SHIFTS,
    aware_micros,
    from_micros,
    micros,
    offset_shift,
    require_timedelta,
)
from westcoast_rules.calendar._arithmetic import add_open_time
from westcoast_rules.calendar._index import Timetable
from westcoast_rules.calendar._open_time import OpenTime
from westcoast_rules.calendar._values import (
    DEFAULT_REGIONS,
    LONDON,
    WESTCOAST_HOURS,
    HolidayRegion,
    OpenPeriod,
    SpecialHours,
    Window,
    check_closures,
    check_hours,
    check_overnight,
    check_regions,
    require_date,
    to_dates,
    to_hours,
    to_regions,
    to_special_hours,
    to_zone,
)
from westcoast_rules.errors import WrongTypeError

__all__ = ["BusinessCalendar"]


_AMOUNTS: dict[timedelta, int] = {}
"""The microseconds of each duration :meth:`BusinessCalendar.add` was lately given: a caller
adds the same few response targets over and over."""


def _amount(duration: timedelta) -> int:
    if len(_AMOUNTS) > 4_096:
        _AMOUNTS.clear()
    amount = _AMOUNTS[duration] = micros(duration)
    return amount


def _new_timetable(calendar: BusinessCalendar) -> Timetable:
    return Timetable(
        calendar.zone,
        calendar.hours,
        calendar.regions,
        calendar.extra_closures,
        calendar.special_hours,
    )


def _new_open_time(calendar: BusinessCalendar) -> OpenTime:
    return OpenTime(calendar._timetable)


@attrs.frozen
class BusinessCalendar:
    """When the support desk is open, and business-time arithmetic on that (HOURS-1..5).

    The default is the Westcoast calendar: Monday to Friday, 08:00 to 18:00 in
    Europe/London, closed on the bank holidays of England & Wales and of the Republic of
    Ireland. Every method takes and returns timezone-aware datetimes; results are in
    :attr:`zone`. A naive datetime raises :class:`~westcoast_rules.NaiveDatetimeError`.
    :attr:`open_time` answers the same questions on integer instants.

    Args:
        zone: the zone whose wall clock the hours are read in (an IANA key or ZoneInfo).
        hours: opening windows per weekday, Monday first; or ``{weekday: [(start, end)]}``.
        regions: the bank-holiday regions, as :class:`HolidayRegion` values or labels such as
            ``"GB-SCT"``; a day that is a holiday in any of them is closed (HOURS-2).
        extra_closures: further dates on which the desk is closed.
        special_hours: windows for particular dates, ``{date: [(start, end), ...]}``, which
            replace that date's weekly windows; an empty list closes the day. They are the most
            specific word about a date: they beat a bank holiday and an extra closure on it.

    A window may run past midnight (``(time(22), time(6))``): it belongs to the day it starts
    on, so that day's holiday closes all of it and the next day's does not cut it, and it
    must end before the next day's first window opens (or as it opens: the two are then one
    open period). A business day is a day with open time of its own windows.

    The table of open intervals is built lazily, a block of years at a time, the first time a
    question needs those years, and kept for the life of the calendar object: it is invisible
    to equality, hashing and ``repr``, and a copy or a pickle starts without it.

    >>> cal = BusinessCalendar()
    >>> friday_five = datetime(2026, 11, 20, 17, 0, tzinfo=LONDON)
    >>> print(cal.add(friday_five, timedelta(hours=4)))
    2026-11-23 11:00:00+00:00
    """

    zone: ZoneInfo = attrs.field(default=LONDON, converter=to_zone)
    hours: tuple[tuple[Window, ...], ...] = attrs.field(
        default=WESTCOAST_HOURS, converter=to_hours, validator=check_hours
    )
    regions: tuple[HolidayRegion, ...] = attrs.field(
        default=DEFAULT_REGIONS, converter=to_regions, validator=check_regions
    )
    extra_closures: frozenset[date] = attrs.field(
        default=frozenset(), converter=to_dates, validator=check_closures
    )
    special_hours: SpecialHours = attrs.field(factory=SpecialHours, converter=to_special_hours)
    _timetable: Timetable = attrs.field(
        init=False,
        default=attrs.Factory(_new_timetable, takes_self=True),
        eq=False,
        hash=False,
        repr=False,
    )
    open_time: OpenTime = attrs.field(
        init=False,
        default=attrs.Factory(_new_open_time, takes_self=True),
        eq=False,
        hash=False,
        repr=False,
    )
    """This calendar's business time on instants (integer microseconds since the epoch), as
    ``BusinessCalendar().open_time.is_open(1795424400000000)``. An attribute, not a property:
    the rules ask for it per ticket and per resolution, and a property is a call each time."""

    @special_hours.validator
    def _check_special_hours(self, _: attrs.Attribute[SpecialHours], value: SpecialHours) -> None:
        one_day = timedelta(days=1)
        for day, windows in value.items():
            before, after = day - one_day, day + one_day
            earlier = value.get(before, self.hours[before.weekday()])
            later = value.get(after, self.hours[after.weekday()])
            check_overnight(earlier, windows, f"{before}", f"{day}")
            check_overnight(windows, later, f"{day}", f"{after}")

    # -- days ---------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether the desk has open time on this local calendar date, of its own windows
        (HOURS-1, HOURS-2).

        >>> BusinessCalendar().is_business_day(date(2026, 3, 17))  # Saint Patrick's Day
        False
        """
        require_date(day)
        return self._timetable.is_business_day(day)

    def why_closed(self, day: date) -> tuple[str, ...]:
        """The reasons the desk is closed all day on *day*; empty on a business day.

        Weekends are named by the day ("Saturday"); holidays by name and region
        ("Saint Patrick's Day (IE)", "Boxing Day (substitute, GB-ENG)"), from HOURS-2; a date
        closed by its special hours says so.

        >>> BusinessCalendar().why_closed(date(2026, 12, 28))
        ('Boxing Day (substitute, GB-ENG)',)
        """
        require_date(day)
        return self._timetable.why_closed(day)

    def hours_on(self, day: date) -> tuple[Window, ...]:
        """The windows the desk opens on *day*: its special hours, or its weekly windows unless
        a holiday or a closure closes it (HOURS-1, HOURS-2).

        >>> BusinessCalendar().hours_on(date(2026, 12, 25))
        ()
        """
        require_date(day)
        return self._timetable.hours_on(day)

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after *day* (SLA-4).

        >>> BusinessCalendar().next_business_day(date(2026, 12, 24))
        datetime.date(2026, 12, 29)
        """
        require_date(day)
        return self._timetable.next_business_day(day)

    def previous_business_day(self, day: date) -> date:
        """The last business day strictly before *day*.

        >>> BusinessCalendar().previous_business_day(date(2026, 12, 29))
        datetime.date(2026, 12, 24)
        """
        require_date(day)
        return self._timetable.business_day_from(day, timedelta(days=-1))

    def close_of_business(self, day: date) -> datetime:
        """The instant the desk closes on business day *day*: the end of its last window.

        >>> print(BusinessCalendar().close_of_business(date(2026, 11, 23)))
        2026-11-23 18:00:00+00:00
        """
        require_date(day)
        return from_micros(self._timetable.close_of_business(day), self.zone)

    def holidays_in(self, year: int) -> dict[date, tuple[str, ...]]:
        """Every holiday, extra closure and closed special day of *year*, weekends aside, with
        its reasons; a holiday the special hours open is not closed.

        >>> BusinessCalendar().holidays_in(2026)[date(2026, 3, 17)]
        ("Saint Patrick's Day (IE)",)
        """
        if isinstance(year, bool) or not isinstance(year, int):
            raise WrongTypeError(f"year must be an int, got {year!r}")
        days = self._timetable.closed_in(year)
        days |= {day for day in self.special_hours if day.year == year}
        closed = {day: self.why_closed(day) for day in sorted(days)}
        return {day: why for day, why in closed.items() if why}

    # -- instants -----------------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether the desk is open at this instant: ``start <= local time < end`` (HOURS-1).

        >>> BusinessCalendar().is_open(datetime(2026, 10, 23, 18, 0, tzinfo=LONDON))
        False
        """
        return self._timetable.is_open(aware_micros(at, "at"))

    def next_open(self, at: datetime) -> datetime:
        """The first open instant at or after *at*: *at* itself when the desk is open.

        >>> print(BusinessCalendar().next_open(datetime(2026, 10, 24, 9, 0, tzinfo=LONDON)))
        2026-10-27 08:00:00+00:00
        """
        x = aware_micros(at, "at")
        return from_micros(self._timetable.next_open(x), self.zone)

    def next_close(self, at: datetime) -> datetime:
        """The end of the open period *at* lies in, or of the next one when the desk is closed.

        >>> print(BusinessCalendar().next_close(datetime(2026, 10, 23, 9, 0, tzinfo=LONDON)))
        2026-10-23 18:00:00+01:00
        """
        x = aware_micros(at, "at")
        timetable = self._timetable
        index = timetable.at(x)
        i = bisect_right(index.starts, x) - 1
        if i < 0 or x >= index.ends[i]:
            i += 1
        while i >= len(index.starts) or index.ends[i] >= index.upper:
            # The period may run on into years not yet indexed: grow and look again.
            index = timetable.grown(index)
            i = bisect_right(index.starts, x) - 1
            if i < 0 or x >= index.ends[i]:
                i += 1
        return from_micros(index.ends[i], self.zone)

    def add(self, at: datetime, duration: timedelta) -> datetime:
        """The earliest instant at which *duration* of open time has passed since *at*.

        Only open time counts, so a start while closed counts from the next opening. A
        result that lands exactly on a close is that close (18:00, "due by 18:00"), never
        the next opening. ``add(at, timedelta(0))`` is the instant *at* (in :attr:`zone`),
        open or not.

        Compare results as instants (``a.astimezone(UTC) == b.astimezone(UTC)``): by PEP 495 a
        datetime in the repeated autumn hour never ``==`` one of another zone, even at the same
        instant.

        A negative duration subtracts business time: the latest instant from which
        ``-duration`` of open time passes before *at*, so a result that lands on an
        opening is that opening (Monday 10:00 less 2 hours is Monday 08:00, not Friday
        18:00). In both directions ``elapsed(at, add(at, d)) == d``.

        >>> print(BusinessCalendar().add(datetime(2026, 11, 23, 14, 0, tzinfo=LONDON),
        ...                              timedelta(hours=4)))
        2026-11-23 18:00:00+00:00
        """
        # The hottest path of the library: aware_micros' fast path, the duration's microseconds
        # remembered, Timetable.add's lookup of the index and from_micros are inlined here.
        if type(at) is datetime and type(zone := at.tzinfo) in KNOWN_ZONES:
            offset = zone.utcoffset(at)  # type: ignore[union-attr]
            try:
                shift = OFFSET_SHIFTS[offset]  # type: ignore[index]
            except KeyError:
                shift = offset_shift(offset)  # type: ignore[arg-type]
            wall = ((at.toordinal() * 24 + at.hour) * 60 + at.minute) * 60 + at.second
            x = wall * MICROS_PER_SECOND + at.microsecond - shift
        else:
            x = aware_micros(at, "at")
        if type(duration) is timedelta:
            try:
                amount = _AMOUNTS[duration]
            except KeyError:
                amount = _amount(duration)
        else:
            amount = micros(require_timedelta(duration, "duration"))
        timetable = self._timetable
        index = timetable.current
        if index is None or not index.lower <= x < index.upper:
            index = timetable.at(x)
        y = add_open_time(index, x, amount, timetable.grown)
        try:
            return FROM_TIMESTAMP(y / MICROS_PER_SECOND, self.zone)
        except (OverflowError, ValueError, OSError):
            return from_micros(y, self.zone)  # raises the error that says why

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """The open time in ``[start, end)``; negative when *end* is before *start*.

        ``elapsed(b, a) == -elapsed(a, b)``, and ``elapsed(a, add(a, d)) == d``.

        >>> BusinessCalendar().elapsed(datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                            datetime(2026, 11, 23, 11, 0, tzinfo=LONDON))
        datetime.timedelta(seconds=14400)
        """
        a = aware_micros(start, "start")
        b = aware_micros(end, "end")
        return timedelta(microseconds=self.open_time.elapsed(a, b))

    def add_business_days(self, at: datetime, n: int) -> datetime:
        """The same local time *n* business days later, counted from *at* (PROC-4).

        Counting starts at *at*, or at the next opening if the desk is closed then; the
        result is that instant's local time of day on the *n*-th business day after its
        date, open or not (a business day with special hours counts like any other), read as
        :meth:`OpenTime.local_instant` reads a wall time. ``n=0`` gives the start of the count
        itself. A negative *n* counts back, from *at* or from the previous close if the desk is
        closed then.

        >>> print(BusinessCalendar().add_business_days(
        ...     datetime(2026, 12, 23, 10, 0, tzinfo=LONDON), 3))
        2026-12-30 10:00:00+00:00
        >>> print(BusinessCalendar().add_business_days(
        ...     datetime(2026, 12, 30, 10, 0, tzinfo=LONDON), -3))
        2026-12-23 10:00:00+00:00
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise WrongTypeError(f"n must be an int, got {n!r}")
        x = aware_micros(at, "at")
        return from_micros(self._timetable.add_business_days(x, n), self.zone)

    def open_periods(self, start: datetime, end: datetime) -> tuple[OpenPeriod, ...]:
        """The open periods within ``[start, end)``, clipped to it, in time order.

        >>> [str(p.duration) for p in BusinessCalendar().open_periods(
        ...     datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...     datetime(2026, 11, 23, 11, 0, tzinfo=LONDON))]
        ['1:00:00', '3:00:00']
        """
        a = aware_micros(start, "start")
        b = aware_micros(end, "end")
        if b <= a:
            return ()
        timetable = self._timetable
        index = timetable.at(a)
        if not index.lower <= b < index.upper:
            index = timetable.at(b)
        first = max(bisect_right(index.starts, a) - 1, 0)
        periods: list[OpenPeriod] = []
        for i in range(first, len(index.starts)):
            lo, hi = max(index.starts[i], a), min(index.ends[i], b)
            if index.starts[i] >= b:
                break
            if lo < hi:
                periods.append(OpenPeriod(from_micros(lo, self.zone), from_micros(hi, self.zone)))
        return tuple(periods)
