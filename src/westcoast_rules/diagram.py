"""The lifecycle drawn from its transition table: Mermaid text, and DOT text for Graphviz.

Both are drawn from one small model of the table, :func:`edges`, so a diagram is always the
state machine the library runs, never a drawing of it. The docs lay out the DOT text with
Graphviz's ``dot`` when the site is built and carry the SVG it makes in the page (no script, no
network); this module only writes text, and runs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from westcoast_rules.lifecycle import TRANSITIONS, State, Transition, leads_to

__all__ = ["dot", "edges", "mermaid"]


def _label(row: Transition) -> str:
    return f"{row.event.__name__} ({row.rule})"


def edges(rows: Sequence[Transition] = TRANSITIONS) -> dict[tuple[State, State], list[str]]:
    """Each (source, target) pair of states the table joins, with the labels of the events that
    lead there (``"Escalated (ESC-2)"``), in table order.

    A row that names several states joins each of them; a row that resumes a state (PROC-2)
    joins AWAITING_INFO to each state that can await information; the way in (lodging) joins no
    two states, and is drawn from the start.

    >>> edges()[State.OPEN, State.ESCALATED]
    ['Escalated (ESC-2)']
    """
    joined: dict[tuple[State, State], list[str]] = {}
    for row in rows:
        for source in row.sources:
            for target in leads_to(row, source, rows):
                labels = joined.setdefault((source, target), [])
                if _label(row) not in labels:
                    labels.append(_label(row))
    return joined


def _ways_in(rows: Sequence[Transition]) -> list[tuple[State, str]]:
    """The state a ticket starts in, with the label of the event that makes it (PROC-1)."""
    return [
        (row.target, _label(row))
        for row in rows
        if not row.sources and isinstance(row.target, State)
    ]


def _ends(joined: dict[tuple[State, State], list[str]]) -> list[State]:
    """The states a ticket ends in: entered, and never left."""
    leaving = {source for source, target in joined if source is not target}
    return [state for state in State if state not in leaving and any(state is t for _, t in joined)]


def mermaid(rows: Sequence[Transition] = TRANSITIONS) -> str:
    """The lifecycle as a Mermaid state diagram, generated from the transition table.

    >>> print(mermaid().splitlines()[0])
    stateDiagram-v2
    """
    joined = edges(rows)
    lines = ["stateDiagram-v2"]
    lines += [f"    [*] --> {state.name}: {label}" for state, label in _ways_in(rows)]
    for (source, target), labels in joined.items():
        lines.append(f"    {source.name} --> {target.name}: {'<br>'.join(labels)}")
    lines += [f"    {state.name} --> [*]" for state in _ends(joined)]
    return "\n".join(lines)


def _html(text: str) -> str:
    """Text safe in a Graphviz HTML-like label."""
    return escape(text, quote=True)


def _lines(labels: list[str], *, rule_below: bool) -> str:
    """Labels for an HTML-like label, one event a line, left-aligned; with *rule_below*, each
    rule on a line under its event, so an arrow's label is as narrow as its event's name."""
    lines = []
    for label in labels:
        event, _, rule = label.partition(" (")
        if rule_below and rule:
            lines.append(f'{_html(event)}<br align="left"/>')
            lines.append(f'<font color="#3f51b5">({_html(rule)}</font><br align="left"/>')
        else:
            lines.append(f'{_html(label)}<br align="left"/>')
    return "".join(lines)


def dot(rows: Sequence[Transition] = TRANSITIONS) -> str:
    """The lifecycle as a Graphviz ``dot`` graph, generated from the transition table.

    One box per state, listing the events that keep it in that state and their rules; one
    arrow per pair of states :func:`edges` joins, labelled with its events, each with its rule
    under it; a dot
    where a ticket starts and a ringed dot where it ends. Laid out top to bottom, so the
    picture is as narrow as a page of text; ``dot -Tsvg`` draws it (the docs do, when the site
    is built).

    >>> print(dot().splitlines()[0])
    digraph lifecycle {
    """
    joined = edges(rows)
    lines = [
        "digraph lifecycle {",
        "    rankdir=TB; nodesep=0.2; ranksep=0.3;",
        '    node [shape=box, style="rounded,filled", fillcolor="#e8eaf6", color="#3f51b5", '
        'fontname="sans-serif", fontsize=12, margin="0.08,0.04"];',
        '    edge [color="#555555", fontname="sans-serif", fontsize=11, arrowsize=0.7];',
    ]
    for state in State:
        if not any(state in pair for pair in joined):
            continue
        staying = joined.get((state, state), [])
        events = (
            f'<br/><font point-size="10">{_lines(staying, rule_below=False)}</font>'
            if staying
            else ""
        )
        lines.append(f"    {state.name} [label=<<b>{state.name}</b>{events}>];")
    for number, (state, label) in enumerate(_ways_in(rows)):
        start = f"start{number}"
        lines.append(f'    {start} [shape=point, width=0.15, label="", fillcolor="#333333"];')
        lines.append(f"    {start} -> {state.name} [label=<{_lines([label], rule_below=True)}>];")
    for (source, target), labels in joined.items():
        if source is not target:
            lines.append(
                f"    {source.name} -> {target.name} [label=<{_lines(labels, rule_below=True)}>];"
            )
    for number, state in enumerate(_ends(joined)):
        end = f"end{number}"
        lines.append(f'    {end} [shape=doublecircle, width=0.12, label="", fillcolor="#333333"];')
        lines.append(f"    {state.name} -> {end};")
    lines.append("}")
    return "\n".join(lines)
