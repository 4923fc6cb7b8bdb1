"""The business calendar: hours, holidays, DST and business-time arithmetic (HOURS-1..5)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.oracle import SlowCalendar
from tests.strategies import around_hours, business_durations, instants

LONDON = ZoneInfo("Europe/London")
CAL = wr.BusinessCalendar()
SLOW = SlowCalendar()
H = timedelta(hours=1)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def utc(value: datetime) -> datetime:
    """Compare instants through UTC: fold=1 datetimes never equal another zone's (PEP 495)."""
    return value.astimezone(UTC)


# -- HOURS-1: Monday to Friday, 08:00 <= local time < 18:00 ---------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (london(2026, 11, 23, 8, 0), True),
        (london(2026, 11, 23, 7, 59, 59, 999999), False),
        (london(2026, 11, 23, 17, 59, 59, 999999), True),
        (london(2026, 11, 23, 18, 0), False),
        (london(2026, 11, 21, 12, 0), False),  # Saturday
        (london(2026, 11, 22, 12, 0), False),  # Sunday
    ],
)
def test_hours_1_open_from_eight_until_before_six_on_weekdays(at: datetime, expected: bool) -> None:
    assert expected == CAL.is_open(at)


def test_hours_1_opening_hours_are_read_on_the_london_clock_in_summer() -> None:
    """08:00 BST is 07:00 UTC: the same instant written in UTC is open too."""
    assert CAL.is_open(datetime(2026, 7, 1, 7, 0, tzinfo=UTC))
    assert not CAL.is_open(datetime(2026, 7, 1, 6, 59, tzinfo=UTC))
    assert not CAL.is_open(datetime(2026, 7, 1, 17, 0, tzinfo=UTC))


def test_hours_1_a_due_that_lands_on_a_close_is_that_close() -> None:
    due = CAL.add(london(2026, 11, 23, 14, 0), 4 * H)
    assert london(2026, 11, 23, 18, 0) == due
    assert not CAL.is_open(due)


def test_hours_1_work_lodged_while_closed_counts_from_the_next_opening() -> None:
    assert london(2026, 11, 23, 11, 0) == CAL.add(london(2026, 11, 20, 17, 0), 4 * H)
    assert london(2026, 11, 23, 12, 0) == CAL.add(london(2026, 11, 21, 10, 0), 4 * H)
    assert london(2026, 11, 24, 12, 0) == CAL.add(london(2026, 11, 23, 19, 30), 4 * H)


# -- HOURS-2: UK (England & Wales) and Republic of Ireland bank holidays ---------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 3, 17), "Saint Patrick's Day (IE)"),
        (date(2026, 4, 3), "Good Friday (GB-ENG)"),
        (date(2026, 6, 1), "June Bank Holiday (IE)"),
        (date(2026, 8, 3), "August Bank Holiday (IE)"),
        (date(2026, 8, 31), "Late Summer Bank Holiday (GB-ENG)"),
        (date(2026, 10, 26), "October Bank Holiday (IE)"),
        (date(2026, 12, 25), "Christmas Day (GB-ENG)"),
        (date(2026, 12, 28), "Boxing Day (substitute, GB-ENG)"),
        (date(2022, 9, 19), "State Funeral of Queen Elizabeth II (GB-ENG)"),
        (date(2023, 5, 8), "Coronation of Charles III (GB-ENG)"),
    ],
)
def test_hours_2_a_holiday_in_either_country_closes_the_desk(day: date, reason: str) -> None:
    assert not CAL.is_business_day(day)
    assert reason in CAL.why_closed(day)
    assert not CAL.is_open(datetime.combine(day, time(12), tzinfo=LONDON))


def test_hours_2_christmas_2026_names_both_countries_and_the_weekend() -> None:
    assert ("Christmas Day (GB-ENG)", "Christmas Day (IE)") == CAL.why_closed(date(2026, 12, 25))
    assert (
        "Saturday",
        "Boxing Day (GB-ENG)",
        "Saint Stephen's Day (IE)",
    ) == CAL.why_closed(date(2026, 12, 26))
    assert CAL.is_business_day(date(2026, 12, 29))


def test_hours_2_an_ordinary_weekday_has_no_reason_to_be_closed() -> None:
    assert () == CAL.why_closed(date(2026, 11, 23))
    assert CAL.is_business_day(date(2026, 11, 23))


