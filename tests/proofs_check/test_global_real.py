"""thm-2.1-global and dim-M-global over ℝ: algebraic singular points, complex-only singular sets, degenerate charts,
dim-M-global at a given point — each verdict re-checked ``checked`` by the kernel, each forgery rejected.

Tests that run msolve are marked ``msolve`` (run them with /work/venv-routes); the kernel's checks of hand-written
witnesses need no msolve.
"""

import json

import pytest

from symland.algebra.msolve import find_msolve
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Instance
from proofs_check.recheck import recheck
from proofs_check.recheck.algebraic import AlgebraicReject, check_positivity, check_singular_point
from proofs_check.recheck.global_claims import residuals


def _inst(X, Y, act, widths=None, bias=False):
    widths = widths or (len(X[0]), 1, 1)
    return Instance("real", Dataset.from_rows(X, Y), act, widths=widths, bias=bias)


def _plain(x):
    return json.loads(json.dumps(x))


def _tampered(cert, edit):
    obj = json.loads(json.dumps(cert.to_json_obj()))
    edit(obj["witness"])
    return recheck(obj)


# f = v·σ(w x), σ(t) = t² − 3, x = 1, y = 0: H = v(w² − 3); singular points v = 0, w = ±√3
ONE_INPUT = {"widths": [1, 1, 1], "activation": "poly:-3,0,1", "X": [["1"]], "Y": [["0"]], "bias": False}
SQRT3 = {"poly": ["-3", "0", "1"], "interval": ["-2", "-1"], "coords": {"W1_0_0": ["0", "1"], "W2_0_0": ["0"]},
         "lam": [["1"]]}


def test_the_kernel_accepts_an_exact_algebraic_singular_point_and_rejects_forgeries():
    names, H = residuals(ONE_INPUT)
    lines = check_singular_point(names, H, SQRT3)
    assert len(lines) == 3
    assert lines[0].endswith("changes sign on [-2, -1]: a real root θ, and w = q(θ) is real (exact)")
    for edit, why in [({"interval": ["2", "3"]}, "does not change sign"),  # no root of θ² − 3 in [2, 3]
                      ({"poly": ["-2", "0", "1"], "interval": ["1", "2"]}, "W2_0_0 is not ≡ 0"),  # w = √2, ∂H/∂v ≠ 0
                      ({"lam": [["0"]]}, "no λ_i is invertible"),
                      ({"poly": ["9", "-6", "1"], "interval": ["3", "3"]}, "not ≡ 0"),  # (θ − 3)²: w = 3 is regular
                      ({"coords": {"W1_0_0": ["0", "1"]}}, "does not name exactly")]:
        with pytest.raises(AlgebraicReject, match=why):
            check_singular_point(names, H, {**SQRT3, **edit})
    # a complex root only (θ² + 3): no sign change anywhere, whatever the interval
    with pytest.raises(AlgebraicReject, match="does not change sign"):
        check_singular_point(names, H, {**SQRT3, "poly": ["3", "0", "1"], "interval": ["-10", "10"]})


# f = v·σ(w₁ + 2w₂), σ(t) = 3 + t², y = 0: the singular set needs (w₁ + 2w₂)² = −3 — complex only
COMPLEX_ONLY = {"widths": [2, 1, 1], "activation": "poly:3,0,1", "X": [["1", "2"]], "Y": [["0"]], "bias": False}
PSATZ = {"variables": ["W1_0_0", "W1_0_1", "W2_0_0"], "constant": "3",  # ∂H/∂v = 3 + (w₁ + 2w₂)²
         "cofactors": {"grad_W2_0_0": [["1", [0, 0, 0]]]}, "squares": [["1", [["1", [1, 0, 0]], ["2", [0, 1, 0]]]]]}


