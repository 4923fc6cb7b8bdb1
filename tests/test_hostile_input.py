"""Hostile input: every problem is a typed error that says what is wrong, and nothing is lost.

From the API a problem is a ``WestcoastRulesError`` naming what was wrong and what to do; from
the command line, exit status 2 and one line on stderr; in a report, one bad row with its file
and line, while every other ticket is still reported. The reproducers come from a fuzzing
audit; the Hypothesis tests below look for the next ones.
"""

from __future__ import annotations

import contextlib
import io
import json
import string
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules import batch
from westcoast_rules.batch import pieces
from westcoast_rules.cli import main

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2027, 1, 31, tzinfo=LONDON)
HEADER = "ticket,event,at,priority,channel,tier,category,every\n"
GOOD = (
    "WC-2,Lodged,2026-01-05T09:00:00+00:00,P2,email,,,\n"
    "WC-2,Acknowledged,2026-01-05T10:00:00+00:00,,,,,\n"
    "WC-3,Lodged,2026-01-06T09:00:00+00:00,P3,phone,,,\n"
)
WAYS = ("records", "stream", "file", "file, jobs=2")


def report(text: str, way: str, tmp_path: Path, suffix: str = ".csv") -> batch.SlaReport:
    """The report of a log *text* reached one way; pieces of a few lines for two processes."""
    path = tmp_path / f"log{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    fmt = suffix[1:]
    if way == "records":
        return batch.sla_report(wr.WESTCOAST, batch.read_log(path), as_of=AS_OF)
    if way == "stream":
        with path.open(encoding="utf-8", errors="surrogateescape", newline="\n") as handle:
            return batch.sla_report(wr.WESTCOAST, handle, as_of=AS_OF, format=fmt)
    return batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF, jobs=2 if "2" in way else 1)


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 120)


def cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue(), capsys.readouterr().err


def tickets(r: batch.SlaReport) -> list[str]:
    return [row.ticket for row in r.rows]


