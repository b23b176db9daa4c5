"""J_H mod p by the layerwise passes over F_p: the rank proof at a given rational point without the exact J_H.

A minor of J_H that is nonsingular mod p proves rank J_H ≥ r, provided p divides no denominator of its entries.
Every entry of J_H is a polynomial, with integer coefficients, in the data, the parameters and the values σ(z),
σ'(z) at the exact pre-activations z; so when p divides none of *their* denominators, reducing them mod p entry
by entry (x = a/b ↦ a·b⁻¹) and running the backward pass in F_p gives exactly (J_H mod p) — a ring homomorphism
Z_(p) → F_p commutes with the passes. The exact forward pass (H, the z and which piece of σ applies) is done
once over ℚ; the backward pass and the d × n products are word operations in numpy with a prime p < 2³¹
(products < 2⁶², matrix products split into 16-bit halves).

At a given point nothing hints at the minor, so the rank profile of the (compacted) J_H mod p chooses it; the
witness is the usual one (rows, columns, prime, det mod p) and the re-checker recomputes those entries exactly.
"""

from __future__ import annotations

import numpy as np
from flint import fmpq, nmod_mat

from symland.errors import InputError

__all__ = ["jacobian_mod_p", "live_jacobian_mod_p", "matmul_mod", "rank_profile", "reduce_matrix"]


def reduce_matrix(M, p: int) -> np.ndarray:
    """Rational entries (lists of rows of fmpq) mod p, entry by entry; InputError when p divides a denominator."""
    inv: dict = {}
    out = np.zeros((len(M), len(M[0]) if M else 0), dtype=np.int64)
    for i, row in enumerate(M):
        for j, v in enumerate(row):
            if not v:
                continue
            if type(v) is not fmpq and not hasattr(v, "q"):  # a Quotient (not in lowest terms) is reduced as it is
                v = fmpq(v)
            a = int(v.p % p)
            q = int(v.q % p) if v.q != 1 else 1
            if q == 0:
                raise InputError(f"p: the prime {p} divides the denominator of {str(v)[:40]}")
            t = inv.get(q)
            if t is None:
                t = inv[q] = pow(q, -1, p)
            out[i, j] = a * t % p
    return out


def matmul_mod(A: np.ndarray, B: np.ndarray, p: int) -> np.ndarray:
    """A·B mod p for entries in [0, p), p < 2³¹: A split into 16-bit halves so that no int64 sum overflows."""
    if A.shape[1] >= 1 << 16:
        raise ValueError("matmul_mod: inner dimension too large for the 16-bit split")
    hi, lo = A >> 16, A & 0xFFFF
    return ((hi @ B) % p * 65536 + (lo @ B)) % p


def derivative_mod_p(sigma, Z, p: int) -> np.ndarray:
    """σ'(z) mod p for exact rational pre-activations Z (rows of fmpq), without the exact σ'(z): σ is piecewise
    polynomial over ℚ, so off its breakpoints σ'(z) = P_j'(z) and P_j' mod p evaluated at z mod p is σ'(z) mod p
    (p dividing no denominator of z or of P_j'); the piece j is chosen by exact comparisons with the breakpoints,
    and a z *at* a breakpoint takes σ's own rule there (:meth:`~symland.sigma.activation.Activation.eval_rational`,
    which raises UndefinedDerivativeError where σ' does not exist)."""
    import bisect

    breaks, polys = sigma._tables.get(1) or sigma._table(1)  # the pieces' derivatives over ℚ (σ's own table)
    Zp = reduce_matrix(Z, p)
    piece = np.empty(Zp.shape, dtype=np.int64)
    out = np.zeros(Zp.shape, dtype=np.int64)
    at_break: dict = {}  # breakpoint index → σ'(c) mod p (the zeros of unused units: most of a wide layer)
    one = breaks[0] if len(breaks) == 1 else None  # one breakpoint c (σ's usual case): z < c, z = c or z > c
    for i, row in enumerate(Z):
        for s, z in enumerate(row):
            j = (z > one) if one is not None and z != one else bisect.bisect_left(breaks, z)
            if j < len(breaks) and breaks[j] == z:  # at a breakpoint: σ's rule, exactly
                if j not in at_break:
                    at_break[j] = reduce_matrix([[fmpq(sigma.eval_rational(z, 1))]], p)[0, 0]
                out[i, s] = at_break[j]
                piece[i, s] = -1
            else:
                piece[i, s] = j
    pieces_mod_p(polys, piece, Zp, p, out)
    return out


def pieces_mod_p(polys, piece: np.ndarray, Zp: np.ndarray, p: int, out: np.ndarray) -> None:
    """out[piece == t] = P_t(Zp) mod p for each piece polynomial P_t (rational coefficients reduced mod p, then
    Horner on the residues); entries of other pieces (breakpoints: −1 − j) are left as they are."""
    for t, poly in enumerate(polys):
        mask = piece == t
        if not mask.any():
            continue
        coeffs = reduce_matrix([[fmpq(c) for c in poly.coeffs()] or [fmpq(0)]], p)[0]
        x, acc = Zp[mask], np.zeros(int(mask.sum()), dtype=np.int64)
        for c in coeffs[::-1]:  # Horner mod p (products < 2⁶² for p < 2³¹)
            acc = (acc * x + int(c)) % p
        out[mask] = acc


