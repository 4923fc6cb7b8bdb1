"""Westcoast Cloud's support policy as code: hours, priorities, response targets, escalation.

>>> import westcoast_rules as wr
>>> from datetime import datetime
>>> lodged = datetime(2026, 10, 23, 17, 0, tzinfo=wr.LONDON)  # a Friday
>>> print(wr.WESTCOAST.response_due(wr.Priority.P2, lodged))  # Monday is a holiday in Ireland
2026-10-27 11:00:00+00:00
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
    InvalidEnquiryError,
    InvalidTimelineError,
    NaiveDatetimeError,
    PolicyError,
    TransitionError,
    WestcoastRulesError,
    WrongTypeError,
)
from westcoast_rules.escalation import Tier
from westcoast_rules.explain import DueExplanation, Step, StepKind
from westcoast_rules.policy import (
    RESPONSE_TARGETS,
    WESTCOAST,
    Assessment,
    Clock,
    Enquiry,
    ResponseTarget,
    SupportPolicy,
)
from westcoast_rules.priority import Channel, Impact, Priority
from westcoast_rules.rules import RULES, Rule
from westcoast_rules.scope import SCOPE_TABLE, Category, Coverage, Notice, Party, ScopeRule
from westcoast_rules.sla import Milestone, ResponseState, ResponseStatus

__all__ = [
    "DEFAULT_REGIONS",
    "LONDON",
    "RESPONSE_TARGETS",
    "RULES",
    "SCOPE_TABLE",
    "WESTCOAST",
    "WESTCOAST_HOURS",
    "Assessment",
    "BusinessCalendar",
    "CalendarRangeError",
    "Category",
    "Channel",
    "Clock",
    "Coverage",
    "DueExplanation",
    "Enquiry",
    "HolidayRegion",
    "Impact",
    "InvalidEnquiryError",
    "InvalidTimelineError",
    "Milestone",
    "NaiveDatetimeError",
    "Notice",
    "OpenPeriod",
    "Party",
    "PolicyError",
    "Priority",
    "ResponseState",
    "ResponseStatus",
    "ResponseTarget",
    "Rule",
    "ScopeRule",
    "Step",
    "StepKind",
    "SupportPolicy",
    "Tier",
    "TransitionError",
    "WestcoastRulesError",
    "Window",
    "WrongTypeError",
]
