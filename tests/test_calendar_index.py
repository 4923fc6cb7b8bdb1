"""The edges of the calendar's lazily built index, and the zone of every instant returned.

The index of open intervals is built a block of four years at a time, when a question first
needs those years; these tests ask at the places where a block begins or ends, grows backwards,
or cannot be built at all (no holiday data), on fresh calendars each time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import westcoast_rules as wr

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def fresh() -> wr.BusinessCalendar:
    return wr.BusinessCalendar()


def test_a_question_before_the_index_grows_it_backwards() -> None:
    calendar = fresh()
    assert calendar.is_open(london(2029, 6, 5, 9))  # builds 2028-2031
    # Back from Tuesday 4 January 2028 over Monday's holiday and three business days of 2027.
    assert london(2027, 12, 29, 8) == calendar.add(london(2028, 1, 4, 8), -3 * 10 * H)
    assert calendar.is_open(london(2026, 6, 2, 9))  # and now 2024-2027 as well
    assert 10 * H == calendar.elapsed(london(2027, 12, 31), london(2028, 1, 4))  # New Year's Day


def test_a_span_across_a_block_boundary_counts_both_sides() -> None:
    calendar = fresh()
    before = london(2027, 12, 31, 17)  # Friday 31 December 2027, 2024-2027's last open hour
    assert london(2028, 1, 4, 11) == calendar.add(before, 4 * H)  # Monday 3rd is the holiday
    assert 4 * H == calendar.elapsed(before, london(2028, 1, 4, 11))
    assert london(2028, 1, 4, 8) == calendar.next_open(london(2027, 12, 31, 18))
    assert london(2027, 12, 31, 18) == calendar.next_close(before)


def test_the_first_open_period_of_the_index() -> None:
    calendar = fresh()
    # 2024 starts a block: its first opening is Tuesday 2 January at 08:00.
    assert london(2024, 1, 2, 8) == calendar.next_open(london(2024, 1, 1, 0))
    assert london(2024, 1, 2, 8) == calendar.add(london(2024, 1, 1, 0), timedelta(0)) + 32 * H
    assert 0 == calendar.elapsed(london(2024, 1, 1), london(2024, 1, 2, 8)).total_seconds()


def test_the_last_year_with_holiday_data_works_and_the_next_raises() -> None:
    calendar = fresh()
    assert calendar.is_open(london(2100, 12, 31, 9))  # a Friday, the last day with data
    assert london(2100, 12, 31, 18) == calendar.next_close(london(2100, 12, 31, 9))
    with pytest.raises(wr.CalendarRangeError, match="2101"):
        calendar.add(london(2100, 12, 31, 17), 2 * H)
    with pytest.raises(wr.CalendarRangeError, match="outside 1872-2100"):
        calendar.is_business_day(date(2101, 1, 3))
    with pytest.raises(wr.CalendarRangeError, match="1871"):
        calendar.is_open(london(1871, 6, 5, 9))


def test_close_of_business_on_a_closed_day_says_why_and_what_to_do() -> None:
    with pytest.raises(wr.PolicyError, match=r"Christmas Day .* use next_business_day\(\) first"):
        fresh().close_of_business(date(2026, 12, 25))


def test_new_years_day_is_open_where_the_regions_do_not_close_it() -> None:
    """1 January 2027 is a Friday: closed in England and Ireland, open without regions."""
    assert not fresh().is_business_day(date(2027, 1, 1))
    unregioned = wr.BusinessCalendar(regions=())
    assert unregioned.is_business_day(date(2027, 1, 1))
    assert london(2027, 1, 1, 8) == unregioned.next_open(london(2026, 12, 31, 18))
    scotland = wr.BusinessCalendar(regions=("GB-SCT",))
    assert not scotland.is_business_day(date(2027, 1, 4))  # 2 January's substitute day


def test_a_response_at_the_lodging_instant_is_met_and_took_no_time() -> None:
    lodged = london(2026, 11, 23, 9)
    status = wr.WESTCOAST.response_status(wr.Priority.P2, lodged, lodged, responded_at=lodged)
    assert (wr.ResponseState.MET, timedelta(0)) == (status.state, status.used)
    closed = london(2026, 11, 21, 9)  # a Saturday: no open time has passed either
    status = wr.WESTCOAST.response_status(wr.Priority.P3, closed, closed, responded_at=closed)
    assert (wr.ResponseState.MET, timedelta(0)) == (status.state, status.used)


@pytest.mark.parametrize("zone", [UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")])
def test_every_instant_returned_is_in_the_calendars_zone(zone: ZoneInfo) -> None:
    calendar = fresh()
    at = datetime(2026, 11, 23, 6, 0, tzinfo=zone)
    lodged = wr.WESTCOAST.lodge("WC-1", at, wr.Priority.P2, wr.Channel.EMAIL)
    requested = wr.WESTCOAST.apply(lodged, wr.InfoRequested(at + 2 * H))
    deadlines = wr.WESTCOAST.deadlines(requested)
    status = wr.WESTCOAST.response_status(wr.Priority.P1, at, at + H)
    explanation = wr.WESTCOAST.explain(wr.Priority.P2, at)
    returned = [
        calendar.next_open(at),
        calendar.next_close(at),
        calendar.add(at, 4 * H),
        calendar.add_business_days(at, 2),
        calendar.close_of_business(date(2026, 11, 23)),
        *(period.start for period in calendar.open_periods(at, at + 48 * H)),
        wr.WESTCOAST.response_due(wr.Priority.P3, at),
        lodged.lodged_at,
        requested.awaiting_since,
        requested.auto_resolve_at,
        deadlines.response_due,
        deadlines.next_chase,
        status.due,
        status.as_of,
        *(mark.at for mark in status.milestones),
        explanation.due,
        *(step.start for step in explanation.steps),
    ]
    assert all(value is not None and value.tzinfo is LONDON for value in returned)
    assert all(
        value.utcoffset() == value.astimezone(UTC).astimezone(LONDON).utcoffset()
        for value in returned
        if value is not None
    )


def test_next_close_of_a_period_running_past_the_end_of_a_block_grows_to_find_it() -> None:
    """A desk open all day on weekdays: the week from Monday 29 December 2031 runs over the end
    of 2028-2031 (Thursday 1 January 2032) and closes on Saturday 3 January at 00:00."""
    weekdays = wr.BusinessCalendar(hours={d: [(time(0), time(0))] for d in range(5)}, regions=())
    assert london(2032, 1, 3) == weekdays.next_close(london(2031, 12, 30, 12))
    assert london(2032, 1, 3) == weekdays.next_close(london(2031, 12, 29))


def test_next_close_after_the_last_close_of_a_block_is_in_the_next_block() -> None:
    calendar = fresh()
    assert london(2028, 1, 4, 18) == calendar.next_close(london(2027, 12, 31, 19))


def test_proc_4_counting_back_from_before_a_blocks_first_opening_grows_backwards() -> None:
    """Saturday 1 January 2028, closed: back from Friday's close, one business day."""
    assert london(2027, 12, 30, 18) == fresh().add_business_days(london(2028, 1, 1, 12), -1)