# -- log reading -------------------------------------------------------------------------------


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("after", [0, 200_000])
def test_1_an_unclosed_quote_is_one_bad_row_and_the_rest_is_read(
    way: str, after: int, tmp_path: Path
) -> None:
    stray = 'WC-1,"Acknowledged,2026-01-05T10:00:00+00:00,,\n'
    padding = "".join(
        f"WC-9{i},Resolved,2026-01-0{1 + i % 5}T12:00:00+00:00,,,,,\n" for i in range(after // 50)
    )
    r = report(HEADER + stray + GOOD + padding, way, tmp_path)
    assert ["WC-2", "WC-3"] == tickets(r)[:2]
    [unclosed] = [e for e in r.errors if "unclosed quote" in e.message]
    assert 2 == unclosed.line
    assert str(unclosed).startswith(f"{tmp_path / 'log.csv'}:2:") or way == "stream"


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_2_an_invalid_utf8_byte_is_one_bad_row(way: str, suffix: str, tmp_path: Path) -> None:
    bad = "WC-1,Lodged,2026-01-05T09:00:00+00:00,P2,em\udcffail,,,\n"
    text = HEADER + bad + GOOD
    if suffix == ".jsonl":
        text = as_jsonl(text)
    r = report(text, way, tmp_path, suffix)
    assert ["WC-2", "WC-3"] == tickets(r)
    [error] = r.errors
    assert (2 if suffix == ".csv" else 1, "the byte 0xff at column") == (
        error.line,
        error.message[:23],
    )
    assert "save the log as UTF-8" in error.message


def as_jsonl(csv_text: str) -> str:
    """The rows of a CSV log as JSON Lines (keeping each line's bytes as they are)."""
    lines = []
    columns = batch.LOG_COLUMNS
    for line in csv_text.splitlines()[1:]:
        values = dict(zip(columns, line.split(","), strict=False))
        lines.append(json.dumps({k: v for k, v in values.items() if v}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def test_2_a_policy_file_that_is_not_utf8_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "policy.json"
    policy.write_bytes(b'{"schema": "westcoast_rules/1", "version": "\xff"}')
    status, _, err = cli(
        "--policy", str(policy), "due", "P2", "2026-11-20T17:00:00Z", capsys=capsys
    )
    assert (2, 1) == (status, len(err.splitlines()))
    assert "not UTF-8" in err


@pytest.mark.parametrize(
    ("stamp", "message"),
    [
        ("2026-01-05T09:00:00+00:00[Europe]", "unknown time zone 'Europe'"),
        ("2026-01-05T09:00:00+00:00[" + "A" * 300 + "]", "unknown time zone"),
        ("9999-12-31T23:00:00+00:00[Pacific/Kiritimati]", "outside the years a datetime can hold"),
    ],
)
def test_3_and_4_zones_that_are_no_zone_and_instants_beyond_datetime_are_bad_rows(
    stamp: str, message: str, tmp_path: Path
) -> None:
    for way in WAYS:
        r = report(f"{HEADER}WC-1,Lodged,{stamp},P2,email,,,\n{GOOD}", way, tmp_path)
        assert ["WC-2", "WC-3"] == tickets(r), way
        assert [message in e.message for e in r.errors] == [True], way


def test_4_a_duration_longer_than_a_timedelta_is_a_bad_row(tmp_path: Path) -> None:
    agreed = "WC-2,UpdateTimeframeAgreed,2026-01-05T11:00:00+00:00,,,,,P1000000000D\n"
    lines = GOOD.splitlines(keepends=True)
    r = report(HEADER + lines[0] + lines[1] + agreed + lines[2], "file", tmp_path)
    assert ["WC-2", "WC-3"] == tickets(r)
    assert [4] == [e.line for e in r.errors]
    assert "longer than a timedelta holds" in r.errors[0].message


@pytest.mark.parametrize("way", WAYS)
def test_5_a_ticket_lodged_where_there_is_no_holiday_data_is_one_bad_ticket(
    way: str, tmp_path: Path
) -> None:
    old = "WC-1,Lodged,1871-06-05T09:00:00+00:00,P2,email,,,\n"
    old += "WC-1,Resolved,1871-06-06T09:00:00+00:00,,,,,\n"
    r = report(HEADER + old + GOOD, way, tmp_path)
    assert ["WC-2", "WC-3"] == tickets(r)
    [error] = r.errors
    assert (2, "WC-1") == (error.line, error.ticket)
    assert "outside" in error.message


def test_5_the_bad_ticket_is_counted_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + "WC-1,Lodged,1871-06-05T09:00:00+00:00,P2,email,,,\n" + GOOD)
    summary = batch.SlaSummary()
    list(batch.report_log(wr.WESTCOAST, path, as_of=AS_OF, summary=summary))
    assert (1, 1, 3) == (summary.unreadable_tickets, summary.bad_rows, summary.tickets)


def test_6_one_numbering_everywhere_with_a_lone_carriage_return(tmp_path: Path) -> None:
    rows = [
        {
            "ticket": f"WC-{i}",
            "event": "Lodged",
            "at": "2026-01-05T09:00:00+00:00",
            "priority": "P2",
            "channel": "email",
        }
        for i in range(60)
    ]
    lines = [json.dumps(row) for row in rows]
    lines[10] = lines[10][:-1] + '\r"oops"}'  # a lone CR inside a line: not a line break
    lines[30] = "not json"
    text = "\n".join(lines) + "\n"
    one, two = (report(text, way, tmp_path, ".jsonl") for way in ("file", "file, jobs=2"))
    assert one == two
    assert [11, 31] == [error.line for error in one.errors]
    assert [11, 31] == [error.line for error in report(text, "records", tmp_path, ".jsonl").errors]


@pytest.mark.parametrize("way", WAYS)
def test_7_a_byte_order_mark_and_capitals_in_the_header_are_read(way: str, tmp_path: Path) -> None:
    header = "\ufeffTicket, Event ,AT,Priority,Channel,Tier,Category,Every\n"
    r = report(header + GOOD, way, tmp_path)
    assert (["WC-2", "WC-3"], ()) == (tickets(r), r.errors)


def test_7_an_unknown_column_is_refused_by_name() -> None:
    log = io.StringIO("ticket,event,at,priority,channel,catagory\n")
    with pytest.raises(
        wr.DataError, match=r"unknown column 'catagory' \(did you mean 'category'\?\)"
    ):
        list(batch.read_log(log, format="csv"))


@pytest.mark.parametrize("way", ["records", "stream"])
def test_8_a_stream_whose_ticket_comes_back_is_grouped_by_ticket(way: str, tmp_path: Path) -> None:
    """A stream or records cannot be read twice: they are held and grouped by ticket, as a
    file is, so a ticket that comes back is one ticket."""
    back = "WC-2,Resolved,2026-01-07T09:00:00+00:00,,,,,\n"
    r = report(HEADER + GOOD + back, way, tmp_path)
    assert (["WC-2", "WC-3"], ()) == (tickets(r), r.errors)
    assert "closed" == r.rows[0].state  # resolved on the 7th, closed by time (PROC-6)


@pytest.mark.parametrize("way", ["file", "file, jobs=2"])
def test_8_a_file_whose_ticket_comes_back_is_grouped_by_ticket(way: str, tmp_path: Path) -> None:
    back = "WC-2,Resolved,2026-01-07T09:00:00+00:00,,,,,\n"
    r = report(HEADER + GOOD + back, way, tmp_path)
    assert (["WC-2", "WC-3"], ()) == (tickets(r), r.errors)
    assert "closed" == r.rows[0].state  # resolved on the 7th, closed by time (PROC-6)


@pytest.mark.parametrize("way", WAYS)
def test_9_a_p1_by_email_is_a_p2_with_prio_4s_notice(way: str, tmp_path: Path) -> None:
    email = "WC-1,Lodged,2026-01-05T09:00:00+00:00,P1,email,,,\n"
    email += "WC-1,Acknowledged,2026-01-05T12:00:00+00:00,,,,,\n"
    r = report(HEADER + email + GOOD, way, tmp_path)
    row = r.rows[0]
    assert ("WC-1", "P2", "met") == (row.ticket, row.priority, row.response)
    assert row.notices is not None
    assert "accepted as P2" in row.notices
    assert row.notices.endswith("(PRIO-4)")
    assert () == r.errors


def test_9_later_rows_are_not_blamed_for_a_refused_lodging(tmp_path: Path) -> None:
    strict = attrs.evolve(wr.WESTCOAST, p1_by_other_channel_becomes=None)
    log = HEADER + "WC-1,Lodged,2026-01-05T09:00:00+00:00,P1,email,,,\n"
    log += "WC-1,Acknowledged,2026-01-05T10:00:00+00:00,,,,,\n" + GOOD
    r = batch.sla_report(strict, io.StringIO(log), as_of=AS_OF, format="csv")
    first, later = r.errors
    assert "PRIO-4" in first.message
    assert "sorted" not in later.message
    assert "was not lodged, its row at line 2 being bad" in later.message


@pytest.mark.parametrize("text", ["", HEADER, HEADER + "\n\n"])
def test_10_a_log_without_events_is_refused(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(text)
    with pytest.raises(wr.DataError, match="holds no events"):
        batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF)
    status, _, err = cli("report", str(path), "--as-of", "2026-12-31T12:00:00Z", capsys=capsys)
    assert (2, 1) == (status, len(err.splitlines()))


def test_11_csv_rows_carry_offsets_that_csv_readers_take(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "log.csv"
    path.write_text(HEADER + GOOD)
    _, out, _ = cli(
        "report",
        str(path),
        "--as-of",
        "2026-12-31T12:00:00Z",
        "--rows",
        "--format",
        "csv",
        capsys=capsys,
    )
    frame = pandas.read_csv(io.StringIO(out))
    lodged = pandas.to_datetime(frame["lodged_at"], format="ISO8601", utc=True)
    assert datetime(2026, 1, 5, 9, tzinfo=UTC) == lodged[0].to_pydatetime()


# -- the API and the command line --------------------------------------------------------------


def test_12_json_errors_are_data_errors_that_say_what_is_wrong() -> None:
    with pytest.raises(wr.WrongTypeError, match=r"the record type comes first"):
        wr.from_json("{}", wr.Ticket)  # type: ignore[arg-type]
    with pytest.raises(wr.DataError, match="nested too deeply"):
        wr.from_json(wr.Ticket, "[" * 100_000)
    with pytest.raises(wr.DataError, match=r"expected a BusinessCalendar .* @ \$\.calendar"):
        wr.from_dict(wr.SupportPolicy, {"calendar": "x"})


def test_13_a_directory_or_a_name_too_long_for_a_log_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for log in (str(tmp_path), str(tmp_path / ("x" * 300 + ".csv"))):
        for extra in ([], ["--log-format", "csv"]):
            status, _, err = cli(
                "report", log, "--as-of", "2026-12-31T12:00:00Z", *extra, capsys=capsys
            )
            assert (2, 1) == (status, len(err.splitlines())), err
    with pytest.raises(wr.DataError, match="is a directory"):
        batch.sla_report(wr.WESTCOAST, tmp_path, as_of=AS_OF, format="csv")


def test_14_a_data_frame_is_pointed_to_frames() -> None:
    class Frame:
        columns = ("ticket", "event", "at")

        def __iter__(self) -> object:
            return iter(self.columns)

    with pytest.raises(wr.WrongTypeError, match=r"frames\.report"):
        batch.sla_report(wr.WESTCOAST, Frame(), as_of=AS_OF)  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError, match="LogRow and RowError"):
        batch.sla_report(wr.WESTCOAST, ["WC-1,Lodged"], as_of=AS_OF)  # type: ignore[list-item]


@pytest.mark.parametrize(
    "argv",
    [
        ["--reopen-days", "999999999"],
        ["--p2-hours", "inf"],
        ["--p2-hours", "nan"],
        ["--p1-hours", "-1"],
        ["--auto-resolve-days", "0"],
    ],
)
def test_15_policy_values_without_bounds_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(HEADER + GOOD)
    try:
        status, _, err = cli(
            "whatif", str(path), "--as-of", "2026-12-31T12:00:00Z", *argv, capsys=capsys
        )
    except SystemExit as exit:  # argparse refuses the value itself
        status, err = int(str(exit.code)), capsys.readouterr().err
    assert (2, 1) == (status, len(err.splitlines())), err


def test_15_policy_values_are_bounded_where_the_rules_compute_with_them() -> None:
    with pytest.raises(wr.PolicyError, match="3,660"):
        attrs.evolve(wr.WESTCOAST, reopen_window_days=999_999_999)
    with pytest.raises(wr.PolicyError, match="at most a year"):
        wr.ResponseTarget(wr.Priority.P2, wr.Clock.BUSINESS_HOURS, timedelta(days=400), ("SLA-3",))


def test_16_the_end_of_time_is_a_calendar_range_error(capsys: pytest.CaptureFixture[str]) -> None:
    unbounded = wr.BusinessCalendar(regions=())
    with pytest.raises(wr.CalendarRangeError, match="9999"):
        unbounded.next_business_day(date(9999, 12, 31))
    policy = attrs.evolve(wr.WESTCOAST, calendar=unbounded)
    with pytest.raises(wr.CalendarRangeError):
        policy.response_due(wr.Priority.P3, datetime(9999, 12, 31, 20, tzinfo=UTC))
    status, _, err = cli("due", "P1", "9999-12-31T23:30:00+00:00", capsys=capsys)
    assert (2, 1) == (status, len(err.splitlines()))
    assert "after 9999-12-31" in err
    assert "microseconds" not in err


def test_17_a_refused_word_has_one_wording_at_every_door(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The API, JSON, a log's rows, a frame's column and the command line refuse a word alike,
    each door then saying where it was; a tier likewise, parsed in one place."""
    said = "'urgent' is not a Priority: choose one of P1, P2, P3"
    with pytest.raises(wr.DataError) as api:
        wr.Priority("urgent")
    assert said == str(api.value)
    lodged = wr.to_dict(
        wr.Lodged("WC-1", datetime(2026, 11, 23, 9, tzinfo=UTC), wr.Priority.P2, wr.Channel.EMAIL)
    )
    with pytest.raises(wr.DataError) as document:
        wr.from_dict(wr.Lodged, {**lodged, "priority": "urgent", "tier": 4})
    assert f"{said} @ $.priority" in str(document.value)
    assert "4 is not a Tier: choose one of 1, 2, 3 @ $.tier" in str(document.value)
    log = HEADER + "WC-1,Lodged,2026-01-05T09:00:00+00:00,urgent,email,,,\n"
    log += "WC-2,Lodged,2026-01-05T09:00:00+00:00,P2,email,4,,\n"
    first, second = batch.read_log(io.StringIO(log), format="csv")
    assert isinstance(first, batch.RowError)
    assert isinstance(second, batch.RowError)
    assert (2, f"{said} (column priority)") == (first.line, first.message)
    assert "'4' is not a Tier: choose one of 1, 2, 3 (column tier)" == second.message
    pd = pytest.importorskip("pandas")
    from westcoast_rules import frames  # noqa: PLC0415 - the [frames] extra

    export = pd.DataFrame(
        {
            "ticket_id": ["WC-1", "WC-2", "WC-3"],
            "priority": ["urgent", "P2", "urgent"],
            "created_at": pd.to_datetime(["2026-11-23T09:00:00Z"] * 3),
            "first_response_at": pd.to_datetime([None] * 3, utc=True),
            "resolved_at": pd.to_datetime([None] * 3, utc=True),
            "channel": ["phone"] * 3,
            "category": ["service"] * 3,
        }
    )
    with pytest.raises(wr.DataError) as column:
        frames.sla(wr.WESTCOAST, export, as_of=AS_OF)
    assert f"{said} (column 'priority', tickets WC-1, WC-3)" in str(column.value)
    with pytest.raises(SystemExit) as exited:  # argparse's own refusal exits directly
        main(["due", "urgent", "2026-11-20T17:00+00:00"], out=io.StringIO())
    assert 2 == exited.value.code
    assert f": {said} (see " in capsys.readouterr().err


def test_17_wrong_choices_name_the_right_ones() -> None:
    with pytest.raises(ValueError, match=r"^'High' is not a Priority: choose one of P1, P2, P3$"):
        wr.Priority("High")
    with pytest.raises(wr.DataError):
        wr.Channel("Web")
    with pytest.raises(wr.WrongTypeError, match=r"Priority\.P1"):
        wr.WESTCOAST.response_due("P2", datetime(2026, 11, 20, 17, tzinfo=UTC))  # type: ignore[arg-type]
    with pytest.raises(wr.WrongTypeError, match=r"Tier\.TIER_1"):
        wr.WESTCOAST.lodge(
            "WC-1", datetime(2026, 11, 20, tzinfo=UTC), wr.Priority.P1, wr.Channel.PHONE, tier=2
        )  # type: ignore[arg-type]
    assert wr.Priority.P2 is wr.Priority("p2")  # case does not matter
    assert wr.Channel.EMAIL is wr.Channel("Email")


# -- fuzzing: only the documented errors come out ----------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(wr.serialization.RECORD_TYPES), json_values)
def test_from_dict_of_any_json_raises_only_data_errors(kind: type, value: object) -> None:
    for data in (value, {"type": kind.__name__, "schema": "westcoast_rules/1", "x": value}):
        with contextlib.suppress(wr.DataError):
            wr.from_dict(kind, data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(wr.serialization.RECORD_TYPES), st.data())
def test_damaged_documents_of_every_record_raise_only_data_errors(
    kind: type, data: st.DataObject
) -> None:
    """A real document of each record, with one value replaced: a typed error or a record."""
    record = next(iter(EXAMPLES[kind]))
    document = wr.to_dict(record)
    keys = [key for key in document if key not in ("schema", "type")]
    if keys:
        document[data.draw(st.sampled_from(keys))] = data.draw(json_values)
    with contextlib.suppress(wr.DataError):
        wr.from_dict(kind, document)


def _examples() -> dict[type, list[object]]:
    lodged = datetime(2026, 11, 20, 17, tzinfo=LONDON)
    ticket = wr.WESTCOAST.apply(
        wr.WESTCOAST.lodge("WC-1", lodged, wr.Priority.P2, wr.Channel.EMAIL),
        wr.InfoRequested(lodged + timedelta(days=3)),
    )
    enquiry = wr.Enquiry(lodged, wr.Channel.EMAIL, wr.Impact.SOME_USERS)
    explanation = wr.WESTCOAST.explain(wr.Priority.P2, lodged)
    status = wr.WESTCOAST.response_status(wr.Priority.P2, lodged, lodged + timedelta(days=1))
    records: list[object] = [
        *ticket.history,
        wr.UpdateTimeframeAgreed(lodged, timedelta(hours=4)),
        wr.Escalated(lodged),
        wr.Resolved(lodged),
        wr.ResolutionConfirmed(lodged),
        wr.ResolutionRejected(lodged),
        wr.Reopened(lodged),
        wr.AutoResolved(lodged),
        wr.Closed(lodged),
        wr.InfoReceived(lodged),
        wr.Acknowledged(lodged),
        ticket,
        wr.WESTCOAST.deadlines(ticket),
        enquiry,
        wr.WESTCOAST.assess(enquiry),
        wr.Notice("PRIO-4", "words"),
        wr.WESTCOAST,
        wr.WESTCOAST.calendar,
        wr.Window(wr.WESTCOAST_HOURS[0][0].start, wr.WESTCOAST_HOURS[0][0].end),
        wr.HolidayRegion("GB", "ENG"),
        wr.RESPONSE_TARGETS[0],
        wr.SCOPE_TABLE[0],
        status,
        status.milestones[0],
        explanation,
        explanation.steps[0],
        wr.OpenPeriod(lodged, lodged + timedelta(hours=1)),
        wr.RULES["SLA-3"],
        wr.PolicyVersions((lodged, wr.WESTCOAST)),
    ]
    examples: dict[type, list[object]] = {}
    for record in records:
        examples.setdefault(type(record), []).append(record)
    return examples


EXAMPLES = _examples()


def test_every_record_type_has_an_example_to_damage() -> None:
    assert set(wr.serialization.RECORD_TYPES) <= set(EXAMPLES)


printable = st.text(string.printable, max_size=30)
damage = st.one_of(
    st.just('"'),
    st.just("\x00"),
    st.just("\r"),
    st.just("\ufeff"),
    st.just("\udcff"),
    st.just(",,,"),
    st.just("[Europe]"),
    st.just("[Mars/Olympus]"),
    st.just("9" * 40),
    st.just("P99999999999D"),
    st.just("9999-12-31T23:59:59+00:00[Pacific/Kiritimati]"),
    st.just("1871-01-01T00:00:00+00:00"),
    printable,
)
BASE = (
    HEADER
    + GOOD
    + (
        "WC-4,Lodged,2026-03-29T00:30:00+00:00[Europe/London],P1,phone,2,,\n"
        "WC-4,InfoRequested,2026-03-29T03:30:00+01:00,,,,,\n"
        "WC-4,UpdateTimeframeAgreed,2026-03-29T04:30:00+01:00,,,,,PT4H\n"
        "WC-4,InfoReceived,2026-03-30T09:00:00+01:00,,,,,\n"
        "WC-4,Resolved,2026-03-31T09:00:00+01:00,,,,,\n"
        "WC-5,Lodged,2026-10-25T01:30:00+00:00[Europe/London],P2,helpcentre,,migration,\n"
        "WC-5,Escalated,2026-10-26T09:00:00+00:00,,,,,\n"
    )
)


@pytest.mark.slow  # a pool of processes for every generated log
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(st.tuples(st.integers(0, len(BASE)), damage), min_size=1, max_size=4),
    suffix=st.sampled_from([".csv", ".jsonl"]),
)
def test_damaged_logs_lose_no_line_and_every_way_agrees(
    edits: list[tuple[int, str]], suffix: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    text = BASE if suffix == ".csv" else as_jsonl(BASE)
    for place, inserted in sorted(edits, reverse=True):
        where = min(place, len(text))
        text = text[:where] + inserted + text[where:]
    tmp_path = tmp_path_factory.mktemp("log")
    results = {}
    for way in WAYS:
        try:
            results[way] = report(text, way, tmp_path, suffix)
        except wr.DataError as exc:  # the header itself is damaged: the whole file is refused
            results[way] = type(exc)  # type: ignore[assignment]
    reference = results["records"]
    together = not isinstance(reference, batch.SlaReport) or not any(
        "comes back after other tickets" in error.message for error in reference.errors
    )
    for way, result in results.items():
        if way.startswith("file") and not together:  # a file is grouped by ticket, a stream not
            reference = results["file"]
        if isinstance(result, batch.SlaReport) and isinstance(reference, batch.SlaReport):
            assert (reference.rows, reference.summary) == (result.rows, result.summary), way
            assert [e.line for e in reference.errors] == [e.line for e in result.errors], way
        else:
            assert reference == result, way
    if not isinstance(reference, batch.SlaReport):
        return
    # Every line is a bad row, or belongs to a ticket the report counted.
    counted = {row.ticket for row in reference.rows}
    counted |= {
        t.ticket_id
        for t in batch.replay_log(wr.WESTCOAST, batch.read_log(tmp_path / f"log{suffix}"))
        if t.ticket_id
    }
    bad = {error.line for error in reference.errors}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if (number == 1 and suffix == ".csv") or not line.strip() or number in bad:
            continue
        previous = lines[number - 2] if number > 1 else ""
        if suffix == ".csv" and (previous.count('"') % 2 or line.count('"') % 2):
            continue  # a line of a quoted field that holds a line break: one record of two
        ticket = line.split(",")[0] if suffix == ".csv" else _ticket_of_json(line)
        assert ticket in counted, (number, line)


def _ticket_of_json(line: str) -> object:
    try:
        return json.loads(line.removeprefix("\ufeff")).get("ticket")
    except (ValueError, AttributeError):
        return None


words = st.sampled_from(
    [
        "due",
        "explain",
        "assess",
        "report",
        "whatif",
        "calendar",
        "P1",
        "P2",
        "P4",
        "p2",
        "--format",
        "csv",
        "json",
        "table",
        "--as-of",
        "2026-12-31T12:00:00Z",
        "2026-02-30T00:00",
        "9999-12-31T23:59:59+00:00",
        "--rows",
        "--strict",
        "--jobs",
        "0",
        "2",
        "--policy",
        "--at",
        "--channel",
        "email",
        "fax",
        "--impact",
        "all_users",
        "--category",
        "dns",
        "--p2-hours",
        "nan",
        "1e308",
        "--reopen-days",
        "-5",
        "99999999999",
        "--log-format",
        "jsonl",
        "--by-version",
        "--against",
        "/",
        "/nonexistent",
        "2027",
        "0",
        "-1",
        "",
    ]
)


@settings(deadline=None)
@given(st.lists(words, max_size=7))
def test_any_command_line_exits_0_or_2_with_one_line(argv: list[str]) -> None:
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            status = main(argv, out=io.StringIO())
    except SystemExit as exit:
        status = 0 if exit.code is None else int(str(exit.code))
    assert status in (0, 2)
    if status == 2:
        assert 1 == len(err.getvalue().strip().splitlines()) or "usage:" in err.getvalue()
