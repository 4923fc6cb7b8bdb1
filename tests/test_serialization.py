"""The data edge: round trips, zones kept, and every bad field reported with its path."""

from __future__ import annotations

import contextlib
import itertools
import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.strategies import instants
from westcoast_rules._instants import DayMemo, ZoneMemo, parse_instant
from westcoast_rules.batch.log import Entry, RowReader
from westcoast_rules.serialization import format_duration, parse_duration

LONDON = ZoneInfo("Europe/London")
POLICY = wr.WESTCOAST


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def a_ticket() -> wr.Ticket:
    t = POLICY.lodge("WC-9", london(2026, 10, 23, 16), wr.Priority.P2, wr.Channel.HELPCENTRE)
    for event in (
        wr.Acknowledged(london(2026, 10, 23, 17)),
        wr.UpdateTimeframeAgreed(london(2026, 10, 23, 17, 30), every=timedelta(days=2)),
        wr.InfoRequested(london(2026, 10, 23, 17, 45)),
        wr.InfoReceived(datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)),
        wr.Escalated(london(2026, 10, 27, 9)),
        wr.Resolved(london(2026, 10, 28, 12)),
    ):
        t = POLICY.apply(t, event)
    return t


def test_a_ticket_round_trips_through_json_with_its_zone_and_fold() -> None:
    ticket = a_ticket()
    text = wr.to_json(ticket)
    assert '"2026-10-25T01:30:00+00:00[Europe/London]"' in text
    back = wr.from_json(wr.Ticket, text)
    assert ticket == back
    assert 1 == back.history[4].at.fold
    assert LONDON == back.lodged_at.tzinfo
    assert back == POLICY.replay(back.history)


def test_the_document_is_versioned_and_typed() -> None:
    data = wr.to_dict(a_ticket())
    assert ("westcoast_rules/1", "Ticket") == (data["schema"], data["type"])
    assert {"event": "Resolved", "at": "2026-10-28T12:00:00+00:00[Europe/London]"} == (
        data["history"][-1]
    )
    assert "P2D" == data["update_every"]


@pytest.mark.parametrize(
    "record",
    [
        POLICY,
        attrs.evolve(POLICY, territory=frozenset({"GB", "IE", "FR"}), reopen_window_days=7),
        POLICY.calendar,
        POLICY.assess(wr.Enquiry(london(2026, 11, 20, 17), wr.Channel.EMAIL, wr.Impact.ALL_USERS)),
        POLICY.explain(wr.Priority.P2, london(2026, 12, 24, 17)),
        POLICY.response_status(
            wr.Priority.P1, london(2026, 11, 21, 2), now=london(2026, 11, 21, 3)
        ),
        POLICY.deadlines(a_ticket()),
        wr.Enquiry(london(2026, 11, 20, 17), wr.Channel.PHONE, wr.Impact.HOW_TO, country="IE"),
        wr.RULES["PROC-6"],
    ],
    ids=lambda record: type(record).__name__,
)
def test_every_public_record_round_trips(record: object) -> None:
    assert record == wr.from_json(type(record), wr.to_json(record))


def test_a_bad_document_reports_every_problem_with_its_path() -> None:
    data = wr.to_dict(a_ticket())
    data["tier"] = "2"
    data["history"][3]["at"] = "2026-10-25T01:30:00"
    data["history"][5] = {"event": "Fixed", "at": "2026-10-28T12:00:00+00:00"}
    data["colour"] = "blue"
    with pytest.raises(wr.DataError) as caught:
        wr.from_dict(wr.Ticket, data)
    errors = caught.value.errors
    assert "expected int, got str '2' @ $.tier" in errors
    assert any(e.endswith("@ $.history[3].at") and "HOURS-5" in e for e in errors)
    assert any(e.startswith("unknown event 'Fixed'") and e.endswith("$.history[5]") for e in errors)
    assert "unknown field(s): colour @ $" in errors
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-10-23T16:00:00+00:00[Europe/London]", "does not match Europe/London"),
        ("2026-10-23T16:00:00+01:00[Mars/Olympus]", "unknown time zone"),
        ("23/10/2026 16:00", "not an ISO 8601 datetime"),
        ("2026-10-23T16:00:00", "no UTC offset"),
    ],
)
def test_bad_datetimes_are_refused(text: str, message: str) -> None:
    with pytest.raises(wr.WestcoastRulesError, match=message):
        wr.from_dict(wr.Resolved, {"at": text})


