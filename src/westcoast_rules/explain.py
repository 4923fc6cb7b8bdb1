"""Why a response is due when it is: a deadline explained step by step, as data and as text.

An explanation says where the clock started (at lodging, or at the next opening and why),
each open period counted, each closed day skipped with its reason (the weekend, or the
holiday's name and region), each DST change crossed, and the rule IDs behind every step.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import attrs

from westcoast_rules._choices import Choice
from westcoast_rules._instants import from_micros, require_aware, to_micros
from westcoast_rules.calendar import BusinessCalendar
from westcoast_rules.priority import Priority
from westcoast_rules.targets import ResponseTarget, TargetPolicy, due_micros, target_for

__all__ = ["DueExplanation", "Step", "StepKind"]

_DAY: str = "%a %d %b %Y"
_ONE_DAY = timedelta(days=1)


class StepKind(Choice):
    """What a step of an explanation records."""

    LODGED = "lodged"
    CLOCK_STARTS = "clock_starts"
    COUNTED = "counted"
    SKIPPED_DAY = "skipped_day"
    SPECIAL_DAY = "special_day"
    """A date whose special hours replace its weekly windows."""
    DST_CHANGE = "dst_change"
    DUE = "due"


@attrs.frozen
class Step:
    """One step of an explanation, with the rules behind it."""

    kind: StepKind
    start: datetime
    end: datetime | None
    """The end of a COUNTED period; ``None`` for steps at one instant or on one day."""
    counted: timedelta
    """Clock time this step counts towards the target (COUNTED steps only)."""
    total: timedelta
    """Clock time counted so far, this step included."""
    reason: str
    rules: tuple[str, ...]

    def render(self) -> str:
        """The step as one line of text."""
        when = f"{self.start:%a %d %b %H:%M}"
        if self.kind is StepKind.COUNTED:
            assert self.end is not None
            if self.start.utcoffset() == self.end.utcoffset():
                when += f"-{self.end:%H:%M}"
            else:  # across a DST change: say which side of it each end is
                when += f" {self.start:%Z}-{self.end:%H:%M %Z}"
        elif self.kind in (StepKind.SKIPPED_DAY, StepKind.DST_CHANGE, StepKind.SPECIAL_DAY):
            when = f"{self.start:%a %d %b}"
        return f"  {when:<22} {self.reason} ({', '.join(self.rules)})"


@attrs.frozen
class DueExplanation:
    """A response due instant and the steps that lead to it.

    >>> from datetime import datetime
    >>> from westcoast_rules import WESTCOAST, LONDON
    >>> print(WESTCOAST.explain(Priority.P2, datetime(2026, 12, 24, 17, 0, tzinfo=LONDON)))
    ... # doctest: +NORMALIZE_WHITESPACE
    P2 response due Tue 29 Dec 2026 11:00 GMT under policy 1: 4 business hours (SLA-3)
      Thu 24 Dec 17:00       lodged while the desk is open: the clock starts at once (HOURS-1)
      Thu 24 Dec 17:00-18:00 counted 1 h, 1 h in all (SLA-3, HOURS-1)
      Fri 25 Dec             skipped: Christmas Day (GB-ENG), Christmas Day (IE) (HOURS-2)
      Sat 26 Dec             skipped: Saturday, Boxing Day (GB-ENG), Saint Stephen's Day (IE)
                             (HOURS-1, HOURS-2)
      Sun 27 Dec             skipped: Sunday (HOURS-1)
      Mon 28 Dec             skipped: Boxing Day (substitute, GB-ENG) (HOURS-2)
      Tue 29 Dec 08:00-11:00 counted 3 h, 4 h in all (SLA-3, HOURS-1)
      Tue 29 Dec 11:00       due (SLA-3)
    Rules: SLA-3, HOURS-1, HOURS-2
    """

    priority: Priority
    lodged_at: datetime
    due: datetime
    target: ResponseTarget
    steps: tuple[Step, ...]
    rules: tuple[str, ...]
    policy_version: str = "1"
    """The version of the policy whose target it is (``SupportPolicy.version``)."""

    @property
    def counted(self) -> timedelta:
        """The clock time of all COUNTED steps: the target's allowance."""
        return sum(
            (s.counted for s in self.steps if s.kind is StepKind.COUNTED), start=timedelta(0)
        )

    @property
    def skipped_days(self) -> tuple[date, ...]:
        """The closed days the clock skipped."""
        return tuple(s.start.date() for s in self.steps if s.kind is StepKind.SKIPPED_DAY)

    def render(self) -> str:
        """The explanation as text: a headline, one line per step, and the rules."""
        headline = (
            f"{self.priority} response due {self.due:{_DAY} %H:%M %Z} under policy "
            f"{self.policy_version}: {self.target.description} ({self.target.rules[0]})"
        )
        lines = [headline, *(step.render() for step in self.steps)]
        lines.append(f"Rules: {', '.join(self.rules)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _point(
    kind: StepKind, at: datetime, total: timedelta, reason: str, rules: tuple[str, ...]
) -> Step:
    """A step at one instant or on one day: it counts no time itself."""
    return Step(kind, at, None, timedelta(0), total, reason, rules)


def _duration(value: timedelta) -> str:
    minutes = round(value / timedelta(minutes=1), 2)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours:g} h")
    if rest or not parts:
        parts.append(f"{rest:g} min")
    return " ".join(parts)


