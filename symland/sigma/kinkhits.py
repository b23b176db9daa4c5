"""Hidden pre-activations at σ's breakpoints, in every tier: decided, never assumed off a kink.

One rule for every tier (issue 20): a hidden pre-activation z whose number cannot be told apart from a breakpoint c
of σ is

* **at c** when that is exact — an exact tier's z − c is 0, a Arb ball that is exactly c, a float or mpmath number
  equal to c (those tiers give numerical verdicts only);
* **decided exactly** when the exact value of that pre-activation is known (the point and the data are rationals,
  and the layers before it are computable over ℚ: :func:`exact_preactivations`) — at c iff that value is c;
* otherwise **undecided**: :class:`KinkUndecided` (a NotRepresentableError, so the claim is ``inconclusive``)
  naming the unit, the data point and ``--tier exact``.

"Cannot be told apart" means: a ball that contains c (3·(1/3) − 1 in Arb is a ball around 0, not 0); an mpmath or
float number within the tier's tolerance of c. A pre-activation the tier separates from every breakpoint is off the
kinks. The count of hits per breakpoint, ``((c, n), …)``, is what :class:`symland.networks.problem.PointValues` records
as
``breakpoint_preactivations``; ``order`` > 0 asks also that σ^(order) exist at every hit
(:class:`~symland.errors.UndefinedDerivativeError` naming the unit otherwise).

>>> from flint import arb, fmpq
>>> from symland.sigma.activations import get_activation
>>> from symland.tiers.numeric import BallKind
>>> z = arb(3) * (arb(1) / 3) - 1  # a ball around 0
>>> hits(get_activation("rectpow2"), BallKind(), [[[z]]], lambda: [[[fmpq(0)]]])
((0, 1),)
>>> hits(get_activation("rectpow2"), BallKind(), [[[z]]], lambda: [[[fmpq(1, 10**40)]]])
()
"""

from __future__ import annotations

import math

from flint import arb, fmpq, fmpq_mat

from symland.errors import NotRepresentableError, UndefinedDerivativeError

__all__ = ["KinkUndecided", "exact_preactivations", "float_hits", "hits"]


class KinkUndecided(NotRepresentableError):
    """A hidden pre-activation's number contains a breakpoint of σ and its exact value is not known.

    Not an :class:`~symland.tiers.numeric.Undecided`: more bits do not help (the value may be the breakpoint)."""


def _tester(kind, c: fmpq):
    """z ↦ (cannot be told apart from c, is exactly c) for numbers z of tier ``kind``, set up once per c."""
    name = getattr(kind, "name", "")
    if name == "ball":
        ca = arb(c)  # exact for a dyadic c; else a ball around c (comparisons stay conservative)

        def ball(z):
            if not isinstance(z, arb):
                z = kind.const(z)
            if z > ca or z < ca:
                return False, False
            if not z.is_finite():
                return True, False
            return True, bool(z.is_exact() and z.mid().fmpq() == c)

        return ball
    if name == "float":
        cf, tol = float(c), kind.tol * (1 + abs(float(c)))

        def flt(z):
            zf = float(z)
            if not math.isfinite(zf):
                return True, False
            return abs(zf - cf) <= tol, zf == cf and fmpq(*zf.as_integer_ratio()) == c

        return flt
    if name == "mp":
        cm = kind.const(c)
        tol = kind.tol * (1 + abs(cm))

        def mp(z):
            diff = z - cm
            return abs(diff) <= tol, diff == 0

        return mp
    ce = kind.const(c)

    def exact(z):  # the exact tiers
        at = bool(kind.is_zero(z - ce))
        return at, at

    return exact


