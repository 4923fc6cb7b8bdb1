"""The ticket lifecycle: a transition table, and tickets that events turn into new tickets.

The table :data:`TRANSITIONS` is the whole state machine, readable top to bottom: for each
state and event, the next state, the guard that may refuse it and the rule behind it. It is
checked when this module loads (every state reachable from OPEN, CLOSED final, every event
type used), and the diagram in the docs is generated from it by :func:`mermaid`.

Nothing is mutated: :func:`apply` returns a new :class:`Ticket` whose ``history`` holds every
event applied, so ``replay(ticket.history) == ticket``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

from westcoast_rules._instants import (
    aware_micros,
    from_micros,
    instant_key,
    micros,
    require_aware,
    to_micros,
)
from westcoast_rules.errors import TransitionError, WrongTypeError
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
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category

if TYPE_CHECKING:
    from westcoast_rules.policy import SupportPolicy

__all__ = [
    "TRANSITIONS",
    "Deadlines",
    "State",
    "Ticket",
    "Transition",
    "advance",
    "apply",
    "deadlines",
    "lodge",
    "mermaid",
    "replay",
]


class State(enum.StrEnum):
    """Where a ticket is in the incident process (PROC-1..8)."""

    OPEN = "open"
    """Lodged and being worked on at its starting tier (PROC-1)."""
    ESCALATED = "escalated"
    """Moved up at least one tier (ESC-2, ESC-5)."""
    AWAITING_INFO = "awaiting_info"
    """Waiting for information from the Reseller (PROC-2..4)."""
    RESOLVED = "resolved"
    """Resolved, by the engineer or by silence; it can still be reopened (PROC-5, PROC-6)."""
    REOPENED = "reopened"
    """Reopened within its window, or rejected at its ceiling (PROC-6, ESC-5)."""
    CLOSED = "closed"
    """Permanently closed: accepts no further event; a survey is due (PROC-6..8)."""


_WORKING: Final = (State.OPEN, State.ESCALATED, State.REOPENED)
"""The states in which an engineer is working on the incident."""


@attrs.frozen
class Ticket:
    """A ticket: its facts, where it is in the process, and every event that got it there.

    Every field follows from ``history``; build tickets with ``policy.lodge`` and change them
    with ``policy.apply`` and ``policy.advance``, never by hand.
    """

    id: str
    """The ticket number the Reseller was given."""
    state: State
    tier: Tier
    """Who is working on it now (ESC-1)."""
    priority: Priority
    channel: Channel
    """How the incident was lodged (PRIO-4)."""
    category: Category
    lodged_at: datetime = attrs.field(eq=instant_key)
    """When the incident was lodged, in the policy's zone."""
    ceiling: Tier
    """The highest tier this work may reach (ESC-4)."""
    history: tuple[Event, ...]
    """Every event applied, :class:`Lodged` first: ``policy.replay(history)`` rebuilds it."""
    responded_at: datetime | None = attrs.field(default=None, eq=instant_key)
    """When the response was recorded (Acknowledged, SLA-1)."""
    resumes: State | None = None
    """The state an AWAITING_INFO ticket returns to when the information arrives (PROC-2)."""
    awaiting_since: datetime | None = attrs.field(default=None, eq=instant_key)
    """When the ticket began awaiting information (PROC-3, PROC-4)."""
    update_every: timedelta | None = None
    """An agreed update timeframe, replacing the daily chase (PROC-3)."""
    resolved_at: datetime | None = attrs.field(default=None, eq=instant_key)
    confirmed: bool = False
    """Whether the Reseller confirmed the current resolution (PROC-5)."""
    closed_at: datetime | None = attrs.field(default=None, eq=instant_key)
    auto_resolve_at: datetime | None = attrs.field(default=None, eq=instant_key)
    """While awaiting information: when the ticket resolves itself (PROC-4)."""
    reopen_until: datetime | None = attrs.field(default=None, eq=instant_key)
    """While resolved: the end of the reopen window, when the ticket closes (PROC-6)."""

    @property
    def survey_due(self) -> bool:
        """Whether a satisfaction survey is due to the Reseller: once closed (PROC-7)."""
        return self.state is State.CLOSED


