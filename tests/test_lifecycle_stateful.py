"""A stateful Hypothesis machine: random event sequences against a plain model of the process.

The model is written from POLICY.md alone, with the slow oracle calendar for business days;
after every step the ticket must agree with it and the lifecycle's invariants must hold. It runs
under Westcoast's policy and under a second one with other readings of the same rules (more
business days before auto-resolving, a shorter reopen window, no reopening at the ceiling, and
only an acknowledgement as the response, SLA-1).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import westcoast_rules as wr
from tests.oracle import SlowCalendar

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
OTHER = attrs.evolve(
    wr.WESTCOAST,
    version="other readings",
    auto_resolve_after_business_days=5,
    reopen_window_days=2,
    reopen_at_ceiling_on_rejection=False,
    response_events=frozenset({wr.Acknowledged}),
)
SLOW = SlowCalendar()
S = wr.State
CEILING = {
    wr.Category.SERVICE: 3,
    wr.Category.MIGRATION: 3,
    wr.Category.DNS: 3,
    wr.Category.VISUAL_STUDIO: 2,
    wr.Category.PARTNER_CENTRE: 1,
}
WORKING = (S.OPEN, S.ESCALATED, S.REOPENED)
EVENTS = tuple(
    kind
    for kind in wr.EVENT_TYPES
    if kind not in (wr.Lodged, wr.UpdateTimeframeAgreed, wr.AutoResolved, wr.Closed)
)
"""The events a step applies at an instant alone: lodging starts the machine, a timeframe has
its own rule, and time decides the other two (advance)."""
UNRESOLVED = (*WORKING, S.AWAITING_INFO)


@attrs.define
class Model:
    """The incident process as POLICY.md states it, in plain Python."""

    policy: wr.SupportPolicy
    state: wr.State
    tier: int
    ceiling: int
    resumes: wr.State | None = None
    awaiting_since: datetime | None = None
    resolved_at: datetime | None = None
    confirmed: bool = False
    acknowledged: bool = False
    responded_at: datetime | None = None
    update_every: timedelta | None = None

    def auto_resolve_at(self) -> datetime | None:  # PROC-4
        if self.state is not S.AWAITING_INFO or self.awaiting_since is None:
            return None
        return SLOW.add_business_days(
            self.awaiting_since, self.policy.auto_resolve_after_business_days
        )

    def reopen_until(self) -> datetime | None:  # PROC-6
        if self.state is not S.RESOLVED or self.resolved_at is None:
            return None
        days = self.policy.reopen_window_days + 1
        day = self.resolved_at.astimezone(LONDON).date() + timedelta(days=days)
        return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)

    def contact(self, kind: type, now: datetime) -> None:  # SLA-1: the first contact
        if self.responded_at is None and kind in self.policy.response_events:
            self.responded_at = now

    def waiting_expired(self, now: datetime) -> bool:
        due = self.auto_resolve_at()
        return due is not None and now >= due

    def window_closed(self, now: datetime) -> bool:
        until = self.reopen_until()
        return until is not None and now >= until

    def after(  # noqa: PLR0911, PLR0912
        self, kind: type, now: datetime, every: timedelta | None = None
    ) -> Model | None:
        """The model after an event of *kind* at *now*, or None when the rules refuse it."""
        new = attrs.evolve(self)
        s = self.state
        if s is S.CLOSED or self.waiting_expired(now) or self.window_closed(now):
            return None
        if kind is wr.Acknowledged:
            if self.acknowledged or s not in UNRESOLVED:
                return None
            new.acknowledged = True
        elif kind is wr.UpdateTimeframeAgreed:
            if s not in UNRESOLVED:
                return None
            new.update_every = every
        elif kind is wr.InfoRequested:
            if s in WORKING:
                new.state, new.resumes, new.awaiting_since = S.AWAITING_INFO, s, now
            elif s is not S.AWAITING_INFO:
                return None
        elif kind is wr.InfoReceived:
            if s is not S.AWAITING_INFO:
                return None
            assert self.resumes is not None
            new.state, new.resumes, new.awaiting_since = self.resumes, None, None
        elif kind is wr.Escalated:
            if s not in WORKING or self.tier >= self.ceiling:
                return None
            new.state, new.tier = S.ESCALATED, self.tier + 1
        elif kind is wr.Resolved:
            if s not in (*WORKING, S.AWAITING_INFO):
                return None
            new.state, new.resolved_at, new.confirmed = S.RESOLVED, now, False
            new.resumes = new.awaiting_since = None
        elif kind is wr.ResolutionConfirmed:
            if s is not S.RESOLVED or self.confirmed:
                return None
            new.confirmed = True
        elif kind is wr.ResolutionRejected:
            if s is not S.RESOLVED or self.confirmed:
                return None
            if self.tier < self.ceiling:  # ESC-5: escalate, or reopen at the ceiling
                new.state, new.tier = S.ESCALATED, self.tier + 1
            elif self.policy.reopen_at_ceiling_on_rejection:
                new.state = S.REOPENED
            else:
                return None
            new.resolved_at = None
        elif kind is wr.Reopened:
            if s is not S.RESOLVED:
                return None
            new.state, new.resolved_at, new.confirmed = S.REOPENED, None, False
        new.contact(kind, now)
        return new

    def advanced(self, now: datetime) -> Model:
        new = attrs.evolve(self)
        due = new.auto_resolve_at()
        if due is not None and now >= due:
            new.state, new.resolved_at, new.confirmed = S.RESOLVED, due, False
            new.resumes = new.awaiting_since = None
        until = new.reopen_until()
        if until is not None and now >= until:
            new.state = S.CLOSED
        return new


class Lifecycle(RuleBasedStateMachine):
    policy = POLICY

    def __init__(self) -> None:
        super().__init__()
        self.now = datetime(2026, 1, 1, tzinfo=UTC)
        self.ticket: wr.Ticket
        self.model: Model
        self.highest_tier = 1

    @initialize(
        start=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1), timezones=st.just(LONDON)),
        priority=st.sampled_from(wr.Priority),
        category=st.sampled_from(list(CEILING)),
        start_at_tier_2=st.booleans(),
    )
    def lodge(
        self, start: datetime, priority: wr.Priority, category: wr.Category, start_at_tier_2: bool
    ) -> None:
        if category is wr.Category.MIGRATION and priority is wr.Priority.P1:
            priority = wr.Priority.P2
        tier = 2 if priority is wr.Priority.P1 and start_at_tier_2 and CEILING[category] > 1 else 1
        channel = wr.Channel.PHONE if priority is wr.Priority.P1 else wr.Channel.EMAIL
        self.now = start.astimezone(UTC)
        self.ticket = self.policy.lodge(
            "WC-M", start, priority, channel, tier=wr.Tier(tier), category=category
        )
        self.model = Model(self.policy, S.OPEN, tier, CEILING[category])
        self.highest_tier = tier

    @rule(step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4)))
    def time_passes(self, step: timedelta) -> None:
        self.now += step

    @rule(kind=st.sampled_from(EVENTS))
    def event(self, kind: type) -> None:
        self._take(kind(self.now), self.model.after(kind, self.now))

    @rule(every=st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=5)))
    def agree_a_timeframe(self, every: timedelta) -> None:  # PROC-3
        event = wr.UpdateTimeframeAgreed(self.now, every)
        self._take(event, self.model.after(wr.UpdateTimeframeAgreed, self.now, every))

    def _take(self, event: wr.Event, expected: Model | None) -> None:
        name = type(event).__name__
        try:
            ticket = self.policy.apply(self.ticket, event)
        except wr.TransitionError as refused:
            assert expected is None, f"{name} refused but allowed by the model: {refused}"
            assert refused.rule is None or refused.rule in wr.RULES
            return
        assert expected is not None, f"{name} allowed in {self.model}"
        self.ticket, self.model = ticket, expected

    @rule()
    def advance(self) -> None:
        self.ticket = self.policy.advance(self.ticket, self.now)
        self.model = self.model.advanced(self.now)

    @invariant()
    def agrees_with_the_model(self) -> None:
        assert (self.model.state, self.model.tier) == (self.ticket.state, int(self.ticket.tier))
        assert self.model.confirmed == self.ticket.confirmed
        assert self.model.resumes == self.ticket.resumes
        assert self.model.update_every == self.ticket.update_every
        # SLA-1: the first contact; compared as instants (PEP 495: in the repeated autumn hour,
        # two zones' datetimes never compare equal)
        responded = self.ticket.responded_at
        assert self.model.responded_at == (None if responded is None else responded.astimezone(UTC))

    @invariant()
    def the_time_to_respond_never_grows_after_resolution(self) -> None:
        """SLA-1: with the resolution among the responses, a resolved ticket has responded."""
        t = self.ticket
        if wr.Resolved in self.policy.response_events and t.state in (S.RESOLVED, S.CLOSED):
            status = self.policy.ticket_response_status(t, self.now)
            later = self.policy.ticket_response_status(t, self.now + timedelta(days=40))
            if status is not None:
                assert t.responded_at is not None
                assert status.state == later.state

    @invariant()
    def replay_rebuilds_the_ticket(self) -> None:
        assert self.ticket == self.policy.replay(self.ticket.history)

    @invariant()
    def history_is_in_time_order(self) -> None:
        instants = [e.at.astimezone(UTC) for e in self.ticket.history]
        assert instants == sorted(instants)

    @invariant()
    def the_tier_never_falls_and_never_passes_its_ceiling(self) -> None:
        assert self.highest_tier <= self.ticket.tier <= self.ticket.ceiling
        self.highest_tier = int(self.ticket.tier)

    @invariant()
    def closed_absorbs_everything(self) -> None:
        if self.ticket.state is S.CLOSED:
            for kind in EVENTS:
                try:
                    self.policy.apply(self.ticket, kind(self.now))
                except wr.TransitionError as refused:
                    assert "PROC-8" == refused.rule
                else:
                    raise AssertionError(f"a CLOSED ticket accepted {kind.__name__}")
            assert self.ticket.survey_due  # PROC-7

    @invariant()
    def advance_is_idempotent_and_composes(self) -> None:
        once = self.policy.advance(self.ticket, self.now)
        assert once == self.policy.advance(once, self.now)
        later = self.now + timedelta(days=7)
        assert self.policy.advance(once, later) == self.policy.advance(self.ticket, later)

    @invariant()
    def no_deadline_is_earlier_than_what_started_it(self) -> None:
        d = self.policy.deadlines(self.ticket)
        t = self.ticket
        if d.response_due is not None:
            assert d.response_due >= t.lodged_at
        if d.auto_resolve_at is not None:
            assert t.awaiting_since is not None
            assert d.auto_resolve_at > t.awaiting_since
            assert d.auto_resolve_at.astimezone(UTC) == self.model.auto_resolve_at()
        if d.next_chase is not None:
            assert t.awaiting_since is not None
            assert d.next_chase > t.awaiting_since
        if d.reopen_until is not None:
            assert t.resolved_at is not None
            assert d.reopen_until > t.resolved_at
            assert d.reopen_until.astimezone(UTC) == self.model.reopen_until()


class OtherReadings(Lifecycle):
    """The same rules under a second policy's readings of them."""

    policy = OTHER


Lifecycle.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
OtherReadings.TestCase.settings = Lifecycle.TestCase.settings
test_lifecycle_against_a_plain_model = Lifecycle.TestCase
test_lifecycle_under_other_readings = OtherReadings.TestCase