def test_hours_2_p2_over_christmas_2026_skips_every_closed_day() -> None:
    """Thu 24th 17:00: 1 h that day; 25th-28th closed; 3 h on Tue 29th."""
    assert london(2026, 12, 29, 11, 0) == CAL.add(london(2026, 12, 24, 17, 0), 4 * H)


def test_hours_2_scotland_and_extra_closures_can_be_added() -> None:
    st_andrews_observed = date(2026, 11, 30)
    assert CAL.is_business_day(st_andrews_observed)
    scotland = wr.BusinessCalendar(regions=(*wr.DEFAULT_REGIONS, wr.HolidayRegion("GB", "SCT")))
    assert not scotland.is_business_day(st_andrews_observed)
    assert any("GB-SCT" in reason for reason in scotland.why_closed(st_andrews_observed))

    assert scotland == wr.BusinessCalendar(regions=("GB-ENG", "IE", "GB-SCT"))

    offsite = wr.BusinessCalendar(extra_closures=frozenset({date(2026, 11, 24)}))
    assert ("closure date set by the calendar",) == offsite.why_closed(date(2026, 11, 24))
    assert london(2026, 11, 25, 12, 0) == offsite.add(london(2026, 11, 23, 16, 0), 6 * H)


def test_hours_2_holidays_in_a_year_lists_closed_weekdays_and_weekend_holidays() -> None:
    listing = CAL.holidays_in(2026)
    assert date(2026, 3, 17) in listing
    assert date(2026, 12, 26) in listing  # a Saturday, but still a named holiday
    assert all(day.year == 2026 for day in listing)
    assert 14 == len(listing)  # 13 closed weekdays and Saturday 26 December


# -- HOURS-4: durations are real elapsed time, arithmetic on instants ------------------------


@pytest.mark.parametrize(
    ("lodged", "expected", "offset_hours"),
    [
        # Spring 2026: Friday 27 March GMT -> Monday 30 March BST.
        (london(2026, 3, 27, 17, 0), london(2026, 3, 30, 11, 0), 1),
        # Autumn 2026: Friday 23 October BST -> Tuesday 27 October GMT (26th: IE holiday).
        (london(2026, 10, 23, 16, 0), london(2026, 10, 27, 10, 0), 0),
        # Spring 2027: Friday 26 March is Good Friday, Monday 29 Easter Monday.
        (london(2027, 3, 25, 17, 0), london(2027, 3, 30, 11, 0), 1),
        # Autumn 2027: Friday 29 October BST -> Monday 1 November GMT.
        (london(2027, 10, 29, 17, 0), london(2027, 11, 1, 11, 0), 0),
    ],
)
def test_hours_4_business_time_across_both_dst_sundays_of_2026_and_2027(
    lodged: datetime, expected: datetime, offset_hours: int
) -> None:
    due = CAL.add(lodged, 4 * H)
    assert utc(expected) == utc(due)
    assert timedelta(hours=offset_hours) == due.utcoffset()
    assert 4 * H == CAL.elapsed(lodged, due)


def test_hours_4_the_dst_night_is_closed_and_measured_in_real_time() -> None:
    """From the repeated hour of 25 October 2026 (fold=1) only Tuesday's 10 hours count."""
    sunday_night = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    assert 10 * H == CAL.elapsed(sunday_night, london(2026, 10, 27, 18, 0))
    assert 30 * H + 30 * timedelta(minutes=1) + 24 * H == (
        utc(london(2026, 10, 27, 8, 0)) - utc(sunday_night)
    )


def test_hours_4_sub_second_durations_are_exact() -> None:
    start = london(2026, 11, 23, 9, 0, 0, 1)
    due = CAL.add(start, timedelta(microseconds=999_999))
    assert london(2026, 11, 23, 9, 0, 1) == due
    assert timedelta(microseconds=999_999) == CAL.elapsed(start, due)
    assert london(2026, 11, 23, 18, 0) == CAL.add(
        london(2026, 11, 23, 17, 59, 59, 999_999), timedelta(microseconds=1)
    )


# -- HOURS-5: aware datetimes only, results in the policy's zone ----------------------------


