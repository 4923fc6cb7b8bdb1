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

from westcoast_rules.frames._columns import business_add, business_elapsed, response_due
from westcoast_rules.frames._dask import report, summary
from westcoast_rules.frames._tickets import sla

__all__ = ["business_add", "business_elapsed", "report", "response_due", "sla", "summary"]
