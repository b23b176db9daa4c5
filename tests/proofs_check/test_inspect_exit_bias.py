"""inspect --tier/--rank/--inertia/--spectrum, verdicts off M, the exit codes, networks without biases, identity."""

import json
import re
from pathlib import Path

import pytest

from symland import Dataset, Problem, get_activation, mlp

from proofs_check import Instance, check, recheck
from proofs_check.cli import main

XOR_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
NAMES = [f"W1_{i}_{j}" for i in range(3) for j in range(2)] + [f"b1_{i}" for i in range(3)] \
    + [f"W2_0_{j}" for j in range(3)] + ["b2_0"]


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "xor.csv"
    data.write_text(XOR_CSV)
    ones = tmp_path / "ones.json"
    ones.write_text(json.dumps({k: "1" for k in NAMES}))
    return data, ones


# ------------------------------------------------------------------------------------------------ inspect

def test_inspect_json_gives_rank_inertia_and_spectrum_off_M_exactly(capsys, files):
    data, ones = files
    code, out, _ = _run(capsys, "inspect", "--data", data, "--widths", "2,3,1", "--activation", "rectpow3",
                        "--point", ones, "--rank", "--inertia", "--spectrum", "--json")
    obj = json.loads(out)
    assert code == 0 and obj["tier"] == "exact" and obj["on_M"] is False
    assert obj["rank"] == 2 and obj["rank_witness"]["strength"] == "proved"
    assert obj["inertia"] == [4, 3, 6] and obj["inertia_witness"]["charpoly_descartes"] == [4, 3, 6]
    assert len(obj["spectrum"]) == 13 and sum(abs(v) <= obj["spectrum_tolerance"] for v in obj["spectrum"]) == 6
    assert "J" not in obj and "hessian" not in obj  # asked for rank/inertia/spectrum only, no --matrices


@pytest.mark.parametrize("tier, rank, inertia", [
    ("ball", {"lower": 2, "upper": 4}, {"lower": [4, 3, 0], "upper": [10, 9, 6]}),
    ("float", 2, [4, 3, 6]),
    ("mp", 2, [4, 3, 6]),
    ("symbolic", 2, [4, 3, 6]),
])
def test_inspect_works_in_every_tier(capsys, files, tier, rank, inertia):
    data, ones = files
    code, out, _ = _run(capsys, "inspect", "--data", data, "--widths", "2,3,1", "--activation", "rectpow3",
                        "--point", ones, "--tier", tier, "--rank", "--inertia", "--json")
    obj = json.loads(out)
    assert (code, obj["tier"], obj["rank"], obj["inertia"]) == (0, tier, rank, inertia)


def test_inspect_text_names_rank_and_inertia_and_keeps_the_old_keys(capsys, files):
    data, ones = files
    code, out, _ = _run(capsys, "inspect", "--data", data, "--widths", "2,3,1", "--activation", "rectpow3",
                        "--point", ones)
    assert code == 0
    assert "m ∉ M: f_1(m) = -1 ≠ 0 (4 nonzero residuals)" in out
    assert "rank J_H = 2 (proved)" in out and "inertia of Hess L (n₊, n₋, n₀) = (4, 3, 6) (proved)" in out
    assert "Hess L (13×13), first 12 columns (--matrices for all):" in out
    code, out, _ = _run(capsys, "inspect", "--data", data, "--widths", "2,3,1", "--activation", "tanh",
                        "--point", ones, "--tier", "ball", "--inertia")
    assert code == 0 and "tier ball (certified at best)" in out and "(bounds)" in out


def test_the_readme_point_example_fits_the_widths_next_to_it(capsys, tmp_path):
    text = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")
    point = re.search(r"```json\n(\{\"W1_0_0.*?\})\n```", text, re.S).group(1)
    assert "`--widths 2,1,1`" in text.split(point)[0][-300:]
    data = tmp_path / "points.csv"
    data.write_text("x1,x2,y\n0,0,1\n1,0.5,-2\n1/3,2,0\n")
    (tmp_path / "point.json").write_text(point)
    for cmd in ("verify", "inspect"):
        code, out, err = _run(capsys, cmd, "--data", data, "--widths", "2,1,1", "--activation", "rectpow3",
                              "--point", tmp_path / "point.json", "--json")
        assert code in (0, 1) and err == "" and json.loads(out)


# ------------------------------------------------------------------------------------------------ exit codes

def test_exit_codes_for_user_data(capsys, files, tmp_path):
    data, ones = files
    base = ("verify", "--data", data, "--activation", "rectpow3")
    assert _run(capsys, *base, "--claim", "lem-3.3", "--claim", "thm-2.1")[0] == 0  # proved
    assert _run(capsys, *base, "--claim", "thm-2.1", "--tier", "ball")[0] == 0  # certified, ball asked
    assert _run(capsys, *base, "--claim", "thm-2.1", "--tier", "float")[0] == 0  # numerical, float asked
    code, out, err = _run(capsys, *base, "--claim", "thm-4.1", "--claim", "lem-3.3")  # rectpow3 is C² only
    assert (code, err) == (1, "") and "hypothesis-fails" in out and "proved" in out
    off = base + ("--widths", "2,3,1", "--point", ones, "--claim", "thm-2.1")
    for tier, verdict in (("exact", "hypothesis-fails"), ("ball", "hypothesis-fails"), ("float", "inconclusive"),
                          ("mp", "inconclusive")):
        code, out, _ = _run(capsys, *off, "--tier", tier, "--json")
        assert (code, json.loads(out)[0]["verdict"]) == (1, verdict), tier
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,y\n0,1\n0,2\n")
    assert _run(capsys, "verify", "--data", bad)[0] == 2  # equal inputs cannot be used
    assert _run(capsys, *base, "--widths", "3,3,1")[0] == 2