def test_hours_5_naive_datetimes_are_rejected_with_a_value_error() -> None:
    naive = datetime(2026, 11, 23, 9, 0)
    for call in (
        lambda: CAL.is_open(naive),
        lambda: CAL.next_open(naive),
        lambda: CAL.add(naive, H),
        lambda: CAL.elapsed(naive, london(2026, 11, 23, 12)),
        lambda: CAL.elapsed(london(2026, 11, 23, 12), naive),
        lambda: CAL.add_business_days(naive, 1),
    ):
        with pytest.raises(wr.NaiveDatetimeError, match=r"HOURS-5"):
            call()
    assert issubclass(wr.NaiveDatetimeError, ValueError)
    assert issubclass(wr.NaiveDatetimeError, wr.WestcoastRulesError)


def test_hours_5_wrong_types_are_rejected_with_a_type_error() -> None:
    with pytest.raises(wr.WrongTypeError, match="got a date"):
        CAL.is_open(date(2026, 11, 23))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="timedelta"):
        CAL.add(london(2026, 11, 23, 9), 4)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"datetime\.date"):
        CAL.is_business_day(london(2026, 11, 23, 9))
    with pytest.raises(TypeError, match="int"):
        CAL.add_business_days(london(2026, 11, 23, 9), 1.5)  # type: ignore[arg-type]


