"""The d × d output-weight minor at the at-scale point, mod a prime p < 2³¹ (:func:`minor_mod_p`).

J_H[s, V_i] = σ(t_s − β_i) = P(t_s − β_i)·[β_i < t_s] for σ a rectified polynomial (:mod:`.atscale`). The zero
pattern is exact (from exact comparisons of the rationals t_s and β_i); the other entries are reduced mod p entry by
entry. At the constructed point the minor is lower triangular once its rows are sorted by t and its columns by β
(β_(1) < t_(1) ≤ β_(2) < t_(2) ≤ …, checked exactly): det = sgn(rows)·sgn(cols)·Π diagonal, O(d) work and no d × d
array. Any other pattern takes the dense determinant (numpy, then ``nmod_mat``).
"""

from __future__ import annotations

import bisect
import random

import numpy as np
from flint import nmod_mat

__all__ = ["minor_mod_p"]


def _perm_sign(perm) -> int:
    """The sign of a permutation of range(len(perm)), by its cycles."""
    seen = [False] * len(perm)
    sign = 1
    for i in range(len(perm)):
        if not seen[i]:
            j, length = i, 0
            while not seen[j]:
                seen[j] = True
                j = perm[j]
                length += 1
            if length % 2 == 0:
                sign = -sign
    return sign


def _triangular(t, beta):
    """(rows by t, columns by β) when the exact zero pattern makes the minor lower triangular with a full
    diagonal (β_(1) < t_(1) ≤ β_(2) < t_(2) ≤ …, one unit below each t), else None."""
    rows = sorted(range(len(t)), key=lambda s: t[s])
    cols = sorted(range(len(beta)), key=lambda u: beta[u])
    for r, (s, u) in enumerate(zip(rows, cols)):
        if not beta[u] < t[s] or (r + 1 < len(cols) and beta[cols[r + 1]] < t[s]):
            return None
    return rows, cols


def _det_triangular(t, beta, P, tri, p):
    """det mod p of the minor M[s, u] = P(t_s − β_u)·[β_u < t_s] when lower triangular in the order ``tri``:
    the product of the diagonal times the signs of the two orders; (det, column of the diagonal per row)."""
    rows, cols = tri
    det = _perm_sign(rows) * _perm_sign(cols) % p
    first = [0] * len(t)
    Pm = [int(c.p) * pow(int(c.q), -1, p) % p for c in P]
    for s, u in zip(rows, cols):
        z = (int(t[s].p) * pow(int(t[s].q), -1, p) - int(beta[u].p) * pow(int(beta[u].q), -1, p)) % p
        acc = 0
        for coef in reversed(Pm):
            acc = (acc * z + coef) % p
        det = det * acc % p
        first[s] = u
    return det, first


def minor_mod_p(check, rng: random.Random | None = None, tries: int = 4) -> dict | None:
    """The d × d minor J_H[s, V_i] = σ(t_s − β_i) mod a prime p < 2³¹: {rows, cols(unit order), prime, det_mod_p}.

    The zero pattern is exact (β_i ≥ t_s ⇒ σ = 0); the other entries are P(t_s − β_i) mod p from t_s, β_i reduced
    entry by entry. None when no tried prime gives det ≢ 0 (then the caller falls back to the general route).
    """
    from symland.linear.linalg import random_prime

    rng = rng or random.Random(20181127)
    t, beta, P = check.t, check.beta, check.P
    if len(beta) != len(t):
        return None
    d = len(t)
    tri = _triangular(t, beta)
    if tri is not None:  # the constructed point: O(d) entries on the diagonal, no d × d array
        for _ in range(tries):
            p = random_prime(rng, bits=30)
            try:
                det, first = _det_triangular(t, beta, P, tri, p)
            except ValueError:  # p divides a denominator
                continue
            if det != 0:
                return {"prime": p, "det_mod_p": det, "nonzero": first}
        return None
    sorted_beta = sorted(beta)
    k = np.array([bisect.bisect_left(sorted_beta, ts) for ts in t], dtype=np.int64)  # #{β < t_s}
    rank = np.array([bisect.bisect_left(sorted_beta, bi) for bi in beta], dtype=np.int64)
    live = rank[None, :] < k[:, None]  # β_i < t_s, exactly
    for _ in range(tries):
        p = random_prime(rng, bits=30)
        try:
            tm = np.array([int(v.p) * pow(int(v.q), -1, p) % p for v in t], dtype=np.int64)
            bm = np.array([int(v.p) * pow(int(v.q), -1, p) % p for v in beta], dtype=np.int64)
            Pm = [int(c.p) * pow(int(c.q), -1, p) % p for c in P]
        except ValueError:  # p divides a denominator
            continue
        z = (tm[:, None] - bm[None, :]) % p
        acc = np.zeros((d, d), dtype=np.int64)
        for coef in reversed(Pm):
            acc = (acc * z + coef) % p
        acc[~live] = 0
        det = int(nmod_mat(d, d, acc.ravel().tolist(), p).det())
        if det != 0:
            first = [int(np.flatnonzero(acc[s])[0]) for s in range(d)]
            return {"prime": p, "det_mod_p": det, "nonzero": first}
    return None