def test_the_last_covered_year_is_reached_from_the_block_before_it() -> None:
    """2096-2099 grows into 2100, the last year of holiday data: 1 January 2100, a Friday, is
    New Year's Day, so two business hours from Thursday 17:00 end on Monday 4th at 09:00."""
    assert london(2100, 1, 4, 9) == fresh().add(london(2099, 12, 31, 17), 2 * H)


def test_a_span_asked_first_across_a_block_boundary_counts_both_sides() -> None:
    before, after = london(2027, 12, 31, 17), london(2028, 1, 4, 10)
    assert 3 * H == fresh().elapsed(before, after)
    assert [
        (before, london(2027, 12, 31, 18)),
        (london(2028, 1, 4, 8), after),
    ] == [(p.start, p.end) for p in fresh().open_periods(before, after)]


def test_the_first_open_period_of_a_fresh_index_is_open_and_listed() -> None:
    assert fresh().is_open(london(2024, 1, 2, 9))
    assert london(2024, 1, 2, 18) == fresh().next_close(london(2024, 1, 2, 9))
    assert [(london(2024, 1, 2, 8), london(2024, 1, 2, 18))] == [
        (p.start, p.end) for p in fresh().open_periods(london(2024, 1, 1), london(2024, 1, 3))
    ]


def test_a_night_from_the_last_evening_before_a_block_opens_the_blocks_first_morning() -> None:
    """Friday 31 December 2027's night (22:00-06:00) runs into 2028, asked about first."""
    nights = {d: [(time(22), time(6))] for d in range(5)}
    assert wr.BusinessCalendar(hours=nights).is_open(london(2028, 1, 1, 3))
    # With Saturday's special hours from 06:00 the night and the morning are one open period.
    morning = {date(2028, 1, 1): [(time(6), time(12))]}
    desk = wr.BusinessCalendar(hours=nights, special_hours=morning)
    assert london(2028, 1, 1, 12) == desk.next_close(london(2028, 1, 1, 3))


def test_a_calendar_without_regions_covers_year_1() -> None:
    assert wr.BusinessCalendar(regions=()).is_open(datetime(1, 6, 4, 9, tzinfo=UTC))


