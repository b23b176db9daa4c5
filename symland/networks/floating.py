"""The float tier at scale: batched numpy passes for layered networks, and the SVD of J_H.

For ``mlp(widths, σ)`` with f(x) = W σ(… σ(W₁x − b₁) …) − b, one forward pass over all d data points
(columns) and one backward pass per output coordinate give J_H as a dense (dℓ × n) float64 array,
written in place layer by layer (∂f/∂W_k[i, j] = G_k[i, s]·A_{k−1}[j, s], ∂f/∂b_k[i] = −G_k[i, s]).
The n × n Hessian is never formed: at a point of M, Hess L = 2 J_Hᵀ J_H, whose nonzero eigenvalues
are 2σ_i² for the singular values σ_i of J_H.

Everything here is floating point: a verdict from it is ``numerical`` at best.

>>> import numpy as np
>>> from symland.networks.network import mlp
>>> from symland.io.data import Dataset
>>> H, J = jacobian(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]), np.array([1., 0., 1., 0.]))
>>> H.tolist(), J.tolist()
([-1.0], [[3.0, -3.0, 1.0, -1.0]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from symland.errors import ShapeError, UndefinedDerivativeError
from symland.sigma.kinkhits import float_hits

__all__ = ["vectorized", "split_flat", "forward_pass", "jacobian", "FloatRank", "float_rank"]

_NP_OPS = {"const": lambda q: int(q.p) / int(q.q), "exp": np.exp, "log": np.log, "tanh": np.tanh,
           "sinh": np.sinh, "cosh": np.cosh, "sqrt": np.sqrt}
_CACHE: dict = {}


def vectorized(sigma, k: int = 0):
    """σ⁽ᵏ⁾ on numpy arrays, piece by piece (each piece evaluated only where it applies)."""
    key = (sigma.name, sigma.negative, sigma.positive, k)
    if key in _CACHE:
        return _CACHE[key]
    from symland.sigma.activations import t
    from symland.tiers.numeric import compile_expr

    breaks = [float(c) for c in sigma.breakpoints]
    fns = [compile_expr(sigma._seg(i, k), t, _NP_OPS) for i in range(len(breaks) + 1)]
    smooth = [sigma.differentiable_at(j, k) for j in range(len(breaks))]

    def f(Z: np.ndarray) -> np.ndarray:
        out = np.empty_like(Z)
        seg = np.searchsorted(np.asarray(breaks), Z, side="left")  # t ≤ c belongs to the left piece
        with np.errstate(all="ignore"):
            for i, fn in enumerate(fns):
                mask = seg == i
                if mask.any():
                    out[mask] = fn(Z[mask])  # a constant piece broadcasts
        if k > 0:
            for j, ok in enumerate(smooth):
                if not ok and np.any(Z == breaks[j]):
                    raise UndefinedDerivativeError(f"{sigma.name}^({k}) is not defined at t = {breaks[j]} "
                                                   "(a pre-activation is exactly there)")
        return out

    _CACHE[key] = f
    return f


def split_flat(shapes, bias: bool, theta: np.ndarray) -> list:
    """[(W_k, b_k)] as views of a flat float vector θ (W_k row-major, then b_k, per layer); b_k = 0 without biases.

    >>> [(W.tolist(), b.tolist()) for W, b in split_flat([(1, 2), (1, 1)], True, np.arange(5.))]
    [([[0.0, 1.0]], [2.0]), ([[3.0]], [4.0])]
    """
    n = sum(r * c + (r if bias else 0) for r, c in shapes)
    if theta.shape != (n,):
        raise ShapeError(f"expected {n} parameters, got an array of shape {theta.shape}")
    out, pos = [], 0
    for r, c in shapes:
        W = theta[pos:pos + r * c].reshape(r, c)
        pos += r * c
        if bias:
            b = theta[pos:pos + r]
            pos += r
        else:
            b = np.zeros(r)
        out.append((W, b))
    return out


def forward_pass(layers, s0, X: np.ndarray) -> tuple[list, list]:
    """(Z, A) for layers [(W_k, b_k)]: Z_k = W_k A_{k−1} − b_k, A_k = σ(Z_k) with ``s0`` = σ on arrays, A_0 = X.

    One column per data point; no σ after the last layer (A has one entry fewer than Z, plus A_0).
    """
    A, Z = [X], []
    for k, (W, b) in enumerate(layers):
        Zk = W @ A[-1] - b[:, None]
        Z.append(Zk)
        if k < len(layers) - 1:
            A.append(s0(Zk))
    return Z, A


def _fresh(shape) -> np.ndarray:
    """An uninitialised float64 array; large ones as an anonymous mmap with MAP_POPULATE (Linux).

    The first touch of a fresh 800 MB buffer dominates a cold Jacobian at n ≈ 10⁶: 200,000 page faults, and with
    numpy's huge-page advice the kernel may compact memory at fault time (measured here: np.empty 2–6 s, np.zeros
    0.3–5 s, this 0.7 s — the pages are zeroed in one system call, no fault per page).
    """
    size = int(np.prod(shape)) * 8
    populate = getattr(__import__("mmap"), "MAP_POPULATE", 0)
    if size < 1 << 26 or not populate:
        return np.empty(shape)
    import mmap

    buf = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return np.frombuffer(buf, dtype=np.float64).reshape(shape)


def jacobian(net, data, point: np.ndarray, *, want_jacobian: bool = True, stats: dict | None = None):
    """(H, J) in float64 for a layered network at a float point (canonical parameter order).

    ``stats``, if given, receives ``zero_preactivations``: how many hidden pre-activations are exactly 0.
    """
    X = np.array([[float(v) for v in row] for row in data.X]).T  # p × d
    Y = np.array([[float(v) for v in row] for row in data.Y])  # d × ℓ
    layers = split_flat(net.shapes, net.bias, point)
    sigma = net.activation
    s1 = vectorized(sigma, 1)
    Z, A = forward_pass(layers, vectorized(sigma, 0), X)
    if stats is not None:
        stats["zero_preactivations"] = int(sum(np.count_nonzero(Zk == 0) for Zk in Z[:-1]))
        if not sigma.smooth_decided()[0]:  # a float near a kink is undecided, never off it (symland.sigma.kinkhits)
            stats["breakpoint_preactivations"] = float_hits(sigma, Z[:-1])
    F = Z[-1]  # ℓ × d
    l, d = F.shape
    H = (F.T - Y).reshape(-1)  # row r = s·ℓ + c
    if not want_jacobian:
        return H, None
    S1 = [s1(Zk) for Zk in Z[:-1]]
    J = _fresh((d * l, point.size))
    for c in range(l):
        G = np.zeros((l, d))
        G[c] = 1.0
        Gs = [None] * len(layers)
        Gs[-1] = G
        for k in range(len(layers) - 1, 0, -1):
            Gs[k - 1] = S1[k - 1] * (layers[k][0].T @ Gs[k])
        rows = J[c::l]  # the rows of output c, one per data point (a view)
        pos = 0
        for k, (W, _) in enumerate(layers):
            r, cc = W.shape
            GT, AT = Gs[k].T.copy(), A[k].T.copy()
            for s in range(d):  # one contiguous outer product per data point (row of J)
                np.multiply.outer(GT[s], AT[s], out=rows[s, pos:pos + r * cc].reshape(r, cc))
            pos += r * cc
            if net.bias:
                rows[:, pos:pos + r] = -Gs[k].T
                pos += r
    return H, J


@dataclass(frozen=True)
class FloatRank:
    """Numerical rank of J_H from its singular values, with the tolerance and the gap that support it."""

    rank: int
    singular_values: np.ndarray
    tol: float
    method: str

    @property
    def gap(self) -> float:
        """σ_r / tol for the numerical rank r (how far the smallest kept singular value clears the tolerance)."""
        return float(self.singular_values[self.rank - 1] / self.tol) if self.rank else 0.0

    def hessian_spectrum(self) -> np.ndarray:
        """The nonzero eigenvalues of 2JᵀJ: 2σ_i²."""
        return 2 * self.singular_values[: self.rank] ** 2


#: BLAS threads for the Gram product, eigvalsh and SVD. Measured on the shared 2-core machine (load ~9, n ≈ 10⁶,
#: d = 100): J Jᵀ on 1 thread 1.6 s, on 2 threads 39 s (the second thread waits for a core the other agents hold).
BLAS_THREADS = 1


def blas_threads():
    """Limit BLAS to :data:`BLAS_THREADS` while in the block (threadpoolctl, installed with scipy); else no-op."""
    import contextlib

    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scipy
        return contextlib.nullcontext()
    return threadpool_limits(BLAS_THREADS, user_api="blas")


def float_rank(J: np.ndarray) -> FloatRank:
    """Singular values of J (m × n, m ≤ n): by the SVD when small, else from the Gram matrix J Jᵀ.

    The Gram route squares the condition number; when it cannot resolve σ_min (σ_min below √(mε)·σ_1)
    and J is not huge, the SVD of J itself is used.
    """
    with blas_threads():
        return _float_rank(J)


def _float_rank(J: np.ndarray) -> FloatRank:
    m, n = J.shape
    eps = np.finfo(float).eps
    if m * n <= 4_000_000:
        s = np.linalg.svd(J, compute_uv=False)
        how = "SVD of J_H"
        tol = max(m, n) * eps * (s[0] if s.size else 0.0)
    else:
        G = J @ J.T
        lam = np.linalg.eigvalsh(G)[::-1]
        s = np.sqrt(np.clip(lam, 0, None))
        how = "eigenvalues of J_H J_Hᵀ (σ_i²)"
        tol = np.sqrt(m * eps) * (s[0] if s.size else 0.0)
        if s.size and s[-1] <= 10 * tol and m * n <= 60_000_000:
            s = np.linalg.svd(J, compute_uv=False)
            how = "SVD of J_H (the Gram route could not resolve σ_min)"
            tol = max(m, n) * eps * s[0]
    r = int(np.sum(s > tol))
    return FloatRank(r, s, float(tol), how)

