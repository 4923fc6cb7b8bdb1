"""A hunt at every door of ``westcoast_rules.frames``: hostile columns in, and only an answer
or a named error out.

Each public frames function is fed columns of each library's types (pandas timestamps in ns,
us and s, in several zones, naive, object and text; Polars; PyArrow arrays and chunked arrays;
empty columns; all-null columns; cells that are lists or mappings) holding the instants where
bugs live: years 0001 and 9999, the first and last hours of the holiday data (whose answers
fall outside it), years beyond it, and wall times in the hour the clocks skip. What comes out
is one of:

- an answer, and then it is the scalar API's answer row by row (the same input, every door);
- a :class:`~westcoast_rules.WestcoastRulesError` naming the column and, when a value is wrong
  rather than the column's type, the first row the scalar API refuses (``row 3``);
- where the function reports per row (``sla``, ``report``, ``bad_rows``), a bad row named and
  every other row answered.

Anything else (a plain ``TypeError``, an answer where the scalar API refuses, a row named that
is not the first) fails.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules import frames

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST
CALENDAR = POLICY.calendar
AS_OF = datetime(2026, 12, 1, tzinfo=LONDON)

# -- the instants where bugs live ------------------------------------------------------------

ORDINARY = (
    datetime(2026, 11, 20, 17, tzinfo=LONDON),  # a Friday at the close
    datetime(2026, 11, 23, 10, tzinfo=LONDON),
    datetime(2026, 10, 23, 17, tzinfo=LONDON),  # before an Irish bank holiday
)
SKIPPED = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # a wall time the clocks skip
REPEATED = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # the second 01:30
EDGES = (
    datetime(2100, 12, 31, 17, tzinfo=UTC),  # inside the holiday data; its answers are not
    datetime(1872, 1, 1, 8, tzinfo=LONDON),  # the first opening; counting back leaves the data
    datetime(2150, 1, 5, 9, tzinfo=LONDON),  # outside the holiday data
    datetime(1871, 12, 29, 9, tzinfo=LONDON),
)
EXTREMES = (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC))
NANOSECONDS = (datetime(1677, 9, 22, tzinfo=UTC), datetime(2262, 4, 11, tzinfo=UTC))
"""What a ``datetime64[ns]`` column holds: pandas' and Polars' nanosecond columns."""

instant_cells = st.sampled_from((*ORDINARY, SKIPPED, REPEATED, *EDGES, *EXTREMES, None))

# The hunt feeds extreme timestamps through each library; pandas 2.2.0 (the oldest pandas the
# project supports) crashed the interpreter iterating such a column (a segfault in its
# DatetimeArray.__iter__, seen once in the oldest CI leg). A hunt is a fuzzing run: the whole
# suite runs it on the newest libraries, the fast loop leaves it out.
pytestmark = pytest.mark.slow


# -- columns of every library ----------------------------------------------------------------

LENGTHS = st.integers(0, 8)
TIMESTAMPS = {
    "pandas ns UTC": ("pandas", "datetime64[ns, UTC]"),
    "pandas us London": ("pandas", "datetime64[us, Europe/London]"),
    "pandas s UTC": ("pandas", "datetime64[s, UTC]"),
    "pandas us New York": ("pandas", "datetime64[us, America/New_York]"),
    "polars us UTC": ("polars", pl.Datetime("us", "UTC")),
    "polars ns London": ("polars", pl.Datetime("ns", "Europe/London")),
    "polars ms UTC": ("polars", pl.Datetime("ms", "UTC")),
    "pyarrow us UTC": ("pyarrow", pa.timestamp("us", tz="UTC")),
    "pyarrow s London": ("pyarrow", pa.timestamp("s", tz="Europe/London")),
    "pyarrow chunked ns UTC": ("chunked", pa.timestamp("ns", tz="UTC")),
}
"""Columns that hold zoned timestamps: an answer, or a named bad row."""
NOT_TIMESTAMPS = (
    "pandas naive ns",
    "pandas naive us",
    "pandas object",
    "pandas text",
    "pandas float NaN",
    "pandas lists",
    "polars naive",
    "polars text",
    "polars lists",
    "pyarrow naive",
    "pyarrow text",
)
"""Columns of something else: refused, naming the column."""


def holds(kind: str, at: datetime | None) -> bool:
    """Whether a column of *kind* can hold *at* at all (nanoseconds span 1677-2262)."""
    if at is None or "ns" not in kind.split():
        return True
    return NANOSECONDS[0] <= at <= NANOSECONDS[1]


def timestamps(kind: str, values: Sequence[datetime | None]) -> Any:
    """*values* as a column of *kind* (:data:`TIMESTAMPS` or :data:`NOT_TIMESTAMPS`)."""
    utc = [None if v is None else v.astimezone(UTC) for v in values]
    if kind in TIMESTAMPS:
        library, dtype = TIMESTAMPS[kind]
        if library == "pandas":
            zone = str(dtype).split(", ")[1].rstrip("]")
            unit = str(dtype)[len("datetime64[") :].split(",")[0]
            raw = np.array(
                [
                    np.datetime64("NaT", "us")
                    if v is None
                    else np.datetime64(v.replace(tzinfo=None))
                    for v in utc
                ],
                dtype=f"datetime64[{unit}]",
            )
            return pd.Series(raw).dt.tz_localize("UTC").dt.tz_convert(zone)
        if library == "polars":
            return pl.Series(utc, dtype=pl.Datetime("us", "UTC")).cast(dtype)
        array = pa.array(utc, type=pa.timestamp("us", tz="UTC")).cast(dtype)
        if library == "chunked":
            half = len(values) // 2
            return pa.chunked_array([array[:half], array[half:]], type=dtype)
        return array
    naive = [None if v is None else v.replace(tzinfo=None) for v in utc]
    text = [None if v is None else v.isoformat() for v in utc]
    return {
        "pandas naive ns": lambda: pd.Series(pd.array(naive, dtype="datetime64[us]")).astype(
            "datetime64[ns]"
        ),
        "pandas naive us": lambda: pd.Series(pd.array(naive, dtype="datetime64[us]")),
        "pandas object": lambda: pd.Series(list(values), dtype=object),
        "pandas text": lambda: pd.Series(text, dtype="str"),
        "pandas float NaN": lambda: pd.Series([float("nan")] * len(values), dtype=float),
        "pandas lists": lambda: pd.Series([[v] for v in values], dtype=object),
        "polars naive": lambda: pl.Series(naive, dtype=pl.Datetime("us")),
        "polars text": lambda: pl.Series(text, dtype=pl.String),
        "polars lists": lambda: pl.Series([[v] for v in utc], dtype=pl.List(pl.Datetime("us"))),
        "pyarrow naive": lambda: pa.array(naive, type=pa.timestamp("us")),
        "pyarrow text": lambda: pa.array(text, type=pa.string()),
    }[kind]()


def timestamp_columns(
    length: st.SearchStrategy[int] = LENGTHS,
) -> st.SearchStrategy[tuple[str, list[datetime | None]]]:
    """A kind of column and the instants it holds, each one it can hold."""

    @st.composite
    def draw(draw: st.DrawFn) -> tuple[str, list[datetime | None]]:
        kind = draw(st.sampled_from([*TIMESTAMPS, *NOT_TIMESTAMPS]))
        size = draw(length)
        cells = instant_cells.filter(lambda at: holds(kind, at))
        return kind, draw(st.lists(cells, min_size=size, max_size=size))

    return draw()


WORDS = ("P1", "p2", "P3", "urgent", None, ["P1"], {"priority": "P1"}, 1.5)
"""A priority column's cells: words, a null, a word that is none, and cells that are none."""


