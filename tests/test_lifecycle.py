"""The ticket lifecycle on real dates: escalation, information, resolution, reopen, close."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules import batch
from westcoast_rules.events import event_at

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
S = wr.State
H = timedelta(hours=1)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


MONDAY_9AM = london(2026, 11, 23, 9, 0)


def p2(at: datetime = MONDAY_9AM, **kwargs: object) -> wr.Ticket:
    return POLICY.lodge("WC-1", at, wr.Priority.P2, wr.Channel.EMAIL, **kwargs)  # type: ignore[arg-type]


def run(ticket: wr.Ticket, *events: wr.Event) -> wr.Ticket:
    for event in events:
        ticket = POLICY.apply(ticket, event)
    return ticket


# -- PROC-1, ESC-3, PRIO-4, PRIO-5: lodging -------------------------------------------------


def test_proc_1_a_ticket_starts_open_at_tier_1_with_its_lodging_as_history() -> None:
    t = p2()
    assert (S.OPEN, wr.Tier.TIER_1) == (t.state, t.tier)
    assert (wr.Lodged("WC-1", london(2026, 11, 23, 9), wr.Priority.P2, wr.Channel.EMAIL),) == (
        t.history
    )
    assert london(2026, 11, 23, 13, 0) == POLICY.deadlines(t).response_due


def test_esc_3_only_a_p1_may_start_at_tier_2() -> None:
    t = POLICY.lodge(
        "WC-2", london(2026, 11, 23, 9), wr.Priority.P1, wr.Channel.PHONE, tier=wr.Tier.TIER_2
    )
    assert wr.Tier.TIER_2 == t.tier
    with pytest.raises(wr.TransitionError, match=r"ESC-3") as refused:
        p2(tier=wr.Tier.TIER_2)
    assert "ESC-3" == refused.value.rule
    with pytest.raises(wr.TransitionError, match=r"ESC-3"):
        POLICY.lodge(
            "WC-3", london(2026, 11, 23, 9), wr.Priority.P1, wr.Channel.PHONE, tier=wr.Tier.TIER_3
        )


def test_prio_4_and_prio_5_lodge_refuses_what_the_rules_forbid() -> None:
    with pytest.raises(wr.TransitionError, match=r"phone only.*PRIO-4"):
        POLICY.lodge("WC-4", london(2026, 11, 23, 9), wr.Priority.P1, wr.Channel.EMAIL)
    with pytest.raises(wr.TransitionError, match=r"PRIO-5"):
        POLICY.lodge(
            "WC-5",
            london(2026, 11, 23, 9),
            wr.Priority.P1,
            wr.Channel.PHONE,
            category=wr.Category.MIGRATION,
        )


# -- ESC-1, ESC-2, ESC-4: one tier at a time, up to the ceiling --------------------------------


def test_esc_1_2_escalation_climbs_one_tier_at_a_time_to_tier_3() -> None:
    assert [1, 2, 3] == [int(t) for t in wr.Tier]
    t = run(p2(), wr.Escalated(london(2026, 11, 23, 10)))
    assert (S.ESCALATED, wr.Tier.TIER_2) == (t.state, t.tier)
    t = run(t, wr.Escalated(london(2026, 11, 23, 11)))
    assert wr.Tier.TIER_3 == t.tier
    with pytest.raises(wr.TransitionError, match="Tier 3 is the top") as refused:
        run(t, wr.Escalated(london(2026, 11, 23, 12)))
    assert "ESC-2" == refused.value.rule


def test_esc_4_visual_studio_stops_at_tier_2_and_partner_centre_at_tier_1() -> None:
    vs = run(p2(category=wr.Category.VISUAL_STUDIO), wr.Escalated(london(2026, 11, 23, 10)))
    assert wr.Tier.TIER_2 == vs.tier
    with pytest.raises(wr.TransitionError, match=r"beyond Tier 2 \(ESC-4\)") as refused:
        run(vs, wr.Escalated(london(2026, 11, 23, 11)))
    assert "ESC-4" == refused.value.rule
    pc = p2(category=wr.Category.PARTNER_CENTRE)
    with pytest.raises(wr.TransitionError, match=r"beyond Tier 1 \(ESC-4\)"):
        run(pc, wr.Escalated(london(2026, 11, 23, 10)))
    assert POLICY.deadlines(pc).response_due is None  # SLA-6


# -- ESC-5: a rejected resolution --------------------------------------------------------------


def test_esc_5_a_rejected_resolution_escalates_to_the_next_tier() -> None:
    t = run(
        p2(), wr.Resolved(london(2026, 11, 23, 12)), wr.ResolutionRejected(london(2026, 11, 24, 9))
    )
    assert (S.ESCALATED, wr.Tier.TIER_2, None) == (t.state, t.tier, t.resolved_at)


def test_esc_5_at_the_ceiling_a_rejected_resolution_reopens_at_the_same_tier() -> None:
    vs = run(
        p2(category=wr.Category.VISUAL_STUDIO),
        wr.Escalated(london(2026, 11, 23, 10)),
        wr.Resolved(london(2026, 11, 23, 12)),
        wr.ResolutionRejected(london(2026, 11, 24, 9)),
    )
    assert (S.REOPENED, wr.Tier.TIER_2) == (vs.state, vs.tier)
    strict = attrs.evolve(POLICY, reopen_at_ceiling_on_rejection=False)
    resolved = run(p2(category=wr.Category.PARTNER_CENTRE), wr.Resolved(london(2026, 11, 23, 12)))
    with pytest.raises(wr.TransitionError, match="ESC-5"):
        strict.apply(resolved, wr.ResolutionRejected(london(2026, 11, 24, 9)))


# -- PROC-2, PROC-3: awaiting information --------------------------------------------------------


@pytest.mark.parametrize(
    "setup",
    [
        (),
        (wr.Escalated(london(2026, 11, 23, 9, 30)),),
        (wr.Resolved(london(2026, 11, 23, 9, 30)), wr.Reopened(london(2026, 11, 23, 9, 45))),
    ],
)
def test_proc_2_awaiting_information_returns_to_the_state_it_came_from(
    setup: tuple[wr.Event, ...],
) -> None:
    before = run(p2(), *setup)
    waiting = run(before, wr.InfoRequested(london(2026, 11, 23, 10)))
    assert (S.AWAITING_INFO, before.state) == (waiting.state, waiting.resumes)
    back = run(waiting, wr.InfoReceived(london(2026, 11, 23, 11)))
    assert before.state == back.state
    assert (None, None) == (back.resumes, back.awaiting_since)


def test_proc_3_information_is_chased_every_business_day_at_the_same_time() -> None:
    t = run(p2(london(2026, 12, 23, 9)), wr.InfoRequested(london(2026, 12, 23, 15, 0)))
    assert london(2026, 12, 24, 15, 0) == POLICY.deadlines(t).next_chase
    assert (
        london(2026, 12, 29, 15, 0) == POLICY.deadlines(t, now=london(2026, 12, 24, 15)).next_chase
    )
    # The third business day is the auto-resolve, not a chase.
    assert POLICY.deadlines(t, now=london(2026, 12, 29, 16)).next_chase is None


def test_proc_3_an_agreed_timeframe_replaces_the_daily_chase() -> None:
    t = run(
        p2(london(2026, 11, 23, 9)),
        wr.UpdateTimeframeAgreed(london(2026, 11, 23, 9, 30), every=timedelta(hours=4)),
        wr.InfoRequested(london(2026, 11, 23, 10)),
    )
    assert london(2026, 11, 23, 14) == POLICY.deadlines(t).next_chase
    assert london(2026, 11, 23, 18) == POLICY.deadlines(t, now=london(2026, 11, 23, 14)).next_chase


# -- PROC-4: auto-resolve after 3 business days --------------------------------------------------


def test_proc_4_auto_resolve_across_christmas_2026() -> None:
    """Requested Wed 23 Dec 15:00: business days 24th, 29th, 30th -> resolved Wed 30 Dec 15:00."""
    t = run(p2(london(2026, 12, 23, 9)), wr.InfoRequested(london(2026, 12, 23, 15)))
    assert london(2026, 12, 30, 15) == POLICY.deadlines(t).auto_resolve_at
    chased = run(t, wr.InfoRequested(london(2026, 12, 29, 15)))  # a chaser does not restart it
    assert london(2026, 12, 30, 15) == POLICY.deadlines(chased).auto_resolve_at
    assert S.AWAITING_INFO == POLICY.advance(t, london(2026, 12, 30, 14, 59)).state
    resolved = POLICY.advance(t, london(2026, 12, 30, 15))
    assert S.RESOLVED == resolved.state
    assert wr.AutoResolved(london(2026, 12, 30, 15)) == resolved.history[-1]
    with pytest.raises(wr.TransitionError, match="auto-resolved") as refused:
        run(t, wr.InfoReceived(london(2026, 12, 30, 15)))
    assert "PROC-4" == refused.value.rule
    with pytest.raises(wr.TransitionError, match="PROC-4"):
        run(t, wr.AutoResolved(london(2026, 12, 30, 14)))


def test_proc_4_the_auto_resolved_ticket_then_closes_like_any_other() -> None:
    t = run(p2(london(2026, 12, 23, 9)), wr.InfoRequested(london(2026, 12, 23, 15)))
    closed = POLICY.advance(t, london(2027, 1, 10))
    assert S.CLOSED == closed.state
    assert [wr.AutoResolved, wr.Closed] == [type(e) for e in closed.history[-2:]]
    assert london(2027, 1, 5, 0, 0) == closed.closed_at


# -- PROC-5, PROC-6, PROC-7, PROC-8 ----------------------------------------------------------------


def test_proc_5_the_reseller_confirms_a_resolution_once() -> None:
    t = run(
        p2(),
        wr.Resolved(london(2026, 11, 23, 12)),
        wr.ResolutionConfirmed(london(2026, 11, 23, 13)),
    )
    assert (S.RESOLVED, True) == (t.state, t.confirmed)
    with pytest.raises(wr.TransitionError, match="already confirmed"):
        run(t, wr.ResolutionConfirmed(london(2026, 11, 23, 14)))
    assert S.REOPENED == run(t, wr.Reopened(london(2026, 11, 24, 9))).state


def test_proc_6_the_reopen_window_ends_at_local_midnight_after_the_dst_change() -> None:
    """Resolved Tue 20 Oct 2026 (BST); the 5th day is Sun 25 Oct, when clocks go back."""
    t = run(p2(london(2026, 10, 20, 9)), wr.Resolved(london(2026, 10, 20, 14)))
    until = POLICY.deadlines(t).reopen_until
    assert london(2026, 10, 26, 0, 0) == until
    assert until is not None
    assert timedelta(0) == until.utcoffset()  # GMT by then
    assert S.REOPENED == run(t, wr.Reopened(london(2026, 10, 25, 23, 59))).state
    with pytest.raises(wr.TransitionError, match=r"reopen window closed on .*lodge a new incident"):
        run(t, wr.Reopened(london(2026, 10, 26, 0, 0)))
    closed = POLICY.advance(t, london(2026, 10, 26, 0, 0))
    assert (S.CLOSED, london(2026, 10, 26)) == (closed.state, closed.closed_at)


def test_proc_6_each_new_resolution_starts_a_new_window() -> None:
    t = run(
        p2(london(2026, 11, 2, 9)),
        wr.Resolved(london(2026, 11, 2, 12)),
        wr.Reopened(london(2026, 11, 6, 9)),
        wr.Resolved(london(2026, 11, 9, 10)),
    )
    assert london(2026, 11, 15, 0, 0) == POLICY.deadlines(t).reopen_until


def test_proc_7_a_closed_ticket_is_due_a_satisfaction_survey() -> None:
    t = run(p2(), wr.Resolved(london(2026, 11, 23, 12)))
    assert not t.survey_due
    closed = POLICY.advance(t, london(2026, 12, 1))
    assert closed.survey_due
    assert london(2026, 11, 29, 0, 0) == POLICY.deadlines(closed).survey_due_at


def test_proc_8_a_closed_ticket_accepts_nothing_and_says_a_new_incident_is_needed() -> None:
    closed = POLICY.advance(run(p2(), wr.Resolved(london(2026, 11, 23, 12))), london(2026, 12, 1))
    for event in (wr.Reopened(london(2026, 12, 2)), wr.Acknowledged(london(2026, 12, 2))):
        with pytest.raises(wr.TransitionError, match="new incident") as refused:
            POLICY.apply(closed, event)
        assert ("PROC-8", S.CLOSED) == (refused.value.rule, refused.value.state)


def test_proc_8_events_out_of_time_order_are_refused() -> None:
    t = run(p2(), wr.Escalated(london(2026, 11, 23, 12)))
    with pytest.raises(wr.TransitionError, match="time order") as refused:
        run(t, wr.Resolved(london(2026, 11, 23, 11)))
    assert "PROC-8" == refused.value.rule
    assert S.RESOLVED == run(t, wr.Resolved(london(2026, 11, 23, 12))).state  # same instant: fine


def test_events_not_allowed_in_a_state_say_what_is() -> None:
    t = run(p2(), wr.InfoRequested(london(2026, 11, 23, 10)))
    with pytest.raises(wr.TransitionError, match=r"allowed here: .*InfoReceived"):
        run(t, wr.Escalated(london(2026, 11, 23, 11)))
    with pytest.raises(wr.TransitionError, match="lodged once"):
        run(t, wr.Lodged("WC-1", london(2026, 11, 23, 11), wr.Priority.P2, wr.Channel.EMAIL))


# -- SLA-1, SLA-5 on a ticket ------------------------------------------------------------------


def test_sla_1_the_response_travels_with_the_ticket() -> None:
    t = p2(london(2026, 11, 20, 17))
    late = run(t, wr.Acknowledged(london(2026, 11, 23, 11, 0, 1)))
    status = POLICY.ticket_response_status(late, london(2026, 11, 24))
    assert status is not None
    assert wr.ResponseState.BREACHED == status.state
    on_time = run(t, wr.Acknowledged(london(2026, 11, 23, 11)))
    assert (
        wr.ResponseState.MET == POLICY.ticket_response_status(on_time, london(2026, 11, 24)).state
    )  # type: ignore[union-attr]
    with pytest.raises(wr.TransitionError, match="SLA-1"):
        run(on_time, wr.Acknowledged(london(2026, 11, 23, 12)))


def test_sla_5_deadlines_never_include_a_resolution_deadline() -> None:
    assert {"response_due", "next_chase", "auto_resolve_at", "reopen_until", "survey_due_at"} == {
        f.name for f in attrs.fields(wr.Deadlines)
    }


# -- replay, the table, the diagram ------------------------------------------------------------


def test_replay_of_a_history_is_the_ticket() -> None:
    t = run(
        p2(),
        wr.Acknowledged(london(2026, 11, 23, 9, 30)),
        wr.InfoRequested(london(2026, 11, 23, 10)),
        wr.InfoReceived(london(2026, 11, 24, 10)),
        wr.Escalated(london(2026, 11, 24, 11)),
        wr.Resolved(london(2026, 11, 25, 11)),
    )
    assert t == POLICY.replay(t.history)
    with pytest.raises(wr.TransitionError, match="PROC-1"):
        POLICY.replay(t.history[1:])
    with pytest.raises(wr.TransitionError, match="PROC-1"):
        POLICY.replay([])


def test_the_transition_table_names_a_rule_on_every_row_and_the_diagram_draws_it() -> None:
    assert all(row.rule in wr.RULES for row in wr.TRANSITIONS)
    diagram = wr.mermaid()
    for state in wr.State:
        assert state.name in diagram
    assert "RESOLVED --> CLOSED: Closed (PROC-6)" in diagram
    assert "AWAITING_INFO --> ESCALATED: InfoReceived (PROC-2)" in diagram


def test_naive_instants_on_events_are_refused() -> None:
    with pytest.raises(wr.NaiveDatetimeError):
        wr.Resolved(datetime(2026, 11, 23, 12))
    with pytest.raises(wr.WrongTypeError):
        wr.Lodged("", london(2026, 11, 23, 12), wr.Priority.P2, wr.Channel.EMAIL)
    with pytest.raises(wr.PolicyError, match="positive"):
        wr.UpdateTimeframeAgreed(london(2026, 11, 23, 12), every=timedelta(0))


# -- every refusal names its rule, the state and the event -----------------------------------


def _resolved() -> wr.Ticket:
    return run(p2(), wr.Resolved(london(2026, 11, 23, 10)))


def _awaiting() -> wr.Ticket:
    return run(p2(), wr.InfoRequested(london(2026, 11, 23, 10)))


REFUSALS = [
    # (what to try, rule, state, event)
    (
        lambda: run(p2(), wr.Lodged("WC-1", MONDAY_9AM, wr.Priority.P2, wr.Channel.EMAIL)),
        "PROC-1",
        S.OPEN,
        "Lodged",
    ),
    (
        lambda: run(
            POLICY.advance(_resolved(), london(2026, 12, 1)), wr.Reopened(london(2026, 12, 2))
        ),
        "PROC-8",
        S.CLOSED,
        "Reopened",
    ),
    (lambda: run(p2(), wr.Resolved(london(2026, 11, 23, 8))), "PROC-8", S.OPEN, "Resolved"),
    (lambda: run(p2(), wr.InfoReceived(london(2026, 11, 23, 10))), None, S.OPEN, "InfoReceived"),
    (
        lambda: run(
            p2(),
            wr.Acknowledged(london(2026, 11, 23, 10)),
            wr.Acknowledged(london(2026, 11, 23, 11)),
        ),
        "SLA-1",
        S.OPEN,
        "Acknowledged",
    ),
    (
        lambda: run(p2(), *(wr.Escalated(london(2026, 11, 23, 10 + i)) for i in range(3))),
        "ESC-2",
        S.ESCALATED,
        "Escalated",
    ),
    (
        lambda: run(
            p2(category=wr.Category.VISUAL_STUDIO),
            wr.Escalated(london(2026, 11, 23, 10)),
            wr.Escalated(london(2026, 11, 23, 11)),
        ),
        "ESC-4",
        S.ESCALATED,
        "Escalated",
    ),
    (
        lambda: attrs.evolve(POLICY, reopen_at_ceiling_on_rejection=False).apply(
            POLICY.apply(
                p2(category=wr.Category.PARTNER_CENTRE), wr.Resolved(london(2026, 11, 23, 10))
            ),
            wr.ResolutionRejected(london(2026, 11, 23, 11)),
        ),
        "ESC-5",
        S.RESOLVED,
        "ResolutionRejected",
    ),
    (
        lambda: run(_awaiting(), wr.Resolved(london(2026, 11, 27, 9))),
        "PROC-4",
        S.AWAITING_INFO,
        "Resolved",
    ),
    (
        lambda: run(_awaiting(), wr.AutoResolved(london(2026, 11, 25, 9))),
        "PROC-4",
        S.AWAITING_INFO,
        "AutoResolved",
    ),
    (lambda: run(_resolved(), wr.Reopened(london(2026, 11, 29))), "PROC-6", S.RESOLVED, "Reopened"),
    (lambda: run(_resolved(), wr.Closed(london(2026, 11, 28))), "PROC-6", S.RESOLVED, "Closed"),
    (
        lambda: run(
            _resolved(),
            wr.ResolutionConfirmed(london(2026, 11, 23, 11)),
            wr.ResolutionConfirmed(london(2026, 11, 23, 12)),
        ),
        "PROC-5",
        S.RESOLVED,
        "ResolutionConfirmed",
    ),
    (
        lambda: POLICY.lodge("WC-4", MONDAY_9AM, wr.Priority.P1, wr.Channel.EMAIL),
        "PRIO-4",
        None,
        "Lodged",
    ),
    (
        lambda: POLICY.lodge(
            "WC-5", MONDAY_9AM, wr.Priority.P1, wr.Channel.PHONE, category=wr.Category.MIGRATION
        ),
        "PRIO-5",
        None,
        "Lodged",
    ),
    (lambda: p2(tier=wr.Tier.TIER_2), "ESC-3", None, "Lodged"),
    (
        lambda: POLICY.lodge(
            "WC-6",
            MONDAY_9AM,
            wr.Priority.P1,
            wr.Channel.PHONE,
            tier=wr.Tier.TIER_2,
            category=wr.Category.PARTNER_CENTRE,
        ),
        "ESC-4",
        None,
        "Lodged",
    ),
    (lambda: POLICY.replay([wr.Resolved(MONDAY_9AM)]), "PROC-1", None, "Resolved"),
]


@pytest.mark.parametrize(("attempt", "rule", "state", "event"), REFUSALS)
def test_every_refusal_names_its_rule_state_and_event(
    attempt: object, rule: str | None, state: wr.State | None, event: str
) -> None:
    with pytest.raises(wr.TransitionError) as refused:
        attempt()  # type: ignore[operator]
    error = refused.value
    assert (rule, state, event) == (error.rule, error.state, error.event)
    if rule is not None:
        assert f"({rule}" in str(error) or rule in str(error)


# -- the words of each refusal, and the edges of PROC-3's chase ------------------------------


def test_the_transition_table_reaches_every_state_and_closed_is_final() -> None:
    """PROC-1..8 as a table: from OPEN every state is reachable, CLOSED has no way out
    (PROC-8), every event type has a row, and no other state is a trap."""
    rows = wr.TRANSITIONS
    reachable = {S.OPEN}
    while True:
        # A relative target (the same state, or the one resumed) leads to one already reached.
        ways = [row for row in rows if reachable & set(row.sources)]
        more = {row.target if isinstance(row.target, S) else S.OPEN for row in ways} - reachable
        if not more:
            break
        reachable |= more
    assert set(S) == reachable
    assert not [row for row in rows if S.CLOSED in row.sources]
    assert set(wr.EVENT_TYPES) == {row.event for row in rows} | {wr.Lodged}
    assert set(S) - {S.CLOSED} == {source for row in rows for source in row.sources}


def test_proc_8_an_event_out_of_order_names_both_events_and_their_london_times() -> None:
    t = run(p2(), wr.Escalated(london(2026, 11, 23, 12)))
    with pytest.raises(wr.TransitionError) as refused:
        run(t, wr.Resolved(london(2026, 11, 23, 11)))
    assert (
        "Resolved at 2026-11-23T11:00:00+00:00 is earlier than the ticket's last event, "
        "Escalated at 2026-11-23T12:00:00+00:00: events must be in time order (PROC-8)"
    ) == str(refused.value)


def test_proc_6_a_confirmation_after_the_reopen_window_is_refused() -> None:
    t = run(p2(), wr.Resolved(london(2026, 11, 23, 12)))  # the window ends 29 Nov 00:00
    with pytest.raises(wr.TransitionError, match="reopen window closed") as refused:
        run(t, wr.ResolutionConfirmed(london(2026, 11, 29, 0)))
    assert ("PROC-6", S.RESOLVED) == (refused.value.rule, refused.value.state)


def test_proc_1_a_history_that_does_not_start_with_lodged_names_its_first_event() -> None:
    t = run(p2(), wr.Acknowledged(london(2026, 11, 23, 10)))
    with pytest.raises(wr.TransitionError) as refused:
        POLICY.replay(t.history[1:])
    assert "a ticket's history starts with Lodged, got Acknowledged (PROC-1)" == str(refused.value)
    assert ("PROC-1", "Acknowledged") == (refused.value.rule, refused.value.event)
    with pytest.raises(wr.TransitionError) as empty:
        POLICY.replay([])
    assert "replay needs at least the Lodged event (PROC-1)" == str(empty.value)
    assert "PROC-1" == empty.value.rule


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: POLICY.replay(p2()),
            "replay takes the events, not the ticket: replay(ticket.history)",
        ),
        (lambda: POLICY.replay(42), "replay takes an iterable of events, got 42"),
        (
            lambda: POLICY.apply(p2(), "Resolved"),
            "apply takes an event such as Resolved(at=...), got 'Resolved'",
        ),
        (
            lambda: POLICY.apply("WC-1", wr.Resolved(MONDAY_9AM)),
            "expected a Ticket (from policy.lodge), got 'WC-1'",
        ),
    ],
)
def test_a_wrong_argument_says_what_was_expected(call: object, message: str) -> None:
    with pytest.raises(wr.WrongTypeError) as refused:
        call()  # type: ignore[operator]
    assert message == str(refused.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda now: POLICY.advance(p2(), now),
        lambda now: POLICY.deadlines(p2(), now=now),
    ],
)
def test_hours_5_a_naive_now_is_refused_by_name(call: object) -> None:
    with pytest.raises(wr.NaiveDatetimeError, match=r"^now is naive \(2026-11-24T09:00:00\)"):
        call(datetime(2026, 11, 24, 9))  # type: ignore[operator]


def test_prio_4_a_policy_that_accepts_no_p1_by_email_says_to_lodge_it_as_p2() -> None:
    strict = attrs.evolve(POLICY, p1_by_other_channel_becomes=None)
    with pytest.raises(wr.TransitionError) as refused:
        strict.lodge("WC-4", MONDAY_9AM, wr.Priority.P1, wr.Channel.EMAIL)
    assert "PRIO-4" == refused.value.rule
    assert "lodge it as P2, or use assess() to decide" in str(refused.value)


def test_proc_3_an_agreed_timeframe_chases_on_its_own_steps_not_from_now() -> None:
    t = run(
        p2(london(2026, 11, 23, 9)),
        wr.UpdateTimeframeAgreed(london(2026, 11, 23, 9, 30), every=timedelta(hours=4)),
        wr.InfoRequested(london(2026, 11, 23, 10)),
    )
    assert london(2026, 11, 23, 18) == POLICY.deadlines(t, now=london(2026, 11, 23, 15)).next_chase


def test_proc_3_the_daily_chase_keeps_the_london_time_across_the_clock_change() -> None:
    """Asked Friday 23 October 2026 at 15:00 BST: chased Tuesday at 15:00 GMT (HOURS-2:
    Monday 26th is Ireland's October bank holiday)."""
    t = run(p2(london(2026, 10, 23, 9)), wr.InfoRequested(london(2026, 10, 23, 15)))
    chase = POLICY.deadlines(t).next_chase
    assert chase is not None
    assert datetime(2026, 10, 27, 15, tzinfo=UTC) == chase.astimezone(UTC)


def test_proc_3_a_chase_at_a_repeated_wall_time_is_its_first_occurrence() -> None:
    """A desk open every day: asked Saturday 24 October 2026 at 01:30 BST, chased on Sunday at
    01:30, the first of the two 01:30s of the night the clocks go back (00:30 UTC)."""
    always = wr.BusinessCalendar(hours={d: [(time(0), time(0))] for d in range(7)}, regions=())
    policy = attrs.evolve(POLICY, calendar=always)
    lodged = policy.lodge("WC-9", london(2026, 10, 24, 1), wr.Priority.P2, wr.Channel.EMAIL)
    t = policy.apply(lodged, wr.InfoRequested(london(2026, 10, 24, 1, 30)))
    chase = policy.deadlines(t).next_chase
    assert chase is not None
    assert datetime(2026, 10, 25, 0, 30, tzinfo=UTC) == chase.astimezone(UTC)


# -- the events themselves: what an event refuses, in words --------------------------------------


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: wr.Resolved(datetime(2026, 11, 23, 12)),
            wr.NaiveDatetimeError,
            r"^an event's `at` is naive \(2026-11-23T12:00:00\)",
        ),
        (
            lambda: wr.Resolved("2026-11-23T12:00:00+00:00"),
            wr.WrongTypeError,
            r"^an event's `at` must be a timezone-aware datetime",
        ),
        (
            lambda: wr.Resolved(datetime(1, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Tokyo"))),
            wr.CalendarRangeError,
            r"^an event's `at` \(0001-01-01T00:30:00\+09:18:59\) is outside the years a datetime "
            r"can hold once in UTC$",
        ),
        (
            lambda: wr.Lodged(" ", MONDAY_9AM, wr.Priority.P2, wr.Channel.EMAIL),
            wr.WrongTypeError,
            r"^a ticket id must be a non-empty string, got ' '$",
        ),
        (
            lambda: wr.UpdateTimeframeAgreed(MONDAY_9AM, every=4),
            wr.WrongTypeError,
            r"^UpdateTimeframeAgreed\.every must be a timedelta, got 4$",
        ),
        (
            lambda: event_at(wr.Lodged, MONDAY_9AM),
            wr.WrongTypeError,
            r"^Lodged takes more than its instant$",
        ),
        (
            lambda: event_at(wr.UpdateTimeframeAgreed, MONDAY_9AM),
            wr.WrongTypeError,
            r"^UpdateTimeframeAgreed takes more than its instant$",
        ),
    ],
)
def test_hours_5_an_event_refuses_what_it_cannot_hold_and_says_what(
    make: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make()  # type: ignore[operator]


def test_event_at_makes_the_events_that_take_only_their_instant() -> None:
    assert wr.Closed(MONDAY_9AM) == event_at(wr.Closed, MONDAY_9AM)


# -- the end of the years a datetime holds -------------------------------------------------------


def test_proc_6_a_reopen_window_past_the_year_9999_is_a_calendar_range_error() -> None:
    """Resolved on 28 December 9999, the window would end at midnight after 3 January 10000: a
    typed error, naming the rule, not the date arithmetic's OverflowError."""
    t = POLICY.lodge("WC-9", london(9999, 12, 20, 10), wr.Priority.P1, wr.Channel.PHONE)
    t = run(t, wr.Acknowledged(london(9999, 12, 20, 11)))
    with pytest.raises(wr.CalendarRangeError, match=r"resolved on 9999-12-28 .*\(PROC-6\)"):
        POLICY.apply(t, wr.Resolved(london(9999, 12, 28, 12)))
    assert london(9999, 12, 31) == run(t, wr.Resolved(london(9999, 12, 25, 12))).reopen_until


def test_proc_3_4_a_request_past_the_calendars_years_is_refused_and_changes_nothing() -> None:
    """Asked for information on the last days the holiday data covers: the auto-resolve
    (PROC-4) and the chases (PROC-3) are past them, so the request is a typed error, and the
    ticket a replay goes on with is the ticket before it."""
    t = p2(london(2100, 12, 28, 9))
    with pytest.raises(wr.CalendarRangeError, match="year 2101"):
        POLICY.apply(t, wr.InfoRequested(london(2100, 12, 30, 10)))
    log = io.StringIO(
        "ticket,event,at,priority,channel\n"
        "WC-1,Lodged,2100-12-28T09:00:00+00:00,P2,email\n"
        "WC-1,InfoRequested,2100-12-30T10:00:00+00:00,,\n"
    )
    [replayed] = batch.replay_log(POLICY, batch.read_log(log, format="csv"))
    assert [3] == [error.line for error in replayed.errors]
    assert replayed.ticket is not None
    assert (S.OPEN, None, None) == (
        replayed.ticket.state,
        replayed.ticket.awaiting_since,
        replayed.ticket.resumes,
    )
    # Asked on Friday 24 December 2100, it auto-resolves on the last business day the data
    # covers; no chase is due after it, and none is looked for in 2101.
    asked = POLICY.apply(p2(london(2100, 12, 23, 9)), wr.InfoRequested(london(2100, 12, 24, 10)))
    assert london(2100, 12, 31, 10) == POLICY.deadlines(asked).auto_resolve_at
    assert london(2100, 12, 29, 10) == POLICY.deadlines(asked).next_chase
    assert POLICY.deadlines(asked, london(2100, 12, 31, 11)).next_chase is None


def test_reopen_windows_end_at_each_zones_midnight_whatever_was_asked_before() -> None:
    """PROC-6's window ends are remembered: a resolution at one instant, on one date under
    calendars in two zones (Monday in London and Auckland) and two window lengths, ends each
    window at the midnight of its own zone and length."""
    at = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    for _ in range(2):  # asked again, remembered
        for key, days in [("Europe/London", 3), ("Pacific/Auckland", 3), ("Europe/London", 5)]:
            zone = ZoneInfo(key)
            calendar = attrs.evolve(POLICY.calendar, zone=zone)
            policy = attrs.evolve(POLICY, calendar=calendar, reopen_window_days=days)
            ticket = policy.lodge("WC-1", at - 2 * H, wr.Priority.P2, wr.Channel.EMAIL)
            ticket = policy.apply(ticket, event_at(wr.Resolved, at))
            day = at.astimezone(zone).date() + timedelta(days=days + 1)
            assert ticket.reopen_until == datetime.combine(day, time(0), tzinfo=zone)
