"""Every door that takes a log gives the same report (DESIGN: "Every path that takes a log...").

A generated log (clean or damaged, in any order, split across files listed in any order) is
reported through each door: ``read_log``'s records, a CSV, JSON Lines or Parquet file, a stream,
one process or two, several files, the command line, and ``frames.report`` / ``frames.bad_rows``
on pandas, Polars and PyArrow tables of the same rows. Each must give the same ticket rows and
the same number of bad rows as the records do. The Dask door is in ``test_dask.py`` (slow).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import math
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, example, given, settings

import westcoast_rules as wr
from tests.strategies import LOG_HEADER, EventLog, event_logs
from westcoast_rules import batch, frames
from westcoast_rules.batch import pieces
from westcoast_rules.cli import main
from westcoast_rules.serialization import parse_duration

AS_OF = datetime(2027, 1, 31, 12, tzinfo=ZoneInfo("Europe/London"))
AS_OF_TEXT = AS_OF.isoformat()
SUFFIXES = (".csv", ".jsonl", ".parquet")

Row = tuple[Any, ...]
"""A report row as comparable values: TicketRow's fields, instants in UTC."""
Answer = tuple[list[Row], int]
"""What a door says of a log: its ticket rows (by ticket) and how many bad rows it found."""


# -- the log, written each way -----------------------------------------------------------------