def test_the_wrong_document_type_or_schema_is_refused() -> None:
    resolved = wr.to_dict(wr.Resolved(london(2026, 11, 23, 12)))
    with pytest.raises(wr.DataError, match=r"'Resolved' document, not a 'Reopened'"):
        wr.from_dict(wr.Reopened, resolved)
    with pytest.raises(wr.DataError, match="unsupported schema"):
        wr.from_dict(wr.Resolved, {**resolved, "schema": "westcoast_rules/0"})
    with pytest.raises(wr.DataError, match="not valid JSON"):
        wr.from_json(wr.Resolved, "{")
    with pytest.raises(wr.WrongTypeError, match="not a record"):
        wr.to_dict(wr.TRANSITIONS[0])


@given(instants())
def test_any_instant_round_trips_exactly(at: datetime) -> None:
    back = wr.from_dict(wr.Resolved, wr.to_dict(wr.Resolved(at))).at
    assert at.astimezone(UTC) == back.astimezone(UTC)
    assert at.utcoffset() == back.utcoffset()


@given(st.timedeltas(min_value=timedelta(days=-999), max_value=timedelta(days=999)))
def test_any_duration_round_trips_exactly(every: timedelta) -> None:
    assert every == parse_duration(format_duration(every))


def test_fixed_offsets_are_kept_as_offsets() -> None:
    at = datetime(2026, 11, 23, 12, tzinfo=timezone(timedelta(hours=-5)))
    assert at == wr.from_json(wr.Resolved, wr.to_json(wr.Resolved(at))).at


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


def ticket_like() -> st.SearchStrategy[object]:
    """Mostly-valid ticket documents with one part replaced by arbitrary JSON."""
    base = wr.to_dict(a_ticket())
    return st.builds(
        lambda key, value: {**base, key: value}, st.sampled_from(sorted(base)), json_values
    )


@given(st.one_of(json_values, ticket_like()))
def test_arbitrary_json_only_ever_raises_data_error(data: object) -> None:
    for kind in (wr.Ticket, wr.SupportPolicy, wr.Enquiry, wr.Resolved):
        with contextlib.suppress(wr.DataError):
            wr.from_json(kind, json.dumps(data))


@given(st.text(max_size=60))
def test_arbitrary_text_only_ever_raises_data_error(text: str) -> None:
    with contextlib.suppress(wr.DataError):
        wr.from_json(wr.Ticket, text)


def test_a_calendar_with_special_hours_and_night_windows_round_trips() -> None:
    calendar = wr.BusinessCalendar(
        hours={0: [(time(22), time(6))]},
        special_hours={date(2026, 12, 24): [(time(8), time(13))], date(2026, 12, 31): []},
    )
    text = wr.to_json(calendar)
    assert '"2026-12-24": [{"start": "08:00:00", "end": "13:00:00"}]' in text
    assert calendar == wr.from_json(wr.BusinessCalendar, text)
    with pytest.raises(wr.DataError, match="YYYY-MM-DD"):
        wr.from_json(wr.BusinessCalendar, '{"special_hours": {"24 Dec": []}}')


_READ_TWICE = [
    "2026-10-25T01:30:00+01:00[Europe/London]",
    "2026-10-25T01:30:00+00:00[Europe/London]",
    "2026-03-29T00:59:59.999999+00:00[Europe/London]",
    "2026-10-23T16:00:00+01:00:30[Europe/London]",
    " 2026-10-23T16:00:00+01:00[Europe/London]",
    "2026-10-23T16:00:00+01:00[Europe/London] ",
    "2026-10-23T16:00:00+01:00[Europe/London[x]",
    "2026-10-23T16:00:00[Europe/London]",
    "2026-10-23T16:00:00+01:00]",
    "2026-10-23T16:00:00+01:00[Nowhere/At_All]",
    "0001-01-01T00:30:00+01:00[Europe/London]",
    "9999-12-31T23:30:00-01:00[Europe/London]",
]


@pytest.mark.parametrize("text", _READ_TWICE)
def test_an_instant_read_again_with_a_memo_is_read_as_the_first_time(text: str) -> None:
    def read(memo: ZoneMemo | None) -> object:
        try:
            x, written, key = parse_instant(text, memo)
        except wr.WestcoastRulesError as exc:
            return type(exc), str(exc)
        return x, written, written.utcoffset(), key

    memo: ZoneMemo = {}
    first = read(None)
    assert read(memo) == first
    assert read(memo) == first  # the memo's answer, where it has one


