"""Hypothesis profiles: `default` for everyday runs, `thorough` for a deeper search, `census`
for the once-a-release count of 100,000 examples a property (the frames kernels against the
scalar calendar: `HYPOTHESIS_PROFILE=census pytest tests/test_frames.py -k row_by_row`), and
`mutation` for the mutation run (few examples, the same every run: each mutant is judged
alike)."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", deadline=None)
settings.register_profile(
    "thorough", deadline=None, max_examples=2_000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "census",
    deadline=None,
    max_examples=100_000,
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
