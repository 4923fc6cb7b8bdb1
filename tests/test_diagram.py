"""The lifecycle's pictures are generated from the transition table: Mermaid and DOT text."""

from __future__ import annotations

import re

import westcoast_rules as wr
from westcoast_rules import diagram

S = wr.State


def test_the_dot_text_has_a_box_per_state_listing_what_keeps_it_there() -> None:
    text = diagram.dot()
    boxes = dict(re.findall(r"^    ([A-Z_]+) \[label=<(.*)>\];$", text, flags=re.MULTILINE))
    assert [state.name for state in S] == list(boxes)
    assert (
        '<b>RESOLVED</b><br/><font point-size="10">ResolutionConfirmed (PROC-5)'
        in (boxes["RESOLVED"])
    )
    assert "<b>CLOSED</b>" == boxes["CLOSED"]


def test_the_dot_text_has_an_arrow_per_pair_of_states_with_each_event_and_its_rule() -> None:
    text = diagram.dot()
    arrows = re.findall(r"^    ([A-Z_]+) -> ([A-Z_]+) \[label=<(.*)>\];$", text, flags=re.M)
    between = {(s, t): labels for (s, t), labels in diagram.edges().items() if s is not t}
    assert [(s.name, t.name) for s, t in between] == [(s, t) for s, t, _ in arrows]
    [(_, _, label)] = [a for a in arrows if a[:2] == ("AWAITING_INFO", "RESOLVED")]
    assert (
        'Resolved<br align="left"/><font color="#3f51b5">(PROC-5)</font><br align="left"/>'
        'AutoResolved<br align="left"/><font color="#3f51b5">(PROC-4)</font><br align="left"/>'
    ) == label


def test_the_dot_text_starts_with_lodging_and_ends_after_closed() -> None:
    text = diagram.dot()
    assert re.search(r"^    start0 -> OPEN \[label=<Lodged.*\(PROC-1\)", text, flags=re.M)
    assert "    CLOSED -> end0;" in text.splitlines()
    assert text.startswith("digraph lifecycle {\n")
    assert text.endswith("\n}")


def test_a_row_naming_several_states_is_an_arrow_from_each() -> None:
    rows = (
        wr.Transition((), wr.Lodged, S.OPEN, "PROC-1"),
        wr.Transition((S.OPEN, S.ESCALATED), wr.Resolved, S.RESOLVED, "PROC-5"),
        wr.Transition(S.OPEN, wr.Escalated, S.ESCALATED, "ESC-2"),
        wr.Transition(S.RESOLVED, wr.Closed, S.CLOSED, "PROC-6"),
    )
    assert {
        (S.OPEN, S.RESOLVED): ["Resolved (PROC-5)"],
        (S.ESCALATED, S.RESOLVED): ["Resolved (PROC-5)"],
        (S.OPEN, S.ESCALATED): ["Escalated (ESC-2)"],
        (S.RESOLVED, S.CLOSED): ["Closed (PROC-6)"],
    } == diagram.edges(rows)
    assert (
        "stateDiagram-v2\n"
        "    [*] --> OPEN: Lodged (PROC-1)\n"
        "    OPEN --> RESOLVED: Resolved (PROC-5)\n"
        "    ESCALATED --> RESOLVED: Resolved (PROC-5)\n"
        "    OPEN --> ESCALATED: Escalated (ESC-2)\n"
        "    RESOLVED --> CLOSED: Closed (PROC-6)\n"
        "    CLOSED --> [*]"
    ) == diagram.mermaid(rows)


def test_the_mermaid_text_returns_from_awaiting_information_to_each_state_it_can_come_from() -> (
    None
):
    text = wr.mermaid()
    for state in ("OPEN", "ESCALATED", "REOPENED"):
        assert f"    AWAITING_INFO --> {state}: InfoReceived (PROC-2)" in text.splitlines()
