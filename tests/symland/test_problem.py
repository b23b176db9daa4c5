"""The fast exact maps at a point equal the sympy reference exactly, on small cases."""

import random

import pytest
import sympy as sp
from flint import fmpq

from symland.data import Dataset
from symland.errors import ShapeError, UndefinedDerivativeError, UnknownNameError
from symland.network import mlp
from symland.problem import Problem
from symland.tiers import ExpPolyKind
from symland.tiers.exppoly import from_sympy

DATA = Dataset.from_rows([[1, 2], [0, -1], [3, 1]], [1, 0, 2])


def _compare(prob, point):
    vals = prob.at([str(v) for v in point], hessian=True)
    subs = {s: sp.Rational(int(v.p), int(v.q)) for s, v in zip(prob.symbols, point)}
    lift = ExpPolyKind().const
    H = [from_sympy(h.subs(subs)) for h in prob.H_sym]
    J = prob.J_sym.subs(subs)
    HL = prob.hessian_sym.subs(subs)
    assert H == [lift(v) for v in vals.H]
    assert all(from_sympy(J[i, j]) == lift(vals.J[i][j]) for i in range(J.rows) for j in range(J.cols))
    assert all(from_sympy(HL[i, j]) == lift(vals.hess_L[i][j])
               for i in range(HL.rows) for j in range(HL.cols))
    return vals


@pytest.mark.parametrize("act,widths", [("rectpow3", (2, 2, 1)), ("smoolu", (2, 1, 1)),
                                        ("rectpow3", (2, 1, 2))])
def test_fast_path_equals_the_symbolic_path_exactly(act, widths):
    rng = random.Random(7)
    data = DATA if widths[-1] == 1 else Dataset.from_rows(DATA.X, [[1, 2], [0, 1], [2, 2]])
    prob = Problem(mlp(widths, act), data)
    point = [fmpq(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(prob.n)]
    vals = _compare(prob, point)
    assert vals.kind.name == ("symbolic" if act == "smoolu" else "exact")


def test_hessian_of_L_includes_the_residual_term():
    prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [0]))
    # f(x) = w2·(w1·x − b1)³ − b2 with w1 = 2, b1 = 0, w2 = 1, b2 = 0: f(1) = 8, residual 8
    vals = prob.at(["2", "0", "1", "0"], hessian=True)
    gram = vals.gram()
    assert vals.H == [fmpq(8)]
    # ∂²f/∂w1² = 6·w2·(w1 x − b1)·x² = 12, so Hess L[0][0] = 2·(12² ) + 2·8·12
    assert vals.hess_L[0][0] == 2 * 12**2 + 2 * 8 * 12
    assert gram[0][0] == 2 * 12**2


def test_jacobian_at_a_kink_of_relu_is_refused():
    prob = Problem(mlp((1, 1, 1), "relu"), Dataset.from_rows([[1]], [0]))
    with pytest.raises(UndefinedDerivativeError, match="hidden layer 1"):
        prob.at(["1", "1", "1", "0"])


def test_points_are_validated_by_name():
    prob = Problem(mlp((2, 3, 1), "rectpow3"), DATA)
    names = prob.network.param_names()
    good = {k: "1" for k in names}
    assert len(prob.parse_point(good)) == 13
    with pytest.raises(ShapeError, match="missing parameter 'W1_0_0'"):
        prob.parse_point({k: "1" for k in names[1:]})
    with pytest.raises(UnknownNameError, match="unknown parameter 'W9_0_0'"):
        prob.parse_point({**good, "W9_0_0": "1"})


def test_network_and_data_must_agree_on_shapes():
    with pytest.raises(ShapeError, match="p = 2"):
        Problem(mlp((3, 3, 1), "smoolu"), DATA)
    with pytest.raises(ShapeError, match="ℓ = 1"):
        Problem(mlp((2, 3, 2), "smoolu"), DATA)


def test_parameter_names_follow_the_canonical_order():
    net = mlp((2, 3, 1), "rectpow3")
    assert net.param_names() == [
        "W1_0_0", "W1_0_1", "W1_1_0", "W1_1_1", "W1_2_0", "W1_2_1", "b1_0", "b1_1", "b1_2",
        "W2_0_0", "W2_0_1", "W2_0_2", "b2_0"]
    assert net.n == 13
