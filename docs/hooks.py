"""MkDocs hook: generate the rules page and the lifecycle page from the code, at build time.

``docs/rules.md`` and ``docs/lifecycle.md`` hold prose and a marker; :func:`on_page_markdown`
replaces each marker with Markdown built from ``westcoast_rules.RULES`` and
``westcoast_rules.TRANSITIONS``, so the published pages cannot fall behind the code. A page that
has lost its marker, a rule with no entry in :data:`IMPLEMENTED_BY`, or an entry naming
something the package does not have stops the build.

Importing this module needs only ``westcoast_rules`` (``tests/test_docs.py`` imports it by path).
"""

from __future__ import annotations

import base64
import functools
import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import westcoast_rules as wr
from westcoast_rules.diagram import dot
from westcoast_rules.lifecycle import Relative, leads_to

RULES_MARKER = "<!-- generated: rules -->"
DIAGRAM_MARKER = "<!-- generated: lifecycle diagram -->"
TRANSITIONS_MARKER = "<!-- generated: transitions table -->"
BREACH_RATE_MARKER = "<!-- generated: figure breach_rate -->"
RESPONSE_TIMES_MARKER = "<!-- generated: figure response_times -->"
TIMELINE_MARKER = "<!-- generated: figure timeline -->"
NO_SOURCE = "*(a new ticket)*"
"""The state cell of the row that makes a ticket: it has no state before."""
MARKERS = {
    "rules.md": (RULES_MARKER,),
    "lifecycle.md": (DIAGRAM_MARKER, TRANSITIONS_MARKER),
    "how-to/plot.md": (BREACH_RATE_MARKER, RESPONSE_TIMES_MARKER, TIMELINE_MARKER),
}

# Which public names implement each rule: attributes of the `westcoast_rules` package, dotted
# for members. Linked from the rules page into the API reference.
IMPLEMENTED_BY: dict[str, list[str]] = {
    # -- hours and calendar
    "HOURS-1": [
        "BusinessCalendar.is_open",
        "BusinessCalendar.is_business_day",
        "BusinessCalendar.hours_on",
        "WESTCOAST_HOURS",
        "SpecialHours",
        "Window.overnight",
    ],
    "HOURS-2": ["BusinessCalendar.why_closed", "BusinessCalendar.holidays_in", "DEFAULT_REGIONS"],
    "HOURS-3": ["SupportPolicy.response_due", "Clock.REAL_TIME"],
    "HOURS-4": ["BusinessCalendar.add", "BusinessCalendar.elapsed", "SupportPolicy.response_due"],
    "HOURS-5": ["NaiveDatetimeError", "LONDON"],
    # -- priority and channel
    "PRIO-1": ["Impact.ALL_USERS", "SupportPolicy.assess"],
    "PRIO-2": ["Impact.SOME_USERS", "SupportPolicy.assess"],
    "PRIO-3": ["Impact.HOW_TO", "SupportPolicy.assess"],
    "PRIO-4": [
        "SupportPolicy.assess",
        "SupportPolicy.lodge",
        "SupportPolicy.p1_channels",
        "SupportPolicy.p1_by_other_channel_becomes",
    ],
    "PRIO-5": ["SupportPolicy.assess", "SupportPolicy.lodge", "ScopeRule.max_priority"],
    # -- response targets
    "SLA-1": ["Acknowledged", "Ticket.responded_at", "ResponseState.MET"],
    "SLA-2": ["SupportPolicy.response_due", "RESPONSE_TARGETS"],
    "SLA-3": ["SupportPolicy.response_due", "BusinessCalendar.add"],
    "SLA-4": [
        "SupportPolicy.response_due",
        "BusinessCalendar.next_business_day",
        "BusinessCalendar.close_of_business",
    ],
    "SLA-5": ["RESPONSE_TARGETS", "Deadlines"],
    "SLA-6": [
        "SupportPolicy.targets_apply_to",
        "Assessment.response_due",
        "Deadlines.response_due",
    ],
    # -- escalation
    "ESC-1": ["Tier"],
    "ESC-2": ["Escalated", "Tier.next"],
    "ESC-3": ["SupportPolicy.lodge", "SupportPolicy.p1_may_start_at_tier_2"],
    "ESC-4": ["ScopeRule.ceiling", "Assessment.escalation_ceiling", "Ticket.ceiling"],
    "ESC-5": ["ResolutionRejected", "SupportPolicy.reopen_at_ceiling_on_rejection"],
    # -- the incident process
    "PROC-1": ["SupportPolicy.lodge", "Lodged"],
    "PROC-2": ["InfoRequested", "InfoReceived", "Ticket.resumes"],
    "PROC-3": [
        "UpdateTimeframeAgreed",
        "SupportPolicy.chase_every_business_days",
        "Deadlines.next_chase",
    ],
    "PROC-4": [
        "AutoResolved",
        "SupportPolicy.advance",
        "SupportPolicy.auto_resolve_after_business_days",
        "BusinessCalendar.add_business_days",
        "Deadlines.auto_resolve_at",
    ],
    "PROC-5": ["Resolved", "ResolutionConfirmed"],
    "PROC-6": [
        "Reopened",
        "Closed",
        "SupportPolicy.advance",
        "SupportPolicy.reopen_window_days",
        "Deadlines.reopen_until",
    ],
    "PROC-7": ["Ticket.survey_due", "Deadlines.survey_due_at"],
    "PROC-8": ["SupportPolicy.apply", "TransitionError"],
    # -- scope
    "SCOPE-TERR": ["SupportPolicy.territory", "Enquiry.country"],
    "SCOPE-RESELLER": ["Party.END_USER", "SupportPolicy.assess"],
    "SCOPE-LIC": ["Enquiry.licence_via_westcoast", "SupportPolicy.assess"],
    "SCOPE-DNS": ["Category.DNS", "SCOPE_TABLE"],
    "SCOPE-NET": ["Category.LOCAL_NETWORK", "SCOPE_TABLE"],
    "SCOPE-CLIENT": ["Category.CLIENT_OFFICE", "SCOPE_TABLE"],
    "SCOPE-OS": ["Category.OPERATING_SYSTEM", "SCOPE_TABLE"],
    "SCOPE-MOBILE": ["Category.MOBILE_APP", "SCOPE_TABLE"],
    "SCOPE-PARTNER-ACCT": ["Category.PARTNER_ACCOUNT", "SCOPE_TABLE"],
    "SCOPE-MPN": ["Category.MPN", "SCOPE_TABLE"],
    "SCOPE-MIGRATION": ["Category.MIGRATION", "SCOPE_TABLE"],
    "SCOPE-RCA": ["Category.ROOT_CAUSE_ANALYSIS", "SCOPE_TABLE"],
    "SCOPE-VS": ["Category.VISUAL_STUDIO", "SCOPE_TABLE"],
    "SCOPE-PC": ["Category.PARTNER_CENTRE", "Enquiry.partner_centre_account", "SCOPE_TABLE"],
}


