"""The SLA report's fast path: tickets replayed on integer instants, refusals left to the rules.

A report over a large log is the library's hottest loop. The reference path reads each row
into an event record, replays it on a :class:`~westcoast_rules.lifecycle.TicketDraft` and
builds the report row from a frozen :class:`~westcoast_rules.lifecycle.Ticket`: about 30 us
an event, most of it turning datetimes into instants and back.

This module replays the same rows on integers (microseconds since the epoch), and takes its
decisions from the same places:

- which events each state accepts, and where they lead: :data:`~westcoast_rules.lifecycle.
  TRANSITIONS`, compiled below; each guard of the table has an integer twin here, and a guard
  without one refuses everything (a test checks none is missing);
- what may be lodged: :func:`~westcoast_rules.lifecycle.lodge` itself, once per combination
  of priority, channel, tier and category;
- the due instants and business time: the calendar's own instant arithmetic, and the
  lifecycle's own deadline functions.

It only walks the paths the rules accept. When anything is out of the ordinary (a row it
cannot read, an event a guard refuses, a ticket still awaiting information, whose next
deadline is a chase), it gives the ticket back and the reference path replays it. So every
error message and every refusal comes from one place, and the two paths are compared ticket
by ticket in ``tests/test_fastpath.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from westcoast_rules import lifecycle
from westcoast_rules._instants import MICROS_PER_SECOND, from_micros, micros, to_micros
from westcoast_rules.errors import WestcoastRulesError
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
from westcoast_rules.lifecycle import State
from westcoast_rules.policy import Clock
from westcoast_rules.priority import Priority
from westcoast_rules.serialization import parse_duration

if TYPE_CHECKING:
    from westcoast_rules.policy import SupportPolicy

__all__ = ["FastReplay", "Outcome", "Verdict"]

_HOUR: Final = 3_600 * MICROS_PER_SECOND
_FIRST: Final = to_micros(datetime.min.replace(tzinfo=UTC))
_LAST: Final = to_micros(datetime.max.replace(tzinfo=UTC))
_KINDS: Final = {kind.__name__: kind for kind in EVENT_TYPES}


class Verdict(enum.Enum):
    """What :meth:`FastReplay.replay` returns instead of a report row."""

    GIVE_BACK = "give_back"
    """The reference path must replay this ticket."""
    NOT_YET = "not_yet"
    """Every row of the ticket is after the report's instant: it is not reported."""


Outcome = tuple[
    str,  # ticket id
    str,  # priority
    str,  # category
    int,  # lodged at
    int | None,  # response due
    int | None,  # responded at
    str,  # response: met, breached, pending or no_target
    int | None,  # time to respond, on the target's clock
    str,  # state
    int,  # tier
    int | None,  # next deadline
    str | None,  # its kind
]
"""A ticket's report row on instants: the fields of ``TicketRow`` but bad_rows (always 0)."""


class _Ticket:
    """The facts of a ticket the report needs, on instants; changed in place."""

    __slots__ = (
        "auto",
        "ceiling",
        "confirmed",
        "facts",
        "id",
        "last_at",
        "last_kind",
        "lodged",
        "responded",
        "resumes",
        "state",
        "tier",
        "until",
    )

    def __init__(self, id: str, facts: _Facts, lodged: int) -> None:
        self.id = id
        self.facts = facts
        self.state = State.OPEN
        self.tier = facts.tier
        self.ceiling = facts.ceiling
        self.lodged = lodged
        self.responded: int | None = None
        self.resumes: State | None = None
        self.confirmed = False
        self.auto: int | None = None  # PROC-4's deadline while awaiting information
        self.until: int | None = None  # PROC-6's reopen window while resolved
        self.last_at = lodged
        self.last_kind: type[Event] = Lodged


# -- the guards' twins: each says whether the reference guard of the same name allows ----------

Twin = Callable[["SupportPolicy", _Ticket, int], bool]


