"""The transition table is checked when the library loads: each defect refused, by name."""

from __future__ import annotations

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules import lifecycle
from westcoast_rules.lifecycle import check_transitions

S = wr.State
T = wr.Transition
ROWS = wr.TRANSITIONS


def refusal(rows: tuple[wr.Transition, ...]) -> str:
    with pytest.raises(wr.PolicyError) as refused:
        check_transitions(rows)
    return str(refused.value)


def without(event: type[wr.Event], rule: str | None = None) -> tuple[wr.Transition, ...]:
    return tuple(r for r in ROWS if not (r.event is event and rule in (None, r.rule)))


def test_the_library_s_own_table_is_accepted() -> None:
    check_transitions(ROWS)  # and it was, when westcoast_rules was imported
    assert (S.OPEN,) == tuple(r.target for r in ROWS if not r.sources)


def test_each_rule_is_one_row_naming_the_states_it_applies_in() -> None:
    rules = [(row.event, row.rule, row.target) for row in ROWS]
    assert len(set(rules)) == len(rules)
    [resolved] = [row for row in ROWS if row.event is wr.Resolved]
    assert (S.OPEN, S.ESCALATED, S.REOPENED, S.AWAITING_INFO) == resolved.sources


def test_a_table_with_no_way_in_is_refused() -> None:
    assert refusal(ROWS[1:]).endswith(
        "it has no way in (a row with no source, the initial state); give exactly one"
    )


def test_a_table_with_two_ways_in_is_refused_naming_both() -> None:
    second = T((), wr.Lodged, S.ESCALATED, "ESC-3")
    assert (
        "it has 2 ways in (a row with no source, the initial state); row 1 (Lodged from no "
        "state, PROC-1); row 15 (Lodged from no state, ESC-3); give exactly one"
    ) in refusal((*ROWS, second))


def test_a_state_no_way_reaches_is_refused() -> None:
    # Without reopening, REOPENED is reached only by a rejection at the ceiling: drop that too.
    rows = tuple(r for r in ROWS if r.target is not S.REOPENED)
    assert "no way leads from OPEN to REOPENED" in refusal(rows)


def test_a_trap_is_refused_naming_the_states_caught_in_it() -> None:
    # Without resolution by anyone, nothing leads out of the unresolved states.
    rows = tuple(r for r in ROWS if r.target is not S.RESOLVED)
    message = refusal(rows)
    assert (
        "no way leads from OPEN, ESCALATED, AWAITING_INFO, REOPENED to a final state: a trap"
    ) in message
    assert "no row takes Resolved, AutoResolved" in message


def test_a_row_leaving_a_final_state_is_refused() -> None:
    rows = (*ROWS, T(S.CLOSED, wr.Reopened, S.REOPENED, "PROC-6"))
    assert "row 15 (Reopened from CLOSED, PROC-6) leaves CLOSED, a final state" in refusal(rows)


def test_two_rows_with_nothing_to_choose_between_them_are_refused() -> None:
    # ESC-5's two rows for a rejection: the first, unguarded, would hide the second.
    number = next(n for n, row in enumerate(ROWS, 1) if row.event is wr.ResolutionRejected)
    rows = list(ROWS)
    rows[number - 1] = attrs.evolve(rows[number - 1], guard=None)
    assert (
        f"row {number} (ResolutionRejected from RESOLVED, ESC-5) and row {number + 1} "
        "(ResolutionRejected from RESOLVED, ESC-5) both take ResolutionRejected in RESOLVED, and "
        "the first has no guard to choose between them"
    ) in refusal(tuple(rows))


def test_a_last_row_without_a_guard_is_what_the_others_leave() -> None:
    number = next(n for n, row in enumerate(ROWS, 1) if row.event is wr.ResolutionRejected)
    rows = list(ROWS)
    rows[number] = attrs.evolve(rows[number], guard=None)
    check_transitions(rows)


def test_a_row_with_an_unknown_rule_or_a_state_named_twice_is_refused() -> None:
    rows = (*ROWS[:2], T((S.OPEN, S.OPEN), wr.InfoRequested, S.AWAITING_INFO, "PROC-99"), *ROWS[3:])
    message = refusal(rows)
    assert "row 3 (InfoRequested from OPEN, OPEN, PROC-99) names 'PROC-99'" in message
    assert "row 3 (InfoRequested from OPEN, OPEN, PROC-99) names a state twice" in message


def test_resuming_a_state_no_row_left_from_is_refused() -> None:
    # Without a request for information, nothing leads to AWAITING_INFO: none to go back to.
    number = next(n for n, row in enumerate(ROWS, 1) if row.event is wr.InfoReceived) - 1
    message = refusal(without(wr.InfoRequested, "PROC-2"))
    assert (
        f"row {number} (InfoReceived from AWAITING_INFO, PROC-2) resumes a state before "
        "AWAITING_INFO; none leads there"
    ) in message
    assert "no way leads from OPEN to AWAITING_INFO" in message


def test_every_defect_is_named_at_once() -> None:
    message = refusal(without(wr.Closed))
    assert message.startswith("the transition table cannot be the incident process: ")
    assert "no row takes Closed" in message
    assert "no way leads from OPEN to CLOSED" in message


def test_a_single_state_is_one_source() -> None:
    assert (S.OPEN,) == T(S.OPEN, wr.Escalated, S.ESCALATED, "ESC-2").sources


def test_the_draft_holds_every_field_of_the_ticket() -> None:
    """Declared once: a draft's slots are the ticket's fields, so a new field reaches it."""
    fields = {field.name for field in attrs.fields(wr.Ticket)}
    assert fields <= set(lifecycle.TicketDraft.__slots__)
    ticket = wr.WESTCOAST.lodge(
        "WC-1",
        lifecycle.from_micros(1_795_000_000_000_000, wr.LONDON),
        wr.Priority.P2,
        wr.Channel.EMAIL,
    )
    draft = lifecycle.TicketDraft.of(ticket)
    assert ticket == draft.freeze(wr.WESTCOAST)
    assert isinstance(draft.lodged_at, int)
