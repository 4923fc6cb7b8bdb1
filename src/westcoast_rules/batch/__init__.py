"""Event logs in bulk: read them, replay every ticket, report SLA timing, compare policies.

A log has one event per row: the ticket's id, the event's name, its instant, and the fields
the event needs. As CSV::

    ticket,event,at,priority,channel,tier,category,every
    WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email,1,service,
    WC-1,Acknowledged,2026-11-23T09:12:00+00:00,,,,,

as JSON Lines, one object per line with the same keys (``{"ticket": "WC-1", "event":
"Lodged", ...}``), and as Parquet, with the same columns (``at`` a zoned timestamp column or
text). Instants are ISO 8601 with an offset, optionally with ``[Europe/London]``.

Reading streams: each ticket is replayed and reported as soon as its rows end, so memory does
not grow with the file. A log given by its paths (one file or several, read as one) may be in
any order: when its tickets' rows are not together it is grouped by ticket in memory first
(:mod:`~westcoast_rules.batch.sources`). Before each event, what time alone decided is applied
(``policy.advance``), so a log need not record auto-resolutions and closes (rows that do are
accepted when they match).

Nothing is dropped silently: a bad row, or an event the rules refuse, becomes a
:class:`RowError` naming the file and line. The default reports and counts them and goes on
without that row; ``strict=True`` raises :class:`~westcoast_rules.DataError` at the first one.

The package: :mod:`~westcoast_rules.batch.log` (the column schema and the readers),
:mod:`~westcoast_rules.batch.sources` (a log as files, grouped by ticket when it must be),
:mod:`~westcoast_rules.batch.replay`, :mod:`~westcoast_rules.batch.report`,
:mod:`~westcoast_rules.batch.whatif`, and :mod:`~westcoast_rules.batch.pieces` (a file cut into
pieces of whole tickets, for several processes or Dask workers).
"""

from westcoast_rules.batch.log import LOG_COLUMNS, LogRow, RowError, read_log
from westcoast_rules.batch.replay import ReplayedTicket, replay_log
from westcoast_rules.batch.report import (
    PrioritySummary,
    SlaReport,
    SlaSummary,
    TicketRow,
    report_log,
    report_row,
    sla_report,
)
from westcoast_rules.batch.whatif import TicketDiff, WhatIfReport, what_if

__all__ = [
    "LOG_COLUMNS",
    "LogRow",
    "PrioritySummary",
    "ReplayedTicket",
    "RowError",
    "SlaReport",
    "SlaSummary",
    "TicketDiff",
    "TicketRow",
    "WhatIfReport",
    "read_log",
    "replay_log",
    "report_log",
    "report_row",
    "sla_report",
    "what_if",
]
