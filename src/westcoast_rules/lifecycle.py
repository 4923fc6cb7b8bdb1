"""The ticket lifecycle: a transition table, and tickets that events turn into new tickets.

The table :data:`TRANSITIONS` is the whole state machine, readable top to bottom, one row per
rule: the states it applies in, the event, the next state, the guard that may refuse it, what it
changes and the rule behind it. :func:`check_transitions` checks it when this module loads (one
way in, every state reachable, no trap, CLOSED final, every event type used, no row hiding
another); :func:`westcoast_rules.mermaid` draws it.

The table runs on instants (integer microseconds, HOURS-4), on a :class:`TicketDraft` changed
in place: :func:`apply` turns an immutable :class:`Ticket` into a draft, takes the event and
freezes the result, so ``replay(ticket.history) == ticket``; the batch reports replay thousands
of drafts without building a record per event. Either way it is the same table, the same guards
and the same effects.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
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
from westcoast_rules.errors import (
    CalendarRangeError,
    InvalidEnquiryError,
    PolicyError,
    TransitionError,
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
    event_at,
)
from westcoast_rules.intake import IntakePolicy, accept_priority
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.rules import RULES
from westcoast_rules.scope import Category, scope_row
from westcoast_rules.targets import due_micros, has_target, target_for

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


_OPEN: Final = State.OPEN
_AWAITING_INFO: Final = State.AWAITING_INFO
"""States looked up once, for the hot path of a replay: a member looked up on its class
costs more than the comparison that needs it."""
_TOP: Final = max(Tier)
"""Tier 3, the top (ESC-2)."""

_ON_INSTANTS: Final = "westcoast_rules.on_instants"
"""The key of a :class:`Ticket` field's metadata saying what the field is in a
:class:`TicketDraft`: an instant or a duration as integer microseconds; other fields as they are."""
_INSTANT: Final = {_ON_INSTANTS: "instant"}
_DURATION: Final = {_ON_INSTANTS: "duration"}


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
    lodged_at: datetime = attrs.field(eq=instant_key, metadata=_INSTANT)
    """When the incident was lodged, in the policy's zone."""
    ceiling: Tier
    """The highest tier this work may reach (ESC-4)."""
    history: tuple[Event, ...]
    """Every event applied, :class:`Lodged` first: ``policy.replay(history)`` rebuilds it."""
    responded_at: datetime | None = attrs.field(default=None, eq=instant_key, metadata=_INSTANT)
    """When the response was made: the first contact with the Reseller among the policy's
    ``response_events`` (Acknowledged, or an earlier InfoRequested, UpdateTimeframeAgreed or
    Resolved; SLA-1). It never moves once recorded."""
    resumes: State | None = None
    """The state an AWAITING_INFO ticket returns to when the information arrives (PROC-2)."""
    awaiting_since: datetime | None = attrs.field(default=None, eq=instant_key, metadata=_INSTANT)
    """When the ticket began awaiting information (PROC-3, PROC-4)."""
    update_every: timedelta | None = attrs.field(default=None, metadata=_DURATION)
    """An agreed update timeframe, replacing the daily chase (PROC-3)."""
    resolved_at: datetime | None = attrs.field(default=None, eq=instant_key, metadata=_INSTANT)
    confirmed: bool = False
    """Whether the Reseller confirmed the current resolution (PROC-5)."""
    closed_at: datetime | None = attrs.field(default=None, eq=instant_key, metadata=_INSTANT)
    auto_resolve_at: datetime | None = attrs.field(default=None, eq=instant_key, metadata=_INSTANT)
    """While awaiting information: when the ticket resolves itself (PROC-4)."""
    reopen_until: datetime | None = attrs.field(default=None, eq=instant_key, metadata=_INSTANT)
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
    @property
    def response_events(self) -> frozenset[type[Event]]: ...


# -- the draft: a ticket on instants, changed in place -----------------------------------------

