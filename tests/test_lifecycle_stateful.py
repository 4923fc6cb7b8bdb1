"""A stateful Hypothesis machine: random event sequences against a plain model of the process.

The model is written from POLICY.md alone, with the slow oracle calendar for business days;
after every step the ticket must agree with it and the lifecycle's invariants must hold.
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
EVENTS = (
    wr.Acknowledged,
    wr.InfoRequested,
    wr.InfoReceived,
    wr.Escalated,
    wr.Resolved,
    wr.ResolutionConfirmed,
    wr.ResolutionRejected,
    wr.Reopened,
)


@attrs.define
class Model:
    """The incident process as POLICY.md states it, in plain Python."""

    state: wr.State
    tier: int
    ceiling: int
    resumes: wr.State | None = None
    awaiting_since: datetime | None = None
    resolved_at: datetime | None = None
    confirmed: bool = False
    responded: bool = False

    def auto_resolve_at(self) -> datetime | None:  # PROC-4
        if self.state is not S.AWAITING_INFO or self.awaiting_since is None:
            return None
        return SLOW.add_business_days(self.awaiting_since, 3)

    def reopen_until(self) -> datetime | None:  # PROC-6
        if self.state is not S.RESOLVED or self.resolved_at is None:
            return None
        day = self.resolved_at.astimezone(LONDON).date() + timedelta(days=6)
        return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)

    def waiting_expired(self, now: datetime) -> bool:
        due = self.auto_resolve_at()
        return due is not None and now >= due

    def window_closed(self, now: datetime) -> bool:
        until = self.reopen_until()
        return until is not None and now >= until

    def after(self, kind: type, now: datetime) -> Model | None:  # noqa: PLR0911, PLR0912
        """The model after an event of *kind* at *now*, or None when the rules refuse it."""
        new = attrs.evolve(self)
        s = self.state
        if s is S.CLOSED or self.waiting_expired(now) or self.window_closed(now):
            return None
        if kind is wr.Acknowledged:
            if self.responded or s is S.RESOLVED:
                return None
            new.responded = True
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
            else:
                new.state = S.REOPENED
            new.resolved_at = None
        elif kind is wr.Reopened:
            if s is not S.RESOLVED:
                return None
            new.state, new.resolved_at, new.confirmed = S.REOPENED, None, False
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
        self.ticket = POLICY.lodge(
            "WC-M", start, priority, channel, tier=wr.Tier(tier), category=category
        )
        self.model = Model(S.OPEN, tier, CEILING[category])
        self.highest_tier = tier

    @rule(step=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4)))
    def time_passes(self, step: timedelta) -> None:
        self.now += step

    @rule(kind=st.sampled_from(EVENTS))
    def event(self, kind: type) -> None:
        expected = self.model.after(kind, self.now)
        try:
            ticket = POLICY.apply(self.ticket, kind(self.now))
        except wr.TransitionError as refused:
            assert expected is None, f"{kind.__name__} refused but allowed by the model: {refused}"
            assert refused.rule is None or refused.rule in wr.RULES
            return
        assert expected is not None, f"{kind.__name__} allowed in {self.model}"
        self.ticket, self.model = ticket, expected

    @rule()
    def advance(self) -> None:
        self.ticket = POLICY.advance(self.ticket, self.now)
        self.model = self.model.advanced(self.now)

    @invariant()
    def agrees_with_the_model(self) -> None:
        assert (self.model.state, self.model.tier) == (self.ticket.state, int(self.ticket.tier))
        assert self.model.confirmed == self.ticket.confirmed
        assert self.model.resumes == self.ticket.resumes

    @invariant()
    def replay_rebuilds_the_ticket(self) -> None:
        assert self.ticket == POLICY.replay(self.ticket.history)

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
                    POLICY.apply(self.ticket, kind(self.now))
                except wr.TransitionError as refused:
                    assert "PROC-8" == refused.rule
                else:
                    raise AssertionError(f"a CLOSED ticket accepted {kind.__name__}")
            assert self.ticket.survey_due  # PROC-7

    @invariant()
    def advance_is_idempotent_and_composes(self) -> None:
        once = POLICY.advance(self.ticket, self.now)
        assert once == POLICY.advance(once, self.now)
        later = self.now + timedelta(days=7)
        assert POLICY.advance(once, later) == POLICY.advance(self.ticket, later)

    @invariant()
    def no_deadline_is_earlier_than_what_started_it(self) -> None:
        d = POLICY.deadlines(self.ticket)
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


Lifecycle.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_lifecycle_against_a_plain_model = Lifecycle.TestCase
