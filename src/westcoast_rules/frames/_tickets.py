"""A ticket table's SLA: :func:`westcoast_rules.frames.sla`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

import narwhals.stable.v2 as nw
import numpy as np

from westcoast_rules._instants import aware_micros
from westcoast_rules.errors import (
    InvalidEnquiryError,
    InvalidTimelineError,
)
from westcoast_rules.frames._columns import (
    _C,
    Flags,
    Ints,
    _choices,
    _Columns,
    _first,
    _frame,
    _instants,
    _Native,
    _require_columns,
    _texts,
    _timedeltas,
    _timestamps,
    _values,
    _versions,
)
from westcoast_rules.intake import ResponseTerms, response_terms
from westcoast_rules.policy import SupportPolicy
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category
from westcoast_rules.sla import response_state
from westcoast_rules.targets import clock_elapsed, due_micros
from westcoast_rules.versions import Policies

# -- a ticket table --------------------------------------------------------------------------


def sla(
    policy: Policies,
    tickets: _Native,
    *,
    as_of: datetime,
    ticket: str = "ticket_id",
    priority: str = "priority",
    lodged_at: str = "created_at",
    responded_at: str = "first_response_at",
    channel: str | None = None,
    category: str | None = None,
) -> _Native:
    """A ticket table, one row per ticket as a helpdesk exports it, with its SLA as of
    *as_of*: the same rows in the same order, and the columns

    - ``sla_priority``: the priority the response is measured at, after intake's decisions:
      a P1 raised by email or Helpcentre is a P2 (PRIO-4), migration work at most P2
      (PRIO-5); null without a target;
    - ``response_due``: when the response is due (SLA-2..4), in the policy's zone;
    - ``response``: ``met``, ``breached``, ``pending`` or ``no_target``, as in
      :class:`~westcoast_rules.batch.TicketRow` (SLA-1; Partner Centre work and the other work
      Westcoast does not handle itself has no target, SLA-6);
    - ``time_to_respond``: from lodging to the response, on the target's own clock;
    - ``rules``: the rule IDs that decided, space-separated, in order;
    - ``policy_version``: the version of the policy that judged the ticket.

    The keywords name your columns. Without a *channel* column the priority is taken as
    recorded; without a *category* column every ticket is service work. Priorities, channels
    and categories are read case-insensitively, and any other value is refused, listing each
    with a row. A response after *as_of* is not known yet. A row without a priority or a
    lodging instant cannot be judged: its SLA columns are null.

    >>> import pandas as pd
    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> export = pd.DataFrame({
    ...     "ticket_id": ["WC-1", "WC-2"], "priority": ["P1", "p2"],
    ...     "channel": ["email", "phone"],
    ...     "created_at": pd.to_datetime(["2026-11-20 17:00", "2026-11-23 09:00"]).tz_localize(
    ...         "Europe/London"),
    ...     "first_response_at": pd.to_datetime(["2026-11-23 10:00", None]).tz_localize(
    ...         "Europe/London")})
    >>> out = sla(WESTCOAST, export, as_of=datetime(2026, 11, 23, 15, tzinfo=LONDON),
    ...           channel="channel")
    >>> out[["sla_priority", "response", "rules"]].values.tolist()
    [['P2', 'met', 'PRIO-4 SLA-3'], ['P2', 'breached', 'SLA-3']]
    """
    now = aware_micros(as_of, "as_of")
    frame = _frame(tickets, "tickets")
    wanted = {
        "ticket": ticket,
        "priority": priority,
        "lodged_at": lodged_at,
        "responded_at": responded_at,
        "channel": channel,
        "category": category,
    }
    _require_columns(frame, "tickets", wanted)
    facts = _Tickets(frame, wanted)
    judged = _judge(policy, facts, now)
    zone = _first(policy).calendar.zone
    backend = frame.implementation
    added = [
        _texts(backend, "sla_priority", judged.priority),
        _timestamps(backend, "response_due", judged.due, ~judged.has_due, zone),
        _texts(backend, "response", judged.response),
        _timedeltas(backend, "time_to_respond", judged.used, ~judged.has_used),
        _texts(backend, "rules", judged.rules),
        _texts(backend, "policy_version", judged.version),
    ]
    # narwhals adds columns by position, so a pandas frame keeps its index.
    return nw.to_native(frame.with_columns(*added))  # type: ignore[no-any-return]


class _Tickets:
    """The facts of a ticket table's rows, as columns: what judging them needs."""

    def __init__(self, frame: nw.DataFrame[Any], names: Mapping[str, str | None]) -> None:
        ticket, priority = names["ticket"], names["priority"]
        lodged_at, responded_at = names["lodged_at"], names["responded_at"]
        assert ticket is not None
        assert priority is not None
        assert lodged_at is not None
        assert responded_at is not None
        self.length = length = len(frame)
        self.ids = _values(frame[ticket])
        self.lodged, lodged_null, _ = _instants(frame[lodged_at], lodged_at)
        self.responded, self.responded_null, _ = _instants(frame[responded_at], responded_at)
        self.priorities, self.priority_codes = _choices(
            frame[priority], Priority, priority, self.ids
        )
        # A null channel is not known, taken as allowed (PRIO-4); a null category is service.
        self.channels, self.channel_codes = self._optional(frame, names["channel"], Channel, None)
        self.categories, self.category_codes = self._optional(
            frame, names["category"], Category, Category.SERVICE
        )
        self.judged: Flags = ~lodged_null & (self.priority_codes >= 0)
        """The rows that can be judged: with a priority and a lodging instant."""
        early = np.flatnonzero(~lodged_null & ~self.responded_null & (self.responded < self.lodged))
        if early.size:
            shown = ", ".join(f"{self.ids[i]} (row {i})" for i in early[:5].tolist())
            raise InvalidTimelineError(
                f"{early.size} tickets were responded to before they were lodged: {shown}; "
                "there is no response before the incident is lodged, so check those instants"
            )
        assert length == len(self.lodged)

    def _optional(
        self,
        frame: nw.DataFrame[Any],
        name: str | None,
        kind: type[_C],
        default: _C | None,
    ) -> tuple[list[_C | None], Ints]:
        if name is None:
            return [default], np.zeros(self.length, dtype=np.int64)
        members, codes = _choices(frame[name], kind, name, self.ids)
        members.append(default)
        codes[codes < 0] = len(members) - 1
        return members, codes