def csv_text(rows: Iterable[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LOG_HEADER)
    writer.writerows(rows)
    return out.getvalue()


def jsonl_text(rows: Iterable[tuple[str, ...]]) -> str:
    return "".join(
        json.dumps({k: v for k, v in zip(LOG_HEADER, row, strict=True) if v}) + "\n" for row in rows
    )


def table(log: EventLog, indices: list[int], *, typed: bool) -> pa.Table:
    """The rows as an Arrow table, empty cells null; ``at`` a zoned timestamp when *typed*."""
    columns: dict[str, Any] = {
        name: pa.array([log.rows[i][n] or None for i in indices], pa.string())
        for n, name in enumerate(LOG_HEADER)
    }
    if typed:
        at = [log.instants[i] for i in indices]
        columns["at"] = pa.array(at, pa.timestamp("us", "Europe/London"))
    return pa.table(columns)


def typed_at(log: EventLog) -> bool:
    """Whether every row's ``at`` is an instant, so the log can hold it as a timestamp."""
    return all(at is not None for at in log.instants)


def write(path: Path, log: EventLog, indices: list[int], *, typed: bool = False) -> Path:
    rows = log.part(indices)
    if path.suffix == ".csv":
        path.write_text(csv_text(rows), encoding="utf-8")
    elif path.suffix == ".jsonl":
        path.write_text(jsonl_text(rows), encoding="utf-8")
    else:
        pq.write_table(table(log, indices, typed=typed), path, row_group_size=4)
    return path


# -- each door's answer, as comparable values ----------------------------------------------------


def plain(value: Any) -> Any:
    """A value of a report row as Python has it: an instant in UTC, a timedelta, an int."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, pd.Timedelta):
        value = value.to_pytimedelta()
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def by_ticket(rows: Iterable[Iterable[Any]]) -> list[Row]:
    return sorted((tuple(map(plain, row)) for row in rows), key=lambda row: row[0])


def of_report(report: batch.SlaReport) -> Answer:
    assert (report.rows == ()) or len({row.ticket for row in report.rows}) == len(report.rows)
    return by_ticket(report.rows), len(report.errors)


def of_items(items: Iterator[batch.TicketRow | batch.RowError]) -> Answer:
    found = list(items)
    rows = [item for item in found if isinstance(item, batch.TicketRow)]
    return by_ticket(rows), len(found) - len(rows)


_FIELDS = batch.TicketRow._fields
_INSTANTS = {"lodged_at", "response_due", "responded_at", "next_deadline"}


def of_cli_csv(out: str, err: str, status: int) -> Answer:
    """The rows the command line wrote as CSV, read back; its count of bad rows from stderr
    (each shown, then "... and N more bad rows")."""
    rows: list[list[Any]] = []
    for record in csv.DictReader(io.StringIO(out)):
        assert list(record) == list(_FIELDS)
        row: list[Any] = []
        for name, text in record.items():
            if text == "":
                row.append(None)
            elif name in _INSTANTS:
                row.append(datetime.fromisoformat(text))
            elif name == "time_to_respond":
                row.append(parse_duration(text))
            elif name in ("tier", "bad_rows"):
                row.append(int(text))
            else:
                row.append(text)
        rows.append(row)
    lines = err.splitlines()
    shown = [line for line in lines if re.match(r"westcoast-rules: .*:\d+: ", line)]
    more = [int(m[1]) for line in lines if (m := re.search(r"\.\.\. and (\d+) more bad", line))]
    bad = len(shown) + sum(more)
    assert status == (1 if bad and not rows else 0), (status, err)
    return by_ticket(rows), bad


def of_frame(native: Any) -> list[Row]:
    """A frame of ``frames.report``'s rows as comparable rows, in TicketRow's columns."""
    if isinstance(native, pd.DataFrame):
        assert list(native.columns) == list(_FIELDS)
        records = native.astype(object).to_dict("records")
        return by_ticket([record[name] for name in _FIELDS] for record in records)
    if isinstance(native, pl.DataFrame):
        assert native.columns == list(_FIELDS)
        return by_ticket(native.rows())
    assert native.column_names == list(_FIELDS)
    return by_ticket(tuple(record.values()) for record in native.to_pylist())


def of_frames(events: Any) -> Answer:
    """``frames.report`` and ``frames.bad_rows`` of a table: its rows, and its bad rows (which
    are those report's one warning counts)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = frames.report(wr.WESTCOAST, events, as_of=AS_OF)
    bad = frames.bad_rows(wr.WESTCOAST, events, as_of=AS_OF)
    said = [str(w.message) for w in caught if issubclass(w.category, wr.BadRowsWarning)]
    if len(bad):
        [warned] = said
        assert warned.startswith(f"{len(bad)} bad rows of events left out"), warned
    else:
        assert [] == said
    return of_frame(out), len(bad)


# -- the doors -----------------------------------------------------------------------------------


def doors(log: EventLog, folder: Path) -> dict[str, Callable[[], Answer]]:
    """Each door a log goes through, given the generated *log* (files written in *folder*)."""
    whole = list(range(len(log.rows)))
    one = {suffix: write(folder / f"log{suffix}", log, whole) for suffix in SUFFIXES}
    # each ticket's rows together: cut into pieces for two processes
    grouped = folder / "grouped.csv"
    grouped.write_text(csv_text(log.grouped), encoding="utf-8")
    grouped_jsonl = folder / "grouped.jsonl"
    grouped_jsonl.write_text(jsonl_text(log.grouped), encoding="utf-8")
    names = itertools.cycle(SUFFIXES)
    files = [write(folder / f"part{n}{next(names)}", log, part) for n, part in enumerate(log.files)]
    typed = folder / "typed.parquet"
    if typed_at(log):
        write(typed, log, whole, typed=True)
    text = csv_text(log.rows)

    def report(source: Any, **options: Any) -> Callable[[], Answer]:
        return lambda: of_report(batch.sla_report(wr.WESTCOAST, source, as_of=AS_OF, **options))

    def records() -> Answer:  # read by the files, in the order they are listed
        rows = itertools.chain.from_iterable(batch.read_log(path) for path in files)
        return of_report(batch.sla_report(wr.WESTCOAST, rows, as_of=AS_OF))

    def cli() -> Answer:
        out, err = io.StringIO(), io.StringIO()
        argv = ["report", *map(str, files), "--as-of", AS_OF_TEXT, "--rows", "--format", "csv"]
        with contextlib.redirect_stderr(err):
            status = main([*argv, "--jobs", "1"], out=out)
        return of_cli_csv(out.getvalue(), err.getvalue(), status)

    def arrow(typed: bool) -> pa.Table:
        return table(log, whole, typed=typed)

    found: dict[str, Callable[[], Answer]] = {
        "records": records,
        "csv": report(one[".csv"]),
        "jsonl": report(one[".jsonl"]),
        "parquet": report(one[".parquet"]),
        "stream": report(io.StringIO(text), format="csv"),
        "jsonl stream": report(io.StringIO(jsonl_text(log.rows)), format="jsonl"),
        "csv, jobs=2": report(one[".csv"], jobs=2),
        "grouped csv, jobs=1": report(grouped),
        "grouped csv, jobs=2": report(grouped, jobs=2),
        "grouped jsonl, jobs=2": report(grouped_jsonl, jobs=2),
        "several files": report(files),
        "several files, report_log": lambda: of_items(
            batch.report_log(wr.WESTCOAST, files, as_of=AS_OF)
        ),
        "cli": cli,
        "pandas": lambda: of_frames(arrow(False).to_pandas()),
        "polars": lambda: of_frames(pl.from_arrow(arrow(False))),
        "pyarrow": lambda: of_frames(arrow(False)),
    }
    if typed_at(log):
        found |= {
            "parquet, typed": report(typed),
            "pandas, typed": lambda: of_frames(arrow(True).to_pandas()),
            "polars, typed": lambda: of_frames(pl.from_arrow(arrow(True))),
        }
    return found


CLEAN = EventLog(
    rows=[
        ("WC-1", "Acknowledged", "2026-11-23T10:30:00+00:00", "", "", "", "", ""),
        ("WC-1", "Lodged", "2026-11-20T17:00:00+00:00", "P2", "email", "", "", ""),
        ("WC-2", "Lodged", "2026-11-21T02:00:00+00:00", "P1", "phone", "2", "", ""),
    ],
    instants=[
        datetime(2026, 11, 23, 10, 30, tzinfo=UTC),
        datetime(2026, 11, 20, 17, tzinfo=UTC),
        datetime(2026, 11, 21, 2, tzinfo=UTC),
    ],
    files=[[2], [0, 1]],
)


@pytest.mark.slow  # two-process pools per generated log; CI's main and newest legs run it
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(log=CLEAN)
@given(log=event_logs())
def test_every_door_gives_the_same_rows_and_bad_rows(
    log: EventLog, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("log")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pieces, "PIECE_BYTES", 150)  # a few tickets a piece
        patch.setattr(pieces, "SMALL_BYTES", 0)  # scanned and, when together, streamed
        answers = {door: answer() for door, answer in doors(log, folder).items()}
    expected = answers["records"]
    assert len(expected[0]) >= 1 or expected[1] >= 1
    for door, answer in answers.items():
        assert expected[1] == answer[1], f"{door}: {answer[1]} bad rows, not {expected[1]}"
        assert expected[0] == answer[0], door
