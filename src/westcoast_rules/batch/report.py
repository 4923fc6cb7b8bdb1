"""The SLA report of a log: one row per ticket as of an instant, and a summary per priority.

Every way of asking for it (a file, a stream, the records of ``read_log``, a file cut into
pieces for several processes, a data frame, Dask's partitions) has its rows read and grouped by
ticket, in time order, by :mod:`~westcoast_rules.batch.sources`, and hands each ticket's rows to
one function, :meth:`Reporter.report`, which replays the ticket on the lifecycle's own table and
judges it with the SLA clock's own rules. Nothing is dropped silently: each ticket's bad rows
come just before its row.
"""

from __future__ import annotations

import contextlib
import math
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, NamedTuple, TypeVar

import attrs

from westcoast_rules._instants import (
    MICROS_PER_SECOND,
    aware_micros,
    from_micros,
    micros,
    to_micros,
)
from westcoast_rules.batch import pieces
from westcoast_rules.batch.log import RowError
from westcoast_rules.batch.replay import Replayer, unreportable
from westcoast_rules.batch.sources import (
    LogSource,
    TicketRows,
    by_ticket,
    file_entries,
    opened,
)
from westcoast_rules.calendar import OpenTime
from westcoast_rules.errors import WestcoastRulesError, WrongTypeError
from westcoast_rules.escalation import Tier
from westcoast_rules.lifecycle import LifecyclePolicy, State, Ticket, TicketDraft
from westcoast_rules.priority import Priority
from westcoast_rules.scope import Category, Notice
from westcoast_rules.sla import ResponseState, require_lodged_by, response_state
from westcoast_rules.targets import (
    Clock,
    ResponseTarget,
    clock_elapsed,
    due_micros,
)
from westcoast_rules.upcoming import DeadlineKind, upcoming_deadline
from westcoast_rules.upcoming import target_of as target_of  # noqa: PLC0414  (what-if reads it here)
from westcoast_rules.versions import Policies, in_force

__all__ = [
    "PrioritySummary",
    "SlaReport",
    "SlaSummary",
    "TicketRow",
    "report_log",
    "report_row",
    "sla_report",
]


class TicketRow(NamedTuple):
    """One ticket of an SLA report: a plain record that ``pandas.DataFrame(rows)`` takes."""

    ticket: str
    priority: str
    category: str
    lodged_at: datetime
    response_due: datetime | None
    responded_at: datetime | None
    response: str
    """``met``, ``breached`` or ``pending`` as of the report's instant; ``no_target`` (SLA-6)."""
    time_to_respond: timedelta | None
    """From lodging to the response on the target's clock: business time for P2 and P3, real
    time for P1."""
    state: str
    tier: int
    next_deadline: datetime | None
    next_deadline_kind: str | None
    """``response``, ``chase``, ``auto_resolve`` or ``reopen_window_ends``."""
    bad_rows: int
    policy_version: str
    """The version of the policy that judged the ticket: the one in force when it was lodged."""
    notices: str | None
    """What lodging decided, each with its rule, as intake says it: "... is accepted as P2.
    Please phone the support desk for P1 handling. (PRIO-4)"; ``None`` when nothing changed."""


class PrioritySummary(NamedTuple):
    """The SLA summary of one priority."""

    priority: str
    tickets: int
    met: int
    breached: int
    pending: int
    no_target: int
    breach_rate: float | None
    """Breached over decided (met + breached); ``None`` when nothing is decided yet."""
    median_response_hours: float | None
    p90_response_hours: float | None


_MINUTE: Final = 60 * MICROS_PER_SECOND
_Used = TypeVar("_Used")