class _Judged(NamedTuple):
    """What judging a ticket table gives, column by column."""

    priority: list[str | None]
    due: Ints
    has_due: Flags
    response: list[str | None]
    used: Ints
    has_used: Flags
    rules: list[str | None]
    version: list[str | None]


def _judge(policies: Policies, tickets: _Tickets, now: int) -> _Judged:
    """Judge the rows of a ticket table: each combination of version, priority, channel and
    category decided once by intake (:func:`~westcoast_rules.intake.response_terms`), each
    group's due and time to respond by the targets' own rules on columns."""
    length, judged, lodged, responded = (
        tickets.length,
        tickets.judged,
        tickets.lodged,
        tickets.responded,
    )
    chosen, version_codes = _versions(policies, lodged, ~judged)
    due = np.zeros(length, dtype=np.int64)
    used = np.zeros(length, dtype=np.int64)
    has_due = np.zeros(length, dtype=bool)
    has_used = np.zeros(length, dtype=bool)
    accepted: list[str | None] = [None] * length
    decided: list[str | None] = [None] * length
    known = ~tickets.responded_null & (responded <= now)  # later: not known as of now
    codes = np.stack(
        [version_codes, tickets.priority_codes, tickets.channel_codes, tickets.category_codes]
    )
    rows_judged = np.flatnonzero(judged)
    unique, inverse = np.unique(codes[:, judged], axis=1, return_inverse=True)
    inverse = inverse.reshape(-1)
    arithmetic: dict[int, _Columns] = {}
    for k in range(unique.shape[1]):
        place, level, by, about = (int(code) for code in unique[:, k])
        rows = rows_judged[inverse == k]
        policy = chosen[place]
        raised = tickets.priorities[level]
        assert raised is not None
        terms = _terms(
            policy, raised, tickets.channels[by], tickets.categories[about], tickets.ids[rows[0]]
        )
        rules = " ".join(terms.rules)
        target = terms.target
        priority = None if target is None else target.priority.value
        for row in rows.tolist():
            decided[row] = rules
            accepted[row] = priority
        if target is None:
            continue
        calendar = policy.calendar
        columns = arithmetic.setdefault(id(calendar), _Columns(calendar))
        due[rows] = due_micros(columns, target, lodged[rows])
        has_due[rows] = True
        answered = rows[known[rows]]
        used[answered] = clock_elapsed(columns, target, lodged[answered], responded[answered])
        has_used[answered] = True
    response: list[str | None] = [None] * length
    for row in rows_judged.tolist():
        if has_due[row]:
            answer = int(responded[row]) if known[row] else None
            response[row] = response_state(int(due[row]), now, answer).value
        else:
            response[row] = "no_target"
    names = [policy.version for policy in chosen]
    version = [
        names[v] if j else None
        for v, j in zip(version_codes.tolist(), judged.tolist(), strict=True)
    ]
    return _Judged(accepted, due, has_due, response, used, has_used, decided, version)


def _terms(
    policy: SupportPolicy,
    priority: Priority,
    channel: Channel | None,
    category: Category | None,
    ticket: object,
) -> ResponseTerms:
    try:
        return response_terms(policy, priority, channel, category or Category.SERVICE)
    except InvalidEnquiryError as exc:  # a policy that accepts no P1 by email (PRIO-4)
        raise InvalidEnquiryError(f"ticket {ticket}: {exc}") from None