def test_hours_5_results_are_in_the_calendars_zone_whatever_zone_went_in() -> None:
    tokyo = datetime(2026, 11, 23, 20, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 11:00 London
    due = CAL.add(tokyo, 4 * H)
    assert LONDON == due.tzinfo
    assert london(2026, 11, 23, 15, 0) == due
    assert LONDON == CAL.next_open(tokyo).tzinfo
    assert LONDON == CAL.add(tokyo, timedelta(0)).tzinfo


def test_hours_5_years_without_holiday_data_raise_instead_of_guessing() -> None:
    with pytest.raises(wr.CalendarRangeError, match="2101"):
        CAL.is_open(datetime(2101, 1, 3, 12, tzinfo=UTC))
    with pytest.raises(wr.CalendarRangeError):
        CAL.add(london(2100, 12, 31, 12), timedelta(days=30))
    with pytest.raises(wr.CalendarRangeError):
        CAL.is_business_day(date(2101, 1, 3))


# -- the operations' documented edges --------------------------------------------------------


def test_add_of_nothing_is_the_same_instant_even_when_closed() -> None:
    saturday = london(2026, 11, 21, 3, 0)
    assert saturday == CAL.add(saturday, timedelta(0))


def test_subtracting_business_time_lands_on_an_opening_not_the_previous_close() -> None:
    assert london(2026, 11, 23, 8, 0) == CAL.add(london(2026, 11, 23, 10, 0), -2 * H)
    assert london(2026, 11, 20, 17, 0) == CAL.add(london(2026, 11, 23, 8, 0), -H)
    assert london(2026, 11, 20, 17, 0) == CAL.add(london(2026, 11, 21, 12, 0), -H)


def test_elapsed_is_signed_and_zero_for_an_empty_or_closed_span() -> None:
    friday, monday = london(2026, 11, 20, 17, 0), london(2026, 11, 23, 11, 0)
    assert 4 * H == CAL.elapsed(friday, monday)
    assert -4 * H == CAL.elapsed(monday, friday)
    assert timedelta(0) == CAL.elapsed(friday, friday)
    assert timedelta(0) == CAL.elapsed(london(2026, 11, 21, 1), london(2026, 11, 22, 23))


def test_next_open_and_next_close() -> None:
    assert london(2026, 11, 23, 9, 0) == CAL.next_open(london(2026, 11, 23, 9, 0))
    assert london(2026, 11, 24, 8, 0) == CAL.next_open(london(2026, 11, 23, 18, 0))
    assert london(2026, 12, 29, 8, 0) == CAL.next_open(london(2026, 12, 24, 18, 30))
    assert london(2026, 11, 23, 18, 0) == CAL.next_close(london(2026, 11, 23, 9, 0))
    assert london(2026, 11, 24, 18, 0) == CAL.next_close(london(2026, 11, 23, 18, 0))
    assert london(2027, 1, 4, 18, 0) == CAL.next_close(london(2026, 12, 31, 19, 0))


def test_add_business_days_keeps_the_local_time_across_christmas_and_dst() -> None:
    """PROC-4's reading: the same local time N business days later."""
    assert london(2026, 12, 30, 10, 0) == CAL.add_business_days(london(2026, 12, 23, 10, 0), 3)
    assert london(2026, 10, 28, 15, 0) == CAL.add_business_days(london(2026, 10, 22, 15, 0), 3)
    # Closed at the start: count from the next opening.
    assert london(2026, 11, 26, 8, 0) == CAL.add_business_days(london(2026, 11, 21, 12, 0), 3)
    assert london(2026, 11, 23, 8, 0) == CAL.add_business_days(london(2026, 11, 21, 12, 0), 0)
    # Counting back: from the instant, or from the previous close when closed (Friday 18:00).
    assert london(2026, 12, 23, 10, 0) == CAL.add_business_days(london(2026, 12, 30, 10, 0), -3)
    assert london(2026, 11, 19, 18, 0) == CAL.add_business_days(london(2026, 11, 21, 12, 0), -1)


def test_open_periods_are_clipped_and_sum_to_the_elapsed_time() -> None:
    periods = CAL.open_periods(london(2026, 12, 24, 17, 0), london(2026, 12, 29, 11, 0))
    assert [
        (london(2026, 12, 24, 17, 0), london(2026, 12, 24, 18, 0)),
        (london(2026, 12, 29, 8, 0), london(2026, 12, 29, 11, 0)),
    ] == [(p.start, p.end) for p in periods]
    assert 4 * H == sum((p.duration for p in periods), timedelta(0))
    assert () == CAL.open_periods(london(2026, 12, 29, 11, 0), london(2026, 12, 24, 17, 0))


# -- configuration ---------------------------------------------------------------------------


def test_custom_hours_windows_and_a_window_to_midnight() -> None:
    split = wr.BusinessCalendar(hours={0: [(time(9), time(12)), (time(13), time(17))]})
    assert not split.is_open(london(2026, 11, 23, 12, 30))
    assert london(2026, 11, 23, 14, 0) == split.add(london(2026, 11, 23, 11, 0), 2 * H)
    assert not split.is_business_day(date(2026, 11, 24))  # Tuesday has no hours

    always = wr.BusinessCalendar(hours={d: [(time(0), time(0))] for d in range(7)}, regions=())
    start = london(2026, 3, 28, 12, 0)
    assert utc(start) + 24 * H == utc(always.add(start, 24 * H))  # over the DST night
    # Touching windows merge into one open period, so the next close is a real close.
    weekdays = wr.BusinessCalendar(hours={d: [(time(0), time(0))] for d in range(5)}, regions=())
    assert london(2026, 11, 28, 0, 0) == weekdays.next_close(london(2026, 11, 23, 9, 0))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"hours": {0: [(time(9), time(12)), (time(11), time(14))]}}, wr.PolicyError, "overlap"),
        ({"hours": {0: [(time(9), time(9))]}}, wr.PolicyError, "must not be empty"),
        (
            {"hours": {0: [(time(18), time(9))], 1: [(time(8), time(17))]}},
            wr.PolicyError,
            "runs past midnight into Tuesday",
        ),
        ({"hours": {7: [(time(9), time(12))]}}, wr.PolicyError, "weekdays run from 0"),
        ({"hours": ((),) * 6}, wr.PolicyError, "one row per weekday"),
        ({"zone": "Europe/Londres"}, wr.PolicyError, "unknown time zone"),
        ({"regions": (wr.HolidayRegion("ZZ"),)}, wr.PolicyError, "no country 'ZZ'"),
        ({"regions": (wr.HolidayRegion("GB", "XXX"),)}, wr.PolicyError, "no subdivision"),
        ({"extra_closures": frozenset({"2026-12-24"})}, wr.WrongTypeError, "must hold dates"),
    ],
)
def test_a_calendar_is_validated_when_built(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        wr.BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_the_index_is_invisible_to_equality_hashing_and_evolve() -> None:
    fresh = wr.BusinessCalendar()
    CAL.is_open(london(2026, 11, 23, 9))
    assert fresh == CAL
    assert hash(fresh) == hash(CAL)
    assert "_cache" not in repr(CAL)
    later = attrs.evolve(CAL, extra_closures=frozenset({date(2026, 11, 23)}))
    assert not later.is_open(london(2026, 11, 23, 9))
    assert CAL.is_open(london(2026, 11, 23, 9))


def test_concurrent_first_use_builds_one_consistent_index() -> None:
    calendar = wr.BusinessCalendar()
    starts = [london(2020 + i % 16, 1 + i % 12, 1 + i % 28, 9) for i in range(64)]
    results: dict[int, datetime] = {}

    def work(i: int) -> None:
        results[i] = calendar.add(starts[i], 40 * H)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {i: CAL.add(starts[i], 40 * H) for i in range(64)} == results


# -- properties against the slow oracle, 2020-2035 in several zones --------------------------


@given(around_hours())
def test_hours_1_2_is_open_agrees_with_the_oracle(at: datetime) -> None:
    assert SLOW.is_open(at) == CAL.is_open(at)


@given(around_hours())
def test_hours_1_next_open_agrees_with_the_oracle(at: datetime) -> None:
    assert utc(SLOW.next_open(at)) == utc(CAL.next_open(at))


@given(around_hours(), business_durations())
def test_hours_4_add_agrees_with_the_oracle(at: datetime, duration: timedelta) -> None:
    assert utc(SLOW.add(at, duration)) == utc(CAL.add(at, duration))
    assert utc(SLOW.add(at, -duration)) == utc(CAL.add(at, -duration))


@given(around_hours(), around_hours())
def test_hours_4_elapsed_agrees_with_the_oracle(a: datetime, b: datetime) -> None:
    if abs(a - b) < timedelta(days=400):
        assert SLOW.elapsed(a, b) == CAL.elapsed(a, b)


@given(around_hours(), st.integers(min_value=0, max_value=10))
def test_proc_4_add_business_days_agrees_with_the_oracle(at: datetime, days: int) -> None:
    assert utc(SLOW.add_business_days(at, days)) == utc(CAL.add_business_days(at, days))


@given(around_hours(), business_durations())
def test_hours_4_elapsed_undoes_add_in_both_directions(at: datetime, duration: timedelta) -> None:
    assert duration == CAL.elapsed(at, CAL.add(at, duration))
    assert -duration == CAL.elapsed(at, CAL.add(at, -duration))


@given(around_hours(), business_durations(30), business_durations(30))
def test_hours_4_add_is_additive_and_monotone(at: datetime, a: timedelta, b: timedelta) -> None:
    assert utc(CAL.add(CAL.add(at, a), b)) == utc(CAL.add(at, a + b))
    assert CAL.add(at, min(a, b)) <= CAL.add(at, max(a, b))


@given(around_hours(), business_durations())
def test_hours_1_a_result_is_never_inside_a_closed_period(at: datetime, d: timedelta) -> None:
    """A due is open, or the very close of an open period ("due by 18:00")."""
    due = CAL.add(at, d)
    assert CAL.is_open(due) or CAL.is_open(due - timedelta(microseconds=1))


@given(instants(), instants())
def test_hours_4_elapsed_is_antisymmetric(a: datetime, b: datetime) -> None:
    assert CAL.elapsed(b, a) == -CAL.elapsed(a, b)


@given(instants())
def test_hours_5_results_carry_the_right_offset_for_their_instant(at: datetime) -> None:
    due = CAL.add(at, 4 * H)
    assert LONDON == due.tzinfo
    assert utc(due).astimezone(LONDON).utcoffset() == due.utcoffset()
    assert utc(due).astimezone(LONDON).replace(tzinfo=None) == due.replace(tzinfo=None)


# -- the words of each refusal: what was wrong, and what to write instead --------------------

MONDAY = london(2026, 11, 23, 9)
NAIVE = datetime(2026, 11, 23, 9)


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("at", lambda: CAL.is_open(NAIVE)),
        ("at", lambda: CAL.next_open(NAIVE)),
        ("at", lambda: CAL.next_close(NAIVE)),
        ("at", lambda: CAL.add(NAIVE, H)),
        ("at", lambda: CAL.add_business_days(NAIVE, 1)),
        ("start", lambda: CAL.elapsed(NAIVE, MONDAY)),
        ("end", lambda: CAL.elapsed(MONDAY, NAIVE)),
        ("start", lambda: CAL.open_periods(NAIVE, MONDAY)),
        ("end", lambda: CAL.open_periods(MONDAY, NAIVE)),
    ],
)
def test_hours_5_a_naive_datetime_is_refused_by_the_name_of_its_argument(
    name: str, call: object
) -> None:
    with pytest.raises(wr.NaiveDatetimeError, match=rf"^{name} is naive \(2026-11-23T09:00:00\)"):
        call()  # type: ignore[operator]


