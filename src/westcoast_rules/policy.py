"""The support policy as data, and the facade over every decision it makes.

:data:`WESTCOAST` is the published Westcoast policy. Every number and every reading of an
ambiguous passage is a field of :class:`SupportPolicy`, so another distributor's policy is
``attrs.evolve(WESTCOAST, ...)``. Its methods are the library's front door: each hands the
policy to the module that owns the decision (targets, intake, lifecycle, the SLA clock,
explanations), which reads only the fields it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

import attrs

from westcoast_rules import explain, intake, lifecycle, sla, targets, upcoming
from westcoast_rules._checks import boolean, enum_member, instance_of, members_of, whole_number
from westcoast_rules._instants import require_timedelta
from westcoast_rules.calendar import BusinessCalendar
from westcoast_rules.errors import PolicyError, WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.events import (
    Acknowledged,
    Event,
    InfoRequested,
    Lodged,
    Resolved,
    UpdateTimeframeAgreed,
)
from westcoast_rules.explain import DueExplanation
from westcoast_rules.intake import Assessment, Enquiry
from westcoast_rules.lifecycle import Deadlines, Ticket
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import (
    ISO_COUNTRIES,
    SCOPE_TABLE,
    Category,
    Coverage,
    ScopeRule,
    scope_row,
)
from westcoast_rules.sla import DEFAULT_MILESTONES, ResponseStatus
from westcoast_rules.targets import RESPONSE_TARGETS, ResponseTarget
from westcoast_rules.upcoming import AtRisk, NextDeadline

__all__ = ["WESTCOAST", "SupportPolicy"]


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


RESPONSE_EVENTS: Final[frozenset[type[Event]]] = frozenset(
    {Acknowledged, InfoRequested, UpdateTimeframeAgreed, Resolved}
)
"""SLA-1's decision: the Westcoast contacts with the Reseller that carry the ticket's number,
the first of which is the response (process steps 2, 5 and 10)."""


def _check_response_events(
    _: object, __: attrs.Attribute[Any], value: frozenset[type[Event]]
) -> None:
    names = ", ".join(sorted(kind.__name__ for kind in RESPONSE_EVENTS))
    strange = [kind for kind in value if kind not in RESPONSE_EVENTS]
    if strange:
        shown = ", ".join(sorted(getattr(kind, "__name__", repr(kind)) for kind in strange))
        raise PolicyError(
            f"response_events takes contacts with the Reseller (SLA-1): {shown} is not one; "
            f"choose from {names}"
        )
    if not value:
        raise PolicyError(f"response_events needs at least one event (SLA-1): choose from {names}")


def _check_territory(_: object, __: attrs.Attribute[Any], value: frozenset[str]) -> None:
    unknown = sorted(code for code in value if code not in ISO_COUNTRIES)
    if unknown or not value:
        raise PolicyError(
            f"the territory must be ISO 3166-1 alpha-2 codes such as 'GB', got {sorted(value)}"
        )


def _version(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise WrongTypeError(f"SupportPolicy.version must be a non-empty string, got {value!r}")


@attrs.frozen
class SupportPolicy:
    """A distributor's support policy: calendar, targets, scope, and every decision of its rules.

    >>> from datetime import datetime, timedelta
    >>> from westcoast_rules import LONDON
    >>> lodged = datetime(2026, 11, 20, 17, 0, tzinfo=LONDON)  # a Friday
    >>> print(WESTCOAST.response_due(Priority.P2, lodged))
    2026-11-23 11:00:00+00:00
    """

    version: str = attrs.field(default="1", kw_only=True, validator=_version)
    """The name of this version of the policy, shown with every ticket it judges: ``"1"`` for
    the published Westcoast policy; a date or a label for later ones (``"2027-04"``)."""
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
        validator=members_of(Coverage),
    )
    """Coverages that get a priority and a response target: the work Westcoast itself handles.
    REDIRECT, REFUSED, LOGGED_ON_BEHALF (SLA-6) and CHARGEABLE work get none."""
    p1_channels: frozenset[Channel] = attrs.field(
        default=frozenset({Channel.PHONE}), converter=frozenset, validator=members_of(Channel)
    )
    """The channels a P1 may be raised by (PRIO-4)."""
    p1_by_other_channel_becomes: Priority | None = attrs.field(
        default=Priority.P2,
        validator=attrs.validators.optional(enum_member(Priority)),  # type: ignore[arg-type]
    )
    """PRIO-4's decision: a P1-impact incident from another channel is accepted at this
    priority with a notice; ``None`` refuses it with :class:`InvalidEnquiryError` instead."""
    p1_may_start_at_tier_2: bool = attrs.field(default=True, validator=boolean)
    """ESC-3: a P1 may be raised straight to Tier 2."""
    reopen_at_ceiling_on_rejection: bool = attrs.field(default=True, validator=boolean)
    """ESC-5's decision: a rejected resolution at the ceiling reopens the ticket at the same
    tier; ``False`` refuses the rejection instead."""
    chase_every_business_days: int = attrs.field(
        default=1, validator=whole_number(366, "business days")
    )
    """PROC-3's decision: information is requested every business day."""
    auto_resolve_after_business_days: int = attrs.field(
        default=3, validator=whole_number(366, "business days")
    )
    """PROC-4: no information for this many business days and the incident is resolved."""
    reopen_window_days: int = attrs.field(default=5, validator=whole_number(3_660, "days"))
    """PROC-6: calendar days after the date of resolution during which it may be reopened."""
    response_events: frozenset[type[Event]] = attrs.field(
        default=RESPONSE_EVENTS, converter=frozenset, validator=_check_response_events
    )
    """SLA-1's decision: the events that are the response, the first contact with the Reseller,
    each of which carries the ticket's number. Westcoast's are ``Acknowledged``,
    ``InfoRequested``, ``UpdateTimeframeAgreed`` and ``Resolved``: a ticket resolved before any
    acknowledgement had its response at the resolution. A policy may narrow them (to
    ``{Acknowledged}`` alone, say), never widen them past these four."""

    # -- targets --------------------------------------------------------------------------

    def target_for(self, priority: Priority) -> ResponseTarget:
        """The response target of *priority* (SLA-2..4)."""
        return targets.target_for(self, priority)

    def with_target(
        self, priority: Priority, allowance: timedelta, *, version: str | None = None
    ) -> SupportPolicy:
        """This policy with *priority*'s response allowance changed, on the same clock: the
        question a what-if asks ("what if P2 were 3 business hours?"). Every other field,
        and the target's clock and rules (SLA-2, SLA-3), stay as they are; for any other
        change, ``attrs.evolve`` the policy. The result's :attr:`version` is *version*, or
        this one's with the change (``"1, P2 within 3 business hours"``), so tickets judged
        by it say so.

        P3's target is a date, not an allowance (SLA-4), so it has none to change.

        >>> from datetime import timedelta
        >>> faster = WESTCOAST.with_target(Priority.P2, timedelta(hours=3))
        >>> faster.target_for(Priority.P2).description, faster.version
        ('3 business hours', '1, P2 within 3 business hours')
        """
        level = Priority(priority)  # a word too, any case
        allowance = require_timedelta(allowance, "allowance")
        current = self.target_for(level)
        if current.within is None:
            raise PolicyError(
                f"the {level} target is {current.description} ({', '.join(current.rules[:1])}): "
                "it has no allowance to change; give the policy other response_targets with "
                "attrs.evolve instead"
            )
        changed = attrs.evolve(current, within=allowance)
        targets = tuple(changed if t.priority is level else t for t in self.response_targets)
        named = (
            f"{self.version}, {level} within {changed.description}" if version is None else version
        )
        # Through a mapping: mypy's attrs plugin cannot type a field with a converter here.
        changes: dict[str, Any] = {"response_targets": targets, "version": named}
        return attrs.evolve(self, **changes)

    def response_due(self, priority: Priority, lodged_at: datetime) -> datetime:
        """When the response to an incident of *priority* lodged at *lodged_at* is due.

        P1: two hours of real time, 24x7 (SLA-2, HOURS-3, HOURS-4). P2: four business hours,
        counted from the next opening when lodged while closed, a due on a close being that
        close (SLA-3). P3: close of business on the first business day after the local date
        of lodging (SLA-4). The result is in the calendar's zone (HOURS-5).

        >>> from datetime import datetime, timedelta
        >>> from westcoast_rules import LONDON
        >>> print(WESTCOAST.response_due(Priority.P1, datetime(2027, 3, 28, 0, 30, tzinfo=LONDON)))
        2027-03-28 03:30:00+01:00
        >>> print(WESTCOAST.response_due(Priority.P3, datetime(2026, 11, 21, 10, tzinfo=LONDON)))
        2026-11-23 18:00:00+00:00
        """
        return targets.response_due(self, priority, lodged_at)

    def explain(self, priority: Priority, lodged_at: datetime) -> DueExplanation:
        """Why the response is due when it is, step by step: a :class:`DueExplanation`."""
        return explain.explain_due(self, priority, lodged_at)

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
        return sla.response_status(
            self, priority, lodged_at, now, responded_at, milestones=milestones
        )

    # -- the ticket lifecycle -------------------------------------------------------------

    def lodge(  # noqa: PLR0917  (DESIGN's signature: users may pass tier and category by position)
        self,
        id: str,
        at: datetime,
        priority: Priority | str,
        channel: Channel | str,
        tier: Tier = Tier.TIER_1,
        category: Category | str = Category.SERVICE,
    ) -> Ticket:
        """Record a new ticket whose facts are already decided (use :meth:`assess` first).

        It starts OPEN at Tier 1 (PROC-1), or at Tier 2 for a P1 (ESC-3). Facts the rules
        forbid raise :class:`TransitionError`: a P1 not raised by phone (PRIO-4), a migration
        at P1 (PRIO-5), Tier 2 unless P1 (ESC-3), a tier above the ceiling (ESC-4). The facts
        may be given as words, in any case: ``"P2"``, ``"email"``, ``category="dns"``; a word
        that is not one of the choices is refused with :class:`DataError`.

        >>> from datetime import datetime, timedelta
        >>> from westcoast_rules import LONDON
        >>> t = WESTCOAST.lodge("WC-1", datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                     Priority.P2, Channel.EMAIL)
        >>> t.state, t.tier
        (<State.OPEN: 'open'>, <Tier.TIER_1: 1>)
        >>> WESTCOAST.lodge("WC-2", datetime(2026, 11, 20, 17, 0, tzinfo=LONDON), "p2", "Email",
        ...                 category="dns").category
        <Category.DNS: 'dns'>
        """
        return lifecycle.lodge(self, Lodged(id, at, priority, channel, tier, category))

    def apply(self, ticket: Ticket, event: Event) -> Ticket:
        """The ticket after *event*; :class:`TransitionError` if the rules refuse it."""
        return lifecycle.apply(self, ticket, event)

    def advance(self, ticket: Ticket, now: datetime) -> Ticket:
        """Apply what time alone decides by *now*: auto-resolve (PROC-4), close (PROC-6)."""
        return lifecycle.advance(self, ticket, now)

    def replay(self, events: Iterable[Event]) -> Ticket:
        """The ticket that *events* make; the first is :class:`Lodged`."""
        return lifecycle.replay(self, events)

    def ticket_response_status(
        self, ticket: Ticket, now: datetime, *, milestones: Sequence[float] = DEFAULT_MILESTONES
    ) -> ResponseStatus | None:
        """The SLA clock of *ticket*'s response as of *now*; ``None`` when no target applies.

        The response is the ticket's first contact with the Reseller (SLA-1: the first of the
        policy's :attr:`response_events`), if it had happened by *now*. A ticket resolved
        before any acknowledgement had its response at the resolution, so its time to respond
        never grows after it is resolved.

        >>> from datetime import datetime, timedelta
        >>> from westcoast_rules import LONDON, Acknowledged, Resolved
        >>> t = WESTCOAST.lodge("WC-7", datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                     Priority.P2, Channel.EMAIL)
        >>> t = WESTCOAST.apply(t, Acknowledged(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)))
        >>> WESTCOAST.ticket_response_status(t, datetime(2026, 11, 24, tzinfo=LONDON)).state
        <ResponseState.MET: 'met'>
        >>> at = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
        >>> quick = WESTCOAST.lodge("WC-8", at, "P2", "email")
        >>> quick = WESTCOAST.apply(quick, Resolved(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)))
        >>> print(quick.responded_at)  # resolved within the hour: that was the response
        2026-11-23 10:00:00+00:00
        """
        if not isinstance(ticket, Ticket):
            raise WrongTypeError(f"expected a Ticket (from policy.lodge), got {ticket!r}")
        if not targets.has_target(self, ticket.category):
            return None
        return sla.response_status(
            self, ticket.priority, ticket.lodged_at, now, ticket.responded_at, milestones=milestones
        )

    def deadlines(self, ticket: Ticket, now: datetime | None = None) -> Deadlines:
        """Response due, next chase, auto-resolve at, reopen until and survey due of *ticket*.

        The auto-resolve and reopen deadlines are those of the policy that built the ticket
        (they are decided when the ticket enters the state); to see another policy's, replay
        the ticket's history under it: ``other.deadlines(other.replay(ticket.history))``.
        """
        return lifecycle.deadlines(self, ticket, now)

    def next_deadline(self, ticket: Ticket, now: datetime) -> NextDeadline | None:
        """What time decides next for *ticket* after *now*: a :class:`NextDeadline` (when,
        what, the rule), or ``None`` when time decides nothing more.

        The kinds are the SLA report's words: ``response`` while the response is pending
        (SLA-2..4), ``chase`` (PROC-3), ``auto_resolve`` (PROC-4), ``reopen_window_ends``
        (PROC-6). What time had already decided by *now* is applied first, as
        :meth:`advance` would.

        >>> from datetime import datetime
        >>> from westcoast_rules import LONDON, Acknowledged, InfoRequested
        >>> t = WESTCOAST.lodge("WC-8", datetime(2026, 11, 23, 9, 0, tzinfo=LONDON), "P2", "email")
        >>> t = WESTCOAST.apply(t, Acknowledged(datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)))
        >>> t = WESTCOAST.apply(t, InfoRequested(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)))
        >>> nd = WESTCOAST.next_deadline(t, datetime(2026, 11, 23, 12, 0, tzinfo=LONDON))
        >>> print(nd.at, nd.kind, nd.rule)
        2026-11-24 10:00:00+00:00 chase PROC-3
        """
        return upcoming.next_deadline(self, ticket, now)

    def at_risk(
        self, tickets: Iterable[Ticket], *, now: datetime, within: timedelta
    ) -> list[AtRisk]:
        """The responses still pending at *now* with at most *within* left on their own clock
        (business time for P2 and P3, real time for P1), breached ones included with a
        negative ``left``, soonest due first (SLA-1..4): a list of :class:`AtRisk`.

        >>> from datetime import datetime, timedelta
        >>> from westcoast_rules import LONDON
        >>> lodged = datetime(2026, 11, 20, 15, 0, tzinfo=LONDON)  # a Friday
        >>> tickets = [WESTCOAST.lodge("WC-9", lodged, "P2", "email"),
        ...            WESTCOAST.lodge("WC-10", lodged, "P3", "email")]
        >>> friday_evening = datetime(2026, 11, 20, 17, 30, tzinfo=LONDON)
        >>> for r in WESTCOAST.at_risk(tickets, now=friday_evening, within=timedelta(hours=2)):
        ...     print(r.ticket.id, r.due, r.left, r.rule)
        WC-9 2026-11-23 09:00:00+00:00 1:30:00 SLA-3
        """
        return upcoming.at_risk(self, tickets, now=now, within=within)

    # -- intake ---------------------------------------------------------------------------

    def scope_row(self, category: Category, *, partner_centre_account: bool = True) -> ScopeRule:
        """The scope table's row for *category* (SCOPE-*)."""
        return scope_row(self.scope, category, partner_centre_account=partner_centre_account)

    def assess(self, enquiry: Enquiry) -> Assessment:
        """Decide coverage, priority, response due, escalation ceiling and any redirect.

        The rules are applied top to bottom: territory (SCOPE-TERR), Reseller-only support
        (SCOPE-RESELLER), licences (SCOPE-LIC), the scope table row of the category, then the
        priority (PRIO-1..5) and the response target (SLA-2..4, or none: SLA-6).

        >>> from datetime import datetime, timedelta
        >>> from westcoast_rules import LONDON, Impact
        >>> a = WESTCOAST.assess(Enquiry(datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
        ...                              Channel.EMAIL, Impact.ALL_USERS))
        >>> a.priority, a.rules
        (<Priority.P2: 'P2'>, ('PRIO-1', 'PRIO-4', 'SLA-3', 'HOURS-1', 'HOURS-2'))
        """
        return intake.assess(self, enquiry)


WESTCOAST: Final = SupportPolicy()
"""The published Westcoast Cloud support policy, with every decision of its rules."""
