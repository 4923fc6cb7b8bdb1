"""An event table's report and summaries: :func:`westcoast_rules.frames.report` and
:func:`westcoast_rules.frames.summary` for pandas, Polars and PyArrow."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, Final
from zoneinfo import ZoneInfo

import narwhals.stable.v2 as nw
import numpy as np

from westcoast_rules._array_instants import micros_of, row_values
from westcoast_rules._instants import from_micros, micros, to_micros
from westcoast_rules.batch.log import LOG_COLUMNS, Entry, RowError, RowReader, check_columns
from westcoast_rules.batch.report import Reporter, SlaSummary, TicketRow, whole_minutes
from westcoast_rules.batch.sources import by_ticket
from westcoast_rules.calendar import BusinessCalendar
from westcoast_rules.errors import (
    BadRowsWarning,
    DataError,
    WrongTypeError,
)
from westcoast_rules.frames._columns import (
    Native,
    as_frame,
    duration_series,
    first_policy,
    instants_of,
    local_instants,
    require_columns,
    text_series,
    timestamp_series,
    values_of,
)
from westcoast_rules.versions import Policies

# -- an event table --------------------------------------------------------------------------

_TICKET_COLUMNS: Final = TicketRow._fields
_INSTANT_FIELDS: Final = ("lodged_at", "response_due", "responded_at", "next_deadline")
_SOURCE: Final = "events"


def table_report(policy: Policies, events: Native, now: int, strict: bool) -> Native:
    """:func:`westcoast_rules.frames.report` of a table in memory (pandas, Polars, PyArrow):
    the report rows, and one :class:`~westcoast_rules.BadRowsWarning` naming the bad rows."""
    frame = as_frame(events, "events")
    rows, errors = _reported(policy, frame, now, strict)
    if errors:
        shown = "; ".join(str(error) for error in errors[:5])
        more = f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
        warnings.warn(
            BadRowsWarning(
                f"{len(errors)} bad rows of events left out: {shown}{more} "
                "(strict=True stops at the first; frames.bad_rows lists them all)"
            ),
            stacklevel=3,
        )
    return ticket_table(frame.implementation, rows, first_policy(policy).calendar.zone)  # type: ignore[no-any-return]


def table_bad_rows(policy: Policies, events: Native, now: int) -> Native:
    """:func:`westcoast_rules.frames.bad_rows` of a table in memory."""
    frame = as_frame(events, "events")
    _, errors = _reported(policy, frame, now, strict=False)
    found = [(error.line, error) for error in errors]  # a row's line is its position
    return bad_rows_table(frame.implementation, found)  # type: ignore[no-any-return]


def _reported(
    policy: Policies, frame: nw.DataFrame[Any], now: int, strict: bool
) -> tuple[list[TicketRow], list[RowError]]:
    """The report rows of an event table, and the rows left out (each a row error, its line
    the row's position), by the file report's own Reporter."""
    items = table_entries(frame, _SOURCE, 0)
    reporter = Reporter(policy, now, strict=strict)
    rows: list[TicketRow] = []
    errors: list[RowError] = []
    for item in reporter.report(by_ticket(items)):  # the rows in any order: held, grouped
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
    return rows, errors


BAD_ROW_COLUMNS: Final = ("row", "ticket", "error")
"""The columns of :func:`westcoast_rules.frames.bad_rows`: the row's position in the table,
its ticket (null when it names none) and what is wrong."""


def bad_rows_table(backend: Any, found: Sequence[tuple[int, RowError]]) -> Any:
    """Row errors, each with its row's position, as a frame of *backend* in the order of the
    rows (:data:`BAD_ROW_COLUMNS`)."""
    ordered = sorted(found, key=itemgetter(0))
    table = {
        "row": nw.new_series("row", [row for row, _ in ordered], nw.Int64(), backend=backend),
        "ticket": text_series(backend, "ticket", [error.ticket or None for _, error in ordered]),
        "error": text_series(backend, "error", [error.message for _, error in ordered]),
    }
    return nw.to_native(nw.from_dict(table, backend=backend))


def table_entries(frame: nw.DataFrame[Any], source: str, first: int) -> list[Entry | RowError]:
    """The rows of an event table as entries (or row errors), numbered from *first*."""
    named = {column.strip().lower(): column for column in frame.columns}
    check_columns([column.strip().lower() for column in frame.columns], "the events' columns")
    columns = [_log_values(frame, named.get(column), column) for column in LOG_COLUMNS]
    reader = RowReader()
    return [
        reader.entry(source, i, values)
        for i, values in enumerate(zip(*columns, strict=True), start=first)
    ]


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
            found = instants_of(series, name)
        except WrongTypeError:
            return values_of(series)  # not timestamps: let each row say what is wrong
        return row_values(found.raw, name)
    if column == "every" and isinstance(dtype, nw.Duration):
        return row_values(series.to_numpy(), name)
    values = values_of(series)
    if column == "tier" and isinstance(dtype, nw.Float32 | nw.Float64):
        return [int(v) if v is not None and float(v).is_integer() else v for v in values]
    return values


def ticket_table(backend: Any, rows: Sequence[TicketRow], zone: ZoneInfo) -> Any:
    """Report rows as a frame of *backend*, one column per field of TicketRow."""
    fields = list(zip(*rows, strict=True)) if rows else [() for _ in _TICKET_COLUMNS]
    data = dict(zip(_TICKET_COLUMNS, fields, strict=True))
    table = nw.from_dict(
        {"ticket": text_series(backend, "ticket", data["ticket"])}, backend=backend
    )
    columns: list[nw.Series[Any]] = []
    for name in _TICKET_COLUMNS[1:]:
        values = data[name]
        if name in _INSTANT_FIELDS:
            x = np.array([0 if v is None else to_micros(v) for v in values], dtype=np.int64)
            null = np.array([v is None for v in values], dtype=bool)
            columns.append(timestamp_series(backend, name, x, null, zone))
        elif name == "time_to_respond":
            x = np.array([0 if v is None else micros(v) for v in values], dtype=np.int64)
            null = np.array([v is None for v in values], dtype=bool)
            columns.append(duration_series(backend, name, x, null))
        elif name in ("tier", "bad_rows"):
            columns.append(nw.new_series(name, list(values), nw.Int64(), backend=backend))
        else:
            columns.append(text_series(backend, name, values))
    ticket = nw.col("ticket").cast(nw.String())  # text even when empty, as the others
    return nw.to_native(table.with_columns(ticket, *columns))


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


PERIODS: Final = ("month", "week")
"""The keys of a summary that are periods of the lodging instant, in the policy's zone."""
MEASURED_AT: Final = ("sla_priority", "priority")
"""The column of the priority a response was measured at: sla's rows have ``sla_priority``
(``priority`` there is the one recorded); report's have ``priority``."""


def summary_keys(columns: Sequence[str], by: str | Sequence[str] | None) -> tuple[str, ...]:
    """The keys of a summary: *by*, or by default the priority each response was measured at
    (:data:`MEASURED_AT`)."""
    if by is None:
        measured = next((name for name in MEASURED_AT if name in columns), MEASURED_AT[-1])
        return (measured,)
    return (by,) if isinstance(by, str) else tuple(by)


def table_summary(
    rows: Native, by: str | Sequence[str] | None, lodged_at: str, calendar: BusinessCalendar
) -> Native:
    """:func:`westcoast_rules.frames.summary` of a table in memory."""
    frame = as_frame(rows, "rows")
    keys = summary_keys(frame.columns, by)
    groups = summary_groups(frame, keys, lodged_at, calendar)
    return summary_table(groups, keys, frame.implementation)  # type: ignore[no-any-return]


Groups = dict[tuple[Any, ...], tuple[Counter[str], Counter[int]]]
"""For each group of report rows: how many of each response, and a histogram of the whole
minutes taken to respond; what a summary is made of, and what two parts of one merge by."""


def summary_groups(
    frame: nw.DataFrame[Any], keys: tuple[str, ...], lodged_at: str, calendar: BusinessCalendar
) -> Groups:
    """The counts of each group of the report rows in *frame*, grouped by *keys* (a month or a
    week is that of the lodging instant in the *calendar*'s zone)."""
    wanted = {"response": "response", "time_to_respond": "time_to_respond"}
    wanted |= {f"by ({key})": key for key in keys if key not in PERIODS}
    if any(key in PERIODS for key in keys):
        wanted["lodged_at"] = lodged_at
    require_columns(frame, "rows", wanted)
    length = len(frame)
    key_columns = [
        _periods(frame[lodged_at], lodged_at, calendar, key)
        if key in PERIODS
        else _group_values(frame[key], key)
        for key in keys
    ]
    responses = values_of(frame["response"])
    used, used_null, _ = micros_of(frame["time_to_respond"].to_numpy(), "time_to_respond")
    minutes = whole_minutes(used).tolist()
    groups: Groups = {}
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
    return groups


def _group_values(series: nw.Series[Any], name: str) -> list[Any]:
    """A column's values, each a group's key: a value that cannot be one (a list, a record)
    is refused, naming its first row."""
    values = values_of(series)
    if isinstance(series.dtype, nw.List | nw.Array | nw.Struct | nw.Object):
        for row, value in enumerate(values):
            try:
                hash(value)
            except TypeError:
                raise DataError(
                    f"row {row}: {name} {value!r} cannot be a group of the summary: a group is "
                    "one value a row, never a list or a record; take one out first, e.g. "
                    f"frame[{name!r}].str[0] in pandas, pl.col({name!r}).list.first() in Polars"
                ) from None
    return values


def merge_groups(parts: Iterable[Groups]) -> Groups:
    """The counts of several parts of one report's rows, added."""
    merged: Groups = {}
    for part in parts:
        for key, (responses, minutes) in part.items():
            counts = merged.setdefault(key, (Counter(), Counter()))
            counts[0].update(responses)
            counts[1].update(minutes)
    return merged


def summary_table(groups: Groups, keys: tuple[str, ...], backend: Any) -> Any:
    """The summary of each group, in a frame of *backend*, the groups in order."""
    table: dict[str, list[Any]] = {key: [] for key in keys} | {f: [] for f in _SUMMARY_FIELDS}
    for key in sorted(groups, key=_sort_key):
        responded, histogram = groups[key]
        (line,) = SlaSummary(counts={"": responded}, minutes={"": histogram}).priorities()
        for name, value in zip(keys, key, strict=True):
            table[name].append(value)
        for name in _SUMMARY_FIELDS:
            table[name].append(getattr(line, name))
    return nw.to_native(nw.from_dict(table, backend=backend))


def _sort_key(key: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, str(value)) for value in key)


def _periods(
    series: nw.Series[Any], name: str, calendar: BusinessCalendar, kind: str
) -> list[str | None]:
    """The month (``"2026-11"``) or ISO week (``"2026-W48"``, from Monday) of each instant of
    a timestamp column, in the calendar's zone, whatever zone the column is in: a period
    begins at the calendar's local midnight of its first day."""
    zone = calendar.zone
    x, null = local_instants(series, name, zone)[:2]
    if null.all():
        return [None] * len(x)
    first = from_micros(int(x[~null].min()), zone).date()
    last = from_micros(int(x[~null].max()), zone).date()
    if kind == "month":
        days = [date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)]
        labels = [f"{day:%Y-%m}" for day in days]
    else:
        monday = first - timedelta(days=first.weekday())
        days = [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]
        labels = [f"{day.isocalendar().year:04d}-W{day.isocalendar().week:02d}" for day in days]
    wall = calendar.open_time  # the calendar's reading of a wall time
    starts = np.array([wall.midnight(day) for day in days], dtype=np.int64)
    found = np.searchsorted(starts, x, side="right") - 1
    return [None if n else labels[i] for i, n in zip(found.tolist(), null.tolist(), strict=True)]
