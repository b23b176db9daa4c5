"""Re-checking a ball-tier Lemma 3.3 / Corollary 3.4 construction: its output weights m recorded as Arb balls.

Everything but m is re-derived exactly, as in :mod:`.lemma`: a, the order and the values c_i, the midpoint biases,
A_ij = σ(c_i − b_j) in Q[e^Q] (the recorded A's balls must meet it), A lower triangular (above the diagonal σ at
arguments < 0, exactly 0 for a rectified σ) with a nonzero diagonal — all decided exactly. Then:

1. The structure: at the construction's parameters with the output weights W_(T+1)_0_j (j < d) set to 0, the
   forward pass gives f(x_i) = 0 and ∂f(x_i)/∂W_(T+1)_0_j = A_ij exactly (recomputed in Q[e^Q]). f is affine in
   those weights, so f(x_i) − y_i = (A m − y)_i for every m: f fits the data exactly at m* = A⁻¹y, the unique
   solution (A is nonsingular).
2. m* enclosed: forward substitution down the lower triangle, exactly (Q[e^Q]) while the diagonal entry is a
   monomial, otherwise in Arb (the enclosures of A_ij from their exact values).
3. m* lies in the recorded box: every recorded ball of m (and of the same weights in ``params``) contains the
   enclosure of m*_j (or equals m*_j exactly when recorded exactly). Only then is the fact ``FITS`` established:
   the recorded parameters enclose the construction's point, at which f(x_i) = y_i exactly. A recorded ball that
   misses the enclosure is rejected; one that only overlaps it at the precision cap is not decided.

A witness with no ball anywhere is the exact tier's (:func:`.lemma.construction`), and so is a defective A.
"""

from __future__ import annotations

from flint import arb, ctx

from proofs_check.recheck.arb import MAX_PREC, Unchecked, _arb_of_num, to_arb
from proofs_check.recheck.exact import BadWitness, Num, parse
from proofs_check.recheck.lemma import (
    _biases,
    _layered_params,
    _sorted_values,
    construction,
    construction_setting,
)
from proofs_check.recheck.net import residuals_and_jacobian
from proofs_check.recheck.statements import FITS, Reject

__all__ = ["construction_any"]


def _is_ball(v) -> bool:
    return isinstance(v, str) and ("+/-" in v or "[" in v)


def construction_any(claim: str, w: dict, needs: frozenset, checked: list) -> set:
    """The construction's facts: :func:`.lemma.construction` for an exact witness, the ball re-check (module
    docstring) when A, m, the parameters or the residuals hold Arb balls."""
    A, params = w.get("A"), w.get("params")
    values = [v for row in (A if isinstance(A, list) else []) for v in (row if isinstance(row, list) else [])]
    values += list(w.get("m") or []) + list((params or {}).values() if isinstance(params, dict) else [])
    values += list(w.get("residuals") or [])
    if not any(_is_ball(v) for v in values):
        return construction(claim, w, needs, checked)
    return _ball_construction(claim, w, checked)


def _ball_construction(claim: str, w: dict, checked: list) -> set:
    net, X, Y, widths, sigma, d, T = construction_setting(claim, w)
    if d > widths[-2]:
        raise BadWitness(f"the last hidden layer has {widths[-2]} < d = {d} units")
    a, first, vals = _sorted_values(claim, w, X, T, sigma, checked)
    b = _biases(claim, w, vals, d, checked)
    A = [[sigma.value(vals[i] - b[j]) for j in range(d)] for i in range(d)]
    above = [(i + 1, j + 1) for i in range(d) for j in range(i + 1, d) if not A[i][j].is_zero()]
    zero_diag = [i + 1 for i in range(d) if A[i][i].is_zero()]
    if above or zero_diag:
        raise Unchecked("a defective A with balls in the witness: the ball re-check reads fitting constructions only")
    recorded = w["A"]
    if not isinstance(recorded, (list, tuple)) or len(recorded) != d or any(
            not isinstance(r, (list, tuple)) or len(r) != d for r in recorded):
        raise BadWitness(f"A must be {d}×{d}")
    order, params = w["order"], w["params"]
    if not isinstance(params, dict) or set(params) != set(net.names):
        raise BadWitness("params does not name the network's parameters")
    outw = [f"W{T + 1}_0_{j}" for j in range(d)]
    rec_m = w["m"]
    if not isinstance(rec_m, (list, tuple)) or len(rec_m) != d:
        raise BadWitness(f"m must hold {d} values")
    old = ctx.prec
    try:
        prec = 128
        while True:
            ctx.prec = prec
            for i in range(d):
                for j in range(d):
                    if not to_arb(recorded[i][j]).overlaps(_arb_of_num(A[i][j])):
                        raise Reject(f"the recorded A_{i + 1}{j + 1} = {recorded[i][j]} is not σ(c_i − b_j) = "
                                     f"{A[i][j]} recomputed")
            if prec == 128:
                checked.append(f"A ({d}×{d}) recomputed exactly in Q[e^Q] (the recorded balls meet it): lower "
                               "triangular, diagonal nonzero")
                _structure(net, sigma, X, Y, params, outw, a, first, b, A, order, d, widths, checked)
            exact_m, ball_m = _solve(A, [Y[o - 1][0] for o in order], d)
            undecided = []
            for j in range(d):
                for what, text in (("m", rec_m[j]), (f"params {outw[j]}", params[outw[j]])):
                    if not _inside(text, exact_m[j], ball_m[j]):
                        undecided.append(f"{what}_{j + 1}" if what == "m" else what)
            if not undecided:
                break
            if prec >= MAX_PREC:
                raise Unchecked(f"the recorded {undecided[0]} is not shown to contain m*_j = (A⁻¹y)_j at "
                                f"{prec} bits")
            prec = min(2 * prec, MAX_PREC)
    finally:
        ctx.prec = old
    known = sum(v is not None for v in exact_m)
    checked.append(f"m* = A⁻¹y enclosed by forward substitution ({known} of {d} entries exactly in Q[e^Q], the rest "
                   f"in Arb at {prec} bits): every recorded ball of m and of the output weights contains m*_j")
    res = w.get("residuals")
    if res is not None and (not isinstance(res, (list, tuple)) or len(res) != d
                            or any(not to_arb(v).contains(0) for v in res)):
        raise Reject("the recorded residuals do not all contain 0, but f(x_i) − y_i = 0 at the construction's m*")
    checked.append(f"f(x_i) = y_i exactly for all {d} points at the construction's parameters (with m*), a point "
                   "of the recorded box")
    return {FITS}


