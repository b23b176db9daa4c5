"""The inertia of a symmetric rational matrix, proved: a congruence P·S·Pᵀ = diag(D) with P invertible (Sylvester's
law of inertia) checked exactly, in Sylvester's order (n₊, n₋, n₀); and the same from the characteristic polynomial.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from flint import fmpq, fmpq_mat, fmpz, fmpz_mat

from symland.errors import InputError, ShapeError
from symland.linear.modular import _ZERO, Matrix, _as_fmpq_mat, random_prime, to_nmod

__all__ = ["InertiaCertificate", "inertia", "inertia_charpoly"]


def _symmetric(S: Matrix, name: str = "S") -> fmpq_mat:
    Q = _as_fmpq_mat(S, name)
    n = Q.nrows()
    if Q.ncols() != n:
        raise ShapeError(f"{name}: expected a square matrix, got {n}×{Q.ncols()}")
    if Q != Q.transpose():
        i, j = next((i, j) for i in range(n) for j in range(i) if Q[i, j] != Q[j, i])
        raise ShapeError(f"{name}: not symmetric, {name}[{i}][{j}] = {Q[i, j]} but {name}[{j}][{i}] = {Q[j, i]}")
    return Q


@dataclass(frozen=True)
class InertiaCertificate:
    """P·S·Pᵀ = diag(``diagonal``) with P = ``congruence`` invertible; by Sylvester's law of inertia the signs of
    the diagonal are the inertia (``positive``, ``negative``, ``zero``) of S."""

    positive: int
    negative: int
    zero: int
    congruence: tuple[tuple[fmpq, ...], ...]  # P, by rows
    diagonal: tuple[fmpq, ...]
    method: str

    def __post_init__(self) -> None:
        D = self.diagonal
        signs = (sum(1 for x in D if x > 0), sum(1 for x in D if x < 0), sum(1 for x in D if x == 0))
        if signs != self.signature:
            raise InputError(f"InertiaCertificate: inertia {self.signature} disagrees with the diagonal's signs "
                             f"{signs}")
        if len(self.congruence) != len(D) or any(len(r) != len(D) for r in self.congruence):
            raise InputError(f"InertiaCertificate: the congruence must be {len(D)}×{len(D)} like the diagonal")

    @property
    def signature(self) -> tuple[int, int, int]:
        """(positive, negative, zero)."""
        return self.positive, self.negative, self.zero

    def summary(self) -> str:
        """One line for humans."""
        return f"inertia (positive, negative, zero) = {self.signature} (proved): {self.method}"

    def check(self, S: Matrix, rng: random.Random | None = None) -> bool:
        """Recompute P·S·Pᵀ exactly, compare with diag(D), and check det P ≠ 0 (mod a prime, else exactly)."""
        Q, n = _as_fmpq_mat(S, "S"), len(self.diagonal)
        if (Q.nrows(), Q.ncols()) != (n, n):
            return False
        if n == 0:
            return True
        P = fmpq_mat([list(r) for r in self.congruence])
        D = fmpq_mat(n, n, [self.diagonal[i] if i == j else 0 for i in range(n) for j in range(n)])
        if P * Q * P.transpose() != D:
            return False
        for _ in range(3):  # det P mod p ≠ 0 (p dividing no denominator) ⇒ det P ≠ 0
            try:
                if to_nmod(P, random_prime(rng)).det() != 0:
                    return True
            except InputError:
                continue
        return P.det() != 0


def inertia(S: Matrix) -> InertiaCertificate:
    """The inertia of a symmetric rational matrix, proved by a congruence P·S·Pᵀ = diag(D) (Proposition 2.3).

    Write S = Z/δ with Z integral.  Fraction-free symmetric elimination (Bareiss with diagonal pivots) on Z: with
    pivot d at index i and previous pivot g, W ← (d·W − u·uᵀ)/g where u = W[:, i] (exact division; entries stay
    minors of Z), and the same update on a matrix tracking P.  When every remaining diagonal entry is 0 but some
    W[i, j] ≠ 0, the congruence "row/column i += row/column j" makes W[i, i] = 2·W[i, j] ≠ 0.  Each step is one
    C-level O(n²) matrix update on integers of O(n log(n‖Z‖)) bits: O(n³) big-integer operations in all
    (100×100 dense random rationals: about 0.6 s).

    Raises:
        ShapeError: S is not square or not exactly symmetric.

    >>> inertia([[0, 1], [1, 0]]).signature
    (1, 1, 0)
    """
    Q = _symmetric(S)
    n = Q.nrows()
    Z, den = Q.numer_denom()
    W, T = fmpz_mat(Z), fmpz_mat(n, n, [int(i == j) for i in range(n) for j in range(n)])
    active, rows, diag, g, fixups = list(range(n)), [], [], fmpz(1), 0
    while active and not W.is_zero():
        piv = next((i for i in active if W[i, i] != 0), None)
        if piv is None:  # all active diagonal entries vanish: W[i, i] := W[i, i] + 2 W[i, j] + W[j, j] = 2 W[i, j]
            piv, j = next((i, j) for i in active for j in active if j != i and W[i, j] != 0)
            for k in active:
                if k != piv:
                    W[piv, k] = W[k, piv] = W[piv, k] + W[j, k]
            W[piv, piv] = 2 * W[piv, j]
            for k in range(n):
                T[piv, k] = T[piv, k] + T[j, k]
            fixups += 1
        d = W[piv, piv]
        u = fmpz_mat(n, 1, [W[k, piv] for k in range(n)])
        t = fmpz_mat(1, n, [T[piv, k] for k in range(n)])
        rows.append(tuple(fmpq(t[0, k], g) for k in range(n)))  # T holds g·P on the active rows
        diag.append(fmpq(d, g * den))
        W, T, g = (W * d - u * u.transpose()) / g, (T * d - u * t) / g, d
        active.remove(piv)
    rows += [tuple(fmpq(T[i, k], g) for k in range(n)) for i in active]
    diag += [_ZERO] * len(active)
    pos, neg = sum(1 for x in diag if x > 0), sum(1 for x in diag if x < 0)
    how = f"congruence P·S·Pᵀ = diag(D), fraction-free symmetric elimination over Q, {fixups} zero-pivot fix-up(s)"
    return InertiaCertificate(pos, neg, n - pos - neg, tuple(rows), tuple(diag), how)


def inertia_charpoly(S: Matrix) -> tuple[int, int, int]:
    """(positive, negative, zero) of a symmetric S from χ(x) = det(x I − S), independently of ``inertia``.

    zero = multiplicity of the root 0; all roots are real, so Descartes' rule of signs on χ(x)/x^zero counts the
    positive roots exactly.

    >>> inertia_charpoly([[2, 1], [1, 2]])
    (2, 0, 0)
    """
    Q = _symmetric(S)
    coeffs = Q.charpoly().coeffs()  # lowest degree first
    zero = next((i for i, c in enumerate(coeffs) if c != 0), 0)
    signs = [c > 0 for c in coeffs[zero:] if c != 0]
    pos = sum(1 for a, b in zip(signs, signs[1:]) if a != b)
    return pos, Q.nrows() - zero - pos, zero
