"""A ticket table's SLA: :func:`westcoast_rules.frames.sla`."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, NamedTuple

import narwhals.stable.v2 as nw
import numpy as np

from westcoast_rules._array_instants import out_of_range
from westcoast_rules._instants import aware_micros
from westcoast_rules.calendar import BusinessCalendar
from westcoast_rules.errors import (
    BadRowsWarning,
    CalendarRangeError,
    DataError,
    InvalidEnquiryError,
    InvalidTimelineError,
    WestcoastRulesError,
    WrongTypeError,
)
from westcoast_rules.events import Resolved
from westcoast_rules.frames._columns import (
    ChoiceT,
    Columns,
    Flags,
    Ints,
    Native,
    RowValues,
    Words,
    as_frame,
    by_parts,
    choices_of,
    duration_series,
    first_policy,
    instants_of,
    require_columns,
    timestamp_series,
    versions_of,
    words_series,
)
from westcoast_rules.intake import response_terms
from westcoast_rules.policy import SupportPolicy
from westcoast_rules.priority import Channel, Priority
from westcoast_rules.scope import Category
from westcoast_rules.sla import NO_CONTACT, RESPONSE_STATES, first_contact, response_state
from westcoast_rules.targets import ResponseTarget, clock_elapsed, due_micros
from westcoast_rules.versions import Policies

# -- a ticket table --------------------------------------------------------------------------

_OPTIONAL: Final = {
    "resolved_at": "then no ticket is taken as resolved",
    "channel": "then each priority is taken as recorded, PRIO-4 unchecked",
    "category": "then every ticket is taken as service work, SLA-6 unchecked",
}
"""The columns sla reads when the table has them, and what giving their keyword as ``None``
means: nothing is assumed without being told."""


def sla(
    policy: Policies,
    tickets: Native,
    *,
    as_of: datetime,
    ticket: str = "ticket_id",
    priority: str = "priority",
    lodged_at: str = "created_at",
    responded_at: str = "first_response_at",
    resolved_at: str | None = "resolved_at",
    channel: str | None = "channel",
    category: str | None = "category",
    strict: bool = False,
) -> Native:
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

    Every keyword names a column of yours. *ticket*, *priority*, *lodged_at* and
    *responded_at* must be there; *resolved_at*, *channel* and *category* are read, and a
    table without the column named is refused unless the keyword is given as ``None``: then
    no ticket is resolved, the priority is taken as recorded, every ticket is service work. A
    missing column's error suggests the closest name the table has.

    The response is the first contact (SLA-1): a ticket resolved with no first response had
    its response at the resolution, and its time to respond never grows after it
    (:func:`~westcoast_rules.sla.first_contact`; ``SLA-1`` is then among its rules).
    Priorities, channels and categories are read case-insensitively, and any other value is
    refused, listing each with a row. A response after *as_of* is not known yet. A row
    without a priority or a lodging instant is not judged: its SLA columns are null.

    A row that cannot be judged (an instant outside what a datetime holds, or outside the
    years of the holiday data) gets null SLA columns, and one
    :class:`~westcoast_rules.BadRowsWarning` names every such row by its ticket; with
    ``strict=True`` the first raises instead (a :class:`~westcoast_rules.DataError`, or a
    :class:`~westcoast_rules.CalendarRangeError`), naming the row and the column.

    >>> import pandas as pd
    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> export = pd.DataFrame({
    ...     "ticket_id": ["WC-1", "WC-2", "WC-3"], "priority": ["P1", "p2", "P2"],
    ...     "channel": ["email", "phone", "phone"],
    ...     "created_at": pd.to_datetime(["2026-11-20 17:00", "2026-11-23 09:00",
    ...                                   "2026-11-23 09:00"]).tz_localize("Europe/London"),
    ...     "first_response_at": pd.to_datetime(["2026-11-23 10:00", None, None]).tz_localize(
    ...         "Europe/London"),
    ...     "resolved_at": pd.to_datetime([None, None, "2026-11-23 10:00"]).tz_localize(
    ...         "Europe/London")})
    >>> out = sla(WESTCOAST, export, as_of=datetime(2026, 11, 23, 15, tzinfo=LONDON),
    ...           category=None)
    >>> out[["sla_priority", "response", "rules"]].values.tolist()
    [['P2', 'met', 'PRIO-4 SLA-3'], ['P2', 'breached', 'SLA-3'], ['P2', 'met', 'SLA-3 SLA-1']]
    """
    now = aware_micros(as_of, "as_of")
    frame = as_frame(tickets, "tickets")
    required = {
        "ticket": ticket,
        "priority": priority,
        "lodged_at": lodged_at,
        "responded_at": responded_at,
    }
    for keyword, name in required.items():
        if not isinstance(name, str):
            raise WrongTypeError(
                f"{keyword}= must name a column of the tickets, got {name!r}: it cannot be left out"
            )
    wanted = required | {"resolved_at": resolved_at, "channel": channel, "category": category}
    require_columns(frame, "tickets", wanted, _OPTIONAL)
    facts = _Tickets(frame, wanted)
    judged = _judge(policy, facts, now)
    if facts.bad:
        _bad_rows(facts, strict)
    zone = first_policy(policy).calendar.zone
    backend = frame.implementation
    added = [
        words_series(backend, "sla_priority", judged.priority),
        timestamp_series(backend, "response_due", judged.due, ~judged.has_due, zone),
        words_series(backend, "response", judged.response),
        duration_series(backend, "time_to_respond", judged.used, ~judged.has_used),
        words_series(backend, "rules", judged.rules),
        words_series(backend, "policy_version", judged.version),
    ]
    # narwhals adds columns by position, so a pandas frame keeps its index.
    return nw.to_native(frame.with_columns(*added))  # type: ignore[no-any-return]


