"""Tables in, tables out: `westcoast_rules.frames` against the scalar API it stands on.

Every column answer is checked against the scalar answer for the same row: the calendar's
``add`` and ``elapsed``, ``response_due``, ``assess`` with ``response_status``, and the file
report. Columns come in pandas, Polars and PyArrow (``LIBRARIES``).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.strategies import around_hours, instants
from westcoast_rules import frames
from westcoast_rules.batch import sla_report

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
CALENDAR = wr.BusinessCalendar()
POLICY = wr.WESTCOAST
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 1, tzinfo=LONDON)
LIBRARIES = ("pandas", "polars", "pyarrow")


# -- columns of each library, and back to Python ----------------------------------------------


def column(values: Sequence[Any], library: str, kind: str = "instant") -> Any:
    """*values* (aware datetimes in UTC or durations, None for null) as a column of *library*."""
    if library == "pandas":
        dtype = "datetime64[us, UTC]" if kind == "instant" else "timedelta64[us]"
        return pd.Series(pd.array(list(values), dtype=dtype))
    if library == "polars":
        dtype_pl = pl.Datetime("us", "UTC") if kind == "instant" else pl.Duration("us")
        return pl.Series(list(values), dtype=dtype_pl)
    dtype_pa = pa.timestamp("us", tz="UTC") if kind == "instant" else pa.duration("us")
    return pa.array(list(values), type=dtype_pa)


def python(values: Any) -> list[Any]:
    """A result column as Python datetimes and timedeltas, None for null."""
    if isinstance(values, pd.Series):
        return [
            None
            if pd.isna(v)
            else v.to_pytimedelta()
            if isinstance(v, pd.Timedelta)
            else v.to_pydatetime()
            for v in values
        ]
    if isinstance(values, pl.Series):
        return values.to_list()
    return values.to_pylist()


def utc(values: Sequence[datetime | None]) -> list[datetime | None]:
    return [None if v is None else v.astimezone(UTC) for v in values]


def same_instants(got: Sequence[datetime | None], expected: Sequence[datetime | None]) -> None:
    assert utc(got) == utc(expected)


# -- the kernels ---------------------------------------------------------------------------


spans = st.one_of(
    st.integers(min_value=-600, max_value=600).map(lambda h: timedelta(hours=h)),
    st.timedeltas(min_value=timedelta(days=-40), max_value=timedelta(days=40)),
)
rows = st.lists(st.tuples(around_hours(), spans), min_size=1, max_size=40)


@given(rows, st.sampled_from(LIBRARIES))
def test_hours_3_business_add_is_calendar_add_row_by_row(
    pairs: list[tuple[datetime, timedelta]], library: str
) -> None:
    starts = [start.astimezone(UTC) for start, _ in pairs]
    durations = [duration for _, duration in pairs]
    got = python(
        frames.business_add(
            CALENDAR, column(starts, library), column(durations, library, "duration")
        )
    )
    same_instants(got, [CALENDAR.add(s, d) for s, d in pairs])
    assert all(v.tzinfo is not None and str(v.tzinfo) == "Europe/London" for v in got)


@given(rows, st.sampled_from(LIBRARIES))
def test_hours_3_business_elapsed_is_calendar_elapsed_row_by_row(
    pairs: list[tuple[datetime, timedelta]], library: str
) -> None:
    starts = [start.astimezone(UTC) for start, _ in pairs]
    ends = [(start + duration).astimezone(UTC) for start, duration in pairs]
    got = python(frames.business_elapsed(CALENDAR, column(starts, library), column(ends, library)))
    assert got == [CALENDAR.elapsed(a, b) for a, b in zip(starts, ends, strict=True)]


@given(
    st.lists(instants(datetime(2020, 1, 1), datetime(2030, 12, 31)), min_size=1, max_size=30),
    st.sampled_from(LIBRARIES),
    st.sampled_from(["P1", "P2", "P3"]),
)
def test_sla_2_to_4_response_due_is_the_scalar_due_row_by_row(
    lodged: list[datetime], library: str, priority: str
) -> None:
    got = python(frames.response_due(POLICY, priority.lower(), column(utc(lodged), library)))
    same_instants(got, [POLICY.response_due(wr.Priority(priority), t) for t in lodged])


def test_business_add_takes_one_duration_for_every_row_and_counts_back_from_an_opening() -> None:
    monday_ten = datetime(2026, 11, 23, 10, tzinfo=LONDON)
    starts = column([monday_ten, monday_ten], "polars")
    back = python(frames.business_add(CALENDAR, starts, timedelta(hours=-2)))
    assert back == [datetime(2026, 11, 23, 8, tzinfo=LONDON)] * 2  # the opening, not Friday 18:00


def test_a_result_on_a_close_is_that_close_and_no_time_to_add_is_the_instant_itself() -> None:
    friday_night = datetime(2026, 11, 20, 21, tzinfo=LONDON)
    starts = column([datetime(2026, 11, 23, 14, tzinfo=LONDON), friday_night], "pandas")
    durations = column([timedelta(hours=4), timedelta(0)], "pandas", "duration")
    got = python(frames.business_add(CALENDAR, starts, durations))
    same_instants(got, [datetime(2026, 11, 23, 18, tzinfo=LONDON), friday_night])


@pytest.mark.parametrize("library", LIBRARIES)
def test_nulls_in_nulls_out_and_the_column_keeps_its_type_when_every_value_is_null(
    library: str,
) -> None:
    start = column([None, datetime(2026, 11, 20, 17, tzinfo=UTC)], library)
    got = frames.business_add(
        CALENDAR, start, column([timedelta(hours=1), None], library, "duration")
    )
    assert python(got) == [None, None]
    empty = frames.business_elapsed(CALENDAR, column([None], library), column([None], library))
    due = frames.response_due(POLICY, "P2", column([None], library))
    if library == "pandas":
        assert str(due.dtype) == "datetime64[us, Europe/London]"
        assert str(empty.dtype) == "timedelta64[us]"
    elif library == "polars":
        assert due.dtype == pl.Datetime("us", "Europe/London")
        assert empty.dtype == pl.Duration("us")
    else:
        assert due.type == pa.timestamp("us", tz="Europe/London")
        assert empty.type == pa.duration("us")


def test_a_column_comes_back_in_its_own_library_and_shape() -> None:
    lodged = [datetime(2026, 11, 20, 17, tzinfo=UTC)]
    assert isinstance(frames.response_due(POLICY, "P2", pa.array(lodged)), pa.Array)
    chunked = pa.chunked_array([pa.array(lodged)])
    assert isinstance(frames.response_due(POLICY, "P2", chunked), pa.ChunkedArray)
    assert isinstance(frames.response_due(POLICY, "P2", pl.Series(lodged)), pl.Series)


def test_pandas_results_keep_the_index() -> None:
    start = pd.Series(
        pd.to_datetime(["2026-11-20 17:00", "2026-11-23 09:00"]).tz_localize(LONDON), index=[101, 7]
    )
    assert list(frames.business_add(CALENDAR, start, timedelta(hours=4)).index) == [101, 7]
    assert list(frames.business_elapsed(CALENDAR, start, start).index) == [101, 7]
    assert list(frames.response_due(POLICY, "p3", start).index) == [101, 7]


def test_a_pandas_zone_narwhals_cannot_read_is_read_and_results_are_in_the_policy_zone() -> None:
    lodged = pd.Series(pd.to_datetime(["2026-11-20 12:00"]).tz_localize(NEW_YORK))
    due = frames.response_due(POLICY, "P2", lodged)
    assert str(due.dt.tz) == "Europe/London"
    # 12:00 in New York is 17:00 in London: 1 hour on Friday, 3 on Monday.
    assert due.iloc[0] == pd.Timestamp("2026-11-23 11:00", tz="Europe/London")


def test_hours_5_a_naive_column_is_refused_naming_it() -> None:
    naive = pd.Series(pd.to_datetime(["2026-11-20 17:00"]))
    with pytest.raises(wr.NaiveDatetimeError, match=r"'start'.*HOURS-5.*tz_localize"):
        frames.business_add(CALENDAR, naive, timedelta(hours=1))
    with pytest.raises(wr.NaiveDatetimeError, match="'lodged_at'"):
        frames.response_due(POLICY, "P1", pl.Series([datetime(2026, 11, 20, 17)]))


def test_text_and_other_types_are_refused_saying_how_to_convert() -> None:
    with pytest.raises(wr.WrongTypeError, match="to_datetime"):
        frames.business_add(CALENDAR, pd.Series(["2026-11-20T17:00:00Z"]), timedelta(hours=1))
    with pytest.raises(wr.WrongTypeError, match="must be a column"):
        frames.business_add(CALENDAR, [datetime(2026, 11, 20, tzinfo=UTC)], timedelta(hours=1))
    with pytest.raises(wr.WrongTypeError, match="BusinessCalendar"):
        frames.business_add(POLICY, pl.Series([datetime(2026, 11, 20, tzinfo=UTC)]), timedelta(1))
    with pytest.raises(wr.DataError, match="one per row"):
        frames.business_elapsed(CALENDAR, pl.Series([AS_OF]), pl.Series([AS_OF, AS_OF]))


def test_another_calendar_is_honoured() -> None:
    dublin = wr.BusinessCalendar(zone="Europe/Dublin", hours={0: [(time(9), time(17))]})
    start = pl.Series([datetime(2026, 11, 23, 16, tzinfo=UTC)])  # a Monday
    got = python(frames.business_add(dublin, start, timedelta(hours=2)))
    assert got == [dublin.add(datetime(2026, 11, 23, 16, tzinfo=UTC), timedelta(hours=2))]
    assert str(got[0].tzinfo) == "Europe/Dublin"


def test_response_due_takes_a_priority_column_and_judges_each_row_by_its_version() -> None:
    april = attrs.evolve(
        POLICY,
        version="2027-04",
        response_targets=(
            wr.ResponseTarget(wr.Priority.P1, wr.Clock.REAL_TIME, timedelta(hours=1), ("SLA-2",)),
            *POLICY.response_targets[1:],
        ),
    )
    versions = wr.PolicyVersions(
        (datetime(2026, 1, 1, tzinfo=LONDON), POLICY), (datetime(2027, 4, 1, tzinfo=LONDON), april)
    )
    lodged = [datetime(2027, 3, 31, 22, 59, tzinfo=UTC), datetime(2027, 3, 31, 23, tzinfo=UTC)]
    got = python(frames.response_due(versions, pl.Series(["P1", "p1"]), pl.Series(lodged)))
    same_instants(got, [lodged[0] + timedelta(hours=2), lodged[1] + timedelta(hours=1)])


# -- a ticket table ------------------------------------------------------------------------


IMPACT = {
    wr.Priority.P1: wr.Impact.ALL_USERS,
    wr.Priority.P2: wr.Impact.SOME_USERS,
    wr.Priority.P3: wr.Impact.HOW_TO,
}
FRAMES_RULES = {"PRIO-4", "PRIO-5", "SLA-2", "SLA-3", "SLA-4", "SLA-6"}


def instants_of(text: pd.Series) -> Any:
    """RFC 9557 text as London timestamps (pandas reads the offset, not the bracket)."""
    plain = text.str.replace(r"\[.*\]", "", regex=True)
    return pd.to_datetime(plain, utc=True).dt.tz_convert(LONDON).to_numpy()


def export_from_log(path: Path = EXAMPLE) -> pd.DataFrame:
    """A helpdesk export made from the example log: each ticket's lodging and first response."""
    log = pd.read_csv(path, dtype=str, keep_default_na=False)
    lodged = log[log.event == "Lodged"].set_index("ticket")
    first = log[log.event == "Acknowledged"].groupby("ticket")["at"].first()
    return pd.DataFrame(
        {
            "ticket_id": lodged.index,
            "priority": lodged.priority.to_numpy(),
            "channel": lodged.channel.to_numpy(),
            "category": lodged.category.replace("", "service").to_numpy(),
            "created_at": instants_of(lodged["at"]),
            "first_response_at": instants_of(first.reindex(lodged.index)),
        }
    )


