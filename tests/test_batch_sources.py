"""Logs as users keep them: Parquet, several files, rows in time order rather than by ticket.

Each is checked against the same log as a CSV file with each ticket's rows together: the one
the rest of the suite checks against the lifecycle.
"""

from __future__ import annotations

import builtins
import io
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

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)
HEADER = "ticket,event,at,priority,channel,tier,category,every\n"


def example_frame() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)


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


# -- Parquet -----------------------------------------------------------------------------------


def test_a_parquet_log_reports_as_its_csv(tmp_path: Path, grouped: batch.SlaReport) -> None:
    path = tmp_path / "log.parquet"
    typed(example_frame()).to_parquet(path, row_group_size=1000, index=False)
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
    monkeypatch.setattr(sources, "_SMALL", 0)  # scanned, as a large file would be
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


def test_several_files_are_one_log(tmp_path: Path, grouped: batch.SlaReport) -> None:
    """A ticket lodged in one file and answered in the next is one ticket."""
    frame = in_time_order(example_frame())
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


@settings(max_examples=50)
@given(st.lists(st.sampled_from(["A", "B", "C", None]), max_size=12))
def test_regrouping_keeps_first_appearance_and_read_order(tickets: list[str | None]) -> None:
    """Each ticket's rows together, in the order read; a row of no ticket stays with the one
    before it; a log already grouped is unchanged."""
    items = [batch.RowError("log", line, ticket, "") for line, ticket in enumerate(tickets)]
    regrouped = list(sources.regrouped(items))
    assert sorted(regrouped) == sorted(items)
    owner: list[str | None] = []
    current = None
    for ticket in tickets:
        current = ticket or current
        owner.append(current)
    order = list(dict.fromkeys(owner))
    assert [owner[item.line] for item in regrouped] == sorted(
        owner, key=order.index
    )  # the owners in first-appearance order, stably
    assert list(sources.regrouped(regrouped)) == regrouped


def test_a_list_of_csv_lines_is_not_taken_for_file_names() -> None:
    with pytest.raises(wr.WrongTypeError, match="LogRow and RowError"):
        batch.sla_report(wr.WESTCOAST, ["WC-1,Lodged"], as_of=AS_OF)  # type: ignore[list-item]


def test_a_missing_file_of_several_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(EXAMPLE.read_text())
    with pytest.raises(wr.DataError, match=r"cannot read the log .*b\.csv"):
        batch.sla_report(wr.WESTCOAST, [tmp_path / "a.csv", tmp_path / "b.csv"], as_of=AS_OF)
