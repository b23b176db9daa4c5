"""Re-checking the constructions of Lemma 3.3 and Corollary 3.4 from their witnesses.

Lemma 3.3: with a ∈ Qᵖ, the projections c_i = a·x_i (sorted by ``order``) strictly increase; c_0 < c_1; the
biases are the midpoints b_j = (c_{j−1} + c_j)/2; then A_ij = σ(c_i − b_j) is lower triangular (σ = 0 on t ≤ 0)
with diagonal σ((c_i − c_{i−1})/2), and m = A⁻¹y. Everything is recomputed here from a, x_i, b and σ; then A m = y
exactly, the parameters are those of the construction, and f(x_i) = y_i by a forward pass.

Corollary 3.4 (the corrected construction): the same for the values u_1 < … < u_d reaching the last hidden layer.
"""

from __future__ import annotations

from fractions import Fraction

from proofs_check.recheck.exact import Num, parse
from proofs_check.recheck.net import BadWitness, build, residuals_and_jacobian
from proofs_check.recheck.setting import distinct_inputs, setting
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.statements import FAILS, FITS, Reject

__all__ = ["construction"]

_HALF = Fraction(1, 2)


def _row(values, n: int, what: str) -> list[Num]:
    if not isinstance(values, (list, tuple)) or len(values) != n:
        raise BadWitness(f"{what} must hold {n} values")
    return [parse(v) for v in values]


def _sorted_values(claim: str, w: dict, X: list, T: int, sigma, checked: list):
    """a, the order and the values c_i reaching the last hidden layer — recomputed from a and the data (for T > 1
    through b1_0 = min a·x − 1 and σ^(T−1)), never read from the witness; the recorded ones must agree."""
    d, p = len(X), len(X[0])
    a = _row(w["a"], p, "a")
    if not all(v.is_rational() for v in a):
        raise BadWitness("a must be rational")
    order = w["order"]
    if not isinstance(order, (list, tuple)) or sorted(order) != list(range(1, d + 1)):
        raise BadWitness(f"order must be a permutation of 1..{d}, got {order!r}")
    proj = [sum((ak * xk.rational() for ak, xk in zip(a, x)), Num()) for x in X]
    first = None
    reach = proj
    if T > 1:
        first = Num.of(min(v.rational() for v in proj)) - Num.of(1)  # b1_0: every a·x_i − b1_0 ≥ 1
        reach = [v - first for v in proj]
        for _ in range(1, T):
            reach = [sigma.value(v) for v in reach]
    vals = [reach[o - 1] for o in order]
    key = "projections" if claim == "lem-3.3" else "values"
    if _row(w[key], d, key) != vals:
        raise Reject(f"the recorded {key} are not the values recomputed from a and the data in the given order")
    if any((vals[i + 1] - vals[i]).sign() <= 0 for i in range(d - 1)):
        raise Reject("the values c_i in the given order are not strictly increasing")
    checked.append(f"the {d} values c_i (a·x_i{' ' if T == 1 else ' carried to the last hidden layer, '}"
                   "recomputed, in the given order) are distinct and increasing")
    return a, first, vals


def _biases(claim: str, w: dict, vals: list, d: int, checked: list) -> list[Num]:
    """b_j = (c_(j−1) + c_j)/2 for every j, b_1 included: c_0 = a·x₀ (Lemma 3.3, recorded, must be < c_1) or
    c_1 − 1 (Corollary 3.4)."""
    b = _row(w["b"], d, "b")
    if claim == "lem-3.3":  # a·x₀ for the paper's x₀ (required by the format): any value below c_1
        c0 = parse(w["x0_projection"])
        if not c0.is_rational() or (vals[0] - c0).sign() <= 0:
            raise Reject("the recorded a·x₀ is not a rational below a·x₁")
        where = "c_0 = a·x₀ as recorded, < c_1"
    else:  # Corollary 3.4: c_0 = u_1 − 1, fixed by the construction
        c0, where = vals[0] - Num.of(1), "c_0 = c_1 − 1"
    prev = [c0] + vals[:-1]
    for j in range(d):
        if b[j] != (prev[j] + vals[j]) * _HALF:
            raise Reject(f"b_{j + 1} is not the midpoint (c_{j} + c_{j + 1})/2 ({where})")
    checked.append(f"the biases are the midpoints b_j = (c_(j−1) + c_j)/2, {where}: all {d} recomputed")
    return b


