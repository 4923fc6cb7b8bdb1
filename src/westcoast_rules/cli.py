"""The ``westcoast-rules`` command: due times, explanations, assessments, reports, what-ifs.

Human tables by default, ``--format csv`` or ``--format json`` for machines. Bad input exits
with status 2 and a one-line message on stderr. Instants are ISO 8601 with an offset, such as
``2026-11-20T17:00+00:00``, optionally with a zone: ``2026-11-20T17:00+00:00[Europe/London]``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import glob
import importlib.metadata
import json
import math
import sys
import time
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, Final

import attrs

from westcoast_rules import batch
from westcoast_rules.batch.whatif import ChangeSummary
from westcoast_rules.errors import DataError, MissingExtraError, WestcoastRulesError
from westcoast_rules.intake import Enquiry
from westcoast_rules.policy import WESTCOAST, SupportPolicy
from westcoast_rules.priority import Channel, Impact, Priority
from westcoast_rules.scope import Category, Party
from westcoast_rules.serialization import (
    format_datetime,
    format_duration,
    from_json,
    parse_datetime,
    to_json,
)
from westcoast_rules.versions import Policies, PolicyVersions

__all__ = ["main"]

PROG = "westcoast-rules"


class UsageError(WestcoastRulesError, ValueError):
    """A command line the tool cannot act on."""


class _Parser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr and exit status 2, like every other bad input."""

    def parse_known_args(  # type: ignore[override]  # typeshed overloads it; one signature here
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        args = sys.argv[1:] if args is None else list(args)
        for arg in args:
            if isinstance(arg, str) and any(brk in arg for brk in _BREAKS):
                # No argument is a paragraph: a path, an instant, a number or a word. Said here,
                # or the line break would end the error message halfway (and hide the rest).
                self.error(
                    f"argument '{_one_line(arg)}' contains a line break: give it on one line"
                )
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> typing.NoReturn:
        self.exit(2, f"{self.prog}: error: {_one_line(message)} (see {self.prog} --help)\n")


_BREAKS: Final = ("\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
"""The characters that end a line for ``str.splitlines``."""


def _one_line(text: str) -> str:
    """*text* with every line break written as its escape (``\\n``), so it stays one line."""
    for brk in _BREAKS:
        text = text.replace(brk, repr(brk)[1:-1])
    return text


# -- arguments ---------------------------------------------------------------------------------


def _instant(text: str) -> datetime:
    try:
        return parse_datetime(text)
    except WestcoastRulesError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _choices(kind: type[Any]) -> str:
    """The values of an enumeration as ``--help`` shows them: ``{p1,p2,p3}``."""
    return "{" + ",".join(str(member.value) for member in kind) + "}"


def _version() -> str:
    try:
        return f"%(prog)s {importlib.metadata.version('westcoast-rules')}"
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "%(prog)s (not installed: run from a source tree)"


def _plot_file(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in _PLOT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a .png or .svg file: name the picture FILE.png or FILE.svg"
        )
    return path


_PLOT_SUFFIXES = (".png", ".svg")


def _choice(kind: type[Any]) -> Any:
    """The parser of an argument naming a member of *kind* (read as the enumeration reads it,
    whose refusal is the library's one wording), after argparse's ``argument priority:``, which
    says where it was."""

    def parse(text: str) -> Any:
        try:
            return kind(text)
        except DataError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = kind.__name__
    return parse


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Westcoast Cloud's support policy: due times, explanations, SLA reports.",
    )
    parser.add_argument(
        "--policy",
        type=Path,
        metavar="FILE",
        help="a SupportPolicy as JSON (westcoast_rules.to_json); the Westcoast policy by default",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        return sub

    def formats(sub: argparse.ArgumentParser, *choices: str) -> None:
        sub.add_argument(
            "--format", choices=choices, default=choices[0], help=f"default {choices[0]}"
        )

    due = command("due", "when the response to an incident is due (SLA-2..4)")
    priority_help = "the incident's priority (PRIO-1..3)"
    lodged_help = "when it was lodged: ISO 8601 with an offset, e.g. 2026-11-20T17:00:00+00:00"
    due.add_argument(
        "priority", type=_choice(Priority), metavar=_choices(Priority), help=priority_help
    )
    due.add_argument("lodged_at", type=_instant, metavar="LODGED_AT", help=lodged_help)
    formats(due, "table", "csv", "json")

    explain = command("explain", "why a response is due when it is, step by step")
    explain.add_argument(
        "priority", type=_choice(Priority), metavar=_choices(Priority), help=priority_help
    )
    explain.add_argument("lodged_at", type=_instant, metavar="LODGED_AT", help=lodged_help)
    formats(explain, "text", "json")

    assess = command("assess", "scope, priority, response due and escalation ceiling")
    assess.add_argument("--at", type=_instant, required=True, metavar="LODGED_AT", help=lodged_help)
    _enum_option(assess, "--channel", Channel, "how it was raised (PRIO-4)", required=True)
    _enum_option(assess, "--impact", Impact, "who is affected (PRIO-1..3)", required=True)
    _enum_option(assess, "--category", Category, "the kind of work (SCOPE-*)", Category.SERVICE)
    _enum_option(assess, "--raised-by", Party, "who raised it (SCOPE-RESELLER)", Party.RESELLER)
    assess.add_argument("--country", default="GB", help="ISO 3166-1 alpha-2 (default GB)")
    assess.add_argument(
        "--licence-elsewhere", action="store_true", help="the licence was not bought via Westcoast"
    )
    assess.add_argument(
        "--no-partner-centre-account",
        action="store_true",
        help="the Reseller has no Partner Centre account",
    )
    formats(assess, "text", "json")

    report = command("report", "the SLA report of an event log (CSV, JSON Lines or Parquet)")
    log_help = (
        "the event log: CSV, JSON Lines or Parquet (by its suffix, or --log-format), in any "
        "order; several files (or a quoted glob, 'logs/*.parquet') are one log"
    )
    report.add_argument("log", type=Path, nargs="+", metavar="LOG", help=log_help)
    _report_options(report)
    report.add_argument(
        "--plot",
        type=_plot_file,
        metavar="FILE",
        help="also draw the breach rate per priority by month into FILE.png or FILE.svg "
        "(needs the [plots] extra)",
    )
    report.add_argument(
        "--rows", action="store_true", help="one row per ticket instead of the summary"
    )
    report.add_argument(
        "--by-version",
        action="store_true",
        help="the summary of each policy version (with --policy FILE of PolicyVersions)",
    )
    _engine_options(report)
    formats(report, "table", "csv", "json")

    whatif = command("whatif", "the same log under a changed policy: what changes")
    whatif.add_argument("log", type=Path, nargs="+", metavar="LOG", help=log_help)
    _report_options(whatif)
    _whatif_options(whatif)
    formats(whatif, "table", "csv", "json")

    calendar = command("calendar", "business days and holidays of a year")
    calendar.add_argument("year", type=int, help="the year, e.g. 2027")
    formats(calendar, "table", "csv", "json")
    return parser


def _whatif_options(whatif: argparse.ArgumentParser) -> None:
    """What a what-if changes, and how much of the answer it prints."""
    whatif.add_argument("--against", type=Path, metavar="FILE", help="the other policy, as JSON")
    whatif.add_argument("--p1-hours", type=_hours, help="P1 response target, real hours")
    whatif.add_argument("--p2-hours", type=_hours, help="P2 response target, business hours")
    whatif.add_argument("--auto-resolve-days", type=int, help="PROC-4's business days")
    whatif.add_argument("--reopen-days", type=int, help="PROC-6's calendar days")
    whatif.add_argument("--chase-days", type=int, help="PROC-3's business days between chases")
    whatif.add_argument(
        "--summary",
        action="store_true",
        help="the differences counted per priority, not one line per changed ticket",
    )


def _enum_option(
    sub: argparse.ArgumentParser,
    flag: str,
    kind: type[Any],
    summary: str,
    default: Any = None,
    *,
    required: bool = False,
) -> None:
    """An option taking a value of *kind*, its choices shown in ``--help``."""
    shown = f"; default {default.value}" if default is not None else ""
    sub.add_argument(
        flag,
        type=_choice(kind),
        default=default,
        required=required,
        metavar=_choices(kind),
        help=f"{summary}{shown}",
    )


def _engine_options(sub: argparse.ArgumentParser) -> None:
    """Where the report is worked out: processes on this machine, or a Dask cluster."""
    sub.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="processes for a large log file (default: one per processor; 1 for one process)",
    )
    sub.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="report on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' "
        "for one on this machine (needs the [dask] extra); the same output as without",
    )


