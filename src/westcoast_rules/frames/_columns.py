"""Columns in and out, and the calendar's arithmetic on columns: the kernels of
:mod:`westcoast_rules.frames`."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt

from westcoast_rules._choices import Choice
from westcoast_rules._instants import from_micros, micros
from westcoast_rules.calendar import (
    BusinessCalendar,
    _Index,
    add_open_time,
    open_time_between,
)
from westcoast_rules.errors import (
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
_Native = TypeVar("_Native")

# -- the calendar on columns -----------------------------------------------------------------


class _ColumnTable:
    """The calendar's table of open intervals as numpy arrays: an
    :class:`~westcoast_rules.calendar.OpenTimeTable` that searches for a column of instants
    at once. A copy of one snapshot of the calendar's own index, never built otherwise."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.starts: Ints = np.array(index.starts, dtype=np.int64)
        self.ends: Ints = np.array(index.ends, dtype=np.int64)
        self.cumulative: Ints = np.array(index.cumulative, dtype=np.int64)

    def at_or_before(self, x: Ints) -> Ints:
        found: Ints = np.searchsorted(self.starts, x, side="right") - 1
        return np.maximum(found, 0)

    def reaching(self, target: Ints, forward: bool | Flags) -> Ints:
        if isinstance(forward, bool | np.bool_):
            side: Any = "left" if forward else "right"
            found: Ints = np.searchsorted(self.cumulative, target, side=side) - 1
            return found
        left = np.searchsorted(self.cumulative, target, side="left")
        right = np.searchsorted(self.cumulative, target, side="right")
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
"""The arrays of the calendars' index snapshots lately used, by the snapshot's id (a table
keeps its snapshot alive, so the id stays its own)."""
_TABLES_LOCK: Final = threading.Lock()


def _table_of(index: _Index) -> _ColumnTable:
    with _TABLES_LOCK:
        table = _TABLES.get(id(index))
        if table is None or table.index is not index:
            if len(_TABLES) >= 16:
                _TABLES.pop(next(iter(_TABLES)))
            table = _TABLES[id(index)] = _ColumnTable(index)
        return table


class _Columns:
    """A calendar's arithmetic on columns of instants (numpy arrays of microseconds since the
    epoch): what :class:`~westcoast_rules.targets.Arithmetic` asks of a calendar, so that the
    targets' rules run unchanged on columns. Days are numpy arrays of proleptic ordinals."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.table: _ColumnTable | None = None
        self._midnights: tuple[tuple[int, int], Ints] | None = None

    def covering(self, *columns: Ints) -> _ColumnTable:
        """The table, grown to cover the local years of every instant in *columns*."""
        low = min(int(column.min()) for column in columns if column.size)
        high = max(int(column.max()) for column in columns if column.size)
        table = self.table
        if table is None or not (table.index.lower <= low and high < table.index.upper):
            zone = self.calendar.zone
            first, last = from_micros(low, zone).year, from_micros(high, zone).year
            if table is not None:
                first, last = min(first, table.index.first_year), max(last, table.index.last_year)
            table = self.table = _table_of(self.calendar._ensure_years(first, last))
        return table

    def _grow(self, table: _ColumnTable, backwards: bool) -> _ColumnTable:
        grown = self.table = _table_of(self.calendar._grow(table.index, backwards))
        return grown

    def _add_micros(self, x: Ints, amount: int | Ints) -> Ints:
        if not x.size:
            return x
        added: Ints = add_open_time(self.covering(x), x, amount, self._grow)
        return added

    def _elapsed_micros(self, a: Ints, b: Ints) -> Ints:
        if not a.size:
            return a
        return open_time_between(self.covering(a, b), a, b)

    _real_add = staticmethod(BusinessCalendar._real_add)
    _real_elapsed = staticmethod(BusinessCalendar._real_elapsed)

    def _local_date(self, x: Ints) -> Ints:
        """The local date of each instant, as an ordinal: after the last local midnight."""
        if not x.size:
            return x
        table = self.covering(x)
        first, last = table.index.first_year, table.index.last_year
        if self._midnights is None or self._midnights[0] != (first, last):
            day, end = date(first, 1, 1), date(last, 12, 31)
            days = [day + timedelta(days=n) for n in range((end - day).days + 1)]
            local = [self.calendar._midnight_micros(d) for d in days]
            self._midnights = ((first, last), np.array(local, dtype=np.int64))
        midnights = self._midnights[1]
        start = date(first, 1, 1).toordinal()
        ordinals: Ints = start + np.searchsorted(midnights, x, side="right") - 1
        return ordinals

    def next_business_day(self, days: Ints) -> Ints:
        following = self.calendar.next_business_day
        return _per_day(days, lambda day: following(day).toordinal())

    def _close_of_business_micros(self, days: Ints) -> Ints:
        return _per_day(days, self.calendar._close_of_business_micros)


def _per_day(days: Ints, answer: Callable[[date], int]) -> Ints:
    """The calendar's *answer* for each day of a column, asked once per date."""
    if not days.size:
        return days
    unique, inverse = np.unique(days, return_inverse=True)
    answers = np.array([answer(date.fromordinal(int(day))) for day in unique], dtype=np.int64)
    result: Ints = answers[inverse.reshape(-1)]
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