def test_a_memo_of_zones_reads_each_instant_of_a_log_as_it_would_be_read_alone() -> None:
    # A day of a change (never remembered) and a day without (remembered from its first
    # instant): a contradiction later that day is refused all the same.
    texts = [
        "2026-10-25T00:30:00+01:00[Europe/London]",
        "2026-10-25T03:00:00+01:00[Europe/London]",
        "2026-10-25T03:00:00+00:00[Europe/London]",
        "2026-10-26T00:00:00+00:00[Europe/London]",
        "2026-10-26T23:59:59.999999+00:00[Europe/London]",
        "2026-10-26T12:00:00+01:00[Europe/London]",
        "2026-10-26T12:00:00+00:00[Europe/Dublin]",
        "2026-10-26T12:00:00+01:00[Europe/Paris]",
        "2026-10-26T12:00:00+00:00[Europe/Paris]",
    ]

    def read(text: str, memo: ZoneMemo | None) -> object:
        try:
            return parse_instant(text, memo)
        except wr.WestcoastRulesError as exc:
            return str(exc)

    memo: ZoneMemo = {}
    assert [read(text, memo) for text in texts] == [read(text, None) for text in texts]
    assert [read(text, memo) for text in texts] == [read(text, None) for text in texts]
    assert sum(isinstance(answer, str) for answer in map(read, texts, [memo] * 9)) == 3


def _read_alone(text: str) -> object:
    """An instant's micros as parse_instant reads *text* alone, or its error's message."""
    try:
        return parse_instant(text)[0]
    except wr.WestcoastRulesError as exc:
        return str(exc)


def _read_with(text: str, reader: RowReader) -> object:
    """An instant's micros as a CSV log's row reader reads *text* (a day it remembers read
    back by its clock, any other read in full and remembered), or its error's message."""
    read = reader.entry("log", 2, ("WC-1", "Acknowledged", text, "", "", "", "", ""))
    return read.at if isinstance(read, Entry) else read.message


# Each day read first at one clock, then at others: the memo's answers, and the clocks and
# shapes it must not answer (no such clock, a fraction, a digit that is not ASCII, spaces).
_SAME_DAYS = [
    *_READ_TWICE,
    "2026-10-23T16:00:00+01:00[Europe/London]",
    "2026-10-23T00:00:00+01:00[Europe/London]",
    "2026-10-23T23:59:59+01:00[Europe/London]",
    "2026-10-23T19:59:59+01:00[Europe/London]",
    "2026-10-23T20:00:00+01:00[Europe/London]",
    "2026-10-23T24:00:00+01:00[Europe/London]",
    "2026-10-23T30:00:00+01:00[Europe/London]",
    "2026-10-23T23:60:00+01:00[Europe/London]",
    "2026-10-23T23:59:60+01:00[Europe/London]",
    "2026-10-23T1\u0666:00:00+01:00[Europe/London]",
    "2026-10-23T16:00:00.5+01:00[Europe/London]",
    "2026-10-23T16:00+01:00[Europe/London]",
    "2026-10-23T16:00:00+00:00[Europe/London]",
    "2026-10-23 16:00:00+01:00[Europe/London]",
    "2026-10-25T00:30:00+01:00[Europe/London]",
    "2026-10-25T23:30:00+01:00[Europe/London]",
    "2026-10-25T23:30:00+00:00[Europe/London]",
    "2026-03-29T00:30:00+00:00[Europe/London]",
    "2026-03-29T01:30:00+00:00[Europe/London]",
    "2026-03-28T23:30:00+00:00[Europe/London]",
    "2026-10-23T16:00:00+01:00",
    "2026-10-23T09:00:00+01:00",
    "2026-10-23T09:00:00Z",
    "2026-10-23T23:59:59Z",
    "2026-10-23T16:00:00",
    "2026-10-23T09:00:00+05:45[Asia/Kathmandu]",
    "2026-10-23T09:00:00+05:45[Asia/Kolkata]",
    "2026-10-04T01:59:59+10:30[Australia/Lord_Howe]",
    "2026-10-04T02:30:00+11:00[Australia/Lord_Howe]",
    "0001-01-01T05:00:00+01:00",
    "0001-01-01T00:30:00+01:00",
    "0001-01-01T00:30:00+00:00[UTC]",
    "9999-12-31T22:00:00-01:00",
    "9999-12-31T23:30:00-01:00",
    "9999-12-31T23:59:59+00:00[UTC]",
]


