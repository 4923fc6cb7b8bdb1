"""Event logs in bulk: read them, replay every ticket, report SLA timing, compare policies.

A log has one event per row: the ticket's id, the event's name, its instant, and the fields
the event needs. As CSV::

    ticket,event,at,priority,channel,tier,category,every
    WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email,1,service,
    WC-1,Acknowledged,2026-11-23T09:12:00+00:00,,,,,

as JSON Lines, one object per line with the same keys (``{"ticket": "WC-1", "event":
"Lodged", ...}``), and as Parquet, with the same columns (``at`` a zoned timestamp column or
text). Instants are ISO 8601 with an offset, optionally with ``[Europe/London]``.

A log may be in any order, within a ticket as well as between tickets: every way of giving it
(one file or several, read as one; a stream; ``read_log``'s records) puts each ticket's rows
together and in time order, stably, before replaying it, so the report is the report of the
same log in order. A row that carries no ticket is a bad row of no ticket, reported on its
own; a row whose instant cannot be read is a bad row that keeps its place and moves no other
(:mod:`~westcoast_rules.batch.sources` states the rules). A log given by its paths whose
tickets' rows are together is streamed, each ticket reported as soon as its rows end, so memory
stays flat; any other is held in memory and grouped first. Before each event, what time alone
decided is applied
(``policy.advance``), so a log need not record auto-resolutions and closes (rows that do are
accepted when they match).

Nothing is dropped silently: a bad row, or an event the rules refuse, becomes a
:class:`RowError` naming the file and line. The default reports and counts them and goes on
without that row; ``strict=True`` raises :class:`~westcoast_rules.DataError` at the first one.

The package, from the top down (each module uses only those below it):
:mod:`~westcoast_rules.batch.whatif` and :mod:`~westcoast_rules.batch.report`;
:mod:`~westcoast_rules.batch.replay`; :mod:`~westcoast_rules.batch.sources` (the one door to a
log, however it is given); :mod:`~westcoast_rules.batch.pieces` (the plan of how it is read:
cut into pieces of whole tickets for several processes, streamed, or held, from a scan of its
tickets); the reading (each file opened once and given to its format's reader); the readers of
text (CSV, JSON Lines) and Parquet, and the one grouping by ticket; and
:mod:`~westcoast_rules.batch.log` (the column schema and the reading of one row). A log passes
each of these once, going down.
"""

from westcoast_rules.batch.log import LOG_COLUMNS, LogRow, RowError
from westcoast_rules.batch.pieces import cpu_count
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
from westcoast_rules.batch.sources import read_log
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
    "cpu_count",
    "read_log",
    "replay_log",
    "report_log",
    "report_row",
    "sla_report",
    "what_if",
]
