"""A point of M next to a given point, by re-solving the output layer (the certified step of the distance bracket).

For a layered network f(x) = W_K a(x) − b_K, with a(x) the last hidden layer's activations (which do not depend
on W_K, b_K), the residuals are affine in the output layer:

    f_{s,c} = Σ_j W_K[c, j] a_j(x_s) − b_K[c] − y_{s,c}.

Write F for the d × (h + 1) matrix with rows (a(x_s), −1) — without biases (``mlp(…, bias=False)``) the d × h
matrix with rows a(x_s), so d ≤ h is needed. The output coordinate c only involves row c of the
output layer, so H = 0 splits into ℓ systems F v_c = y_c with the same F. Choose d of F's columns (float
pivoting only *chooses*) whose d × d minor S is nonsingular, keep every other parameter at its trained value, and
solve S u_c = y_c − F_rest v_c,rest for the chosen coordinates u_c. The result m* satisfies H(m*) = 0 exactly:

* exact tier (σ piecewise polynomial over ℚ): F is rational, S is solved in ℚ (``fmpq_mat.solve`` fails
  exactly when S is singular), m* is a vector of rationals;
* ball tier (any σ): F is enclosed in Arb balls, S is certified nonsingular (‖I − R·S‖∞ < 1 for an approximate
  inverse R, :func:`symland.linear.certify.certify_nonsingular`) for *every* matrix inside the balls, the exact one
  among them; so the exact solution u_c exists, is unique, and lies in the enclosure that ``arb_mat.solve``
  returns. m* is the exact (unknown) point; its coordinates outside the chosen ones are the exact trained values.

The same d × d minor S, copied ℓ times (block diagonal), is the minor of J_H(m*) on the chosen columns
(∂f_{s,c}/∂W_K[c, j] = a_j(x_s), ∂f_{s,c}/∂b_K[c] = −1), so it also certifies rank J_H(m*) = dℓ.

Distances: only the chosen coordinates move, so ‖m* − m‖∞ = max |u − m_chosen| and ‖m* − m‖₂ = |u − m_chosen|₂,
exact in ℚ (the 2-norm enclosed as √ of a rational) or as upper bounds of balls.

>>> import numpy as np
>>> from symland.io.models import from_arrays
>>> from symland.io.data import Dataset
>>> m = from_arrays([(np.array([[1.0], [2.0]]), np.array([0.0, -1.0])), (np.array([[1.0, 1.0]]), np.array([0.0]))],
...                 "relu")
>>> r = nearest_point(m, Dataset.from_rows([[1], [2]], [3, 5]), tier="exact")
>>> r.status, r.columns, [str(v) for v in r.point[4:]], str(r.distance_linf)
('exact', (4, 5), ['4', '-1', '0'], '3')
"""

from __future__ import annotations

import math

import numpy as np
from flint import arb, arb_mat, ctx, fmpq, fmpq_mat

from symland.errors import NotRepresentableError, ShapeError, UndefinedDerivativeError
from symland.linear.ballsolve import verified_solve
from symland.linear.certify import _row_scaled_float, choose_minor
from symland.networks.floating import vectorized
from symland.point._nearest_point import NearestPoint, l2_bound
from symland.point.krawczyk import choose_coordinates, krawczyk_point
from symland.point.layered import _Sigma
from symland.sigma.kinkhits import exact_preactivations, hits
from symland.tiers.numeric import BallKind, Undecided, precision

__all__ = ["NearestPoint", "nearest_point", "features", "solve_ball", "output_indices", "KRAWCZYK_LIMIT"]

MAX_COND = 1e14  # the ball tier does not try to certify a feature minor with a larger float condition number
KRAWCZYK_LIMIT = 200_000  # dℓ·n up to which the Krawczyk test (J_H over a box, in Arb) is attempted


def _float_features(network, params_f: np.ndarray, X: np.ndarray) -> np.ndarray:
    sig = vectorized(network.activation)
    A = X.T
    for W, b in network.split(list(params_f))[:-1]:
        A = sig(np.asarray(W, dtype=float) @ A - np.asarray(b, dtype=float)[:, None])
    if not network.bias:
        return A.T  # d × h
    return np.vstack([A, -np.ones((1, X.shape[0]))]).T  # d × (h + 1)


