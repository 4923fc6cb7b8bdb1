"""Logs as Parquet: read a batch of rows at a time, each row's values to the row reader.

Parquet needs pyarrow (the ``[dask]`` extra), imported only when a Parquet log is read. Its
rows are numbered from 1: a Parquet file has no header line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Final

from westcoast_rules.batch.log import LOG_COLUMNS, RowReader
from westcoast_rules.errors import DataError, MissingExtraError, NaiveDatetimeError

__all__ = ["open_parquet", "parquet_file", "parquet_rows", "parquet_tickets"]

_BATCH_ROWS: Final = 65_536
"""How many rows of a Parquet log are read at once."""


def _parquet_module() -> Any:
    try:
        import pyarrow.parquet  # noqa: PLC0415 - an optional dependency, for Parquet logs only
    except ImportError as missing:
        raise MissingExtraError(
            f"reading a Parquet log needs pyarrow ({missing.name} is missing): "
            'pip install "westcoast-rules[dask]", or pip install pyarrow'
        ) from missing
    return pyarrow.parquet


def open_parquet(path: Path) -> IO[bytes]:
    """The Parquet log *path* opened to be read (an OSError when it cannot be), once pyarrow
    is known to be there to read it."""
    _parquet_module()
    return path.open("rb")


def parquet_file(file: IO[bytes], name: str, reader: RowReader) -> tuple[Any, list[int | None]]:
    """A Parquet log read from its open *file* (a ``pyarrow.parquet.ParquetFile``), and the
    place of each log column among its columns, their names checked by *reader* as a CSV
    header's are."""
    parquet = _parquet_module()
    try:
        handle = parquet.ParquetFile(file)
    except OSError as exc:  # opened, but its metadata cannot be read
        raise _damaged(name, exc) from None
    except ValueError as exc:  # pyarrow.ArrowInvalid: not Parquet
        raise DataError(f"{name} is not a Parquet file: {exc}") from None
    names = [column.strip().lower() for column in handle.schema_arrow.names]
    return handle, reader.columns(names, "the Parquet log's columns", source=name)


def parquet_rows(
    file: IO[bytes], name: str, reader: RowReader, row_group: int | None = None
) -> Iterator[Any]:
    """The rows of a Parquet log read from its open *file*, each made by *reader*, numbered
    from 1 (a Parquet file has no header line), or of one of its row groups, numbered as in
    the file: ``at`` a zoned timestamp column (a tz-naive one is refused, HOURS-5) or text,
    ``every`` a duration column or ISO 8601 text, the rest as in CSV."""
    handle, places = parquet_file(file, name, reader)
    finish = reader.row
    line = 1
    groups = None
    if row_group is not None:
        groups = [row_group]
        line += sum(handle.metadata.row_group(i).num_rows for i in range(row_group))
    batches = _undamaged(handle.iter_batches(batch_size=_BATCH_ROWS, row_groups=groups), name)
    for batch in batches:
        length = batch.num_rows
        columns = [
            [None] * length if place is None else _parquet_values(batch.column(place), column, name)
            for column, place in zip(LOG_COLUMNS, places, strict=True)
        ]
        for values in zip(*columns, strict=True):
            yield finish(name, line, values)
            line += 1


def _parquet_values(array: Any, column: str, name: str) -> list[Any]:
    """A Parquet column's values as the row reader takes them."""
    import pyarrow  # noqa: PLC0415 - imported by _parquet_module before any column is read

    kind = array.type
    if column == "at" and pyarrow.types.is_timestamp(kind):
        if kind.tz is None:
            raise NaiveDatetimeError(
                f"{name}: column 'at' holds timestamps without a time zone, which name no "
                "instant (HOURS-5); write them with their zone (e.g. UTC)"
            )
        return _time_values(array, column)
    if column == "every" and pyarrow.types.is_duration(kind):
        return _time_values(array, column)
    values: list[Any] = array.to_pylist()
    if column == "tier" and pyarrow.types.is_floating(kind):
        return [int(v) if v is not None and float(v).is_integer() else v for v in values]
    return values


def _undamaged(batches: Iterator[Any], name: object) -> Iterator[Any]:
    """The batches of a Parquet file as pyarrow reads them; a damaged page (corrupt compressed
    data, a bad header) is a DataError naming the file, not an OSError from deep inside."""
    try:
        yield from batches
    except (OSError, ValueError) as exc:  # ValueError: pyarrow.ArrowInvalid
        raise _damaged(name, exc) from None


def _damaged(name: object, error: Exception) -> DataError:
    return DataError(
        f"{name} is a damaged Parquet file ({str(error).strip() or type(error).__name__}): "
        "write it again, or read what is left with pyarrow"
    )


def _time_values(array: Any, column: str) -> list[Any]:
    """A Parquet column of instants or durations in its own unit, range-checked before it is
    scaled (a value out of range is a bad row, never wrapped into a plausible one)."""
    try:
        from westcoast_rules._array_instants import row_values  # noqa: PLC0415 - needs numpy
    except ImportError as missing:
        raise MissingExtraError(
            f"reading times from a Parquet log needs numpy ({missing.name} is missing): "
            'pip install "westcoast-rules[dask]", or pip install pyarrow numpy'
        ) from missing
    return row_values(array.to_numpy(zero_copy_only=False), column)


def parquet_tickets(file: IO[bytes], name: str) -> Iterator[str | None]:
    """The ticket of each row of a Parquet log read from its open *file*, read alone."""
    handle, places = parquet_file(file, name, RowReader())
    column = handle.schema_arrow.names[places[0]]  # the ticket's, the first log column
    for batch in _undamaged(handle.iter_batches(batch_size=_BATCH_ROWS, columns=[column]), name):
        for ticket in batch.column(0).to_pylist():
            yield ticket if isinstance(ticket, str) and ticket else None
