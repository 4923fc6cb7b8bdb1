"""Response targets and their clocks (SLA-2..6): the one place that branches on the clock.

A target says which clock its time runs on: real time for P1 (HOURS-3), the calendar's open
time for P2 (SLA-3), or "close of business on the next business day" for P3 (SLA-4). Every
question about a target's time (when it is due, how much of it is used, when a fraction of it
is reached) is answered here, on instants, so the SLA clock, the explanations, the lifecycle
and the reports all count the same way. Whether work gets a target at all is decided here too
(SLA-6).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final, Protocol, TypeVar

import attrs

from westcoast_rules._checks import enum_member, optional_timedelta
from westcoast_rules._choices import Choice
from westcoast_rules._instants import from_micros, micros, require_aware, to_micros
from westcoast_rules.calendar import BusinessCalendar, OpenTime
from westcoast_rules.errors import PolicyError, WrongTypeError
from westcoast_rules.priority import Priority
from westcoast_rules.rules import RULES
from westcoast_rules.scope import Category, Coverage, ScopeRule, scope_row

__all__ = [
    "RESPONSE_TARGETS",
    "Clock",
    "ResponseTarget",
    "response_due",
]


class Clock(Choice):
    """How a response target's time is counted."""

    REAL_TIME = "real_time"
    """Elapsed real time, 24x7 (HOURS-3)."""
    BUSINESS_HOURS = "business_hours"
    """Open time of the calendar only (SLA-3)."""
    NEXT_BUSINESS_DAY = "next_business_day"
    """Close of business on the first business day after the lodged date (SLA-4)."""

    @property
    def counts_open_time(self) -> bool:
        """Whether only the calendar's open time counts on this clock (SLA-3, SLA-4)."""
        return self is not _REAL_TIME

    @property
    def due_by_date(self) -> bool:
        """Whether the due instant follows from the local date of lodging alone (SLA-4)."""
        return self is Clock.NEXT_BUSINESS_DAY


_REAL_TIME: Final = Clock.REAL_TIME
_NEXT_BUSINESS_DAY: Final = Clock.NEXT_BUSINESS_DAY
"""Members of :class:`Clock` looked up once: a member looked up on its class costs as much as
the comparison that needs it several times over."""


