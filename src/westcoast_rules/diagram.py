"""The lifecycle drawn from its transition table: a Mermaid state diagram, and the same as SVG.

The docs publish the SVG at build time (no script, no network: the page carries its own
picture), so the diagram is always the state machine the library runs, never a drawing of it.
Both are drawn from one small model of the table, :func:`edges`.
"""

from __future__ import annotations

import math
from html import escape
from typing import Final

from westcoast_rules.lifecycle import TRANSITIONS, State, Transition

__all__ = ["edges", "mermaid", "svg"]

_START: Final = ("Lodged", "PROC-1")
"""The event that makes a ticket, outside the table: lodging it (PROC-1)."""


def edges(rows: tuple[Transition, ...] = TRANSITIONS) -> dict[tuple[State, State], list[str]]:
    """Each (source, target) pair of states the table joins, with the labels of the events that
    lead there (``"Escalated (ESC-2)"``), in table order.

    A row with no target returns to the state the ticket awaited information from (PROC-2), so
    it joins AWAITING_INFO to each state that can await information.

    >>> edges()[State.OPEN, State.ESCALATED]
    ['Escalated (ESC-2)']
    """
    waiting = State.AWAITING_INFO
    resumable = [r.source for r in rows if r.target is waiting and r.source is not waiting]
    joined: dict[tuple[State, State], list[str]] = {}
    for row in rows:
        targets = list(dict.fromkeys(resumable)) if row.target is None else [row.target]
        for target in targets:
            labels = joined.setdefault((row.source, target), [])
            label = f"{row.event.__name__} ({row.rule})"
            if label not in labels:
                labels.append(label)
    return joined


def mermaid(rows: tuple[Transition, ...] = TRANSITIONS) -> str:
    """The lifecycle as a Mermaid state diagram, generated from the transition table.

    >>> print(mermaid().splitlines()[0])
    stateDiagram-v2
    """
    event, rule = _START
    lines = ["stateDiagram-v2", f"    [*] --> {State.OPEN.name}: {event} ({rule})"]
    for (source, target), labels in edges(rows).items():
        lines.append(f"    {source.name} --> {target.name}: {'<br>'.join(labels)}")
    lines.append(f"    {State.CLOSED.name} --> [*]")
    return "\n".join(lines)


# -- SVG ---------------------------------------------------------------------------------------

_WIDTH, _HEIGHT = 1240, 720
_CENTRE = (_WIDTH / 2, _HEIGHT / 2 + 10)
_RADII = (270, 250)
_BOX_HEIGHT = 34
_FONT = 12
_LINE = 14


def _box_width(state: State) -> float:
    return len(state.name) * 9 + 28


def _edge_of_box(
    centre: tuple[float, float], width: float, towards: tuple[float, float]
) -> tuple[float, float]:
    """Where the line from the box's centre towards a point leaves the box."""
    (x, y), (tx, ty) = centre, towards
    dx, dy = tx - x, ty - y
    if dx == dy == 0:
        return centre
    scale = min(
        (width / 2) / abs(dx) if dx else math.inf, (_BOX_HEIGHT / 2) / abs(dy) if dy else math.inf
    )
    return x + dx * scale, y + dy * scale


def _label(x: float, y: float, labels: list[str], anchor: str = "middle") -> list[str]:
    """Labels as lines of text on a pale box, centred on (x, y)."""
    width = max(len(text) for text in labels) * _FONT * 0.56 + 8
    height = len(labels) * _LINE + 4
    left = {"middle": x - width / 2, "start": x - 4, "end": x - width + 4}[anchor]
    top = y - height / 2
    parts = [
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
        'rx="3" class="wr-label"/>'
    ]
    for i, text in enumerate(labels):
        baseline = top + 2 + (i + 1) * _LINE - 3
        parts.append(
            f'<text x="{x:.1f}" y="{baseline:.1f}" text-anchor="{anchor}">{escape(text)}</text>'
        )
    return parts


