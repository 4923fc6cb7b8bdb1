"""Columns in and out, and the calendar's arithmetic on columns: the kernels of
:mod:`westcoast_rules.frames`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, NamedTuple, TypeVar, overload
from zoneinfo import ZoneInfo

import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt

from westcoast_rules._array_instants import Micros, micros_of, out_of_range
from westcoast_rules._choices import Choice, refuse
from westcoast_rules._hints import missing_column
from westcoast_rules._instants import from_micros, micros, to_micros
from westcoast_rules.calendar import (
    BusinessCalendar,
    OpenIntervals,
    OpenTime,
    add_open_time,
    open_time_between,
)
from westcoast_rules.errors import (
    CalendarRangeError,
    DataError,
    NaiveDatetimeError,
    WrongTypeError,
)
from westcoast_rules.policy import SupportPolicy
from westcoast_rules.priority import Priority
from westcoast_rules.targets import due_micros, target_for
from westcoast_rules.versions import Policies, PolicyVersions, in_force

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
Native = TypeVar("Native")

# -- the calendar on columns -----------------------------------------------------------------


class _ColumnTable:
    """The calendar's table of open intervals as numpy arrays: an
    :class:`~westcoast_rules.calendar.OpenTimeTable` that searches for a column of instants
    at once. A copy of one snapshot of the calendar's own table, never built otherwise."""

    def __init__(self, intervals: OpenIntervals) -> None:
        self.intervals = intervals
        self.starts: Ints = np.array(intervals.starts, dtype=np.int64)
        self.ends: Ints = np.array(intervals.ends, dtype=np.int64)
        self.cumulative: Ints = np.array(intervals.cumulative, dtype=np.int64)

    def at_or_before(self, x: Ints) -> Ints:
        found: Ints = np.searchsorted(self.starts, x, side="right") - 1
        return np.maximum(found, 0)

    def reaching(self, target: Ints, forward: bool | Flags) -> Ints:
        periods = self.cumulative[:-1]  # one longer than the periods: not searched past them
        if isinstance(forward, bool | np.bool_):
            side: Any = "left" if forward else "right"
            found: Ints = np.searchsorted(periods, target, side=side) - 1
            return found
        left = np.searchsorted(periods, target, side="left")
        right = np.searchsorted(periods, target, side="right")
        chosen: Ints = np.where(forward, left, right) - 1
        return chosen

    def beyond(self, target: Ints) -> int:
        if not target.size:
            return 0
        if target.min() < 0:
            return -1
        return 1 if target.max() > self.cumulative[-1] else 0

    @staticmethod
    def clip(x: Ints, low: Ints, high: Ints) -> Ints:
        return np.minimum(np.maximum(x, low), high)

    @staticmethod
    def choose(condition: bool | Flags, when: Ints, otherwise: Ints) -> Ints:
        return np.where(condition, when, otherwise)


_TABLES: dict[int, _ColumnTable] = {}
"""The arrays of the calendars' table snapshots lately used, by the snapshot's id (a table
keeps its snapshot alive, so the id stays its own)."""
_TABLES_LOCK: Final = threading.Lock()


def _table_of(intervals: OpenIntervals) -> _ColumnTable:
    with _TABLES_LOCK:
        table = _TABLES.get(id(intervals))
        if table is None or table.intervals is not intervals:
            if len(_TABLES) >= 16:
                _TABLES.pop(next(iter(_TABLES)))
            table = _TABLES[id(intervals)] = _ColumnTable(intervals)
        return table


