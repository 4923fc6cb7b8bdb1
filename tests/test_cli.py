"""The command line: each command's output, formats, and exit status 2 on bad input."""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import westcoast_rules as wr
from westcoast_rules.batch import pieces
from westcoast_rules.cli import _parser, main

EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "westcoast_events.csv")
AS_OF = "2026-12-31T12:00:00+00:00"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def test_due_prints_the_due_and_its_rule() -> None:
    status, out = run("due", "P2", "2026-11-20T17:00:00+00:00")
    assert 0 == status
    assert "2026-11-23 11:00 GMT" in out
    assert "SLA-3" in out


def test_due_as_json_and_csv() -> None:
    _, out = run("due", "P1", "2027-03-28T00:30:00+00:00", "--format", "json")
    assert "2027-03-28T03:30:00+01:00[Europe/London]" == json.loads(out)[0]["due"]
    _, out = run("due", "P3", "2026-11-21T10:00:00+00:00", "--format", "csv")
    # CSV gives RFC 3339 offsets, which any CSV reader takes; the zone is the policy's.
    assert "2026-11-23T18:00:00+00:00" == next(csv.DictReader(io.StringIO(out)))["due"]


def test_explain_prints_the_steps_and_rules() -> None:
    _, out = run("explain", "P2", "2026-12-24T17:00:00+00:00")
    assert "Boxing Day (substitute, GB-ENG)" in out
    assert "Rules: SLA-3, HOURS-1, HOURS-2" in out
    _, text = run("explain", "P2", "2026-12-24T17:00:00+00:00", "--format", "json")
    assert wr.from_json(wr.DueExplanation, text).due.day == 29


def test_assess_prints_the_decisions_with_their_rules() -> None:
    _, out = run(
        "assess", "--at", "2026-11-20T17:00:00+00:00", "--channel", "email", "--impact", "all_users"
    )
    assert "priority:           P2" in out
    assert "(PRIO-4)" in out
    _, out = run(
        "assess",
        "--at",
        "2026-11-20T17:00:00+00:00",
        "--channel",
        "phone",
        "--impact",
        "how_to",
        "--category",
        "partner_centre",
        "--no-partner-centre-account",
    )
    assert "logged_on_behalf" in out
    assert "(SLA-6)" in out


def test_report_summarises_the_example_log() -> None:
    status, out = run("report", EXAMPLE, "--as-of", AS_OF)
    assert 0 == status
    assert "2,993 tickets, 0 bad rows" in out.splitlines()[0]
    assert ["priority", "tickets", "met"] == out.splitlines()[1].split()[:3]


def test_report_rows_stream_as_csv() -> None:
    _, out = run("report", EXAMPLE, "--as-of", AS_OF, "--rows", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) > 2500
    assert {"met", "breached", "no_target"} <= {row["response"] for row in rows}


@pytest.mark.slow  # the whole example log
def test_report_in_two_processes_says_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pieces, "PIECE_BYTES", 50_000)  # the example log in ~20 pieces
    for argv in ((), ("--rows", "--format", "csv")):
        one = run("report", EXAMPLE, "--as-of", AS_OF, "--jobs", "1", *argv)
        two = run("report", EXAMPLE, "--as-of", AS_OF, "--jobs", "2", *argv)
        assert one == two


@pytest.mark.slow  # a log of 10,000 tickets or more: progress is shown every 10,000
def test_report_progress_is_shown_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = Path(EXAMPLE).read_text().splitlines()
    log = tmp_path / "events.csv"
    copies = [f"{copy}{line}" for copy in "ABCD" for line in lines[1:]]  # 11,972 tickets
    log.write_text("\n".join([lines[0], *copies]) + "\n")
    argv = ("report", str(log), "--as-of", AS_OF, "--jobs", "1")
    shown = run(*argv, "--progress")
    err = capsys.readouterr().err
    assert "10,000 tickets (" in err
    assert err.endswith("11,972 tickets, done." + " " * 20 + "\n")
    assert shown == run(*argv, "--no-progress")
    assert "" == capsys.readouterr().err
    assert "11,972 tickets, 0 bad rows" in shown[1]


