"""A log's files: their formats by name (decided and checked at the door,
:mod:`~westcoast_rules.batch.sources`), and what is said of one that cannot be opened."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Final

from westcoast_rules.errors import DataError

__all__ = ["FORMATS", "LOG_SUFFIXES", "check_format", "log_format", "unreadable"]

FORMATS: Final = ("csv", "jsonl", "parquet")
"""The formats of a log file."""

LOG_SUFFIXES: Final = MappingProxyType(
    {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
)
"""The format of a log file by the end of its name."""


def log_format(name: str) -> str:
    """The format of a log by its file name: ``"csv"``, ``"jsonl"`` or ``"parquet"``."""
    fmt = LOG_SUFFIXES.get(Path(name).suffix.lower())
    if fmt is not None:
        return fmt
    raise DataError(
        f"cannot tell the format of {name!r}: name it .csv, .jsonl or .parquet, or pass format="
    )


def check_format(fmt: str) -> None:
    """Refuse a format that is none of :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise DataError(f"unknown log format {fmt!r}: use 'csv', 'jsonl' or 'parquet'")


def unreadable(error: OSError) -> DataError:
    """What to say of a log file that cannot be opened, named by the *error* (an ``OSError``
    names the file it was raised for)."""
    name = error.filename if error.filename is not None else "the log"
    if isinstance(error, IsADirectoryError):
        return DataError(f"{name} is a directory: give the path of a log file")
    return DataError(f"cannot read the log {name}: {error.strerror or error}")