@attrs.frozen
class Deadlines:
    """What time will decide next for a ticket; ``None`` where nothing applies."""

    response_due: datetime | None
    """When the response is due (SLA-2..4); ``None`` for work without a target (SLA-6)."""
    next_chase: datetime | None
    """When the information should next be requested (PROC-3)."""
    auto_resolve_at: datetime | None
    """When the ticket resolves itself if no information arrives (PROC-4)."""
    reopen_until: datetime | None
    """The end of the reopen window: the ticket closes at this instant (PROC-6)."""
    survey_due_at: datetime | None
    """When the satisfaction survey fell due: the close (PROC-7)."""


class TicketFacts(Protocol):
    """What the guards and effects of the transition table read of a ticket.

    A :class:`Ticket` has it all; so does the mutable draft a bulk replay works on.
    """

    @property
    def id(self) -> str: ...
    @property
    def state(self) -> State: ...
    @property
    def tier(self) -> Tier: ...
    @property
    def ceiling(self) -> Tier: ...
    @property
    def category(self) -> Category: ...
    @property
    def history(self) -> Sequence[Event]: ...
    @property
    def responded_at(self) -> datetime | None: ...
    @property
    def resumes(self) -> State | None: ...
    @property
    def confirmed(self) -> bool: ...
    @property
    def auto_resolve_at(self) -> datetime | None: ...
    @property
    def reopen_until(self) -> datetime | None: ...


Refusal = tuple[str, str]
"""Why an event is refused: the rule ID and the reason in words."""

Guard = Callable[["SupportPolicy", TicketFacts, Event], Refusal | None]
"""Returns why the event is refused, or ``None`` to allow it."""


@attrs.frozen
class Transition:
    """One row of the state machine: in *source*, *event* leads to *target*, per *rule*.

    A ``target`` of ``None`` means "the state the ticket was in before it began awaiting
    information" (PROC-2).
    """

    source: State
    event: type[Event]
    target: State | None
    rule: str
    guard: Guard | None = None


# -- guards: each returns the reason for refusing, naming its rule, or None -------------------


def _not_yet_acknowledged(
    policy: SupportPolicy, ticket: TicketFacts, event: Event
) -> Refusal | None:
    if ticket.responded_at is not None:
        return "SLA-1", f"the response was already recorded at {ticket.responded_at:%d %b %Y %H:%M}"
    return None


def _below_ceiling(policy: SupportPolicy, ticket: TicketFacts, event: Event) -> Refusal | None:
    if ticket.tier is Tier.TIER_3:
        return "ESC-2", "Tier 3 is the top: there is no tier to escalate to"
    if ticket.tier >= ticket.ceiling:
        return (
            "ESC-4",
            f"{ticket.category} work cannot be escalated beyond Tier {int(ticket.ceiling)}",
        )
    return None


def _at_ceiling_reopens(policy: SupportPolicy, ticket: TicketFacts, event: Event) -> Refusal | None:
    if not policy.reopen_at_ceiling_on_rejection:
        return "ESC-5", (
            f"the ticket is at its ceiling, Tier {int(ticket.ceiling)}, and this policy does not "
            "reopen a rejected resolution there"
        )
    return None


def _before_auto_resolve(
    policy: SupportPolicy, ticket: TicketFacts, event: Event
) -> Refusal | None:
    due = ticket.auto_resolve_at
    if due is not None and to_micros(event.at) >= to_micros(due):
        return "PROC-4", (
            f"the ticket auto-resolved at {due:%a %d %b %Y %H:%M %Z}, before this event; "
            "record that with advance(ticket, event.at), then reopen the ticket"
        )
    return None


def _auto_resolve_reached(
    policy: SupportPolicy, ticket: TicketFacts, event: Event
) -> Refusal | None:
    # Time decides the instant too: resolved at the deadline, not whenever it was noticed.
    due = ticket.auto_resolve_at
    if due is None:
        return "PROC-4", "the ticket has no auto-resolve deadline: it is not awaiting information"
    if to_micros(event.at) != to_micros(due):
        return "PROC-4", (
            f"the ticket auto-resolves at {due:%a %d %b %Y %H:%M %Z} exactly; "
            "advance(ticket, now) records it"
        )
    return None


