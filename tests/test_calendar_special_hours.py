"""Special days and windows past midnight in the calendar, on real dates, and against the oracle.

Special hours replace a date's weekly windows (an empty list closes the day) and beat a bank
holiday on it; a window past midnight belongs to the day it starts on; a business day is a day
with open time of its own windows (HOURS-1, HOURS-2, HOURS-4).
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
from tests.strategies import business_durations

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)
CHRISTMAS_EVE = date(2026, 12, 24)  # a Thursday
EARLY_CLOSE = wr.BusinessCalendar(special_hours={CHRISTMAS_EVE: [(time(8), time(13))]})


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def night_desk(days: range = range(5), **kwargs: object) -> wr.BusinessCalendar:
    """A desk open 22:00-06:00, from the evenings of *days* (0 = Monday)."""
    hours = {day: [(time(22), time(6))] for day in days}
    return wr.BusinessCalendar(hours=hours, regions=(), **kwargs)  # type: ignore[arg-type]


# -- HOURS-1: special hours replace the weekly windows of their date ---------------------------


def test_hours_1_christmas_eve_closes_at_one() -> None:
    assert EARLY_CLOSE.is_open(london(2026, 12, 24, 12, 59))
    assert not EARLY_CLOSE.is_open(london(2026, 12, 24, 13, 0))
    assert london(2026, 12, 24, 13, 0) == EARLY_CLOSE.close_of_business(CHRISTMAS_EVE)
    assert london(2026, 12, 24, 13, 0) == EARLY_CLOSE.next_close(london(2026, 12, 24, 9, 0))
    assert (wr.Window(time(8), time(13)),) == EARLY_CLOSE.hours_on(CHRISTMAS_EVE)
    assert [timedelta(hours=5)] == [
        period.duration
        for period in EARLY_CLOSE.open_periods(london(2026, 12, 24), london(2026, 12, 25))
    ]


def test_sla_3_and_sla_4_on_christmas_eve_with_special_hours() -> None:
    policy = attrs.evolve(wr.WESTCOAST, calendar=EARLY_CLOSE)
    # P2 at 12:00: one hour on the 24th, then three on Tuesday the 29th (SLA-3).
    assert london(2026, 12, 29, 11, 0) == policy.response_due(
        wr.Priority.P2, london(2026, 12, 24, 12)
    )
    # P3 lodged on the 23rd: close of business on the 24th is 13:00 (SLA-4).
    assert london(2026, 12, 24, 13, 0) == policy.response_due(
        wr.Priority.P3, london(2026, 12, 23, 9)
    )


def test_hours_1_explain_names_the_special_day() -> None:
    policy = attrs.evolve(wr.WESTCOAST, calendar=EARLY_CLOSE)
    text = str(policy.explain(wr.Priority.P2, london(2026, 12, 24, 12)))
    assert "Thu 24 Dec             special hours 08:00-13:00 (HOURS-1)" in text
    assert "Thu 24 Dec 12:00-13:00 counted 1 h, 1 h in all" in text
    steps = policy.explain(wr.Priority.P2, london(2026, 12, 24, 12)).steps
    assert wr.StepKind.SPECIAL_DAY in {step.kind for step in steps}


def test_hours_2_an_empty_special_day_is_closed_and_says_why() -> None:
    move = date(2026, 11, 24)  # an office move on a Tuesday
    calendar = wr.BusinessCalendar(special_hours={move: []})
    assert not calendar.is_business_day(move)
    assert ("closed by special hours",) == calendar.why_closed(move)
    assert ("closed by special hours",) == calendar.holidays_in(2026)[move]
    assert london(2026, 11, 25, 8) == calendar.next_open(london(2026, 11, 24, 9))


def test_special_hours_beat_a_bank_holiday_and_a_closure_on_their_date() -> None:
    boxing_day = date(2026, 12, 28)  # the substitute Boxing Day (GB-ENG)
    calendar = wr.BusinessCalendar(
        extra_closures=frozenset({boxing_day}), special_hours={boxing_day: [(time(10), time(12))]}
    )
    assert calendar.is_business_day(boxing_day)
    assert () == calendar.why_closed(boxing_day)
    assert boxing_day not in calendar.holidays_in(2026)
    assert london(2026, 12, 28, 10) == calendar.next_open(london(2026, 12, 26, 9))


def test_a_weekend_date_with_special_hours_is_a_business_day() -> None:
    saturday = date(2026, 11, 28)
    calendar = wr.BusinessCalendar(special_hours={saturday: [(time(9), time(12))]})
    assert calendar.is_business_day(saturday)
    assert saturday == calendar.next_business_day(date(2026, 11, 27))
    policy = attrs.evolve(wr.WESTCOAST, calendar=calendar)
    # SLA-4: lodged on Friday, the next business day is that Saturday: due at its close.
    assert london(2026, 11, 28, 12) == policy.response_due(wr.Priority.P3, london(2026, 11, 27, 9))


def test_proc_4_counts_a_special_day_at_the_same_local_time_even_after_its_close() -> None:
    """The documented reading: "N business days later" keeps the local time, open or not."""
    calendar = EARLY_CLOSE
    assert london(2026, 12, 24, 15, 0) == calendar.add_business_days(london(2026, 12, 21, 15), 3)
    assert not calendar.is_open(london(2026, 12, 24, 15, 0))


# -- windows past midnight -------------------------------------------------------------------


def test_a_night_desks_window_belongs_to_the_evening_it_starts() -> None:
    desk = night_desk()
    friday, saturday = date(2026, 11, 27), date(2026, 11, 28)
    assert desk.is_open(london(2026, 11, 28, 3, 0))  # Friday's night, on Saturday morning
    assert not desk.is_business_day(saturday)
    assert desk.is_business_day(friday)
    assert london(2026, 11, 28, 6, 0) == desk.close_of_business(friday)
    assert london(2026, 11, 30, 22, 0) == desk.next_open(london(2026, 11, 28, 7, 0))


def test_hours_2_a_holiday_closes_the_night_that_starts_on_it_and_not_the_one_before() -> None:
    christmas = date(2026, 12, 25)  # a Friday
    desk = night_desk(extra_closures=frozenset({christmas}))
    assert desk.is_open(london(2026, 12, 25, 3, 0))  # Thursday's night runs into Christmas Day
    assert not desk.is_open(london(2026, 12, 25, 23, 0))
    assert not desk.is_open(london(2026, 12, 26, 3, 0))  # Christmas night is closed, all of it


def test_hours_2_an_empty_special_day_does_not_cut_the_night_before_it() -> None:
    desk = night_desk(special_hours={date(2026, 11, 24): []})
    assert desk.is_open(london(2026, 11, 24, 5, 59))
    assert not desk.is_open(london(2026, 11, 24, 23, 0))


def test_hours_4_a_night_across_the_autumn_change_is_nine_real_hours() -> None:
    """Saturday 24 October 2026 22:00 BST to Sunday 06:00 GMT: the clocks go back at 02:00."""
    desk = night_desk(range(7))
    night = desk.open_periods(london(2026, 10, 24, 12), london(2026, 10, 25, 12))
    assert [9 * H] == [period.duration for period in night]
    assert london(2026, 10, 25, 6, 0) == desk.close_of_business(date(2026, 10, 24))
    assert utc(london(2026, 10, 25, 1, 30).replace(fold=1)) == utc(
        desk.add(london(2026, 10, 24, 22), 4.5 * H)
    )


def test_a_window_on_new_years_eve_runs_into_next_year_before_its_index_exists() -> None:
    desk = night_desk(range(7))
    assert desk.is_open(london(2027, 1, 1, 3, 0))  # asked first: 2027's index is built now
    fresh = night_desk(range(7))
    assert fresh.is_open(london(2028, 12, 31, 23, 0))
    assert london(2029, 1, 1, 6, 0) == fresh.next_close(london(2028, 12, 31, 23, 0))
    assert 8 * H == fresh.elapsed(london(2028, 12, 31, 12), london(2029, 1, 1, 12))


def test_touching_windows_across_midnight_are_one_open_period() -> None:
    hours = {0: [(time(20), time(6))], 1: [(time(6), time(14))]}
    desk = wr.BusinessCalendar(hours=hours, regions=())
    assert london(2026, 11, 24, 14, 0) == desk.next_close(london(2026, 11, 23, 21, 0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hours": {0: [(time(22), time(9))], 1: [(time(8), time(17))]}}, "runs past midnight"),
        ({"hours": {6: [(time(22), time(9))], 0: [(time(8), time(17))]}}, "Sunday window"),
        (
            {"special_hours": {date(2026, 11, 23): [(time(22), time(9))]}},
            "runs past midnight into 2026-11-24",
        ),
        (
            {
                "hours": {4: [(time(22), time(7))]},
                "special_hours": {date(2026, 11, 28): [(time(6), time(9))]},
            },
            "2026-11-27",
        ),
        (
            {"special_hours": {date(2026, 11, 23): [(time(9), time(12)), (time(11), time(13))]}},
            "overlap",
        ),
    ],
)
def test_windows_may_not_overlap_the_next_days(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(wr.PolicyError, match=message):
        wr.BusinessCalendar(regions=(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("2026-12-24", wr.WrongTypeError),
        ({"2026-12-24": [(time(8), time(13))]}, wr.WrongTypeError),
        ({date(2026, 12, 24): (time(8), time(13))}, wr.WrongTypeError),
        ({date(2026, 12, 24): "08:00-13:00"}, wr.WrongTypeError),
    ],
)
def test_special_hours_are_checked_when_built(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        wr.BusinessCalendar(special_hours=value)  # type: ignore[arg-type]


# -- the spring gap: a business day is a day with open time ------------------------------------


def test_a_day_whose_only_window_the_clocks_skip_is_not_a_business_day() -> None:
    """Berlin's clocks go from 02:00 to 03:00 on Sunday 29 March 2026."""
    sunday = date(2026, 3, 29)
    desk = wr.BusinessCalendar(
        zone="Europe/Berlin",
        hours={6: [(time(2, 15), time(2, 45))], 0: [(time(9), time(17))]},
        regions=(),
    )
    assert not desk.is_business_day(sunday)
    assert ("no open time: its hours fall in the hour the clocks skip",) == desk.why_closed(sunday)
    with pytest.raises(wr.PolicyError, match="not a business day"):
        desk.close_of_business(sunday)
    assert date(2026, 3, 30) == desk.next_business_day(date(2026, 3, 28))


