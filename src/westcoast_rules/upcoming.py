"""What time decides next for a ticket, and which responses are at risk of breaching.

A service asks two questions of its open tickets on every sweep: when must I look at this
ticket again (:func:`next_deadline`), and which responses are about to breach or have
(:func:`at_risk`). Both read the lifecycle's own deadlines (the response target of SLA-2..4,
the chase of PROC-3, the auto-resolve of PROC-4, the end of the reopen window of PROC-6) and
count time left on each target's own clock: business time for P2 and P3, real time for P1.
The batch report's "next deadline" column is :func:`upcoming_deadline`, the same function.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo
from typing import Final, NamedTuple

import attrs

from westcoast_rules._choices import Choice
from westcoast_rules._instants import (
    aware_micros,
    from_micros,
    micros,
    require_timedelta,
    to_micros,
)
from westcoast_rules.errors import DataError, InvalidTimelineError, WrongTypeError
from westcoast_rules.lifecycle import LifecyclePolicy, Ticket, TicketDraft, next_chase
from westcoast_rules.priority import Priority
from westcoast_rules.scope import Category
from westcoast_rules.sla import ResponseState, response_state
from westcoast_rules.targets import (
    Clock,
    ResponseTarget,
    clock_elapsed,
    due_micros,
    has_target,
    target_for,
)

__all__ = [
    "AtRisk",
    "DeadlineKind",
    "NextDeadline",
    "at_risk",
    "next_deadline",
]


class DeadlineKind(Choice):
    """What a deadline decides: the words of the SLA report's ``next_deadline_kind`` column."""

    RESPONSE = "response"
    """The response is due (SLA-2..4)."""
    CHASE = "chase"
    """The information should be requested again (PROC-3)."""
    AUTO_RESOLVE = "auto_resolve"
    """The ticket resolves itself if no information arrives (PROC-4)."""
    REOPEN_WINDOW_ENDS = "reopen_window_ends"
    """The reopen window ends and the ticket closes for good (PROC-6)."""


@attrs.frozen
class NextDeadline:
    """The next instant time decides something for a ticket, what it decides and the rule.

    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> t = WESTCOAST.lodge("WC-1", datetime(2026, 11, 20, 17, 0, tzinfo=LONDON), "P2", "email")
    >>> nd = WESTCOAST.next_deadline(t, datetime(2026, 11, 20, 17, 30, tzinfo=LONDON))
    >>> print(nd.at, nd.kind, nd.rule)
    2026-11-23 11:00:00+00:00 response SLA-3
    """

    at: datetime
    """When, in the policy's zone."""
    kind: DeadlineKind
    rule: str
    """The rule that sets the deadline: SLA-2..4, PROC-3, PROC-4 or PROC-6."""


@attrs.frozen
class AtRisk:
    """A response still pending, with little time left or none: an entry of :func:`at_risk`."""

    ticket: Ticket
    due: datetime
    """When the response is due, in the policy's zone (SLA-2..4)."""
    left: timedelta
    """Time left before the due instant on the target's own clock (business time for P2 and
    P3, real time for P1); negative once breached."""
    rule: str
    """The rule of the target: SLA-2, SLA-3 or SLA-4."""


class Upcoming(NamedTuple):
    """A deadline on instants: what :func:`upcoming_deadline` finds."""

    at: int
    kind: DeadlineKind
    rule: str


_UNKNOWN: Final = ResponseTarget(Priority.P1, Clock.REAL_TIME, timedelta(hours=1), ())
"""A target no policy has: the mark of a (priority, category) not yet looked up."""

_RESPONSE: Final = DeadlineKind.RESPONSE
_CHASE: Final = DeadlineKind.CHASE
_AUTO_RESOLVE: Final = DeadlineKind.AUTO_RESOLVE
_REOPEN_WINDOW_ENDS: Final = DeadlineKind.REOPEN_WINDOW_ENDS
"""The kinds looked up once: a member looked up on its class costs more than the comparison."""

_RULE_OF_KIND: Final = {
    DeadlineKind.CHASE: "PROC-3",
    DeadlineKind.AUTO_RESOLVE: "PROC-4",
    DeadlineKind.REOPEN_WINDOW_ENDS: "PROC-6",
}


def upcoming_deadline(
    policy: LifecyclePolicy,
    draft: TicketDraft,
    as_of: int,
    pending_due: int | None,
    target: ResponseTarget | None,
) -> Upcoming | None:
    """The first deadline of *draft* after instant *as_of*, or ``None`` when time decides
    nothing more.

    *pending_due* is the due instant of the response when it is still pending as of *as_of*
    (``None`` once responded, breached or without a target), and *target* its target. The
    others are the next chase (PROC-3), the auto-resolve (PROC-4) and the end of the reopen
    window (PROC-6), those of the draft as it stands: advance it to *as_of* first. On a tie,
    the kinds come in the order of their words.
    """
    found = None
    if pending_due is not None and target is not None:
        found = Upcoming(pending_due, _RESPONSE, target.rules[0])
    if draft.auto_resolve_at is None and draft.reopen_until is None:
        return found  # and no chase: PROC-3 chases only until the auto-resolve (most tickets)
    last = draft.last_at
    chase = next_chase(policy, draft, last if last > as_of else as_of)  # PROC-3
    for kind, at in (
        (_CHASE, chase),
        (_AUTO_RESOLVE, draft.auto_resolve_at),  # PROC-4
        (_REOPEN_WINDOW_ENDS, draft.reopen_until),  # PROC-6
    ):
        if at is None or at <= as_of:
            continue
        # The kinds are their words (a StrEnum): on a tie, the first word wins.
        if found is None or at < found.at or (at == found.at and kind < found.kind):
            found = Upcoming(at, kind, _RULE_OF_KIND[kind])
    return found