def _within_reopen_window(
    policy: SupportPolicy, ticket: TicketFacts, event: Event
) -> Refusal | None:
    until = ticket.reopen_until
    if until is not None and to_micros(event.at) >= to_micros(until):
        return "PROC-6", (
            f"the reopen window closed on {until:%a %d %b %Y %H:%M %Z}; lodge a new incident"
        )
    return None


def _reopen_window_over(policy: SupportPolicy, ticket: TicketFacts, event: Event) -> Refusal | None:
    # Time decides the instant too: closed when the window ends, not whenever it was noticed.
    until = ticket.reopen_until
    if until is None:
        return "PROC-6", "the ticket has no reopen window to end: it is not resolved"
    if to_micros(event.at) != to_micros(until):
        return "PROC-6", (
            f"the ticket closes at {until:%a %d %b %Y %H:%M %Z} exactly, when its reopen "
            "window ends; advance(ticket, now) records it"
        )
    return None


def _not_confirmed(policy: SupportPolicy, ticket: TicketFacts, event: Event) -> Refusal | None:
    refused = _within_reopen_window(policy, ticket, event)
    if refused is None and ticket.confirmed:
        return "PROC-5", "the Reseller already confirmed this resolution; reopen the ticket instead"
    return refused


@attrs.frozen
class _All:
    """A guard made of guards: the first refusal, or ``None`` when every one allows."""

    parts: tuple[Guard, ...]

    def __call__(self, policy: SupportPolicy, ticket: TicketFacts, event: Event) -> Refusal | None:
        for guard in self.parts:
            refused = guard(policy, ticket, event)
            if refused is not None:
                return refused
        return None


def _all(*guards: Guard) -> Guard:
    return _All(guards)


_WAITING = _before_auto_resolve

S = State
TRANSITIONS: Final[tuple[Transition, ...]] = (
    # The response: recorded once, in any state before resolution (SLA-1).
    Transition(S.OPEN, Acknowledged, S.OPEN, "SLA-1", _not_yet_acknowledged),
    Transition(S.ESCALATED, Acknowledged, S.ESCALATED, "SLA-1", _not_yet_acknowledged),
    Transition(S.REOPENED, Acknowledged, S.REOPENED, "SLA-1", _not_yet_acknowledged),
    Transition(
        S.AWAITING_INFO,
        Acknowledged,
        S.AWAITING_INFO,
        "SLA-1",
        _all(_WAITING, _not_yet_acknowledged),
    ),
    # More information, then back where it was (PROC-2), chased daily or as agreed (PROC-3).
    Transition(S.OPEN, InfoRequested, S.AWAITING_INFO, "PROC-2"),
    Transition(S.ESCALATED, InfoRequested, S.AWAITING_INFO, "PROC-2"),
    Transition(S.REOPENED, InfoRequested, S.AWAITING_INFO, "PROC-2"),
    Transition(S.AWAITING_INFO, InfoRequested, S.AWAITING_INFO, "PROC-3", _WAITING),
    Transition(S.AWAITING_INFO, InfoReceived, None, "PROC-2", _WAITING),
    Transition(S.OPEN, UpdateTimeframeAgreed, S.OPEN, "PROC-3"),
    Transition(S.ESCALATED, UpdateTimeframeAgreed, S.ESCALATED, "PROC-3"),
    Transition(S.REOPENED, UpdateTimeframeAgreed, S.REOPENED, "PROC-3"),
    Transition(S.AWAITING_INFO, UpdateTimeframeAgreed, S.AWAITING_INFO, "PROC-3", _WAITING),
    # Escalation: one tier at a time, up to the ceiling (ESC-2, ESC-4).
    Transition(S.OPEN, Escalated, S.ESCALATED, "ESC-2", _below_ceiling),
    Transition(S.ESCALATED, Escalated, S.ESCALATED, "ESC-2", _below_ceiling),
    Transition(S.REOPENED, Escalated, S.ESCALATED, "ESC-2", _below_ceiling),
    # Resolution by the engineer (PROC-5) or by silence (PROC-4).
    Transition(S.OPEN, Resolved, S.RESOLVED, "PROC-5"),
    Transition(S.ESCALATED, Resolved, S.RESOLVED, "PROC-5"),
    Transition(S.REOPENED, Resolved, S.RESOLVED, "PROC-5"),
    Transition(S.AWAITING_INFO, Resolved, S.RESOLVED, "PROC-5", _WAITING),
    Transition(S.AWAITING_INFO, AutoResolved, S.RESOLVED, "PROC-4", _auto_resolve_reached),
    # The Reseller confirms (PROC-5) or rejects: escalate, or reopen at the ceiling (ESC-5).
    Transition(S.RESOLVED, ResolutionConfirmed, S.RESOLVED, "PROC-5", _not_confirmed),
    Transition(
        S.RESOLVED, ResolutionRejected, S.ESCALATED, "ESC-5", _all(_not_confirmed, _below_ceiling)
    ),
    Transition(
        S.RESOLVED,
        ResolutionRejected,
        S.REOPENED,
        "ESC-5",
        _all(_not_confirmed, _at_ceiling_reopens),
    ),
    # Reopen within the window, or close for good when it ends (PROC-6, PROC-7).
    Transition(S.RESOLVED, Reopened, S.REOPENED, "PROC-6", _within_reopen_window),
    Transition(S.RESOLVED, Closed, S.CLOSED, "PROC-6", _reopen_window_over),
)
"""The state machine, one row per (state, event) pair it allows, each with its rule."""
del S