class _BadRow(NamedTuple):
    """Why a row could not be judged: the column, the error's type and its words."""

    column: str
    kind: type[WestcoastRulesError]
    message: str


def _bad_rows(facts: _Tickets, strict: bool) -> None:
    """Say which rows could not be judged: the first raised when *strict*, else one warning
    naming each row by its ticket."""
    rows = sorted(facts.bad)
    if strict:
        row = rows[0]
        bad = facts.bad[row]
        raise bad.kind(f"ticket {facts.ids[row]} (row {row}), column {bad.column!r}: {bad.message}")
    shown = "; ".join(
        f"{facts.ids[row]} (row {row}, column {facts.bad[row].column!r}: {facts.bad[row].message})"
        for row in rows[:5]
    )
    more = f"; and {len(rows) - 5} more" if len(rows) > 5 else ""
    warnings.warn(
        BadRowsWarning(
            f"{len(rows)} rows of tickets could not be judged, their SLA columns left null: "
            f"{shown}{more} (strict=True raises at the first)"
        ),
        stacklevel=3,
    )


class _Tickets:
    """The facts of a ticket table's rows, as columns: what judging them needs."""

    def __init__(self, frame: nw.DataFrame[Any], names: Mapping[str, str | None]) -> None:
        ticket, priority = names["ticket"], names["priority"]
        lodged_at, responded_at = names["lodged_at"], names["responded_at"]
        resolved_at = names["resolved_at"]
        assert ticket is not None
        assert priority is not None
        assert lodged_at is not None
        assert responded_at is not None
        self.length = length = len(frame)
        self.ids = RowValues(frame[ticket])
        self.bad: dict[int, _BadRow] = {}
        """The rows that cannot be judged, and why."""
        self.lodged, lodged_null = self._instants(frame, lodged_at)
        self.responded, responded_null = self._instants(frame, responded_at)
        if resolved_at is None:
            self.resolved, resolved_null = self.lodged, np.ones(length, dtype=bool)
        else:
            self.resolved, resolved_null = self._instants(frame, resolved_at)
        self.columns = {"lodged": lodged_at, "responded": responded_at, "resolved": resolved_at}
        self.priorities, self.priority_codes = choices_of(
            frame[priority], Priority, priority, self.ids
        )
        # A null channel is not known, taken as allowed (PRIO-4); a null category is service.
        self.channels, self.channel_codes = self._optional(frame, names["channel"], Channel, None)
        self.categories, self.category_codes = self._optional(
            frame, names["category"], Category, Category.SERVICE
        )
        bad = np.zeros(length, dtype=bool)
        bad[list(self.bad)] = True
        self.judged: Flags = ~lodged_null & (self.priority_codes >= 0) & ~bad
        """The rows that can be judged: with a priority and a lodging instant."""
        self.first_response: Ints = np.where(responded_null, NO_CONTACT, self.responded)
        self.resolution: Ints = np.where(resolved_null, NO_CONTACT, self.resolved)
        self._refuse_contact_before_lodging(lodged_null)

    def _instants(self, frame: nw.DataFrame[Any], name: str) -> tuple[Ints, Flags]:
        """A timestamp column's instants; a value out of range is a bad row (null here)."""
        found = instants_of(frame[name], name)
        for row in np.flatnonzero(found.out_of_range).tolist():
            message = out_of_range(found.raw, row, "the instant")
            self.bad.setdefault(row, _BadRow(name, DataError, message))
        return found.values, found.null | found.out_of_range

    def _refuse_contact_before_lodging(self, lodged_null: Flags) -> None:
        contact = np.minimum(self.first_response, self.resolution)
        early = np.flatnonzero(~lodged_null & (contact != NO_CONTACT) & (contact < self.lodged))
        if early.size:
            shown = ", ".join(f"{self.ids[i]} (row {i})" for i in early[:5].tolist())
            raise InvalidTimelineError(
                f"{early.size} tickets were responded to or resolved before they were lodged: "
                f"{shown}; there is no response before the incident is lodged, so check those "
                "instants"
            )

    def _optional(
        self,
        frame: nw.DataFrame[Any],
        name: str | None,
        kind: type[ChoiceT],
        default: ChoiceT | None,
    ) -> tuple[list[ChoiceT | None], Ints]:
        if name is None:
            return [default], np.zeros(self.length, dtype=np.int64)
        members, codes = choices_of(frame[name], kind, name, self.ids)
        members.append(default)
        codes[codes < 0] = len(members) - 1
        return members, codes