try:  # a clean message from `mkdocs build`; plain Exception where MkDocs is not installed
    from mkdocs.exceptions import PluginError as _BuildError
except ImportError:  # pragma: no cover
    _BuildError = Exception  # type: ignore[assignment,misc]


class GeneratedPageError(_BuildError):
    """The generated pages cannot be built from the code as it stands."""


def resolve(name: str) -> object:
    """The object a dotted public name refers to: ``getattr`` down from the package."""
    found: object = wr
    for part in name.split("."):
        found = getattr(found, part)
    return found


def check_mapping() -> None:
    """Refuse a rule missing from :data:`IMPLEMENTED_BY`, or an entry that names nothing."""
    problems = [f"{rule} has no entry" for rule in wr.RULES if not IMPLEMENTED_BY.get(rule)]
    problems += [f"{rule} is not in RULES" for rule in IMPLEMENTED_BY if rule not in wr.RULES]
    for rule, names in IMPLEMENTED_BY.items():
        for name in names:
            try:
                resolve(name)
            except AttributeError:
                problems.append(f"{rule}: westcoast_rules has no {name}")
    if problems:
        raise GeneratedPageError("docs/hooks.py IMPLEMENTED_BY: " + "; ".join(problems))


# -- the rules page -----------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def anchor(rule_id: str) -> str:
    """The fragment of a rule on the rules page: ``sla-3``."""
    return rule_id.lower()


def api_link(name: str) -> str:
    """A cross-reference into the API reference (mkdocstrings/autorefs identifier)."""
    return f"[`{name}`][westcoast_rules.{name}]"


def rules_markdown() -> str:
    """One table per group of ``RULES``, in catalogue order."""
    check_mapping()
    groups: dict[str, list[wr.Rule]] = {}
    for rule in wr.RULES.values():
        groups.setdefault(rule.group, []).append(rule)
    parts = []
    for group, rules in groups.items():
        rows = [f"## {group}", "", "| ID | Rule | Implemented by |", "|---|---|---|"]
        for rule in rules:
            text = f"**{_cell(rule.title)}.** {_cell(rule.text)}"
            if rule.decision:
                text += f"<br>**Decision:** {_cell(rule.decision)}"
            text += f'<br><span class="wr-source">Source: {_cell(rule.source)}</span>'
            links = "<br>".join(api_link(name) for name in IMPLEMENTED_BY[rule.id])
            rows.append(
                f'| <a id="{anchor(rule.id)}" href="#{anchor(rule.id)}" class="wr-rule-id">'
                f"{rule.id}</a> | {text} | {links} |"
            )
        parts.append("\n".join(rows))
    return "\n\n".join(parts)


