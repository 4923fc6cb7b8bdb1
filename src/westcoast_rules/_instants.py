"""Crossing between aware datetimes, ISO 8601 text and instants (integer microseconds).

All arithmetic in the library happens on these integers (HOURS-4): they are exact, they
ignore wall clocks, and they compare and subtract in constant time. Local time is only ever
used to decide what is open. Text is read and written here, once, for every edge: RFC 9557
instants (``2026-10-23T16:00:00+01:00[Europe/London]``) and ISO 8601 durations (``PT4H``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from westcoast_rules.errors import (
    CalendarRangeError,
    DataError,
    NaiveDatetimeError,
    WrongTypeError,
)

MICROS_PER_SECOND: Final = 1_000_000
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_DAY: Final = 86_400 * MICROS_PER_SECOND
"""The span a zone memo remembers: a day (a UTC day, or a local one at a written offset). No
zone of the tz database changes its offset twice within 24 hours (the closest two changes
anywhere are almost seven days apart), so a day whose two ends have one offset has that offset
throughout."""
_ZERO: Final = timedelta(0)


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

_ORDINAL_ZERO: Final = date(1970, 1, 1).toordinal() * 86_400 * MICROS_PER_SECOND
"""The epoch, in microseconds after the midnight starting day 0 of :meth:`date.toordinal`."""
OFFSET_SHIFTS: Final[dict[timedelta, int]] = {}
"""Each UTC offset met, as what :func:`aware_micros` subtracts from a wall time counted in
microseconds from the midnight starting day 0 of ``toordinal()`` to make it an instant:
the offset, and the epoch."""


def offset_shift(offset: timedelta) -> int:
    """What to subtract from a wall time counted from day 0 in *offset* to make it an instant,
    remembered in :data:`OFFSET_SHIFTS` (a zone has a handful of offsets)."""
    if len(OFFSET_SHIFTS) > 4_096:  # fixed offsets read from text: never unbounded
        OFFSET_SHIFTS.clear()
    shift = OFFSET_SHIFTS[offset] = _ORDINAL_ZERO + micros(offset)
    return shift


def aware_micros(value: object, name: str) -> int:
    """The instant of *value* in microseconds, after checking it is an aware datetime (HOURS-5).

    The hot path of every calendar call: for the zone types of the standard library, whose
    ``utcoffset`` is never ``None``, the zone's offset and the wall time's fields make the
    instant in exact integers (``timestamp()`` does the same through a float, and costs more).
    """
    if type(value) is datetime:
        zone = value.tzinfo
        if type(zone) in KNOWN_ZONES:
            offset = zone.utcoffset(value)  # type: ignore[union-attr]
            try:
                shift = OFFSET_SHIFTS[offset]  # type: ignore[index]
            except KeyError:
                shift = offset_shift(offset)  # type: ignore[arg-type]
            wall = ((value.toordinal() * 24 + value.hour) * 60 + value.minute) * 60 + value.second
            return wall * MICROS_PER_SECOND + value.microsecond - shift
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
    """The instant of an aware datetime, as whole microseconds since 1970-01-01T00:00Z: its
    wall time less its offset, in exact integers.

    A subclass (pandas' ``Timestamp`` may hold nanoseconds) goes through ``timestamp()``,
    rounded to the microsecond, as does a naive value, read as the machine's local time.
    """
    offset = value.utcoffset() if type(value) is datetime else None
    if offset is None:
        return round(value.timestamp() * MICROS_PER_SECOND)
    wall = ((value.toordinal() * 24 + value.hour) * 60 + value.minute) * 60 + value.second
    return wall * MICROS_PER_SECOND + value.microsecond - _ORDINAL_ZERO - micros(offset)


FROM_TIMESTAMP: Final = datetime.fromtimestamp
"""``datetime.fromtimestamp``, looked up once: Python finds a class method of a built-in
class slowly, and :func:`from_micros` runs for every datetime the library returns."""


_FLOAT_EXACT: Final = (1 << 32) * MICROS_PER_SECOND
"""How far from the epoch an instant's seconds as a float are exact to the microsecond."""


def from_micros(micros: int, zone: tzinfo) -> datetime:
    """The datetime in *zone* of an instant given in microseconds since the epoch, exact.

    Between 1834 and 2106 (within 2**32 seconds of the epoch) through a float, which is exact
    there to within a quarter of a microsecond, and ``fromtimestamp`` rounds to the nearest
    microsecond: twice as fast as timedelta sums. Further out a float's step is wider than a
    microsecond, so the whole seconds go through ``fromtimestamp`` and the microseconds are
    set after (a zone's offset changes on a whole second).
    """
    try:
        if -_FLOAT_EXACT < micros < _FLOAT_EXACT:
            return FROM_TIMESTAMP(micros / MICROS_PER_SECOND, zone)
        seconds, fraction = divmod(micros, MICROS_PER_SECOND)
        return FROM_TIMESTAMP(seconds, zone).replace(microsecond=fraction)
    except (OverflowError, ValueError, OSError):
        when = "after 9999-12-31" if micros > 0 else "before 0001-01-01"
        raise CalendarRangeError(
            f"the answer falls {when} in {zone}, outside the years a datetime can hold "
            "(1 to 9999); ask about an earlier instant"
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


# -- instants as text (RFC 9557) ---------------------------------------------------------------

_MICROSECOND: Final = timedelta(microseconds=1)
_FIRST: Final = to_micros(datetime.min.replace(tzinfo=UTC))
_LAST: Final = to_micros(datetime.max.replace(tzinfo=UTC))


ParsedInstant = tuple[int, datetime, str | None]
"""An instant read from text: the integer microseconds, the datetime of its ISO 8601 part (with
the offset as written), and the IANA key of the zone in brackets, if any (RFC 9557)."""

ZoneMemo = dict[tuple[str, int, tzinfo], bool]
"""Which (zone, UTC day, offset) agree, the offset as a fixed ``datetime.timezone`` (equal
when their offsets are): a reader of many instants keeps one of these."""


def parse_instant(text: str, memo: ZoneMemo | None = None) -> ParsedInstant:
    """Read RFC 9557 or ISO 8601 text with an offset; refuse naive or contradictory values.

    *memo*, a dict the caller keeps, remembers per zone, UTC day and offset whether the
    offset agrees with the zone, for readers of many instants: the zone's offset is checked
    at both ends of the day, and a day with a change in it is never remembered.

    >>> parse_instant("2026-10-25T01:30:00+00:00[Europe/London]")[0]
    1792891800000000
    """
    if type(text) is not str:
        raise WrongTypeError(f"a datetime must be a string, got {text!r}")
    if text[-1:] == "]":
        # The common text of a log, clean and bracketed: read as the full reading below would
        # read it, without cleaning it first. An ISO part that fromisoformat reads has no
        # space or bracket, so any text this does not read is read in full, as before.
        cut = text.find("[")
        key = text[cut + 1 : -1]
        if cut > 0 and "[" not in key:
            try:
                written = _FROM_ISO(text[:cut])
            except ValueError:
                pass
            else:
                # An offset met before: the instant in exact integers (as aware_micros makes
                # it); and the zone's offset that day, when known to agree (the memo holds
                # only days in range, of keys that passed every check), needs no more.
                fixed = written.tzinfo
                try:
                    shift = _FIXED_SHIFTS[fixed]
                except KeyError:  # also a naive time, refused below
                    return _instant(text, written, key, memo, None)
                wall = (
                    (written.toordinal() * 24 + written.hour) * 60 + written.minute
                ) * 60 + written.second
                x = wall * MICROS_PER_SECOND + written.microsecond - shift
                if memo is not None and memo.get((key, x // _DAY, fixed)):  # type: ignore[arg-type]
                    return x, written, key
                return _instant(text, written, key, memo, x)
    iso, bracket, rest = text.strip().partition("[")
    if bracket and (rest[-1:] != "]" or "[" in rest or "]" in iso):
        raise DataError(f"not an RFC 9557 datetime: {text!r}")
    try:
        written = datetime.fromisoformat(iso)
    except ValueError:
        raise DataError(
            f"not an ISO 8601 datetime: {text!r}; write e.g. 2026-10-23T16:00:00+01:00"
        ) from None
    return _instant(text, written, rest[:-1] if bracket else None, memo, None)


_FROM_ISO: Final = datetime.fromisoformat
"""``datetime.fromisoformat``, looked up once (see :data:`FROM_TIMESTAMP`)."""
_FIXED_SHIFTS: Final[dict[tzinfo | None, int]] = {}
"""Each offset written in a bracketed instant, as the fixed zone
``fromisoformat`` gives it, with what to subtract from its wall time counted from day 0 to
make the instant (as :data:`OFFSET_SHIFTS`): the fast path of :func:`parse_instant`."""


def _instant(
    text: str, written: datetime, key: str | None, memo: ZoneMemo | None, x: int | None
) -> ParsedInstant:
    """The rest of :func:`parse_instant`, once the ISO part of *text* is read as *written*,
    with the IANA *key* of its brackets, if any, and its instant *x* when already made."""
    if x is None:
        try:  # exact: a timedelta counted in whole microseconds, no float rounding
            x = (written - EPOCH) // _MICROSECOND
        except TypeError:  # naive: no offset to subtract
            raise NaiveDatetimeError(
                f"{text!r} has no UTC offset: write e.g. 2026-10-23T16:00:00+01:00"
                "[Europe/London] (HOURS-5)"
            ) from None
    if not _FIRST <= x <= _LAST:
        raise DataError(f"{text!r} is outside the years a datetime can hold once in UTC")
    if key is None:
        return x, written, None
    fixed = written.tzinfo  # the offset as written, a datetime.timezone: aware, as subtracted
    assert fixed is not None
    if fixed not in _FIXED_SHIFTS:
        if len(_FIXED_SHIFTS) > 4_096:  # offsets read from text: never unbounded
            _FIXED_SHIFTS.clear()
        _FIXED_SHIFTS[fixed] = offset_shift(fixed.utcoffset(None))  # type: ignore[arg-type]
    if memo is None or not memo.get((key, x // _DAY, fixed)):
        zone = _zone(key, text)
        if not _agrees(zone, key, x, fixed, memo):
            zoned = from_micros(x, zone)
            raise DataError(
                f"{text!r}: the offset {written.strftime('%z')} does not match {key} at that "
                f"instant ({zoned.isoformat()}); fix the offset or the zone"
            )
    return x, written, key


def instant_of(value: datetime, name: str = "at") -> ParsedInstant:
    """An aware datetime as :func:`parse_instant` reads one from text (a data frame's
    timestamp column gives these): its instant, itself, and its zone's IANA key, if any."""
    x = aware_micros(value, name)
    zone = value.tzinfo
    return x, value, zone.key if isinstance(zone, ZoneInfo) else None


def find_zone(key: str) -> ZoneInfo | None:
    """The IANA zone named *key*, or ``None`` when there is none: zoneinfo refuses a name that
    is not a zone with several errors (not found, a folder of zones, a name too long, ...)."""
    try:
        return ZoneInfo(key)  # ZoneInfo keeps its own cache of zones by key
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _zone(key: str, text: str) -> ZoneInfo:
    zone = find_zone(key)
    if zone is None:
        raise DataError(f"unknown time zone {key[:80]!r} in {text[:120]!r}: use an IANA key")
    return zone


def _day_offset(zone: ZoneInfo, start: int) -> timedelta | None:
    """*zone*'s offset throughout the day (:data:`_DAY`) from *start*, in whole seconds since
    the epoch: ``None`` when it changes within the day, or the day's ends are past what a
    datetime holds."""
    try:
        first = datetime.fromtimestamp(start, zone).utcoffset()
        last = datetime.fromtimestamp(start + 86_399, zone).utcoffset()
    except (OverflowError, ValueError, OSError):  # at the ends of what a datetime holds
        return None
    return first if first == last else None


def _agrees(zone: ZoneInfo, key: str, x: int, fixed: tzinfo, memo: ZoneMemo | None) -> bool:
    """Whether the offset *fixed* is *zone*'s offset at instant *x*, remembered in *memo* for
    its UTC day (see :data:`_DAY`)."""
    offset = fixed.utcoffset(None)
    day = x // _DAY
    steady = _day_offset(zone, day * 86_400)
    if steady is None or memo is None:  # the zone changes offset within this day
        return from_micros(x, zone).utcoffset() == offset
    if len(memo) > 100_000:
        memo.clear()
    memo[key, day, fixed] = steady == offset
    return steady == offset


# -- the instant alone, of the common text of a log ---------------------------------------------

DayMemo = dict[str, int | None]
"""Days of clean instants read before, keyed by the text of an instant less its clock (the
``YYYY-MM-DDT`` before it and the offset and bracketed zone after it, ``text[:11] +
text[19:]``): the instant of that day's midnight, when every clock of the day is read as that
plus the clock (:data:`CLOCKS`); ``None`` when not (the zone changes offset that day, or
disagrees with the offset, or the day is at the ends of what a datetime holds). A reader of
many instants keeps one of these, filled by :func:`instant_micros`.

The row reader of a log (:meth:`~westcoast_rules.batch.log.RowReader.entry`) is the one place
that reads a day back, in its own frame, as a row is read a million times: the instant of a
text of a day remembered, whose clock is exactly ``HH:MM:SS``, is ``days[text[:11] +
text[19:]] + CLOCKS[text[11:19]]``; when either is not known (a ``KeyError``) or the day is
not read by its clocks (``None``: a ``TypeError``), the text is read by
:func:`instant_micros`."""

CLOCKS: Final[dict[str, int]] = {}
"""Each clock ``HH:MM:SS`` of a clean instant read, as microseconds after midnight: at most the
86,400 of a day, as only a valid clock is remembered (:func:`_clock`)."""
_CLOCK: Final = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])\Z")
_CLEAN_DAY: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[+-][0-9]{2}:[0-9]{2}(?:\[|\Z)|Z\Z)"
)
"""The shape of a clean instant whose day a :data:`DayMemo` remembers: a date, ``T``, a clock
in whole seconds, and an offset in hours and minutes, with a bracketed zone or alone."""


def instant_micros(text: str, days: DayMemo, zones: ZoneMemo) -> int:
    """The instant of *text*, as ``parse_instant(text, zones)[0]`` reads it (and refuses it,
    with the same error), for a reader of many instants that needs no datetime: read in full,
    and its day remembered in *days* when it is a clean instant's, with its clock in
    :data:`CLOCKS` (see :data:`DayMemo`, for how a day is read back).

    >>> days: DayMemo = {}
    >>> instant_micros("2026-10-23T16:00:00+01:00[Europe/London]", days, {})
    1792767600000000
    >>> days["2026-10-23T+01:00[Europe/London]"] + CLOCKS["16:00:00"]  # the day read back
    1792767600000000
    """
    x, written, key = parse_instant(text, zones)
    clock = _clock(text[11:19])
    if clock is None or not _CLEAN_DAY.match(text):
        return x
    CLOCKS[text[11:19]] = clock
    day = text[:11] + text[19:]
    if day not in days:
        if len(days) > 100_000:  # instants read from text: never unbounded
            days.clear()
        start = x - clock
        days[day] = start if _same_all_day(start, written, key) else None
    return x


def _clock(text: str) -> int | None:
    """The microseconds after midnight of a clock ``HH:MM:SS`` of ASCII digits, as
    ``fromisoformat`` reads it; ``None`` for any other text (24:00:00, a 60th second)."""
    match = _CLOCK.match(text)
    if match is None:
        return None
    hour, minute, second = map(int, match.groups())
    return ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND


def _same_all_day(start: int, written: datetime, key: str | None) -> bool:
    """Whether every clock of the day whose midnight is the instant *start*, written with the
    offset of *written* and the zone *key* (if any), is read as *start* plus the clock: the
    day within the years a datetime holds in UTC, and the zone's offset the one written
    throughout it (see :data:`_DAY`)."""
    if not _FIRST <= start <= _LAST - _DAY + MICROS_PER_SECOND:
        return False
    if key is None:
        return True
    zone = find_zone(key)
    return zone is not None and _day_offset(zone, start // MICROS_PER_SECOND) == written.utcoffset()


def datetime_of(parsed: ParsedInstant) -> datetime:
    """The datetime an instant's text means: in its bracketed zone, in UTC for an offset of
    zero, and otherwise with the offset as written."""
    x, written, key = parsed
    if key is not None:
        return from_micros(x, ZoneInfo(key))
    if written.utcoffset() == _ZERO:
        return from_micros(x, UTC)
    return written


def parse_datetime(text: str) -> datetime:
    """Read RFC 9557 or ISO 8601 text with an offset; refuse naive or contradictory values.

    >>> parse_datetime("2026-10-25T01:30:00+00:00[Europe/London]").fold
    1
    """
    return datetime_of(parse_instant(text))


def format_datetime(value: datetime) -> str:
    """An aware datetime as RFC 9557 text: ISO 8601 with offset, and ``[zone]`` for IANA zones.

    >>> from westcoast_rules import LONDON
    >>> format_datetime(datetime(2026, 10, 23, 16, 0, tzinfo=LONDON))
    '2026-10-23T16:00:00+01:00[Europe/London]'
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(f"cannot write naive datetime {value.isoformat()} (HOURS-5)")
    if isinstance(value.tzinfo, ZoneInfo):
        return f"{normalise(value).isoformat()}[{value.tzinfo.key}]"
    return value.isoformat()


# -- durations as text (ISO 8601) --------------------------------------------------------------

_DURATION: Final = re.compile(
    r"^(?P<sign>-)?P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d{1,6})?)S)?)?$"
)


def format_duration(value: timedelta) -> str:
    """A duration as ISO 8601: ``P1DT2H30M``, ``PT4H``, ``-PT30M``, ``PT0S``.

    >>> format_duration(timedelta(days=1, hours=2, minutes=30))
    'P1DT2H30M'
    """
    sign = "-" if value < _ZERO else ""
    total = abs(micros(value))
    seconds, fraction = divmod(total, MICROS_PER_SECOND)
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    clock = ""
    if hours:
        clock += f"{hours}H"
    if minutes:
        clock += f"{minutes}M"
    if seconds or fraction:
        clock += f"{seconds}.{fraction:06d}".rstrip("0").rstrip(".") + "S"
    text = f"{sign}P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
    return text if text not in ("P", "-P") else "PT0S"


def parse_duration(text: str) -> timedelta:
    """Read an ISO 8601 duration of days, hours, minutes and seconds.

    >>> parse_duration("PT4H")
    datetime.timedelta(seconds=14400)
    """
    if not isinstance(text, str):
        raise WrongTypeError(f"a duration must be an ISO 8601 string such as 'PT4H', got {text!r}")
    match = _DURATION.match(text.strip())
    if match is None or text.strip() in ("P", "-P", "PT", "-PT"):
        raise DataError(f"not an ISO 8601 duration: {text!r}; write e.g. 'PT4H' or 'P1DT30M'")
    try:
        value = timedelta(
            days=int(match["days"] or 0),
            hours=int(match["hours"] or 0),
            minutes=int(match["minutes"] or 0),
            seconds=float(match["seconds"] or 0),
        )
    except OverflowError:
        raise DataError(
            f"the duration {text!r} is longer than a timedelta holds (999,999,999 days)"
        ) from None
    return -value if match["sign"] else value
