"""An independent reference for dist(m, M): Gauss–Newton with minimum-norm steps over all weights, in mpmath at
60 digits, written apart from symland (no import of it) — the tests hold symland's certified bracket to it.

The network is given in the framework convention [(W (out, in), b or None)], f = W x + b, σ between layers.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp

SIGMA = {"tanh": (mp.tanh, lambda t: 1 - mp.tanh(t) ** 2),
         "relu": (lambda t: t if t > 0 else mp.mpf(0), lambda t: mp.mpf(1) if t > 0 else mp.mpf(0)),
         "softplus": (lambda t: mp.log(1 + mp.exp(t)), lambda t: 1 / (1 + mp.exp(-t)))}


def _mp(v) -> mp.mpf:
    q = Fraction(v)
    return mp.mpf(q.numerator) / q.denominator


def distance(layers, X, Y, act: str, iters: int = 12, dps: int = 60):
    """(‖m_GN − m‖₂, ‖m_GN − m‖∞, the residual norms) from the model's weights (floats, read exactly)."""
    with mp.workdps(dps):
        sig, dsig = SIGMA[act]
        shapes = [(W.shape, b is not None) for W, b in layers]
        theta = []
        for W, b in layers:
            theta += [_mp(float(v)) for v in W.ravel()]
            theta += [_mp(float(v)) for v in b] if b is not None else []
        Xs = [[_mp(v) for v in row] for row in X]
        Ys = [[_mp(v) for v in row] for row in Y]

        def unpack(th):
            out, pos = [], 0
            for (o, i), hb in shapes:
                W = [[th[pos + a * i + c] for c in range(i)] for a in range(o)]
                pos += o * i
                b = th[pos:pos + o] if hb else [mp.mpf(0)] * o
                pos += o if hb else 0
                out.append((W, b, hb))
            return out

        def residuals_and_jacobian(th):
            L = unpack(th)
            H, J = [], []
            for x, y in zip(Xs, Ys):
                acts, zs, a = [x], [], x
                for k, (W, b, _) in enumerate(L):
                    z = [mp.fsum(W[i][j] * a[j] for j in range(len(a))) + b[i] for i in range(len(W))]
                    zs.append(z)
                    a = [sig(v) for v in z] if k < len(L) - 1 else z
                    acts.append(a)
                for c in range(len(a)):
                    H.append(a[c] - y[c])
                    g = [mp.mpf(int(i == c)) for i in range(len(a))]
                    grads = [None] * len(L)
                    for k in range(len(L) - 1, -1, -1):
                        W, b, hb = L[k]
                        grads[k] = ([[g[i] * acts[k][j] for j in range(len(acts[k]))] for i in range(len(g))],
                                    list(g) if hb else None)
                        if k:
                            g = [mp.fsum(W[i][j] * g[i] for i in range(len(g))) * dsig(zs[k - 1][j])
                                 for j in range(len(W[0]))]
                    row = []
                    for Wg, bg in grads:
                        row += [v for r in Wg for v in r] + (bg or [])
                    J.append(row)
            return mp.matrix(H), mp.matrix(J)

        x, norms = list(theta), []
        for _ in range(iters):
            H, J = residuals_and_jacobian(x)
            norms.append(mp.norm(H))
            if norms[-1] < mp.mpf(10) ** (-dps + 10):
                break
            step = J.T * mp.lu_solve(J * J.T, H)
            x = [xi - step[i] for i, xi in enumerate(x)]
        deltas = [a - b for a, b in zip(x, theta)]
        return (float(mp.sqrt(mp.fsum(d * d for d in deltas))), float(max(abs(d) for d in deltas)),
                [float(v) for v in norms])
