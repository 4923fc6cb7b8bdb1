"""Response targets and the policy as data (SLA-1..6, HOURS-3, HOURS-4)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given

import westcoast_rules as wr
from tests.strategies import instants

LONDON = ZoneInfo("Europe/London")
P1, P2, P3 = wr.Priority.P1, wr.Priority.P2, wr.Priority.P3
POLICY = wr.WESTCOAST
CAL = POLICY.calendar
H = timedelta(hours=1)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# -- SLA-2 / HOURS-3 / HOURS-4: P1 in real time ------------------------------------------------


def test_sla_2_p1_is_due_two_real_hours_later_at_night_and_at_weekends() -> None:
    assert london(2026, 11, 22, 5, 0) == POLICY.response_due(P1, london(2026, 11, 22, 3, 0))
    assert london(2026, 12, 25, 13, 0) == POLICY.response_due(P1, london(2026, 12, 25, 11, 0))


def test_hours_4_p1_across_the_spring_change_ends_at_0330_bst() -> None:
    due = POLICY.response_due(P1, london(2027, 3, 28, 0, 30))
    assert (3, 30) == (due.hour, due.minute)
    assert timedelta(hours=1) == due.utcoffset()
    assert 2 * H == utc(due) - utc(london(2027, 3, 28, 0, 30))


def test_hours_4_p1_across_the_autumn_change_lands_in_the_repeated_hour() -> None:
    lodged = london(2026, 10, 25, 0, 30)  # BST
    due = POLICY.response_due(P1, lodged)
    assert (1, 30, 1) == (due.hour, due.minute, due.fold)  # 01:30 GMT, the second 01:30
    assert 2 * H == utc(due) - utc(lodged)


@given(instants())
def test_hours_3_p1_due_is_exactly_two_hours_of_real_time(lodged: datetime) -> None:
    assert 2 * H == utc(POLICY.response_due(P1, lodged)) - utc(lodged)


# -- SLA-3: P2 in business hours -------------------------------------------------------------


def test_sla_3_the_policys_own_examples() -> None:
    assert london(2026, 11, 23, 11, 0) == POLICY.response_due(P2, london(2026, 11, 20, 17, 0))
    assert london(2026, 11, 23, 18, 0) == POLICY.response_due(P2, london(2026, 11, 23, 14, 0))


def test_sla_3_lodged_while_closed_counts_from_the_next_opening() -> None:
    assert london(2026, 11, 24, 12, 0) == POLICY.response_due(P2, london(2026, 11, 23, 19, 0))
    assert london(2026, 12, 29, 12, 0) == POLICY.response_due(P2, london(2026, 12, 25, 9, 0))


@given(instants())
def test_sla_3_p2_due_is_four_business_hours_after_lodging(lodged: datetime) -> None:
    due = POLICY.response_due(P2, lodged)
    assert 4 * H == CAL.elapsed(lodged, due)
    assert utc(due) >= utc(lodged)


# -- SLA-4: P3 next business day -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lodged", "due"),
    [
        (london(2026, 11, 21, 10, 0), london(2026, 11, 23, 18, 0)),  # Saturday -> Monday
        (london(2026, 11, 23, 7, 0), london(2026, 11, 24, 18, 0)),  # Monday 07:00 -> Tuesday
        (london(2026, 11, 23, 17, 59), london(2026, 11, 24, 18, 0)),
        (london(2026, 11, 23, 23, 59), london(2026, 11, 24, 18, 0)),
        (london(2026, 12, 24, 10, 0), london(2026, 12, 29, 18, 0)),  # over Christmas
        (london(2026, 3, 16, 10, 0), london(2026, 3, 18, 18, 0)),  # 17th: St Patrick's Day
    ],
)
def test_sla_4_p3_is_due_at_close_on_the_next_business_day(lodged: datetime, due: datetime) -> None:
    assert due == POLICY.response_due(P3, lodged)


def test_sla_4_the_lodged_date_is_the_local_date_not_utc() -> None:
    """23:30 UTC on Sunday 28 June is 00:30 BST on Monday: due Tuesday 18:00."""
    lodged = datetime(2026, 6, 28, 23, 30, tzinfo=UTC)
    assert london(2026, 6, 30, 18, 0) == POLICY.response_due(P3, lodged)


@given(instants())
def test_sla_4_p3_due_is_18_00_on_the_first_business_day_after_the_lodged_date(
    lodged: datetime,
) -> None:
    due = POLICY.response_due(P3, lodged)
    lodged_day = lodged.astimezone(LONDON).date()
    assert time(18) == due.time()
    assert CAL.is_business_day(due.date())
    assert due.date() > lodged_day
    between = (lodged_day + timedelta(days=n) for n in range(1, (due.date() - lodged_day).days))
    assert not any(CAL.is_business_day(day) for day in between)


@given(instants(), instants())
def test_sla_due_is_monotone_in_lodging(a: datetime, b: datetime) -> None:
    early, late = sorted((a, b), key=utc)
    for priority in wr.Priority:
        assert utc(POLICY.response_due(priority, early)) <= utc(POLICY.response_due(priority, late))


# -- SLA-5: no resolution target -------------------------------------------------------------


def test_sla_5_the_policy_has_no_resolution_target() -> None:
    assert all("resolution" not in field.name for field in attrs.fields(wr.SupportPolicy))
    assert [t.priority for t in POLICY.response_targets] == list(wr.Priority)
    assert "SLA-5" in wr.RULES


# -- HOURS-5 ---------------------------------------------------------------------------------


def test_hours_5_response_due_rejects_naive_datetimes_and_answers_in_london() -> None:
    with pytest.raises(wr.NaiveDatetimeError):
        POLICY.response_due(P2, datetime(2026, 11, 23, 9, 0))
    due = POLICY.response_due(P1, datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert LONDON == due.tzinfo


def test_response_due_rejects_something_that_is_not_a_priority() -> None:
    with pytest.raises(
        wr.WrongTypeError,
        match=r"use Priority\.P1, Priority\.P2 or Priority\.P3 \(or Priority\('P2'\) for text\)$",
    ):
        POLICY.response_due("P2", london(2026, 11, 23, 9))  # type: ignore[arg-type]


# -- another distributor's policy --------------------------------------------------------------


def test_another_policy_is_an_evolve_of_westcoast() -> None:
    faster = attrs.evolve(
        POLICY,
        response_targets=(
            wr.ResponseTarget(P1, wr.Clock.REAL_TIME, timedelta(hours=1), ("SLA-2",)),
            wr.ResponseTarget(P2, wr.Clock.BUSINESS_HOURS, timedelta(hours=2), ("SLA-3",)),
            wr.ResponseTarget(P3, wr.Clock.BUSINESS_HOURS, timedelta(hours=8), ("SLA-4",)),
        ),
        calendar=wr.BusinessCalendar(hours={d: [(time(9), time(17))] for d in range(5)}),
    )
    assert london(2026, 11, 23, 11, 0) == faster.response_due(P2, london(2026, 11, 21, 10, 0))
    assert london(2026, 11, 23, 17, 0) == faster.response_due(P3, london(2026, 11, 23, 9, 0))
    assert london(2026, 11, 23, 11, 0) == POLICY.response_due(P2, london(2026, 11, 20, 17, 0))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"response_targets": wr.RESPONSE_TARGETS[:2]}, "one target per priority"),
        ({"territory": frozenset({"UK"})}, "ISO 3166-1"),
        ({"scope": wr.SCOPE_TABLE[1:]}, "one row per Category"),
        ({"auto_resolve_after_business_days": 0}, "from 1 to 366"),
        ({"reopen_window_days": True}, "from 1 to 3,660"),
        ({"reopen_window_days": 999_999_999}, "from 1 to 3,660"),
        ({"chase_every_business_days": 367}, "business days from 1 to 366"),
    ],
)
def test_a_policy_is_validated_when_built(changes: dict[str, object], message: str) -> None:
    with pytest.raises(wr.PolicyError, match=message):
        attrs.evolve(POLICY, **changes)


def test_a_target_needs_the_duration_its_clock_needs() -> None:
    with pytest.raises(wr.PolicyError, match="positive duration"):
        wr.ResponseTarget(P2, wr.Clock.BUSINESS_HOURS, None, ("SLA-3",))
    with pytest.raises(wr.PolicyError) as refused:
        wr.ResponseTarget(P3, wr.Clock.NEXT_BUSINESS_DAY, H, ("SLA-4",))
    assert "a NEXT_BUSINESS_DAY target takes no duration: within=None" == str(refused.value)


@pytest.mark.parametrize(
    ("within", "accepted"),
    [
        (timedelta(0), False),
        (timedelta(microseconds=1), True),
        (timedelta(days=366), True),
        (timedelta(days=366, microseconds=1), False),
    ],
)
def test_sla_3_a_target_is_positive_and_at_most_a_year(within: timedelta, accepted: bool) -> None:
    if accepted:
        assert within == wr.ResponseTarget(P2, wr.Clock.BUSINESS_HOURS, within, ("SLA-3",)).within
    else:
        with pytest.raises(wr.PolicyError, match="the P2 target needs a positive duration"):
            wr.ResponseTarget(P2, wr.Clock.BUSINESS_HOURS, within, ("SLA-3",))


@pytest.mark.parametrize(
    ("rules", "error", "message"),
    [
        (
            ["SLA-3"],
            wr.WrongTypeError,
            "ResponseTarget.rules must be a tuple of rule IDs, got ['SLA-3']",
        ),
        (
            ("SLA-3", "SLA-99"),
            wr.PolicyError,
            "ResponseTarget.rules names no rule of the catalogue: ['SLA-99']; use IDs such as "
            "'SLA-3' (see westcoast_rules.RULES)",
        ),
    ],
)
def test_a_target_names_rules_of_the_catalogue(
    rules: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as refused:
        wr.ResponseTarget(P2, wr.Clock.BUSINESS_HOURS, 4 * H, rules)  # type: ignore[arg-type]
    assert message == str(refused.value)


@pytest.mark.parametrize(
    ("targets", "ending"),
    [
        ((), "got none"),
        ((*wr.RESPONSE_TARGETS, wr.RESPONSE_TARGETS[1]), "got P1, P2, P2, P3"),
    ],
)
def test_sla_2_4_the_policy_says_which_targets_it_was_given(
    targets: tuple[wr.ResponseTarget, ...], ending: str
) -> None:
    with pytest.raises(wr.PolicyError) as refused:
        attrs.evolve(POLICY, response_targets=targets)
    assert str(refused.value).endswith(f"one target per priority (P1, P2, P3), {ending}")


def test_the_scope_table_names_a_category_given_twice() -> None:
    with pytest.raises(wr.PolicyError) as refused:
        attrs.evolve(POLICY, scope=(*wr.SCOPE_TABLE, wr.SCOPE_TABLE[-1]))
    category = wr.SCOPE_TABLE[-1].category.name
    assert f"one row per Category; missing [], doubled ['{category}']" in str(refused.value)


def test_scope_pc_the_policys_row_for_partner_centre_work_with_and_without_an_account() -> None:
    with_account = POLICY.scope_row(wr.Category.PARTNER_CENTRE)
    without = POLICY.scope_row(wr.Category.PARTNER_CENTRE, partner_centre_account=False)
    assert (wr.Coverage.REDIRECT, "SCOPE-PC") == (with_account.coverage, with_account.rule)
    assert (wr.Coverage.LOGGED_ON_BEHALF, "SCOPE-PC") == (without.coverage, without.rule)
    assert wr.Tier.TIER_2 == POLICY.scope_row(wr.Category.VISUAL_STUDIO).ceiling


def test_sla_6_a_partner_centre_ticket_is_redirected_work_with_no_target() -> None:
    """A ticket assumes the Reseller has a Partner Centre account (REDIRECT, SCOPE-PC): a
    policy that gives logged-on-behalf work a target still gives the ticket none."""
    generous = attrs.evolve(
        POLICY, targets_apply_to=POLICY.targets_apply_to | {wr.Coverage.LOGGED_ON_BEHALF}
    )
    ticket = generous.lodge(
        "WC-8", london(2026, 11, 23, 9), P2, wr.Channel.EMAIL, category=wr.Category.PARTNER_CENTRE
    )
    assert generous.deadlines(ticket).response_due is None
    assert generous.ticket_response_status(ticket, london(2026, 11, 24)) is None


def test_sla_1_a_tickets_status_reports_the_milestones_asked_for() -> None:
    ticket = POLICY.lodge("WC-9", london(2026, 11, 23, 9), P2, wr.Channel.EMAIL)
    status = POLICY.ticket_response_status(ticket, london(2026, 11, 23, 10), milestones=(0.25,))
    assert status is not None
    assert [(0.25, london(2026, 11, 23, 10))] == [(m.fraction, m.at) for m in status.milestones]
