"""What Westcoast support covers: the scope table, one row per category (SCOPE-*).

The table is data, read top to bottom; :meth:`SupportPolicy.assess
<westcoast_rules.SupportPolicy.assess>` combines it with the territory, the priority and the
response targets.
"""

from __future__ import annotations

from typing import Final

import attrs

from westcoast_rules._choices import Choice
from westcoast_rules.errors import WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.priority import Priority

__all__ = [
    "SCOPE_TABLE",
    "Category",
    "Coverage",
    "Notice",
    "Party",
    "ScopeRule",
]


class Category(Choice):
    """What an enquiry is about, as the scope rules distinguish it."""

    SERVICE = "service"
    """Break/fix of the Cloud Services: the default."""
    DNS = "dns"
    LOCAL_NETWORK = "local_network"
    CLIENT_OFFICE = "client_office"
    """Office app issues of individual users on a PC or laptop."""
    OPERATING_SYSTEM = "operating_system"
    MOBILE_APP = "mobile_app"
    PARTNER_ACCOUNT = "partner_account"
    """Reseller Partner Centre accounts."""
    MPN = "mpn"
    MIGRATION = "migration"
    ROOT_CAUSE_ANALYSIS = "root_cause_analysis"
    VISUAL_STUDIO = "visual_studio"
    PARTNER_CENTRE = "partner_centre"
    """CSP refunds, licensing SKUs, Reseller/Microsoft relationship, CSP invite errors."""


class Coverage(Choice):
    """How Westcoast handles an enquiry."""

    FULL = "full"
    """In scope; the service levels apply."""
    BEST_EFFORT = "best_effort"
    """Handled, but a resolution is not guaranteed."""
    GUIDANCE_ONLY = "guidance_only"
    """Troubleshooting steps, then out of scope."""
    REDIRECT = "redirect"
    """Must be raised elsewhere; the assessment says where."""
    LOGGED_ON_BEHALF = "logged_on_behalf"
    """Westcoast logs a ticket elsewhere with the Reseller as primary contact."""
    CHARGEABLE = "chargeable"
    """A paid service outside break/fix support."""
    REFUSED = "refused"


class Party(Choice):
    """Who contacted Westcoast."""

    RESELLER = "reseller"
    """The Reseller: the primary point of contact (SCOPE-RESELLER)."""
    END_USER = "end_user"
    """An End User, who is supported through their Reseller (SCOPE-RESELLER)."""


@attrs.frozen
class Notice:
    """A decision in words: the rule that made it and a sentence a desk can send as it is.

    >>> print(Notice("PRIO-5", "Migration requests cannot be high priority."))
    Migration requests cannot be high priority. (PRIO-5)
    """

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message} ({self.rule})"


@attrs.frozen
class ScopeRule:
    """One row of the scope table: a category, how it is covered, and by which rule."""

    category: Category
    rule: str | None
    """The SCOPE rule of the row; ``None`` for plain service work, which no scope rule limits."""
    coverage: Coverage
    message: str
    redirect: str | None = None
    ceiling: Tier | None = Tier.TIER_3
    """The highest tier the work may reach (ESC-4); ``None`` when Westcoast does not handle it."""
    max_priority: Priority | None = None
    """A cap on the priority (PRIO-5), or ``None``."""
    without_partner_centre_account: ScopeRule | None = None
    """The row that applies instead when the Reseller has no Partner Centre account."""

    @property
    def notice(self) -> Notice | None:
        """The row's decision as a :class:`Notice`, when a scope rule made one."""
        return None if self.rule is None else Notice(self.rule, self.message)


_MICROSOFT_LINE: Final = "Microsoft on 0344 800 6006"
_NO_SLA: Final = "the Partner Centre team has no SLA and there is no escalation path"

