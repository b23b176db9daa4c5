"""The layered passes in float64 midpoint–radius arithmetic (:mod:`symland.linear.midrad`): what the distance
bracket needs at dℓ × dℓ and d × h scale, in BLAS with every rounding bounded.

From :class:`~symland.point.layered.Passes` in Arb at a point m: :func:`midrad` converts the layer inputs A once
and runs the backward pass for G in midpoint–radius arithmetic (σ' from σ's enclosed values where σ' = a + bσ + cσ²);
:func:`gram` is J Jᵀ, :func:`jt_l1_upper` bounds ‖Jᵀw‖₁, :func:`box` encloses A and G over a box of parameters
from the values at m (Taylor bounds, no pass in Arb), and :func:`variation` bounds ‖J(x) − J(m)‖_F over it.
Where float64 cannot hold a value, ArithmeticError: the callers then use the Arb passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flint import arb, fmpq

from symland.linear.midrad import SLACK, TINY, MidRad, U, col_norm_upper, from_arb, from_arb_mat, row_sum_upper
from symland.point.layered import Passes

__all__ = ["Box", "midrad", "box", "gram", "jt_l1_upper", "variation"]


@dataclass
class Box:
    """A and G (float64 midpoint–radius) enclosing their values over a box of parameters (see
    :func:`box`); :func:`midrad` reads it like a :class:`~symland.point.layered.Passes`."""

    A: list
    G: list
    d: int
    ell: int
    bias: bool


SUBDIVIDE = 64  # pieces of the interval over which box() bounds |σ''| and |σ⁽³⁾|


def _sup_abs(kind, sigma, lo: float, hi: float, j: int) -> float:
    """A float ≥ sup |σ⁽ʲ⁾| over [lo, hi]: Arb on SUBDIVIDE equal pieces (their union covers the interval)."""
    edges = [fmpq(*lo.as_integer_ratio()) + (fmpq(*hi.as_integer_ratio()) - fmpq(*lo.as_integer_ratio())) *
             fmpq(i, SUBDIVIDE) for i in range(SUBDIVIDE + 1)]
    top = 0.0
    for a, b in zip(edges, edges[1:]):
        v = float(abs(kind.act(sigma, arb(a).union(arb(b)), j)).upper()) * (1 + 4 * U)
        if not np.isfinite(v):
            raise ArithmeticError(f"σ^({j}) not bounded over the box's pre-activations")
        top = max(top, v)
    return top


def _columns(v: MidRad, d: int) -> MidRad:
    """A vector as d equal columns."""
    return MidRad(np.repeat(v.mid[:, None], d, 1), np.repeat(v.rad[:, None], d, 1))


def _check_range(M: MidRad) -> None:
    if not (np.all(np.isfinite(M.mid)) and np.all(np.isfinite(M.rad))):
        raise ArithmeticError("beyond float64's range over the box")


def _scalar(x: MidRad, shape) -> MidRad:
    return MidRad(np.full(shape, x.mid[0]), np.full(shape, x.rad[0]))


def midrad(P) -> tuple[list, list]:
    """(A, G) as float64 midpoint–radius matrices (:mod:`symland.linear.midrad`), computed once: A converted
    from Arb; G by the backward pass in float64 midpoint–radius arithmetic when σ' = a + bσ + cσ² (tanh,
    sigmoid: σ' from the enclosed σ values, no second conversion), else converted from Arb too. A :class:`Box`
    is already in this form."""
    if isinstance(P, Box):
        return P.A, P.G
    if getattr(P, "_midrad", None) is None:
        A = [from_arb_mat(a) for a in P.A]
        if P.ident is None or P.W is None:
            G = [[from_arb_mat(g) for g in Gc] for Gc in P.G]
        else:
            S = [_derivative(P.ident, A[k]) for k in range(1, len(P.W))]  # σ'(Z_{k−1}), from A[k] = σ(Z_{k−1})
            G = _backward(S, _weights(P), P.ell, P.d)
        P._midrad = (A, G)
    return P._midrad


def _weights(P: Passes) -> list:
    """The weight matrices as MidRad, converted once per passes."""
    if getattr(P, "_midrad_W", None) is None:
        P._midrad_W = [from_arb_mat(w) for w in P.W]
    return P._midrad_W


def _derivative(ident: tuple, A: MidRad) -> MidRad:
    """σ' = a + bσ + cσ² from the enclosed values σ = A (the identity of :attr:`Passes.ident`)."""
    a, b, c = (_scalar(from_arb([x]), A.shape) for x in ident)
    return a + A * (b + c * A)