def jacobian_mod_p(passes, p: int) -> np.ndarray:
    """(dℓ × n) int64 array: J_H mod p from an exact :class:`symland.networks.passes._Passes` (forward pass and σ'),
    dense over all n columns (for tests and small n; the route uses :func:`live_jacobian_mod_p`)."""
    J, cols = live_jacobian_mod_p(passes, p)
    n = sum(len(Wk) * len(Wk[0]) + (len(Wk) if passes.bias else 0) for Wk, _ in passes.layers)
    out = np.zeros((J.shape[0], n), dtype=np.int64)
    out[:, cols] = J
    return out


def live_jacobian_mod_p(passes, p: int) -> tuple[np.ndarray, np.ndarray]:
    """(J, cols): J_H mod p on its live columns only (dℓ × len(cols), int64), cols their indices in the canonical
    order (increasing). The column of W_k[i, j] is G_k[·, i]·A_{k−1}[j, ·] and that of b_k[i] is −G_k[·, i]: a unit
    i whose G_k vanishes mod p on every data point, or an input j whose A_{k−1} does, gives only zero columns, which
    are never allocated (at a given point of [p, d, d, 1] with the construction's zero pattern: ~3d of n ≈ d²)."""
    d, K = passes.d, passes.K
    if hasattr(passes, "reduced"):  # symland.networks.given_pass.GivenForward: the forward pass over F_p itself
        W, A, S1 = passes.reduced(p)
        l = passes.l
    else:
        W = [reduce_matrix(Wk, p) for Wk, _ in passes.layers]
        A = [reduce_matrix(Ak, p) for Ak in passes.A]
        if passes.S1:  # σ'(z) computed exactly by the passes
            S1 = [reduce_matrix(Sk, p) for Sk in passes.S1]
        else:  # σ'(z) mod p straight from the exact z
            S1 = [derivative_mod_p(passes.net.activation, Zk, p) for Zk in passes.Z[:-1]]
        l = len(passes.Z[-1])
    Gs = []  # Gs[c][k] = G_k (h_k × d) for output c
    for c in range(l):
        G = [None] * K
        G[-1] = np.zeros((l, d), dtype=np.int64)
        G[-1][c] = 1
        for k in range(K - 1, 0, -1):  # G_{k−1} = σ'(Z_{k−1}) ∘ (W_kᵀ G_k): only rows where σ' ≠ 0 somewhere,
            rows = np.flatnonzero(S1[k - 1].any(axis=1))  # only units with G_k ≠ 0 (the others add 0 mod p)
            gi = np.flatnonzero(G[k].any(axis=1))
            G[k - 1] = np.zeros(S1[k - 1].shape, dtype=np.int64)
            if rows.size and gi.size:
                WtG = matmul_mod(np.ascontiguousarray(W[k][np.ix_(gi, rows)].T), G[k][gi], p)
                G[k - 1][rows] = S1[k - 1][rows] * WtG % p
        Gs.append(G)
    # live units of layer k: G_k nonzero for some output and data point; live inputs: A_{k−1} nonzero somewhere
    live, cols, pos = [], [], 0
    for k in range(K):
        r, cc = W[k].shape
        gi = np.flatnonzero(np.any([G[k].any(axis=1) for G in Gs], axis=0))
        aj = np.flatnonzero(A[k].any(axis=1))
        live.append((gi, aj))
        cols.append((pos + gi[:, None] * cc + aj[None, :]).ravel())
        pos += r * cc
        if passes.bias:
            cols.append(pos + gi)
            pos += r
    cols_arr = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    J = np.empty((d * l, cols_arr.size), dtype=np.int64)  # filled in place: one copy of the live J
    for c in range(l):
        rows, at = J[c::l], 0
        for k, (gi, aj) in enumerate(live):
            g, a = Gs[c][k][gi].T, A[k][aj].T  # d × |gi|, d × |aj|
            w = gi.size * aj.size
            rows[:, at:at + w] = (g[:, :, None] * a[:, None, :] % p).reshape(d, w)
            at += w
            if passes.bias:
                rows[:, at:at + gi.size] = (-g) % p
                at += gi.size
    return J, cols_arr


def rank_profile(J: np.ndarray, p: int, cols=None):
    """(r, rows, cols, det) of J mod p: the rank profile of its nonzero columns, columns mapped back (through
    ``cols``, the global index of each column of J, when J holds only some columns). As
    :func:`symland.linear.modular.rank_profile_mod_p` (the first 2m + 32 columns first, then all), with the
    submatrices cut in numpy rather than entry by entry."""
    from symland.linear.modular import _pivots

    def mat(X):
        return nmod_mat(X.shape[0], X.shape[1], np.ascontiguousarray(X).ravel().tolist(), p)

    live = np.flatnonzero(J.any(axis=0))
    back = live if cols is None else np.asarray(cols)[live]
    L = J[:, live]
    m, n = L.shape
    if m == 0 or n == 0:
        return 0, (), (), 1
    picked = None
    if n > 2 * m + 32:  # wide: the first columns usually have rank m already
        R, r = mat(L[:, :2 * m + 32]).rref()
        picked = _pivots(R, r) if r == m else None
    if picked is None:
        R, r = mat(L).rref()
        picked = _pivots(R, r)
    if len(picked) == m:  # full row rank: the rows are all m rows (no second elimination)
        rows, rt = list(range(m)), m
    else:
        Rt, rt = mat(L[:, picked].T).rref()  # independent rows of the r independent columns
        rows = _pivots(Rt, rt)
    det = int(mat(L[np.ix_(rows, picked)]).det())
    if rt != len(picked) or det == 0:
        raise RuntimeError(f"rank_profile: internal error, the chosen minor is singular mod {p}")
    return len(picked), tuple(rows), tuple(int(back[c]) for c in picked), det