def by_hand(export: pd.DataFrame, as_of: datetime) -> list[tuple[Any, ...]]:
    """What an analyst's row loop over assess and response_status gives."""
    expected = []
    for row in export.itertuples(index=False):
        lodged = row.created_at.to_pydatetime()
        responded = (
            None if pd.isna(row.first_response_at) else row.first_response_at.to_pydatetime()
        )
        raised = wr.Priority(row.priority)
        assessment = POLICY.assess(
            wr.Enquiry(
                lodged, wr.Channel(row.channel), IMPACT[raised], category=wr.Category(row.category)
            )
        )
        rules = [
            r
            for r in assessment.rules
            if r in FRAMES_RULES or (assessment.priority is None and r.startswith("SCOPE-"))
        ]
        if assessment.priority is None:
            expected.append((None, None, "no_target", None, " ".join(rules)))
            continue
        status = POLICY.response_status(assessment.priority, lodged, as_of, responded)
        used = None if status.responded_at is None else status.used
        expected.append(
            (assessment.priority.value, status.due, status.state.value, used, " ".join(rules))
        )
    return expected


def sla_rows(out: Any) -> list[tuple[Any, ...]]:
    table = (
        out
        if isinstance(out, pd.DataFrame)
        else pl.from_arrow(out).to_pandas()
        if isinstance(out, pa.Table)
        else out.to_pandas()
    )
    result = []
    for row in table.itertuples(index=False):
        due = None if pd.isna(row.response_due) else row.response_due.to_pydatetime()
        used = None if pd.isna(row.time_to_respond) else row.time_to_respond.to_pytimedelta()
        priority = None if pd.isna(row.sla_priority) else row.sla_priority
        result.append((priority, due, row.response, used, row.rules))
    return result