class Columns:
    """A calendar's arithmetic on columns of instants (numpy arrays of microseconds since the
    epoch): what :class:`~westcoast_rules.targets.Arithmetic` asks of a calendar, so that the
    targets' rules run unchanged on columns. Days are numpy arrays of proleptic ordinals. Every
    answer comes from the calendar's :class:`~westcoast_rules.calendar.OpenTime`."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.open_time = calendar.open_time
        self.table: _ColumnTable | None = None
        self._midnights: tuple[tuple[int, int], Ints] | None = None

    def covering(self, *columns: Ints) -> _ColumnTable:
        """The table, grown to cover the local years of every instant in *columns*."""
        low = min(int(column.min()) for column in columns if column.size)
        high = max(int(column.max()) for column in columns if column.size)
        table = self.table
        if table is None or not (table.intervals.lower <= low and high < table.intervals.upper):
            table = self.table = _table_of(self.open_time.covering(low, high))
        return table

    def _grow(self, table: _ColumnTable, backwards: bool) -> _ColumnTable:
        grown = self.table = _table_of(self.open_time.grown(table.intervals, backwards))
        return grown

    def add(self, x: Ints, amount: int | Ints) -> Ints:
        if not x.size:
            return x
        added: Ints = add_open_time(self.covering(x), x, amount, self._grow)
        return added

    def elapsed(self, a: Ints, b: Ints) -> Ints:
        if not a.size:
            return a
        return open_time_between(self.covering(a, b), a, b)

    real_add = staticmethod(OpenTime.real_add)
    real_elapsed = staticmethod(OpenTime.real_elapsed)

    def local_date(self, x: Ints) -> Ints:
        """The local date of each instant, as an ordinal: after the last local midnight."""
        if not x.size:
            return x
        self.covering(x)  # in the years of the calendar's holiday data, or CalendarRangeError
        first = self.open_time.local_date(int(x.min())).toordinal()
        last = self.open_time.local_date(int(x.max())).toordinal()
        known = self._midnights
        if known is None or not (known[0][0] <= first and last <= known[0][1]):
            midnight = self.open_time.midnight
            local = [midnight(date.fromordinal(day)) for day in range(first, last + 1)]
            known = self._midnights = ((first, last), np.array(local, dtype=np.int64))
        (start, _), midnights = known
        ordinals: Ints = start + np.searchsorted(midnights, x, side="right") - 1
        return ordinals

    def next_business_day(self, days: Ints) -> Ints:
        following = self.open_time.next_business_day
        return _per_day(days, lambda day: following(day).toordinal())

    def close_of_business(self, days: Ints) -> Ints:
        return _per_day(days, self.open_time.close_of_business)


def _per_day(days: Ints, answer: Callable[[date], int]) -> Ints:
    """The calendar's *answer* for each day of a column, asked once per date (in date order):
    the dates a column spans are few, so they are counted, never sorted."""
    if not days.size:
        return days
    first = int(days.min())
    offsets = days - first
    held = np.flatnonzero(np.bincount(offsets))
    answers = np.zeros(int(held[-1]) + 1, dtype=np.int64)
    answers[held] = [answer(date.fromordinal(first + offset)) for offset in held.tolist()]
    result: Ints = answers[offsets]
    return result


# -- columns in and out ----------------------------------------------------------------------


class _Column:
    """A column as given, read through narwhals, and how to give a result back in its own
    library and shape: a PyArrow Array for an Array, a pandas Series with its index."""

    def __init__(self, native: Any, name: str) -> None:
        self.name = name
        self.array = _is_arrow_array(native)
        if self.array:
            import pyarrow as pa  # noqa: PLC0415

            native = pa.chunked_array([native])
        try:
            self.series: nw.Series[Any] = nw.from_native(native, series_only=True)
        except TypeError:
            raise WrongTypeError(
                f"{name} must be a column: a pandas or Polars Series or a PyArrow Array, got "
                f"{type(native).__name__}"
            ) from None

    def __len__(self) -> int:
        return len(self.series)

    def give_back(self, series: nw.Series[Any]) -> Any:
        native = nw.to_native(series)
        index = nw.maybe_get_index(self.series)
        if index is not None:  # pandas-like: the input's index, as pandas users expect
            native.index = index
        return native.combine_chunks() if self.array else native


def _is_arrow_array(native: object) -> bool:
    kind = type(native)
    return (
        kind.__module__.startswith("pyarrow")
        and hasattr(native, "type")
        and not hasattr(native, "chunks")
    )


def as_frame(native: Any, name: str) -> nw.DataFrame[Any]:
    try:
        return nw.from_native(native, eager_only=True)
    except TypeError:
        raise WrongTypeError(
            f"{name} must be a data frame (pandas, Polars or PyArrow), got {type(native).__name__}"
        ) from None


class _Instants(NamedTuple):
    """A timestamp column as instants: microseconds (0 where there is none), where it is null,
    where a value is outside what a datetime holds, the column's zone, and the values as read
    (for saying which value was wrong)."""

    values: Ints
    null: Flags
    out_of_range: Flags
    zone: ZoneInfo | None
    raw: Any


def instants_of(series: nw.Series[Any], name: str) -> _Instants:
    """A timestamp column's instants in microseconds, range-checked in its own unit
    (:func:`~westcoast_rules._array_instants.micros_of`), and its zone."""
    dtype = series.dtype
    if not isinstance(dtype, nw.Datetime) and series.implementation.is_pandas_like():
        # narwhals cannot read some pandas zones (America/New_York): go to UTC in pandas.
        native = series.to_native()
        zone = getattr(getattr(native, "dt", None), "tz", None)
        if zone is not None:
            key = getattr(zone, "key", None) or str(zone)
            series = nw.from_native(native.dt.tz_convert("UTC"), series_only=True)
            raw = series.dt.replace_time_zone(None).to_numpy()
            return _Instants(*micros_of(raw, name), _zone(key), raw)
    if isinstance(dtype, nw.Datetime) and dtype.time_zone is None:
        raise NaiveDatetimeError(
            f"column {name!r} holds timestamps without a time zone (HOURS-5): say where they "
            "were recorded, e.g. .dt.tz_localize('Europe/London') in pandas or "
            ".dt.replace_time_zone('Europe/London') in Polars"
        )
    if not isinstance(dtype, nw.Datetime) and series.null_count() == len(series):
        # Only nulls (Polars' and Arrow's null type, pandas' None): no instant, so no zone to
        # say; a null in gives a null out.
        none = np.full(len(series), np.datetime64("NaT", "us"))
        return _Instants(*micros_of(none, name), None, none)
    if not isinstance(dtype, nw.Datetime):
        raise WrongTypeError(
            f"column {name!r} must hold timestamps with a time zone, got {dtype}; convert text "
            f'first, e.g. pandas.to_datetime(frame[{name!r}], utc=True, format="ISO8601") or, '
            "in Polars, .str.to_datetime(time_zone='UTC')"
        )
    assert dtype.time_zone is not None
    raw = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None).to_numpy()
    return _Instants(*micros_of(raw, name), _zone(dtype.time_zone), raw)


def _zone(key: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(key)
    except (ValueError, OSError):  # a fixed offset such as "+01:00": no IANA zone
        return None


def _in_range(found: Micros | _Instants, raw: Any, name: str) -> None:
    """Refuse a column that holds a value outside what a datetime holds
    (:class:`~westcoast_rules.DataError`), naming its first row: for the kernels, whose rows
    have no name of their own."""
    wrong = np.flatnonzero(found.out_of_range)
    if wrong.size:
        row = int(wrong[0])
        more = f" (and {wrong.size - 1} more rows)" if wrong.size > 1 else ""
        raise DataError(f"row {row}: {out_of_range(raw, row, name)}{more}")


def local_instants(series: nw.Series[Any], name: str, zone: ZoneInfo) -> _Instants:
    """A timestamp column's instants (:func:`instants_of`), each one a datetime in *zone*
    holds; else the first row that is not is refused, naming it: a
    :class:`~westcoast_rules.DataError` beyond what a datetime holds at all, a
    :class:`~westcoast_rules.CalendarRangeError` beyond it in *zone* (0001-01-01 00:00 UTC is
    in year 0 in London)."""
    found = instants_of(series, name)
    usable = np.flatnonzero(~found.null & ~found.out_of_range)
    beyond = _beyond_datetimes(found.values[usable], zone)
    wrong = np.flatnonzero(found.out_of_range)
    if beyond is not None and not (wrong.size and wrong[0] < usable[beyond[0]]):
        row = int(usable[beyond[0]])
        value = np.datetime_as_string(np.asarray(found.raw)[row])
        raise CalendarRangeError(f"row {row}: {name} {value}: {beyond[1]}")
    _in_range(found, found.raw, name)
    return found


class Outside(NamedTuple):
    """The first row of a column whose instant is outside the years of its calendar's
    holiday data, and the refusal that names it."""

    row: int
    refusal: CalendarRangeError


def _row(outside: Outside) -> int:
    return outside.row


def _outside(
    found: _Instants, name: str, calendars: Sequence[BusinessCalendar], of_row: Ints
) -> Outside | None:
    """The first row of the column *name* whose instant is outside the years of the holiday
    data of the calendar that answers for it (row ``i`` by ``calendars[of_row[i]]``, none where
    that is -1), if one is: its refusal counts the others."""
    usable = ~found.null
    outside = np.zeros(len(found.values), dtype=bool)
    for number, calendar in enumerate(calendars):
        outside |= _outside_years(calendar.open_time, found.values, usable & (of_row == number))
    rows = np.flatnonzero(outside)
    if not rows.size:
        return None
    row = int(rows[0])
    why = _refusal(calendars[int(of_row[row])].open_time, int(found.values[row]))
    more = f" (and {rows.size - 1} more rows)" if rows.size > 1 else ""
    value = np.datetime_as_string(np.asarray(found.raw)[row])
    return Outside(row, CalendarRangeError(f"row {row}: {name} {value}: {why}{more}"))


_DAY: Final = 86_400_000_000


def _outside_years(open_time: OpenTime, x: Ints, rows: Flags) -> Flags:
    """Which of the *rows* hold an instant in a local year the calendar has no holiday data
    for: the calendar asked once for the span of the rows, and only when it refuses, once for
    each year they hold."""
    outside = np.zeros(len(x), dtype=bool)
    if not rows.any():
        return outside
    low = int(x.min(where=rows, initial=np.iinfo(np.int64).max))
    high = int(x.max(where=rows, initial=np.iinfo(np.int64).min))
    if _refusal(open_time, low) is None and _refusal(open_time, high) is None:
        return outside
    places = np.flatnonzero(rows)
    values = x[places]
    # An instant's local year is its year in UTC, unless it is within a day of a new year in
    # UTC (a zone's offset is under a day): such an instant is asked about alone.
    years = values.astype("datetime64[us]").astype("datetime64[Y]")
    since = values - years.astype("datetime64[us]").astype(np.int64)
    until = (years + np.timedelta64(1, "Y")).astype("datetime64[us]").astype(np.int64) - values
    near = (since < _DAY) | (until <= _DAY)
    numbers = years.astype(np.int64)
    asked: dict[int, bool] = {}
    for year, instant in zip(numbers[~near].tolist(), values[~near].tolist(), strict=True):
        if year not in asked:
            asked[year] = _refusal(open_time, instant) is not None
    refused = [year for year, no in asked.items() if no]
    outside[places] = ~near & np.isin(numbers, refused)
    alone = places[near]
    outside[alone] = [_refusal(open_time, instant) is not None for instant in x[alone].tolist()]
    return outside


def _refusal(open_time: OpenTime, instant: int) -> CalendarRangeError | None:
    """Why the calendar has no holiday data for the local year of *instant*, if it has none."""
    try:
        open_time.covering(instant, instant)
    except CalendarRangeError as exc:
        return exc
    return None


Answer = TypeVar("Answer")


def by_parts(
    answer: Callable[[Ints], Answer], rows: Ints
) -> Iterator[tuple[Ints, Answer | CalendarRangeError]]:
    """*answer* for *rows* (positions in a table), in parts, in the order of the rows: all at
    once, and only when the calendar refuses (an answer outside the years of its holiday data,
    though each row's own instants are inside), in halves, down to each row it refuses (one
    row, and the refusal). The one way the kernels and :func:`~westcoast_rules.frames.sla`
    find the rows the calendar cannot answer for: each row's answer is its own."""
    try:
        found: Answer | CalendarRangeError = answer(rows)
    except CalendarRangeError as exc:
        if len(rows) > 1:
            half = len(rows) // 2
            yield from by_parts(answer, rows[:half])
            yield from by_parts(answer, rows[half:])
            return
        found = exc
    yield rows, found


