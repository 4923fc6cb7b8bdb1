"""Event logs in bulk: reading, replaying, the SLA report and what-if.

Every example runs on every way a log reaches the report (``WAYS``): the records of
``read_log``, an open stream, a file, and a file cut into pieces for one process or for two.
They all replay on the lifecycle's one table, so a way that drifted would fail here by name.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules import batch
from westcoast_rules.batch import pieces

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


WAYS = ("records", "stream", "file", "file, jobs=1", "file, jobs=2")
"""How a log reaches the report: each example below runs every way."""


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A way a log reaches the report; files are cut into pieces of a few tickets each."""
    monkeypatch.setattr(pieces, "PIECE_BYTES", 60)
    monkeypatch.chdir(tmp_path)
    return str(request.param)


def source(text: str, way: str, suffix: str = ".csv") -> object:
    """The log *text* the given way, and the keyword arguments that go with it."""
    fmt = suffix[1:]
    if way == "records":
        return batch.read_log(io.StringIO(text), format=fmt)
    if way == "stream":
        return io.StringIO(text)
    path = Path(f"log{suffix}")
    path.write_text(text, encoding="utf-8")
    return path


def report(
    text: str = LOG,
    way: str = "records",
    *,
    policy: wr.SupportPolicy = POLICY,
    as_of: datetime = AS_OF,
    suffix: str = ".csv",
    **kwargs: object,
) -> batch.SlaReport:
    """The SLA report of the log *text*, reached the given way."""
    jobs = 2 if way.endswith("jobs=2") else 1
    fmt = suffix[1:] if way == "stream" else None
    log = source(text, way, suffix)
    return batch.sla_report(policy, log, as_of=as_of, format=fmt, jobs=jobs, **kwargs)  # type: ignore[arg-type]


def test_a_log_becomes_one_row_per_ticket_as_of_an_instant(way: str) -> None:
    r = report(LOG, way)
    rows = {row.ticket: row for row in r.rows}
    assert ["WC-1", "WC-2", "WC-3", "WC-4"] == list(rows)
    assert ("met", "closed") == (rows["WC-1"].response, rows["WC-1"].state)  # PROC-6 by time
    assert timedelta(hours=3.5) == rows["WC-1"].time_to_respond  # business time (SLA-3)
    assert ("breached", 2) == (rows["WC-3"].response, rows["WC-3"].tier)  # 2.5 h for a P1
    assert "no_target" == rows["WC-4"].response  # SLA-6
    assert () == r.errors


def test_proc_4_time_decides_what_the_log_does_not_record(way: str) -> None:
    """Requested Tue 29 Dec 09:00; 30th, 31st and (after New Year's Day) Mon 4 Jan."""
    wc2 = {row.ticket: row for row in report(LOG, way).rows}["WC-2"]
    assert ("awaiting_info", "auto_resolve") == (wc2.state, wc2.next_deadline_kind)
    later = report(LOG, way, as_of=datetime(2027, 1, 4, 9, 0, tzinfo=LONDON))
    wc2 = {row.ticket: row for row in later.rows}["WC-2"]
    assert ("resolved", "reopen_window_ends") == (wc2.state, wc2.next_deadline_kind)
    assert datetime(2027, 1, 10, 0, 0, tzinfo=LONDON) == wc2.next_deadline


