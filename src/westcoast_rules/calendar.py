"""Business-hours arithmetic on a calendar of opening windows and closed days.

The calendar answers the questions the response targets are built on: is the desk open at
this instant (HOURS-1, HOURS-2), when does it next open, when is four business hours after
this instant (SLA-3), how much open time lies between two instants, and what is "three
business days later" (PROC-4).

Every answer is computed on instants (integer microseconds since the epoch, HOURS-4) against a
sorted table of open intervals with the cumulative open time before each one, so a call is a
couple of binary searches (``bisect``) whatever the span. The table is built lazily, a block of
years at a time, the first time a query needs those years, and kept for the life of the
calendar object: it is invisible to equality, hashing and ``repr``.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar
from zoneinfo import ZoneInfo

import attrs

from westcoast_rules._instants import (
    KNOWN_ZONES,
    MICROS_PER_SECOND,
    aware_micros,
    find_zone,
    from_micros,
    micros,
    require_timedelta,
    to_micros,
)
from westcoast_rules.errors import CalendarRangeError, PolicyError, WrongTypeError

if TYPE_CHECKING:
    from holidays import HolidayBase

__all__ = [
    "DEFAULT_REGIONS",
    "LONDON",
    "WESTCOAST_HOURS",
    "BusinessCalendar",
    "HolidayRegion",
    "OpenPeriod",
    "Window",
]

LONDON: Final = ZoneInfo("Europe/London")
_DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MIDNIGHT: Final = time(0)
# The index grows a block of years at a time: large enough that a year's queries rarely
# trigger a second build, small enough that the first call stays cheap.
_BLOCK_YEARS: Final = 4


def _seconds_of_day(value: time, *, is_end: bool) -> int:
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    if is_end and value == _MIDNIGHT:
        return 86_400
    return seconds


@attrs.frozen
class Window:
    """One daily opening window ``[start, end)`` in local wall time (HOURS-1).

    ``end=time(0)`` means midnight at the end of the day (24:00). A window whose end is before
    its start runs past midnight and belongs to the day it starts on: ``Window(time(22),
    time(6))`` is open from 22:00 until 06:00 the next morning. Times carry no timezone: the
    calendar's zone gives them meaning. The desk is open when ``start <= local time < end``, so
    a boundary in the hour the clocks skip in spring is the instant they jump.

    >>> Window(time(8), time(18))
    Window(start=datetime.time(8, 0), end=datetime.time(18, 0))
    >>> Window(time(22), time(6)).overnight
    True
    """

    start: time = attrs.field()
    end: time = attrs.field()

    @start.validator
    @end.validator
    def _check_time(self, attribute: attrs.Attribute[time], value: time) -> None:
        if not isinstance(value, time):
            raise WrongTypeError(
                f"Window.{attribute.name} must be a datetime.time, got {value!r}; "
                "pass e.g. time(8, 0)"
            )
        if value.tzinfo is not None or value.microsecond:
            raise PolicyError(
                f"Window.{attribute.name} {value!r} must be a plain wall time with whole "
                "seconds and no tzinfo: the calendar's zone gives it meaning"
            )

    def __attrs_post_init__(self) -> None:
        if self.start == self.end and self.start != _MIDNIGHT:
            raise PolicyError(
                f"an opening window must not be empty, got {self.start}-{self.end}; "
                "use time(0)-time(0) for a window open all day"
            )

    @property
    def start_second(self) -> int:
        """Seconds after local midnight at which the window opens."""
        return _seconds_of_day(self.start, is_end=False)

    @property
    def end_second(self) -> int:
        """Seconds after the local midnight starting its day at which the window closes:
        86400 for midnight, more for a window that runs past midnight."""
        end = _seconds_of_day(self.end, is_end=True)
        return end if end > self.start_second else end + 86_400

    @property
    def overnight(self) -> bool:
        """Whether the window runs past midnight into the next day."""
        return self.end_second > 86_400

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@attrs.frozen
class HolidayRegion:
    """A region whose bank holidays close the desk, as the ``holidays`` package names it.

    >>> HolidayRegion("GB", "ENG").label
    'GB-ENG'
    """

    country: str = attrs.field()
    subdiv: str | None = None

    @country.validator
    def _check_country(self, _: attrs.Attribute[str], value: str) -> None:
        if not (isinstance(value, str) and len(value) == 2 and value.isupper()):
            raise PolicyError(
                f"HolidayRegion.country must be an ISO 3166-1 alpha-2 code such as 'GB' or "
                f"'IE', got {value!r}"
            )

    @property
    def label(self) -> str:
        """The region as shown in explanations: ``GB-ENG``, ``IE``."""
        return self.country if self.subdiv is None else f"{self.country}-{self.subdiv}"


_WEEKDAY: Final = (Window(time(8), time(18)),)
WESTCOAST_HOURS: Final[tuple[tuple[Window, ...], ...]] = (_WEEKDAY,) * 5 + ((), ())
"""Monday to Friday, 08:00 to 18:00 local time (HOURS-1); index 0 is Monday."""

DEFAULT_REGIONS: Final = (HolidayRegion("GB", "ENG"), HolidayRegion("IE"))
"""England & Wales and the Republic of Ireland: a day closed in either is closed (HOURS-2)."""


@attrs.frozen
class OpenPeriod:
    """A stretch of open time ``[start, end)``, in the calendar's zone."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        """The open time in the period (real elapsed time)."""
        return timedelta(microseconds=to_micros(self.end) - to_micros(self.start))


