"""Tables in, tables out: the rules on columns of pandas, Polars or PyArrow.

For analysts, who arrive with a table: a helpdesk export with one row per ticket, or an event
log. Columns of any of the three libraries go in, through narwhals, and a column or table of
the same library comes out; none of them is required, only numpy and narwhals (the
``[frames]`` extra).

Nothing here is a second copy of a rule. The calendar's own table of open intervals is
searched for a whole column of instants at once (``numpy.searchsorted`` where the calendar
uses ``bisect``), by the same arithmetic (:func:`~westcoast_rules.calendar.add_open_time`);
the response targets' rules (:func:`~westcoast_rules.targets.due_micros`) run unchanged on
columns; what depends on a date alone is asked of the calendar once per date; what intake
decides is decided by :func:`~westcoast_rules.intake.response_terms` once per combination of
priority, channel and category; an event table is replayed and reported by the file report's
own :class:`~westcoast_rules.batch.report.Reporter`. So a column's answer is always the
scalar API's answer.

Timestamps must carry a zone (a tz-naive column raises
:class:`~westcoast_rules.NaiveDatetimeError`, HOURS-5); results are in the calendar's zone, at
microsecond resolution; a null in gives a null out; pandas results keep the input's index.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from typing import Any, Final, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from westcoast_rules._choices import Choice
from westcoast_rules._instants import aware_micros, from_micros, micros, to_micros
from westcoast_rules.batch.log import LOG_COLUMNS, Entry, RowError, RowReader, check_columns
from westcoast_rules.batch.report import Reporter, SlaSummary, TicketRow, whole_minutes
from westcoast_rules.calendar import (
    BusinessCalendar,
    _Index,
    add_open_time,
    open_time_between,
)
from westcoast_rules.errors import (
    BadRowsWarning,
    DataError,
    InvalidEnquiryError,
    InvalidTimelineError,
    MissingExtraError,
    NaiveDatetimeError,
    WrongTypeError,
)
from westcoast_rules.events import Lodged
from westcoast_rules.intake import ResponseTerms, response_terms
from westcoast_rules.policy import SupportPolicy
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category
from westcoast_rules.sla import response_state
from westcoast_rules.targets import clock_elapsed, due_micros, target_for
from westcoast_rules.versions import Policies, PolicyVersions, in_force

try:
    import narwhals.stable.v2 as nw
    import numpy as np
    import numpy.typing as npt
except ImportError as missing:  # pragma: no cover - only without the extra
    raise MissingExtraError(
        f"westcoast_rules.frames needs numpy and narwhals ({missing.name} is missing): "
        'pip install "westcoast-rules[frames]"'
    ) from missing

__all__ = ["business_add", "business_elapsed", "report", "response_due", "sla", "summary"]

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
            import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415

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
    values[null] = np.datetime64("NaT")
    series = nw.new_series(name, values, nw.Datetime("us"), backend=backend)
    return series.dt.replace_time_zone("UTC").dt.convert_time_zone(zone.key)


def _timedeltas(backend: Any, name: str, x: Ints, null: Flags) -> nw.Series[Any]:
    values = x.astype("timedelta64[us]")
    values[null] = np.timedelta64("NaT")
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


# -- a ticket table --------------------------------------------------------------------------


def sla(
    policy: Policies,
    tickets: _Native,
    *,
    as_of: datetime,
    ticket: str = "ticket_id",
    priority: str = "priority",
    lodged_at: str = "created_at",
    responded_at: str = "first_response_at",
    channel: str | None = None,
    category: str | None = None,
) -> _Native:
    """A ticket table, one row per ticket as a helpdesk exports it, with its SLA as of
    *as_of*: the same rows in the same order, and the columns

    - ``sla_priority``: the priority the response is measured at, after intake's decisions:
      a P1 raised by email or Helpcentre is a P2 (PRIO-4), migration work at most P2
      (PRIO-5); null without a target;
    - ``response_due``: when the response is due (SLA-2..4), in the policy's zone;
    - ``response``: ``met``, ``breached``, ``pending`` or ``no_target``, as in
      :class:`~westcoast_rules.batch.TicketRow` (SLA-1; Partner Centre work and the other work
      Westcoast does not handle itself has no target, SLA-6);
    - ``time_to_respond``: from lodging to the response, on the target's own clock;
    - ``rules``: the rule IDs that decided, space-separated, in order;
    - ``policy_version``: the version of the policy that judged the ticket.

    The keywords name your columns. Without a *channel* column the priority is taken as
    recorded; without a *category* column every ticket is service work. Priorities, channels
    and categories are read case-insensitively, and any other value is refused, listing each
    with a row. A response after *as_of* is not known yet. A row without a priority or a
    lodging instant cannot be judged: its SLA columns are null.

    >>> import pandas as pd
    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> export = pd.DataFrame({
    ...     "ticket_id": ["WC-1", "WC-2"], "priority": ["P1", "p2"],
    ...     "channel": ["email", "phone"],
    ...     "created_at": pd.to_datetime(["2026-11-20 17:00", "2026-11-23 09:00"]).tz_localize(
    ...         "Europe/London"),
    ...     "first_response_at": pd.to_datetime(["2026-11-23 10:00", None]).tz_localize(
    ...         "Europe/London")})
    >>> out = sla(WESTCOAST, export, as_of=datetime(2026, 11, 23, 15, tzinfo=LONDON),
    ...           channel="channel")
    >>> out[["sla_priority", "response", "rules"]].values.tolist()
    [['P2', 'met', 'PRIO-4 SLA-3'], ['P2', 'breached', 'SLA-3']]
    """
    now = aware_micros(as_of, "as_of")
    frame = _frame(tickets, "tickets")
    wanted = {
        "ticket": ticket,
        "priority": priority,
        "lodged_at": lodged_at,
        "responded_at": responded_at,
        "channel": channel,
        "category": category,
    }
    _require_columns(frame, "tickets", wanted)
    facts = _Tickets(frame, wanted)
    judged = _judge(policy, facts, now)
    zone = _first(policy).calendar.zone
    backend = frame.implementation
    added = [
        _texts(backend, "sla_priority", judged.priority),
        _timestamps(backend, "response_due", judged.due, ~judged.has_due, zone),
        _texts(backend, "response", judged.response),
        _timedeltas(backend, "time_to_respond", judged.used, ~judged.has_used),
        _texts(backend, "rules", judged.rules),
        _texts(backend, "policy_version", judged.version),
    ]
    # narwhals adds columns by position, so a pandas frame keeps its index.
    return nw.to_native(frame.with_columns(*added))  # type: ignore[no-any-return]


class _Tickets:
    """The facts of a ticket table's rows, as columns: what judging them needs."""

    def __init__(self, frame: nw.DataFrame[Any], names: Mapping[str, str | None]) -> None:
        ticket, priority = names["ticket"], names["priority"]
        lodged_at, responded_at = names["lodged_at"], names["responded_at"]
        assert ticket is not None
        assert priority is not None
        assert lodged_at is not None
        assert responded_at is not None
        self.length = length = len(frame)
        self.ids = _values(frame[ticket])
        self.lodged, lodged_null, _ = _instants(frame[lodged_at], lodged_at)
        self.responded, self.responded_null, _ = _instants(frame[responded_at], responded_at)
        self.priorities, self.priority_codes = _choices(
            frame[priority], Priority, priority, self.ids
        )
        # A null channel is not known, taken as allowed (PRIO-4); a null category is service.
        self.channels, self.channel_codes = self._optional(frame, names["channel"], Channel, None)
        self.categories, self.category_codes = self._optional(
            frame, names["category"], Category, Category.SERVICE
        )
        self.judged: Flags = ~lodged_null & (self.priority_codes >= 0)
        """The rows that can be judged: with a priority and a lodging instant."""
        early = np.flatnonzero(~lodged_null & ~self.responded_null & (self.responded < self.lodged))
        if early.size:
            shown = ", ".join(f"{self.ids[i]} (row {i})" for i in early[:5].tolist())
            raise InvalidTimelineError(
                f"{early.size} tickets were responded to before they were lodged: {shown}; "
                "there is no response before the incident is lodged, so check those instants"
            )
        assert length == len(self.lodged)

    def _optional(
        self,
        frame: nw.DataFrame[Any],
        name: str | None,
        kind: type[_C],
        default: _C | None,
    ) -> tuple[list[_C | None], Ints]:
        if name is None:
            return [default], np.zeros(self.length, dtype=np.int64)
        members, codes = _choices(frame[name], kind, name, self.ids)
        members.append(default)
        codes[codes < 0] = len(members) - 1
        return members, codes


