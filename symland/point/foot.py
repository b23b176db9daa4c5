"""The foot of the perpendicular from a trained point m to M: a minimum-norm projection over all weights.

The nearest point m* of M = H⁻¹(0) to m satisfies H(m*) = 0 and m* − m ∈ (row space of J_H(m*)) — the normal
space. Write m* = m + Bλ with B = J_H(x₀)ᵀ (n × dℓ) and solve the square system G(λ) = H(m + Bλ) = 0 in the dℓ
unknowns λ by Newton's method (the Jacobian J_H(x)B is dℓ × dℓ); then set x₀ to the point found and repeat once, so
that m* − m lies in the row space of J_H at m* itself, up to second order in the (tiny) change.

Arithmetic: every point x is an exact dyadic vector (m plus float64 corrections, rounded to ``bits``); H(x) is
evaluated in Arb at ``bits`` (:mod:`symland.point.layered`), so the residual drops far below float64's 10⁻¹⁶
relative accuracy; the Jacobian products use the layered float passes (:mod:`symland.networks.gram`): they only
steer Newton, whose limit is decided by the exact H. Nothing here is certified — the foot m̃ is a *starting point*:
:mod:`symland.point.nearest` certifies a point of M next to it (re-solving the output layer exactly or in Arb, or
Krawczyk), and :mod:`symland.point.bracket` bounds dist(m, M) from below.

>>> import numpy as np
>>> from symland.io.models import from_arrays
>>> from symland.io.data import Dataset
>>> m = from_arrays([(np.array([[1.0], [-0.5]]), np.array([0.25, 0.5])), (np.array([[1.0, 2.0]]), np.array([0.0]))],
...                 "tanh")
>>> data = Dataset.from_rows([[0], [1]], [1, 1])
>>> f = foot(m.network, m.point(), data)
>>> f.converged, f.residual < 1e-15
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from flint import arb, arb_mat, fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.networks.floating import split_flat, vectorized
from symland.networks.gram import sensitivities
from symland.point.layered import passes
from symland.tiers.evaluate import Undecided, precision

__all__ = ["Foot", "foot", "jt_float"]

NEWTON_MAX = 14  # chord steps per base point
MAX_REBASE = 16  # base points (B = J_H(x)ᵀ and its Gram matrix in Arb) at most
PROJECTIONS = 4  # moves onto m + span(J_H(x)ᵀ) once on M (the foot condition at the point found), at most
SETTLED = 1e-6  # … until a move is below this fraction of ‖x − m‖
DAMPING = 8  # step halvings tried when a full step does not lower ‖H‖₂


@dataclass(frozen=True)
class Foot:
    """m̃ ≈ the foot of the perpendicular (exact dyadics), or why none was computed."""

    ok: bool  # a point with a smaller residual than m was found
    point: tuple = ()
    residual: float = math.inf  # ‖H(m̃)‖₂, from the Arb midpoints
    start_residual: float = math.inf  # ‖H(m)‖₂
    steps: int = 0
    reason: str = ""
    converged: bool = False  # Newton reached the precision floor: m̃ is the foot up to rounding


    def describe(self) -> str:
        if not self.ok:
            return f"no projection: {self.reason}"
        return (f"minimum-norm Newton projection over all {len(self.point)} weights (m* − m in the row space of "
                f"J_H), {self.steps} steps, ‖H‖₂ {self.start_residual:.2e} → {self.residual:.2e} (Arb residuals)"
                + ("" if self.converged else "; not converged: m̃ is not the foot"))


def _float(v) -> float:
    return int(v.p) / int(v.q)


def _passes_float(net, x: np.ndarray, X: np.ndarray):
    layers = split_flat(net.shapes, net.bias, x)
    s1 = vectorized(net.activation, 1)

    def one_sided(Z):  # σ' at a breakpoint (a kink): a one-sided value steers Newton as well
        try:
            return s1(Z)
        except UndefinedDerivativeError:
            return s1(np.where(Z == 0, 1e-300, Z))

    _, A, Gs = sensitivities(layers, net.activation, X, one_sided)
    return A, Gs


def jt_float(A, Gs, mu: np.ndarray, bias: bool) -> np.ndarray:
    """Jᵀμ (canonical order) from layered float passes, μ indexed r = s·ℓ + c."""
    ell = len(Gs)
    M = mu.reshape(-1, ell)
    out = []
    for k in range(len(A)):
        acc = sum(Gs[c][k] * M[:, c] for c in range(ell))  # h_k × d
        out.append((acc @ A[k].T).ravel())
        if bias:
            out.append(-acc.sum(axis=1))
    return np.concatenate(out)


def _round(q: fmpq, bits: int) -> fmpq:
    with precision(bits):
        return arb(q).mid().fmpq()


def _residual(net, x, data, bits) -> tuple[np.ndarray, float]:
    """H(x) in Arb (midpoints as floats) and the largest radius."""
    p = passes(net, x, data, bits, derivatives=False)
    return (np.array([float(h.mid()) for h in p.H]), max((float(h.rad()) for h in p.H), default=0.0))


def foot(net, point, data, bits: int = 128) -> Foot:
    """m̃ ≈ the foot of the perpendicular from ``point`` (exact) to M (see the module docstring)."""
    try:
        with np.errstate(all="ignore"):  # beyond float64: inf/NaN, refused inside
            return _foot(net, list(point), data, bits)
    except (Undecided, UndefinedDerivativeError, NotRepresentableError, np.linalg.LinAlgError, ArithmeticError,
            ValueError) as exc:
        return Foot(False, reason=f"{type(exc).__name__}: {str(exc)[:160]}")


def _foot(net, m: list, data, bits: int) -> Foot:
    X = np.array([[_float(v) for v in row] for row in data.X], dtype=float).T
    m_f = np.array([_float(v) for v in m])
    if not np.all(np.isfinite(m_f)):
        return Foot(False, reason="the trained point is beyond float64's range")
    x = [_round(v, bits) for v in m]
    r, rad = _residual(net, x, data, bits)
    start = float(np.linalg.norm(r))
    if not math.isfinite(start):
        return Foot(False, reason="H(m) is beyond float64's range", start_residual=start)
    if start == 0.0 and rad == 0.0:
        return Foot(True, tuple(x), 0.0, 0.0, 0, "H(m) = 0: m lies on M", True)
    floor = 2.0 ** (16 - bits) * (1.0 + float(np.max(np.abs(np.array([[_float(v) for v in row] for row in data.Y])))))
    steps, norm = 0, start

    def done():
        return norm <= max(floor, 8 * rad * math.sqrt(len(r)), 2.0 ** (-bits // 2) * start)

    rebases, projections, settled = 0, 0, False
    while rebases < MAX_REBASE and not (done() and (settled or projections >= PROJECTIONS)):
        x_f = np.array([_float(v) for v in x])
        Ab, Gb = _passes_float(net, x_f, X)
        Pb = passes(net, x, data, bits)  # J_H(x) J_H(x)ᵀ in Arb: its condition number is κ(J_H)², beyond float64's
        with precision(bits):
            gram = Pb.gram().mid()
        rebases += 1
        if done():  # on M (to the precision): move onto m + span(B), B = J_H(x)ᵀ — the normal space where we are
            diff = [a - b for a, b in zip(x, m)]
            with precision(bits):
                lam = gram.solve(arb_mat([[v] for v in Pb.jv(diff)]), algorithm="approx")
            move = jt_float(Ab, Gb, np.array([float(lam[i, 0]) for i in range(lam.nrows())]), net.bias)
            change = move - np.array([_float(v) for v in diff])
            settled = float(np.linalg.norm(change)) <= SETTLED * float(np.linalg.norm(move))
            x = _add(x, change, bits)
            r, rad = _residual(net, x, data, bits)
            norm = float(np.linalg.norm(r))
            projections += 1
        for _ in range(NEWTON_MAX):  # the chord method: the Gram matrix of the base point B, in Arb
            if done():
                break
            with precision(bits):
                mu = gram.solve(arb_mat([[arb(v)] for v in r]), algorithm="approx")
            step = -jt_float(Ab, Gb, np.array([float(mu[i, 0]) for i in range(mu.nrows())]), net.bias)
            for _half in range(DAMPING):  # far from M a full step may overshoot
                trial = _add(x, step, bits)
                r2, rad2 = _residual(net, trial, data, bits)
                n2 = float(np.linalg.norm(r2))
                if n2 < norm:
                    break
                step = step / 2
            if not n2 < norm:  # no progress: the precision floor, or a stale base far from M
                break
            fast = n2 < 0.5 * norm
            x, r, rad, norm, steps = trial, r2, rad2, n2, steps + 1
            if not fast:  # slow: re-base B and the Gram matrix at the new point
                break
    if not norm < start:
        return Foot(False, reason=f"Newton did not reduce ‖H‖₂ = {start:.2e}", start_residual=start)
    return Foot(True, tuple(x), norm, start, steps, converged=done())


def _add(x: list, u: np.ndarray, bits: int) -> list:
    if not np.all(np.isfinite(u)):
        raise ArithmeticError("a Newton step is beyond float64's range")
    return [_round(a + fmpq(*float(b).as_integer_ratio()), bits) if b else a for a, b in zip(x, u)]
