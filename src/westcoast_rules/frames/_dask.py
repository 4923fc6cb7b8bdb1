"""Reports past one machine, on Dask: the backend of :func:`westcoast_rules.frames.report`,
:func:`~westcoast_rules.frames.bad_rows` and :func:`~westcoast_rules.frames.summary` for a Dask
DataFrame, and of the command line's ``report --dask``.

On Dask, each partition's rows (or each piece of a log file) are read into entries where they
are, by the row reader every report uses; the entries travel as plain columns, their instants
as UTC microseconds (a zoned timestamp column has lost its zone in Dask's metadata before,
dask#7986); they are shuffled on the ticket, so each partition holds whole tickets; and each
partition is reported by :meth:`~westcoast_rules.batch.report.Reporter.report`, the function
that reports the pieces of a file in processes on one machine. Nothing here judges a ticket.

Dask, distributed and pyarrow are the ``[dask]`` extra, imported only when a Dask DataFrame
or a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Final, NamedTuple

import narwhals.stable.v2 as nw

from westcoast_rules._instants import aware_micros
from westcoast_rules.batch import pieces
from westcoast_rules.batch.log import (
    Entry,
    LodgedFacts,
    RowError,
    RowReader,
    check_columns,
    log_format,
)
from westcoast_rules.batch.report import Reporter, SlaSummary, TicketRow
from westcoast_rules.batch.sources import NO_EVENTS, by_ticket, file_entries, row_groups
from westcoast_rules.calendar import BusinessCalendar
from westcoast_rules.errors import ClusterError, DataError, MissingExtraError
from westcoast_rules.events import EVENTS_BY_NAME
from westcoast_rules.frames._columns import as_frame, first_policy
from westcoast_rules.frames._events import (
    Groups,
    bad_rows_table,
    merge_groups,
    summary_groups,
    summary_keys,
    summary_table,
    table_entries,
    ticket_table,
)
from westcoast_rules.versions import Policies

__all__ = ["dask_bad_rows", "dask_report", "dask_summary", "is_dask", "report_files"]

_EXTRA: Final = 'pip install "westcoast-rules[dask]"'


def _dask() -> tuple[Any, Any]:
    """``dask`` and ``dask.dataframe``, or the error naming the extra."""
    try:
        import dask  # noqa: PLC0415 - the [dask] extra, only when asked for
        import dask.dataframe  # noqa: PLC0415
    except ImportError as missing:
        raise MissingExtraError(
            f"a report on Dask needs dask[dataframe], distributed and pyarrow "
            f"({missing.name} is missing): {_EXTRA}"
        ) from missing
    return dask, dask.dataframe


def is_dask(table: object) -> bool:
    """Whether *table* is a Dask DataFrame (told without importing Dask)."""
    kind = type(table)
    return kind.__module__.split(".")[0] == "dask" and kind.__name__ == "DataFrame"


# -- the public functions on a Dask DataFrame ---------------------------------------------------


def dask_summary(
    rows: Any, by: str | Sequence[str] | None, lodged_at: str, calendar: BusinessCalendar
) -> Any:
    """:func:`westcoast_rules.frames.summary` of rows in a Dask DataFrame: each partition
    counted where it is, only the counts brought together; a pandas DataFrame."""
    dask, _ = _dask()
    keys = summary_keys([str(column) for column in rows.columns], by)
    # The columns are checked on the frame's metadata, before anything is computed.
    summary_groups(nw.from_native(rows._meta, eager_only=True), keys, lodged_at, calendar)
    parts = [
        dask.delayed(_partial_summary)(part, keys, lodged_at, calendar)
        for part in rows.to_delayed()
    ]
    (counted,) = dask.compute(parts)
    return summary_table(merge_groups(counted), keys, nw.Implementation.PANDAS)


def _partial_summary(
    part: Any, keys: tuple[str, ...], lodged_at: str, calendar: BusinessCalendar
) -> Groups:
    return summary_groups(nw.from_native(part, eager_only=True), keys, lodged_at, calendar)


# -- entries as columns, to travel -------------------------------------------------------------

_COLUMNS: Final = (
    "group",
    "order",
    "source",
    "line",
    "ticket",
    "kind",
    "at",
    "priority",
    "channel",
    "tier",
    "category",
    "every",
    "message",
)
"""The columns of entries on their way to be reported: the ticket a row goes with, its place
in the log (what restores the log's order), where it came from, and the entry's fields (or the
row error's message), each as text or a whole number."""
_TEXT: Final = frozenset(
    ("group", "source", "ticket", "kind", "priority", "channel", "category", "message")
)
_PLACE_BITS: Final = 40
"""A place in the log: ``part << 40 | line``, a part being a file (its lines) or a partition
of a data frame (its rows)."""


def _entry_table(items: Iterable[Entry | RowError], part: int) -> Any:
    """Entries as a pandas frame of :data:`_COLUMNS`, shuffled on their ticket (``group``); a
    row of no ticket has the empty one, and is reported alone wherever it lands
    (:func:`~westcoast_rules.batch.sources.by_ticket`)."""
    import pandas  # noqa: PLC0415 - with dask[dataframe]

    data: dict[str, list[Any]] = {column: [] for column in _COLUMNS}
    append = [data[column].append for column in _COLUMNS]
    base = part << _PLACE_BITS
    for item in items:
        ticket = item.ticket or ""
        values: tuple[Any, ...]
        if isinstance(item, RowError):
            values = (item.source, item.line, ticket, "", 0, "", "", 0, "", -1, item.message)
        else:
            lodged = ("", "", 0, "") if item.facts is None else _facts_values(item.facts)
            kind, every = item.kind.__name__, _or(item.every, -1)
            values = (item.source, item.line, ticket, kind, item.at, *lodged, every, "")
        for add, value in zip(append, (ticket, base | item.line, *values), strict=True):
            add(value)
    return pandas.DataFrame(data).astype(_DTYPES)


_DTYPES: Final = {column: "string" if column in _TEXT else "int64" for column in _COLUMNS}


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _facts_values(facts: LodgedFacts) -> tuple[str, str, int, str]:
    return facts.priority.value, facts.channel.value, int(facts.tier), facts.category.value


def _entries_of(table: Any) -> list[Entry | RowError]:
    """Entries back from :func:`_entry_table`'s columns."""
    reader = RowReader()  # each combination of a Lodged row's facts made once
    items: list[Entry | RowError] = []
    columns = [table[column].tolist() for column in _COLUMNS[2:]]
    for source, line, ticket, kind, at, priority, channel, tier, category, every, message in zip(
        *columns, strict=True
    ):
        if not kind:
            items.append(RowError(source, line, ticket or None, message))
            continue
        lodged = reader.facts((priority, channel, tier, category)) if kind == "Lodged" else None
        event = EVENTS_BY_NAME[kind]
        every_micros = None if every < 0 else every
        items.append(Entry(source, line, ticket, event, at, lodged, every_micros, None))
    return items


class _Reported(NamedTuple):
    """One partition of whole tickets reported: each item with its place in the report (the
    place of its ticket's first row, then its own), and the partition's summary."""

    items: list[tuple[int, int, TicketRow | RowError]]
    summary: SlaSummary
    sources: frozenset[str]


def _report_partition(
    table: Any, policy: Policies, now: int, strict: bool, *, rows: bool
) -> _Reported:
    """The report of one partition of whole tickets, by the file report's own Reporter, each
    ticket's rows grouped and in time order by the one grouping every reader uses; each item
    placed by the first row of its ticket in the log."""
    table = table.sort_values("order", kind="stable")
    items = _entries_of(table)
    place = {id(item): order for item, order in zip(items, table["order"].tolist(), strict=True)}
    reporter = Reporter(policy, now, strict=strict)
    summary = SlaSummary()
    reported: list[tuple[int, int, TicketRow | RowError]] = []
    for group in by_ticket(items):
        first = min(place[id(row)] for row in group)
        ticket = reporter.report([group], summary, rows_wanted=rows)
        reported += ((first, seq, item) for seq, item in enumerate(ticket))
    return _Reported(reported, summary, frozenset(table["source"].tolist()))


# -- a Dask DataFrame of log rows --------------------------------------------------------------

_ROW_ORDER: Final = "_order"


def dask_report(policy: Policies, events: Any, now: int, strict: bool) -> Any:
    """:func:`westcoast_rules.frames.report` of a Dask DataFrame: a Dask DataFrame of the
    report rows, in the order of the pandas report."""
    shuffled = _shuffled_entries(events)
    parts = events.npartitions
    zone = first_policy(policy).calendar.zone
    meta = _rows_frame(_Reported([], SlaSummary(), frozenset()), zone)
    reported = shuffled.map_partitions(_frame_rows, policy, now, strict, zone, meta=meta)
    divisions = [part << _PLACE_BITS for part in range(parts)] + [(parts << _PLACE_BITS) - 1]
    ordered = reported.set_index(_ROW_ORDER, divisions=divisions)  # no pass to find them
    # The shuffle gives text back as objects: the report's own types again, as in pandas.
    return ordered.reset_index(drop=True).astype(meta.drop(columns=_ROW_ORDER).dtypes.to_dict())


def dask_bad_rows(policy: Policies, events: Any, now: int) -> Any:
    """:func:`westcoast_rules.frames.bad_rows` of a Dask DataFrame: a Dask DataFrame of the rows
    the report leaves out, by their position in the whole frame, in order. The length of each
    partition is counted first (one pass), so that a row's position is the frame's, not its
    partition's."""
    lengths = [int(length) for length in events.map_partitions(len).compute()]
    offsets = [sum(lengths[:part]) for part in range(len(lengths))]
    shuffled = _shuffled_entries(events, offsets)
    meta = bad_rows_table(nw.Implementation.PANDAS, [])
    found = shuffled.map_partitions(_frame_errors, policy, now, meta=meta)
    # Bad rows are few: brought into one partition, in the order of their rows.
    return found.repartition(npartitions=1).map_partitions(_in_row_order, meta=meta)


def _in_row_order(part: Any) -> Any:
    return part.sort_values("row", kind="stable").reset_index(drop=True)


def _shuffled_entries(events: Any, offsets: Sequence[int] | None = None) -> Any:
    """The rows of a Dask DataFrame of log rows as entries' columns, shuffled on the ticket, so
    that each partition holds whole tickets."""
    _dask()
    check_columns([str(c).strip().lower() for c in events.columns], "the events' columns")
    entry_meta = _entry_table([], 0)
    table = events.map_partitions(_frame_entries, offsets, meta=entry_meta, partition_info=None)
    return table.shuffle(on="group")


def _frame_errors(table: Any, policy: Policies, now: int) -> Any:
    """A partition's bad rows, each numbered by its position in the whole frame."""
    reported = _report_partition(table, policy, now, False, rows=False)
    errors = [item for _, _, item in reported.items if isinstance(item, RowError)]
    return bad_rows_table(nw.Implementation.PANDAS, [(error.line, error) for error in errors])


def _frame_entries(
    part: Any, offsets: Sequence[int] | None, partition_info: dict[str, Any] | None = None
) -> Any:
    """One partition of log rows as entries' columns: each row numbered by its position in
    the whole frame when the *offsets* of the partitions are known (as a table in memory
    numbers them), else within its partition."""
    number = 0 if partition_info is None else int(partition_info["number"])
    frame = as_frame(part, "events")
    if offsets is None:
        items = table_entries(frame, f"events[{number}]", 0)
    else:
        items = table_entries(frame, "events", offsets[number])
    return _entry_table(items, number)


def _frame_rows(table: Any, policy: Policies, now: int, strict: bool, zone: Any) -> Any:
    return _rows_frame(_report_partition(table, policy, now, strict, rows=True), zone)


def _rows_frame(reported: _Reported, zone: Any) -> Any:
    """A partition's report rows as a pandas frame, with the place of each in the report."""
    rows = [(first, item) for first, _, item in reported.items if isinstance(item, TicketRow)]
    frame = ticket_table(nw.Implementation.PANDAS, [item for _, item in rows], zone)
    frame[_ROW_ORDER] = [first for first, _ in rows]
    return frame.astype({_ROW_ORDER: "int64"})


# -- log files, read by the workers ------------------------------------------------------------


class _Part(NamedTuple):
    """A piece of one file of a log, to be read by a worker."""

    file: int
    path: str
    fmt: str
    piece: pieces.Piece | None
    """Bytes of a CSV or JSON Lines file; ``None`` for a Parquet file's row group."""
    row_group: int


def report_files(
    policy: Policies,
    paths: Sequence[Path],
    *,
    as_of: datetime,
    address: str,
    format: str | None = None,
    strict: bool = False,
    rows: bool = True,
) -> tuple[Iterator[TicketRow | RowError], SlaSummary]:
    """The report of the log in the files *paths* (one log, in their order, in any order of
    its rows) on the Dask cluster at *address* (``"local"``: one on this machine, a worker per
    processor): the items :func:`~westcoast_rules.batch.report_log` gives for the same files,
    in its order, and their summary.

    Each file is cut as for processes on one machine (CSV and JSON Lines into pieces of whole
    tickets, Parquet by row group); the workers read the pieces, the entries are shuffled on
    the ticket and reported there; only the report comes back.
    """
    now = aware_micros(as_of, "as_of")
    dask, dd = _dask()
    specs = list(_parts(paths, format))
    with _client(address):
        table = dd.from_map(_read_part, specs, meta=_entry_table([], 0))
        shuffled = table.shuffle(on="group")
        work = [
            dask.delayed(_report_partition)(part, policy, now, False, rows=rows)
            for part in shuffled.to_delayed()
        ]
        (results,) = dask.compute(work)
    summary = SlaSummary()
    items: list[tuple[int, int, TicketRow | RowError]] = []
    read: set[str] = set()
    for result in results:
        items += result.items
        summary.merge(result.summary)
        read |= result.sources
    for path in paths:
        if str(path) not in read:
            raise DataError(NO_EVENTS.format(path))
    items.sort(key=lambda item: (item[0], item[1]))
    if strict:
        first = next((item for _, _, item in items if isinstance(item, RowError)), None)
        if first is not None:
            raise DataError(first.message, source=first.source, line=first.line)
    return (item for _, _, item in items), summary


def _parts(paths: Sequence[Path], format: str | None) -> Iterator[_Part]:
    for number, path in enumerate(paths):
        fmt = format or log_format(str(path))
        if fmt == "parquet":
            for group in range(row_groups(path)):
                yield _Part(number, str(path), fmt, None, group)
        else:
            for piece in pieces.split(path, fmt):
                yield _Part(number, str(path), fmt, piece, 0)


def _read_part(part: _Part) -> Any:
    """In a worker: a piece of a file, read into entries' columns."""
    path = Path(part.path)
    with file_entries(path, part.fmt, piece=part.piece, row_group=part.row_group) as items:
        return _entry_table(items, part.file)


@contextmanager
def _client(address: str) -> Iterator[Any]:
    """A Dask client of the cluster at *address*, or of a cluster made here for ``"local"``
    (a worker process per processor); closed after, with the cluster made."""
    try:
        import distributed  # noqa: PLC0415 - the [dask] extra
    except ImportError as missing:
        raise MissingExtraError(
            f"--dask needs distributed ({missing.name} is missing): {_EXTRA}"
        ) from missing
    with contextlib.ExitStack() as opened:
        try:
            if address == "local":
                cluster = opened.enter_context(
                    distributed.LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=pieces.cpu_count(),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,  # its notices are not the report's
                    )
                )
                client = opened.enter_context(distributed.Client(cluster))  # type: ignore[no-untyped-call]
            else:
                connect: Any = distributed.Client
                client = opened.enter_context(connect(address, timeout="10s"))
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {address!r}: {exc}; give its address "
                "(tcp://host:8786) or 'local' for a cluster on this machine"
            ) from None
        yield client