_FIELDS: Final = attrs.fields(Ticket)
_INSTANTS: Final = tuple(f.name for f in _FIELDS if f.metadata.get(_ON_INSTANTS) == "instant")
"""The fields of a :class:`Ticket` that are instants: integers in a draft, datetimes in a ticket."""
_DURATIONS: Final = tuple(f.name for f in _FIELDS if f.metadata.get(_ON_INSTANTS) == "duration")
"""The fields of a :class:`Ticket` that are durations: integers in a draft, timedeltas in a
ticket."""
_AS_THEY_ARE: Final = tuple(
    f.name for f in _FIELDS if _ON_INSTANTS not in f.metadata and f.name != "history"
)
"""The fields a draft holds as the ticket does. The history is the draft's own: a list, or
``None`` when it is not kept."""


_DEFAULTS: Final = tuple((f.name, f.default) for f in _FIELDS if f.default is not attrs.NOTHING)
"""What a new draft holds in each field a :class:`Ticket` gives a default: nothing has happened
yet. An instant or a duration defaults to ``None``, the same in a draft."""
assert all(value is None for name, value in _DEFAULTS if name in (*_INSTANTS, *_DURATIONS))


def _setter(values: Sequence[tuple[str, object]]) -> Callable[[object], None]:
    """A function setting each named attribute of an object to its value, its assignments
    written out once, as attrs and dataclasses write an ``__init__``: a loop of ``setattr``
    costs a new draft twice what the rest of it does."""
    namespace: dict[str, object] = {f"value_{i}": value for i, (_, value) in enumerate(values)}
    lines = [f"    target.{name} = value_{i}\n" for i, (name, _) in enumerate(values)]
    exec(f"def set_values(target):\n{''.join(lines) or '    pass'}\n", namespace)
    function: Callable[[object], None] = namespace["set_values"]  # type: ignore[assignment]
    return function


_set_defaults: Final = _setter(_DEFAULTS)
"""Sets every field of a new draft that a :class:`Ticket` gives a default to that default."""