def features(network, point, X, kind, *, derivatives: bool = False, hidden=None):
    """F = rows (a(x_s), −1), or a(x_s) without biases, over `kind` (exact: fmpq via σ's rational values; ball:
    Arb at ctx.prec).

    ``derivatives`` (ball): also check that σ' exists at every hidden pre-activation and return (F, the hidden
    pre-activations at σ's breakpoints ((c, count), …) decided by :func:`symland.sigma.kinkhits.hits` — a ball
    containing
    a breakpoint is decided from the exact point —, the first problem: an UndefinedDerivativeError at a kink, a
    KinkUndecided or Undecided for a ball straddling one, or None) — what the Jacobian pass would find, without
    building J_H. ``hidden``: (bits, the layer inputs A) at ``point`` from a pass already made (the projection's
    last, :mod:`symland.point.foot`), used at that precision instead of a second pass.
    """
    layers = network.split(list(point))[:-1]
    sigma = network.activation
    bk = BallKind(ctx.prec)
    check = derivatives and not sigma.smooth_decided()[0]
    fast = _Sigma(sigma, bk) if kind != "exact" else None  # one formula (tanh, sigmoid): no breakpoint tests
    issue, pres = None, []
    if hidden and hidden[0] == ctx.prec and kind != "exact" and not check:  # the layer inputs at this point and
        A, layers = hidden[1][-1], []  # precision from the pass that found it (the foot's last): not a second pass
    else:
        A = fmpq_mat([list(r) for r in zip(*X)]) if kind == "exact" else \
            arb_mat([[arb(v) for v in r] for r in zip(*X)])
    for W, b in layers:
        if kind == "exact":
            Z = fmpq_mat(W) * A
            A = fmpq_mat([[sigma.eval_rational(Z[i, s] - b[i]) for s in range(Z.ncols())] for i in range(Z.nrows())])
            continue
        Z = (arb_mat([[arb(w) for w in row] for row in W]) * A).tolist()
        pre = [[z - bi for z in row] for row, bi in zip(Z, map(arb, b))]
        pres.append(pre)
        if check and issue is None:
            try:
                for row in pre:
                    for z in row:
                        bk.act(sigma, z, 1)
            except (UndefinedDerivativeError, Undecided) as exc:
                issue = exc
        if fast.smooth:
            A = arb_mat([fast.row(row, False)[0] for row in pre])
        else:
            A = arb_mat([[bk.act(sigma, z) for z in row] for row in pre])
    one = fmpq(-1) if kind == "exact" else arb(-1)
    F = [list(col) + ([one] if network.bias else []) for col in A.transpose().tolist()]
    if not derivatives:
        return F
    found = ()
    if check:  # a ball containing a breakpoint is decided from the exact point, never taken as off the kink
        try:
            found = hits(sigma, bk, pres, lambda: exact_preactivations(network, point, X), 1)
        except (UndefinedDerivativeError, NotRepresentableError) as exc:
            issue = exc
    return F, found, issue


def _setup(model, data, start=None):
    net = model.network
    if net.p != data.p or net.l != data.l:
        raise ShapeError(f"the model maps {net.p} → {net.l} but the data have p = {data.p}, ℓ = {data.l}")
    point = model.point() if start is None else list(start)
    return net, point


def _choose(net, point, data) -> tuple | None:
    X = np.array([[int(v.p) / int(v.q) for v in row] for row in data.X], dtype=float)
    pf = np.array([int(v.p) / int(v.q) for v in point], dtype=float)
    with np.errstate(all="ignore"):
        F = _float_features(net, pf, X)
    if not np.all(np.isfinite(F)):  # beyond float64 (weights near 10³⁰⁰): choose on Arb features, row-scaled
        try:
            with precision(128):
                F = _row_scaled_float(features(net, point, data.X, "ball"))
        except (NotRepresentableError, UndefinedDerivativeError, ValueError, ZeroDivisionError):
            F = None
        if F is None or not np.all(np.isfinite(F)):
            return None, None
    cols = choose_minor(F)
    if cols is None:
        return None, None
    with np.errstate(all="ignore"):
        cond = float(np.linalg.cond(F[:, list(cols)], 1))
    return cols, cond


def output_indices(net, cols) -> list[int]:
    """Canonical indices of output-layer parameters for feature columns `cols` (h means the bias), per output c."""
    if not net.bias and any(j >= net.widths[-2] for j in cols):
        raise ShapeError(f"feature column {max(cols)} of a network without biases (h = {net.widths[-2]})")
    K, h = len(net.shapes), net.widths[-2]
    out = []
    for c in range(net.l):
        out += [net.index[f"b{K}_{c}"] if j == h else net.index[f"W{K}_{c}_{j}"] for j in cols]
    return out