def test_hours_1_a_window_starting_in_the_gap_opens_when_the_clocks_jump() -> None:
    """Open when start <= local time: 01:30 on 28 March 2027 never happens in London, and the
    local time passes it at 01:00 GMT, when the clocks jump to 02:00 BST."""
    desk = wr.BusinessCalendar(hours={6: [(time(1, 30), time(4))]}, regions=())
    jump = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert utc(desk.next_open(london(2027, 3, 28, 0, 30))) == jump
    assert desk.is_open(jump)
    assert not desk.is_open(jump - timedelta(microseconds=1))


# -- against the slow oracle ------------------------------------------------------------------

SPECIAL = {
    CHRISTMAS_EVE: [(time(8), time(13))],
    date(2026, 12, 31): [],
    date(2027, 3, 27): [(time(10), time(14))],  # a Saturday, the eve of the spring change
    date(2026, 10, 24): [(time(20), time(3))],  # a Saturday night across the autumn change
}
CONFIGURED = {
    "special hours": (
        wr.BusinessCalendar(special_hours=SPECIAL),
        SlowCalendar(special=SPECIAL),
    ),
    "night desk": (
        night_desk(range(6), special_hours={date(2026, 12, 24): [(time(18), time(2))]}),
        SlowCalendar(
            hours={day: [(time(22), time(6))] for day in range(6)},
            closed_days=set(),
            special={date(2026, 12, 24): [(time(18), time(2))]},
        ),
    ),
}

