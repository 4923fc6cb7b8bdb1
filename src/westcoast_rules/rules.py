"""The rules catalogue: every rule of the Westcoast support policy, by ID.

Explanations quote these, the docs' rules page is generated from them, and a test checks
that the catalogue and the policy document name exactly the same rules.

>>> RULES["SLA-3"].title
'P2: response within 4 business hours'
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import attrs

__all__ = ["RULES", "Rule"]

_SCOPE: Final = '000 "What is NOT included in Westcoast Support?"'
_LEVELS: Final = '001 "Support Services and Service Levels"'


@attrs.frozen
class Rule:
    """One rule of the policy: its ID, a one-line title, the rule, its source, its decision."""

    id: str
    group: str
    title: str
    text: str
    source: str
    decision: str | None = None


def _rules(*rules: Rule) -> MappingProxyType[str, Rule]:
    return MappingProxyType({rule.id: rule for rule in rules})


RULES: Final = _rules(
    # -- hours and calendar ---------------------------------------------------------------
    Rule(
        "HOURS-1",
        "Hours and calendar",
        "Business hours are Monday to Friday, 08:00 to 18:00 UK local time",
        "An instant is open when 08:00 <= local time (Europe/London) < 18:00 on a business day.",
        _LEVELS,
        "A calendar may give particular dates special hours, which replace their weekly windows "
        "and beat a bank holiday on them, and windows that run past midnight, which belong to "
        "the day they start on. A business day is a day with open time of its own windows; a "
        "window boundary in the hour the clocks skip in spring is reached when they jump.",
    ),
    Rule(
        "HOURS-2",
        "Hours and calendar",
        "UK and Republic of Ireland bank holidays are closed",
        "A day is not a business day when it is a UK bank holiday or a Republic of Ireland "
        "bank holiday.",
        _LEVELS,
        "UK = England & Wales (holidays GB, subdivision ENG), ROI = holidays IE; a day closed "
        "in either is closed. One-off holidays and substitute days come from the holidays "
        "package. A calendar can add subdivisions (SCT, NIR) and extra closure dates.",
    ),
    Rule(
        "HOURS-3",
        "Hours and calendar",
        "P1 clocks run 24x7 on elapsed real time",
        "High priority break/fix support is 24x7: P1 clocks ignore hours, weekends and holidays.",
        _LEVELS,
    ),
    Rule(
        "HOURS-4",
        "Hours and calendar",
        "Durations are real elapsed time, computed on instants",
        "Two hours from 00:30 GMT on 2027-03-28 end at 03:30 BST, not 02:30: arithmetic is done "
        "on instants, never as wall-clock arithmetic on a local zone.",
        "implied by HOURS-3",
    ),
    Rule(
        "HOURS-5",
        "Hours and calendar",
        "Datetimes must be timezone-aware; results are in Europe/London",
        "A naive datetime is rejected with a clear error, never guessed. Results are returned in "
        "the policy's zone.",
        "library contract",
    ),
    # -- priority and channel -------------------------------------------------------------
    Rule(
        "PRIO-1",
        "Priority and contact channel",
        "P1 (High): all End Users on a tenant affected",
        "A service interruption affecting all End Users on a tenant; business critical.",
        _LEVELS,
    ),
    Rule(
        "PRIO-2",
        "Priority and contact channel",
        "P2 (Normal): one or more End Users affected",
        "A service interruption affecting one or more End Users (not all).",
        _LEVELS,
    ),
    Rule(
        "PRIO-3",
        "Priority and contact channel",
        "P3: a general education or how-to query",
        "The text gives this class no P-number; the library calls it P3.",
        _LEVELS,
    ),
    Rule(
        "PRIO-4",
        "Priority and contact channel",
        "P1 is raised by phone only",
        "P1 is raised by phone call only; P2 and P3 by phone, email or the Westcoast Cloud "
        "Helpcentre.",
        _LEVELS,
        "A P1-impact incident raised by email or Helpcentre is accepted as P2, with a notice "
        "that P1 handling needs a phone call.",
    ),
    Rule(
        "PRIO-5",
        "Priority and contact channel",
        "Migration requests are never high priority",
        "Migration service requests are capped at P2, with a notice advising that a service "
        "request be raised during migration planning.",
        _SCOPE,
    ),
    # -- response targets -----------------------------------------------------------------
    Rule(
        "SLA-1",
        "Response targets",
        "The response is assigning a ticket and notifying its number",
        "A response is on time when it happens at or before the due instant.",
        _LEVELS,
        "The response is Westcoast's first contact with the Reseller about the ticket, each of "
        "which carries its number: Acknowledged, or an earlier InfoRequested, "
        "UpdateTimeframeAgreed or Resolved. A ticket resolved before any acknowledgement had its "
        "response at the resolution, and its time to respond never grows after it is resolved "
        "or closed. A policy can narrow the events that count (response_events). In a helpdesk "
        "export, a missing first response with a resolution reads the same way.",
    ),
    Rule(
        "SLA-2",
        "Response targets",
        "P1: response within 2 hours of elapsed time",
        "Real time, 24x7 (HOURS-3, HOURS-4).",
        _LEVELS,
    ),
    Rule(
        "SLA-3",
        "Response targets",
        "P2: response within 4 business hours",
        "Only open time counts; an incident lodged while closed starts counting at the next "
        "opening. Lodged Friday 17:00, due Monday 11:00; a due that lands exactly on a close is "
        "that close (lodged Monday 14:00, due Monday 18:00).",
        _LEVELS,
    ),
    Rule(
        "SLA-4",
        "Response targets",
        "P3: next business day",
        "Due at close of business on the next business day.",
        _LEVELS,
        "Due at close of business (18:00) on the first business day after the local calendar "
        "date on which it was lodged: lodged Saturday, due Monday 18:00; lodged Monday 07:00, "
        "due Tuesday 18:00.",
    ),
    Rule(
        "SLA-5",
        "Response targets",
        "There is no resolution-time target",
        "Calls may pass to a third party, so the library never computes a resolution deadline.",
        _LEVELS,
    ),
    Rule(
        "SLA-6",
        "Response targets",
        'Work with "no SLA" gets no response target',
        "Partner Centre issues (SCOPE-PC) get no response target: None, never a made-up one.",
        _SCOPE,
    ),
    # -- escalation -----------------------------------------------------------------------
    Rule(
        "ESC-1",
        "Escalation",
        "Three tiers",
        "Tier 1: Westcoast initial troubleshooting. Tier 2: Westcoast reassessment. Tier 3: the "
        "relevant Third Party Provider (e.g. Microsoft), engaged by Westcoast.",
        _LEVELS,
    ),
    Rule(
        "ESC-2",
        "Escalation",
        "One tier at a time; Tier 3 is the top",
        "Escalation moves up one tier at a time.",
        _LEVELS,
    ),
    Rule(
        "ESC-3",
        "Escalation",
        "A P1 may start at Tier 2",
        "A P1 incident may be raised by a Tier 1 representative straight to Tier 2, which then "
        "acts on behalf of Tier 1. No other priority may start above Tier 1.",
        _LEVELS,
    ),
    Rule(
        "ESC-4",
        "Escalation",
        "Some work has a lower ceiling",
        "Partner Centre issues have no escalation path (ceiling Tier 1); Visual Studio cannot be "
        "raised to Microsoft (ceiling Tier 2). Escalating past the ceiling is refused.",
        _SCOPE,
    ),
    Rule(
        "ESC-5",
        "Escalation",
        "A rejected resolution escalates",
        "If the Reseller does not confirm a resolution, the incident is escalated to the next "
        "tier.",
        _LEVELS,
        "At its ceiling, a rejected resolution reopens the ticket at the same tier.",
    ),
    # -- the incident process -------------------------------------------------------------
    Rule(
        "PROC-1",
        "The incident process",
        "An incident is lodged by phone, Helpcentre or email and starts OPEN at Tier 1",
        "ESC-3 aside, every ticket starts at Tier 1.",
        _LEVELS,
    ),
    Rule(
        "PROC-2",
        "The incident process",
        "Awaiting information, then back to the state it was in",
        "The ticket is AWAITING_INFO until the information arrives, then returns to OPEN, "
        "ESCALATED or REOPENED, as it was.",
        _LEVELS,
    ),
    Rule(
        "PROC-3",
        "The incident process",
        "Information is requested daily unless a timeframe was agreed",
        "While awaiting information, Westcoast requests it daily, unless an update timeframe "
        "was agreed for the ticket.",
        _LEVELS,
        '"Daily" = every business day at the same local time, from when the ticket began '
        "awaiting information; an agreed timeframe replaces the interval.",
    ),
    Rule(
        "PROC-4",
        "The incident process",
        "No information for 3 business days: marked resolved",
        "If the information is not supplied for 3 business days, the incident is marked resolved.",
        _LEVELS,
        "Counted from when the ticket began awaiting information (chasers do not restart it); "
        '"N business days after t" = from t (or the next opening, if t is closed) to the same '
        "local time N business days later. The auto-resolved ticket is RESOLVED like any other.",
    ),
    Rule(
        "PROC-5",
        "The incident process",
        "The engineer resolves; the Reseller confirms or rejects",
        "The ticket is RESOLVED and the Reseller notified; the Reseller then confirms it, or "
        "rejects it (ESC-5).",
        _LEVELS,
    ),
    Rule(
        "PROC-6",
        "The incident process",
        "Reopen for up to 5 days, then permanently closed",
        "A resolved incident can be reopened for up to 5 days; after the 5th day it is "
        "permanently CLOSED and a new incident must be created instead.",
        _LEVELS,
        "5 calendar days: reopening is allowed until local midnight at the end of the 5th "
        "calendar day after the date of resolution, and the ticket closes at that instant. "
        "Each new resolution starts a new window.",
    ),
    Rule(
        "PROC-7",
        "The incident process",
        "A satisfaction survey is due on close",
        "When a ticket closes, a satisfaction survey is due to the Reseller.",
        _LEVELS,
    ),
    Rule(
        "PROC-8",
        "The incident process",
        "Closed is final; events in time order",
        "A CLOSED ticket accepts no further event; an event earlier than the ticket's last "
        "event is refused.",
        "library contract",
    ),
    # -- scope ----------------------------------------------------------------------------
    Rule(
        "SCOPE-TERR",
        "Scope",
        "Only the Territory is supported",
        "Resellers and End Users outside the Territory are refused.",
        _LEVELS,
        "The default Territory is the United Kingdom (GB) and the Republic of Ireland (IE).",
    ),
    Rule(
        "SCOPE-RESELLER",
        "Scope",
        "Reseller-only support",
        "An End User contacting Westcoast directly is redirected to their Reseller, the primary "
        "point of contact.",
        _LEVELS,
    ),
    Rule(
        "SCOPE-LIC",
        "Scope",
        "Licences not purchased via Westcoast are refused",
        "Only licences bought through Westcoast are supported.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-DNS",
        "Scope",
        "DNS issues: guidance only",
        "Where the cause is a DNS issue (managed by the partner or an external DNS host), "
        "Westcoast gives troubleshooting steps only.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-NET",
        "Scope",
        "Localised network performance: guidance only",
        "Network performance affected by an Office 365 deployment gets network planning and "
        "migration best practices.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-CLIENT",
        "Scope",
        "Individual Office client issues: best effort",
        "Troubleshooting steps on a best-effort basis; beyond them an Assisted Support case (not "
        "supported via CSP). The end resolution may be reinstalling the OS and Office.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-OS",
        "Scope",
        "Operating system issues go to Microsoft Business Support",
        "Issues diagnosed as operating system errors are raised directly with Microsoft "
        "Business Support.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-MOBILE",
        "Scope",
        "Apple and Android apps go to the device's support",
        "Reproduce the problem, then Settings -> Help -> Contact Support on the device.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-PARTNER-ACCT",
        "Scope",
        "Reseller Partner Centre accounts go to Microsoft",
        "Microsoft, 0344 800 6006 option 1.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-MPN",
        "Scope",
        "MPN issues go to Microsoft",
        "Microsoft, 0344 800 6006 option 4.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-MIGRATION",
        "Scope",
        "Migration service requests: in scope, never P1",
        "Handled in full, but capped at P2 (PRIO-5).",
        _SCOPE,
    ),
    Rule(
        "SCOPE-RCA",
        "Scope",
        "Root cause analysis is chargeable",
        "A cause may be offered during diagnosis but is not guaranteed; a root cause analysis "
        "after an investigated and resolved issue may be a chargeable service.",
        _SCOPE,
    ),
    Rule(
        "SCOPE-VS",
        "Scope",
        "Visual Studio: best effort, ceiling Tier 2",
        "Not covered under CSP support: best efforts, no guaranteed resolution, and cases "
        "cannot be raised to Microsoft (ESC-4).",
        _SCOPE,
    ),
    Rule(
        "SCOPE-PC",
        "Scope",
        "Partner Centre issues: a Partner Centre ticket",
        "CSP refunds, licensing SKUs, Reseller/Microsoft relationship and CSP invite errors are "
        "raised as a Partner Centre support ticket; without a Partner Centre account Westcoast "
        "logs it on the Reseller's behalf with the Reseller as primary contact. No SLA (SLA-6) "
        "and no escalation path (ESC-4).",
        _SCOPE,
    ),
)
"""Every rule by ID, in the order of the policy document."""
