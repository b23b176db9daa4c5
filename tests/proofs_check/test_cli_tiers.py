"""symland verify --tier ball|mp|float, the precision options, --time-budget and the progress bar."""

import io
import json

import pytest

from proofs_check.cli import main
from proofs_check.progress import ProgressBar

CSV = "x1,x2,y\n0,0,1\n1,0,-1\n0,1,1/2\n1,1,2\n2,1/3,0\n"
CLAIMS = ["--claim", "lem-3.3", "--claim", "thm-2.1", "--claim", "prop-2.3", "--claim", "thm-4.1"]


@pytest.fixture
def pts(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text(CSV)
    return str(path)


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("tier,verdict", [("ball", "certified"), ("mp", "numerical"), ("float", "numerical")])
def test_verify_deep_smoolu_in_each_inexact_tier(capsys, pts, tier, verdict):
    code, out, err = _run(capsys, "verify", "--data", pts, "--activation", "smoolu", "--widths", "2,4,6,1",
                          "--tier", tier, "--json", *CLAIMS)
    certs = json.loads(out)
    assert code == 0, err
    assert [(c["tier"], c["verdict"]) for c in certs] == [(tier, verdict)] * 4


def test_ball_precision_too_low_is_inconclusive_and_exit_1(capsys, tmp_path):
    path = tmp_path / "close.csv"
    path.write_text("x,y\n1,1\n1.0000000000000000000000000000000000000001,-1\n2,3\n")
    code, out, _ = _run(capsys, "verify", "--data", str(path), "--activation", "smoolu", "--tier", "ball",
                        "--prec", "64", "--max-prec", "128", "--json", "--claim", "thm-2.1")
    cert = json.loads(out)[0]
    assert (code, cert["verdict"]) == (1, "inconclusive")
    assert cert["evidence"].startswith("not certified up to 128 bits")
    code, out, _ = _run(capsys, "verify", "--data", str(path), "--activation", "smoolu", "--tier", "ball",
                        "--json", "--claim", "thm-2.1")
    assert (code, json.loads(out)[0]["verdict"]) == (0, "certified")


@pytest.mark.parametrize("argv,message", [
    (["--prec", "3"], "--prec: expected an integer between 8 and 1048576, got '3'"),
    (["--prec", "256", "--max-prec", "128"], "--max-prec 128 is below --prec 256"),
    (["--time-budget", "-1"], "--time-budget: expected a positive number of seconds, got '-1'"),
    (["--tier", "quad"], "argument --tier: invalid choice: 'quad'"),
])
def test_bad_tier_options_are_one_line_errors(capsys, pts, argv, message):
    code = main(["verify", "--data", pts, *argv])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


def test_time_budget_moves_auto_to_a_cheaper_tier(capsys, pts):
    code, out, _ = _run(capsys, "verify", "--data", pts, "--activation", "smoolu", "--widths", "2,4,6,1",
                        "--time-budget", "0.000001", "--json", "--claim", "thm-2.1")
    cert = json.loads(out)[0]
    assert (code, cert["tier"], cert["verdict"]) == (1, "float", "numerical")  # numerical not asked for: exit 1


def test_progress_bar_draws_in_place_and_erases_itself():
    out = io.StringIO()
    bar = ProgressBar(2, enabled=True, stream=out, width=120)
    bar.step("thm-2.1 on pts")
    bar.note("ball tier at 128 bits")
    bar.step("prop-2.3 on pts")
    bar.close()
    text = out.getvalue()
    assert "0/2 checked" in text and "1/2 checked" in text and "2/2 checked" in text
    assert "ball tier at 128 bits" in text and text.endswith("\r")
    quiet = io.StringIO()
    ProgressBar(1, enabled=False, stream=quiet).step("x")
    assert quiet.getvalue() == ""


def test_progress_bar_moves_during_one_long_claim():
    import time

    from proofs_check.progress import TICK

    out = io.StringIO()
    bar = ProgressBar(1, enabled=True, stream=out, width=100)
    bar.step("prop-2.3 on pts")
    time.sleep(6 * TICK)
    assert "0/1 checked" in out.getvalue() and out.getvalue().count("\r[") >= 3  # the ticker redraws
    bar.close()
    assert "1/1 checked" in out.getvalue() and out.getvalue().endswith("\r")
