"""When M is empty for a network without biases: the symmetry of σ forces values the data contradict.

Without biases, f(x) = W_K σ(… σ(W_1 x) …). Two facts hold for *every* parameter vector:

* σ(0) = 0 ⇒ f(0) = 0: a data point x_i = 0 with y_i ≠ 0 is never fitted;
* σ odd (σ(−t) = −σ(t)) ⇒ f(−x) = −f(x): two data points x_j = −x_i with y_j ≠ −y_i are never both fitted.

Either way no network of this shape interpolates the data: M = H⁻¹(0) is empty, whatever the widths. Both facts
are decided exactly (the data are rationals; σ's pieces by sympy); a σ whose symmetry sympy cannot decide gives no
reason (None), never a wrong one.

>>> from symland import Dataset, get_activation
>>> short, full = empty_without_biases(get_activation("tanh"), Dataset.from_rows([[1], [-1]], [1, 1]))
>>> short
'x_2 = −x_1 but y_2 ≠ −y_1; σ odd, no biases: f(−x) = −f(x)'
>>> full.split("; ")[1]
'but x_1 = (1) and x_2 = (-1) = −x_1 have y_1 = (1), y_2 = (1) ≠ −y_1'
>>> empty_without_biases(get_activation("tanh"), Dataset.from_rows([[1], [-1]], [1, -1])) is None
True
"""

from __future__ import annotations

import sympy as sp

from symland.sigma._decide import t

__all__ = ["empty_without_biases", "is_odd", "vanishes_at_zero"]


def _pieces(activation):
    """(negative, positive) when σ is given by two analytic pieces (no custom split, no piecewise positive part)."""
    if activation.split is not None or isinstance(activation.positive, sp.Piecewise):
        return None
    return activation.negative, activation.positive


def vanishes_at_zero(activation) -> bool:
    """σ(0) = 0, decided exactly (False when σ's pieces are not the two of Section 3.1)."""
    pieces = _pieces(activation)
    return pieces is not None and sp.simplify(pieces[0].subs(t, 0)) == 0


def is_odd(activation) -> bool:
    """σ(−t) = −σ(t) for all t: the negative piece at −t is minus the positive piece at t, and σ(0) = 0 (decided
    by sympy; False when it does not simplify to 0 — never a wrong True)."""
    pieces = _pieces(activation)
    if pieces is None or not vanishes_at_zero(activation):
        return False
    neg, pos = pieces
    try:
        return sp.simplify(neg.subs(t, -t) + pos) == 0
    except (TypeError, ValueError, NotImplementedError):  # pragma: no cover -- sympy gave up
        return False


def _show(row) -> str:
    return "(" + ", ".join(str(v) for v in row) + ")"


def empty_without_biases(activation, data) -> tuple[str, str] | None:
    """Why M is empty for every bias-free network with σ = ``activation`` on ``data`` (a symland Dataset) — (in
    short, in full) — or None when neither symmetry (σ(0) = 0, σ odd) contradicts the data."""
    X, Y = data.X, data.Y
    if vanishes_at_zero(activation):
        for i, (x, y) in enumerate(zip(X, Y), 1):
            if all(v == 0 for v in x) and any(v != 0 for v in y):
                return (f"x_{i} = 0 but y_{i} ≠ 0; σ(0) = 0, no biases: f(0) = 0",
                        f"σ = {activation.name} has σ(0) = 0 and the network has no biases, so f(0) = 0 for every "
                        f"parameter vector; but x_{i} = 0 has y_{i} = {_show(y)} ≠ 0")
    if is_odd(activation):
        index = {tuple(x): i for i, x in enumerate(X)}
        for i, x in enumerate(X):
            j = index.get(tuple(-v for v in x))
            if j is not None and j > i and any(a != -b for a, b in zip(Y[j], Y[i])):
                return (f"x_{j + 1} = −x_{i + 1} but y_{j + 1} ≠ −y_{i + 1}; σ odd, no biases: f(−x) = −f(x)",
                        f"σ = {activation.name} is odd and the network has no biases, so f(−x) = −f(x) for every "
                        f"parameter vector; but x_{i + 1} = {_show(x)} and x_{j + 1} = {_show(X[j])} = −x_{i + 1} "
                        f"have y_{i + 1} = {_show(Y[i])}, y_{j + 1} = {_show(Y[j])} ≠ −y_{i + 1}")
    return None