def test_hours_5_add_names_an_argument_of_the_wrong_type() -> None:
    with pytest.raises(wr.WrongTypeError, match=r"^at must be a timezone-aware datetime, got str"):
        CAL.add("2026-11-23T09:00:00+00:00", H)  # type: ignore[arg-type]
    with pytest.raises(
        wr.WrongTypeError, match=r"^duration must be a datetime\.timedelta, got int"
    ):
        CAL.add(MONDAY, 4)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"hours": {0: [wr.Window(time(8), time(18)), (time(9), time(9))]}},
            wr.PolicyError,
            "an opening window must not be empty, got 09:00:00-09:00:00; use time(0)-time(0) for "
            "a window open all day",
        ),
        ({"zone": 42}, wr.WrongTypeError, "zone must be a ZoneInfo or an IANA key string, got 42"),
        (
            {"hours": {0: ["8-18"]}},
            wr.WrongTypeError,
            "the windows of Monday must be Windows or (start, end) pairs of times, got '8-18'; "
            "write e.g. (time(8), time(18))",
        ),
        (
            {"hours": {}},
            wr.PolicyError,
            "hours has no opening window on any weekday: the desk would never open",
        ),
        ({"hours": (("x",),) * 7}, wr.WrongTypeError, "hours for Monday must be Windows, got 'x'"),
        (
            {"hours": {0: [(time(9), time(12)), (time(11), time(14))]}},
            wr.PolicyError,
            "opening windows on Monday must be in order and not overlap: 09:00-12:00 then "
            "11:00-14:00",
        ),
        (
            {"hours": {0: [(time(22), time(6, 0, 1))], 1: [(time(6), time(12))]}, "regions": ()},
            wr.PolicyError,
            "the Monday window 22:00-06:00 runs past midnight into Tuesday's window 06:00-12:00: "
            "end it by 06:00, or merge the two",
        ),
        (
            {"regions": "GB-SCT"},
            wr.WrongTypeError,
            "regions must be a collection of regions, got 'GB-SCT'; write e.g. "
            '("GB-ENG", "IE", "GB-SCT")',
        ),
        ({"regions": (42,)}, wr.WrongTypeError, "regions must be HolidayRegion values, got 42"),
        (
            {"extra_closures": date(2026, 12, 24)},
            wr.WrongTypeError,
            "extra_closures must be a collection of dates, got datetime.date(2026, 12, 24); "
            "write e.g. frozenset({date(2026, 12, 24)})",
        ),
        (
            {"special_hours": "2026-12-24"},
            wr.WrongTypeError,
            "special_hours must map dates to windows, got '2026-12-24'; write e.g. "
            "{date(2026, 12, 24): [(time(8), time(13))]}",
        ),
        (
            {"special_hours": {date(2026, 12, 24): wr.Window(time(8), time(13))}},
            wr.WrongTypeError,
            "special_hours[2026-12-24] must be a list of windows, got "
            "Window(start=datetime.time(8, 0), end=datetime.time(13, 0)); write e.g. "
            "[(time(8), time(13))], or [] to close the day",
        ),
        (
            {"special_hours": {date(2026, 12, 24): "08:00-13:00"}},
            wr.WrongTypeError,
            "special_hours[2026-12-24] must be a list of windows, got '08:00-13:00'; write "
            "e.g. [(time(8), time(13))], or [] to close the day",
        ),
        (
            {"extra_closures": 20261224},
            wr.WrongTypeError,
            "extra_closures must be a collection of dates, got 20261224; write e.g. "
            "frozenset({date(2026, 12, 24)})",
        ),
        (
            {"special_hours": {date(2026, 12, 24): ["8-13"]}},
            wr.WrongTypeError,
            "the windows of 2026-12-24 must be Windows or (start, end) pairs of times, got "
            "'8-13'; write e.g. (time(8), time(18))",
        ),
        (
            {"special_hours": {date(2026, 12, 24): [(time(9), time(12)), (time(11), time(13))]}},
            wr.PolicyError,
            "opening windows on 2026-12-24 must be in order and not overlap: 09:00-12:00 then "
            "11:00-13:00",
        ),
        (
            {"special_hours": {"2026-12-24": []}},
            wr.WrongTypeError,
            "special_hours must be keyed by dates, got '2026-12-24'",
        ),
    ],
)
def test_a_calendar_refused_when_built_says_what_to_write(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as refused:
        wr.BusinessCalendar(**kwargs)  # type: ignore[arg-type]
    assert message == str(refused.value)


def test_hours_2_close_of_business_on_a_holiday_names_every_reason() -> None:
    with pytest.raises(wr.PolicyError) as refused:
        CAL.close_of_business(date(2026, 12, 25))
    assert (
        "2026-12-25 is not a business day (Christmas Day (GB-ENG), Christmas Day (IE)), so it has "
        "no close of business; use next_business_day() first"
    ) == str(refused.value)


def test_hours_2_an_extra_closure_on_a_bank_holiday_keeps_the_holidays_reasons() -> None:
    closed = wr.BusinessCalendar(extra_closures=frozenset({date(2026, 12, 25)}))
    assert (
        "Christmas Day (GB-ENG)",
        "Christmas Day (IE)",
        "closure date set by the calendar",
    ) == closed.why_closed(date(2026, 12, 25))


def test_sla_4_a_calendar_closed_for_a_whole_year_says_so() -> None:
    year = frozenset(date(2027, 1, 4) + timedelta(days=i) for i in range(366))  # to 4 Jan 2028
    with pytest.raises(wr.PolicyError) as refused:
        wr.BusinessCalendar(extra_closures=year).next_business_day(date(2027, 1, 3))
    assert "the calendar has no business day in the year from 2027-01-03" == str(refused.value)


def test_hours_1_an_ordinary_monday_has_its_weekly_hours() -> None:
    assert (wr.Window(time(8), time(18)),) == CAL.hours_on(date(2026, 11, 23))


def test_hours_1_a_window_opens_to_the_second() -> None:
    desk = wr.BusinessCalendar(hours={0: [(time(8, 30, 15), time(17, 45, 30))]})
    assert london(2026, 11, 23, 8, 30, 15) == desk.next_open(london(2026, 11, 23, 7))
    assert london(2026, 11, 23, 17, 45, 30) == desk.next_close(london(2026, 11, 23, 9))


def test_hours_1_touching_windows_of_one_day_are_one_open_period() -> None:
    desk = wr.BusinessCalendar(hours={0: [(time(8), time(12)), (time(12), time(18))]})
    assert london(2026, 11, 23, 18) == desk.next_close(london(2026, 11, 23, 9))


def test_open_periods_from_a_close_start_at_the_next_opening() -> None:
    periods = CAL.open_periods(london(2026, 11, 23, 18), london(2026, 11, 24, 10))
    assert [(london(2026, 11, 24, 8), london(2026, 11, 24, 10))] == [
        (p.start, p.end) for p in periods
    ]


@pytest.mark.parametrize("n", [1.5, "3", None])
def test_proc_4_add_business_days_counts_whole_days(n: object) -> None:
    with pytest.raises(wr.WrongTypeError) as refused:
        CAL.add_business_days(MONDAY, n)  # type: ignore[arg-type]
    assert f"n must be an int, got {n!r}" == str(refused.value)


def test_hours_2_two_holidays_on_one_day_are_each_named() -> None:
    """In Scotland, Monday 2 January 2034 is both the New Year Holiday and New Year's Day's
    substitute."""
    scotland = wr.BusinessCalendar(regions=("GB-SCT",))
    assert ("New Year Holiday (GB-SCT)", "New Year's Day (substitute, GB-SCT)") == (
        scotland.why_closed(date(2034, 1, 2))
    )


@pytest.mark.parametrize("method", ["is_business_day", "why_closed"])
def test_hours_1_a_day_is_a_date_and_the_refusal_says_how_to_get_one(method: str) -> None:
    """An instant is not a day: which day it is depends on the zone, so the library says how
    to ask for it rather than guess (HOURS-1, HOURS-5)."""
    with pytest.raises(wr.WrongTypeError) as refused:
        getattr(CAL, method)(MONDAY)
    assert str(refused.value) == (
        f"day must be a datetime.date, got {MONDAY!r}; for an instant t use "
        "t.astimezone(calendar.zone).date()"
    )
