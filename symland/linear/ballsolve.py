"""A verified solve of a square linear system of Arb balls: S u = r with S certified nonsingular.

R ≈ S⁻¹ is any exact matrix (float64 inverse of the midpoints when they fit in floats — fast at d = 1000, where
Arb's own inverse takes half a minute —, else Arb's midpoint inverse): it only *chooses*. The decision is
β ≥ ‖I − R·S‖∞ computed in Arb (:func:`symland.linear.certify.certify_nonsingular`); β < 1 makes every matrix inside
the balls nonsingular, the exact S among them. Then for an approximate solution ũ (R r, refined by a few residual
corrections on midpoints) the exact solution u = S⁻¹ r satisfies

    u − ũ = (R S)⁻¹ R (r − S ũ),   so   ‖u − ũ‖∞ ≤ ‖R (r − S ũ)‖∞ / (1 − β),

with the residual r − S ũ enclosed in Arb. u is returned as ũ ± that bound (per right-hand side).

>>> from flint import arb, arb_mat
>>> sol = verified_solve(arb_mat([[2, 1], [1, 3]]), arb_mat([[3], [5]]))
>>> sol.u[0, 0].contains(arb("0.8")), sol.u[1, 0].contains(arb("1.4")), sol.beta < 1
(True, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flint import arb, arb_mat, fmpq

from symland.linear.certify import certify_nonsingular
from symland.linear.midrad import MidRad, error_bounds, from_arb_mat, inverse_bound
from symland.tiers.numeric import Undecided

__all__ = ["Solved", "approx_inverse", "verified_solve"]

REFINE = 3


@dataclass(frozen=True)
class Solved:
    u: arb_mat  # encloses the exact solution, column by column
    beta: arb  # ‖I − R·S‖∞ ≤ beta < 1


def _dyadic_mat(a: np.ndarray) -> arb_mat:
    return arb_mat([[arb(fmpq(*float(v).as_integer_ratio())) for v in row] for row in a])


def approx_inverse(S: arb_mat) -> arb_mat | None:
    """An exact matrix R ≈ S⁻¹ (float64 when S's midpoints fit, else Arb's midpoint inverse), or None."""
    d = S.nrows()
    try:
        M = np.array([[float(S[i, j].mid()) for j in range(d)] for i in range(d)], dtype=float)
        if np.all(np.isfinite(M)) and np.max(np.abs(M)) < 1e150:
            Rf = np.linalg.inv(M)
            if np.all(np.isfinite(Rf)):
                return _dyadic_mat(Rf)
    except np.linalg.LinAlgError:
        pass
    try:
        return S.mid().inv().mid()
    except ZeroDivisionError:
        return None


def _mid(A: arb_mat) -> arb_mat:
    return A.mid()


FLOAT_FROM = 48  # systems of at least this size try the float64 midpoint–radius route first


def _float_solve(S: arb_mat, r: arb_mat) -> Solved | None:
    """The same enclosure with β and the correction bound in float64 midpoint–radius arithmetic
    (:mod:`symland.linear.midrad`: O(d³) in BLAS) and the residuals r − S u in Arb (O(d²) per refinement, at the
    working precision, so u is as accurate as Arb's r and S allow); None when float64 does not certify."""
    try:
        Smr = from_arb_mat(S)
        Rf = np.linalg.inv(Smr.mid)
        if not np.all(np.isfinite(Rf)):
            return None
        R = MidRad(Rf)
        beta = inverse_bound(Smr, R)
        if beta is None:
            return None
        rows = r.tolist()
        u = np.array([[float(v.mid()) for v in row] for row in rows]).reshape(r.nrows(), r.ncols())
        u = Rf @ u
        ua = arb_mat([[arb(fmpq(*float(v).as_integer_ratio())) for v in row] for row in u])
        for _ in range(REFINE):
            res = (r - S * ua).tolist()
            step = Rf @ np.array([[float(v.mid()) for v in row] for row in res]).reshape(u.shape)
            ua = (ua + arb_mat([[arb(fmpq(*float(v).as_integer_ratio())) for v in row] for row in step])).mid()
        out = arb_mat(ua.nrows(), ua.ncols())
        for c, e in enumerate(error_bounds(R, beta, from_arb_mat(r - S * ua))):
            for i in range(ua.nrows()):
                out[i, c] = ua[i, c] + arb(0, e)
        return Solved(out, beta)
    except (ArithmeticError, np.linalg.LinAlgError, ValueError):
        return None


def verified_solve(S: arb_mat, r: arb_mat) -> Solved:
    """u ∋ S⁻¹ r for every matrix in S's balls; raises Undecided when S is not certified nonsingular.

    From size FLOAT_FROM, the float64 midpoint–radius route first (:func:`_float_solve`); then a float R with β in
    Arb; if that does not certify, Arb's midpoint inverse at the working precision (slower, but as accurate as the
    precision allows — what raising the precision can improve)."""
    if S.nrows() >= FLOAT_FROM:
        fast = _float_solve(S, r)
        if fast is not None:
            return fast
    R = approx_inverse(S)
    beta = certify_nonsingular(S, R) if R is not None else None
    if beta is None:
        try:
            R = S.mid().inv().mid()
        except ZeroDivisionError:
            R = None
        beta = certify_nonsingular(S, R) if R is not None else None
    if beta is None:
        raise Undecided(f"the {S.nrows()}×{S.nrows()} system is not certified nonsingular (‖I − R·S‖∞ < 1 fails)")
    u = _mid(R * r)
    for _ in range(REFINE):
        u = _mid(u + R * _mid(r - S * u))
    corr = R * (r - S * u)
    denom = 1 - beta
    out = arb_mat(u.nrows(), u.ncols())
    for c in range(u.ncols()):
        e = arb(0)
        for i in range(u.nrows()):
            e = e.max(abs(corr[i, c]).upper()) if i else abs(corr[i, c]).upper()
        e = (e / denom).upper()
        for i in range(u.nrows()):
            out[i, c] = u[i, c] + arb(0, e)
    return Solved(out, beta)
