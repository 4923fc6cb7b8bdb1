"""Policies that change on a date: each ticket is judged by the version in force when lodged.

A support policy changes (a P2 target from 4 to 3 business hours on 1 April, an auto-resolve
from 3 to 5 days), and the tickets lodged before the change keep the rules they were lodged
under for their whole life: response due, chases, auto-resolve and reopen window. Nothing is
recalculated when a version starts; a report says which version judged each ticket.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from datetime import datetime

import attrs

from westcoast_rules._instants import from_micros, require_aware, to_micros
from westcoast_rules.errors import PolicyError, WrongTypeError
from westcoast_rules.policy import SupportPolicy

__all__ = ["PolicyVersions", "in_force"]


def _check_versions(
    instance: object,
    attribute: attrs.Attribute[tuple[tuple[datetime, SupportPolicy], ...]],
    value: tuple[tuple[datetime, SupportPolicy], ...],
) -> None:
    if not value:
        raise PolicyError("PolicyVersions needs at least one (since, policy) pair")
    for item in value:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise WrongTypeError(
                f"each version is a (since, policy) pair, got {item!r}; write e.g. "
                "PolicyVersions((datetime(2026, 1, 1, tzinfo=LONDON), WESTCOAST))"
            )
        since, policy = item
        require_aware(since, "a version's since")  # HOURS-5: a naive instant is refused
        if not isinstance(policy, SupportPolicy):
            raise WrongTypeError(f"each version's policy must be a SupportPolicy, got {policy!r}")
    instants = [to_micros(since) for since, _ in value]
    for (before, _), (after, _), a, b in zip(
        value, value[1:], instants, instants[1:], strict=False
    ):
        if b <= a:
            raise PolicyError(
                f"versions must start in time order, each after the one before: "
                f"{after.isoformat()} does not come after {before.isoformat()}"
            )
    names = [policy.version for _, policy in value]
    doubled = sorted({name for name in names if names.count(name) > 1})
    if doubled:
        raise PolicyError(
            f"each version needs its own SupportPolicy.version; {', '.join(doubled)} is given "
            "twice: attrs.evolve(policy, version='2027-04')"
        )


@attrs.frozen(init=False)
class PolicyVersions:
    """Versions of a support policy, each in force from its instant until the next one's.

    >>> from datetime import datetime, timedelta
    >>> from westcoast_rules import LONDON, WESTCOAST
    >>> april = attrs.evolve(WESTCOAST, version="2027-04", auto_resolve_after_business_days=5)
    >>> versions = PolicyVersions(
    ...     (datetime(2026, 1, 1, tzinfo=LONDON), WESTCOAST),
    ...     (datetime(2027, 4, 1, tzinfo=LONDON), april))
    >>> versions.in_force(datetime(2027, 3, 31, 17, 0, tzinfo=LONDON)).version
    '1'
    >>> versions.in_force(datetime(2027, 4, 1, 9, 0, tzinfo=LONDON)).version
    '2027-04'
    """

    versions: tuple[tuple[datetime, SupportPolicy], ...] = attrs.field(validator=_check_versions)
    """Each version's first instant in force and its policy, in time order."""
    _starts: tuple[int, ...] = attrs.field(eq=False, repr=False)

    def __init__(self, *versions: tuple[datetime, SupportPolicy]) -> None:
        pairs = tuple(versions)
        # The instants to search, before the pairs are checked: a bad pair counts as 0 here.
        starts = tuple(_instant_or_zero(pair) for pair in pairs)
        self.__attrs_init__(pairs, starts)

    def in_force(self, at: datetime) -> SupportPolicy:
        """The version in force at instant *at*: the last one that started at or before it.

        An instant before the first version raises :class:`~westcoast_rules.PolicyError`: no
        rules applied then.
        """
        return self.in_force_micros(to_micros(require_aware(at, "at")))

    def in_force_micros(self, at: int) -> SupportPolicy:
        """:meth:`in_force` of an instant in microseconds since the epoch."""
        i = bisect_right(self._starts, at) - 1
        if i < 0:
            since, first = self.versions[0]
            zone = first.calendar.zone
            raise PolicyError(
                f"no version of the policy is in force at {from_micros(at, zone).isoformat()}: "
                f"the first, {first.version!r}, starts at {since.astimezone(zone).isoformat()}"
            )
        return self.versions[i][1]

    @property
    def policies(self) -> tuple[SupportPolicy, ...]:
        """The policies of the versions, in time order."""
        return tuple(policy for _, policy in self.versions)

    def map(self, change: Callable[[SupportPolicy], SupportPolicy]) -> PolicyVersions:
        """The same versions from the same instants, each policy changed by *change*."""
        return PolicyVersions(*((since, change(policy)) for since, policy in self.versions))

    def __iter__(self) -> Iterator[tuple[datetime, SupportPolicy]]:
        return iter(self.versions)

    def __len__(self) -> int:
        return len(self.versions)


def _instant_or_zero(pair: object) -> int:
    if isinstance(pair, tuple) and pair and isinstance(pair[0], datetime):
        return to_micros(pair[0]) if pair[0].utcoffset() is not None else 0
    return 0


Policies = SupportPolicy | PolicyVersions
"""A policy, or versions of one: what every batch, frames and command line entry point takes."""


def in_force(policies: Policies, at: int) -> SupportPolicy:
    """The policy that judges a ticket lodged at instant *at* (microseconds since the epoch):
    *policies* itself, or the version in force then."""
    if isinstance(policies, SupportPolicy):
        return policies
    if isinstance(policies, PolicyVersions):
        return policies.in_force_micros(at)
    raise WrongTypeError(
        f"expected a SupportPolicy or PolicyVersions, got {policies!r}; pass e.g. WESTCOAST"
    )