def test_the_kernel_checks_a_positivity_identity_exactly_and_rejects_forgeries():
    names, H = residuals(COMPLEX_ONLY)
    assert check_positivity(names, H, 1, PSATZ).startswith("chart λ_1 = 1: Σ c_e·e = 3 + Σ a_j·q_j² exactly")
    for edit, why in [({"constant": "0", "squares": [["3", [["1", [0, 0, 0]]]]] + PSATZ["squares"]}, "not positive"),
                      ({"constant": "4", "squares": [["-1", [["1", [0, 0, 0]]]]] + PSATZ["squares"]},
                       "negative weight"),
                      ({"constant": "1"}, "does not hold"),
                      ({"cofactors": {"grad_W9": [["1", [0, 0, 0]]]}}, "no equation named"),
                      ({"variables": ["W1_0_0", "W1_0_1"]}, "variables are not the chart's")]:
        with pytest.raises(AlgebraicReject, match=why):
            check_positivity(names, H, 1, {**PSATZ, **edit})
    # the same identity on σ(t) = t² − 3 (real singular points exist) does not hold
    bad = {**COMPLEX_ONLY, "activation": "poly:-3,0,1"}
    with pytest.raises(AlgebraicReject, match="does not hold"):
        check_positivity(*residuals(bad), 1, PSATZ)


@pytest.mark.parametrize("X, coords, poly, interval", [
    ([[1]], {"W1_0_0": ["0", "1"], "W2_0_0": ["0"]}, ["-3", "0", "1"], ["-2", "-1"]),
    # two inputs: the lines v = 0, w₁ + 2w₂ = ±√3; the slice w₁ = 0 gives w₂ = −√3/2
    ([[1, 2]], {"W1_0_0": ["0"], "W1_0_1": ["0", "1"], "W2_0_0": ["0"]}, ["-3", "0", "4"], ["-1", "0"])])
