"""The lifecycle drawn from its transition table: a Mermaid state diagram.

The docs publish this text (and a picture of it) at build time, so the diagram is always the
state machine the library runs, never a drawing of it.
"""

from __future__ import annotations

from westcoast_rules.lifecycle import TRANSITIONS, State, Transition

__all__ = ["mermaid"]


def mermaid(rows: tuple[Transition, ...] = TRANSITIONS) -> str:
    """The lifecycle as a Mermaid state diagram, generated from the transition table.

    >>> print(mermaid().splitlines()[0])
    stateDiagram-v2
    """
    lines = ["stateDiagram-v2", "    [*] --> OPEN: Lodged (PROC-1)"]
    waiting = State.AWAITING_INFO
    # A row with no target returns to the state the ticket awaited information from (PROC-2).
    resumable = [r.source.name for r in rows if r.target is waiting and r.source is not waiting]
    seen: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        targets = list(dict.fromkeys(resumable)) if row.target is None else [row.target.name]
        for target in targets:
            labels = seen.setdefault((row.source.name, target), [])
            label = f"{row.event.__name__} ({row.rule})"
            if label not in labels:
                labels.append(label)
    for (source, target), labels in seen.items():
        lines.append(f"    {source} --> {target}: {'<br>'.join(labels)}")
    lines.append("    CLOSED --> [*]")
    return "\n".join(lines)
