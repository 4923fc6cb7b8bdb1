"""Logs as users keep them: Parquet, several files, rows in time order rather than by ticket.

Each is checked against the same log as a CSV file with each ticket's rows together: the one
the rest of the suite checks against the lifecycle.
"""

from __future__ import annotations

import builtins
import csv
import functools
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import westcoast_rules as wr
from westcoast_rules import batch
from westcoast_rules.batch import pieces, sources
from westcoast_rules.batch.log import Entry

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)
HEADER = "ticket,event,at,priority,channel,tier,category,every\n"


PART_ROWS = 600
"""The example log's first rows: 123 tickets, every kind of event, for the tests of how a log's
rows are read; the whole log (2,993 tickets) goes every way in the slow tests."""


def example_frame(rows: int | None = None) -> pd.DataFrame:
    """The example log, or its first *rows*."""
    return pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False, nrows=rows)


def instants(frame: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(
        frame["at"].str.replace(r"\[.*\]", "", regex=True), utc=True, format="ISO8601"
    )


def in_time_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The log as a helpdesk exports it: every row in time order, the tickets interleaved."""
    return frame.iloc[instants(frame).argsort(kind="stable")]


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The log with its columns typed, as a Parquet file holds them: ``at`` a zoned
    timestamp, ``tier`` a whole number, empty cells null."""
    out = frame.copy()
    out["at"] = instants(frame).dt.tz_convert("Europe/London")
    out["tier"] = pd.to_numeric(out["tier"]).astype("Int64")
    return out.replace({"": None})


def by_ticket(rows: tuple[batch.TicketRow, ...]) -> list[batch.TicketRow]:
    return sorted(rows, key=lambda row: row.ticket)


@pytest.fixture(scope="module")
def grouped() -> batch.SlaReport:
    return batch.sla_report(wr.WESTCOAST, EXAMPLE, as_of=AS_OF)


@pytest.fixture(scope="module")
def grouped_part() -> batch.SlaReport:
    """The report of the example log's first :data:`PART_ROWS` rows, as they are in the file."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[: PART_ROWS + 1]
    return batch.sla_report(wr.WESTCOAST, io.StringIO("".join(lines)), as_of=AS_OF, format="csv")


# -- Parquet -----------------------------------------------------------------------------------


def test_a_parquet_log_reports_as_its_csv(tmp_path: Path, grouped_part: batch.SlaReport) -> None:
    grouped = grouped_part
    path = tmp_path / "log.parquet"
    typed(example_frame(PART_ROWS)).to_parquet(path, row_group_size=40, index=False)  # 15 groups
    report = batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF)
    assert (grouped.rows, grouped.summary, ()) == (report.rows, report.summary, report.errors)
    first = next(batch.read_log(path))
    assert isinstance(first, batch.LogRow)
    assert (str(path), 1) == (first.source, first.line)  # numbered from 1: no header line


def test_a_tz_naive_timestamp_column_is_refused(tmp_path: Path) -> None:
    """HOURS-5: a timestamp without a zone names no instant."""
    frame = typed(example_frame().head(20))
    frame["at"] = frame["at"].dt.tz_localize(None)
    path = tmp_path / "naive.parquet"
    frame.to_parquet(path)
    with pytest.raises(wr.NaiveDatetimeError, match=r"column 'at'.*without a time zone.*HOURS-5"):
        batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF)


def test_parquet_columns_as_text_durations_and_numbers(tmp_path: Path) -> None:
    """``at`` as text or a timestamp in any unit; ``every`` as ISO 8601 or a duration (PROC-3);
    ``tier`` a float that is whole; the names in any case."""
    lodged = datetime(2026, 11, 23, 9, tzinfo=LONDON)
    table = pa.table(
        {
            "Ticket": ["WC-1", "WC-1", "WC-2", "WC-2"],
            "EVENT": ["Lodged", "UpdateTimeframeAgreed", "Lodged", "UpdateTimeframeAgreed"],
            "at": pa.array(
                [lodged, lodged + timedelta(hours=1)] * 2, pa.timestamp("ns", "Europe/London")
            ),
            "priority": ["P2", None, "P3", None],
            "channel": ["email", None, "phone", None],
            "tier": pa.array([2.0, None, None, None]),
            "every": pa.array([None, timedelta(hours=4), None, timedelta(days=2)]),
        }
    )
    path = tmp_path / "typed.parquet"
    pq.write_table(table, path)
    rows = list(batch.read_log(path))
    assert all(isinstance(row, batch.LogRow) for row in rows), rows
    agreed = rows[1].event  # type: ignore[union-attr]
    assert isinstance(agreed, wr.UpdateTimeframeAgreed)
    assert (timedelta(hours=4), lodged + timedelta(hours=1)) == (agreed.every, agreed.at)
    assert wr.Tier(2) == rows[0].event.tier  # type: ignore[union-attr]
    text = table.set_column(6, "every", pa.array([None, "PT4H", None, "P2D"]))
    text = text.set_column(2, "at", pa.array([lodged.isoformat()] * 4))
    pq.write_table(text, path)
    assert [type(row.event) for row in rows] == [  # type: ignore[union-attr]
        type(row.event)  # type: ignore[union-attr]
        for row in batch.read_log(path)
    ]


def test_a_parquet_log_with_an_unknown_column_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    pq.write_table(
        pa.table({"ticket": ["WC-1"], "event": ["Lodged"], "at": ["x"], "prio": [1]}), path
    )
    with pytest.raises(wr.DataError, match=r"unknown column 'prio' \(did you mean 'priority'\?\)"):
        batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF)


def test_a_file_that_is_not_parquet_says_so(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    path.write_text(HEADER)
    with pytest.raises(wr.DataError, match="is not a Parquet file"):
        batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF)


def test_a_parquet_stream_is_refused_with_what_to_do() -> None:
    with pytest.raises(wr.WrongTypeError, match="read from its path"):
        list(batch.read_log(io.StringIO(""), format="parquet"))


def test_without_pyarrow_a_parquet_log_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = builtins.__import__

    def without_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("pyarrow"):
            raise ImportError(name=name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyarrow)
    with pytest.raises(wr.MissingExtraError, match=r"westcoast-rules\[dask\]"):
        batch.sla_report(wr.WESTCOAST, tmp_path / "log.parquet", as_of=AS_OF)


# -- in any order, in several files ----------------------------------------------------------


@pytest.mark.slow  # the whole example log
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_log_in_time_order_gives_the_rows_of_the_log_grouped(
    suffix: str,
    jobs: int,
    tmp_path: Path,
    grouped: batch.SlaReport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same tickets, judged the same: only the order of the rows (the order the tickets
    first appear) follows the file. Several processes cannot cut a file in time order: it is
    reported in one, the same."""
    monkeypatch.setattr(pieces, "PIECE_BYTES", 50_000)
    monkeypatch.setattr(pieces, "SMALL_BYTES", 0)  # scanned, as a large file would be
    frame = in_time_order(example_frame())
    path = tmp_path / f"log{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        typed(frame).to_parquet(path, index=False)
    assert not sources.tickets_together([path])
    report = batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF, jobs=jobs)
    assert by_ticket(grouped.rows) == by_ticket(report.rows)
    assert (grouped.summary, ()) == (report.summary, report.errors)
    reported = [row.ticket for row in report.rows]
    first_seen = [ticket for ticket in dict.fromkeys(frame["ticket"]) if ticket in reported]
    assert first_seen == reported


