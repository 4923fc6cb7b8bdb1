"""The report in worker processes gives what one process gives, however the workers start.

Python 3.14 starts processes with ``forkserver`` by default on Linux, and 3.12 and later warn
when a process with threads forks; ``spawn`` is the only way on Windows. A worker started
either way has none of its parent's memory: everything it needs must reach it by pickling or
by importing the package, and these tests would fail on anything that does not.
"""

from __future__ import annotations

import multiprocessing
import threading
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import westcoast_rules as wr
from westcoast_rules import batch
from westcoast_rules.batch import pieces

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, tzinfo=ZoneInfo("Europe/London"))
PIECE_BYTES = 150_000
"""The example log (about 1 MB) in about seven pieces, as a log of 30 MB in real pieces."""


@pytest.fixture(autouse=True)
def _pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", PIECE_BYTES)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example log with a bad row in its middle."""
    text = EXAMPLE.read_text(encoding="utf-8")
    middle = text.index(",Acknowledged,", len(text) // 2)
    path = tmp_path_factory.mktemp("log") / "events.csv"
    path.write_text(text[:middle] + ",Acknowledgd," + text[middle + 14 :], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def one(log: Path) -> batch.SlaReport:
    """The report of one process."""
    return report(log, jobs=1)


def report(path: Path, jobs: int) -> batch.SlaReport:
    return batch.sla_report(wr.WESTCOAST, path, as_of=AS_OF, jobs=jobs)


def test_the_log_is_cut_into_pieces_that_go_through_the_pool(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparisons below are not vacuous: the log is cut into several pieces, none left for
    the parent to read, and ``jobs=2`` starts workers the way :data:`pieces.START_METHOD` says
    (an unknown way is refused by multiprocessing)."""
    cuts = list(pieces.split(log, "csv"))
    assert len(cuts) > 4
    assert all(piece.end is not None for piece in cuts)
    monkeypatch.setattr(pieces, "START_METHOD", "carrier-pigeon")
    with pytest.raises(ValueError, match="carrier-pigeon"):
        report(log, jobs=2)


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_two_processes_report_what_one_does(
    method: str, log: Path, one: batch.SlaReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same rows, summary and bad rows (with their line numbers), from workers that share
    nothing with this process, while it runs a thread of its own: Python 3.12 and later would
    warn if the pool forked it."""
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{method} is not available here")
    monkeypatch.setattr(pieces, "START_METHOD", method)
    busy = threading.Event()
    waiting = threading.Thread(target=busy.wait, daemon=True)
    waiting.start()
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            two = report(log, jobs=2)
    finally:
        busy.set()
        waiting.join()
    assert len(one.rows) > 2500
    assert [True] == [e.message.startswith("unknown event 'Acknowledgd'") for e in one.errors]
    assert (one.rows, one.summary, one.errors) == (two.rows, two.summary, two.errors)
    assert [] == [str(w.message) for w in seen if "fork" in str(w.message)]


def test_the_pool_never_forks_the_caller() -> None:
    """Forking a process that runs threads can hang the child, which inherits their locks held;
    a caller with a Polars, PyArrow or Dask thread pool has such threads."""
    assert pieces.START_METHOD in ("forkserver", "spawn")


def test_a_log_whose_tickets_come_apart_late_is_reported_as_one_process_reports_it(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pieces are set to work after a glance at the log's first rows, while the rest of
    the scan runs beside them: a ticket whose rows come apart after the glance is found
    before any of that work is used, which is dropped, and the log is reported held and
    grouped, the same as by one process (the ticket's rows together, in time order)."""
    monkeypatch.setattr(pieces, "PIECE_BYTES", 20_000)  # its first 1,200 lines in 5 pieces
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)[:1200]
    first = lines[1].split(",")[0]
    moved = next(i for i in range(2, len(lines)) if lines[i].startswith(first + ","))
    apart = tmp_path / "apart.csv"
    apart.write_text("".join(lines[:moved] + lines[moved + 1 :] + [lines[moved]]), "utf-8")
    monkeypatch.setattr(pieces, "GLANCE_ROWS", 100)
    assert pieces.tickets_together([(apart, "csv")], rows=100)  # the glance sees nothing apart
    assert not pieces.tickets_together([(apart, "csv")])  # the whole scan does
    one, two = report(apart, jobs=1), report(apart, jobs=2)
    assert len(one.rows) > 200
    assert (one.rows, one.summary, one.errors) == (two.rows, two.summary, two.errors)
    assert one.rows[0].ticket == first
