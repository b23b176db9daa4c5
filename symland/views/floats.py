"""Float64 evaluators of exact objects, for drawing only: numbers, σ, a network's function and the loss L.

They illustrate; they decide nothing (see :mod:`symland.views.plots`).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["to_float", "float_sigma", "network_function", "loss_function"]


def to_float(value) -> float:
    """An exact value (fmpq, ExpPoly Σ c_q e^q, int, str such as "3/5") as the nearest float."""
    terms = getattr(value, "terms", None)
    if terms is not None:  # ExpPoly
        return math.fsum(float(c) * math.exp(float(q)) for q, c in terms.items())
    if isinstance(value, str):
        from symland.tiers import parse_value

        return to_float(parse_value(value))
    return float(value)


def float_sigma(activation):
    """σ as a vectorised numpy function (its two exact pieces, lambdified)."""
    import sympy as sp

    from symland.sigma.activations import t

    neg = sp.lambdify(t, activation.negative, "numpy")
    pos = sp.lambdify(t, activation.positive, "numpy")

    def sigma(z):
        z = np.asarray(z, dtype=float)
        with np.errstate(all="ignore"):  # both pieces are evaluated everywhere, then selected
            out = np.where(z <= 0, neg(z), pos(z))
        return np.broadcast_to(out, z.shape).astype(float)

    return sigma


def network_function(network, params):
    """x ↦ f(x) in floating point for an ``MLP`` and a flat parameter vector: (N, p) → (N, ℓ)."""
    sigma = float_sigma(network.activation)
    layers = [(np.array([[to_float(v) for v in row] for row in W], dtype=float),
               np.array([to_float(v) for v in b], dtype=float)) for W, b in network.split(list(params))]

    def f(X):
        A = np.atleast_2d(np.asarray(X, dtype=float))
        for k, (W, b) in enumerate(layers):
            A = A @ W.T - b
            if k < len(layers) - 1:
                A = sigma(A)
        return A

    return f


def loss_function(problem):
    """P ↦ L(P) = Σ f_i² in floating point, vectorised over a stack of points P of shape (..., n)."""
    net, data = problem.network, problem.data
    sigma = float_sigma(net.activation)
    X = np.array([[to_float(v) for v in row] for row in data.X])
    Y = np.array([[to_float(v) for v in row] for row in data.Y])

    def L(P):
        P = np.asarray(P, dtype=float)
        shape = P.shape[:-1]
        P = P.reshape(-1, P.shape[-1])
        A = np.broadcast_to(X, (P.shape[0],) + X.shape)  # (N, d, p)
        pos = 0
        for k, (r, c) in enumerate(net.shapes):
            W = P[:, pos: pos + r * c].reshape(-1, r, c)
            pos += r * c
            if net.bias:
                b = P[:, pos: pos + r]
                pos += r
            else:
                b = np.zeros((P.shape[0], r))
            A = np.einsum("nrc,ndc->ndr", W, A) - b[:, None, :]
            if k < len(net.shapes) - 1:
                A = sigma(A)
        return ((A - Y) ** 2).sum(axis=(1, 2)).reshape(shape)

    return L


def _vector(network, point) -> np.ndarray:
    if isinstance(point, dict):
        point = network.vector(point)
    return np.array([to_float(v) for v in point], dtype=float)
