"""What to say of a column that is not there: the closest name a table has, never the first.

Shared by frames (a keyword naming a column) and plots (a frame to draw), so a missing column's
hint reads the same at every door.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

__all__ = ["missing_column"]


def missing_column(
    name: str,
    columns: Sequence[str],
    free: Sequence[str],
    keyword: str,
    column: str,
    *,
    without: str | None = None,
) -> str:
    """What to say of a keyword naming a column that is not among *columns*: the closest of
    the *free* ones (by :func:`difflib.get_close_matches`, ignoring case and separators) to the
    name given or to the keyword, and what the keyword's ``None`` means, if it may be."""
    plain = {_plain(other): other for other in free}
    close = difflib.get_close_matches(_plain(column), plain, n=1, cutoff=0.7)
    close = close or difflib.get_close_matches(_plain(keyword), plain, n=1, cutoff=0.7)
    shown = ", ".join(map(repr, columns[:20])) + (", ..." if len(columns) > 20 else "")
    hints = [f"{keyword}={plain[close[0]]!r}"] if close else []
    if without is not None:
        hints.append(f"{keyword}=None if there is none ({without})")
    hint = f": name yours, e.g. {' or '.join(hints)}" if hints else ": name yours"
    return f"{name} has no column {column!r} for {keyword}=; its columns are {shown}{hint}"


def _plain(name: str) -> str:
    """A column's name as compared for a suggestion: ``Created At`` is ``createdat``."""
    return "".join(c for c in name.lower() if c.isalnum())
