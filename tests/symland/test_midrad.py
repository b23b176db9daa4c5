"""Float64 midpoint–radius matrices (symland.linear.midrad) against exact rational arithmetic, and the box of the
distance's lower bound (layered_float.box) against Arb passes at points inside the box."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from flint import arb, arb_mat, ctx, fmpq

from symland.io.data import Dataset
from symland.linear.midrad import (
    HUGE,
    MidRad,
    col_norm_upper,
    enclose_solve,
    from_arb_mat,
    inverse_bound,
    row_sum_upper,
)
from symland.networks.network import mlp
from symland.point import layered_float
from symland.point.layered import passes


def _F(x) -> Fraction:
    return Fraction(float(x))


def _exact_product(A, B):
    A = [[_F(v) for v in row] for row in A]
    B = [[_F(v) for v in row] for row in B]
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), Fraction(0)) for j in range(len(B[0]))]
            for i in range(len(A))]


def _inside(M: MidRad, exact) -> bool:
    return all(abs(Fraction(float(M.mid[i, j])) - e) <= Fraction(float(M.rad[i, j]))
               for i, row in enumerate(exact) for j, e in enumerate(row))


def _hard(rng, m, n):
    """Entries over 40 orders of magnitude, with near-cancelling pairs."""
    A = rng.standard_normal((m, n)) * 10.0 ** rng.integers(-20, 20, size=(m, n))
    if n > 1:
        A[:, 1] = -A[:, 0] * (1 + 2.0**-50)
    return A


def test_a_product_encloses_the_exact_rational_product_and_needs_its_radius():
    rng = np.random.default_rng(5)
    needed = False
    for _ in range(12):
        m, n, p = (int(v) for v in rng.integers(1, 9, size=3))
        A, B = _hard(rng, m, n), _hard(rng, n, p)
        C = MidRad(A) @ MidRad(B)
        exact = _exact_product(A, B)
        assert _inside(C, exact)
        needed = needed or not _inside(MidRad(C.mid), exact)  # the midpoints alone are wrong somewhere
    assert needed


def test_radii_of_the_inputs_are_carried_through_products_sums_and_entrywise_products():
    rng = np.random.default_rng(6)
    A, B = rng.standard_normal((4, 5)), rng.standard_normal((5, 3))
    rA, rB = np.full(A.shape, 1e-6), np.full(B.shape, 2e-7)
    # the corners of the boxes (and random points in them) must stay inside the enclosures
    for _ in range(20):
        sA = A + 0.999 * rA * rng.choice([-1.0, 1.0], size=A.shape)  # inside the box despite rounding
        sB = B + 0.999 * rB * rng.choice([-1.0, 1.0], size=B.shape)
        assert _inside(MidRad(A, rA) @ MidRad(B, rB), _exact_product(sA, sB))
        H = MidRad(A, rA) * MidRad(A[:, ::-1], rA)
        assert _inside(H, [[_F(x) * _F(y) for x, y in zip(r1, r2)] for r1, r2 in zip(sA, sA[:, ::-1])])
        S = MidRad(A, rA) - MidRad(A * 3, rA)
        assert _inside(S, [[_F(x) - 3 * _F(y) for x, y in zip(r1, r2)] for r1, r2 in zip(sA, A)])
        S2 = MidRad(A, rA) + MidRad(-sA, np.zeros_like(A))
        assert _inside(S2, [[Fraction(0)] * A.shape[1] for _ in range(A.shape[0])])


def test_tiny_and_subnormal_entries_are_flushed_into_the_radius():
    A = np.array([[5e-324, 1e-200, 1.0], [2.0**-1074 * 7, -3e-130, 0.0]])
    B = np.array([[1e-300], [1e-200], [1e-310]])
    C = MidRad(A) @ MidRad(B)
    assert _inside(C, _exact_product(A, B))
    assert np.all(C.rad > 0)  # the underflowing products are not lost


def test_entries_beyond_the_safe_range_are_refused():
    with pytest.raises(ArithmeticError):
        MidRad(np.array([[HUGE * 4]])) @ MidRad(np.array([[1.0]]))
    with pytest.raises(ArithmeticError):
        MidRad(np.array([[np.nan]])) @ MidRad(np.array([[1.0]]))


def test_norm_bounds_are_upper_bounds():
    rng = np.random.default_rng(7)
    M = np.abs(rng.standard_normal((30, 40))) * 10.0 ** rng.integers(-5, 5, size=(30, 40))
    rows = max(sum(_F(v) for v in row) for row in M)
    assert Fraction(row_sum_upper(M)) >= rows
    cols = col_norm_upper(M)
    for j in range(M.shape[1]):
        assert Fraction(float(cols[j])) ** 2 >= sum(_F(v) ** 2 for v in M[:, j])


def test_from_arb_mat_contains_every_ball():
    ctx.prec = 200
    try:
        M = arb_mat([[arb(fmpq(i * 7 + j + 1, 3)).tanh() + arb(0, 10.0 ** (-20 - j)) for j in range(6)]
                     for i in range(5)])
        X = from_arb_mat(M)
        for i, row in enumerate(M.tolist()):
            for j, v in enumerate(row):
                ball = arb(fmpq(*X.mid[i, j].as_integer_ratio())) + arb(0, X.rad[i, j])
                assert ball.contains(v)
    finally:
        ctx.prec = 53


def test_an_inverse_is_certified_for_a_well_conditioned_matrix_and_not_for_a_singular_one():
    rng = np.random.default_rng(8)
    S = rng.standard_normal((12, 12)) + 12 * np.eye(12)
    beta = inverse_bound(MidRad(S), MidRad(np.linalg.inv(S)))
    assert beta is not None and beta < 1e-12
    sing = np.ones((4, 4))
    assert inverse_bound(MidRad(sing), MidRad(np.linalg.pinv(sing))) is None
    hilbert = np.array([[1 / (i + j + 1) for j in range(14)] for i in range(14)])  # κ ≈ 10¹⁸: beyond float64
    assert inverse_bound(MidRad(hilbert), MidRad(np.linalg.inv(hilbert))) is None


def test_a_verified_solve_encloses_the_exact_rational_solution():
    import sympy as sp

    rng = np.random.default_rng(9)
    S = rng.standard_normal((6, 6)) + 3 * np.eye(6)
    b = rng.standard_normal(6) * 1e-11  # tiny right-hand side, as H(m) near M
    R = MidRad(np.linalg.inv(S))
    beta = inverse_bound(MidRad(S), R)
    x = enclose_solve(MidRad(S), R, beta, MidRad(b))
    exact = sp.Matrix([[sp.Rational(_F(v)) for v in row] for row in S]).LUsolve(sp.Matrix([sp.Rational(_F(v))
                                                                                           for v in b]))
    for ball, e in zip(x, exact):
        assert ball.contains(fmpq(int(e.p), int(e.q)))
        assert float(ball.rad()) < 1e-25  # refined: far below float64's resolution of b


@pytest.mark.parametrize("act,widths,bias", [("tanh", (2, 5, 4, 1), True), ("sigmoid", (3, 6, 2), False),
                                             ("tanh", (2, 7, 1), True)])
def test_the_float_box_encloses_the_passes_at_points_in_the_box(act, widths, bias):
    rng = np.random.default_rng(10)
    net = mlp(widths, act, bias)
    X = rng.integers(-3, 4, size=(5, widths[0])).tolist()
    Y = rng.integers(-3, 4, size=(5, widths[-1])).tolist()
    data = Dataset.from_rows(X, Y)
    m = rng.standard_normal(net.n)
    P = passes(net, [fmpq(*float(v).as_integer_ratio()) for v in m], data, 128)
    r = 1e-3
    box = layered_float.box(P, arb(fmpq(*r.as_integer_ratio())))
    for trial in range(6):
        x = m + 0.999 * r * (rng.choice([-1.0, 1.0], size=m.shape) if trial < 3 else rng.uniform(-1, 1, size=m.shape))
        Q = passes(net, [fmpq(*float(v).as_integer_ratio()) for v in x], data, 128)
        for Mb, Mq in list(zip(box.A, Q.A)) + [(box.G[c][k], Q.G[c][k]) for c in range(Q.ell)
                                                for k in range(len(Q.A))]:
            for i, row in enumerate(Mq.tolist()):
                for j, v in enumerate(row):
                    ball = arb(fmpq(*float(Mb.mid[i, j]).as_integer_ratio())) + arb(0, float(Mb.rad[i, j]))
                    assert ball.contains(v), (act, trial, i, j)
    # and the box is not the whole line: its radii are of the order of r
    assert max(float(np.max(a.rad)) for a in box.A[1:]) < 100 * r


def test_the_float_norm_of_jt_w_bounds_the_arb_one():
    rng = np.random.default_rng(11)
    net = mlp((3, 5, 4, 2), "tanh")
    data = Dataset.from_rows(rng.integers(-3, 4, size=(6, 3)).tolist(), rng.integers(-3, 4, size=(6, 2)).tolist())
    P = passes(net, [fmpq(*float(v).as_integer_ratio()) for v in rng.standard_normal(net.n)], data, 128)
    w = rng.standard_normal(len(P.H))
    exact = sum((abs(v) for v in P.jt([arb(fmpq(*float(x).as_integer_ratio())) for x in w])), arb(0))
    up = layered_float.jt_l1_upper(P, w)
    assert up >= exact and float(up) <= float(exact) * (1 + 1e-12)


def test_a_sigma_without_the_value_identity_has_no_float_box():
    net = mlp((1, 3, 1), "softplus")
    data = Dataset.from_rows([[0], [1]], [1, 2])
    P = passes(net, [fmpq(k + 1, 3) for k in range(net.n)], data, 128)
    with pytest.raises(ArithmeticError):  # the lower bound then takes a pass over the box in Arb
        layered_float.box(P, arb(fmpq(1, 1000)))


def test_a_loose_float_enclosure_of_the_gauss_newton_step_is_refined_with_arb_residuals():
    """κ(JJᵀ) ≈ 10⁹ here: the float64 enclosure of (JJᵀ)⁻¹H alone is ~10⁻³ wide relatively; refined with the
    residual H − J(Jᵀx) in Arb it is as narrow as Arb's own route, and contains it."""
    from flint import arb_mat

    import symland.point.bracket as B
    from symland.linear.midrad import MidRad as MR, from_arb
    from symland.training.train import train

    rng = np.random.default_rng(3)
    X = np.unique(rng.integers(-8, 9, size=(60, 3)), axis=0)[:40]
    data = Dataset.from_rows(X.tolist(), rng.integers(-2, 3, size=(len(X), 1)).tolist())
    res = train(data, (3, 30, 1), "softplus", seed=1)
    P = passes(mlp((3, 30, 1), "softplus"), [fmpq(*float(v).as_integer_ratio()) for v in res.point()], data, 128)
    G = layered_float.gram(P)
    R = MR(np.linalg.inv(G.mid))
    beta = inverse_bound(G, R)
    plain = enclose_solve(G, R, beta, from_arb(P.H))
    assert B._loose(P.H, plain)  # the refinement is needed on this model
    _, lam = B._gram_solve(P)
    Ga = P.gram()
    ref = B._enclose(Ga, *B._inverse(Ga), arb_mat([[h] for h in P.H]))
    assert all(x.overlaps(y) and y.overlaps(z) for x, y, z in zip(lam, ref, plain))
    a2 = sum((h * x for h, x in zip(P.H, lam)), arb(0))
    assert float(a2.rad()) < 1e-12 * float(a2.mid())  # was > 1e-5 relatively from float64 alone
