"""The report's fast path and its processes give the reference path's answers, ticket by ticket.

`report_log` over a file or stream replays on integer instants (``_fastpath``), and over
several processes with ``jobs`` (``_parallel``). The reference is `report_log` over the
records of `read_log`, which goes through `replay_log` and `report_row`: the lifecycle
itself. Every comparison here is whole: rows, bad rows with their lines, and the summary.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules import _fastpath, _parallel, batch, lifecycle
from westcoast_rules.events import Acknowledged

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)
STRICTER = attrs.evolve(
    wr.WESTCOAST,
    reopen_at_ceiling_on_rejection=False,
    p1_may_start_at_tier_2=False,
    auto_resolve_after_business_days=2,
    reopen_window_days=2,
)
"""A policy whose decisions differ from WESTCOAST's wherever the fast path reads one."""


def both(
    text: str, fmt: str, policy: wr.SupportPolicy = wr.WESTCOAST, **options: object
) -> tuple[object, object]:
    """The report of *text* by the fast path and by the reference path: items and summary,
    or the error raised."""
    results = []
    for fast in (True, False):
        stream = io.StringIO(text)
        source = stream if fast else batch.read_log(stream, format=fmt)
        summary = batch.SlaSummary()
        try:
            items = list(
                batch.report_log(
                    policy,
                    source,
                    format=fmt,
                    summary=summary,
                    **options,  # type: ignore[arg-type]
                )
            )
        except wr.WestcoastRulesError as exc:
            results.append((type(exc), str(exc)))
        else:
            results.append((items, summary))
    return results[0], results[1]


# -- logs to compare on ------------------------------------------------------------------------

NAMES = [kind.__name__ for kind in wr.EVENT_TYPES if kind is not wr.Lodged]


ALLOWED = {
    state: sorted({row.event.__name__ for row in lifecycle.TRANSITIONS if row.source is state})
    for state in lifecycle.State
}
TIME_DECIDED = ("AutoResolved", "Closed")


@st.composite
def rows_of_a_ticket(draw: st.DrawFn, number: int) -> list[list[str]]:
    """A ticket's rows in LOG_COLUMNS order: mostly what a desk records, sometimes not.

    The ticket is followed under WESTCOAST as the rows are drawn, so most events are ones its
    state allows; the rest, and a few damaged rows, try the paths where rules refuse.
    """
    ticket_id = f"WC-{number}"
    at = draw(st.datetimes(datetime(2026, 10, 20), datetime(2027, 1, 10)))
    at = at.replace(second=0, microsecond=0, tzinfo=LONDON)
    priority = draw(st.sampled_from(["P1", "P2", "P2", "P3", "P3"] * 4 + ["P4"]))
    channel = draw(st.sampled_from(["phone", "phone", "email", "helpcentre"]))
    tier = draw(
        st.sampled_from(
            ["", "1", "1", "1", "2", "3"] if priority == "P1" else ["", "1"] * 4 + ["2"]
        )
    )
    category = draw(st.sampled_from(["", "service", "migration", "root_cause_analysis", "dns"]))
    rows = [[ticket_id, "Lodged", draw(stamps(at)), priority, channel, tier, category, ""]]
    try:
        ticket: lifecycle.Ticket | None = wr.WESTCOAST.replay([batch._event_in_order(rows[0])])
    except wr.WestcoastRulesError:
        ticket = None
    for _ in range(draw(st.integers(0, 7))):
        gap = draw(st.sampled_from([0, 5, 90, 60 * 20, 60 * 24 * 2, 60 * 24 * 6, -30]))
        at += timedelta(minutes=gap + draw(st.integers(0, 59)))
        if ticket is not None and at >= ticket.history[-1].at:
            before = len(ticket.history)
            ticket = wr.WESTCOAST.advance(ticket, at)
            decided = ticket.history[before:]
            for event in decided:  # a log may record what time decided, or not
                if draw(st.booleans()):
                    rows.append([ticket_id, type(event).__name__, event.at.isoformat()] + [""] * 5)
        choices = NAMES if ticket is None else ALLOWED[ticket.state] or NAMES
        choices = [name for name in choices if name not in TIME_DECIDED] or NAMES
        name = draw(st.sampled_from(NAMES if draw(st.integers(0, 9)) == 0 else choices))
        every = ""
        if name == "UpdateTimeframeAgreed":
            every = draw(st.sampled_from(["PT4H", "P2D"] * 4 + ["PT0S", "soon"]))
        row = [ticket_id, name, draw(stamps(at)), "", "", "", "", every]
        if draw(st.integers(0, 80)) == 0:
            row[draw(st.integers(1, 7))] = draw(st.sampled_from(["", "P2", "x", "Lodged"]))
        rows.append(row)
        if ticket is not None:
            with contextlib.suppress(wr.WestcoastRulesError):  # a refused row changes nothing
                ticket = wr.WESTCOAST.apply(ticket, batch._event_in_order(row))
    return rows


