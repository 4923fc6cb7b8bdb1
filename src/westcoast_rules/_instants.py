"""Crossing between aware datetimes and instants (integer microseconds since the epoch).

All arithmetic in the library happens on these integers (HOURS-4): they are exact, they
ignore wall clocks, and they compare and subtract in constant time. Local time is only ever
used to decide what is open.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from westcoast_rules.errors import CalendarRangeError, NaiveDatetimeError, WrongTypeError

MICROS_PER_SECOND = 1_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def require_aware(value: object, name: str) -> datetime:
    """Return *value* if it is an aware datetime; raise a typed error otherwise (HOURS-5)."""
    if not isinstance(value, datetime):
        kind = "a date" if isinstance(value, date) else f"{type(value).__name__} {value!r}"
        raise WrongTypeError(
            f"{name} must be a timezone-aware datetime, got {kind}; "
            f"pass e.g. datetime(2026, 10, 23, 16, 0, tzinfo=ZoneInfo('Europe/London'))"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{name} is naive ({value.isoformat()}): the rules need an instant, so give it a "
            f"timezone, e.g. {name}.replace(tzinfo=ZoneInfo('Europe/London')) (HOURS-5)"
        )
    return value


def require_timedelta(value: object, name: str) -> timedelta:
    """Return *value* if it is a ``timedelta``; raise :class:`WrongTypeError` otherwise."""
    if not isinstance(value, timedelta):
        raise WrongTypeError(
            f"{name} must be a datetime.timedelta, got {type(value).__name__} {value!r}; "
            f"pass e.g. timedelta(hours=4)"
        )
    return value


KNOWN_ZONES: Final = (ZoneInfo, timezone)
"""Zone types whose ``utcoffset`` is never ``None``: a datetime in one needs no more checks."""


def aware_micros(value: object, name: str) -> int:
    """The instant of *value* in microseconds, after checking it is an aware datetime (HOURS-5).

    The hot path of every calendar call: for the zone types of the standard library, whose
    ``utcoffset`` is never ``None``, one ``timestamp()`` call both checks and converts.
    """
    if type(value) is datetime and type(value.tzinfo) in KNOWN_ZONES:
        return round(value.timestamp() * MICROS_PER_SECOND)
    return to_micros(require_aware(value, name))


def normalise(value: datetime) -> datetime:
    """The same instant in the same zone, with a wall time that exists and the right fold.

    A datetime built by hand in a zone can name a wall time that never happened (the spring
    gap) or leave ``fold`` unset in the autumn overlap; through UTC it becomes the real one.
    """
    zone = value.tzinfo
    assert zone is not None
    return value.astimezone(UTC).astimezone(zone)


def to_micros(value: datetime) -> int:
    """The instant of an aware datetime, as whole microseconds since 1970-01-01T00:00Z.

    ``timestamp()`` is exact to well under half a microsecond for any year the library
    supports, so rounding recovers the exact integer.
    """
    return round(value.timestamp() * MICROS_PER_SECOND)


def from_micros(micros: int, zone: tzinfo) -> datetime:
    """The datetime in *zone* of an instant given in microseconds since the epoch.

    Through a float, which is exact to within a quarter of a microsecond up to 2100, and
    ``fromtimestamp`` rounds to the nearest microsecond: twice as fast as timedelta sums.
    """
    try:
        return datetime.fromtimestamp(micros / MICROS_PER_SECOND, zone)
    except (OverflowError, ValueError, OSError):
        raise CalendarRangeError(
            f"the instant {micros} microseconds after 1970 is outside the years a datetime "
            "can hold (1 to 9999)"
        ) from None


def micros(delta: timedelta) -> int:
    """A duration as whole microseconds (exact: a timedelta has microsecond resolution)."""
    return (delta.days * 86_400 + delta.seconds) * MICROS_PER_SECOND + delta.microseconds


def instant_key(value: datetime | None) -> int | None:
    """What equality compares for a datetime field: the instant, never the wall clock.

    Python compares two datetimes of the same zone by wall time, ignoring ``fold``: the two
    01:30s of an autumn night would be equal, an hour apart. Records compare instants instead.
    """
    return None if value is None else to_micros(value)
