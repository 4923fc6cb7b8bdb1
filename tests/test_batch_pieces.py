"""A log file cut into pieces of whole tickets, and reported by several processes."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.test_batch_paths import as_csv, as_jsonl, logs
from westcoast_rules import batch
from westcoast_rules.batch import _text, pieces
from westcoast_rules.batch.sources import by_ticket, record_entries

LONDON = ZoneInfo("Europe/London")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)


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
    monkeypatch.setattr(pieces, "PIECE_BYTES", 3_000)


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
    assert len(list(pieces.split(path, suffix[1:]))) > 5
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
def test_pieces_are_cut_where_the_reader_starts_a_ticket(
    folder: Path, rows: list[list[str]], size: int
) -> None:
    text = as_csv(rows).replace('"', "")
    path = write(folder, text)
    cut = list(pieces.split(path, "csv", size))
    groups_ = list(by_ticket(record_entries(batch.read_log(path)), together=True))
    assert cut[0].start == len(text.splitlines(keepends=True)[0].encode())
    assert all(a.end == b.start for a, b in itertools.pairwise(cut))
    assert cut[-1].end == len(text.encode())
    assert {piece.line for piece in cut} <= {min(row.line for row in group) for group in groups_}


@pytest.mark.usefixtures("small_pieces")
def test_from_a_quote_on_the_rest_of_the_file_is_read_as_one_stream(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(EXAMPLE.read_text())))[1:600]
    rows[400][7] = "P\nT4H"  # a line break in a quoted field: not a place to cut
    rows[401][2] = "late"
    path = write(tmp_path, as_csv(rows))
    cut = list(pieces.split(path, "csv"))
    assert cut[-1].end is None
    assert all(piece.end is not None for piece in cut[:-1])
    one, two = in_processes(path, 1), in_processes(path, 2)
    assert one == two
    lines = [item.line for item in one[0] if isinstance(item, batch.RowError)]  # type: ignore[index]
    assert [403, 404] == lines[:2]  # rows[400] spans lines 402-403; rows[401] is line 404


@pytest.mark.parametrize("jobs", [0, -1, True, 1.5, "2"])
def test_jobs_must_be_a_whole_number_of_processes(jobs: object) -> None:
    with pytest.raises(wr.WrongTypeError, match="jobs must be"):
        list(batch.report_log(wr.WESTCOAST, EXAMPLE, as_of=AS_OF, jobs=jobs))  # type: ignore[arg-type]


HOSTILE = st.sampled_from([b'"', b"\r", b"\r\n", b"\n", b",", b"\xff", b"\n,", b"\n\n"])


def reader_says_together(path: Path) -> bool | None:
    """Whether each ticket's rows come together as the reader reads them (rows of no ticket
    belong to none); ``None`` when the reader refuses the log whole."""
    try:
        tickets = [row.ticket for row in batch.read_log(path)]
    except wr.WestcoastRulesError:
        return None
    runs = [ticket for ticket, _ in itertools.groupby(filter(None, tickets))]
    return len(runs) == len(set(runs))


@given(logs(), st.sampled_from(["csv", "jsonl"]), st.lists(st.tuples(st.floats(0, 1), HOSTILE)))
def test_the_scan_finds_the_tickets_together_exactly_when_the_reader_does(
    folder: Path, rows: list[list[str]], fmt: str, edits: list[tuple[float, bytes]]
) -> None:
    """The scan decides whether a log is streamed, each ticket reported as its rows end: it
    must see the tickets the reader reads, in quoted fields, around stray carriage returns,
    empty tickets and bytes that are not UTF-8 (it took a quoted log for one whose tickets
    come together)."""
    data = (as_csv(rows) if fmt == "csv" else as_jsonl(rows)).encode()
    header = data.index(b"\n") + 1 if fmt == "csv" else 0
    for where, text in edits:  # after the header: a damaged header is refused whole
        place = header + int(where * (len(data) - header))
        data = data[:place] + text + data[place:]
    path = folder / f"scanned.{fmt}"
    path.write_bytes(data)
    truth = reader_says_together(path)
    if truth is not None:
        assert pieces.tickets_together([(path, fmt)]) == truth


@given(
    logs(),
    st.lists(st.tuples(st.floats(0, 1), HOSTILE)),
    st.sampled_from([1, 7, 64, 1 << 16]),
)
def test_a_file_read_in_blocks_gives_the_rows_its_lines_give(
    folder: Path, rows: list[list[str]], edits: list[tuple[float, bytes]], block: int
) -> None:
    """A CSV file is read a block of whole lines at a time, its common lines split at once: the
    rows, bad rows and line numbers are those of its lines read one by one (as a stream's are),
    around quotes, stray carriage returns, empty lines and bytes that are not UTF-8, wherever
    the blocks end."""
    data = as_csv(rows).encode()
    for where, text in edits:
        place = int(where * len(data))
        data = data[:place] + text + data[place:]
    path = folder / "blocks.csv"
    path.write_bytes(data)

    def read(source: object) -> list[object]:
        try:
            return list(batch.read_log(source, format="csv"))  # type: ignore[arg-type]
        except wr.WestcoastRulesError as exc:
            return [str(exc)]

    size = _text._BLOCK
    _text._BLOCK = block
    try:
        in_blocks = read(path)
    finally:
        _text._BLOCK = size
    with path.open(encoding="utf-8", errors="surrogateescape", newline="\n") as stream:
        assert in_blocks == read(stream)


@pytest.mark.parametrize(
    "lines",
    [
        ["WC-1,Lodged", "WC-1", "", "WC-1,Resolved", ",Resolved", "WC-2,Lodged", "WC-2"],
        ["WC-1,Lodged", "WC-2", "WC-1,Resolved"],  # a line without a comma: its ticket
        ["WC-1,Lodged", "WC-2,Lodged", "", "WC-1"],
        ["WC-1,Lodged", "WC-1\r", "WC-2,Lodged"],  # with a \r: each line less its end
        ["WC-1\r,Lodged", "WC-1,Lodged", "WC-2", "WC-1\r"],
    ],
)
@pytest.mark.parametrize("end", ["\n", ""])
def test_the_scan_reads_each_line_before_its_first_comma_as_the_reader_does(
    tmp_path: Path, lines: list[str], end: str
) -> None:
    path = tmp_path / "log.csv"
    at = "2026-10-23T16:00:00+01:00"
    rows = [line.replace(",Lodged", f",Acknowledged,{at}") for line in lines]
    path.write_bytes(("ticket,event,at\n" + "\n".join(rows) + end).encode())
    truth = reader_says_together(path)
    assert truth is not None
    assert pieces.tickets_together([(path, "csv")]) == truth