def test_an_instant_alone_is_read_as_parse_instant_reads_it() -> None:
    reader = RowReader(text_only=True)
    days: DayMemo = reader._days
    expected = [_read_alone(text) for text in _SAME_DAYS]
    assert [_read_with(text, reader) for text in _SAME_DAYS] == expected
    assert [_read_with(text, reader) for text in _SAME_DAYS] == expected  # remembered
    # the days the memo reads by their clocks: each clean instant's day, where every clock of
    # it is read the same way
    assert (
        days["2026-10-23T+01:00[Europe/London]"]
        == parse_instant("2026-10-23T00:00:00+01:00[Europe/London]")[0]
    )
    assert days["2026-10-23TZ"] is not None
    assert days["2026-10-25T+01:00[Europe/London]"] is None  # a change that day
    assert "2026-10-23T+00:00[Europe/London]" not in days  # refused, as any clock of it is
    assert days["0001-01-01T+01:00"] is None  # its first hour before the first instant


def _changes(zone: ZoneInfo, year: int) -> list[date]:
    """The local days of *year* on which *zone* changes its offset (found hour by hour)."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    hours = [(start + timedelta(hours=h)).astimezone(zone) for h in range(366 * 24)]
    return sorted(
        {b.date() for a, b in itertools.pairwise(hours) if a.utcoffset() != b.utcoffset()}
    )


@pytest.mark.parametrize(
    "key",
    [
        "Europe/London",
        "America/New_York",
        "Australia/Lord_Howe",  # a change of half an hour
        "America/Santiago",  # at midnight: a day without 00:00, one with two
        "America/Havana",  # at midnight, too
        "Asia/Kathmandu",  # no change, an offset of minutes
    ],
)
def test_the_clocks_of_days_around_changes_are_read_as_parse_instant_reads_them(key: str) -> None:
    """Every quarter hour of the days before, of and after each change of 2026, written with
    each offset of the zone those days (so the skipped and repeated hours, and the offsets
    that do not agree): read by the row reader (a day remembered read by its clock), in order
    and in reverse, as parse_instant reads each alone."""
    zone = ZoneInfo(key)
    days = {d + timedelta(days=step) for d in _changes(zone, 2026) for step in (-1, 0, 1)}
    days = days or {date(2026, 3, 29), date(2026, 10, 25)}
    texts = []
    for day in sorted(days):
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
        offsets = {
            (noon + timedelta(hours=h)).strftime("%z") for h in range(-36, 37)
        }  # this day's and its neighbours'
        for offset in sorted(offsets):
            written = f"{offset[:3]}:{offset[3:]}"
            for quarter in range(96):
                clock = f"{quarter // 4:02d}:{quarter % 4 * 15:02d}:00"
                texts.append(f"{day.isoformat()}T{clock}{written}[{key}]")
    expected = list(map(_read_alone, texts))
    reader = RowReader(text_only=True)
    assert [_read_with(text, reader) for text in texts] == expected
    assert [_read_with(text, reader) for text in texts] == expected  # the days remembered
    backwards = RowReader(text_only=True)
    assert [_read_with(text, backwards) for text in reversed(texts)] == expected[::-1]
    assert any(value is None for value in reader._days.values()) == (key != "Asia/Kathmandu")


_CLOCKS = st.sampled_from(["00:00:00", "00:59:59", "01:00:00", "01:30:00", "02:00:00", "23:59:59"])


@given(
    st.lists(
        st.tuples(st.dates(), _CLOCKS, st.sampled_from(["+00:00", "+01:00", "-05:00", "Z"])),
        max_size=12,
    ),
    st.sampled_from(
        ["", "[Europe/London]", "[America/New_York]", "[Australia/Lord_Howe]", "[UTC]"]
    ),
)
def test_instants_read_with_a_memo_of_days_are_read_as_each_alone(
    parts: list[tuple[date, str, str]], bracket: str
) -> None:
    texts = [f"{day.isoformat()}T{clock}{offset}{bracket}" for day, clock, offset in parts]
    texts += [
        f"{text[:11]}{clock}{text[19:]}" for text in texts for clock in ("03:00:00", "12:00:00")
    ]
    reader = RowReader(text_only=True)
    assert [_read_with(text, reader) for text in texts] == list(map(_read_alone, texts))
