"""Past one machine: the report on Dask, on a real cluster of two worker processes.

What Dask computes is checked against what one process computes: ``frames.report`` of a Dask
DataFrame against the same rows in pandas, and ``westcoast-rules report --dask`` against the
same command without it, byte for byte.
"""

from __future__ import annotations

import io
import sys
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import westcoast_rules as wr
from tests.strategies import EventLog, event_logs
from tests.test_batch_sources import example_frame, in_time_order, typed
from tests.test_every_door import of_frame, table
from westcoast_rules import frames
from westcoast_rules.batch import pieces
from westcoast_rules.cli import main

if TYPE_CHECKING:
    from distributed import Client

pytestmark = pytest.mark.slow  # a cluster of processes: seconds a test

LONDON = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 12, 31, 12, tzinfo=LONDON)
AS_OF_TEXT = "2026-12-31T12:00:00+00:00"


@pytest.fixture(scope="module")
def dd() -> ModuleType:
    """``dask.dataframe``, imported by the tests that use it: every test here is slow, and
    ``pytest -m "not slow"`` still imports each test module to collect it (Dask and
    distributed take most of a second to import)."""
    import dask.dataframe  # noqa: PLC0415

    return dask.dataframe


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A cluster as the issue asks CI to test on: two worker processes; its address."""
    from distributed import Client, LocalCluster  # noqa: PLC0415 - see dd

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        Client(local),
    ):
        yield local.scheduler_address


@pytest.fixture(scope="module")
def shuffled() -> pd.DataFrame:
    """The example log with its rows in no order at all."""
    return example_frame().sample(frac=1, random_state=7).reset_index(drop=True)


def test_a_dask_report_computes_the_pandas_report_row_for_row(
    dd: ModuleType, cluster: str, shuffled: pd.DataFrame
) -> None:
    expected = frames.report(wr.WESTCOAST, shuffled, as_of=AS_OF)
    report = frames.report(wr.WESTCOAST, dd.from_pandas(shuffled, npartitions=5), as_of=AS_OF)
    assert isinstance(report, dd.DataFrame)
    assert list(expected.columns) == list(report.columns)
    assert expected.dtypes.to_dict() == report.dtypes.to_dict()  # the zone kept in the metadata
    pd.testing.assert_frame_equal(expected, report.compute().reset_index(drop=True))


def test_zoned_timestamps_cross_the_shuffle(dd: ModuleType, cluster: str) -> None:
    """A zoned ``at`` column (dask#7986 lost such zones in metadata) gives the text's report."""
    text = in_time_order(example_frame()).reset_index(drop=True)  # from_pandas sorts by index
    zoned = typed(text)
    expected = frames.report(wr.WESTCOAST, text, as_of=AS_OF)
    report = frames.report(wr.WESTCOAST, dd.from_pandas(zoned, npartitions=3), as_of=AS_OF)
    pd.testing.assert_frame_equal(expected, report.compute().reset_index(drop=True))


def test_a_summary_of_dask_rows_is_the_summary_of_pandas_rows(
    dd: ModuleType, cluster: str, shuffled: pd.DataFrame
) -> None:
    expected = frames.report(wr.WESTCOAST, shuffled, as_of=AS_OF)
    report = frames.report(wr.WESTCOAST, dd.from_pandas(shuffled, npartitions=4), as_of=AS_OF)
    for by in (("priority",), ("priority", "month"), ("policy_version", "response")):
        pd.testing.assert_frame_equal(
            frames.summary(expected, by=by), frames.summary(report, by=by), check_dtype=False
        )


def test_bad_rows_are_counted_and_strict_raises_when_computed(
    dd: ModuleType, cluster: str, shuffled: pd.DataFrame
) -> None:
    damaged = shuffled.copy()
    damaged.loc[damaged["event"] != "Lodged", "at"] = "yesterday"  # every later row bad
    with pytest.warns(wr.BadRowsWarning):
        expected = frames.report(wr.WESTCOAST, damaged, as_of=AS_OF)
    lazy = frames.report(wr.WESTCOAST, dd.from_pandas(damaged, npartitions=3), as_of=AS_OF)
    got = lazy.compute().reset_index(drop=True)
    assert expected["bad_rows"].sum() == got["bad_rows"].sum() > 0
    pd.testing.assert_frame_equal(expected, got)
    strict = frames.report(
        wr.WESTCOAST, dd.from_pandas(damaged, npartitions=3), as_of=AS_OF, strict=True
    )
    with pytest.raises(wr.DataError, match="yesterday"):
        strict.compute()


def test_bad_rows_on_dask_are_the_pandas_bad_rows_by_their_position_in_the_frame(
    dd: ModuleType, cluster: str, shuffled: pd.DataFrame
) -> None:
    """Where no warning reaches the client, bad_rows says what the report left out: the same
    rows as pandas, bad rows of unreadable tickets and of no ticket included."""
    damaged = shuffled.copy()
    damaged.loc[damaged.index % 7 == 3, "at"] = "yesterday"
    damaged.loc[damaged.index % 11 == 5, "ticket"] = ""
    expected = frames.bad_rows(wr.WESTCOAST, damaged, as_of=AS_OF)
    with pytest.warns(wr.BadRowsWarning, match=f"{len(expected)} bad rows"):
        frames.report(wr.WESTCOAST, damaged, as_of=AS_OF)
    lazy = frames.bad_rows(wr.WESTCOAST, dd.from_pandas(damaged, npartitions=4), as_of=AS_OF)
    assert isinstance(lazy, dd.DataFrame)
    got = lazy.compute().reset_index(drop=True)
    assert len(got) == len(expected) > 100
    pd.testing.assert_frame_equal(expected, got, check_dtype=False)


def test_summary_of_sla_rows_on_dask_counts_the_priority_measured(
    dd: ModuleType, cluster: str, shuffled: pd.DataFrame
) -> None:
    rows = frames.report(wr.WESTCOAST, shuffled, as_of=AS_OF)
    sla_like = rows.rename(columns={"priority": "sla_priority"}).assign(priority="P1")
    expected = frames.summary(sla_like)
    got = frames.summary(dd.from_pandas(sla_like, npartitions=3))
    assert got.columns[0] == "sla_priority"
    pd.testing.assert_frame_equal(expected, got, check_dtype=False)


def test_unknown_columns_are_refused_before_anything_is_computed(
    dd: ModuleType, shuffled: pd.DataFrame
) -> None:
    lazy = dd.from_pandas(shuffled.rename(columns={"every": "evry"}), npartitions=2)
    with pytest.raises(wr.DataError, match="unknown column 'evry'"):
        frames.report(wr.WESTCOAST, lazy, as_of=AS_OF)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log=event_logs())
