"""landscape_at: rank of J_H, inertia of the full Hess L and its spectrum at any point, in every tier."""

import json

import numpy as np
import pytest
import sympy as sp

from symland import Dataset, Problem, landscape_at, lemma_3_3, mlp
from symland.tiers import RationalKind

XOR = Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
ONES = ["1"] * 13  # widths (2, 3, 1): f(x) = 3·σ(x1 + x2 − 1) − 1, off M


def _reference_inertia(prob, point):
    """(positive, negative, zero) from the sympy Hessian of L (the slow reference), by its exact eigenvalues."""
    subs = dict(zip(prob.symbols, [sp.Rational(v) for v in point]))
    S = prob.hessian_sym.subs(subs)
    lam = [complex(sp.N(v, 30)).real for v, k in S.eigenvals().items() for _ in range(k)]
    return (sum(v > 1e-20 for v in lam), sum(v < -1e-20 for v in lam), sum(abs(v) <= 1e-20 for v in lam)), S


def test_one_unit_off_M_has_rank_1_and_a_negative_hessian_eigenvalue_in_every_tier():
    prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]))
    point = ["1", "0", "1", "0"]  # f(1) = σ(1) = 1 ≠ 2
    ref, S = _reference_inertia(prob, point)
    assert ref == (2, 1, 1) and S == sp.Matrix([[6, -6, 0, -6], [-6, 6, 0, 6], [0, 0, 2, -2], [-6, 6, -2, 2]])
    exact = landscape_at(prob, point, tier="exact", spectrum=True)
    assert (exact.on_M, exact.rank, exact.inertia, exact.H) == (False, 1, (2, 1, 1), ("-1",))
    assert exact.hessian == tuple(tuple(str(v) for v in row) for row in S.tolist())
    assert exact.inertia_witness["charpoly_descartes"] == [2, 1, 1]
    assert exact.membership == "m ∉ M: f_1(m) = -1 ≠ 0 (1 nonzero residuals)"
    for tier in ("symbolic", "mp", "float"):
        rep = landscape_at(prob, point, tier=tier)
        assert (rep.rank, rep.inertia) == (1, (2, 1, 1)), tier
    ball = landscape_at(prob, point, tier="ball")
    assert ball.on_M is False and ball.rank_bounds == (1, 1)  # full column rank of a 1×4: certified
    assert ball.inertia_bounds == ((2, 1, 0), (3, 2, 1))  # the zero eigenvalue is never certified by balls


def test_xor_off_M_exact_inertia_matches_the_sympy_reference_and_the_tiers_agree():
    prob = Problem(mlp((2, 3, 1), "rectpow3"), XOR)
    ref, _ = _reference_inertia(prob, ONES)
    assert ref == (4, 3, 6)
    exact = landscape_at(prob, ONES, tier="exact", spectrum=True)
    assert (exact.rank, exact.inertia, exact.strength) == (2, (4, 3, 6), "proved")
    assert len(exact.rank_witness["kernel"]) == 11 and exact.rank_witness["strength"] == "proved"
    ball = landscape_at(prob, ONES, tier="ball", spectrum=True)
    assert ball.rank is None and ball.rank_bounds == (2, 4)
    assert ball.inertia_bounds == ((4, 3, 0), (10, 9, 6))
    flt = landscape_at(prob, ONES, tier="float", spectrum=True)
    assert (flt.rank, flt.inertia, flt.on_M) == (2, (4, 3, 6), None)
    assert flt.membership.startswith("m appears off M (float residual")
    lam = np.array(exact.spectrum)
    assert np.allclose(lam, flt.spectrum, atol=1e-9) and np.allclose(lam, ball.spectrum, atol=1e-9)
    assert np.sum(np.abs(lam) <= exact.spectrum_tolerance) == 6 and exact.spectrum_tolerance < 1e-11


def test_a_constructed_point_of_M_has_inertia_d_zero_n_minus_d():
    it = lemma_3_3(XOR, "rectpow3", RationalKind())
    prob = Problem(it.network, XOR)
    point = [str(v) for v in it.params]
    exact = landscape_at(prob, point, tier="exact")
    assert (exact.on_M, exact.rank, exact.inertia, prob.n) == (True, 4, (4, 0, 13), 17)
    ball = landscape_at(prob, point, tier="ball")  # a dyadic point: every residual is the exact ball 0 ± 0
    assert ball.on_M is True and ball.rank_bounds == (4, 4) and ball.inertia == (4, 0, 13)
    flt = landscape_at(prob, point, tier="float")
    assert flt.inertia == (4, 0, 13) and flt.membership.startswith("m appears on M")