def words(kind: str, values: Sequence[Any]) -> Any:
    """*values* as a column of words: pandas objects, pandas text, Polars, PyArrow."""
    if kind == "pandas object":
        return pd.Series(list(values), dtype=object)
    if all(v is None or isinstance(v, str) for v in values):
        if kind == "pandas text":
            return pd.Series(list(values), dtype="str")
        return pl.Series(list(values), dtype=pl.String) if kind == "polars" else pa.array(values)
    if all(v is None or isinstance(v, list) for v in values):  # a list column
        if kind == "polars":
            return pl.Series(list(values), dtype=pl.List(pl.String))
        if kind == "pyarrow":
            return pa.array(values, type=pa.list_(pa.string()))
    return pd.Series(list(values), dtype=object)


# -- what the scalar API says, and what a door must say --------------------------------------

REFUSED = object()
"""The scalar API's answer for a row it refuses."""


def scalar(answer: Callable[[], Any]) -> Any:
    try:
        return answer()
    except wr.WestcoastRulesError:
        return REFUSED


def outcome(call: Callable[[], Any]) -> Any:
    """The door's answer, or the library's error (anything else fails the test)."""
    try:
        return call()
    except wr.WestcoastRulesError as error:
        return error


def first_row_named(error: BaseException) -> int | None:
    found = re.search(r"\brows? (\d+)", str(error))
    return None if found is None else int(found.group(1))


