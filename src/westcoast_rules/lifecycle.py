"""The ticket lifecycle: a transition table, and tickets that events turn into new tickets.

The table :data:`TRANSITIONS` is the whole state machine, readable top to bottom: for each
state and event, the next state, the guard that may refuse it, what it changes and the rule
behind it. It is checked when this module loads (every state reachable from OPEN, CLOSED final,
every event type used); :func:`westcoast_rules.mermaid` draws it.

The table runs on instants (integer microseconds, HOURS-4), on a :class:`TicketDraft` changed
in place: :func:`apply` turns an immutable :class:`Ticket` into a draft, takes the event and
freezes the result, so ``replay(ticket.history) == ticket``; the batch reports replay thousands
of drafts without building a record per event. Either way it is the same table, the same guards
and the same effects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, tzinfo
from typing import Final, NamedTuple, Protocol

import attrs

from westcoast_rules._choices import Choice
from westcoast_rules._instants import (
    aware_micros,
    from_micros,
    instant_key,
    micros,
    require_aware,
    to_micros,
)
from westcoast_rules.errors import InvalidEnquiryError, TransitionError, WrongTypeError
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
    event_at,
)
from westcoast_rules.intake import IntakePolicy, accept_priority
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category, scope_row
from westcoast_rules.targets import due_micros, has_target, target_for

__all__ = [
    "TRANSITIONS",
    "Deadlines",
    "LifecyclePolicy",
    "State",
    "Ticket",
    "TicketDraft",
    "Transition",
    "advance",
    "apply",
    "deadlines",
    "lodge",
    "replay",
]


class State(Choice):
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


class LifecyclePolicy(IntakePolicy, Protocol):
    """What the lifecycle reads of a policy: a :class:`~westcoast_rules.SupportPolicy`."""

    @property
    def p1_may_start_at_tier_2(self) -> bool: ...
    @property
    def reopen_at_ceiling_on_rejection(self) -> bool: ...
    @property
    def chase_every_business_days(self) -> int: ...
    @property
    def auto_resolve_after_business_days(self) -> int: ...
    @property
    def reopen_window_days(self) -> int: ...


# -- the draft: a ticket on instants, changed in place -----------------------------------------

_INSTANTS: Final = (
    "lodged_at",
    "responded_at",
    "awaiting_since",
    "resolved_at",
    "closed_at",
    "auto_resolve_at",
    "reopen_until",
)
"""The fields of a :class:`Ticket` that are instants: integers in a draft, datetimes in a ticket."""


class TicketDraft:
    """A ticket on instants, changed in place: what the transition table works on.

    It has every field of :class:`Ticket`, each instant as integer microseconds, and knows its
    last event. Its ``history`` is kept only when asked for (to :meth:`freeze` it into a
    :class:`Ticket`); a report replays without it.
    """

    __slots__ = (
        "auto_resolve_at",
        "auto_resolved_at",
        "awaiting_since",
        "category",
        "ceiling",
        "channel",
        "closed_at",
        "confirmed",
        "history",
        "id",
        "last_at",
        "last_event",
        "lodged_at",
        "priority",
        "reopen_until",
        "resolved_at",
        "responded_at",
        "resumes",
        "state",
        "tier",
        "update_every",
    )

    id: str
    state: State
    tier: Tier
    priority: Priority
    channel: Channel
    category: Category
    ceiling: Tier
    lodged_at: int
    responded_at: int | None
    resumes: State | None
    awaiting_since: int | None
    update_every: int | None
    """The agreed update timeframe in microseconds (PROC-3)."""
    resolved_at: int | None
    confirmed: bool
    closed_at: int | None
    auto_resolve_at: int | None
    reopen_until: int | None
    last_at: int
    """The instant of the last event taken."""
    last_event: type[Event]
    auto_resolved_at: int | None
    """When the ticket last resolved itself (PROC-4), for comparing policies."""
    history: list[Event] | None

    def __init__(  # noqa: PLR0917  (the facts of a Lodged event, in its order)
        self,
        id: str,
        at: int,
        priority: Priority,
        channel: Channel,
        tier: Tier,
        category: Category,
        ceiling: Tier,
        history: list[Event] | None = None,
    ) -> None:
        self.id = id
        self.state = State.OPEN
        self.tier = tier
        self.priority = priority
        self.channel = channel
        self.category = category
        self.ceiling = ceiling
        self.lodged_at = self.last_at = at
        self.last_event = Lodged
        self.responded_at = self.awaiting_since = self.resolved_at = self.closed_at = None
        self.auto_resolve_at = self.reopen_until = self.update_every = None
        self.auto_resolved_at = None
        self.resumes = None
        self.confirmed = False
        self.history = history

    @classmethod
    def of(cls, ticket: Ticket) -> TicketDraft:
        """A draft of *ticket*, history included."""
        draft = cls.__new__(cls)
        for name in _TICKET_FIELDS:
            setattr(draft, name, getattr(ticket, name))
        for name in _INSTANTS:
            setattr(draft, name, instant_key(getattr(ticket, name)))
        draft.update_every = None if ticket.update_every is None else micros(ticket.update_every)
        draft.history = list(ticket.history)
        last = ticket.history[-1]
        draft.last_at, draft.last_event = to_micros(last.at), type(last)
        resolved = [e.at for e in ticket.history if isinstance(e, AutoResolved)]
        draft.auto_resolved_at = to_micros(resolved[-1]) if resolved else None
        return draft

    def freeze(self, policy: LifecyclePolicy) -> Ticket:
        """The :class:`Ticket` as it stands, its instants in the policy's zone."""
        assert self.history is not None, "a draft replayed without its history cannot freeze"
        zone = policy.calendar.zone
        values = {name: getattr(self, name) for name in _TICKET_FIELDS}
        for name in _INSTANTS:
            value = values[name]
            values[name] = None if value is None else from_micros(value, zone)
        every = self.update_every
        values["update_every"] = None if every is None else timedelta(microseconds=every)
        values["history"] = tuple(self.history)
        return Ticket(**values)

    def take(
        self,
        policy: LifecyclePolicy,
        kind: type[Event],
        at: int,
        every: int | None = None,
        event: Event | None = None,
    ) -> None:
        """Take an event of type *kind* at instant *at*, by the first row of the table whose
        guard allows it, or raise :class:`TransitionError` naming the rule that refuses it (a
        refused event changes nothing). *every* is an agreed timeframe's length (PROC-3);
        *event* the record kept in the history, when one is kept."""
        row = _admit(policy, self, kind, at)
        target = row.target or self.resumes or State.OPEN
        if row.effect is not None:
            row.effect(policy, self, at, every)
        self.state = target
        self.last_at = at
        self.last_event = kind
        if self.history is not None:
            if event is None:  # decided by time (advance): AutoResolved or Closed
                event = event_at(kind, from_micros(at, policy.calendar.zone))
            self.history.append(event)

    def take_event(self, policy: LifecyclePolicy, event: Event) -> None:
        """Take the event record *event*: :meth:`take` with its type, instant and fields."""
        if not isinstance(event, EVENT_TYPES):
            raise WrongTypeError(f"apply takes an event such as Resolved(at=...), got {event!r}")
        every = micros(event.every) if isinstance(event, UpdateTimeframeAgreed) else None
        self.take(policy, type(event), to_micros(event.at), every, event)

    def advance(self, policy: LifecyclePolicy, now: int) -> None:
        """Take what time alone has decided by instant *now*: auto-resolve (PROC-4), then
        close (PROC-6), each at its own deadline."""
        while True:
            due = self.auto_resolve_at
            if due is not None and due <= now:
                self.take(policy, AutoResolved, due)
                continue
            until = self.reopen_until
            if until is not None and until <= now:
                self.take(policy, Closed, until)
                continue
            return


