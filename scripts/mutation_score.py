"""Mutation testing of the rules' modules, and the score of each: run from the repository root.

    python scripts/mutation_score.py            # mutmut run, then the scores (an hour or more)
    python scripts/mutation_score.py --scores   # the scores of the last run only

mutmut (3.x, configured in pyproject.toml under [tool.mutmut]) changes the code of calendar,
lifecycle, policy, targets, intake, sla and events one small mutation at a time and runs the
tests that reach each mutant; a mutant the tests do not notice survives. The run uses the
`mutation` Hypothesis profile (few examples, the same every time) and makes each document of
examples one test (WESTCOAST_WHOLE_DOCUMENTS, see conftest.py). The score of a module is the
share of its mutants killed; a timeout counts as killed (the mutant broke something), a mutant
no test reaches counts as surviving. It is slow, so it is not part of CI.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLED = {"killed", "timeout"}
MODULE = re.compile(r"^\s*westcoast_rules\.(\w+)\.")


def run_mutmut() -> None:
    env = {**os.environ, "WESTCOAST_WHOLE_DOCUMENTS": "1", "HYPOTHESIS_PROFILE": "mutation"}
    subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", str(os.cpu_count() or 2)],
        cwd=ROOT,
        env=env,
        check=False,
    )


def scores() -> dict[str, Counter[str]]:
    """The states of the mutants of each module, from ``mutmut results --all true``."""
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    states: dict[str, Counter[str]] = {}
    for line in done.stdout.splitlines():
        name, _, state = line.rpartition(":")
        module = MODULE.match(name)
        if module:
            states.setdefault(module[1], Counter())[state.strip()] += 1
    return states


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", action="store_true", help="only report the last run")
    args = parser.parse_args()
    if not args.scores:
        run_mutmut()
    print(f"{'module':<12} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>6}")
    total = Counter[str]()
    for module, states in sorted(scores().items()):
        total.update(states)
        count = sum(states.values())
        killed = sum(states[state] for state in KILLED)
        print(f"{module:<12} {count:>8} {killed:>7} {count - killed:>9} {killed / count:>6.1%}")
    count = sum(total.values())
    killed = sum(total[state] for state in KILLED)
    if count:
        print(f"{'all':<12} {count:>8} {killed:>7} {count - killed:>9} {killed / count:>6.1%}")


if __name__ == "__main__":
    main()