SCOPE_TABLE: Final[tuple[ScopeRule, ...]] = (
    ScopeRule(
        Category.SERVICE,
        None,
        Coverage.FULL,
        "Break/fix support for the Cloud Services, under the service levels.",
    ),
    ScopeRule(
        Category.DNS,
        "SCOPE-DNS",
        Coverage.GUIDANCE_ONLY,
        "DNS is managed by the partner or an external DNS host: Westcoast will provide "
        "troubleshooting steps to help diagnose it, and the issue is otherwise out of scope.",
    ),
    ScopeRule(
        Category.LOCAL_NETWORK,
        "SCOPE-NET",
        Coverage.GUIDANCE_ONLY,
        "Localised network performance affected by an Office 365 deployment is out of scope: "
        "Westcoast will share Microsoft's network planning and migration best practices.",
    ),
    ScopeRule(
        Category.CLIENT_OFFICE,
        "SCOPE-CLIENT",
        Coverage.BEST_EFFORT,
        "Westcoast will troubleshoot individual Office client issues on a best-effort basis; "
        "beyond those steps, raise an Assisted Support case with Microsoft (not supported via "
        "CSP). The end resolution may be to reinstall the operating system and Office.",
    ),
    ScopeRule(
        Category.OPERATING_SYSTEM,
        "SCOPE-OS",
        Coverage.REDIRECT,
        "Operating system issues must be raised directly with Microsoft Business Support.",
        redirect="Microsoft Business Support",
        ceiling=None,
    ),
    ScopeRule(
        Category.MOBILE_APP,
        "SCOPE-MOBILE",
        Coverage.REDIRECT,
        "Apple and Android app issues must be raised with the device's own support service: "
        "reproduce the problem, then tap Settings -> Help -> Contact Support.",
        redirect="the device's support service: Settings -> Help -> Contact Support",
        ceiling=None,
    ),
    ScopeRule(
        Category.PARTNER_ACCOUNT,
        "SCOPE-PARTNER-ACCT",
        Coverage.REDIRECT,
        "Westcoast has no access to Reseller Partner Centre accounts: please call "
        f"{_MICROSOFT_LINE}, option 1.",
        redirect=f"{_MICROSOFT_LINE}, option 1",
        ceiling=None,
    ),
    ScopeRule(
        Category.MPN,
        "SCOPE-MPN",
        Coverage.REDIRECT,
        f"MPN issues are dealt with by {_MICROSOFT_LINE}, option 4.",
        redirect=f"{_MICROSOFT_LINE}, option 4",
        ceiling=None,
    ),
    ScopeRule(
        Category.MIGRATION,
        "SCOPE-MIGRATION",
        Coverage.FULL,
        "Migration service requests are supported, but never as high priority.",
        max_priority=Priority.P2,
    ),
    ScopeRule(
        Category.ROOT_CAUSE_ANALYSIS,
        "SCOPE-RCA",
        Coverage.CHARGEABLE,
        "Root cause analysis after an investigated and resolved issue may be a chargeable "
        "service; a cause may be offered during diagnosis but is not guaranteed.",
        ceiling=None,
    ),
    ScopeRule(
        Category.VISUAL_STUDIO,
        "SCOPE-VS",
        Coverage.BEST_EFFORT,
        "Visual Studio is not covered under CSP support: Westcoast will make best efforts but "
        "cannot guarantee a resolution, and cases cannot be raised to Microsoft.",
        ceiling=Tier.TIER_2,
    ),
    ScopeRule(
        Category.PARTNER_CENTRE,
        "SCOPE-PC",
        Coverage.REDIRECT,
        "Partner Centre issues must be raised as a support ticket in the Partner Centre; "
        f"{_NO_SLA}.",
        redirect="a Partner Centre support ticket",
        ceiling=Tier.TIER_1,
        without_partner_centre_account=ScopeRule(
            Category.PARTNER_CENTRE,
            "SCOPE-PC",
            Coverage.LOGGED_ON_BEHALF,
            "Westcoast will log a Partner Centre ticket for you, with you as the primary "
            f"contact; {_NO_SLA}.",
            redirect="a Partner Centre support ticket, logged by Westcoast",
            ceiling=Tier.TIER_1,
        ),
    ),
)
"""The scope decisions, one row per :class:`Category` (SCOPE-*)."""


def scope_row(
    table: tuple[ScopeRule, ...], category: Category, *, partner_centre_account: bool = True
) -> ScopeRule:
    """The row of *table* for *category* (SCOPE-*); without a Partner Centre account, the row
    that applies instead (SCOPE-PC).

    >>> scope_row(SCOPE_TABLE, Category.VISUAL_STUDIO).ceiling
    <Tier.TIER_2: 2>
    """
    for row in table:
        if row.category is category:
            if not partner_centre_account and row.without_partner_centre_account:
                return row.without_partner_centre_account
            return row
    raise WrongTypeError(f"category must be a Category, got {category!r}")


ISO_COUNTRIES: Final = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()  # noqa: SIM905  (a block of codes reads better than 249 quoted strings)
)
"""The ISO 3166-1 alpha-2 country codes (249), against which a country is checked."""
