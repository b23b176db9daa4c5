"""The forward pass at a given rational point for the ``given-mod-p`` route: only what the rank proof needs exactly.

Theorem 2.1 / Proposition 2.3 at a user's point m need, over ℚ, only (i) *which piece* of σ each hidden
pre-activation z lies on (its sign, for rectpow3; whether it sits exactly at a breakpoint) and (ii) H(m), to decide
H(m) = 0. Everything else — the activations, σ'(z), J_H — is used only mod p, and is obtained by the forward pass
over F_p from the point and the data reduced mod p (:meth:`GivenForward.reduced`): with the pieces fixed, every
hidden value is a polynomial with coefficients in ℤ_(p) in the point, the data and σ's piece coefficients, so when
p divides none of *their* denominators the ring homomorphism ℤ_(p) → F_p commutes with the pass (no intermediate
value is reduced entry by entry).

H(m) is exact. The output layer f = W_K σ(Z_L) − b_K of a point of M typically has huge weights (~d·300 bits each
at d = 1000: solved exactly against σ(Z_L)), so the dense product W_K·σ(Z_L) over ℚ costs d² products of a huge
number by a moderate one. When the last hidden layer reads at most one live unit (r ≤ 1: every row but one of
A_{L−1} is exactly 0 — the zero pattern of the construction, which a perturbed or rescaled point keeps), the product
collapses (:func:`_collapsed_outputs`): z_is = w_i·x_s − b_i with x_s the live input, so on piece t,
σ(z_is) = Σ_k β_{t,k,i} x_s^k (the piece polynomial composed with w_i x − b_i) and

    f_c(s) = Σ_k x_s^k · Σ_i W_K[c, i] β_{t(i,s),k,i} − b_K[c].

The inner sums are kept as integers over one common denominator and updated by *differences* along the data
points sorted by x_s: a unit's piece is monotone in x_s, so each unit changes piece at most twice per breakpoint
and the whole pass costs O(d) additions of huge integers and O(d) products of a huge by a small one, where the
dense product costs d². Both are exact: the collapse is an identity of rational numbers, not an approximation, and
:func:`dense_outputs` (the old way) is kept as the fallback (r ≥ 2) and as the tests' reference.
"""

from __future__ import annotations

import bisect

import numpy as np
from flint import fmpq, fmpq_poly, fmpz

from symland.networks.modp import matmul_mod, pieces_mod_p, reduce_matrix
from symland.tiers import RationalKind

__all__ = ["GivenForward", "pieces_of", "dense_outputs"]


def _piece(breaks, z) -> int:
    j = bisect.bisect_left(breaks, z)
    return -1 - j if j < len(breaks) and breaks[j] == z else j


def pieces_of(sigma, Z) -> np.ndarray:
    """The piece of σ at each exact pre-activation (rows of fmpq): t ≥ 0 is segment t (σ = P_t there, z strictly
    between breakpoints t − 1 and t), −1 − j means z *is* breakpoint j (σ's own rule applies there). A row that
    is one value repeated (a unit that reads no live input: the same object d times) is decided once."""
    breaks = (sigma._tables.get(0) or sigma._table(0))[0]
    out = np.empty((len(Z), len(Z[0]) if Z else 0), dtype=np.int64)
    one = breaks[0] if len(breaks) == 1 else None
    for i, row in enumerate(Z):
        if row and row[0] is row[-1] and row.count(row[0]) == len(row):  # equal values: one piece
            out[i] = _piece(breaks, row[0])
        elif one is not None:
            out[i] = [(z > one) if z != one else -1 for z in row]
        else:
            out[i] = [_piece(breaks, z) for z in row]
    return out


