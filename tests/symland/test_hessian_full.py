"""Problem.hessian_L_at: the exact Hessian of L with the residual term, by unit blocks, equals the general passes."""

import random

import pytest
from flint import fmpq, fmpq_mat

from symland.data import Dataset
from symland.errors import ShapeError
from symland.network import mlp
from symland.problem import Problem


@pytest.mark.parametrize("widths,act", [((2, 4, 1), "rectpow3"), ((3, 3, 2), "rectpow3"), ((2, 3, 1), "poly:1,2,3"),
                                        ((1, 2, 2, 1), "rectpow3")])
def test_block_hessian_equals_the_general_passes_off_M(widths, act):
    rng = random.Random(1)
    data = Dataset.from_rows([[fmpq(rng.randint(-5, 5), 3) for _ in range(widths[0])] for _ in range(5)],
                             [[rng.randint(-3, 3) for _ in range(widths[-1])] for _ in range(5)])
    prob = Problem(mlp(widths, act), data)
    point = [fmpq(rng.randint(-5, 5), 4) for _ in range(prob.n)]
    vals = prob.at(point, hessian=True)
    assert not vals.on_M  # the residual term matters here
    assert prob.hessian_L_at(point) == fmpq_mat(vals.hess_L)
    assert prob.hessian_L_at(point) != fmpq_mat(vals.gram())


def test_block_hessian_needs_rational_values():
    prob = Problem(mlp((1, 1, 1), "smoolu"), Dataset.from_rows([[1]], [1]))
    with pytest.raises(ShapeError, match="rational values"):
        prob.hessian_L_at(["1", "0", "1", "0"])


def test_residuals_alone_exist_at_a_relu_kink():
    prob = Problem(mlp((1, 1, 1), "relu"), Dataset.from_rows([[1]], [1]))
    vals = prob.at(["1", "1", "1", "0"], jacobian=False)  # pre-activation 1·1 − 1 = 0: the kink
    assert [str(v) for v in vals.H] == ["-1"] and vals.J == []
