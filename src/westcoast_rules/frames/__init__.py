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

An event table may also be a Dask DataFrame (the ``[dask]`` extra): it is reported where its
partitions are, on the same Reporter, and the report is a Dask DataFrame.

Timestamps must carry a zone (a tz-naive column raises
:class:`~westcoast_rules.NaiveDatetimeError`, HOURS-5); results are in the calendar's zone, at
microsecond resolution; a null in gives a null out; pandas results keep the input's index.
"""

from __future__ import annotations

from westcoast_rules.errors import MissingExtraError

try:
    import narwhals.stable.v2  # noqa: F401
    import numpy  # noqa: F401
except ImportError as missing:  # pragma: no cover - only without the extra
    raise MissingExtraError(
        f"westcoast_rules.frames needs numpy and narwhals ({missing.name} is missing): "
        'pip install "westcoast-rules[frames]"'
    ) from missing

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from westcoast_rules._instants import aware_micros
from westcoast_rules.batch import RowError, SlaSummary, TicketRow
from westcoast_rules.frames import _dask
from westcoast_rules.frames._columns import (
    Native,
    business_add,
    business_elapsed,
    first_policy,
    response_due,
)
from westcoast_rules.frames._events import table_bad_rows, table_report, table_summary
from westcoast_rules.frames._tickets import sla
from westcoast_rules.policy import WESTCOAST
from westcoast_rules.versions import Policies

__all__ = [
    "bad_rows",
    "business_add",
    "business_elapsed",
    "report",
    "report_files",
    "response_due",
    "sla",
    "summary",
]


def report(policy: Policies, events: Native, *, as_of: datetime, strict: bool = False) -> Native:
    """The SLA report of an event log given as a table, as of *as_of*: one row per ticket,
    with :class:`~westcoast_rules.batch.TicketRow`'s fields as columns, in a frame of the
    events' library (pandas, Polars, PyArrow, or Dask).

    The table has the log's columns (:data:`~westcoast_rules.batch.LOG_COLUMNS`; names in any
    case, ticket, event and at at least), its rows in any order: each ticket's rows are put
    together and in time order (stably) here, then replayed and judged by the file report's
    own code, so the answers are :func:`~westcoast_rules.batch.sla_report`'s. ``at`` is text
    (an offset, ``Z`` or ``[zone]``) or a zoned timestamp column; ``every`` text (ISO 8601)
    or a duration column; ``tier`` text or a number; an empty cell is ``""`` or null. An
    instant or a duration outside what a datetime holds is a bad row, never wrapped.

    A bad row is left out and counted in its ticket's ``bad_rows``, as a file report counts
    it; a :class:`~westcoast_rules.BadRowsWarning` names each, by its position in the table
    (``events:17: ...``), and :func:`bad_rows` lists them all as a table. With
    ``strict=True`` the first raises :class:`~westcoast_rules.DataError` instead.

    A Dask DataFrame gives a Dask DataFrame, computed where the data lives: shuffled on the
    ticket, each partition of whole tickets reported as above. Its ``compute()`` has the rows
    of the pandas report in the same order (its index is Dask's: ``reset_index(drop=True)``
    for 0, 1, 2, ...). No warning reaches you from the workers: ask :func:`bad_rows` of the
    same frame for the rows left out; ``strict=True`` raises when computed. Needs the
    ``[dask]`` extra.

    >>> import pandas as pd
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> log = pd.DataFrame({
    ...     "ticket": ["WC-1", "WC-1"], "event": ["Acknowledged", "Lodged"],
    ...     "at": ["2026-11-23T10:00:00+00:00", "2026-11-20T17:00:00+00:00"],
    ...     "priority": ["", "P2"], "channel": ["", "email"]})
    >>> rows = report(WESTCOAST, log, as_of=datetime(2026, 12, 1, tzinfo=LONDON))
    >>> rows[["ticket", "priority", "response"]].values.tolist()
    [['WC-1', 'P2', 'met']]
    """
    now = aware_micros(as_of, "as_of")  # checked before any reading (HOURS-5)
    if _dask.is_dask(events):
        return _dask.dask_report(policy, events, now, strict)  # type: ignore[no-any-return]
    return table_report(policy, events, now, strict)


def bad_rows(policy: Policies, events: Native, *, as_of: datetime) -> Native:
    """The rows of an event table that :func:`report` leaves out, one a row: ``row`` (its
    position in the table, from 0), ``ticket`` (null when it names none) and ``error`` (what
    is wrong), in the order of the rows; a frame of the events' library, and for a Dask
    DataFrame a Dask DataFrame (of one partition), so that nothing is lost where no warning
    can reach you.

    >>> import pandas as pd
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> log = pd.DataFrame({
    ...     "ticket": ["WC-1", "WC-1"], "event": ["Lodged", "Acknowleged"],
    ...     "at": ["2026-11-20T17:00:00+00:00", "2026-11-23T10:00:00+00:00"],
    ...     "priority": ["P2", ""], "channel": ["email", ""]})
    >>> bad = bad_rows(WESTCOAST, log, as_of=datetime(2026, 12, 1, tzinfo=LONDON))
    >>> bad.row.tolist(), bad.ticket.tolist()
    ([1], ['WC-1'])
    """
    now = aware_micros(as_of, "as_of")
    if _dask.is_dask(events):
        return _dask.dask_bad_rows(policy, events, now)  # type: ignore[no-any-return]
    return table_bad_rows(policy, events, now)


def summary(
    rows: Native,
    *,
    by: str | Sequence[str] | None = None,
    lodged_at: str = "lodged_at",
    policy: Policies = WESTCOAST,
) -> Native:
    """The SLA summary of report rows (a frame of :func:`report`'s, or of :func:`sla`'s) per
    group: the tickets, how many responses were met, breached, pending or had no target, the
    breach rate (breached over decided, ``None`` before any is decided) and the median and
    90th percentile time to respond in hours (nearest rank over whole minutes): the fields of
    :class:`~westcoast_rules.batch.PrioritySummary`, computed by the same code.

    The groups are each combination of the *by* columns: any columns, and ``"month"``
    (``"2026-11"``) or ``"week"`` (ISO, ``"2026-W48"``), the period of the *lodged_at* column's
    instant in the *policy* calendar's zone (Europe/London), whatever zone the column is in.
    By default they are the priority each response was measured at: ``sla_priority`` for
    :func:`sla`'s rows (their ``priority`` is the one recorded), ``priority`` for
    :func:`report`'s. For :func:`sla`'s rows name the lodging column, e.g.
    ``summary(out, by=("sla_priority", "month"), lodged_at="created_at")``.

    Rows in a Dask DataFrame are counted where they are, partition by partition, and only the
    counts are brought together: the summary (small) comes back as a pandas DataFrame.
    """
    calendar = first_policy(policy).calendar
    if _dask.is_dask(rows):
        return _dask.dask_summary(rows, by, lodged_at, calendar)  # type: ignore[no-any-return]
    return table_summary(rows, by, lodged_at, calendar)


def report_files(
    policy: Policies,
    paths: Sequence[Path],
    *,
    as_of: datetime,
    address: str,
    format: str | None = None,
    strict: bool = False,
    rows: bool = True,
) -> tuple[Iterator[TicketRow | RowError], SlaSummary]:
    """The report of the log in the files *paths* (one log) on the Dask cluster at *address*
    (``"local"``: one made on this machine): the items
    :func:`~westcoast_rules.batch.report_log` gives for the same files, in its order (report
    rows and row errors), and their :class:`~westcoast_rules.batch.SlaSummary`. What
    ``westcoast-rules report --dask`` runs; needs the ``[dask]`` extra."""
    return _dask.report_files(
        policy, paths, as_of=as_of, address=address, format=format, strict=strict, rows=rows
    )
