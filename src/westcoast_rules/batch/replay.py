"""Replaying the tickets of a log: each ticket's rows, in time order, through the lifecycle.

The rows come grouped by ticket and in time order (:func:`~westcoast_rules.batch.sources.by_ticket`,
the one grouping every reader uses), and each ticket is replayed as soon as its rows are given,
so a log whose tickets are together is replayed in flat memory. Before each event, what time
alone decided is applied (``policy.advance``), so a log need not record auto-resolutions and
closes (rows that do are accepted when they match). A bad row, or an event the rules refuse,
becomes a :class:`RowError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Final, NamedTuple

import attrs

from westcoast_rules._instants import aware_micros, from_micros
from westcoast_rules.batch.log import Entry, LodgedFacts, LogRow, RowError
from westcoast_rules.batch.sources import by_ticket, record_entries
from westcoast_rules.errors import (
    DataError,
    InvalidEnquiryError,
    TransitionError,
    WestcoastRulesError,
)
from westcoast_rules.escalation import Tier
from westcoast_rules.events import AutoResolved, Closed, Event, Lodged
from westcoast_rules.intake import accept_priority
from westcoast_rules.lifecycle import LifecyclePolicy, Ticket, TicketDraft, lodging_ceiling
from westcoast_rules.policy import SupportPolicy
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category, Notice
from westcoast_rules.versions import Policies, in_force

__all__ = ["ReplayedTicket", "replay_log"]


@attrs.frozen
class ReplayedTicket:
    """A ticket rebuilt from its rows of a log, with the rows that could not be used."""

    ticket: Ticket | None
    """``None`` when not even the Lodged row could be used."""
    ticket_id: str | None
    errors: tuple[RowError, ...]
    notices: tuple[Notice, ...] = ()
    """What lodging decided for it, as intake does: a P1 not raised by phone accepted as P2
    (PRIO-4), migration work capped at P2 (PRIO-5)."""


_BY_TIME: Final = (AutoResolved, Closed)
"""The events time alone decides (PROC-4, PROC-6)."""
_NEVER: Final = 1 << 63
"""An instant after every instant a datetime holds: what a replay to no instant knows up to."""


class Replayed(NamedTuple):
    """One ticket's rows replayed."""

    draft: TicketDraft | None
    """The ticket; ``None`` when not even its Lodged row could be used."""
    errors: list[RowError]
    """The rows that could not be used, with why."""
    policy: LifecyclePolicy | None
    """The policy that judged it: the one in force when it was lodged."""
    notices: tuple[Notice, ...] = ()
    """What lodging decided for it: a P1 not raised by phone accepted as P2 (PRIO-4), migration
    work capped at P2 (PRIO-5)."""
    lodged: tuple[str, int] | None = None
    """The file and line of its Lodged row."""
    again: bool = False
    """Whether these are the rows of a ticket that came before another's: all bad rows."""


_new: Final = tuple.__new__
"""Makes a :class:`Replayed` from a tuple of all its fields, in order, as fast as a plain tuple
(one a ticket): ``_new(Replayed, (...))``."""

_Lodging = tuple[LodgedFacts, Priority, Channel, Tier, Category, Tier, tuple[Notice, ...]]
"""What lodging decided: the facts as accepted, and each of them (spread once, not at each
ticket: a draft made from the facts spread in the call costs a fifth more), the escalation
ceiling, the notices."""
_Lodged = tuple[LifecyclePolicy, TicketDraft, tuple[Notice, ...], tuple[str, int]]
"""A ticket lodged: the policy in force, its draft, what lodging decided, and the file and line
of its Lodged row."""