def test_several_files_are_one_log(tmp_path: Path, grouped_part: batch.SlaReport) -> None:
    """A ticket lodged in one file and answered in the next is one ticket."""
    grouped = grouped_part
    frame = in_time_order(example_frame(PART_ROWS))
    half = len(frame) // 2
    paths = [tmp_path / "a.csv", tmp_path / "b.parquet"]
    frame.iloc[:half].to_csv(paths[0], index=False)
    typed(frame.iloc[half:]).to_parquet(paths[1], index=False)
    report = batch.sla_report(wr.WESTCOAST, paths, as_of=AS_OF)
    assert by_ticket(grouped.rows) == by_ticket(report.rows)
    assert grouped.summary == report.summary


def test_a_grouped_log_is_streamed_and_a_scan_tells_which_is_which(tmp_path: Path) -> None:
    grouped_path, mixed = tmp_path / "grouped.csv", tmp_path / "mixed.jsonl"
    grouped_path.write_text(EXAMPLE.read_text())
    rows = ['{"ticket": "A", "event": "Lodged"}', '{"ticket": "B"}', "not json", '{"ticket": "A"}']
    mixed.write_text("\n".join(rows) + "\n")
    assert sources.tickets_together([grouped_path])
    assert not sources.tickets_together([mixed])  # A comes back; the bad line stays with B
    assert not sources.tickets_together([grouped_path, grouped_path])  # again, in a 2nd file


