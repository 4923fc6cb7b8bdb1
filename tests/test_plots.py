"""The plots draw what the library says: each mark checked against the library's own answer."""

from __future__ import annotations

import math
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import attrs
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import polars as pl
import pytest
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

import westcoast_rules as wr
from westcoast_rules import batch, frames, plots

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
AS_OF = datetime(2026, 12, 31, 12, 0, tzinfo=wr.LONDON)
L = wr.LONDON
POLICY = wr.WESTCOAST


@pytest.fixture(scope="module")
def report() -> batch.SlaReport:
    return batch.sla_report(POLICY, EXAMPLE, as_of=AS_OF)


def x(at: datetime) -> float:
    return float(mdates.date2num(at))


def span(patch: Artist) -> tuple[float, float]:
    """The data x-extent of an axvspan (a Rectangle or, before matplotlib 3.9, a Polygon)."""
    box = patch.get_path().get_extents(patch.get_patch_transform())  # type: ignore[attr-defined]
    return box.x0, box.x1


def titled_and_labelled(axes: Axes) -> bool:
    return bool(axes.get_title(loc="center") or axes.get_title(loc="left")) and bool(
        axes.get_xlabel()
    )


def lines(axes: Axes, gid: str) -> list[tuple[str, float]]:
    return [(line.get_label(), line.get_xdata()[0]) for line in axes.lines if line.get_gid() == gid]  # type: ignore[index]


# -- breach_rate ----------------------------------------------------------------------------


def rates_drawn(figure: Figure) -> dict[str, list[float]]:
    return {line.get_label(): list(line.get_ydata()) for line in figure.axes[0].lines}  # type: ignore[arg-type]


def nan_to_none(values: list[float]) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values]


def test_breach_rate_lines_are_the_breach_rates_frames_summary_computes(
    report: batch.SlaReport,
) -> None:
    figure = plots.breach_rate(report)
    months = frames.summary(pd.DataFrame(report.rows), by=("priority", "month"))
    rates, counts = figure.axes
    labels = [tick.get_text() for tick in counts.get_xticklabels()]
    assert [f"2026-{m:02d}" for m in range(1, 13)] == labels
    for priority, drawn in rates_drawn(figure).items():
        expected = months[months.priority == priority].set_index("month")
        assert list(expected.loc[labels, "breach_rate"]) == pytest.approx(drawn)
    bars = {container.get_label(): container for container in counts.containers}
    for priority, container in bars.items():
        expected = months[months.priority == priority].set_index("month")
        decided = expected.loc[labels, "met"] + expected.loc[labels, "breached"]
        assert list(decided) == [patch.get_height() for patch in container]  # type: ignore[attr-defined]
    assert ["P1", "P2", "P3"] == sorted(bars)
    assert titled_and_labelled(rates) or rates.get_title()
    assert counts.get_xlabel() == "month lodged"
    assert "breach rate" in rates.get_ylabel()


def test_breach_rate_is_the_same_from_the_report_its_rows_and_frames(
    report: batch.SlaReport,
) -> None:
    expected = rates_drawn(plots.breach_rate(report))
    events = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    table = frames.report(POLICY, events, as_of=AS_OF)
    for rows in (list(report.rows), table, pl.from_pandas(table)):
        drawn = rates_drawn(plots.breach_rate(rows))
        assert {k: nan_to_none(v) for k, v in expected.items()} == {
            k: nan_to_none(v) for k, v in drawn.items()
        }


def test_breach_rate_by_week_counts_breached_over_decided_of_each_iso_week(
    report: batch.SlaReport,
) -> None:
    figure = plots.breach_rate(report, by="week")
    labels = [tick.get_text() for tick in figure.axes[1].get_xticklabels()]
    week = labels.index("2026-W10")
    counted: Counter[str] = Counter()
    for row in report.rows:
        if row.priority == "P2" and row.lodged_at.isocalendar()[:2] == (2026, 10):
            counted[row.response] += 1
    p2 = rates_drawn(figure)["P2"]
    assert counted["breached"] / (counted["met"] + counted["breached"]) == pytest.approx(p2[week])
    assert "2026-W01" == labels[0]
    assert len(labels) == len(set(labels))


def test_a_period_with_nothing_decided_is_a_gap(report: batch.SlaReport) -> None:
    policy_rows = list(report.rows)
    pending = [row._replace(response="pending") for row in policy_rows if row.priority == "P1"]
    figure = plots.breach_rate(pending)
    assert all(math.isnan(v) for v in rates_drawn(figure)["P1"])
    assert {0} == {patch.get_height() for patch in figure.axes[1].containers[0]}  # type: ignore[attr-defined]


