"""The calendar's value objects: opening windows, holiday regions, special days, open periods.

Each is checked when it is built, so a calendar made of them needs no second look; the
converters here turn what a user writes (``(time(8), time(18))``, ``"GB-SCT"``,
``{date: [...]}``) into them, with a typed error that says what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from westcoast_rules._instants import find_zone, to_micros
from westcoast_rules.errors import PolicyError, WrongTypeError

LONDON: Final = ZoneInfo("Europe/London")
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MIDNIGHT: Final = time(0)


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


def to_zone(value: ZoneInfo | str) -> ZoneInfo:
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


def to_hours(
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
            rows.append(tuple(_to_window(w, DAY_NAMES[day]) for w in windows))
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


def check_hours(
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
                raise WrongTypeError(f"hours for {DAY_NAMES[day]} must be Windows, got {window!r}")
    for day, windows in enumerate(value):
        _check_day(windows, DAY_NAMES[day])
        following = value[(day + 1) % 7]
        check_overnight(windows, following, DAY_NAMES[day], DAY_NAMES[(day + 1) % 7])


def _check_day(windows: tuple[Window, ...], name: str) -> None:
    """A day's windows are in order and do not overlap (only the last may run past midnight)."""
    for before, after in pairwise(windows):
        if after.start_second < before.end_second:
            raise PolicyError(
                f"opening windows on {name} must be in order and not overlap: {before} then {after}"
            )


def check_overnight(
    windows: tuple[Window, ...], following: tuple[Window, ...], name: str, next_name: str
) -> None:
    """A window past midnight ends before the next day's first window opens (or as it opens)."""
    if windows and following and windows[-1].end_second - 86_400 > following[0].start_second:
        raise PolicyError(
            f"the {name} window {windows[-1]} runs past midnight into {next_name}'s window "
            f"{following[0]}: end it by {following[0].start:%H:%M}, or merge the two"
        )


def to_regions(value: Iterable[HolidayRegion | str]) -> tuple[HolidayRegion, ...]:
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


def check_regions(
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


def to_dates(value: Iterable[date]) -> frozenset[date]:
    if isinstance(value, date) or not isinstance(value, Iterable):
        raise WrongTypeError(
            f"extra_closures must be a collection of dates, got {value!r}; "
            "write e.g. frozenset({date(2026, 12, 24)})"
        )
    return frozenset(value)


def check_closures(_: object, __: attrs.Attribute[frozenset[date]], value: frozenset[date]) -> None:
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


def to_special_hours(
    value: SpecialHours | Mapping[date, Iterable[Window | tuple[time, time]]] | None,
) -> SpecialHours:
    return value if isinstance(value, SpecialHours) else SpecialHours(value)


def require_date(day: object) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise WrongTypeError(
            f"day must be a datetime.date, got {day!r}; for an instant t use "
            "t.astimezone(calendar.zone).date()"
        )


def holiday_label(name: str, region: HolidayRegion) -> str:
    # The holidays package marks substitute days "(observed)"; say what it means here.
    observed = " (observed)"
    if name.endswith(observed):
        return f"{name[: -len(observed)]} (substitute, {region.label})"
    return f"{name} ({region.label})"
