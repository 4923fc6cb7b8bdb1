"""Westcoast Cloud's support policy as code: hours, priorities, response targets, escalation.

>>> import westcoast_rules as wr
>>> from datetime import datetime
>>> lodged = datetime(2026, 10, 23, 17, 0, tzinfo=wr.LONDON)  # a Friday
>>> print(wr.BusinessCalendar().add_business_days(lodged, 1))  # Monday is a holiday in Ireland
2026-10-27 17:00:00+00:00
"""

from westcoast_rules.calendar import (
    DEFAULT_REGIONS,
    LONDON,
    WESTCOAST_HOURS,
    BusinessCalendar,
    HolidayRegion,
    OpenPeriod,
    Window,
)
from westcoast_rules.errors import (
    CalendarRangeError,
    NaiveDatetimeError,
    PolicyError,
    TransitionError,
    WestcoastRulesError,
    WrongTypeError,
)

__all__ = [
    "DEFAULT_REGIONS",
    "LONDON",
    "WESTCOAST_HOURS",
    "BusinessCalendar",
    "CalendarRangeError",
    "HolidayRegion",
    "NaiveDatetimeError",
    "OpenPeriod",
    "PolicyError",
    "TransitionError",
    "WestcoastRulesError",
    "Window",
    "WrongTypeError",
]
