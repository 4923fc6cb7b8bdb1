"""Explanations of a due instant: counted periods, skipped days, DST changes, rule IDs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.strategies import instants

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
H = timedelta(hours=1)


def test_sla_3_christmas_2026_is_explained_day_by_day() -> None:
    e = POLICY.explain(wr.Priority.P2, datetime(2026, 12, 24, 17, 0, tzinfo=LONDON))
    assert datetime(2026, 12, 29, 11, 0, tzinfo=LONDON) == e.due
    counted = [(s.start, s.counted) for s in e.steps if s.kind is wr.StepKind.COUNTED]
    assert [
        (datetime(2026, 12, 24, 17, 0, tzinfo=LONDON), H),
        (datetime(2026, 12, 29, 8, 0, tzinfo=LONDON), 3 * H),
    ] == counted
    assert (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 28)) == (
        e.skipped_days
    )
    boxing = next(s for s in e.steps if s.start.date() == date(2026, 12, 28))
    assert "Boxing Day (substitute, GB-ENG)" in boxing.reason
    assert ("HOURS-2",) == boxing.rules
    assert ("SLA-3", "HOURS-1", "HOURS-2") == e.rules
    assert "Rules: SLA-3, HOURS-1, HOURS-2" in str(e)


def test_sla_3_lodged_while_closed_says_why_and_when_the_clock_starts() -> None:
    e = POLICY.explain(wr.Priority.P2, datetime(2026, 3, 17, 9, 0, tzinfo=LONDON))
    assert "Saint Patrick's Day (IE)" in e.steps[0].reason
    assert wr.StepKind.CLOCK_STARTS == e.steps[1].kind
    assert datetime(2026, 3, 18, 8, 0, tzinfo=LONDON) == e.steps[1].start


def test_hours_4_a_dst_change_crossed_is_a_step() -> None:
    e = POLICY.explain(wr.Priority.P1, datetime(2027, 3, 28, 0, 30, tzinfo=LONDON))
    dst = [s for s in e.steps if s.kind is wr.StepKind.DST_CHANGE]
    assert 1 == len(dst)
    assert "GMT to BST" in dst[0].reason
    assert ("SLA-2", "HOURS-3", "HOURS-4") == e.rules
    p2 = POLICY.explain(wr.Priority.P2, datetime(2026, 10, 23, 17, 0, tzinfo=LONDON))
    assert any("BST to GMT" in s.reason for s in p2.steps)
    assert "HOURS-4" in p2.rules


def test_sla_4_p3_explains_the_next_business_day() -> None:
    e = POLICY.explain(wr.Priority.P3, datetime(2026, 11, 21, 10, 0, tzinfo=LONDON))
    assert "first business day after" in e.steps[0].reason
    assert "SLA-4" in e.rules
    assert wr.StepKind.DUE == e.steps[-1].kind


@given(st.sampled_from(wr.Priority), instants())
def test_the_counted_periods_sum_to_the_target(priority: wr.Priority, lodged: datetime) -> None:
    e = POLICY.explain(priority, lodged)
    target = POLICY.target_for(priority)
    if target.within is not None:
        assert target.within == e.counted
    else:
        assert POLICY.calendar.elapsed(lodged, e.due) == e.counted
    assert e.due == POLICY.response_due(priority, lodged)
    assert all(step.rules for step in e.steps)
    assert set(target.rules) <= set(e.rules)
