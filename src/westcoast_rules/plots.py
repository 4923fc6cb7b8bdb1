"""Pictures for people: breach rates over time, response times against their targets, and one
ticket's story, each a matplotlib :class:`~matplotlib.figure.Figure`.

Nothing here decides anything. The counts and breach rates are
:class:`~westcoast_rules.batch.SlaSummary`'s, the targets are the policy's, every instant of a
ticket's story (open hours, closed days, deadlines, chases) is the calendar's and the
lifecycle's: a plot draws what the library says, so it cannot disagree with a report.

The figures are built on :class:`matplotlib.figure.Figure` directly, not on ``pyplot``: no
global state, no display needed, safe in a server or a test. In a notebook a figure left as a
cell's value shows itself (without pyplot); anywhere, ``figure.savefig("breaches.png")`` saves
it. Needs the ``[plots]`` extra (matplotlib).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, Final, NamedTuple

from westcoast_rules._hints import missing_column
from westcoast_rules._instants import from_micros, micros, require_aware, to_micros
from westcoast_rules.batch.report import SlaReport, SlaSummary, TicketRow
from westcoast_rules.errors import (
    DataError,
    InvalidTimelineError,
    MissingExtraError,
    NaiveDatetimeError,
    WrongTypeError,
)
from westcoast_rules.lifecycle import State, Ticket
from westcoast_rules.policy import WESTCOAST, SupportPolicy
from westcoast_rules.priority import Priority
from westcoast_rules.targets import ResponseTarget, clock_elapsed
from westcoast_rules.versions import Policies, in_force

try:
    import matplotlib.dates as mdates
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter
except ImportError as missing:  # pragma: no cover - only without the extra
    raise MissingExtraError(
        "westcoast_rules.plots needs matplotlib, which is not installed: "
        'pip install "westcoast-rules[plots]"'
    ) from missing

__all__ = ["PERIODS", "breach_rate", "response_times", "timeline"]

PERIODS: Final = ("month", "week")
"""What :func:`breach_rate` groups tickets by: the month (``"2026-03"``) or the ISO week
(``"2026-W09"``) in which each was lodged, in the zone of its lodging instant."""


class _Figure(Figure):
    """A matplotlib Figure that shows itself in a notebook: no pyplot, no inline backend."""

    def _repr_png_(self) -> bytes:
        picture = io.BytesIO()
        self.savefig(picture, format="png")
        return picture.getvalue()


_COLOURS: Final = {"P1": "tab:red", "P2": "tab:orange", "P3": "tab:blue"}


# -- rows in ------------------------------------------------------------------------------------


class _Row(NamedTuple):
    """What the plots read of a report row."""

    priority: str
    response: str
    lodged_at: datetime
    response_due: datetime | None
    time_to_respond: timedelta | None


_FIELDS: Final = _Row._fields


def _rows(rows: object, lodged_at: str) -> list[_Row]:
    """The report rows of *rows*: an SlaReport, TicketRows, or a data frame of them (of
    :func:`~westcoast_rules.frames.report` or :func:`~westcoast_rules.frames.sla`, its
    lodging column named by *lodged_at*). Rows without a measured priority (no target,
    SLA-6) have nothing to draw and are left out."""
    if isinstance(rows, SlaReport):
        rows = rows.rows
    if isinstance(rows, Iterable) and not hasattr(rows, "columns"):
        given = list(rows)
        wrong = next((row for row in given if not isinstance(row, TicketRow)), None)
        if wrong is not None:
            raise WrongTypeError(
                f"rows must be TicketRows (from batch.sla_report or batch.report_log), got "
                f"{type(wrong).__name__} {wrong!r:.80}; pass the report, its rows, or a frame of "
                "them (frames.report)"
            )
        return [_Row(*(getattr(row, name) for name in _FIELDS)) for row in given]
    return [row for row in _frame_rows(rows, lodged_at) if row.priority is not None]


_INSTANT_FIELDS: Final = frozenset({"lodged_at", "response_due"})


def _frame_rows(native: Any, lodged_at: str) -> list[_Row]:
    """The rows of a data frame of report rows (pandas, Polars or PyArrow): report's, whose
    ``priority`` is the one measured, or sla's, whose ``sla_priority`` is."""
    try:
        import narwhals.stable.v2 as nw  # noqa: PLC0415  (only a frame needs it)

    except ImportError as missing:  # pragma: no cover - only without the extra
        raise MissingExtraError(
            'plots of a data frame need numpy and narwhals: pip install "westcoast-rules[frames]"'
        ) from missing
    try:
        frame = nw.from_native(native, eager_only=True)
    except TypeError:
        raise WrongTypeError(
            "rows must be an SlaReport, a list of TicketRows or a data frame of them (pandas, "
            f"Polars or PyArrow), got {type(native).__name__}"
        ) from None
    present = [str(column) for column in frame.columns]
    named = dict(zip(_FIELDS, _FIELDS, strict=True))
    named["priority"] = "sla_priority" if "sla_priority" in present else "priority"
    named["lodged_at"] = lodged_at
    if lodged_at not in present:
        free = [other for other in present if other not in named.values()]
        raise DataError(missing_column("the frame", present, free, "lodged_at", lodged_at))
    missing_columns = [column for column in named.values() if column not in present]
    if missing_columns:
        raise DataError(
            f"the frame has no column {', '.join(map(repr, missing_columns))}: plot a frame of "
            "report rows, with TicketRow's columns (frames.report gives one), or of "
            "frames.sla's rows"
        )
    columns = []
    for field, name in named.items():
        series = frame[name]
        dtype = series.dtype
        if field in _INSTANT_FIELDS and isinstance(dtype, nw.Datetime | nw.String):
            _require_zoned(name, dtype, nw)
        nulls = series.is_null().to_list()
        columns.append(
            [None if null else _python(v) for v, null in zip(series, nulls, strict=True)]
        )
    return [_Row(*values) for values in zip(*columns, strict=True)]


