"""The published docs cannot drift from the code: the generated pages, the rule-to-API map."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from xml.etree import ElementTree

import pytest

import westcoast_rules as wr
from westcoast_rules import diagram

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("westcoast_docs_hooks", DOCS / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


hooks = _load_hooks()


def _page(name: str) -> str:
    """The page as MkDocs publishes it: the source with the hook's markers filled in."""
    page: str = hooks.fill((DOCS / name).read_text(encoding="utf-8"), name)
    return page


def test_every_rule_is_mapped_to_the_api_that_implements_it() -> None:
    unmapped = [rule for rule in wr.RULES if not hooks.IMPLEMENTED_BY.get(rule)]
    assert [] == unmapped


def test_the_map_names_only_rules_in_the_catalogue() -> None:
    assert [] == [rule for rule in hooks.IMPLEMENTED_BY if rule not in wr.RULES]


@pytest.mark.parametrize(
    "name", sorted({name for names in hooks.IMPLEMENTED_BY.values() for name in names})
)
def test_every_mapped_name_is_a_real_attribute_of_the_package(name: str) -> None:
    found: object = wr
    for part in name.split("."):
        assert hasattr(found, part), f"westcoast_rules.{name}: no attribute {part!r}"
        found = getattr(found, part)


def test_the_rules_page_has_a_linkable_row_for_every_rule() -> None:
    page = _page("rules.md")
    assert hooks.RULES_MARKER not in page
    for rule in wr.RULES.values():
        assert f'<a id="{rule.id.lower()}" href="#{rule.id.lower()}"' in page
        assert rule.text.replace("|", "\\|") in page
        if rule.decision:
            assert f"**Decision:** {rule.decision.replace('|', chr(92) + '|')}" in page


def test_the_rules_page_links_each_rule_to_its_api() -> None:
    page = _page("rules.md")
    assert "[`SupportPolicy.response_due`][westcoast_rules.SupportPolicy.response_due]" in page


def test_the_lifecycle_diagram_is_generated_from_the_transition_table() -> None:
    assert wr.mermaid() == hooks.diagram_source()
    assert diagram.dot() == hooks.diagram_dot()
    page = _page("lifecycle.md")
    fences = re.findall(r"```text\n(stateDiagram-v2.*?)\n```", page, flags=re.DOTALL)
    assert [wr.mermaid()] == fences
    assert 1 == page.count(hooks.diagram_svg())
    assert "```mermaid" not in page  # a mermaid fence would load mermaid.js from a CDN


SVG = "{http://www.w3.org/2000/svg}"


def _texts(group: ElementTree.Element) -> str:
    return " ".join(text.text or "" for text in group.iter(f"{SVG}text"))


def test_the_lifecycle_svg_names_every_state_and_every_event_between_them() -> None:
    """Laid out by Graphviz: each state a box, each arrow labelled with its events and rules,
    and the picture made for the page: no script, nothing from the network."""
    svg = hooks.diagram_svg()
    picture = ElementTree.fromstring(svg)
    groups: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for group in picture.iter(f"{SVG}g"):
        if group.get("class") in groups:
            groups[group.get("class", "")][group.findtext(f"{SVG}title", "")] = _texts(group)
    boxes, arrows = groups["node"], groups["edge"]
    names = [text.split()[0] for text in boxes.values() if text]  # the start and end: no text
    assert sorted(state.name for state in wr.State) == sorted(names)
    for (source, target), labels in diagram.edges().items():
        if source is target:  # an event that keeps the state is listed in its box
            assert f"{source.name} {' '.join(labels)}" == boxes[source.name]
        else:
            assert " ".join(labels) == arrows[f"{source.name}->{target.name}"]
    assert "Lodged (PROC-1)" in " ".join(arrows.values())
    assert [] == list(picture.iter(f"{SVG}script"))
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_without_graphviz_the_docs_build_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(hooks.GeneratedPageError, match="apt-get install graphviz"):
        hooks.diagram_svg()


def test_the_transitions_table_has_one_row_per_transition() -> None:
    page = _page("lifecycle.md")
    rows = [
        line
        for line in page.splitlines()
        if re.match(r"\| (`[A-Z_]+`(, `[A-Z_]+`)*|\*\(a new ticket\)\*) \| \[`", line)
    ]
    assert len(wr.TRANSITIONS) == len(rows)


def test_a_page_that_lost_its_marker_stops_the_build() -> None:
    with pytest.raises(hooks.GeneratedPageError, match=r"rules\.md must contain"):
        hooks.fill("# The rules\n", "rules.md")


def test_the_api_reference_documents_every_public_name() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: westcoast_rules\.(\w+)$", api, flags=re.MULTILINE))
    assert [] == sorted(set(wr.__all__) - documented)


def test_a_page_that_loads_a_script_from_another_host_stops_the_build() -> None:
    cdn = '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>'
    with pytest.raises(hooks.GeneratedPageError, match="another host"):
        hooks.offline(f"<html>{cdn}</html>", "lifecycle.md")
    notebook = (
        '<p>a</p><script type="module">\n const m = await import('
        '"https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs");\n'
        '</script><script src=""> </script><p>b</p>'
    )
    assert "<p>a</p><p>b</p>" == hooks.offline(notebook, "sla-analysis.ipynb")


@pytest.mark.slow  # the whole example log
def test_the_plotting_how_to_carries_its_figures_drawn_from_the_code() -> None:
    page = _page("how-to/plot.md")
    assert 3 == page.count('<img class="wr-figure"')
    assert 3 == page.count('src="data:image/png;base64,iVBOR')  # PNGs, carried in the page
    assert "<!-- generated: figure" not in page
