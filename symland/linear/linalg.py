"""Certified exact linear algebra over Q: rank, kernel and inertia, each returned with a witness.

A rank is *proved* only by exact arguments: rank M ≥ r because an r×r minor has a nonzero determinant (nonzero mod
a prime p that divides no denominator of the minor implies nonzero over Q), and rank M ≤ r because n − r linearly
independent exact vectors satisfy M v = 0.  The inertia of a symmetric S is proved by a congruence P·S·Pᵀ = diag(D)
with P invertible (Sylvester's law of inertia).  Used for Theorem 2.1 (J_H has full row rank d), Proposition 2.3
(Hess L has inertia (n₊, n₋, n₀) = (d, 0, n − d)) and Lemma 3.3 (A is lower triangular with nonzero diagonal).

Matrices are ``list[list[fmpq]]`` (rows; ``int``, ``fmpz`` and ``fractions.Fraction`` entries are accepted too),
``fmpq_mat`` or ``fmpz_mat``.  Floats are refused: nothing here is approximate.

>>> certify_rank([[1, 2, 3], [2, 4, 6]], want_kernel=True).rank
1
>>> inertia([[3, 0, 0], [0, 0, 0], [0, 0, -2]]).signature
(1, 1, 1)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from flint import fmpq, fmpq_mat, fmpz, fmpz_mat

from symland.errors import InputError
from symland.linear.inertia import InertiaCertificate, inertia, inertia_charpoly
from symland.linear.modular import (
    _ONE,
    _ZERO,
    Kernel,
    Matrix,
    _as_fmpq_mat,
    _check_prime,
    _minor_mod_p,
    _profile,
    random_prime,
    rank_profile_mod_p,
    to_nmod,
)
from symland.linear.sparse import SparseRows

__all__ = [
    "random_prime", "to_nmod", "rank_profile_mod_p", "MinorWitness", "RankCertificate", "certify_rank",
    "kernel_basis", "InertiaCertificate", "inertia", "inertia_charpoly", "is_lower_triangular", "diagonal_nonzero",
]  # fmt: skip


@dataclass(frozen=True)
class MinorWitness:
    """The r×r minor M[rows, cols] is ≢ 0 mod ``prime`` (which divides none of its denominators), so rank M ≥ r."""

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    prime: int
    det_mod_p: int

    def __post_init__(self) -> None:
        rows, cols = tuple(int(i) for i in self.rows), tuple(int(j) for j in self.cols)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cols", cols)
        if len(rows) != len(cols) or len(set(rows)) != len(rows) or len(set(cols)) != len(cols):
            raise InputError(f"MinorWitness: rows {rows} and cols {cols} must be distinct and equally many")
        _check_prime(self.prime)
        if not 0 < self.det_mod_p < self.prime:
            raise InputError(f"MinorWitness: det_mod_p must be in [1, p), got {self.det_mod_p}")

    def check(self, M: Matrix) -> bool:
        """Recompute det M[rows, cols] mod p from M's entries: True iff it equals ``det_mod_p`` (hence ≠ 0)."""
        m = M.nrows() if isinstance(M, (fmpq_mat, fmpz_mat)) else len(M)
        n = M.ncols() if isinstance(M, (fmpq_mat, fmpz_mat)) else (len(M[0]) if m else 0)
        if any(not 0 <= i < m for i in self.rows) or any(not 0 <= j < n for j in self.cols):
            return False
        return _minor_mod_p(M, self.rows, self.cols, self.prime) == self.det_mod_p