def _closed_day_rules(calendar: BusinessCalendar, day: date) -> tuple[str, ...]:
    if day in calendar.special_hours:
        return ("HOURS-1",)  # the calendar's own hours for that date
    rules = []
    if not calendar.hours[day.weekday()]:
        rules.append("HOURS-1")
    if calendar.holidays_in(day.year).get(day):
        rules.append("HOURS-2")
    return tuple(rules)


def explain_due(policy: TargetPolicy, priority: Priority, lodged_at: datetime) -> DueExplanation:
    """Explain :meth:`SupportPolicy.response_due` for *priority* and *lodged_at*, step by step."""
    target = target_for(policy, priority)
    lodged_at = require_aware(lodged_at, "lodged_at")
    calendar = policy.calendar
    zone = calendar.zone
    lodged = lodged_at.astimezone(zone)
    due = from_micros(due_micros(calendar.open_time, target, to_micros(lodged_at)), zone)
    first_rule = target.rules[0]

    if not target.clock.counts_open_time:
        counted = timedelta(microseconds=to_micros(due) - to_micros(lodged))
        steps = [
            _point(
                StepKind.LODGED,
                lodged,
                timedelta(0),
                "lodged: a P1 clock runs 24x7 on real time",
                ("HOURS-3",),
            ),
            Step(
                StepKind.COUNTED,
                lodged,
                due,
                counted,
                counted,
                f"counted {_duration(counted)} of real time",
                (first_rule, "HOURS-4"),
            ),
        ]
        steps += _dst_changes(lodged, due, counted)
    else:
        by_date = target.clock.due_by_date
        steps = _business_steps(calendar, lodged, due, first_rule, by_date=by_date)
    total = steps[-1].total if steps else timedelta(0)
    steps.append(_point(StepKind.DUE, due, total, "due", (first_rule,)))
    rules = dict.fromkeys(target.rules)
    for step in steps:
        rules.update(dict.fromkeys(step.rules))
    return DueExplanation(priority, lodged, due, target, tuple(steps), tuple(rules), policy.version)


def _business_steps(
    calendar: BusinessCalendar, lodged: datetime, due: datetime, rule: str, *, by_date: bool
) -> list[Step]:
    zone = calendar.zone
    open_time = calendar.open_time
    zero = timedelta(0)
    steps: list[Step] = []
    clock_starts: Step | None = None
    if by_date:
        steps.append(
            _point(
                StepKind.LODGED,
                lodged,
                zero,
                f"lodged on {lodged:%a %d %b}: due at close of business on the first business "
                "day after that date",
                (rule,),
            )
        )
    elif calendar.is_open(lodged):
        steps.append(
            _point(
                StepKind.LODGED,
                lodged,
                zero,
                "lodged while the desk is open: the clock starts at once",
                ("HOURS-1",),
            )
        )
    else:
        lodged_day = lodged.date()
        why = calendar.why_closed(lodged_day)
        reason = ", ".join(why) if why else "outside business hours"
        steps.append(
            _point(
                StepKind.LODGED,
                lodged,
                zero,
                f"lodged while the desk is closed ({reason})",
                _closed_day_rules(calendar, lodged_day) if why else ("HOURS-1",),
            )
        )
        opening = calendar.next_open(lodged)
        clock_starts = _point(
            StepKind.CLOCK_STARTS,
            opening,
            zero,
            "the clock starts at the next opening",
            (rule, "HOURS-1"),
        )
    total = zero
    day = lodged.date()
    last_day = due.date()
    while day <= last_day:
        midnight = from_micros(open_time.midnight(day), zone)
        next_midnight = from_micros(open_time.midnight(day + _ONE_DAY), zone)
        if midnight.utcoffset() != next_midnight.utcoffset():
            steps.append(_dst_step(midnight, next_midnight, total))
        why = calendar.why_closed(day)
        if not why and day in calendar.special_hours:
            hours = ", ".join(str(window) for window in calendar.special_hours[day])
            steps.append(
                _point(
                    StepKind.SPECIAL_DAY, midnight, total, f"special hours {hours}", ("HOURS-1",)
                )
            )
        if why and day != lodged.date():
            steps.append(
                _point(
                    StepKind.SKIPPED_DAY,
                    midnight,
                    total,
                    f"skipped: {', '.join(why)}",
                    _closed_day_rules(calendar, day),
                )
            )
        if clock_starts is not None and clock_starts.start.date() == day:
            steps.append(clock_starts)  # in its place: after the closed days it waited through
        span = (max(lodged, midnight, key=to_micros), min(due, next_midnight, key=to_micros))
        for period in calendar.open_periods(*span):
            total += period.duration
            steps.append(
                Step(
                    StepKind.COUNTED,
                    period.start,
                    period.end,
                    period.duration,
                    total,
                    f"counted {_duration(period.duration)}, {_duration(total)} in all",
                    (rule, "HOURS-1"),
                )
            )
        day += _ONE_DAY
    return steps


def _dst_step(before: datetime, after: datetime, total: timedelta) -> Step:
    old, new = before.utcoffset(), after.utcoffset()
    assert old is not None
    assert new is not None
    direction = "forward" if new > old else "back"
    return _point(
        StepKind.DST_CHANGE,
        before,
        total,
        f"clocks go {direction} ({before:%Z} to {after:%Z}); durations stay real time",
        ("HOURS-4",),
    )


def _dst_changes(lodged: datetime, due: datetime, total: timedelta) -> list[Step]:
    if lodged.utcoffset() == due.utcoffset():
        return []
    return [_dst_step(lodged, due, total)]