def whole_minutes(used: _Used) -> _Used:
    """A time to respond in microseconds as the summaries count it: in whole minutes, rounded
    up. For one time, or a numpy column of them."""
    return -(-used // _MINUTE)  # type: ignore[operator, no-any-return]


@attrs.define
class SlaSummary:
    """Counts and response-time distributions, accumulated row by row in bounded memory.

    Response times are kept as a histogram of whole minutes, so the median and 90th
    percentile are exact to the minute whatever the number of tickets.
    """

    counts: dict[str, Counter[str]] = attrs.Factory(dict)
    minutes: dict[str, Counter[int]] = attrs.Factory(dict)
    bad_rows: int = 0
    unreadable_tickets: int = 0
    versions: dict[str, SlaSummary] = attrs.Factory(dict)
    """The same counts for the tickets of each policy version that judged some."""

    def add(self, row: TicketRow) -> None:
        """Count *row* in its priority's summary, and in its policy version's."""
        used = row.time_to_respond
        time_to_respond = None if used is None else micros(used)
        self.count(row.priority, row.response, time_to_respond, row.policy_version)
        self.bad_rows += row.bad_rows

    @property
    def tickets(self) -> int:
        """How many tickets are counted, the unreadable ones included."""
        return sum(counts.total() for counts in self.counts.values()) + self.unreadable_tickets

    def merge(self, other: SlaSummary) -> None:
        """Add the counts of *other*: the summary of another part of the same report."""
        for priority, counts in other.counts.items():
            self.counts.setdefault(priority, Counter()).update(counts)
        for priority, minutes in other.minutes.items():
            self.minutes.setdefault(priority, Counter()).update(minutes)
        self.bad_rows += other.bad_rows
        self.unreadable_tickets += other.unreadable_tickets
        for version, part in other.versions.items():
            self.versions.setdefault(version, SlaSummary()).merge(part)

    def count(
        self, priority: str, response: str, used: int | None, version: str | None = None
    ) -> None:
        """Count one ticket; *used* is its time to respond in microseconds, *version* the
        policy version that judged it."""
        minute = None if used is None else whole_minutes(used)
        summaries: tuple[SlaSummary, ...] = (self,)
        if version is not None:
            part = self.versions.get(version)
            if part is None:
                part = self.versions[version] = SlaSummary()
            summaries = (part, self)
        # The ticket counted in each, its version's part first: a loop, not a call per summary
        # (a report counts every ticket twice).
        for summary in summaries:
            try:
                summary.counts[priority][response] += 1
            except KeyError:  # the first ticket of its priority
                summary.counts[priority] = Counter({response: 1})
            if minute is not None:
                try:
                    summary.minutes[priority][minute] += 1
                except KeyError:
                    summary.minutes[priority] = Counter({minute: 1})

    def priorities(self) -> tuple[PrioritySummary, ...]:
        """One summary per priority seen, P1 first."""
        result = []
        for priority in sorted(self.counts):
            counts = self.counts[priority]
            decided = counts["met"] + counts["breached"]
            histogram = self.minutes.get(priority, Counter())
            result.append(
                PrioritySummary(
                    priority=priority,
                    tickets=sum(counts.values()),
                    met=counts["met"],
                    breached=counts["breached"],
                    pending=counts["pending"],
                    no_target=counts["no_target"],
                    breach_rate=counts["breached"] / decided if decided else None,
                    median_response_hours=_quantile_hours(histogram, 0.5),
                    p90_response_hours=_quantile_hours(histogram, 0.9),
                )
            )
        return tuple(result)


def _quantile_hours(histogram: Counter[int], q: float) -> float | None:
    """The nearest-rank *q* quantile of a histogram of minutes, in hours."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for minute in sorted(histogram):
        seen += histogram[minute]
        if seen >= rank:
            return minute / 60
    raise AssertionError("unreachable: the ranks add up to the total")


@attrs.frozen
class SlaReport:
    """An SLA report held in memory: rows, the summary per priority, and the bad rows."""

    as_of: datetime
    rows: tuple[TicketRow, ...]
    summary: tuple[PrioritySummary, ...]
    errors: tuple[RowError, ...]


class Verdict(NamedTuple):
    """How a ticket stands as of the report's instant, on instants: a :class:`TicketRow` but
    for the ticket's own facts."""

    response_due: int | None
    response: str
    time_to_respond: int | None
    next_deadline: int | None
    next_deadline_kind: str | None


_PENDING: Final = ResponseState.PENDING
_RESPONSE_WORDS: Final[dict[ResponseState | None, str]] = {
    None: "no_target",  # work without a target (SLA-6)
    **{state: state.value for state in ResponseState},
}
_PRIORITY_WORDS: Final = {priority: priority.value for priority in Priority}
_KIND_WORDS: Final = {kind: kind.value for kind in DeadlineKind}
_CATEGORY_WORDS: Final = {category: category.value for category in Category}
_STATE_WORDS: Final = {state: state.value for state in State}
_TIER_NUMBERS: Final = {tier: int(tier) for tier in Tier}
"""The words of the members, looked up once: an enum's ``value`` costs a function call."""
_UNKNOWN: Final = ResponseTarget(Priority.P1, Clock.REAL_TIME, timedelta(hours=1), ())
"""A target no policy has: the mark of a (policy, priority, category) not yet looked up."""
_new: Final = tuple.__new__
"""Makes a :class:`Verdict` or a :class:`TicketRow` from a tuple of its fields, in order, as
fast as a plain tuple (a report makes one of each per ticket): ``_new(Verdict, (...))``."""


def response_of(
    calendar: OpenTime, draft: TicketDraft, as_of: int, target: ResponseTarget | None
) -> tuple[int | None, ResponseState | None, int | None]:
    """How *draft*'s response stands at instant *as_of* against *target* (``None`` for work
    without one, SLA-6): when it is due, its state (``None`` without a target), and when it was
    made, if known by then. What :func:`judge` and a what-if's comparison both read."""
    if target is None:
        return None, None, None
    due = due_micros(calendar, target, draft.lodged_at)
    responded = draft.responded_at
    if responded is not None and responded > as_of:
        responded = None  # not known yet as of the report
    return due, response_state(due, as_of, responded), responded


def word_of(state: ResponseState | None) -> str:
    """The report's word for a response's state: ``no_target`` for work without one (SLA-6)."""
    return _RESPONSE_WORDS[state]


def judge(
    policy: LifecyclePolicy, draft: TicketDraft, as_of: int, target: ResponseTarget | None
) -> Verdict:
    """How *draft* stands at instant *as_of*: its response against *target* (``None`` for work
    without one, SLA-6) and the next deadline time will decide."""
    calendar = policy.calendar.open_time
    due, state, responded = response_of(calendar, draft, as_of, target)
    used = pending_due = None
    if state is _PENDING:
        pending_due = due
    if responded is not None and target is not None:
        used = clock_elapsed(calendar, target, draft.lodged_at, responded)
    response = _RESPONSE_WORDS[state]  # word_of's words, without a call: the report's hot path
    upcoming = upcoming_deadline(policy, draft, as_of, pending_due, target)
    if upcoming is None:
        return _new(Verdict, (due, response, used, None, None))
    return _new(Verdict, (due, response, used, upcoming.at, _KIND_WORDS[upcoming.kind]))


def _ticket_row(
    policy: LifecyclePolicy,
    draft: TicketDraft,
    verdict: Verdict,
    bad_rows: int,
    notices: tuple[Notice, ...] = (),
) -> TicketRow:
    zone = policy.calendar.zone
    due, response, used, at, kind = verdict
    responded = draft.responded_at
    response_due = None if due is None else from_micros(due, zone)
    next_deadline = response_due  # a pending response's due is its next: the datetime made once
    if at != due:
        next_deadline = None if at is None else from_micros(at, zone)
    return _new(
        TicketRow,
        (
            draft.id,
            _PRIORITY_WORDS[draft.priority],
            _CATEGORY_WORDS[draft.category],
            from_micros(draft.lodged_at, zone),
            response_due,
            None if responded is None else from_micros(responded, zone),
            response,
            None if used is None else timedelta(microseconds=used),
            _STATE_WORDS[draft.state],
            _TIER_NUMBERS[draft.tier],
            next_deadline,
            kind,
            bad_rows,
            policy.version,
            (" ".join(map(str, notices)) or None) if notices else None,
        ),
    )


def report_row(
    policies: Policies, ticket: Ticket, as_of: datetime, *, bad_rows: int = 0
) -> TicketRow:
    """The SLA report's row of *ticket* as of *as_of*, under the policy (or the version of it
    in force when the ticket was lodged)."""
    if not isinstance(ticket, Ticket):
        raise WrongTypeError(f"expected a Ticket (from policy.lodge), got {ticket!r}")
    policy = in_force(policies, to_micros(ticket.lodged_at))
    target = target_of(policy, ticket.priority, ticket.category)
    if target is not None:
        require_lodged_by(ticket.lodged_at, as_of)
    draft = TicketDraft.of(ticket)
    verdict = judge(policy, draft, aware_micros(as_of, "as_of"), target)
    return _ticket_row(policy, draft, verdict, bad_rows)


class Reporter:
    """Reports the tickets of a log under a policy (or its versions), as of one instant:
    replays each ticket (:class:`~westcoast_rules.batch.replay.Replayer`) and judges it
    (:func:`judge`) under the policy that replayed it."""

    def __init__(self, policies: Policies, as_of: int, *, strict: bool = False) -> None:
        self.as_of = as_of
        self.replayer = Replayer(policies, as_of=as_of, strict=strict)
        self._targets: dict[tuple[int, Priority, Category], ResponseTarget | None] = {}

    def report(
        self,
        tickets: Iterable[TicketRows],
        summary: SlaSummary | None = None,
        *,
        rows_wanted: bool = True,
        progress: Callable[[], object] | None = None,
    ) -> Iterator[TicketRow | RowError]:
        """The report of *tickets*, each a ticket's rows in time order (or a bad row of no
        ticket, alone), as :func:`~westcoast_rules.batch.sources.by_ticket` gives them: each
        ticket's bad rows, then its :class:`TicketRow` (when *rows_wanted*); each ticket is
        also counted in *summary*. *progress* is called once per ticket reported."""
        as_of, replay, targets = self.as_of, self.replayer.replay, self._targets
        for group in tickets:
            replayed = replay(group)
            if replayed is None:
                continue  # lodged after the report's instant: not known yet
            draft, errors, policy, notices, lodged, again = replayed
            verdict = row = None
            if draft is not None and policy is not None and lodged is not None:
                key = (id(policy), draft.priority, draft.category)  # policies outlive this
                target = targets.get(key, _UNKNOWN)
                if target is _UNKNOWN:
                    target = targets[key] = target_of(policy, draft.priority, draft.category)
                try:
                    verdict = judge(policy, draft, as_of, target)
                    if rows_wanted:
                        row = _ticket_row(policy, draft, verdict, len(errors), notices)
                except WestcoastRulesError as exc:  # e.g. a due past the calendar's years
                    errors = [*errors, unreportable(lodged, draft.id, exc)]
                    verdict = row = None
            if errors:
                yield from errors
            a_ticket = not again and group[0].ticket is not None
            if summary is not None:
                summary.bad_rows += len(errors)
                if verdict is not None and draft is not None and policy is not None:
                    priority = _PRIORITY_WORDS[draft.priority]
                    summary.count(
                        priority, verdict.response, verdict.time_to_respond, policy.version
                    )
                elif a_ticket:
                    summary.unreadable_tickets += 1
            if row is not None:
                yield row
            if progress is not None and a_ticket:
                progress()


def report_log(
    policy: Policies,
    source: LogSource,
    *,
    as_of: datetime,
    strict: bool = False,
    summary: SlaSummary | None = None,
    rows: bool = True,
    format: str | None = None,
    progress: Callable[[], object] | None = None,
    jobs: int = 1,
) -> Iterator[TicketRow | RowError]:
    """The SLA report of a log, streamed: a :class:`TicketRow` per ticket, and every bad row.

    *source* is a log file (CSV, JSON Lines or Parquet, by its suffix or *format*), a list of
    them (one log, read in their order), an open stream, or the records of :func:`read_log`,
    its rows in any order: each ticket's rows are put together and in time order before it is
    replayed (:mod:`~westcoast_rules.batch.sources` says how, and what that costs in memory),
    so a log in any order gives the rows of the same log in order. *policy* may be
    :class:`~westcoast_rules.PolicyVersions`:
    each ticket is judged by the version in force when it was lodged. Each ticket's bad rows
    (:class:`RowError`) come just before its row, so nothing is lost; ``strict=True`` raises at
    the first instead. With *summary*, each ticket is also counted in it as it is reported (in
    several processes, a piece's tickets once its rows are all given); ``rows=False`` then yields
    only the bad rows, for a summary alone. *progress* is called once per ticket.

    With *jobs* above 1, a CSV or JSON Lines file given by its path, its tickets together, is
    cut into pieces of whole tickets that that many processes report; the results come back in
    file order, the same as from one process. A file of one piece (under 4 MB), a log in
    another order, several files, a stream or records is reported here.

    Every source is replayed on the lifecycle's own table and judged by the SLA clock's own
    rules, ticket by ticket, as :func:`replay_log` and :func:`report_row` would.

    >>> import io
    >>> from westcoast_rules import LONDON, WESTCOAST
    >>> log = io.StringIO(chr(10).join([
    ...     "ticket,event,at,priority,channel",
    ...     "WC-1,Lodged,2026-11-20T17:00:00+00:00[Europe/London],P2,email",
    ...     "WC-1,Acknowledged,2026-11-23T10:30:00+00:00[Europe/London],,"]))
    >>> as_of = datetime(2026, 12, 1, tzinfo=LONDON)
    >>> [(row.ticket, row.response) for row in report_log(WESTCOAST, log, as_of=as_of,
    ...                                                     format="csv")]
    [('WC-1', 'met')]
    """
    as_of_micros = aware_micros(as_of, "as_of")  # checked before any reading (HOURS-5)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise WrongTypeError(f"jobs must be a whole number of processes, 1 or more; got {jobs!r}")
    with opened(source, format, jobs=jobs) as log:
        if log.cut is not None:
            job = _Job(policy, log.cut.path, log.cut.format, as_of_micros, strict, rows)
            if (yield from _report_in_processes(job, log.cut, jobs, summary, progress)):
                return
        # In this process: any other log, or one whose cut could not be used (its tickets'
        # rows were found apart by the scan that ran beside the pieces' work).
        reporter = Reporter(policy, as_of_micros, strict=strict)
        yield from reporter.report(log.tickets, summary, rows_wanted=rows, progress=progress)


# -- in processes ------------------------------------------------------------------------------


class _Job(NamedTuple):
    """What every piece of one report shares."""

    policy: Policies
    path: Path
    format: str
    as_of: int
    strict: bool
    rows: bool


class _PieceReport(NamedTuple):
    summary: SlaSummary
    items: list[TicketRow | RowError]
    error: WestcoastRulesError | None


_job: list[_Job] = []
"""This worker process's job, set once when it starts."""


def _start_worker(job: _Job) -> None:
    _job[:] = [job]


def _report_lines(
    job: _Job,
    piece: pieces.Piece,
    summary: SlaSummary | None,
    progress: Callable[[], object] | None,
) -> Iterator[TicketRow | RowError]:
    """The report of one piece of the job's file."""
    reporter = Reporter(job.policy, job.as_of, strict=job.strict)
    with file_entries(job.path, job.format, piece=piece) as log:  # whole tickets, together
        tickets = by_ticket(log, together=True)
        yield from reporter.report(tickets, summary, rows_wanted=job.rows, progress=progress)


def _report_piece(piece: pieces.Piece) -> _PieceReport:
    """In a worker: the report of one piece, whole, to send back."""
    job = _job[0]
    summary = SlaSummary()
    items: list[TicketRow | RowError] = []
    try:
        items.extend(_report_lines(job, piece, summary, None))
    except WestcoastRulesError as exc:
        return _PieceReport(summary, items, exc)
    return _PieceReport(summary, items, None)


def _report_in_processes(
    job: _Job,
    cut: pieces.Cut,
    jobs: int,
    summary: SlaSummary | None,
    progress: Callable[[], object] | None,
) -> Generator[TicketRow | RowError, None, bool]:
    """The report of the job's file from its pieces, in *jobs* processes; ``False`` (and
    nothing reported) when the cut cannot be used: the scan of the file, run beside the first
    pieces' work, found a ticket's rows apart."""
    results = pieces.in_processes(
        _report_piece,
        cut.pieces,
        jobs=jobs,
        initializer=_start_worker,
        initargs=(job,),
        check=cut.together,
    )
    # Closed here when the report stops early (strict, or a reader that stops reading), not by
    # the garbage collector in whichever thread it runs: the pool must be shut down by us.
    with contextlib.closing(results):
        for result in results:
            if isinstance(result, pieces.Dropped):
                return False
            if isinstance(result, pieces.Piece):  # the rest, which could not be cut: stream it
                yield from _report_lines(job, result, summary, progress)
                continue
            yield from result.items
            if summary is not None:
                summary.merge(result.summary)
            if progress is not None:
                for _ in range(result.summary.tickets):
                    progress()
            if result.error is not None:
                raise result.error
    return True


def sla_report(
    policy: Policies,
    source: LogSource,
    *,
    as_of: datetime,
    strict: bool = False,
    format: str | None = None,
    jobs: int = 1,
) -> SlaReport:
    """The SLA report of a whole log, in memory: convenient in a notebook.

    *source* is as for :func:`report_log`, and so are *strict*, *format* and *jobs*. For files
    too large to hold, iterate :func:`report_log` with an :class:`SlaSummary`, as the command
    line does.
    """
    summary = SlaSummary()
    rows: list[TicketRow] = []
    errors: list[RowError] = []
    report = report_log(
        policy, source, as_of=as_of, strict=strict, summary=summary, format=format, jobs=jobs
    )
    for item in report:
        if isinstance(item, RowError):
            errors.append(item)
        else:
            rows.append(item)
    return SlaReport(as_of, tuple(rows), summary.priorities(), tuple(errors))
