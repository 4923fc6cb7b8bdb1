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
    SpecialHours,
    Window,
)
from westcoast_rules.diagram import mermaid
from westcoast_rules.errors import (
    BadRowsWarning,
    CalendarRangeError,
    ClusterError,
    DataError,
    InvalidEnquiryError,
    InvalidTimelineError,
    MissingExtraError,
    NaiveDatetimeError,
    PolicyError,
    TransitionError,
    WestcoastRulesError,
    WrongTypeError,
)
from westcoast_rules.escalation import Tier
from westcoast_rules.events import (
    EVENT_TYPES,
    Acknowledged,
    AutoResolved,
    Closed,
    Escalated,
    Event,
    InfoReceived,
    InfoRequested,
    Lodged,
    Reopened,
    ResolutionConfirmed,
    ResolutionRejected,
    Resolved,
    UpdateTimeframeAgreed,
)
from westcoast_rules.explain import DueExplanation, Step, StepKind
from westcoast_rules.intake import Assessment, Enquiry
from westcoast_rules.lifecycle import TRANSITIONS, Deadlines, State, Ticket, Transition
from westcoast_rules.policy import WESTCOAST, SupportPolicy
from westcoast_rules.priority import Channel, Impact, Priority
from westcoast_rules.rules import RULES, Rule
from westcoast_rules.scope import SCOPE_TABLE, Category, Coverage, Notice, Party, ScopeRule
from westcoast_rules.serialization import from_dict, from_json, to_dict, to_json
from westcoast_rules.sla import Milestone, ResponseState, ResponseStatus
from westcoast_rules.targets import RESPONSE_TARGETS, Clock, ResponseTarget
from westcoast_rules.upcoming import AtRisk, DeadlineKind, NextDeadline
from westcoast_rules.versions import PolicyVersions

__all__ = [
    "DEFAULT_REGIONS",
    "EVENT_TYPES",
    "LONDON",
    "RESPONSE_TARGETS",
    "RULES",
    "SCOPE_TABLE",
    "TRANSITIONS",
    "WESTCOAST",
    "WESTCOAST_HOURS",
    "Acknowledged",
    "Assessment",
    "AtRisk",
    "AutoResolved",
    "BadRowsWarning",
    "BusinessCalendar",
    "CalendarRangeError",
    "Category",
    "Channel",
    "Clock",
    "Closed",
    "ClusterError",
    "Coverage",
    "DataError",
    "DeadlineKind",
    "Deadlines",
    "DueExplanation",
    "Enquiry",
    "Escalated",
    "Event",
    "HolidayRegion",
    "Impact",
    "InfoReceived",
    "InfoRequested",
    "InvalidEnquiryError",
    "InvalidTimelineError",
    "Lodged",
    "Milestone",
    "MissingExtraError",
    "NaiveDatetimeError",
    "NextDeadline",
    "Notice",
    "OpenPeriod",
    "Party",
    "PolicyError",
    "PolicyVersions",
    "Priority",
    "Reopened",
    "ResolutionConfirmed",
    "ResolutionRejected",
    "Resolved",
    "ResponseState",
    "ResponseStatus",
    "ResponseTarget",
    "Rule",
    "ScopeRule",
    "SpecialHours",
    "State",
    "Step",
    "StepKind",
    "SupportPolicy",
    "Ticket",
    "Tier",
    "Transition",
    "TransitionError",
    "UpdateTimeframeAgreed",
    "WestcoastRulesError",
    "Window",
    "WrongTypeError",
    "from_dict",
    "from_json",
    "mermaid",
    "to_dict",
    "to_json",
]