class _Judged(NamedTuple):
    """What judging a ticket table gives, column by column."""

    priority: Words
    due: Ints
    has_due: Flags
    response: Words
    used: Ints
    has_used: Flags
    rules: Words
    version: Words


_RESPONSES: Final = (*(state.value for state in RESPONSE_STATES), "no_target", None)
"""What the response column shows: each state, in the order response_state takes them from,
then work without a target (SLA-6), then a row not judged."""
_STATES: Final = np.arange(len(RESPONSE_STATES))
_NO_TARGET: Final = len(RESPONSE_STATES)
_NOT_JUDGED: Final = _NO_TARGET + 1


class _Terms(NamedTuple):
    """What intake decided for each combination of version, priority, channel and category
    the rows hold, and which combination each row holds."""

    of_row: Ints
    """Each row's combination (0 for a row not judged)."""
    rules: list[str | None]
    """The rules of each combination ``k``: at ``2k``, and at ``2k + 1`` with SLA-1 (the
    resolution was the first contact); ``None`` last."""
    priority: list[str | None]
    """The priority each combination's response is measured at (``None`` without a target);
    ``None`` last."""
    measure: Ints
    """The measure of each combination: its place in :attr:`measures`, -1 without a target."""
    measures: list[tuple[BusinessCalendar, ResponseTarget]]


