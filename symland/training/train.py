"""A small float64 trainer: Levenberg–Marquardt on the residual map H, so that no framework is needed.

For ``mlp(widths, σ)`` and data {(x_s, y_s)}, training minimises L = Σ_r H_r² with H = (f(x_s)_c − y_sc),
r = s·ℓ + c (the paper's H of Theorem 2.1). One Levenberg–Marquardt step solves

    (J Jᵀ + λI) u = H,   δ = −Jᵀ u          (the d × d "dual" form, used when n > dℓ)
    (Jᵀ J + λI) δ = −Jᵀ H                   (the n × n form, used when n ≤ dℓ)

Both are the same step δ = −(JᵀJ + λI)⁻¹JᵀH. In the dual form J is never built: with the forward
activations A_k (A_0 = X, one column per point) and the backward signals G_k^c = ∂f_c/∂Z_k of output c,
the row (s, c) of J restricted to layer k is G_k^c[:, s] ⊗ (A_{k−1}[:, s], 1), so

    (J Jᵀ)[(s, c), (s', c')] = Σ_k (G_k^c[:, s]·G_k^{c'}[:, s']) (A_{k−1}[:, s]·A_{k−1}[:, s'] + 1),
    δW_k = −Σ_c G_k^c diag(u^c) A_{k−1}ᵀ,   δb_k = −Σ_c G_k^c u^c,

which costs O(d²·Σh_k) per step instead of the O(d²·n) of forming J Jᵀ (n ≈ p·h: 64 times more on digits).
The passes and J Jᵀ are :mod:`symland.networks.gram`'s (the same code gives ``symland certify`` its spectrum); the
n × n form takes J from :func:`symland.networks.floating.jacobian`. λ follows Nielsen's rule (shrink by
max(1/3, 1 − (2ρ − 1)³) on a step with gain ratio ρ > 0, else grow by ν, doubling ν).

Weights are stored as PyTorch/Flax do, f = W x **+** b (W of shape (out, in)); :meth:`TrainResult.point` gives
symland's canonical vector, whose convention is W x **−** b. Initialisation is deterministic from ``seed``:
hidden rows Gaussian, rescaled so that each unit's pre-activation has mean 0 and variance 1 over the data
(so raw inputs such as pixel values 0…16 need no preprocessing); output layer by linear least squares on
the last hidden features (H is affine in it: on a net of width h + 1 ≥ d that alone nearly interpolates, and
LM only polishes). Everything is float64: a trained model is a *float* point, never on M exactly —
``symland certify`` finds the certified point of M next to it.

>>> from symland.io.data import Dataset
>>> data = Dataset.from_rows([[0], [1], [2]], [1, 0, 2])
>>> res = train(data, (1, 4, 1), "tanh", seed=0)
>>> res.converged, res.loss < 1e-20, [W.shape for W, _ in res.layers]
(True, True, [(4, 1), (1, 4)])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from symland.errors import InputError, ShapeError, TooLargeError
from symland.networks.floating import jacobian as float_jacobian, split_flat, vectorized
from symland.networks.gram import gram_matrix, jt_vector, one_sided_derivative, sensitivities
from symland.networks.network import mlp
from symland.sigma.activations import Activation, get_activation

__all__ = ["TrainResult", "train", "save_npz", "forward", "MAX_FLOATS"]

#: Refuse a training run that would hold more float64 numbers than this at once (about 1.6 GB).
MAX_FLOATS = 2 * 10**8


@dataclass(frozen=True)
class TrainResult:
    """A trained network: ``layers`` [(W_k (out × in), b_k)] with f = W x + b, float64, and how training went."""

    widths: tuple[int, ...]
    activation: str
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]
    loss_history: tuple[float, ...]
    steps: int
    seconds: float
    converged: bool
    reason: str
    seed: int
    bias: bool = True
    method: str = ""

    @property
    def loss(self) -> float:
        """The final L = Σ H_r² (float64)."""
        return self.loss_history[-1]

    @property
    def n(self) -> int:
        """Number of parameters (biases included when ``bias``)."""
        return sum(W.size + (b.size if self.bias else 0) for W, b in self.layers)

    def point(self) -> np.ndarray:
        """symland's canonical parameter vector (W row-major then b per layer) in its convention W x − b."""
        return np.concatenate([np.concatenate([W.ravel(), -b]) for W, b in self.layers])

    def residuals(self, data) -> np.ndarray:
        """H = (f(x_s)_c − y_sc), r = s·ℓ + c, evaluated in float64 with the stored (+b) weights."""
        X, Y = _arrays(data)
        return (forward(self.layers, get_activation(self.activation), X)[-1].T - Y).reshape(-1)