def test_rows_after_the_report_instant_are_not_known_yet(way: str) -> None:
    early = report(LOG, way, as_of=datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    rows = {row.ticket: row for row in early.rows}
    assert ["WC-1", "WC-3", "WC-4"] == list(rows)  # WC-2 was lodged later
    assert ("pending", "open") == (rows["WC-1"].response, rows["WC-1"].state)
    assert ("response", datetime(2026, 11, 23, 11, 0, tzinfo=LONDON)) == (
        rows["WC-1"].next_deadline_kind,
        rows["WC-1"].next_deadline,
    )


def test_the_summary_counts_and_measures_per_priority(way: str) -> None:
    """SLA-1: WC-2's request for information, two business hours in, was its response."""
    summary = {s.priority: s for s in report(LOG, way).summary}
    p2 = summary["P2"]
    assert (2, 2, 0, 0) == (p2.tickets, p2.met, p2.breached, p2.pending)
    assert 0.0 == p2.breach_rate
    assert (2.0, 3.5) == (p2.median_response_hours, p2.p90_response_hours)
    assert summary["P3"].breach_rate is None


def test_a_summary_read_while_the_report_runs_counts_the_tickets_reported_so_far() -> None:
    """A caller that shows progress from its summary sees every ticket reported so far
    counted, in its priority too, not only when the report ends."""
    summary = batch.SlaSummary()
    rows = batch.report_log(wr.WESTCOAST, EXAMPLE, as_of=AS_OF, summary=summary, jobs=1)
    with contextlib.closing(rows):
        seen = list(itertools.islice(rows, 100))
        tickets = {row.ticket for row in seen if isinstance(row, batch.TicketRow)}
        assert summary.tickets == len(tickets) >= 90
        assert sum(part.tickets for part in summary.priorities()) == summary.tickets


BAD = """ticket,event,at,priority,channel,tier,category,every
WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email,1,service,
WC-1,Escalated,2026-11-20T16:00:00+00:00,,,,,
WC-1,Teleported,2026-11-21T16:00:00+00:00,,,,,
WC-1,Resolved,2026-11-23T10:00:00,,,,,
WC-1,Acknowledged,2026-11-23T10:30:00+00:00,P1,,,,
WC-2,Resolved,2026-11-23T10:30:00+00:00,,,,,
WC-3,Lodged,2026-11-23T10:30:00+00:00,P1,email,,,
"""


def test_bad_rows_are_reported_with_file_and_line_and_counted(way: str) -> None:
    r = report(BAD, way)
    lines = {error.line: error.message for error in r.errors}
    assert "time order (PROC-8)" in lines[3]
    assert "unknown event 'Teleported'" in lines[4]
    assert "no UTC offset" in lines[5]
    assert "Acknowledged takes no priority" in lines[6]
    assert "not Lodged (PROC-1)" in lines[7]
    assert 8 not in lines  # a P1 by email is accepted as a P2, as intake accepts it (PRIO-4)
    assert ["WC-1", "WC-3"] == [row.ticket for row in r.rows]
    assert 4 == r.rows[0].bad_rows
    assert "P2" == r.rows[1].priority
    assert r.rows[1].notices is not None
    assert r.rows[1].notices.endswith("Please phone the support desk for P1 handling. (PRIO-4)")
    assert all(str(e).startswith("<stream>:") or ":" in str(e) for e in r.errors)


def test_strict_mode_stops_at_the_first_bad_row(way: str) -> None:
    name = "<stream>" if way in ("records", "stream") else "log.csv"
    with pytest.raises(wr.DataError, match=rf"^{name}:3: .*PROC-8"):
        report(BAD, way, strict=True)


def test_a_bad_header_is_refused_at_once() -> None:
    with pytest.raises(wr.DataError, match="header"):
        list(batch.read_log(io.StringIO("id,what,when\n"), format="csv"))
    with pytest.raises(wr.DataError, match="cannot tell the format"):
        list(batch.read_log("events.txt"))


def test_json_lines_read_the_same_as_csv(way: str) -> None:
    lines = []
    for line in LOG.splitlines()[1:]:
        values = dict(zip(batch.LOG_COLUMNS, line.split(","), strict=True))
        lines.append(json.dumps({k: v for k, v in values.items() if v}) + "\n")
    r = report("".join([*lines, "not json\n"]), way, suffix=".jsonl")
    assert [row[:9] for row in report().rows] == [row[:9] for row in r.rows]
    assert ["not valid JSON"] == [e.message[:14] for e in r.errors]


def test_recorded_auto_resolutions_are_accepted_when_they_agree(way: str) -> None:
    requested = "WC-2,InfoRequested,2026-12-29T09:00:00+00:00,,,,,\n"
    log = LOG.replace(requested, requested + "WC-2,AutoResolved,2027-01-04T09:00:00+00:00,,,,,\n")
    later = report(log, way, as_of=datetime(2027, 1, 5, tzinfo=LONDON))
    assert () == later.errors
    disagree = log.replace("2027-01-04T09:00", "2027-01-04T08:00")
    wrong = report(disagree, way, as_of=datetime(2027, 1, 5, tzinfo=LONDON))
    assert ["PROC-4"] == [e.message[-7:-1] for e in wrong.errors]


def test_rows_are_plain_records_a_dataframe_takes(way: str) -> None:
    row = report(LOG, way).rows[0]
    assert batch.TicketRow._fields == tuple(row._asdict())
    assert isinstance(row, tuple)


@pytest.mark.parametrize("way", ["records", "stream", "file"])
def test_what_if_reports_the_changed_tickets_and_breach_flips(
    way: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    stricter = attrs.evolve(
        POLICY,
        response_targets=tuple(
            attrs.evolve(t, within=timedelta(hours=1)) if t.priority is wr.Priority.P2 else t
            for t in POLICY.response_targets
        ),
        auto_resolve_after_business_days=1,
    )
    fmt = "csv" if way == "stream" else None
    r = batch.what_if(POLICY, stricter, source(LOG, way), as_of=AS_OF, format=fmt)  # type: ignore[arg-type]
    changed = {d.ticket: d for d in r.changed}
    assert {"WC-1", "WC-2"} == set(changed)
    assert "now_breached" == changed["WC-1"].breach_flip
    assert datetime(2026, 11, 20, 18, 0, tzinfo=LONDON) == changed["WC-1"].due_after
    assert datetime(2026, 12, 30, 9, 0, tzinfo=LONDON) == changed["WC-2"].auto_resolved_after
    # SLA-1: WC-2's response was its request for information, two business hours in: met in
    # four, breached in one.
    assert "now_breached" == changed["WC-2"].breach_flip
    assert (4, 2, 0) == (r.tickets, r.now_breached, r.no_longer_breached)


def test_what_if_reports_a_ticket_it_cannot_judge_as_one_bad_row_and_compares_the_others() -> None:
    """A P3 lodged on the last evening of the holiday data is due on the next business day,
    past it: like the report, the what-if names that ticket in one bad row, at its Lodged row,
    and compares every other ticket (it raised CalendarRangeError and compared none)."""
    log = io.StringIO(
        "ticket,event,at,priority,channel\n"
        "WC-1,Lodged,2026-11-20T17:00:00+00:00[Europe/London],P2,email\n"
        "WC-2,Lodged,2100-12-31T17:00:00+00:00[Europe/London],P3,email\n"
    )
    as_of = datetime(2100, 12, 31, 23, tzinfo=LONDON)
    r = batch.what_if(POLICY, POLICY, log, as_of=as_of, format="csv")
    assert (1, ()) == (r.tickets, r.changed)
    [error] = r.errors
    assert (3, "WC-2") == (error.line, error.ticket)
    assert error.message.startswith("ticket WC-2 cannot be reported: ")
    assert "2101" in error.message
    log.seek(0)
    report = batch.sla_report(POLICY, log, as_of=as_of, format="csv")
    assert [error] == list(report.errors)


def test_the_files_of_these_examples_are_reported_by_two_processes(way: str) -> None:
    """The way "file, jobs=2" really is several pieces in several processes."""
    path = source(LOG, way)
    if isinstance(path, Path):
        assert len(list(pieces.split(path, "csv"))) > 2


@pytest.mark.slow  # the whole example log
@pytest.mark.parametrize("jobs", [1, 2])
def test_the_example_log_replays_cleanly(jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 100_000)  # the example log in ~7 pieces
    r = batch.sla_report(POLICY, EXAMPLE, as_of=AS_OF, jobs=jobs)
    assert () == r.errors
    assert len(r.rows) > 2500
    assert {"P1", "P2", "P3"} == {s.priority for s in r.summary}
    states = {row.state for row in r.rows}
    assert {"open", "escalated", "awaiting_info", "resolved", "closed"} <= states


END_OF_TIME = """ticket,event,at,priority,channel
WC-1,Lodged,9999-12-20T10:00:00+00:00[Europe/London],P1,phone
WC-1,Acknowledged,9999-12-20T11:00:00+00:00[Europe/London],,
WC-1,Resolved,9999-12-28T12:00:00+00:00[Europe/London],,
WC-2,Lodged,9999-12-20T10:00:00+00:00[Europe/London],P1,phone
WC-2,Resolved,9999-12-21T12:00:00+00:00[Europe/London],,
"""


def test_proc_6_a_reopen_window_past_9999_is_one_bad_row_the_rest_reported(way: str) -> None:
    """Resolved so late that its reopen window would end in the year 10000: that row is a bad
    row naming the ticket and the rule, and the ticket and the others are still reported."""
    result = report(END_OF_TIME, way, as_of=datetime(9999, 12, 31, 12, tzinfo=LONDON))
    [error] = result.errors
    assert (4, "WC-1") == (error.line, error.ticket)
    assert "outside the years a datetime can hold" in error.message
    assert "PROC-6" in error.message
    assert [("WC-1", "open", 1), ("WC-2", "closed", 0)] == [
        (row.ticket, row.state, row.bad_rows) for row in result.rows
    ]
    replayed = list(
        batch.replay_log(POLICY, batch.read_log(io.StringIO(END_OF_TIME), format="csv"))
    )
    assert [(1, "WC-1"), (0, "WC-2")] == [(len(r.errors), r.ticket_id) for r in replayed]
    assert replayed[0].ticket is not None
    assert (wr.State.OPEN, None) == (replayed[0].ticket.state, replayed[0].ticket.resolved_at)