def assert_names_the_column(error: object, names: Sequence[str]) -> None:
    assert isinstance(error, wr.WestcoastRulesError), error
    assert any(name in str(error) for name in names), (names, error)


def assert_names_the_first_bad_row(error: object, names: Sequence[str], expected: Any) -> None:
    """*error* names one of the columns *names* and the first row the scalar API refuses."""
    assert_names_the_column(error, names)
    bad = [i for i, answer in enumerate(expected) if answer is REFUSED]
    assert bad, f"refused where the scalar API answers every row: {error}"
    assert first_row_named(error) == bad[0], (error, bad)


def python(values: Any) -> list[Any]:
    """A result column as Python values in UTC (instants) or timedeltas, None for null."""
    if isinstance(values, pd.Series):
        values = pl.from_pandas(values)
    if isinstance(values, pa.Array | pa.ChunkedArray):
        values = pl.Series(values)
    return [v.astimezone(UTC) if isinstance(v, datetime) else v for v in values.to_list()]


def utc(values: Sequence[Any]) -> list[Any]:
    return [v.astimezone(UTC) if isinstance(v, datetime) else v for v in values]


def door(got: Any, expected: list[Any], names: Sequence[str], kind: str) -> None:
    """The house's rule for a column function: an answer is the scalar answer row by row; a
    refusal of a column's type names the column; any other refusal names the first bad row."""
    if kind in NOT_TIMESTAMPS:
        if isinstance(got, BaseException):
            assert_names_the_column(got, names)
        else:  # an empty or all-null column of another type may still be read
            assert all(v is None for v in python(got))
        return
    if isinstance(got, BaseException):
        assert_names_the_first_bad_row(got, names, expected)
        return
    assert REFUSED not in expected, f"answered where the scalar API refuses: {python(got)}"
    assert python(got) == utc(expected)


HUNT = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=max(1, settings.default.max_examples // 4),  # 25 a run, more when thorough
)
durations = st.sampled_from(
    [timedelta(hours=4), timedelta(hours=-4), timedelta(0), timedelta(days=400 * 365), None]
)


# -- the column functions --------------------------------------------------------------------


