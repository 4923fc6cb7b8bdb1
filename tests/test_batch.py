"""Event logs in bulk: reading, replaying, the SLA report and what-if."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules import batch

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)

LOG = """ticket,event,at,priority,channel,tier,category,every
WC-1,Lodged,2026-11-20T17:00:00+00:00[Europe/London],P2,email,1,service,
WC-1,Acknowledged,2026-11-23T10:30:00+00:00,,,,,
WC-1,Resolved,2026-11-24T12:00:00+00:00,,,,,
WC-2,Lodged,2026-12-24T17:00:00+00:00,P2,helpcentre,,,
WC-2,InfoRequested,2026-12-29T09:00:00+00:00,,,,,
WC-3,Lodged,2026-11-21T02:00:00+00:00,P1,phone,2,service,
WC-3,Acknowledged,2026-11-21T04:30:00+00:00,,,,,
WC-4,Lodged,2026-11-23T09:00:00+00:00,P3,email,1,partner_centre,
"""


def report(text: str = LOG, **kwargs: object) -> batch.SlaReport:
    return batch.sla_report(
        POLICY, batch.read_log(io.StringIO(text), format="csv"), as_of=AS_OF, **kwargs
    )  # type: ignore[arg-type]


def test_a_log_becomes_one_row_per_ticket_as_of_an_instant() -> None:
    r = report()
    rows = {row.ticket: row for row in r.rows}
    assert ["WC-1", "WC-2", "WC-3", "WC-4"] == list(rows)
    assert ("met", "closed") == (rows["WC-1"].response, rows["WC-1"].state)  # PROC-6 by time
    assert timedelta(hours=3.5) == rows["WC-1"].time_to_respond  # business time (SLA-3)
    assert ("breached", 2) == (rows["WC-3"].response, rows["WC-3"].tier)  # 2.5 h for a P1
    assert "no_target" == rows["WC-4"].response  # SLA-6
    assert () == r.errors


def test_proc_4_time_decides_what_the_log_does_not_record() -> None:
    """Requested Tue 29 Dec 09:00; 30th, 31st and (after New Year's Day) Mon 4 Jan."""
    wc2 = {row.ticket: row for row in report().rows}["WC-2"]
    assert ("awaiting_info", "auto_resolve") == (wc2.state, wc2.next_deadline_kind)
    later = batch.sla_report(
        POLICY,
        batch.read_log(io.StringIO(LOG), format="csv"),
        as_of=datetime(2027, 1, 4, 9, 0, tzinfo=LONDON),
    )
    wc2 = {row.ticket: row for row in later.rows}["WC-2"]
    assert ("resolved", "reopen_window_ends") == (wc2.state, wc2.next_deadline_kind)
    assert datetime(2027, 1, 10, 0, 0, tzinfo=LONDON) == wc2.next_deadline


def test_rows_after_the_report_instant_are_not_known_yet() -> None:
    early = batch.sla_report(
        POLICY,
        batch.read_log(io.StringIO(LOG), format="csv"),
        as_of=datetime(2026, 11, 23, 10, 0, tzinfo=LONDON),
    )
    rows = {row.ticket: row for row in early.rows}
    assert ["WC-1", "WC-3", "WC-4"] == list(rows)  # WC-2 was lodged later
    assert ("pending", "open") == (rows["WC-1"].response, rows["WC-1"].state)
    assert ("response", datetime(2026, 11, 23, 11, 0, tzinfo=LONDON)) == (
        rows["WC-1"].next_deadline_kind,
        rows["WC-1"].next_deadline,
    )


def test_the_summary_counts_and_measures_per_priority() -> None:
    summary = {s.priority: s for s in report().summary}
    p2 = summary["P2"]
    assert (2, 1, 1, 0) == (p2.tickets, p2.met, p2.breached, p2.pending)
    assert 0.5 == p2.breach_rate
    assert 3.5 == p2.median_response_hours
    assert summary["P3"].breach_rate is None


BAD = """ticket,event,at,priority,channel,tier,category,every
WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email,1,service,
WC-1,Escalated,2026-11-20T16:00:00+00:00,,,,,
WC-1,Teleported,2026-11-21T16:00:00+00:00,,,,,
WC-1,Resolved,2026-11-23T10:00:00,,,,,
WC-1,Acknowledged,2026-11-23T10:30:00+00:00,P1,,,,
WC-2,Resolved,2026-11-23T10:30:00+00:00,,,,,
WC-3,Lodged,2026-11-23T10:30:00+00:00,P1,email,,,
"""


def test_bad_rows_are_reported_with_file_and_line_and_counted() -> None:
    r = report(BAD)
    lines = {error.line: error.message for error in r.errors}
    assert "time order (PROC-8)" in lines[3]
    assert "unknown event 'Teleported'" in lines[4]
    assert "no UTC offset" in lines[5]
    assert "Acknowledged takes no priority" in lines[6]
    assert "not Lodged (PROC-1)" in lines[7]
    assert "phone only" in lines[8]
    assert ["WC-1"] == [row.ticket for row in r.rows]
    assert 4 == r.rows[0].bad_rows
    assert all(str(e).startswith("<stream>:") or ":" in str(e) for e in r.errors)


def test_strict_mode_stops_at_the_first_bad_row() -> None:
    with pytest.raises(wr.DataError, match=r"^<stream>:3: .*PROC-8"):
        report(BAD, strict=True)


def test_a_bad_header_is_refused_at_once() -> None:
    with pytest.raises(wr.DataError, match="header"):
        list(batch.read_log(io.StringIO("id,what,when\n"), format="csv"))
    with pytest.raises(wr.DataError, match="cannot tell the format"):
        list(batch.read_log("events.txt"))


def test_json_lines_read_the_same_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with path.open("w") as handle:
        for line in LOG.splitlines()[1:]:
            values = dict(zip(batch.LOG_COLUMNS, line.split(","), strict=True))
            handle.write(json.dumps({k: v for k, v in values.items() if v}) + "\n")
        handle.write("not json\n")
    r = batch.sla_report(POLICY, path, as_of=AS_OF)
    assert [row[:9] for row in report().rows] == [row[:9] for row in r.rows]
    assert ["not valid JSON"] == [e.message[:14] for e in r.errors]


def test_recorded_auto_resolutions_are_accepted_when_they_agree() -> None:
    requested = "WC-2,InfoRequested,2026-12-29T09:00:00+00:00,,,,,\n"
    log = LOG.replace(requested, requested + "WC-2,AutoResolved,2027-01-04T09:00:00+00:00,,,,,\n")
    later = batch.sla_report(
        POLICY,
        batch.read_log(io.StringIO(log), format="csv"),
        as_of=datetime(2027, 1, 5, tzinfo=LONDON),
    )
    assert () == later.errors
    disagree = log.replace("2027-01-04T09:00", "2027-01-04T08:00")
    wrong = batch.sla_report(
        POLICY,
        batch.read_log(io.StringIO(disagree), format="csv"),
        as_of=datetime(2027, 1, 5, tzinfo=LONDON),
    )
    assert ["PROC-4"] == [e.message[-7:-1] for e in wrong.errors]


def test_rows_are_plain_records_a_dataframe_takes() -> None:
    row = report().rows[0]
    assert batch.TicketRow._fields == tuple(row._asdict())
    assert isinstance(row, tuple)


def test_what_if_reports_the_changed_tickets_and_breach_flips() -> None:
    stricter = attrs.evolve(
        POLICY,
        response_targets=tuple(
            attrs.evolve(t, within=timedelta(hours=1)) if t.priority is wr.Priority.P2 else t
            for t in POLICY.response_targets
        ),
        auto_resolve_after_business_days=1,
    )
    r = batch.what_if(POLICY, stricter, batch.read_log(io.StringIO(LOG), format="csv"), as_of=AS_OF)
    changed = {d.ticket: d for d in r.changed}
    assert {"WC-1", "WC-2"} == set(changed)
    assert "now_breached" == changed["WC-1"].breach_flip
    assert datetime(2026, 11, 20, 18, 0, tzinfo=LONDON) == changed["WC-1"].due_after
    assert datetime(2026, 12, 30, 9, 0, tzinfo=LONDON) == changed["WC-2"].auto_resolved_after
    assert (4, 1, 0) == (r.tickets, r.now_breached, r.no_longer_breached)


def test_the_example_log_replays_cleanly() -> None:
    r = batch.sla_report(POLICY, EXAMPLE, as_of=AS_OF)
    assert () == r.errors
    assert len(r.rows) > 2500
    assert {"P1", "P2", "P3"} == {s.priority for s in r.summary}
    states = {row.state for row in r.rows}
    assert {"open", "escalated", "awaiting_info", "resolved", "closed"} <= states