_TICKET_FIELDS: Final = tuple(field.name for field in attrs.fields(Ticket))


# -- guards: each returns why it refuses, naming its rule, or None -----------------------------


class Refusal(NamedTuple):
    """Why a guard refuses an event: the rule, and the reason as a template of the ticket's
    facts (``{responded_at}``, ``{ceiling}``, ...), filled in only when the refusal is raised."""

    rule: str
    reason: str


Guard = Callable[[LifecyclePolicy, TicketDraft, int], Refusal | None]
"""Given the policy, the ticket and the event's instant: why the event is refused, or ``None``."""

Effect = Callable[[LifecyclePolicy, TicketDraft, int, "int | None"], None]
"""What an event changes in the ticket, given the event's instant and its timeframe (PROC-3);
the state itself is the row's target."""


@attrs.frozen
class Transition:
    """One row of the state machine: in *source*, *event* leads to *target*, per *rule*.

    A ``target`` of ``None`` means "the state the ticket was in before it began awaiting
    information" (PROC-2). The *guard* may refuse the event; the *effect* is what it changes.
    """

    source: State
    event: type[Event]
    target: State | None
    rule: str
    guard: Guard | None = None
    effect: Effect | None = None


_ALREADY_RESPONDED: Final = Refusal(
    "SLA-1", "the response was already recorded at {responded_at:%d %b %Y %H:%M}"
)
_AT_THE_TOP: Final = Refusal("ESC-2", "Tier 3 is the top: there is no tier to escalate to")
_AT_THE_CEILING: Final = Refusal(
    "ESC-4", "{category} work cannot be escalated beyond Tier {ceiling}"
)
_NO_REOPENING_AT_THE_CEILING: Final = Refusal(
    "ESC-5",
    "the ticket is at its ceiling, Tier {ceiling}, and this policy does not reopen a rejected "
    "resolution there",
)
_AUTO_RESOLVED_BEFORE: Final = Refusal(
    "PROC-4",
    "the ticket auto-resolved at {auto_resolve_at:%a %d %b %Y %H:%M %Z}, before this event; "
    "record that with advance(ticket, event.at), then reopen the ticket",
)
_NOT_AWAITING: Final = Refusal(
    "PROC-4", "the ticket has no auto-resolve deadline: it is not awaiting information"
)
_AUTO_RESOLVES_AT: Final = Refusal(
    "PROC-4",
    "the ticket auto-resolves at {auto_resolve_at:%a %d %b %Y %H:%M %Z} exactly; "
    "advance(ticket, now) records it",
)
_WINDOW_CLOSED: Final = Refusal(
    "PROC-6",
    "the reopen window closed on {reopen_until:%a %d %b %Y %H:%M %Z}; lodge a new incident",
)
_NOT_RESOLVED: Final = Refusal(
    "PROC-6", "the ticket has no reopen window to end: it is not resolved"
)
_CLOSES_AT: Final = Refusal(
    "PROC-6",
    "the ticket closes at {reopen_until:%a %d %b %Y %H:%M %Z} exactly, when its reopen window "
    "ends; advance(ticket, now) records it",
)
_ALREADY_CONFIRMED: Final = Refusal(
    "PROC-5", "the Reseller already confirmed this resolution; reopen the ticket instead"
)