def hits(sigma, kind, layers, exact=None, order: int = 0, *, where=None) -> tuple:
    """((c, how many hidden pre-activations sit at c), …) for σ's breakpoints c, decided as the module says.

    ``layers``: the hidden layers' pre-activations, each indexable ``[unit][data point]`` (lists or numpy arrays);
    ``exact``: None, or a function returning the same pre-activations as exact rationals (a list of layers, maybe
    shorter than ``layers`` when only the first ones are computable over ℚ), called only when needed; ``where``:
    (layer, unit, data point) → the words naming that pre-activation in a message.
    """
    where = where or (lambda k, i, s: f"unit {i + 1} of hidden layer {k + 1} on data point {s + 1}")
    breaks = [fmpq(int(c.p), int(c.q)) for c in getattr(sigma, "breakpoints", ())]
    if not breaks:
        return ()
    smooth = sigma.smooth_decided()[0] is True  # C^∞ everywhere: a hit changes nothing, so none is undecided
    counts = [0] * len(breaks)
    tests = [_tester(kind, c) for c in breaks]
    known = None
    for k, Z in enumerate(layers):
        for i, row in enumerate(Z):
            for s, z in enumerate(row):
                for j, c in enumerate(breaks):
                    near, at = tests[j](z)
                    if not near:
                        continue
                    if not at and smooth:
                        continue
                    if not at:
                        if known is None:
                            known = _exact_or_empty(exact)
                        q = _lookup(known, k, i, s)
                        if q is None:
                            raise KinkUndecided(
                                f"the pre-activation of {where(k, i, s)} is {_show(kind, z)}, which contains the "
                                f"breakpoint t = {c} of {sigma.name}, and its exact value is not known in this tier: "
                                "decide it with --tier exact (or an exact point)")
                        at = q == c
                    if at:
                        counts[j] += 1
                        bad = next((o for o in range(1, order + 1) if not sigma.differentiable_at(j, o)), None)
                        if bad is not None:
                            raise UndefinedDerivativeError(
                                f"{sigma.name}^({bad}) is not defined at t = {c} ({where(k, i, s)} is exactly "
                                "there)")
    return tuple((sigma.breakpoints[j], n) for j, n in enumerate(counts) if n)


def _exact_or_empty(exact) -> list:
    if exact is None:
        return []
    try:
        return exact() or []
    except (NotRepresentableError, UndefinedDerivativeError, ValueError, ZeroDivisionError):
        return []


def _lookup(known, k: int, i: int, s: int):
    if k >= len(known) or known[k] is None:
        return None
    Z = known[k]
    return Z[i, s] if isinstance(Z, fmpq_mat) else Z[i][s]


def _show(kind, z) -> str:
    try:
        return kind.to_str(z)
    except Exception:  # noqa: BLE001 -- only for the message
        return str(z)


def exact_preactivations(network, point, X) -> list:
    """The hidden layers' pre-activations W_k a_{k−1} − b_k over ℚ (units × data points, ``fmpq_mat``).

    ``point``: the parameters as rationals (``fmpq``; anything else → []); ``X``: the d inputs as rows of ``fmpq``.
    The first layer needs only rationals; each further layer needs σ's values over ℚ (:meth:`eval_rational`, a
    piecewise polynomial σ) — where σ has none, the list stops there (those layers are not known exactly).
    """
    if not all(isinstance(v, fmpq) for v in point):
        return []
    layers = network.split(list(point), fmpq(0))[:-1]
    sigma = network.activation
    A = fmpq_mat([list(r) for r in zip(*X)])
    out = []
    for W, b in layers:
        Z = fmpq_mat(W) * A
        Z = fmpq_mat([[Z[i, s] - b[i] for s in range(Z.ncols())] for i in range(Z.nrows())])
        out.append(Z)
        try:
            A = fmpq_mat([[sigma.eval_rational(Z[i, s]) for s in range(Z.ncols())] for i in range(Z.nrows())])
        except (NotRepresentableError, UndefinedDerivativeError):
            break
    return out


def float_hits(sigma, Z, tol: float = 1e-9) -> tuple:
    """:func:`hits` for float64 arrays (hidden layers ``Z``, no exact values): equal → at c; within ``tol``·(1 + |c|)
    of c but not equal → KinkUndecided (a float near a kink is not taken as off it)."""
    import numpy as np

    if sigma.smooth_decided()[0] is True:
        return ()
    out = []
    for c in getattr(sigma, "breakpoints", ()):
        cf = float(c)
        n = 0
        for k, Zk in enumerate(Z):
            near = np.abs(Zk - cf) <= tol * (1 + abs(cf))
            eq = Zk == cf
            if np.any(near & ~eq):
                i, s = (int(v[0]) for v in np.nonzero(near & ~eq))
                raise KinkUndecided(f"the pre-activation of unit {i + 1} of hidden layer {k + 1} on data point "
                                    f"{s + 1} is {Zk[i, s]!r}, within {tol:g} of the breakpoint t = {c} of "
                                    f"{sigma.name}: not decided in float64 — use --tier exact")
            n += int(np.count_nonzero(eq))
        if n:
            out.append((c, n))
    return tuple(out)
