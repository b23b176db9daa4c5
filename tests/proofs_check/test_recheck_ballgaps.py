"""The ball-tier certificates the re-checker used to leave ``unchecked`` (issue 20): the genuine ones are ``checked``
under ``--strict``, and a changed value, radius, bias or order is ``rejected`` (never ``checked``)."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from proofs_check import default_instances, run
from proofs_check.cli import main
from proofs_check.instance import Context
from proofs_check.recheck import recheck


@pytest.fixture(scope="module")
def ball():
    insts = [dataclasses.replace(i, tier="ball") for i in default_instances()]
    return {(c["claim"], c["instance"]): c for c in (c.to_json_obj() for c in run(insts, ctx=Context()))}


def _mutant(cert, change):
    c = copy.deepcopy(cert)
    change(c["witness"])
    return recheck(c)


CONSTRUCTIONS = [("lem-3.3", "smoolu-p1-d3"), ("lem-3.3", "smoolu-p2-d6"), ("lem-3.3", "smoolu-p3-d5"),
                 ("cor-3.4", "rectpow3-deep"), ("cor-3.4", "rectpow3-T3")]


@pytest.mark.parametrize("key", CONSTRUCTIONS)
def test_ball_construction_is_checked_under_strict(ball, key, tmp_path, capsys):
    cert = ball[key]
    assert cert["tier"] == "ball" and any("+/-" in v for v in cert["witness"]["m"])
    r = recheck(cert)
    assert r.status == "checked", r.summary()[:400]
    assert any("m* = A⁻¹y enclosed" in s for s in r.checked)
    path = tmp_path / "c.json"
    path.write_text(json.dumps([cert]), encoding="utf-8")
    assert main(["recheck", str(path), "--strict"]) == 0
    assert "REJECTED" not in capsys.readouterr().out


SMOOLU_M1 = "[-182.96786156501810512629027428166629291 +/- 6.16e-36]"


@pytest.mark.parametrize("change, why", [
    (lambda w: w["m"].__setitem__(1, "[-182.96786156501810512629027428166629 +/- 6.16e-36]"), "misses m*_j"),
    (lambda w: w["params"].__setitem__("W2_0_1", "[-182.96786156501810512629027428166629 +/- 6.16e-36]"),
     "misses m*_j"),
    (lambda w: w["params"].__setitem__("W2_0_1", SMOOLU_M1.replace("6.16e-36", "1e-60")), "misses m*_j"),
    (lambda w: w["m"].__setitem__(0, "14.778112197861300454460854921150015626"), "is not m*_j"),
    (lambda w: w["params"].__setitem__("b1_1", "0.6"), "b1_1 = 3/5 is not the construction's 1/2"),
    (lambda w: w["params"].__setitem__("b2_0", "0.001"), "b2_0 = 1/1000 is not the construction's 0"),
    (lambda w: w.__setitem__("order", [2, 1, 3]), "the recorded projections are not the values recomputed"),
    (lambda w: w["A"][2].__setitem__(0, "[2.63 +/- 1e-5]"), "the recorded A_31"),
    (lambda w: w["instance"]["Y"][0].__setitem__(0, "2"), "misses m*_j"),
    (lambda w: w["residuals"].__setitem__(0, "[1.0 +/- 1e-3]"), "the recorded residuals do not all contain 0"),
])
def test_ball_construction_mutants_are_rejected(ball, change, why):
    r = _mutant(ball[("lem-3.3", "smoolu-p1-d3")], change)
    assert r.status == "rejected" and why in r.reasons[0], r.summary()[:300]


def test_ball_construction_exact_weight_mutant_in_rational_case(ball):
    """cor-3.4 on rectpow3: A is rational, m*_1 = 8 exactly; a recorded 8.5 (exact) or a ball missing 8 is rejected."""
    cert = ball[("cor-3.4", "rectpow3-deep")]
    assert cert["witness"]["m"][0] == "8.000000000000000000000000000000000000000"
    r = _mutant(cert, lambda w: w["m"].__setitem__(0, "8.5"))
    assert r.status == "rejected" and "is not m*_j = (A⁻¹y)_j = 8" in r.reasons[0]
    r = _mutant(cert, lambda w: w["params"].__setitem__("W3_0_0", "[8.001 +/- 1e-4]"))
    assert r.status == "rejected" and "misses m*_j" in r.reasons[0]
    r = _mutant(cert, lambda w: w["params"].__setitem__("W3_0_0", "[8.001 +/- 1e-2]"))
    assert r.status == "checked"  # a wider ball still holds m*_1 = 8: the statement is true


@pytest.mark.parametrize("key", [("rem-2.2", "smoolu-p1-d3"), ("sec-5", "smoolu-p1-d3")])
def test_ball_zero_set_is_checked_under_strict(ball, key, tmp_path, capsys):
    cert = ball[key]
    assert cert["tier"] == "ball" and any("+/-" in v for v in cert["witness"]["point"].values())
    r = recheck(cert)
    assert r.status == "checked", r.summary()[:400]
    assert any("exclude 0: every f_i(m*') ≠ 0" in s for s in r.checked)
    assert any("the box holds the point m' of M" in s for s in r.checked)
    path = tmp_path / "z.json"
    path.write_text(json.dumps([cert]), encoding="utf-8")
    assert main(["recheck", str(path), "--strict"]) == 0
    assert "REJECTED" not in capsys.readouterr().out


@pytest.mark.parametrize("change, status, why", [
    (lambda w: w["point"].__setitem__("W2_0_1", "[-182.96786156501810512629027428166629 +/- 6.16e-36]"),
     "rejected", "it needs m ∈ M"),
    (lambda w: w["point"].__setitem__("W2_0_1", SMOOLU_M1.replace("6.16e-36", "1e-60")),
     "rejected", "no point of the certificate's box lies on M"),
    (lambda w: w["point"].__setitem__("b1_1", "0.6"), "rejected", "it needs m ∈ M"),
    (lambda w: w["point_prime"].__setitem__("b2_0", "2"), "rejected", "b2_0 is not m's raised by exactly 1"),
    (lambda w: w["point_prime"].__setitem__("W2_0_1", "[-182.9 +/- 1]"), "rejected", "W2_0_1 is not m's"),
    (lambda w: w["H_at_m_prime"].__setitem__(0, "[1 +/- 1e-3]"), "rejected", "H(m'): recorded f_1"),
    (lambda w: w["H_at_m"].__setitem__(0, "[1 +/- 1e-3]"), "rejected", "which excludes 0"),
    (lambda w: w["instance"]["Y"][0].__setitem__(0, "2"), "rejected", "it needs m ∈ M"),
    (lambda w: w["point"].__setitem__("b2_0", "[0 +/- 1e-30]"), "unchecked", "are not d = 3 per output"),
])
def test_ball_zero_set_mutants(ball, change, status, why):
    r = _mutant(ball[("rem-2.2", "smoolu-p1-d3")], change)
    assert r.status == status, r.summary()[:300]
    assert why in (r.reasons[0] if r.reasons else r.skipped[-1]), r.summary()[:300]


EXACT_AMONG_BALLS = [("thm-2.1", "smoolu-p2-d4-xor"), ("prop-2.3", "smoolu-p3-d5"), ("thm-4.1", "smoolu-p2-d4-xor"),
                     ("thm-2.1", "rectpow3-deep"), ("prop-2.3", "rectpow3-deep"), ("thm-2.1", "rectpow3-T3"),
                     ("rem-4.2", "smoolu-l3")]


@pytest.mark.parametrize("key", EXACT_AMONG_BALLS)
def test_exact_coordinate_among_balls_is_checked_under_strict(ball, key, tmp_path, capsys):
    cert = ball[key]
    point = cert["witness"]["point"]
    cols = cert["witness"]["rank"]["minor"]["cols"]
    names = list(point)
    assert any("+/-" not in point[names[j]] for j in cols) and any("+/-" in point[names[j]] for j in cols)
    r = recheck(cert)
    assert r.status == "checked", r.summary()[:400]
    assert any("exactly recorded coordinates of the minor" in s and "hold exactly" in s for s in r.checked)
    path = tmp_path / "e.json"
    path.write_text(json.dumps([cert]), encoding="utf-8")
    assert main(["recheck", str(path), "--strict"]) == 0


@pytest.mark.parametrize("key, change, why", [
    (("thm-2.1", "smoolu-p2-d4-xor"), lambda w: w["point"].__setitem__("W2_0_0", "0.001"), "needs m ∈ M"),
    (("thm-2.1", "smoolu-p2-d4-xor"), lambda w: w["point"].__setitem__("W2_0_0", "[0 +/- 1e-3]"), "true"),
    (("thm-2.1", "smoolu-p2-d4-xor"),
     lambda w: w["point"].__setitem__("W2_0_1", "[14.778112197861300454460854921150 +/- 1e-40]"), None),
    (("thm-2.1", "smoolu-p2-d4-xor"), lambda w: w["point"].__setitem__("b1_1", "0.6"), "needs m ∈ M"),
    (("thm-2.1", "rectpow3-deep"), lambda w: w["point"].__setitem__("W3_0_0", "8.0001"), "needs m ∈ M"),
    (("thm-2.1", "rectpow3-deep"), lambda w: w["point"].__setitem__("b2_0", "0.50001"), "needs m ∈ M"),
    (("thm-2.1", "rectpow3-deep"), lambda w: w["instance"]["Y"][0].__setitem__(0, "2"), "needs m ∈ M"),
])
def test_exact_coordinate_mutants_are_never_checked(ball, key, change, why):
    r = _mutant(ball[key], change)
    if why == "true":  # a wider ball over the exact 0 still holds the point of M: the plain re-solve shows it
        assert r.status == "checked" and any("each of the 4 solved parameters lies inside its ball" in s
                                             for s in r.checked), r.summary()[:300]
    elif why is None:  # a ball moved off the solution or widened over an exact zero: rejected or not decided
        assert r.status in ("rejected", "unchecked"), r.summary()[:300]
        assert not any("exactly recorded coordinates of the minor" in s for s in r.checked)
    else:
        assert r.status == "rejected" and why in r.reasons[0], r.summary()[:300]