def assert_same(got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]]) -> None:
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        assert (g[0], g[2], g[3], g[4]) == (e[0], e[2], e[3], e[4])
        assert (g[1] is None) == (e[1] is None)
        if e[1] is not None:
            assert g[1] == e[1].astimezone(g[1].tzinfo)


AFTER_EVERY_LODGING = datetime(2027, 2, 1, tzinfo=LONDON)  # of the example log


@pytest.fixture(scope="module")
def example_export() -> tuple[pd.DataFrame, list[tuple[Any, ...]]]:
    """The export made from the example log, and the analyst's loop over it as of
    :data:`AFTER_EVERY_LODGING`: made once, for each library's frame of it."""
    export = export_from_log()
    return export, by_hand(export, AFTER_EVERY_LODGING)


@pytest.mark.parametrize("library", LIBRARIES)
def test_sla_is_a_loop_over_assess_and_response_status_row_by_row(
    library: str, example_export: tuple[pd.DataFrame, list[tuple[Any, ...]]]
) -> None:
    export, expected = example_export
    native: Any = export if library == "pandas" else pl.from_pandas(export)
    if library == "pyarrow":
        native = native.to_arrow()
    as_of = AFTER_EVERY_LODGING
    out = frames.sla(POLICY, native, as_of=as_of, resolved_at=None)  # channel, category read
    assert_same(sla_rows(out), expected)
    assert len(out) == len(export)


