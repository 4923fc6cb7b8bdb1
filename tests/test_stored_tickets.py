"""Stored tickets are checked: reading one replays its history and refuses fields that disagree."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import westcoast_rules as wr

POLICY = wr.WESTCOAST
LONDON = wr.LONDON


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def awaiting() -> wr.Ticket:
    t = POLICY.lodge("WC-1", london(2026, 11, 23, 9), "P2", "email")
    t = POLICY.apply(t, wr.Acknowledged(london(2026, 11, 23, 9, 30)))
    return POLICY.apply(t, wr.InfoRequested(london(2026, 11, 23, 10)))


def test_a_ticket_whose_state_was_edited_is_refused_naming_the_field_and_both_values() -> None:
    data = wr.to_dict(awaiting())
    data["state"] = "open"
    with pytest.raises(wr.DataError) as caught:
        wr.from_dict(wr.Ticket, data)
    assert ("stored 'open' but its history gives 'awaiting_info' @ $.state",) == (
        caught.value.errors
    )
    assert "the history is the truth" in str(caught.value)


def test_an_edited_tier_is_refused_and_the_next_event_is_never_judged_against_it() -> None:
    data = wr.to_dict(awaiting())
    data["tier"] = 3
    with pytest.raises(wr.DataError, match=r"stored 3 but its history gives 1 @ \$\.tier"):
        wr.from_json(wr.Ticket, json.dumps(data))


def test_a_history_the_rules_refuse_is_refused_as_data() -> None:
    data = wr.to_dict(awaiting())
    data["history"].append({"event": "Resolved", "at": data["history"][0]["at"]})
    with pytest.raises(wr.DataError, match=r"history is refused.*PROC-8\) @ \$\.history"):
        wr.from_dict(wr.Ticket, data)


def test_a_ticket_built_under_another_policy_is_read_with_that_policy() -> None:
    week = attrs.evolve(POLICY, reopen_window_days=7, version="week")
    t = week.apply(awaiting(), wr.Resolved(london(2026, 11, 23, 15)))
    text = wr.to_json(t)
    with pytest.raises(wr.DataError, match=r"policy=.*reopen_until") as caught:
        wr.from_json(wr.Ticket, text)
    assert 1 == len(caught.value.errors)
    assert t == wr.from_json(wr.Ticket, text, policy=week)
    versions = wr.PolicyVersions((london(2026, 1, 1), POLICY), (london(2026, 11, 1), week))
    assert t == wr.from_json(wr.Ticket, text, policy=versions)


def test_the_policy_must_be_a_policy() -> None:
    with pytest.raises(wr.WrongTypeError, match="policy must be a SupportPolicy"):
        wr.from_json(wr.Ticket, wr.to_json(awaiting()), policy="westcoast")  # type: ignore[arg-type]


# -- the property: read back equals written; tampered is refused -------------------------------

_EVENTS = tuple(
    kind
    for kind in wr.EVENT_TYPES
    if kind not in (wr.Lodged, wr.UpdateTimeframeAgreed, wr.AutoResolved, wr.Closed)
)
"""The events a ticket is taken through; time decides the rest (advance)."""


@st.composite
def tickets(draw: st.DrawFn) -> wr.Ticket:
    """A ticket lodged under the Westcoast policy, then taken through the events the rules
    allow, time advancing (and deciding) between them."""
    start = draw(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1)))
    priority = draw(st.sampled_from(["P1", "P2", "P3"]))
    channel = "phone" if priority == "P1" else draw(st.sampled_from(["email", "helpcentre"]))
    category = draw(st.sampled_from(["service", "dns", "visual_studio", "partner_centre"]))
    ticket = POLICY.lodge(
        draw(st.text("WC-0123", min_size=1)),
        start.replace(tzinfo=UTC),
        priority,
        channel,
        category=category,
    )
    at = ticket.lodged_at
    for _ in range(draw(st.integers(0, 8))):
        at += timedelta(minutes=draw(st.integers(0, 60 * 24 * 4)))
        kind = draw(st.sampled_from((*_EVENTS, wr.UpdateTimeframeAgreed)))
        event = (
            kind(at, timedelta(hours=draw(st.integers(1, 48))))
            if kind is wr.UpdateTimeframeAgreed
            else kind(at)
        )
        try:
            ticket = POLICY.apply(POLICY.advance(ticket, at), event)
        except wr.TransitionError:
            continue
    return ticket


def _other(value: Any, field: attrs.Attribute[Any]) -> Any:  # noqa: PLR0911  (one per type)
    """A value of the field's type that differs from *value*."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, wr.Tier):
        return wr.Tier(value % 3 + 1)
    if isinstance(value, str) and hasattr(type(value), "__members__"):
        members = list(type(value))  # type: ignore[arg-type]
        return members[(members.index(value) + 1) % len(members)]
    if isinstance(value, str):
        return value + "X"
    if isinstance(value, datetime):
        return value + timedelta(minutes=1)
    if isinstance(value, timedelta):
        return value + timedelta(hours=1)
    if value is None:
        return {
            "resumes": wr.State.OPEN,
            "update_every": timedelta(hours=2),
        }.get(field.name, london(2026, 11, 23, 12))
    raise AssertionError(f"no other value for {field.name}: {value!r}")


_DERIVED = [f for f in attrs.fields(wr.Ticket) if f.name != "history"]


@settings(max_examples=150, deadline=None)
@given(ticket=tickets(), field=st.sampled_from(_DERIVED))
def test_a_ticket_read_back_equals_the_ticket_written_and_a_tampered_one_is_refused(
    ticket: wr.Ticket, field: attrs.Attribute[Any]
) -> None:
    assert ticket == wr.from_json(wr.Ticket, wr.to_json(ticket))
    assert ticket == wr.from_dict(wr.Ticket, wr.to_dict(ticket))
    tampered = attrs.evolve(ticket, **{field.name: _other(getattr(ticket, field.name), field)})
    with pytest.raises(wr.DataError) as caught:
        wr.from_json(wr.Ticket, wr.to_json(tampered))
    assert any(e.endswith(f"@ $.{field.name}") for e in caught.value.errors), caught.value