def _require_zoned(name: str, dtype: Any, nw: Any) -> None:
    """Refuse a column of instants that holds text, or timestamps without a zone (HOURS-5),
    saying how to convert it."""
    if isinstance(dtype, nw.String):
        raise WrongTypeError(
            f"column {name!r} holds text, not timestamps: convert it first, e.g. "
            f'pandas.to_datetime(frame[{name!r}], utc=True, format="ISO8601") (which reads '
            "whole and fractional seconds alike) or, in Polars, "
            ".str.to_datetime(time_zone='UTC')"
        )
    if dtype.time_zone is None:
        raise NaiveDatetimeError(
            f"column {name!r} holds timestamps without a time zone (HOURS-5): say where "
            "they were recorded, e.g. .dt.tz_localize('Europe/London') in pandas"
        )


def _python(value: Any) -> Any:
    """A frame's cell as Python has it: pandas' Timestamp and Timedelta become datetime and
    timedelta."""
    for convert in ("to_pydatetime", "to_pytimedelta"):
        method = getattr(value, convert, None)
        if method is not None:
            return method()
    return value


# -- breach rates -------------------------------------------------------------------------------


def _period(at: datetime, by: str) -> str:
    if by == "month":
        return f"{at.year:04d}-{at.month:02d}"
    year, week, _ = at.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _period_labels(seen: Iterable[datetime], by: str) -> list[str]:
    """Every period from the first lodging to the last, those with no ticket included."""
    days = sorted(at.date() for at in seen)
    if not days:
        return []
    first, last = days[0], days[-1]
    labels: list[str] = []
    if by == "month":
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return labels
    day = first - timedelta(days=first.weekday())
    while day <= last:
        labels.append(_period(datetime.combine(day, time()), "week"))
        day += timedelta(days=7)
    return labels


