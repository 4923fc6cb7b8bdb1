"""Business-hours arithmetic on a calendar of opening windows and closed days.

The calendar answers the questions the response targets are built on: is the desk open at
this instant (HOURS-1, HOURS-2), when does it next open, when is four business hours after
this instant (SLA-3), how much open time lies between two instants, and what is "three
business days later" (PROC-4).

Every answer is computed on instants (integer microseconds since the epoch, HOURS-4) against a
sorted table of open intervals with the cumulative open time before each one, so a call is a
couple of binary searches (``bisect``) whatever the span. :class:`BusinessCalendar` asks on
datetimes; its :attr:`~BusinessCalendar.open_time` (an :class:`OpenTime`) asks the same on
instants, which is what the rest of the library uses.

The package's rooms, each a job of its own: ``_values`` (windows, holiday regions, special
days, open periods, and their checks), ``_wall`` (the one reading of a wall time as an
instant), ``_arithmetic`` (open time on any table of open intervals), ``_index`` (the table
and the timetable that builds it), ``_open_time`` (the calendar on instants) and
``_business_calendar`` (the calendar on datetimes).
"""

from westcoast_rules.calendar._arithmetic import (
    OpenTimeTable,
    add_open_time,
    open_time_before,
    open_time_between,
)
from westcoast_rules.calendar._business_calendar import BusinessCalendar
from westcoast_rules.calendar._index import OpenIntervals
from westcoast_rules.calendar._open_time import OpenTime
from westcoast_rules.calendar._values import (
    DEFAULT_REGIONS,
    LONDON,
    WESTCOAST_HOURS,
    HolidayRegion,
    OpenPeriod,
    SpecialHours,
    Window,
)

__all__ = [
    "DEFAULT_REGIONS",
    "LONDON",
    "WESTCOAST_HOURS",
    "BusinessCalendar",
    "HolidayRegion",
    "OpenIntervals",
    "OpenPeriod",
    "OpenTime",
    "OpenTimeTable",
    "SpecialHours",
    "Window",
    "add_open_time",
    "open_time_before",
    "open_time_between",
]