class _Judged(NamedTuple):
    """What judging a ticket table gives, column by column."""

    priority: list[str | None]
    due: Ints
    has_due: Flags
    response: list[str | None]
    used: Ints
    has_used: Flags
    rules: list[str | None]
    version: list[str | None]


def _judge(policies: Policies, tickets: _Tickets, now: int) -> _Judged:
    """Judge the rows of a ticket table: each combination of version, priority, channel and
    category decided once by intake (:func:`~westcoast_rules.intake.response_terms`), each
    group's due and time to respond by the targets' own rules on columns."""
    length, judged, lodged, responded = (
        tickets.length,
        tickets.judged,
        tickets.lodged,
        tickets.responded,
    )
    chosen, version_codes = _versions(policies, lodged, ~judged)
    due = np.zeros(length, dtype=np.int64)
    used = np.zeros(length, dtype=np.int64)
    has_due = np.zeros(length, dtype=bool)
    has_used = np.zeros(length, dtype=bool)
    accepted: list[str | None] = [None] * length
    decided: list[str | None] = [None] * length
    known = ~tickets.responded_null & (responded <= now)  # later: not known as of now
    codes = np.stack(
        [version_codes, tickets.priority_codes, tickets.channel_codes, tickets.category_codes]
    )
    rows_judged = np.flatnonzero(judged)
    unique, inverse = np.unique(codes[:, judged], axis=1, return_inverse=True)
    inverse = inverse.reshape(-1)
    arithmetic: dict[int, _Columns] = {}
    for k in range(unique.shape[1]):
        place, level, by, about = (int(code) for code in unique[:, k])
        rows = rows_judged[inverse == k]
        policy = chosen[place]
        raised = tickets.priorities[level]
        assert raised is not None
        terms = _terms(
            policy, raised, tickets.channels[by], tickets.categories[about], tickets.ids[rows[0]]
        )
        rules = " ".join(terms.rules)
        target = terms.target
        priority = None if target is None else target.priority.value
        for row in rows.tolist():
            decided[row] = rules
            accepted[row] = priority
        if target is None:
            continue
        calendar = policy.calendar
        columns = arithmetic.setdefault(id(calendar), _Columns(calendar))
        due[rows] = due_micros(columns, target, lodged[rows])
        has_due[rows] = True
        answered = rows[known[rows]]
        used[answered] = clock_elapsed(columns, target, lodged[answered], responded[answered])
        has_used[answered] = True
    response: list[str | None] = [None] * length
    for row in rows_judged.tolist():
        if has_due[row]:
            answer = int(responded[row]) if known[row] else None
            response[row] = response_state(int(due[row]), now, answer).value
        else:
            response[row] = "no_target"
    names = [policy.version for policy in chosen]
    version = [
        names[v] if j else None
        for v, j in zip(version_codes.tolist(), judged.tolist(), strict=True)
    ]
    return _Judged(accepted, due, has_due, response, used, has_used, decided, version)


