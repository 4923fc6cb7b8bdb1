"""The doors an analyst walks through give the rules' answer or say why not.

``frames.sla`` reads the columns its keywords name (and refuses a missing one unless told
``None``); times in coarse units are range-checked, never wrapped; a row that cannot be judged
is a null and one warning naming its ticket; ``frames.bad_rows`` lists what ``frames.report``
leaves out; summaries count the priority measured, in the policy's months and weeks. And a
generated export through ``frames.sla`` is, row by row, what the lifecycle and the SLA clock
say of the same tickets.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules import frames
from westcoast_rules.batch import sla_report
from westcoast_rules.cli import main
from westcoast_rules.sla import NO_CONTACT, first_contact

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
AS_OF = datetime(2026, 12, 1, tzinfo=LONDON)
FRIDAY_5PM = datetime(2026, 11, 20, 17, tzinfo=LONDON)
MONDAY_10AM = datetime(2026, 11, 23, 10, tzinfo=LONDON)
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
YEAR_586_000 = 18_430_000_000_000  # seconds since 1970: an instant no datetime holds


def export(**columns: Any) -> pd.DataFrame:
    """A helpdesk export with every column sla reads: phoned-in P2 service work lodged on a
    Friday at 17:00, neither responded to nor resolved, unless *columns* say otherwise."""
    rows = len(columns.get("ticket_id", ["WC-1"]))
    base: dict[str, Any] = {
        "ticket_id": [f"WC-{i + 1}" for i in range(rows)],
        "priority": ["P2"] * rows,
        "channel": ["phone"] * rows,
        "category": ["service"] * rows,
        "created_at": [FRIDAY_5PM] * rows,
        "first_response_at": [None] * rows,
        "resolved_at": [None] * rows,
    }
    frame = pd.DataFrame(base | columns)
    for name in ("created_at", "first_response_at", "resolved_at"):
        if frame[name].dtype == object:
            frame[name] = pd.to_datetime(frame[name], utc=True).dt.tz_convert(LONDON)
    return frame


def seconds(values: list[int | None]) -> pd.Series:
    """Seconds since 1970 as a pandas ``datetime64[s, UTC]`` column, as pandas 2 reads them
    from Parquet or ``astype("datetime64[s, UTC]")``."""
    raw = np.array([np.iinfo(np.int64).min if v is None else v for v in values], dtype=np.int64)
    return pd.Series(raw.view("datetime64[s]")).dt.tz_localize("UTC")


# -- the keywords name columns, nothing is assumed ------------------------------------------


def test_prio_4_and_sla_6_channel_and_category_are_read_by_default() -> None:
    frame = export(
        ticket_id=["WC-1", "WC-2"], priority=["P1", "P2"], channel=["email", "phone"],
        category=["service", "partner_centre"],
    )  # fmt: skip
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    assert out.sla_priority.iloc[0] == "P2"
    assert pd.isna(out.sla_priority.iloc[1])
    assert out.rules.tolist() == ["PRIO-4 SLA-3", "SCOPE-PC SLA-6"]
    assert out.response.tolist()[1] == "no_target"


@pytest.mark.parametrize(
    ("dropped", "meaning"),
    [
        ("channel", "priority is taken as recorded"),
        ("category", "service work"),
        ("resolved_at", "no ticket is taken as resolved"),
    ],
)
def test_a_missing_optional_column_is_refused_unless_its_keyword_is_none(
    dropped: str, meaning: str
) -> None:
    frame = export().drop(columns=[dropped])
    with pytest.raises(wr.DataError, match=rf"no column '{dropped}' for {dropped}=.*{meaning}"):
        frames.sla(POLICY, frame, as_of=AS_OF)
    told = frames.sla(POLICY, frame, as_of=AS_OF, **{dropped: None})
    assert told.response.tolist() == ["breached"]


def test_a_missing_columns_error_suggests_the_closest_name_never_the_first_column() -> None:
    frame = export().rename(columns={"created_at": "Created At", "resolved_at": "closed"})
    with pytest.raises(wr.DataError, match=r"lodged_at='Created At'") as refused:
        frames.sla(POLICY, frame, as_of=AS_OF)
    assert "lodged_at='ticket_id'" not in str(refused.value)
    with pytest.raises(wr.DataError) as unlike:
        frames.sla(POLICY, frame, as_of=AS_OF, lodged_at="Created At")
    assert "resolved_at='" not in str(unlike.value)  # nothing close: no guess, the columns listed
    assert "'closed'" in str(unlike.value)


def test_a_required_keyword_cannot_be_left_out() -> None:
    with pytest.raises(wr.WrongTypeError, match="responded_at= must name a column"):
        frames.sla(POLICY, export(), as_of=AS_OF, responded_at=None)  # type: ignore[arg-type]


# -- SLA-1: a resolution is a response -------------------------------------------------------


def test_sla_1_first_contact_is_the_earlier_of_response_and_resolution_known_by_now() -> None:
    assert first_contact(NO_CONTACT, 5_000, now=9_000) == 5_000
    assert first_contact(7_000, 5_000, now=9_000) == 5_000
    assert first_contact(7_000, 12_000, now=9_000) == 7_000
    assert first_contact(10_000, 12_000, now=9_000) == NO_CONTACT
    columns = first_contact(np.array([NO_CONTACT, 7_000]), np.array([5_000, 12_000]), now=9_000)
    assert columns.tolist() == [5_000, 7_000]


def test_sla_1_a_ticket_resolved_without_a_first_response_responded_at_its_resolution() -> None:
    frame = export(
        ticket_id=["WC-1", "WC-2", "WC-3"],
        first_response_at=[None, None, MONDAY_10AM + timedelta(hours=5)],
        resolved_at=[MONDAY_10AM, MONDAY_10AM + timedelta(hours=2), MONDAY_10AM],
    )
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    # Due Monday 11:00 (SLA-3): resolved at 10:00 is met, at 12:00 breached by an hour, and
    # the time to respond stops at the resolution instead of growing until as_of.
    assert out.response.tolist() == ["met", "breached", "met"]
    hours = [pd.Timedelta(hours=h) for h in (3, 5, 3)]
    assert out.time_to_respond.tolist() == hours
    assert out.rules.tolist() == ["SLA-3 SLA-1", "SLA-3 SLA-1", "SLA-3 SLA-1"]


def test_sla_1_a_first_response_before_the_resolution_is_the_response() -> None:
    row = frames.sla(
        POLICY,
        export(first_response_at=[MONDAY_10AM], resolved_at=[MONDAY_10AM + timedelta(days=1)]),
        as_of=AS_OF,
    ).iloc[0]
    assert (row.response, row.time_to_respond, row.rules) == (
        "met",
        pd.Timedelta(hours=3),
        "SLA-3",
    )


def test_a_resolution_before_the_lodging_is_refused() -> None:
    with pytest.raises(wr.InvalidTimelineError, match=r"resolved before .* WC-1 \(row 0\)"):
        frames.sla(POLICY, export(resolved_at=[FRIDAY_5PM - timedelta(hours=1)]), as_of=AS_OF)


# -- coarse units and rows that cannot be judged --------------------------------------------


def _far_future_columns(library: str) -> Any:
    """An export whose second row was lodged in year ~586,000, in a coarse unit."""
    frame = export(ticket_id=["WC-1", "WC-2"])
    lodged = seconds([int(FRIDAY_5PM.timestamp()), YEAR_586_000])
    frame["created_at"] = lodged
    if library == "pandas":
        return frame
    table = pl.from_pandas(frame.drop(columns=["created_at"])).with_columns(
        pl.Series("created_at", [int(FRIDAY_5PM.timestamp()) * 1000, YEAR_586_000 * 1000])
        .cast(pl.Datetime("ms"))
        .dt.replace_time_zone("UTC")
    )
    if library == "polars":
        return table
    arrow = table.drop("created_at").to_arrow()
    stamps = pa.array([int(FRIDAY_5PM.timestamp()), YEAR_586_000], pa.timestamp("s", tz="UTC"))
    return arrow.append_column("created_at", stamps)


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_an_instant_no_datetime_holds_is_a_null_and_one_warning_never_a_wrapped_date(
    library: str,
) -> None:
    with pytest.warns(wr.BadRowsWarning, match=r"1 rows .* WC-2 \(row 1, column 'created_at'"):
        out = frames.sla(POLICY, _far_future_columns(library), as_of=AS_OF)
    table = out if library == "pandas" else pl.from_arrow(out) if library == "pyarrow" else out
    table = table.to_pandas() if not isinstance(table, pd.DataFrame) else table
    assert table.response.tolist()[0] == "breached"
    assert table.response.isna().tolist() == [False, True]
    assert table.response_due.isna().tolist() == [False, True]


def test_strict_raises_the_first_bad_row_naming_the_row_and_the_column() -> None:
    with pytest.raises(
        wr.DataError, match=r"ticket WC-2 \(row 1\), column 'created_at': .*58\d{4}-"
    ):
        frames.sla(POLICY, _far_future_columns("pandas"), as_of=AS_OF, strict=True)


def test_hours_2_a_row_outside_the_holiday_data_is_named_and_every_other_row_judged() -> None:
    lodged = [FRIDAY_5PM] * 5
    lodged[3] = datetime(2150, 1, 5, 9, tzinfo=LONDON)
    frame = export(ticket_id=[f"WC-{i}" for i in range(5)], created_at=lodged)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = frames.sla(POLICY, frame, as_of=AS_OF)
    assert [type(w.message) for w in caught] == [wr.BadRowsWarning]
    assert "WC-3 (row 3, column 'created_at': year 2150" in str(caught[0].message)
    assert out.response.isna().tolist() == [False, False, False, True, False]
    with pytest.raises(wr.CalendarRangeError, match=r"ticket WC-3 \(row 3\), column 'created_at'"):
        frames.sla(POLICY, frame, as_of=AS_OF, strict=True)


def test_a_response_outside_the_holiday_data_is_named_by_its_own_column() -> None:
    frame = export(first_response_at=[datetime(2150, 1, 5, 9, tzinfo=LONDON)])
    with pytest.raises(wr.CalendarRangeError, match="column 'first_response_at'"):
        frames.sla(POLICY, frame, as_of=datetime(2151, 1, 1, tzinfo=LONDON), strict=True)


def test_hours_3_a_duration_of_10_to_the_18_seconds_is_refused_not_one_business_hour() -> None:
    start = pd.Series([FRIDAY_5PM, FRIDAY_5PM])
    durations = pd.Series(np.array([3_600, 10**18], dtype="timedelta64[s]"))
    with pytest.raises(wr.DataError, match=r"row 1: duration 1000000000000000000 seconds"):
        frames.business_add(POLICY.calendar, start, durations)
    with pytest.raises(wr.DataError, match=r"row 1: start 58\d{4}-"):
        frames.business_add(POLICY.calendar, seconds([0, YEAR_586_000]), timedelta(hours=1))


YEAR_2150 = datetime(2150, 1, 5, 9, tzinfo=LONDON)
OUTSIDE_THE_HOLIDAY_DATA = r"2150-01-05T09:00:00\S*: year 2150 is outside .* holiday data"


def test_hours_2_business_add_names_the_first_row_outside_the_holiday_data() -> None:
    start = pd.Series([FRIDAY_5PM, YEAR_2150, YEAR_2150])
    with pytest.raises(
        wr.CalendarRangeError, match=rf"row 1: start {OUTSIDE_THE_HOLIDAY_DATA}.*\(and 1 more"
    ):
        frames.business_add(POLICY.calendar, start, timedelta(hours=1))
    # A row with no duration is not answered, so not refused.
    durations = pd.Series([timedelta(hours=1), None, None], dtype="timedelta64[us]")
    frames.business_add(POLICY.calendar, start.iloc[:2], durations.iloc[:2])


def test_hours_2_business_elapsed_names_the_first_row_outside_the_holiday_data() -> None:
    start = pl.Series([FRIDAY_5PM, FRIDAY_5PM])
    end = pl.Series([MONDAY_10AM, YEAR_2150])
    with pytest.raises(wr.CalendarRangeError, match=rf"row 1: end {OUTSIDE_THE_HOLIDAY_DATA}"):
        frames.business_elapsed(POLICY.calendar, start, end)


def test_hours_2_response_due_names_the_first_row_outside_the_holiday_data() -> None:
    lodged = pa.array([FRIDAY_5PM, None, YEAR_2150])
    with pytest.raises(
        wr.CalendarRangeError, match=rf"row 2: lodged_at {OUTSIDE_THE_HOLIDAY_DATA}"
    ):
        frames.response_due(POLICY, "P2", lodged)
    # A row with no priority is not answered, so not refused.
    due = frames.response_due(POLICY, pa.array(["P2", None, None]), lodged)
    assert due.is_null().to_pylist() == [False, True, True]


# An instant inside the holiday data whose answer is not: 4 business hours after Friday
# 2100-12-31 17:00 is in 2101; 4 before the first opening of 1872 is in 1871.
LAST_FRIDAY = datetime(2100, 12, 31, 17, tzinfo=UTC)
FIRST_OPENING = datetime(1872, 1, 1, 8, tzinfo=LONDON)


def zoned(values: list[datetime]) -> pd.Series:
    return pd.Series(pd.to_datetime(values, utc=True)).dt.tz_convert(LONDON)


ANSWER_OUTSIDE = r"its answer lies beyond what the calendar can answer for: year {} is outside"


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_hours_2_an_answer_outside_the_holiday_data_names_the_first_row_whose_answer_is(
    library: str,
) -> None:
    start: Any = zoned([FRIDAY_5PM, LAST_FRIDAY, LAST_FRIDAY])
    if library != "pandas":
        start = pl.from_pandas(start) if library == "polars" else pa.array(start)
    with pytest.raises(
        wr.CalendarRangeError,
        match=r"row 1: start 2100-12-31T17:00:00\S*: " + ANSWER_OUTSIDE.format(2101),
    ):
        frames.business_add(POLICY.calendar, start, timedelta(hours=4))
    back = pd.Series([FRIDAY_5PM, FIRST_OPENING])
    with pytest.raises(wr.CalendarRangeError, match=r"row 1: start 1872-.*year 1871 is outside"):
        frames.business_add(POLICY.calendar, back, timedelta(hours=-4))
    with pytest.raises(
        wr.CalendarRangeError,
        match=r"row 1: lodged_at 2100-12-31T17:00:00\S*: " + ANSWER_OUTSIDE.format(2101),
    ):
        frames.response_due(POLICY, "P2", start)
    # Each of those rows is one the scalar API refuses too.
    with pytest.raises(wr.CalendarRangeError):
        POLICY.calendar.add(LAST_FRIDAY, timedelta(hours=4))
    with pytest.raises(wr.CalendarRangeError):
        POLICY.response_due(wr.Priority.P2, LAST_FRIDAY)


def test_hours_2_the_first_bad_row_is_named_whether_its_answer_or_its_instant_is_outside() -> None:
    start = zoned([FRIDAY_5PM, LAST_FRIDAY, YEAR_2150])
    with pytest.raises(wr.CalendarRangeError, match=r"row 1: start 2100-12-31T17:00:00\S*: its"):
        frames.business_add(POLICY.calendar, start, timedelta(hours=4))
    with pytest.raises(
        wr.CalendarRangeError, match=r"row 1: lodged_at 2100-12-31T17:00:00\S*: its"
    ):
        frames.response_due(POLICY, "P2", start)


def test_sla_2_a_p1_lodged_outside_the_holiday_data_is_due_as_the_scalar_api_says() -> None:
    # P1 runs on real time (SLA-2): its due needs no calendar, at every door.
    lodged = pa.array([FRIDAY_5PM, YEAR_2150])
    due = frames.response_due(POLICY, pa.array(["P1", "P1"]), lodged).to_pylist()
    assert due == [POLICY.response_due(wr.Priority.P1, at) for at in lodged.to_pylist()]
    with pytest.raises(
        wr.CalendarRangeError, match=r"row 1: lodged_at 2150-01-05T09:00:00\S*: year 2150"
    ):
        frames.response_due(POLICY, pa.array(["P1", "P2"]), lodged)


def test_an_answer_no_datetime_holds_is_refused_naming_its_row_never_a_year_10000() -> None:
    lodged = pd.Series(
        np.array(["2026-11-20T17:00", "9999-12-31T23:59"], dtype="datetime64[us]")
    ).dt.tz_localize("UTC")
    with pytest.raises(
        wr.CalendarRangeError,
        match=r"row 1: lodged_at 9999-12-31T23:59:00\S*: its answer .*after 9999-12-31",
    ):
        frames.response_due(POLICY, "P1", lodged)
    with pytest.raises(wr.CalendarRangeError, match="after 9999-12-31"):
        POLICY.response_due(wr.Priority.P1, datetime(9999, 12, 31, 23, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["P2", ["P1"], "P3"], dtype=object),
        pd.Series(["P2", {"priority": "P1"}, "P3"], dtype=object),
        pl.Series([["P2"], ["P1"], None]),
        pa.array([["P2"], ["P1"], None], type=pa.list_(pa.string())),
    ],
    ids=["pandas list", "pandas dict", "polars list", "pyarrow list"],
)
def test_a_cell_of_several_values_is_no_priority_named_by_row_never_a_type_error(
    column: Any,
) -> None:
    lodged = pd.Series([FRIDAY_5PM] * 3)
    with pytest.raises(
        wr.DataError,
        match=r"is not a Priority: choose one of P1, P2, P3 \(column 'priority', row [01]\).*"
        r"never a list or a record: take it out first",
    ) as refused:
        frames.response_due(POLICY, column, lodged)
    first = 0 if isinstance(column, pl.Series | pa.Array) else 1
    assert f"(column 'priority', row {first})" in str(refused.value)


def test_sla_names_the_ticket_of_a_channel_or_category_of_several_values() -> None:
    frame = export(
        ticket_id=["WC-1", "WC-2"], channel=pd.Series(["phone", ["email"]], dtype=object)
    )
    with pytest.raises(wr.DataError, match=r"\['email'\] is not a Channel: .*ticket WC-2\)"):
        frames.sla(POLICY, frame, as_of=AS_OF)
    frame = export(category=pd.Series([{"kind": "dns"}], dtype=object))
    with pytest.raises(wr.DataError, match=r"is not a Category: .*ticket WC-1\)"):
        frames.sla(POLICY, frame, as_of=AS_OF)


def test_summary_refuses_a_group_of_several_values_naming_its_row() -> None:
    frame = export(ticket_id=["WC-1", "WC-2"])
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    out["team"] = pd.Series(["blue", ["red", "blue"]], dtype=object)
    with pytest.raises(wr.DataError, match=r"row 1: team \['red', 'blue'\] cannot be a group"):
        frames.summary(out, by="team")


@pytest.mark.parametrize(
    "nulls",
    [pl.Series([None, None]), pa.array([None, None]), pd.Series([None, None], dtype=object)],
    ids=["polars null type", "pyarrow null type", "pandas None"],
)
def test_a_column_of_nulls_alone_is_nulls_whatever_type_its_library_gave_it(nulls: Any) -> None:
    due = frames.response_due(POLICY, "P2", nulls)
    assert len(due) == 2
    assert all(v is None for v in pl.Series(due).to_list())
    export = pl.DataFrame(
        {"ticket_id": ["WC-1"], "priority": ["P2"], "created_at": [FRIDAY_5PM],
         "first_response_at": [None], "resolved_at": [None]}
    )  # fmt: skip
    assert export.schema["first_response_at"] == pl.Null
    out = frames.sla(POLICY, export, as_of=AS_OF, channel=None, category=None)
    assert out["response"].to_list() == ["breached"]
    with pytest.raises(wr.WrongTypeError, match="'start' must hold timestamps"):
        frames.business_add(POLICY.calendar, pl.Series([None, "2026-11-20"]), timedelta(hours=1))


def test_summary_by_period_names_a_row_no_datetime_holds_never_counting_it_in_1970() -> None:
    rows = pd.DataFrame(
        {"priority": ["P2", "P2"], "response": ["met", "met"],
         "time_to_respond": pd.Series([timedelta(minutes=5)] * 2, dtype="timedelta64[us]")}
    )  # fmt: skip
    rows["lodged_at"] = seconds([0, YEAR_586_000])
    with pytest.raises(wr.DataError, match=r"row 1: lodged_at 58\d{4}-.*outside the years"):
        frames.summary(rows, by="month")
    # 0001-01-01 00:00 UTC is in year 0 in London, whose months the summary counts.
    rows["lodged_at"] = seconds([0, -62_135_596_800])
    with pytest.raises(wr.CalendarRangeError, match=r"row 1: lodged_at 0001-01-01T00:00:00"):
        frames.summary(rows, by="week")
    rows["lodged_at"] = seconds([0, None])
    assert frames.summary(rows, by="month").tickets.tolist() == [1, 1]  # a null: its own group


def _lodged_column(kind: str, values: list[datetime]) -> Any:
    """*values* as the column type a user's tool gives."""
    if kind.startswith("pandas"):
        unit = kind.split("-")[1]
        return pd.Series(pd.to_datetime(values, utc=True)).astype(f"datetime64[{unit}, UTC]")
    if kind.startswith("polars"):
        return pl.Series(values, dtype=pl.Datetime(kind.split("-")[1], "UTC"))
    return pa.array(values, pa.timestamp("s", tz="UTC"))


