"""The library's enumerations, and the one refusal of a word that names none of their members.

A word is read case-insensitively, surrounding spaces aside: ``Priority("p2")`` is
``Priority.P2``, ``Tier(" 2 ")`` is ``Tier.TIER_2``. A word that is no member is refused by
:func:`refuse`, in one wording wherever the word came from (the API, JSON, a log's rows, a
column of a frame, the command line)::

    'urgent' is not a Priority: choose one of P1, P2, P3

followed by where it was, in the form of its door: nothing from the API; `` @ $.priority`` in
JSON (cattrs' path); ``(column priority)`` in a log's row (whose file and line the
:class:`~westcoast_rules.batch.RowError` gives); ``(column 'priority', tickets WC-3, WC-9)``
in a frame; after argparse's ``argument priority:`` on the command line.
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from westcoast_rules.errors import DataError

__all__ = ["Choice", "Numbered", "choose", "refuse"]

_Member = TypeVar("_Member", bound=enum.Enum)


def refuse(kind: type[enum.Enum], value: object, where: str = "") -> DataError:
    """The error for *value*, which names no member of *kind*, with where it was (if given).

    >>> from westcoast_rules import Priority
    >>> print(refuse(Priority, "urgent", "(column priority)"))
    'urgent' is not a Priority: choose one of P1, P2, P3 (column priority)
    """
    name = kind.__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    choices = ", ".join(str(member.value) for member in kind)
    message = f"{value!r} is not {article} {name}: choose one of {choices}"
    return DataError(f"{message} {where}" if where else message)


def choose(kind: type[_Member], value: object, where: str = "") -> _Member:
    """The member of *kind* that *value* names: a member, its text in any case, or (for
    numbered members) its whole number; anything else is refused by :func:`refuse`, with
    *where*. A ``bool`` is no number here, nor a float: ``True`` is not Tier 1.

    >>> from westcoast_rules import Tier
    >>> choose(Tier, "3")
    <Tier.TIER_3: 3>
    """
    if isinstance(value, kind):
        return value
    if isinstance(value, str) or (type(value) is int and issubclass(kind, int)):
        try:
            return kind(value)
        except ValueError:
            pass
    raise refuse(kind, value, where)


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


class Numbered(enum.IntEnum):
    """An IntEnum whose members are also read from the text of their numbers, spaces aside."""

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        if isinstance(value, str):
            wanted = value.strip()
            for member in cls:
                if str(member.value) == wanted:
                    return member
        raise refuse(cls, value)
