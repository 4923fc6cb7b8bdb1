"""Contracts a user relies on across the library: typed errors, copies, equality of instants."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

import westcoast_rules as wr

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def test_policies_and_calendars_pickle_and_copy_with_a_fresh_index() -> None:
    POLICY.calendar.is_open(london(2026, 11, 23, 9))
    for clone in (pickle.loads(pickle.dumps(POLICY)), copy.deepcopy(POLICY), copy.copy(POLICY)):
        assert POLICY == clone
        assert london(2026, 11, 23, 11) == clone.response_due(
            wr.Priority.P2, london(2026, 11, 20, 17)
        )


def test_hours_4_records_compare_instants_not_wall_clocks() -> None:
    """The two 01:30s of 25 October 2026 are an hour apart, so their events differ."""
    first = wr.Resolved(datetime(2026, 10, 25, 1, 30, tzinfo=LONDON))
    second = wr.Resolved(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON))
    assert first != second
    assert second == wr.Resolved(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    assert hash(second) == hash(wr.Resolved(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)))


def test_hours_5_a_wall_time_in_the_spring_gap_becomes_the_real_instant() -> None:
    event = wr.Resolved(datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))  # 01:30 never happened
    assert (2, 30) == (event.at.hour, event.at.minute)
    assert timedelta(hours=1) == event.at.utcoffset()


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: wr.ResponseTarget(
                wr.Priority.P2, "business_hours", timedelta(hours=4), ("SLA-3",)
            ),
            wr.WrongTypeError,
            "Clock",
        ),  # type: ignore[arg-type]
        (
            lambda: wr.ResponseTarget(
                "P2", wr.Clock.BUSINESS_HOURS, timedelta(hours=4), ("SLA-3",)
            ),
            wr.WrongTypeError,
            "Priority",
        ),  # type: ignore[arg-type]
        (
            lambda: wr.ResponseTarget(wr.Priority.P2, wr.Clock.BUSINESS_HOURS, 4, ("SLA-3",)),
            wr.WrongTypeError,
            "timedelta",
        ),  # type: ignore[arg-type]
        (
            lambda: attrs.evolve(POLICY, p1_may_start_at_tier_2="no"),
            wr.WrongTypeError,
            "True or False",
        ),
        (lambda: attrs.evolve(POLICY, calendar="x"), wr.WrongTypeError, "BusinessCalendar"),
        (
            lambda: attrs.evolve(POLICY, p1_by_other_channel_becomes="P2"),
            wr.WrongTypeError,
            "Priority",
        ),
        (
            lambda: attrs.evolve(POLICY, p1_channels=frozenset({"phone"})),
            wr.WrongTypeError,
            "Channel",
        ),
        (
            lambda: attrs.evolve(POLICY, targets_apply_to=frozenset({"full"})),
            wr.WrongTypeError,
            "Coverage",
        ),
    ],
)
def test_configuration_is_checked_when_built(
    build: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        build()  # type: ignore[operator]


def test_bad_arguments_raise_the_librarys_typed_errors() -> None:
    ticket = POLICY.lodge("WC-1", london(2026, 11, 23, 9), wr.Priority.P2, wr.Channel.EMAIL)
    with pytest.raises(wr.WrongTypeError, match=r"replay\(ticket.history\)"):
        POLICY.replay(ticket)  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError):
        POLICY.replay(None)  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError, match="Ticket"):
        POLICY.ticket_response_status(None, london(2026, 11, 24))  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError, match="year"):
        POLICY.calendar.holidays_in("2026")  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError, match="milestones"):
        POLICY.response_status(
            wr.Priority.P2, london(2026, 11, 23, 9), london(2026, 11, 24), milestones=None
        )  # type: ignore[arg-type]
    with pytest.raises(wr.CalendarRangeError):
        POLICY.response_due(wr.Priority.P1, datetime(9999, 12, 31, 23, tzinfo=UTC))


def test_design_signatures_work_as_written() -> None:
    """DESIGN.md: add_business_days(t, n) and lodge(id, at, priority, channel, tier, category)."""
    cal = POLICY.calendar
    assert london(2026, 11, 26, 9) == cal.add_business_days(london(2026, 11, 23, 9), n=3)
    ticket = POLICY.lodge(
        "WC-2",
        london(2026, 11, 23, 9),
        wr.Priority.P1,
        wr.Channel.PHONE,
        wr.Tier.TIER_2,
        wr.Category.SERVICE,
    )
    assert wr.Tier.TIER_2 == ticket.tier


def test_proc_4_and_proc_6_time_decided_events_happen_at_their_deadline_only() -> None:
    t = POLICY.lodge("WC-3", london(2026, 11, 23, 9), wr.Priority.P2, wr.Channel.EMAIL)
    waiting = POLICY.apply(t, wr.InfoRequested(london(2026, 11, 23, 10)))
    with pytest.raises(wr.TransitionError, match="exactly") as refused:
        POLICY.apply(waiting, wr.AutoResolved(london(2026, 11, 30, 10)))
    assert "PROC-4" == refused.value.rule
    resolved = POLICY.apply(waiting, wr.AutoResolved(london(2026, 11, 26, 10)))
    assert london(2026, 12, 2) == resolved.reopen_until
    with pytest.raises(wr.TransitionError, match="exactly") as refused:
        POLICY.apply(resolved, wr.Closed(london(2026, 12, 3)))
    assert "PROC-6" == refused.value.rule


def test_proc_3_a_request_made_while_closed_is_chased_at_its_own_time_each_business_day() -> None:
    t = POLICY.lodge("WC-4", london(2026, 11, 20, 9), wr.Priority.P3, wr.Channel.EMAIL)
    t = POLICY.apply(t, wr.InfoRequested(london(2026, 11, 21, 10)))  # a Saturday
    assert london(2026, 11, 23, 10) == POLICY.deadlines(t).next_chase
    assert london(2026, 11, 24, 10) == POLICY.deadlines(t, now=london(2026, 11, 23, 10)).next_chase
    assert london(2026, 11, 26, 8) == POLICY.deadlines(t).auto_resolve_at  # from Monday's opening