def target_of(
    policy: LifecyclePolicy, priority: Priority, category: Category
) -> ResponseTarget | None:
    """The response target of a ticket's facts, or ``None`` for work without one (SLA-6)."""
    return target_for(policy, priority) if has_target(policy, category) else None


def _require_ticket(ticket: object) -> Ticket:
    if not isinstance(ticket, Ticket):
        raise WrongTypeError(f"expected a Ticket (from policy.lodge), got {ticket!r:.80}")
    return ticket


def _lodged_by(ticket: Ticket, lodged: int, now: int, zone: tzinfo) -> None:
    if now < lodged:
        raise InvalidTimelineError(
            f"ticket {ticket.id} was lodged at {ticket.lodged_at.isoformat()}, after now "
            f"({from_micros(now, zone).isoformat()}): there are no deadlines before a ticket "
            "is lodged"
        )


def next_deadline(policy: LifecyclePolicy, ticket: Ticket, now: datetime) -> NextDeadline | None:
    """What time decides next for *ticket* after *now*: the response due while it is pending
    (SLA-2..4), the next chase (PROC-3), the auto-resolve (PROC-4) or the end of the reopen
    window (PROC-6), whichever comes first; ``None`` when time decides nothing more (a closed
    ticket, or a responded one that is not waiting for anything).

    What time had already decided by *now* is taken first (``policy.advance``), so a ticket
    stored before its auto-resolve answers with what follows it.
    """
    ticket = _require_ticket(ticket)
    as_of = aware_micros(now, "now")
    calendar = policy.calendar
    draft = TicketDraft.of(ticket)
    _lodged_by(ticket, draft.lodged_at, as_of, calendar.zone)
    draft.advance(policy, as_of)
    target = target_of(policy, draft.priority, draft.category)
    pending_due = None
    if target is not None:
        due = due_micros(calendar.open_time, target, draft.lodged_at)
        responded = draft.responded_at
        if responded is not None and responded > as_of:
            responded = None  # not known yet as of now
        if response_state(due, as_of, responded) is ResponseState.PENDING:
            pending_due = due
    found = upcoming_deadline(policy, draft, as_of, pending_due, target)
    if found is None:
        return None
    return NextDeadline(from_micros(found.at, calendar.zone), found.kind, found.rule)


def at_risk(
    policy: LifecyclePolicy, tickets: Iterable[Ticket], *, now: datetime, within: timedelta
) -> list[AtRisk]:
    """The responses still pending at *now* with at most *within* left on their own clock
    (business time for P2 and P3, real time for P1), breached ones included (``left < 0``),
    soonest due first (SLA-1..4). Work without a target (SLA-6) is never at risk, and nor is
    a ticket lodged after *now*, whose clock has not started: one such ticket (a clock ahead of
    the sweep's) does not stop the sweep of the others.

    One pass over *tickets*, without replaying them: a sweep of 100,000 takes about a second.
    """
    as_of = aware_micros(now, "now")
    allowance = micros(require_timedelta(within, "within"))
    if allowance < 0:
        raise DataError(
            f"within must be zero or more, got {within}: breached responses are always listed, "
            "so ask for those with little time left, e.g. within=timedelta(hours=1)"
        )
    if isinstance(tickets, Ticket):
        raise WrongTypeError("at_risk takes an iterable of tickets: at_risk([ticket], ...)")
    calendar = policy.calendar
    zone = calendar.zone
    clock = calendar.open_time
    targets: dict[tuple[Priority, Category], ResponseTarget | None] = {}
    found: list[tuple[int, str, int, Ticket, str]] = []
    for ticket in tickets:
        if not isinstance(ticket, Ticket):
            _require_ticket(ticket)
        key = (ticket.priority, ticket.category)
        target = targets.get(key, _UNKNOWN)
        if target is _UNKNOWN:
            target = targets[key] = target_of(policy, *key)
        if target is None:
            continue  # SLA-6: no target, nothing to breach
        responded_at = ticket.responded_at
        if responded_at is not None and to_micros(responded_at) <= as_of:
            continue  # SLA-1: responded by now
        lodged = to_micros(ticket.lodged_at)
        if lodged > as_of:
            continue  # lodged after now: its response clock has not started (SLA-1)
        due = due_micros(clock, target, lodged)
        left = clock_elapsed(clock, target, as_of, due)  # signed: negative once breached
        if left <= allowance:
            found.append((due, ticket.id, left, ticket, target.rules[0]))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [
        AtRisk(ticket, from_micros(due, zone), timedelta(microseconds=left), rule)
        for due, _, left, ticket, rule in found
    ]