def svg(rows: tuple[Transition, ...] = TRANSITIONS) -> str:
    """The lifecycle as an SVG picture, generated from the transition table: one box per state,
    one arrow per pair of states :func:`edges` joins, labelled with its events and rules.

    The states stand on an ellipse in the order of :class:`~westcoast_rules.State` (a state
    that leads nowhere beside the one that leads to it), OPEN at the top; an arrow bends to
    its left, so the two ways between two states stay apart; an event that keeps the state is
    a loop outside its box. Self-contained: no script, no font or style from elsewhere.

    >>> picture = svg()
    >>> picture.startswith("<svg") and all(f">{s.name}<" in picture for s in State)
    True
    """
    joined = edges(rows)
    states = _ring(joined)
    (cx, cy), (rx, ry) = _CENTRE, _RADII
    where: dict[State, tuple[float, float]] = {}
    for i, state in enumerate(states):
        angle = -math.pi / 2 + 2 * math.pi * i / len(states)
        where[state] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        'class="wr-lifecycle" role="img" aria-labelledby="wr-lifecycle-title">',
        '<title id="wr-lifecycle-title">The ticket lifecycle: states and the events between '
        "them</title>",
        "<style>.wr-lifecycle{font:12px sans-serif}.wr-lifecycle .wr-state{fill:#e8eaf6;"
        "stroke:#3f51b5;stroke-width:1.5}.wr-lifecycle .wr-arrow{fill:none;stroke:#555;"
        "stroke-width:1.2;marker-end:url(#wr-arrowhead)}.wr-lifecycle .wr-label{fill:#fff;"
        "fill-opacity:.85;stroke:none}.wr-lifecycle .wr-name{font-weight:bold;font-size:13px}"
        "</style>",
        '<defs><marker id="wr-arrowhead" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ]
    labels: list[str] = []
    for (source, target), texts in joined.items():
        if source is target:
            parts_, label = _loop(where[source], _box_width(source), texts)
        else:
            parts_, label = _arrow(where[source], where[target], source, target, texts)
        parts += parts_
        labels += label
    # The start, above OPEN, and the end, beside CLOSED.
    ox, oy = where[State.OPEN]
    start = (ox, oy - 95)
    parts.append(f'<circle cx="{start[0]:.1f}" cy="{start[1]:.1f}" r="7" fill="#333"/>')
    parts.append(
        f'<path class="wr-arrow" d="M{ox:.1f},{start[1] + 7:.1f} L{ox:.1f},'
        f'{oy - _BOX_HEIGHT / 2:.1f}"/>'
    )
    event, rule = _START
    labels += _label(ox + 10, start[1] + 40, [f"{event} ({rule})"], "start")
    if State.CLOSED in where:
        kx, ky = where[State.CLOSED]
        end_x = kx - _box_width(State.CLOSED) / 2 - 60
        parts.append(
            f'<path class="wr-arrow" d="M{kx - _box_width(State.CLOSED) / 2:.1f},{ky:.1f} '
            f'L{end_x + 10:.1f},{ky:.1f}"/>'
        )
        parts.append(
            f'<circle cx="{end_x:.1f}" cy="{ky:.1f}" r="9" fill="none" stroke="#333"/>'
            f'<circle cx="{end_x:.1f}" cy="{ky:.1f}" r="5" fill="#333"/>'
        )
    for state, (x, y) in where.items():
        width = _box_width(state)
        parts.append(
            f'<g class="wr-node" id="wr-state-{state.name.lower()}">'
            f'<rect class="wr-state" x="{x - width / 2:.1f}" y="{y - _BOX_HEIGHT / 2:.1f}" '
            f'width="{width:.1f}" height="{_BOX_HEIGHT}" rx="8"/>'
            f'<text class="wr-name" x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle">'
            f"{state.name}</text></g>"
        )
    parts += labels  # last, so no line crosses a label
    parts.append("</svg>")
    return "\n".join(parts)


def _ring(joined: dict[tuple[State, State], list[str]]) -> list[State]:
    """The states in the order they stand on the ellipse: the order of State, but a state that
    leads nowhere (CLOSED) just after the first state that leads to it, so no arrow crosses
    the picture to reach it."""
    leaving = {source for source, target in joined if source is not target}
    ring = [s for s in State if s in leaving or s is State.OPEN]
    for state in State:
        if state not in ring and any(state is target for _, target in joined):
            before = next(source for source, target in joined if target is state)
            ring.insert(ring.index(before) + 1, state)
    return ring


def _arrow(
    a: tuple[float, float],
    b: tuple[float, float],
    source: State,
    target: State,
    texts: list[str],
) -> tuple[list[str], list[str]]:
    """A curve from box to box, bent to its left, and its label at its middle."""
    (ax, ay), (bx, by) = a, b
    length = math.hypot(bx - ax, by - ay)
    bend = max(0.14 * length, 45.0)
    # The left of the direction of travel (SVG's y grows downwards).
    nx, ny = (by - ay) / length, -(bx - ax) / length
    control = ((ax + bx) / 2 + nx * bend, (ay + by) / 2 + ny * bend)
    p0 = _edge_of_box(a, _box_width(source), control)
    p2 = _edge_of_box(b, _box_width(target), control)
    mx = 0.25 * p0[0] + 0.5 * control[0] + 0.25 * p2[0]
    my = 0.25 * p0[1] + 0.5 * control[1] + 0.25 * p2[1]
    path = (
        f'<path class="wr-arrow" d="M{p0[0]:.1f},{p0[1]:.1f} Q{control[0]:.1f},'
        f'{control[1]:.1f} {p2[0]:.1f},{p2[1]:.1f}"/>'
    )
    return [path], _label(mx, my, texts)


def _loop(at: tuple[float, float], width: float, texts: list[str]) -> tuple[list[str], list[str]]:
    """An event that keeps the state: a loop on the box's side away from the centre."""
    x, y = at
    outward = 1 if x >= _CENTRE[0] else -1
    side = x + outward * width / 2
    reach = side + outward * 46
    path = (
        f'<path class="wr-arrow" d="M{side:.1f},{y - 9:.1f} C{reach:.1f},{y - 40:.1f} '
        f'{reach:.1f},{y + 40:.1f} {side:.1f},{y + 9:.1f}"/>'
    )
    anchor = "start" if outward > 0 else "end"
    return [path], _label(reach + outward * 6, y, texts, anchor)