def _threshold_pieces(breaks, w, b, x) -> tuple[np.ndarray, int]:
    """(pieces, number of z exactly 0) of z_is = w_i x_s − b_i without forming z: for w_i > 0, z > c ⇔ x > (c + b_i)
    / w_i (reversed for w_i < 0), so each unit needs, per breakpoint c, one exact threshold and two bisections of
    the sorted x_s; the d × d piece matrix is filled by numpy. Same values as :func:`pieces_of` on the exact z."""
    d = len(x)
    order = sorted(range(d), key=lambda s: x[s])
    xs = [x[s] for s in order]
    where = np.empty(d, dtype=np.int64)
    where[order] = np.arange(d)  # where[s]: the position of x_s in the sorted order
    zero_is_break = next((j for j, c in enumerate(breaks) if c == 0), None)
    out = np.empty((len(w), d), dtype=np.int64)
    zeros = 0
    for i, (wi, bi) in enumerate(zip(w, b)):
        if not wi:
            out[i] = _piece(breaks, -bi)
            zeros += d if not bi else 0
            continue
        above = np.zeros(d, dtype=np.int64)  # per sorted position: breakpoints strictly below z
        at = np.full(d, -1, dtype=np.int64)  # per sorted position: the breakpoint z equals, or −1
        for j, c in enumerate(breaks):
            theta = (c + bi) / wi
            lo, hi = bisect.bisect_left(xs, theta), bisect.bisect_right(xs, theta)
            if wi > 0:
                above[hi:] += 1
            else:
                above[:lo] += 1
            at[lo:hi] = j
        row = np.where(at >= 0, -1 - at, above)
        out[i] = row[where]
        if zero_is_break is not None:
            zeros += int(np.count_nonzero(at == zero_is_break))
        else:
            theta = bi / wi
            zeros += bisect.bisect_right(xs, theta) - bisect.bisect_left(xs, theta)
    return out, zeros


def _hidden(kind, W, b, A) -> list:
    """Z = W A − b 1ᵀ exactly, row by row: a row of W without a nonzero entry gives the constant row −b_i (one
    object d times), a row with one nonzero entry a gives a·A_t − b_i in one pass, the other rows one
    RationalKind.matmul together (dense or sparse, as it chooses)."""
    d = len(A[0]) if A else 0
    out, many = [], []
    for i, row in enumerate(W):
        terms = [(t, a) for t, a in enumerate(row) if a]
        bi = b[i]
        if not terms:
            out.append([-bi] * d)
        elif len(terms) == 1:
            t, a = terms[0]
            out.append([a * v - bi for v in A[t]] if bi else [a * v for v in A[t]])
        else:
            out.append(None)
            many.append(i)
    if many:
        for i, WA in zip(many, kind.matmul([W[i] for i in many], A)):
            out[i] = [v - b[i] for v in WA] if b[i] else WA
    return out


def _on_pieces_mod_p(sigma, order: int, Zp: np.ndarray, piece: np.ndarray, p: int) -> np.ndarray:
    """σ^(order) mod p at the pre-activations whose residues are Zp and whose exact pieces are ``piece``: P_t^(order)
    mod p by Horner on piece t; at breakpoint j σ's own rule (eval_rational: UndefinedDerivativeError where σ' does
    not exist), reduced. InputError when p divides a denominator (a coefficient or a breakpoint value)."""
    breaks, polys = sigma._tables.get(order) or sigma._table(order)
    out = np.zeros(Zp.shape, dtype=np.int64)
    pieces_mod_p(polys, piece, Zp, p, out)
    for j, c in enumerate(breaks):
        mask = piece == -1 - j
        if mask.any():
            out[mask] = reduce_matrix([[fmpq(sigma.eval_rational(c, order))]], p)[0, 0]
    return out


def dense_outputs(kind, layers, A_last, Y) -> list:
    """H over ℚ by the dense product f = W_K A_L − b_K (the reference; the fallback when the collapse does not
    apply). Residuals in the order (data point s, output c)."""
    W, b = layers[-1]
    F = kind.matmul(W, A_last)
    return [F[c][s] - b[c] - Y[s][c] for s in range(len(Y)) for c in range(len(W))]


