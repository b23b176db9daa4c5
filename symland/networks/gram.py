"""J_H J_Hᵀ of a layered network in float64 without forming J_H (dℓ × dℓ instead of dℓ × n).

For f(x) = W_K σ(… σ(W_1 x − b_1) …) − b_K with activations A_k (A_0 = X) and backward sensitivities G_k^(c)
(∂f_c/∂z_k at each data point), ∂f_c(x_s)/∂W_k[i, j] = G_k^(c)[i, s]·A_{k−1}[j, s] and ∂f_c(x_s)/∂b_k[i] =
−G_k^(c)[i, s], so the Gram matrix of the gradients is, for rows r = s·ℓ + c and r' = t·ℓ + c',

    (J Jᵀ)[r, r'] = Σ_k (G_k^(c)ᵀ G_k^(c'))[s, t] · ((A_{k−1}ᵀ A_{k−1})[s, t] + 1).

Cost O(d² Σ h_k) instead of O(d² n): at d = 1000 and n = 67 585 (digits, 1024 tanh units) a second instead of a
minute. The nonzero eigenvalues of Hess L = 2JᵀJ at a point of M are those of 2JJᵀ. Floating point only.

>>> import numpy as np
>>> from symland.networks.network import mlp
>>> from symland.io.data import Dataset
>>> from symland.networks.floating import jacobian
>>> net, data = mlp((2, 3, 2), "tanh"), Dataset.from_rows([[0, 1], [1, 2], [2, 0]], [[1, 0], [0, 1], [1, 1]])
>>> x = np.linspace(-1, 1, net.n)
>>> H, J = jacobian(net, data, x)
>>> H2, G = gram(net, data, x)
>>> bool(np.allclose(G, J @ J.T) and np.allclose(H, H2))
True
"""

from __future__ import annotations

import numpy as np

from symland.errors import UndefinedDerivativeError
from symland.networks.floating import forward_pass, split_flat, vectorized

__all__ = ["gram", "sensitivities", "gram_matrix", "jt_vector", "one_sided_derivative"]


def sensitivities(layers, sigma, X: np.ndarray, derivative=None) -> tuple[list, list, list]:
    """(Z, A, G) for ``layers`` [(W_k, b_k)] in symland's convention z_k = W_k a_{k−1} − b_k, X of shape p × d.

    Z[k]: pre-activations; A[k]: the input of layer k (A[0] = X); G[c][k] = ∂f_c/∂z_k, h_k × d. The trainer
    (:mod:`symland.training.train`) uses the same passes for its Levenberg–Marquardt steps, with its own ``derivative``
    (Z ↦ σ'(Z), a one-sided value where σ' is undefined); by default σ' from
    :func:`symland.networks.floating.vectorized`.
    """
    s1 = derivative or vectorized(sigma, 1)
    Z, A = forward_pass(layers, vectorized(sigma, 0), X)
    ell, d = Z[-1].shape
    S1 = [s1(Zk) for Zk in Z[:-1]]
    Gs = []
    for c in range(ell):
        G = [None] * len(layers)
        G[-1] = np.zeros((ell, d))
        G[-1][c] = 1.0
        for k in range(len(layers) - 1, 0, -1):
            G[k - 1] = S1[k - 1] * (layers[k][0].T @ G[k])
        Gs.append(G)
    return Z, A, Gs


def one_sided_derivative(sigma, Z: np.ndarray) -> np.ndarray:
    """σ'(Z); at a breakpoint where σ' is undefined (ReLU at exactly 0) the right derivative — a value that steers
    an iteration (training, the projection onto M) as well as any, never one a certificate rests on."""
    try:
        return vectorized(sigma, 1)(Z)
    except UndefinedDerivativeError:
        Z = Z.copy()
        for c in sigma.breakpoints:
            Z[Z == float(c)] = np.nextafter(float(c), np.inf)
        return vectorized(sigma, 1)(Z)


def jt_vector(A: list, Gs: list, u: np.ndarray, *, bias: bool = True, bias_sign: float = -1.0) -> np.ndarray:
    """Jᵀu as a flat parameter vector (W_k row-major, then b_k) from the passes, u indexed r = s·ℓ + c;
    ``bias_sign`` −1 for symland's W a − b (∂f/∂b = −G), +1 for a framework's W a + b."""
    ell = len(Gs)
    out = []
    for k in range(len(A)):
        GU = sum(Gs[c][k] * u[c::ell][None, :] for c in range(ell))  # h_k × d
        out.append((GU @ A[k].T).ravel())
        if bias:
            out.append(bias_sign * GU.sum(axis=1))
    return np.concatenate(out)


def gram_matrix(A: list, Gs: list, *, bias: bool = True) -> np.ndarray:
    """J Jᵀ from the passes: Σ_k (G_k^(c)ᵀ G_k^(c')) ⊙ (A_{k−1}ᵀ A_{k−1} + 1) (the + 1 only with biases)."""
    ell, d = len(Gs), A[0].shape[1]
    K = [Ak.T @ Ak + (1.0 if bias else 0.0) for Ak in A]  # d × d per layer
    out = np.zeros((d * ell, d * ell))
    for c in range(ell):
        for c2 in range(c, ell):
            block = sum((Gs[c][k].T @ Gs[c2][k]) * K[k] for k in range(len(A)))
            out[c::ell, c2::ell] = block
            if c2 != c:
                out[c2::ell, c::ell] = block.T
    return out


def gram(net, data, point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(H, J_H J_Hᵀ) in float64 at a float point (canonical order), rows r = s·ℓ + c."""
    X = np.array([[float(v) for v in row] for row in data.X]).T  # p × d
    Y = np.array([[float(v) for v in row] for row in data.Y])  # d × ℓ
    layers = split_flat(net.shapes, net.bias, np.asarray(point, dtype=float))
    Z, A, Gs = sensitivities(layers, net.activation, X)
    H = (Z[-1].T - Y).reshape(-1)
    return H, gram_matrix(A, Gs, bias=net.bias)
