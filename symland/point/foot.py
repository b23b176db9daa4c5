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
>>> f.converged, f.residual < 1e-10
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from flint import arb, arb_mat, fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.networks.floating import split_flat
from symland.networks.gram import gram_matrix, jt_vector, one_sided_derivative, sensitivities
from symland.point.bracket import ARB_GRAM
from symland.point.layered import passes
from symland.tiers.evaluate import Undecided, precision

__all__ = ["Foot", "foot", "jv_float"]

NEWTON_MAX = 14  # chord steps per base point
MAX_REBASE = 16  # base points (B = J_H(x)ᵀ and its Gram matrix in Arb) at most
PROJECTIONS = 4  # moves onto m + span(J_H(x)ᵀ) once on M (the foot condition at the point found), at most
SETTLED = 1e-6  # … until a move is below this fraction of ‖x − m‖
RELATIVE = 2.0**-40  # Newton stops when ‖H‖₂ is below this fraction of ‖H(m)‖₂ (or the precision floor)
DAMPING = 8  # step halvings tried when a full step does not lower ‖H‖₂
FLOAT_COND = 1e11  # the Gram matrix J_H J_Hᵀ is solved in float64 below this condition number, in Arb above


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
    hidden: tuple = field(default=(), compare=False, repr=False)  # (bits, layer inputs A at point): the last pass

    def describe(self) -> str:
        if not self.ok:
            return f"no projection: {self.reason}"
        return (f"minimum-norm Newton projection over all {len(self.point)} weights (m* − m in the row space of "
                f"J_H), {self.steps} steps, ‖H‖₂ {self.start_residual:.2e} → {self.residual:.2e} (Arb residuals)"
                + ("" if self.converged else "; not converged: m̃ is not the foot"))


def _float(v) -> float:
    """A float near the rational v (flint's conversion; ±inf beyond float64, refused by the callers' checks):
    it only steers Newton."""
    try:
        return float(v)
    except OverflowError:
        return math.copysign(math.inf, int(v.p))


def _passes_float(net, x: np.ndarray, X: np.ndarray):
    """Layered float passes (σ' one-sided at a kink: it only steers Newton)."""
    _, A, Gs = sensitivities(split_flat(net.shapes, net.bias, x), net.activation, X,
                             lambda Z: one_sided_derivative(net.activation, Z))
    return A, Gs


def jv_float(A, Gs, v: np.ndarray, shapes, bias: bool) -> np.ndarray:
    """J v (r = s·ℓ + c) from layered float passes."""
    layers = split_flat(shapes, bias, v)
    ell, d = len(Gs), A[0].shape[1]
    out = np.zeros((d, ell))
    for k, (W, b) in enumerate(layers):
        dz = W @ A[k] - b[:, None]  # h_k × d: the change of z_k per data point
        for c in range(ell):
            out[:, c] += np.sum(Gs[c][k] * dz, axis=0)
    return out.reshape(-1)


class _Base:
    """B = J_H(x)ᵀ at a base point x and solves with its Gram matrix J_H J_Hᵀ: in float64 when that is well
    conditioned (cond < FLOAT_COND), else in Arb at ``bits`` (κ(J_H)² beyond float64 on many trained models)."""

    def __init__(self, net, x: list, data, bits: int, X: np.ndarray):
        self.net, self.bits = net, bits
        self.A, self.G = _passes_float(net, np.array([_float(v) for v in x]), X)
        Gf = gram_matrix(self.A, self.G, bias=net.bias)
        w = np.linalg.eigvalsh(Gf) if np.all(np.isfinite(Gf)) else np.array([0.0, 1.0])
        self.cond = float(w[-1] / w[0]) if w[0] > 0 else math.inf
        self.gram_f, self.P, self.gram = (Gf, None, None) if self.cond < FLOAT_COND else (None, None, None)
        if self.gram_f is None:
            if len(data.X) * len(data.Y[0]) > ARB_GRAM:
                raise ArithmeticError(f"J_H J_Hᵀ has condition number {self.cond:.1e}, beyond float64, and dℓ > "
                                      f"{ARB_GRAM} is too large for it in Arb")
            self.P = passes(net, x, data, bits)
            with precision(bits):
                self.gram = self.P.gram().mid()

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        if self.gram_f is not None:
            return np.linalg.solve(self.gram_f, rhs)
        with precision(self.bits):
            mu = self.gram.solve(arb_mat([[arb(v)] for v in rhs]), algorithm="approx")
        return np.array([float(mu[i, 0]) for i in range(mu.nrows())])

    def jv(self, v: list) -> np.ndarray:
        if self.gram_f is not None:
            return jv_float(self.A, self.G, np.array([_float(t) for t in v]), self.net.shapes, self.net.bias)
        with precision(self.bits):
            return np.array([float(t.mid()) for t in self.P.jv(v)])

    def jt(self, mu: np.ndarray) -> np.ndarray:
        return jt_vector(self.A, self.G, mu, bias=self.net.bias)

    @property
    def settled_at(self) -> float:
        """The relative size below which a projection move is rounding: 10⁻⁶, or what the float Gram allows."""
        return max(SETTLED, 1e-15 * self.cond) if self.gram_f is not None else SETTLED