def _not_yet_acknowledged(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return t.responded is None


def _below_ceiling(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return t.tier < 3 and t.tier < t.ceiling


def _at_ceiling_reopens(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return policy.reopen_at_ceiling_on_rejection


def _before_auto_resolve(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return t.auto is None or at < t.auto


def _auto_resolve_reached(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return t.auto is not None and at == t.auto


def _within_reopen_window(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return t.until is None or at < t.until


def _reopen_window_over(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return t.until is not None and at == t.until


def _not_confirmed(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return _within_reopen_window(policy, t, at) and not t.confirmed


def _unknown_guard(policy: SupportPolicy, t: _Ticket, at: int) -> bool:
    return False  # a guard with no twin: let the reference path decide


TWINS: Final[dict[object, Twin]] = {
    lifecycle._not_yet_acknowledged: _not_yet_acknowledged,
    lifecycle._below_ceiling: _below_ceiling,
    lifecycle._at_ceiling_reopens: _at_ceiling_reopens,
    lifecycle._before_auto_resolve: _before_auto_resolve,
    lifecycle._auto_resolve_reached: _auto_resolve_reached,
    lifecycle._within_reopen_window: _within_reopen_window,
    lifecycle._reopen_window_over: _reopen_window_over,
    lifecycle._not_confirmed: _not_confirmed,
}
"""The reference guard each twin stands for."""


def _twins_of(guard: lifecycle.Guard | None) -> tuple[Twin, ...]:
    if guard is None:
        return ()
    if isinstance(guard, lifecycle._All):
        return tuple(twin for part in guard.parts for twin in _twins_of(part))
    return (TWINS.get(guard, _unknown_guard),)


Plan = dict[tuple[State, type[Event]], tuple[tuple[State | None, tuple[Twin, ...]], ...]]


def compile_table(rows: tuple[lifecycle.Transition, ...] = lifecycle.TRANSITIONS) -> Plan:
    """The transition table with each guard replaced by its twins, by (state, event)."""
    plan: Plan = {}
    for row in rows:
        step = (row.target, _twins_of(row.guard))
        plan[row.source, row.event] = (*plan.get((row.source, row.event), ()), step)
    return plan


_PLAN: Final = compile_table()


class _Facts:
    """What :func:`lifecycle.lodge` decided for one combination of a Lodged row's fields."""

    __slots__ = ("category", "ceiling", "clock", "priority", "target", "tier", "within")

    def __init__(self, policy: SupportPolicy, ticket: lifecycle.Ticket) -> None:
        self.priority = ticket.priority
        self.category = ticket.category
        self.tier = int(ticket.tier)
        self.ceiling = int(ticket.ceiling)
        self.target = policy.scope_row(ticket.category).coverage in policy.targets_apply_to
        target = policy.target_for(ticket.priority)
        self.clock = target.clock
        self.within = None if target.within is None else micros(target.within)


class FastReplay:
    """Replays the rows of one ticket after another under one policy, as of one instant.

    *lodged_event* is the reference reader of a Lodged row's fields: the first time a
    combination of priority, channel, tier and category is seen, the row is read by it and
    lodged by :func:`lifecycle.lodge`, and the answer (the facts, or a refusal) is kept.
    """

    def __init__(
        self,
        policy: SupportPolicy,
        as_of: int,
        lodged_event: Callable[[Sequence[str]], Event],
    ) -> None:
        self.policy = policy
        self.calendar = policy.calendar
        self.zone = policy.calendar.zone
        self.as_of = as_of
        self.lodged_event = lodged_event
        self.facts: dict[tuple[str, str, str, str], _Facts | None] = {}
        self.consistent: dict[tuple[str, int, timedelta], bool] = {}
        self.reopen_deadlines: dict[date, int] = {}  # by local date of resolution (PROC-6)
        self.next_day_dues: dict[tuple[Priority, date], int] = {}  # by local lodged date (SLA-4)

    # -- reading -------------------------------------------------------------------------

    def instant(self, text: str) -> int | None:
        """The instant of an RFC 9557 / ISO 8601 text, or ``None`` when the reader refuses it.

        The same checks as ``serialization.parse_datetime``; whether an offset agrees with the
        bracketed zone is remembered per zone, UTC hour and offset (the zone's offset is
        checked at both ends of the hour, and an hour with a change in it is not remembered).
        """
        iso, bracket, rest = text.strip().partition("[")
        if bracket and (not rest.endswith("]") or "[" in rest or "]" in iso):
            return None
        try:
            value = datetime.fromisoformat(iso)
        except ValueError:
            return None
        offset = value.utcoffset()
        if offset is None:
            return None
        x = round(value.timestamp() * MICROS_PER_SECOND)
        if not _FIRST <= x <= _LAST:
            return None  # outside the years a datetime can hold once in UTC
        if bracket:
            key = (rest[:-1], x // _HOUR, offset)
            agrees = self.consistent.get(key)
            if agrees is None:
                agrees = self._agrees(value, key)
            if not agrees:
                return None
        return x

    def _agrees(self, value: datetime, key: tuple[str, int, timedelta]) -> bool:
        name, hour, offset = key
        try:
            zone = ZoneInfo(name)
        except (ValueError, LookupError):
            return False
        start = hour * 3_600
        try:
            first = datetime.fromtimestamp(start, zone).utcoffset()
            last = datetime.fromtimestamp(start + 3_599, zone).utcoffset()
        except (OverflowError, ValueError, OSError):  # at the ends of what datetime holds
            return False
        if first != last:  # the zone changes offset within this hour: decide this value alone
            return value.astimezone(zone).utcoffset() == offset
        if len(self.consistent) > 100_000:
            self.consistent.clear()
        self.consistent[key] = first == offset
        return first == offset

    def _facts(self, values: Sequence[str]) -> _Facts | None:
        key = (values[3], values[4], values[5], values[6])
        try:
            return self.facts[key]
        except KeyError:
            pass
        try:
            event = self.lodged_event(values)
            assert isinstance(event, Lodged)
            facts: _Facts | None = _Facts(self.policy, lifecycle.lodge(self.policy, event))
        except WestcoastRulesError:
            facts = None
        self.facts[key] = facts
        return facts

    # -- replaying -----------------------------------------------------------------------

    def replay(self, rows: Sequence[Sequence[str] | None]) -> Outcome | Verdict:
        """The report row of one ticket's rows (``None`` marks an unreadable row).

        Each row is in the order of ``LOG_COLUMNS``. Returns :attr:`Verdict.GIVE_BACK` when the
        reference path must replay the ticket, :attr:`Verdict.NOT_YET` when it was lodged after the
        report's instant.
        """
        try:
            ticket = self._replay(rows)
            if isinstance(ticket, Verdict):
                return ticket
            return self._outcome(ticket)
        except WestcoastRulesError:
            return Verdict.GIVE_BACK

    def _replay(self, rows: Sequence[Sequence[str] | None]) -> _Ticket | Verdict:
        as_of = self.as_of
        t: _Ticket | None = None
        for values in rows:
            read = None if values is None else self._read(values)
            if read is None:
                return Verdict.GIVE_BACK
            kind, x, facts = read
            if x > as_of:
                continue  # not known yet as of the report
            if t is None and facts is not None:
                t = _Ticket(values[0], facts, x)  # type: ignore[index]
            elif t is None or not self._apply(t, kind, x):
                return Verdict.GIVE_BACK  # the first row must be Lodged (PROC-1)
        if t is None:
            return Verdict.NOT_YET
        if not self._advance(t, as_of) or t.state is State.AWAITING_INFO:
            return Verdict.GIVE_BACK  # awaiting: the next deadline may be a chase (PROC-3)
        return t

    def _apply(self, t: _Ticket, kind: type[Event], x: int) -> bool:
        """A row after the first: what time decided before it, then the event itself."""
        if kind is Lodged or not self._advance(t, x):
            return False
        if (kind is AutoResolved or kind is Closed) and t.last_kind is kind and t.last_at == x:
            return True  # already decided by time, as the log says
        return self._take(t, kind, x)

    def _read(self, values: Sequence[str]) -> tuple[type[Event], int, _Facts | None] | None:
        """A row's event, instant and (for Lodged) facts; ``None`` if the reader refuses it."""
        kind = _KINDS.get(values[1])
        x = self.instant(values[2]) if kind is not None and values[0] and values[2] else None
        if x is None or kind is None:
            return None
        if kind is Lodged:
            if values[7] or not values[0].strip():
                return None
            facts = self._facts(values)
            return None if facts is None else (kind, x, facts)
        if values[3] or values[4] or values[5] or values[6]:
            return None  # fields this event does not take
        if kind is UpdateTimeframeAgreed:
            return (kind, x, None) if self._valid_timeframe(values, x) else None
        return None if values[7] else (kind, x, None)

    def _valid_timeframe(self, values: Sequence[str], x: int) -> bool:
        try:
            UpdateTimeframeAgreed(from_micros(x, self.zone), parse_duration(values[7]))
        except WestcoastRulesError:
            return False
        return True

    def _advance(self, t: _Ticket, now: int) -> bool:
        """What time alone decides by *now*: auto-resolve (PROC-4), then close (PROC-6)."""
        while True:
            if t.auto is not None and t.auto <= now:
                if not self._take(t, AutoResolved, t.auto):
                    return False
            elif t.until is not None and t.until <= now:
                if not self._take(t, Closed, t.until):
                    return False
            else:
                return True

    def _take(self, t: _Ticket, kind: type[Event], x: int) -> bool:
        """Apply one event as ``lifecycle.apply`` would; ``False`` where it might refuse."""
        state = self._admit(t, kind, x)
        if state is None or not self._effects(t, kind, x, state):
            return False
        t.state = state
        t.last_at = x
        t.last_kind = kind
        return True

    def _admit(self, t: _Ticket, kind: type[Event], x: int) -> State | None:
        """The state *kind* leads to, by the first row of the table whose guards allow it."""
        if t.state is State.CLOSED or x < t.last_at:
            return None  # PROC-8: closed for good, and events come in time order
        policy = self.policy
        for target, twins in _PLAN.get((t.state, kind), ()):
            if all(twin(policy, t, x) for twin in twins):
                return target or t.resumes or State.OPEN
        return None

    def _effects(self, t: _Ticket, kind: type[Event], x: int, state: State) -> bool:
        """What the event changes, as ``lifecycle._effects`` has it; ``False`` if unknown."""
        if kind is Acknowledged:
            t.responded = x
        elif kind is InfoRequested:
            if t.state is not State.AWAITING_INFO:  # a chaser changes nothing (PROC-4)
                t.resumes = t.state
                at = from_micros(x, self.zone)
                t.auto = to_micros(lifecycle._auto_resolve_deadline(self.policy, at))
        elif kind is InfoReceived:
            t.resumes = t.auto = None
        elif kind is Escalated or (kind is ResolutionRejected and state is State.ESCALATED):
            t.tier += 1
            t.confirmed = False
            t.until = None
        elif kind is Resolved or kind is AutoResolved:
            t.confirmed = False
            t.resumes = t.auto = None
            t.until = self._reopen_deadline(x)
        elif kind is ResolutionConfirmed:
            t.confirmed = True
        elif kind is ResolutionRejected or kind is Reopened:
            t.confirmed = False
            t.until = None
        elif kind is Closed:
            t.until = None
        else:
            return kind is UpdateTimeframeAgreed  # another event: the reference path decides
        return True

    def _reopen_deadline(self, x: int) -> int:
        """PROC-6's deadline depends on the local date of resolution alone: remembered by it."""
        at = from_micros(x, self.zone)
        day = at.date()
        deadline = self.reopen_deadlines.get(day)
        if deadline is None:
            deadline = to_micros(lifecycle._reopen_deadline(self.policy, at))
            self.reopen_deadlines[day] = deadline
        return deadline

    # -- the report row ------------------------------------------------------------------

    def _due(self, facts: _Facts, lodged: int) -> int:
        """``policy.response_due`` on instants (SLA-2..4)."""
        if facts.clock is Clock.REAL_TIME:
            assert facts.within is not None
            return lodged + facts.within
        if facts.clock is Clock.BUSINESS_HOURS:
            assert facts.within is not None
            return self.calendar._add_micros(lodged, facts.within)
        # SLA-4: close of business after the local date of lodging, which alone decides it.
        at = from_micros(lodged, self.zone)
        key = (facts.priority, at.date())
        due = self.next_day_dues.get(key)
        if due is None:
            due = to_micros(self.policy.response_due(facts.priority, at))
            self.next_day_dues[key] = due
        return due

    def _outcome(self, t: _Ticket) -> Outcome:
        """The fields of ``report_row``, as ``policy.ticket_response_status`` and
        ``policy.deadlines`` decide them."""
        facts = t.facts
        as_of = self.as_of
        due = used = None
        upcoming: list[tuple[int, str]] = []
        if not facts.target:
            response = "no_target"  # SLA-6
        else:
            due = self._due(facts, t.lodged)
            responded = t.responded
            if responded is not None:  # SLA-1: met when responded by the due instant
                response = "met" if responded <= due else "breached"
                if facts.clock is Clock.REAL_TIME:
                    used = responded - t.lodged
                else:
                    used = self.calendar._elapsed_micros(t.lodged, responded)
            elif as_of > due:
                response = "breached"
            else:
                response = "pending"
                upcoming.append((due, "response"))
        if t.until is not None and t.until > as_of:
            upcoming.append((t.until, "reopen_window_ends"))
        next_at, next_kind = min(upcoming) if upcoming else (None, None)
        return (
            t.id,
            facts.priority.value,
            facts.category.value,
            t.lodged,
            due,
            t.responded,
            response,
            used,
            t.state.value,
            t.tier,
            next_at,
            next_kind,
        )
