"""Rational matrices given as rows, reduced mod p entry by entry on the columns that are not all zero.

J_H at a constructed point is about 0.5 % nonzero (d = 300: 142,014 of 29 M entries) and its entries carry up
to ~10⁵ bits. Reducing through a common denominator (:func:`symland.linear.linalg.to_nmod`: M = Z/δ, then Z mod p) makes
every entry as long as δ — quadratic in the bit size (d = 300: 169 s). Entry by entry, x = a/b ↦ a·b⁻¹ mod p costs
one division per *nonzero* entry, and dropping the all-zero columns leaves a small m × k matrix for the rank
profile (its pivots, mapped back, are columns of M). The minor and kernel witnesses are unchanged: a minor that is
nonsingular mod p, with p dividing none of its denominators, is nonsingular over ℚ.

>>> from flint import fmpz, fmpq
>>> S = SparseRows([[fmpq(1, 2), 0, 3], [0, 0, fmpq(-1, 3)]])
>>> S.cols, S.mod_p(7).entries()
([0, 2], [4, 3, 0, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from flint import fmpq, fmpq_mat, fmpz, nmod_mat

from symland.errors import InputError, ShapeError

__all__ = ["SparseRows"]


def _to_fmpq(x: object) -> fmpq:
    """One exact matrix entry (int, fmpz, fmpq, Fraction) as an fmpq; anything else — a float, a bool — refused.

    Shared with :mod:`symland.linear.linalg`, which imports it from here (sparse is the lower module of the two).
    """
    if isinstance(x, (fmpq, fmpz, int)) and not isinstance(x, bool):
        return fmpq(x)
    if isinstance(x, Fraction):
        return fmpq(x.numerator, x.denominator)
    raise InputError(f"matrix entry {x!r} of type {type(x).__name__} is not an exact rational")


class SparseRows:
    """The nonzero entries of a rational matrix given as a list of rows, by row: [(column, fmpq)]."""

    def __init__(self, M: Sequence[Sequence[object]], name: str = "M"):
        if isinstance(M, (str, bytes)) or not isinstance(M, Sequence):
            raise ShapeError(f"{name}: expected a list of rows, got {type(M).__name__}")
        rows = list(M)
        if any(isinstance(r, (str, bytes)) or not isinstance(r, Sequence) for r in rows):
            raise ShapeError(f"{name}: every row must be a list of numbers")
        self.m = len(rows)
        self.n = len(rows[0]) if rows else 0
        self.rows = []
        used = set()
        for i, r in enumerate(rows):
            if len(r) != self.n:
                raise ShapeError(f"{name}: row {i} has {len(r)} entries, row 0 has {self.n}")
            nz = [(j, v if type(v) is fmpq else _to_fmpq(v)) for j, v in enumerate(r) if v]
            used.update(j for j, _ in nz)
            self.rows.append(nz)
        self.cols = sorted(used)

    def mod_p(self, p: int) -> nmod_mat:
        """M[:, cols] mod p (m × len(cols)); InputError when p divides a denominator."""
        where = {j: k for k, j in enumerate(self.cols)}
        k = len(self.cols)
        flat = [0] * (self.m * k)
        inv: dict = {}
        for i, nz in enumerate(self.rows):
            base = i * k
            for j, v in nz:
                q = int(v.q)
                if q == 1:
                    flat[base + where[j]] = int(v.p) % p
                    continue
                t = inv.get(q)
                if t is None:
                    if q % p == 0:
                        raise InputError(f"p: the prime {p} divides the denominator {q}; choose another prime")
                    t = inv[q] = pow(q, -1, p)
                flat[base + where[j]] = int(v.p) * t % p
        return nmod_mat(self.m, k, flat, p)

    def denominator(self) -> fmpz:
        """The least common multiple of the entries' denominators (a prime not dividing it reduces every entry)."""
        qs = {int(v.q) for nz in self.rows for _, v in nz if v.q != 1}
        out = fmpz(1)
        for q in qs:
            out = out.lcm(fmpz(q))
        return out

    def to_fmpq_mat(self) -> fmpq_mat:
        """The whole matrix (for the exact kernel and the fallback rank)."""
        Q = fmpq_mat(self.m, self.n)
        for i, nz in enumerate(self.rows):
            for j, v in nz:
                Q[i, j] = v
        return Q
