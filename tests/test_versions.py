"""Policies that change on a date: each ticket is judged by the version in force when lodged.

The cut-over used throughout: on 1 April 2027 the P2 target goes from 4 to 3 business hours and
the auto-resolve from 3 to 5 business days (version "2027-04").
"""

from __future__ import annotations

import io
import pickle
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules import batch
from westcoast_rules.batch import pieces
from westcoast_rules.cli import main

LONDON = ZoneInfo("Europe/London")
CUT_OVER = datetime(2027, 4, 1, tzinfo=LONDON)


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def with_p2_hours(policy: wr.SupportPolicy, hours: int) -> tuple[wr.ResponseTarget, ...]:
    return tuple(
        attrs.evolve(t, within=timedelta(hours=hours)) if t.priority is wr.Priority.P2 else t
        for t in policy.response_targets
    )


APRIL = attrs.evolve(
    wr.WESTCOAST,
    version="2027-04",
    response_targets=with_p2_hours(wr.WESTCOAST, 3),
    auto_resolve_after_business_days=5,
)
VERSIONS = wr.PolicyVersions((london(2026, 1, 1), wr.WESTCOAST), (CUT_OVER, APRIL))

LOG = """ticket,event,at,priority,channel,tier,category,every
WC-1,Lodged,2027-03-31T17:00:00+01:00,P2,email,,,
WC-2,Lodged,2027-04-01T09:00:00+01:00,P2,email,,,
WC-3,Lodged,2027-03-30T09:00:00+01:00,P2,email,,,
WC-3,Acknowledged,2027-03-30T10:00:00+01:00,,,,,
WC-3,InfoRequested,2027-03-31T10:00:00+01:00,,,,,
WC-4,Lodged,2027-04-01T09:00:00+01:00,P2,email,,,
WC-4,Acknowledged,2027-04-01T09:30:00+01:00,,,,,
WC-4,InfoRequested,2027-04-01T10:00:00+01:00,,,,,
"""
AS_OF = london(2027, 4, 30)


def rows(**kwargs: object) -> dict[str, batch.TicketRow]:
    report = batch.sla_report(VERSIONS, io.StringIO(LOG), as_of=AS_OF, format="csv", **kwargs)  # type: ignore[arg-type]
    assert () == report.errors
    return {row.ticket: row for row in report.rows}


# -- SupportPolicy.version ---------------------------------------------------------------------


def test_the_published_policy_is_version_1_and_evolve_keeps_a_version() -> None:
    assert "1" == wr.WESTCOAST.version
    assert "1" == attrs.evolve(wr.WESTCOAST, reopen_window_days=7).version
    assert "version='2027-04'" in repr(APRIL)
    assert APRIL == wr.from_json(wr.SupportPolicy, wr.to_json(APRIL))
    assert '"version": "2027-04"' in wr.to_json(APRIL)


def test_explanations_say_which_version_set_the_target() -> None:
    explanation = APRIL.explain(wr.Priority.P2, london(2027, 4, 1, 9))
    assert str(explanation).startswith(
        "P2 response due Thu 01 Apr 2027 12:00 BST under policy 2027-04: 3 business hours (SLA-3)"
    )
    assert "2027-04" == explanation.policy_version


@pytest.mark.parametrize("version", ["", "  ", 2027, None])
def test_a_version_is_a_non_empty_string(version: object) -> None:
    with pytest.raises(wr.WrongTypeError, match="version"):
        attrs.evolve(wr.WESTCOAST, version=version)


# -- PolicyVersions ----------------------------------------------------------------------------


def test_the_version_in_force_is_the_last_that_started_at_or_before_the_instant() -> None:
    assert wr.WESTCOAST is VERSIONS.in_force(london(2027, 3, 31, 23, 59, 59))
    assert APRIL is VERSIONS.in_force(CUT_OVER)
    assert APRIL is VERSIONS.in_force(CUT_OVER.astimezone(UTC))
    single = wr.PolicyVersions((london(2026, 1, 1), wr.WESTCOAST))  # one version alone
    assert wr.WESTCOAST is single.in_force(london(2030, 1, 1))


