"""The support policy as data, and the decisions it makes at intake (PRIO-*, SLA-*, SCOPE-*).

:data:`WESTCOAST` is the published Westcoast policy. Every number and every reading of an
ambiguous passage is a field of :class:`SupportPolicy`, so another distributor's policy is
``attrs.evolve(WESTCOAST, ...)``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import attrs

from westcoast_rules._checks import instance_of
from westcoast_rules._instants import from_micros, micros, require_aware, to_micros
from westcoast_rules.calendar import BusinessCalendar
from westcoast_rules.errors import InvalidEnquiryError, PolicyError, WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.priority import Channel, Impact, Priority
from westcoast_rules.scope import (
    ISO_COUNTRIES,
    SCOPE_TABLE,
    Category,
    Coverage,
    Notice,
    Party,
    ScopeRule,
)

DEFAULT_MILESTONES: Final = (0.5, 0.75, 1.0)
"""The fractions of a response target whose instants the SLA clock reports by default."""

if TYPE_CHECKING:
    from westcoast_rules.events import Event
    from westcoast_rules.explain import DueExplanation
    from westcoast_rules.lifecycle import Deadlines, Ticket
    from westcoast_rules.sla import ResponseStatus

__all__ = [
    "RESPONSE_TARGETS",
    "WESTCOAST",
    "Assessment",
    "Clock",
    "Enquiry",
    "ResponseTarget",
    "SupportPolicy",
]


class Clock(enum.StrEnum):
    """How a response target's time is counted."""

    REAL_TIME = "real_time"
    """Elapsed real time, 24x7 (HOURS-3)."""
    BUSINESS_HOURS = "business_hours"
    """Open time of the calendar only (SLA-3)."""
    NEXT_BUSINESS_DAY = "next_business_day"
    """Close of business on the first business day after the lodged date (SLA-4)."""


def _enum_member(kind: type[enum.Enum]) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, kind):
            raise WrongTypeError(
                f"{type(instance).__name__}.{attribute.name} must be a {kind.__name__}, got "
                f"{value!r}; use e.g. {kind.__name__}.{next(iter(kind)).name} or "
                f"{kind.__name__}({next(iter(kind)).value!r})"
            )

    return check


def _optional_timedelta(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, timedelta):
        raise WrongTypeError(
            f"{type(instance).__name__}.{attribute.name} must be a timedelta or None, got "
            f"{value!r}; use e.g. timedelta(hours=4)"
        )


