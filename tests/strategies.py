"""Shared Hypothesis strategies: instants and durations the rules are checked on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

ZONES = (
    UTC,
    ZoneInfo("Europe/London"),
    ZoneInfo("Europe/Dublin"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kolkata"),
    ZoneInfo("Australia/Lord_Howe"),  # a half-hour DST shift
)


def instants(
    min_value: datetime = datetime(2020, 1, 1), max_value: datetime = datetime(2035, 12, 31)
) -> st.SearchStrategy[datetime]:
    """Aware datetimes, 2020-2035 by default, in several zones, DST folds included."""
    return st.datetimes(
        min_value=min_value,
        max_value=max_value,
        timezones=st.sampled_from(ZONES),
        allow_imaginary=False,
    )


def around_hours() -> st.SearchStrategy[datetime]:
    """Instants that are often exactly on an opening or a close, where bugs live."""
    exact = st.builds(
        lambda d, h: datetime(d.year, d.month, d.day, h, tzinfo=ZoneInfo("Europe/London")),
        st.dates(min_value=datetime(2020, 1, 1).date(), max_value=datetime(2035, 12, 1).date()),
        st.sampled_from([0, 7, 8, 12, 17, 18, 23]),
    )
    return st.one_of(exact, instants())


def business_durations(max_days: int = 60) -> st.SearchStrategy[timedelta]:
    """Positive durations from a microsecond to *max_days*, whole hours more often than not."""
    hours = st.integers(min_value=1, max_value=max_days * 10).map(lambda h: timedelta(hours=h))
    any_length = st.timedeltas(
        min_value=timedelta(microseconds=1), max_value=timedelta(days=max_days)
    )
    return st.one_of(hours, any_length)
