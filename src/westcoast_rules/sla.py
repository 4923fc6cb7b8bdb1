"""The SLA clock: how a response target stands at a given instant (SLA-1..4).

Pure functions of the ticket's facts and ``now``: the status (pending, met, breached), the
time remaining or overdue on the target's own clock (business time for business-hour
targets, real time for P1), the fraction used, and the instants at which given fractions are
reached, so a service can schedule its warnings instead of polling.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from westcoast_rules._choices import Choice
from westcoast_rules._instants import from_micros, require_aware, to_micros
from westcoast_rules.errors import InvalidTimelineError, WrongTypeError
from westcoast_rules.priority import Priority
from westcoast_rules.targets import (
    Clock,
    TargetPolicy,
    clock_add,
    clock_elapsed,
    due_micros,
    target_for,
)

if TYPE_CHECKING:  # the export's reading runs on numpy arrays too; numpy is not required
    import numpy as np
    import numpy.typing as npt

    _X = TypeVar("_X", int, npt.NDArray[np.int64])
    _Shown = TypeVar("_Shown", bound=np.generic)
else:
    _X = TypeVar("_X")
    _Shown = TypeVar("_Shown")

DEFAULT_MILESTONES: Final = (0.5, 0.75, 1.0)
"""The fractions of a response target whose instants the SLA clock reports by default."""

__all__ = [
    "Milestone",
    "ResponseState",
    "ResponseStatus",
    "response_status",
]


class ResponseState(Choice):
    """Where a response target stands."""

    PENDING = "pending"
    """No response yet, and the due instant has not passed."""
    MET = "met"
    """Responded at or before the due instant (SLA-1)."""
    BREACHED = "breached"
    """Responded after the due instant, or no response and the due instant has passed."""


@attrs.frozen
class Milestone:
    """The instant at which *fraction* of the target's allowance is used."""

    fraction: float
    at: datetime


@attrs.frozen
class ResponseStatus:
    """A response target as of one instant, on the target's own clock."""

    priority: Priority
    state: ResponseState
    lodged_at: datetime
    due: datetime
    as_of: datetime
    responded_at: datetime | None
    """The response, if it had happened by :attr:`as_of`."""
    clock: Clock
    allowance: timedelta
    """The whole target on its clock: 2 h real time (P1), 4 business hours (P2), or the
    business time from lodging to close of business on the next business day (P3)."""
    used: timedelta
    """Clock time from lodging to the response, or to :attr:`as_of` while there is none."""
    milestones: tuple[Milestone, ...]
    rules: tuple[str, ...]

    @property
    def remaining(self) -> timedelta:
        """Clock time left before the due instant; negative when overdue."""
        return self.allowance - self.used

    @property
    def overdue(self) -> timedelta:
        """Clock time past the due instant; zero while there is still time."""
        return max(-self.remaining, timedelta(0))

    @property
    def fraction_used(self) -> float:
        """How much of the allowance is used: 0.5 halfway, above 1.0 when overdue."""
        return self.used / self.allowance


NO_CONTACT: Final = 2**62
"""An instant after every other (year ~146,000): where a ticket has had no contact yet. Far
enough from int64's ends that a difference with any instant a datetime holds cannot wrap."""

RESPONSE_STATES: Final = (ResponseState.PENDING, ResponseState.MET, ResponseState.BREACHED)
"""The states in the order :func:`response_state` takes them from: pending, met, breached."""


@overload
def response_state(due: int, now: int, responded: int | None) -> ResponseState: ...


@overload
def response_state(
    due: npt.NDArray[np.int64],
    now: int,
    responded: npt.NDArray[np.int64],
    states: npt.NDArray[_Shown],
) -> npt.NDArray[_Shown]: ...


def response_state(due: Any, now: int, responded: Any, states: Any = RESPONSE_STATES) -> Any:
    """Where a target due at instant *due* stands at *now*, given the response, if any had
    happened by then: met when it came at or before the due instant (SLA-1), breached when it
    came later or when *now* is past the due instant without one, else pending.

    Ints, or numpy arrays of them row by row with :data:`NO_CONTACT` where there is no
    response, as :func:`first_contact`: one ticket and a table's column are decided by this
    one rule. The answer is taken from *states*, in the order of :data:`RESPONSE_STATES`: a
    member of it for one ticket, and for a column, an array of what the table shows.

    >>> response_state(5_000, now=9_000, responded=None)
    <ResponseState.BREACHED: 'breached'>
    >>> import numpy as np
    >>> words = np.array([state.value for state in RESPONSE_STATES], dtype=object)
    >>> due = np.array([5_000, 5_000, 10_000])
    >>> response_state(due, 9_000, np.array([4_000, NO_CONTACT, NO_CONTACT]), words).tolist()
    ['met', 'breached', 'pending']
    """
    if responded is None:
        responded = NO_CONTACT
    # Written with operators that ints and arrays share: one copy of the rule (SLA-1).
    met = responded <= due
    breached = (responded > due) & ((responded != NO_CONTACT) | (now > due))
    return states[met + 2 * breached]