def _report_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--as-of",
        type=_instant,
        metavar="INSTANT",
        help="report the world as it stood then (default: now)",
    )
    sub.add_argument(
        "--strict", action="store_true", help="stop at the first bad row (exit status 2)"
    )
    sub.add_argument(
        "--max-bad-rows",
        type=_count,
        default=None,
        metavar="N",
        help="exit status 1 when the log has more than N bad rows (default: any number); "
        "status 1 also when the log's rows gave no ticket at all",
    )
    sub.add_argument(
        "--log-format",
        choices=("csv", "jsonl", "parquet"),
        help="the log's format (default: its suffix)",
    )
    progress = sub.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        action="store_true",
        default=None,
        help="tickets so far on stderr (default: when stderr is a terminal)",
    )
    progress.add_argument(
        "--no-progress", action="store_false", dest="progress", help="no progress on stderr"
    )


# -- output ------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M %Z}"
    if isinstance(value, timedelta):
        return f"{value / timedelta(hours=1):.2f} h"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _machine(value: object, *, zoned: bool = True) -> object:
    """A value for machines: RFC 9557 instants (with the zone) when *zoned*, else RFC 3339
    (an offset only, which CSV readers such as pandas' ``to_datetime`` take)."""
    if isinstance(value, datetime):
        return format_datetime(value) if zoned else value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _table(out: IO[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(header)]
    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def _write(
    out: IO[str],
    fmt: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    labels: Sequence[str] | None = None,
) -> None:
    """*rows* as a table (headed by *labels*, for people), CSV or JSON (headed by *header*)."""
    if fmt == "table":
        _table(out, labels or header, rows)
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([_machine(v, zoned=False) for v in row] for row in rows)
    else:
        json.dump(
            [dict(zip(header, (_machine(v) for v in row), strict=True)) for row in rows],
            out,
            indent=2,
        )
        out.write("\n")


# -- commands ----------------------------------------------------------------------------------


def _policy(args: argparse.Namespace) -> Policies:
    if args.policy is None:
        return WESTCOAST
    return _read_policy(args.policy)


def _policy_at(args: argparse.Namespace, at: datetime) -> SupportPolicy:
    """The policy, or the version of it in force at *at*."""
    policies = _policy(args)
    return policies.in_force(at) if isinstance(policies, PolicyVersions) else policies


def _read_policy(path: Path) -> Policies:
    """A SupportPolicy or PolicyVersions document, by its "type"."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"policy {path} is not UTF-8 (byte 0x{exc.object[exc.start]:02x} at {exc.start}): "
            "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read policy {path}: {exc.strerror or exc}") from None
    kind: type[Policies] = SupportPolicy
    # A document nested too deeply for the peek is refused by from_json below, as one line.
    with contextlib.suppress(ValueError, RecursionError):
        document = json.loads(text)
        if isinstance(document, dict) and document.get("type") == PolicyVersions.__name__:
            kind = PolicyVersions
    try:
        return from_json(kind, text)
    except DataError as exc:
        raise DataError(f"policy {path}: {exc}") from None


def _due(args: argparse.Namespace, out: IO[str]) -> None:
    policy = _policy_at(args, args.lodged_at)
    due = policy.response_due(args.priority, args.lodged_at)
    target = policy.target_for(args.priority)
    row = (args.priority.value, args.lodged_at, due, target.description, target.rules[0])
    _write(out, args.format, ("priority", "lodged_at", "due", "target", "rule"), [row])


def _explain(args: argparse.Namespace, out: IO[str]) -> None:
    explanation = _policy_at(args, args.lodged_at).explain(args.priority, args.lodged_at)
    out.write(
        (to_json(explanation, indent=2) if args.format == "json" else str(explanation)) + "\n"
    )


def _assess(args: argparse.Namespace, out: IO[str]) -> None:
    assessment = _policy_at(args, args.at).assess(
        Enquiry(
            lodged_at=args.at,
            channel=args.channel,
            impact=args.impact,
            category=args.category,
            raised_by=args.raised_by,
            country=args.country,
            licence_via_westcoast=not args.licence_elsewhere,
            partner_centre_account=not args.no_partner_centre_account,
        )
    )
    if args.format == "json":
        out.write(to_json(assessment, indent=2) + "\n")
        return
    facts = (
        ("coverage", assessment.coverage.value),
        ("priority", assessment.priority),
        ("response due", assessment.response_due),
        (
            "escalation ceiling",
            assessment.escalation_ceiling and f"Tier {assessment.escalation_ceiling}",
        ),
        ("instead", assessment.redirect),
        ("rules", ", ".join(assessment.rules)),
    )
    for name, value in facts:
        if value is not None:
            out.write(f"{name + ':':<20}{_cell(value)}\n")
    out.write("why:\n")
    for notice in assessment.notices:
        out.write(f"  {notice}\n")


class _Progress:
    """Progress on stderr for long files: tickets and rows so far, and the rate."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.tickets = 0

    def tick(self) -> None:
        self.tickets += 1
        if self.enabled and self.tickets % 10_000 == 0:
            rate = self.tickets / (time.perf_counter() - self.started)
            sys.stderr.write(f"\r{PROG}: {self.tickets:,} tickets ({rate:,.0f}/s)")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.tickets >= 10_000:
            sys.stderr.write(f"\r{PROG}: {self.tickets:,} tickets, done.{' ' * 20}\n")


def _log(args: argparse.Namespace) -> list[Path]:
    """The files of the log: each path given, a pattern (``logs/*.csv``) as the files it
    matches, in order of name."""
    paths: list[Path] = []
    for given in args.log:
        try:
            if glob.has_magic(str(given)) and not given.exists():
                matched = sorted(glob.glob(str(given)))
                if not matched:
                    raise UsageError(f"no log file matches {given}")
                paths += map(Path, matched)
                continue
            if given.is_dir():
                raise UsageError(f"{given} is a directory: give the path of a log file")
            if not given.exists():
                raise UsageError(f"no such log file: {given}")
        except OSError as exc:  # a name too long for the system, say
            raise UsageError(f"cannot read the log {given}: {exc.strerror or exc}") from None
        paths.append(given)
    return paths


def _as_of(args: argparse.Namespace) -> datetime:
    # The edge of the library: the one place a clock is read, and only when not told.
    return args.as_of if args.as_of is not None else datetime.now(UTC)


def _report_errors(errors: list[batch.RowError], count: int) -> None:
    for error in errors:
        sys.stderr.write(f"{PROG}: {_one_line(str(error))}\n")
    if count > len(errors):
        sys.stderr.write(f"{PROG}: ... and {count - len(errors)} more bad rows\n")


def _data_status(args: argparse.Namespace, tickets: int, bad_rows: int) -> int:
    """The exit status of a report that was made: 0, or 1 when the data failed (said in one
    line on stderr): the log's rows gave no ticket that could be judged, or more bad rows than
    --max-bad-rows."""
    if tickets == 0 and bad_rows:
        sys.stderr.write(
            f"{PROG}: the log gave no ticket: every one of its {bad_rows} rows was bad\n"
        )
        return 1
    if args.max_bad_rows is not None and bad_rows > args.max_bad_rows:
        sys.stderr.write(
            f"{PROG}: {bad_rows} bad rows, more than --max-bad-rows {args.max_bad_rows}\n"
        )
        return 1
    return 0


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of rows, 0 or more; got {text!r}")
    return int(text)


_ROW_HEADER = batch.TicketRow._fields
_SUMMARY_HEADER = batch.PrioritySummary._fields
_SUMMARY_LABELS = (
    "priority",
    "tickets",
    "met",
    "breached",
    "pending",
    "no target",
    "breach rate",
    "median h",
    "p90 h",
)


def _report(args: argparse.Namespace, out: IO[str]) -> int:
    policy = _policy(args)
    as_of = _as_of(args)
    log = _log(args)
    progress = _Progress(sys.stderr.isatty() if args.progress is None else args.progress)
    summary = batch.SlaSummary()
    shown: list[batch.RowError] = []
    jobs = args.jobs if args.jobs is not None else batch.cpu_count()
    plot = _plotter(args.plot)  # before the work: a missing extra is said at once
    kept: list[batch.TicketRow] = []

    def report() -> Iterator[batch.TicketRow | batch.RowError]:
        wanted = args.rows or plot is not None
        if args.dask is None:
            yield from batch.report_log(
                policy,
                log,
                as_of=as_of,
                strict=args.strict,
                summary=summary,
                rows=wanted,
                format=args.log_format,
                progress=progress.tick if progress.enabled else None,  # not a call a ticket
                jobs=jobs,
            )
            return
        try:
            from westcoast_rules import frames  # noqa: PLC0415  (the extras only for --dask)
        except ImportError:  # frames' own extra missing: say the one --dask needs
            raise MissingExtraError(
                "--dask needs dask, distributed, pyarrow, numpy and narwhals: pip install "
                '"westcoast-rules[dask]"'
            ) from None

        with _quiet_dask():
            found, counted = frames.report_files(
                policy,
                log,
                as_of=as_of,
                address=args.dask,
                format=args.log_format,
                strict=args.strict,
                rows=wanted,
            )
        summary.merge(counted)
        yield from found

    def rows() -> Iterator[batch.TicketRow]:
        for item in report():
            if isinstance(item, batch.RowError):
                if len(shown) < 20:
                    shown.append(item)
            else:
                if plot is not None:
                    kept.append(item)
                yield item

    if args.rows:
        _stream_rows(out, args.format, rows())
    else:
        for _ in rows():
            pass
        if args.format == "table":
            unreadable = summary.unreadable_tickets
            out.write(
                f"As of {_cell(as_of)}: {summary.tickets:,} tickets, {summary.bad_rows} bad rows"
                + (f", {unreadable} tickets unreadable" if unreadable else "")
                + "\n"
            )
        if args.by_version:
            parts = sorted(summary.versions.items())
            table = [(version, *row) for version, part in parts for row in part.priorities()]
            header = ("policy_version", *_SUMMARY_HEADER)
            _write(out, args.format, header, table, ("version", *_SUMMARY_LABELS))
        else:
            _write(out, args.format, _SUMMARY_HEADER, summary.priorities(), _SUMMARY_LABELS)
    progress.done()
    _report_errors(shown, summary.bad_rows)
    if plot is not None:
        plot(kept)
    return _data_status(args, summary.tickets - summary.unreadable_tickets, summary.bad_rows)


@contextlib.contextmanager
def _quiet_dask() -> Iterator[None]:
    """Dask's and distributed's own warnings (shuffle notices, ...) kept off the terminal:
    they are not the report's. Shown when asked for, with ``python -W`` or PYTHONWARNINGS."""
    with warnings.catch_warnings():
        if not sys.warnoptions:
            warnings.filterwarnings("ignore", module=r"(dask|distributed)(\.|$)")
        yield


def _plotter(path: Path | None) -> Callable[[list[batch.TicketRow]], None] | None:
    """What draws ``--plot FILE``: the breach rate by month (``plots.breach_rate``)."""
    if path is None:
        return None
    from westcoast_rules import plots  # noqa: PLC0415  (matplotlib only when a plot is asked for)

    def draw(rows: list[batch.TicketRow]) -> None:
        figure = plots.breach_rate(rows)
        try:
            figure.savefig(path)
        except OSError as exc:
            raise UsageError(f"cannot write the plot {path}: {exc.strerror or exc}") from None

    return draw


def _hours(text: str) -> float:
    """A number of hours for a target: more than 0, at most a year (8784)."""
    try:
        hours = float(text)
    except ValueError:
        hours = math.nan
    if not 0 < hours <= 8_784:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"expected hours above 0 and at most 8784, got {text!r}")
    return hours


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more; got {text!r}")
    return int(text)