def calendar_answers(
    answer: Callable[[Ints], Ints],
    rows: Ints,
    name: str,
    raw: Any,
    *outside: Outside | None,
    own: Callable[[int], CalendarRangeError | None] | None = None,
    zone: ZoneInfo | None = None,
) -> Ints:
    """*answer* for *rows* (positions in the column *name*, read as *raw*), or
    :class:`~westcoast_rules.CalendarRangeError` naming the first row the calendar cannot
    answer for: a row of *outside* (whose own instant is outside the years of the holiday
    data, which every answer needs), or one whose answer is outside them (said so, unless
    *own* says its own instant is: some answers need no calendar, P1's real time), or, for
    answers that are instants in *zone*, one whose answer no datetime there holds."""
    first = min((found for found in outside if found is not None), key=_row, default=None)
    if first is not None:
        calendar_answers(answer, rows[rows < first.row], name, raw, own=own, zone=zone)
        raise first.refusal  # no earlier row refused
    result = np.zeros(len(rows), dtype=np.int64)
    done = 0
    for part, found in by_parts(answer, rows):
        by_calendar = isinstance(found, CalendarRangeError)
        if isinstance(found, CalendarRangeError):
            refused: tuple[int, CalendarRangeError] | None = (0, found)
        else:
            refused = None if zone is None else _beyond_datetimes(found, zone)
        if refused is not None:
            place, why = refused
            row = int(part[place])
            value = np.datetime_as_string(np.asarray(raw)[row])
            itself = own(row) if own is not None and by_calendar else None  # its own instant
            said = itself or f"its answer lies beyond what the calendar can answer for: {why}"
            raise CalendarRangeError(f"row {row}: {name} {value}: {said}") from None
        assert not isinstance(found, CalendarRangeError)
        result[done : done + len(part)] = found
        done += len(part)
    return result


