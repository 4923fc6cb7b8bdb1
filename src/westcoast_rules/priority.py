"""Call priorities, contact channels and the impact that decides a priority (PRIO-1..5)."""

from __future__ import annotations

from westcoast_rules._choices import Choice

__all__ = ["Channel", "Impact", "Priority"]


class Priority(Choice):
    """How urgent a call is; P1 is the highest.

    >>> Priority.P1.outranks(Priority.P2)
    True
    """

    P1 = "P1"
    """High: a service interruption affecting all End Users on a tenant (PRIO-1)."""
    P2 = "P2"
    """Normal: a service interruption affecting one or more End Users (PRIO-2)."""
    P3 = "P3"
    """A general education or how-to query (PRIO-3)."""

    @property
    def rank(self) -> int:
        """1 for P1, 2 for P2, 3 for P3: lower is more urgent."""
        return int(self.value[1])

    def outranks(self, other: Priority) -> bool:
        """Whether this priority is more urgent than *other*."""
        return self.rank < other.rank


class Channel(Choice):
    """How an incident reached the support desk (PRIO-4, PROC-1)."""

    PHONE = "phone"
    """A phone call: the only channel for P1 (PRIO-4)."""
    EMAIL = "email"
    HELPCENTRE = "helpcentre"
    """The Westcoast Cloud Helpcentre, the online portal."""


class Impact(Choice):
    """What the Reseller reports, from which the priority follows (PRIO-1..3)."""

    ALL_USERS = "all_users"
    """All End Users on a tenant are affected: P1 (PRIO-1)."""
    SOME_USERS = "some_users"
    """One or more End Users, not all, are affected: P2 (PRIO-2)."""
    HOW_TO = "how_to"
    """A general education or how-to query: P3 (PRIO-3)."""
