"""The SLA clock: pending, met, breached; remaining time; milestones (SLA-1..4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.strategies import business_durations, instants

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
H = timedelta(hours=1)
P1, P2, P3 = wr.Priority.P1, wr.Priority.P2, wr.Priority.P3
FRIDAY_5PM = datetime(2026, 11, 20, 17, 0, tzinfo=LONDON)
DUE = datetime(2026, 11, 23, 11, 0, tzinfo=LONDON)


def test_sla_1_a_response_at_the_due_instant_is_on_time() -> None:
    status = POLICY.response_status(P2, FRIDAY_5PM, now=DUE, responded_at=DUE)
    assert wr.ResponseState.MET == status.state
    late = POLICY.response_status(
        P2, FRIDAY_5PM, now=DUE + H, responded_at=DUE + timedelta(microseconds=1)
    )
    assert wr.ResponseState.BREACHED == late.state
    assert "SLA-1" in status.rules


def test_sla_3_pending_until_the_due_instant_then_breached() -> None:
    at_due = POLICY.response_status(P2, FRIDAY_5PM, now=DUE)
    assert wr.ResponseState.PENDING == at_due.state
    assert timedelta(0) == at_due.remaining
    after = POLICY.response_status(P2, FRIDAY_5PM, now=DUE + timedelta(minutes=30))
    assert wr.ResponseState.BREACHED == after.state
    assert -timedelta(minutes=30) == after.remaining
    assert 1.125 == after.fraction_used


def test_sla_3_remaining_is_business_time_over_the_weekend() -> None:
    saturday = POLICY.response_status(P2, FRIDAY_5PM, now=datetime(2026, 11, 21, 12, tzinfo=LONDON))
    assert 3 * H == saturday.remaining
    assert wr.Clock.BUSINESS_HOURS == saturday.clock
    assert 0.25 == saturday.fraction_used


def test_sla_2_p1_remaining_is_real_time() -> None:
    lodged = datetime(2026, 11, 21, 2, 0, tzinfo=LONDON)
    status = POLICY.response_status(P1, lodged, now=lodged + 30 * timedelta(minutes=1))
    assert 90 * timedelta(minutes=1) == status.remaining
    assert wr.Clock.REAL_TIME == status.clock
    assert ("SLA-1", "SLA-2", "HOURS-3", "HOURS-4") == status.rules


def test_sla_milestones_let_a_service_schedule_warnings() -> None:
    status = POLICY.response_status(P2, FRIDAY_5PM, now=FRIDAY_5PM)
    assert [
        (0.5, datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)),
        (0.75, datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)),
        (1.0, DUE),
    ] == [(m.fraction, m.at) for m in status.milestones]


def test_sla_4_p3_allowance_is_the_business_time_to_the_due() -> None:
    monday_7am = datetime(2026, 11, 23, 7, 0, tzinfo=LONDON)
    status = POLICY.response_status(P3, monday_7am, now=monday_7am)
    assert 20 * H == status.allowance
    assert datetime(2026, 11, 24, 18, 0, tzinfo=LONDON) == status.due


def test_a_response_after_now_has_not_happened_yet() -> None:
    status = POLICY.response_status(P2, FRIDAY_5PM, now=FRIDAY_5PM + H, responded_at=DUE)
    assert wr.ResponseState.PENDING == status.state
    assert status.responded_at is None


def test_instants_out_of_order_are_refused() -> None:
    with pytest.raises(wr.InvalidTimelineError, match="before the incident was lodged"):
        POLICY.response_status(P2, FRIDAY_5PM, now=FRIDAY_5PM - H)
    with pytest.raises(wr.InvalidTimelineError, match="responded_at"):
        POLICY.response_status(P2, FRIDAY_5PM, now=DUE, responded_at=FRIDAY_5PM - H)
    with pytest.raises(wr.NaiveDatetimeError):
        POLICY.response_status(P2, FRIDAY_5PM, now=datetime(2026, 11, 23, 9))


@given(st.sampled_from(wr.Priority), instants(), business_durations(10))
def test_sla_used_plus_remaining_is_the_allowance_and_the_last_milestone_is_the_due(
    priority: wr.Priority, lodged: datetime, wait: timedelta
) -> None:
    now = (lodged.astimezone(UTC) + wait).astimezone(LONDON)
    status = POLICY.response_status(priority, lodged, now=now)
    assert status.allowance == status.used + status.remaining
    assert status.due.astimezone(UTC) == status.milestones[-1].at.astimezone(UTC)
    overdue = now.astimezone(UTC) > status.due.astimezone(UTC)
    assert overdue == (wr.ResponseState.BREACHED == status.state)
    assert (status.remaining < timedelta(0)) <= overdue


def test_sla_3_overdue_is_the_time_past_the_due_and_zero_before() -> None:
    early = POLICY.response_status(P2, FRIDAY_5PM, now=DUE - H)
    late = POLICY.response_status(P2, FRIDAY_5PM, now=DUE + 90 * timedelta(minutes=1))
    assert (timedelta(0), H) == (early.overdue, early.remaining)
    assert 90 * timedelta(minutes=1) == late.overdue


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("lodged_at", lambda naive: POLICY.response_status(P2, naive, now=DUE)),
        ("now", lambda naive: POLICY.response_status(P2, FRIDAY_5PM, now=naive)),
        (
            "responded_at",
            lambda naive: POLICY.response_status(P2, FRIDAY_5PM, now=DUE, responded_at=naive),
        ),
    ],
)
def test_hours_5_a_naive_instant_is_refused_by_its_name(name: str, call: object) -> None:
    with pytest.raises(wr.NaiveDatetimeError, match=rf"^{name} is naive \(2026-11-23T09:00:00\)"):
        call(datetime(2026, 11, 23, 9))  # type: ignore[operator]


@pytest.mark.parametrize("fraction", [0, -0.5, True, "half"])
def test_sla_milestones_must_be_positive_fractions(fraction: object) -> None:
    with pytest.raises(wr.WrongTypeError) as refused:
        POLICY.response_status(P2, FRIDAY_5PM, now=DUE, milestones=(0.5, fraction))  # type: ignore[arg-type]
    assert f"milestones must be positive fractions, got {fraction!r}" == str(refused.value)


def test_sla_1_the_status_restates_the_ticket_in_the_policys_zone() -> None:
    """HOURS-5: the priority, the lodging and the response, in Europe/London whatever went in."""
    tokyo = ZoneInfo("Asia/Tokyo")
    lodged = FRIDAY_5PM.astimezone(tokyo)
    responded = datetime(2026, 11, 23, 10, tzinfo=LONDON).astimezone(tokyo)
    status = POLICY.response_status(P2, lodged, now=DUE, responded_at=responded)
    assert (P2, wr.ResponseState.MET) == (status.priority, status.state)
    assert (FRIDAY_5PM, LONDON) == (status.lodged_at, status.lodged_at.tzinfo)
    assert status.responded_at is not None
    assert (responded, LONDON) == (status.responded_at, status.responded_at.tzinfo)