def _first_contacts(
    chosen: list[SupportPolicy], version_codes: Ints, tickets: _Tickets, now: int
) -> tuple[Ints, Flags]:
    """Each row's response known by *now* (SLA-1: the first contact), and whether it was the
    resolution. A resolution is a contact only where the row's policy counts it as one."""
    counted = np.array([Resolved in policy.response_events for policy in chosen], dtype=bool)
    resolution = np.where(counted[version_codes], tickets.resolution, NO_CONTACT)
    contact = first_contact(tickets.first_response, resolution, now)  # SLA-1
    by_resolution = (contact != NO_CONTACT) & (contact == resolution)
    by_resolution &= contact < tickets.first_response  # the resolution was the first contact
    return contact, by_resolution


def _judge(policies: Policies, tickets: _Tickets, now: int) -> _Judged:
    """Judge the rows of a ticket table: each combination of version, priority, channel and
    category decided once by intake (:func:`~westcoast_rules.intake.response_terms`), each
    target's due and time to respond by the targets' own rules on columns, and the response
    by :func:`~westcoast_rules.sla.response_state` on columns."""
    length, judged = tickets.length, tickets.judged
    chosen, version_codes = versions_of(policies, tickets.lodged, ~judged)
    contact, by_resolution = _first_contacts(chosen, version_codes, tickets, now)
    terms = _decide(chosen, version_codes, tickets)
    due, has_due, used, has_used = _measure(terms, tickets, contact)
    bad = np.zeros(length, dtype=bool)
    bad[list(tickets.bad)] = True
    left = ~judged | bad  # rows without SLA columns: null
    of_row = terms.of_row
    response = np.where(left, _NOT_JUDGED, _NO_TARGET)
    response[has_due] = response_state(due[has_due], now, contact[has_due], _STATES)  # SLA-1
    names = [*(policy.version for policy in chosen), None]
    return _Judged(
        priority=Words(terms.priority, np.where(left, len(terms.priority) - 1, of_row)),
        due=due,
        has_due=has_due,
        response=Words(_RESPONSES, response),
        used=used,
        has_used=has_used,
        rules=Words(terms.rules, np.where(left, len(terms.rules) - 1, 2 * of_row + by_resolution)),
        version=Words(names, np.where(left, len(names) - 1, version_codes)),
    )


def _decide(chosen: list[SupportPolicy], version_codes: Ints, tickets: _Tickets) -> _Terms:
    """Each combination of version, priority, channel and category the judged rows hold,
    decided once by intake (PRIO-4, PRIO-5, SLA-2..4, SLA-6)."""
    judged = tickets.judged
    # A row's combination as one number, in the order of (version, priority, channel,
    # category): there are few (a few versions, three priorities, and the channels and
    # categories there are), so they are counted, never sorted.
    codes = (version_codes, tickets.priority_codes, tickets.channel_codes, tickets.category_codes)
    sizes = (len(chosen), len(tickets.priorities), len(tickets.channels), len(tickets.categories))
    key = np.zeros(tickets.length, dtype=np.int64)
    for column, size in zip(codes, sizes, strict=True):
        key = key * size + column
    key[~judged] = 0  # a row not judged may have no priority (-1): kept in range, never read
    held = np.flatnonzero(np.bincount(key[judged], minlength=1))
    combination = np.zeros(max(int(np.prod(sizes)), 1), dtype=np.int64)
    combination[held] = np.arange(len(held))
    of_row = combination[key]
    rules: list[str | None] = []
    priority: list[str | None] = []
    measure = np.full(len(held), -1, dtype=np.int64)
    measures: dict[tuple[int, ResponseTarget], int] = {}
    found: list[tuple[BusinessCalendar, ResponseTarget]] = []
    decoded = (part.tolist() for part in np.unravel_index(held, sizes))
    for k, (place, level, by, about) in enumerate(zip(*decoded, strict=True)):
        policy = chosen[place]
        raised = tickets.priorities[level]
        assert raised is not None
        category = tickets.categories[about] or Category.SERVICE
        try:
            terms = response_terms(policy, raised, tickets.channels[by], category)
        except InvalidEnquiryError as exc:  # a policy that accepts no P1 by email (PRIO-4)
            first = int(np.flatnonzero(judged & (of_row == k))[0])
            raise InvalidEnquiryError(f"ticket {tickets.ids[first]}: {exc}") from None
        decided = " ".join(terms.rules)
        rules += [decided, f"{decided} SLA-1"]
        target = terms.target
        priority.append(None if target is None else target.priority.value)
        if target is not None:
            calendar = policy.calendar
            number = measures.setdefault((id(calendar), target), len(found))
            if number == len(found):
                found.append((calendar, target))
            measure[k] = number
    return _Terms(of_row, [*rules, None], [*priority, None], measure, found)