def test_smoolu_off_M_inertia_is_proved_over_exponential_sums():
    prob = Problem(mlp((2, 3, 1), "smoolu"), XOR)
    sym = landscape_at(prob, ONES, tier="auto")
    assert sym.tier == "symbolic" and sym.H[3] == "-1 + 3*exp(-1)"
    assert sym.inertia == (4, 3, 6) and "Faddeev" in sym.inertia_witness["method"]
    assert sym.rank == 2 and "the root 0 of χ(JJᵀ)" in sym.rank_witness["method"]  # rank-deficient, still proved
    assert landscape_at(prob, ONES, tier="float").inertia == (4, 3, 6)


def test_a_transcendental_value_outside_q_e_q_makes_auto_use_balls():
    prob = Problem(mlp((2, 3, 1), "tanh"), XOR)
    rep = landscape_at(prob, ONES, tier="auto")
    assert rep.tier == "ball" and rep.strength == "certified" and rep.on_M is False


def test_the_json_form_has_rank_inertia_and_spectrum_with_their_witnesses():
    prob = Problem(mlp((2, 3, 1), "rectpow3"), XOR)
    obj = json.loads(json.dumps(landscape_at(prob, ONES, tier="ball", spectrum=True).to_json_obj(matrices=False)))
    assert obj["rank"] == {"lower": 2, "upper": 4}
    assert len(obj["rank_witness"]["minor"]["rows"]) == len(obj["rank_witness"]["minor"]["cols"]) == 2
    assert obj["inertia"] == {"lower": [4, 3, 0], "upper": [10, 9, 6]}
    assert "Weyl" in obj["inertia_witness"]["method"] and len(obj["spectrum"]) == 13
    assert obj["spectrum_tolerance"] > 0 and "J" not in obj and "hessian" not in obj
    exact = landscape_at(prob, ONES, tier="exact").to_json_obj()
    assert exact["rank"] == 2 and exact["inertia"] == [4, 3, 6] and len(exact["hessian"]) == 13


def test_an_unknown_tier_is_an_input_error():
    from symland.errors import InputError

    with pytest.raises(InputError, match="tier must be one of"):
        landscape_at(Problem(mlp((1, 1, 1), "relu"), Dataset.from_rows([[1]], [2])), ["1"] * 4, tier="fast")


def test_a_general_dag_network_on_M_has_inertia_d_zero_n_minus_d():
    from proofs_check.instances import default_instances

    inst = next(i for i in default_instances() if i.dag is not None)
    prob = Problem(inst.dag, inst.data)
    exact = landscape_at(prob, dict(inst.point), tier="exact")
    assert (exact.on_M, exact.rank, exact.inertia, prob.n) == (True, 3, (3, 0, 5), 8)
    assert landscape_at(prob, dict(inst.point), tier="float").inertia == (3, 0, 5)


def test_above_the_hessian_limit_only_the_rank_is_computed():
    from symland.atpoint import HESSIAN_LIMIT

    h = HESSIAN_LIMIT // 4 + 1
    prob = Problem(mlp((2, h, 1), "tanh"), XOR)
    point = [str((i % 7 - 3) / 5) for i in range(prob.n)]
    rep = landscape_at(prob, point, tier="float", spectrum=True)
    assert prob.n > HESSIAN_LIMIT and rep.rank == 4 and rep.inertia_bounds is None and rep.spectrum is None
    assert rep.inertia_witness["method"].startswith(f"not computed: n = {prob.n} > {HESSIAN_LIMIT}")


def test_a_symbolic_hessian_too_large_for_the_exact_charpoly_gets_a_certified_inertia():
    from symland.spectrum import CHARPOLY_LIMIT

    prob = Problem(mlp((2, 9, 1), "smoolu"), XOR)
    point = [str((i % 5 - 2) / 3) if i % 5 != 2 else "1" for i in range(prob.n)]
    sym = landscape_at(prob, point, tier="symbolic")
    flt = landscape_at(prob, point, tier="float", spectrum=True)
    assert flt.inertia == (14, 9, 14) and sym.inertia_bounds == ((14, 9, 0), (28, 23, 14))
    assert prob.n > CHARPOLY_LIMIT and sym.tier == "symbolic"
    assert "enclosed in Arb balls" in sym.inertia_witness["method"]
    lo, hi = sym.inertia_bounds
    assert all(a <= b <= c for a, b, c in zip(lo, flt.inertia, hi))
    assert lo[0] + lo[1] == sum(1 for v in flt.spectrum if abs(v) > 1e-6)  # every clearly nonzero sign certified