def breach_rate(rows: object, *, by: str = "month", lodged_at: str = "lodged_at") -> Figure:
    """The breach rate of each priority, period by period, and the counts behind each point.

    The top axes draw, for each priority, the breach rate of the tickets lodged in each month
    (or ISO week): breached over decided (met plus breached, SLA-1), as
    :class:`~westcoast_rules.batch.SlaSummary` counts it; a period with nothing decided is a
    gap. The bottom axes draw the decided tickets behind each point, one bar per priority.

    Args:
        rows: an :class:`~westcoast_rules.batch.SlaReport`, its
            :class:`~westcoast_rules.batch.TicketRow`\\ s, or a data frame of them (pandas,
            Polars or PyArrow, such as :func:`westcoast_rules.frames.report` gives), or
            :func:`westcoast_rules.frames.sla`'s rows, drawn at the priority each response
            was measured at (``sla_priority``).
        by: ``"month"`` or ``"week"`` of lodging (:data:`PERIODS`), in the zone of the
            lodging instants (the policy's).
        lodged_at: the column of a frame that holds the lodging instants: ``"lodged_at"`` in
            report's rows, ``"created_at"`` (or yours) in sla's.

    Returns:
        The figure; its axes are ``figure.axes[0]`` (breach rates, one line per priority,
        labelled ``"P1"``...) and ``figure.axes[1]`` (decided tickets, one bar container per
        priority).

    >>> from datetime import datetime
    >>> from westcoast_rules import LONDON, WESTCOAST, batch
    >>> report = batch.sla_report(WESTCOAST, "examples/westcoast_events.csv",
    ...                           as_of=datetime(2026, 12, 31, 12, tzinfo=LONDON))
    >>> figure = breach_rate(report)
    >>> [line.get_label() for line in figure.axes[0].lines]
    ['P1', 'P2', 'P3']
    """
    if by not in PERIODS:
        raise DataError(f"by must be one of {', '.join(map(repr, PERIODS))}, got {by!r}")
    given = _rows(rows, lodged_at)
    periods = _period_labels((row.lodged_at for row in given), by)
    summaries = {period: SlaSummary() for period in periods}
    for row in given:
        summaries[_period(row.lodged_at, by)].count(row.priority, row.response, None)
    per_priority: dict[str, list[tuple[float, int]]] = {}
    for position, period in enumerate(periods):
        for line in summaries[period].priorities():
            points = per_priority.setdefault(line.priority, [(math.nan, 0)] * len(periods))
            rate = math.nan if line.breach_rate is None else line.breach_rate
            points[position] = (rate, line.met + line.breached)

    figure = _Figure(figsize=(10, 6.5), layout="constrained")
    rates, counts = figure.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    x = list(range(len(periods)))
    width = 0.8 / max(1, len(per_priority))
    for i, (priority, points) in enumerate(sorted(per_priority.items())):
        colour = _COLOURS.get(priority)
        rates.plot(x, [rate for rate, _ in points], marker="o", label=priority, color=colour)
        offset = (i - (len(per_priority) - 1) / 2) * width
        counts.bar(
            [p + offset for p in x],
            [decided for _, decided in points],
            width,
            label=priority,
            color=colour,
        )
    unit = "month" if by == "month" else "ISO week"
    rates.set_title(f"SLA breach rate per priority, by {unit} of lodging")
    rates.set_ylabel("breach rate (breached / decided, SLA-1)")
    rates.yaxis.set_major_formatter(PercentFormatter(1.0))
    rates.set_ylim(bottom=0)
    counts.set_ylabel("decided tickets\n(met + breached)")
    counts.set_xlabel(f"{unit} lodged")
    counts.set_xticks(x, periods, rotation=45 if len(periods) > 12 else 0, ha="right")
    if per_priority:
        rates.legend(title="priority")
    else:
        rates.text(0.5, 0.5, "no tickets", ha="center", transform=rates.transAxes)
    return figure


# -- response times -----------------------------------------------------------------------------


def _allowance(policy: SupportPolicy, target: ResponseTarget, row: _Row) -> float | None:
    """The hours *target* allowed *row*, on the target's own clock: lodging to due."""
    if row.response_due is None:
        return None
    used = clock_elapsed(
        policy.calendar.open_time, target, to_micros(row.lodged_at), to_micros(row.response_due)
    )
    hours: float = used / micros(timedelta(hours=1))
    return hours


def _clock_label(target: ResponseTarget) -> str:
    return "business hours" if target.clock.counts_open_time else "hours of real time"