def test_breach_rate_refuses_what_it_cannot_plot(report: batch.SlaReport) -> None:
    with pytest.raises(wr.DataError, match="'month', 'week'"):
        plots.breach_rate(report, by="year")
    with pytest.raises(wr.WrongTypeError, match="TicketRows"):
        plots.breach_rate([{"priority": "P1"}])
    with pytest.raises(wr.WrongTypeError, match="data frame"):
        plots.breach_rate(42)
    with pytest.raises(wr.DataError, match=r"'response_due'.*frames\.report"):
        plots.breach_rate(pd.DataFrame({"priority": ["P1"], "response": ["met"]}).assign(
            lodged_at=pd.Timestamp("2026-01-05 09:00", tz="UTC"), time_to_respond=None
        ))  # fmt: skip
    naive = pd.DataFrame(report.rows[:3]).assign(
        lodged_at=lambda t: pd.to_datetime(t.lodged_at, utc=True).dt.tz_localize(None)
    )
    with pytest.raises(wr.NaiveDatetimeError, match=r"'lodged_at'.*HOURS-5"):
        plots.breach_rate(naive)


def test_no_tickets_is_an_empty_figure_that_says_so() -> None:
    figure = plots.breach_rate([])
    assert [] == list(figure.axes[0].lines)
    assert ["no tickets"] == [text.get_text() for text in figure.axes[0].texts]


# -- response_times -------------------------------------------------------------------------


def by_priority(figure: Figure) -> dict[str, Axes]:
    return {axes.get_title(loc="left").split(":")[0]: axes for axes in figure.axes}


def test_response_times_bars_are_the_histogram_of_each_priority(report: batch.SlaReport) -> None:
    figure = plots.response_times(report)
    panels = by_priority(figure)
    assert ["P1", "P2", "P3"] == list(panels)
    for priority, axes in panels.items():
        hours = [
            row.time_to_respond / timedelta(hours=1)
            for row in report.rows
            if row.priority == priority and row.time_to_respond is not None
        ]
        bars = axes.containers[0]
        edges = [patch.get_x() for patch in bars] + [bars[-1].get_x() + bars[-1].get_width()]  # type: ignore[attr-defined]
        expected, _ = np.histogram(hours, bins=edges)
        assert list(expected) == [patch.get_height() for patch in bars]  # type: ignore[attr-defined]
        assert len(hours) == sum(patch.get_height() for patch in bars)  # type: ignore[attr-defined]
        assert titled_and_labelled(axes)
    assert "real time" in panels["P1"].get_xlabel()
    assert "business hours" in panels["P2"].get_xlabel()


def test_each_target_is_drawn_where_the_policy_puts_it(report: batch.SlaReport) -> None:
    panels = by_priority(plots.response_times(report))
    # SLA-2: two hours of real time; SLA-3: four business hours; each read from the policy.
    for priority, rule in (("P1", "SLA-2"), ("P2", "SLA-3")):
        target = POLICY.target_for(wr.Priority(priority))
        assert target.within is not None
        (line,) = panels[priority].lines
        assert f"{rule}: {target.description}" == line.get_label()
        assert [target.within / timedelta(hours=1)] * 2 == list(line.get_xdata())  # type: ignore[arg-type]
    # SLA-4: close of business on the next business day, an allowance of its own per ticket.
    allowances = [
        POLICY.calendar.elapsed(row.lodged_at, row.response_due) / timedelta(hours=1)
        for row in report.rows
        if row.priority == "P3" and row.time_to_respond is not None and row.response_due
    ]
    (band,) = panels["P3"].patches[-1:]
    assert band.get_label().startswith("SLA-4: close of business")
    assert (min(allowances), max(allowances)) == pytest.approx(span(band))


def test_another_policys_target_moves_the_line(report: batch.SlaReport) -> None:
    targets = tuple(
        attrs.evolve(t, within=timedelta(hours=3)) if t.priority is wr.Priority.P2 else t
        for t in POLICY.response_targets
    )
    policy = attrs.evolve(POLICY, response_targets=targets)
    (line,) = by_priority(plots.response_times(report, policy=policy))["P2"].lines
    assert [3.0, 3.0] == list(line.get_xdata())  # type: ignore[arg-type]
    assert "SLA-3: 3 business hours" == line.get_label()


