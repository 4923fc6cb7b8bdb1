"""A slow, independent model of the Westcoast calendar, for checking the fast one.

It shares no code with ``westcoast_rules``: it walks local calendar days one at a time,
asks the ``holidays`` package and ``zoneinfo`` directly, and does its arithmetic on UTC
datetimes. Being obviously right matters more here than being quick.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
OPEN, CLOSE = time(8), time(18)
ONE_DAY = timedelta(days=1)


class SlowCalendar:
    """Monday to Friday 08:00-18:00 London, closed on GB-ENG and IE bank holidays."""

    def __init__(self, years: range = range(2015, 2046)) -> None:
        self.closed_days = set(holidays.country_holidays("GB", subdiv="ENG", years=years))
        self.closed_days |= set(holidays.country_holidays("IE", years=years))

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closed_days

    def day_hours(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's open interval as UTC datetimes, or None when closed all day."""
        if not self.is_business_day(day):
            return None
        start = datetime.combine(day, OPEN, tzinfo=LONDON).astimezone(UTC)
        end = datetime.combine(day, CLOSE, tzinfo=LONDON).astimezone(UTC)
        return start, end

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(LONDON)
        return self.is_business_day(local.date()) and OPEN <= local.time() < CLOSE

    def next_open(self, at: datetime) -> datetime:
        at = at.astimezone(UTC)
        day = at.astimezone(LONDON).date()
        while True:
            hours = self.day_hours(day)
            if hours is not None and hours[1] > at:
                return max(hours[0], at)
            day += ONE_DAY

    def add(self, at: datetime, duration: timedelta) -> datetime:
        at = at.astimezone(UTC)
        if duration == timedelta(0):
            return at
        day = at.astimezone(LONDON).date()
        remaining = abs(duration)
        step = ONE_DAY if duration > timedelta(0) else -ONE_DAY
        while True:
            hours = self.day_hours(day)
            if hours is not None:
                if step > timedelta(0):
                    start, end = max(hours[0], at), hours[1]
                    if start < end:
                        if remaining <= end - start:
                            return start + remaining
                        remaining -= end - start
                else:
                    start, end = hours[0], min(hours[1], at)
                    if start < end:
                        if remaining <= end - start:
                            return end - remaining
                        remaining -= end - start
            day += step

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        if end < start:
            return -self.elapsed(end, start)
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        day = start.astimezone(LONDON).date()
        while day <= end.astimezone(LONDON).date():
            hours = self.day_hours(day)
            if hours is not None:
                lo, hi = max(hours[0], start), min(hours[1], end)
                if lo < hi:
                    total += hi - lo
            day += ONE_DAY
        return total

    def add_business_days(self, at: datetime, days: int) -> datetime:
        start = self.next_open(at).astimezone(LONDON)
        day = start.date()
        for _ in range(days):
            day += ONE_DAY
            while not self.is_business_day(day):
                day += ONE_DAY
        return datetime.combine(day, start.time(), tzinfo=LONDON).astimezone(UTC)