def _measure(terms: _Terms, tickets: _Tickets, contact: Ints) -> tuple[Ints, Flags, Ints, Flags]:
    """The due and the time to respond of each row with a target, where the calendar can
    answer for it (the others are bad rows): all rows with one target on one calendar at
    once, by the targets' own rules on columns (SLA-2..4)."""
    length = tickets.length
    due = np.zeros(length, dtype=np.int64)
    used = np.zeros(length, dtype=np.int64)
    has_due = np.zeros(length, dtype=bool)
    has_used = np.zeros(length, dtype=bool)
    known = contact != NO_CONTACT
    measure_of = np.full(length, -1, dtype=np.int64)
    measure_of[tickets.judged] = terms.measure[terms.of_row[tickets.judged]]
    arithmetic: dict[int, Columns] = {}
    for number, (calendar, target) in enumerate(terms.measures):
        columns = arithmetic.setdefault(id(calendar), Columns(calendar))
        measure = _Measure(columns, target, tickets.lodged, contact, known)
        for part, found in by_parts(measure.answer, np.flatnonzero(measure_of == number)):
            if isinstance(found, CalendarRangeError):  # a bad row, the others answered
                row = int(part[0])
                column = measure.column(part, tickets)
                tickets.bad.setdefault(row, _BadRow(column, type(found), str(found)))
                continue
            part_due, part_used = found
            due[part] = part_due
            has_due[part] = True
            answered = part[known[part]]
            used[answered] = part_used[known[part]]
            has_used[answered] = True
    return due, has_due, used, has_used


class _Measure:
    """The due and the time to respond of a group of rows with one target, on columns; the
    rows the calendar cannot answer for (outside the years of its holiday data) are found by
    :func:`~westcoast_rules.frames._columns.by_parts`, and are bad rows."""

    def __init__(
        self, columns: Columns, target: ResponseTarget, lodged: Ints, contact: Ints, known: Flags
    ) -> None:
        self.columns, self.target = columns, target
        self.lodged, self.contact, self.known = lodged, contact, known

    def answer(self, rows: Ints) -> tuple[Ints, Ints]:
        """The due and the time to respond (0 where no contact is known) of *rows*."""
        due: Ints = due_micros(self.columns, self.target, self.lodged[rows])
        used = np.zeros(len(rows), dtype=np.int64)
        answered = self.known[rows]
        lodged, contact = self.lodged[rows][answered], self.contact[rows][answered]
        used[answered] = clock_elapsed(self.columns, self.target, lodged, contact)
        return due, used

    def column(self, rows: Ints, tickets: _Tickets) -> str:
        """The column of a bad row whose instant the calendar could not answer for."""
        try:
            due_micros(self.columns, self.target, self.lodged[rows])
        except CalendarRangeError:
            return str(tickets.columns["lodged"])
        row = int(rows[0])
        resolved = self.contact[row] == tickets.resolution[row]
        return str(tickets.columns["resolved" if resolved else "responded"])