def _arrays(data) -> tuple[np.ndarray, np.ndarray]:
    """(X as p × d, Y as d × ℓ) float64 from a Dataset (rationals rounded to nearest) or an (X, Y) pair."""
    if isinstance(data, tuple):
        X, Y = (np.asarray(a, dtype=float) for a in data)
        Y = Y.reshape(len(Y), -1)
        return X.T.copy(), Y
    X = np.array([[float(v) for v in row] for row in data.X]).T
    Y = np.array([[float(v) for v in row] for row in data.Y])
    return X, Y


def forward(layers, sigma: Activation, X: np.ndarray) -> list[np.ndarray]:
    """Pre-activations Z_1 … Z_K (one column per point) of f = W x + b; σ between layers, none at the output."""
    s0 = vectorized(sigma, 0)
    Z, A = [], X
    for k, (W, b) in enumerate(layers):
        Z.append(W @ A + b[:, None])
        if k < len(layers) - 1:
            A = s0(Z[-1])
    return Z


class _Net:
    """Flat parameter vector θ (W_k row-major, then b_k, per layer; +b) ↔ layers; the passes of one LM step."""

    def __init__(self, widths, sigma, X, Y, bias):
        self.widths, self.sigma, self.X, self.Y, self.bias = widths, sigma, X, Y, bias
        self.shapes = [(widths[k + 1], widths[k]) for k in range(len(widths) - 1)]

    def layers(self, theta):
        return split_flat(self.shapes, self.bias, theta)

    def flat(self, layers):
        return np.concatenate([np.concatenate([W.ravel(), b]) if self.bias else W.ravel() for W, b in layers])

    def residual(self, theta):
        Z = forward(self.layers(theta), self.sigma, self.X)
        return (Z[-1].T - self.Y).reshape(-1)

    def passes(self, theta):
        """(H, A_0 … A_{K−1}, G[c][k]) at θ, by :func:`symland.networks.gram.sensitivities` (its convention is −b)."""
        layers = [(W, -b) for W, b in self.layers(theta)]
        Z, A, G = sensitivities(layers, self.sigma, self.X, derivative=lambda z: one_sided_derivative(self.sigma, z))
        return (Z[-1].T - self.Y).reshape(-1), A, G

    def gram(self, A, G):
        """J Jᵀ (dℓ × dℓ) from the passes, without J (:func:`symland.networks.gram.gram_matrix`)."""
        return gram_matrix(A, G, bias=self.bias)

    def jt(self, A, G, u):
        """Jᵀ u as a flat θ-vector (+b: the bias block with a plus sign)."""
        return jt_vector(A, G, u, bias=self.bias, bias_sign=1.0)

    def jacobian(self, theta, data):
        """J (dℓ × n) from symland.networks.floating (its convention −b: the bias columns change sign here)."""
        layers = self.layers(theta)
        net = mlp(self.widths, self.sigma)
        _, J = float_jacobian(net, data, np.concatenate([np.concatenate([W.ravel(), -b]) for W, b in layers]))
        keep, pos = [], 0
        for r, c in self.shapes:
            keep.append(np.arange(pos, pos + r * c))
            J[:, pos + r * c:pos + r * c + r] *= -1
            if self.bias:
                keep.append(np.arange(pos + r * c, pos + r * c + r))
            pos += r * c + r
        return J[:, np.concatenate(keep)]