def _not_yet_acknowledged(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    return None if t.responded_at is None else _ALREADY_RESPONDED


def _below_ceiling(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    if t.tier is Tier.TIER_3:
        return _AT_THE_TOP
    return _AT_THE_CEILING if t.tier >= t.ceiling else None


def _at_ceiling_reopens(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    return None if policy.reopen_at_ceiling_on_rejection else _NO_REOPENING_AT_THE_CEILING


def _before_auto_resolve(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    # The guard of everything done while awaiting information: nothing after the auto-resolve.
    due = t.auto_resolve_at
    return _AUTO_RESOLVED_BEFORE if due is not None and at >= due else None


def _auto_resolve_reached(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    # Time decides the instant too: resolved at the deadline, not whenever it was noticed.
    due = t.auto_resolve_at
    if due is None:
        return _NOT_AWAITING
    return _AUTO_RESOLVES_AT if at != due else None


def _within_reopen_window(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    until = t.reopen_until
    return _WINDOW_CLOSED if until is not None and at >= until else None


def _reopen_window_over(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    # Time decides the instant too: closed when the window ends, not whenever it was noticed.
    until = t.reopen_until
    if until is None:
        return _NOT_RESOLVED
    return _CLOSES_AT if at != until else None


def _not_confirmed(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    refused = _within_reopen_window(policy, t, at)
    if refused is None and t.confirmed:
        return _ALREADY_CONFIRMED
    return refused


@attrs.frozen
class _All:
    """A guard made of guards: the first refusal, or ``None`` when every one allows."""

    parts: tuple[Guard, ...]

    def __call__(self, policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
        for guard in self.parts:
            refused = guard(policy, t, at)
            if refused is not None:
                return refused
        return None


def _all(*guards: Guard) -> Guard:
    return _All(guards)


# -- effects: what each row changes, on instants ----------------------------------------------


def _record_response(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.responded_at = at  # SLA-1


def _await_information(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    # PROC-2: back to this state when the information arrives; PROC-4 counts from now on.
    t.resumes = t.state
    t.awaiting_since = at
    t.auto_resolve_at = auto_resolve_deadline(policy, at)


def _information_received(
    policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None
) -> None:
    t.resumes = t.awaiting_since = t.auto_resolve_at = None


def _agree_timeframe(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.update_every = every  # PROC-3: replaces the daily chase


def _escalate(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.tier = Tier(t.tier + 1)  # ESC-2: one tier up; the guard saw there is one
    t.resolved_at = t.reopen_until = None
    t.confirmed = False


def _resolve(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.resolved_at = at
    t.confirmed = False
    t.resumes = t.awaiting_since = t.auto_resolve_at = None
    t.reopen_until = reopen_deadline(policy, at)  # PROC-6: each resolution a new window


def _auto_resolve(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    _resolve(policy, t, at, every)  # PROC-4: RESOLVED like any other
    t.auto_resolved_at = at


def _confirm(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.confirmed = True


def _reopen(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.resolved_at = t.reopen_until = None
    t.confirmed = False


def _close(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.closed_at = at  # PROC-7: the survey falls due now
    t.reopen_until = None


S = State
T = Transition
TRANSITIONS: Final[tuple[Transition, ...]] = (
    # The response: recorded once, in any state before resolution (SLA-1).
    T(S.OPEN, Acknowledged, S.OPEN, "SLA-1", _not_yet_acknowledged, _record_response),
    T(S.ESCALATED, Acknowledged, S.ESCALATED, "SLA-1", _not_yet_acknowledged, _record_response),
    T(S.REOPENED, Acknowledged, S.REOPENED, "SLA-1", _not_yet_acknowledged, _record_response),
    T(
        S.AWAITING_INFO,
        Acknowledged,
        S.AWAITING_INFO,
        "SLA-1",
        _all(_before_auto_resolve, _not_yet_acknowledged),
        _record_response,
    ),
    # More information, then back where it was (PROC-2), chased daily or as agreed (PROC-3);
    # a chaser changes nothing: the business days count from the first request (PROC-4).
    T(S.OPEN, InfoRequested, S.AWAITING_INFO, "PROC-2", None, _await_information),
    T(S.ESCALATED, InfoRequested, S.AWAITING_INFO, "PROC-2", None, _await_information),
    T(S.REOPENED, InfoRequested, S.AWAITING_INFO, "PROC-2", None, _await_information),
    T(S.AWAITING_INFO, InfoRequested, S.AWAITING_INFO, "PROC-3", _before_auto_resolve),
    T(S.AWAITING_INFO, InfoReceived, None, "PROC-2", _before_auto_resolve, _information_received),
    T(S.OPEN, UpdateTimeframeAgreed, S.OPEN, "PROC-3", None, _agree_timeframe),
    T(S.ESCALATED, UpdateTimeframeAgreed, S.ESCALATED, "PROC-3", None, _agree_timeframe),
    T(S.REOPENED, UpdateTimeframeAgreed, S.REOPENED, "PROC-3", None, _agree_timeframe),
    T(
        S.AWAITING_INFO,
        UpdateTimeframeAgreed,
        S.AWAITING_INFO,
        "PROC-3",
        _before_auto_resolve,
        _agree_timeframe,
    ),
    # Escalation: one tier at a time, up to the ceiling (ESC-2, ESC-4).
    T(S.OPEN, Escalated, S.ESCALATED, "ESC-2", _below_ceiling, _escalate),
    T(S.ESCALATED, Escalated, S.ESCALATED, "ESC-2", _below_ceiling, _escalate),
    T(S.REOPENED, Escalated, S.ESCALATED, "ESC-2", _below_ceiling, _escalate),
    # Resolution by the engineer (PROC-5) or by silence (PROC-4).
    T(S.OPEN, Resolved, S.RESOLVED, "PROC-5", None, _resolve),
    T(S.ESCALATED, Resolved, S.RESOLVED, "PROC-5", None, _resolve),
    T(S.REOPENED, Resolved, S.RESOLVED, "PROC-5", None, _resolve),
    T(S.AWAITING_INFO, Resolved, S.RESOLVED, "PROC-5", _before_auto_resolve, _resolve),
    T(S.AWAITING_INFO, AutoResolved, S.RESOLVED, "PROC-4", _auto_resolve_reached, _auto_resolve),
    # The Reseller confirms (PROC-5) or rejects: escalate, or reopen at the ceiling (ESC-5).
    T(S.RESOLVED, ResolutionConfirmed, S.RESOLVED, "PROC-5", _not_confirmed, _confirm),
    T(
        S.RESOLVED,
        ResolutionRejected,
        S.ESCALATED,
        "ESC-5",
        _all(_not_confirmed, _below_ceiling),
        _escalate,
    ),
    T(
        S.RESOLVED,
        ResolutionRejected,
        S.REOPENED,
        "ESC-5",
        _all(_not_confirmed, _at_ceiling_reopens),
        _reopen,
    ),
    # Reopen within the window, or close for good when it ends (PROC-6, PROC-7).
    T(S.RESOLVED, Reopened, S.REOPENED, "PROC-6", _within_reopen_window, _reopen),
    T(S.RESOLVED, Closed, S.CLOSED, "PROC-6", _reopen_window_over, _close),
)
"""The state machine, one row per (state, event) pair it allows, each with its rule."""
del S, T


_ROWS: Final[dict[tuple[State, type[Event]], tuple[Transition, ...]]] = {}
for _row in TRANSITIONS:
    _ROWS[_row.source, _row.event] = (*_ROWS.get((_row.source, _row.event), ()), _row)
del _row


def _admit(policy: LifecyclePolicy, t: TicketDraft, kind: type[Event], at: int) -> Transition:
    """The row of the table that takes an event of type *kind* at *at* now."""
    rows = _ROWS.get((t.state, kind))
    if rows is None or at < t.last_at:
        raise _out_of_turn(policy, t, kind, at)
    refused = None
    for row in rows:
        guard = row.guard
        if guard is None:
            return row
        refused = guard(policy, t, at)
        if refused is None:
            return row
    # Where two rows could take the event (ESC-5), the last one's refusal says the most.
    assert refused is not None
    zone = policy.calendar.zone
    facts = {
        "category": t.category,
        "ceiling": int(t.ceiling),
        **{name: _local(getattr(t, name), zone) for name in _INSTANTS},
    }
    reason = refused.reason.format_map(facts)
    raise TransitionError(
        f"{kind.__name__} refused for ticket {t.id} ({t.state.name}): {reason} ({refused.rule})",
        rule=refused.rule,
        state=t.state,
        event=kind.__name__,
    )


def _out_of_turn(
    policy: LifecyclePolicy, t: TicketDraft, kind: type[Event], at: int
) -> TransitionError:
    """Why the table has no row for the event now: lodged twice, closed, or out of order."""
    name = kind.__name__
    state = t.state
    if kind is Lodged:
        message = f"ticket {t.id} was already lodged; a ticket is lodged once (PROC-1)"
        return TransitionError(message, rule="PROC-1", state=state, event=name)
    if state is State.CLOSED:
        message = (
            f"ticket {t.id} is permanently closed and accepts no further event; lodge a new "
            "incident (PROC-8, PROC-6)"
        )
        return TransitionError(message, rule="PROC-8", state=state, event=name)
    if at < t.last_at:
        zone = policy.calendar.zone
        message = (
            f"{name} at {from_micros(at, zone).isoformat()} is earlier than the ticket's last "
            f"event, {t.last_event.__name__} at {from_micros(t.last_at, zone).isoformat()}: "
            "events must be in time order (PROC-8)"
        )
        return TransitionError(message, rule="PROC-8", state=state, event=name)
    allowed = sorted({r.event.__name__ for r in TRANSITIONS if r.source is state})
    message = (
        f"{name} is not allowed while ticket {t.id} is {state.name}; allowed here: "
        f"{', '.join(allowed)}"
    )
    return TransitionError(message, state=state, event=name)


def _local(value: int | None, zone: tzinfo) -> datetime | None:
    return None if value is None else from_micros(value, zone)


# -- deadlines, on instants --------------------------------------------------------------------


def auto_resolve_deadline(policy: LifecyclePolicy, awaiting_since: int) -> int:
    """N business days after the first request for information (PROC-4's reading)."""
    days = policy.auto_resolve_after_business_days
    return policy.calendar.open_time.add_business_days(awaiting_since, days)


def reopen_deadline(policy: LifecyclePolicy, resolved_at: int) -> int:
    """Local midnight ending the N-th calendar day after the date of resolution (PROC-6)."""
    open_time = policy.calendar.open_time
    end = open_time.local_date(resolved_at) + timedelta(days=policy.reopen_window_days + 1)
    return open_time.midnight(end)


def next_chase(policy: LifecyclePolicy, t: TicketDraft, after: int) -> int | None:
    """The first request for information due after instant *after* (PROC-3), while awaiting
    it and before the ticket resolves itself; ``None`` otherwise."""
    start = t.awaiting_since
    limit = t.auto_resolve_at
    if t.state is not State.AWAITING_INFO or start is None or limit is None:
        return None
    if t.update_every is not None:
        step = t.update_every
        chase = start + max(1, (after - start) // step + 1) * step
    else:
        # PROC-3's reading: every business day after the request's date, at its local time,
        # read as the calendar reads every wall time (so a chase on PROC-4's days is PROC-4's
        # instant, in the hour the clocks skip as well).
        open_time = policy.calendar.open_time
        local = open_time.local(start)
        day, clock = local.date(), local.time()
        chase = start
        while chase <= after:
            for _ in range(policy.chase_every_business_days):
                day = open_time.next_business_day(day)
            chase = open_time.local_instant(day, clock)
    return chase if chase < limit else None


def deadlines(policy: LifecyclePolicy, ticket: Ticket, now: datetime | None = None) -> Deadlines:
    """The deadlines of *ticket*: response due, next chase, auto-resolve, reopen window, survey.

    The next chase is the first one after the ticket's last event, or after *now* if later.
    """
    _require_ticket(ticket)
    draft = TicketDraft.of(ticket)
    after = draft.last_at
    if now is not None:
        after = max(after, to_micros(require_aware(now, "now")))
    response_due = None
    if has_target(policy, ticket.category):
        calendar = policy.calendar
        due = due_micros(calendar.open_time, target_for(policy, ticket.priority), draft.lodged_at)
        response_due = from_micros(due, calendar.zone)
    chase = next_chase(policy, draft, after)
    return Deadlines(
        response_due=response_due,
        next_chase=None if chase is None else from_micros(chase, policy.calendar.zone),
        auto_resolve_at=ticket.auto_resolve_at,
        reopen_until=ticket.reopen_until,
        survey_due_at=ticket.closed_at,
    )


# -- lodge, apply, advance, replay -------------------------------------------------------------


def lodging_ceiling(
    policy: LifecyclePolicy, priority: Priority, channel: Channel, tier: Tier, category: Category
) -> Tier:
    """The escalation ceiling of a ticket lodged with these facts (ESC-4), or
    :class:`TransitionError` for facts the rules forbid: a priority intake would not accept
    (PRIO-4, PRIO-5), a starting tier above Tier 1 but for a P1 at Tier 2 (ESC-3), or one above
    the ceiling (ESC-4). A pure function of its arguments: reports remember its answers."""
    try:
        accepted, notices = accept_priority(policy, priority, channel, category)
    except InvalidEnquiryError:  # this policy accepts no P1 by another channel
        accepted, notices = None, ()
    if accepted is not priority:
        if not notices or notices[0].rule == "PRIO-4":
            raise TransitionError(
                f"a P1 is raised by phone only, not by {channel} (PRIO-4): lodge it as "
                f"{policy.p1_by_other_channel_becomes or 'P2'}, or use assess() to decide",
                rule="PRIO-4",
                event="Lodged",
            )
        raise TransitionError(
            f"{category} work cannot be {priority}; it is capped at {accepted} (PRIO-5)",
            rule="PRIO-5",
            event="Lodged",
        )
    if tier is not Tier.TIER_1:
        may_start_at_2 = policy.p1_may_start_at_tier_2 and priority is Priority.P1
        if not may_start_at_2 or tier is not Tier.TIER_2:
            raise TransitionError(
                f"a ticket starts at Tier 1; only a P1 may be raised straight to Tier 2 (ESC-3), "
                f"not a {priority} at Tier {int(tier)}",
                rule="ESC-3",
                event="Lodged",
            )
    ceiling = scope_row(policy.scope, category).ceiling or Tier.TIER_1
    if tier > ceiling:
        raise TransitionError(
            f"{category} work cannot go beyond Tier {int(ceiling)} (ESC-4)",
            rule="ESC-4",
            event="Lodged",
        )
    return ceiling


def _start(policy: LifecyclePolicy, event: object) -> TicketDraft:
    """The draft of a ticket from its first event, which must be :class:`Lodged` (PROC-1)."""
    if not isinstance(event, Lodged):
        raise TransitionError(
            f"a ticket's history starts with Lodged, got {type(event).__name__} (PROC-1)",
            rule="PROC-1",
            event=type(event).__name__,
        )
    ceiling = lodging_ceiling(policy, event.priority, event.channel, event.tier, event.category)
    at = to_micros(event.at)
    return TicketDraft(
        event.id, at, event.priority, event.channel, event.tier, event.category, ceiling, [event]
    )


def lodge(policy: LifecyclePolicy, event: Lodged) -> Ticket:
    """A new ticket from its :class:`Lodged` event (PROC-1), refusing facts the rules forbid."""
    return _start(policy, event).freeze(policy)


def apply(policy: LifecyclePolicy, ticket: Ticket, event: Event) -> Ticket:
    """The ticket after *event*, or :class:`TransitionError` naming the rule that refuses it."""
    _require_ticket(ticket)
    draft = TicketDraft.of(ticket)
    draft.take_event(policy, event)
    return draft.freeze(policy)


def advance(policy: LifecyclePolicy, ticket: Ticket, now: datetime) -> Ticket:
    """Apply what time alone decides by *now*: auto-resolve (PROC-4), then close (PROC-6).

    Idempotent, and advancing to t1 then t2 equals advancing to t2. An instant before the
    ticket's last event changes nothing.
    """
    _require_ticket(ticket)
    now_micros = aware_micros(now, "now")
    draft = TicketDraft.of(ticket)
    draft.advance(policy, now_micros)
    assert draft.history is not None
    return ticket if len(draft.history) == len(ticket.history) else draft.freeze(policy)


def replay(policy: LifecyclePolicy, events: Iterable[Event]) -> Ticket:
    """The ticket that *events* make, the first being :class:`Lodged`: lodge, then apply."""
    if isinstance(events, Ticket):
        raise WrongTypeError("replay takes the events, not the ticket: replay(ticket.history)")
    if not isinstance(events, Iterable):
        raise WrongTypeError(f"replay takes an iterable of events, got {events!r}")
    iterator = iter(events)
    first = next(iterator, None)
    if first is None:
        raise TransitionError("replay needs at least the Lodged event (PROC-1)", rule="PROC-1")
    draft = _start(policy, first)
    for event in iterator:
        draft.take_event(policy, event)
    return draft.freeze(policy)


def _require_ticket(ticket: object) -> None:
    if not isinstance(ticket, Ticket):
        raise WrongTypeError(f"expected a Ticket (from policy.lodge), got {ticket!r}")