def _frame(native: Any, name: str) -> nw.DataFrame[Any]:
    try:
        return nw.from_native(native, eager_only=True)
    except TypeError:
        raise WrongTypeError(
            f"{name} must be a data frame (pandas, Polars or PyArrow), got {type(native).__name__}"
        ) from None


def _instants(series: nw.Series[Any], name: str) -> tuple[Ints, Flags, ZoneInfo | None]:
    """A timestamp column's instants in microseconds, where it is null, and its zone."""
    dtype = series.dtype
    if not isinstance(dtype, nw.Datetime) and series.implementation.is_pandas_like():
        # narwhals cannot read some pandas zones (America/New_York): go to UTC in pandas.
        native = series.to_native()
        zone = getattr(getattr(native, "dt", None), "tz", None)
        if zone is not None:
            key = getattr(zone, "key", None) or str(zone)
            series = nw.from_native(native.dt.tz_convert("UTC"), series_only=True)
            dtype = series.dtype
            x, null = _micros(series.dt.replace_time_zone(None).to_numpy(), name)
            return x, null, _zone(key)
    if isinstance(dtype, nw.Datetime) and dtype.time_zone is None:
        raise NaiveDatetimeError(
            f"column {name!r} holds timestamps without a time zone (HOURS-5): say where they "
            "were recorded, e.g. .dt.tz_localize('Europe/London') in pandas or "
            ".dt.replace_time_zone('Europe/London') in Polars"
        )
    if not isinstance(dtype, nw.Datetime):
        raise WrongTypeError(
            f"column {name!r} must hold timestamps with a time zone, got {dtype}; convert text "
            "first, e.g. pandas.to_datetime(column, utc=True) or, in Polars, "
            ".str.to_datetime(time_zone='UTC')"
        )
    assert dtype.time_zone is not None
    utc = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    x, null = _micros(utc.to_numpy(), name)
    return x, null, _zone(dtype.time_zone)