_FIRST: Final = to_micros(datetime.min.replace(tzinfo=UTC))
_LAST: Final = to_micros(datetime.max.replace(tzinfo=UTC))


def _beyond_datetimes(x: Ints, zone: ZoneInfo) -> tuple[int, CalendarRangeError] | None:
    """The first of the instants *x* that no datetime in *zone* holds (within a day of the
    ends, where a zone's offset may take it past them), and the refusal of it, if one is."""
    for i in np.flatnonzero((x < _FIRST + _DAY) | (x > _LAST - _DAY)).tolist():
        try:
            from_micros(int(x[i]), zone)
        except CalendarRangeError as exc:
            return i, exc
    return None


def _durations(value: Any, name: str, length: int) -> tuple[Ints | int, Flags]:
    """A duration (a timedelta, or a column of them) in microseconds, and where it is null."""
    if isinstance(value, timedelta):
        return micros(value), np.zeros(length, dtype=bool)
    column = _Column(value, name)
    if not isinstance(column.series.dtype, nw.Duration):
        raise WrongTypeError(
            f"{name} must be a timedelta or a column of durations, got {column.series.dtype}"
        )
    raw = column.series.to_numpy()
    found = micros_of(raw, name)
    _in_range(found, raw, name)
    _same_length(length, len(column), name)
    return found.values, found.null