def _stream_rows(out: IO[str], fmt: str, rows: Iterator[batch.TicketRow]) -> None:
    """Rows as they come: memory stays flat whatever the size of the log."""
    if fmt == "table":
        # A table needs its widths; hold the rows (use csv or json for very large logs).
        _table(out, _ROW_HEADER, list(rows))
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_ROW_HEADER)
        for row in rows:
            writer.writerow([_machine(v, zoned=False) for v in row])
    else:
        for row in rows:  # JSON Lines: one object per ticket
            out.write(json.dumps(dict(zip(_ROW_HEADER, map(_machine, row), strict=True))) + "\n")


def _other_policy(args: argparse.Namespace, base: Policies) -> Policies:
    policy = _read_policy(args.against) if args.against is not None else base
    first = policy.policies[0] if isinstance(policy, PolicyVersions) else policy
    changes = _changes(args, first)
    targets = [(p, h) for p, h in ((Priority.P1, args.p1_hours), (Priority.P2, args.p2_hours)) if h]
    if not changes and not targets and args.against is None:
        raise UsageError(
            "say what to change: --against FILE, or --p1-hours, --p2-hours, "
            "--auto-resolve-days, --reopen-days, --chase-days"
        )

    def changed(version: SupportPolicy) -> SupportPolicy:
        version = attrs.evolve(version, **changes)
        for priority, hours in targets:  # the same clock, another allowance
            version = version.with_target(priority, timedelta(hours=hours), version=version.version)
        return version

    if isinstance(policy, PolicyVersions):  # the same change to every version
        return policy.map(changed)
    return changed(policy)