@dataclass(frozen=True)
class RankCertificate:
    """rank M = ``rank``: ≥ by ``minor``; ≤ by ``kernel`` (n − rank verified vectors) or since rank = min(m, n)."""

    rank: int
    shape: tuple[int, int]
    minor: MinorWitness | None
    kernel: Kernel | None
    method: str

    def __post_init__(self) -> None:
        m, n = self.shape
        if not 0 <= self.rank <= min(m, n) or (self.minor is None) != (self.rank == 0):
            raise InputError(f"RankCertificate: rank {self.rank} impossible for shape {self.shape} and this minor")
        if self.minor is not None and len(self.minor.rows) != self.rank:
            raise InputError(f"RankCertificate: a {len(self.minor.rows)}-minor cannot prove rank {self.rank}")
        if self.kernel is None and self.rank < min(m, n):
            raise InputError("RankCertificate: rank < min(m, n) needs kernel vectors for the upper bound")
        bad = self.kernel is not None and (len(self.kernel) != n - self.rank or any(len(v) != n for v in self.kernel))
        if bad:
            raise InputError(f"RankCertificate: the kernel must hold {n - self.rank} vectors of length {n}")

    def summary(self) -> str:
        """One line for humans."""
        return f"rank {self.rank} of a {self.shape[0]}×{self.shape[1]} matrix (proved): {self.method}"

    def check(self, M: Matrix, rng: random.Random | None = None) -> bool:
        """Re-verify from scratch: the minor mod p, M v = 0 exactly and the kernel vectors independent (mod p)."""
        Q = _as_fmpq_mat(M)
        if (Q.nrows(), Q.ncols()) != tuple(self.shape) or (self.minor is not None and not self.minor.check(Q)):
            return False
        if not self.kernel:
            return True
        K = fmpq_mat([list(v) for v in self.kernel])
        if Q * K.transpose() != fmpq_mat(Q.nrows(), len(self.kernel)):
            return False
        for _ in range(3):  # rank mod p ≤ rank over Q, so full rank mod p proves independence
            try:
                return to_nmod(K, random_prime(rng)).rank() == len(self.kernel) or K.rank() == len(self.kernel)
            except InputError:
                continue
        return K.rank() == len(self.kernel)


def _kernel_from_minor(Q: fmpq_mat, rows: Sequence[int], cols: Sequence[int]) -> Kernel | None:
    """For each free column k: v = e_k − c on S with M[R, S] c = M[R, k]; None unless M v = 0 holds on all rows.

    Done on Z = δ·M in integers: M[R, S]⁻¹ = s⁻¹·A with A integral, c = A·Z[R, k] / s, and Z v = 0 on all rows
    iff Z[:, S]·N = s·Z[:, free] with N = A·Z[R, free].  Measured (100 × 2,000 of rank 80): 3.8 s this way against
    6.2 s for fmpq_mat.solve plus an fmpq_mat product; half of it is reducing the output fractions.
    """
    m, n, r = Q.nrows(), Q.ncols(), len(cols)
    colset = set(cols)
    free = [k for k in range(n) if k not in colset]
    Z, _ = Q.numer_denom()
    if r == 0:  # M[:, S] is empty: the kernel is everything iff M = 0
        return tuple(tuple(_ONE if j == k else _ZERO for j in range(n)) for k in free) if Z.is_zero() else None
    if not free:
        return ()
    z = Z.entries()
    A, s = fmpz_mat(r, r, [z[i * n + j] for i in rows for j in cols]).inv().numer_denom()
    N = A * fmpz_mat(r, len(free), [z[i * n + k] for i in rows for k in free])  # one product for all RHS
    ZS = fmpz_mat(m, r, [z[i * n + j] for i in range(m) for j in cols])
    if ZS * N != fmpz_mat(m, len(free), [z[i * n + k] for i in range(m) for k in free]) * s:
        return None
    c, f = N.entries(), len(free)
    out = []
    for t, k in enumerate(free):
        v = [_ZERO] * n
        v[k] = _ONE
        for a, j in enumerate(cols):
            v[j] = fmpq(-c[a * f + t], s)
        out.append(tuple(v))
    return tuple(out)