def _same_length(length: int, other: int, name: str) -> None:
    if other != length:
        raise DataError(f"{name} has {other} values where {length} are needed: one per row")


def timestamp_series(
    backend: Any, name: str, x: Ints, null: Flags, zone: ZoneInfo
) -> nw.Series[Any]:
    values = x.astype("datetime64[us]")
    values[null] = np.datetime64("NaT", "us")
    series = nw.new_series(name, values, nw.Datetime("us"), backend=backend)
    return series.dt.replace_time_zone("UTC").dt.convert_time_zone(zone.key)


def duration_series(backend: Any, name: str, x: Ints, null: Flags) -> nw.Series[Any]:
    values = x.astype("timedelta64[us]")
    values[null] = np.timedelta64("NaT", "us")
    return nw.new_series(name, values, nw.Duration("us"), backend=backend)


def text_series(backend: Any, name: str, values: Sequence[str | None]) -> nw.Series[Any]:
    return nw.new_series(name, list(values), nw.String(), backend=backend)


class Words(NamedTuple):
    """A text column of few distinct values: the values, and each row's place among them."""

    words: Sequence[str | None]
    codes: Ints


def words_series(backend: Any, name: str, words: Words) -> nw.Series[Any]:
    """A text column of *words*: each distinct value made once, then taken for each row."""
    return text_series(backend, name, words.words)[words.codes]


class RowValues(Sequence[Any]):
    """A column's values as Python objects (:func:`values_of`), read when first asked for:
    what names a table's rows in a message, which most calls never write."""

    def __init__(self, series: nw.Series[Any]) -> None:
        self.series = series
        self._values: list[Any] | None = None

    def __len__(self) -> int:
        return len(self.series)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if self._values is None:
            self._values = values_of(self.series)
        return self._values[index]


def values_of(series: nw.Series[Any]) -> list[Any]:
    """A column's values as Python objects, ``None`` wherever it is null (NaN, NaT, NA)."""
    values = series.to_list()
    null = series.is_null().to_numpy()
    if null.any():
        for i in np.flatnonzero(null):
            values[i] = None
    return values


# -- the kernels -----------------------------------------------------------------------------


def _calendar(calendar: object) -> BusinessCalendar:
    if not isinstance(calendar, BusinessCalendar):
        raise WrongTypeError(
            f"calendar must be a BusinessCalendar, got {type(calendar).__name__}; "
            "a policy's is policy.calendar"
        )
    return calendar


