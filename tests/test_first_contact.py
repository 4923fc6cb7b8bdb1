"""SLA-1's decision: the response is Westcoast's first contact with the Reseller about the ticket.

Acknowledged, or an earlier InfoRequested, UpdateTimeframeAgreed or Resolved; a ticket resolved
before any acknowledgement had its response at the resolution, and its time to respond never
grows after that. Every path that judges a response reads it so: the lifecycle, the SLA clock,
the batch report, what-if and frames.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules import batch

LONDON = wr.LONDON
POLICY = wr.WESTCOAST
ACKNOWLEDGED_ONLY = attrs.evolve(POLICY, response_events={wr.Acknowledged}, version="ack")


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def lodged(policy: wr.SupportPolicy = POLICY) -> wr.Ticket:
    return policy.lodge("WC-1", london(2026, 11, 23, 9), "P2", "email")  # a Monday


def test_sla_1_a_ticket_resolved_within_the_hour_had_its_response_then() -> None:
    t = POLICY.apply(lodged(), wr.Resolved(london(2026, 11, 23, 10)))
    assert london(2026, 11, 23, 10) == t.responded_at
    for now in (london(2026, 11, 23, 11), london(2026, 12, 23, 11), london(2027, 6, 1)):
        status = POLICY.ticket_response_status(t, now)
        assert status is not None
        assert (wr.ResponseState.MET, timedelta(hours=1)) == (status.state, status.used), now
    assert "SLA-1" in status.rules


@pytest.mark.parametrize(
    "first",
    [
        wr.InfoRequested(london(2026, 11, 23, 9, 30)),
        wr.UpdateTimeframeAgreed(london(2026, 11, 23, 9, 30), timedelta(days=2)),
    ],
    ids=["InfoRequested", "UpdateTimeframeAgreed"],
)
def test_sla_1_an_earlier_contact_is_the_response_and_an_acknowledgement_still_follows(
    first: wr.Event,
) -> None:
    t = POLICY.apply(lodged(), first)
    t = POLICY.apply(t, wr.Acknowledged(london(2026, 11, 23, 16)))  # after the 4 hours
    assert london(2026, 11, 23, 9, 30) == t.responded_at
    status = POLICY.ticket_response_status(t, london(2026, 11, 24))
    assert status is not None
    assert (wr.ResponseState.MET, timedelta(minutes=30)) == (status.state, status.used)


def test_sla_1_a_ticket_is_acknowledged_once() -> None:
    t = POLICY.apply(lodged(), wr.InfoRequested(london(2026, 11, 23, 9, 30)))
    t = POLICY.apply(t, wr.Acknowledged(london(2026, 11, 23, 10)))
    with pytest.raises(wr.TransitionError, match="already acknowledged") as refused:
        POLICY.apply(t, wr.Acknowledged(london(2026, 11, 23, 11)))
    assert "SLA-1" == refused.value.rule


def test_sla_1_a_policy_may_narrow_the_response_to_an_acknowledgement() -> None:
    t = ACKNOWLEDGED_ONLY.apply(lodged(ACKNOWLEDGED_ONLY), wr.Resolved(london(2026, 11, 23, 10)))
    assert t.responded_at is None
    status = ACKNOWLEDGED_ONLY.ticket_response_status(t, london(2026, 11, 30))
    assert status is not None
    assert wr.ResponseState.BREACHED == status.state


def test_sla_1_response_events_are_contacts_and_round_trip_as_names() -> None:
    with pytest.raises(wr.PolicyError, match="Escalated is not one"):
        attrs.evolve(POLICY, response_events={wr.Escalated})
    with pytest.raises(wr.PolicyError, match="at least one"):
        attrs.evolve(POLICY, response_events=set())
    document = wr.to_dict(ACKNOWLEDGED_ONLY)
    assert ["Acknowledged"] == document["response_events"]
    assert ACKNOWLEDGED_ONLY == wr.from_dict(wr.SupportPolicy, document)
    assert wr.WESTCOAST == wr.from_json(wr.SupportPolicy, wr.to_json(wr.WESTCOAST))


LOG = """ticket,event,at,priority,channel,tier,category,every
WC-1,Lodged,2026-11-23T09:00:00+00:00,P2,email,1,service,
WC-1,Resolved,2026-11-23T10:00:00+00:00,,,,,
WC-2,Lodged,2026-11-23T09:00:00+00:00,P2,email,1,service,
WC-2,InfoRequested,2026-11-23T12:00:00+00:00,,,,,
WC-2,Acknowledged,2026-11-24T09:00:00+00:00,,,,,
"""


def test_sla_1_the_report_and_what_if_read_the_first_contact() -> None:
    as_of = london(2026, 12, 31)
    report = batch.sla_report(POLICY, io.StringIO(LOG), as_of=as_of, format="csv")
    rows = {row.ticket: row for row in report.rows}
    assert ("met", timedelta(hours=1)) == (rows["WC-1"].response, rows["WC-1"].time_to_respond)
    assert ("met", timedelta(hours=3)) == (rows["WC-2"].response, rows["WC-2"].time_to_respond)
    diff = batch.what_if(POLICY, ACKNOWLEDGED_ONLY, io.StringIO(LOG), as_of=as_of, format="csv")
    flips = {d.ticket: d.breach_flip for d in diff.changed}
    assert {"WC-1": "now_breached", "WC-2": "now_breached"} == flips


def test_sla_1_an_export_reads_a_resolution_as_a_contact_only_where_the_policy_does() -> None:
    pd = pytest.importorskip("pandas")
    from westcoast_rules import frames  # noqa: PLC0415 - the [frames] extra

    export = pd.DataFrame(
        {
            "ticket_id": ["WC-1"],
            "priority": ["P2"],
            "created_at": pd.to_datetime(["2026-11-23T09:00:00+00:00"]),
            "first_response_at": pd.to_datetime([None]).tz_localize("UTC"),
            "resolved_at": pd.to_datetime(["2026-11-23T10:00:00+00:00"]),
            "channel": ["email"],
            "category": ["service"],
        }
    )
    as_of = london(2026, 12, 31)
    westcoast = frames.sla(POLICY, export, as_of=as_of)
    narrowed = frames.sla(ACKNOWLEDGED_ONLY, export, as_of=as_of)
    assert ["met", "breached"] == [westcoast["response"][0], narrowed["response"][0]]
    assert timedelta(hours=1) == westcoast["time_to_respond"][0]