def test_every_point_claim_says_hypothesis_fails_off_M_with_the_exact_residual():
    data = Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    inst = Instance("ones", data, "rectpow3", widths=(2, 3, 1), point=tuple((k, "1") for k in NAMES))
    for claim in ("thm-2.1", "prop-2.3"):
        cert = check(claim, inst)
        assert (cert.verdict, cert.tier) == ("hypothesis-fails", "exact")
        assert cert.evidence == "m ∉ M: f_1(m) = -1 ≠ 0 (4 nonzero residuals)"
        assert cert.witness["H"] == ("-1", "-2", "-2", "2")


# ------------------------------------------------------------------------------------------------ no biases

LIN = Dataset.from_rows([[1, 0], [0, 1]], [2, 3])
LIN_POINT = {"W1_0_0": "1", "W1_0_1": "0", "W1_1_0": "0", "W1_1_1": "1", "W2_0_0": "2", "W2_0_1": "3"}


def test_a_network_without_biases_has_only_weights_and_matches_the_sympy_reference():
    import sympy as sp

    net = mlp((2, 3, 1), "rectpow3", bias=False)
    assert net.n == 9 and net.param_names() == NAMES[:6] + NAMES[9:12]
    data = Dataset.from_rows([[0, 1], [1, 0], [1, 1]], [1, 2, "1/2"])
    prob = Problem(net, data)
    point = ["1", "2", "-1", "1", "2", "1", "1", "-1", "1/2"]
    vals = prob.at(point, hessian=True)
    subs = dict(zip(prob.symbols, [sp.Rational(v) for v in point]))
    assert [str(v) for v in vals.H] == ["13/2", "3", "40"] == [str(h.subs(subs)) for h in prob.H_sym]
    assert sp.Matrix([[sp.Rational(str(v)) for v in r] for r in vals.J]) == prob.J_sym.subs(subs)
    assert sp.Matrix([[sp.Rational(str(v)) for v in r] for r in vals.hess_L]) == prob.hessian_sym.subs(subs)
    import numpy as np

    from symland.floating import jacobian

    H, J = jacobian(net, data, np.array([float(sp.Rational(v)) for v in point]))
    assert np.allclose(J, np.array([[float(sp.Rational(str(v))) for v in r] for r in vals.J]))
    from flint import fmpq_mat

    assert Problem(net, data).hessian_L_at(point) == fmpq_mat(vals.hess_L)


def test_theorem_2_1_is_proved_without_biases_and_the_recheck_rebuilds_the_network():
    inst = Instance("lin", LIN, "identity", widths=(2, 2, 1), bias=False, point=tuple(LIN_POINT.items()))
    cert = check("thm-2.1", inst)
    assert cert.verdict == "proved" and cert.witness["instance"]["bias"] is False
    assert recheck(cert).status == "checked"
    assert "bias" not in Instance("b", LIN, "identity").describe()
    for claim in ("lem-3.3", "thm-4.1", "rem-4.2", "cor-3.4"):
        assert check(claim, inst).verdict == "hypothesis-fails"
    no_point = check("thm-2.1", Instance("lin", LIN, "identity", widths=(2, 2, 1), bias=False))
    assert no_point.verdict == "inconclusive" and "--point" in no_point.evidence


def test_no_bias_on_the_command_line(capsys, tmp_path):
    data = tmp_path / "lin.csv"
    data.write_text("x1,x2,y\n1,0,2\n0,1,3\n")
    point = tmp_path / "p.json"
    point.write_text(json.dumps(LIN_POINT))
    code, out, _ = _run(capsys, "verify", "--data", data, "--widths", "2,2,1", "--activation", "identity",
                        "--no-bias", "--point", point, "--claim", "thm-2.1", "--claim", "prop-2.3")
    assert code == 0 and out.count("proved") >= 2 and "inertia (n₊, n₋, n₀) = (2, 0, 4)" in out
    code, out, _ = _run(capsys, "inspect", "--data", data, "--widths", "2,2,1", "--activation", "identity",
                        "--no-bias", "--point", point, "--rank", "--inertia", "--json")
    obj = json.loads(out)
    assert obj["n"] == 6 and obj["on_M"] is True and obj["rank"] == 2 and obj["inertia"] == [2, 0, 4]
    code, _, err = _run(capsys, "construct", "--data", data, "--no-bias")
    assert code == 2 and err.startswith("symland: error: cannot construct without biases") and err.count("\n") == 1


def test_identity_is_a_named_activation_and_instances_accept_names():
    ident = get_activation("identity")
    assert ident.expr == get_activation("poly:0,1").expr and ident.is_rational_valued
    assert Instance("x", LIN, "smoolu").activation is get_activation("smoolu")


def test_version(capsys):
    from symland import __version__

    code, out, _ = _run(capsys, "--version")
    assert (code, out.strip()) == (0, f"symland {__version__}")