def test_hours_1_next_close_at_a_blocks_last_close_is_the_next_blocks_first() -> None:
    """At 18:00 the desk is closed (local time < end): the next close is Tuesday 4 January
    2028's, in the next block."""
    assert london(2028, 1, 4, 18) == fresh().next_close(london(2027, 12, 31, 18))


@pytest.mark.parametrize(
    ("morning", "first_close", "open_time"),
    [
        ({}, london(2028, 1, 1, 6), 8 * H),
        ({date(2028, 1, 1): [(time(6), time(12))]}, london(2028, 1, 1, 12), 14 * H),
    ],
)
def test_hours_1_the_night_into_a_new_block_and_the_periods_after_it_keep_their_ends(
    morning: dict[date, list[tuple[time, time]]], first_close: datetime, open_time: timedelta
) -> None:
    """From 03:00 on Saturday 1 January 2028 (Friday's night, asked first): its close, then
    Tuesday's night (Monday 3rd is the New Year holiday), 22:00 to Wednesday 06:00."""
    nights = {d: [(time(22), time(6))] for d in range(5)}
    desk = wr.BusinessCalendar(hours=nights, special_hours=morning)
    assert first_close == desk.next_close(london(2028, 1, 1, 3))
    assert london(2028, 1, 5, 6) == desk.next_close(london(2028, 1, 4, 23))
    assert open_time == desk.elapsed(london(2028, 1, 1, 3), london(2028, 1, 5, 3))


def test_next_open_after_a_blocks_last_close_is_in_the_next_block() -> None:
    """Asked first at Friday 31 December 2027 18:00: the next opening is Tuesday 4 January
    2028 at 08:00 (Monday 3rd is New Year's Day's substitute), and PROC-4 counts from it."""
    assert london(2028, 1, 4, 8) == fresh().next_open(london(2027, 12, 31, 18))
    assert london(2028, 1, 5, 8) == fresh().add_business_days(london(2027, 12, 31, 19), 1)


def test_next_open_in_the_first_period_of_a_fresh_index_is_the_instant_itself() -> None:
    assert london(2024, 1, 2, 9) == fresh().next_open(london(2024, 1, 2, 9))
    assert london(2024, 1, 4, 9) == fresh().add_business_days(london(2024, 1, 2, 9), 2)


def test_hours_2_a_year_without_holiday_data_is_refused_naming_the_regions() -> None:
    with pytest.raises(wr.CalendarRangeError) as refused:
        fresh().is_business_day(date(2101, 1, 3))
    assert (
        "year 2101 is outside 1872-2100, the years the holiday data of GB-ENG, IE covers; no "
        "closing days could be trusted there"
    ) == str(refused.value)


def test_a_calendar_without_regions_refuses_year_9999_with_a_typed_error() -> None:
    # The index runs to the midnight ending its last year, which 9999 has no date for.
    calendar = wr.BusinessCalendar(regions=())
    assert calendar.is_business_day(date(9998, 12, 31))  # a Thursday, in the last year covered
    with pytest.raises(wr.CalendarRangeError, match="year 9999 is outside 1-9998"):
        calendar.is_business_day(date(9999, 6, 1))
    with pytest.raises(wr.CalendarRangeError, match="year 9999"):
        calendar.add(datetime(9999, 6, 1, 9, tzinfo=UTC), H)
    with pytest.raises(wr.CalendarRangeError, match="year 9999"):
        calendar.elapsed(datetime(9998, 6, 1, tzinfo=UTC), datetime(9999, 6, 1, tzinfo=UTC))
    with pytest.raises(wr.CalendarRangeError, match="year 9999"):
        calendar.next_business_day(date(9998, 12, 31))


@pytest.mark.parametrize("year", [2031, 2063, 2099])
def test_adding_nothing_after_the_last_close_of_a_block_is_the_same_instant(year: int) -> None:
    # A block of the index ends at its last close, 18:00 on 31 December: an instant after it,
    # with no time to add, is itself (HOURS-3), not a search past the block's last interval.
    late = london(year, 12, 31, 23)
    assert late == fresh().add(late, timedelta(0))
    assert timedelta(0) == fresh().elapsed(late, late)


def test_adding_nothing_after_the_last_close_of_a_block_in_a_column() -> None:
    pd = pytest.importorskip("pandas")
    from westcoast_rules import frames  # noqa: PLC0415  (the [frames] extra)

    late = datetime(2031, 12, 31, 23, tzinfo=UTC)
    starts = pd.Series([late, late - 6 * H], dtype="datetime64[us, UTC]")
    got = frames.business_add(fresh(), starts, pd.Series([timedelta(0), 2 * H]))
    assert [late, datetime(2032, 1, 2, 9, tzinfo=UTC)] == [value.to_pydatetime() for value in got]