def stamps(at: datetime) -> st.SearchStrategy[str]:
    """*at* as a log writes it: zoned, offset only or in UTC; now and then, wrong."""
    local = at.astimezone(LONDON)
    good = [
        f"{local.isoformat()}[Europe/London]",
        local.isoformat(),
        local.astimezone(UTC).isoformat(),
    ]
    bad = [
        f"{local.replace(tzinfo=None).isoformat()}+05:00[Europe/London]",
        local.replace(tzinfo=None).isoformat(),
        f"{local.isoformat()}[Mars/Olympus]",
        f"{local.isoformat()}[Europe/London",
        "yesterday",
    ]
    return st.integers(0, 60).flatmap(
        lambda n: st.sampled_from(bad) if n == 0 else st.sampled_from(good)
    )


@st.composite
def logs(draw: st.DrawFn) -> list[list[str]]:
    tickets = draw(st.integers(1, 6))
    rows: list[list[str]] = []
    for number in range(tickets):
        rows.extend(draw(rows_of_a_ticket(number % 4)))  # ids may repeat, out of turn
    return rows


def as_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(batch.LOG_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def as_jsonl(rows: list[list[str]]) -> str:
    lines = []
    for row in rows:
        fields: dict[str, object] = {
            k: v for k, v in zip(batch.LOG_COLUMNS, row, strict=False) if v
        }
        if fields.get("tier", "").isdigit():  # type: ignore[union-attr]
            fields["tier"] = int(fields["tier"])  # type: ignore[arg-type]
        lines.append(json.dumps(fields))
    return "\n".join(lines) + "\n"


as_ofs = st.datetimes(datetime(2026, 10, 20), datetime(2027, 1, 20), timezones=st.just(LONDON))


@given(logs(), as_ofs, st.sampled_from(["csv", "jsonl"]), st.sampled_from([wr.WESTCOAST, STRICTER]))
def test_the_fast_path_reports_what_the_lifecycle_does(
    rows: list[list[str]], as_of: datetime, fmt: str, policy: wr.SupportPolicy
) -> None:
    text = as_csv(rows) if fmt == "csv" else as_jsonl(rows)
    fast, reference = both(text, fmt, policy, as_of=as_of)
    assert fast == reference


@given(logs(), as_ofs)
def test_strict_stops_at_the_same_row_with_the_same_message(
    rows: list[list[str]], as_of: datetime
) -> None:
    fast, reference = both(as_csv(rows), "csv", as_of=as_of, strict=True)
    assert fast == reference


def test_the_example_log_goes_almost_all_the_fast_way(monkeypatch: pytest.MonkeyPatch) -> None:
    given_back = []
    replay = _fastpath.FastReplay.replay

    def counting(self: _fastpath.FastReplay, rows: list[list[str]]) -> object:
        outcome = replay(self, rows)
        given_back.append(outcome is _fastpath.Verdict.GIVE_BACK)
        return outcome

    monkeypatch.setattr(_fastpath.FastReplay, "replay", counting)
    fast, reference = both(EXAMPLE.read_text(), "csv", as_of=AS_OF)
    assert fast == reference
    assert sum(given_back) / len(given_back) < 0.05  # those still awaiting information


@pytest.mark.parametrize(
    "as_of",
    [
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # the spring change
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON).replace(fold=1),  # the repeated hour
        datetime(2026, 12, 24, 17, 59, tzinfo=LONDON),
        datetime(2027, 6, 1, tzinfo=LONDON),
    ],
)
def test_the_example_log_as_of_other_instants(as_of: datetime) -> None:
    for policy in (wr.WESTCOAST, STRICTER):
        fast, reference = both(EXAMPLE.read_text(), "csv", policy, as_of=as_of)
        assert fast == reference


