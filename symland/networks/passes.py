"""The at-point passes of a layered network over the numbers of one tier, batched over the d data points: forward
(pre-activations Z, activations A), backward (J_H) and forward-over-reverse (Hess f_r) — nothing symbolic is built.
:meth:`symland.networks.problem.Problem.at` runs them; :mod:`symland.networks.modp` reduces them mod p.
"""

from __future__ import annotations

from functools import cached_property

from symland.errors import UndefinedDerivativeError
from symland.networks.network import MLP

__all__ = ["_Passes"]


class _Passes:
    """Forward, backward and forward-over-reverse passes, batched over the d data points."""

    def __init__(self, net: MLP, data, kind, point, second: bool, first: bool = True):
        self.net, self.kind = net, kind
        self.layers = net.split(point, kind.const(0))
        self.bias = getattr(net, "bias", True)
        self.K = len(self.layers)
        self.d = data.d
        self.Y = data.Y
        self.zero, self.one = kind.const(0), kind.const(1)
        A0 = [[kind.const(row[j]) for row in data.X] for j in range(data.p)]  # p × d
        self.A = [A0]  # A_0 … A_{K-1}
        self.Z = []
        sigma = net.activation
        for k, (W, b) in enumerate(self.layers):
            WA = kind.matmul(W, self.A[-1])
            Z = [[v - b[i] for v in WA[i]] for i in range(len(W))]
            self.Z.append(Z)
            if k < self.K - 1:
                self.A.append(self._apply(sigma, Z, 0, k))
        # σ' only when derivatives are asked for: H alone exists even at a kink of σ (ReLU at 0)
        self.S1 = [self._apply(sigma, self.Z[k], 1, k) for k in range(self.K - 1)] if first or second else []
        self.S2 = [self._apply(sigma, self.Z[k], 2, k) for k in range(self.K - 1)] if second else []
        self._G = None

    def _apply(self, sigma, Z, order, k):
        out = []
        # σ^(k)(0) is evaluated once per layer over the rationals (the zeros of unused units are most of a wide
        # layer at a constructed or given point); other kinds evaluate every entry (a ball is not a value)
        exact, at_zero = getattr(self.kind, "name", "") == "exact", None
        for i, row in enumerate(Z):
            out.append([])
            for s, z in enumerate(row):
                if exact and at_zero is not None and not z:
                    out[-1].append(at_zero)
                    continue
                try:
                    v = self.kind.act(sigma, z, order)
                except UndefinedDerivativeError as exc:  # name the unit and the data point (any kink, not only 0)
                    where = f" (unit {i} of hidden layer {k + 1} on data point {s + 1})" if order else ""
                    raise UndefinedDerivativeError(f"{exc}{where}") from None
                out[-1].append(v)
                if exact and not z:
                    at_zero = v
        return out

    def residuals(self) -> list:
        F = self.Z[-1]
        return [F[c][s] - self.kind.const(self.Y[s][c]) for s in range(self.d) for c in range(len(F))]

    def _backward(self, c: int) -> list:
        """G_k = ∂f_c/∂Z_k for all data points (h_k × d), k = 0 … K−1, and P_k = W_kᵀ G_k."""
        l = len(self.Z[-1])
        G = [[(self.one if i == c else self.zero) for _ in range(self.d)] for i in range(l)]
        Gs = [None] * self.K
        Ps = [None] * self.K
        Gs[-1] = G
        for k in range(self.K - 1, 0, -1):
            W = self.layers[k][0]
            Wt = [list(col) for col in zip(*W)]
            P = self.kind.matmul(Wt, Gs[k])
            Ps[k] = P
            S = self.S1[k - 1]
            Gs[k - 1] = [[S[i][s] * P[i][s] for s in range(self.d)] for i in range(len(P))]
        return Gs, Ps

    @cached_property
    def backward(self):
        return [self._backward(c) for c in range(len(self.Z[-1]))]

    def _grad_rows(self, G_of, A_of) -> list:
        """Rows (one per data point) from per-layer G_k and A_{k-1} (both as callables of k)."""
        rows = [[] for _ in range(self.d)]
        for k, (W, _) in enumerate(self.layers):
            G, A = G_of(k), A_of(k)
            r, cdim = len(W), len(W[0])
            for s in range(self.d):
                row = rows[s]
                for i in range(r):
                    g = G[i][s]
                    if self.kind.is_zero(g):
                        row.extend([self.zero] * cdim)
                    else:
                        row.extend(g * A[j][s] for j in range(cdim))
                if self.bias:
                    row.extend(-G[i][s] for i in range(r))
        return rows

    def jacobian(self) -> list:
        l = len(self.Z[-1])
        per_c = [self._grad_rows(lambda k, c=c: self.backward[c][0][k], lambda k: self.A[k]) for c in range(l)]
        return [per_c[c][s] for s in range(self.d) for c in range(l)]

    def hessians(self) -> list:
        """Hess f_r for every residual r, column by column (forward-over-reverse, direction e_j)."""
        n, l = self.net.n, len(self.Z[-1])
        cols = [[None] * n for _ in range(self.d * l)]  # cols[r][j] = column j of Hess f_r
        for j, (k0, what, i0, j0) in enumerate(self.net.locations):
            dZ, dA = self._tangent(k0, what, i0, j0)
            for c in range(l):
                Gs, Ps = self.backward[c]
                dG = self._tangent_backward(Gs, Ps, dZ, k0, what, i0, j0)
                rows = self._second_rows(Gs, dG, dA)
                for s in range(self.d):
                    cols[s * l + c][j] = rows[s]
        return [[list(r) for r in zip(*cs)] for cs in cols]

    def _tangent(self, k0, what, i0, j0):
        """Ż_k and Ȧ_k for the direction of one parameter."""
        d, kind = self.d, self.kind
        dZ = [None] * self.K
        dA = [None] * self.K  # dA[k] = Ȧ_k (tangent of A_k); Ȧ_0 = 0
        dA[0] = [[self.zero] * d for _ in range(len(self.A[0]))]
        for k in range(self.K):
            W = self.layers[k][0]
            if k < k0:
                dZ[k] = [[self.zero] * d for _ in range(len(W))]
            else:
                dZ[k] = kind.matmul(W, dA[k]) if k > k0 else [[self.zero] * d for _ in range(len(W))]
                if k == k0:
                    row = [self.A[k][j0][s] for s in range(d)] if what == "W" else [-self.one] * d
                    dZ[k][i0] = [dZ[k][i0][s] + row[s] for s in range(d)]
            if k < self.K - 1:
                S = self.S1[k]
                dA[k + 1] = [[S[i][s] * dZ[k][i][s] for s in range(d)] for i in range(len(W))]
        return dZ, dA

    def _tangent_backward(self, Gs, Ps, dZ, k0, what, i0, j0):
        d, kind = self.d, self.kind
        dG = [None] * self.K
        dG[-1] = [[self.zero] * d for _ in range(len(Gs[-1]))]
        for k in range(self.K - 1, 0, -1):
            W = self.layers[k][0]
            Wt = [list(col) for col in zip(*W)]
            WtdG = kind.matmul(Wt, dG[k])
            if k == k0 and what == "W":
                WtdG[j0] = [WtdG[j0][s] + Gs[k][i0][s] for s in range(d)]
            S1, S2, P, Zd = self.S1[k - 1], self.S2[k - 1], Ps[k], dZ[k - 1]
            dG[k - 1] = [
                [S2[i][s] * Zd[i][s] * P[i][s] + S1[i][s] * WtdG[i][s] for s in range(d)]
                for i in range(len(P))
            ]
        return dG

    def _second_rows(self, Gs, dG, dA):
        """d/dε of the gradient rows: Ġ_k ⊗ A_{k−1} + G_k ⊗ Ȧ_{k−1}, and −Ġ_k for biases."""
        d = self.d
        rows = [[] for _ in range(d)]
        for k, (W, _) in enumerate(self.layers):
            G, dGk, A, dAk = Gs[k], dG[k], self.A[k], dA[k]
            r, cdim = len(W), len(W[0])
            for s in range(d):
                row = rows[s]
                for i in range(r):
                    row.extend(dGk[i][s] * A[j][s] + G[i][s] * dAk[j][s] for j in range(cdim))
                if self.bias:
                    row.extend(-dGk[i][s] for i in range(r))
        return rows