def _require_columns(frame: nw.DataFrame[Any], name: str, wanted: Mapping[str, str | None]) -> None:
    columns = frame.columns
    for keyword, column in wanted.items():
        if column is not None and column not in columns:
            raise DataError(
                f"{name} has no column {column!r} for {keyword}=; its columns are "
                f"{', '.join(map(repr, columns))}: name yours, e.g. {keyword}={columns[0]!r}"
            )


def _terms(
    policy: SupportPolicy,
    priority: Priority,
    channel: Channel | None,
    category: Category | None,
    ticket: object,
) -> ResponseTerms:
    try:
        return response_terms(policy, priority, channel, category or Category.SERVICE)
    except InvalidEnquiryError as exc:  # a policy that accepts no P1 by email (PRIO-4)
        raise InvalidEnquiryError(f"ticket {ticket}: {exc}") from None


# -- an event table --------------------------------------------------------------------------

_TICKET_COLUMNS: Final = TicketRow._fields
_INSTANT_FIELDS: Final = ("lodged_at", "response_due", "responded_at", "next_deadline")
_SOURCE: Final = "events"


def report(policy: Policies, events: _Native, *, as_of: datetime, strict: bool = False) -> _Native:
    """The SLA report of an event log given as a table, as of *as_of*: one row per ticket,
    with :class:`~westcoast_rules.batch.TicketRow`'s fields as columns, in a frame of the
    events' library.

    The table has the log's columns (:data:`~westcoast_rules.batch.LOG_COLUMNS`; names in any
    case, ticket, event and at at least), its rows in any order: each ticket's rows are put
    together and in time order (stably) here, then replayed and judged by the file report's
    own code, so the answers are :func:`~westcoast_rules.batch.sla_report`'s. ``at`` is text
    (an offset, ``Z`` or ``[zone]``) or a zoned timestamp column; ``every`` text (ISO 8601)
    or a duration column; ``tier`` text or a number; an empty cell is ``""`` or null.

    A bad row is left out and counted in its ticket's ``bad_rows``, as a file report counts
    it; a :class:`~westcoast_rules.BadRowsWarning` names each, by its position in the table
    (``events:17: ...``). With ``strict=True`` the first raises
    :class:`~westcoast_rules.DataError` instead.
    """
    now = aware_micros(as_of, "as_of")  # checked before any reading (HOURS-5)
    frame = _frame(events, "events")
    named = {column.strip().lower(): column for column in frame.columns}
    check_columns([column.strip().lower() for column in frame.columns], "the events' columns")
    columns = [_log_values(frame, named.get(column), column) for column in LOG_COLUMNS]
    reader = RowReader()
    items = [
        reader.entry(_SOURCE, i, values) for i, values in enumerate(zip(*columns, strict=True))
    ]
    reporter = Reporter(policy, now, strict=strict)
    rows: list[TicketRow] = []
    errors: list[RowError] = []
    for item in reporter.report(_by_ticket(items)):
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
    if errors:
        shown = "; ".join(str(error) for error in errors[:5])
        more = f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
        warnings.warn(
            BadRowsWarning(
                f"{len(errors)} bad rows of events left out: {shown}{more} "
                "(strict=True stops at the first)"
            ),
            stacklevel=2,
        )
    return _ticket_table(frame.implementation, rows, _first(policy).calendar.zone)  # type: ignore[no-any-return]