def tickets(**columns: Any) -> pd.DataFrame:
    """An export of the tickets *columns* give (one row unless they say), every column an
    export has: phoned-in service work, neither responded to nor resolved, unless given."""
    rows = len(columns.get("ticket_id", ["WC-1"]))
    base = {
        "ticket_id": ["WC-1"],
        "priority": ["P2"] * rows,
        "channel": ["phone"] * rows,
        "category": ["service"] * rows,
        "created_at": [datetime(2026, 11, 20, 17, tzinfo=LONDON)] * rows,
        "first_response_at": [None] * rows,
        "resolved_at": [None] * rows,
    }
    base |= columns
    frame = pd.DataFrame(base)
    for name in ("created_at", "first_response_at", "resolved_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True).dt.tz_convert(LONDON)
    return frame


def judge(frame: pd.DataFrame, as_of: datetime = AS_OF, **keywords: Any) -> pd.Series:
    return frames.sla(POLICY, frame, as_of=as_of, **keywords).iloc[0]


def test_prio_4_a_p1_by_email_is_measured_as_p2() -> None:
    row = judge(tickets(priority=["P1"], channel=["Email"]))
    assert (row.sla_priority, row.rules) == ("P2", "PRIO-4 SLA-3")
    told_no_channel = judge(tickets(priority=["P1"], channel=["Email"]), channel=None)
    assert (told_no_channel.sla_priority, told_no_channel.rules) == ("P1", "SLA-2")


def test_prio_5_migration_work_is_at_most_p2_and_sla_6_partner_centre_work_has_no_target() -> None:
    frame = tickets(
        ticket_id=["WC-1", "WC-2", "WC-3"],
        priority=["P1", "P3", "P2"],
        channel=["phone", "phone", "email"],
        category=["migration", "partner_centre", "operating_system"],
        created_at=[datetime(2026, 11, 20, 9, tzinfo=LONDON)] * 3,
        first_response_at=[None] * 3,
    )
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    assert out.sla_priority.tolist()[0] == "P2"
    assert out.rules.tolist() == ["PRIO-5 SLA-3", "SCOPE-PC SLA-6", "SCOPE-OS"]
    assert out.response.tolist() == ["breached", "no_target", "no_target"]
    assert out.response_due.isna().tolist() == [False, True, True]
    every_id = {rule for rules in out.rules for rule in rules.split()}
    assert every_id <= set(wr.RULES)


def test_sla_1_a_response_at_the_due_instant_is_met_and_pending_runs_to_the_due_instant() -> None:
    due = datetime(2026, 11, 23, 11, tzinfo=LONDON)  # P2 lodged Friday 17:00
    assert judge(tickets(first_response_at=[due])).response == "met"
    assert (
        judge(tickets(first_response_at=[due + timedelta(microseconds=1)])).response == "breached"
    )
    assert judge(tickets(), as_of=due).response == "pending"
    assert judge(tickets(), as_of=due + timedelta(microseconds=1)).response == "breached"


def test_a_response_after_as_of_is_not_known_yet() -> None:
    row = judge(
        tickets(first_response_at=[datetime(2026, 11, 23, 10, tzinfo=LONDON)]),
        as_of=datetime(2026, 11, 23, 9, tzinfo=LONDON),
    )
    assert row.response == "pending"
    assert pd.isna(row.time_to_respond)


def test_time_to_respond_is_on_the_targets_own_clock() -> None:
    monday = datetime(2026, 11, 23, 10, tzinfo=LONDON)
    p2 = judge(tickets(first_response_at=[monday]))
    p1 = judge(tickets(priority=["P1"], first_response_at=[monday]))
    assert p2.time_to_respond == pd.Timedelta(hours=3)  # 1 h on Friday, 2 h on Monday
    assert p1.time_to_respond == pd.Timedelta(hours=65)  # real time


def test_values_that_are_no_priority_or_channel_are_refused_with_a_row_of_each() -> None:
    frame = tickets(
        ticket_id=["WC-1", "WC-2", "WC-3"],
        priority=["High", "P2", "High"],
        channel=["phone", "Web", "phone"],
        created_at=[datetime(2026, 11, 20, 9, tzinfo=LONDON)] * 3,
        first_response_at=[None] * 3,
    )
    with pytest.raises(
        wr.DataError,
        match=r"'High' is not a Priority: choose one of P1, P2, P3 \(column 'priority', tickets "
        r"WC-1, WC-3\).*\.replace\(",
    ):
        frames.sla(POLICY, frame, as_of=AS_OF)
    frame["priority"] = ["p1", "P2", "p3"]
    with pytest.raises(
        wr.DataError,
        match=r"'Web' is not a Channel: choose one of phone, email, helpcentre \(column "
        r"'channel', ticket WC-2\)",
    ):
        frames.sla(POLICY, frame, as_of=AS_OF)


def test_a_missing_column_is_named_with_its_keyword() -> None:
    with pytest.raises(wr.DataError, match=r"no column 'opened' for lodged_at="):
        frames.sla(POLICY, tickets(), as_of=AS_OF, lodged_at="opened")


def test_a_row_without_a_priority_or_lodging_gets_nulls_and_the_others_are_judged() -> None:
    frame = tickets(
        ticket_id=["WC-1", "WC-2"],
        priority=[None, "P2"],
        created_at=[datetime(2026, 11, 20, 9, tzinfo=LONDON)] * 2,
        first_response_at=[None, None],
    )
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    assert out.response.isna().tolist() == [True, False]
    assert out.response.iloc[1] == "breached"
    assert out.policy_version.isna().tolist() == [True, False]


def test_a_response_before_the_lodging_is_refused() -> None:
    frame = tickets(first_response_at=[datetime(2026, 11, 20, 16, tzinfo=LONDON)])
    with pytest.raises(wr.InvalidTimelineError, match="WC-1"):
        frames.sla(POLICY, frame, as_of=AS_OF)


def test_sla_keeps_rows_order_and_index_and_the_zone_of_its_columns() -> None:
    frame = tickets(
        ticket_id=["WC-2", "WC-1"],
        priority=["P3", "P1"],
        created_at=[datetime(2026, 11, 20, 9, tzinfo=NEW_YORK)] * 2,
        first_response_at=[None, None],
    )
    frame.index = [40, 3]
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    assert list(out.index) == [40, 3]
    assert out.ticket_id.tolist() == ["WC-2", "WC-1"]
    assert str(out.response_due.dtype) == "datetime64[us, Europe/London]"
    polars_out = frames.sla(POLICY, pl.from_pandas(frame), as_of=AS_OF)
    assert polars_out["response_due"].dtype == pl.Datetime("us", "Europe/London")


# -- an event table ------------------------------------------------------------------------


def report_table(out: Any) -> pd.DataFrame:
    if isinstance(out, pd.DataFrame):
        return out
    if isinstance(out, pa.Table):
        return out.to_pandas()
    return out.to_pandas()


def ticket_rows(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    rows = {}
    for record in table.to_dict("records"):
        clean = {}
        for key, value in record.items():
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                clean[key] = None
            elif isinstance(value, pd.Timestamp):
                clean[key] = value.to_pydatetime().astimezone(UTC)
            elif isinstance(value, pd.Timedelta):
                clean[key] = value.to_pytimedelta()
            else:
                clean[key] = value
        rows[clean["ticket"]] = clean
    return rows


def file_rows(report: Any) -> dict[str, dict[str, Any]]:
    rows = {}
    for row in report.rows:
        record = row._asdict()
        for key, value in record.items():
            if isinstance(value, datetime):
                record[key] = value.astimezone(UTC)
        rows[row.ticket] = record
    return rows


@pytest.mark.slow  # the whole example log
@pytest.mark.parametrize("library", LIBRARIES)
def test_report_of_a_shuffled_log_is_the_file_report(library: str) -> None:
    log = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False).sample(frac=1, random_state=7)
    native: Any = log if library == "pandas" else pl.from_pandas(log)
    if library == "pyarrow":
        native = native.to_arrow()
    out = frames.report(POLICY, native, as_of=AS_OF)
    assert (
        type(out).__module__.split(".")[0]
        == {"pandas": "pandas", "polars": "polars", "pyarrow": "pyarrow"}[library]
    )
    assert ticket_rows(report_table(out)) == file_rows(sla_report(POLICY, EXAMPLE, as_of=AS_OF))


LOG = """ticket,event,at,priority,channel,tier,category,every
WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email,1,service,
WC-1,Acknowledged,2026-11-23T10:30:00+00:00,,,,,
WC-1,InfoRequested,2026-11-23T11:00:00+00:00,,,,,
WC-1,UpdateTimeframeAgreed,2026-11-23T12:00:00+00:00,,,,,P2D
WC-2,Lodged,2026-11-21T02:00:00+00:00,P1,email,1,service,
WC-2,Acknowledged,2026-11-21T04:30:00+00:00,,,,,
WC-2,Resolved,2026-11-21T05:30:00+00:00,,,,,
WC-3,Lodged,2026-11-23T09:00:00+00:00,P3,email,1,partner_centre,
WC-3,Acknowledgd,2026-11-23T09:30:00+00:00,,,,,
"""


def write_log(tmp_path: Path, text: str = LOG) -> Path:
    path = tmp_path / "log.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_counts_bad_rows_as_the_file_report_and_warns_naming_each(tmp_path: Path) -> None:
    path = write_log(tmp_path)
    expected = file_rows(sla_report(POLICY, path, as_of=AS_OF))
    events = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[::-1]
    with pytest.warns(
        wr.BadRowsWarning,
        match=r"1 bad rows of events left out: events:0: unknown event 'Acknowledgd'",
    ):
        out = frames.report(POLICY, events, as_of=AS_OF)
    assert ticket_rows(out) == expected
    assert expected["WC-3"]["bad_rows"] == 1
    with pytest.raises(wr.DataError, match="events:0"):
        frames.report(POLICY, events, as_of=AS_OF, strict=True)


def test_report_reads_timestamps_durations_numbers_and_nulls(tmp_path: Path) -> None:
    path = write_log(tmp_path, LOG.replace("Acknowledgd", "Acknowledged"))
    expected = file_rows(sla_report(POLICY, path, as_of=AS_OF))
    text = pd.read_csv(path, dtype=str, keep_default_na=False)
    typed = pl.DataFrame(
        {
            "Ticket": text.ticket.tolist(),
            "EVENT": text.event.tolist(),
            "at": pd.to_datetime(text["at"], utc=True).dt.tz_convert(NEW_YORK).tolist(),
            "priority": [v or None for v in text.priority],
            "channel": [v or None for v in text.channel],
            "tier": [float(v) if v else None for v in text.tier],
            "category": [v or None for v in text.category],
            "every": [timedelta(days=2) if v else None for v in text.every],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = frames.report(POLICY, typed.sample(fraction=1.0, shuffle=True, seed=3), as_of=AS_OF)
    assert ticket_rows(out.to_pandas()) == expected
    assert out["lodged_at"].dtype == pl.Datetime("us", "Europe/London")
    assert out["notices"].to_list()[out["ticket"].to_list().index("WC-2")].endswith("(PRIO-4)")


def test_report_refuses_a_column_the_log_does_not_have() -> None:
    events = pd.DataFrame({"ticket": ["WC-1"], "event": ["Lodged"], "at": ["x"], "prority": ["P2"]})
    with pytest.raises(
        wr.DataError, match=r"unknown column 'prority' \(did you mean 'priority'\?\)"
    ):
        frames.report(POLICY, events, as_of=AS_OF)


def test_report_judges_each_ticket_by_its_version(tmp_path: Path) -> None:
    path = write_log(tmp_path, LOG.replace("Acknowledgd", "Acknowledged"))
    later = attrs.evolve(POLICY, version="2026-11-21")
    versions = wr.PolicyVersions(
        (datetime(2026, 1, 1, tzinfo=LONDON), POLICY),
        (datetime(2026, 11, 21, tzinfo=LONDON), later),
    )
    out = frames.report(versions, pd.read_csv(path, dtype=str, keep_default_na=False), as_of=AS_OF)
    assert dict(zip(out.ticket, out.policy_version, strict=True)) == {
        "WC-1": "1",
        "WC-2": "2026-11-21",
        "WC-3": "2026-11-21",
    }


# -- summaries -----------------------------------------------------------------------------


def test_summary_by_priority_is_the_reports_summary(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"  # the example log's first 600 rows: 123 tickets, every event
    path.write_text("".join(EXAMPLE.read_text().splitlines(keepends=True)[:601]))
    report = sla_report(POLICY, path, as_of=AS_OF)
    rows = pd.DataFrame(report.rows)
    out = frames.summary(
        frames.report(POLICY, pd.read_csv(path, dtype=str, keep_default_na=False), as_of=AS_OF)
    )
    assert ["P1", "P2", "P3"] == [line.priority for line in report.summary]
    assert out.to_dict("records") == [line._asdict() for line in report.summary]
    assert frames.summary(rows).to_dict("records") == [line._asdict() for line in report.summary]


def test_summary_by_month_counts_the_month_of_lodging_in_the_policy_zone() -> None:
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST).
    rows = pl.DataFrame(
        {
            "priority": ["P2", "P2", "P2"],
            "lodged_at": [
                datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
                datetime(2026, 3, 31, 22, tzinfo=UTC),
                datetime(2026, 4, 2, 9, tzinfo=UTC),
            ],
            "response": ["met", "breached", "pending"],
            "time_to_respond": [timedelta(minutes=59, seconds=1), timedelta(hours=5), None],
        }
    ).with_columns(pl.col("lodged_at").dt.convert_time_zone("Europe/London"))
    out = frames.summary(rows, by="month")
    assert out["month"].to_list() == ["2026-03", "2026-04"]
    assert out["tickets"].to_list() == [1, 2]
    assert out["breach_rate"].to_list() == [1.0, 0.0]
    assert out["median_response_hours"].to_list() == [5.0, 1.0]  # whole minutes, rounded up
    overall = frames.summary(rows, by=())
    assert overall.row(0, named=True)["pending"] == 1


def test_summary_of_sla_rows_by_their_priority_and_month() -> None:
    export = export_from_log()
    out = frames.sla(POLICY, export, as_of=AS_OF, resolved_at=None)
    lines = frames.summary(out, by=("sla_priority", "month"), lodged_at="created_at")
    assert lines.tickets.sum() == len(export)
    assert set(lines.sla_priority.dropna()) == {"P1", "P2", "P3"}


def test_summary_names_a_missing_column() -> None:
    with pytest.raises(wr.DataError, match="no column 'lodged_at' for lodged_at="):
        frames.summary(pd.DataFrame({"response": [], "time_to_respond": []}), by="month")


# -- the extra -----------------------------------------------------------------------------


def test_without_the_extra_importing_frames_says_which_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "narwhals.stable.v2", None)
    monkeypatch.delitem(sys.modules, "westcoast_rules.frames")
    with pytest.raises(wr.MissingExtraError, match=r'pip install "westcoast-rules\[frames\]"'):
        importlib.import_module("westcoast_rules.frames")
    monkeypatch.undo()
    assert importlib.import_module("westcoast_rules.frames") is not None


def test_importing_westcoast_rules_does_not_import_numpy_or_narwhals() -> None:
    code = "import sys, westcoast_rules; print('numpy' in sys.modules, 'narwhals' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