class Replayer:
    """Replays the rows of one ticket after another under one policy, as of one instant.

    Given :class:`~westcoast_rules.PolicyVersions`, each ticket is replayed, its whole life,
    under the version in force when it was lodged. A Lodged row is taken as intake would take
    it (:func:`~westcoast_rules.intake.accept_priority`): a P1 raised by email or Helpcentre is
    a P2, with PRIO-4's notice, and migration work is capped at P2 (PRIO-5).

    With *as_of*, rows after it are not yet known and are left out, and each ticket is advanced
    to it. With *redecide*, the log's own AutoResolved and Closed rows are set aside and the
    policy decides them afresh. With *strict*, the first bad row raises
    :class:`~westcoast_rules.DataError`. With *history*, each draft keeps its events, so it can
    be frozen into a :class:`~westcoast_rules.Ticket`.

    A ticket's rows come together (a log given by its paths is grouped by ticket before, see
    :mod:`~westcoast_rules.batch.sources`): a ticket that comes back after another ticket is
    told apart, and its later rows are bad rows. Remembering the tickets seen costs some 100
    bytes each.
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
        self._policy = policies if isinstance(policies, SupportPolicy) else None
        """The policy of every ticket, when there are no versions to choose between."""
        self._lodgings: dict[tuple[int, LodgedFacts], _Lodging | TransitionError] = {}
        self._seen: dict[str, int] = {}
        """Each ticket replayed, and the line where its rows began."""

    def replay(  # noqa: PLR0912  (a ticket's whole replay in one frame: a call a ticket costs)
        self, rows: Sequence[Entry | RowError]
    ) -> Replayed | None:
        """One ticket's rows (in time order) replayed; ``None`` when every row is after the
        instant replayed to (the ticket is not known yet). A good Lodged row lodges the ticket
        whatever bad rows came before it; a later row of a ticket not lodged blames the
        ticket's first bad row, wherever it stood (most likely its Lodged row)."""
        if rows:
            first = rows[0]
            ticket = first.ticket
            if ticket is not None:  # else a bad row of no ticket, alone
                seen = self._seen
                if ticket in seen:
                    return self._again(rows, ticket, seen[ticket])
                seen[ticket] = first.line
        errors: list[RowError] = []
        remaining = iter(rows)
        lodging = self._first(remaining, rows, errors)
        if lodging is None:
            return Replayed(None, errors, None) if errors else None
        policy, draft, notices, lodged = lodging
        redecide, strict = self.redecide, self.strict
        known = _NEVER if self.as_of is None else self.as_of  # later rows are not known yet
        take, advance = draft.take, draft.advance
        for entry in remaining:  # the later rows: what time decided before each, then its event
            # A bad row; asked this way round, as isinstance looks up the __class__ of an
            # object that is not of the type, and most rows are entries.
            if not isinstance(entry, Entry):
                errors.append(entry)
            else:
                kind, at = entry.kind, entry.at
                if at > known or (redecide and kind in _BY_TIME):
                    continue  # not known yet as of the replay, or for the policy to decide
                try:
                    # What time decided before this event, asked of the draft only when one of
                    # its deadlines has come, as most events come before any: a call is a good
                    # part of what an event costs.
                    due, until = draft.auto_resolve_at, draft.reopen_until
                    if (due is not None and due <= at) or (until is not None and until <= at):
                        advance(policy, at)
                    if draft.last_at == at and kind in _BY_TIME and draft.last_event is kind:
                        continue  # already decided by time, as the log says
                    take(policy, kind, at, entry.every, entry.event)
                    continue
                except WestcoastRulesError as exc:
                    errors.append(RowError(entry.source, entry.line, entry.ticket, str(exc)))
            if strict:
                first = errors[0]
                raise DataError(first.message, source=first.source, line=first.line)
        if self.as_of is not None:  # what time decided by the instant replayed to
            try:
                advance(policy, self.as_of)
            except WestcoastRulesError as exc:  # e.g. a deadline past the calendar's years
                errors.append(unreportable(lodged, draft.id, exc))
                return _new(Replayed, (None, errors, policy, notices, lodged, False))
        return _new(Replayed, (draft, errors, policy, notices, lodged, False))

    def _first(
        self,
        remaining: Iterator[Entry | RowError],
        rows: Sequence[Entry | RowError],
        errors: list[RowError],
    ) -> _Lodged | None:
        """The ticket lodged by the first row of *remaining* that can lodge it (the rows before
        it added to *errors*); ``None`` when no row does, the rest of *remaining* then read.

        That row must be Lodged (PROC-1); the ticket is lodged under the policy in force then,
        its facts taken as intake takes them, with what lodging decided for it. A first row
        that is not Lodged after bad rows is not to blame: they are."""
        redecide, strict = self.redecide, self.strict
        known = _NEVER if self.as_of is None else self.as_of
        for entry in remaining:
            if not isinstance(entry, Entry):  # a bad row (asked so: see replay)
                errors.append(entry)
            else:
                ticket, at, facts = entry.ticket, entry.at, entry.facts
                if at > known or (redecide and entry.kind in _BY_TIME):
                    continue  # not known yet as of the replay, or for the policy to decide
                try:
                    if facts is None:
                        raise _unlodged(entry, rows, errors)
                    policy = self._policy or in_force(self.policies, at)
                    # The common case, facts met before, without a call: a ticket's calls
                    # are a good part of its replay.
                    lodging = self._lodgings.get((id(policy), facts))
                    if type(lodging) is not tuple:
                        lodging = self._lodging(policy, facts)
                    accepted, priority, channel, tier, category, ceiling, notices = lodging
                    history: list[Event] | None = None
                    if self.history:
                        event = entry.event
                        if event is None or accepted is not facts:
                            event = Lodged(ticket, from_micros(at, policy.calendar.zone), *accepted)
                        history = [event]
                    draft = TicketDraft(
                        ticket, at, priority, channel, tier, category, ceiling, history
                    )
                except WestcoastRulesError as exc:
                    errors.append(RowError(entry.source, entry.line, ticket, str(exc)))
                else:
                    return policy, draft, notices, (entry.source, entry.line)
            if strict:
                first = errors[0]
                raise DataError(first.message, source=first.source, line=first.line)
        return None

    def _again(self, rows: Sequence[Entry | RowError], ticket: str, began: int) -> Replayed:
        """The rows of a ticket replayed before (its rows began at line *began*): each a bad row.
        Every reader groups a log by ticket first
        (:func:`~westcoast_rules.batch.sources.by_ticket`), so this is the net under a log whose
        scan and reading disagree on a row's ticket, or rows given here by hand, ungrouped."""
        first = rows[0]
        message = (
            f"ticket {ticket} comes back after other tickets (its rows began at line {began}): "
            "its rows were not grouped by ticket; sort the log by ticket, or give it by its "
            "path, which is grouped by ticket"
        )
        errors = [RowError(row.source, row.line, ticket, message) for row in rows]
        if self.strict:
            raise DataError(message, source=first.source, line=first.line)
        return Replayed(None, errors, None, again=True)

    def _lodging(self, policy: LifecyclePolicy, facts: LodgedFacts) -> _Lodging:
        """What lodging *facts* under *policy* decides, remembered: the priority intake accepts
        (PRIO-4, PRIO-5) and the ceiling (ESC-3, ESC-4), or why it refuses."""
        key = (id(policy), facts)  # the policies live as long as this replayer
        known = self._lodgings.get(key)
        if known is None:
            try:
                try:
                    priority, notices = accept_priority(
                        policy, facts.priority, facts.channel, facts.category
                    )
                except InvalidEnquiryError as exc:  # this policy accepts no P1 by email
                    raise TransitionError(str(exc), rule="PRIO-4", event="Lodged") from None
                accepted = (
                    facts if priority is facts.priority else facts._replace(priority=priority)
                )
                known = (accepted, *accepted, lodging_ceiling(policy, *accepted), notices)
            except TransitionError as exc:
                known = exc
            self._lodgings[key] = known
        if isinstance(known, TransitionError):
            raise TransitionError(str(known), rule=known.rule, event=known.event)
        return known


