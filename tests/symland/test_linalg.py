"""Tests for symland.linalg: certified rank, kernel and inertia over Q, all checked against exact values."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from flint import fmpq, fmpq_mat, fmpz_mat, nmod_mat
from hypothesis import given, settings, strategies as st

from symland.errors import InputError, ShapeError
from symland.linalg import (
    InertiaCertificate,
    MinorWitness,
    RankCertificate,
    certify_rank,
    diagonal_nonzero,
    inertia,
    inertia_charpoly,
    is_lower_triangular,
    kernel_basis,
    random_prime,
    rank_profile_mod_p,
    to_nmod,
)


def q(rows):
    return [[fmpq(x) if not isinstance(x, tuple) else fmpq(*x) for x in r] for r in rows]


def rand_matrix(rng, m, n, spread=9):
    return [[fmpq(rng.randint(-spread, spread), rng.randint(1, spread)) for _ in range(n)] for _ in range(m)]


def matmul(A, B):
    return (fmpq_mat(A) * fmpq_mat(B)).tolist()


def test_random_prime_is_a_word_size_prime_and_reproducible_with_a_seed():
    p = random_prime(random.Random(5))
    assert 2**62 <= p < 2**63
    assert fmpq_mat([[p]]).det() == p and p == random_prime(random.Random(5))
    assert 2**10 <= random_prime(random.Random(1), bits=10) < 2**11
    with pytest.raises(InputError):
        random_prime(bits=64)


def test_to_nmod_reduces_fractions_with_the_inverse_of_the_denominator():
    p = 1000003
    A = to_nmod(q([[(1, 2), (-1, 3)], [5, 0]]), p)
    assert A.modulus() == p
    assert [int(A[0, 0]) * 2 % p, int(A[0, 1]) * 3 % p, int(A[1, 0]), int(A[1, 1])] == [1, p - 1, 5, 0]
    assert to_nmod(fmpq_mat(q([[(1, 2)]])), p) == to_nmod([[Fraction(1, 2)]], p)


def test_to_nmod_refuses_a_prime_dividing_a_denominator_and_a_non_prime():
    with pytest.raises(ValueError):
        to_nmod(q([[(1, 7)]]), 7)
    with pytest.raises(InputError):
        to_nmod(q([[1]]), 15)


def test_rank_profile_mod_p_finds_a_nonsingular_minor():
    A = nmod_mat([[0, 0, 1, 2], [0, 0, 2, 4], [1, 0, 0, 1]], 101)
    r, rows, cols = rank_profile_mod_p(A)
    assert (r, cols) == (2, (0, 2))
    assert len(rows) == 2 and nmod_mat([[int(A[i, j]) for j in cols] for i in rows], 101).det() != 0
    assert rank_profile_mod_p(nmod_mat(2, 3, [0] * 6, 7)) == (0, (), ())


def test_rank_profile_mod_p_on_a_wide_matrix_uses_the_first_columns_when_they_suffice():
    rng = random.Random(3)
    p = 1000003
    A = nmod_mat([[rng.randrange(p) for _ in range(500)] for _ in range(10)], p)
    assert rank_profile_mod_p(A) == (10, rank_profile_mod_p(A)[1], tuple(range(10)))


def test_rank_profile_mod_p_on_a_wide_matrix_falls_back_when_the_first_columns_are_deficient():
    p = 1000003
    A = nmod_mat([[0] * 60 + [1, 0, 0], [0] * 60 + [0, 0, 1]], p)
    assert rank_profile_mod_p(A) == (2, (0, 1), (60, 62))


def test_full_row_rank_wide_matrix_is_proved_by_a_minor_alone():
    M = rand_matrix(random.Random(1), 5, 40)
    cert = certify_rank(M, rng=random.Random(2))
    assert (cert.rank, cert.shape, cert.kernel) == (5, (5, 40), None)
    assert cert.minor is not None and cert.minor.check(M) and cert.check(M)
    assert "full row rank" in cert.method and "rank 5 of a 5×40" in cert.summary()


def test_full_column_rank_tall_matrix_has_an_empty_kernel_when_asked():
    M = rand_matrix(random.Random(4), 9, 3)
    cert = certify_rank(fmpq_mat(M), want_kernel=True)
    assert (cert.rank, cert.kernel) == (3, ())
    assert kernel_basis(M) == []


def test_rank_deficient_matrix_gets_exact_verified_kernel_vectors():
    rng = random.Random(7)
    M = matmul(rand_matrix(rng, 6, 3), rand_matrix(rng, 3, 10))  # rank 3 exactly
    cert = certify_rank(M, rng=rng)
    assert cert.rank == 3 and cert.kernel is not None and len(cert.kernel) == 7
    for v in cert.kernel:
        assert all(sum((a * b for a, b in zip(row, v)), fmpq(0)) == 0 for row in M)
    assert cert.check(M)
    assert fmpq_mat([list(v) for v in cert.kernel]).rank() == 7


def test_rank_certificate_check_fails_for_a_tampered_kernel():
    M = q([[1, 2, 3], [2, 4, 6]])
    cert = certify_rank(M)
    wrong = RankCertificate(1, (3, 3), cert.minor, cert.kernel, "wrong shape")
    assert cert.check(M) and not wrong.check(M)
    v0, v1 = cert.kernel
    not_in_kernel = (tuple(x + 1 if i == 0 else x for i, x in enumerate(v0)), v1)
    dependent = (v0, tuple(2 * x for x in v0))
    for kernel in (not_in_kernel, dependent):
        assert not RankCertificate(1, (2, 3), cert.minor, kernel, "tampered").check(M)


def test_kernel_basis_of_a_small_matrix_is_exact():
    assert kernel_basis(q([[1, 2, 3], [2, 4, 6]])) == [[-2, 1, 0], [-3, 0, 1]]
    assert kernel_basis([[Fraction(1, 2), 1]]) == [[-2, 1]]


def test_zero_matrix_has_rank_zero_and_the_whole_space_as_kernel():
    cert = certify_rank(q([[0, 0, 0], [0, 0, 0]]))
    assert (cert.rank, cert.minor) == (0, None)
    assert cert.kernel == ((1, 0, 0), (0, 1, 0), (0, 0, 1))
    assert certify_rank([]).rank == 0 and certify_rank(fmpq_mat(0, 4), want_kernel=True).kernel is not None


def test_an_unlucky_prime_is_detected_and_the_rank_is_still_correct():
    M = q([[1, 0, 2], [0, 7, 0], [1, 0, 2]])  # rank 2 over Q, rank 1 mod 7
    cert = certify_rank(M, primes=(7,), rng=random.Random(0))
    assert cert.rank == 2 and cert.minor.prime != 7 and "unlucky" in cert.method
    assert cert.check(M)


def test_when_every_allowed_prime_is_unlucky_the_exact_fallback_decides():
    M = q([[7, 0], [0, 1]])
    cert = certify_rank(M, primes=(7, 7), max_primes=2, rng=random.Random(0))
    assert cert.rank == 2 and "exact rank by fmpz_mat.rref" in cert.method and cert.check(M)


def test_minor_witness_check_fails_for_a_singular_or_tampered_minor():
    M = q([[1, 2], [2, 4]])
    assert not MinorWitness((0, 1), (0, 1), 101, 1).check(M)
    assert MinorWitness((0,), (1,), 101, 2).check(M)
    assert not MinorWitness((0,), (1,), 101, 3).check(M)
    assert not MinorWitness((0,), (5,), 101, 2).check(M)
    with pytest.raises(InputError):
        MinorWitness((0,), (1,), 101, 0)


def test_rank_certificate_rejects_an_unproved_rank():
    with pytest.raises(InputError):
        RankCertificate(1, (2, 3), MinorWitness((0,), (0,), 101, 1), None, "no kernel")
    with pytest.raises(InputError):
        RankCertificate(0, (2, 3), MinorWitness((0,), (0,), 101, 1), None, "minor for rank 0")


def test_non_rational_entries_and_ragged_rows_are_refused():
    with pytest.raises(InputError):
        certify_rank([[0.5, 1]])
    with pytest.raises(ShapeError):
        certify_rank([[1, 2], [3]])


def test_inertia_of_a_diagonal_matrix():
    cert = inertia(q([[3, 0, 0], [0, 0, 0], [0, 0, -2]]))
    assert cert.signature == (1, 1, 1) and (cert.positive, cert.negative, cert.zero) == (1, 1, 1)
    assert cert.check(q([[3, 0, 0], [0, 0, 0], [0, 0, -2]]))


def test_inertia_of_the_hyperbolic_plane_needs_a_zero_pivot_fixup():
    S = q([[0, 1], [1, 0]])
    cert = inertia(S)
    assert cert.signature == (1, 1, 0) and "1 zero-pivot" in cert.method
    assert cert.check(S) and inertia_charpoly(S) == (1, 1, 0)


def test_inertia_with_an_all_zero_diagonal_uses_fixups_and_agrees_with_the_charpoly():
    rng = random.Random(2)
    n = 9
    S = [[fmpq(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i):
            if (i + j) % 2:
                S[i][j] = S[j][i] = fmpq(rng.randint(-5, 5), rng.randint(1, 4))
    cert = inertia(S)
    assert "0 zero-pivot" not in cert.method and cert.check(S)
    assert cert.signature == inertia_charpoly(S)


def test_inertia_of_a_gram_matrix_is_rank_positive_and_the_rest_zero():
    J = rand_matrix(random.Random(11), 3, 7)
    G = matmul([list(r) for r in zip(*J)], J)  # Jᵀ J, 7×7 of rank 3
    cert = inertia(G)
    assert cert.signature == (3, 0, 4) and cert.check(G)
    assert inertia_charpoly(G) == (3, 0, 4)


def test_congruence_check_fails_when_tampered():
    S = q([[2, 1, 0], [1, 0, 3], [0, 3, (1, 2)]])
    cert = inertia(S)
    assert cert.check(S)
    D = list(cert.diagonal)
    D[0] = D[0] * 2
    bad_d = InertiaCertificate(cert.positive, cert.negative, cert.zero, cert.congruence, tuple(D), "tampered")
    assert not bad_d.check(S)
    P = [list(r) for r in cert.congruence]
    P[1] = [fmpq(0)] * 3
    singular = InertiaCertificate(2, 0, 1, tuple(map(tuple, P)), (fmpq(1), fmpq(1), fmpq(0)), "tampered")
    assert not singular.check(S)
    with pytest.raises(InputError):
        InertiaCertificate(3, 0, 0, cert.congruence, cert.diagonal, "wrong counts")


def test_inertia_refuses_non_square_and_non_symmetric_input():
    with pytest.raises(ShapeError):
        inertia(q([[1, 2], [3, 4]]))
    with pytest.raises(ShapeError):
        inertia(q([[1, 2, 3]]))
    with pytest.raises(ShapeError):
        inertia_charpoly(q([[0, 1], [2, 0]]))


def test_inertia_of_the_empty_matrix_is_zero():
    assert inertia([]).signature == (0, 0, 0) and inertia_charpoly(fmpq_mat(0, 0)) == (0, 0, 0)


small_rationals = st.builds(fmpq, st.integers(-4, 4), st.integers(1, 3))


@st.composite
def symmetric_matrices(draw):
    n = draw(st.integers(1, 6))
    sparse = draw(st.booleans())  # many zeros: exercises the zero-pivot fix-ups
    entry = st.one_of(st.just(fmpq(0)), small_rationals) if sparse else small_rationals
    S = [[fmpq(0)] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            S[i][j] = S[j][i] = draw(entry)
    return S


@settings(max_examples=60, deadline=None)
@given(symmetric_matrices())
def test_inertia_agrees_with_the_characteristic_polynomial_and_its_witness_checks(S):
    cert = inertia(S)
    assert cert.signature == inertia_charpoly(S)
    assert cert.check(S)
    assert cert.positive + cert.negative == fmpq_mat(S).rank()


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 8), st.integers(0, 5), st.integers(0, 2**32))
def test_certified_rank_equals_the_exact_rank(m, n, k, seed):
    rng = random.Random(seed)
    M = matmul(rand_matrix(rng, m, k, 3), rand_matrix(rng, k, n, 3)) if k else q([[0] * n] * m)
    cert = certify_rank(M, want_kernel=True, rng=rng)
    assert cert.rank == fmpq_mat(M).rank() and cert.check(M)


def test_triangularity_predicates_are_exact():
    A = q([[1, 0, 0], [(1, 3), (-1, 2), 0], [5, 6, 7]])
    assert is_lower_triangular(A) and diagonal_nonzero(A)
    assert not is_lower_triangular(q([[1, (1, 10**30)], [0, 1]]))
    assert not diagonal_nonzero(q([[1, 0], [2, 0]]))
    assert is_lower_triangular(fmpz_mat([[1, 0], [2, 3]])) and diagonal_nonzero([])