class TicketDraft:
    """A ticket on instants, changed in place: what the transition table works on.

    It has every field of :class:`Ticket` (its slots are the ticket's fields), each instant and
    duration as integer microseconds, and knows its last event. Its ``history`` is kept only when
    asked for (to :meth:`freeze` it into a :class:`Ticket`); a report replays without it.
    """

    __slots__ = (
        *(f.name for f in attrs.fields(Ticket)),
        "acknowledged_at",
        "auto_resolved_at",
        "last_at",
        "last_event",
    )

    # The types of the ticket's fields on instants, for the type checker; which fields there
    # are, and how each converts, is the ticket's declaration alone.
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
    history: list[Event] | None
    # The draft's own: no field of a ticket.
    last_at: int
    """The instant of the last event taken."""
    last_event: type[Event]
    auto_resolved_at: int | None
    """When the ticket last resolved itself (PROC-4), for comparing policies."""
    acknowledged_at: int | None
    """When the ticket was acknowledged: once only (SLA-1), though the response may have been
    an earlier contact."""

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
        _set_defaults(self)
        self.id = id
        self.state = _INITIAL
        self.tier = tier
        self.priority = priority
        self.channel = channel
        self.category = category
        self.ceiling = ceiling
        self.lodged_at = self.last_at = at
        self.last_event = Lodged
        self.auto_resolved_at = self.acknowledged_at = None
        self.history = history

    @classmethod
    def of(cls, ticket: Ticket) -> TicketDraft:
        """A draft of *ticket*, history included."""
        draft = cls.__new__(cls)
        for name in _AS_THEY_ARE:
            setattr(draft, name, getattr(ticket, name))
        for name in _INSTANTS:
            setattr(draft, name, instant_key(getattr(ticket, name)))
        for name in _DURATIONS:
            duration = getattr(ticket, name)
            setattr(draft, name, None if duration is None else micros(duration))
        draft.history = list(ticket.history)
        last = ticket.history[-1]
        draft.last_at, draft.last_event = to_micros(last.at), type(last)
        resolved = [e.at for e in ticket.history if isinstance(e, AutoResolved)]
        draft.auto_resolved_at = to_micros(resolved[-1]) if resolved else None
        acknowledged = next((e.at for e in ticket.history if isinstance(e, Acknowledged)), None)
        draft.acknowledged_at = None if acknowledged is None else to_micros(acknowledged)
        return draft

    def freeze(self, policy: LifecyclePolicy) -> Ticket:
        """The :class:`Ticket` as it stands, its instants in the policy's zone."""
        assert self.history is not None, "a draft replayed without its history cannot freeze"
        zone = policy.calendar.zone
        values = {name: getattr(self, name) for name in _AS_THEY_ARE}
        for name in _INSTANTS:
            instant = getattr(self, name)
            values[name] = None if instant is None else from_micros(instant, zone)
        for name in _DURATIONS:
            duration = getattr(self, name)
            values[name] = None if duration is None else timedelta(microseconds=duration)
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
        try:
            steps = _ROWS[kind][self.state]
        except KeyError:  # no row takes it in this state, or no event of the table
            steps = ()
        if not steps or at < self.last_at:
            raise _out_of_turn(policy, self, kind, at)
        # The first row whose guards all allow. Only ESC-5 has a second row for an event in a
        # state, so the first row is asked here, and the rows in turn only when it refuses
        # (guards change nothing, so asking it again is the same answer).
        target, guards, effect = steps[0]
        for guard in guards:
            if guard(policy, self, at) is not None:
                target, effect = _first_allowing(policy, self, kind, at, steps)
                break
        if target is None:  # Relative.RESUMED (PROC-2)
            target = self.resumes or _OPEN
        if effect is not None:
            effect(policy, self, at, every)
        if self.responded_at is None and kind in policy.response_events:
            self.responded_at = at  # SLA-1: the response is the first contact, whichever it was
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


class Relative(enum.Enum):
    """Where a row of the table leads when it names no one state: relative to the ticket."""

    SAME = "same"
    """The state the ticket is in: the event changes its facts, not its state."""
    RESUMED = "resumed"
    """The state the ticket was in before the row that led to its state: for an AWAITING_INFO
    ticket, the state it awaited information from (PROC-2)."""


def _sources(states: State | Iterable[State]) -> tuple[State, ...]:
    """One state, or several, as a row's sources: ``OPEN`` or ``(OPEN, ESCALATED)``."""
    return (states,) if isinstance(states, State) else tuple(states)


@attrs.frozen
class Transition:
    """One row of the state machine: in any of *sources*, *event* leads to *target*, per *rule*.

    A row names each state its rule applies in, so each rule is one row. A row with no source is
    the way in: the event that makes a ticket, and the state it starts in (PROC-1). A *target*
    may be :attr:`Relative.SAME` (the state it is in) or :attr:`Relative.RESUMED` (the state it
    awaited information from, PROC-2). The *guard* may refuse the event; the *effect* is what it
    changes.

    >>> row = Transition((State.OPEN, State.ESCALATED), Escalated, State.ESCALATED, "ESC-2")
    >>> row.sources
    (<State.OPEN: 'open'>, <State.ESCALATED: 'escalated'>)
    """

    sources: tuple[State, ...] = attrs.field(converter=_sources)
    event: type[Event]
    target: State | Relative
    rule: str
    guard: Guard | None = None
    effect: Effect | None = None


