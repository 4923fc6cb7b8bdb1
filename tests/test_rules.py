"""The rules catalogue matches the policy document, and the code cites only real rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import westcoast_rules as wr

ROOT = Path(__file__).resolve().parent.parent
POLICY_MD = ROOT.parent / "shared" / "POLICY.md"
RULE_ID = re.compile(r"\b(?:HOURS|PRIO|SLA|ESC|PROC|SCOPE)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")


@pytest.mark.skipif(not POLICY_MD.exists(), reason="the policy document lives in ../shared")
def test_the_catalogue_names_exactly_the_rules_of_the_policy_document() -> None:
    table_ids = re.findall(
        r"^\| ((?:HOURS|PRIO|SLA|ESC|PROC|SCOPE)-[A-Z0-9-]+) \|", POLICY_MD.read_text(), re.M
    )
    assert table_ids == list(wr.RULES)


def test_every_rule_id_cited_in_the_code_is_in_the_catalogue() -> None:
    cited = set()
    for path in (ROOT / "src").rglob("*.py"):
        cited |= set(RULE_ID.findall(path.read_text()))
    assert set() == cited - set(wr.RULES)


def test_every_rule_has_a_title_a_text_and_a_source() -> None:
    for rule_id, rule in wr.RULES.items():
        assert rule_id == rule.id
        assert rule.title
        assert rule.text
        assert rule.source