def test_an_instant_before_the_first_version_has_no_policy() -> None:
    with pytest.raises(wr.PolicyError, match="no version of the policy is in force"):
        VERSIONS.in_force(london(2025, 12, 31))


def test_versions_are_compared_as_instants_fold_included() -> None:
    """The two 01:30s of 25 October 2026 are an hour apart: in that order they ascend."""
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = first.replace(fold=1)
    versions = wr.PolicyVersions((first, wr.WESTCOAST), (second, APRIL))
    assert APRIL is versions.in_force(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))
    with pytest.raises(wr.PolicyError, match="time order"):
        wr.PolicyVersions((second, wr.WESTCOAST), (first, APRIL))


@pytest.mark.parametrize(
    ("versions", "error", "message"),
    [
        (((datetime(2026, 1, 1), wr.WESTCOAST),), wr.NaiveDatetimeError, "HOURS-5"),
        (((CUT_OVER, APRIL), (london(2026, 1, 1), wr.WESTCOAST)), wr.PolicyError, "time order"),
        (((CUT_OVER, wr.WESTCOAST), (CUT_OVER, APRIL)), wr.PolicyError, "time order"),
        (((london(2026, 1, 1), wr.WESTCOAST), (CUT_OVER, wr.WESTCOAST)), wr.PolicyError, "twice"),
        ((), wr.PolicyError, "at least one"),
        (((CUT_OVER, "WESTCOAST"),), wr.WrongTypeError, "SupportPolicy"),
        ((CUT_OVER,), wr.WrongTypeError, "pair"),
    ],
)
def test_versions_are_checked_when_built(
    versions: tuple[object, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        wr.PolicyVersions(*versions)  # type: ignore[arg-type]


def test_versions_pickle_and_round_trip_through_json() -> None:
    assert VERSIONS == pickle.loads(pickle.dumps(VERSIONS))
    assert VERSIONS == wr.from_json(wr.PolicyVersions, wr.to_json(VERSIONS))
    with pytest.raises(wr.DataError, match=r"no UTC offset.* @ \$\.versions\[0\]\.since"):
        wr.from_json(
            wr.PolicyVersions, '{"versions": [{"since": "2027-04-01T00:00:00", "policy": {}}]}'
        )


# -- a ticket is judged for its whole life by the version in force when it was lodged ---------


def test_the_cut_over_judges_each_ticket_by_its_lodging() -> None:
    report = rows()
    # Lodged 31 March 17:00, under 1: 4 business hours, the last three of them after the change.
    assert ("1", london(2027, 4, 1, 11)) == (
        report["WC-1"].policy_version,
        report["WC-1"].response_due,
    )
    # Lodged 1 April 09:00, under 2027-04: 3 business hours.
    assert ("2027-04", london(2027, 4, 1, 12)) == (
        report["WC-2"].policy_version,
        report["WC-2"].response_due,
    )


def test_a_ticket_lodged_before_the_change_auto_resolves_by_its_own_version() -> None:
    """WC-3 awaits information from Wednesday 31 March 10:00, under version 1: three business
    days (PROC-4) end on Monday 5 April at 10:00. WC-4 awaits it from 1 April 10:00, under
    2027-04: five business days end on Thursday 8 April at 10:00."""
    as_of = london(2027, 4, 5, 9)
    report = batch.sla_report(VERSIONS, io.StringIO(LOG), as_of=as_of, format="csv")
    by_ticket = {row.ticket: row for row in report.rows}
    wc3, wc4 = by_ticket["WC-3"], by_ticket["WC-4"]
    assert ("awaiting_info", "1") == (wc3.state, wc3.policy_version)
    assert (london(2027, 4, 5, 10), "auto_resolve") == (wc3.next_deadline, wc3.next_deadline_kind)
    assert (london(2027, 4, 5, 10), "chase") == (wc4.next_deadline, wc4.next_deadline_kind)
    replayed = {
        t.ticket_id: t.ticket
        for t in batch.replay_log(VERSIONS, batch.read_log(io.StringIO(LOG), format="csv"))
    }
    assert london(2027, 4, 5, 10) == replayed["WC-3"].auto_resolve_at  # type: ignore[union-attr]
    assert london(2027, 4, 8, 10) == replayed["WC-4"].auto_resolve_at  # type: ignore[union-attr]


def test_summaries_are_counted_per_version_too() -> None:
    summary = batch.SlaSummary()
    for _ in batch.report_log(
        VERSIONS, io.StringIO(LOG), as_of=AS_OF, format="csv", summary=summary
    ):
        pass
    assert {"1", "2027-04"} == set(summary.versions)
    assert 2 == summary.versions["1"].priorities()[0].tickets
    assert 4 == summary.priorities()[0].tickets


def test_a_plain_policy_reports_its_own_version() -> None:
    report = batch.sla_report(APRIL, io.StringIO(LOG), as_of=AS_OF, format="csv")
    assert {"2027-04"} == {row.policy_version for row in report.rows}


def test_a_ticket_lodged_before_the_first_version_is_one_bad_ticket() -> None:
    late = wr.PolicyVersions((CUT_OVER, APRIL))
    report = batch.sla_report(late, io.StringIO(LOG), as_of=AS_OF, format="csv")
    assert ["WC-2", "WC-4"] == [row.ticket for row in report.rows]
    assert any("no version of the policy is in force" in e.message for e in report.errors)
    ticket = wr.WESTCOAST.lodge("WC-9", london(2027, 3, 1, 9), wr.Priority.P2, wr.Channel.EMAIL)
    with pytest.raises(wr.PolicyError, match="no version"):
        batch.report_row(late, ticket, AS_OF)


def test_every_way_of_reporting_takes_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 100)
    path = tmp_path / "log.csv"
    path.write_text(LOG, encoding="utf-8")
    expected = batch.sla_report(VERSIONS, path, as_of=AS_OF)
    assert expected == batch.sla_report(VERSIONS, path, as_of=AS_OF, jobs=2)
    records = batch.read_log(io.StringIO(LOG), format="csv")
    assert expected.rows == batch.sla_report(VERSIONS, records, as_of=AS_OF).rows
    whatif = batch.what_if(VERSIONS, wr.WESTCOAST, path, as_of=AS_OF)
    assert {"WC-2", "WC-4"} == {diff.ticket for diff in whatif.changed}


# -- the command line --------------------------------------------------------------------------


def test_the_command_line_takes_versions_in_a_policy_file(tmp_path: Path) -> None:
    policy = tmp_path / "versions.json"
    policy.write_text(wr.to_json(VERSIONS), encoding="utf-8")
    out = io.StringIO()
    assert 0 == main(["--policy", str(policy), "due", "P2", "2027-04-01T09:00:00+01:00"], out=out)
    assert "2027-04-01 12:00 BST" in out.getvalue()
    out = io.StringIO()
    assert 0 == main(["--policy", str(policy), "due", "P2", "2027-03-31T17:00:00+01:00"], out=out)
    assert "2027-04-01 11:00 BST" in out.getvalue()
    log = tmp_path / "log.csv"
    log.write_text(LOG, encoding="utf-8")
    out = io.StringIO()
    args = ["--policy", str(policy), "report", str(log), "--as-of", "2027-04-30T00:00:00+01:00"]
    assert 0 == main([*args, "--rows", "--format", "csv"], out=out)
    assert "policy_version" in out.getvalue().splitlines()[0]
    assert "2027-04" in out.getvalue()
    out = io.StringIO()
    assert 0 == main([*args, "--by-version", "--format", "csv"], out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("policy_version,priority,tickets")
    assert ["1,P2,2", "2027-04,P2,2"] == [",".join(line.split(",")[:3]) for line in lines[1:]]