def business_add(calendar: BusinessCalendar, start: Native, duration: Any) -> Native:
    """:meth:`BusinessCalendar.add <westcoast_rules.BusinessCalendar.add>` for a column:
    the earliest instant at which *duration* of open time has passed since each *start*
    (HOURS-3).

    *duration* is a timedelta, or a column of durations of the same length; a negative one
    counts back (a result on an opening is that opening). The result is a timestamp column of
    *start*'s library, in the calendar's zone.

    A row the calendar cannot answer for, its start or its answer outside the years of the
    holiday data (4 business hours after 2100-12-31 17:00 are in 2101), raises
    :class:`~westcoast_rules.CalendarRangeError` naming the first such row, as the calendar's
    own ``add`` refuses it.

    >>> import pandas as pd
    >>> from westcoast_rules import BusinessCalendar
    >>> start = pd.Series(pd.to_datetime(["2026-11-20 17:00", None]).tz_localize("Europe/London"))
    >>> business_add(BusinessCalendar(), start, timedelta(hours=4)).tolist()
    [Timestamp('2026-11-23 11:00:00+0000', tz='Europe/London'), NaT]
    """
    calendar = _calendar(calendar)
    column = _Column(start, "start")
    found = instants_of(column.series, "start")
    _in_range(found, found.raw, "start")
    x, null = found.values, found.null
    amount, amount_null = _durations(duration, "duration", len(column))
    null = null | amount_null
    outside = _outside(found, "start", [calendar], np.where(null, -1, 0))
    result = np.zeros(len(x), dtype=np.int64)
    valid = np.flatnonzero(~null)
    if valid.size:
        columns = Columns(calendar)

        def add(rows: Ints) -> Ints:
            return columns.add(x[rows], amount[rows] if isinstance(amount, np.ndarray) else amount)

        result[valid] = calendar_answers(
            add, valid, "start", found.raw, outside, zone=calendar.zone
        )
    backend = column.series.implementation
    series = timestamp_series(backend, column.series.name, result, null, calendar.zone)
    return column.give_back(series)  # type: ignore[no-any-return]


def business_elapsed(calendar: BusinessCalendar, start: Native, end: Any) -> Native:
    """:meth:`BusinessCalendar.elapsed <westcoast_rules.BusinessCalendar.elapsed>` for
    columns: the open time in ``[start, end)`` of each row, negative when *end* is before
    *start* (HOURS-3). A duration column of *start*'s library. A row with an instant outside
    the years of the holiday data raises :class:`~westcoast_rules.CalendarRangeError` naming
    the first such row and its column.

    >>> import polars as pl
    >>> from datetime import datetime
    >>> from westcoast_rules import BusinessCalendar, LONDON
    >>> start = pl.Series([datetime(2026, 11, 20, 17, tzinfo=LONDON)])
    >>> end = pl.Series([datetime(2026, 11, 23, 11, tzinfo=LONDON)])
    >>> business_elapsed(BusinessCalendar(), start, end).to_list()
    [datetime.timedelta(seconds=14400)]
    """
    calendar = _calendar(calendar)
    column = _Column(start, "start")
    other = _Column(end, "end")
    _same_length(len(column), len(other), "end")
    starts, ends = instants_of(column.series, "start"), instants_of(other.series, "end")
    _in_range(starts, starts.raw, "start")
    _in_range(ends, ends.raw, "end")
    a, a_null, b, b_null = starts.values, starts.null, ends.values, ends.null
    null = a_null | b_null
    answered = np.where(null, -1, 0)
    outside = (
        _outside(starts, "start", [calendar], answered),
        _outside(ends, "end", [calendar], answered),
    )
    valid = np.flatnonzero(~null)
    result = np.zeros(len(a), dtype=np.int64)
    if valid.size:
        columns = Columns(calendar)

        def elapsed(rows: Ints) -> Ints:
            return columns.elapsed(a[rows], b[rows])

        result[valid] = calendar_answers(elapsed, valid, "start", starts.raw, *outside)
    backend = column.series.implementation
    return column.give_back(duration_series(backend, "business_elapsed", result, null))  # type: ignore[no-any-return]


