"""The calendar on instants (``BusinessCalendar.open_time``): the answers of the slow oracle,
on integer microseconds, and a typed error for anything that is not one."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.oracle import SlowCalendar
from tests.strategies import around_hours, business_durations

LONDON = wr.LONDON
OPEN_TIME = wr.WESTCOAST.calendar.open_time
SLOW = SlowCalendar()
HOUR = 3_600_000_000
MICROSECOND = timedelta(microseconds=1)


def micros(value: datetime) -> int:
    return round(value.timestamp() * 1_000_000)


def utc(x: int) -> datetime:
    return datetime.fromtimestamp(x / 1_000_000, UTC)


@given(around_hours(), business_durations())
def test_sla_3_add_on_instants_agrees_with_the_oracle(at: datetime, duration: timedelta) -> None:
    amount = duration // timedelta(microseconds=1)
    assert SLOW.add(at, duration) == utc(OPEN_TIME.add(micros(at), amount))
    assert SLOW.add(at, -duration) == utc(OPEN_TIME.add(micros(at), -amount))


@given(around_hours(), around_hours())
def test_hours_3_elapsed_on_instants_agrees_with_the_oracle(a: datetime, b: datetime) -> None:
    if abs(a - b) < timedelta(days=400):
        expected = SLOW.elapsed(a, b) // timedelta(microseconds=1)
        assert expected == OPEN_TIME.elapsed(micros(a), micros(b))


@given(around_hours(), st.integers(min_value=-10, max_value=10))
def test_proc_4_business_days_on_instants_agree_with_the_oracle(at: datetime, n: int) -> None:
    assert SLOW.add_business_days(at, n) == utc(OPEN_TIME.add_business_days(micros(at), n))


@given(around_hours())
def test_hours_1_is_open_and_next_open_on_instants_agree_with_the_oracle(at: datetime) -> None:
    assert SLOW.is_open(at) == OPEN_TIME.is_open(micros(at))
    assert SLOW.next_open(at) == utc(OPEN_TIME.next_open(micros(at)))


@pytest.mark.parametrize("zone", [UTC, LONDON])
def test_an_instant_is_exact_to_the_microsecond_far_from_1970(zone: tzinfo) -> None:
    # Through timestamp(), a float, this one came out 10252140809813650.
    at = datetime(2294, 11, 17, 0, 53, 29, 813651, tzinfo=UTC).astimezone(zone)
    assert OPEN_TIME.instant(at) == 10252140809813651
    assert OPEN_TIME.instant(at) == (at - datetime(1970, 1, 1, tzinfo=UTC)) // MICROSECOND


@given(st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC)))
def test_hours_5_an_instant_is_its_local_datetime_to_the_microsecond_in_any_year(
    at: datetime,
) -> None:
    """Instant to datetime is exact too: a float's step is wider than a microsecond before
    1834 and after 2106, where most instants came back a few microseconds off."""
    x = OPEN_TIME.instant(at)
    local = OPEN_TIME.local(x)
    expected = at.astimezone(LONDON)
    assert (local.replace(tzinfo=None), local.fold) == (
        expected.replace(tzinfo=None),
        expected.fold,
    )
    assert OPEN_TIME.instant(local) == x


def test_sla_4_close_of_business_on_the_next_business_day_as_an_instant() -> None:
    """Lodged Thursday 24 December 2026: Christmas, Boxing Day's substitute and the weekend are
    closed (HOURS-2), so P3 is due Tuesday 29 December at 18:00."""
    lodged = OPEN_TIME.instant(datetime(2026, 12, 24, 10, 0, tzinfo=LONDON))
    day = OPEN_TIME.next_business_day(OPEN_TIME.local_date(lodged))
    assert date(2026, 12, 29) == day
    assert datetime(2026, 12, 29, 18, 0, tzinfo=UTC) == utc(OPEN_TIME.close_of_business(day))


def test_proc_6_midnight_is_the_local_midnight_in_summer_time() -> None:
    midnight = OPEN_TIME.midnight(date(2026, 7, 1))
    assert datetime(2026, 6, 30, 23, 0, tzinfo=UTC) == utc(midnight)
    assert "2026-07-01 00:00:00+01:00" == str(OPEN_TIME.local(midnight))


def test_the_open_time_of_a_copied_calendar_answers_alike() -> None:
    calendar = wr.BusinessCalendar(special_hours={date(2026, 12, 24): [(time(8), time(13))]})
    clone = pickle.loads(pickle.dumps(calendar.open_time))
    christmas_eve = clone.instant(datetime(2026, 12, 24, 12, 0, tzinfo=LONDON))
    assert calendar.open_time.add(christmas_eve, 2 * HOUR) == clone.add(christmas_eve, 2 * HOUR)
    assert "2026-12-29 09:00:00+00:00" == str(clone.local(clone.add(christmas_eve, 2 * HOUR)))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: OPEN_TIME.add("2026-11-23", HOUR), wr.WrongTypeError, "open_time.instant(t)"),  # type: ignore[arg-type]
        (lambda: OPEN_TIME.add(0, timedelta(hours=1)), wr.WrongTypeError, "timedelta d use"),  # type: ignore[arg-type]
        (lambda: OPEN_TIME.elapsed(0, 1.5), wr.WrongTypeError, "b must be whole microseconds"),  # type: ignore[arg-type]
        (lambda: OPEN_TIME.is_open(True), wr.WrongTypeError, "x must be whole microseconds"),
        (lambda: OPEN_TIME.add_business_days(0, 1.0), wr.WrongTypeError, "n must be an int"),  # type: ignore[arg-type]
        (lambda: OPEN_TIME.instant(datetime(2026, 11, 23, 9)), wr.NaiveDatetimeError, "HOURS-5"),
        (
            lambda: OPEN_TIME.local_instant(datetime(2026, 11, 23, 9), time(9)),
            wr.WrongTypeError,
            "t.astimezone(calendar.zone).date()",
        ),
        (
            lambda: OPEN_TIME.local_instant(date(2026, 11, 23), time(9, tzinfo=UTC)),
            wr.WrongTypeError,
            "without a tzinfo",
        ),
        (
            lambda: OPEN_TIME.close_of_business(date(2026, 12, 25)),
            wr.PolicyError,
            "not a business day (Christmas Day (GB-ENG), Christmas Day (IE))",
        ),
        (lambda: OPEN_TIME.grown("table"), wr.WrongTypeError, "get one from covering()"),  # type: ignore[arg-type]
    ],
)
def test_what_is_not_an_instant_a_day_or_a_business_day_is_refused_with_what_to_do(
    call: Callable[[], object], error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)