def response_times(
    rows: object, *, lodged_at: str = "lodged_at", policy: Policies = WESTCOAST
) -> Figure:
    """How long the responses took, priority by priority, against each priority's target.

    One axes per priority: a histogram of the time to respond of each ticket answered, in hours
    on its target's own clock (real time for P1, HOURS-3; business hours for P2 and P3, SLA-3,
    SLA-4), and the target of the *policy* drawn on it (the policy's version in force when
    each ticket was lodged, for :class:`~westcoast_rules.PolicyVersions`). A target of so many
    hours is a vertical line at them, labelled with its rule (``"SLA-3: 4 business hours"``); a
    next-business-day target (SLA-4) allows each ticket a different time, so it is the band
    from the shortest allowance to the longest, measured from each ticket's lodging to its due.

    Args:
        rows: as for :func:`breach_rate`.
        lodged_at: as for :func:`breach_rate`.
        policy: the policy the report was made under; the Westcoast policy by default.

    Returns:
        The figure, one axes per priority with responses, P1 first, each titled with its
        priority; the target is the line (or band) labelled with the target's rule.

    >>> figure = response_times(report)  # the report of breach_rate's example
    >>> [line.get_label() for line in figure.axes[1].lines]
    ['SLA-3: 4 business hours']
    """
    given = _rows(rows, lodged_at)
    hours: dict[str, list[float]] = {}
    targets: dict[str, dict[ResponseTarget, list[float]]] = {}
    for row in given:
        if row.time_to_respond is None:
            continue
        hours.setdefault(row.priority, []).append(row.time_to_respond / timedelta(hours=1))
        judged_by = in_force(policy, to_micros(row.lodged_at))
        target = judged_by.target_for(Priority(row.priority))
        allowed = targets.setdefault(row.priority, {}).setdefault(target, [])
        allowance = _allowance(judged_by, target, row) if target.within is None else None
        if allowance is not None:
            allowed.append(allowance)

    priorities = sorted(hours)
    figure = _Figure(figsize=(10, 2.6 * max(1, len(priorities)) + 0.6), layout="constrained")
    figure.suptitle("Time to respond per priority, against its target")
    if not priorities:
        figure.text(0.5, 0.5, "no responses yet", ha="center")
        return figure
    grid = figure.subplots(len(priorities), 1, squeeze=False)[:, 0]
    for axes, priority in zip(grid, priorities, strict=True):
        values = hours[priority]
        first = next(iter(targets[priority]))
        top = max([*values, *_target_hours(targets[priority])])
        bins = _bins(top)
        axes.hist(values, bins=bins, color=_COLOURS.get(priority), alpha=0.8, label="responses")
        for target, allowances in targets[priority].items():
            _draw_target(axes, target, allowances)
        axes.set_title(f"{priority}: {len(values):,} responses", loc="left")
        axes.set_xlabel(f"time to respond ({_clock_label(first)})")
        axes.set_ylabel("tickets")
        axes.set_xlim(0, bins[-1])
        axes.legend(loc="upper right")
    return figure


def _target_hours(targets: dict[ResponseTarget, list[float]]) -> list[float]:
    found: list[float] = []
    for target, allowances in targets.items():
        if target.within is not None:
            found.append(target.within / timedelta(hours=1))
        found += allowances
    return found


def _bins(top: float) -> list[float]:
    """Bin edges from 0 past *top*: quarter hours up to a day's work, then hours."""
    step = 0.25 if top <= 12 else 1.0
    count = max(1, math.ceil(top * 1.05 / step))
    return [i * step for i in range(count + 1)]


def _draw_target(axes: Axes, target: ResponseTarget, allowances: Sequence[float]) -> None:
    label = f"{target.rules[0]}: {target.description}"
    if target.within is not None:
        axes.axvline(target.within / timedelta(hours=1), color="black", ls="--", label=label)
    elif allowances:
        axes.axvspan(
            min(allowances), max(allowances), color="grey", alpha=0.3, label=label, zorder=0
        )


# -- one ticket ---------------------------------------------------------------------------------


class _Story(NamedTuple):
    """What a ticket's timeline draws, every instant from the lifecycle."""

    ticket: Ticket
    chases: list[datetime]
    next_chase: datetime | None
    reopen_windows: list[tuple[datetime, datetime]]


def _story(policy: SupportPolicy, ticket: Ticket, now: datetime) -> _Story:
    """Replay *ticket* event by event: the chases made while it awaited information (PROC-3)
    and each reopen window (PROC-6), until it ended (with a reopening, say), as the lifecycle's
    deadlines give them."""
    history = ticket.history
    chases: list[datetime] = []
    windows: list[tuple[datetime, datetime]] = []
    step = policy.replay(history[:1])
    for i in range(len(history)):
        if i:
            step = policy.apply(step, history[i])
        until = history[i + 1].at if i + 1 < len(history) else now
        if step.state is State.AWAITING_INFO:
            after: datetime | None = None
            while (chase := policy.deadlines(step, after).next_chase) is not None:
                if to_micros(chase) > to_micros(until):
                    break
                chases.append(chase)
                after = chase
        if step.state is State.RESOLVED and step.resolved_at is not None:
            if (
                step.reopen_until is not None
                and (step.resolved_at, step.reopen_until) not in windows
            ):
                windows.append((step.resolved_at, step.reopen_until))
        elif windows and step.state is not State.CLOSED:
            opened, until = windows[-1]  # reopened, or rejected: the window ended here
            if to_micros(history[i].at) < to_micros(until):
                windows[-1] = (opened, history[i].at)
    upcoming = policy.deadlines(ticket, now).next_chase
    return _Story(ticket, chases, upcoming, windows)