_ALREADY_ACKNOWLEDGED: Final = Refusal(
    "SLA-1", "the ticket was already acknowledged at {acknowledged_at:%d %b %Y %H:%M}"
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
    return None if t.acknowledged_at is None else _ALREADY_ACKNOWLEDGED


def _below_ceiling(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    if t.tier is _TOP:
        return _AT_THE_TOP
    return _AT_THE_CEILING if t.tier >= t.ceiling else None


def _at_ceiling_reopens(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    return None if policy.reopen_at_ceiling_on_rejection else _NO_REOPENING_AT_THE_CEILING


def _before_auto_resolve(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    # Nothing is done after the ticket resolved itself (PROC-4). Only a ticket awaiting
    # information has that deadline, so in any other state this allows.
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


def _unconfirmed(policy: LifecyclePolicy, t: TicketDraft, at: int) -> Refusal | None:
    return _ALREADY_CONFIRMED if t.confirmed else None


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


_not_confirmed: Final = _all(_within_reopen_window, _unconfirmed)
"""Within the reopen window, and the resolution not yet confirmed (PROC-5, PROC-6)."""


# -- effects: what each row changes, on instants ----------------------------------------------


def _acknowledge(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    # SLA-1: the response itself is recorded by take(), at the first of the policy's
    # response_events; this may be it, or come after an earlier contact.
    t.acknowledged_at = at


def _await_information(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    # PROC-2: back to this state when the information arrives; PROC-4 counts from now on.
    # The deadline first: an event it refuses (past the calendar's years) changes nothing.
    t.auto_resolve_at = auto_resolve_deadline(policy, at)
    t.resumes = t.state
    t.awaiting_since = at


def _info_received(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.resumes = t.awaiting_since = t.auto_resolve_at = None


def _agree_timeframe(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.update_every = every  # PROC-3: replaces the daily chase


_ABOVE: Final = {tier: above for tier in Tier if (above := tier.next()) is not None}
"""The tier above each tier but the top (ESC-2): :meth:`Tier.next`, looked up once."""


def _escalate(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    t.tier = _ABOVE[t.tier]  # ESC-2: one tier up; the guard saw there is one
    t.resolved_at = t.reopen_until = None
    t.confirmed = False


def _resolve(policy: LifecyclePolicy, t: TicketDraft, at: int, every: int | None) -> None:
    # PROC-6: each resolution a new window; first, so an event it refuses changes nothing.
    t.reopen_until = reopen_deadline(policy, at)
    t.resolved_at = at
    t.confirmed = False
    t.resumes = t.awaiting_since = t.auto_resolve_at = None


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
SAME, RESUMED = Relative.SAME, Relative.RESUMED
_WORKING: Final = (S.OPEN, S.ESCALATED, S.REOPENED)
"""Where an engineer works on the ticket: lodged, escalated or reopened."""
_UNRESOLVED: Final = (*_WORKING, S.AWAITING_INFO)
"""Every state before resolution."""
TRANSITIONS: Final[tuple[Transition, ...]] = (
    # The way in: a ticket is lodged OPEN (PROC-1); lodging_ceiling refuses facts the rules
    # forbid (PRIO-4, PRIO-5, ESC-3, ESC-4).
    T((), Lodged, S.OPEN, "PROC-1"),
    # The acknowledgement: once, in any state before resolution. The response (SLA-1) is the
    # first contact of the policy's response_events, this or an earlier one (see take()).
    T(
        _UNRESOLVED,
        Acknowledged,
        SAME,
        "SLA-1",
        _all(_before_auto_resolve, _not_yet_acknowledged),
        _acknowledge,
    ),
    # More information, then back where it was (PROC-2), chased daily or as agreed (PROC-3);
    # a chaser changes nothing: the business days count from the first request (PROC-4).
    T(_WORKING, InfoRequested, S.AWAITING_INFO, "PROC-2", None, _await_information),
    T(S.AWAITING_INFO, InfoRequested, SAME, "PROC-3", _before_auto_resolve),
    T(S.AWAITING_INFO, InfoReceived, RESUMED, "PROC-2", _before_auto_resolve, _info_received),
    T(_UNRESOLVED, UpdateTimeframeAgreed, SAME, "PROC-3", _before_auto_resolve, _agree_timeframe),
    # Escalation: one tier at a time, up to the ceiling (ESC-2, ESC-4).
    T(_WORKING, Escalated, S.ESCALATED, "ESC-2", _below_ceiling, _escalate),
    # Resolution by the engineer (PROC-5) or by silence (PROC-4).
    T(_UNRESOLVED, Resolved, S.RESOLVED, "PROC-5", _before_auto_resolve, _resolve),
    T(S.AWAITING_INFO, AutoResolved, S.RESOLVED, "PROC-4", _auto_resolve_reached, _auto_resolve),
    # The Reseller confirms (PROC-5) or rejects: escalate, or reopen at the ceiling (ESC-5).
    T(S.RESOLVED, ResolutionConfirmed, SAME, "PROC-5", _not_confirmed, _confirm),
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
"""The state machine, one row per rule, each naming the states it applies in; checked by
:func:`check_transitions` when this module loads."""
del S, T, SAME, RESUMED

FINAL_STATES: Final = frozenset({State.CLOSED})
"""The states a ticket ends in: no event leaves them (PROC-8)."""


# -- the table, checked when this module loads ------------------------------------------------


def leads_to(
    row: Transition, source: State, rows: Sequence[Transition] = TRANSITIONS
) -> tuple[State, ...]:
    """The states *row* can lead to from *source*, in the table *rows*: its target, or for a
    relative target the state it is in, or each state it can have been in before (PROC-2).

    >>> [state.name for state in leads_to(TRANSITIONS[4], State.AWAITING_INFO)]
    ['OPEN', 'ESCALATED', 'REOPENED']
    """
    if row.target is Relative.SAME:
        return (source,)
    if row.target is Relative.RESUMED:
        before = (s for r in rows if r.target is source for s in r.sources if s is not source)
        return tuple(dict.fromkeys(before))
    return (row.target,)


def _describe(number: int, row: Transition) -> str:
    sources = ", ".join(state.name for state in row.sources) or "no state"
    return f"row {number} ({row.event.__name__} from {sources}, {row.rule})"


def check_transitions(
    rows: Sequence[Transition],
    final: Collection[State] = FINAL_STATES,
    events: Collection[type[Event]] = EVENT_TYPES,
) -> None:
    """Refuse a transition table that cannot be the incident process, naming every defect.

    The table must have one way in (one row with no source: the initial state), reach every
    :class:`State` from it, let every state but the *final* ones reach a final one (no trap)
    and leave no final one, give every event type in *events* a row, name a known rule on each
    row, and never let a row with no guard hide a later row for the same state and event
    (nothing would choose between them). :data:`TRANSITIONS` is checked when this module loads.

    Raises:
        PolicyError: every defect found, each naming its row or state.

    >>> check_transitions(TRANSITIONS)
    >>> check_transitions(TRANSITIONS[1:])
    Traceback (most recent call last):
    ...
    westcoast_rules.errors.PolicyError: the transition table cannot be the incident process: no row takes Lodged; it has no way in (a row with no source, the initial state); give exactly one
    """  # noqa: E501  (a doctest's output is one line)
    problems = _row_problems(rows, final)
    missing = [kind.__name__ for kind in events if all(row.event is not kind for row in rows)]
    if missing:
        problems.append(f"no row takes {', '.join(missing)}")
    problems += _path_problems(rows, final)
    if problems:
        raise PolicyError(
            "the transition table cannot be the incident process: " + "; ".join(problems)
        )


def _row_problems(rows: Sequence[Transition], final: Collection[State]) -> list[str]:
    """What is wrong with the rows one by one, and with rows that take the same event."""
    problems = []
    first: dict[tuple[State, type[Event]], tuple[int, Transition]] = {}
    for number, row in enumerate(rows, 1):
        where = _describe(number, row)
        if row.rule not in RULES:
            problems.append(f"{where} names {row.rule!r}, which is not a rule of POLICY.md")
        if len(set(row.sources)) != len(row.sources):
            problems.append(f"{where} names a state twice")
        if not row.sources and not isinstance(row.target, State):
            problems.append(f"{where} is a way in, so it must name the state a ticket starts in")
        for source in row.sources:
            if source in final:
                problems.append(f"{where} leaves {source.name}, a final state")
            if not leads_to(row, source, rows):
                problems.append(f"{where} resumes a state before {source.name}; none leads there")
            earlier = first.setdefault((source, row.event), (number, row))
            if earlier[0] != number and earlier[1].guard is None:
                problems.append(
                    f"{_describe(*earlier)} and {where} both take {row.event.__name__} in "
                    f"{source.name}, and the first has no guard to choose between them"
                )
                first[source, row.event] = (number, row)
    return problems


def _path_problems(rows: Sequence[Transition], final: Collection[State]) -> list[str]:
    """What is wrong with the ways through the table: its way in, states it never reaches,
    states from which no way leads to a final one."""
    starts = [(number, row) for number, row in enumerate(rows, 1) if not row.sources]
    if len(starts) != 1:
        named = "".join(f"; {_describe(number, row)}" for number, row in starts)
        count = "no way" if not starts else f"{len(starts)} ways"
        return [
            f"it has {count} in (a row with no source, the initial state){named}; give exactly one"
        ]
    # Resuming returns to a state the ticket was in, so it reaches no state the others do not;
    # it is a way towards a final state all the same.
    following: dict[State, set[State]] = {state: set() for state in State}
    forward: dict[State, set[State]] = {state: set() for state in State}
    for row in rows:
        for source in row.sources:
            following[source].update(leads_to(row, source, rows))
            if row.target is not Relative.RESUMED:
                forward[source].update(leads_to(row, source, rows))
    problems = []
    initial = starts[0][1].target
    if isinstance(initial, State):
        unreached = [s.name for s in State if s not in _reachable(initial, forward)]
        if unreached:
            problems.append(f"no way leads from {initial.name} to {', '.join(unreached)}")
    traps = [s.name for s in State if s not in final and not _reachable(s, following) & {*final}]
    if traps:
        problems.append(f"no way leads from {', '.join(traps)} to a final state: a trap")
    return problems


def _reachable(start: State, following: dict[State, set[State]]) -> set[State]:
    """Every state reachable from *start*, *start* included."""
    reached = {start}
    frontier = [start]
    while frontier:
        for state in following[frontier.pop()] - reached:
            reached.add(state)
            frontier.append(state)
    return reached


check_transitions(TRANSITIONS)

_Step = tuple["State | None", tuple[Guard, ...], "Effect | None"]
"""A row that may take an event in a state, as :meth:`TicketDraft.take` runs it: the state it
leads to from there (``None`` for the state the ticket resumes, known only when the row is
taken), its guards one by one, and its effect."""


def _guards(guard: Guard | None) -> tuple[Guard, ...]:
    """A row's guard as the guards that make it, each to be asked in turn: a guard made of
    guards made of guards is asked as the guards it is made of, a call each."""
    if guard is None:
        return ()
    if isinstance(guard, _All):
        return tuple(part for inner in guard.parts for part in _guards(inner))
    return (guard,)


def _lookup(rows: Sequence[Transition]) -> dict[type[Event], dict[State, tuple[_Step, ...]]]:
    """The rows that may take each event in each state, in table order."""
    found: dict[type[Event], dict[State, tuple[_Step, ...]]] = {}
    for row in rows:
        by_state = found.setdefault(row.event, {})
        for source in row.sources:
            target = row.target
            leads: State | None = source if target is Relative.SAME else None
            if isinstance(target, State):
                leads = target
            step: _Step = (leads, _guards(row.guard), row.effect)
            by_state[source] = (*by_state.get(source, ()), step)
    return found


_ROWS: Final = _lookup(TRANSITIONS)
"""The table by event, then state: the hot path of every replay, built once."""


def _first_allowing(
    policy: LifecyclePolicy, t: TicketDraft, kind: type[Event], at: int, steps: tuple[_Step, ...]
) -> tuple[State | None, Effect | None]:
    """The target and effect of the first of *steps* whose guards all allow the event; else
    the error of the last refusal (where two rows could take it, ESC-5, the last says most)."""
    refused = None
    for target, guards, effect in steps:
        for guard in guards:
            refused = guard(policy, t, at)
            if refused is not None:
                break
        else:
            return target, effect
    assert refused is not None  # every row that could take it refused
    raise _refusal(policy, t, kind, refused)


def _initial(rows: Sequence[Transition]) -> State:
    """The state a ticket starts in: the target of the way in, the row with no source."""
    [row] = [row for row in rows if not row.sources]
    assert isinstance(row.target, State), "check_transitions refuses a way in to no state"
    return row.target


_INITIAL: Final = _initial(TRANSITIONS)


def _refusal(
    policy: LifecyclePolicy, t: TicketDraft, kind: type[Event], refused: Refusal
) -> TransitionError:
    """The error of an event every row that could take it refuses: where two rows could take
    it (ESC-5), the last one's refusal, which says the most."""
    zone = policy.calendar.zone
    facts = {
        "category": t.category,
        "ceiling": int(t.ceiling),
        "acknowledged_at": _local(t.acknowledged_at, zone),
        **{name: _local(getattr(t, name), zone) for name in _INSTANTS},
    }
    reason = refused.reason.format_map(facts)
    return TransitionError(
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
    allowed = sorted({r.event.__name__ for r in TRANSITIONS if state in r.sources})
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


_WINDOW_ENDS: Final[dict[tuple[tzinfo, int, date], int]] = {}
"""The end of the reopen window of a resolution on each local date, by zone and window length,
remembered: a report asks at every resolution, on a few hundred dates a year. A local midnight
is its zone's alone, whatever the calendar's hours; the zones are few and small."""
_REMEMBERED_WINDOWS: Final = 20_000
"""How many window ends are remembered before starting again: decades of dates."""


def reopen_deadline(policy: LifecyclePolicy, resolved_at: int) -> int:
    """Local midnight ending the N-th calendar day after the date of resolution (PROC-6), or
    :class:`CalendarRangeError` when that midnight is past the years a datetime holds."""
    calendar = policy.calendar
    resolved = calendar.open_time.local_date(resolved_at)
    key = (calendar.zone, policy.reopen_window_days, resolved)
    end = _WINDOW_ENDS.get(key)
    if end is None:
        if len(_WINDOW_ENDS) >= _REMEMBERED_WINDOWS:
            _WINDOW_ENDS.clear()
        end = _WINDOW_ENDS[key] = _window_end(policy, resolved)
    return end


def _window_end(policy: LifecyclePolicy, resolved: date) -> int:
    """The end of the reopen window of a resolution on local date *resolved* (PROC-6)."""
    open_time = policy.calendar.open_time
    try:  # by day number: a third of what a timedelta costs
        end = date.fromordinal(resolved.toordinal() + policy.reopen_window_days + 1)
    except ValueError:
        raise CalendarRangeError(
            f"the reopen window of a ticket resolved on {resolved} would end after 9999-12-31 "
            f"in {open_time.zone}, outside the years a datetime can hold (1 to 9999) (PROC-6); "
            "a resolution this late cannot be recorded"
        ) from None
    return open_time.midnight(end)


def next_chase(policy: LifecyclePolicy, t: TicketDraft, after: int) -> int | None:
    """The first request for information due after instant *after* (PROC-3), while awaiting
    it and before the ticket resolves itself; ``None`` otherwise."""
    start = t.awaiting_since
    limit = t.auto_resolve_at
    if t.state is not _AWAITING_INFO or start is None or limit is None:
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
        while chase <= after and chase < limit:  # none after the limit: none counted there
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