moments = st.builds(
    lambda d, minute: datetime.combine(d, time(), tzinfo=LONDON) + timedelta(minutes=minute),
    st.dates(date(2026, 10, 1), date(2027, 4, 30)),
    st.sampled_from([0, 60, 119, 120, 360, 480, 600, 780, 1080, 1200, 1320, 1439])
    | st.integers(0, 1439),
)


@pytest.mark.parametrize("name", sorted(CONFIGURED))
@given(at=moments, duration=business_durations(20))
def test_the_calendar_agrees_with_the_oracle(name: str, at: datetime, duration: timedelta) -> None:
    fast, slow = CONFIGURED[name]
    assert slow.is_open(at) == fast.is_open(at)
    assert utc(slow.next_open(at)) == utc(fast.next_open(at))
    assert utc(slow.add(at, duration)) == utc(fast.add(at, duration))
    assert utc(slow.add(at, -duration)) == utc(fast.add(at, -duration))
    later = at + duration * 3
    assert slow.elapsed(at, later) == fast.elapsed(at, later)


@pytest.mark.parametrize("name", sorted(CONFIGURED))
@given(at=moments, days=st.integers(-6, 6))
def test_business_days_agree_with_the_oracle(name: str, at: datetime, days: int) -> None:
    fast, slow = CONFIGURED[name]
    day = at.date()
    assert slow.is_business_day(day) == fast.is_business_day(day)
    assert utc(slow.add_business_days(at, days)) == utc(fast.add_business_days(at, days))
