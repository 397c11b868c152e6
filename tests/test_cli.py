"""The poolplanner command, run as a user runs it: a separate process, exit codes, output."""

import json
import subprocess
import sys

import pytest

from planner import jsonio
from planner.store import PlanFile


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "planner", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


@pytest.fixture
def example_path(example_file):
    example_file.close()
    return example_file.path


@pytest.mark.parametrize("command", ["new", "check", "summary", "dump", "load"])
def test_every_command_has_help(command):
    r = run(command, "--help")
    assert r.returncode == 0
    assert "usage: poolplanner " + command in r.stdout


def test_new_blank_plan_has_no_findings(tmp_path):
    path = tmp_path / "blank.poolplan"
    r = run("new", path, "--name", "Test pool", "--first-year", "2025-26", "--years", "5")
    assert r.returncode == 0, r.stderr
    r = run("check", path)
    assert (r.returncode, r.stdout.strip()) == (0, "Test pool: no findings.")
    summary = json.loads(run("summary", path, "--json").stdout)
    assert summary["plan"]["years"] == ["2025-26", "2026-27", "2027-28", "2028-29", "2029-30"]


def test_new_refuses_to_overwrite(tmp_path, example_path):
    r = run("new", example_path, "--name", "X", "--first-year", "2025-26")
    assert r.returncode == 2
    assert "already exists" in r.stderr


def test_new_refuses_a_bad_year(tmp_path):
    r = run("new", tmp_path / "x.poolplan", "--name", "X", "--first-year", "2025-27")
    assert r.returncode == 2
    assert "not a financial year" in r.stderr


def test_check_exits_1_with_findings_and_explains_them(example_path):
    r = run("check", example_path)
    assert r.returncode == 1
    assert "[HIGH] over-commitment: Anyshire Police commits £1,200,000" in r.stdout
    findings = json.loads(run("check", example_path, "--json").stdout)
    assert {f["code"] for f in findings} == {
        "unconfirmed-funding",
        "short-settlement-cycle",
        "renewal-cliff",
        "over-commitment",
        "pool-deficit",
    }


def test_check_exits_2_for_a_file_it_cannot_open(tmp_path):
    path = tmp_path / "notes.poolplan"
    path.write_text("not a plan")
    r = run("check", path)
    assert r.returncode == 2
    assert "is not a Pool Planner plan" in r.stderr
    assert "Traceback" not in r.stderr


def test_summary_json_has_every_figure(example_path):
    s = json.loads(run("summary", example_path, "--json").stdout)
    y = s["years"]["2026-27"]
    assert y == {
        "contributions_pence": 360_000_000,
        "confirmed_pence": 110_000_000,
        "conditional_pence": 0,
        "indicative_pence": 200_000_000,
        "unfunded_pence": 50_000_000,
        "at_risk_pence": 250_000_000,
        "expenditure_pence": 300_000_000,
        "balance_pence": 60_000_000,
        "cumulative_balance_pence": 190_000_000,
        "confirmed_share": 0.3056,
    }
    ccg = next(b for b in s["bodies"] if b["name"] == "NHS Anytown CCG")
    assert ccg["confirmed_until"] == "2025-26"
    assert ccg["contributions_pence"] == {
        "2025-26": 200_000_000,
        "2026-27": 200_000_000,
        "2027-28": 200_000_000,
    }
    voluntary = next(b for b in s["bodies"] if b["name"] == "Anytown Voluntary Action")
    assert voluntary["confirmed_until"] is None
    f = s["findings"][0]
    assert set(f) >= {"code", "severity", "body", "years", "amount_pence", "message"}
    assert s["totals"]["contributions_pence"] == sum(
        v["contributions_pence"] for v in s["years"].values()
    )


def test_summary_text_is_a_readable_table(example_path):
    out = run("summary", example_path).stdout
    assert "2027-28" in out and "(£1,300,000)" in out  # the deficit year, negative in brackets
    assert "NHS Anytown CCG: to 2025-26; £4,000,000 at risk" in out


def test_dump_then_load_reproduces_the_plan(tmp_path, example_path):
    dumped = run("dump", example_path).stdout
    src = tmp_path / "plan.json"
    src.write_text(dumped)
    copy_ = tmp_path / "copy.poolplan"
    assert run("load", copy_, "--from", src).returncode == 0
    assert run("dump", copy_).stdout == dumped
    assert run("summary", copy_, "--json").stdout == run("summary", example_path, "--json").stdout
    r = run("load", copy_, "--from", src)
    assert r.returncode == 2 and "already exists" in r.stderr
    assert run("load", copy_, "--from", "-", "--force", stdin=dumped).returncode == 0


def test_load_of_broken_json_names_the_problem_and_writes_nothing(tmp_path, example_plan):
    data = jsonio.to_dict(example_plan)
    data["bodies"][2]["kind"] = "constabulary"
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(data))
    r = run("load", tmp_path / "out.poolplan", "--from", src)
    assert r.returncode == 2
    assert "bodies[2].kind" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out.poolplan").exists()


def test_load_of_a_binary_file(tmp_path):
    src = tmp_path / "photo.json"
    src.write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    r = run("load", tmp_path / "out.poolplan", "--from", src)
    assert r.returncode == 2 and "not UTF-8" in r.stderr


def test_reports_do_not_change_the_file(example_path):
    before = example_path.read_bytes()
    for command in ("check", "summary", "dump"):
        run(command, example_path)
    assert example_path.read_bytes() == before
    with PlanFile.open(example_path, read_only=True) as pf:
        assert pf.plan.name == "Worked example"


def app_run(*args, env=None):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ui.app import main; sys.exit(main(sys.argv[1:]))",
            *map(str, args),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_a_mistyped_command_is_not_opened_as_a_plan():
    r = app_run("chek", "x")
    assert r.returncode == 2 and "neither a command nor a plan file" in r.stderr


def test_no_display_gets_a_message_not_a_crash():
    import os

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    r = app_run(env=env)
    assert r.returncode == 2 and "no display" in r.stderr


def test_version_says_which_build_this_is(capsys):
    from planner import __version__
    from ui.app import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"poolplanner {__version__}"