@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_irrational_singular_points_refute_with_an_exact_witness_rechecked(X, coords, poly, interval):
    (c,) = run([_inst(X, [0], "poly:-3,0,1")], ["thm-2.1-global"])
    assert c.verdict == "refuted" and c.tier == "exact"
    alg = _plain(c.witness["algebraic"])
    assert (alg["poly"], alg["interval"], alg["coords"], alg["lam"]) == (poly, interval, coords, [["1"]])
    assert [ch["status"] for ch in c.witness["charts"]] == ["found-algebraic"]
    assert "θ the root of p(θ)" in c.evidence and "≈ -" in c.evidence
    r = recheck(c)
    assert r.status == "checked" and r.statement.startswith("w = q(θ), θ a real root of p, is a real point of M")
    moved = _tampered(c, lambda w: w["instance"].__setitem__("activation", "poly:-2,0,1"))
    assert moved.status == "rejected" and "not ≡ 0 modulo p" in moved.reasons[0]
    both = _tampered(c, lambda w: w.update(point={k: "0" for k in coords}, lam=["1"]))
    assert both.status == "rejected" and "not both" in both.reasons[0]
    huge = _tampered(c, lambda w: w["algebraic"].__setitem__("poly", ["1"] * 300))  # beyond the kernel's limits
    assert huge.status == "unchecked" and huge.skipped == ("not established: a polynomial of degree 299 > 200",)


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_slicing_leaves_free_a_coordinate_whose_fixing_empties_the_slice():
    # f = Σ v_i σ(2w_i0 − w_i1), σ(t) = t² − 2: singular where v = 0 and 2w_i0 − w_i1 = ±√2 (a 2-dim real set);
    # fixing w_00 and then w_01 to 0 and to 1 leaves no complex point, so w_01 stays free
    (c,) = run([_inst([[2, -1]], [0], "poly:-2,0,1", widths=(2, 2, 1))], ["thm-2.1-global"])
    assert c.verdict == "refuted"
    alg = _plain(c.witness["algebraic"])
    assert alg["poly"] == ["-18", "0", "1"] and alg["interval"] == ["-5", "-4"]
    assert alg["coords"] == {"W1_0_0": ["0"], "W1_0_1": ["0", "-1/3"], "W1_1_0": ["0"], "W1_1_1": ["0", "-1/3"],
                             "W2_0_0": ["0"], "W2_0_1": ["0"]}
    assert "the singular locus has dim_ℂ = 2" in c.evidence and recheck(c).status == "checked"


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_a_real_point_of_m_with_irrational_coordinates_is_exact_in_both_claims():
    # σ(t) = t² − 3, three data points, widths 2,2,1: slicing finds no rational point of M, an algebraic one
    inst = _inst([[0, 1], [2, 2], [0, 2]], [1, 0, -1], "poly:-3,0,1", widths=(2, 2, 1))
    reg, dim = run([inst], ["thm-2.1-global", "dim-M-global"])
    assert (reg.verdict, dim.verdict) == ("proved", "proved")
    pt = _plain(dim.witness["algebraic_point"])
    assert pt["poly"] == ["81", "0", "-1560", "0", "400"] and pt["interval"] == ["-2", "-1"]
    assert pt["coords"]["W1_0_1"] == ["0", "-29/6", "0", "10/9"] and pt["coords"]["W2_0_0"] == ["-5/9"]
    assert dim.witness["regular"] is True and list(dim.witness["minor"]) == [0, 1, 4]
    assert "dim_ℝ M = 3" in dim.evidence and _plain(reg.witness["algebraic_point"]) == pt
    assert "M has a real (algebraic) point, so M is a nonempty smooth real manifold of dimension n − 3 = 3" in \
        reg.evidence
    r = recheck(dim)
    assert r.status == "checked" and r.statement.endswith("dim_ℝ M = 3")
    assert recheck(reg).statement.endswith("M is a nonempty smooth real manifold of dimension n − dℓ = 3")
    zero_cols = _tampered(dim, lambda w: w.__setitem__("minor", [2, 3, 5]))  # the second unit's columns: zero
    assert zero_cols.status == "rejected" and "not invertible modulo p" in zero_cols.reasons[0]
    no_minor = _tampered(dim, lambda w: w.pop("minor"))
    assert no_minor.status == "rejected" and "3 distinct column indices" in no_minor.reasons[0]
    moved = _tampered(dim, lambda w: w["algebraic_point"].__setitem__("interval", ["2", "3"]))
    assert moved.status == "rejected" and "does not change sign" in moved.reasons[0]


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
class TestWithMsolve:
    def test_a_quartic_without_real_roots_is_proved_by_a_univariate_identity_and_sturm(self):
        # σ(t) = 1 + t⁴: ∂H/∂v = h(w₁ + 2w₂) with h(u) = u⁴ + 1 — not caught by the Gram-matrix heuristic
        (c,) = run([_inst([[1, 2]], [0], "poly:1,0,0,0,1")], ["thm-2.1-global"])
        assert c.verdict == "proved"
        (chart,) = _plain(c.witness["charts"])
        assert chart["psatz"] == {"variables": ["W1_0_0", "W1_0_1", "W2_0_0"],
                                  "cofactors": {"grad_W2_0_0": [["1", [0, 0, 0]]]},
                                  "univariate": {"form": ["1", "2", "0"], "poly": ["1", "0", "0", "0", "1"]}}
        r = recheck(c)
        assert r.status == "checked" and "without real roots (Sturm count 0)" in r.checked[0]
        real = _tampered(c, lambda w: w["charts"][0]["psatz"]["univariate"].__setitem__("poly", ["-1", "0", "0", "0",
                                                                                                 "1"]))
        assert real.status == "rejected" and "has real roots" in real.reasons[0]
        other = _tampered(c, lambda w: w["charts"][0]["psatz"]["univariate"].__setitem__("form", ["1", "3", "0"]))
        assert other.status == "rejected" and "the identity does not hold" in other.reasons[0]
        both = _tampered(c, lambda w: w["charts"][0]["psatz"].__setitem__("constant", "1"))
        assert both.status == "rejected" and "either univariate or a sum of squares" in both.reasons[0]

    def test_a_complex_only_singular_set_is_proved_regular_over_the_reals_and_rechecked(self):
        (c,) = run([_inst([[1, 2]], [0], "poly:3,0,1")], ["thm-2.1-global"])
        assert c.verdict == "proved" and c.tier == "exact"
        (chart,) = _plain(c.witness["charts"])
        assert chart["status"] == "no-real-psatz" and chart["psatz"] == PSATZ
        assert "dim_ℂ H⁻¹(0) = 2" in c.evidence
        assert "M is a nonempty smooth real manifold of dimension n − 1 = 2" in c.evidence
        r = recheck(c)
        assert r.status == "checked" and r.statement == (
            "no real (w, λ ≠ 0) with H(w) = 0, J_H(w)ᵀλ = 0: 0 is a regular value of H on all of M (over ℝ); "
            "M is a nonempty smooth real manifold of dimension n − dℓ = 2")
        forged = _tampered(c, lambda w: w["charts"][0]["psatz"].__setitem__("constant", "2"))
        assert forged.status == "rejected" and "does not hold" in forged.reasons[0]
        unmarked = _tampered(c, lambda w: w["charts"][0].__setitem__("status", "empty"))
        assert unmarked.status == "rejected" and "not marked 'no-real-psatz'" in unmarked.reasons[0]
        off_m = _tampered(c, lambda w: w["real_point"].__setitem__("W2_0_0", "1"))
        assert off_m.status == "rejected" and "not on M" in off_m.reasons[0]

    @pytest.mark.parametrize("act, X, Y, point, lam", [
        ("identity", [[1], [2]], [0, 0], {"W1_0_0": "0", "W1_1_0": "0", "W2_0_0": "0", "W2_0_1": "0"},
         ["1", "0"]),  # H = (s, 2s), s = Σ v_i w_i: J_H has rank ≤ 1 everywhere
        ("square", [[1]], [0], {"W1_0_0": "0", "W2_0_0": "0"}, ["1"])])  # H = v·w²: chart slice all zero
    def test_degenerate_charts_are_refuted_at_a_rational_point_without_a_crash(self, act, X, Y, point, lam):
        (c,) = run([_inst(X, Y, act, widths=(1, len(X), 1))], ["thm-2.1-global"])
        assert c.verdict == "refuted" and dict(c.witness["point"]) == point and list(c.witness["lam"]) == lam
        assert recheck(c).status == "checked"

    def test_a_residual_map_identically_zero_is_decided_by_both_claims(self):
        # x = 0, y = 0, no bias: f(0) = 0, so H ≡ 0 — M = ℝ², J_H ≡ 0 (msolve refuses an empty list of generators)
        certs = run([_inst([[0]], [0], "square")], ["thm-2.1-global", "dim-M-global"])
        assert [c.verdict for c in certs] == ["refuted", "refuted"]
        assert dict(certs[0].witness["point"]) == {"W1_0_0": "0", "W2_0_0": "0"}
        assert certs[1].witness["dimension"] == 2 and certs[1].evidence == "dim_ℂ H⁻¹(0) = 2 ≠ n − 1 = 1"
        assert [recheck(c).status for c in certs] == ["checked", "checked"]

    def test_an_all_zero_system_is_solved_without_msolve(self, monkeypatch):
        from sympy import QQ
        from sympy.polys.rings import ring

        from symland.algebra import global_regular, msolve

        monkeypatch.setattr(msolve, "solve", lambda *a, **k: pytest.fail("msolve was called"))
        R, x, y = ring("x,y", QQ)
        status, point, _ = global_regular.find_rational_point(["x", "y"], [R(0), R(0)], 1e18)
        assert (status, point) == ("found", {"x": 0, "y": 0})

    def test_dim_m_global_honours_a_given_regular_point(self, tmp_path):
        point = (("W1_0_0", "1"), ("W1_0_1", "0"), ("W2_0_0", "0"))
        inst = Instance("real", Dataset.from_rows([[1, 2]], [0]), "poly:3,0,1", widths=(2, 1, 1), bias=False,
                        point=point)
        (c,) = run([inst], ["dim-M-global"])
        assert c.verdict == "proved" and "the given point (--point)" in c.evidence
        assert dict(c.witness["point"]) == dict(point) and c.witness["regular"] is True
        assert "rank J_H = 1 there, so M is a smooth (n − 1)-manifold near it and dim_ℝ M = 2" in c.evidence
        r = recheck(c)
        assert r.status == "checked" and r.statement.endswith("dim_ℝ M = 2")
        lie = _tampered(c, lambda w: w["point"].update(W1_0_0="0", W1_0_1="0"))  # v = 0, s = 0: J_H = (0, 0, 3)
        assert lie.status == "checked"  # still regular there: rank 1
        sing = Instance("sq", Dataset.from_rows([[1]], [0]), "square", widths=(1, 1, 1), bias=False,
                        point=(("W1_0_0", "0"), ("W2_0_0", "0")))
        (s,) = run([sing], ["dim-M-global"])  # H = v·w²: dim_ℂ = 1, the point is singular
        assert s.verdict == "proved" and s.witness["regular"] is False and "rank J_H = 0 < 1" in s.evidence
        forged = _tampered(s, lambda w: w.__setitem__("regular", True))
        assert forged.status == "rejected" and "rank J_H = 0 < dℓ = 1" in forged.reasons[0]
        off = Instance("off", Dataset.from_rows([[1, 2]], [0]), "poly:3,0,1", widths=(2, 1, 1), bias=False,
                       point=(("W1_0_0", "1"), ("W1_0_1", "0"), ("W2_0_0", "1")))
        (o,) = run([off], ["dim-M-global"])
        assert o.verdict == "proved" and "the given point is not on M" in o.evidence


