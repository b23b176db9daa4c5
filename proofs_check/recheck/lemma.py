"""Re-checking the constructions of Lemma 3.3 and Corollary 3.4 from their witnesses.

Lemma 3.3: with a ∈ Qᵖ, the projections c_i = a·x_i (sorted by ``order``) strictly increase; c_0 < c_1; the
biases are the midpoints b_j = (c_{j−1} + c_j)/2; then A_ij = σ(c_i − b_j) is lower triangular (σ = 0 on t ≤ 0)
with diagonal σ((c_i − c_{i−1})/2), and m = A⁻¹y. Everything is recomputed here from a, x_i, b and σ; then A m = y
exactly, the parameters are those of the construction, and f(x_i) = y_i by a forward pass.

Corollary 3.4 (the corrected construction): the same for the values u_1 < … < u_d reaching the last hidden layer.
"""

from __future__ import annotations

from fractions import Fraction

from proofs_check.recheck.claims import Reject, setting
from proofs_check.recheck.exact import Num, parse
from proofs_check.recheck.net import BadWitness, build, residuals_and_jacobian
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.statements import FAILS, FITS

__all__ = ["construction"]

_HALF = Fraction(1, 2)


def _row(values, n: int, what: str) -> list[Num]:
    if not isinstance(values, (list, tuple)) or len(values) != n:
        raise BadWitness(f"{what} must hold {n} values")
    return [parse(v) for v in values]


def _sorted_values(claim: str, w: dict, X: list, T: int, checked: list):
    d, p = len(X), len(X[0])
    a = _row(w["a"], p, "a")
    if not all(v.is_rational() for v in a):
        raise BadWitness("a must be rational")
    order = w["order"]
    if not isinstance(order, (list, tuple)) or sorted(order) != list(range(1, d + 1)):
        raise BadWitness(f"order must be a permutation of 1..{d}, got {order!r}")
    proj = [sum((ak * xk.rational() for ak, xk in zip(a, x)), Num()) for x in X]
    if claim == "lem-3.3" or T == 1:
        vals = [proj[o - 1] for o in order]
        recorded = w.get("projections", w.get("values"))
        if recorded is None or _row(recorded, d, "projections") != vals:
            raise Reject("the recorded projections are not a·x_i in the given order")
    else:
        vals = _row(w["values"], d, "values")
    if any((vals[i + 1] - vals[i]).sign() <= 0 for i in range(d - 1)):
        raise Reject("the values c_i in the given order are not strictly increasing")
    checked.append(f"the {d} values c_i (a·x_i{' ' if T == 1 else ' carried to the last hidden layer, '}"
                   "in the given order) are distinct and increasing")
    return a, order, vals


def _biases(w: dict, vals: list, d: int, checked: list) -> list[Num]:
    b = _row(w["b"], d, "b")
    prev = [None] + vals[:-1]
    if "x0_projection" in w:
        c0 = parse(w["x0_projection"])
        if (vals[0] - c0).sign() <= 0:
            raise Reject("a·x₀ is not below a·x₁")
        prev[0] = c0
    for j in range(d):
        if prev[j] is not None and b[j] != (prev[j] + vals[j]) * _HALF:
            raise Reject(f"b_{j + 1} is not the midpoint (c_{j} + c_{j + 1})/2")
    checked.append("the biases are the midpoints b_j = (c_(j−1) + c_j)/2")
    return b


def _layered_params(w: dict, a, b, m, d: int, widths: list, params: dict) -> None:
    """The parameters are those of the construction (extra hidden units and the output bias zero)."""
    T, zero = len(widths) - 2, Num()
    want = {f"b{T + 1}_0": zero}
    for j in range(widths[-2]):
        want[f"b{T}_{j}"] = b[j] if j < d else zero
        want[f"W{T + 1}_0_{j}"] = m[j] if j < d else zero
        for k in range(widths[-3]):
            target = (a[k] if T == 1 else Num.of(int(k == 0))) if j < d else zero
            want[f"W{T}_{j}_{k}"] = target
    for name, value in want.items():
        if params[name] != value:
            raise Reject(f"parameter {name} = {params[name]} is not the construction's {value}")


def construction(claim: str, w: dict, needs: frozenset, checked: list) -> set:
    """Lemma 3.3 / Corollary 3.4: recompute the construction — the fact ``FITS`` (A lower triangular with nonzero
    diagonal, A m = y, the parameters the construction's, f(x_i) = y_i) or ``FAILS`` (A defective, or f(x_i) ≠ y_i
    at the recorded parameters)."""
    inst = w["instance"]
    net, X, Y = build(inst)
    widths = inst.get("widths")
    if not isinstance(widths, list) or len(widths) < 3 or len(net.outputs) != 1:
        raise BadWitness("the construction needs a layered network with a hidden layer and ℓ = 1")
    if claim == "lem-3.3" and (len(widths) != 3 or w.get("widths", widths) != widths):
        raise BadWitness("Lemma 3.3 is about one hidden layer, as recorded in the witness")
    sigma, d, T = sigma_for(inst), len(X), len(widths) - 2
    a, order, vals = _sorted_values(claim, w, X, T, checked)
    b = _biases(w, vals, d, checked)
    A = [[sigma.value(vals[i] - b[j]) for j in range(d)] for i in range(d)]
    recorded = w["A"]
    if not isinstance(recorded, (list, tuple)) or len(recorded) != d or [_row(r, d, "A") for r in recorded] != A:
        raise Reject("the recorded A is not σ(c_i − b_j) recomputed")
    above = [(i + 1, j + 1) for i in range(d) for j in range(i + 1, d) if not A[i][j].is_zero()]
    zero_diag = [i + 1 for i in range(d) if A[i][i].is_zero()]
    if above or zero_diag:
        what = f"nonzero above the diagonal at {above}" if above else f"zero diagonal at {zero_diag}"
        checked.append(f"A recomputed: {what}, so the construction fails")
        return {FAILS}
    checked.append(f"A ({d}×{d}) recomputed: lower triangular, diagonal nonzero")
    net, sigma, X, Y, params = setting(w, "params")
    H, _ = residuals_and_jacobian(net, sigma, X, Y, params)
    recorded = w.get("residuals")
    if recorded is not None and [parse(v) for v in recorded] != H:
        raise Reject("the recorded residuals are not f(x_i) − y_i recomputed")
    bad = [r + 1 for r, v in enumerate(H) if not v.is_zero()]
    if bad:
        checked.append(f"f(x_i) ≠ y_i recomputed at rows {bad} (forward pass from the parameters)")
        return {FAILS}
    m = _row(w["m"], d, "m")
    y = [Y[o - 1][0] for o in order]
    for i in range(d):
        if sum((A[i][j] * m[j] for j in range(d)), Num()) != y[i]:
            raise Reject(f"A m ≠ y in row {i + 1}")
    checked.append("A m = y exactly")
    _layered_params(w, a, b, m, d, widths, params)
    checked.append("the parameters are those of the construction (a, b, m)")
    checked.append(f"f(x_i) = y_i exactly for all {d} points (forward pass from the parameters)")
    return {FITS}