def _known_rules(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    from westcoast_rules.rules import RULES

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


@attrs.frozen
class ResponseTarget:
    """The response target of one priority: which clock, how long, and the rules behind it."""

    priority: Priority = attrs.field(validator=_enum_member(Priority))
    clock: Clock = attrs.field(validator=_enum_member(Clock))
    within: timedelta | None = attrs.field(validator=_optional_timedelta)
    """The allowance for the REAL_TIME and BUSINESS_HOURS clocks; ``None`` for NEXT_BUSINESS_DAY."""
    rules: tuple[str, ...] = attrs.field(validator=_known_rules)

    def __attrs_post_init__(self) -> None:
        if self.clock is Clock.NEXT_BUSINESS_DAY:
            if self.within is not None:
                raise PolicyError("a NEXT_BUSINESS_DAY target takes no duration: within=None")
        elif self.within is None or self.within <= timedelta(0):
            raise PolicyError(
                f"the {self.priority} target needs a positive duration, got {self.within!r}"
            )

    @property
    def description(self) -> str:
        """The target in words: ``"4 business hours"``."""
        if self.within is None:
            return "close of business on the next business day"
        hours = self.within / timedelta(hours=1)
        if self.clock is Clock.REAL_TIME:
            return f"{hours:g} hour{'s' * (hours != 1)} of real time"
        return f"{hours:g} business hour{'s' * (hours != 1)}"


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


def _aware(instance: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    require_aware(value, f"{type(instance).__name__}.{attribute.name}")


def _country_code(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise WrongTypeError(f"country must be an ISO 3166-1 alpha-2 string, got {value!r}")
    if value in ISO_COUNTRIES:
        return
    hint = ""
    if value.upper() in ISO_COUNTRIES:
        hint = f"; codes are upper case: {value.upper()!r}"
    elif value.upper() == "UK":
        hint = "; the United Kingdom's code is 'GB'"
    raise InvalidEnquiryError(
        f"{type(instance).__name__}.{attribute.name} {value!r} is not an ISO 3166-1 alpha-2 "
        f"country code{hint}"
    )


def _boolean(instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise WrongTypeError(
            f"{type(instance).__name__}.{attribute.name} must be True or False, got {value!r}"
        )


@attrs.frozen
class Enquiry:
    """What a Reseller tells the desk when lodging an incident: the input of ``assess``.

    >>> from datetime import datetime
    >>> from westcoast_rules import LONDON
    >>> Enquiry(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON), Channel.EMAIL, Impact.SOME_USERS)
    ... # doctest: +ELLIPSIS
    Enquiry(lodged_at=datetime.datetime(2026, 11, 23, 9, 0, tzinfo=...), channel=...)
    """

    lodged_at: datetime = attrs.field(validator=_aware)
    channel: Channel = attrs.field(validator=_enum_member(Channel))
    impact: Impact = attrs.field(validator=_enum_member(Impact))
    category: Category = attrs.field(
        default=Category.SERVICE,
        validator=_enum_member(Category),
    )
    raised_by: Party = attrs.field(
        default=Party.RESELLER,
        validator=_enum_member(Party),
    )
    country: str = attrs.field(default="GB", validator=_country_code)
    licence_via_westcoast: bool = attrs.field(default=True, validator=_boolean)
    partner_centre_account: bool = attrs.field(default=True, validator=_boolean)


@attrs.frozen
class Assessment:
    """What the policy decides about an enquiry, with the rules that decided it, in order."""

    coverage: Coverage
    priority: Priority | None
    """The effective priority, after PRIO-4 and PRIO-5; ``None`` for work not handled here."""
    response_due: datetime | None
    """When the response is due (SLA-1..4); ``None`` when no target applies (SLA-6)."""
    escalation_ceiling: Tier | None
    """The highest tier the work may reach (ESC-4); ``None`` when Westcoast does not handle it."""
    redirect: str | None
    """Where the enquiry must be raised instead, for REDIRECT and LOGGED_ON_BEHALF."""
    rules: tuple[str, ...]
    notices: tuple[Notice, ...]
    """Each decision as a sentence a support desk could send to the Reseller as it is."""

    def explain(self) -> str:
        """The decisions in words, one line each, each ending with its rule ID."""
        return "\n".join(str(notice) for notice in self.notices)


def _check_targets(
    _: object, __: attrs.Attribute[tuple[ResponseTarget, ...]], value: tuple[ResponseTarget, ...]
) -> None:
    priorities = sorted(target.priority for target in value)
    if priorities != sorted(Priority):
        raise PolicyError(
            f"response_targets needs exactly one target per priority (P1, P2, P3), got "
            f"{', '.join(priorities) or 'none'}"
        )


def _check_scope(
    _: object, __: attrs.Attribute[tuple[ScopeRule, ...]], value: tuple[ScopeRule, ...]
) -> None:
    categories = [row.category for row in value]
    missing = [c.name for c in Category if c not in categories]
    doubled = sorted({c.name for c in categories if categories.count(c) > 1})
    if missing or doubled:
        raise PolicyError(
            f"the scope table needs one row per Category; missing {missing}, doubled {doubled}"
        )


def _check_territory(_: object, __: attrs.Attribute[frozenset[str]], value: frozenset[str]) -> None:
    unknown = sorted(code for code in value if code not in ISO_COUNTRIES)
    if unknown or not value:
        raise PolicyError(
            f"the territory must be ISO 3166-1 alpha-2 codes such as 'GB', got {sorted(value)}"
        )


def _members_of(kind: type[enum.Enum]) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    member = _enum_member(kind)

    def check(instance: object, attribute: attrs.Attribute[Any], value: frozenset[Any]) -> None:
        for item in value:
            member(instance, attribute, item)

    return check


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PolicyError(f"{attribute.name} must be a whole number of at least 1, got {value!r}")


@attrs.frozen
class SupportPolicy:
    """A distributor's support policy: calendar, targets, scope, and every decision of POLICY.md.

    >>> from datetime import datetime
    >>> from westcoast_rules import LONDON
    >>> lodged = datetime(2026, 11, 20, 17, 0, tzinfo=LONDON)  # a Friday
    >>> print(WESTCOAST.response_due(Priority.P2, lodged))
    2026-11-23 11:00:00+00:00
    """

    calendar: BusinessCalendar = attrs.field(
        factory=BusinessCalendar, validator=instance_of(BusinessCalendar)
    )
    """Business hours and closed days (HOURS-1, HOURS-2)."""
    response_targets: tuple[ResponseTarget, ...] = attrs.field(
        default=RESPONSE_TARGETS, converter=tuple, validator=_check_targets
    )
    """One response target per priority (SLA-2..4)."""
    territory: frozenset[str] = attrs.field(
        default=frozenset({"GB", "IE"}), converter=frozenset, validator=_check_territory
    )
    """Where support is offered (SCOPE-TERR): by default the UK and the Republic of Ireland."""
    scope: tuple[ScopeRule, ...] = attrs.field(
        default=SCOPE_TABLE, converter=tuple, validator=_check_scope
    )
    """How each category is covered (SCOPE-*), one row per category."""
    targets_apply_to: frozenset[Coverage] = attrs.field(
        default=frozenset({Coverage.FULL, Coverage.BEST_EFFORT, Coverage.GUIDANCE_ONLY}),
        converter=frozenset,
        validator=_members_of(Coverage),
    )
    """Coverages that get a priority and a response target: the work Westcoast itself handles.
    REDIRECT, REFUSED, LOGGED_ON_BEHALF (SLA-6) and CHARGEABLE work get none."""
    p1_channels: frozenset[Channel] = attrs.field(
        default=frozenset({Channel.PHONE}), converter=frozenset, validator=_members_of(Channel)
    )
    """The channels a P1 may be raised by (PRIO-4)."""
    p1_by_other_channel_becomes: Priority | None = attrs.field(
        default=Priority.P2,
        validator=attrs.validators.optional(_enum_member(Priority)),  # type: ignore[arg-type]
    )
    """PRIO-4's decision: a P1-impact incident from another channel is accepted at this
    priority with a notice; ``None`` refuses it with :class:`InvalidEnquiryError` instead."""
    p1_may_start_at_tier_2: bool = attrs.field(default=True, validator=_boolean)
    """ESC-3: a P1 may be raised straight to Tier 2."""
    reopen_at_ceiling_on_rejection: bool = attrs.field(default=True, validator=_boolean)
    """ESC-5's decision: a rejected resolution at the ceiling reopens the ticket at the same
    tier; ``False`` refuses the rejection instead."""
    chase_every_business_days: int = attrs.field(default=1, validator=_positive)
    """PROC-3's decision: information is requested every business day."""
    auto_resolve_after_business_days: int = attrs.field(default=3, validator=_positive)
    """PROC-4: no information for this many business days and the incident is resolved."""
    reopen_window_days: int = attrs.field(default=5, validator=_positive)
    """PROC-6: calendar days after the date of resolution during which it may be reopened."""

    # -- targets --------------------------------------------------------------------------

    def target_for(self, priority: Priority) -> ResponseTarget:
        """The response target of *priority* (SLA-2..4)."""
        for target in self.response_targets:
            if target.priority is priority:
                return target
        raise WrongTypeError(f"priority must be a Priority, got {priority!r}")

    def response_due(self, priority: Priority, lodged_at: datetime) -> datetime:
        """When the response to an incident of *priority* lodged at *lodged_at* is due.

        P1: two hours of real time, 24x7 (SLA-2, HOURS-3, HOURS-4). P2: four business hours,
        counted from the next opening when lodged while closed, a due on a close being that
        close (SLA-3). P3: close of business on the first business day after the local date
        of lodging (SLA-4). The result is in the calendar's zone (HOURS-5).

        >>> from datetime import datetime
        >>> from westcoast_rules import LONDON
        >>> print(WESTCOAST.response_due(Priority.P1, datetime(2027, 3, 28, 0, 30, tzinfo=LONDON)))
        2027-03-28 03:30:00+01:00
        >>> print(WESTCOAST.response_due(Priority.P3, datetime(2026, 11, 21, 10, tzinfo=LONDON)))
        2026-11-23 18:00:00+00:00
        """
        target = self.target_for(priority)
        lodged_at = require_aware(lodged_at, "lodged_at")
        calendar = self.calendar
        if target.clock is Clock.REAL_TIME:
            assert target.within is not None  # checked when the target was built
            return from_micros(to_micros(lodged_at) + micros(target.within), calendar.zone)
        if target.clock is Clock.BUSINESS_HOURS:
            assert target.within is not None
            return calendar.add(lodged_at, target.within)
        lodged_day = lodged_at.astimezone(calendar.zone).date()
        return calendar.close_of_business(calendar.next_business_day(lodged_day))

    def explain(self, priority: Priority, lodged_at: datetime) -> DueExplanation:
        """Why the response is due when it is, step by step: a :class:`DueExplanation`."""
        from westcoast_rules.explain import explain_due

        return explain_due(self, priority, lodged_at)

    def response_status(
        self,
        priority: Priority,
        lodged_at: datetime,
        now: datetime,
        responded_at: datetime | None = None,
        *,
        milestones: Sequence[float] = DEFAULT_MILESTONES,
    ) -> ResponseStatus:
        """The SLA clock of a response target as of *now*: a :class:`ResponseStatus`.

        *milestones* are the fractions of the target whose instants the status lists.
        """
        from westcoast_rules.sla import response_status

        return response_status(self, priority, lodged_at, now, responded_at, milestones=milestones)

    # -- the ticket lifecycle -------------------------------------------------------------

    def lodge(  # noqa: PLR0917  (DESIGN's signature: users may pass tier and category by position)
        self,
        id: str,
        at: datetime,
        priority: Priority,
        channel: Channel,
        tier: Tier = Tier.TIER_1,
        category: Category = Category.SERVICE,
    ) -> Ticket:
        """Record a new ticket whose facts are already decided (use :meth:`assess` first).

        It starts OPEN at Tier 1 (PROC-1), or at Tier 2 for a P1 (ESC-3). Facts the rules
        forbid raise :class:`TransitionError`: a P1 not raised by phone (PRIO-4), a migration
        at P1 (PRIO-5), Tier 2 unless P1 (ESC-3), a tier above the ceiling (ESC-4).

        >>> from datetime import datetime
        >>> from westcoast_rules import LONDON
        >>> t = WESTCOAST.lodge("WC-1", datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                     Priority.P2, Channel.EMAIL)
        >>> t.state, t.tier
        (<State.OPEN: 'open'>, <Tier.TIER_1: 1>)
        """
        from westcoast_rules.events import Lodged
        from westcoast_rules.lifecycle import lodge

        return lodge(self, Lodged(id, at, priority, channel, tier, category))

    def apply(self, ticket: Ticket, event: Event) -> Ticket:
        """The ticket after *event*; :class:`TransitionError` if the rules refuse it."""
        from westcoast_rules.lifecycle import apply

        return apply(self, ticket, event)

    def advance(self, ticket: Ticket, now: datetime) -> Ticket:
        """Apply what time alone decides by *now*: auto-resolve (PROC-4), close (PROC-6)."""
        from westcoast_rules.lifecycle import advance

        return advance(self, ticket, now)

    def replay(self, events: Iterable[Event]) -> Ticket:
        """The ticket that *events* make; the first is :class:`Lodged`."""
        from westcoast_rules.lifecycle import replay

        return replay(self, events)

    def ticket_response_status(
        self, ticket: Ticket, now: datetime, *, milestones: Sequence[float] = DEFAULT_MILESTONES
    ) -> ResponseStatus | None:
        """The SLA clock of *ticket*'s response as of *now*; ``None`` when no target applies.

        The response is the ticket's Acknowledged event (SLA-1), if it had happened by *now*.

        >>> from datetime import datetime
        >>> from westcoast_rules import LONDON, Acknowledged
        >>> t = WESTCOAST.lodge("WC-7", datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                     Priority.P2, Channel.EMAIL)
        >>> t = WESTCOAST.apply(t, Acknowledged(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)))
        >>> WESTCOAST.ticket_response_status(t, datetime(2026, 11, 24, tzinfo=LONDON)).state
        <ResponseState.MET: 'met'>
        """
        from westcoast_rules.lifecycle import Ticket

        if not isinstance(ticket, Ticket):
            raise WrongTypeError(f"expected a Ticket (from policy.lodge), got {ticket!r}")
        if self.scope_row(ticket.category).coverage not in self.targets_apply_to:
            return None
        from westcoast_rules.sla import response_status

        return response_status(
            self, ticket.priority, ticket.lodged_at, now, ticket.responded_at, milestones=milestones
        )

    def deadlines(self, ticket: Ticket, now: datetime | None = None) -> Deadlines:
        """Response due, next chase, auto-resolve at, reopen until and survey due of *ticket*.

        The auto-resolve and reopen deadlines are those of the policy that built the ticket
        (they are decided when the ticket enters the state); to see another policy's, replay
        the ticket's history under it: ``other.deadlines(other.replay(ticket.history))``.
        """
        from westcoast_rules.lifecycle import deadlines

        return deadlines(self, ticket, now)

    # -- intake ---------------------------------------------------------------------------

    def scope_row(self, category: Category, *, partner_centre_account: bool = True) -> ScopeRule:
        """The scope table's row for *category* (SCOPE-*)."""
        for row in self.scope:
            if row.category is category:
                if not partner_centre_account and row.without_partner_centre_account:
                    return row.without_partner_centre_account
                return row
        raise WrongTypeError(f"category must be a Category, got {category!r}")

    def assess(self, enquiry: Enquiry) -> Assessment:
        """Decide coverage, priority, response due, escalation ceiling and any redirect.

        The rules are applied top to bottom: territory (SCOPE-TERR), Reseller-only support
        (SCOPE-RESELLER), licences (SCOPE-LIC), the scope table row of the category, then the
        priority (PRIO-1..5) and the response target (SLA-2..4, or none: SLA-6).

        >>> from datetime import datetime
        >>> from westcoast_rules import LONDON
        >>> a = WESTCOAST.assess(Enquiry(datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                              Channel.EMAIL, Impact.ALL_USERS))
        >>> a.priority, a.rules
        (<Priority.P2: 'P2'>, ('PRIO-1', 'PRIO-4', 'SLA-3', 'HOURS-1', 'HOURS-2'))
        """
        if not isinstance(enquiry, Enquiry):
            raise WrongTypeError(f"assess takes an Enquiry, got {enquiry!r}")
        if enquiry.country not in self.territory:
            return _not_handled(
                Coverage.REFUSED,
                Notice(
                    "SCOPE-TERR",
                    "Westcoast support is for Resellers and End Users in the Territory "
                    f"({', '.join(sorted(self.territory))}) only; {enquiry.country} is outside it.",
                ),
            )
        if enquiry.raised_by is Party.END_USER:
            return _not_handled(
                Coverage.REDIRECT,
                Notice(
                    "SCOPE-RESELLER",
                    "Westcoast supports End Users through their Reseller, the primary point of "
                    "contact: please raise this with your Reseller.",
                ),
                redirect="the End User's Reseller",
            )
        if not enquiry.licence_via_westcoast:
            return _not_handled(
                Coverage.REFUSED,
                Notice(
                    "SCOPE-LIC",
                    "Licences not purchased via Westcoast are not supported by Westcoast.",
                ),
            )
        row = self.scope_row(
            enquiry.category, partner_centre_account=enquiry.partner_centre_account
        )
        notices = [] if row.notice is None else [row.notice]
        ceiling_notices = _ceiling_notices(row)
        if row.coverage not in self.targets_apply_to:
            if row.category is Category.PARTNER_CENTRE:
                notices.append(
                    Notice(
                        "SLA-6",
                        "No response target applies: the Partner Centre team has no SLA, so "
                        "no time to respond can be guaranteed.",
                    )
                )
            return _not_handled(
                row.coverage,
                *notices,
                *ceiling_notices,
                redirect=row.redirect,
                ceiling=row.ceiling,
            )
        priority, priority_notices = self._prioritise(enquiry, row)
        target = self.target_for(priority)
        due = self.response_due(priority, enquiry.lodged_at)
        notices += priority_notices
        notices.append(
            Notice(
                target.rules[0],
                f"{priority} response due by {due:%a %d %b %Y %H:%M %Z} ({target.description}).",
            )
        )
        notices += ceiling_notices
        return Assessment(
            coverage=row.coverage,
            priority=priority,
            response_due=due,
            escalation_ceiling=row.ceiling,
            redirect=row.redirect,
            rules=_rule_ids(notices, extra=target.rules),
            notices=tuple(notices),
        )

    def _prioritise(self, enquiry: Enquiry, row: ScopeRule) -> tuple[Priority, list[Notice]]:
        """Priority from impact (PRIO-1..3), then the channel (PRIO-4) and the cap (PRIO-5)."""
        priority, rule, words = _IMPACT_PRIORITY[enquiry.impact]
        notices = [Notice(rule, f"{priority} ({words}).")]
        if priority is Priority.P1 and enquiry.channel not in self.p1_channels:
            accepted = self.p1_by_other_channel_becomes
            if accepted is None:
                raise InvalidEnquiryError(
                    f"a P1 incident must be raised by phone, not {enquiry.channel} (PRIO-4): "
                    "call the support desk, or lodge it with Impact.SOME_USERS"
                )
            priority = accepted
            notices.append(
                Notice(
                    "PRIO-4",
                    f"High priority (P1) support is initiated by phone call only: this "
                    f"{enquiry.channel} incident is accepted as {priority}. Please phone the "
                    "support desk for P1 handling.",
                )
            )
        if row.max_priority is not None and priority.outranks(row.max_priority):
            priority = row.max_priority
            notices.append(
                Notice(
                    "PRIO-5",
                    f"Migration service requests cannot be high priority, so this is "
                    f"{priority}. During migration planning, raise a service request so an "
                    "engineer is available at the right time.",
                )
            )
        return priority, notices


_IMPACT_PRIORITY: Final = {
    Impact.ALL_USERS: (Priority.P1, "PRIO-1", "a service interruption affecting all End Users"),
    Impact.SOME_USERS: (Priority.P2, "PRIO-2", "a service interruption affecting some End Users"),
    Impact.HOW_TO: (Priority.P3, "PRIO-3", "a general education or how-to query"),
}


def _ceiling_notices(row: ScopeRule) -> list[Notice]:
    if row.ceiling is None or row.ceiling is Tier.TIER_3:
        return []
    if row.ceiling is Tier.TIER_1:
        return [Notice("ESC-4", "There is no escalation path for this work (ceiling Tier 1).")]
    return [
        Notice(
            "ESC-4",
            f"This work cannot be escalated beyond Tier {int(row.ceiling)}: it cannot be "
            "raised to the third party provider.",
        )
    ]


def _rule_ids(notices: Iterable[Notice], extra: Iterable[str] = ()) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(n.rule for n in notices), *extra]))


def _not_handled(
    coverage: Coverage,
    *notices: Notice,
    redirect: str | None = None,
    ceiling: Tier | None = None,
) -> Assessment:
    return Assessment(
        coverage=coverage,
        priority=None,
        response_due=None,
        escalation_ceiling=ceiling,
        redirect=redirect,
        rules=_rule_ids(notices),
        notices=notices,
    )


WESTCOAST: Final = SupportPolicy()
"""The published Westcoast Cloud support policy, with every decision of POLICY.md."""
