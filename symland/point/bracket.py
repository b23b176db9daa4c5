"""A certified lower bound on dist(m, M): no point of M lies closer to the trained point m than ``lower``.

Let m' = m + δ ∈ M with ‖δ‖ ≤ r, and B the box m ± r (each coordinate; it holds the ℓ₂ and the ℓ∞ ball of radius
r). With J = J_H(m) and the remainder R = H(m + δ) − H(m) − Jδ = ∫₀¹ (J_H(m + tδ) − J) δ dt,

    0 = H(m') = H(m) + Jδ + R,    ‖R‖₂ ≤ E ‖δ‖₂,   E ≥ sup_{x ∈ B} ‖J_H(x) − J‖₂ (a Frobenius-norm bound).

J⁺J is the orthogonal projector onto J's row space, so ‖δ‖₂ ≥ ‖J⁺Jδ‖₂ = ‖J⁺(H(m) + R)‖₂ ≥ a − ‖J⁺‖₂ E ‖δ‖₂ with
a = ‖J⁺H(m)‖₂ = (H(m)ᵀ (JJᵀ)⁻¹ H(m))^½ — the length of the first Gauss–Newton step — and ‖J⁺‖₂² = ‖(JJᵀ)⁻¹‖₂. So

    ‖δ‖₂ ≥ a / (1 + E ‖J⁺‖₂),   and   dist₂(m, M) ≥ min(r, a / (1 + E ‖J⁺‖₂)).

In ℓ∞, for any weights w: wᵀJδ = −wᵀH(m) − wᵀR gives ‖δ‖∞ ≥ |wᵀH(m)| / (‖Jᵀw‖₁ + ‖w‖₂ E √n) (here w = (JJᵀ)⁻¹H(m),
the Gauss–Newton multipliers), and ‖δ‖∞ ≥ ‖δ‖₂/√n; the larger of the two, capped at r.

Everything is Arb (python-flint) from the exact point: the Gram matrix JJᵀ and Jᵀw by the layered passes
(:mod:`symland.point.layered`), (JJᵀ)⁻¹H(m) by a verified solve, ‖(JJᵀ)⁻¹‖₂ ≤ ‖(JJᵀ)⁻¹‖∞ ≤ ‖R‖∞/(1 − ‖I − R·JJᵀ‖∞)
for a float approximate inverse R (JJᵀ is symmetric), E from the passes over the box — where a ball of pre-activations
straddles a kink of a continuous σ, σ' is enclosed by the hull of its one-sided values, which bounds every
difference quotient, so E holds for piecewise-smooth σ (ReLU) too. The bound is tight when the model is close to M:
a ≈ dist(m, M) and E ‖J⁺‖₂ = O(r). Cost: O(d² Σ h_k) for the Gram matrix, a dℓ × dℓ solve, two passes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from flint import arb, arb_mat, fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.linear.ballsolve import approx_inverse
from symland.linear.certify import certify_nonsingular
from symland.linear.midrad import (
    MidRad,
    enclose_solve,
    error_bounds,
    from_arb,
    inverse_bound,
    row_sum_upper,
)
from symland.point import layered_float
from symland.point.layered import Passes, exact_box, passes, vec_norm
from symland.tiers.ball import BallKind
from symland.tiers.evaluate import Undecided, precision

__all__ = ["Lower", "lower_bound", "variation", "normal_angle"]


@dataclass(frozen=True)
class Lower:
    """Certified lower bounds (arb, exact ≥ 0) on dist₂ and dist∞, with the numbers of the argument."""

    ok: bool
    l2: arb | None = None
    linf: arb | None = None
    a: arb | None = None  # ‖J⁺H(m)‖₂
    E: arb | None = None  # sup over the box of ‖J_H(x) − J_H(m)‖₂ (bound)
    pinv: arb | None = None  # ‖J⁺‖₂ bound
    radius: arb | None = None
    reason: str = ""

    def describe(self) -> str:
        if not self.ok:
            return f"no lower bound: {self.reason}"
        return (f"no point of M within {self.l2.lower().str(4, radius=False)} (ℓ₂): a = ‖J⁺H(m)‖₂ ∈ "
                f"{self.a.str(6)}, over the box m ± {self.radius.str(3, radius=False)} ‖J_H − J_H(m)‖₂ ≤ "
                f"{self.E.str(3, radius=False)}, ‖J⁺‖₂ ≤ {self.pinv.str(3, radius=False)}: "
                "dist ≥ min(r, a / (1 + E‖J⁺‖₂))")


def _upper(x: arb) -> arb:
    return arb(x.upper())


def variation(P: Passes, Q: Passes) -> arb:
    """An upper bound of ‖J_Q − J_P‖_F for every point of Q's box, Q's balls containing P's values at m.

    Row (s, c), layer k: G(x)a(x)ᵀ − G(m)a(m)ᵀ = (G(x) − G(m))a(x)ᵀ + G(m)(a(x) − a(m))ᵀ, a sum of two rank-one
    matrices (Frobenius norm ‖u‖‖v‖); the bias block is −(G(x) − G(m)). Column norms in float64
    midpoint–radius arithmetic (every rounding bounded upward, :mod:`symland.linear.midrad`); Arb where float64's
    range does not hold the values.
    """
    try:
        return layered_float.variation(P, Q)
    except ArithmeticError:
        return _variation_arb(P, Q)


def _variation_arb(P: Passes, Q: Passes) -> arb:
    d, ell = P.d, P.ell
    total = arb(0)
    for k in range(len(P.A)):
        Am, Ab = P.A[k].tolist(), Q.A[k].tolist()
        w = len(Am)
        a_box = [vec_norm([Ab[j][s] for j in range(w)]) for s in range(d)]
        a_var = [vec_norm([Ab[j][s] - Am[j][s] for j in range(w)]) for s in range(d)] if k else [arb(0)] * d
        for c in range(ell):
            Gm, Gb = P.G[c][k].tolist(), Q.G[c][k].tolist()
            h = len(Gm)
            for s in range(d):
                g_var = vec_norm([Gb[i][s] - Gm[i][s] for i in range(h)])
                g_m = vec_norm([Gm[i][s] for i in range(h)])
                blk = g_var * a_box[s] + g_m * a_var[s]
                total += blk * blk + (g_var * g_var if P.bias else 0)
    top = total.upper()
    return top.sqrt().upper() if top > 0 else arb(0)


ARB_GRAM = 2000  # dℓ up to which JJᵀ is tried in Arb when float64 cannot certify it (dℓ³ products in Arb)
ARB_BOX = 200_000  # d·Σh up to which the box is also tried in Arb when the float64 box leaves the bound loose

_ERRORS = (Undecided, UndefinedDerivativeError, NotRepresentableError, ZeroDivisionError, ValueError)


def lower_bound(net, point, data, radii, bits: int = 128, at: Passes | None = None) -> Lower:
    """Certified lower bounds on dist₂(m, M) and dist∞(m, M), the best over the boxes m ± r for r in ``radii``
    (exact ≥ 0: an upper bound of the distance when a point of M is known — the tightest choice —, and smaller
    ones, which help far from M where J_H varies much over a large box). ``at``: the passes at ``point`` (with
    derivatives, at ``bits``) when already computed."""
    try:
        with precision(bits):
            return _lower(net, list(point), data, radii, bits, at)
    except _ERRORS as exc:
        return Lower(False, reason=f"{type(exc).__name__}: {str(exc)[:200]}")


def _exact_zero(H) -> bool:
    return all(map(BallKind().is_zero, H))


def _lower(net, m, data, radii, bits, at) -> Lower:
    zero = arb(0)
    try:
        P = at if at is not None else passes(net, m, data, bits)
    except (Undecided, UndefinedDerivativeError):  # J_H(m) undefined (a kink), but perhaps m ∈ M
        if _exact_zero(passes(net, m, data, bits, derivatives=False).H):
            return Lower(True, zero, zero, zero, zero, zero, zero)
        raise
    if _exact_zero(P.H):  # H(m) = 0 exactly: m ∈ M
        return Lower(True, zero, zero, zero, zero, zero, zero)
    solved = _gram_solve(P)
    if solved is None:
        size = len(P.H)
        if size > ARB_GRAM:
            return Lower(False, reason=f"J_H(m) J_H(m)ᵀ ({size}×{size}) is not certified nonsingular in float64 "
                         f"(rank J_H(m) < dℓ, or κ(J_H)² beyond about 10¹³), and dℓ > {ARB_GRAM} is too large for "
                         "Arb here")
        return Lower(False, reason=f"J_H(m) J_H(m)ᵀ ({size}×{size}) is not certified nonsingular at {bits} "
                     "bits: rank J_H(m) < dℓ, or too ill-conditioned for this precision")
    ginv, exact_lam = solved  # ‖(JJᵀ)⁻¹‖∞ ≥ ‖(JJᵀ)⁻¹‖₂ (symmetric); balls ∋ (JJᵀ)⁻¹H(m)
    pinv = _upper(ginv.sqrt())
    lam = arb_mat([[x] for x in exact_lam])  # a² = H(m)ᵀ(JJᵀ)⁻¹H(m)
    a2 = sum((P.H[i] * exact_lam[i] for i in range(len(P.H))), arb(0))
    a = arb(a2.lower()).sqrt() if a2.lower() > 0 else arb(0)
    n = net.n
    wf = np.array([float(lam[i, 0].mid()) for i in range(lam.nrows())])  # any weights w: these are exact floats
    w = [arb(fmpq(*float(v).as_integer_ratio())) for v in wf]
    wh = abs(sum((wi * h for wi, h in zip(w, P.H)), arb(0)))
    try:
        jtw = layered_float.jt_l1_upper(P, wf)
    except ArithmeticError:
        jtw = _upper(sum((abs(v) for v in P.jt(w)), arb(0)))
    best, why = None, ""
    todo = [arb(r if isinstance(r, fmpq) else fmpq(*float(r).as_integer_ratio())) for r in radii]
    tried = 0
    while todo and tried < 8:
        r = todo.pop(0)
        tried += 1
        E = None
        try:  # σ with one formula: the box from the values at m and Taylor bounds, in float64 (no pass)
            E = layered_float.variation(P, layered_float.box(P, r))
        except ArithmeticError:
            pass
        small = P.d * sum(a_k.nrows() for a_k in P.A[1:]) <= ARB_BOX
        if E is None or (small and arb((a / (1 + E * pinv)).lower()) < min(a, r) * arb("0.999")):
            try:  # a pass over the box in Arb (one-sided σ' across a kink; tighter over a wide box)
                E2 = variation(P, passes(net, exact_box(m, r), data, bits, hull=True))
                E = E2 if E is None or E2 < E else E
            except _ERRORS as exc:  # e.g. σ not enclosed over a wide box: a smaller radius may do
                why = f"{type(exc).__name__}: {str(exc)[:160]}"
                if E is None:
                    continue
        l2 = arb((a / (1 + E * pinv)).lower())
        l2 = l2 if l2 < r else r
        dual = arb((arb(wh.lower()) / (jtw + vec_norm(w) * E * arb(n).sqrt())).lower()) if wh.lower() > 0 \
            else arb(0)
        by_l2 = arb((l2 / arb(n).sqrt()).lower())
        linf = dual if dual > by_l2 else by_l2
        linf = linf if linf < r else r
        if best is None or l2 > best.l2:
            best = Lower(True, l2, linf, a, E, pinv, r)
        if l2 >= r * arb("0.999") or l2 >= a * arb("0.999"):  # the bound reaches the radius, or a itself (no box
            break  # gives more than a): another box cannot do better than 0.1 %
        if l2 < r and E > 0 and a > 0:  # E grows about linearly in r: the best r solves r (1 + (E/r) ‖J⁺‖ r) = a
            cs = (E / r * pinv).mid()
            nxt = ((-1 + (1 + 4 * cs * a.mid()).sqrt()) / (2 * cs)).mid() * arb("0.999")
            if nxt.is_finite() and 0 < nxt < r and (not todo or nxt > todo[0]):
                todo.insert(0, arb(fmpq(*float(nxt.mid()).as_integer_ratio())))  # a float: JSON keeps it exactly
    return best if best is not None else Lower(False, reason=f"J_H not enclosed over any box tried: {why}")


def _gram_solve(P: Passes) -> tuple[arb, list] | None:
    """(an upper bound of ‖(JJᵀ)⁻¹‖∞, balls containing (JJᵀ)⁻¹H) for J = J_H at the passes' point, or None when
    JJᵀ is not certified nonsingular. First in float64 midpoint–radius arithmetic (:mod:`symland.linear.midrad`:
    BLAS products with a priori rounding bounds — the dℓ × dℓ products in seconds where Arb's take minutes); when
    float64 cannot certify it (κ(JJᵀ) = κ(J_H)² beyond about 10¹³), in Arb at the passes' precision (up to
    dℓ = ARB_GRAM)."""
    try:
        G = layered_float.gram(P)
        Rf = np.linalg.inv(G.mid)
        if np.all(np.isfinite(Rf)):
            R = MidRad(Rf)
            beta = inverse_bound(G, R)
            if beta is not None:
                norm_r = arb(fmpq(*row_sum_upper(np.abs(Rf)).as_integer_ratio()))
                lam = enclose_solve(G, R, beta, from_arb(P.H))
                if _loose(P.H, lam):  # κ(JJᵀ)·2⁻⁵³ shows in a: residuals of J Jᵀ in Arb instead
                    lam = _refine_in_arb(P, R, beta, np.array([float(v.mid()) for v in lam]))
                return _upper(norm_r / (1 - beta)), lam
    except (ArithmeticError, np.linalg.LinAlgError):
        pass
    if len(P.H) > ARB_GRAM:
        return None
    G = P.gram()
    inv = _inverse(G)
    if inv is None:
        return None
    R, beta = inv
    rows = R.tolist()
    norm_r = max((_upper(sum((abs(v) for v in row), arb(0))) for row in rows), key=lambda v: v.upper())
    return _upper(norm_r / (1 - beta)), _enclose(G, R, beta, arb_mat([[h] for h in P.H]))


LOOSE = 1e-5  # relative width of a² = Hᵀ(JJᵀ)⁻¹H above which the float64 enclosure is refined with Arb residuals
# (at ~1e-6 the reported bound's own 2⁻²⁰ margin dominates; the refinement costs two layered Arb passes)


def _loose(H: list, lam: list) -> bool:
    a2 = sum((h * x for h, x in zip(H, lam)), arb(0))
    return not (a2 > 0) or float(a2.rad()) > LOOSE * abs(float(a2.mid()))


def _refine_in_arb(P: Passes, R: MidRad, beta: arb, x: np.ndarray) -> list:
    """Balls containing (JJᵀ)⁻¹H, J = J_H at the passes' point, by mixed precision: the residual H − J(Jᵀx) in Arb
    at the passes' precision (two layered passes, no dℓ × dℓ Arb product), one float64 correction by R, and
    |λ − x| ≤ ‖R(H − JJᵀx)‖∞/(1 − β) with the final residual in Arb — as accurate as H, whatever κ(JJᵀ)·2⁻⁵³."""
    with precision(P.bits):
        xa = [arb(fmpq(*float(v).as_integer_ratio())) for v in x]
        r0 = [h - v for h, v in zip(P.H, P.jv(P.jt(xa)))]
        step = R.mid @ np.array([float(v.mid()) for v in r0])
        xa = [(a + arb(fmpq(*float(v).as_integer_ratio()))).mid() for a, v in zip(xa, step)]
        err = error_bounds(R, beta, from_arb([h - v for h, v in zip(P.H, P.jv(P.jt(xa)))]))[0]
        return [v + arb(0, err) for v in xa]


def _inverse(G: arb_mat) -> tuple[arb_mat, arb] | None:
    """(R, β): an exact approximate inverse R of G with ‖I − R·G‖∞ ≤ β < 1 for every matrix in G's balls — float64
    first; κ(JJᵀ) = κ(J_H)² often exceeds it: then Arb's approximate LU at the working precision. None if neither."""
    R = approx_inverse(G)
    beta = certify_nonsingular(G, R) if R is not None else None
    if beta is None:
        eye = arb_mat([[int(i == j) for j in range(G.nrows())] for i in range(G.nrows())])
        R = G.mid().solve(eye, algorithm="approx").mid()
        beta = certify_nonsingular(G, R)
    return None if beta is None else (R, beta)