@pytest.mark.parametrize(
    "kind", ["pandas-s", "pandas-ms", "pandas-us", "pandas-ns", "polars-ms", "polars-us", "arrow-s"]
)
def test_every_column_type_of_the_tools_gives_the_same_answer(kind: str) -> None:
    lodged = [FRIDAY_5PM, datetime(2026, 11, 21, 10, tzinfo=LONDON)]
    frame = export(ticket_id=["WC-1", "WC-2"], priority=["P2", "P3"])
    base = frames.sla(POLICY, frame, as_of=AS_OF)
    other: Any = frame.drop(columns=["created_at"])
    if kind.startswith("pandas"):
        other["created_at"] = _lodged_column(kind, lodged)
    elif kind.startswith("polars"):
        other = pl.from_pandas(other).with_columns(_lodged_column(kind, lodged).alias("created_at"))
    else:
        other = pa.Table.from_pandas(other).append_column(
            "created_at", _lodged_column(kind, lodged)
        )
    out = frames.sla(POLICY, other, as_of=AS_OF)
    got = out if isinstance(out, pd.DataFrame) else pl.DataFrame(out).to_pandas()
    assert got.response_due.tolist() == base.response_due.tolist()
    assert got.response.tolist() == base.response.tolist()


# -- an event table: the rows left out --------------------------------------------------------