def _structure(net, sigma, X, Y, params, outw, a, first, b, A, order, d, widths, checked) -> None:
    """The parameters other than m are the construction's; f(x_i) = Σ_j A_ij m_j at every m (exactly)."""
    p0 = {k: (Num() if k in outw else parse(v)) for k, v in params.items()}
    _layered_params(net, a, first, b, [Num()] * d, d, widths, p0)
    cols = [net.names.index(k) for k in outw]
    H0, J = residuals_and_jacobian(net, sigma, X, Y, p0, cols)
    for i, o in enumerate(order):
        r = o - 1
        if not (H0[r] + Y[r][0]).is_zero():
            raise Reject(f"f(x_{o}) ≠ 0 with the output weights at 0: f is not Σ_j A_ij m_j")
        for j, c in enumerate(cols):
            if J[(r, c)] != A[i][j]:
                raise Reject(f"∂f(x_{o})/∂{outw[j]} = {J[(r, c)]} is not A_{i + 1}{j + 1} = {A[i][j]}")
    checked.append("the parameters other than m are the construction's (exactly); with the output weights at 0 the "
                   f"forward pass gives f(x_i) = 0 and ∂f(x_i)/∂W{len(widths) - 1}_0_j = A_ij exactly: "
                   "f(x_i) − y_i = (A m − y)_i for every m")


def _solve(A, y, d: int) -> tuple[list, list]:
    """m* = A⁻¹y for a lower triangular A: each entry exactly (a Num) while possible, else None; and enclosures."""
    exact, ball = [], []
    for i in range(d):
        s = None
        if all(e is not None for e in exact):
            s = y[i] - sum((A[i][j] * exact[j] for j in range(i)), Num())
        if s is not None and len(A[i][i].terms) == 1:
            exact.append(s * A[i][i].inverse())
        elif s is not None and s.is_zero():
            exact.append(Num())
        else:
            exact.append(None)
        if exact[i] is not None:
            ball.append(_arb_of_num(exact[i]))
        else:
            acc = _arb_of_num(y[i])
            for j in range(i):
                acc = acc - _arb_of_num(A[i][j]) * ball[j]
            ball.append(acc / _arb_of_num(A[i][i]))
    return exact, ball


def _inside(text, exact: Num | None, enc: arb) -> bool:
    """Whether the recorded value ``text`` holds m*_j (exact: equal; a ball: containing its enclosure); a Reject
    when it cannot (it misses the enclosure); False when not decided at this precision."""
    rec = to_arb(text)
    if not _is_ball(text):
        if exact is not None:
            if parse(text) != exact:
                raise Reject(f"the recorded output weight {text} is not m*_j = (A⁻¹y)_j = {exact}")
            return True
        if not rec.overlaps(enc):
            raise Reject(f"the recorded output weight {text} is not m*_j ∈ {enc.str(25)}")
        return False
    if rec.contains(enc):
        return True
    if not rec.overlaps(enc):
        raise Reject(f"the recorded output weight {text} misses m*_j ∈ {enc.str(25)}")
    return False
