"""Points of M = H⁻¹(0), exact: rational points (output-layer solve, slicing) or real algebraic ones, and the rank
of J_H there (over ℚ, or in the number field ℚ[t]/(p) of an algebraic point)."""

from __future__ import annotations

import random
import time
from fractions import Fraction

from flint import fmpq, fmpq_mat

from symland.algebra.algebraic import AlgebraicPoint, reduce_at
from symland.algebra.polysys import PolySystem
from symland.algebra.slicing import complete, find_rational_point, gens_of, substitute

__all__ = ["real_point", "on_m", "rank_at", "regular_minor"]


def _affine_solve(equations, linear: list, values: dict) -> dict | None:
    """Fix the other variables to ``values``; the equations are then affine in ``linear``: their exact rational
    solution with the free unknowns 0 (reduced row echelon form over ℚ), or None when inconsistent or not affine."""

    eqs = substitute(equations, values)
    gens = gens_of(equations, linear)
    idx = [equations[0].ring.gens.index(g) for g in gens]
    rows = []
    for e in eqs:
        row = [fmpq(0)] * (len(linear) + 1)
        for monom, c in e.terms():
            c = fmpq(int(c.numerator), int(c.denominator))
            hot = [i for i, k in enumerate(monom) if k]
            if not hot:
                row[-1] -= c
            elif len(hot) == 1 and monom[hot[0]] == 1 and hot[0] in idx:
                row[idx.index(hot[0])] += c
            else:
                return None
        rows.append(row)
    R, rank = fmpq_mat(rows).rref()
    sol = {v: Fraction(0) for v in linear}
    for i in range(rank):
        lead = next(j for j in range(len(linear) + 1) if R[i, j] != 0)
        if lead == len(linear):
            return None  # 0 = nonzero: inconsistent
        q = R[i, len(linear)]
        sol[linear[lead]] = Fraction(int(q.p), int(q.q))
    return sol


def on_m(sys: PolySystem, point: dict) -> bool:
    """H(point) = 0 exactly (point: name → Fraction)."""
    return all(e == 0 for e in substitute(sys.H, point))


def rank_at(sys: PolySystem, point: dict) -> int:
    """rank J_H(point) over ℚ, exactly (python-flint)."""

    syms = sys.gens(sys.names)
    rows = []
    for h in sys.H:
        row = []
        for s in syms:
            v = substitute([h.diff(s)], point)[0]  # a constant PolyElement
            c = v.LC if v != 0 else 0
            row.append(fmpq(int(c.numerator), int(c.denominator)) if c else fmpq(0))
        rows.append(row)
    return fmpq_mat(rows).rank() if rows and rows[0] else 0


def real_point(sys: PolySystem, timeout: float = 60.0, linear: list | None = None, exact_real: bool = False):
    """(status, point): a rational point of M, exact — with ``exact_real`` also ``found-algebraic`` and an
    :class:`~symland.algebra.algebraic.AlgebraicPoint` of M (every parameter a polynomial in θ).

    First the output layer: H is affine in the last layer's parameters (``linear``), so with the other parameters
    fixed to small rationals (a few deterministic choices) H = 0 is a linear system over ℚ, solved exactly. Then,
    if that fails, slicing (see :func:`find_rational_point`). Every point returned satisfies H = 0 exactly.
    """
    deadline = time.perf_counter() + timeout
    if linear:
        rng = random.Random(15)
        others = [v for v in sys.names if v not in linear]
        for _ in range(8):
            values = {v: Fraction(rng.randint(-3, 3), rng.randint(1, 2)) for v in others}
            sol = _affine_solve(sys.H, linear, values)
            if sol is not None:
                point = {**values, **sol}
                if all(e == 0 for e in substitute(sys.H, point)):
                    return "found", {v: point[v] for v in sys.names}
    status, point, fixed = find_rational_point(sys.names, sys.H, deadline, order=list(reversed(sys.names)),
                                               exact_real=exact_real)
    if status == "found-algebraic":
        return status, complete(point, fixed, sys.names)
    return status, point


def regular_minor(sys: PolySystem, point: AlgebraicPoint) -> list | None:
    """The columns of a dℓ × dℓ minor of J_H(w) that is nonzero at w = q(θ), or None when rank J_H(w) < dℓ: Gaussian
    elimination in the field ℚ[t]/(p) (p irreducible), inverses by the extended Euclidean algorithm."""
    p, syms = point.poly, sys.gens(sys.names)
    rows = [[reduce_at(h.diff(s), point.coords, p) for s in syms] for h in sys.H]
    cols = []
    for i in range(len(rows)):
        j = next((j for j in range(sys.n) if j not in cols and not rows[i][j].is_zero()), None)
        if j is None:
            return None
        g, inv, _ = rows[i][j].xgcd(p)
        inv = inv / g.coeffs()[0]
        for r in range(i + 1, len(rows)):
            f = (rows[r][j] * inv) % p
            rows[r] = [(a - f * b) % p for a, b in zip(rows[r], rows[i])]
        cols.append(j)
    return sorted(cols)