def certify_rank(
    M: Matrix,
    *,
    want_kernel: bool = False,
    rng: random.Random | None = None,
    max_primes: int = 4,
    primes: Sequence[int] = (),
) -> RankCertificate:
    """The exact rank of a rational matrix with its proof (never a wrong rank).

    r = rank mod p for a random word-size prime p (``primes`` are tried first: a test hook).  A nonsingular r×r
    minor mod p gives rank ≥ r.  If r < min(m, n) or ``want_kernel``: solve M[R, S] C = M[R, free] exactly and check
    M v = 0 for v = e_k − C[:, k] (identity on the free coordinates, hence independent), giving rank ≤ r.  If the
    check fails, p was unlucky (rank mod p < rank over Q): retry, up to ``max_primes`` primes, then take the exact
    rank from ``fmpz_mat.rank`` and search a prime that attains it.

    Cost: reduction mod p and rref O(mnr) word operations (100 × 11,301: about 0.6 s from a list of rows); the
    kernel costs an exact r×r solve with n − r right-hand sides and an m×r×(n − r) product.
    """
    # rows of rationals: reduced entry by entry on the nonzero columns (symland.linear.sparse); Q only when needed
    S = None if isinstance(M, (fmpq_mat, fmpz_mat)) else SparseRows(M)
    Q = _as_fmpq_mat(M) if S is None else None
    m, n = (Q.nrows(), Q.ncols()) if S is None else (S.m, S.n)

    def whole() -> fmpq_mat:
        nonlocal Q
        Q = Q if Q is not None else S.to_fmpq_mat()
        return Q

    rng = rng if rng is not None else random.Random()
    if not (m and n):
        avoid = fmpz(1)
    else:  # p must not divide a denominator
        avoid = Q.numer_denom()[1] if S is None else S.denominator()
    queue = [_check_prime(p) for p in primes]
    tried: list[int] = []
    exact_rank: int | None = None
    while True:
        if len(tried) >= max_primes and exact_rank is None:  # unlucky so far: let the exact rank choose p
            exact_rank, det = _exact_minor_det(whole())
            avoid = avoid * det  # p ∤ det of a nonsingular r×r minor: rank mod p = r for the next prime
        if len(tried) >= max_primes + 8:
            raise RuntimeError("certify_rank: no prime attained the exact rank (internal error)")
        p = queue.pop(0) if queue else random_prime(rng, avoid=avoid)
        tried.append(p)
        try:
            r, rows, cols, det = _profile(to_nmod(Q, p) if S is None else S.mod_p(_check_prime(p)))
        except InputError:
            continue
        if S is not None:
            cols = tuple(S.cols[c] for c in cols)
        if exact_rank is not None and r != exact_rank:
            continue
        minor = MinorWitness(rows, cols, p, det) if r else None
        how = f"nonsingular {r}×{r} minor mod p={p}" if r else "zero matrix"
        if len(tried) > 1:
            fallback = "; exact rank by fmpz_mat.rref" if exact_rank is not None else ""
            how += f" (after {len(tried) - 1} unlucky prime(s){fallback})"
        if r == min(m, n) and (not want_kernel or r == n):
            full = "full rank" if m == n else ("full row rank" if r == m else "full column rank")
            return RankCertificate(r, (m, n), minor, () if want_kernel else None, f"{how}; {full}")
        kernel = _kernel_from_minor(whole(), rows, cols)
        if kernel is not None:
            return RankCertificate(r, (m, n), minor, kernel, f"{how}; {n - r} exact kernel vectors verified")


def _exact_minor_det(Q: fmpq_mat) -> tuple[int, fmpz]:
    """(r, D): r = rank Q over ℚ and D ≠ 0 the determinant of Z[R, S], Z = δ·Q integral, R and S pivot rows/columns.

    A prime p dividing neither D nor δ keeps Q[R, S] nonsingular mod p, so rank Q mod p = r (fraction-free rref).
    """
    Z = fmpz_mat(Q.numer_denom()[0])
    R, _, r = Z.rref()
    if r == 0:
        return 0, fmpz(1)
    cols = [next(j for j in range(Z.ncols()) if R[i, j] != 0) for i in range(r)]
    Rt, _, rt = fmpz_mat(r, Z.nrows(), [Z[i, j] for j in cols for i in range(Z.nrows())]).rref()
    rows = [next(j for j in range(Rt.ncols()) if Rt[i, j] != 0) for i in range(rt)]
    return r, fmpz_mat(r, r, [Z[i, j] for i in rows for j in cols]).det()


def kernel_basis(M: Matrix) -> list[list[fmpq]]:
    """An exact basis of {v : M v = 0}, identity on the free columns (see ``certify_rank``).

    >>> kernel_basis([[1, 2]])
    [[-2, 1]]
    """
    kernel = certify_rank(M, want_kernel=True).kernel
    return [list(v) for v in kernel or ()]


def is_lower_triangular(M: Matrix) -> bool:
    """Exactly: M[i][j] = 0 whenever j > i (Lemma 3.3, the matrix A)."""
    return fmpz_mat(_as_fmpq_mat(M).numer_denom()[0]).is_lower_triangular()


def diagonal_nonzero(M: Matrix) -> bool:
    """Exactly: M[i][i] ≠ 0 for every i < min(m, n) (Lemma 3.3: A is then invertible when square)."""
    Q = _as_fmpq_mat(M)
    return all(Q[i, i] != 0 for i in range(min(Q.nrows(), Q.ncols())))