def test_a_header_in_another_order_and_without_optional_columns() -> None:
    text = (
        "at,event,ticket,priority,channel\n"
        "2026-11-20T17:00:00+00:00,Lodged,WC-1,P2,email\n"
        "2026-11-23T10:30:00+00:00,Acknowledged,WC-1,,\n"
    )
    fast, reference = both(text, "csv", as_of=AS_OF)
    assert fast == reference
    items, _ = fast  # type: ignore[misc]
    assert ["met"] == [row.response for row in items]


# -- the guards' twins -------------------------------------------------------------------------


def test_every_guard_of_the_table_has_an_integer_twin() -> None:
    plan = _fastpath.compile_table()
    twins = {twin for steps in plan.values() for _, parts in steps for twin in parts}
    assert _fastpath._unknown_guard not in twins
    assert len(plan) == len({(row.source, row.event) for row in lifecycle.TRANSITIONS})


def test_a_guard_without_a_twin_sends_the_ticket_to_the_reference() -> None:
    def novel(policy: object, ticket: object, event: object) -> None:
        return None

    row = lifecycle.Transition(lifecycle.State.OPEN, Acknowledged, lifecycle.State.OPEN, "SLA-1")
    plan = _fastpath.compile_table((attrs.evolve(row, guard=novel),))
    [(_, parts)] = plan[lifecycle.State.OPEN, Acknowledged]
    assert (_fastpath._unknown_guard,) == parts


instants_or_none = st.none() | st.integers(0, 10)


@given(
    responded=instants_or_none,
    auto=instants_or_none,
    until=instants_or_none,
    at=st.integers(0, 10),
    tier=st.integers(1, 3),
    ceiling=st.integers(1, 3),
    confirmed=st.booleans(),
    policy=st.sampled_from([wr.WESTCOAST, STRICTER]),
)
def test_each_twin_allows_exactly_what_its_guard_allows(  # noqa: PLR0917
    responded: int | None,
    auto: int | None,
    until: int | None,
    at: int,
    tier: int,
    ceiling: int,
    confirmed: bool,
    policy: wr.SupportPolicy,
) -> None:
    base = datetime(2026, 11, 23, 9, tzinfo=LONDON)

    def when(hours: int | None) -> datetime | None:
        return None if hours is None else base + timedelta(hours=hours)

    facts = SimpleNamespace(
        id="WC-1",
        category=wr.Category.SERVICE,
        tier=wr.Tier(tier),
        ceiling=wr.Tier(ceiling),
        responded_at=when(responded),
        auto_resolve_at=when(auto),
        reopen_until=when(until),
        confirmed=confirmed,
    )
    hour = 3_600_000_000
    origin = round(base.timestamp()) * 1_000_000
    ticket = SimpleNamespace(
        tier=tier,
        ceiling=ceiling,
        confirmed=confirmed,
        responded=None if responded is None else origin + responded * hour,
        auto=None if auto is None else origin + auto * hour,
        until=None if until is None else origin + until * hour,
    )
    event = Acknowledged(when(at))  # type: ignore[arg-type]
    for guard, twin in _fastpath.TWINS.items():
        allowed = guard(policy, facts, event) is None  # type: ignore[operator]
        assert allowed == twin(policy, ticket, origin + at * hour), guard  # type: ignore[arg-type]


# -- several processes -------------------------------------------------------------------------


def write(tmp_path: Path, text: str, suffix: str = ".csv") -> Path:
    path = tmp_path / f"log{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def in_processes(path: Path, jobs: int, **options: object) -> object:
    summary = batch.SlaSummary()
    try:
        items = list(
            batch.report_log(
                wr.WESTCOAST,
                path,
                as_of=AS_OF,
                summary=summary,
                jobs=jobs,
                **options,  # type: ignore[arg-type]
            )
        )
    except wr.WestcoastRulesError as exc:
        return type(exc), str(exc)
    return items, summary


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "PIECE_BYTES", 3_000)