def test_the_positivity_search_finds_an_identity_in_the_groebner_basis_with_exact_cofactors():
    import sympy as sp

    from symland.algebra.positivity import find_certificate

    x, y = sp.symbols("x y")
    eqs = [x - y, y**2 + x * y + 2]  # x = y, so 2y² + 2 = 0: no equation alone is a square plus a constant
    assert find_certificate(["x", "y"], eqs) is None
    cert = find_certificate(["x", "y"], eqs, groebner_seconds=30)
    assert cert == {"variables": ["x", "y"], "constant": "1", "cofactors": {"0": [["-1/2", [0, 1]]],
                                                                            "1": [["1/2", [0, 0]]]},
                    "squares": [["1", [["1", [0, 1]]]]]}  # −y/2·(x − y) + (y² + xy + 2)/2 = y² + 1
    assert find_certificate(["x", "y"], [x - y, y**2 + x * y - 2], groebner_seconds=30) is None  # real: x = y = ±1


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_a_complex_only_set_without_an_identity_stays_undecided_naming_the_reason():
    # H = z·(m + 1), m the Motzkin polynomial: m + 1 ≥ 1 has no real zero, but it is not a sum of squares (nor a
    # polynomial in one linear form), so the singular set {z = 0, m = −1} is complex-only and nothing proves it
    from sympy import QQ
    from sympy.polys.rings import ring

    from symland.algebra.global_regular import singular_points
    from symland.algebra.polysys import PolySystem

    R, x, y, z = ring("x,y,z", QQ)
    motzkin = x**4 * y**2 + x**2 * y**4 - 3 * x**2 * y**2 + 1
    res = singular_points(PolySystem(["x", "y", "z"], [z * (motzkin + 1)], 3, 1, R), 30)
    assert res.status == "undecided" and [c["status"] for c in res.charts] == ["not-found"]
    assert "no identity showing that none is real was found" in res.reason
    assert "the critical-point method of real algebraic geometry is not implemented" in res.reason