def test_no_responses_is_an_empty_figure_that_says_so() -> None:
    figure = plots.response_times([])
    assert "no responses yet" in [text.get_text() for text in figure.texts]
    assert [] == figure.axes


# -- timeline -------------------------------------------------------------------------------


def at(day: int, hour: int, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=L)


@pytest.fixture
def silent() -> wr.Ticket:
    """A P2 lodged before Christmas, asked for information, never answered."""
    ticket = POLICY.lodge("WC-9", at(22, 16), wr.Priority.P2, wr.Channel.EMAIL)
    ticket = POLICY.apply(ticket, wr.Acknowledged(at(23, 9)))
    return POLICY.apply(ticket, wr.InfoRequested(at(23, 10)))


def test_the_timeline_marks_each_event_and_deadline_at_its_instant(silent: wr.Ticket) -> None:
    now = at(6, 12, month=1, year=2027)
    figure = plots.timeline(POLICY, silent, now=now)
    (axes,) = figure.axes[:1]
    advanced = POLICY.advance(silent, now)
    assert [(type(e).__name__, x(e.at)) for e in advanced.history] == lines(axes, "event")
    assert ["AutoResolved", "Closed"] == [name for name, _ in lines(axes, "event")][-2:]
    # SLA-3: four business hours from Tuesday 16:00 is Wednesday 10:00. PROC-3: a chase each
    # business day at the request's time, Christmas and Boxing Day and the weekend skipped, up
    # to the auto-resolve three business days after the request (PROC-4), which is an event.
    assert [
        ("response due (SLA-3)", x(POLICY.response_due(wr.Priority.P2, at(22, 16)))),
        ("chase (PROC-3)", x(at(24, 10))),
        ("chase (PROC-3)", x(at(29, 10))),
    ] == lines(axes, "deadline")
    assert x(at(23, 10)) == lines(axes, "deadline")[0][1]
    assert [("now", x(now))] == lines(axes, "now")
    # PROC-6: reopenable from the resolution until midnight ending the fifth day after.
    (window,) = [p for p in axes.patches if p.get_gid() == "reopen_window"]
    assert (x(at(30, 10)), x(at(5, 0, month=1, year=2027))) == pytest.approx(span(window))
    assert at(5, 0, month=1, year=2027) == advanced.closed_at


def test_the_timeline_shades_the_open_hours_and_names_the_closed_days(silent: wr.Ticket) -> None:
    now = at(6, 12, month=1, year=2027)
    axes = plots.timeline(POLICY, silent, now=now).axes[0]
    start, end = (datetime(2026, 12, 22, tzinfo=L), datetime(2027, 1, 7, tzinfo=L))
    expected = [(x(p.start), x(p.end)) for p in POLICY.calendar.open_periods(start, end)]
    drawn = [span(p) for p in axes.patches if p.get_gid() == "open"]
    assert len(expected) == len(drawn)
    assert [x for pair in expected for x in pair] == pytest.approx(
        [x for pair in drawn for x in pair]
    )
    assert (x(start), x(end)) == pytest.approx(axes.get_xlim())
    names = {t.get_text() for t in axes.texts if t.get_gid() == "closed_day"}
    day, closed = start.date(), set()
    while day < end.date():
        if not POLICY.calendar.is_business_day(day):
            closed.add("\n".join(POLICY.calendar.why_closed(day)))
        day += timedelta(days=1)
    assert closed == names
    assert "Christmas Day (GB-ENG)\nChristmas Day (IE)" in names
    assert titled_and_labelled(axes)
    assert "WC-9" in axes.get_title()
    assert "Europe/London" in axes.get_xlabel()


def test_a_ticket_still_awaiting_shows_the_next_chase_and_when_it_auto_resolves(
    silent: wr.Ticket,
) -> None:
    now = at(24, 12)
    axes = plots.timeline(POLICY, silent, now=now).axes[0]
    deadlines = POLICY.deadlines(silent, now)
    assert deadlines.next_chase is not None
    assert deadlines.auto_resolve_at is not None
    assert [
        ("response due (SLA-3)", x(at(23, 10))),
        ("chase (PROC-3)", x(at(24, 10))),
        ("next chase (PROC-3)", x(deadlines.next_chase)),
        ("auto-resolves (PROC-4)", x(deadlines.auto_resolve_at)),
    ] == lines(axes, "deadline")
    assert x(at(29, 10)) == x(deadlines.next_chase)
    assert [] == [p for p in axes.patches if p.get_gid() == "reopen_window"]