def _log_values(frame: nw.DataFrame[Any], name: str | None, column: str) -> list[Any]:
    """A log column's values as the row reader takes them; ``None`` for a column not there."""
    if name is None:
        return [None] * len(frame)
    series = frame[name]
    dtype = series.dtype
    if (
        column == "at"
        and (isinstance(dtype, nw.Datetime) or not isinstance(dtype, nw.String | nw.Object))
        and not isinstance(dtype, nw.Categorical | nw.Enum)
    ):
        try:
            x, null, _ = _instants(series, name)
        except WrongTypeError:
            return _values(series)  # not timestamps: let each row say what is wrong
        return [None if n else from_micros(v, UTC) for v, n in zip(x.tolist(), null, strict=True)]
    if column == "every" and isinstance(dtype, nw.Duration):
        x, null = _micros(series.to_numpy(), name)
        return [
            None if n else timedelta(microseconds=v) for v, n in zip(x.tolist(), null, strict=True)
        ]
    values = _values(series)
    if column == "tier" and isinstance(dtype, nw.Float32 | nw.Float64):
        return [int(v) if v is not None and float(v).is_integer() else v for v in values]
    return values


def _by_ticket(items: Iterable[Entry | RowError]) -> list[Entry | RowError]:
    """The rows of each ticket together, in the order the tickets first appear, its good rows
    in time order (stably: rows at one instant keep their order). A bad row has no time, so
    it comes after the good rows, which replay as if it were not there; but before them when
    none of them is the ticket's Lodged row, which was then most likely the bad one, so the
    replay says so. Bad rows of no known ticket come first of all, on their own."""
    tickets: dict[str, list[Entry | RowError]] = {}
    loose: list[Entry | RowError] = []
    for item in items:
        ticket = item[2]
        if ticket is None:
            loose.append(item)
        else:
            tickets.setdefault(ticket, []).append(item)
    ordered = loose
    for rows in tickets.values():
        bad = [row for row in rows if isinstance(row, RowError)]
        good: list[Entry] = sorted(
            (row for row in rows if not isinstance(row, RowError)), key=itemgetter(4)
        )
        if any(row[3] is Lodged for row in good):
            ordered += good
            ordered += bad
        else:
            ordered += bad
            ordered += good
    return ordered


def _ticket_table(backend: Any, rows: Sequence[TicketRow], zone: ZoneInfo) -> Any:
    """Report rows as a frame of *backend*, one column per field of TicketRow."""
    fields = list(zip(*rows, strict=True)) if rows else [() for _ in _TICKET_COLUMNS]
    data = dict(zip(_TICKET_COLUMNS, fields, strict=True))
    table = nw.from_dict({"ticket": _texts(backend, "ticket", data["ticket"])}, backend=backend)
    columns: list[nw.Series[Any]] = []
    for name in _TICKET_COLUMNS[1:]:
        values = data[name]
        if name in _INSTANT_FIELDS:
            x = np.array([0 if v is None else to_micros(v) for v in values], dtype=np.int64)
            null = np.array([v is None for v in values], dtype=bool)
            columns.append(_timestamps(backend, name, x, null, zone))
        elif name == "time_to_respond":
            x = np.array([0 if v is None else micros(v) for v in values], dtype=np.int64)
            null = np.array([v is None for v in values], dtype=bool)
            columns.append(_timedeltas(backend, name, x, null))
        elif name in ("tier", "bad_rows"):
            columns.append(nw.new_series(name, list(values), nw.Int64(), backend=backend))
        else:
            columns.append(_texts(backend, name, values))
    return nw.to_native(table.with_columns(*columns))