def test_whatif_counts_breach_flips() -> None:
    _, out = run("whatif", EXAMPLE, "--as-of", AS_OF, "--p2-hours", "3")
    assert "breaches:" in out.splitlines()[0]


def test_calendar_lists_a_years_holidays() -> None:
    _, out = run("calendar", "2026")
    assert "Saint Patrick's Day (IE)" in out
    assert "2026: 248 business days" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("due", "P2", "2026-11-20T17:00"), "no UTC offset"),
        (
            ("due", "P4", "2026-11-20T17:00+00:00"),
            "'P4' is not a Priority: choose one of P1, P2, P3",
        ),
        (("report", "no-such-file.csv"), "no such log file"),
        (("report", EXAMPLE, "--jobs", "0"), "number of processes"),
        (("whatif", EXAMPLE), "say what to change"),
        (
            ("assess", "--at", "2026-11-20T17:00+00:00", "--channel", "fax", "--impact", "how_to"),
            "fax",
        ),
        (
            ("--policy", "no-such-policy.json", "due", "P2", "2026-11-20T17:00+00:00"),
            "cannot read policy",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        status = main(list(argv), out=io.StringIO())
    except SystemExit as exited:  # argparse's own checks exit directly
        status = int(str(exited.code))
    err = capsys.readouterr().err
    assert 2 == status
    assert 1 == len(err.strip().splitlines())
    assert message in err


def test_a_policy_file_changes_the_answers(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(wr.to_json(attrs.evolve(wr.WESTCOAST, territory=frozenset({"FR"}))))
    _, out = run(
        "--policy",
        str(path),
        "assess",
        "--at",
        "2026-11-20T17:00:00+00:00",
        "--channel",
        "phone",
        "--impact",
        "how_to",
    )
    assert "coverage:           refused" in out


@pytest.mark.slow  # the whole example log
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_report_plot_draws_the_breach_rate_figure(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"breaches{suffix}"
    status, out = run("report", EXAMPLE, "--as-of", AS_OF, "--plot", str(path), "--jobs", "1")
    assert 0 == status
    assert out.startswith("As of 2026-12-31 12:00 UTC: 2,993 tickets")  # the report, as ever
    picture = path.read_bytes()
    if suffix == ".png":
        assert picture.startswith(b"\x89PNG")
    else:
        assert b"<svg" in picture
        assert b"SLA breach rate per priority" in picture


def test_report_plot_refuses_another_suffix_and_a_missing_matplotlib(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", EXAMPLE, "--plot", str(tmp_path / "breaches.pdf")], out=io.StringIO())
    assert 2 == exited.value.code
    err = capsys.readouterr().err.strip().splitlines()
    assert 1 == len(err)
    assert "is not a .png or .svg file" in err[0]
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from westcoast_rules.cli import main\n"
        f"sys.exit(main(['report', {EXAMPLE!r}, '--plot', {str(tmp_path / 'b.png')!r}]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert 2 == done.returncode
    assert [
        "westcoast-rules: error: westcoast_rules.plots needs matplotlib, which is not installed: "
        'pip install "westcoast-rules[plots]"'
    ] == done.stderr.splitlines()
    assert "" == done.stdout  # nothing reported before the missing extra is said
    assert not (tmp_path / "b.png").exists()


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert 0 == exited.value.code
    assert capsys.readouterr().out.startswith("westcoast-rules ")


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("due", wr.Priority),
        ("explain", wr.Priority),
        ("assess", wr.Channel),
        ("assess", wr.Impact),
        ("assess", wr.Category),
        ("assess", wr.Party),
    ],
)
def test_help_lists_the_choices_of_every_enum_option(
    command: str, kind: type[wr.Priority], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = "{" + ",".join(member.value for member in kind) + "}"
    assert shown in capsys.readouterr().out.replace("\n", "").replace(" ", "")


def test_help_describes_every_positional_argument() -> None:
    parser = _parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    undescribed = [
        f"{name} {action.dest}"
        for name, sub in commands.choices.items()
        for action in sub._actions
        if not action.option_strings and not action.help
    ]
    assert [] == undescribed
    options = [
        f"{name} {action.option_strings[0]}"
        for name, sub in commands.choices.items()
        for action in sub._actions
        if action.option_strings and not action.help
    ]
    assert [] == options
