"""Intake: scope, priority and channel rules together (SCOPE-*, PRIO-1..5, SLA-6, ESC-4)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import westcoast_rules as wr
from tests.strategies import instants
from westcoast_rules.intake import response_terms

LONDON = ZoneInfo("Europe/London")
FRIDAY_5PM = datetime(2026, 11, 20, 17, 0, tzinfo=LONDON)
POLICY = wr.WESTCOAST
C = wr.Category


def enquiry(**changes: object) -> wr.Enquiry:
    base = wr.Enquiry(FRIDAY_5PM, wr.Channel.PHONE, wr.Impact.SOME_USERS)
    return attrs.evolve(base, **changes)


# -- PRIO-1..3: impact decides the priority --------------------------------------------------


@pytest.mark.parametrize(
    ("impact", "priority", "rule"),
    [
        (wr.Impact.ALL_USERS, wr.Priority.P1, "PRIO-1"),
        (wr.Impact.SOME_USERS, wr.Priority.P2, "PRIO-2"),
        (wr.Impact.HOW_TO, wr.Priority.P3, "PRIO-3"),
    ],
)
def test_prio_1_2_3_impact_sets_the_priority(
    impact: wr.Impact, priority: wr.Priority, rule: str
) -> None:
    a = POLICY.assess(enquiry(impact=impact))
    assert (wr.Coverage.FULL, priority) == (a.coverage, a.priority)
    assert rule == a.rules[0]
    assert POLICY.response_due(priority, FRIDAY_5PM) == a.response_due


# -- PRIO-4: P1 by phone only ----------------------------------------------------------------


@pytest.mark.parametrize("channel", [wr.Channel.EMAIL, wr.Channel.HELPCENTRE])
def test_prio_4_a_p1_by_email_or_helpcentre_is_accepted_as_p2_with_a_notice(
    channel: wr.Channel,
) -> None:
    a = POLICY.assess(enquiry(impact=wr.Impact.ALL_USERS, channel=channel))
    assert wr.Priority.P2 == a.priority
    assert datetime(2026, 11, 23, 11, 0, tzinfo=LONDON) == a.response_due
    assert ("PRIO-1", "PRIO-4", "SLA-3", "HOURS-1", "HOURS-2") == a.rules
    notice = next(n for n in a.notices if n.rule == "PRIO-4")
    assert "phone" in notice.message
    assert "(PRIO-4)" in a.explain()


def test_prio_4_a_p1_by_phone_stays_p1() -> None:
    a = POLICY.assess(enquiry(impact=wr.Impact.ALL_USERS))
    assert wr.Priority.P1 == a.priority
    assert "PRIO-4" not in a.rules


def test_prio_4_a_policy_can_refuse_p1_by_email_instead() -> None:
    strict = attrs.evolve(POLICY, p1_by_other_channel_becomes=None)
    with pytest.raises(wr.InvalidEnquiryError, match="PRIO-4"):
        strict.assess(enquiry(impact=wr.Impact.ALL_USERS, channel=wr.Channel.EMAIL))


# -- PRIO-5 / SCOPE-MIGRATION ----------------------------------------------------------------


def test_prio_5_migration_is_full_but_capped_at_p2_with_a_planning_notice() -> None:
    a = POLICY.assess(enquiry(impact=wr.Impact.ALL_USERS, category=C.MIGRATION))
    assert (wr.Coverage.FULL, wr.Priority.P2) == (a.coverage, a.priority)
    assert ("SCOPE-MIGRATION", "PRIO-1", "PRIO-5", "SLA-3", "HOURS-1", "HOURS-2") == a.rules
    assert "planning" in next(n.message for n in a.notices if n.rule == "PRIO-5")


def test_prio_5_a_p2_or_p3_migration_is_not_capped() -> None:
    a = POLICY.assess(enquiry(impact=wr.Impact.HOW_TO, category=C.MIGRATION))
    assert wr.Priority.P3 == a.priority
    assert "PRIO-5" not in a.rules


# -- the scope table -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "coverage", "rule", "redirect", "ceiling"),
    [
        (C.SERVICE, wr.Coverage.FULL, None, None, wr.Tier.TIER_3),
        (C.DNS, wr.Coverage.GUIDANCE_ONLY, "SCOPE-DNS", None, wr.Tier.TIER_3),
        (C.LOCAL_NETWORK, wr.Coverage.GUIDANCE_ONLY, "SCOPE-NET", None, wr.Tier.TIER_3),
        (C.CLIENT_OFFICE, wr.Coverage.BEST_EFFORT, "SCOPE-CLIENT", None, wr.Tier.TIER_3),
        (C.OPERATING_SYSTEM, wr.Coverage.REDIRECT, "SCOPE-OS", "Microsoft Business Support", None),
        (C.MOBILE_APP, wr.Coverage.REDIRECT, "SCOPE-MOBILE", "Contact Support", None),
        (C.PARTNER_ACCOUNT, wr.Coverage.REDIRECT, "SCOPE-PARTNER-ACCT", "option 1", None),
        (C.MPN, wr.Coverage.REDIRECT, "SCOPE-MPN", "0344 800 6006, option 4", None),
        (C.ROOT_CAUSE_ANALYSIS, wr.Coverage.CHARGEABLE, "SCOPE-RCA", None, None),
        (C.VISUAL_STUDIO, wr.Coverage.BEST_EFFORT, "SCOPE-VS", None, wr.Tier.TIER_2),
        (C.PARTNER_CENTRE, wr.Coverage.REDIRECT, "SCOPE-PC", "Partner Centre", wr.Tier.TIER_1),
    ],
)
def test_scope_each_category_has_its_outcome(
    category: wr.Category,
    coverage: wr.Coverage,
    rule: str | None,
    redirect: str | None,
    ceiling: wr.Tier | None,
) -> None:
    a = POLICY.assess(enquiry(category=category))
    assert coverage == a.coverage
    assert ceiling == a.escalation_ceiling
    if rule is not None:
        assert rule == a.rules[0]
        assert any(n.rule == rule for n in a.notices)
    if redirect is None:
        assert a.redirect is None
    else:
        assert a.redirect is not None
        assert redirect in a.redirect
    handled = coverage in {wr.Coverage.FULL, wr.Coverage.BEST_EFFORT, wr.Coverage.GUIDANCE_ONLY}
    assert handled == (a.response_due is not None)
    assert handled == (a.priority is not None)


def test_scope_pc_without_an_account_is_logged_on_behalf_with_no_sla_and_no_escalation() -> None:
    a = POLICY.assess(enquiry(category=C.PARTNER_CENTRE, partner_centre_account=False))
    assert wr.Coverage.LOGGED_ON_BEHALF == a.coverage
    assert (None, None) == (a.priority, a.response_due)
    assert wr.Tier.TIER_1 == a.escalation_ceiling
    assert ("SCOPE-PC", "SLA-6", "ESC-4") == a.rules
    assert "primary contact" in a.notices[0].message


def test_sla_6_partner_centre_work_never_gets_a_made_up_target() -> None:
    for account in (True, False):
        a = POLICY.assess(
            enquiry(
                category=C.PARTNER_CENTRE,
                impact=wr.Impact.ALL_USERS,
                partner_centre_account=account,
            )
        )
        assert a.response_due is None
        assert "SLA-6" in a.rules


def test_esc_4_visual_studio_names_its_ceiling() -> None:
    a = POLICY.assess(enquiry(category=C.VISUAL_STUDIO))
    assert "ESC-4" in a.rules
    assert "Tier 2" in a.explain()


def test_scope_terr_outside_the_territory_is_refused() -> None:
    a = POLICY.assess(enquiry(country="FR"))
    assert wr.Coverage.REFUSED == a.coverage
    assert ("SCOPE-TERR",) == a.rules
    assert "FR" in a.explain()
    assert wr.Coverage.FULL == POLICY.assess(enquiry(country="IE")).coverage
    french = attrs.evolve(POLICY, territory=frozenset({"FR"}))
    assert wr.Coverage.FULL == french.assess(enquiry(country="FR")).coverage


def test_scope_reseller_an_end_user_is_sent_to_their_reseller() -> None:
    a = POLICY.assess(enquiry(raised_by=wr.Party.END_USER))
    assert (wr.Coverage.REDIRECT, ("SCOPE-RESELLER",)) == (a.coverage, a.rules)
    assert a.redirect is not None
    assert "Reseller" in a.redirect


def test_scope_lic_licences_bought_elsewhere_are_refused() -> None:
    a = POLICY.assess(enquiry(licence_via_westcoast=False))
    assert (wr.Coverage.REFUSED, ("SCOPE-LIC",)) == (a.coverage, a.rules)


def test_scope_the_territory_is_checked_before_anything_else() -> None:
    a = POLICY.assess(enquiry(country="US", raised_by=wr.Party.END_USER, category=C.DNS))
    assert ("SCOPE-TERR",) == a.rules


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"country": "UK"}, wr.InvalidEnquiryError, "'GB'"),
        ({"country": "gb"}, wr.InvalidEnquiryError, "upper case"),
        ({"country": "XX"}, wr.InvalidEnquiryError, "ISO 3166-1"),
        ({"channel": "fax"}, wr.DataError, "'fax' is not a Channel"),  # words are read, not fax
        ({"channel": 2}, wr.WrongTypeError, "Channel"),
        ({"impact": 1}, wr.WrongTypeError, "Impact"),
        ({"category": "printers"}, wr.DataError, "'printers' is not a Category"),
        ({"category": None}, wr.WrongTypeError, "Category"),
        ({"licence_via_westcoast": "yes"}, wr.WrongTypeError, "True or False"),
        ({"lodged_at": datetime(2026, 11, 20, 17, 0)}, wr.NaiveDatetimeError, "HOURS-5"),
    ],
)
def test_a_bad_enquiry_is_refused_with_a_typed_error(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        enquiry(**changes)
    assert issubclass(error, wr.WestcoastRulesError)


# -- properties ------------------------------------------------------------------------------

enquiries = st.builds(
    wr.Enquiry,
    lodged_at=instants(),
    channel=st.sampled_from(wr.Channel),
    impact=st.sampled_from(wr.Impact),
    category=st.sampled_from(wr.Category),
    raised_by=st.sampled_from(wr.Party),
    country=st.sampled_from(["GB", "IE", "FR", "US"]),
    licence_via_westcoast=st.booleans(),
    partner_centre_account=st.booleans(),
)


@given(enquiries)
def test_every_assessment_names_a_rule_and_explains_each_one(e: wr.Enquiry) -> None:
    a = POLICY.assess(e)
    assert a.rules
    assert all(rule in wr.RULES for rule in a.rules)
    assert all(f"({n.rule})" in a.explain() for n in a.notices)


@given(enquiries)
def test_an_outcome_without_a_target_never_has_a_due(e: wr.Enquiry) -> None:
    a = POLICY.assess(e)
    if a.coverage not in POLICY.targets_apply_to:
        assert (None, None) == (a.priority, a.response_due)
    else:
        assert a.priority is not None
        assert a.response_due == POLICY.response_due(a.priority, e.lodged_at)


@given(enquiries)
def test_p1_only_ever_comes_by_phone_and_never_for_migration(e: wr.Enquiry) -> None:
    a = POLICY.assess(e)
    if a.priority is wr.Priority.P1:
        assert wr.Channel.PHONE == e.channel
        assert C.MIGRATION != e.category


# -- the words a desk sends: each decision's notice, as the Reseller reads it ---------------------


@pytest.mark.parametrize(
    ("changes", "explained"),
    [
        (
            {"country": "FR"},
            "Westcoast support is for Resellers and End Users in the Territory (GB, IE) only; FR "
            "is outside it. (SCOPE-TERR)",
        ),
        (
            {"raised_by": wr.Party.END_USER},
            "Westcoast supports End Users through their Reseller, the primary point of contact: "
            "please raise this with your Reseller. (SCOPE-RESELLER)",
        ),
        (
            {"licence_via_westcoast": False},
            "Licences not purchased via Westcoast are not supported by Westcoast. (SCOPE-LIC)",
        ),
        (
            {"category": C.PARTNER_CENTRE},
            "Partner Centre issues must be raised as a support ticket in the Partner Centre; the "
            "Partner Centre team has no SLA and there is no escalation path. (SCOPE-PC)\n"
            "No response target applies: the Partner Centre team has no SLA, so no time to "
            "respond can be guaranteed. (SLA-6)\n"
            "There is no escalation path for this work (ceiling Tier 1). (ESC-4)",
        ),
        (
            {"impact": wr.Impact.ALL_USERS, "category": C.MIGRATION},
            "Migration service requests are supported, but never as high priority. "
            "(SCOPE-MIGRATION)\n"
            "P1 (a service interruption affecting all End Users). (PRIO-1)\n"
            "Migration service requests cannot be high priority, so this is P2. During migration "
            "planning, raise a service request so an engineer is available at the right time. "
            "(PRIO-5)\n"
            "P2 response due by Mon 23 Nov 2026 11:00 GMT (4 business hours). (SLA-3)",
        ),
    ],
)
def test_scope_and_prio_each_decision_is_explained_in_the_words_sent_to_the_reseller(
    changes: dict[str, object], explained: str
) -> None:
    assert explained == POLICY.assess(enquiry(**changes)).explain()


def test_scope_reseller_the_redirect_is_the_end_users_reseller() -> None:
    assert "the End User's Reseller" == POLICY.assess(enquiry(raised_by=wr.Party.END_USER)).redirect


def test_prio_4_a_refused_p1_by_email_says_what_to_do_instead() -> None:
    strict = attrs.evolve(POLICY, p1_by_other_channel_becomes=None)
    with pytest.raises(wr.InvalidEnquiryError) as refused:
        strict.assess(enquiry(impact=wr.Impact.ALL_USERS, channel=wr.Channel.EMAIL))
    assert (
        "a P1 incident must be raised by phone, not email (PRIO-4): call the support desk, or "
        "lodge it with Impact.SOME_USERS"
    ) == str(refused.value)


def test_sla_6_the_partner_centre_account_decides_which_row_gets_a_target() -> None:
    """SCOPE-PC: with an account the work is redirected, without one it is logged on the
    Reseller's behalf; a policy that gives logged-on-behalf work a target gives it to that row
    only."""
    generous = attrs.evolve(
        POLICY, targets_apply_to=POLICY.targets_apply_to | {wr.Coverage.LOGGED_ON_BEHALF}
    )
    redirected = generous.assess(enquiry(category=C.PARTNER_CENTRE))
    logged = generous.assess(enquiry(category=C.PARTNER_CENTRE, partner_centre_account=False))
    assert (wr.Coverage.REDIRECT, None) == (redirected.coverage, redirected.response_due)
    assert wr.Coverage.LOGGED_ON_BEHALF == logged.coverage
    assert datetime(2026, 11, 23, 11, tzinfo=LONDON) == logged.response_due


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        (
            {"country": "XX"},
            wr.InvalidEnquiryError,
            "Enquiry.country 'XX' is not an ISO 3166-1 alpha-2 country code",
        ),
        (
            {"country": "gb"},
            wr.InvalidEnquiryError,
            "Enquiry.country 'gb' is not an ISO 3166-1 alpha-2 country code; codes are upper "
            "case: 'GB'",
        ),
        (
            {"country": "UK"},
            wr.InvalidEnquiryError,
            "Enquiry.country 'UK' is not an ISO 3166-1 alpha-2 country code; the United "
            "Kingdom's code is 'GB'",
        ),
        (
            {"country": 44},
            wr.WrongTypeError,
            "country must be an ISO 3166-1 alpha-2 string, got 44",
        ),
    ],
)
def test_scope_terr_a_bad_country_says_what_a_code_looks_like(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as refused:
        enquiry(**changes)
    assert message == str(refused.value)


def test_hours_5_a_naive_lodging_names_the_enquirys_field() -> None:
    with pytest.raises(wr.NaiveDatetimeError, match=r"^Enquiry\.lodged_at is naive"):
        enquiry(lodged_at=datetime(2026, 11, 20, 17, 0))


def test_assess_takes_an_enquiry() -> None:
    with pytest.raises(wr.WrongTypeError) as refused:
        POLICY.assess("P1 by phone")  # type: ignore[arg-type]
    assert "assess takes an Enquiry, got 'P1 by phone'" == str(refused.value)


def test_scope_a_policys_own_row_may_handle_work_and_still_say_where_it_goes_next() -> None:
    """A policy's scope table can give handled work (BEST_EFFORT, SCOPE-VS) a redirect too:
    the assessment keeps it beside the response target."""
    studio = wr.ScopeRule(
        C.VISUAL_STUDIO,
        "SCOPE-VS",
        wr.Coverage.BEST_EFFORT,
        "Best efforts here; Visual Studio subscribers may also ask Microsoft.",
        redirect="Visual Studio subscriber support",
        ceiling=wr.Tier.TIER_2,
    )
    table = tuple(studio if row.category is C.VISUAL_STUDIO else row for row in wr.SCOPE_TABLE)
    a = attrs.evolve(POLICY, scope=table).assess(enquiry(category=C.VISUAL_STUDIO))
    assert (wr.Coverage.BEST_EFFORT, "Visual Studio subscriber support") == (a.coverage, a.redirect)
    assert a.response_due is not None


def test_scope_pc_response_terms_assume_a_partner_centre_account_unless_told() -> None:
    """SCOPE-PC, SLA-6: the terms a table of tickets is judged by (no account column) are the
    redirect's, with no target."""
    terms = response_terms(POLICY, wr.Priority.P2, wr.Channel.EMAIL, C.PARTNER_CENTRE)
    assert (None, ("SCOPE-PC", "SLA-6")) == (terms.target, terms.rules)
    assert terms.notices[0].message.startswith(
        "Partner Centre issues must be raised as a support ticket in the Partner Centre"
    )


def test_sla_6_work_outside_the_policys_targets_gets_no_target_and_no_empty_notice() -> None:
    only_best_effort = attrs.evolve(POLICY, targets_apply_to=frozenset({wr.Coverage.BEST_EFFORT}))
    a = only_best_effort.assess(enquiry())
    assert (wr.Coverage.FULL, None, (), "") == (a.coverage, a.response_due, a.rules, a.explain())
