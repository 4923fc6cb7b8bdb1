"""Replaying the tickets of a log: each ticket's rows, in order, through the lifecycle.

Reading streams: a ticket's rows must be contiguous (sort the log by ticket, then time), and
each ticket is replayed as soon as its rows end, so memory does not grow with the log. Before
each event, what time alone decided is applied (``policy.advance``), so a log need not record
auto-resolutions and closes (rows that do are accepted when they match). A bad row, or an
event the rules refuse, becomes a :class:`RowError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Final, NamedTuple, TypeVar

import attrs

from westcoast_rules._instants import aware_micros, from_micros
from westcoast_rules.batch.log import Entry, LodgedFacts, LogRow, RowError, entry_of
from westcoast_rules.errors import DataError, TransitionError, WestcoastRulesError
from westcoast_rules.escalation import Tier
from westcoast_rules.events import AutoResolved, Closed, Event, Lodged
from westcoast_rules.lifecycle import LifecyclePolicy, Ticket, TicketDraft, lodging_ceiling
from westcoast_rules.versions import Policies, in_force

__all__ = ["Replayed", "ReplayedTicket", "Replayer", "groups", "replay_log"]


@attrs.frozen
class ReplayedTicket:
    """A ticket rebuilt from its rows of a log, with the rows that could not be used."""

    ticket: Ticket | None
    """``None`` when not even the Lodged row could be used."""
    ticket_id: str | None
    errors: tuple[RowError, ...]


_Item = TypeVar("_Item")
_TICKET_OF: Final[Callable[[Any], str | None]] = itemgetter(2)
"""The ticket of an entry or a row error: each has it third."""
_BY_TIME: Final = (AutoResolved, Closed)
"""The events time alone decides (PROC-4, PROC-6)."""


def groups(
    items: Iterable[_Item], ticket_of: Callable[[_Item], str | None] = _TICKET_OF
) -> Iterator[list[_Item]]:
    """Consecutive items of the same ticket; an item of no known ticket joins the current one."""
    group: list[_Item] = []
    current: str | None = None
    for item in items:
        ticket = ticket_of(item)
        if group and ticket is not None and ticket != current:
            yield group
            group = []
        if ticket is not None:
            current = ticket
        group.append(item)
    if group:
        yield group


class Replayed(NamedTuple):
    """One ticket's rows replayed: its draft (``None`` when not even its Lodged row could be
    used), the rows that could not be used, and the policy that judged it."""

    draft: TicketDraft | None
    errors: list[RowError]
    policy: LifecyclePolicy | None


class Replayer:
    """Replays the rows of one ticket after another under one policy, as of one instant.

    Given :class:`~westcoast_rules.PolicyVersions`, each ticket is replayed, its whole life,
    under the version in force when it was lodged.

    With *as_of*, rows after it are not yet known and are left out, and each ticket is advanced
    to it. With *redecide*, the log's own AutoResolved and Closed rows are set aside and the
    policy decides them afresh. With *strict*, the first bad row raises
    :class:`~westcoast_rules.DataError`. With *history*, each draft keeps its events, so it can
    be frozen into a :class:`~westcoast_rules.Ticket`.
    """

    def __init__(
        self,
        policies: Policies,
        *,
        as_of: int | None = None,
        strict: bool = False,
        redecide: bool = False,
        history: bool = False,
    ) -> None:
        self.policies = policies
        self.as_of = as_of
        self.strict = strict
        self.redecide = redecide
        self.history = history
        self._ceilings: dict[tuple[int, LodgedFacts], Tier | TransitionError] = {}

    def replay(self, rows: Sequence[Entry | RowError]) -> Replayed | None:
        """One ticket's rows replayed; ``None`` when every row is after the instant replayed to
        (the ticket is not known yet)."""
        as_of, redecide = self.as_of, self.redecide
        policy: LifecyclePolicy | None = None
        draft: TicketDraft | None = None
        errors: list[RowError] = []
        for row in rows:
            if isinstance(row, RowError):
                errors.append(row)
            else:
                source, line, ticket, kind, at, facts, every, event = row
                if (as_of is not None and at > as_of) or (redecide and kind in _BY_TIME):
                    continue  # not known yet, or for this policy to decide afresh
                try:
                    if draft is None or policy is None:
                        policy, draft = self._lodge(ticket, kind, at, facts, event)
                    else:
                        draft.advance(policy, at)  # what time decided before this row
                        if kind in _BY_TIME and draft.last_event is kind and draft.last_at == at:
                            continue  # already decided by time, as the log says
                        draft.take(policy, kind, at, every, event)
                except WestcoastRulesError as exc:
                    errors.append(RowError(source, line, ticket, str(exc)))
            if errors and self.strict:
                first = errors[0]
                raise DataError(first.message, source=first.source, line=first.line)
        if draft is None and not errors:
            return None
        if draft is not None and policy is not None and as_of is not None:
            draft.advance(policy, as_of)
        return Replayed(draft, errors, policy)

    def _lodge(
        self,
        ticket: str,
        kind: type[Event],
        at: int,
        facts: LodgedFacts | None,
        event: Event | None,
    ) -> tuple[LifecyclePolicy, TicketDraft]:
        """The policy in force when a ticket was lodged, and its draft from its first row,
        which must be Lodged (PROC-1)."""
        if facts is None:
            raise DataError(
                f"ticket {ticket}'s first row is {kind.__name__}, not Lodged (PROC-1); "
                "is the log sorted by ticket, then time?"
            )
        policy = in_force(self.policies, at)
        ceiling = self._ceiling(policy, facts)
        history: list[Event] | None = None
        if self.history:
            if event is None:
                event = Lodged(ticket, from_micros(at, policy.calendar.zone), *facts)
            history = [event]
        return policy, TicketDraft(ticket, at, *facts, ceiling, history)

    def _ceiling(self, policy: LifecyclePolicy, facts: LodgedFacts) -> Tier:
        """:func:`~westcoast_rules.lifecycle.lodging_ceiling` of *facts*, remembered."""
        key = (id(policy), facts)  # the policies live as long as this replayer
        known = self._ceilings.get(key)
        if known is None:
            try:
                known = lodging_ceiling(policy, *facts)
            except TransitionError as exc:
                known = exc
            self._ceilings[key] = known
        if isinstance(known, TransitionError):
            raise TransitionError(str(known), rule=known.rule, event=known.event)
        return known


def record_entries(records: Iterable[LogRow | RowError]) -> Iterator[Entry | RowError]:
    """The entries of rows read as event records (:func:`~westcoast_rules.batch.read_log`)."""
    for record in records:
        yield record if isinstance(record, RowError) else entry_of(record)


def replay_log(
    policy: Policies,
    records: Iterable[LogRow | RowError],
    *,
    as_of: datetime | None = None,
    strict: bool = False,
    redecide: bool = False,
) -> Iterator[ReplayedTicket]:
    """Every ticket of a log, replayed under *policy*, as the world stood at *as_of*.

    With *as_of*, rows after it are not yet known and are left out (a ticket lodged later is
    not yielded at all), and each ticket is advanced to *as_of*, so what time decided by then
    is applied. Given :class:`~westcoast_rules.PolicyVersions`, each ticket is replayed under
    the version in force when it was lodged. With ``redecide=True`` the log's own AutoResolved
    and Closed rows are set aside and *policy* decides them afresh: what a what-if needs. With
    ``strict=True`` the first bad row raises :class:`~westcoast_rules.DataError` with its file
    and line; otherwise bad rows are reported in each :class:`ReplayedTicket`'s errors.
    """
    as_of_micros = None if as_of is None else aware_micros(as_of, "as_of")
    replayer = Replayer(policy, as_of=as_of_micros, strict=strict, redecide=redecide, history=True)
    for group in groups(record_entries(records)):
        replayed = replayer.replay(group)
        if replayed is None:
            continue  # lodged after as_of: not known yet
        draft, errors, judge = replayed
        ticket_id = next((row[2] for row in group if row[2] is not None), None)
        ticket = None if draft is None or judge is None else draft.freeze(judge)
        yield ReplayedTicket(ticket, ticket_id, tuple(errors))
