"""The library's enumerations: values read case-insensitively, a wrong one named with the choices.

``Priority("p2")`` is ``Priority.P2``; ``Priority("High")`` raises
:class:`~westcoast_rules.DataError` (a ``ValueError``) listing what would do.
"""

from __future__ import annotations

import enum
from typing import Any

from westcoast_rules.errors import DataError

__all__ = ["Choice", "refuse"]


def refuse(kind: type[enum.Enum], value: object) -> DataError:
    """The error for *value*, which is not a member of *kind*: every member, two ways."""
    members = list(kind)
    names = ", ".join(f"{kind.__name__}.{member.name}" for member in members)
    values = ", ".join(repr(member.value) for member in members)
    return DataError(f"{value!r} is not a {kind.__name__}: use {names} (or {values})")


class Choice(enum.StrEnum):
    """A StrEnum whose values are read case-insensitively and surrounding spaces aside."""

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        if isinstance(value, str):
            wanted = value.strip().casefold()
            for member in cls:
                if member.value.casefold() == wanted:
                    return member
        raise refuse(cls, value)