PART_ROWS = 600
"""The example log's first rows: 123 tickets, every kind of event. The whole log (2,993
tickets) is for the slow tests; these check what a log's rows do, not how many there are."""


def _log() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False, nrows=PART_ROWS)


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_bad_rows_are_the_rows_report_warns_of_with_their_position_and_ticket(
    library: str,
) -> None:
    log = _log()
    log.loc[3, "event"] = "Acknowleged"
    log.loc[10, "at"] = "yesterday"
    native: Any = log if library == "pandas" else pl.from_pandas(log)
    if library == "pyarrow":
        native = native.to_arrow()
    with pytest.warns(wr.BadRowsWarning, match="2 bad rows") as warned:
        frames.report(POLICY, native, as_of=AS_OF)
    bad = frames.bad_rows(POLICY, native, as_of=AS_OF)
    table = bad if isinstance(bad, pd.DataFrame) else pl.DataFrame(bad).to_pandas()
    assert table.columns.tolist() == ["row", "ticket", "error"]
    assert table.row.tolist() == [3, 10]
    assert table.ticket.tolist() == [log.ticket[3], log.ticket[10]]
    assert "unknown event 'Acknowleged'" in table.error[0]
    assert "events:3:" in str(warned[0].message)


def test_an_event_instant_no_datetime_holds_is_a_bad_row_not_a_2026_date() -> None:
    log = pd.DataFrame(
        {
            "ticket": ["WC-1", "WC-2"],
            "event": ["Lodged", "Lodged"],
            "at": seconds([int(FRIDAY_5PM.timestamp()), YEAR_586_000]),
            "priority": ["P2", "P2"],
            "channel": ["email", "email"],
        }
    )
    with pytest.warns(wr.BadRowsWarning, match="1 bad rows"):
        rows = frames.report(POLICY, log, as_of=AS_OF)
    assert rows.ticket.tolist() == ["WC-1"]
    bad = frames.bad_rows(POLICY, log, as_of=AS_OF)
    assert bad.row.tolist() == [1]
    assert bad.ticket.tolist() == ["WC-2"]
    assert "is outside the years a datetime holds" in bad.error[0]