# -- the lifecycle page -------------------------------------------------------------------------


def diagram_source() -> str:
    """The Mermaid text of the lifecycle: exactly ``westcoast_rules.mermaid()``."""
    return wr.mermaid()


def diagram_dot() -> str:
    """The lifecycle as Graphviz DOT text: exactly ``westcoast_rules.diagram.dot()``."""
    return dot()


_SVG_START = re.compile(r"<svg\b")
_COMMENT = re.compile(r"<!--.*?-->\s*", flags=re.DOTALL)


def diagram_svg() -> str:
    """The picture of the lifecycle, laid out by Graphviz's ``dot`` from :func:`diagram_dot`.

    Made for inline use in the page: no XML prolog, no DOCTYPE (it names a URL), no comments
    (they carry Graphviz's version), no xlink namespace (nothing links); a title for readers
    of screens. ``dot`` must be installed: Debian's package is ``graphviz``.
    """
    program = shutil.which("dot")
    if program is None:
        raise GeneratedPageError(
            "the lifecycle diagram is laid out by Graphviz's dot, which is not installed: "
            "apt-get install graphviz (or your system's graphviz package), then build again"
        )
    done = subprocess.run(
        [program, "-Tsvg"], input=diagram_dot(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise GeneratedPageError(f"dot could not lay out the lifecycle diagram: {done.stderr}")
    found = _SVG_START.search(done.stdout)
    if found is None:
        raise GeneratedPageError(f"dot gave no SVG for the lifecycle diagram: {done.stdout!r}")
    picture = _COMMENT.sub("", done.stdout[found.start() :])
    picture = picture.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    return picture.replace(
        "<svg ",
        '<svg role="img" aria-label="The ticket lifecycle: states and the events between them" ',
        1,
    ).strip()


def diagram_markdown() -> str:
    """The diagram drawn in the page itself (inline SVG: no script, nothing from the network),
    then its Mermaid text for other tools."""
    return (
        f'<div class="wr-diagram">\n{diagram_svg()}\n</div>\n\n'
        "The same diagram as Mermaid text ([`mermaid()`][westcoast_rules.mermaid]), for tools "
        f"that draw Mermaid:\n\n```text\n{diagram_source()}\n```"
    )


def _rule_link(rule_id: str) -> str:
    return f"[{rule_id}](rules.md#{anchor(rule_id)})"


def _next_state(row: wr.Transition) -> str:
    """The next-state cell of a row: its state, or where a relative target leads."""
    if isinstance(row.target, wr.State):
        return f"`{row.target.name}`"
    if row.target is Relative.SAME:
        return "the same state"
    back = {state: None for source in row.sources for state in leads_to(row, source)}
    return f"the state it was in ({' or '.join(state.name for state in back)})"


def transitions_markdown() -> str:
    """The transition table, one row per row of ``TRANSITIONS``: one rule, the states it
    applies in."""
    rows = ["| State | Event | Next state | Rule |", "|---|---|---|---|"]
    for row in wr.TRANSITIONS:
        sources = ", ".join(f"`{state.name}`" for state in row.sources) or NO_SOURCE
        event = row.event.__name__
        rows.append(
            f"| {sources} | [`{event}`][westcoast_rules.{event}] | {_next_state(row)} "
            f"| {_rule_link(row.rule)} |"
        )
    return "\n".join(rows)


# -- the figures of the plotting how-to ---------------------------------------------------------
# Drawn at build time by the calls the page shows (its examples run them under the tests).

EXAMPLE_LOG = Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv"
_AS_OF = datetime(2026, 12, 31, 12, 0, tzinfo=wr.LONDON)


@functools.cache
def _example_report() -> Any:
    from westcoast_rules import batch  # noqa: PLC0415

    return batch.sla_report(wr.WESTCOAST, EXAMPLE_LOG, as_of=_AS_OF)


def figure_html(figure: Any, alt: str) -> str:
    """A figure as an image carried in the page (a PNG data URI): nothing to fetch."""
    picture = io.BytesIO()
    figure.savefig(picture, format="png", dpi=96)
    data = base64.b64encode(picture.getvalue()).decode("ascii")
    return f'<img class="wr-figure" alt="{alt}" src="data:image/png;base64,{data}">'


def breach_rate_figure() -> str:
    from westcoast_rules import plots  # noqa: PLC0415  (matplotlib: the docs extra has it)

    figure = plots.breach_rate(_example_report())
    return figure_html(figure, "The breach rate per priority, month by month, in 2026")


def response_times_figure() -> str:
    from westcoast_rules import plots  # noqa: PLC0415

    figure = plots.response_times(_example_report())
    return figure_html(figure, "Time to respond per priority, against its target")


def timeline_figure() -> str:
    from westcoast_rules import plots  # noqa: PLC0415

    policy, zone = wr.WESTCOAST, wr.LONDON
    ticket = policy.lodge(
        "WC-9", datetime(2026, 12, 22, 16, 0, tzinfo=zone), wr.Priority.P2, wr.Channel.EMAIL
    )
    ticket = policy.apply(ticket, wr.Acknowledged(datetime(2026, 12, 23, 9, 0, tzinfo=zone)))
    ticket = policy.apply(ticket, wr.InfoRequested(datetime(2026, 12, 23, 10, 0, tzinfo=zone)))
    figure = plots.timeline(policy, ticket, now=datetime(2027, 1, 6, 12, 0, tzinfo=zone))
    return figure_html(figure, "The story of ticket WC-9, lodged before Christmas")


_GENERATORS = {
    RULES_MARKER: rules_markdown,
    DIAGRAM_MARKER: diagram_markdown,
    TRANSITIONS_MARKER: transitions_markdown,
    BREACH_RATE_MARKER: breach_rate_figure,
    RESPONSE_TIMES_MARKER: response_times_figure,
    TIMELINE_MARKER: timeline_figure,
}


def fill(markdown: str, src_uri: str) -> str:
    """*markdown* with the markers of page *src_uri* replaced by their generated content."""
    for marker in MARKERS.get(src_uri, ()):
        if markdown.count(marker) != 1:
            raise GeneratedPageError(f"docs/{src_uri} must contain {marker} exactly once")
        markdown = markdown.replace(marker, _GENERATORS[marker]())
    return markdown


_DOCTEST_FENCE = re.compile(r"^```python\n(?=>>> )", flags=re.MULTILINE)


def highlight_doctests(markdown: str) -> str:
    """Mark doctest blocks ``pycon`` so output is not coloured as code.

    The source keeps ```` ```python ```` fences, which Sybil runs as doctests.
    """
    return _DOCTEST_FENCE.sub("```pycon\n", markdown)


_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*doctest:[^\n]*$", flags=re.MULTILINE)


def hide_doctest_directives(markdown: str) -> str:
    """*markdown* without ``# doctest: +SKIP`` and the like on its prompt lines, and without a
    ``...`` line that held only a directive: they are for the test runner, not the reader.

    The source keeps them, and Sybil reads the source. Docstrings get the same treatment from
    ``griffe_extension.py``.
    """
    out: list[str] = []
    for line in markdown.split("\n"):
        shown = _DIRECTIVE.sub("", line) if line.startswith((">>>", "...")) else line
        if shown != line and shown in (">>>", "..."):
            continue
        out.append(shown)
    return "\n".join(out)


# The notebook's HTML template (nbconvert's) brings a module that would import mermaid.js from a
# CDN if the notebook had Mermaid diagrams, and an empty MathJax script tag; it has neither.
_NOTEBOOK_MERMAID = re.compile(
    r'<script type="module">(?:(?!</script>).)*?https://cdnjs\.cloudflare\.com/ajax/libs/mermaid'
    r"(?:(?!</script>).)*?</script>",
    flags=re.DOTALL,
)
_EMPTY_SCRIPT = '<script src=""> </script>'
_REMOTE_SCRIPT = re.compile(r"""<script[^>]*\ssrc=["']?(?:https?:)?//|import\(["'](?:https?:)?//""")


def offline(html: str, where: str) -> str:
    """*html* with the notebook template's remote loaders taken out; a page that would still
    load a script from another host stops the build: the site must read with no network."""
    html = _NOTEBOOK_MERMAID.sub("", html).replace(_EMPTY_SCRIPT, "")
    found = _REMOTE_SCRIPT.search(html)
    if found:
        raise GeneratedPageError(f"{where} loads a script from another host: {found.group(0)}")
    return html


def on_post_page(output: str, *, page: Any, **kwargs: Any) -> str:
    """MkDocs event: every page as it is written, checked to need no network."""
    return offline(output, page.file.src_uri)


def on_page_markdown(markdown: str, *, page: Any, **kwargs: Any) -> str:
    """MkDocs event: fill in the generated parts of the rules and lifecycle pages."""
    return hide_doctest_directives(highlight_doctests(fill(markdown, page.file.src_uri)))