@pytest.mark.slow  # seconds: a calendar's years are built for each far year met
@HUNT
@given(timestamp_columns(), st.data())
def test_business_add_answers_as_calendar_add_or_names_the_first_row_it_cannot(
    column: tuple[str, list[datetime | None]], data: st.DataObject
) -> None:
    kind, starts = column
    by_row = data.draw(st.booleans())
    if by_row:
        amounts = data.draw(st.lists(durations, min_size=len(starts), max_size=len(starts)))
        given: Any = pd.Series(pd.array(amounts, dtype="timedelta64[us]"))
    else:
        amount = data.draw(durations.filter(lambda d: d is not None))
        amounts, given = [amount] * len(starts), amount
    expected = [
        None if s is None or d is None else scalar(lambda s=s, d=d: CALENDAR.add(s, d))
        for s, d in zip(starts, amounts, strict=True)
    ]
    got = outcome(lambda: frames.business_add(CALENDAR, timestamps(kind, starts), given))
    door(got, expected, ("start", "duration"), kind)


@HUNT
@given(timestamp_columns(st.just(4)), st.sampled_from(list(TIMESTAMPS)), st.data())
def test_business_elapsed_answers_as_calendar_elapsed_or_names_the_first_row_it_cannot(
    column: tuple[str, list[datetime | None]], end_kind: str, data: st.DataObject
) -> None:
    kind, starts = column
    cells = instant_cells.filter(lambda at: holds(end_kind, at))
    ends = data.draw(st.lists(cells, min_size=4, max_size=4))
    expected = [
        None if a is None or b is None else scalar(lambda a=a, b=b: CALENDAR.elapsed(a, b))
        for a, b in zip(starts, ends, strict=True)
    ]
    got = outcome(
        lambda: frames.business_elapsed(
            CALENDAR, timestamps(kind, starts), timestamps(end_kind, ends)
        )
    )
    door(got, expected, ("start", "end"), kind)


@HUNT
@given(
    timestamp_columns(),
    st.one_of(st.sampled_from(["P1", "p2", "P3"]), st.sampled_from(["pandas object", "polars"])),
    st.data(),
)
def test_response_due_answers_as_the_policy_or_names_the_first_row_it_cannot(
    column: tuple[str, list[datetime | None]], priority: str, data: st.DataObject
) -> None:
    kind, lodged = column
    if priority in ("P1", "p2", "P3"):
        levels: list[Any] = [priority] * len(lodged)
        given: Any = priority
    else:
        cells = st.sampled_from(WORDS)
        levels = data.draw(st.lists(cells, min_size=len(lodged), max_size=len(lodged)))
        given = words(priority, levels)
    wrong_words = [
        i
        for i, level in enumerate(levels)
        if level is not None and scalar(lambda level=level: wr.Priority(level)) is REFUSED
    ]
    expected = [
        None
        if at is None or level is None
        else scalar(lambda at=at, level=level: POLICY.response_due(wr.Priority(level), at))
        for at, level in zip(lodged, levels, strict=True)
    ]
    got = outcome(lambda: frames.response_due(POLICY, given, timestamps(kind, lodged)))
    if wrong_words and isinstance(got, BaseException) and "priority" in str(got):
        assert isinstance(got, wr.DataError), got
        assert first_row_named(got) == wrong_words[0], got
        return
    assert not wrong_words or kind in NOT_TIMESTAMPS, f"words that are none were taken: {got}"
    door(got, expected, ("lodged_at",), kind)


# -- a ticket table: a bad row is one bad row ------------------------------------------------

LAST_AS_OF = datetime(2100, 6, 1, tzinfo=UTC)
END_OF_THE_DATA = datetime(2100, 12, 31, 23, tzinfo=UTC)  # what is due next is not in it
CHANNELS = ("phone", "Email", "helpcentre", None, "fax", ["email"])
CATEGORIES = ("service", "dns", "partner_centre", None, {"kind": "dns"})