def _enclose(G: arb_mat, R: arb_mat, beta: arb, b: arb_mat) -> list:
    """Balls containing G⁻¹b: x = Rb refined once, |x − G⁻¹b| ≤ ‖R(b − Gx)‖∞ / (1 − β)."""
    x = (R * b).mid()
    x = (x + R * (b - G * x)).mid()
    corr = R * (b - G * x)
    err = _upper(max((abs(corr[i, 0]) for i in range(corr.nrows())), key=lambda v: v.upper()) / (1 - beta))
    return [x[i, 0] + arb(0, err) for i in range(x.nrows())]


def _solve_enclosed(G: arb_mat, b: arb_mat) -> list | None:
    """Balls containing G⁻¹b for every matrix in G's balls, or None when G is not certified nonsingular."""
    inv = _inverse(G)
    return None if inv is None else _enclose(G, *inv, b)


def normal_angle(net, point, m, data, bits: int = 128) -> arb | None:
    """An upper bound of sin θ, θ the angle between m* − m and the normal space of M at m* (the row space of
    J_H(m*)): sin²θ = 1 − ‖P(m* − m)‖²/‖m* − m‖², P the orthogonal projector, ‖Pv‖² = (Jv)ᵀ(JJᵀ)⁻¹(Jv). 0 means
    m* is exactly the foot of the perpendicular; None when not enclosed (or m* = m)."""
    try:
        with precision(bits):
            v = [arb(a) - arb(b) for a, b in zip(point, m)]
            vv = sum((x * x for x in v), arb(0))
            if not vv > 0:
                return None
            P = passes(net, point, data, bits)
            Jv = arb_mat([[x] for x in P.jv(v)])
            y = _solve_enclosed(P.gram(), Jv)
            if y is None:
                return None
            pv = sum((Jv[i, 0] * y[i] for i in range(len(y))), arb(0))
            s2 = 1 - pv / vv
            top = s2.upper()
            return arb(top).sqrt().upper() if top > 0 else arb(0)
    except _ERRORS:
        return None


def float_down(x: arb | None) -> float | None:
    """A float ≤ the ball's lower end (None when not a finite number)."""
    if x is None:
        return None
    v = float(x.lower())
    if not math.isfinite(v):
        return None
    return math.nextafter(v, -math.inf) if v > 0 else max(v, 0.0)
