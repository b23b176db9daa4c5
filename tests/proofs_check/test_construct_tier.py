"""``symland construct``: exact by default whenever the exact construction fits (issue 19), and ``--tier``."""

import json

import pytest

from proofs_check.cli import main

SEVEN = "x1,x2,x3,y\n0,-3,1,2\n-5,-4,3,-3\n0,4,-5,1\n-2,-5,-4,0\n1,-4,-2,-3\n3,1,-5,3\n4,-4,-2,2\n"
#: 7 points with fractional values (the data on which an auto planned on prop-2.3's Hessian chose Arb balls)
FRACTIONAL = ("x1,x2,y\n-41/13,-3/10,-26/7\n11/3,20/7,5/3\n-9/10,43/13,1/10\n7/3,-61/7,-4/3\n-1/13,5/3,9/7\n"
              "30/7,-2/3,-7/10\n-8/3,-17/10,2/3\n")


def _construct(capsys, tmp_path, text, *argv):
    path = tmp_path / "pts.csv"
    path.write_text(text)
    code = main(["construct", "--data", str(path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_construct_is_exact_by_default_for_smoolu_on_fractional_data(capsys, tmp_path):
    code, out, _ = _construct(capsys, tmp_path, FRACTIONAL, "--activation", "smoolu", "--json")
    obj = json.loads(out)
    assert code == 0 and obj["tier"] == "symbolic"
    assert obj["why"].startswith("smoolu needs e^q values; one hidden layer keeps them in Q[e^Q] (S = ")
    assert "exp(" in obj["A"][0][0] and obj["A"][0][1:] == ["0"] * 6
    assert all("[" not in v and "+/-" not in v for v in obj["m"])  # exact values, no Arb intervals
    assert sum("exp(" in v for v in obj["m"]) == 7


def test_construct_is_exact_by_default_on_the_seven_point_set_and_relu(capsys, tmp_path):
    code, out, _ = _construct(capsys, tmp_path, SEVEN, "--activation", "smoolu", "--json")
    obj = json.loads(out)
    assert (code, obj["tier"], obj["m"][0]) == (0, "symbolic", "0")
    code, out, _ = _construct(capsys, tmp_path, SEVEN, "--activation", "relu", "--json")
    obj = json.loads(out)
    assert (code, obj["tier"]) == (0, "exact")
    assert obj["why"].startswith("relu is piecewise polynomial over ℚ: every value is rational (predicted ")


def test_construct_tier_ball_gives_arb_enclosures(capsys, tmp_path):
    code, out, _ = _construct(capsys, tmp_path, SEVEN, "--activation", "smoolu", "--tier", "ball", "--json")
    obj = json.loads(out)
    assert (code, obj["tier"], obj["why"]) == (0, "ball", "--tier ball")
    assert obj["m"][1].startswith("[") and "+/-" in obj["m"][1]


def test_construct_text_names_the_tier(capsys, tmp_path):
    code, out, _ = _construct(capsys, tmp_path, SEVEN, "--activation", "rectpow3", "--tier", "exact")
    assert code == 0
    assert out.splitlines()[0] == ("network 3,7,1 with σ = rectpow3, f(x) = Σ_j m_j σ(a·x − b_j); "
                                   "tier exact (--tier exact)")


@pytest.mark.parametrize("tier", ["exact", "wrong"])
def test_construct_with_a_tier_that_cannot_hold_the_values_is_one_line_and_exit_2(capsys, tmp_path, tier):
    code, out, err = _construct(capsys, tmp_path, SEVEN, "--activation", "smoolu", "--tier", tier)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("symland: error: ")


def test_construct_of_a_deep_smoolu_network_is_ball_by_default_and_names_why(capsys, tmp_path):
    code, out, _ = _construct(capsys, tmp_path, SEVEN, "--activation", "smoolu", "--widths", "3,2,7,1", "--json")
    obj = json.loads(out)
    assert (code, obj["tier"], obj["why"]) == (0, "ball", "smoolu: deep layers leave Q[e^Q]; Arb balls instead")
    assert obj["m"][0] == "0" and obj["m"][1].startswith("[0.50829362519781189177874728987551604")
