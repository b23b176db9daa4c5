"""A zero of H next to a trained point by the Krawczyk test, on dℓ coordinates anywhere in the network.

When the last hidden layer cannot re-solve the output layer (fewer than d − 1 units, or singular features),
choose dℓ coordinates S (float pivoting on J_H(m) only *chooses*), keep every other parameter at its trained
value, and look for a zero of G(u) = H(m with m_S = u), G : R^{dℓ} → R^{dℓ}.

Krawczyk (1969): for a box X with centre x̃, any matrix Y, and J(X) ⊇ {J_G(u) : u ∈ X} (here: the columns S of
J_H evaluated over the box in Arb),

    K(X) = x̃ − Y G(x̃) + (I − Y J(X)) (X − x̃).

If K(X) lies in the interior of X, then G has exactly one zero in X, and every matrix of J(X) is nonsingular
(‖I − Y J(X)‖ < 1 follows from the strict inclusion). So the box X holds a point m* with H(m*) = 0 exactly
and rank J_H(m*) ≥ rank J_G(m*) = dℓ. x̃ comes from a few float Newton steps, refined at the working precision;
Y ≈ J_G(x̃)⁻¹ in float; the radius of X from the size of the Newton correction.

>>> import numpy as np
>>> from symland.io.models import from_arrays
>>> from symland.io.data import Dataset
>>> m = from_arrays([(np.array([[1.0]]), np.array([0.5])), (np.array([[2.0]]), np.array([0.0]))], "tanh")
>>> r = krawczyk_point(m.network, m.point(), Dataset.from_rows([[0], [1]], [1, 1.5]), 128)
>>> r.status, len(r.columns), r.upper("linf") < 2
('ball', 2, True)
"""

from __future__ import annotations

import numpy as np
from flint import arb, arb_mat, fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.linear.certify import choose_minor
from symland.networks.floating import jacobian
from symland.networks.problem import Problem
from symland.point._nearest_point import NearestPoint, l2_bound
from symland.tiers.numeric import BallKind, Undecided, precision

__all__ = ["krawczyk_point", "choose_coordinates"]

NEWTON_STEPS = 30


def _dyadic(v: float) -> fmpq:
    return fmpq(*float(v).as_integer_ratio())


def choose_coordinates(net, point, data) -> tuple | None:
    """dℓ parameter indices whose columns of the float J_H(m) look nonsingular (pivoting), or None."""
    try:
        x = np.array([int(v.p) / int(v.q) for v in point], dtype=float)
        with np.errstate(all="ignore"):  # beyond float64: inf/NaN, refused below
            _, J = jacobian(net, data, x)
    except (UndefinedDerivativeError, OverflowError, NotRepresentableError):
        return None
    if not np.all(np.isfinite(J)):
        return None
    scale = np.max(np.abs(J), axis=1, keepdims=True)
    if np.any(scale == 0):
        return None
    return choose_minor(J / scale)


def _float_newton(net, data, x: np.ndarray, cols) -> np.ndarray:
    for _ in range(NEWTON_STEPS):
        with np.errstate(all="ignore"):
            H, J = jacobian(net, data, x)
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(J))):
            break  # beyond float64: the float guess stops here; Arb decides
        try:
            step = np.linalg.solve(J[:, cols], H)
        except np.linalg.LinAlgError:
            break
        x = x.copy()
        x[list(cols)] -= step
        if np.max(np.abs(step)) <= 1e-15 * max(1.0, float(np.max(np.abs(x[list(cols)])))):
            break
    return x


def krawczyk_point(net, point, data, bits: int, cols=None):
    """A box, certified by Krawczyk at `bits`, holding a unique zero of H on the coordinates `cols` (chosen by
    pivoting when None), the others fixed at `point`. Returns a :class:`symland.point.nearest.NearestPoint`
    (status ball) or raises Undecided."""
    cols = tuple(cols) if cols is not None else choose_coordinates(net, point, data)
    m = data.d * data.l
    if cols is None or len(cols) != m:
        raise Undecided("no dℓ coordinates of the network look independent in floating point (float J_H(m) "
                        "rank-deficient)")
    x0 = np.array([int(v.p) / int(v.q) for v in point], dtype=float)
    xf = _float_newton(net, data, x0, cols)
    if not np.all(np.isfinite(xf)):
        raise Undecided("the float Newton iteration diverged")
    prob, kind = Problem(net, data), BallKind(bits)
    centre = list(point)
    for j in cols:
        centre[j] = _dyadic(xf[j])
    with precision(bits):
        vals = prob.at(centre, kind=kind, kinks=False)
        Jc = np.array([[float(vals.J[r][j].mid()) for j in cols] for r in range(m)])
        try:
            Yf = np.linalg.inv(Jc)
        except np.linalg.LinAlgError:
            raise Undecided("J_G at the Newton point is singular in floating point") from None
        Y = arb_mat([[arb(_dyadic(v)) for v in row] for row in Yf])
        for _ in range(3):  # Newton refinement of the centre at the working precision
            G = arb_mat([[v] for v in vals.H])
            step = Y * G
            for i, j in enumerate(cols):
                centre[j] = centre[j] - step[i, 0].mid().fmpq()
            vals = prob.at(centre, kind=kind, jacobian=False, kinks=False)
        G = arb_mat([[v] for v in vals.H])
        corr = Y * G
        size = max(float(abs(corr[i, 0]).upper()) for i in range(m))
        r = arb(max(8 * size, 2.0 ** (-bits // 2)))
        box = list(centre)
        for j in cols:
            box[j] = arb(centre[j]) + arb(0, r)  # centre ± r
        JX = prob.at(box, kind=kind, kinks=False).J
        JS = arb_mat([[JX[row][j] for j in cols] for row in range(m)])
        E = arb_mat([[arb(int(i == k)) for k in range(m)] for i in range(m)]) - Y * JS
        D = arb_mat([[arb(0, r)] for _ in range(m)])
        K = -corr + E * D  # K(X) − x̃
        inside = all(abs(K[i, 0]).upper() < r for i in range(m))
        if not inside:
            raise Undecided(f"Krawczyk: K(X) ⊄ interior of X (radius {arb(r).str(2, radius=False)}) at {bits} "
                            "bits")
        start = [arb(v) for v in point]
        new = [arb(v) if not isinstance(v, arb) else v for v in box]
        gaps = [abs(new[j] - start[j]) for j in cols]
        linf = gaps[0]
        for g in gaps[1:]:
            linf = linf.max(g)
        l2 = l2_bound(gaps)
    method = (f"Krawczyk on {m} coordinates chosen by pivoting on J_H(m) (not only the output layer): "
              f"K(X) ⊂ int X for a box of radius {arb(r).str(2, radius=False)} ({bits} bits), so H has exactly one "
              "zero m* in "
              "the box and J_H(m*) has a nonsingular minor on these columns")
    return NearestPoint("ball", point=tuple(new), columns=tuple(cols), distance_linf=linf, distance_l2=l2,
                        prec=bits, method=method, details=("krawczyk",))