def _init(net: _Net, rng: np.random.Generator) -> np.ndarray:
    """Hidden rows Gaussian, each unit standardised over the data (mean 0, variance 1); output layer least squares."""
    layers, A = [], net.X
    s0 = vectorized(net.sigma, 0)
    for k, (r, c) in enumerate(net.shapes):
        if k == len(net.shapes) - 1:  # the output layer: least squares on the features (H is affine in it)
            F = np.vstack([A, np.ones((1, A.shape[1]))]) if net.bias else A
            with np.errstate(all="ignore"):
                sol = np.linalg.lstsq(F.T, net.Y, rcond=None)[0]
            if not np.all(np.isfinite(sol)):
                sol = np.zeros_like(sol)
            layers.append((sol[:c].T.copy(), sol[c].copy() if net.bias else np.zeros(r)))
            break
        W = rng.standard_normal((r, c))
        Z = W @ A
        mean, std = Z.mean(axis=1), Z.std(axis=1)
        std[std == 0] = 1.0
        W = W / std[:, None]
        b = -mean / std + (0.1 * rng.standard_normal(r) if net.bias else 0.0)
        b = b if net.bias else np.zeros(r)
        layers.append((W, b))
        A = s0(W @ A + b[:, None])
    return net.flat(layers)


def _check(widths: Sequence[int], X: np.ndarray, Y: np.ndarray, bias: bool) -> None:
    """Widths against the data, finiteness, and the memory a run would hold (the dual Gram, the G_k, J)."""
    p, d = X.shape
    if widths[0] != p:
        raise ShapeError(f"widths start with {widths[0]} but the data have p = {p} inputs")
    if widths[-1] != Y.shape[1]:
        raise ShapeError(f"widths end with {widths[-1]} but the data have ℓ = {Y.shape[1]} outputs")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(Y))):
        raise InputError("the data do not fit in float64 (an entry overflows)")
    m = d * widths[-1]
    n = sum(widths[k + 1] * widths[k] + (widths[k + 1] if bias else 0) for k in range(len(widths) - 1))
    held = sum(w * m for w in widths[1:]) * widths[-1] + min(m, n) ** 2 + (m * n if n <= m else 0)
    if held > MAX_FLOATS:
        raise TooLargeError(f"training widths {','.join(map(str, widths))} on d = {d} points would hold "
                            f"~{held / 1.25e8:.1f} GB of float64; use fewer points or narrower layers")