def _to_zone(value: ZoneInfo | str) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    if isinstance(value, str):
        zone = find_zone(value)
        if zone is None:
            raise PolicyError(
                f"unknown time zone {value[:80]!r}: give an IANA key such as 'Europe/London'"
            )
        return zone
    raise WrongTypeError(f"zone must be a ZoneInfo or an IANA key string, got {value!r}")


def _to_hours(
    value: Mapping[int, Iterable[Window | tuple[time, time]]] | Iterable[Iterable[Window]],
) -> tuple[tuple[Window, ...], ...]:
    """Accept ``{weekday: [(start, end), ...]}`` (0 = Monday, missing days closed) or seven rows."""
    if isinstance(value, Mapping):
        unknown = sorted(k for k in value if k not in range(7))
        if unknown:
            raise PolicyError(f"weekdays run from 0 (Monday) to 6 (Sunday), got {unknown}")
        rows: list[tuple[Window, ...]] = []
        for day in range(7):
            windows = value.get(day, ())
            rows.append(tuple(_to_window(w, _DAY_NAMES[day]) for w in windows))
        return tuple(rows)
    return tuple(tuple(row) for row in value)


def _to_window(item: Window | tuple[time, time], where: str) -> Window:
    """A window given as a Window or as a ``(start, end)`` pair of times."""
    if isinstance(item, Window):
        return item
    if isinstance(item, tuple | list) and len(item) == 2:
        return Window(*item)
    raise WrongTypeError(
        f"the windows of {where} must be Windows or (start, end) pairs of times, got {item!r}; "
        "write e.g. (time(8), time(18))"
    )


def _check_hours(
    _: object,
    __: attrs.Attribute[tuple[tuple[Window, ...], ...]],
    value: tuple[tuple[Window, ...], ...],
) -> None:
    if len(value) != 7:
        raise PolicyError(f"hours needs one row per weekday (7, Monday first), got {len(value)}")
    if not any(value):
        raise PolicyError("hours has no opening window on any weekday: the desk would never open")
    for day, windows in enumerate(value):
        for window in windows:
            if not isinstance(window, Window):
                raise WrongTypeError(f"hours for {_DAY_NAMES[day]} must be Windows, got {window!r}")
    for day, windows in enumerate(value):
        _check_day(windows, _DAY_NAMES[day])
        following = value[(day + 1) % 7]
        _check_overnight(windows, following, _DAY_NAMES[day], _DAY_NAMES[(day + 1) % 7])


def _check_day(windows: tuple[Window, ...], name: str) -> None:
    """A day's windows are in order and do not overlap (only the last may run past midnight)."""
    for before, after in pairwise(windows):
        if after.start_second < before.end_second:
            raise PolicyError(
                f"opening windows on {name} must be in order and not overlap: {before} then {after}"
            )


def _check_overnight(
    windows: tuple[Window, ...], following: tuple[Window, ...], name: str, next_name: str
) -> None:
    """A window past midnight ends before the next day's first window opens (or as it opens)."""
    if windows and following and windows[-1].end_second - 86_400 > following[0].start_second:
        raise PolicyError(
            f"the {name} window {windows[-1]} runs past midnight into {next_name}'s window "
            f"{following[0]}: end it by {following[0].start:%H:%M}, or merge the two"
        )


def _to_regions(value: Iterable[HolidayRegion | str]) -> tuple[HolidayRegion, ...]:
    """Accept regions as records or as their labels: ``"GB-SCT"``, ``"IE"``."""
    if isinstance(value, str | HolidayRegion) or not isinstance(value, Iterable):
        raise WrongTypeError(
            f"regions must be a collection of regions, got {value!r}; "
            'write e.g. ("GB-ENG", "IE", "GB-SCT")'
        )
    return tuple(_region(item) for item in value)