@pytest.mark.usefixtures("small_pieces")
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_two_processes_give_the_same_report_in_the_same_order(tmp_path: Path, suffix: str) -> None:
    rows = list(csv.reader(io.StringIO(EXAMPLE.read_text())))[1:600]
    rows[40][2] = "not a time"  # bad rows keep their line numbers
    rows[41] = rows[41][:3]
    rows[300][1] = "Lodged"
    rows.insert(200, [])
    text = as_csv(rows) if suffix == ".csv" else as_jsonl(rows)
    path = write(tmp_path, text, suffix)
    assert len(list(_parallel.split(path, suffix[1:]))) > 5
    one, two = in_processes(path, 1), in_processes(path, 2)
    assert one == two
    errors = [item for item in one[0] if isinstance(item, batch.RowError)]  # type: ignore[index]
    assert len(errors) >= 3


@pytest.mark.usefixtures("small_pieces")
def test_strict_in_processes_raises_the_first_bad_row_of_the_file(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(EXAMPLE.read_text())))[1:600]
    rows[450][2] = "late"
    rows[500][2] = "later"
    path = write(tmp_path, as_csv(rows))
    raised = in_processes(path, 2, strict=True)
    assert raised == in_processes(path, 1, strict=True)
    assert f"{path}:452:" in raised[1]  # type: ignore[index]


@given(logs(), st.integers(50, 400))
def test_pieces_are_cut_where_the_reader_starts_a_ticket(rows: list[list[str]], size: int) -> None:
    text = as_csv(rows).replace('"', "")
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), text)
        pieces = list(_parallel.split(path, "csv", size))
        groups = list(batch._groups(batch.read_log(path), batch._TICKET_OF))
    assert pieces[0].start == len(text.splitlines(keepends=True)[0].encode())
    assert all(a.end == b.start for a, b in itertools.pairwise(pieces))
    assert pieces[-1].end == len(text.encode())
    assert {piece.line for piece in pieces} <= {group[0].line for group in groups}


@pytest.mark.usefixtures("small_pieces")
def test_from_a_quote_on_the_rest_of_the_file_is_read_as_one_stream(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(EXAMPLE.read_text())))[1:600]
    rows[400][7] = "P\nT4H"  # a line break in a quoted field: not a place to cut
    rows[401][2] = "late"
    path = write(tmp_path, as_csv(rows))
    pieces = list(_parallel.split(path, "csv"))
    assert pieces[-1].end is None
    assert all(piece.end is not None for piece in pieces[:-1])
    one, two = in_processes(path, 1), in_processes(path, 2)
    assert one == two
    lines = [item.line for item in one[0] if isinstance(item, batch.RowError)]  # type: ignore[index]
    assert [403, 404] == lines[:2]  # rows[400] spans lines 402-403; rows[401] is line 404


@pytest.mark.parametrize("jobs", [0, -1, True, 1.5, "2"])
def test_jobs_must_be_a_whole_number_of_processes(jobs: object) -> None:
    with pytest.raises(wr.WrongTypeError, match="jobs must be"):
        list(batch.report_log(wr.WESTCOAST, EXAMPLE, as_of=AS_OF, jobs=jobs))  # type: ignore[arg-type]


@pytest.mark.parametrize("stamp", ["9999-12-31T23:30:00-05:00", "0001-01-01T00:10:00+01:00"])
def test_instants_beyond_what_a_datetime_holds_are_bad_rows(stamp: str) -> None:
    text = f"ticket,event,at,priority,channel\nWC-1,Lodged,{stamp},P2,email\n"
    fast, reference = both(text, "csv", as_of=AS_OF)
    assert fast == reference
    [error] = fast[0]  # type: ignore[index]
    assert "outside the years a datetime can hold" in error.message


def test_an_event_beyond_what_a_datetime_holds_is_refused() -> None:
    late = datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(wr.CalendarRangeError, match="outside the years"):
        Acknowledged(late)
