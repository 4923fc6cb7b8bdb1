"""The calendar's index of open intervals, and the timetable that builds it and keeps it.

Every question a calendar answers is a search in one sorted table of open intervals on
instants, with the open time before each (:class:`OpenIntervals`), and in the business days
and closed days of the same years. The :class:`Timetable` builds them lazily, a block of years
at a time, the first time a question needs those years, and keeps them for the life of the
calendar: an index is never changed, only replaced by a larger one, so a reader needs no lock.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

import attrs

from westcoast_rules._instants import from_micros, micros
from westcoast_rules.calendar._values import (
    DAY_NAMES,
    HolidayRegion,
    SpecialHours,
    Window,
    holiday_label,
)
from westcoast_rules.calendar._wall import wall_micros
from westcoast_rules.errors import CalendarRangeError, PolicyError

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = ["OpenIntervals", "Timetable"]

# The index grows a block of years at a time: large enough that a year's queries rarely
# trigger a second build, small enough that the first call stays cheap.
_BLOCK_YEARS: Final = 4
_ONE_DAY: Final = timedelta(days=1)
# The index runs to the local midnight ending its last year, so that year's 31 December must
# have a date after it: 9999's has none.
_LAST_YEAR: Final = 9998
# How many answers per local date a timetable remembers before it starts again: a few
# decades of dates, a few megabytes at most.
_REMEMBERED: Final = 20_000
_DAY_MICROS: Final = 86_400_000_000
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_LAST_ORDINAL: Final = date.max.toordinal()
_VARIES: Final = 1 << 63
"""What the memo of a UTC day's shift holds for a day whose offset changes (or that no
datetime holds): no offset shifts all of it."""


@attrs.frozen
class OpenIntervals:
    """The open intervals of a calendar over a run of whole local years, on instants.

    An immutable snapshot: :attr:`starts` and :attr:`ends` of each open period in time order
    (touching windows are one period), and :attr:`cumulative`, the open time before each. It
    is the calendar's :class:`~westcoast_rules.calendar.OpenTimeTable` for one instant at a
    time; :meth:`OpenTime.covering` gives one.

    >>> from datetime import UTC, datetime
    >>> from westcoast_rules.calendar import BusinessCalendar
    >>> open_time = BusinessCalendar().open_time
    >>> noon = open_time.instant(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    >>> table = open_time.covering(noon, noon)
    >>> table.first_year <= 2026 <= table.last_year
    True
    """

    first_year: int
    """The first local year covered."""
    last_year: int
    """The last local year covered."""
    lower: int
    """The instant of the local midnight starting :attr:`first_year`."""
    upper: int
    """The instant of the local midnight ending :attr:`last_year`."""
    starts: list[int]
    """The instant each open period starts, ascending."""
    ends: list[int]
    """The instant each open period ends."""
    cumulative: list[int]
    """The open time before each period, and after the last: one longer than :attr:`starts`."""
    at_or_before: Callable[[int], int] = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda table: partial(bisect_right, table.starts[1:]), takes_self=True
        ),
        eq=False,
        repr=False,
    )
    """The position of the last period starting at or before instant *x*, 0 when none does:
    ``table.at_or_before(x)``. How many periods after the first start at or before *x*, which
    is that position; a search of C with no call of Python around it, as the arithmetic asks
    it once or twice per call."""
    _reached: list[int] = attrs.field(
        init=False,
        default=attrs.Factory(lambda table: table.cumulative[:-1], takes_self=True),
        eq=False,
        repr=False,
    )
    """:attr:`cumulative` less its last (the open time after the last period): what
    :meth:`reaching` searches, so that the position it gives is always a period's."""

    def reaching(self, target: int, forward: bool) -> int:
        """The position of the period in which *target* of open time is reached: counting
        forward, the one that ends there; counting back, the one that starts there; the last
        for the open time after it."""
        return (bisect_left if forward else bisect_right)(self._reached, target) - 1

    def beyond(self, target: int) -> int:
        """-1 when *target* comes before the first open time, 1 after the last, else 0."""
        return -1 if target < 0 else 1 if target > self.cumulative[-1] else 0

    # clip and choose are plain methods (the protocol takes static ones too): Python calls a
    # method of a slotted instance faster, and these run on every call of the arithmetic.
    def clip(self, x: int, low: int, high: int) -> int:
        """*x*, or *low* or *high* when it lies outside them."""
        return low if x < low else high if x > high else x

    def choose(self, condition: bool, when: int, otherwise: int) -> int:
        """*when* if *condition* holds, else *otherwise*."""
        return when if condition else otherwise


class Timetable:
    """The open intervals, business days and closed days of one calendar, built lazily.

    Built from the calendar's definition (zone, weekly hours, holiday regions, extra closures,
    special hours), which never changes. The index is rebuilt under a lock and read without
    one. A copy or a pickle starts empty: a lock cannot be copied, and the tables are cheap to
    build again.
    """

    __slots__ = (
        "_days",
        "_days_after",
        "_following",
        "_intervals",
        "_shifts",
        "_supported",
        "closed",
        "current",
        "extra_closures",
        "hours",
        "lock",
        "regions",
        "special_hours",
        "zone",
    )

    def __init__(
        self,
        zone: ZoneInfo,
        hours: tuple[tuple[Window, ...], ...],
        regions: tuple[HolidayRegion, ...],
        extra_closures: frozenset[date],
        special_hours: SpecialHours,
    ) -> None:
        self.zone = zone
        self.hours = hours
        self.regions = regions
        self.extra_closures = extra_closures
        self.special_hours = special_hours
        self.current: OpenIntervals | None = None
        """The latest index; each one covers the years of those before it."""
        self.closed: dict[date, tuple[str, ...]] = {}
        """The holidays and closures of the years built, with their reasons (HOURS-2)."""
        self.lock = threading.Lock()
        self._intervals: dict[int, list[tuple[int, int]]] = {}
        """The open intervals of the windows of each year's days, in order."""
        self._days: dict[date, tuple[int, int]] = {}
        """Each business day of the years built: its first opening and its close of business."""
        self._supported: tuple[int, int] | None = None
        # Answers that depend on a local date alone, remembered: a report asks them per ticket.
        self._following: dict[date, date] = {}
        """The next business day after each date asked about (SLA-4)."""
        self._days_after: dict[tuple[date, int], date] = {}
        """The business day *n* after each date asked about, by date and *n* (PROC-4)."""
        self._shifts: dict[int, int] = {}
        """What turns an instant of each UTC day asked about (by its number since the epoch)
        into its local wall time (:meth:`wall_time`): the zone's offset through that day and
        the epoch's day number, in microseconds; :data:`_VARIES` for a day in which the offset
        changes."""

    def __reduce__(self) -> tuple[type[Timetable], tuple[object, ...]]:
        definition = (self.zone, self.hours, self.regions, self.extra_closures)
        return (Timetable, (*definition, self.special_hours))

    # -- days -----------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether *day* has open time of its own windows (HOURS-1, HOURS-2)."""
        self.covering(day.year, day.year)
        return day in self._days

    def close_of_business(self, day: date) -> int:
        """The end of the last window of business day *day*, as an instant."""
        span = self._days.get(day)
        if span is None:
            if not self.is_business_day(day):
                raise PolicyError(
                    f"{day} is not a business day ({', '.join(self.why_closed(day))}), so it "
                    "has no close of business; use next_business_day() first"
                )
            span = self._days[day]
        return span[1]

    def why_closed(self, day: date) -> tuple[str, ...]:
        """The reasons *day* has no open time; empty on a business day (HOURS-1, HOURS-2)."""
        if self.is_business_day(day):
            return ()
        if day in self.special_hours:
            return ("closed by special hours",)
        reasons: tuple[str, ...] = ()
        if not self.hours[day.weekday()]:
            reasons = (DAY_NAMES[day.weekday()],)
        reasons += self.closed.get(day, ())
        return reasons or ("no open time: its hours fall in the hour the clocks skip",)

    def hours_on(self, day: date) -> tuple[Window, ...]:
        """The windows of *day*: its special hours, else its weekly ones unless closed."""
        special = self.special_hours.get(day)
        if special is not None:
            return special
        self.covering(day.year, day.year)
        return () if day in self.closed else self.hours[day.weekday()]

    def closed_in(self, year: int) -> set[date]:
        """The holidays and extra closures of *year* (HOURS-2)."""
        self.covering(year, year)
        with self.lock:  # another thread may be adding years to the table
            return {day for day in self.closed if day.year == year}

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after *day*, remembered (SLA-4)."""
        known = self._following.get(day)
        if known is None:
            if len(self._following) >= _REMEMBERED:
                self._following.clear()
            known = self._following[day] = self.business_day_from(day, _ONE_DAY)
        return known

    def business_day_from(self, day: date, step: timedelta) -> date:
        """The first business day after *day* in the direction of *step* (one day)."""
        candidate = day
        for _ in range(366):
            try:
                candidate += step
            except OverflowError:
                raise CalendarRangeError(
                    f"no business day follows {day} in the years a date can hold (1 to 9999)"
                ) from None
            if self.is_business_day(candidate):
                return candidate
        raise PolicyError(f"the calendar has no business day in the year from {day}")

    def wall_time(self, x: int) -> int | None:
        """The local wall time of instant *x*, in microseconds from the local midnight starting
        day 0 of :meth:`date.toordinal`: *x* shifted by the zone's offset, where that offset
        holds through its UTC day (remembered per day); ``None`` on a day in which it changes.
        Its local date is ``date.fromordinal(wall // 86_400_000_000)``, its time of day the
        rest."""
        day = x // _DAY_MICROS
        shift = self._shifts.get(day)
        if shift is None:
            shift = self._shift_through(day)
        return None if shift == _VARIES else x + shift

    def _shift_through(self, day: int) -> int:
        """What :meth:`wall_time` adds to the instants of UTC day *day*, remembered: the zone's
        offset, the same at both ends of the day, as no zone of the tz database changes its
        offset twice within a day (the closest two changes are days apart), and the epoch's
        day number; else :data:`_VARIES`."""
        if len(self._shifts) >= _REMEMBERED:
            self._shifts.clear()
        start = day * _DAY_MICROS
        try:
            first = from_micros(start, self.zone).utcoffset()
            # Its last whole second: offsets change on whole seconds, and a float holds it.
            last = from_micros(start + _DAY_MICROS - 1_000_000, self.zone).utcoffset()
        except CalendarRangeError:  # a day at the ends of the years a datetime holds
            shift = _VARIES
        else:
            if first != last or first is None:
                shift = _VARIES
            else:
                shift = micros(first) + _EPOCH_ORDINAL * _DAY_MICROS
        self._shifts[day] = shift
        return shift

    def local_instant(self, day: date, clock: time) -> int:
        """The first instant at which the local clock reads *clock* on *day*, or later: in the
        hour the clocks skip, the instant they jump; in the hour they repeat, the first."""
        seconds = clock.hour * 3_600 + clock.minute * 60 + clock.second
        return wall_micros(self.zone, day, seconds, clock.microsecond)

    # -- open time on instants ----------------------------------------------------------------

    def is_open(self, x: int) -> bool:
        """Whether instant *x* lies in an open period: ``start <= local time < end`` (HOURS-1)."""
        index = self.current
        if index is None or not index.lower <= x < index.upper:
            index = self.at(x)
        i = bisect_right(index.starts, x) - 1
        return i >= 0 and x < index.ends[i]

    def next_open(self, x: int) -> int:
        """*x* itself when open; otherwise the start of the next open period."""
        index = self.at(x)
        i = bisect_right(index.starts, x) - 1
        if i >= 0 and x < index.ends[i]:
            return x
        while i + 1 >= len(index.starts):
            index = self.grown(index)
            i = bisect_right(index.starts, x) - 1
        return index.starts[i + 1]

    def previous_close(self, x: int) -> int:
        """*x* itself when open; otherwise the end of the last open period before it."""
        index = self.at(x)
        i = bisect_right(index.starts, x) - 1
        while i < 0:
            index = self.grown(index, backwards=True)
            i = bisect_right(index.starts, x) - 1
        return min(x, index.ends[i])

    def add_business_days(self, x: int, n: int) -> int:
        """The same local time *n* business days later, counted from *x* or from the next
        opening (from the previous close when *n* is negative) (PROC-4)."""
        start = self.next_open(x) if n >= 0 else self.previous_close(x)
        # Its local date and time of day from its wall time (as OpenTime.local_date reads
        # one), without a datetime; from its datetime on a day of a change.
        first = None
        wall = self.wall_time(start)
        if wall is not None:
            ordinal, clock = divmod(wall, _DAY_MICROS)
            if 0 < ordinal <= _LAST_ORDINAL:  # else outside the years a date holds: refused below
                first = date.fromordinal(ordinal)
        if first is None:
            local = from_micros(start, self.zone)
            first = local.date()
            clock = (local.hour * 3_600 + local.minute * 60 + local.second) * 1_000_000
            clock += local.microsecond
        key = (first, n)
        day = self._days_after.get(key)
        if day is None:
            day = first
            for _ in range(n):
                day = self.next_business_day(day)
            for _ in range(-n):
                day = self.business_day_from(day, -_ONE_DAY)
            if len(self._days_after) >= _REMEMBERED:
                self._days_after.clear()
            self._days_after[key] = day
        seconds, microsecond = divmod(clock, 1_000_000)
        return wall_micros(self.zone, day, seconds, microsecond)

    # -- the index --------------------------------------------------------------------------

    def at(self, x: int) -> OpenIntervals:
        """The index, grown to cover the local year of instant *x*."""
        index = self.current
        if index is not None and index.lower <= x < index.upper:
            return index
        year = from_micros(x, self.zone).year
        return self.covering(year, year)

    def grown(self, index: OpenIntervals, backwards: bool = False) -> OpenIntervals:
        """The index with a block of years more, after the last year of *index* or before its
        first."""
        if backwards:
            return self.covering(index.first_year - 1, index.first_year - 1)
        return self.covering(index.last_year + 1, index.last_year + 1)

    def covering(self, first: int, last: int) -> OpenIntervals:
        """The index, grown (a block at a time) to cover local years *first* to *last*."""
        index = self.current
        if index is not None and index.first_year <= first and last <= index.last_year:
            return index
        with self.lock:
            index = self.current
            if index is not None and index.first_year <= first and last <= index.last_year:
                return index
            low_limit, high_limit = self._supported_years()
            if last > _LAST_YEAR:
                raise CalendarRangeError(
                    f"year {last} is outside 1-{_LAST_YEAR}, the years whose every day has a "
                    "midnight after it that a date can hold; ask about an earlier instant"
                )
            if not (low_limit <= first and last <= high_limit):
                raise CalendarRangeError(
                    f"year {first if first < low_limit else last} is outside {low_limit}-"
                    f"{high_limit}, the years the holiday data of "
                    f"{', '.join(r.label for r in self.regions)} covers; no closing days "
                    "could be trusted there"
                )
            block_first = max(low_limit, first - first % _BLOCK_YEARS)
            block_last = min(high_limit, last - last % _BLOCK_YEARS + _BLOCK_YEARS - 1)
            if index is not None:
                block_first = min(block_first, index.first_year)
                block_last = max(block_last, index.last_year)
            years = range(block_first, block_last + 1)
            if block_first > low_limit and self._runs_past_midnight():
                years = range(block_first - 1, block_last + 1)  # its 31 December runs into these
            missing = [y for y in years if y not in self._intervals]
            if missing:
                self._build_years(missing)
            index = self.current = self._assemble(block_first, block_last)
            return index

    def _runs_past_midnight(self) -> bool:
        """Whether any window of the calendar runs past midnight."""
        rows = (*self.hours, *self.special_hours.values())
        return any(window.overnight for row in rows for window in row)

    def _supported_years(self) -> tuple[int, int]:
        if self._supported is None:
            import holidays  # noqa: PLC0415  (~60 ms: only when a calendar needs its holidays)

            first, last = 1, _LAST_YEAR
            for region in self.regions:
                data = holidays.country_holidays(region.country, subdiv=region.subdiv)
                first = max(first, int(data.start_year))
                last = min(last, int(data.end_year))
            self._supported = (first, last)
        return self._supported

    def _build_years(self, years: list[int]) -> None:
        import holidays  # noqa: PLC0415  (~60 ms: only when a calendar needs its holidays)

        for region in self.regions:
            data: HolidayBase = holidays.country_holidays(
                region.country, subdiv=region.subdiv, years=years
            )
            for day, names in sorted(data.items()):
                labels = tuple(holiday_label(n, region) for n in names.split("; "))
                self.closed[day] = self.closed.get(day, ()) + labels
        year_set = set(years)
        for day in sorted(self.extra_closures):
            if day.year in year_set:
                self.closed[day] = (*self.closed.get(day, ()), "closure date set by the calendar")
        for year in years:
            self._intervals[year] = list(self._year_intervals(year))

    def _year_intervals(self, year: int) -> Iterator[tuple[int, int]]:
        """The open intervals of the windows of each day of *year*, noting its business days."""
        day = date(year, 1, 1)
        special, closed, days, zone = self.special_hours, self.closed, self._days, self.zone
        while day.year == year:
            if day in special:
                windows = special[day]  # the most specific word about a date
            else:
                windows = () if day in closed else self.hours[day.weekday()]
            spans = [
                (wall_micros(zone, day, w.start_second), wall_micros(zone, day, w.end_second))
                for w in windows
            ]
            spans = [(lo, hi) for lo, hi in spans if lo < hi]  # a window the clocks skip is empty
            if spans:
                days[day] = (spans[0][0], spans[-1][1])
                yield from spans
            day += _ONE_DAY

    def _assemble(self, first: int, last: int) -> OpenIntervals:
        lower = wall_micros(self.zone, date(first, 1, 1), 0)
        upper = wall_micros(self.zone, date(last + 1, 1, 1), 0)
        # A window of the last day before these years may run past midnight into them.
        before = self._intervals.get(first - 1, [])[-1:]
        starts: list[int] = []
        ends: list[int] = []
        for year in range(first, last + 1):
            for lo, hi in self._intervals[year]:
                if ends and lo <= ends[-1]:
                    ends[-1] = max(ends[-1], hi)  # touching windows are one open period
                else:
                    starts.append(lo)
                    ends.append(hi)
        for lo, hi in before:
            if hi <= lower:
                continue
            if starts and hi >= starts[0]:  # touching the first window: one open period
                starts[0], ends[0] = lo, max(ends[0], hi)
            else:
                starts.insert(0, lo)
                ends.insert(0, hi)
        cumulative = [0]
        for lo, hi in zip(starts, ends, strict=True):
            cumulative.append(cumulative[-1] + hi - lo)
        return OpenIntervals(first, last, lower, upper, starts, ends, cumulative)
