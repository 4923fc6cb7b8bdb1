"""The command line's promise for hostile input: one line on stderr, exit status 2."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from westcoast_rules.cli import main

AS_OF = "2026-12-31T12:00:00+00:00"
EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv")


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The one line *argv* is refused with; fails unless the status is 2 and the line one."""
    try:
        status = main(argv, out=io.StringIO())
    except SystemExit as exited:  # argparse's own checks exit directly
        status = int(str(exited.code))
    err = capsys.readouterr().err
    assert 2 == status
    assert err.endswith("\n")
    assert [err[:-1]] == err[:-1].splitlines()
    return err


@pytest.mark.parametrize("depth", [500, 1_000, 5_000, 100_000])
@pytest.mark.parametrize("opening", ['{"a":', "["])
@pytest.mark.parametrize("where", ["--policy", "--against"])
def test_a_policy_nested_too_deeply_is_refused_in_one_line(
    tmp_path: Path, depth: int, opening: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    closing = "}" if opening.startswith("{") else "]"
    policy = tmp_path / "deep.json"
    policy.write_text(opening * depth + "1" + closing * depth, encoding="utf-8")
    if where == "--policy":
        argv = ["--policy", str(policy), "due", "P2", "2026-11-20T17:00:00+00:00"]
    else:
        argv = ["whatif", EXAMPLE, "--as-of", AS_OF, "--against", str(policy)]
    err = refused(argv, capsys)
    assert f"policy {policy}" in err
    assert "Traceback" not in err


def test_the_console_script_refuses_a_deep_policy_without_a_traceback(tmp_path: Path) -> None:
    policy = tmp_path / "deep.json"
    policy.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code = "from westcoast_rules.cli import main_exit; main_exit()"
    argv = ["--policy", str(policy), "due", "P2", "2026-11-20T17:00:00+00:00"]
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )
    assert 2 == done.returncode
    assert 1 == len(done.stderr.splitlines())
    assert "nested too deeply" in done.stderr  # deep enough for Python 3.13's parser too
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["due", "P2", "2026-11-20\nT17:00:00+00:00"],
        ["report", EXAMPLE, "--as-of", AS_OF, "--max-bad-rows", "1\n2"],
        ["report", "a\nb.csv", "--as-of", AS_OF],
        ["--policy", "policy\n.json", "due", "P2", "2026-11-20T17:00:00+00:00"],
        ["whatif", EXAMPLE, "--as-of", AS_OF, "--against", "other\r\n.json"],
        ["calendar", "2026\u2028"],
        ["re\nport"],
    ],
    ids=["instant", "unrecognised", "log", "policy", "against", "separator", "command"],
)
def test_an_argument_with_a_line_break_is_refused_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(argv, capsys)
    assert "line break" in err
    broken = next(arg for arg in argv if len(arg.splitlines()) > 1 or arg.endswith("\u2028"))
    assert broken.splitlines()[0] in err  # the argument is named, its break escaped
