"""What if: the same log replayed under two policies, and the tickets whose outcome changes."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import NamedTuple

import attrs

from westcoast_rules._instants import aware_micros, from_micros, to_micros
from westcoast_rules.batch.log import RowError
from westcoast_rules.batch.replay import Replayer, unreportable
from westcoast_rules.batch.report import response_of, target_of, word_of
from westcoast_rules.batch.sources import LogSource, ticket_rows
from westcoast_rules.errors import WestcoastRulesError
from westcoast_rules.lifecycle import LifecyclePolicy, TicketDraft
from westcoast_rules.priority import Priority
from westcoast_rules.scope import Category
from westcoast_rules.targets import ResponseTarget
from westcoast_rules.versions import Policies

__all__ = ["ChangeSummary", "TicketDiff", "WhatIfReport", "what_if"]


class TicketDiff(NamedTuple):
    """How one ticket differs between two policies."""

    ticket: str
    priority: str
    due_before: datetime | None
    due_after: datetime | None
    response_before: str
    response_after: str
    state_before: str
    state_after: str
    auto_resolved_before: datetime | None
    auto_resolved_after: datetime | None
    closed_before: datetime | None
    closed_after: datetime | None

    @property
    def breach_flip(self) -> str | None:
        """``"now_breached"``, ``"no_longer_breached"`` or ``None``."""
        before = self.response_before == "breached"
        after = self.response_after == "breached"
        if before == after:
            return None
        return "now_breached" if after else "no_longer_breached"


class ChangeSummary(NamedTuple):
    """How the tickets of one priority differ between two policies: how many changed at all,
    and how many in each way (a ticket may change in several)."""

    priority: str
    changed: int
    due_moved: int
    now_breached: int
    no_longer_breached: int
    state_changed: int
    auto_resolve_changed: int
    close_changed: int


@attrs.frozen
class WhatIfReport:
    """The tickets whose outcome changes between two policies, and the breach flips."""

    as_of: datetime
    tickets: int
    changed: tuple[TicketDiff, ...]
    now_breached: int
    no_longer_breached: int
    errors: tuple[RowError, ...]

    def summary(self) -> tuple[ChangeSummary, ...]:
        """The differences counted per priority (in order), without the tickets themselves:
        what ``westcoast-rules whatif --summary`` prints.

        >>> from datetime import datetime, timedelta
        >>> from westcoast_rules import WESTCOAST, LONDON, Priority
        >>> lines = ["ticket,event,at,priority,channel",
        ...          "WC-1,Lodged,2026-11-20T17:00:00+00:00,P2,email",
        ...          "WC-1,Acknowledged,2026-11-23T10:30:00+00:00,,"]
        >>> import io
        >>> report = what_if(WESTCOAST, WESTCOAST.with_target(Priority.P2, timedelta(hours=2)),
        ...                  io.StringIO(chr(10).join(lines)), format="csv",
        ...                  as_of=datetime(2026, 12, 1, tzinfo=LONDON))
        >>> line = report.summary()[0]
        >>> line.priority, line.changed, line.due_moved, line.now_breached
        ('P2', 1, 1, 1)
        """
        counts: dict[str, list[int]] = {}
        for diff in self.changed:
            line = counts.setdefault(diff.priority, [0] * 7)
            flip = diff.breach_flip
            ways = (
                True,
                _key(diff.due_before) != _key(diff.due_after),
                flip == "now_breached",
                flip == "no_longer_breached",
                diff.state_before != diff.state_after,
                _key(diff.auto_resolved_before) != _key(diff.auto_resolved_after),
                _key(diff.closed_before) != _key(diff.closed_after),
            )
            for i, way in enumerate(ways):
                line[i] += way
        return tuple(ChangeSummary(priority, *counts[priority]) for priority in sorted(counts))


def what_if(
    before: Policies,
    after: Policies,
    source: LogSource,
    *,
    as_of: datetime,
    format: str | None = None,
) -> WhatIfReport:
    """Replay the same log under two policies: per-ticket differences and breach flips.

    *source* is as for :func:`~westcoast_rules.batch.report_log`, and so is *format*.

    Either policy may be :class:`~westcoast_rules.PolicyVersions`. Compared per ticket: the
    response due and its status, the state, when the ticket
    auto-resolved (PROC-4) and when it closed (PROC-6). Each policy decides the auto-resolves
    and closes afresh, whatever the log recorded. A row refused under either policy is
    reported once in ``errors``; so is a ticket either policy cannot judge (a due past the
    years of the calendar's holiday data), as one bad row at its Lodged row, the others
    compared.
    """
    instant = aware_micros(as_of, "as_of")
    one = Replayer(before, as_of=instant, redecide=True)
    two = Replayer(after, as_of=instant, redecide=True)
    targets = _Targets()
    changed: list[TicketDiff] = []
    errors: dict[tuple[str, int], RowError] = {}
    tickets = flips_up = flips_down = 0
    with ticket_rows(source, format) as groups:
        for group in groups:
            first, second = one.replay(group), two.replay(group)
            if first is None or second is None:
                continue
            for error in (*first.errors, *second.errors):
                errors.setdefault((error.source, error.line), error)
            a, b = first.draft, second.draft
            if a is None or b is None or first.policy is None or second.policy is None:
                continue
            try:
                diff = _diff(first.policy, a, second.policy, b, instant, targets=targets)
            except WestcoastRulesError as exc:  # e.g. a due past the calendar's years
                assert first.lodged is not None
                error = unreportable(first.lodged, a.id, exc)
                errors.setdefault((error.source, error.line), error)
                continue
            tickets += 1
            if diff is not None:
                changed.append(diff)
                flips_up += diff.breach_flip == "now_breached"
                flips_down += diff.breach_flip == "no_longer_breached"
    return WhatIfReport(
        as_of, tickets, tuple(changed), flips_up, flips_down, tuple(errors.values())
    )


class _Targets(dict[tuple[int, Priority, Category], "ResponseTarget | None"]):
    """The response target of each policy, priority and category met, looked up once (the
    policies outlive a what-if)."""

    def of(self, policy: LifecyclePolicy, draft: TicketDraft) -> ResponseTarget | None:
        key = (id(policy), draft.priority, draft.category)
        try:
            return self[key]
        except KeyError:
            target = self[key] = target_of(policy, draft.priority, draft.category)
            return target


def _diff(
    before: LifecyclePolicy,
    a: TicketDraft,
    after: LifecyclePolicy,
    b: TicketDraft,
    as_of: int,
    *,
    targets: _Targets,
) -> TicketDiff | None:
    """How the ticket differs between the policies, compared on instants; ``None`` when it
    does not."""
    due_a, response_a, _ = response_of(before.calendar.open_time, a, as_of, targets.of(before, a))
    due_b, response_b, _ = response_of(after.calendar.open_time, b, as_of, targets.of(after, b))
    if (
        due_a == due_b
        and response_a is response_b
        and a.state is b.state
        and a.auto_resolved_at == b.auto_resolved_at
        and a.closed_at == b.closed_at
    ):
        return None
    zone_a, zone_b = before.calendar.zone, after.calendar.zone

    def at(value: int | None, zone: tzinfo) -> datetime | None:
        return None if value is None else from_micros(value, zone)

    return TicketDiff(
        ticket=a.id,
        priority=a.priority.value,
        due_before=at(due_a, zone_a),
        due_after=at(due_b, zone_b),
        response_before=word_of(response_a),
        response_after=word_of(response_b),
        state_before=a.state.value,
        state_after=b.state.value,
        auto_resolved_before=at(a.auto_resolved_at, zone_a),
        auto_resolved_after=at(b.auto_resolved_at, zone_b),
        closed_before=at(a.closed_at, zone_a),
        closed_after=at(b.closed_at, zone_b),
    )


def _key(value: object) -> object:
    return to_micros(value) if isinstance(value, datetime) else value
