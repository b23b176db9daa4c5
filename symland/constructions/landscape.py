"""Points on M: the explicit interpolating networks of Lemma 3.3 and Corollary 3.4.

Lemma 3.3 (one hidden layer, width h ≥ d). Choose a ∈ Qᵖ with the projections a·x_i distinct; sort
them, c_1 < … < c_d; put c_0 = c_1 − 1 (the paper's x_0 with a·x_0 = a·x_1 − 1) and the midpoint
biases b_j = (c_{j−1} + c_j)/2. Then A_ij = σ(c_i − b_j) vanishes for j > i (σ is 0 on t ≤ 0) and
A_ii = σ((c_i − c_{i−1})/2), so A is lower triangular; when its diagonal is nonzero,
m = A⁻¹y by forward substitution and f(x) = Σ_j m_j σ(a·x − b_j) interpolates the data.

Corollary 3.4 (T ≥ 2 hidden layers, last of width ≥ d). The paper's matrices M_j, "1 in the top
left entry and 0 in all the others", pass the signal only to the *first* unit of layer T, so the d
units of the last hidden layer are never fed. We use instead, for the last hidden layer, the
matrix whose first column has d ones (every used unit reads unit 1 of layer T − 1), with the
midpoint biases of the values u_i reaching it. The values stay distinct because σ is strictly
increasing on (0, ∞) — a hypothesis the paper's proof uses without stating it (a rectified σ is
only non-decreasing there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from flint import fmpq, fmpq_mat

from symland.errors import NotRepresentableError, ShapeError
from symland.networks.network import MLP, mlp

__all__ = ["Interpolant", "choose_projection", "lemma_3_3", "corollary_3_4", "interpolate"]


@dataclass(frozen=True)
class Interpolant:
    """The constructed network and every intermediate quantity of the proof, exact."""

    network: MLP
    params: list  # flat, canonical order, values of `kind`
    kind: object
    a: tuple  # the projection vector a ∈ Qᵖ
    order: tuple  # order[i] = data row (0-based) of the i-th smallest projection
    values: list  # c_1 < … < c_d (or u_1 < … < u_d when deep), sorted
    c0: object  # c_0 = c_1 − 1
    biases: list  # b_1 … b_d
    A: list  # d × d, A_ij = σ(c_i − b_j), sorted order
    m: list  # A⁻¹ y (y in sorted order), for the first output
    lower_triangular: bool
    diagonal_nonzero: bool
    notes: tuple = field(default=())
    ms: tuple = ()  # A⁻¹ y^(c) for every output c (Remark 4.2); ms[0] == m

    def named_params(self) -> dict:
        """{parameter name: value} for the constructed point."""
        return dict(zip(self.network.param_names(), self.params))

    def __repr__(self) -> str:
        return (f"Interpolant(widths={tuple(self.network.widths)}, activation={self.network.activation.name!r}, "
                f"a={[str(v) for v in self.a]}, order={list(self.order)}, kind={type(self.kind).__name__}, "
                f"lower_triangular={self.lower_triangular}, diagonal_nonzero={self.diagonal_nonzero})")


def choose_projection(X, *, scale=1) -> tuple:
    """A vector a = scale·(1, s, s², …, s^{p−1}), the first s = 0, 1, 2, … making a·x_i distinct.

    Each pair x_i ≠ x_j excludes at most p − 1 values of s (roots of a nonzero polynomial), so the
    search stops after at most (p − 1)·d(d − 1)/2 + 1 tries.
    """
    p = len(X[0])
    for s in count():
        a = tuple(fmpq(scale) * fmpq(s) ** k for k in range(p))
        proj = [sum((ai * xi for ai, xi in zip(a, x)), fmpq(0)) for x in X]
        if len(set(proj)) == len(proj):
            return a


def _triangular_matrix(kind, sigma, values, d, gap=1):
    """Midpoint biases, the matrix A of (3.2), and its two exact properties (c_0 = c_1 − gap)."""
    c0 = values[0] - kind.const(gap)
    prev = [c0] + values[:-1]
    half = kind.const(fmpq(1, 2))
    biases = [(u + v) * half for u, v in zip(prev, values)]
    A = [[kind.act(sigma, values[i] - biases[j], 0) for j in range(d)] for i in range(d)]
    lower = all(kind.is_zero(A[i][j]) for i in range(d) for j in range(i + 1, d))
    diag_ok = all(kind.nonzero(A[i][i]) for i in range(d))
    return c0, biases, A, lower, diag_ok


def _forward_substitute(kind, A, y):
    """m with A m = y for a lower triangular A with nonzero diagonal."""
    if kind.name == "exact" and len(A) > 16:  # flint's solver clears denominators once (d = 200: 8 s → <1 s)
        return [row[0] for row in fmpq_mat(A).solve(fmpq_mat([[kind.const(v)] for v in y])).tolist()]
    m = []
    for i, yi in enumerate(y):
        acc = kind.const(yi)
        for j in range(i):
            acc = acc - A[i][j] * m[j]
        m.append(acc / A[i][i])
    return m


def _sorted_order(kind, values):
    """Indices sorting `values` increasingly, by exact sign decisions; None if two are equal."""
    idx = list(range(len(values)))
    from functools import cmp_to_key

    idx.sort(key=cmp_to_key(lambda i, j: kind.sign(values[i] - values[j])))
    if any(kind.is_zero(values[idx[t]] - values[idx[t + 1]]) for t in range(len(idx) - 1)):
        return None
    return idx


def interpolate(data, widths, activation, kind, *, a=None, gap=1) -> Interpolant:
    """Lemma 3.3 when widths has one hidden layer, Corollary 3.4 (corrected) when deeper.

    With ℓ > 1 outputs (Remark 4.2) the hidden layers are shared: A does not depend on the labels,
    so output c gets the weights A⁻¹y^(c). (The paper uses ℓ copies of the network; sharing the
    hidden layer needs fewer units and gives the same rank ℓd: the output-weight columns of J_H
    form ℓ diagonal blocks equal to A.) ``gap`` is a·x₁ − a·x₀, 1 in the paper.
    """
    from symland.sigma.activations import get_activation

    sigma = get_activation(activation) if isinstance(activation, str) else activation
    widths = tuple(widths)
    d, p = data.d, data.p
    if widths[0] != p:
        raise ShapeError(f"widths start with {widths[0]} but the data have p = {p} inputs")
    if widths[-1] != data.l:
        raise ShapeError(f"widths end with {widths[-1]} outputs but the data have ℓ = {data.l}")
    if widths[-2] < d:
        raise ShapeError(f"the last hidden layer has width {widths[-2]} < d = {d}")
    data.require_distinct()
    a = tuple(fmpq(v) for v in a) if a is not None else choose_projection(data.X)
    net = mlp(widths, sigma)
    proj = [kind.const(sum((ai * xi for ai, xi in zip(a, x)), fmpq(0))) for x in data.X]
    layers = [([[kind.const(0)] * c for _ in range(r)], [kind.const(0)] * r) for r, c in net.shapes]
    T = len(widths) - 2
    notes = []
    if T == 1:
        reach = proj
    else:
        W1, b1 = layers[0]
        W1[0] = [kind.const(v) for v in a]
        low = proj[_sorted_order_any(kind, proj)[0]]
        b1[0] = low - kind.const(1)
        reach = [v - b1[0] for v in proj]
        for k in range(1, T):
            reach = [kind.act(sigma, v, 0) for v in reach]
            if k < T - 1:
                layers[k][0][0][0] = kind.const(1)
        notes.append(
            "Corollary 3.4 as corrected: the last hidden layer reads unit 1 of layer T−1 in its "
            "first d units (the paper's top-left-only M_T would leave them unfed)"
        )
    order = _sorted_order(kind, reach)
    if order is None:
        raise NotRepresentableError(
            "two inputs reach the last hidden layer with equal values (σ not strictly increasing?)"
        )
    values = [reach[i] for i in order]
    c0, biases, A, lower, diag_ok = _triangular_matrix(kind, sigma, values, d, gap)
    ms = [_forward_substitute(kind, A, [data.Y[i][c] for i in order]) if lower and diag_ok else []
          for c in range(data.l)]
    m = ms[0]
    W, b = layers[T - 1]
    for j in range(d):
        if T == 1:
            W[j] = [kind.const(v) for v in a]
        else:
            W[j][0] = kind.const(1)
        b[j] = biases[j]
    for c, mc in enumerate(ms):
        if mc:
            layers[T][0][c][:d] = mc
    return Interpolant(net, MLP.join(layers), kind, a, tuple(order), values, c0, biases, A, m,
                       lower, diag_ok, tuple(notes), tuple(ms))


def _sorted_order_any(kind, values):
    """Like _sorted_order but tolerating ties (used to find the minimum)."""
    from functools import cmp_to_key

    return sorted(range(len(values)), key=cmp_to_key(lambda i, j: kind.sign(values[i] - values[j])))


def lemma_3_3(data, activation, kind, *, hidden=None, a=None) -> Interpolant:
    """The one-hidden-layer network of Lemma 3.3 (width `hidden` ≥ d, extra units zero)."""
    return interpolate(data, (data.p, hidden or data.d, 1), activation, kind, a=a)


def corollary_3_4(data, widths, activation, kind, *, a=None) -> Interpolant:
    """The deep network of Corollary 3.4 (corrected construction), widths (p, h_1, …, h_T, 1)."""
    return interpolate(data, widths, activation, kind, a=a)
