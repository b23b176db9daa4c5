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

__all__ = ["jacobian_mod_p", "matmul_mod", "reduce_matrix"]


def reduce_matrix(M, p: int) -> np.ndarray:
    """Rational entries (lists of rows of fmpq) mod p, entry by entry; InputError when p divides a denominator."""
    inv: dict = {}
    out = np.zeros((len(M), len(M[0]) if M else 0), dtype=np.int64)
    for i, row in enumerate(M):
        for j, v in enumerate(row):
            if not v:
                continue
            if type(v) is not fmpq:
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


def jacobian_mod_p(passes, p: int) -> np.ndarray:
    """(dℓ × n) int64 array: J_H mod p from an exact :class:`symland.networks.passes._Passes` (forward pass and σ')."""
    d, K = passes.d, passes.K
    W = [reduce_matrix(Wk, p) for Wk, _ in passes.layers]
    A = [reduce_matrix(Ak, p) for Ak in passes.A]
    S1 = [reduce_matrix(Sk, p) for Sk in passes.S1]
    l = len(passes.Z[-1])
    n = sum(w.shape[0] * w.shape[1] + (w.shape[0] if passes.bias else 0) for w in W)
    J = np.zeros((d * l, n), dtype=np.int64)
    for c in range(l):
        G = [None] * K
        G[-1] = np.zeros((l, d), dtype=np.int64)
        G[-1][c] = 1
        for k in range(K - 1, 0, -1):
            G[k - 1] = S1[k - 1] * matmul_mod(W[k].T.copy(), G[k], p) % p
        rows = J[c::l]
        pos = 0
        for k in range(K):
            r, cc = W[k].shape
            block = rows[:, pos:pos + r * cc].reshape(d, r, cc)
            np.multiply(G[k].T[:, :, None], A[k].T[:, None, :], out=block)
            block %= p
            pos += r * cc
            if passes.bias:
                rows[:, pos:pos + r] = (-G[k].T) % p
                pos += r
    return J


def rank_profile(J: np.ndarray, p: int):
    """(r, rows, cols, det) of J mod p: the rank profile of its nonzero columns, columns mapped back."""
    from symland.linear.modular import _profile

    live = np.flatnonzero(J.any(axis=0))
    m = J.shape[0]
    sub = nmod_mat(m, int(live.size), J[:, live].ravel().tolist(), p) if live.size else nmod_mat(m, 0, [], p)
    r, rows, cols, det = _profile(sub)
    return r, rows, tuple(int(live[c]) for c in cols), det