def _backward(S: list, W: list, ell: int, d: int) -> list:
    """G[c][k] = ∂f_c/∂z_k: G_{K−1} the unit rows, G_{k−1} = σ'(Z_{k−1}) ⊙ (W_kᵀ G_k)."""
    G = []
    for out in range(ell):
        g = [None] * len(W)
        g[-1] = MidRad(np.array([[float(i == out)] * d for i in range(ell)]))
        for k in range(len(W) - 1, 0, -1):
            g[k - 1] = S[k - 1] * (W[k].T @ g[k])
        G.append(g)
    return G


def box(P: Passes, radius: arb) -> Box:
    """A and G over the box (every parameter ± ``radius``) as float64 midpoint–radius matrices, from the values
    at this point and Lipschitz bounds of σ and σ' — no second pass in Arb. For a σ with one formula and the
    identity σ' = a + bσ + cσ² (:attr:`ident`); ArithmeticError otherwise or where float64 does not hold it.

    Layer by layer, with the weights and biases widened by r: Z_box = W_box·A_box − b_box encloses every
    pre-activation over the box, Z_m = W·A − b the one at m (midpoint–radius products), so each entry moves by
    at most δ = |Z_box.mid − Z_m.mid| + both radii. By Taylor's theorem with the values at m,
    |σ(z) − σ(z_m)| ≤ (|σ'(z_m)| + L₂δ)δ and |σ'(z) − σ'(z_m)| ≤ (|σ''(z_m)| + L₃δ)δ, with σ' = a + bσ + cσ² and
    σ'' = (b + 2cσ)σ' from the enclosed σ(z_m), and L₂ ≥ sup|σ''|, L₃ ≥ sup|σ⁽³⁾| over the hull of the layer's
    Z_box (Arb on that interval cut in SUBDIVIDE pieces: one ball over a wide interval overestimates much).
    G over the box follows by the backward pass."""
    if P.ident is None or P.W is None or P.b is None:
        raise ArithmeticError("the box in float64 needs σ with one formula and σ' from σ")
    from symland.tiers.ball import BallKind

    A_m, _ = midrad(P)
    r = float(arb(radius).upper()) * (1 + 4 * U)
    W_m = _weights(P)
    b_m = [from_arb(bk).vector() for bk in P.b]
    wid = lambda M: MidRad(M.mid, (M.rad + r) * SLACK)  # noqa: E731 - every parameter ± r
    W, b = [wid(w) for w in W_m], [wid(v) for v in b_m]
    kind = BallKind(128)
    _, bb, c = (from_arb([x]) for x in P.ident)
    A, S = [A_m[0]], []
    for k in range(1, len(W)):
        Z = W[k - 1] @ A[-1] - _columns(b[k - 1], P.d)
        Zm = W_m[k - 1] @ A_m[k - 1] - _columns(b_m[k - 1], P.d)
        delta = (np.abs(Z.mid - Zm.mid) * SLACK + Z.rad + Zm.rad) * SLACK
        lo, hi = float(np.min(Z.mid - Z.rad)), float(np.max(Z.mid + Z.rad))
        lo, hi = lo - abs(lo) * 2.0**-40 - 2.0**-900, hi + abs(hi) * 2.0**-40 + 2.0**-900  # past the roundings
        L2, L3 = (_sup_abs(kind, P.sigma, lo, hi, j) for j in (2, 3))
        Ak = A_m[k]
        shape = Ak.shape
        Sm = _derivative(P.ident, Ak)  # σ'(z_m)
        Tm = (_scalar(bb, shape) + MidRad(np.full(shape, 2.0)) * _scalar(c, shape) * Ak) * Sm  # σ''(z_m)
        A.append(MidRad(Ak.mid, (Ak.rad + (Sm.magnitude() + L2 * delta) * delta * SLACK) * SLACK))
        S.append(MidRad(Sm.mid, (Sm.rad + (Tm.magnitude() + L3 * delta) * delta * SLACK) * SLACK))
    G = _backward(S, W, P.ell, P.d)
    for M in A + [g for gs in G for g in gs]:
        _check_range(M)
    return Box(A, G, P.d, P.ell, P.bias)