def _region(item: HolidayRegion | str) -> HolidayRegion:
    if isinstance(item, str):
        country, _, subdiv = item.partition("-")
        return HolidayRegion(country, subdiv or None)
    return item


def _check_regions(
    _: object, __: attrs.Attribute[tuple[HolidayRegion, ...]], value: tuple[HolidayRegion, ...]
) -> None:
    if value == DEFAULT_REGIONS:
        return  # known good; checking would import `holidays` (~60 ms) at import time
    import holidays  # noqa: PLC0415  (~60 ms: only when a calendar needs its holidays)

    supported = holidays.list_supported_countries()
    for region in value:
        if not isinstance(region, HolidayRegion):
            raise WrongTypeError(f"regions must be HolidayRegion values, got {region!r}")
        if region.country not in supported:
            raise PolicyError(f"the holidays package has no country {region.country!r}")
        if region.subdiv is not None and region.subdiv not in supported[region.country]:
            raise PolicyError(
                f"{region.country} has no subdivision {region.subdiv!r}; "
                f"choose one of {', '.join(supported[region.country])}"
            )


def _to_dates(value: Iterable[date]) -> frozenset[date]:
    if isinstance(value, date) or not isinstance(value, Iterable):
        raise WrongTypeError(
            f"extra_closures must be a collection of dates, got {value!r}; "
            "write e.g. frozenset({date(2026, 12, 24)})"
        )
    return frozenset(value)


def _check_closures(
    _: object, __: attrs.Attribute[frozenset[date]], value: frozenset[date]
) -> None:
    for day in value:
        if isinstance(day, datetime) or not isinstance(day, date):
            raise WrongTypeError(f"extra_closures must hold dates, got {day!r}")