def _layered_params(net, a, first, b, m, d: int, widths: list, params: dict) -> None:
    """Every parameter is the construction's (the first T − 1 layers carry a·x − b1_0 in unit 1; extra units, the
    other weights and the output bias zero)."""
    T, zero, one = len(widths) - 2, Num(), Num.of(1)
    want = {name: zero for name in net.names}
    if T > 1:
        want.update({f"W1_0_{k}": a[k] for k in range(widths[0])})
        want["b1_0"] = first
        want.update({f"W{k}_0_0": one for k in range(2, T)})
    for j in range(min(d, widths[-2])):
        want[f"b{T}_{j}"] = b[j]
        want[f"W{T + 1}_0_{j}"] = m[j]
        for k in range(widths[-3]):
            want[f"W{T}_{j}_{k}"] = a[k] if T == 1 else (one if k == 0 else zero)
    for name, value in want.items():
        if params[name] != value:
            raise Reject(f"parameter {name} = {params[name]} is not the construction's {value}")


def construction_setting(claim: str, w: dict) -> tuple:
    """(net, X, Y, widths, σ, d, T) of a construction witness (exact or ball): a layered network with a hidden
    layer and one output; Lemma 3.3's with one hidden layer, as recorded."""
    inst = w["instance"]
    net, X, Y = build(inst)
    widths = inst.get("widths")
    if not isinstance(widths, list) or len(widths) < 3 or len(net.outputs) != 1:
        raise BadWitness("the construction needs a layered network with a hidden layer and ℓ = 1")
    if claim == "lem-3.3" and (len(widths) != 3 or w["widths"] != widths):
        raise BadWitness("Lemma 3.3 is about one hidden layer, as recorded in the witness")
    return net, X, Y, widths, sigma_for(inst), len(X), len(widths) - 2


def construction(claim: str, w: dict, needs: frozenset, checked: list) -> set:
    """Lemma 3.3 / Corollary 3.4: recompute the construction — the fact ``FITS`` (A lower triangular with nonzero
    diagonal, A m = y, the parameters the construction's, f(x_i) = y_i) or ``FAILS`` (A defective, or f(x_i) ≠ y_i
    at the recorded parameters)."""
    inst = w["instance"]
    net, X, Y, widths, sigma, d, T = construction_setting(claim, w)
    a, first, vals = _sorted_values(claim, w, X, T, sigma, checked)
    b = _biases(claim, w, vals, d, checked)
    A = [[sigma.value(vals[i] - b[j]) for j in range(d)] for i in range(d)]
    recorded = w["A"]
    if not isinstance(recorded, (list, tuple)) or len(recorded) != d or [_row(r, d, "A") for r in recorded] != A:
        raise Reject("the recorded A is not σ(c_i − b_j) recomputed")
    above = [(i + 1, j + 1) for i in range(d) for j in range(i + 1, d) if not A[i][j].is_zero()]
    zero_diag = [i + 1 for i in range(d) if A[i][i].is_zero()]
    net, sigma, X, Y, params = setting(w, "params")
    if above or zero_diag:
        what = f"nonzero above the diagonal at {above}" if above else f"zero diagonal at {zero_diag}"
        checked.append(f"A recomputed: {what}, so the construction fails")
        if w["m"] != []:  # no m solves a defective system: the engine records none
            raise Reject("a failing construction records no m, but this witness does")
        _layered_params(net, a, first, b, [Num()] * d, d, widths, params)
        checked.append("the parameters are those of the construction (a, b; no output weights)")
        return {FAILS} | distinct_inputs(inst)
    checked.append(f"A ({d}×{d}) recomputed: lower triangular, diagonal nonzero")
    m = _row(w["m"], d, "m")
    y = [Y[o - 1][0] for o in w["order"]]
    for i in range(d):  # A is nonsingular: m is the unique solution, so the parameters are determined
        if sum((A[i][j] * m[j] for j in range(d)), Num()) != y[i]:
            raise Reject(f"A m ≠ y in row {i + 1}")
    checked.append("A m = y exactly")
    _layered_params(net, a, first, b, m, d, widths, params)
    checked.append("the parameters are those of the construction (a, b, m)")
    H, _ = residuals_and_jacobian(net, sigma, X, Y, params)
    recorded = w.get("residuals")
    if recorded is not None and [parse(v) for v in recorded] != H:
        raise Reject("the recorded residuals are not f(x_i) − y_i recomputed")
    bad = [r + 1 for r, v in enumerate(H) if not v.is_zero()]
    if bad:  # the construction's own parameters miss the data: it fails (the lemma says this cannot happen)
        checked.append(f"f(x_i) ≠ y_i recomputed at rows {bad} (forward pass from the construction's parameters)")
        return {FAILS} | distinct_inputs(inst)
    checked.append(f"f(x_i) = y_i exactly for all {d} points (forward pass from the parameters)")
    return {FITS}
