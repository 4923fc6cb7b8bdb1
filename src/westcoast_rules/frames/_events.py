"""An event table's report and summaries: :func:`westcoast_rules.frames.report` and
:func:`westcoast_rules.frames.summary` for pandas, Polars and PyArrow."""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any, Final
from zoneinfo import ZoneInfo

import narwhals.stable.v2 as nw
import numpy as np

from westcoast_rules._instants import aware_micros, from_micros, micros, to_micros
from westcoast_rules.batch.log import LOG_COLUMNS, Entry, RowError, RowReader, check_columns
from westcoast_rules.batch.report import Reporter, SlaSummary, TicketRow, whole_minutes
from westcoast_rules.errors import (
    BadRowsWarning,
    WrongTypeError,
)
from westcoast_rules.events import Lodged
from westcoast_rules.frames._columns import (
    _first,
    _frame,
    _instants,
    _micros,
    _Native,
    _require_columns,
    _texts,
    _timedeltas,
    _timestamps,
    _values,
)
from westcoast_rules.versions import Policies

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