def train(data, widths: Sequence[int], activation: Activation | str = "tanh", *, seed: int = 0, steps: int = 200,
          tol: float = 1e-22, bias: bool = True, timeout: float | None = None,
          progress: Callable[[int, float, float], None] | None = None) -> TrainResult:
    """Train ``mlp(widths, σ)`` on ``data`` by Levenberg–Marquardt until L < ``tol``.

    Args:
        data: a :class:`~symland.io.data.Dataset` (rationals are rounded to float64) or an (X, Y) pair of arrays.
        widths: p, h_1, …, h_T, ℓ.
        activation: an Activation or its name; its float evaluator (:func:`symland.networks.floating.vectorized`) is
        used.
        seed: the whole run is a deterministic function of the seed.
        steps: at most this many LM steps (accepted or not).
        tol: stop once L = Σ H_r² < tol.
        bias: False trains a network without biases (they stay 0 and are not counted in n).
        timeout: stop (converged False) once this many seconds have passed; checked between steps.
        progress: called as progress(step, loss, λ) after each step.

    Returns:
        a :class:`TrainResult`; ``converged`` says whether L < tol was reached, ``reason`` why training stopped.

    Raises:
        ShapeError: widths that do not match the data. TooLargeError: a run that would not fit in memory.
    """
    sigma = get_activation(activation) if isinstance(activation, str) else activation
    widths = tuple(int(w) for w in widths)
    mlp(widths, sigma)  # validates the widths
    X, Y = _arrays(data)
    _check(widths, X, Y, bias)
    start = time.perf_counter()
    net = _Net(widths, sigma, X, Y, bias)
    theta = _init(net, np.random.default_rng(seed))
    n, m = theta.size, Y.size
    dual = n > m
    H = net.residual(theta)
    loss = float(H @ H)
    history, lam, nu, step, reason = [loss], None, 2.0, 0, f"{steps} steps done"
    while step < steps:
        if loss < tol:
            reason = f"L < {tol:g}"
            break
        if timeout is not None and time.perf_counter() - start > timeout:
            reason = f"timeout after {timeout:g} s"
            break
        step += 1
        if dual:
            H, A, G = net.passes(theta)
            M, rhs = net.gram(A, G), H
        else:
            J = net.jacobian(theta, data if not isinstance(data, tuple) else _dataset(X, Y))
            M, rhs = J.T @ J, -(J.T @ H)
        if lam is None:
            lam = 1e-3 * float(np.max(np.diag(M)) or 1.0)
        while True:
            try:
                v = np.linalg.solve(M + lam * np.eye(len(M)), rhs)
            except np.linalg.LinAlgError:
                v = None
            if v is not None and np.all(np.isfinite(v)):
                delta = -net.jt(A, G, v) if dual else v
                predicted = H - M @ v if dual else H + J @ v
                new = theta + delta
                Hn = net.residual(new)
                new_loss = float(Hn @ Hn)
                gain = loss - new_loss
                expected = loss - float(predicted @ predicted)
                rho = gain / expected if expected > 0 else (1.0 if gain > 0 else -1.0)
            else:
                rho, new_loss = -1.0, np.inf
            if rho > 0 and np.isfinite(new_loss):
                theta, H, loss = new, Hn, new_loss
                lam *= max(1 / 3, 1 - (2 * rho - 1) ** 3)
                nu = 2.0
                break
            lam *= nu
            nu *= 2
            if not np.isfinite(lam) or lam > 1e300:
                break
        history.append(loss)
        if progress is not None:
            progress(step, loss, lam)
        if not np.isfinite(lam) or lam > 1e300:
            reason = "no step lowers the loss (λ overflowed): a float64 floor or a stationary point"
            break
    else:
        if loss < tol:
            reason = f"L < {tol:g}"
    converged = loss < tol
    layers = tuple((W.copy(), b.copy()) for W, b in net.layers(theta))
    return TrainResult(widths, sigma.name, layers, tuple(history), step, time.perf_counter() - start, converged,
                       reason, seed, bias, "LM, dual (J Jᵀ + λI) form" if dual else "LM, (JᵀJ + λI) form")


def _dataset(X: np.ndarray, Y: np.ndarray):
    from symland.io.data import Dataset

    return Dataset.from_rows([[float(v) for v in col] for col in X.T], [[float(v) for v in r] for r in Y])


def save_npz(result: TrainResult, path) -> None:
    """Write ``W1, b1, W2, b2, …`` (W_k of shape (out, in), f = W x + b, float64) and ``activation`` (0-d str).

    No pickle is needed to read it back: ``np.load(path, allow_pickle=False)``. Without biases the b_k are
    omitted. Raises InputError when the file cannot be written.
    """
    arrays = {}
    for k, (W, b) in enumerate(result.layers, start=1):
        arrays[f"W{k}"] = np.asarray(W, dtype=np.float64)
        if result.bias:
            arrays[f"b{k}"] = np.asarray(b, dtype=np.float64)
    arrays["activation"] = np.array(result.activation)
    try:
        with open(path, "wb") as fh:  # a handle: np.savez would append ".npz" to a bare name
            np.savez(fh, **arrays)
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None
