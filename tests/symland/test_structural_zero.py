"""Structural zeros: H(m) = 0 exactly at a given point for a transcendental σ, read off Arb balls that are exactly 0
(every residual has an exact zero factor) — and never off a ball that merely contains 0."""

from __future__ import annotations

import json

import pytest

from symland import Dataset, Problem, analyse, mlp

from proofs_check.cli import main
from proofs_check.recheck import recheck

DATA = Dataset.from_rows([[0, 1], [1, 0], [2, 3]], [0, 0, 0])
HIDDEN = ["1/2", "-1", "1/3", "2", "-3/4", "1/5", "1/7", "-1/3", "1/4"]  # W1 row-major, then b1


def _point(net, w2: str, b2: str = "0") -> dict:
    hidden = iter(HIDDEN)
    return {k: w2 if k.startswith("W2") else b2 if k.startswith("b2") else next(hidden) for k in net.param_names()}


@pytest.mark.parametrize("bias, n", [(True, 13), (False, 9)])
def test_tanh_with_output_weights_exactly_0_and_targets_0_is_on_M_exactly(bias, n):
    net = mlp((2, 3, 1), "tanh", bias=bias)
    pa = analyse(Problem(net, DATA), _point(net, "0"))
    assert net.n == n and (pa.tier, pa.status, pa.strength) == ("ball", "ok", "certified")
    assert pa.on_M is True and pa.membership_exact and pa.structural_zero
    assert pa.residual == ("0", "0", "0") and pa.rank.value == 3 and pa.inertia == (3, 0, n - 3)
    assert pa.membership.startswith("H(m) = 0 exactly at the given point: every residual has an exact zero factor")
    assert "W2_0_0, W2_0_1, W2_0_2" in pa.membership


@pytest.mark.parametrize("bias", [True, False])
def test_an_output_weight_of_1e_minus_30_is_a_near_miss_never_a_member(bias):
    net = mlp((2, 3, 1), "tanh", bias=bias)
    pa = analyse(Problem(net, DATA), _point(net, "1/" + "1" + "0" * 30), tier="ball")
    assert (pa.status, pa.on_M, pa.membership_exact, pa.structural_zero) == ("off-M", False, False, False)


def test_a_ball_that_merely_contains_0_does_not_decide_membership():
    # H(m) = 0 holds here (every pre-activation is 1/3 − 1/3 = 0 and tanh(0) = 0), but 1/3 is not a dyadic number:
    # the pre-activations are balls around 0, not exact zeros, so membership is left undecided
    data = Dataset.from_rows([[1, 0], [0, 1], ["1/2", "1/2"]], [0, 0, 0])
    net = mlp((2, 1, 1), "tanh")
    point = {"W1_0_0": "1/3", "W1_0_1": "1/3", "b1_0": "1/3", "W2_0_0": "1", "b2_0": "0"}
    pa = analyse(Problem(net, data), point, tier="ball")
    assert all(not r.startswith("0") and "+/-" in r for r in pa.residual)  # each contains 0, none is exact
    assert (pa.status, pa.on_M, pa.membership_exact, pa.structural_zero) == ("inconclusive", None, False, False)
    assert "--tier symbolic decides it where σ's values at the pre-activations lie in Q[e^Q]" in pa.reason
    symbolic = analyse(Problem(net, data), point, tier="symbolic")  # tanh(1/3 − 1/3) = tanh(0) = 0, exactly
    assert (symbolic.status, symbolic.on_M, symbolic.strength) == ("ok", True, "proved")


def _files(tmp_path, point: dict):
    (tmp_path / "d.csv").write_text("x1,x2,y\n0,1,0\n1,0,0\n2,3,0\n")
    (tmp_path / "p.json").write_text(json.dumps(point))
    return ["--data", str(tmp_path / "d.csv"), "--widths", "2,3,1", "--activation", "tanh", "--point",
            str(tmp_path / "p.json")]


def test_verify_point_certifies_the_structural_zero_and_the_kernel_rechecks_it(tmp_path, capsys):
    net = mlp((2, 3, 1), "tanh")
    args = _files(tmp_path, _point(net, "0"))
    main(["verify", *args, "--claim", "thm-2.1", "--claim", "rem-2.2", "--claim", "prop-2.3", "--claim", "sec-5",
          "--json"])
    certs = json.loads(capsys.readouterr().out)
    certs = certs if isinstance(certs, list) else certs["certificates"]
    assert [(c["claim"], c["verdict"]) for c in certs] == [("thm-2.1", "certified"), ("rem-2.2", "certified"),
                                                           ("prop-2.3", "certified"), ("sec-5", "certified")]
    assert certs[0]["evidence"].startswith("H(m) = 0 exactly: every residual has an exact zero factor; rank J = 3")
    assert [recheck(c).status for c in certs] == ["checked"] * 4
    forged = json.loads(json.dumps(certs[0]))
    forged["witness"]["point"]["W2_0_1"] = "1/" + "1" + "0" * 30  # the near miss, passed off as the point
    assert recheck(forged).status == "rejected"


def test_a_forged_zero_set_certificate_at_the_near_miss_is_rejected(tmp_path, capsys):
    net = mlp((2, 3, 1), "tanh")
    main(["verify", *_files(tmp_path, _point(net, "0")), "--claim", "rem-2.2", "--json"])
    out = json.loads(capsys.readouterr().out)
    cert = (out if isinstance(out, list) else out["certificates"])[0]
    assert cert["verdict"] == "certified" and recheck(cert).status == "checked"
    cert["witness"]["point"]["W2_0_2"] = "1/" + "1" + "0" * 30
    assert recheck(cert).status == "rejected"


def test_inspect_prints_why_the_membership_is_exact(tmp_path, capsys):
    net = mlp((2, 3, 1), "tanh", bias=False)
    (tmp_path / "d.csv").write_text("x1,x2,y\n0,1,0\n1,0,0\n2,3,0\n")
    (tmp_path / "p.json").write_text(json.dumps(_point(net, "0")))
    assert main(["inspect", "--data", str(tmp_path / "d.csv"), "--widths", "2,3,1", "--activation", "tanh",
                 "--no-bias", "--point", str(tmp_path / "p.json"), "--rank", "--inertia"]) == 0
    out = capsys.readouterr().out
    assert "H(m) = 0 exactly at the given point: every residual has an exact zero factor (output-layer parameters " \
        "exactly 0: W2_0_0, W2_0_1, W2_0_2)" in out
    assert "inertia of Hess L (n₊, n₋, n₀) = (3, 0, 6) (certified)" in out
