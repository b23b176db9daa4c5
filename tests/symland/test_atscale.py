"""The at-scale routes equal the general exact passes on small cases, and can fail."""

import random

import numpy as np
import pytest
from flint import fmpq, nmod_mat

from symland.activations import get_activation
from symland.atscale import check_point, construct, minor_mod_p, rectified_polynomial
from symland.data import Dataset
from symland.errors import InputError, NotRepresentableError
from symland.landscape import interpolate
from symland.linalg import certify_rank, random_prime
from symland.modp import jacobian_mod_p, matmul_mod, reduce_matrix
from symland.network import mlp
from symland.problem import Problem, _Passes
from symland.sparse import SparseRows
from symland.tiers import RationalKind

RECT3 = get_activation("rectpow3")


def _data(d, p, seed=1):
    rng = random.Random(seed)
    X = [[fmpq(rng.randint(-50, 50), rng.randint(1, 9)) for _ in range(p)] for _ in range(d)]
    Y = [[fmpq(rng.randint(-50, 50), rng.randint(1, 9))] for _ in range(d)]
    return Dataset.from_rows(X, Y)


@pytest.mark.parametrize("widths", [(3, 12, 1), (2, 5, 12, 1), (2, 3, 4, 14, 1)])
def test_the_scale_construction_is_the_lemma_3_3_point_and_lies_on_M(widths):
    data = _data(widths[-2] - 2, widths[0])
    sp = construct(data, widths, RECT3)
    it = interpolate(data, widths, RECT3, RationalKind())
    assert sp.flat() == it.params
    check = check_point(sp, data, RECT3)
    vals = Problem(mlp(widths, RECT3), data).at(sp.flat())
    assert check.H == vals.H == [0] * data.d
    assert check.zero_preactivations == vals.zero_preactivations


def test_a_tampered_output_weight_gives_the_exact_nonzero_residuals():
    widths, data = (3, 10, 10, 1), _data(10, 3)
    sp = construct(data, widths, RECT3)
    sp.out_num[4] += sp.out_den[4]  # m_5 + 1
    check = check_point(sp, data, RECT3)
    vals = Problem(mlp(widths, RECT3), data).at(sp.flat())
    assert check.H == vals.H and sum(1 for h in check.H if h != 0) > 0


def test_the_minor_mod_p_is_the_output_weight_minor_of_the_exact_jacobian():
    widths, data = (2, 8, 8, 1), _data(8, 2)
    sp = construct(data, widths, RECT3)
    mn = minor_mod_p(check_point(sp, data, RECT3))
    net = mlp(widths, RECT3)
    J = Problem(net, data).at(sp.flat()).J
    cols = net.output_weight_indices(8)
    p = mn["prime"]
    red = [[int(J[s][j].p) * pow(int(J[s][j].q), -1, p) % p for j in cols] for s in range(8)]
    assert int(nmod_mat(red, p).det()) == mn["det_mod_p"] != 0
    assert all(J[s][cols[u]] != 0 for s, u in enumerate(mn["nonzero"]))


def test_only_rectified_polynomials_take_the_route():
    assert rectified_polynomial(RECT3) == [0, 0, 0, 1]
    assert rectified_polynomial(get_activation("smoolu")) is None
    with pytest.raises(NotRepresentableError):
        construct(_data(4, 2), (2, 4, 1), get_activation("smoolu"))


def test_the_jacobian_mod_p_is_the_exact_jacobian_reduced():
    rng = random.Random(3)
    widths, data = (2, 4, 3, 1), _data(5, 2)
    net = mlp(widths, RECT3)
    point = [fmpq(rng.randint(-9, 9), rng.randint(1, 7)) for _ in range(net.n)]
    kind = RationalKind()
    p = random_prime(rng, bits=30)
    Jp = jacobian_mod_p(_Passes(net, data, kind, point, second=False), p)
    J = Problem(net, data).at(point).J
    assert Jp.tolist() == reduce_matrix(J, p).tolist()


def test_matmul_mod_does_not_overflow_near_the_prime():
    p = (1 << 31) - 1
    A = np.full((3, 40000), p - 1, dtype=np.int64)
    B = np.full((40000, 2), p - 2, dtype=np.int64)
    assert matmul_mod(A, B, p).tolist() == [[(40000 * (p - 1) * (p - 2)) % p] * 2] * 3