# -- summaries -------------------------------------------------------------------------------

_SUMMARY_FIELDS: Final = (
    "tickets",
    "met",
    "breached",
    "pending",
    "no_target",
    "breach_rate",
    "median_response_hours",
    "p90_response_hours",
)


def summary(
    rows: _Native, *, by: str | Sequence[str] = ("priority",), lodged_at: str = "lodged_at"
) -> _Native:
    """The SLA summary of report rows (a frame of :func:`report`'s, or of :func:`sla`'s) per
    group: for each combination of the *by* columns (any columns, and ``"month"``, the month of
    lodging, ``"2026-11"``, in the zone of the *lodged_at* column), the tickets, how many
    responses were met, breached, pending or had no target, the breach rate (breached over
    decided, ``None`` before any is decided) and the median and 90th percentile time to
    respond in hours (nearest rank over whole minutes): the fields of
    :class:`~westcoast_rules.batch.PrioritySummary`, computed by the same code.

    For :func:`sla`'s rows, group by ``"sla_priority"`` and name the lodging column, e.g.
    ``summary(out, by=("sla_priority", "month"), lodged_at="created_at")``.
    """
    frame = _frame(rows, "rows")
    keys = (by,) if isinstance(by, str) else tuple(by)
    wanted = {"response": "response", "time_to_respond": "time_to_respond"}
    wanted |= {f"by ({key})": key for key in keys if key != "month"}
    if "month" in keys:
        wanted["lodged_at"] = lodged_at
    _require_columns(frame, "rows", wanted)
    length = len(frame)
    key_columns = [
        _months(frame[lodged_at], lodged_at) if key == "month" else _values(frame[key])
        for key in keys
    ]
    responses = _values(frame["response"])
    used, used_null = _micros(frame["time_to_respond"].to_numpy(), "time_to_respond")
    minutes = whole_minutes(used).tolist()
    groups: dict[tuple[Any, ...], tuple[Counter[str], Counter[int]]] = {}
    group_keys = zip(*key_columns, strict=True) if key_columns else ((),) * length
    for key, response, minute, null in zip(
        group_keys, responses, minutes, used_null.tolist(), strict=True
    ):
        counts = groups.get(key)
        if counts is None:
            counts = groups[key] = (Counter(), Counter())
        counts[0][response] += 1
        if not null:
            counts[1][minute] += 1
    table: dict[str, list[Any]] = {key: [] for key in keys} | {f: [] for f in _SUMMARY_FIELDS}
    for key in sorted(groups, key=_sort_key):
        responded, histogram = groups[key]
        (line,) = SlaSummary(counts={"": responded}, minutes={"": histogram}).priorities()
        for name, value in zip(keys, key, strict=True):
            table[name].append(value)
        for name in _SUMMARY_FIELDS:
            table[name].append(getattr(line, name))
    return nw.to_native(nw.from_dict(table, backend=frame.implementation))  # type: ignore[no-any-return]


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(value)) for value in key)


def _months(series: nw.Series[Any], name: str) -> list[str | None]:
    """The month (``"2026-11"``) of each instant of a timestamp column, in the column's zone."""
    x, null, zone = _instants(series, name)
    if zone is None:
        raise WrongTypeError(f"column {name!r} must be in an IANA time zone to tell its months")
    if null.all():
        return [None] * len(x)
    first = from_micros(int(x[~null].min()), zone).year
    last = from_micros(int(x[~null].max()), zone).year
    starts = [(y, m) for y in range(first, last + 1) for m in range(1, 13)]
    instants = np.array([to_micros(datetime(y, m, 1, tzinfo=zone)) for y, m in starts])
    labels = [f"{y:04d}-{m:02d}" for y, m in starts]
    found = np.searchsorted(instants, x, side="right") - 1
    return [None if n else labels[i] for i, n in zip(found.tolist(), null.tolist(), strict=True)]
