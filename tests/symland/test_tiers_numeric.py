"""The inexact tiers: Arb balls contain the exact values, mpmath and float64 agree with them, and the
pieces of σ are evaluated on the right side of each breakpoint."""

import numpy as np
import pytest
from flint import arb, fmpq

from symland.activations import get_activation
from symland.certify import certify_full_row_rank, choose_minor, triangular_order
from symland.data import Dataset
from symland.errors import UndefinedDerivativeError
from symland.floating import float_rank, jacobian
from symland.network import mlp
from symland.problem import Problem
from symland.tiers.numeric import BallKind, FloatKind, MpKind, Undecided, precision

DATA = Dataset.from_rows([["1/3", 2], [-1, "1/2"], [2, -2], ["5/7", "3/4"]], [[1, 0], [-2, 1], ["1/2", 3], [0, -1]])
POINT = ["1/2", "-1/3", "2/5", "1", "-3/4", "1/7", "1/4", "2", "-1/5", "3/2", "1/3", "-1", "1/5", "2/3",
         "-1/2", "1/9", "1/2"]  # n = 17 for widths (2, 3, 2)


def _exact_and(kind):
    prob = Problem(mlp((2, 3, 2), "smoolu"), DATA)
    return prob.at(POINT), prob.at(POINT, kind=kind)


def test_balls_contain_the_exact_values_of_H_and_J():
    exact, ball = _exact_and(BallKind(128))
    K = exact.kind
    assert all(b.contains(K.const(e).enclosure(300)) for b, e in zip(ball.H, exact.H))
    assert all(b.contains(K.const(e).enclosure(300)) for rb, re in zip(ball.J, exact.J) for b, e in zip(rb, re))
    assert max(float(b.rad()) for row in ball.J for b in row) < 1e-30


def test_mp_and_float_agree_with_the_exact_values():
    exact, mp = _exact_and(MpKind(40))
    K = exact.kind
    ref = np.array([[float(K.const(e).enclosure(80).mid()) for e in row] for row in exact.J])
    assert np.max(np.abs(np.array([[float(v) for v in row] for row in mp.J]) - ref)) < 1e-15
    _, fl = _exact_and(FloatKind())
    assert np.max(np.abs(np.array(fl.J) - ref)) < 1e-14
    H, J = jacobian(mlp((2, 3, 2), "smoolu"), DATA, np.array([float(fmpq(v)) for v in POINT]))
    assert np.max(np.abs(J - ref)) < 1e-14 and J.shape == (8, 17)


def test_batched_float_jacobian_of_a_deep_network_matches_the_scalar_passes():
    net = mlp((2, 3, 2, 2), "softplus")
    x = np.linspace(-1, 1, net.n)
    H, J = jacobian(net, DATA, x)
    scalar = Problem(net, DATA).at([float(v) for v in x], kind=FloatKind())
    assert np.allclose(J, np.array(scalar.J), atol=1e-14) and np.allclose(H, scalar.H, atol=1e-14)


@pytest.mark.parametrize("kind", [BallKind(128), MpKind(30), FloatKind()], ids=["ball", "mp", "float"])
def test_sigma_pieces_left_and_right_of_zero(kind):
    s = get_activation("smoolu")
    with precision(128):
        assert kind.is_zero(kind.act(s, kind.const(fmpq(-1, 2)), 1))  # the t ≤ 0 piece is exactly 0
        assert kind.is_zero(kind.act(s, kind.const(fmpq(0)), 2))  # σ''(0) = 0 (smooLU is C^∞)
        v = kind.act(s, kind.const(fmpq(1, 2)), 0)
    assert abs(float(v if not isinstance(v, arb) else v.mid()) - 0.5 * np.exp(-2)) < 1e-15


def test_relu_derivative_at_an_exact_zero_is_undefined_and_a_straddling_ball_undecided():
    relu = get_activation("relu")
    kind = BallKind(64)
    with precision(64):
        with pytest.raises(UndefinedDerivativeError):
            kind.act(relu, arb(0), 1)
        with pytest.raises(Undecided):
            kind.act(relu, arb(0, 1e-3), 1)  # [−0.001, 0.001]: σ' jumps inside
        assert kind.act(get_activation("rectpow3"), arb(0, 1e-3), 1).contains(0)  # C²: union of pieces


def test_ball_sign_is_undecided_rather_than_guessed():
    kind = BallKind(64)
    with precision(64):
        close = kind.const(fmpq(10**40 + 1, 10**40)) - kind.const(1)
        with pytest.raises(Undecided):
            kind.sign(close)
    with precision(256):
        assert kind.sign(kind.const(fmpq(10**40 + 1, 10**40)) - kind.const(1)) == 1


def test_certified_rank_by_norm_triangular_minor_and_determinant():
    with precision(128):
        M = [[arb(1), arb(2), arb(0)], [arb(0), arb(fmpq(1, 3)), arb(0)]]
        cert = certify_full_row_rank(M)
        assert (cert.rank, cert.cols, cert.how) == (2, (0, 1), "norm")
        tri = certify_full_row_rank([[arb(2), arb(0), arb(5)], [arb(7), arb(3), arb(1)]], hint=[0, 1])
        assert (tri.rank, tri.how, tri.cols) == (2, "triangular", (0, 1))
        assert triangular_order([[arb(2), arb(0)], [arb(7), arb(3)]], (0, 1)) == [(0, 0), (1, 1)]
        assert certify_full_row_rank([[arb(1), arb(2)], [arb(2), arb(4)]]) is None  # singular: not certified


def test_choose_minor_skips_zero_columns_and_rejects_rank_deficiency():
    F = np.array([[0.0, 1.0, 0.0, 2.0], [0.0, 3.0, 0.0, 1.0]])
    assert choose_minor(F) == (1, 3)
    assert choose_minor(np.array([[1.0, 2.0], [2.0, 4.0]])) is None


def test_float_rank_reports_the_numerical_rank_and_the_hessian_spectrum():
    J = np.array([[3.0, 0, 0, 0], [0, 2.0, 0, 0]])
    fr = float_rank(J)
    assert fr.rank == 2 and np.allclose(fr.hessian_spectrum(), [18.0, 8.0], rtol=1e-14)
    assert float_rank(np.array([[1.0, 1.0], [1.0, 1.0 + 1e-17]])).rank == 1


def test_float_jacobian_counts_exactly_zero_preactivations():
    stats = {}
    net = mlp((1, 2, 1), "rectpow3")  # C²: σ' exists at 0 (ReLU's would be an UndefinedDerivativeError)
    jacobian(net, Dataset.from_rows([[1], [2]], [0, 1]), np.array([1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.0]), stats=stats)
    # unit 0 at x = 1: 1·1 − 1 = 0; unit 1 at x = 2: 1·2 − 2 = 0
    assert stats == {"zero_preactivations": 2, "breakpoint_preactivations": ((0, 2),)}
