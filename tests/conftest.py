"""Hypothesis profiles: `default` for everyday runs, `thorough` for a deeper search, `census`
for the once-a-release count of over 100,000 examples across the three frames kernels'
properties against the scalar calendar (34,000 each: `HYPOTHESIS_PROFILE=census pytest
tests/test_frames.py -k row_by_row --hypothesis-show-statistics`), and
`mutation` for the mutation run (few examples, the same every run: each mutant is judged
alike)."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile(
    "thorough", deadline=None, max_examples=2_000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "census",
    deadline=None,
    max_examples=34_000,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "mutation",
    deadline=None,
    max_examples=12,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for one test module's files, each written over the last: a property test that
    writes a file for each of its examples writes it here, not in a folder made and removed for
    each (``tmp_path`` is one per test, not one per example)."""
    return tmp_path_factory.mktemp("files")