def _common(values) -> tuple[list, fmpz]:
    """Integers N_i and one D > 0 with values[i] = N_i / D (fmpq or Quotient: any p/q with q > 0).

    D is built as a chain of common multiples L_1 | L_2 | … over the denominators in increasing size: L_j = q_j
    when L_{j−1} divides q_j (a nested family — the output weights of a point of M solved by substitution — makes
    each step a division with a small quotient), else L_{j−1}·q_j / gcd. Then D / q_j is the product of the steps
    after j (suffix products: each a product by a small factor) times L_j / q_j (1 in the nested case), so no
    division of D by a big denominator is done."""
    dens = sorted({v.q for v in values}, key=lambda q: q.bit_length())
    L, steps, own = fmpz(1), [], []
    for q in dens:
        m, r = divmod(q, L)
        if r:  # not a multiple of L: L grows by q / gcd(L, q), and L_j / q_j = L / gcd
            g = L.gcd(q)
            steps.append(q // g)
            own.append(L // g)
            L = L * steps[-1]
        else:
            steps.append(m)
            own.append(1)
            L = q
    cof, S = {}, fmpz(1)
    for q, t, o in zip(reversed(dens), reversed(steps), reversed(own)):
        cof[q] = S * o if o != 1 else S
        S *= t
    return [v.p * cof[v.q] for v in values], L


def _rational(v) -> fmpq:
    return v if type(v) is fmpq else v.fmpq()  # a Quotient brought to lowest terms


def _collapsed_outputs(sigma, w, bl, out_layer, x, piece, Y) -> list:
    """H over ℚ through the collapse described in the module docstring. ``x``: the last hidden layer's live input
    per data point (fmpq; all 0 when no input is live), ``w``, ``bl`` the layer's weights on it and its biases,
    ``out_layer`` (W_K, b_K); ``piece``: the exact piece of every z_is (h × d)."""
    WK, bK = out_layer
    d, l = len(Y), len(WK)
    breaks, polys = sigma._tables.get(0) or sigma._table(0)
    q = max([len(P.coeffs()) - 1 for P in polys] + [0])
    units = [i for i in range(len(w)) if any(WK[c][i] for c in range(l))]  # units the output reads
    states = {i: np.unique(piece[i]) for i in units}

    def beta(i, t):  # [coefficient of x^k], k = 0 … q, of σ(w_i x − b_i) on state t
        if t < 0:
            return [fmpq(sigma.eval_rational(breaks[-1 - t], 0))] + [fmpq(0)] * q
        cs = list(polys[t](fmpq_poly([-bl[i], w[i]])).coeffs()) if polys[t].coeffs() else []
        return [fmpq(c) for c in cs] + [fmpq(0)] * (q + 1 - len(cs))

    B = {(i, int(t)): beta(i, int(t)) for i in units for t in states[i]}
    E = [_common([b[k] for b in B.values()] or [fmpq(0)])[1] for k in range(q + 1)]
    Ecommon = fmpz(1)
    for e in E:
        Ecommon = Ecommon * e // Ecommon.gcd(e)
    rows = [_common([WK[c][i] for i in units] or [fmpq(0)]) for c in range(l)]  # W_K[c, i] = N_ci / D_c

    def contribution(c, pos, i, t):
        b, (N, _) = B[(i, t)], rows[c]
        return [N[pos] * (b[k].p * (E[k] // b[k].q)) for k in range(q + 1)]

    order = sorted(range(d), key=lambda s: x[s])
    acc = [[fmpz(0)] * (q + 1) for _ in range(l)]
    where = {i: pos for pos, i in enumerate(units)}
    U = np.array(units, dtype=np.int64)
    H = [fmpq(0)] * (d * l)
    prev = None
    for s in order:
        if prev is None:
            changed = units
        else:
            changed = [int(i) for i in U[piece[U, s] != piece[U, prev]]] if U.size else []
        for i in changed:
            for c in range(l):
                if prev is not None:
                    old = contribution(c, where[i], i, int(piece[i, prev]))
                    acc[c] = [a - o for a, o in zip(acc[c], old)]
                new = contribution(c, where[i], i, int(piece[i, s]))
                acc[c] = [a + v for a, v in zip(acc[c], new)]
        prev = s
        u, v = x[s].p, x[s].q
        for c in range(l):
            T = sum((u ** k * v ** (q - k) * acc[c][k] * (Ecommon // E[k]) for k in range(q + 1)), fmpz(0))
            D = rows[c][1] * Ecommon * v ** q
            rhs = bK[c] + Y[s][c]
            if T * rhs.q != rhs.p * D:
                H[s * l + c] = fmpq(T, D) - rhs
    return H


class GivenForward:
    """The exact pieces of every hidden pre-activation, the count of those exactly 0, and H(m) over ℚ (collapsed
    output layer when the last hidden layer reads at most one live unit, else dense); :meth:`reduced` gives the
    layers, activations and σ'(z) mod p for :func:`symland.networks.modp.live_jacobian_mod_p`."""

    def __init__(self, net, data, point):
        kind = RationalKind()
        sigma = net.activation
        self.net, self.d, self.data = net, data.d, data
        layers = net.split(point, fmpq(0))  # only the output weights may stay Quotients (huge, not in lowest terms)
        self.layers = [([[_rational(v) for v in row] for row in W], [_rational(v) for v in b]) for W, b in layers[:-1]]
        self.layers.append((layers[-1][0], [_rational(v) for v in layers[-1][1]]))
        self.bias = getattr(net, "bias", True)
        self.K = len(self.layers)
        self.l = len(self.layers[-1][0])
        A = [[kind.const(row[j]) for row in data.X] for j in range(data.p)]  # A_{k−1}, exact (p × d first)
        self.pieces, zeros = [], 0
        breaks = (sigma._tables.get(0) or sigma._table(0))[0]
        self.method = "dense"
        for k, (W, b) in enumerate(self.layers[:-1]):
            live = [j for j, row in enumerate(A) if any(row)] if k == self.K - 2 else []
            if k == self.K - 2 and len(live) <= 1:  # the collapse: the last hidden layer reads ≤ 1 live unit
                x = A[live[0]] if live else [fmpq(0)] * self.d
                w = [row[live[0]] if live else fmpq(0) for row in W]  # z_is = w_i x_s − b_i exactly
                piece, z0 = _threshold_pieces(breaks, w, b, x)
                self.pieces.append(piece)
                zeros += z0
                self.method = "collapsed"
                self.H = _collapsed_outputs(sigma, w, b, self.layers[-1], x, piece, data.Y)
                break
            Z = _hidden(kind, W, b, A)
            zeros += sum(row.count(0) for row in Z)
            self.pieces.append(pieces_of(sigma, Z))
            at0 = sigma.eval_rational(fmpq(0))  # σ(0) once: the zeros of unused units are most of a wide layer
            A = [[kind.act(sigma, row[0])] * len(row) if row[0] is row[-1] and row.count(row[0]) == len(row) else
                 [kind.act(sigma, z) if z else at0 for z in row] for row in Z]
        if self.method == "dense":
            W, b = self.layers[-1]
            self.H = dense_outputs(kind, [([[_rational(v) for v in row] for row in W], b)], A, data.Y)
        self.zeros = zeros

    def residuals(self) -> list:
        return self.H

    def reduced(self, p: int) -> tuple[list, list, list]:
        """(W_k mod p, A_k mod p for k = 0 … K−1, σ'(Z_k) mod p for the hidden layers): the forward pass over F_p
        from the reduced point and data, with the exact pieces. InputError when p divides a denominator of the
        point, the data or σ's coefficients (then the homomorphism is not defined: another prime)."""
        sigma = self.net.activation
        W = [reduce_matrix(Wk, p) for Wk, _ in self.layers]
        b = [reduce_matrix([bk], p)[0] for _, bk in self.layers]
        A = [reduce_matrix([[row[j] for row in self.data.X] for j in range(self.data.p)], p)]
        S1 = []
        for k, piece in enumerate(self.pieces):
            rows = np.flatnonzero(A[-1].any(axis=1))  # a zero row of A_{k−1} contributes 0 to W_k A_{k−1}
            if rows.size:
                Zp = (matmul_mod(np.ascontiguousarray(W[k][:, rows]), A[-1][rows], p) - b[k][:, None]) % p
            else:
                Zp = np.broadcast_to((-b[k][:, None]) % p, piece.shape).copy()
            A.append(_on_pieces_mod_p(sigma, 0, Zp, piece, p))
            S1.append(_on_pieces_mod_p(sigma, 1, Zp, piece, p))
        return W, A, S1
