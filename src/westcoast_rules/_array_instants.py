"""Columns of instants and durations (numpy ``datetime64`` and ``timedelta64`` arrays in any
unit) as integer microseconds, each value checked to be in range before it is scaled.

The one place where every door that takes a column of times (frames' tables, Parquet logs,
Dask partitions) turns it into the library's instants (HOURS-4). Scaling a coarse unit in
int64 wraps silently: a ``datetime64[s]`` instant in year 586,000 times a million is a
plausible 2026 one, and a duration of 10**18 seconds comes out as an hour. So the range is
checked in the column's own unit first: an instant must be one a ``datetime`` holds (years 1
to 9999), a duration no longer than that whole span. What is outside is flagged, never
scaled; the caller says which row it was and what to do (a bad row in a report, a null and a
warning in a table, an error when strict).

Needs numpy (the ``[frames]`` extra, which ``[dask]`` includes).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from westcoast_rules._instants import EPOCH, from_micros, micros
from westcoast_rules.errors import DataError, WrongTypeError

__all__ = ["Micros", "micros_of", "out_of_range", "row_values"]

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

_PER_UNIT: Final = {"s": 1_000_000, "ms": 1_000, "us": 1}
"""Microseconds in one of each unit coarser than or equal to a microsecond."""
# Exact, in integers: through a float timestamp, datetime.max rounds up into year 10000.
_FIRST: Final = micros(datetime.min.replace(tzinfo=UTC) - EPOCH)
_LAST: Final = micros(datetime.max.replace(tzinfo=UTC) - EPOCH)
_LONGEST: Final = _LAST - _FIRST
"""The longest duration the library takes: the whole span a datetime holds."""


class Micros(NamedTuple):
    """A column in microseconds: the values (0 where there is none), where it is null, and
    where a value was out of range (not null, but no value either)."""

    values: Ints
    null: Flags
    out_of_range: Flags


def micros_of(values: Any, name: str) -> Micros:
    """The microseconds of a numpy ``datetime64`` (since the epoch) or ``timedelta64`` array of
    any of the units s, ms, us, ns (nanoseconds rounded down, as a datetime would have them),
    with where it is NaT and where a value is out of range, checked before any scaling.

    >>> import numpy as np
    >>> column = np.array([1, 18_000_000_000_000, "NaT"], dtype="datetime64[s]")
    >>> found = micros_of(column, "at")
    >>> found.values.tolist(), found.null.tolist(), found.out_of_range.tolist()
    ([1000000, 0, 0], [False, False, True], [False, True, False])
    """
    array = np.asarray(values)
    kind = array.dtype.kind
    if kind not in "mM":
        raise WrongTypeError(
            f"column {name!r} must hold timestamps or durations, got {array.dtype}"
        )
    null: Flags = np.isnat(array)
    unit, count = np.datetime_data(array.dtype)
    ints = array.view(np.int64)
    if unit == "ns" and count == 1:
        # Every int64 of nanoseconds is within what a datetime holds (1677 to 2262).
        x: Ints = ints // 1_000
        wrong = np.zeros(len(x), dtype=bool)
    elif unit in _PER_UNIT and count == 1:
        per = _PER_UNIT[unit]
        if kind == "M":
            low, high = -(-_FIRST // per), _LAST // per  # the whole units inside the range
        else:
            low, high = -(_LONGEST // per), _LONGEST // per
        wrong = ~null & ((ints < low) | (ints > high))
        x = np.where(wrong | null, 0, ints) * per  # scaled only where it cannot wrap
    else:
        raise WrongTypeError(
            f"column {name!r} has a time unit of {array.dtype}; use s, ms, us or ns"
        )
    result: Ints = np.where(null | wrong, 0, x)
    return Micros(result, null, wrong)


def out_of_range(values: Any, row: int, name: str) -> str:
    """What is wrong with the out-of-range value at *row* of a column, in the words every door
    uses: the value as numpy writes it (any year), the range, and what to do."""
    value = np.asarray(values)[row]
    if np.asarray(values).dtype.kind == "M":
        return (
            f"{name} {np.datetime_as_string(value)} is outside the years a datetime holds "
            "(1 to 9999); check the value and its unit"
        )
    return (
        f"{name} {value} is longer than the whole span a datetime holds; check the value and "
        "its unit"
    )


def row_values(values: Any, name: str) -> list[datetime | timedelta | DataError | None]:
    """A column of a log (``at``, ``every``) as the row reader takes its values: an aware
    datetime in UTC or a timedelta, ``None`` for a null, and for a value out of range the
    :class:`~westcoast_rules.DataError` saying so, which makes that row a bad row.

    >>> import numpy as np
    >>> row_values(np.array([0, 10**18], dtype="timedelta64[s]"), "every")[0]
    datetime.timedelta(0)
    """
    array = np.asarray(values)
    found = micros_of(array, name)
    instants = array.dtype.kind == "M"
    result: list[datetime | timedelta | DataError | None] = []
    for row, (x, null, wrong) in enumerate(
        zip(found.values.tolist(), found.null.tolist(), found.out_of_range.tolist(), strict=True)
    ):
        if null:
            result.append(None)
        elif wrong:
            result.append(DataError(out_of_range(array, row, name)))
        else:
            result.append(from_micros(x, UTC) if instants else timedelta(microseconds=x))
    return result