def test_work_without_a_target_has_no_response_due() -> None:
    ticket = POLICY.lodge(
        "WC-10", at(1, 9), wr.Priority.P3, wr.Channel.EMAIL, category=wr.Category.PARTNER_CENTRE
    )
    axes = plots.timeline(POLICY, ticket, now=at(1, 12)).axes[0]
    assert [] == lines(axes, "deadline")  # SLA-6: no SLA, no due


def test_a_long_story_names_only_the_holidays() -> None:
    ticket = POLICY.lodge("WC-11", at(1, 9, month=3), wr.Priority.P2, wr.Channel.PHONE)
    axes = plots.timeline(POLICY, ticket, now=at(1, 9, month=5)).axes[0]
    names = [t.get_text() for t in axes.texts if t.get_gid() == "closed_day"]
    assert "Saint Patrick's Day (IE)" in names
    assert any("Good Friday" in name for name in names)
    assert not any(name in ("Saturday", "Sunday") for name in names)


def test_the_timeline_refuses_what_it_cannot_tell(silent: wr.Ticket) -> None:
    with pytest.raises(wr.NaiveDatetimeError, match="HOURS-5"):
        plots.timeline(POLICY, silent, now=datetime(2027, 1, 6, 12))
    with pytest.raises(wr.InvalidTimelineError, match="before the ticket's last event"):
        plots.timeline(POLICY, silent, now=at(23, 9))
    with pytest.raises(wr.WrongTypeError, match="must be a Ticket"):
        plots.timeline(POLICY, silent.history, now=at(24, 9))  # type: ignore[arg-type]


def test_a_version_of_the_policy_judges_the_story_of_its_tickets(silent: wr.Ticket) -> None:
    targets = tuple(
        attrs.evolve(t, within=timedelta(hours=1)) if t.priority is wr.Priority.P2 else t
        for t in POLICY.response_targets
    )
    later = attrs.evolve(POLICY, version="2", response_targets=targets)
    versions = wr.PolicyVersions((at(1, 0, month=1), POLICY), (at(23, 0), later))
    axes = plots.timeline(versions, silent, now=at(24, 12)).axes[0]
    assert ("response due (SLA-3)", x(at(23, 10))) == lines(axes, "deadline")[0]


# -- the extra ------------------------------------------------------------------------------


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_matplotlib_is_imported_by_plots_alone() -> None:
    done = run_python(
        "import sys; import westcoast_rules, westcoast_rules.cli, westcoast_rules.frames; "
        "print('matplotlib' in sys.modules)"
    )
    assert "False" == done.stdout.strip(), done.stderr


def test_without_matplotlib_plots_says_what_to_install() -> None:
    done = run_python(
        "import sys; sys.modules['matplotlib'] = None\n"
        "try:\n    import westcoast_rules.plots\n"
        "except Exception as e:\n    print(type(e).__name__, e)"
    )
    assert done.stdout.startswith("MissingExtraError westcoast_rules.plots needs matplotlib")
    assert 'pip install "westcoast-rules[plots]"' in done.stdout


def test_a_figure_shows_itself_in_a_notebook_without_pyplot(report: batch.SlaReport) -> None:
    figure = plots.breach_rate(report)
    assert isinstance(figure, Figure)
    assert figure._repr_png_().startswith(b"\x89PNG")  # type: ignore[attr-defined]


def test_a_reopen_window_ends_when_the_ticket_is_reopened() -> None:
    ticket = POLICY.lodge("WC-12", at(1, 9), wr.Priority.P2, wr.Channel.PHONE)
    for event in (wr.Resolved(at(2, 9)), wr.Reopened(at(3, 9)), wr.Resolved(at(4, 9))):
        ticket = POLICY.apply(ticket, event)
    now = at(12, 9)
    axes = plots.timeline(POLICY, ticket, now=now).axes[0]
    windows = [span(p) for p in axes.patches if p.get_gid() == "reopen_window"]
    closed = POLICY.advance(ticket, now).closed_at
    assert closed == at(10, 0)  # PROC-6: midnight ending the fifth day after Friday 4th
    expected = [x(at(2, 9)), x(at(3, 9)), x(at(4, 9)), x(closed)]
    assert expected == pytest.approx([v for window in windows for v in window])