def first_contact(first_response: _X, resolved: _X, now: int) -> _X:
    """SLA-1 in a helpdesk export, one row per ticket: the response, known by *now*.

    The response is Westcoast's first contact with the Reseller, and a resolution is one: a
    ticket resolved with no recorded first response had its response at the resolution, and
    its time to respond stops there, never growing after the ticket is resolved (SLA-1's
    decision). So the response is the earlier of the first response and the resolution,
    each counted only once it has happened by *now*.

    Instants are microseconds since the epoch, :data:`NO_CONTACT` where there is none; the
    result is :data:`NO_CONTACT` when neither is known by *now*. Ints and numpy arrays of
    them alike, row by row, so a table's columns and one ticket are read by this one rule.

    >>> first_contact(NO_CONTACT, 5_000, now=9_000)  # resolved, never acknowledged
    5000
    >>> first_contact(7_000, 5_000, now=9_000)  # the resolution was the first contact
    5000
    >>> first_contact(7_000, 12_000, now=9_000) == first_contact(7_000, NO_CONTACT, now=9_000)
    True
    """
    response = _by(first_response, now)
    resolution = _by(resolved, now)
    # The earlier of the two, written with operators that ints and arrays share (SLA-1).
    return resolution + (response - resolution) * (response < resolution)


def _by(instant: _X, now: int) -> _X:
    """*instant*, or :data:`NO_CONTACT` when it is after *now* (not known yet)."""
    return instant + (NO_CONTACT - instant) * (instant > now)


def require_lodged_by(lodged_at: datetime, now: datetime) -> tuple[int, int]:
    """The instants of *lodged_at* and *now*, which must be aware (HOURS-5) and in that order:
    there is no response clock before the incident is lodged."""
    lodged_at = require_aware(lodged_at, "lodged_at")
    now = require_aware(now, "now")
    lodged, as_of = to_micros(lodged_at), to_micros(now)
    if as_of < lodged:
        raise InvalidTimelineError(
            f"now ({now.isoformat()}) is before the incident was lodged "
            f"({lodged_at.isoformat()}): there is no response clock yet"
        )
    return lodged, as_of


def response_status(
    policy: TargetPolicy,
    priority: Priority,
    lodged_at: datetime,
    now: datetime,
    responded_at: datetime | None = None,
    *,
    milestones: Sequence[float] = DEFAULT_MILESTONES,
) -> ResponseStatus:
    """How the response target of an incident stands at *now* (SLA-1..4).

    A response after *now* has not happened yet as of *now*, so it is ignored. The status is
    MET when the response came at or before the due instant (SLA-1), BREACHED when it came
    later or when *now* is past the due instant without one, and PENDING otherwise.

    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> status = WESTCOAST.response_status(
    ...     Priority.P2, datetime(2026, 11, 20, 17, 0, tzinfo=LONDON),
    ...     now=datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
    >>> status.state, status.remaining, status.fraction_used
    (<ResponseState.PENDING: 'pending'>, datetime.timedelta(seconds=7200), 0.5)
    """
    target = target_for(policy, priority)
    lodged, as_of = require_lodged_by(lodged_at, now)
    responded = None
    if responded_at is not None:
        responded_at = require_aware(responded_at, "responded_at")
        responded = to_micros(responded_at)
        if responded < lodged:
            raise InvalidTimelineError(
                f"responded_at ({responded_at.isoformat()}) is before the incident was lodged "
                f"({lodged_at.isoformat()})"
            )
        if responded > as_of:
            responded = None
    if isinstance(milestones, str) or not isinstance(milestones, Sequence):
        raise WrongTypeError(f"milestones must be a sequence of fractions, got {milestones!r}")
    for fraction in milestones:
        if isinstance(fraction, bool) or not isinstance(fraction, int | float) or fraction <= 0:
            raise WrongTypeError(f"milestones must be positive fractions, got {fraction!r}")

    calendar = policy.calendar
    zone = calendar.zone
    open_time = calendar.open_time
    due = due_micros(open_time, target, lodged)
    allowance = clock_elapsed(open_time, target, lodged, due)
    used = clock_elapsed(open_time, target, lodged, as_of if responded is None else responded)
    marks = tuple(
        Milestone(f, from_micros(clock_add(open_time, target, lodged, round(allowance * f)), zone))
        for f in milestones
    )
    return ResponseStatus(
        priority=priority,
        state=response_state(due, as_of, responded),
        lodged_at=from_micros(lodged, zone),
        due=from_micros(due, zone),
        as_of=from_micros(as_of, zone),
        responded_at=None if responded is None else from_micros(responded, zone),
        clock=target.clock,
        allowance=timedelta(microseconds=allowance),
        used=timedelta(microseconds=used),
        milestones=marks,
        rules=("SLA-1", *target.rules),
    )