def _changes(args: argparse.Namespace, policy: SupportPolicy) -> dict[str, Any]:
    """The fields the what-if options change, beyond the response targets."""
    changes: dict[str, Any] = {}
    if args.auto_resolve_days is not None:
        changes["auto_resolve_after_business_days"] = args.auto_resolve_days
    if args.reopen_days is not None:
        changes["reopen_window_days"] = args.reopen_days
    if args.chase_days is not None:
        changes["chase_every_business_days"] = args.chase_days
    return changes


def _whatif(args: argparse.Namespace, out: IO[str]) -> int:
    before = _policy(args)
    after = _other_policy(args, before)
    as_of = _as_of(args)
    report = batch.what_if(before, after, _log(args), as_of=as_of, format=args.log_format)
    header = (*batch.TicketDiff._fields, "breach_flip")
    if args.format == "table":
        out.write(
            f"As of {_cell(as_of)}: {report.tickets:,} tickets, {len(report.changed):,} "
            f"changed; breaches: {report.now_breached} new, {report.no_longer_breached} gone\n"
        )
    if args.summary:
        _write(out, args.format, ChangeSummary._fields, report.summary())
    else:
        _write(out, args.format, header, [(*diff, diff.breach_flip) for diff in report.changed])
    _report_errors(list(report.errors[:20]), len(report.errors))
    return _data_status(args, report.tickets, len(report.errors))