def test_a_parquet_instant_in_year_10000_is_one_bad_row_and_the_report_goes_on(
    tmp_path: Path,
) -> None:
    rows = 6
    stamps = [int(datetime(2026, 11, 20, 9, tzinfo=UTC).timestamp()) + 60 * i for i in range(rows)]
    stamps[2] = 253_402_300_800  # 10000-01-01
    table = pa.table(
        {
            "ticket": [f"WC-{i}" for i in range(rows)],
            "event": ["Lodged"] * rows,
            "at": pa.array(stamps, pa.timestamp("s", tz="UTC")),
            "priority": ["P2"] * rows,
            "channel": ["email"] * rows,
        }
    )
    path = tmp_path / "log.parquet"
    pq.write_table(table, path)
    report = sla_report(POLICY, path, as_of=AS_OF)
    assert sorted(row.ticket for row in report.rows) == ["WC-0", "WC-1", "WC-3", "WC-4", "WC-5"]
    assert len(report.errors) == 1
    assert report.errors[0].line == 3  # Parquet rows count from 1
    assert "10000-01-01" in report.errors[0].message


def test_a_damaged_parquet_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = 20_000
    table = pa.table(
        {
            "ticket": [f"WC-{i}" for i in range(count)],
            "event": ["Lodged"] * count,
            "at": pa.array(
                [1_780_000_000_000_000 + i for i in range(count)], pa.timestamp("us", "UTC")
            ),
            "priority": ["P2"] * count,
            "channel": ["email"] * count,
        }
    )
    path = tmp_path / "damaged.parquet"
    pq.write_table(table, path)
    data = bytearray(path.read_bytes())
    data[2_000:3_000] = bytes((i * 37) % 256 for i in range(1_000))
    path.write_bytes(bytes(data))
    status = main(["report", str(path), "--as-of", "2026-12-01T00:00:00+00:00", "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1
    assert err.endswith("\n")
    assert "damaged Parquet file" in err


# -- the command line's exit status -----------------------------------------------------------


def test_report_exits_1_when_every_row_is_bad_and_each_message_ends_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    lines = ["ticket,event,at"] + [f"WC-{i},Lodged,yesterday" for i in range(30)]
    path.write_text("\n".join(lines) + "\n")
    status = main(["report", str(path), "--as-of", "2026-12-01T00:00:00+00:00", "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 1
    assert "the log gave no ticket: every one of its 30 rows was bad\n" in err
    assert "... and 10 more bad rows\n" in err
    assert all(line.startswith("westcoast-rules: ") for line in err.splitlines())


def test_report_exits_1_past_max_bad_rows_and_0_within(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = _log()
    log.loc[3, "event"] = "Acknowleged"
    path = tmp_path / "log.csv"
    log.to_csv(path, index=False)
    common = ["report", str(path), "--as-of", "2026-12-01T00:00:00+00:00", "--jobs", "1"]
    assert main([*common, "--max-bad-rows", "0"]) == 1
    assert "1 bad rows, more than --max-bad-rows 0\n" in capsys.readouterr().err
    assert main([*common, "--max-bad-rows", "1"]) == 0
    assert main(common) == 0


def test_whatif_summary_prints_the_differences_per_priority_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "log.csv"
    _log().to_csv(path, index=False)
    common = ["whatif", str(path), "--as-of", "2026-12-31T12:00:00+00:00", "--p2-hours", "2.5"]
    assert main([*common, "--format", "csv"]) == 0
    every = capsys.readouterr().out.splitlines()
    assert main([*common, "--format", "csv", "--summary"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("priority,changed,due_moved,now_breached")
    assert [line.split(",")[0] for line in lines[1:]] == ["P2"]
    assert int(lines[1].split(",")[1]) == len(every) - 1  # each changed ticket, counted


# -- summaries ---------------------------------------------------------------------------------


def test_summary_of_sla_rows_is_per_the_priority_measured_by_default() -> None:
    frame = export(ticket_id=["WC-1", "WC-2"], priority=["P1", "P1"], channel=["email", "phone"])
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    lines = frames.summary(out)
    assert lines.columns[0] == "sla_priority"
    assert dict(zip(lines.sla_priority, lines.tickets, strict=True)) == {"P1": 1, "P2": 1}


def test_summary_months_and_weeks_are_the_policys_whatever_zone_the_column_is_in() -> None:
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London; 23:30 UTC on Sunday 29 March
    # is 00:30 on Monday 30 March, the first day of ISO week 14.
    rows = pd.DataFrame(
        {
            "priority": ["P2", "P2"],
            "lodged_at": pd.to_datetime(["2026-03-31T23:30:00Z", "2026-03-29T23:30:00Z"]),
            "response": ["met", "met"],
            "time_to_respond": [pd.Timedelta(hours=1)] * 2,
        }
    )
    assert str(rows.lodged_at.dt.tz) == "UTC"
    months = frames.summary(rows, by="month")
    assert months.month.tolist() == ["2026-03", "2026-04"]
    assert months.tickets.tolist() == [1, 1]
    weeks = frames.summary(rows, by=("priority", "week"))
    assert weeks.week.tolist() == ["2026-W14"]
    assert weeks.tickets.tolist() == [2]


# -- plots -------------------------------------------------------------------------------------


def test_plots_take_sla_rows_at_the_priority_measured() -> None:
    from westcoast_rules import plots  # noqa: PLC0415 - matplotlib only for this test

    frame = export(
        ticket_id=["WC-1", "WC-2", "WC-3"], priority=["P1", "P2", "P2"],
        channel=["email", "phone", "phone"], first_response_at=[MONDAY_10AM] * 3,
    )  # fmt: skip
    out = frames.sla(POLICY, frame, as_of=AS_OF)
    figure = plots.breach_rate(out, lodged_at="created_at")
    assert [line.get_label() for line in figure.axes[0].lines] == ["P2"]
    times = plots.response_times(out, lodged_at="created_at")
    assert times.axes[0].get_title(loc="left") == "P2: 3 responses"
    with pytest.raises(wr.DataError, match=r"no column 'created_at'.*lodged_at='createdAt'"):
        plots.breach_rate(out.rename(columns={"created_at": "createdAt"}), lodged_at="created_at")
    with pytest.raises(wr.DataError) as unlike:
        plots.breach_rate(out)
    assert "lodged_at='ticket_id'" not in str(unlike.value)


def test_plots_refuse_text_instants_with_a_hint_that_reads_mixed_fractions() -> None:
    from westcoast_rules import plots  # noqa: PLC0415

    out = frames.sla(POLICY, export(), as_of=AS_OF)
    out["created_at"] = ["2026-11-20T17:00:00Z"]
    with pytest.raises(wr.WrongTypeError, match=r'utc=True, format="ISO8601"'):
        plots.breach_rate(out, lodged_at="created_at")
    mixed = pd.Series(["2026-11-20T17:00:00Z", "2026-11-20T17:00:00.5Z"])
    assert pd.to_datetime(mixed, utc=True, format="ISO8601").notna().all()  # the hint works


# -- what-if as an analyst asks it --------------------------------------------------------------


def test_sla_3_with_target_changes_the_allowance_on_the_same_clock() -> None:
    faster = POLICY.with_target("P2", timedelta(hours=3))
    assert faster.response_due(wr.Priority.P2, FRIDAY_5PM) == datetime(
        2026, 11, 23, 10, tzinfo=LONDON
    )
    assert faster.target_for(wr.Priority.P2).clock is POLICY.target_for(wr.Priority.P2).clock
    assert faster.version != POLICY.version
    assert POLICY.with_target(wr.Priority.P1, timedelta(hours=1), version="2027").version == "2027"
    with pytest.raises(wr.PolicyError, match="SLA-4"):
        POLICY.with_target(wr.Priority.P3, timedelta(hours=8))
    with pytest.raises(wr.WrongTypeError, match="timedelta"):
        POLICY.with_target(wr.Priority.P2, 3)  # type: ignore[arg-type]


# -- the differential test: the export's door against the scalar API --------------------------

IMPACT = {
    wr.Priority.P1: wr.Impact.ALL_USERS,
    wr.Priority.P2: wr.Impact.SOME_USERS,
    wr.Priority.P3: wr.Impact.HOW_TO,
}
minutes = st.one_of(st.none(), st.integers(min_value=0, max_value=8 * 24 * 60))
tickets = st.lists(
    st.tuples(
        st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),
        st.sampled_from(wr.Priority),
        st.sampled_from(wr.Channel),
        st.sampled_from(wr.Category),
        minutes,
        minutes,
    ),
    min_size=1,
    max_size=12,
)


def _oracle(row: tuple[Any, ...], as_of: datetime) -> tuple[Any, ...]:
    """What intake and the SLA clock say of one exported ticket, asked one ticket at a time:
    assessed at intake, then its response target's status as of *as_of*, the response being
    the first contact known by then, a first response or the resolution (SLA-1)."""
    _, lodged, raised, channel, category, responded, resolved = row
    assessment = POLICY.assess(wr.Enquiry(lodged, channel, IMPACT[raised], category=category))
    if assessment.priority is None:
        return (None, None, "no_target", None)
    contacts = [at for at in (responded, resolved) if at is not None and at <= as_of]
    response = min(contacts) if contacts else None
    status = POLICY.response_status(assessment.priority, lodged, as_of, response)
    used = None if status.responded_at is None else status.used
    return (assessment.priority.value, status.due, status.state.value, used)


@settings(max_examples=60)
@given(tickets, st.sampled_from(["pandas", "polars", "pyarrow"]), st.integers(0, 20 * 24 * 60))
def test_sla_1_to_6_a_generated_export_is_the_scalar_answer_row_by_row(
    generated: list[tuple[Any, ...]], library: str, later: int
) -> None:
    rows = []
    for i, (wall, raised, channel, category, responded, resolved) in enumerate(generated):
        lodged = wall.replace(tzinfo=LONDON).astimezone(LONDON)
        rows.append(
            (
                f"WC-{i}",
                lodged,
                raised,
                channel,
                category,
                None if responded is None else lodged + timedelta(minutes=responded),
                None if resolved is None else lodged + timedelta(minutes=resolved),
            )
        )
    as_of = max(row[1] for row in rows) + timedelta(minutes=later)
    frame = pd.DataFrame(
        {
            "ticket_id": [r[0] for r in rows],
            "priority": [r[2].value for r in rows],
            "channel": [r[3].value for r in rows],
            "category": [r[4].value for r in rows],
            "created_at": pd.to_datetime([r[1] for r in rows], utc=True),
            "first_response_at": pd.to_datetime([r[5] for r in rows], utc=True),
            "resolved_at": pd.to_datetime([r[6] for r in rows], utc=True),
        }
    )
    native: Any = frame if library == "pandas" else pl.from_pandas(frame)
    if library == "pyarrow":
        native = native.to_arrow()
    out = frames.sla(POLICY, native, as_of=as_of)
    got = out if isinstance(out, pd.DataFrame) else pl.DataFrame(out).to_pandas()
    for row, line in zip(rows, got.itertuples(index=False), strict=True):
        priority, due, response, used = _oracle(row, as_of)
        assert line.response == response, row
        assert (None if pd.isna(line.sla_priority) else line.sla_priority) == priority
        got_due = None if pd.isna(line.response_due) else line.response_due.to_pydatetime()
        assert (got_due is None) == (due is None)
        if due is not None:
            assert got_due == due
        got_used = None if pd.isna(line.time_to_respond) else line.time_to_respond.to_pytimedelta()
        assert got_used == used, row
