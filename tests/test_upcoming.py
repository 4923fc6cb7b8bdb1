"""What time decides next (next_deadline) and the responses at risk (at_risk)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules.batch import report_row

POLICY = wr.WESTCOAST
LONDON = wr.LONDON
K = wr.DeadlineKind


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def lodged(id: str = "WC-1", at: datetime | None = None, priority: str = "P2") -> wr.Ticket:
    channel = "phone" if priority == "P1" else "email"
    return POLICY.lodge(id, at or london(2026, 11, 23, 9), priority, channel)


# -- next_deadline ---------------------------------------------------------------------------


def test_a_pending_response_is_next_with_its_target_rule_sla_3() -> None:
    nd = POLICY.next_deadline(lodged(at=london(2026, 11, 20, 17)), london(2026, 11, 20, 17, 30))
    assert wr.NextDeadline(london(2026, 11, 23, 11), K.RESPONSE, "SLA-3") == nd
    assert LONDON == nd.at.tzinfo


def test_a_p1_response_is_due_on_real_time_sla_2() -> None:
    nd = POLICY.next_deadline(lodged(priority="P1"), london(2026, 11, 23, 9, 30))
    assert nd is not None
    assert (london(2026, 11, 23, 11), K.RESPONSE, "SLA-2") == (nd.at, nd.kind, nd.rule)


def test_awaiting_information_the_next_chase_comes_before_the_auto_resolve_proc_3() -> None:
    t = POLICY.apply(lodged(), wr.Acknowledged(london(2026, 11, 23, 9, 30)))
    t = POLICY.apply(t, wr.InfoRequested(london(2026, 11, 23, 10)))
    assert wr.NextDeadline(london(2026, 11, 24, 10), K.CHASE, "PROC-3") == POLICY.next_deadline(
        t, london(2026, 11, 23, 12)
    )
    # after the last chase, only the auto-resolve is left (PROC-4)
    last = POLICY.next_deadline(t, london(2026, 11, 25, 10))
    assert wr.NextDeadline(london(2026, 11, 26, 10), K.AUTO_RESOLVE, "PROC-4") == last


def test_an_agreed_timeframe_replaces_the_daily_chase_proc_3() -> None:
    t = POLICY.apply(lodged(), wr.Acknowledged(london(2026, 11, 23, 9, 30)))
    t = POLICY.apply(t, wr.InfoRequested(london(2026, 11, 23, 10)))
    t = POLICY.apply(t, wr.UpdateTimeframeAgreed(london(2026, 11, 23, 10), timedelta(hours=6)))
    nd = POLICY.next_deadline(t, london(2026, 11, 23, 12))
    assert nd is not None
    assert (london(2026, 11, 23, 16), K.CHASE) == (nd.at, nd.kind)


def test_a_resolved_ticket_waits_for_its_reopen_window_to_end_proc_6() -> None:
    t = POLICY.apply(lodged(), wr.Acknowledged(london(2026, 11, 23, 9, 30)))
    t = POLICY.apply(t, wr.Resolved(london(2026, 11, 23, 15)))
    nd = POLICY.next_deadline(t, london(2026, 11, 24))
    assert wr.NextDeadline(london(2026, 11, 29), K.REOPEN_WINDOW_ENDS, "PROC-6") == nd


def test_a_ticket_not_yet_advanced_answers_with_what_follows_what_time_decided() -> None:
    t = POLICY.apply(lodged(), wr.Acknowledged(london(2026, 11, 23, 9, 30)))
    t = POLICY.apply(t, wr.InfoRequested(london(2026, 11, 23, 10)))
    # auto-resolved on Thursday 10:00 (PROC-4): the window then ends on Wednesday's midnight
    nd = POLICY.next_deadline(t, london(2026, 11, 27, 12))
    assert wr.NextDeadline(london(2026, 12, 2), K.REOPEN_WINDOW_ENDS, "PROC-6") == nd
    assert nd == POLICY.next_deadline(
        POLICY.advance(t, london(2026, 11, 27, 12)), nd.at - (timedelta(days=1))
    )


def test_time_decides_nothing_for_a_closed_ticket_or_a_responded_open_one() -> None:
    t = POLICY.apply(lodged(), wr.Acknowledged(london(2026, 11, 23, 9, 30)))
    assert POLICY.next_deadline(t, london(2026, 11, 23, 10)) is None
    t = POLICY.advance(POLICY.apply(t, wr.Resolved(london(2026, 11, 23, 15))), london(2026, 12, 1))
    assert wr.State.CLOSED == t.state
    assert POLICY.next_deadline(t, london(2026, 12, 1)) is None


def test_a_breached_response_is_no_longer_next_work_without_a_target_has_none_sla_6() -> None:
    assert POLICY.next_deadline(lodged(), london(2026, 11, 24)) is None
    partner = POLICY.lodge(
        "WC-2", london(2026, 11, 23, 9), "P2", "email", category="partner_centre"
    )
    assert POLICY.next_deadline(partner, london(2026, 11, 23, 9, 5)) is None


def test_next_deadline_refuses_a_naive_now_and_a_now_before_the_lodging() -> None:
    with pytest.raises(wr.NaiveDatetimeError):
        POLICY.next_deadline(lodged(), datetime(2026, 11, 23, 10))
    with pytest.raises(wr.InvalidTimelineError, match="WC-1 was lodged"):
        POLICY.next_deadline(lodged(), london(2026, 11, 22))
    with pytest.raises(wr.WrongTypeError, match="expected a Ticket"):
        POLICY.next_deadline("WC-1", london(2026, 11, 23))  # type: ignore[arg-type]


def test_the_kinds_are_the_report_words() -> None:
    assert ["response", "chase", "auto_resolve", "reopen_window_ends"] == [k.value for k in K]
    assert K.AUTO_RESOLVE is K("Auto_Resolve")


steps = st.lists(
    st.tuples(
        st.sampled_from(
            [wr.Acknowledged, wr.InfoRequested, wr.InfoReceived, wr.Resolved, wr.Reopened]
        ),
        st.integers(min_value=0, max_value=60 * 60 * 30),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
    priority=st.sampled_from(["P1", "P2", "P3"]),
    events=steps,
    later=st.integers(min_value=0, max_value=60 * 60 * 24 * 12),
)
def test_the_report_row_shows_the_same_next_deadline(
    start: datetime, priority: str, events: list[tuple[type, int]], later: int
) -> None:
    """The SLA report's next deadline is next_deadline's, word for word."""
    ticket = lodged(at=start.replace(tzinfo=UTC), priority=priority)
    at = ticket.lodged_at
    for kind, gap in events:
        at += timedelta(seconds=gap)
        try:
            ticket = POLICY.apply(POLICY.advance(ticket, at), kind(at))
        except wr.TransitionError:
            continue
    now = at + timedelta(seconds=later)
    ticket = POLICY.advance(ticket, now)
    nd = POLICY.next_deadline(ticket, now)
    row = report_row(POLICY, ticket, now)
    assert (row.next_deadline, row.next_deadline_kind) == (
        (None, None) if nd is None else (nd.at, nd.kind.value)
    )
    if nd is not None:
        assert nd.at > now or nd.kind is K.RESPONSE


# -- at_risk ---------------------------------------------------------------------------------


def test_at_risk_counts_time_left_on_each_targets_own_clock() -> None:
    friday = london(2026, 11, 20, 15)
    tickets = [
        lodged("P2-FRI", friday),  # due Monday 09:00: 1.5 business hours left at 17:30
        lodged("P3-FRI", friday, "P3"),  # due Monday 18:00: 10.5 business hours left
        lodged("P1-FRI", london(2026, 11, 20, 16), "P1"),  # due 18:00 real time: 30 min
        lodged("P1-LATE", london(2026, 11, 20, 17), "P1"),  # due 19:00: 1.5 hours
    ]
    now = london(2026, 11, 20, 17, 30)
    risks = POLICY.at_risk(tickets, now=now, within=timedelta(hours=1, minutes=30))
    assert [
        ("P1-FRI", london(2026, 11, 20, 18), timedelta(minutes=30), "SLA-2"),
        ("P1-LATE", london(2026, 11, 20, 19), timedelta(hours=1, minutes=30), "SLA-2"),
        ("P2-FRI", london(2026, 11, 23, 9), timedelta(hours=1, minutes=30), "SLA-3"),
    ] == [(r.ticket.id, r.due, r.left, r.rule) for r in risks]
    assert tickets[0] is risks[2].ticket


def test_breached_responses_are_listed_with_negative_time_left_soonest_first() -> None:
    early = lodged("EARLY", london(2026, 11, 23, 9))  # due 13:00
    later = lodged("LATER", london(2026, 11, 23, 10))  # due 14:00
    now = london(2026, 11, 23, 15)
    risks = POLICY.at_risk([later, early], now=now, within=timedelta(0))
    assert [("EARLY", -timedelta(hours=2)), ("LATER", -timedelta(hours=1))] == [
        (r.ticket.id, r.left) for r in risks
    ]
    # P2 time past the due counts business time only: at Tuesday 09:00 it is 6 hours late
    tuesday = POLICY.at_risk([early], now=london(2026, 11, 24, 9), within=timedelta(0))
    assert [-timedelta(hours=6)] == [r.left for r in tuesday]


def test_responded_tickets_and_work_without_a_target_are_never_at_risk_sla_1_sla_6() -> None:
    t = lodged("ACK", london(2026, 11, 23, 9))
    acknowledged = POLICY.apply(t, wr.Acknowledged(london(2026, 11, 23, 16)))  # late, but done
    partner = POLICY.lodge("PC", london(2026, 11, 23, 9), "P2", "email", category="partner_centre")
    now = london(2026, 11, 23, 17)
    assert [] == POLICY.at_risk([acknowledged, partner], now=now, within=timedelta(days=9))
    # a response recorded after `now` had not happened yet as of now
    before = POLICY.at_risk([acknowledged], now=london(2026, 11, 23, 15), within=timedelta(0))
    assert ["ACK"] == [r.ticket.id for r in before]


def test_a_ticket_lodged_after_now_is_not_at_risk_yet_and_does_not_stop_the_sweep() -> None:
    early, late = lodged("EARLY", london(2026, 11, 23, 9)), lodged("LATE", london(2026, 11, 24, 9))
    risks = POLICY.at_risk([late, early], now=london(2026, 11, 23, 15), within=timedelta(0))
    assert ["EARLY"] == [r.ticket.id for r in risks]


def test_at_risk_refuses_what_it_cannot_sweep() -> None:
    t = lodged()
    now = london(2026, 11, 23, 10)
    with pytest.raises(wr.DataError, match="within must be zero or more"):
        POLICY.at_risk([t], now=now, within=timedelta(hours=-1))
    with pytest.raises(wr.WrongTypeError, match="within"):
        POLICY.at_risk([t], now=now, within=3600)  # type: ignore[arg-type]
    with pytest.raises(wr.NaiveDatetimeError):
        POLICY.at_risk([t], now=datetime(2026, 11, 23, 10), within=timedelta(0))
    with pytest.raises(wr.WrongTypeError, match=r"at_risk\(\[ticket\]"):
        POLICY.at_risk(t, now=now, within=timedelta(0))  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError, match="expected a Ticket"):
        POLICY.at_risk(["WC-1"], now=now, within=timedelta(0))  # type: ignore[list-item]


@settings(max_examples=80, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
    priority=st.sampled_from(["P1", "P2", "P3"]),
    later=st.integers(min_value=0, max_value=60 * 60 * 24 * 6),
    within=st.integers(min_value=0, max_value=60 * 60 * 30),
)
@example(start=datetime(2027, 10, 31, 1, 0), priority="P1", later=0, within=0)  # 01:00 twice
def test_at_risk_agrees_with_the_sla_clock(
    start: datetime, priority: str, later: int, within: int
) -> None:
    """A ticket is at risk exactly when its SLA clock has at most `within` remaining, and
    its `left` is the clock's remaining time (SLA-1..4)."""
    ticket = lodged(at=start.replace(tzinfo=UTC), priority=priority)
    # On the instant: a London wall time plus nothing is the first of an hour the clocks
    # repeat (Python's arithmetic drops the fold), before a ticket lodged in the second.
    now = ticket.lodged_at.astimezone(UTC) + timedelta(seconds=later)
    status = POLICY.ticket_response_status(ticket, now)
    assert status is not None
    risks = POLICY.at_risk([ticket], now=now, within=timedelta(seconds=within))
    if status.remaining <= timedelta(seconds=within):
        assert [(status.due, status.remaining)] == [(r.due, r.left) for r in risks]
    else:
        assert [] == risks


def test_another_policy_reads_its_own_targets() -> None:
    p2 = attrs.evolve(POLICY.target_for(wr.Priority.P2), within=timedelta(hours=2))  # a stricter P2
    stricter = attrs.evolve(
        POLICY,
        response_targets=[
            p2 if t.priority is wr.Priority.P2 else t for t in POLICY.response_targets
        ],
    )
    t = lodged(at=london(2026, 11, 23, 9))
    risks = stricter.at_risk([t], now=london(2026, 11, 23, 10), within=timedelta(hours=1))
    assert [(london(2026, 11, 23, 11), timedelta(hours=1))] == [(r.due, r.left) for r in risks]