def _round(q: fmpq, bits: int) -> fmpq:
    with precision(bits):
        return arb(q).mid().fmpq()


def _residual(net, x, data, bits, p=None) -> tuple[np.ndarray, float, list]:
    """H(x) in Arb (midpoints as floats), the largest radius, and the layer inputs A of the pass (``p``: the passes
    at x when already computed)."""
    p = p if p is not None else passes(net, x, data, bits, derivatives=False)
    return (np.array([float(h.mid()) for h in p.H]), max((float(h.rad()) for h in p.H), default=0.0), p.A)


def foot(net, point, data, bits: int = 128, at=None) -> Foot:
    """m̃ ≈ the foot of the perpendicular from ``point`` (exact) to M (see the module docstring); ``at``: the Arb
    passes at ``point`` and ``bits`` when already computed (the distance's). The result carries the hidden values
    of its last pass (``hidden``), at m̃ itself, for the re-solve of the output layer there."""
    try:
        with np.errstate(all="ignore"):  # beyond float64: inf/NaN, refused inside
            return _foot(net, list(point), data, bits, at)
    except (Undecided, UndefinedDerivativeError, NotRepresentableError, np.linalg.LinAlgError, ArithmeticError,
            ValueError) as exc:
        return Foot(False, reason=f"{type(exc).__name__}: {str(exc)[:160]}")


def _foot(net, m: list, data, bits: int, at) -> Foot:
    X = np.array([[_float(v) for v in row] for row in data.X], dtype=float).T
    m_f = np.array([_float(v) for v in m])
    if not np.all(np.isfinite(m_f)):
        return Foot(False, reason="the trained point is beyond float64's range")
    x = [_round(v, bits) for v in m]
    r, rad, vals = _residual(net, x, data, bits, at if at is not None and x == m else None)
    start = float(np.linalg.norm(r))
    if not math.isfinite(start):
        return Foot(False, reason="H(m) is beyond float64's range", start_residual=start)
    if start == 0.0 and rad == 0.0:
        return Foot(True, tuple(x), 0.0, 0.0, 0, "H(m) = 0: m lies on M", True, (bits, vals))
    floor = 2.0 ** (16 - bits) * (1.0 + float(np.max(np.abs(np.array([[_float(v) for v in row] for row in data.Y])))))
    steps, norm = 0, start

    def done():  # below the precision floor, or 2⁻⁴⁰ of the start: then m̃ is a starting point accurate enough
        # that the re-solve next to it moves it by ~2⁻⁴⁰ of the distance (a second Newton step would cost a pass)
        return norm <= max(floor, 8 * rad * math.sqrt(len(r)), RELATIVE * start)

    rebases, projections, settled = 0, 0, False
    while rebases < MAX_REBASE and not (done() and (settled or projections >= PROJECTIONS)):
        base = _Base(net, x, data, bits, X)
        rebases += 1
        if done():  # on M (to the precision): move onto m + span(B), B = J_H(x)ᵀ — the normal space where we are
            diff = [a - b for a, b in zip(x, m)]
            move = base.jt(base.solve(base.jv(diff)))
            change = move - np.array([_float(v) for v in diff])
            settled = float(np.linalg.norm(change)) <= base.settled_at * float(np.linalg.norm(move))
            projections += 1
            if settled:  # the move is rounding-sized: x already satisfies the foot condition (no pass to re-check)
                break
            x = _add(x, change, bits)
            r, rad, vals = _residual(net, x, data, bits)
            norm = float(np.linalg.norm(r))
        for _ in range(NEWTON_MAX):  # the chord method: the Gram matrix of the base point B, in Arb
            if done():
                break
            step = -base.jt(base.solve(r))
            for _half in range(DAMPING):  # far from M a full step may overshoot
                trial = _add(x, step, bits)
                r2, rad2, vals2 = _residual(net, trial, data, bits)
                n2 = float(np.linalg.norm(r2))
                if n2 < norm:
                    break
                step = step / 2
            if not n2 < norm:  # no progress: the precision floor, or a stale base far from M
                break
            fast = n2 < 0.5 * norm
            x, r, rad, vals, norm, steps = trial, r2, rad2, vals2, n2, steps + 1
            if not fast:  # slow: re-base B and the Gram matrix at the new point
                break
    if not norm < start:
        return Foot(False, reason=f"Newton did not reduce ‖H‖₂ = {start:.2e}", start_residual=start)
    return Foot(True, tuple(x), norm, start, steps, converged=done(), hidden=(bits, vals))


def _add(x: list, u: np.ndarray, bits: int) -> list:
    if not np.all(np.isfinite(u)):
        raise ArithmeticError("a Newton step is beyond float64's range")
    return [_round(a + fmpq(*float(b).as_integer_ratio()), bits) if b else a for a, b in zip(x, u)]