@pytest.mark.parametrize("quoting", [csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
def test_a_quoted_csv_log_in_time_order_is_scanned_as_the_reader_reads_it(
    quoting: int, tmp_path: Path, grouped_part: batch.SlaReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export that quotes its fields (``"WC-1","Lodged",...``, the header too) is scanned
    for its tickets by the CSV reader itself: its quoted tickets are the tickets, so a log in
    time order is found so, grouped, and reported as the same rows grouped by ticket (it was
    taken for a log whose tickets come together, and streamed: each ticket's rows apart were
    refused as bad rows)."""
    monkeypatch.setattr(pieces, "SMALL_BYTES", 0)  # scanned, as a large file would be
    path = tmp_path / "quoted.csv"
    in_time_order(example_frame(PART_ROWS)).to_csv(path, index=False, quoting=quoting)
    assert path.read_text(encoding="utf-8").startswith('"ticket","event"')
    assert not sources.tickets_together([path])
    report = batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF)
    assert by_ticket(grouped_part.rows) == by_ticket(report.rows)
    assert (grouped_part.summary, ()) == (report.summary, report.errors)


def row(line: int, ticket: str | None, at: int | None) -> batch.RowError | Entry:
    """A row of *ticket* at instant *at*; a bad row (a RowError) when *at* is ``None``."""
    if at is None:
        return batch.RowError("log", line, ticket, "bad")
    assert ticket is not None
    return Entry("log", line, ticket, wr.Acknowledged, at, None, None, None)


rows_of_a_log = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", None]), st.none() | st.integers(0, 3)),
    max_size=14,
).map(lambda drawn: [row(line, t, None if t is None else at) for line, (t, at) in enumerate(drawn)])


@settings(max_examples=200)
@given(rows_of_a_log)
def test_the_one_grouping_by_ticket(rows: list[batch.RowError | Entry]) -> None:
    """Each ticket's rows together, the tickets in the order their first rows come; a row of no
    ticket alone, where it stands; each ticket's good rows in time order, stably, its bad rows
    where they stood; streamed (rows known to be together) the same as held."""
    groups = list(sources.by_ticket(rows))
    assert sorted(row.line for group in groups for row in group) == [row.line for row in rows]
    firsts = [min(row.line for row in group) for group in groups]
    assert firsts == sorted(firsts)
    for group in groups:
        assert len({row.ticket for row in group}) == 1
        if group[0].ticket is None:
            assert 1 == len(group)
            continue
        assert [r.line for r in rows if r.ticket == group[0].ticket] == sorted(
            r.line for r in group
        )
        good = [r for r in group if isinstance(r, Entry)]
        assert good == sorted(good, key=lambda r: (r.at, r.line))  # stably
        slots = [i for i, r in enumerate(group) if isinstance(r, batch.RowError)]
        read = [r for r in rows if r.ticket == group[0].ticket]
        assert slots == [i for i, r in enumerate(read) if isinstance(r, batch.RowError)]
    together = [row for group in groups for row in group]
    assert groups == list(sources.by_ticket(together, together=True))


# -- in any order, the rows of the log in order --------------------------------------------------


def example_rows(frame: pd.DataFrame) -> list[batch.TicketRow]:
    """The report rows of a log frame written as CSV, by ticket."""
    return by_ticket(
        batch.sla_report(
            wr.WESTCOAST, io.StringIO(frame.to_csv(index=False)), as_of=AS_OF, format="csv"
        ).rows
    )


@functools.cache
def disordered(rows: int | None = None) -> dict[str, pd.DataFrame]:
    """The example log in other orders: reversed (within and between tickets), shuffled
    (likewise), in time order, and each ticket's rows reversed in place. Made once for the
    module (no test changes a frame it is given: pandas copies on write). Of the first *rows*
    rows, when given."""
    frame = example_frame(rows)
    first_seen = {ticket: i for i, ticket in enumerate(dict.fromkeys(frame["ticket"]))}
    place = [(first_seen[ticket], -i) for i, ticket in enumerate(frame["ticket"])]
    inner = frame.iloc[sorted(range(len(frame)), key=place.__getitem__)]
    return {
        "reversed": frame.iloc[::-1],
        "shuffled": frame.sample(frac=1.0, random_state=7),
        "in time order": in_time_order(frame),
        "each ticket reversed": inner,
    }


@pytest.mark.slow  # the whole example log, 24 ways
@pytest.mark.parametrize("order", ["reversed", "shuffled", "in time order", "each ticket reversed"])
@pytest.mark.parametrize("way", ["csv", "jsonl", "parquet", "records", "stream", "jobs=2"])
def test_a_log_in_any_order_gives_the_rows_of_the_log_in_order(
    order: str,
    way: str,
    tmp_path: Path,
    grouped: batch.SlaReport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every way a log is read puts each ticket's rows together and in time order before
    replaying it: the same TicketRows and summary as the example log in order, no bad row."""
    monkeypatch.setattr(pieces, "PIECE_BYTES", 50_000)
    monkeypatch.setattr(pieces, "SMALL_BYTES", 0)  # scanned, as a large file would be
    frame = disordered()[order]
    path = tmp_path / f"log.{'csv' if way in ('records', 'stream', 'jobs=2') else way}"
    if way == "parquet":
        typed(frame).to_parquet(path, index=False)
    elif way == "jsonl":
        records = frame.replace({"": None}).to_dict("records")
        path.write_text(
            "".join(json.dumps({k: v for k, v in r.items() if v}) + "\n" for r in records)
        )
    else:
        frame.to_csv(path, index=False)
    source: Any = path
    if way == "records":
        source = batch.read_log(path)
    with path.open() as stream:
        if way == "stream":
            source = stream
        report = batch.sla_report(
            wr.WESTCOAST, source, as_of=AS_OF, jobs=2 if way == "jobs=2" else 1
        )
    assert by_ticket(grouped.rows) == by_ticket(report.rows)
    assert (grouped.summary, ()) == (report.summary, report.errors)


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_the_files_of_a_log_in_any_order_are_one_log(
    order: str, tmp_path: Path, grouped_part: batch.SlaReport
) -> None:
    """A log split across files, the files listed in any order (newest first, say), the rows
    of each in any order: the tickets of the log in order."""
    grouped = grouped_part
    frame = disordered(PART_ROWS)[order]
    parts = [frame.iloc[i::3] for i in range(3)]
    paths = [tmp_path / "c.csv", tmp_path / "b.jsonl", tmp_path / "a.parquet"]
    parts[0].to_csv(paths[0], index=False)
    records = parts[1].replace({"": None}).to_dict("records")
    paths[1].write_text(
        "".join(json.dumps({k: v for k, v in r.items() if v}) + "\n" for r in records)
    )
    typed(parts[2]).to_parquet(paths[2], index=False)
    for listed in (paths, paths[::-1]):
        report = batch.sla_report(wr.WESTCOAST, listed, as_of=AS_OF)
        assert by_ticket(grouped.rows) == by_ticket(report.rows)
        assert (grouped.summary, ()) == (report.summary, report.errors)


@pytest.fixture(scope="module")
def in_order() -> pd.DataFrame:
    """``frames.report`` of the example log's first :data:`PART_ROWS` rows in their order."""
    from westcoast_rules import frames  # noqa: PLC0415 - the [frames] extra

    return frames.report(wr.WESTCOAST, example_frame(PART_ROWS), as_of=AS_OF)


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_frames_report_of_a_log_in_any_order_is_the_log_in_order(
    order: str, grouped_part: batch.SlaReport, in_order: pd.DataFrame
) -> None:
    """``frames.report`` on pandas goes through the same grouping: the same rows."""
    from westcoast_rules import frames  # noqa: PLC0415 - the [frames] extra

    grouped = grouped_part
    out = frames.report(wr.WESTCOAST, disordered(PART_ROWS)[order], as_of=AS_OF)
    assert len(grouped.rows) == len(out)
    assert [row.ticket for row in by_ticket(grouped.rows)] == sorted(out["ticket"])
    by_id = out.sort_values("ticket").reset_index(drop=True)
    assert in_order.sort_values("ticket").reset_index(drop=True).equals(by_id)


def test_a_row_whose_instant_cannot_be_read_is_a_bad_row_that_moves_no_other() -> None:
    """The bad row is named with its line; the ticket's other rows are replayed in time order,
    its lodging included, whichever order they came in."""
    log = HEADER + "".join(
        [
            "WC-1,Acknowledged,2026-11-23T10:30:00+00:00,,,,,\n",
            "WC-1,InfoRequested,not a time,,,,,\n",
            "WC-1,Lodged,2026-11-23T09:00:00+00:00,P2,email,,,\n",
        ]
    )
    report = batch.sla_report(wr.WESTCOAST, io.StringIO(log), as_of=AS_OF, format="csv")
    [row] = report.rows
    assert ("WC-1", "met", 1) == (row.ticket, row.response, row.bad_rows)
    [error] = report.errors
    assert 3 == error.line


def test_a_row_of_no_ticket_is_a_bad_row_of_no_ticket(tmp_path: Path) -> None:
    """It is counted as a bad row, not as a ticket, nor with the ticket before it."""
    log = HEADER + "WC-1,Lodged,2026-11-23T09:00:00+00:00,P2,email,,,\n"
    log += ",Acknowledged,2026-11-23T10:00:00+00:00,,,,,\n"
    log += "WC-1,Acknowledged,2026-11-23T10:30:00+00:00,,,,,\n"
    path = tmp_path / "log.csv"
    path.write_text(log)
    summary = batch.SlaSummary()
    items = list(batch.report_log(wr.WESTCOAST, path, as_of=AS_OF, summary=summary))
    row, error = items  # the tickets in the order their first rows come
    assert isinstance(error, batch.RowError)
    assert isinstance(row, batch.TicketRow)
    assert (3, None) == (error.line, error.ticket)
    assert (0, 1, 1, 0) == (
        row.bad_rows,
        summary.tickets,
        summary.bad_rows,
        summary.unreadable_tickets,
    )


def test_a_list_of_csv_lines_is_not_taken_for_file_names() -> None:
    with pytest.raises(wr.WrongTypeError, match="LogRow and RowError"):
        batch.sla_report(wr.WESTCOAST, ["WC-1,Lodged"], as_of=AS_OF)  # type: ignore[list-item]


def test_a_missing_file_of_several_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(EXAMPLE.read_text())
    with pytest.raises(wr.DataError, match=r"cannot read the log .*b\.csv"):
        batch.sla_report(wr.WESTCOAST, [tmp_path / "a.csv", tmp_path / "b.csv"], as_of=AS_OF)


def test_the_rows_of_a_log_open_each_file_when_reached_and_close_it_when_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from westcoast_rules.batch import _reading  # noqa: PLC0415 (the reading of files itself)

    lines = "ticket,event,at\nWC-{0},Lodged,2026-11-23T12:00:00+00:00\n"
    paths = [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "empty.csv"]
    paths[0].write_text(lines.format(1) + "WC-1,Resolved,2026-11-23T13:00:00+00:00\n")
    paths[1].write_text(lines.format(2))
    paths[2].write_text("ticket,event,at\n")
    opened: list[Any] = []

    def opened_file(path: Path, fmt: str) -> Any:
        file = path.open(encoding="utf-8", newline="\n")
        opened.append(file)
        return file

    monkeypatch.setattr(_reading, "opened_file", opened_file)
    log = _reading.LogFiles(tuple(_reading.LogFile(path, "csv") for path in paths[:2]))
    rows = _reading.log_entries(log)
    assert not opened  # nothing opened until a row is asked for
    assert next(rows).ticket == "WC-1"
    assert next(rows).line == 3
    assert len(opened) == 1
    assert next(rows).ticket == "WC-2"  # the second file reached: the first closed
    assert opened[0].closed
    assert not opened[1].closed
    rows.close()  # a reader that stops early
    assert opened[1].closed
    assert [row.ticket for row in _reading.log_entries(log)] == ["WC-1", "WC-1", "WC-2"]
    assert all(file.closed for file in opened)
    empty = _reading.LogFiles(
        (_reading.LogFile(paths[0], "csv"), _reading.LogFile(paths[2], "csv"))
    )
    with pytest.raises(wr.DataError, match=r"empty\.csv holds no events"):
        list(_reading.log_entries(empty))
    assert all(file.closed for file in opened)