def nearest_point(model, data, *, tier: str = "exact", prec: int = 128, max_prec: int = 4096,
                  start=None, hidden=()) -> NearestPoint:
    """m* ∈ M by re-solving d output-layer coordinates per output (see the module docstring), from the model's point
    or from ``start`` (exact, e.g. the foot of the perpendicular, :mod:`symland.point.foot`, with its last pass's
    ``hidden`` values); the distances are to the point the re-solve starts from
    (:func:`symland.point.distance.rebase` measures them to another)."""
    net, point = _setup(model, data, start)
    d, h = data.d, net.widths[-2]
    ncols = h + 1 if net.bias else h  # the −1 column only with an output bias
    if ncols < d:
        cols, why = None, (f"the last hidden layer has {h} units: " + (f"h + 1 = {h + 1}" if net.bias else
                           f"without biases h = {h}") + f" < d = {d}, so the output layer alone cannot fit the data")
    else:
        cols, cond = _choose(net, point, data)
        why = (f"the last hidden layer's features {'[a(x_s), −1]' if net.bias else 'a(x_s)'} have no d × d minor "
               "that looks nonsingular in floating point (singular features)")
    if tier == "exact":
        if not net.activation.is_rational_valued:
            return NearestPoint("inconclusive", f"{net.activation.name} is not piecewise polynomial over ℚ: "
                                "use the ball tier")
        if cols is None:
            return NearestPoint("inconclusive", why + "; the ball tier tries Krawczyk on other coordinates")
        return _solve_exact(net, point, data, cols)
    if cols is None:
        return _krawczyk(net, point, data, prec, max_prec, why)
    if not cond < MAX_COND:  # float only decides not to try: Arb could not certify such a minor either
        return NearestPoint("inconclusive", f"the {d}×{d} feature minor is numerically singular (float condition "
                            f"number {'≈ ' + format(cond, '.1e') if math.isfinite(cond) else 'beyond float64'} "
                            f"≥ {MAX_COND:.0e}): no certified re-solve of the output layer"
                            + ("; --tier exact decides it exactly" if net.activation.is_rational_valued else ""))
    bits, fail = prec, ""
    while bits <= max_prec:
        try:
            with precision(bits):
                return solve_ball(net, point, data, cols, bits, hidden)
        except (Undecided, ZeroDivisionError) as exc:
            fail = str(exc) or "arb_mat.solve could not certify the system"
        bits *= 2
    return NearestPoint("inconclusive", f"not certified up to {bits // 2} bits: {fail}")


def _krawczyk(net, point, data, prec, max_prec, why) -> NearestPoint:
    """The Krawczyk test on dℓ coordinates anywhere (:mod:`symland.point.krawczyk`), doubling the precision."""
    entries = data.d * data.l * net.n
    if entries > KRAWCZYK_LIMIT:
        return NearestPoint("inconclusive", f"{why}; Krawczyk on coordinates anywhere needs J_H over a box in Arb: "
                            f"{entries:,} entries > {KRAWCZYK_LIMIT:,}, not attempted")
    cols = choose_coordinates(net, point, data)
    if cols is None:
        return NearestPoint("inconclusive", why + "; and no dℓ coordinates of the network look independent "
                            "(float J_H(m) rank-deficient), so Krawczyk has no square system: no option decides "
                            "it here (a network that does not reach rank dℓ near m)")
    bits, fail = prec, ""
    while bits <= max_prec:
        try:
            return krawczyk_point(net, point, data, bits, cols)
        except (Undecided, ZeroDivisionError, UndefinedDerivativeError, NotRepresentableError) as exc:
            fail = str(exc)
        bits *= 2
    return NearestPoint("inconclusive", f"{why}; Krawczyk not certified up to {bits // 2} bits: {fail}")


def _targets(net, point, data, F, cols, zero, conv):
    """Right-hand sides R[s][c] = y_{s,c} − Σ_{j ∉ cols} F[s][j]·v_c[j] (v_c: trained output row c)."""
    K, h = len(net.shapes), net.widths[-2]
    rest = [j for j in range(h + 1 if net.bias else h) if j not in set(cols)]
    R = []
    for s in range(data.d):
        row = []
        for c in range(net.l):
            acc = conv(data.Y[s][c])
            for j in rest:
                v = point[net.index[f"b{K}_{c}" if j == h else f"W{K}_{c}_{j}"]]
                if v != 0:
                    acc -= F[s][j] * conv(v)
            row.append(acc)
        R.append(row)
    return R