@HUNT
@given(st.integers(1, 6), st.sampled_from(["pandas", "polars", "pyarrow"]), st.data())
def test_sla_judges_each_row_as_the_scalar_api_or_names_it(
    length: int, library: str, data: st.DataObject
) -> None:
    cells = instant_cells.filter(lambda at: at is None or at.year < 9999)
    lodged = data.draw(st.lists(cells.filter(bool), min_size=length, max_size=length))
    later = data.draw(
        st.lists(st.sampled_from([None, 0, 90, 60 * 24 * 3]), min_size=length, max_size=length)
    )
    channel = data.draw(st.lists(st.sampled_from(CHANNELS), min_size=length, max_size=length))
    category = data.draw(st.lists(st.sampled_from(CATEGORIES), min_size=length, max_size=length))
    responded = [  # an instant later (in UTC: wall-clock arithmetic forgets a fold)
        None if m is None or at is None else at.astimezone(UTC) + timedelta(minutes=m)
        for at, m in zip(lodged, later, strict=True)
    ]
    table = pd.DataFrame(
        {
            "ticket_id": [f"WC-{i}" for i in range(length)],
            "priority": ["P2"] * length,
            "channel": pd.Series(channel, dtype=object),
            "category": pd.Series(category, dtype=object),
            "created_at": timestamps("pandas us London", lodged),
            "first_response_at": timestamps("pandas us London", responded),
        }
    )
    unhashable = [
        (name, i)
        for name, column in (("channel", channel), ("category", category))
        for i, v in enumerate(column)
        if isinstance(v, list | dict)
    ]
    native: Any = table
    if library != "pandas" and not unhashable:
        native = pl.from_pandas(table) if library == "polars" else pa.Table.from_pandas(table)
    as_of = LAST_AS_OF  # inside the holiday data: the scalar clock runs to it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = outcome(lambda: frames.sla(POLICY, native, as_of=as_of, resolved_at=None))
    wrong = [
        (name, i)
        for name, column, kind in (
            ("channel", channel, wr.Channel),
            ("category", category, wr.Category),
        )
        for i, v in enumerate(column)
        if v is not None and scalar(lambda v=v, kind=kind: kind(v)) is REFUSED
    ]
    if wrong:  # words that are none of the choices: the table is refused, naming a ticket
        assert isinstance(got, wr.DataError), got
        named = re.search(r"column '(\w+)', tickets? WC-(\d+)", str(got))
        assert named, got
        assert int(named.group(2)) == min(i for name, i in wrong if name == named.group(1)), got
        return
    assert not isinstance(got, BaseException), got
    out = got if isinstance(got, pd.DataFrame) else pl.DataFrame(got).to_pandas()
    judged = []
    for i, at in enumerate(lodged):
        enquiry = scalar(
            lambda at=at, i=i: POLICY.assess(
                wr.Enquiry(
                    at, channel[i] or "phone", "some_users", category=category[i] or "service"
                )
            )
        )
        status = (
            REFUSED
            if enquiry is REFUSED
            else None
            if enquiry.priority is None
            else scalar(
                lambda at=at, i=i, p=enquiry.priority: POLICY.response_status(
                    p, at, as_of, responded[i] if responded[i] and responded[i] <= as_of else None
                )
            )
        )
        judged.append(status)
    bad = [i for i, status in enumerate(judged) if status is REFUSED]
    if bad:
        (warning,) = (w.message for w in caught if isinstance(w.message, wr.BadRowsWarning))
        for i in bad:
            assert f"WC-{i} (row {i}, column '" in str(warning), warning
        strict = outcome(
            lambda: frames.sla(POLICY, native, as_of=as_of, resolved_at=None, strict=True)
        )
        assert isinstance(strict, wr.WestcoastRulesError), strict
        assert f"ticket WC-{bad[0]} (row {bad[0]}), column '" in str(strict), strict
    for i, (status, line) in enumerate(zip(judged, out.itertuples(index=False), strict=True)):
        if status is REFUSED:
            assert pd.isna(line.response), (i, line)
        elif status is None:
            assert line.response == "no_target", (i, line)
        else:
            assert line.response == status.state.value, (i, line, status)
            assert line.response_due.to_pydatetime() == status.due, (i, line, status)


# -- an event table: a bad row is one bad row ------------------------------------------------

EVENT_CELLS = {
    "priority": ("P2", "p1", "urgent", ["P2"], {"p": 1}, None),
    "channel": ("email", "phone", "fax", ["email"], None),
    "tier": (1, 2, "gold", [1], None),
}


