"""A slow, independent model of a business calendar, for checking the fast one.

It shares no code with ``westcoast_rules``: it walks local calendar days one at a time, asks
the ``holidays`` package and ``zoneinfo`` directly, and does its arithmetic on UTC datetimes.
Being obviously right matters more here than being quick. By default it is the Westcoast
calendar (Monday to Friday 08:00-18:00 London, closed on GB-ENG and IE bank holidays); it also
takes other weekly hours (windows past midnight included), closed days and special hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
OPEN, CLOSE = time(8), time(18)
ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)

Hours = Mapping[int, Iterable[tuple[time, time]]]


class SlowCalendar:
    """A calendar of weekly windows, closed days and special hours, walked day by day."""

    def __init__(
        self,
        years: range = range(2015, 2046),
        *,
        zone: ZoneInfo = LONDON,
        hours: Hours | None = None,
        closed_days: set[date] | None = None,
        special: Mapping[date, Iterable[tuple[time, time]]] | None = None,
    ) -> None:
        self.zone = zone
        if hours is None:
            hours = {day: [(OPEN, CLOSE)] for day in range(5)}
        self.hours = {day: list(hours.get(day, ())) for day in range(7)}
        if closed_days is None:
            closed_days = set(holidays.country_holidays("GB", subdiv="ENG", years=years))
            closed_days |= set(holidays.country_holidays("IE", years=years))
        self.closed_days = closed_days
        self.special = {day: list(windows) for day, windows in (special or {}).items()}

    # -- a day's windows, as instants ----------------------------------------------------------

    def windows(self, day: date) -> list[tuple[time, time]]:
        if day in self.special:
            return self.special[day]
        if day in self.closed_days:
            return []
        return self.hours[day.weekday()]

    def first_instant_reading(self, wall: datetime) -> datetime:
        """The first UTC instant at which the local clock reads *wall* or later."""
        candidate = wall.replace(tzinfo=self.zone).astimezone(UTC)
        if candidate.astimezone(self.zone).replace(tzinfo=None) == wall:
            return candidate  # a wall time that happens (the first of two, in autumn)
        # Skipped by the clocks: walk up from an hour before until the clock has passed it.
        probe = wall.replace(tzinfo=self.zone, fold=1).astimezone(UTC) - timedelta(hours=1)
        while probe.astimezone(self.zone).replace(tzinfo=None) < wall:
            probe += ONE_MINUTE
        return probe

    def day_hours(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open intervals as UTC datetimes; a window past midnight runs into the
        next day; an interval the clocks skip is left out."""
        intervals = []
        for start, end in self.windows(day):
            lo = self.first_instant_reading(datetime.combine(day, start))
            end_day = day if time(0) < end and end > start else day + ONE_DAY
            hi = self.first_instant_reading(datetime.combine(end_day, end))
            if lo < hi:
                intervals.append((lo, hi))
        return intervals

    # -- the questions -------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        return bool(self.day_hours(day))

    def is_open(self, at: datetime) -> bool:
        at = at.astimezone(UTC)
        day = at.astimezone(self.zone).date()
        return any(lo <= at < hi for d in (day - ONE_DAY, day) for lo, hi in self.day_hours(d))

    def next_open(self, at: datetime) -> datetime:
        at = at.astimezone(UTC)
        day = at.astimezone(self.zone).date() - ONE_DAY
        while True:
            for lo, hi in self.day_hours(day):
                if hi > at:
                    return max(lo, at)
            day += ONE_DAY

    def previous_close(self, at: datetime) -> datetime:
        at = at.astimezone(UTC)
        if self.is_open(at):
            return at
        day = at.astimezone(self.zone).date()
        while True:
            for lo, hi in reversed(self.day_hours(day)):
                if lo < at:
                    return min(hi, at)
            day -= ONE_DAY

    def add(self, at: datetime, duration: timedelta) -> datetime:
        at = at.astimezone(UTC)
        if duration == timedelta(0):
            return at
        remaining = abs(duration)
        forward = duration > timedelta(0)
        day = at.astimezone(self.zone).date() - (ONE_DAY if forward else timedelta(0))
        while True:
            intervals = self.day_hours(day)
            for lo, hi in intervals if forward else reversed(intervals):
                start, end = (max(lo, at), hi) if forward else (lo, min(hi, at))
                if start < end:
                    if remaining <= end - start:
                        return start + remaining if forward else end - remaining
                    remaining -= end - start
            day += ONE_DAY if forward else -ONE_DAY

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        if end < start:
            return -self.elapsed(end, start)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        day = start.astimezone(self.zone).date() - ONE_DAY
        while day <= end.astimezone(self.zone).date():
            for opens, closes in self.day_hours(day):
                lo, hi = max(opens, start), min(closes, end)
                if lo < hi:
                    total += hi - lo
            day += ONE_DAY
        return total

    def add_business_days(self, at: datetime, days: int) -> datetime:
        begin = self.next_open(at) if days >= 0 else self.previous_close(at)
        start = begin.astimezone(self.zone)
        day = start.date()
        step = ONE_DAY if days >= 0 else -ONE_DAY
        for _ in range(abs(days)):
            day += step
            while not self.is_business_day(day):
                day += step
        return self.first_instant_reading(datetime.combine(day, start.time()))