def _assemble(net, point, cols, U, conv):
    """m*: the trained point with the output-layer coordinates of `cols` replaced by U[i][c]."""
    idx = output_indices(net, cols)
    new = [conv(v) for v in point]
    deltas = []
    for c in range(net.l):
        for i in range(len(cols)):
            pos = idx[c * len(cols) + i]
            deltas.append(U[i][c] - new[pos])
            new[pos] = U[i][c]
    return new, tuple(idx), deltas


def _solve_exact(net, point, data, cols) -> NearestPoint:
    try:
        F = features(net, point, data.X, "exact")
    except (UndefinedDerivativeError, NotRepresentableError) as exc:  # pragma: no cover - values always exist
        return NearestPoint("inconclusive", str(exc))
    S = fmpq_mat([[row[j] for j in cols] for row in F])
    R = fmpq_mat(_targets(net, point, data, F, cols, fmpq(0), fmpq))
    try:
        U = S.solve(R)
    except ZeroDivisionError:
        return NearestPoint("inconclusive", f"the {data.d}×{data.d} minor of the features on the pivot-chosen "
                            "columns is exactly singular")
    Ul = [[U[i, c] for c in range(U.ncols())] for i in range(U.nrows())]
    new, idx, deltas = _assemble(net, point, cols, Ul, fmpq)
    linf = max((abs(x) for x in deltas), default=fmpq(0))
    sq = sum((x * x for x in deltas), fmpq(0))
    with precision(128):
        l2 = arb(sq).sqrt()
    method = (f"exact: the {data.d}×{data.d} feature minor S on pivot-chosen columns is nonsingular over ℚ "
              f"(fmpq_mat.solve), S u_c = y_c − (fixed terms) solved exactly for each of the {net.l} outputs")
    return NearestPoint("exact", point=tuple(new), columns=idx, distance_linf=linf, distance_l2=l2, method=method)


_CACHE: list = []  # the last few ball solves, so that the claims reuse the solve of nearest_point


def solve_ball(net, point, data, cols, bits, hidden=()) -> NearestPoint:
    """m* over Arb at `bits` with the feature columns `cols` re-solved; raises Undecided when not certified."""
    key = (net.widths, net.activation.name, tuple(cols), int(bits))
    point = list(point)
    for k, pt, dt, hit in _CACHE:  # compared, not hashed: hashing 10⁵ fmpq takes seconds
        if k == key and (dt is data or (dt.X == data.X and dt.Y == data.Y)) and pt == point:
            return hit
    with precision(bits):
        hit = _solve_ball(net, point, data, cols, bits, hidden)
    _CACHE.append((key, point, data, hit))
    del _CACHE[:-3]
    return hit


def _solve_ball(net, point, data, cols, bits, hidden=()) -> NearestPoint:
    F, found, issue = features(net, point, data.X, "ball", derivatives=True, hidden=hidden)
    zeros = sum(n for c, n in found if c == 0)
    S = arb_mat([[row[j] for j in cols] for row in F])
    R = arb_mat(_targets(net, point, data, F, cols, arb(0), arb))
    sol = verified_solve(S, R)
    U = sol.u
    Ul = [[U[i, c] for c in range(U.ncols())] for i in range(U.nrows())]
    new, idx, deltas = _assemble(net, point, cols, Ul, arb)
    linf = arb(0)
    for x in deltas:
        a = abs(x)
        linf = linf.max(a) if not linf.is_zero() else a
    l2 = l2_bound(deltas)
    method = (f"ball: the {data.d}×{data.d} feature minor S on pivot-chosen columns is certified nonsingular "
              f"(‖I − R·S‖∞ ≤ {sol.beta.upper().str(3, radius=False)} < 1, {bits} bits), so S u_c = y_c − (fixed "
              f"terms) has a unique exact solution, enclosed by a verified solve, for each of the {net.l} outputs")
    return NearestPoint("ball", point=tuple(new), columns=idx, distance_linf=linf, distance_l2=l2, prec=bits,
                        method=method, system={"F": F, "beta": sol.beta, "feature_cols": tuple(cols),
                                               "zero_preactivations": zeros, "breakpoint_preactivations": found,
                                               "derivative_issue": issue})