def _calendar(args: argparse.Namespace, out: IO[str]) -> None:
    policies = _policy(args)
    if isinstance(policies, PolicyVersions):  # the version in force as the year starts
        wall = policies.policies[0].calendar.open_time
        start = wall.local(wall.midnight(date(args.year, 1, 1)))
        policies = policies.in_force(max(start, policies.versions[0][0]))
    calendar = policies.calendar
    holidays = calendar.holidays_in(args.year)
    day = date(args.year, 1, 1)
    business_days = 0
    while day.year == args.year:
        business_days += calendar.is_business_day(day)
        day += timedelta(days=1)
    rows = [(d, d.strftime("%A"), "; ".join(why)) for d, why in holidays.items()]
    if args.format == "table":
        out.write(f"{args.year}: {business_days} business days; closed on\n")
    _write(out, args.format, ("date", "weekday", "closed for"), rows)


_COMMANDS = {
    "due": _due,
    "explain": _explain,
    "assess": _assess,
    "report": _report,
    "whatif": _whatif,
    "calendar": _calendar,
}


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Run the command line; returns the exit status: 0 when it did what was asked; 1 when a
    report was made but the data failed (no ticket in a log of rows, or more bad rows than
    ``--max-bad-rows``); 2 when the input was refused (one line on stderr)."""
    args = _parser().parse_args(argv)
    try:
        status = _COMMANDS[args.command](args, out or sys.stdout)
    except WestcoastRulesError as exc:
        sys.stderr.write(f"{PROG}: error: {str(exc).splitlines()[0]}\n")
        return 2
    except BrokenPipeError:  # `westcoast-rules report ... | head`
        sys.stderr.close()
        return 0
    return status or 0


def main_exit() -> None:
    """The console script: run :func:`main` and exit with its status."""
    sys.exit(main())


if __name__ == "__main__":
    main_exit()
