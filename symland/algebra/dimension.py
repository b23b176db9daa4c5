"""Dimensions of complex varieties from msolve's reduced Gröbner bases (grevlex).

``dimension(sys)`` — the Krull dimension of the ideal (H) (= dim of the complex variety H⁻¹(0)): the largest set S
of variables such that no leading monomial uses only variables of S. ``singular_dimension(sys)`` — the same for
(H, the dℓ × dℓ minors of J_H), the singular locus of H⁻¹(0). msolve prints the basis for a first prime, so these
are its dimensions modulo that prime (the re-checker recomputes dim H⁻¹(0) over ℚ with sympy).
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import sympy as sp

from symland.algebra import msolve
from symland.algebra.polysys import PolySystem

__all__ = ["krull_dimension", "dimension", "singular_dimension"]


def _grevlex_key(exps: tuple) -> tuple:
    """Sort key of grevlex (x₁ > x₂ > …): higher total degree first, then the smaller exponent of the last variable."""
    return (sum(exps), tuple(-e for e in reversed(exps)))


def krull_dimension(basis, variables) -> int:
    """dim of the ideal spanned by a Gröbner basis: the largest S with no leading monomial inside S (−1 if 1 ∈ I),
    found as n − (the smallest set of variables meeting every leading monomial), cheap when the codimension is small.

    ``basis``: each polynomial as the list of its terms' exponent vectors (:func:`symland.algebra.msolve.exponents`)
    or as a sympy expression; the leading monomial (grevlex) is taken here.
    """
    n = len(variables)
    lms = []
    for b in basis:
        if not isinstance(b, list):
            b = [tuple(m) for m in sp.Poly(b, *[sp.Symbol(v) for v in variables]).monoms()] if b != 0 else []
        if not b:
            continue
        lm = max(b, key=_grevlex_key)
        if not any(lm):
            return -1  # a nonzero constant: 1 ∈ I
        lms.append(frozenset(i for i, e in enumerate(lm) if e))
    # S avoids every leading monomial ⟺ its complement T meets each one's support: codim = the smallest such T
    for k in range(n + 1):
        for T in combinations(range(n), k):
            t = set(T)
            if all(lm & t for lm in lms):
                return n - k
    return 0


def dimension(sys: PolySystem, timeout: float = 60.0):
    """(dim of the complex variety H⁻¹(0), msolve result) — None for the dimension when msolve timed out."""
    eqs = [h for h in sys.H if h != 0]
    if not eqs:  # H ≡ 0: H⁻¹(0) is all of ℂⁿ (msolve refuses an empty list of generators)
        return sys.n, msolve.MsolveResult("basis", 0.0)
    res = msolve.groebner(sys.names, eqs, timeout=timeout)
    if res.status == "timeout":
        return None, res
    return krull_dimension(res.basis, sys.names), res


def _det(rows: list):
    """The determinant of a small square matrix of polynomials (Laplace expansion along the first row)."""
    if len(rows) == 1:
        return rows[0][0]
    return sum(((-1) ** j * rows[0][j] * _det([r[:j] + r[j + 1:] for r in rows[1:]])
                for j in range(len(rows)) if rows[0][j] != 0), rows[0][0] * 0)


def singular_dimension(sys: PolySystem, timeout: float) -> int | None:
    """dim_ℂ of the singular locus {w : H(w) = 0, rank J_H(w) < m}: the Krull dimension of (H, the m × m minors of
    J_H) from msolve's Gröbner basis (−1: empty over ℂ). None when m > 3, more than 200 minors, or out of time."""
    if sys.m > 3 or comb(sys.n, sys.m) > 200 or timeout <= 0:
        return None
    syms = sys.gens(sys.names)
    J = [[h.diff(s) for s in syms] for h in sys.H]
    minors = [_det([[row[j] for j in cols] for row in J]) for cols in combinations(range(sys.n), sys.m)]
    eqs = [e for e in list(sys.H) + minors if e != 0]
    if not eqs:
        return sys.n
    res = msolve.groebner(sys.names, eqs, timeout=timeout)
    return None if res.status == "timeout" else krull_dimension(res.basis, sys.names)
