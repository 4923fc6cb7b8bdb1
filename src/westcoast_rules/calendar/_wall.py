"""One reading of a local wall time as an instant: the calendar's, and the only one.

A wall time names no instant by itself: in the hour the clocks skip in spring it names none,
and in the hour they repeat in autumn it names two. The library reads it once, here, the way
HOURS-1 reads an opening (the desk is open when ``start <= local time < end``): the first
instant at which the local clock shows that time or a later one. A skipped time is therefore
the instant the clocks jump, and a repeated time its first occurrence. Openings and closes,
PROC-3's chases, PROC-4's business days, PROC-6's midnights, explanations, plots and frames
all go through :func:`wall_micros` (users through
:meth:`~westcoast_rules.calendar.OpenTime.local_instant`), so they agree to the microsecond.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from westcoast_rules._instants import EPOCH, MICROS_PER_SECOND, from_micros, micros

_EPOCH_DAY: Final = EPOCH.toordinal()
_ONE_DAY: Final = timedelta(days=1)
_MIDNIGHT: Final = time(0)
_REMEMBERED: Final = 20_000
"""How many (zone, local date) pairs :data:`_STEADY` holds before it starts again: a few
decades of dates, a few megabytes at most."""

_STEADY: Final[dict[tuple[ZoneInfo, date], int | None]] = {}
"""The offset of each zone through each local date read, in microseconds, when every wall time
of that date has that one offset in both its readings (``fold`` 0 and 1); ``None`` for a date
with a clock change in it (or whose next date a date cannot hold), read in full. No zone of
the tz database changes its offset twice within a day (the closest two changes anywhere are
days apart), so a date whose midnight and next midnight have one offset, however read, has
that offset throughout: its wall times are read by the rule below with nothing to choose."""


def wall_micros(zone: ZoneInfo, day: date, seconds: int, microsecond: int = 0) -> int:
    """The first instant at which the clock of *zone* reads *seconds* (and *microsecond*) after
    the midnight starting *day*, or later; *seconds* is 86400 or more for a later day.

    >>> london = ZoneInfo("Europe/London")
    >>> print(from_micros(wall_micros(london, date(2027, 3, 28), 5_400), london))  # 01:30
    2027-03-28 02:00:00+01:00
    >>> print(from_micros(wall_micros(london, date(2026, 10, 25), 5_400), london))
    2026-10-25 01:30:00+01:00
    """
    days, rest = divmod(seconds, 86_400)
    on = day + timedelta(days=days) if days else day
    # The wall time as if it were UTC, then less the zone's offset: exact integers throughout.
    as_utc = ((on.toordinal() - _EPOCH_DAY) * 86_400 + rest) * MICROS_PER_SECOND + microsecond
    key = (zone, on)
    try:
        steady = _STEADY[key]
    except KeyError:
        steady = _steady_offset(zone, on)
    if steady is not None:  # one offset all day: both readings below give as_utc - steady
        return as_utc - steady
    wall = datetime.combine(on, time(rest // 3_600, rest % 3_600 // 60, rest % 60, microsecond))
    # fold=0 reads a repeated time as its first occurrence; in a skipped time it reads the
    # offset before the jump, an instant after it, and fold=1 one before it.
    first = as_utc - _offset(zone, wall)
    earlier = as_utc - _offset(zone, wall.replace(fold=1))
    if earlier >= first:
        return first
    # A wall time the clocks skip: the first instant whose local time is past it.
    low, high = earlier, first
    while low < high:
        middle = (low + high) // 2
        if from_micros(middle, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle + 1
    return low


def _steady_offset(zone: ZoneInfo, day: date) -> int | None:
    """The offset of *zone* through local date *day*, remembered in :data:`_STEADY`: the one
    offset of its midnight and of the next, each read with ``fold`` 0 and 1; ``None`` when
    they differ (a clock change that day) or the next date is past what a date holds."""
    if len(_STEADY) >= _REMEMBERED:
        _STEADY.clear()
    steady = None
    try:
        ends = (datetime.combine(day, _MIDNIGHT), datetime.combine(day + _ONE_DAY, _MIDNIGHT))
    except OverflowError:  # 9999-12-31: no next midnight to compare
        pass
    else:
        offsets = {_offset(zone, end.replace(fold=fold)) for end in ends for fold in (0, 1)}
        if len(offsets) == 1:
            steady = offsets.pop()
    _STEADY[zone, day] = steady
    return steady


def _offset(zone: ZoneInfo, wall: datetime) -> int:
    """The offset from UTC of *zone* at the wall time *wall*, in microseconds."""
    offset = zone.utcoffset(wall)
    assert offset is not None  # a ZoneInfo has an offset at every wall time
    return micros(offset)