def _check_table(rows: tuple[Transition, ...]) -> None:
    """Refuse a table with unreachable states, a non-final CLOSED or an unused event type."""
    reachable = {State.OPEN}
    grew = True
    while grew:
        before = len(reachable)
        for row in rows:
            if row.source in reachable:
                reachable.add(row.target or State.OPEN)
        grew = len(reachable) > before
    problems = [f"{state} is unreachable" for state in State if state not in reachable]
    problems += [f"CLOSED has a way out: {row}" for row in rows if row.source is State.CLOSED]
    used = {row.event for row in rows} | {Lodged}
    problems += [f"no row for {kind.__name__}" for kind in EVENT_TYPES if kind not in used]
    trapped = [s for s in State if s is not State.CLOSED and not any(r.source is s for r in rows)]
    problems += [f"{state} is a trap: nothing leaves it" for state in trapped]
    if problems:
        raise AssertionError("the transition table is broken: " + "; ".join(problems))


_check_table(TRANSITIONS)

_ROWS: Final[dict[tuple[State, type[Event]], tuple[Transition, ...]]] = {}
for _row in TRANSITIONS:
    _ROWS[_row.source, _row.event] = (*_ROWS.get((_row.source, _row.event), ()), _row)
del _row


# -- deadlines ---------------------------------------------------------------------------------


def _auto_resolve_deadline(policy: SupportPolicy, awaiting_since: datetime) -> datetime:
    """N business days after the first request for information (PROC-4's reading)."""
    days = policy.auto_resolve_after_business_days
    return policy.calendar.add_business_days(awaiting_since, days)


def _reopen_deadline(policy: SupportPolicy, resolved_at: datetime) -> datetime:
    """Local midnight ending the N-th calendar day after the date of resolution (PROC-6)."""
    zone = policy.calendar.zone
    resolved_day = resolved_at.astimezone(zone).date()
    end = resolved_day + timedelta(days=policy.reopen_window_days + 1)
    # Local midnight always exists in London; through the instant to be sure of the offset.
    return from_micros(to_micros(datetime.combine(end, time(0), tzinfo=zone)), zone)