def test_every_door_on_dask_gives_the_pandas_rows_and_bad_rows(
    dd: ModuleType, cluster: str, log: EventLog
) -> None:
    """The Dask door of test_every_door's differential test: a generated log (damaged, in any
    order) as a Dask DataFrame gives the rows and the bad rows of the same pandas table."""
    events = table(log, list(range(len(log.rows))), typed=False).to_pandas()
    bad = frames.bad_rows(wr.WESTCOAST, events, as_of=AS_OF)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", wr.BadRowsWarning)
        expected = frames.report(wr.WESTCOAST, events, as_of=AS_OF)
    lazy = dd.from_pandas(events, npartitions=min(3, len(events)))
    got = frames.report(wr.WESTCOAST, lazy, as_of=AS_OF).compute()
    got_bad = frames.bad_rows(wr.WESTCOAST, lazy, as_of=AS_OF).compute()
    assert (of_frame(expected), len(bad)) == (of_frame(got), len(got_bad))


# -- the command line --------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example log three ways: in time order over two CSV files, over two Parquet files
    of several row groups, and damaged."""
    folder = tmp_path_factory.mktemp("logs")
    frame = in_time_order(example_frame())
    half = len(frame) // 2
    frame.iloc[:half].to_csv(folder / "a.csv", index=False)
    frame.iloc[half:].to_csv(folder / "b.csv", index=False)
    typed(frame.iloc[:half]).to_parquet(folder / "a.parquet", row_group_size=1000, index=False)
    typed(frame.iloc[half:]).to_parquet(folder / "b.parquet", row_group_size=1000, index=False)
    lines = (Path(__file__).parent.parent / "examples" / "westcoast_events.csv").read_text()
    damaged = lines.splitlines(keepends=True)
    damaged[5] = damaged[5].replace("2026-", "20x6-")
    damaged[40] = 'WC-000009,"Resolved\n'
    (folder / "damaged.csv").write_text("".join(damaged))
    return folder


@pytest.fixture
def _several_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 100_000)  # several pieces a file


@pytest.mark.parametrize(
    "options",
    [
        ("--rows", "--format", "csv"),
        ("--rows", "--format", "json"),
        ("--format", "table"),
        ("--format", "csv", "--by-version"),
    ],
)
@pytest.mark.parametrize("files", ["*.csv", "*.parquet", "damaged.csv"])
@pytest.mark.usefixtures("_several_pieces")
def test_report_dask_prints_what_one_machine_prints(
    cluster: str,
    logs: Path,
    files: str,
    options: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ("report", str(logs / files), "--as-of", AS_OF_TEXT, *options)
    one = run(*argv, "--jobs", "1")
    one_err = capsys.readouterr().err
    on_dask = run(*argv, "--dask", cluster)
    assert one == on_dask
    assert one_err == capsys.readouterr().err  # the same bad rows, in the same order


def test_report_dask_local_makes_its_own_cluster(logs: Path) -> None:
    argv = ("report", str(logs / "a.csv"), "--as-of", AS_OF_TEXT, "--format", "csv")
    assert run(*argv) == run(*argv, "--dask", "local")


def test_an_unreachable_scheduler_is_one_line_and_exit_2(
    logs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command waits 10 s for a scheduler that may be starting; nothing listens on port 9,
    # so the test gives up after half a second, through the same Client and the same error.
    import distributed  # noqa: PLC0415 - see dd

    client = distributed.Client

    def impatient(address: str, **options: object) -> Client:
        return client(address, **{**options, "timeout": "0.5s"})  # type: ignore[no-untyped-call]

    monkeypatch.setattr(distributed, "Client", impatient)
    status, _ = run(
        "report", str(logs / "a.csv"), "--as-of", AS_OF_TEXT, "--dask", "tcp://127.0.0.1:9"
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert 2 == status
    assert 1 == len(err)
    assert "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'" in err[0]


def test_without_the_extra_dask_names_it(
    logs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in ("dask", "dask.dataframe", "distributed"):  # as if not installed
        monkeypatch.setitem(sys.modules, module, None)
    status, _ = run("report", str(logs / "a.csv"), "--as-of", AS_OF_TEXT, "--dask", "local")
    err = capsys.readouterr().err.strip().splitlines()
    assert (2, 1) == (status, len(err))
    assert 'pip install "westcoast-rules[dask]"' in err[0]