def _zone(key: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(key)
    except (ValueError, OSError):  # a fixed offset such as "+01:00": no IANA zone
        return None


_PER_UNIT: Final = {"s": 1_000_000, "ms": 1_000, "us": 1}


def _micros(values: Any, name: str) -> tuple[Ints, Flags]:
    """Microseconds of a numpy datetime64 or timedelta64 array (nanoseconds rounded down, as
    a datetime would have them), and where it is NaT; NaT becomes 0."""
    array = np.asarray(values)
    if array.dtype.kind not in "mM":
        raise WrongTypeError(
            f"column {name!r} must hold timestamps or durations, got {array.dtype}"
        )
    null: Flags = np.isnat(array)
    unit, _ = np.datetime_data(array.dtype)
    ints = array.view(np.int64)
    if unit == "ns":
        x = ints // 1_000
    elif unit in _PER_UNIT:
        x = ints * _PER_UNIT[unit]
    else:
        raise WrongTypeError(f"column {name!r} has a time unit of {unit!r}; use microseconds")
    result: Ints = np.where(null, 0, x)
    return result, null


def _durations(value: Any, name: str, length: int) -> tuple[Ints | int, Flags]:
    """A duration (a timedelta, or a column of them) in microseconds, and where it is null."""
    if isinstance(value, timedelta):
        return micros(value), np.zeros(length, dtype=bool)
    column = _Column(value, name)
    if not isinstance(column.series.dtype, nw.Duration):
        raise WrongTypeError(
            f"{name} must be a timedelta or a column of durations, got {column.series.dtype}"
        )
    amounts, null = _micros(column.series.to_numpy(), name)
    _same_length(length, len(column), name)
    return amounts, null


def _same_length(length: int, other: int, name: str) -> None:
    if other != length:
        raise DataError(f"{name} has {other} values where {length} are needed: one per row")


def _timestamps(backend: Any, name: str, x: Ints, null: Flags, zone: ZoneInfo) -> nw.Series[Any]:
    values = x.astype("datetime64[us]")
    values[null] = np.datetime64("NaT", "us")
    series = nw.new_series(name, values, nw.Datetime("us"), backend=backend)
    return series.dt.replace_time_zone("UTC").dt.convert_time_zone(zone.key)


def _timedeltas(backend: Any, name: str, x: Ints, null: Flags) -> nw.Series[Any]:
    values = x.astype("timedelta64[us]")
    values[null] = np.timedelta64("NaT", "us")
    return nw.new_series(name, values, nw.Duration("us"), backend=backend)


def _texts(backend: Any, name: str, values: Sequence[str | None]) -> nw.Series[Any]:
    return nw.new_series(name, list(values), nw.String(), backend=backend)


def _values(series: nw.Series[Any]) -> list[Any]:
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


def business_add(calendar: BusinessCalendar, start: _Native, duration: Any) -> _Native:
    """:meth:`BusinessCalendar.add <westcoast_rules.BusinessCalendar.add>` for a column:
    the earliest instant at which *duration* of open time has passed since each *start*
    (HOURS-3).

    *duration* is a timedelta, or a column of durations of the same length; a negative one
    counts back (a result on an opening is that opening). The result is a timestamp column of
    *start*'s library, in the calendar's zone.

    >>> import pandas as pd
    >>> from westcoast_rules import BusinessCalendar
    >>> start = pd.Series(pd.to_datetime(["2026-11-20 17:00", None]).tz_localize("Europe/London"))
    >>> business_add(BusinessCalendar(), start, timedelta(hours=4)).tolist()
    [Timestamp('2026-11-23 11:00:00+0000', tz='Europe/London'), NaT]
    """
    calendar = _calendar(calendar)
    column = _Column(start, "start")
    x, null = _instants(column.series, "start")[:2]
    amount, amount_null = _durations(duration, "duration", len(column))
    null = null | amount_null
    result = np.zeros(len(x), dtype=np.int64)
    valid = ~null
    if valid.any():
        amounts = amount[valid] if isinstance(amount, np.ndarray) else amount
        result[valid] = _Columns(calendar)._add_micros(x[valid], amounts)
    backend = column.series.implementation
    return column.give_back(_timestamps(backend, column.series.name, result, null, calendar.zone))  # type: ignore[no-any-return]


def business_elapsed(calendar: BusinessCalendar, start: _Native, end: Any) -> _Native:
    """:meth:`BusinessCalendar.elapsed <westcoast_rules.BusinessCalendar.elapsed>` for
    columns: the open time in ``[start, end)`` of each row, negative when *end* is before
    *start* (HOURS-3). A duration column of *start*'s library.

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
    a, a_null = _instants(column.series, "start")[:2]
    b, b_null = _instants(other.series, "end")[:2]
    null = a_null | b_null
    valid = ~null
    result = np.zeros(len(a), dtype=np.int64)
    if valid.any():
        result[valid] = _Columns(calendar)._elapsed_micros(a[valid], b[valid])
    backend = column.series.implementation
    return column.give_back(_timedeltas(backend, "business_elapsed", result, null))  # type: ignore[no-any-return]


def response_due(policy: Policies, priority: Any, lodged_at: _Native) -> _Native:
    """:meth:`SupportPolicy.response_due <westcoast_rules.SupportPolicy.response_due>` for a
    column: when the response to each incident is due (SLA-2..4). *priority* is one priority
    for every row (``"P2"``, ``Priority.P2``) or a column of them, read case-insensitively.
    Given :class:`~westcoast_rules.PolicyVersions`, each row is judged by the version in force
    when it was lodged.

    >>> import pyarrow as pa
    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> lodged = pa.array([datetime(2026, 10, 23, 17, tzinfo=LONDON)])
    >>> response_due(WESTCOAST, "p3", lodged).to_pylist()  # Monday 26th is a holiday in Ireland
    [datetime.datetime(2026, 10, 27, 18, 0, tzinfo=zoneinfo.ZoneInfo(key='Europe/London'))]
    """
    column = _Column(lodged_at, "lodged_at")
    lodged, null = _instants(column.series, "lodged_at")[:2]
    length = len(column)
    if isinstance(priority, str | Priority):
        given = Priority(priority)
        priorities: list[Priority | None] = [given]
        codes = np.zeros(length, dtype=np.int64)
    else:
        others = _Column(priority, "priority")
        _same_length(length, len(others), "priority")
        priorities, codes = _choices(others.series, Priority, "priority", None)
    null = null | (codes < 0)
    chosen, versions = _versions(policy, lodged, null)
    due = np.zeros(length, dtype=np.int64)
    groups: dict[tuple[int, int], Flags] = {}
    keys = versions * len(priorities) + codes
    for key in np.unique(keys[~null]):
        groups[divmod(int(key), len(priorities))] = (keys == key) & ~null
    arithmetic: dict[int, _Columns] = {}
    for (version, code), rows in groups.items():
        judge = chosen[version]
        level = priorities[code]
        assert level is not None
        calendar = judge.calendar
        columns = arithmetic.setdefault(id(calendar), _Columns(calendar))
        due[rows] = due_micros(columns, target_for(judge, level), lodged[rows])
    zone = _first(policy).calendar.zone
    backend = column.series.implementation
    return column.give_back(_timestamps(backend, "response_due", due, null, zone))  # type: ignore[no-any-return]


_C = TypeVar("_C", bound=Choice)


def _choices(
    series: nw.Series[Any], kind: type[_C], name: str, tickets: Sequence[Any] | None
) -> tuple[list[_C | None], Ints]:
    """The members of a column of choices, read case-insensitively, and each row's position
    among them (-1 for a null); values that are none of them are refused, all at once, with a
    row of each and how to map them."""
    values = _values(series)
    members: list[_C | None] = []
    position: dict[Any, int] = {}
    bad: dict[Any, int] = {}
    codes = np.empty(len(values), dtype=np.int64)
    seen: dict[_C, int] = {}
    for i, value in enumerate(values):
        code = position.get(value)
        if code is None:
            if value is None:
                code = -1
            else:
                try:
                    member = kind(value)
                except ValueError:  # DataError: not one of them
                    bad.setdefault(value, i)
                    code = -1
                else:
                    code = seen.get(member)
                    if code is None:
                        code = seen[member] = len(members)
                        members.append(member)
            with contextlib.suppress(TypeError):  # an unhashable value: not remembered
                position[value] = code
        codes[i] = code
    if bad:
        raise DataError(_bad_choices(kind, name, bad, tickets))
    return members, codes


def _bad_choices(kind: type[Choice], name: str, bad: dict[Any, int], tickets: Any) -> str:
    shown = []
    for value, row in list(bad.items())[:5]:
        where = f"row {row}" if tickets is None else f"ticket {tickets[row]}, row {row}"
        shown.append(f"{value!r} ({where})")
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    choices = ", ".join(member.value for member in kind)
    example = ", ".join(f"{value!r}: ..." for value in list(bad)[:2])
    return (
        f"column {name!r} holds values that are not one of {choices} (any case): "
        f"{', '.join(shown)}{more}; map each to one of them first, e.g. "
        f"frame[{name!r}].replace({{{example}}}) in pandas, pl.col({name!r}).replace(...) in "
        "Polars"
    )


def _first(policies: Policies) -> SupportPolicy:
    """The policy, or its first version: whose calendar's zone a result column is in."""
    if isinstance(policies, PolicyVersions):
        return policies.policies[0]
    return in_force(policies, 0)


def _versions(policies: Policies, lodged: Ints, null: Flags) -> tuple[list[SupportPolicy], Ints]:
    """The policy that judges each row (the version in force when it was lodged), as a list
    of policies and each row's position in it."""
    if not isinstance(policies, PolicyVersions):
        return [in_force(policies, 0)], np.zeros(len(lodged), dtype=np.int64)
    chosen = list(policies.policies)
    codes = np.zeros(len(lodged), dtype=np.int64)
    if (~null).any():
        unique, inverse = np.unique(lodged[~null], return_inverse=True)
        place = {id(policy): i for i, policy in enumerate(chosen)}
        found = [place[id(policies.in_force_micros(int(x)))] for x in unique]
        codes[~null] = np.array(found, dtype=np.int64)[inverse.reshape(-1)]
    return chosen, codes


def _require_columns(frame: nw.DataFrame[Any], name: str, wanted: Mapping[str, str | None]) -> None:
    columns = frame.columns
    for keyword, column in wanted.items():
        if column is not None and column not in columns:
            raise DataError(
                f"{name} has no column {column!r} for {keyword}=; its columns are "
                f"{', '.join(map(repr, columns))}: name yours, e.g. {keyword}={columns[0]!r}"
            )