def _next_chase(policy: SupportPolicy, ticket: Ticket, after: datetime) -> datetime | None:
    if ticket.state is not State.AWAITING_INFO or ticket.awaiting_since is None:
        return None
    calendar = policy.calendar
    start = ticket.awaiting_since
    limit = ticket.auto_resolve_at
    assert limit is not None
    after_micros = to_micros(after)
    if ticket.update_every is not None:
        step = micros(ticket.update_every)
        first = to_micros(start)
        count = max(1, (after_micros - first) // step + 1)
        chase = from_micros(first + count * step, calendar.zone)
    else:
        # PROC-3's reading: every business day after the request's date, at its local time.
        local = start.astimezone(calendar.zone)
        day = local.date()
        chase = local
        while to_micros(chase) <= after_micros:
            for _ in range(policy.chase_every_business_days):
                day = calendar.next_business_day(day)
            wall = datetime.combine(day, local.timetz().replace(fold=0))
            chase = from_micros(to_micros(wall), calendar.zone)
    return chase if to_micros(chase) < to_micros(limit) else None


def deadlines(policy: SupportPolicy, ticket: Ticket, now: datetime | None = None) -> Deadlines:
    """The deadlines of *ticket*: response due, next chase, auto-resolve, reopen window, survey.

    The next chase is the first one after the ticket's last event, or after *now* if later.
    """
    _require_ticket(ticket)
    last = ticket.history[-1].at
    if now is not None and to_micros(require_aware(now, "now")) > to_micros(last):
        last = now
    row = policy.scope_row(ticket.category)
    response_due = (
        policy.response_due(ticket.priority, ticket.lodged_at)
        if row.coverage in policy.targets_apply_to
        else None
    )
    return Deadlines(
        response_due=response_due,
        next_chase=_next_chase(policy, ticket, last),
        auto_resolve_at=ticket.auto_resolve_at,
        reopen_until=ticket.reopen_until,
        survey_due_at=ticket.closed_at,
    )


# -- lodge, apply, advance, replay -------------------------------------------------------------


def lodge(policy: SupportPolicy, event: Lodged) -> Ticket:
    """A new ticket from its :class:`Lodged` event (PROC-1), refusing facts the rules forbid."""
    if not isinstance(event, Lodged):
        raise TransitionError(
            f"a ticket's history starts with Lodged, got {type(event).__name__} (PROC-1)",
            rule="PROC-1",
            event=type(event).__name__,
        )
    if event.priority is Priority.P1 and event.channel not in policy.p1_channels:
        raise TransitionError(
            f"a P1 is raised by phone only, not by {event.channel} (PRIO-4): lodge it as "
            f"{policy.p1_by_other_channel_becomes or 'P2'}, or use assess() to decide",
            rule="PRIO-4",
            event="Lodged",
        )
    row = policy.scope_row(event.category)
    if row.max_priority is not None and event.priority.outranks(row.max_priority):
        raise TransitionError(
            f"{event.category} work cannot be {event.priority}; it is capped at "
            f"{row.max_priority} (PRIO-5)",
            rule="PRIO-5",
            event="Lodged",
        )
    if event.tier is not Tier.TIER_1:
        may_start_at_2 = policy.p1_may_start_at_tier_2 and event.priority is Priority.P1
        if not may_start_at_2 or event.tier is not Tier.TIER_2:
            raise TransitionError(
                f"a ticket starts at Tier 1; only a P1 may be raised straight to Tier 2 (ESC-3), "
                f"not a {event.priority} at Tier {int(event.tier)}",
                rule="ESC-3",
                event="Lodged",
            )
    ceiling = row.ceiling or Tier.TIER_1
    if event.tier > ceiling:
        raise TransitionError(
            f"{event.category} work cannot go beyond Tier {int(ceiling)} (ESC-4)",
            rule="ESC-4",
            event="Lodged",
        )
    zone = policy.calendar.zone
    return Ticket(
        id=event.id,
        state=State.OPEN,
        tier=event.tier,
        priority=event.priority,
        channel=event.channel,
        category=event.category,
        lodged_at=event.at.astimezone(zone),
        ceiling=ceiling,
        history=(event,),
    )


def apply(policy: SupportPolicy, ticket: Ticket, event: Event) -> Ticket:
    """The ticket after *event*, or :class:`TransitionError` naming the rule that refuses it."""
    _require_ticket(ticket)
    row = _admit(policy, ticket, event)
    changes = _effects(policy, ticket, event, row)
    changes["history"] = (*ticket.history, event)
    return _with(ticket, changes)


def _admit(policy: SupportPolicy, ticket: TicketFacts, event: Event) -> Transition:
    """The row of the table that takes *event* now, or :class:`TransitionError` saying why not."""
    name = type(event).__name__
    if not isinstance(event, EVENT_TYPES):
        raise WrongTypeError(f"apply takes an event such as Resolved(at=...), got {event!r}")
    if isinstance(event, Lodged):
        raise TransitionError(
            f"ticket {ticket.id} was already lodged; a ticket is lodged once (PROC-1)",
            rule="PROC-1",
            state=ticket.state,
            event=name,
        )
    if ticket.state is State.CLOSED:
        raise TransitionError(
            f"ticket {ticket.id} is permanently closed and accepts no further event; lodge a new "
            "incident (PROC-8, PROC-6)",
            rule="PROC-8",
            state=ticket.state,
            event=name,
        )
    last = ticket.history[-1]
    if to_micros(event.at) < to_micros(last.at):
        raise TransitionError(
            f"{name} at {event.at.isoformat()} is earlier than the ticket's last event, "
            f"{type(last).__name__} at {last.at.isoformat()}: events must be in time order "
            "(PROC-8)",
            rule="PROC-8",
            state=ticket.state,
            event=name,
        )
    rows = _ROWS.get((ticket.state, type(event)), ())
    if not rows:
        allowed = sorted({r.event.__name__ for r in TRANSITIONS if r.source is ticket.state})
        raise TransitionError(
            f"{name} is not allowed while ticket {ticket.id} is {ticket.state.name}; allowed "
            f"here: {', '.join(allowed)}",
            state=ticket.state,
            event=name,
        )
    refusals = []
    for row in rows:
        refused = row.guard(policy, ticket, event) if row.guard else None
        if refused is None:
            return row
        refusals.append(refused)
    # Where two rows could take the event (ESC-5), the last one's refusal says the most.
    rule, reason = refusals[-1]
    raise TransitionError(
        f"{name} refused for ticket {ticket.id} ({ticket.state.name}): {reason} ({rule})",
        rule=rule,
        state=ticket.state,
        event=name,
    )


def _effects(
    policy: SupportPolicy, ticket: TicketFacts, event: Event, row: Transition
) -> dict[str, Any]:
    """What *event*, taken by *row*, changes in the ticket (its history aside)."""
    zone = policy.calendar.zone
    at = event.at.astimezone(zone)
    target = row.target or ticket.resumes or State.OPEN
    changes: dict[str, Any] = {"state": target}
    if isinstance(event, Acknowledged):
        changes["responded_at"] = at
    elif isinstance(event, InfoRequested) and ticket.state is not State.AWAITING_INFO:
        changes.update(
            resumes=ticket.state,
            awaiting_since=at,
            auto_resolve_at=_auto_resolve_deadline(policy, at),
        )
    elif isinstance(event, InfoRequested):
        pass  # a chaser: the count of business days goes on from the first request (PROC-4)
    elif isinstance(event, InfoReceived):
        changes.update(resumes=None, awaiting_since=None, auto_resolve_at=None)
    elif isinstance(event, UpdateTimeframeAgreed):
        changes["update_every"] = event.every
    elif isinstance(event, Escalated) or (
        isinstance(event, ResolutionRejected) and target is State.ESCALATED
    ):
        changes["tier"] = ticket.tier.next()
        changes.update(resolved_at=None, confirmed=False, reopen_until=None)
    elif isinstance(event, Resolved | AutoResolved):
        changes.update(
            resolved_at=at,
            confirmed=False,
            resumes=None,
            awaiting_since=None,
            auto_resolve_at=None,
            reopen_until=_reopen_deadline(policy, at),
        )
    elif isinstance(event, ResolutionConfirmed):
        changes["confirmed"] = True
    elif isinstance(event, ResolutionRejected | Reopened):
        changes.update(resolved_at=None, confirmed=False, reopen_until=None)
    elif isinstance(event, Closed):
        changes.update(closed_at=at, reopen_until=None)
    return changes


_TICKET_FIELDS: Final = tuple(field.name for field in attrs.fields(Ticket))


def _with(ticket: Ticket, changes: dict[str, Any]) -> Ticket:
    """``attrs.evolve`` for the hot path: a ticket with *changes*, in a third of the time."""
    values = {name: getattr(ticket, name) for name in _TICKET_FIELDS}
    values.update(changes)
    return Ticket(**values)


def advance(policy: SupportPolicy, ticket: Ticket, now: datetime) -> Ticket:
    """Apply what time alone decides by *now*: auto-resolve (PROC-4), then close (PROC-6).

    Idempotent, and advancing to t1 then t2 equals advancing to t2. An instant before the
    ticket's last event changes nothing.
    """
    _require_ticket(ticket)
    now_micros = aware_micros(now, "now")
    while (event := _due_by(ticket, now_micros)) is not None:
        ticket = apply(policy, ticket, event)
    return ticket


def _due_by(ticket: TicketFacts, now_micros: int) -> Event | None:
    """The event time alone has decided by *now_micros*, if any: auto-resolve, then close."""
    due = ticket.auto_resolve_at
    if due is not None and to_micros(due) <= now_micros:
        return AutoResolved(at=due)
    until = ticket.reopen_until
    if until is not None and to_micros(until) <= now_micros:
        return Closed(at=until)
    return None


class TicketDraft:
    """A ticket changed in place, for replaying thousands of logs without a copy per event.

    The same table, guards and effects as :func:`apply`; :meth:`freeze` gives the
    :class:`Ticket` that applying the same events one by one would have given.
    """

    id: str
    state: State
    tier: Tier
    ceiling: Tier
    category: Category
    history: list[Event]
    responded_at: datetime | None
    resumes: State | None
    confirmed: bool
    auto_resolve_at: datetime | None
    reopen_until: datetime | None

    def __init__(self, ticket: Ticket) -> None:
        self.__dict__.update((name, getattr(ticket, name)) for name in _TICKET_FIELDS)
        self.history = list(ticket.history)

    def apply(self, policy: SupportPolicy, event: Event) -> None:
        """Take *event*, as :func:`apply` would; a refused event changes nothing."""
        changes = _effects(policy, self, event, _admit(policy, self, event))
        self.__dict__.update(changes)
        self.history.append(event)

    def advance(self, policy: SupportPolicy, now_micros: int) -> None:
        """Apply what time alone decides by *now_micros*, as :func:`advance` would."""
        while (event := _due_by(self, now_micros)) is not None:
            self.apply(policy, event)

    def freeze(self) -> Ticket:
        """The ticket as it stands."""
        values = {name: getattr(self, name) for name in _TICKET_FIELDS}
        values["history"] = tuple(self.history)
        return Ticket(**values)


def replay(policy: SupportPolicy, events: Iterable[Event]) -> Ticket:
    """The ticket that *events* make, the first being :class:`Lodged`: lodge, then apply."""
    if isinstance(events, Ticket):
        raise WrongTypeError("replay takes the events, not the ticket: replay(ticket.history)")
    if not isinstance(events, Iterable):
        raise WrongTypeError(f"replay takes an iterable of events, got {events!r}")
    iterator = iter(events)
    first = next(iterator, None)
    if first is None:
        raise TransitionError("replay needs at least the Lodged event (PROC-1)", rule="PROC-1")
    ticket = lodge(policy, first)  # type: ignore[arg-type]
    for event in iterator:
        ticket = apply(policy, ticket, event)
    return ticket


def _require_ticket(ticket: object) -> None:
    if not isinstance(ticket, Ticket):
        raise WrongTypeError(f"expected a Ticket (from policy.lodge), got {ticket!r}")


# -- the diagram -------------------------------------------------------------------------------


def mermaid(rows: tuple[Transition, ...] = TRANSITIONS) -> str:
    """The lifecycle as a Mermaid state diagram, generated from the transition table.

    >>> print(mermaid().splitlines()[0])
    stateDiagram-v2
    """
    lines = ["stateDiagram-v2", "    [*] --> OPEN: Lodged (PROC-1)"]
    seen: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        # InfoReceived returns to the state the ticket was in: draw each possibility.
        targets = [s.name for s in _WORKING] if row.target is None else [row.target.name]
        for target in targets:
            labels = seen.setdefault((row.source.name, target), [])
            label = f"{row.event.__name__} ({row.rule})"
            if label not in labels:
                labels.append(label)
    for (source, target), labels in seen.items():
        lines.append(f"    {source} --> {target}: {'<br>'.join(labels)}")
    lines.append("    CLOSED --> [*]")
    return "\n".join(lines)
