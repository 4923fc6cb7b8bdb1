"""Run every example in the docs, the README and the docstrings as a test (Sybil)."""

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

pytest_collect_file = (_markdown + _docstrings).pytest()