AT_KINDS = ("pandas us London", "pandas s UTC", "offset text", "wall time text")


def event_instants(kind: str, values: Sequence[datetime]) -> Any:
    """An event log's ``at`` column: zoned timestamps, or text with an offset, or a wall time
    with its zone in brackets (in the hour the clocks skip, a wall time no clock showed)."""
    if kind in TIMESTAMPS:
        return timestamps(kind, values)
    if kind == "offset text":
        return pd.Series([at.isoformat() for at in values], dtype=object)
    walls = []
    for at in values:
        try:
            wall = at if at.tzinfo is LONDON else at.astimezone(LONDON)
        except OverflowError:  # year 1 in London is year 0 in UTC's terms: an offset it is
            walls.append(at.isoformat())
            continue
        walls.append(f"{wall.replace(tzinfo=None).isoformat()}[Europe/London]")
    return pd.Series(walls, dtype=object)


@HUNT
@given(st.integers(1, 5), st.sampled_from(["pandas", "polars"]), st.data())
def test_report_and_bad_rows_name_each_bad_row_and_report_every_other_ticket(
    length: int, library: str, data: st.DataObject
) -> None:
    lodged = data.draw(
        st.lists(
            st.sampled_from((*ORDINARY, SKIPPED, EDGES[0], *EDGES[2:], *EXTREMES)),
            min_size=length,
            max_size=length,
        )
    )
    columns: dict[str, Any] = {
        "ticket": [f"WC-{i}" for i in range(length)],
        "event": ["Lodged"] * length,
        "at": event_instants(data.draw(st.sampled_from(AT_KINDS)), lodged),
    }
    for name, cells in EVENT_CELLS.items():
        drawn = data.draw(st.lists(st.sampled_from(cells), min_size=length, max_size=length))
        columns[name] = pd.Series(drawn, dtype=object)
    table = pd.DataFrame(columns)
    native: Any = table
    if library == "polars":
        try:
            native = pl.from_pandas(table)
        except (TypeError, ValueError, pl.exceptions.PolarsError, pa.ArrowException):
            native = table  # Polars cannot hold these mixed cells: the pandas table it is
    as_of = data.draw(st.sampled_from([LAST_AS_OF, END_OF_THE_DATA]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", wr.BadRowsWarning)
        rows = outcome(lambda: frames.report(POLICY, native, as_of=as_of))
        bad = outcome(lambda: frames.bad_rows(POLICY, native, as_of=as_of))
    assert not isinstance(rows, BaseException), rows
    assert not isinstance(bad, BaseException), bad
    reported = pl.from_pandas(rows) if isinstance(rows, pd.DataFrame) else rows
    named = pl.from_pandas(bad) if isinstance(bad, pd.DataFrame) else bad
    left_out = set(named["row"].to_list())
    assert named["ticket"].to_list() == [f"WC-{i}" for i in sorted(left_out)]
    tickets = reported["ticket"].to_list()
    assert len(tickets) == len(set(tickets)), tickets
    for i, at in enumerate(lodged):
        if at > as_of:  # lodged after the report's instant: not known yet, as in a file report
            assert f"WC-{i}" not in tickets, (i, tickets)
            continue
        # A ticket whose one row is bad is named by that row; every other one is reported.
        assert (f"WC-{i}" in tickets) == (i not in left_out), (i, tickets, named)
    assert (reported["bad_rows"] == 0).all(), reported


# -- a summary: an answer, or the first row that cannot be counted named -----------------


@pytest.mark.slow  # seconds: a summary by month from year 1 to 9999 walks every month
@HUNT
@given(timestamp_columns(), st.sampled_from(["month", "week"]))
def test_summary_counts_each_row_in_its_policy_period_or_names_the_first_it_cannot(
    column: tuple[str, list[datetime | None]], by: str
) -> None:
    kind, lodged = column
    size = len(lodged)
    instants = timestamps(kind, lodged)
    rows: Any = pd.DataFrame(
        {
            "priority": ["P2"] * size,
            "response": ["met"] * size,
            "time_to_respond": pd.Series([timedelta(minutes=5)] * size, dtype="timedelta64[us]"),
        }
    )
    if isinstance(instants, pd.Series):
        rows["lodged_at"] = instants
    elif isinstance(instants, pl.Series):
        rows = pl.from_pandas(rows).with_columns(instants.alias("lodged_at"))
    else:
        rows = pa.Table.from_pandas(rows).append_column("lodged_at", instants)
    expected: list[Any] = []
    for at in lodged:
        try:
            local = None if at is None else at.astimezone(LONDON)
        except OverflowError:  # no datetime in London holds it
            local = REFUSED
        if local is None or local is REFUSED:
            expected.append(local)
        elif by == "month":
            expected.append(f"{local:%Y-%m}")
        else:
            year, week, _ = local.isocalendar()
            expected.append(f"{year:04d}-W{week:02d}")
    got = outcome(lambda: frames.summary(rows, by=by))
    if isinstance(got, BaseException):
        door(got, expected, ("lodged_at",), kind)
        return
    got = pl.from_pandas(got) if isinstance(got, pd.DataFrame) else pl.DataFrame(got)
    counted = dict(zip(got[by].to_list(), got["tickets"].to_list(), strict=True))
    if kind in NOT_TIMESTAMPS:  # an empty or all-null column of another type may be read
        assert set(counted) <= {None}, got
        return
    assert REFUSED not in expected, got
    wanted: dict[Any, int] = {}
    for period in expected:
        wanted[period] = wanted.get(period, 0) + 1
    assert counted == wanted


# -- unhashable cells and empty tables where a summary groups --------------------------------


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_summary_of_a_key_column_of_lists_names_the_column_and_first_row(library: str) -> None:
    export = pd.DataFrame(
        {
            "ticket_id": ["WC-1", "WC-2"],
            "priority": ["P2", "P2"],
            "created_at": timestamps("pandas us London", ORDINARY[:2]),
            "first_response_at": timestamps("pandas us London", [None, None]),
        }
    )
    out = frames.sla(POLICY, export, as_of=AS_OF, resolved_at=None, channel=None, category=None)
    out["team"] = pd.Series(["blue", ["red", "blue"]], dtype=object)
    native: Any = out if library == "pandas" else pl.from_pandas(out.astype({"team": str}))
    if library == "polars":
        native = native.with_columns(pl.Series("team", [["blue"], ["red", "blue"]]))
    got = outcome(lambda: frames.summary(native, by="team"))
    assert isinstance(got, wr.DataError), got
    assert "'team'" in str(got), got
    assert first_row_named(got) == (1 if library == "pandas" else 0), got


@pytest.mark.parametrize("library", ["pandas", "polars", "pyarrow"])
def test_empty_tables_give_empty_answers_at_every_door(library: str) -> None:
    export = pd.DataFrame(
        {
            "ticket_id": pd.Series([], dtype=object),
            "priority": pd.Series([], dtype=object),
            "created_at": timestamps("pandas us London", []),
            "first_response_at": timestamps("pandas us London", []),
        }
    )
    log = pd.DataFrame({"ticket": [], "event": [], "at": []}, dtype=object)
    if library == "polars":
        export, log = pl.from_pandas(export), pl.from_pandas(log)
    elif library == "pyarrow":
        export, log = pa.Table.from_pandas(export), pa.Table.from_pandas(log)
    out = frames.sla(POLICY, export, as_of=AS_OF, resolved_at=None, channel=None, category=None)
    assert len(out) == 0
    assert len(frames.summary(out)) == 0
    assert len(frames.report(POLICY, log, as_of=AS_OF)) == 0
    assert len(frames.bad_rows(POLICY, log, as_of=AS_OF)) == 0
