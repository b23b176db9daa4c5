"""dist(m, M) for trained models: the certified bracket [lower, upper] holds an independent 60-digit Gauss–Newton
distance, for every shape of network (issue 21)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from symland.io.data import Dataset
from symland.io.models import from_arrays
from symland.point.distance import distance_to_M

from tests.symland._gauss_newton60 import distance as gn60

ACT = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0), "softplus": lambda z: np.log1p(np.exp(z))}


def _forward(layers, X, act):
    a = X.T
    for k, (W, b) in enumerate(layers):
        a = W @ a + (b[:, None] if b is not None else 0.0)
        if k < len(layers) - 1:
            a = ACT[act](a)
    return a.T


def _model_near_M(widths, act="tanh", d=6, seed=0, bias=True, offset=1e-9):
    """Random weights; targets Y := f(X) rounded to float64 (so M passes within ~10⁻¹⁶); then the weights moved by
    ``offset``·N(0, 1): a model at distance ≈ offset·√n from M, as after training to L ≈ offset²."""
    rng = np.random.default_rng(seed)
    layers = [(rng.normal(size=(o, i)), rng.normal(size=o) if bias else None) for i, o in zip(widths, widths[1:])]
    X = rng.integers(-6, 7, size=(d, widths[0])) / 4 if bias else rng.integers(1, 7, size=(d, widths[0])) / 4
    Y = _forward(layers, X, act)
    moved = [(W + offset * rng.normal(size=W.shape), None if b is None else b + offset * rng.normal(size=b.shape))
             for W, b in layers]
    return moved, X, Y


def _relu_deficient():
    """1 input, 7 ReLU units whose kinks fall in two gaps of the data x = 0…4: the last layer's features
    [relu(w x + b), 1] have rank 3 < d = 5 (no output-layer re-solve), yet J_H has rank 5 at the model."""
    w = np.array([1.0, 1.5, 0.75, 2.0, 1.25, 0.5, 3.0])
    kinks = np.array([0.5, 0.5, 0.5, 2.5, 2.5, 2.5, 2.5])
    W1, b1 = w[:, None], -w * kinks
    v = np.array([0.5, -0.25, 1.0, 0.75, -0.5, 1.0, 0.25])
    X = np.arange(5.0)[:, None]
    layers = [(W1, b1), (v[None, :], np.array([0.125]))]
    Y = _forward(layers, X, "relu")
    rng = np.random.default_rng(7)  # the output layer moved: the kinks stay exactly in their two gaps
    moved = [layers[0], (layers[1][0] + 1e-9 * rng.normal(size=(1, 7)), layers[1][1] + 1e-9 * rng.normal(size=1))]
    return moved, X, Y


def _data(X, Y):
    return Dataset.from_rows([[Fraction(float(v)) for v in r] for r in X], [[Fraction(float(v)) for v in r] for r in Y])


def _check(layers, X, Y, act, tier="ball"):
    data = _data(X, Y)
    dist = distance_to_M(from_arrays(layers, act), data, tier=tier)
    lo, up = dist.bracket("l2")
    loi, upi = dist.bracket("linf")
    ref2, refi, norms = gn60(layers, [[Fraction(float(v)) for v in r] for r in X],
                             [[Fraction(float(v)) for v in r] for r in Y], act)
    assert norms[-1] < 1e-40, norms  # the reference converged to a point of M
    assert lo is not None and up is not None, dist.lines()
    # the bracket holds the reference (its point is a point of M: ≥ the distance; the foot is at most as far)
    assert lo <= ref2 and up <= ref2 * (1 + 1e-6), (lo, up, ref2)
    assert abs(up - ref2) <= 0.1 * ref2  # upper within 10 % of the 60-digit distance
    assert loi <= refi * (1 + 1e-6) and loi <= upi
    return dist, ref2


@pytest.mark.parametrize("shape", [
    dict(widths=(2, 10, 1), act="tanh", d=6),  # wide last layer
    dict(widths=(2, 3, 1), act="tanh", d=6),  # narrow: h + 1 = 4 < d
    dict(widths=(2, 4, 4, 1), act="tanh", d=6),  # deep
    dict(widths=(2, 6, 2), act="softplus", d=4),  # multi-output: dℓ = 8
    dict(widths=(2, 8, 1), act="tanh", d=5, bias=False),  # bias-free
])
def test_the_bracket_holds_the_60_digit_gauss_newton_distance(shape):
    layers, X, Y = _model_near_M(shape["widths"], shape["act"], shape["d"], bias=shape.get("bias", True))
    dist, ref = _check(layers, X, Y, shape["act"])
    assert dist.route == "foot" and dist.foot.converged
    lo, up = dist.bracket("l2")
    assert up <= 1.01 * lo  # well-conditioned (κ(J_H) ≤ 10⁶ here): the bracket is tight
    assert dist.angle is not None and float(dist.angle) < 1e-3  # m* − m lies in the normal space at m* (certified)


def test_relu_with_deficient_features_is_decided_by_krawczyk_and_keeps_its_linear_piece():
    layers, X, Y = _relu_deficient()
    data = _data(X, Y)
    F = np.hstack([np.maximum(X @ layers[0][0].T + layers[0][1], 0), np.ones((5, 1))])
    assert np.linalg.matrix_rank(F) == 3  # no output-layer re-solve
    dist, _ = _check(layers, X, Y, "relu")
    assert "krawczyk" in dist.near.details and dist.route == "foot"
    from proofs_check.certify_model import certify_model

    rep = certify_model(from_arrays(layers, "relu"), data, max_distance=1e-6)
    assert [c.verdict for c in rep.certificates] == ["certified", "certified"], rep.certificates[0].evidence
    assert rep.inertia == [5, 0, 17]


def test_a_model_1e9_from_M_certifies_under_max_distance_1e6_and_not_below_its_lower_bound(tmp_path):
    from proofs_check.certify_model import certify_model

    layers, X, Y = _model_near_M((2, 12, 1), "tanh", 8, seed=3, offset=2e-10)
    model, data = from_arrays(layers, "tanh"), _data(X, Y)
    rep = certify_model(model, data, max_distance=1e-6)
    lo, up = rep.bracket("l2")
    assert [c.verdict for c in rep.certificates] == ["certified", "certified"] and 1e-10 < lo <= up < 1e-8
    below = certify_model(model, data, max_distance=lo / 2)  # the lower bound says: none that close
    assert [c.verdict for c in below.certificates] == ["inconclusive"] * 2
    assert f"no point of M within {lo / 2:.1e}" in below.certificates[0].evidence


def test_a_far_model_gets_an_honest_bracket():
    """Untrained: the projection still converges to a point of M; lower < upper, both certified."""
    layers, X, Y = _model_near_M((2, 8, 1), "tanh", 6, seed=1, offset=0.3)
    dist, ref = _check(layers, X, Y, "tanh")
    lo, up = dist.bracket("l2")
    assert 0 < lo < up


def test_a_point_on_M_has_distance_zero():
    rng = np.random.default_rng(2)
    layers = [(rng.integers(-3, 4, size=(4, 1)) / 2, rng.integers(-3, 4, size=4) / 2),
              (rng.integers(-3, 4, size=(1, 4)) / 2, np.array([0.5]))]
    X = np.array([[0.0], [1.0], [2.0]])
    Y = _forward(layers, X, "relu")  # exact in float: dyadic weights and data
    dist = distance_to_M(from_arrays(layers, "relu"), _data(X, Y), tier="exact")
    assert dist.bracket("l2") == (0.0, 0.0) and dist.near.status == "exact"


def test_beyond_the_size_limit_the_bracket_says_so_and_m_star_is_re_solved_at_m(monkeypatch):
    import symland.point.distance as dist_mod

    layers, X, Y = _model_near_M((2, 10, 1), "tanh", 6)
    monkeypatch.setattr(dist_mod, "BRACKET_LIMIT", 5)  # dℓ = 6 > 5
    dist = distance_to_M(from_arrays(layers, "tanh"), _data(X, Y), tier="ball")
    assert dist.route == "trained point" and dist.near.ok
    assert dist.bracket("l2")[0] is None and "not attempted" in dist.lower.reason and "not attempted" in \
        dist.foot.reason