def jt_l1_upper(P: Passes, w: np.ndarray) -> arb:
    """An upper bound of ‖Jᵀw‖₁ (w exact floats, indexed r = s·ℓ + c), in float64 midpoint–radius."""
    A, G = midrad(P)
    total = 0.0
    for k in range(len(A)):
        acc = None
        for c in range(P.ell):
            term = G[c][k] * MidRad(np.broadcast_to(w[c::P.ell][None, :], G[c][k].shape).copy())
            acc = term if acc is None else acc + term
        mags = [(acc @ A[k].T).magnitude()]
        if P.bias:  # the bias entries −Σ_s acc[i, s]
            mags.append((acc @ MidRad(np.ones((acc.shape[1], 1)))).magnitude())
        for m in mags:
            total += row_sum_upper(m.reshape(1, -1))
    total *= (1 + 4 * U) * SLACK
    if not np.isfinite(total):
        raise ArithmeticError("‖Jᵀw‖₁ beyond float64's range")
    return arb(arb(fmpq(*float(total).as_integer_ratio())).upper())


def gram(P: Passes) -> MidRad:
    """J Jᵀ from the passes as a :class:`~symland.linear.midrad.MidRad` (the Arb entries converted once):
    Σ_k (G_k^(c)ᵀ G_k^(c')) ⊙ (A_kᵀ A_k + 1), rows r = s·ℓ + c (the + 1 only with biases)."""
    cached = getattr(P, "_gram_midrad", None)
    if cached is not None:
        return cached
    A, G = midrad(P)
    d, ell = P.d, P.ell
    K = [(a.T @ a).add_scalar(1.0) if P.bias else a.T @ a for a in A]
    mid, rad = np.zeros((d * ell, d * ell)), np.zeros((d * ell, d * ell))
    for c in range(ell):
        for c2 in range(ell):
            block = None
            for k in range(len(A)):
                term = (G[c][k].T @ G[c2][k]) * K[k]
                block = term if block is None else block + term
            mid[c::ell, c2::ell], rad[c::ell, c2::ell] = block.mid, block.rad
    P._gram_midrad = out = MidRad(mid, rad)
    return out


def variation(P: Passes, Q) -> arb:
    """An upper bound of ‖J_Q − J_P‖_F (:func:`symland.point.bracket.variation`'s argument) in float64
    midpoint–radius arithmetic, Q a :class:`Box` or passes over a box; ArithmeticError beyond float64's range."""
    (PA, PG), (QA, QG) = midrad(P), midrad(Q)
    total = np.zeros(P.d)
    for k in range(len(PA)):
        a_box = col_norm_upper(QA[k].magnitude())
        a_var = col_norm_upper((QA[k] - PA[k]).magnitude()) if k else np.zeros(P.d)
        for c in range(P.ell):
            g_var = col_norm_upper((QG[c][k] - PG[c][k]).magnitude())
            g_m = col_norm_upper(PG[c][k].magnitude())
            blk = (g_var * a_box + g_m * a_var) * SLACK
            blk = np.where((blk > 0) & (blk < TINY), TINY, blk)  # raised, never lowered: blk² does not underflow
            total = (total + (blk * blk + (g_var * g_var if P.bias else 0.0)) * SLACK) * SLACK
    top = float(np.sum(total)) * (1 + 4 * U * (P.d + 2)) * SLACK
    if not np.isfinite(top):
        raise ArithmeticError("the variation is beyond float64's range")
    return arb(arb(fmpq(*top.as_integer_ratio())).sqrt().upper()) if top > 0 else arb(0)