def _unlodged(entry: Entry, rows: Sequence[Entry | RowError], errors: list[RowError]) -> DataError:
    """The error of a ticket's first row that is not Lodged (PROC-1); after bad *errors*, not
    this row's fault: theirs."""
    ticket = entry.ticket
    if errors:  # not this row's fault
        return DataError(_not_lodged(ticket, _blamed(rows, errors)))
    name = entry.kind.__name__
    if any(isinstance(row, Entry) and row.facts is not None for row in rows):
        return DataError(
            f"ticket {ticket}'s {name} is before its Lodged row: a ticket's events start with "
            "its lodging (PROC-1) and follow in time order (PROC-8); is its instant right?"
        )
    return DataError(
        f"ticket {ticket}'s first row is {name}, not Lodged (PROC-1); is that ticket's Lodged "
        "row in the log?"
    )


def _blamed(rows: Sequence[Entry | RowError], errors: list[RowError]) -> RowError:
    """The row to blame for a ticket not lodged: its first bad row as read, else the first
    refused."""
    return next((row for row in rows if isinstance(row, RowError)), errors[0])


def _not_lodged(ticket: str, error: RowError) -> str:
    return (
        f"not replayed: ticket {ticket} was not lodged, its row at line {error.line} being bad "
        "(see that row)"
    )


def unreportable(lodged: tuple[str, int], ticket: str, error: WestcoastRulesError) -> RowError:
    """The bad row that stands for a whole ticket the rules cannot judge, at its Lodged row."""
    return RowError(lodged[0], lodged[1], ticket, f"ticket {ticket} cannot be reported: {error}")


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
    for group in by_ticket(record_entries(records)):
        replayed = replayer.replay(group)
        if replayed is None:
            continue  # lodged after as_of: not known yet
        draft, errors, judge = replayed.draft, replayed.errors, replayed.policy
        ticket_id = group[0].ticket
        ticket = None if draft is None or judge is None else draft.freeze(judge)
        yield ReplayedTicket(ticket, ticket_id, tuple(errors), replayed.notices)