def response_due(policy: Policies, priority: Any, lodged_at: Native) -> Native:
    """:meth:`SupportPolicy.response_due <westcoast_rules.SupportPolicy.response_due>` for a
    column: when the response to each incident is due (SLA-2..4). *priority* is one priority
    for every row (``"P2"``, ``Priority.P2``) or a column of them, read case-insensitively.
    Given :class:`~westcoast_rules.PolicyVersions`, each row is judged by the version in force
    when it was lodged. A row whose due the policy cannot give (a P2 lodged outside the years
    of the holiday data, or one due after them) raises
    :class:`~westcoast_rules.CalendarRangeError` naming the first such row, and a priority
    that is none (``"urgent"``, a list) a :class:`~westcoast_rules.DataError` naming its rows.

    >>> import pyarrow as pa
    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> lodged = pa.array([datetime(2026, 10, 23, 17, tzinfo=LONDON)])
    >>> due = response_due(WESTCOAST, "p3", lodged)  # Monday 26th is a holiday in Ireland
    >>> due.type, due[0].as_py().isoformat()
    (TimestampType(timestamp[us, tz=Europe/London]), '2026-10-27T18:00:00+00:00')
    """
    column = _Column(lodged_at, "lodged_at")
    found = instants_of(column.series, "lodged_at")
    _in_range(found, found.raw, "lodged_at")
    lodged, null = found.values, found.null
    length = len(column)
    if isinstance(priority, str | Priority):
        given = Priority(priority)
        priorities: list[Priority | None] = [given]
        codes = np.zeros(length, dtype=np.int64)
    else:
        others = _Column(priority, "priority")
        _same_length(length, len(others), "priority")
        priorities, codes = choices_of(others.series, Priority, "priority", None)
    null = null | (codes < 0)
    chosen, versions = versions_of(policy, lodged, null)
    due = np.zeros(length, dtype=np.int64)
    keys = versions * len(priorities) + codes
    arithmetic: dict[int, Columns] = {}

    def due_of(rows: Ints) -> Ints:
        """The due of *rows*: each group of one version and one priority at once."""
        of_rows = keys[rows]
        dues = np.zeros(len(rows), dtype=np.int64)
        for key in np.unique(of_rows).tolist():
            version, code = divmod(key, len(priorities))
            judge, level = chosen[version], priorities[code]
            assert level is not None
            calendar = judge.calendar
            columns = arithmetic.setdefault(id(calendar), Columns(calendar))
            group = of_rows == key
            dues[group] = due_micros(columns, target_for(judge, level), lodged[rows[group]])
        return dues

    zone = first_policy(policy).calendar.zone
    valid = np.flatnonzero(~null)
    if valid.size:

        def own(row: int) -> CalendarRangeError | None:
            return _refusal(chosen[versions[row]].calendar.open_time, int(lodged[row]))

        due[valid] = calendar_answers(due_of, valid, "lodged_at", found.raw, own=own, zone=zone)
    backend = column.series.implementation
    return column.give_back(timestamp_series(backend, "response_due", due, null, zone))  # type: ignore[no-any-return]


ChoiceT = TypeVar("ChoiceT", bound=Choice)


def choices_of(
    series: nw.Series[Any], kind: type[ChoiceT], name: str, tickets: Sequence[Any] | None
) -> tuple[list[ChoiceT | None], Ints]:
    """The members of a column of choices, read case-insensitively, and each row's position
    among them (-1 for a null); values that are none of them are refused, all at once, each
    with the tickets (or rows) that hold it and how to map them. Each value is read once,
    however many rows hold it, in the order it first comes."""
    values, place = _distinct(series)
    members: list[ChoiceT | None] = []
    seen: dict[ChoiceT, int] = {}
    code_of = np.full(len(values) + 1, -1, dtype=np.int64)  # the last for a null (place -1)
    bad: list[tuple[Any, list[int]]] = []
    for j, value in enumerate(values):
        if value is None:
            continue
        try:
            member = kind(value)
        except ValueError:  # DataError: not one of them
            bad.append((value, np.flatnonzero(place == j).tolist()))
            continue
        code = seen.get(member)
        if code is None:
            code = seen[member] = len(members)
            members.append(member)
        code_of[j] = code
    if bad:
        raise DataError(_bad_choices(kind, name, bad, tickets))
    codes: Ints = code_of[place]
    return members, codes


def _distinct(series: nw.Series[Any]) -> tuple[list[Any], Ints]:
    """A column's distinct values as Python objects (``None`` for its null), in the order they
    first come, and each row's place among them (-1 for a null). Found in the column's own
    library; a column of lists or records, which cannot be words, a row at a time."""
    if not isinstance(series.dtype, nw.List | nw.Array | nw.Struct):
        try:
            distinct = series.unique(maintain_order=True)
        except TypeError:  # pandas objects that are not hashable: lists, dicts
            pass
        else:
            values = values_of(distinct)
            return values, _places(series, distinct, values)
    values = []
    place = np.full(len(series), -1, dtype=np.int64)
    first: dict[Any, int] = {}
    for i, value in enumerate(values_of(series)):
        if value is not None:
            key = (type(value), repr(value))  # whatever it is, as it is shown
            j = place[i] = first.setdefault(key, len(values))
            if j == len(values):
                values.append(value)
    return values, place


