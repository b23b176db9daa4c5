"""The re-checker's own small linear algebra: determinants and ranks mod p, and a symmetric elimination over Q.

Written apart from :mod:`symland.linalg` (plain Python integers and ``Fraction``; no FLINT), for matrices of the
size a witness holds.

* Rank mod p ≤ rank over Q (and over Q[e^Q] under a ring map e^(k/N) ↦ x₀^k into F_p): a nonzero minor mod p is a
  nonzero minor. So :func:`independent` may use any prime and any x₀ — a bad choice can only fail to show
  independence, never show it wrongly.
* :func:`congruence_diagonal`: symmetric Gaussian elimination S ↦ P S Pᵀ = diag(D), the pivot at each step the
  first remaining index with a nonzero diagonal entry. By Sylvester's law of inertia the signs of D are the inertia
  of S (Proposition 2.3).

>>> det_mod_p([[1, 2], [3, 4]], 7)
5
>>> congruence_diagonal([[Fraction(2), Fraction(2)], [Fraction(2), Fraction(2)]])
[Fraction(2, 1), Fraction(0, 1)]
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from proofs_check.recheck.exact import NotExact, Num, to_mod_p

__all__ = ["det_mod_p", "rank_mod_p", "independent", "congruence_diagonal", "PRIMES"]

#: Primes tried in turn by :func:`independent` (any prime is sound; these are just large).
PRIMES = (2**61 - 1, 4611686018427387847, 9223372036854775783)


def _eliminate(M: list[list[int]], p: int) -> tuple[int, int]:
    """(rank, determinant if square else 0) of an integer matrix mod p, by Gaussian elimination."""
    A = [[v % p for v in row] for row in M]
    rows, cols = len(A), (len(A[0]) if A else 0)
    rank, det, r = 0, 1, 0
    for c in range(cols):
        piv = next((i for i in range(r, rows) if A[i][c]), None)
        if piv is None:
            det = 0
            continue
        if piv != r:
            A[r], A[piv] = A[piv], A[r]
            det = -det
        inv = pow(A[r][c], -1, p)
        det = det * A[r][c] % p
        for i in range(r + 1, rows):
            if A[i][c]:
                f = A[i][c] * inv % p
                A[i] = [(a - f * b) % p for a, b in zip(A[i], A[r])]
        r += 1
        rank += 1
        if r == rows:
            break
    return rank, (det % p if rows == cols and rank == rows else 0)


def det_mod_p(M: list[list[int]], p: int) -> int:
    """det M mod p for a square matrix of integers."""
    return _eliminate(M, p)[1]


def rank_mod_p(M: list[list[int]], p: int) -> int:
    """rank of M mod p."""
    return _eliminate(M, p)[0]


def independent(vectors: list[list[Num]]) -> bool:
    """Whether the vectors are linearly independent, shown by a full-rank image mod a prime (False: not shown).

    Rational vectors whose image is rank-deficient for every prime of :data:`PRIMES` are decided exactly by
    elimination over Q.
    """
    if not vectors:
        return True
    N = 1
    for v in vectors:
        for x in v:
            for q in x.terms:
                N = lcm(N, q.denominator)
    for p in PRIMES:
        try:
            M = [[to_mod_p(x, p, N, 3) for x in v] for v in vectors]
        except NotExact:
            continue
        if rank_mod_p(M, p) == len(vectors):
            return True
    if all(x.is_rational() for v in vectors for x in v):
        return _rank_q([[x.rational() for x in v] for v in vectors]) == len(vectors)
    return False


def _rank_q(M: list[list[Fraction]]) -> int:
    A = [list(row) for row in M]
    rank = 0
    for c in range(len(A[0]) if A else 0):
        piv = next((i for i in range(rank, len(A)) if A[i][c] != 0), None)
        if piv is None:
            continue
        A[rank], A[piv] = A[piv], A[rank]
        for i in range(rank + 1, len(A)):
            if A[i][c] != 0:
                f = A[i][c] / A[rank][c]
                A[i] = [a - f * b for a, b in zip(A[i], A[rank])]
        rank += 1
    return rank


def congruence_diagonal(S: list[list[Fraction]]) -> list[Fraction]:
    """D with P S Pᵀ = diag(D), P invertible, for a symmetric positive semidefinite rational S.

    Pivot: the first remaining index whose diagonal entry is nonzero; its Schur complement replaces the rest.
    When every remaining diagonal entry is 0 the remaining block is 0 (S is PSD), and D ends in zeros.

    Raises:
        NotExact: S is not symmetric, or a zero diagonal entry has a nonzero off-diagonal row (S not PSD).
    """
    n = len(S)
    W = [list(row) for row in S]
    if any(W[i][j] != W[j][i] for i in range(n) for j in range(i)):
        raise NotExact("the matrix is not symmetric")
    active, D = list(range(n)), []
    while active:
        piv = next((i for i in active if W[i][i] != 0), None)
        if piv is None:
            if any(W[i][j] != 0 for i in active for j in active):
                raise NotExact("zero diagonal with a nonzero off-diagonal entry: not positive semidefinite")
            break
        d = W[piv][piv]
        D.append(d)
        active.remove(piv)
        u = {k: W[k][piv] for k in active if W[k][piv] != 0}
        for i, ui in u.items():
            f = ui / d
            row = W[i]
            for j, uj in u.items():
                row[j] -= f * uj
    return D + [Fraction(0)] * (n - len(D))