class SpecialHours(Mapping[date, tuple[Window, ...]]):
    """Opening windows for particular dates, replacing that date's weekly windows.

    An immutable mapping from a date to its windows; an empty tuple closes the day. Built from
    ``{date: [(start, end), ...]}`` or from Windows.

    >>> SpecialHours({date(2026, 12, 24): [(time(8), time(13))]})[date(2026, 12, 24)]
    (Window(start=datetime.time(8, 0), end=datetime.time(13, 0)),)
    """

    __slots__ = ("_days",)

    def __init__(
        self, days: Mapping[date, Iterable[Window | tuple[time, time]]] | None = None
    ) -> None:
        if days is None:
            days = {}
        if not isinstance(days, Mapping):
            raise WrongTypeError(
                f"special_hours must map dates to windows, got {days!r}; write e.g. "
                "{date(2026, 12, 24): [(time(8), time(13))]}"
            )
        checked: dict[date, tuple[Window, ...]] = {}
        for day, windows in sorted(days.items(), key=lambda item: _date_key(item[0])):
            if isinstance(windows, str | Window) or not isinstance(windows, Iterable):
                raise WrongTypeError(
                    f"special_hours[{day}] must be a list of windows, got {windows!r}; write "
                    "e.g. [(time(8), time(13))], or [] to close the day"
                )
            checked[day] = tuple(_to_window(w, f"{day}") for w in windows)
            _check_day(checked[day], f"{day}")
        self._days = checked

    def __getitem__(self, day: date) -> tuple[Window, ...]:
        return self._days[day]

    def __iter__(self) -> Iterator[date]:
        return iter(self._days)

    def __len__(self) -> int:
        return len(self._days)

    def __hash__(self) -> int:
        return hash(tuple(self._days.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpecialHours):
            return self._days == other._days
        return NotImplemented

    def __repr__(self) -> str:
        return f"SpecialHours({self._days!r})"

    def __reduce__(self) -> tuple[type[SpecialHours], tuple[dict[date, tuple[Window, ...]]]]:
        return (SpecialHours, (self._days,))


def _date_key(day: object) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise WrongTypeError(f"special_hours must be keyed by dates, got {day!r}")
    return day


def _to_special_hours(
    value: SpecialHours | Mapping[date, Iterable[Window | tuple[time, time]]] | None,
) -> SpecialHours:
    return value if isinstance(value, SpecialHours) else SpecialHours(value)


def _require_date(day: object) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise WrongTypeError(
            f"day must be a datetime.date, got {day!r}; for an instant t use "
            "t.astimezone(calendar.zone).date()"
        )


def _holiday_label(name: str, region: HolidayRegion) -> str:
    # The holidays package marks substitute days "(observed)"; say what it means here.
    observed = " (observed)"
    if name.endswith(observed):
        return f"{name[: -len(observed)]} (substitute, {region.label})"
    return f"{name} ({region.label})"


_X = TypeVar("_X")
"""Instants: an ``int`` here, a column of them in :mod:`westcoast_rules.frames`."""


class OpenTimeTable(Protocol[_X]):
    """A table of open intervals in time order, with the open time before each: what
    business-time arithmetic searches. The calendar's index is one, on integer instants;
    :mod:`westcoast_rules.frames` has one that searches for a whole column of instants at once.
    The arithmetic itself (:func:`open_time_before`, :func:`add_open_time`,
    :func:`open_time_between`) is written once, for either."""

    @property
    def starts(self) -> Any: ...
    @property
    def ends(self) -> Any: ...
    @property
    def cumulative(self) -> Any:
        """The open time before each interval, and after the last: one longer than starts."""

    def at_or_before(self, x: _X) -> _X:
        """The position of the last interval starting at or before *x*; 0 when none does."""

    def reaching(self, target: _X, forward: Any) -> _X:
        """The position of the interval in which *target* of open time is reached: counting
        forward, the one that ends there; counting back, the one that starts there."""

    def beyond(self, target: _X) -> int:
        """-1 when some *target* comes before the table's first open time, 1 when some comes
        after its last, else 0."""

    @staticmethod
    def clip(x: _X, low: _X, high: _X) -> _X:
        """*x*, or *low* or *high* when it lies outside them."""

    @staticmethod
    def choose(condition: Any, when: _X, otherwise: _X) -> _X:
        """*when* where *condition* holds, else *otherwise*."""


_Table = TypeVar("_Table", bound=OpenTimeTable[Any])


def open_time_before(table: OpenTimeTable[_X], x: _X) -> _X:
    """The open time of *table* before instant *x* (HOURS-3: only open time counts)."""
    i = table.at_or_before(x)
    start = table.starts[i]
    return table.cumulative[i] + table.clip(x, start, table.ends[i]) - start  # type: ignore[no-any-return]


def open_time_between(table: OpenTimeTable[_X], a: _X, b: _X) -> _X:
    """The open time in ``[a, b)``, negative when *b* is before *a* (HOURS-3)."""
    return open_time_before(table, b) - open_time_before(table, a)  # type: ignore[no-any-return, operator]


def add_open_time(
    table: _Table, x: Any, amount: Any, grow: Callable[[_Table, bool], _Table]
) -> Any:
    """The instant at which *amount* of open time has passed since instant *x* (HOURS-3);
    ``grow(table, backwards)`` gives the table for more years when it ends too soon.

    A result that lands on a close is that close ("due by 18:00"), never the next opening. A
    negative *amount* counts back, and a result that lands on an opening is that opening. No
    time to add is the instant *x* itself, open or not.
    """
    while True:
        target = open_time_before(table, x) + amount
        beyond = table.beyond(target)
        if not beyond:
            break
        table = grow(table, beyond < 0)
    j = table.reaching(target, amount > 0)
    return table.choose(amount == 0, x, table.starts[j] + target - table.cumulative[j])


@attrs.frozen
class _Index:
    """An immutable snapshot of the open intervals of a contiguous range of years."""

    first_year: int
    last_year: int
    lower: int  # instant of local midnight starting first_year
    upper: int  # instant of local midnight ending last_year
    starts: list[int]
    ends: list[int]
    cumulative: list[int]  # open time before interval i; one longer than starts

    # The searches of an OpenTimeTable, for one instant.
    def at_or_before(self, x: int) -> int:
        i = bisect_right(self.starts, x) - 1
        return i if i > 0 else 0

    def reaching(self, target: int, forward: bool) -> int:
        return (bisect_left if forward else bisect_right)(self.cumulative, target) - 1

    def beyond(self, target: int) -> int:
        return -1 if target < 0 else 1 if target > self.cumulative[-1] else 0

    @staticmethod
    def clip(x: int, low: int, high: int) -> int:
        return low if x < low else high if x > high else x

    @staticmethod
    def choose(condition: bool, when: int, otherwise: int) -> int:
        return when if condition else otherwise


@attrs.define
class _IndexCache:
    """The lazily built index of a calendar; rebuilt under a lock, read without one.

    A copy or a pickle of a calendar starts with an empty cache of its own: a lock cannot be
    copied, and the index is cheap to build again.
    """

    def __reduce__(self) -> tuple[type[_IndexCache], tuple[()]]:
        return (_IndexCache, ())

    def __deepcopy__(self, memo: dict[int, object]) -> _IndexCache:
        return _IndexCache()

    index: _Index | None = None
    closed: dict[date, tuple[str, ...]] = attrs.Factory(dict)
    """The holidays and closures of the years built, with their reasons (HOURS-2)."""
    intervals: dict[int, list[tuple[int, int]]] = attrs.Factory(dict)
    """The open intervals of the windows of each year's days, in order."""
    days: dict[date, tuple[int, int]] = attrs.Factory(dict)
    """Each business day of the years built: its first opening and its close of business."""
    supported: tuple[int, int] | None = None
    # Answers that depend on a local date alone, remembered: a report asks them per ticket.
    following: dict[date, date] = attrs.Factory(dict)
    """The next business day after each date asked about (SLA-4)."""
    midnights: dict[date, int] = attrs.Factory(dict)
    """The instant of each local midnight asked about (PROC-6)."""
    lock: threading.Lock = attrs.Factory(threading.Lock)


@attrs.frozen
class BusinessCalendar:
    """When the support desk is open, and business-time arithmetic on that (HOURS-1..5).

    The default is the Westcoast calendar: Monday to Friday, 08:00 to 18:00 in
    Europe/London, closed on the bank holidays of England & Wales and of the Republic of
    Ireland. Every method takes and returns timezone-aware datetimes; results are in
    :attr:`zone`. A naive datetime raises :class:`~westcoast_rules.NaiveDatetimeError`.

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

    >>> cal = BusinessCalendar()
    >>> friday_five = datetime(2026, 11, 20, 17, 0, tzinfo=LONDON)
    >>> print(cal.add(friday_five, timedelta(hours=4)))
    2026-11-23 11:00:00+00:00
    """

    zone: ZoneInfo = attrs.field(default=LONDON, converter=_to_zone)
    hours: tuple[tuple[Window, ...], ...] = attrs.field(
        default=WESTCOAST_HOURS, converter=_to_hours, validator=_check_hours
    )
    regions: tuple[HolidayRegion, ...] = attrs.field(
        default=DEFAULT_REGIONS, converter=_to_regions, validator=_check_regions
    )
    extra_closures: frozenset[date] = attrs.field(
        default=frozenset(), converter=_to_dates, validator=_check_closures
    )
    special_hours: SpecialHours = attrs.field(factory=SpecialHours, converter=_to_special_hours)
    _cache: _IndexCache = attrs.field(
        init=False, factory=_IndexCache, eq=False, hash=False, repr=False
    )

    @special_hours.validator
    def _check_special_hours(self, _: attrs.Attribute[SpecialHours], value: SpecialHours) -> None:
        one_day = timedelta(days=1)
        for day, windows in value.items():
            before, after = day - one_day, day + one_day
            earlier = value.get(before, self.hours[before.weekday()])
            later = value.get(after, self.hours[after.weekday()])
            _check_overnight(earlier, windows, f"{before}", f"{day}")
            _check_overnight(windows, later, f"{day}", f"{after}")

    # -- days ---------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether the desk has open time on this local calendar date, of its own windows
        (HOURS-1, HOURS-2).

        >>> BusinessCalendar().is_business_day(date(2026, 3, 17))  # Saint Patrick's Day
        False
        """
        _require_date(day)
        self._ensure_years(day.year, day.year)
        return day in self._cache.days

    def why_closed(self, day: date) -> tuple[str, ...]:
        """The reasons the desk is closed all day on *day*; empty on a business day.

        Weekends are named by the day ("Saturday"); holidays by name and region
        ("Saint Patrick's Day (IE)", "Boxing Day (substitute, GB-ENG)"), from HOURS-2; a date
        closed by its special hours says so.

        >>> BusinessCalendar().why_closed(date(2026, 12, 28))
        ('Boxing Day (substitute, GB-ENG)',)
        """
        if self.is_business_day(day):
            return ()
        if day in self.special_hours:
            return ("closed by special hours",)
        reasons: tuple[str, ...] = ()
        if not self.hours[day.weekday()]:
            reasons = (_DAY_NAMES[day.weekday()],)
        reasons += self._cache.closed.get(day, ())
        return reasons or ("no open time: its hours fall in the hour the clocks skip",)

    def hours_on(self, day: date) -> tuple[Window, ...]:
        """The windows the desk opens on *day*: its special hours, or its weekly windows unless
        a holiday or a closure closes it (HOURS-1, HOURS-2).

        >>> BusinessCalendar().hours_on(date(2026, 12, 25))
        ()
        """
        _require_date(day)
        special = self.special_hours.get(day)
        if special is not None:
            return special
        self._ensure_years(day.year, day.year)
        return () if day in self._cache.closed else self.hours[day.weekday()]

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after *day* (SLA-4).

        >>> BusinessCalendar().next_business_day(date(2026, 12, 24))
        datetime.date(2026, 12, 29)
        """
        _require_date(day)
        following = self._cache.following
        known = following.get(day)
        if known is None:
            known = following[day] = self._business_day_from(day, timedelta(days=1))
        return known

    def previous_business_day(self, day: date) -> date:
        """The last business day strictly before *day*.

        >>> BusinessCalendar().previous_business_day(date(2026, 12, 29))
        datetime.date(2026, 12, 24)
        """
        _require_date(day)
        return self._business_day_from(day, timedelta(days=-1))

    def _business_day_from(self, day: date, step: timedelta) -> date:
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

    def close_of_business(self, day: date) -> datetime:
        """The instant the desk closes on business day *day*: the end of its last window.

        >>> print(BusinessCalendar().close_of_business(date(2026, 11, 23)))
        2026-11-23 18:00:00+00:00
        """
        if not self.is_business_day(day):
            raise PolicyError(
                f"{day} is not a business day ({', '.join(self.why_closed(day))}), so it has no "
                "close of business; use next_business_day() first"
            )
        return from_micros(self._close_of_business_micros(day), self.zone)

    def _close_of_business_micros(self, day: date) -> int:
        """:meth:`close_of_business` as an instant, for a day known to be a business day."""
        return self._cache.days[day][1]

    def holidays_in(self, year: int) -> dict[date, tuple[str, ...]]:
        """Every holiday, extra closure and closed special day of *year*, weekends aside, with
        its reasons; a holiday the special hours open is not closed.

        >>> BusinessCalendar().holidays_in(2026)[date(2026, 3, 17)]
        ("Saint Patrick's Day (IE)",)
        """
        if isinstance(year, bool) or not isinstance(year, int):
            raise WrongTypeError(f"year must be an int, got {year!r}")
        self._ensure_years(year, year)
        with self._cache.lock:  # another thread may be adding years to the table
            days = {day for day in self._cache.closed if day.year == year}
        days |= {day for day in self.special_hours if day.year == year}
        closed = {day: self.why_closed(day) for day in sorted(days)}
        return {day: why for day, why in closed.items() if why}

    # -- instants -----------------------------------------------------------------------

    def is_open(self, at: datetime) -> bool:
        """Whether the desk is open at this instant: ``start <= local time < end`` (HOURS-1).

        >>> BusinessCalendar().is_open(datetime(2026, 10, 23, 18, 0, tzinfo=LONDON))
        False
        """
        x = aware_micros(at, "at")
        index = self._index_at(x)
        i = bisect_right(index.starts, x) - 1
        return i >= 0 and x < index.ends[i]

    def next_open(self, at: datetime) -> datetime:
        """The first open instant at or after *at*: *at* itself when the desk is open.

        >>> print(BusinessCalendar().next_open(datetime(2026, 10, 24, 9, 0, tzinfo=LONDON)))
        2026-10-27 08:00:00+00:00
        """
        x = aware_micros(at, "at")
        return from_micros(self._next_open_micros(x), self.zone)

    def next_close(self, at: datetime) -> datetime:
        """The end of the open period *at* lies in, or of the next one when the desk is closed.

        >>> print(BusinessCalendar().next_close(datetime(2026, 10, 23, 9, 0, tzinfo=LONDON)))
        2026-10-23 18:00:00+01:00
        """
        x = aware_micros(at, "at")
        index = self._index_at(x)
        i = bisect_right(index.starts, x) - 1
        if i < 0 or x >= index.ends[i]:
            i += 1
        while i >= len(index.starts) or index.ends[i] >= index.upper:
            # The period may run on into years not yet indexed: grow and look again.
            index = self._grow(index)
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
        # The hottest path of the library, so the checks and the lookups are inlined here.
        if type(at) is datetime and type(at.tzinfo) in KNOWN_ZONES:
            x = round(at.timestamp() * MICROS_PER_SECOND)
        else:
            x = aware_micros(at, "at")
        if type(duration) is timedelta:
            amount = (duration.days * 86_400 + duration.seconds) * MICROS_PER_SECOND
            amount += duration.microseconds
        else:
            amount = micros(require_timedelta(duration, "duration"))
        return from_micros(self._add_micros(x, amount), self.zone)

    def _add_micros(self, x: int, amount: int) -> int:
        """:meth:`add` on instants: *amount* microseconds of open time after instant *x*."""
        index = self._cache.index
        if index is None or not index.lower <= x < index.upper:
            index = self._index_at(x)
        return add_open_time(index, x, amount, self._grow)  # type: ignore[no-any-return]

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """The open time in ``[start, end)``; negative when *end* is before *start*.

        ``elapsed(b, a) == -elapsed(a, b)``, and ``elapsed(a, add(a, d)) == d``.

        >>> BusinessCalendar().elapsed(datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                            datetime(2026, 11, 23, 11, 0, tzinfo=LONDON))
        datetime.timedelta(seconds=14400)
        """
        a = aware_micros(start, "start")
        b = aware_micros(end, "end")
        return timedelta(microseconds=self._elapsed_micros(a, b))

    def _elapsed_micros(self, a: int, b: int) -> int:
        """:meth:`elapsed` on instants: open microseconds in ``[a, b)``."""
        index = self._index_at(a)
        if not index.lower <= b < index.upper:
            index = self._index_at(b)
        return open_time_between(index, a, b)

    def add_business_days(self, at: datetime, n: int) -> datetime:
        """The same local time *n* business days later, counted from *at* (PROC-4).

        Counting starts at *at*, or at the next opening if the desk is closed then; the
        result is that instant's local time of day on the *n*-th business day after its
        date, open or not (a business day with special hours counts like any other). ``n=0``
        gives the start of the count itself. A negative *n* counts back, from *at* or from the
        previous close if the desk is closed then.

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
        return from_micros(self._add_business_days_micros(x, n), self.zone)

    def _add_business_days_micros(self, x: int, n: int) -> int:
        """:meth:`add_business_days` on instants."""
        if n >= 0:
            start, step = self._next_open_micros(x), self.next_business_day
        else:
            start, step = self._previous_close_micros(x), self.previous_business_day
        local = from_micros(start, self.zone)
        day = local.date()
        for _ in range(abs(n)):
            day = step(day)
        seconds = local.hour * 3_600 + local.minute * 60 + local.second
        return self._wall_micros(day, seconds, local.microsecond)

    def _wall_micros(self, day: date, seconds: int, microsecond: int = 0) -> int:
        """The first instant at which the local clock reads *seconds* (and *microsecond*) after
        the midnight starting *day*, *seconds* being 86400 or more for a later day.

        The wall time itself; in the repeated hour of autumn, its first occurrence; in the
        hour the clocks skip in spring, the instant they jump (HOURS-1: the desk is open when
        ``start <= local time < end``, and that is when the local time first passes it).
        """
        days, rest = divmod(seconds, 86_400)
        wall = datetime.combine(
            day + timedelta(days=days),
            time(rest // 3_600, rest % 3_600 // 60, rest % 60, microsecond),
        )
        first = to_micros(wall.replace(tzinfo=self.zone))
        earlier = to_micros(wall.replace(tzinfo=self.zone, fold=1))
        if earlier >= first:
            return first
        # A wall time the clocks skip: the first instant whose local time is past it.
        low, high = earlier, first
        while low < high:
            middle = (low + high) // 2
            if from_micros(middle, self.zone).replace(tzinfo=None) >= wall:
                high = middle
            else:
                low = middle + 1
        return low

    @staticmethod
    def _real_add(x: Any, amount: Any) -> Any:
        """The instant *amount* microseconds of real time after instant *x* (HOURS-3); for
        one instant or a column of them."""
        return x + amount

    @staticmethod
    def _real_elapsed(a: Any, b: Any) -> Any:
        """The real time from instant *a* to *b*, in microseconds (HOURS-4); for one instant
        or a column of them."""
        return b - a

    def _local_date(self, x: int) -> date:
        """The local calendar date of instant *x*."""
        return from_micros(x, self.zone).date()

    def _midnight_micros(self, day: date) -> int:
        """The instant of local midnight at the start of *day*."""
        midnights = self._cache.midnights
        midnight = midnights.get(day)
        if midnight is None:
            midnight = midnights[day] = self._wall_micros(day, 0)
        return midnight

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
        index = self._index_at(a)
        if not index.lower <= b < index.upper:
            index = self._index_at(b)
        first = max(bisect_right(index.starts, a) - 1, 0)
        periods: list[OpenPeriod] = []
        for i in range(first, len(index.starts)):
            lo, hi = max(index.starts[i], a), min(index.ends[i], b)
            if index.starts[i] >= b:
                break
            if lo < hi:
                periods.append(OpenPeriod(from_micros(lo, self.zone), from_micros(hi, self.zone)))
        return tuple(periods)

    # -- the index ----------------------------------------------------------------------

    def _previous_close_micros(self, x: int) -> int:
        """*x* itself when the desk is open then; otherwise the end of the last open period
        before it."""
        index = self._index_at(x)
        i = bisect_right(index.starts, x) - 1
        while i < 0:
            index = self._grow(index, backwards=True)
            i = bisect_right(index.starts, x) - 1
        return min(x, index.ends[i])

    def _next_open_micros(self, x: int) -> int:
        index = self._index_at(x)
        i = bisect_right(index.starts, x) - 1
        if i >= 0 and x < index.ends[i]:
            return x
        while i + 1 >= len(index.starts):
            index = self._grow(index)
            i = bisect_right(index.starts, x) - 1
        return index.starts[i + 1]

    def _index_at(self, x: int) -> _Index:
        index = self._cache.index
        if index is not None and index.lower <= x < index.upper:
            return index
        year = from_micros(x, self.zone).year
        return self._ensure_years(year, year)

    def _grow(self, index: _Index, backwards: bool = False) -> _Index:
        """The index with a block of years more, after its last year or before its first."""
        if backwards:
            return self._ensure_years(index.first_year - 1, index.first_year - 1)
        return self._ensure_years(index.last_year + 1, index.last_year + 1)

    def _ensure_years(self, first: int, last: int) -> _Index:
        """The index, grown (a block at a time) to cover local years *first* to *last*."""
        cache = self._cache
        index = cache.index
        if index is not None and index.first_year <= first and last <= index.last_year:
            return index
        with cache.lock:
            index = cache.index
            if index is not None and index.first_year <= first and last <= index.last_year:
                return index
            low_limit, high_limit = self._supported_years()
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
            missing = [y for y in years if y not in cache.intervals]
            if missing:
                self._build_years(missing)
            index = self._assemble(block_first, block_last)
            cache.index = index
            return index

    def _runs_past_midnight(self) -> bool:
        """Whether any window of the calendar runs past midnight."""
        rows = (*self.hours, *self.special_hours.values())
        return any(window.overnight for row in rows for window in row)

    def _supported_years(self) -> tuple[int, int]:
        cache = self._cache
        if cache.supported is None:
            import holidays  # noqa: PLC0415  (~60 ms: only when a calendar needs its holidays)

            first, last = 1, 9999
            for region in self.regions:
                data = holidays.country_holidays(region.country, subdiv=region.subdiv)
                first = max(first, int(data.start_year))
                last = min(last, int(data.end_year))
            cache.supported = (first, last)
        return cache.supported

    def _build_years(self, years: list[int]) -> None:
        import holidays  # noqa: PLC0415  (~60 ms: only when a calendar needs its holidays)

        cache = self._cache
        for region in self.regions:
            data: HolidayBase = holidays.country_holidays(
                region.country, subdiv=region.subdiv, years=years
            )
            for day, names in sorted(data.items()):
                labels = tuple(_holiday_label(n, region) for n in names.split("; "))
                cache.closed[day] = cache.closed.get(day, ()) + labels
        year_set = set(years)
        for day in sorted(self.extra_closures):
            if day.year in year_set:
                cache.closed[day] = (*cache.closed.get(day, ()), "closure date set by the calendar")
        for year in years:
            cache.intervals[year] = list(self._year_intervals(year))

    def _year_intervals(self, year: int) -> Iterator[tuple[int, int]]:
        """The open intervals of the windows of each day of *year*, noting its business days."""
        day = date(year, 1, 1)
        one_day = timedelta(days=1)
        special, closed, days = self.special_hours, self._cache.closed, self._cache.days
        while day.year == year:
            if day in special:
                windows = special[day]  # the most specific word about a date
            else:
                windows = () if day in closed else self.hours[day.weekday()]
            spans = [
                (self._wall_micros(day, w.start_second), self._wall_micros(day, w.end_second))
                for w in windows
            ]
            spans = [(lo, hi) for lo, hi in spans if lo < hi]  # a window the clocks skip is empty
            if spans:
                days[day] = (spans[0][0], spans[-1][1])
                yield from spans
            day += one_day

    def _assemble(self, first: int, last: int) -> _Index:
        lower = self._wall_micros(date(first, 1, 1), 0)
        upper = self._wall_micros(date(last + 1, 1, 1), 0)
        # A window of the last day before these years may run past midnight into them.
        before = self._cache.intervals.get(first - 1, [])[-1:]
        starts: list[int] = []
        ends: list[int] = []
        for year in range(first, last + 1):
            for lo, hi in self._cache.intervals[year]:
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
        return _Index(first, last, lower, upper, starts, ends, cumulative)