def _known_rules(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not isinstance(value, tuple):
        raise WrongTypeError(
            f"{type(instance).__name__}.{attribute.name} must be a tuple of rule IDs, got {value!r}"
        )
    unknown = [rule for rule in value if rule not in RULES]
    if unknown:
        raise PolicyError(
            f"{type(instance).__name__}.{attribute.name} names no rule of the catalogue: "
            f"{unknown}; use IDs such as 'SLA-3' (see westcoast_rules.RULES)"
        )


_LONGEST: Final = timedelta(days=366)
"""The longest allowance a target may have: beyond, dues leave the years a calendar holds."""


@attrs.frozen
class ResponseTarget:
    """The response target of one priority: which clock, how long, and the rules behind it."""

    priority: Priority = attrs.field(validator=enum_member(Priority))
    clock: Clock = attrs.field(validator=enum_member(Clock))
    within: timedelta | None = attrs.field(validator=optional_timedelta)
    """The allowance for the REAL_TIME and BUSINESS_HOURS clocks; ``None`` for NEXT_BUSINESS_DAY."""
    rules: tuple[str, ...] = attrs.field(validator=_known_rules)

    def __attrs_post_init__(self) -> None:
        if self.clock is Clock.NEXT_BUSINESS_DAY:
            if self.within is not None:
                raise PolicyError("a NEXT_BUSINESS_DAY target takes no duration: within=None")
        elif self.within is None or not timedelta(0) < self.within <= _LONGEST:
            raise PolicyError(
                f"the {self.priority} target needs a positive duration of at most a year, got "
                f"{self.within!r}"
            )

    @property
    def description(self) -> str:
        """The target in words: ``"4 business hours"``."""
        if self.within is None:
            return "close of business on the next business day"
        hours = self.within / timedelta(hours=1)
        if self.clock.counts_open_time:
            return f"{hours:g} business hour{'s' * (hours != 1)}"
        return f"{hours:g} hour{'s' * (hours != 1)} of real time"


RESPONSE_TARGETS: Final = (
    ResponseTarget(
        Priority.P1, Clock.REAL_TIME, timedelta(hours=2), ("SLA-2", "HOURS-3", "HOURS-4")
    ),
    ResponseTarget(
        Priority.P2, Clock.BUSINESS_HOURS, timedelta(hours=4), ("SLA-3", "HOURS-1", "HOURS-2")
    ),
    ResponseTarget(Priority.P3, Clock.NEXT_BUSINESS_DAY, None, ("SLA-4", "HOURS-1", "HOURS-2")),
)
"""The service levels (SLA-2..4): the only targets; there is no resolution target (SLA-5)."""


class TargetPolicy(Protocol):
    """What the response targets read of a policy: a :class:`~westcoast_rules.SupportPolicy`."""

    @property
    def version(self) -> str: ...
    @property
    def calendar(self) -> BusinessCalendar: ...
    @property
    def response_targets(self) -> tuple[ResponseTarget, ...]: ...
    @property
    def scope(self) -> tuple[ScopeRule, ...]: ...
    @property
    def targets_apply_to(self) -> frozenset[Coverage]: ...


def target_for(policy: TargetPolicy, priority: Priority) -> ResponseTarget:
    """The response target of *priority* (SLA-2..4)."""
    for target in policy.response_targets:
        if target.priority is priority:
            return target
    raise WrongTypeError(
        f"priority must be a Priority, got {priority!r}; use Priority.P1, Priority.P2 or "
        "Priority.P3 (or Priority('P2') for text)"
    )


def has_target(
    policy: TargetPolicy, category: Category, *, partner_centre_account: bool = True
) -> bool:
    """Whether work of *category* gets a response target: only the work Westcoast itself
    handles does; Partner Centre work has "no SLA" (SLA-6)."""
    row = scope_row(policy.scope, category, partner_centre_account=partner_centre_account)
    return row.coverage in policy.targets_apply_to


_Instant = TypeVar("_Instant")
_Day = TypeVar("_Day")


class Arithmetic(Protocol[_Instant, _Day]):
    """The arithmetic of instants a target's clock needs: a calendar's
    :class:`~westcoast_rules.calendar.OpenTime` on integer instants, or, in
    :mod:`westcoast_rules.frames`, the same calendar on columns of them. So the targets' rules
    are written once, for one instant or a million."""

    def add(self, x: _Instant, amount: int) -> _Instant:
        """The instant *amount* of open time after *x* (SLA-3)."""

    def elapsed(self, a: _Instant, b: _Instant) -> _Instant:
        """The open time in ``[a, b)`` (SLA-3)."""

    def real_add(self, x: _Instant, amount: int) -> _Instant:
        """The instant *amount* of real time after *x* (HOURS-3)."""

    def real_elapsed(self, a: _Instant, b: _Instant) -> _Instant:
        """The real time from *a* to *b* (HOURS-4)."""

    def local_date(self, x: _Instant) -> _Day:
        """The local date of *x*."""

    def next_business_day(self, day: _Day) -> _Day:
        """The first business day after *day* (SLA-4)."""

    def close_of_business(self, day: _Day) -> _Instant:
        """The end of business day *day*'s last window (SLA-4)."""


def due_micros(
    calendar: Arithmetic[_Instant, _Day], target: ResponseTarget, lodged: _Instant
) -> _Instant:
    """When the response is due, for an incident lodged at instant *lodged* (SLA-2..4).

    P1: the allowance of real time later (SLA-2, HOURS-4). P2: the allowance of open time
    later, counted from the next opening when lodged while closed; a due on a close is that
    close (SLA-3). P3: close of business on the first business day after the local date of
    lodging (SLA-4).
    """
    clock = target.clock
    if clock is not _NEXT_BUSINESS_DAY:
        try:  # the allowance in microseconds, remembered: a report asks per ticket
            amount = _ALLOWANCES[target.within]  # type: ignore[index]
        except KeyError:
            amount = _allowance(target)
        if clock is _REAL_TIME:
            return calendar.real_add(lodged, amount)
        return calendar.add(lodged, amount)
    day = calendar.next_business_day(calendar.local_date(lodged))
    return calendar.close_of_business(day)


_ALLOWANCES: Final[dict[timedelta, int]] = {}
"""The microseconds of each allowance met: a report asks for its target's per ticket, and a
policy has a handful of targets."""


def _allowance(target: ResponseTarget) -> int:
    """The allowance of a REAL_TIME or BUSINESS_HOURS target in microseconds, remembered in
    :data:`_ALLOWANCES`."""
    within = target.within
    assert within is not None  # checked when the target was built
    if len(_ALLOWANCES) > 4_096:  # targets built on the fly: never unbounded
        _ALLOWANCES.clear()
    amount = _ALLOWANCES[within] = micros(within)
    return amount


def clock_elapsed(
    calendar: Arithmetic[_Instant, _Day], target: ResponseTarget, start: _Instant, stop: _Instant
) -> _Instant:
    """The target's clock time from instant *start* to *stop*, in microseconds: real time for
    a REAL_TIME target, open time for the others."""
    if target.clock is not _REAL_TIME:  # the open time counts (SLA-3, SLA-4)
        return calendar.elapsed(start, stop)
    return calendar.real_elapsed(start, stop)


def clock_add(calendar: OpenTime, target: ResponseTarget, start: int, amount: int) -> int:
    """The instant at which *amount* microseconds of the target's clock time have passed."""
    if target.clock.counts_open_time:
        return calendar.add(start, amount)
    return start + amount


def response_due(policy: TargetPolicy, priority: Priority, lodged_at: datetime) -> datetime:
    """When the response to an incident of *priority* lodged at *lodged_at* is due, in the
    calendar's zone (SLA-2..4, HOURS-5): :func:`due_micros` for datetimes."""
    target = target_for(policy, priority)
    lodged = to_micros(require_aware(lodged_at, "lodged_at"))
    calendar = policy.calendar
    return from_micros(due_micros(calendar.open_time, target, lodged), calendar.zone)