def _x(at: datetime) -> float:
    """An instant where matplotlib's date axes put it."""
    return float(mdates.date2num(at))  # type: ignore[no-untyped-call]  # untyped in matplotlib


class _Mark(NamedTuple):
    """A vertical line of the timeline: an event, a deadline or now."""

    at: datetime
    label: str
    gid: str
    colour: str
    style: str = "-"
    width: float = 1.5


def _deadline_marks(policy: SupportPolicy, story: _Story, now: datetime) -> list[_Mark]:
    """The deadlines of the story, each labelled with its rule."""
    ticket = story.ticket
    marks: list[_Mark] = []
    due = policy.deadlines(ticket, now).response_due
    if due is not None:  # none for work without a target (SLA-6)
        rule = policy.target_for(ticket.priority).rules[0]
        marks.append(_Mark(due, f"response due ({rule})", "deadline", "tab:red", "--"))
    marks += [_Mark(at, "chase (PROC-3)", "deadline", "tab:blue", ":") for at in story.chases]
    if story.next_chase is not None:
        marks.append(_Mark(story.next_chase, "next chase (PROC-3)", "deadline", "tab:blue", ":"))
    if ticket.state is State.AWAITING_INFO and ticket.auto_resolve_at is not None:
        marks.append(
            _Mark(ticket.auto_resolve_at, "auto-resolves (PROC-4)", "deadline", "tab:brown", "--")
        )
    return marks