def test_sparse_rows_reduce_entry_by_entry_and_rank_like_the_dense_route():
    M = [[fmpq(1, 2), 0, 0, fmpq(3, 5)], [0, 0, 0, fmpq(-1, 3)], [1, 0, 0, fmpq(16, 15)]]  # row 3 = 2·row 1 + row 2
    S = SparseRows(M)
    assert S.cols == [0, 3] and S.to_fmpq_mat().tolist() == [[fmpq(v) for v in r] for r in M]
    with pytest.raises(InputError):
        S.mod_p(5)
    cert = certify_rank(M, want_kernel=True)
    assert cert.rank == 2 and cert.minor.cols[-1] == 3 and cert.check(M)
    with pytest.raises(InputError):
        certify_rank([[0.5, 0]])


def test_residuals_over_denominators_that_do_not_divide_one_another_are_exact():
    widths, data = (3, 9, 9, 1), _data(9, 3)
    sp = construct(data, widths, RECT3)
    sp.out_num[3], sp.out_den[3] = 1, 7  # D_4 no longer a multiple of D_3: the lcm branch
    sp.out_num[6], sp.out_den[6] = -5, -11  # a negative denominator
    check = check_point(sp, data, RECT3)
    vals = Problem(mlp(widths, RECT3), data).at(sp.flat())
    assert check.H == vals.H and sum(1 for h in check.H if h != 0) == 6


def test_a_minor_that_is_not_triangular_takes_the_dense_determinant():
    widths, data = (2, 8, 8, 1), _data(8, 2)
    sp = construct(data, widths, RECT3)
    check = check_point(sp, data, RECT3)
    tri = minor_mod_p(check)
    i, j = sorted(range(8), key=lambda u: check.beta[u])[2:4]
    check.beta[i], check.beta[j] = check.beta[i], check.beta[i] - fmpq(1, 10**6)  # two β below one t: not triangular
    mn = minor_mod_p(check)
    p = mn["prime"]
    cube = [[(t - b) ** 3 if b < t else fmpq(0) for b in check.beta] for t in check.t]
    red = [[int(v.p) * pow(int(v.q), -1, p) % p for v in row] for row in cube]
    assert int(nmod_mat(red, p).det()) == mn["det_mod_p"] != 0
    assert tri["det_mod_p"] != mn["det_mod_p"]


def test_the_live_jacobian_mod_p_without_exact_derivatives_is_the_exact_jacobian_reduced():
    from symland.networks.modp import live_jacobian_mod_p, rank_profile

    rng = random.Random(5)
    widths, data = (2, 4, 3, 1), _data(5, 2)
    net = mlp(widths, RECT3)
    point = [fmpq(rng.randint(-9, 9), rng.randint(1, 7)) for _ in range(net.n)]
    for j in range(4):  # hidden unit 1 unused (a zero unit: its columns are not live), unit 2's z = 0 at a kink
        point[2 * 1 + j % 2] = fmpq(0)
    point[8 + 1] = fmpq(0)
    kind = RationalKind()
    p = random_prime(rng, bits=30)
    J, cols = live_jacobian_mod_p(_Passes(net, data, kind, point, second=False, first=False), p)
    full = reduce_matrix(Problem(net, data).at(point).J, p)
    live = [c for c in range(net.n) if full[:, c].any()]
    assert set(live) <= set(cols.tolist()) and (J == full[:, cols]).all()
    assert cols.size < net.n and rank_profile(J, p, cols)[0] == int(nmod_mat(full.tolist(), p).rank())


def test_the_live_column_bound_reads_the_zero_pattern_of_the_point():
    from symland.tiers.live import live_columns_bound

    net = mlp((2, 3, 2, 1), RECT3)
    point = {k: "1/3" for k in net.param_names()}
    assert live_columns_bound(net, point) == net.n  # nothing zero: every column may be live
    for k in ("W1_2_0", "W1_2_1", "b1_2", "W2_0_2", "W2_1_2"):  # unit 3 of layer 1: no weights in, none out
        point[k] = "0"
    # layer 1: 2 units reach the output × 2 inputs + 2 biases; layer 2: 2 × 2 fed units + 2; output: 1 × 2 + 1
    assert live_columns_bound(net, point) == 6 + 6 + 3
