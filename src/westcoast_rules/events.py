"""What happens to a ticket: one frozen record per event, each with its instant ``at``.

A ticket's ``history`` is the tuple of events applied to it, :class:`Lodged` first, so
``policy.replay(ticket.history) == ticket``. :class:`AutoResolved` and :class:`Closed` are the
events that time alone decides; ``policy.advance(ticket, now)`` records them like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Final, cast
from zoneinfo import ZoneInfo

import attrs

from westcoast_rules._checks import enum_member, instance_of
from westcoast_rules._instants import instant_key, require_aware
from westcoast_rules.errors import CalendarRangeError, PolicyError, WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category

__all__ = [
    "EVENT_TYPES",
    "Acknowledged",
    "AutoResolved",
    "Closed",
    "Escalated",
    "Event",
    "InfoReceived",
    "InfoRequested",
    "Lodged",
    "Reopened",
    "ResolutionConfirmed",
    "ResolutionRejected",
    "Resolved",
    "UpdateTimeframeAgreed",
]


def _instant(value: datetime) -> datetime:
    """An event's instant: aware (HOURS-5), with a wall time that exists in its zone."""
    value = require_aware(value, "an event's `at`")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise CalendarRangeError(
            f"an event's `at` ({value.isoformat()}) is outside the years a datetime can hold "
            "once in UTC"
        ) from None
    return utc.astimezone(value.tzinfo) if isinstance(value.tzinfo, ZoneInfo) else value


def check_ticket_id(value: object) -> str:
    """*value* if it can be a ticket id, a non-empty string; :class:`WrongTypeError` if not."""
    if not isinstance(value, str) or not value.strip():
        raise WrongTypeError(f"a ticket id must be a non-empty string, got {value!r}")
    return value


def _ticket_id(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    check_ticket_id(value)


# Words where enums are: a string is read by the enumeration itself (case-insensitively, a
# wrong word refused with the choices); anything else is left to the validator, which refuses
# what is not a member. One named function per field type, as the attrs plugin of mypy needs.


def priority_of(value: Priority | str) -> Priority:
    """*value* as a :class:`Priority`: ``"p2"`` is ``Priority.P2``."""
    return Priority(value) if isinstance(value, str) else value


def channel_of(value: Channel | str) -> Channel:
    """*value* as a :class:`Channel`: ``"Email"`` is ``Channel.EMAIL``."""
    return Channel(value) if isinstance(value, str) else value


def category_of(value: Category | str) -> Category:
    """*value* as a :class:`Category`: ``"dns"`` is ``Category.DNS``."""
    return Category(value) if isinstance(value, str) else value


@attrs.frozen
class Lodged:
    """The Reseller lodges an incident (PROC-1): always the first event of a ticket."""

    id: str = attrs.field(validator=_ticket_id)
    at: datetime = attrs.field(converter=_instant, eq=instant_key)
    priority: Priority = attrs.field(converter=priority_of, validator=enum_member(Priority))
    channel: Channel = attrs.field(converter=channel_of, validator=enum_member(Channel))
    tier: Tier = attrs.field(default=Tier.TIER_1, validator=enum_member(Tier))
    category: Category = attrs.field(
        default=Category.SERVICE, converter=category_of, validator=enum_member(Category)
    )


@attrs.frozen
class Acknowledged:
    """Westcoast assigns the ticket and tells the Reseller its number: the response (SLA-1)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class InfoRequested:
    """The engineer asks the Reseller for more information (PROC-2)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class InfoReceived:
    """The Reseller supplies the information; the ticket returns to its state (PROC-2)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


def _positive_timedelta(
    instance: object, attribute: attrs.Attribute[timedelta], value: timedelta
) -> None:
    instance_of(timedelta)(instance, attribute, value)
    if value <= timedelta(0):
        raise PolicyError(f"an update timeframe must be positive, got {value}")


@attrs.frozen
class UpdateTimeframeAgreed:
    """An update timeframe is agreed: chase every *every* instead of daily (PROC-3)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)
    every: timedelta = attrs.field(validator=_positive_timedelta)


@attrs.frozen
class Escalated:
    """The incident moves up one tier (ESC-2)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class Resolved:
    """The engineer resolves the incident and notifies the Reseller (PROC-5)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class ResolutionConfirmed:
    """The Reseller confirms the resolution; the ticket stays RESOLVED, now confirmed (PROC-5)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class ResolutionRejected:
    """The Reseller rejects the resolution: it escalates, or reopens at the ceiling (ESC-5)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class Reopened:
    """The Reseller reopens a resolved incident within the reopen window (PROC-6)."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class AutoResolved:
    """No information for the allowed business days: marked resolved (PROC-4). Time decides it."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


@attrs.frozen
class Closed:
    """The reopen window ended: permanently closed, survey due (PROC-6, PROC-7). Time decides it."""

    at: datetime = attrs.field(converter=_instant, eq=instant_key)


Event = (
    Lodged
    | Acknowledged
    | InfoRequested
    | InfoReceived
    | UpdateTimeframeAgreed
    | Escalated
    | Resolved
    | ResolutionConfirmed
    | ResolutionRejected
    | Reopened
    | AutoResolved
    | Closed
)
"""Any event of a ticket's history."""

EVENT_TYPES: tuple[type[Event], ...] = (
    Lodged,
    Acknowledged,
    InfoRequested,
    InfoReceived,
    UpdateTimeframeAgreed,
    Escalated,
    Resolved,
    ResolutionConfirmed,
    ResolutionRejected,
    Reopened,
    AutoResolved,
    Closed,
)
"""Every event type, in the order of the incident process."""

EVENTS_BY_NAME: Final = MappingProxyType({kind.__name__: kind for kind in EVENT_TYPES})
"""Every event type by its name, as logs and JSON documents write it: ``"Resolved"``."""


def event_at(kind: type[Event], at: datetime) -> Event:
    """The event of type *kind* at *at*, for the events that take nothing but their instant
    (all but :class:`Lodged` and :class:`UpdateTimeframeAgreed`)."""
    if kind is Lodged or kind is UpdateTimeframeAgreed:
        raise WrongTypeError(f"{kind.__name__} takes more than its instant")
    return cast("Callable[[datetime], Event]", kind)(at)
