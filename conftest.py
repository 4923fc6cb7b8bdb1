"""Run every example in the docs, the README and the docstrings as a test (Sybil).

Each example is a test item of its own, which says exactly which example failed. For a
mutation run (``WESTCOAST_WHOLE_DOCUMENTS=1``, set by ``scripts/mutation_score.py``) each
document is one item instead, its examples run in order: mutmut runs only the items that reach
a mutant, and an example run without the earlier examples of its document would fail on a
``NameError``, so that every mutant would look killed.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser

_markdown = Sybil(
    parsers=[SkipParser(), PythonCodeBlockParser()],
    patterns=["*.md"],
    excludes=["CHANGELOG.md"],
    name="markdown",
)
_docstrings = Sybil(parsers=[DocTestParser()], patterns=["*.py"], path="src", name="docstrings")
_DOCUMENTS = (_markdown, _docstrings)

# Documents whose examples take minutes, not seconds: the Dask how-to starts a cluster, the
# notebook runs in a kernel of its own. Each is marked slow whole: an example left out of a
# document would leave the next one without its names.
SLOW_DOCUMENTS = frozenset({"docs/how-to/larger-than-one-machine.md", "docs/sla-analysis.ipynb"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the items of :data:`SLOW_DOCUMENTS` slow (``pytest -m "not slow"`` leaves them out);
    the tests that are slow say so themselves."""
    root = config.rootpath
    for item in items:
        place = item.path.relative_to(root) if item.path.is_relative_to(root) else item.path
        if place.as_posix() in SLOW_DOCUMENTS:
            item.add_marker(pytest.mark.slow)


if "forkserver" in multiprocessing.get_all_start_methods():
    # The report's worker processes start from a fork server (batch.pieces.START_METHOD), each
    # importing the package; the tests start a pool for every generated log they report with
    # jobs=2, so the server imports it once and forks workers that have it: 50 ms a pool, not
    # 1.5 s. The holiday data too: a worker's calendar imports it on its first question, and
    # every country of it comes in at once (0.4 s of CPU a worker, two workers a pool). The
    # workers still share nothing with the test process (the server is a fresh one).
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["westcoast_rules.batch.report", "holidays.countries"]
    )


class _WholeDocument(pytest.Item):
    """Every example of one document, in order, as one test."""

    def __init__(self, *, sybil: Sybil, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sybil = sybil

    def runtest(self) -> None:
        if "import polars" in self.path.read_text(encoding="utf-8"):
            # mutmut forks a child per mutant from a process whose polars thread pool has run;
            # polars then waits forever in the child, and the mutant would count as killed.
            pytest.skip("polars does not survive the fork of a mutation run")
        for example in self.sybil.parse(self.path):
            example.evaluate()

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"{self.path.name}, every example"


class _DocumentFile(pytest.File):
    def __init__(self, *, sybil: Sybil, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sybil = sybil

    def collect(self) -> list[pytest.Item]:
        return [_WholeDocument.from_parent(self, name="document", sybil=self.sybil)]


if os.environ.get("WESTCOAST_WHOLE_DOCUMENTS"):

    def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.File | None:
        for sybil in _DOCUMENTS:
            if sybil.should_parse(file_path):
                return _DocumentFile.from_parent(parent, path=file_path, sybil=sybil)
        return None

else:
    pytest_collect_file = (_markdown + _docstrings).pytest()