def test_a_witness_beyond_the_kernels_size_limits_is_left_unchecked_not_rejected():
    from proofs_check.recheck.algebraic import MAX_DEGREE
    from proofs_check.recheck.exact import TooLarge

    names, H = residuals(ONE_INPUT)
    with pytest.raises(TooLarge):
        check_singular_point(names, H, {**SQRT3, "poly": ["1"] * (MAX_DEGREE + 2)})
    with pytest.raises(TooLarge):
        check_positivity(*residuals(COMPLEX_ONLY), 1, {**PSATZ, "squares": [["1", [["1", [MAX_DEGREE + 1, 0, 0]]]]]})


@pytest.mark.msolve
@pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")
def test_symland_verify_dim_m_global_point_on_the_command_line(tmp_path, capsys):
    from proofs_check.cli import main

    data, point, out = tmp_path / "d.csv", tmp_path / "p.json", tmp_path / "c.json"
    data.write_text("x1,x2,y\n1,2,0\n", encoding="utf-8")
    point.write_text('{"W1_0_0": "1", "W1_0_1": "0", "W2_0_0": "0"}', encoding="utf-8")
    status = main(["verify", "--data", str(data), "--widths", "2,1,1", "--activation", "poly:3,0,1", "--no-bias",
                   "--claim", "dim-M-global", "--point", str(point), "--json", "--quiet"])
    text = capsys.readouterr().out
    (cert,) = json.loads(text)
    assert status == 0 and cert["verdict"] == "proved" and cert["witness"]["regular"] is True
    assert "the given point (--point)" in cert["evidence"]
    out.write_text(text, encoding="utf-8")
    assert main(["recheck", "--strict", str(out)]) == 0
    assert "1 checked, 0 partial" in capsys.readouterr().out
