"""Intake: what the desk decides when an enquiry arrives (SCOPE-*, PRIO-1..5, SLA-2..6, ESC-4).

:func:`assess` takes an :class:`Enquiry` (what the Reseller says) to an :class:`Assessment`
(coverage, priority, response due, escalation ceiling, where to go instead), each decision a
:class:`~westcoast_rules.Notice` with its rule. :func:`accept_priority` is the channel and
category part of it (PRIO-4, PRIO-5), which the lifecycle and the log readers apply too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final, Protocol

import attrs

from westcoast_rules._checks import boolean, enum_member
from westcoast_rules._instants import require_aware
from westcoast_rules.errors import InvalidEnquiryError, WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.events import category_of, channel_of
from westcoast_rules.priority import Channel, Impact, Priority
from westcoast_rules.scope import (
    ISO_COUNTRIES,
    Category,
    Coverage,
    Notice,
    Party,
    ScopeRule,
    scope_row,
)
from westcoast_rules.targets import (
    ResponseTarget,
    TargetPolicy,
    has_target,
    response_due,
    target_for,
)

__all__ = ["Assessment", "Enquiry", "assess"]


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


def _impact(value: Impact | str) -> Impact:
    return Impact(value) if isinstance(value, str) else value


def _party(value: Party | str) -> Party:
    return Party(value) if isinstance(value, str) else value


@attrs.frozen
class Enquiry:
    """What a Reseller tells the desk when lodging an incident: the input of ``assess``.

    >>> from datetime import datetime
    >>> from westcoast_rules import LONDON
    >>> Enquiry(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON), Channel.EMAIL, Impact.SOME_USERS)
    ... # doctest: +ELLIPSIS
    Enquiry(lodged_at=datetime.datetime(2026, 11, 23, 9, 0, tzinfo=...), channel=...)

    The enumerations may be given as words, in any case:

    >>> Enquiry(datetime(2026, 11, 23, 9, 0, tzinfo=LONDON), "email", "all_users").impact
    <Impact.ALL_USERS: 'all_users'>
    """

    lodged_at: datetime = attrs.field(validator=_aware)
    channel: Channel = attrs.field(converter=channel_of, validator=enum_member(Channel))
    impact: Impact = attrs.field(converter=_impact, validator=enum_member(Impact))
    category: Category = attrs.field(
        default=Category.SERVICE, converter=category_of, validator=enum_member(Category)
    )
    raised_by: Party = attrs.field(
        default=Party.RESELLER, converter=_party, validator=enum_member(Party)
    )
    country: str = attrs.field(default="GB", validator=_country_code)
    licence_via_westcoast: bool = attrs.field(default=True, validator=boolean)
    partner_centre_account: bool = attrs.field(default=True, validator=boolean)


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


class IntakePolicy(TargetPolicy, Protocol):
    """What intake reads of a policy: a :class:`~westcoast_rules.SupportPolicy`."""

    @property
    def territory(self) -> frozenset[str]: ...
    @property
    def p1_channels(self) -> frozenset[Channel]: ...
    @property
    def p1_by_other_channel_becomes(self) -> Priority | None: ...


_IMPACT_PRIORITY: Final = {
    Impact.ALL_USERS: (Priority.P1, "PRIO-1", "a service interruption affecting all End Users"),
    Impact.SOME_USERS: (Priority.P2, "PRIO-2", "a service interruption affecting some End Users"),
    Impact.HOW_TO: (Priority.P3, "PRIO-3", "a general education or how-to query"),
}


def accept_priority(
    policy: IntakePolicy, priority: Priority, channel: Channel | None, category: Category
) -> tuple[Priority, tuple[Notice, ...]]:
    """The priority at which an incident raised at *priority* by *channel* is accepted.

    A P1 needs a phone call: by another channel it is accepted as
    ``policy.p1_by_other_channel_becomes`` (PRIO-4); migration work is capped at P2 (PRIO-5).
    Each change comes with its notice. A policy that accepts no P1 by another channel raises
    :class:`~westcoast_rules.InvalidEnquiryError` naming PRIO-4. A *channel* of ``None`` (not
    known) is taken as allowed.
    """
    notices: list[Notice] = []
    if priority is Priority.P1 and channel is not None and channel not in policy.p1_channels:
        accepted = policy.p1_by_other_channel_becomes
        if accepted is None:
            raise InvalidEnquiryError(
                f"a P1 incident must be raised by phone, not {channel} (PRIO-4): "
                "call the support desk, or lodge it with Impact.SOME_USERS"
            )
        priority = accepted
        notices.append(
            Notice(
                "PRIO-4",
                f"High priority (P1) support is initiated by phone call only: this "
                f"{channel} incident is accepted as {priority}. Please phone the "
                "support desk for P1 handling.",
            )
        )
    cap = scope_row(policy.scope, category).max_priority
    if cap is not None and priority.outranks(cap):
        priority = cap
        notices.append(
            Notice(
                "PRIO-5",
                f"Migration service requests cannot be high priority, so this is "
                f"{priority}. During migration planning, raise a service request so an "
                "engineer is available at the right time.",
            )
        )
    return priority, tuple(notices)


def assess(policy: IntakePolicy, enquiry: Enquiry) -> Assessment:
    """Decide coverage, priority, response due, escalation ceiling and any redirect.

    The rules are applied top to bottom: territory (SCOPE-TERR), Reseller-only support
    (SCOPE-RESELLER), licences (SCOPE-LIC), the scope table row of the category, then the
    priority (PRIO-1..5) and the response target (SLA-2..4, or none: SLA-6).
    """
    if not isinstance(enquiry, Enquiry):
        raise WrongTypeError(f"assess takes an Enquiry, got {enquiry!r}")
    if enquiry.country not in policy.territory:
        return _not_handled(
            Coverage.REFUSED,
            Notice(
                "SCOPE-TERR",
                "Westcoast support is for Resellers and End Users in the Territory "
                f"({', '.join(sorted(policy.territory))}) only; {enquiry.country} is outside it.",
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
    account = enquiry.partner_centre_account
    row = scope_row(policy.scope, enquiry.category, partner_centre_account=account)
    ceiling_notices = _ceiling_notices(row)
    impact_priority, rule, words = _IMPACT_PRIORITY[enquiry.impact]
    terms = response_terms(
        policy, impact_priority, enquiry.channel, enquiry.category, partner_centre_account=account
    )
    if terms.target is None:
        return _not_handled(
            row.coverage,
            *terms.notices,
            *ceiling_notices,
            redirect=row.redirect,
            ceiling=row.ceiling,
        )
    priority, target = terms.target.priority, terms.target
    due = response_due(policy, priority, enquiry.lodged_at)
    notices = [] if row.notice is None else [row.notice]
    notices.append(Notice(rule, f"{impact_priority} ({words})."))
    notices += terms.notices
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


@attrs.frozen
class ResponseTerms:
    """What the response to a ticket is measured against: the target of the priority it is
    accepted at, or none (SLA-6), and the decisions that led there."""

    target: ResponseTarget | None
    """The target of the accepted priority (SLA-2..4); ``None`` for work without one (SLA-6)."""
    notices: tuple[Notice, ...]
    """The decisions, in order: a priority changed (PRIO-4, PRIO-5); or, without a target,
    the scope row's (SCOPE-*) and SLA-6's for Partner Centre work."""

    @property
    def priority(self) -> Priority | None:
        """The priority the ticket is accepted at; ``None`` without a target."""
        return None if self.target is None else self.target.priority

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules that decided, in order: the notices' and the target's own (SLA-2..4)."""
        decided = [notice.rule for notice in self.notices]
        if self.target is not None:
            decided.append(self.target.rules[0])
        return tuple(dict.fromkeys(decided))


def response_terms(
    policy: IntakePolicy,
    priority: Priority,
    channel: Channel | None,
    category: Category,
    *,
    partner_centre_account: bool = True,
) -> ResponseTerms:
    """The terms of the response to work of *category* raised at *priority* by *channel*
    (``None``: not known, taken as allowed): the target of the priority it is accepted at
    (PRIO-4, PRIO-5, SLA-2..4), or none for work Westcoast does not handle itself (SLA-6), as
    :func:`assess` decides them."""
    row = scope_row(policy.scope, category, partner_centre_account=partner_centre_account)
    if not has_target(policy, category, partner_centre_account=partner_centre_account):
        notices = [] if row.notice is None else [row.notice]
        if row.category is Category.PARTNER_CENTRE:
            notices.append(
                Notice(
                    "SLA-6",
                    "No response target applies: the Partner Centre team has no SLA, so "
                    "no time to respond can be guaranteed.",
                )
            )
        return ResponseTerms(None, tuple(notices))
    accepted, changes = accept_priority(policy, priority, channel, category)
    return ResponseTerms(target_for(policy, accepted), changes)


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