def timeline(policy: Policies, ticket: Ticket, *, now: datetime) -> Figure:
    """One ticket's story as of *now*: its events, the open hours, its deadlines.

    The ticket is first advanced to *now* (:meth:`~westcoast_rules.SupportPolicy.advance`), so
    what time has decided by then (auto-resolve, close) is in its history. Drawn, each from the
    library's calendar and lifecycle: the open hours shaded (HOURS-1) and each closed day named
    (HOURS-2; on a story of six weeks or more, only the days a holiday closes); each event of
    the history as a solid line; the response due (SLA-2..4); every chase made while it awaited
    information and the next one due (PROC-3); when it will auto-resolve (PROC-4); each reopen
    window, hatched (PROC-6); and *now*.

    Args:
        policy: the policy (or versions of it; the one in force when the ticket was lodged).
        ticket: the ticket, from :meth:`~westcoast_rules.SupportPolicy.lodge` or ``replay``.
        now: the instant the story is told as of: aware, at or after the ticket's last event.

    Returns:
        The figure. Its one axes holds the lines of the events (``gid`` ``"event"``, labelled
        with the event's name), of the deadlines (``gid`` ``"deadline"``, labelled
        ``"response due (SLA-3)"``, ``"chase (PROC-3)"``, ``"next chase (PROC-3)"``,
        ``"auto-resolves (PROC-4)"``) and of ``"now"``; the shaded spans of the open hours
        (``gid`` ``"open"``) and of the reopen windows (``gid`` ``"reopen_window"``); and the
        names of the closed days (texts with ``gid`` ``"closed_day"``).

    Raises:
        NaiveDatetimeError: *now* has no zone (HOURS-5).
        InvalidTimelineError: *now* is before the ticket's last event.

    >>> from datetime import datetime
    >>> import westcoast_rules as wr
    >>> friday = datetime(2026, 12, 24, 17, 0, tzinfo=wr.LONDON)
    >>> ticket = wr.WESTCOAST.lodge("WC-1", friday, wr.Priority.P2, wr.Channel.EMAIL)
    >>> figure = timeline(wr.WESTCOAST, ticket, now=datetime(2026, 12, 29, 12, tzinfo=wr.LONDON))
    >>> [line.get_label() for line in figure.axes[0].lines if line.get_gid() == "deadline"]
    ['response due (SLA-3)']
    """
    if not isinstance(ticket, Ticket):
        raise WrongTypeError(
            f"ticket must be a Ticket (from policy.lodge or policy.replay), got {ticket!r:.80}"
        )
    now = require_aware(now, "now")
    judged_by = in_force(policy, to_micros(ticket.lodged_at))
    last = ticket.history[-1]
    if to_micros(now) < to_micros(last.at):
        raise InvalidTimelineError(
            f"now ({now.isoformat()}) is before the ticket's last event ({type(last).__name__} "
            f"at {last.at.isoformat()}): tell the story as of that instant or later"
        )
    story = _story(judged_by, judged_by.advance(ticket, now), now)
    ticket = story.ticket
    events = [
        _Mark(event.at, type(event).__name__, "event", "black", width=1.0)
        for event in ticket.history
    ]
    marks = [*events, *_deadline_marks(judged_by, story, now)]
    marks.append(_Mark(now, "now", "now", "tab:purple", width=2.5))
    zone = judged_by.calendar.zone
    instants = [mark.at for mark in marks] + [until for _, until in story.reopen_windows]
    local_days = [from_micros(to_micros(at), zone).date() for at in instants]
    first_day, last_day = min(local_days), max(local_days)
    start, end = _midnight(first_day, judged_by), _midnight(last_day + _DAY, judged_by)

    figure = _Figure(figsize=(11, 4.8), layout="constrained")
    axes = figure.subplots()
    legend: dict[str, Any] = {}
    for period in judged_by.calendar.open_periods(start, end):
        span = axes.axvspan(_x(period.start), _x(period.end), color="tab:green", alpha=0.15, lw=0)
        span.set_gid("open")
        legend.setdefault("open hours (HOURS-1)", span)
    _name_closed_days(axes, judged_by, first_day, last_day)
    for resolved, until in story.reopen_windows:
        span = axes.axvspan(
            _x(resolved), _x(until), facecolor="none", edgecolor="tab:grey", hatch="//"
        )
        span.set_gid("reopen_window")
        legend.setdefault("reopen window (PROC-6)", span)
    on_top = axes.get_xaxis_transform()
    for mark in marks:
        line = axes.axvline(
            _x(mark.at), color=mark.colour, ls=mark.style, lw=mark.width, label=mark.label
        )
        line.set_gid(mark.gid)
        legend.setdefault("event" if mark.gid == "event" else mark.label, line)
    for mark in events:
        axes.text(_x(mark.at), 0.98, f" {mark.label}", rotation=90, va="top", ha="right",
                  fontsize=8, transform=on_top)  # fmt: skip
    when = from_micros(to_micros(now), zone)
    axes.set_title(
        f"{ticket.id}: {ticket.priority.value} by {ticket.channel.value}, {ticket.state.name} "
        f"as of {when:%a %d %b %Y %H:%M %Z}"
    )
    axes.set_xlabel(f"time ({getattr(zone, 'key', zone)})")
    axes.set_ylabel("events and deadlines")
    axes.set_yticks([])
    axes.set_xlim(_x(start), _x(end))
    locator = mdates.AutoDateLocator(tz=zone)  # type: ignore[no-untyped-call]  # untyped upstream
    axes.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator, tz=zone)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(formatter)
    axes.legend(
        list(legend.values()), list(legend), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8
    )
    return figure


def _midnight(day: date, policy: SupportPolicy) -> datetime:
    calendar = policy.calendar
    return from_micros(calendar.open_time.midnight(day), calendar.zone)


_DAY: Final = timedelta(days=1)
_NAME_EVERY_DAY_BELOW: Final = 42
"""On a story this many days long or longer, weekends go unnamed (the shading shows them);
holidays are always named."""


def _name_closed_days(axes: Axes, policy: SupportPolicy, first: date, last: date) -> None:
    """Each closed day's reasons, written upright in the day (HOURS-2)."""
    calendar = policy.calendar
    every_day = (last - first).days < _NAME_EVERY_DAY_BELOW
    on_bottom = axes.get_xaxis_transform()
    day = first
    while day <= last:
        if not calendar.is_business_day(day) and (every_day or calendar.hours[day.weekday()]):
            noon = from_micros(calendar.open_time.local_instant(day, time(12)), calendar.zone)
            text = "\n".join(calendar.why_closed(day))
            axes.text(_x(noon), 0.02, text, rotation=90, ha="center", va="bottom", fontsize=7,
                      color="dimgrey", transform=on_bottom, gid="closed_day")  # fmt: skip
        day += _DAY