def _places(series: nw.Series[Any], distinct: nw.Series[Any], values: list[Any]) -> Ints:
    """Each row's place among the column's distinct *values* (``None`` for its null), -1 for
    a null: found in the column's own library, a bit of the place at a time (one pass of
    ``is_in`` per bit), never by turning each row into a Python object."""
    null = series.is_null().to_numpy()
    place = np.zeros(len(series), dtype=np.int64)
    present = distinct.filter(~distinct.is_null()).to_list()  # as the library holds them
    numbers = [j + 1 for j, value in enumerate(values) if value is not None]  # 0: none
    bit = 1
    while bit <= len(values):
        chosen = [value for value, number in zip(present, numbers, strict=True) if number & bit]
        if chosen:
            place += bit * series.is_in(chosen).fill_null(value=False).to_numpy()
        bit <<= 1
    # Every value that is not null is one of the distinct values, by the library's own equality.
    assert not (place[~null] == 0).any()
    place -= 1
    place[null] = -1
    return place


_SHOWN: Final = 3
"""How many values, and rows of each, a refusal of a column's words names."""


def _bad_choices(
    kind: type[Choice], name: str, bad: list[tuple[Any, list[int]]], tickets: Sequence[Any] | None
) -> str:
    """The refusal of a column's values that are none of *kind*'s: the library's one wording
    for each (:func:`~westcoast_rules._choices.refuse`), where being the column and the tickets
    that hold it (their rows when the table has no ticket ids), then how to map them, or, for
    cells that hold several values (a list, a record), how to take one out."""
    refusals = []
    for value, rows in bad[:_SHOWN]:
        if tickets is None:
            holders = f"row{'s' if len(rows) > 1 else ''} {', '.join(map(str, rows[:_SHOWN]))}"
        else:
            named = ", ".join(str(tickets[row]) for row in rows[:_SHOWN])
            holders = f"ticket{'s' if len(rows) > 1 else ''} {named}"
        if len(rows) > _SHOWN:
            holders += f" and {len(rows) - _SHOWN} more"
        refusals.append(str(refuse(kind, value, f"(column {name!r}, {holders})")))
    more = f"; and {len(bad) - _SHOWN} more values" if len(bad) > _SHOWN else ""
    if any(isinstance(value, list | tuple | dict | np.ndarray) for value, _ in bad):
        return (
            f"{'; '.join(refusals)}{more}; a cell holds one {kind.__name__}, never a list or a "
            f"record: take it out first, e.g. frame[{name!r}].str[0] in pandas, "
            f"pl.col({name!r}).list.first() in Polars"
        )
    example = ", ".join(f"{value!r}: ..." for value, _ in bad[:2])
    return (
        f"{'; '.join(refusals)}{more}; map each to one of them first, e.g. "
        f"frame[{name!r}].replace({{{example}}}) in pandas, pl.col({name!r}).replace(...) in "
        "Polars"
    )


def first_policy(policies: Policies) -> SupportPolicy:
    """The policy, or its first version: whose calendar's zone a result column is in."""
    if isinstance(policies, PolicyVersions):
        return policies.policies[0]
    return in_force(policies, 0)


def versions_of(policies: Policies, lodged: Ints, null: Flags) -> tuple[list[SupportPolicy], Ints]:
    """The policy that judges each row (the version in force when it was lodged), as a list
    of policies and each row's position in it. The rows lodged between the starts of two
    versions have one version in force: it is asked of the versions once for them all, at
    the earliest of their instants."""
    if not isinstance(policies, PolicyVersions):
        return [in_force(policies, 0)], np.zeros(len(lodged), dtype=np.int64)
    chosen = list(policies.policies)
    codes = np.zeros(len(lodged), dtype=np.int64)
    starts = np.array([to_micros(since) for since, _ in policies.versions], dtype=np.int64)
    between = np.searchsorted(starts, lodged, side="right")
    place = {id(policy): i for i, policy in enumerate(chosen)}
    for run in np.flatnonzero(np.bincount(between[~null], minlength=1)).tolist():
        rows = ~null & (between == run)
        codes[rows] = place[id(policies.in_force_micros(int(lodged[rows].min())))]
    return chosen, codes


def require_columns(
    frame: nw.DataFrame[Any],
    name: str,
    wanted: Mapping[str, str | None],
    without: Mapping[str, str] | None = None,
) -> None:
    """Refuse a keyword that names a column *frame* does not have. The message suggests the
    closest column there is that no other keyword names (never merely the first), and, for a
    keyword in *without*, what giving it as ``None`` means instead."""
    columns = [str(column) for column in frame.columns]
    taken = {column for column in wanted.values() if column is not None}
    for keyword, column in wanted.items():
        if column is not None and column not in columns:
            free = [other for other in columns if other not in taken]
            meaning = (without or {}).get(keyword)
            raise DataError(missing_column(name, columns, free, keyword, column, without=meaning))
