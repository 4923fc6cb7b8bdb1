"""One reading of a local wall time as an instant, the calendar's, wherever the rules read one.

A wall time the clocks skip in spring is the instant they jump; one they repeat in autumn is
its first occurrence. PROC-3's daily chases and PROC-4's business days both land on "the same
local time, n business days later", so they must land on the same instants, on any calendar,
across every clock change of Europe/London in 2000-2099.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.oracle import SlowCalendar

LONDON = wr.LONDON
_QUARTER_HOURS_A_DAY = 96


def _clock_changes() -> list[date]:
    """Every date in 2000-2099 on which Europe/London changes its clocks (at 01:00 UTC)."""
    changes = []
    day = date(2000, 1, 1)
    while day.year < 2100:
        morning = datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)
        if (
            morning.astimezone(LONDON).utcoffset()
            != (morning + timedelta(hours=1)).astimezone(LONDON).utcoffset()
        ):
            changes.append(day)
        day += timedelta(days=1)
    return changes


CLOCK_CHANGES = _clock_changes()


def _quarter(mark: int) -> time:
    return time(mark // 4 % 24, mark % 4 * 15)  # mark 96 is midnight at the end of the day


def _windows(marks: list[int]) -> list[tuple[time, time]]:
    ordered = sorted(marks)
    return [(_quarter(a), _quarter(b)) for a, b in zip(ordered[::2], ordered[1::2], strict=False)]


# Window boundaries on quarter hours, half of them between 00:00 and 04:00, so that windows
# open and close in the hour the clocks skip and in the hour they repeat.
_MARK = st.one_of(st.integers(0, 16), st.integers(0, _QUARTER_HOURS_A_DAY))
_DAY_WINDOWS = st.lists(_MARK, min_size=0, max_size=4, unique=True).map(_windows)


@st.composite
def calendars(draw: st.DrawFn) -> wr.BusinessCalendar:
    """Calendars in Europe/London without bank holidays, open on some days, often in the
    small hours."""
    hours = {day: draw(_DAY_WINDOWS) for day in range(7)}
    if not any(hours.values()):
        hours[draw(st.integers(0, 6))] = [(time(0, 30), time(3))]
    return wr.BusinessCalendar(hours=hours, regions=())


def _instant_near_a_clock_change() -> st.SearchStrategy[datetime]:
    """A whole minute from four days before a clock change (01:00 UTC) to a day after it."""
    return st.builds(
        lambda day, minutes: (
            datetime(day.year, day.month, day.day, 1, tzinfo=UTC) + timedelta(minutes=minutes)
        ),
        st.sampled_from(CLOCK_CHANGES),
        st.integers(-4 * 1_440, 1_440),
    )


def _chasing_policy(calendar: wr.BusinessCalendar) -> wr.SupportPolicy:
    return attrs.evolve(
        wr.WESTCOAST,
        calendar=calendar,
        chase_every_business_days=1,
        auto_resolve_after_business_days=4,
    )


def _awaiting(policy: wr.SupportPolicy, since: datetime) -> wr.Ticket:
    ticket = policy.lodge("WC-1", since, wr.Priority.P2, wr.Channel.EMAIL)
    return policy.apply(ticket, wr.InfoRequested(at=since))


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


def test_the_clock_changes_are_two_a_year_for_a_century() -> None:
    assert 200 == len(CLOCK_CHANGES)
    assert date(2027, 3, 28) in CLOCK_CHANGES
    assert date(2026, 10, 25) in CLOCK_CHANGES


def test_proc_3_a_chase_in_the_skipped_hour_is_proc_4s_reading_the_instant_the_clocks_jump() -> (
    None
):
    """A desk open 01:00-23:00 every day; information requested Saturday 27 March 2027 at
    01:30. Sunday's 01:30 never happens: the chase is at 02:00 BST, when the clocks jump, as
    PROC-4 reads one business day later (it was 02:30 BST, an hour after the jump)."""
    calendar = wr.BusinessCalendar(hours={day: [(time(1), time(23))] for day in range(7)})
    policy = _chasing_policy(calendar)
    since = datetime(2027, 3, 27, 1, 30, tzinfo=LONDON)

    chase = policy.deadlines(_awaiting(policy, since)).next_chase

    assert datetime(2027, 3, 28, 1, 0, tzinfo=UTC) == _utc(chase)
    assert _utc(calendar.add_business_days(since, 1)) == _utc(chase)
    assert chase is not None
    assert "2027-03-28 02:00:00+01:00" == str(chase)


@given(calendars(), _instant_near_a_clock_change())
def test_proc_3_every_daily_chase_is_proc_4s_business_day_across_clock_changes(
    calendar: wr.BusinessCalendar, moment: datetime
) -> None:
    """PROC-3 and PROC-4 read "the same local time n business days later" alike: the n-th
    daily chase of a ticket awaiting information since an open instant is
    ``add_business_days(since, n)``, on any calendar, in the skipped and the repeated hour."""
    policy = _chasing_policy(calendar)
    since = calendar.next_open(moment)  # PROC-4 counts from the next opening; so does this
    ticket = _awaiting(policy, since)

    chases = []
    chase = policy.deadlines(ticket).next_chase
    while chase is not None:
        chases.append(_utc(chase))
        chase = policy.deadlines(ticket, chase).next_chase

    assert [_utc(calendar.add_business_days(since, n)) for n in (1, 2, 3)] == chases
    assert _utc(calendar.add_business_days(since, 4)) == _utc(ticket.auto_resolve_at)
    weekly = {
        day: [(w.start, w.end) for w in windows] for day, windows in enumerate(calendar.hours)
    }
    oracle = SlowCalendar(zone=LONDON, hours=weekly, closed_days=set())
    assert [oracle.add_business_days(since, n) for n in (1, 2, 3)] == chases


_WALL_DAYS = st.sampled_from(CLOCK_CHANGES).flatmap(
    lambda day: st.sampled_from([day - timedelta(days=1), day, day + timedelta(days=1)])
)
_WALL_CLOCKS = st.times(max_value=time(4)) | st.times()


@given(_WALL_DAYS, _WALL_CLOCKS, _WALL_DAYS, _WALL_CLOCKS)
def test_the_wall_reading_is_monotonic(
    first_day: date, first: time, second_day: date, second: time
) -> None:
    """A later wall time is never read as an earlier instant, across every clock change."""
    open_time = wr.WESTCOAST.calendar.open_time
    early, late = sorted([(first_day, first), (second_day, second)])

    assert open_time.local_instant(*early) <= open_time.local_instant(*late)


@given(_WALL_DAYS, _WALL_CLOCKS)
def test_the_wall_reading_agrees_with_the_oracle(day: date, clock: time) -> None:
    """The slow model walks minute by minute to the first instant the clock reads a time."""
    whole_minute = clock.replace(second=0, microsecond=0, fold=0)  # the oracle reads fold
    x = wr.WESTCOAST.calendar.open_time.local_instant(day, whole_minute)

    expected = SlowCalendar(closed_days=set()).first_instant_reading(
        datetime.combine(day, whole_minute)
    )
    assert expected == datetime.fromtimestamp(x / 1_000_000, UTC)


@given(_WALL_DAYS, _WALL_CLOCKS)
def test_the_wall_reading_is_the_first_instant_the_clock_reads_that_time_or_later(
    day: date, clock: time
) -> None:
    """A wall time is its first occurrence (the repeated autumn hour), and a skipped one the
    instant the clocks jump (the spring gap): no earlier instant reads it or later."""
    open_time = wr.WESTCOAST.calendar.open_time
    wall = datetime.combine(day, clock)
    exists = wall.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)

    x = open_time.local_instant(day, clock)

    read = open_time.local(x).replace(tzinfo=None)
    assert read == wall if exists == wall else read > wall
    assert all(open_time.local(x - gap).replace(tzinfo=None) < wall for gap in _BEFORE)


_BEFORE = (1, 1_000_000, 60_000_000, 1_800_000_000, 3_599_000_000, 3_600_000_000, 7_200_000_000)
"""Microseconds before a reading: a microsecond up to two hours, beyond any clock change."""


_ODD_ZONES = ("America/Santiago", "America/Havana", "Asia/Beirut", "Australia/Lord_Howe")
"""Zones whose clocks change at midnight, or by half an hour: where a date's one offset, which
the reading remembers per date without a change, is easiest to get wrong."""


@pytest.mark.parametrize("key", _ODD_ZONES)
def test_the_wall_reading_is_the_first_instant_around_every_change_of_odd_zones(key: str) -> None:
    """On each date of a clock change in 2024-2027 and the dates either side, every quarter
    hour is read as the first instant whose local time is that time or later, as in London:
    the dates without a change (read by their one offset) and those with one alike."""
    zone = ZoneInfo(key)
    open_time = wr.BusinessCalendar(zone=zone, regions=()).open_time
    days = set()
    day = date(2024, 1, 1)
    while day.year < 2028:
        after = day + timedelta(days=1)
        ends = [datetime.combine(d, time(0), tzinfo=zone).utcoffset() for d in (day, after)]
        if ends[0] != ends[1]:
            days.update({day - timedelta(days=1), day, after})
        day = after
    assert len(days) >= 3 * 4  # at least a change a year

    for day in sorted(days):
        for mark in range(_QUARTER_HOURS_A_DAY):
            wall = datetime.combine(day, _quarter(mark))
            exists = wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            x = open_time.local_instant(day, _quarter(mark))
            read = open_time.local(x).replace(tzinfo=None)
            assert read == wall if exists.replace(tzinfo=None) == wall else read > wall
            assert all(open_time.local(x - gap).replace(tzinfo=None) < wall for gap in _BEFORE)
