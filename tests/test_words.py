"""Words where enums are: lodge, Enquiry and the event records read them case-insensitively."""

from __future__ import annotations

from datetime import datetime

import pytest

import westcoast_rules as wr

POLICY = wr.WESTCOAST
AT = datetime(2026, 11, 23, 9, tzinfo=wr.LONDON)


def test_lodge_takes_words_in_any_case() -> None:
    by_words = POLICY.lodge("WC-1", AT, "p2", "EMAIL", category="Dns")
    by_enums = POLICY.lodge("WC-1", AT, wr.Priority.P2, wr.Channel.EMAIL, category=wr.Category.DNS)
    assert by_enums == by_words
    assert wr.Priority.P2 is by_words.priority
    assert wr.Category.DNS is by_words.history[0].category  # type: ignore[union-attr]


def test_words_still_meet_the_rules_prio_4() -> None:
    with pytest.raises(wr.TransitionError, match="PRIO-4"):
        POLICY.lodge("WC-1", AT, "p1", "email")


def test_an_enquiry_takes_words() -> None:
    enquiry = wr.Enquiry(AT, "email", "all_users", category="Migration", raised_by="RESELLER")
    assert (wr.Channel.EMAIL, wr.Impact.ALL_USERS, wr.Category.MIGRATION, wr.Party.RESELLER) == (
        enquiry.channel,
        enquiry.impact,
        enquiry.category,
        enquiry.raised_by,
    )
    assert wr.Priority.P2 == POLICY.assess(enquiry).priority  # PRIO-4 and PRIO-5 still apply


def test_the_lodged_event_takes_words() -> None:
    event = wr.Lodged("WC-1", AT, "P3", "helpcentre", wr.Tier.TIER_1, "visual_studio")
    assert (
        wr.Lodged(
            "WC-1",
            AT,
            wr.Priority.P3,
            wr.Channel.HELPCENTRE,
            wr.Tier.TIER_1,
            wr.Category.VISUAL_STUDIO,
        )
        == event
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: POLICY.lodge("WC-1", AT, "urgent", "email"),
        lambda: POLICY.lodge("WC-1", AT, "P2", "fax"),
        lambda: POLICY.lodge("WC-1", AT, "P2", "email", category="printers"),
        lambda: wr.Enquiry(AT, "email", "everyone"),
        lambda: wr.Enquiry(AT, "email", "how_to", raised_by="customer"),
        lambda: wr.Lodged("WC-1", AT, "P2", "carrier pigeon"),
    ],
    ids=["priority", "channel", "category", "impact", "party", "event"],
)
def test_a_word_that_is_not_a_choice_is_refused_with_a_typed_error_naming_it(make: object) -> None:
    with pytest.raises(wr.DataError) as caught:
        make()  # type: ignore[operator]
    message = str(caught.value)
    assert any(
        word in message
        for word in ("urgent", "fax", "printers", "4", "everyone", "customer", "carrier pigeon")
    )


@pytest.mark.parametrize("value", [2, None, True, 2.0])
def test_what_is_neither_a_word_nor_a_member_is_refused_as_before(value: object) -> None:
    with pytest.raises(wr.WrongTypeError, match="priority must be a Priority"):
        POLICY.lodge("WC-1", AT, value, "email")  # type: ignore[arg-type]
