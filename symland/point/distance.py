"""dist(m, M) for a trained point m, certified as a bracket [lower, upper] in ℓ₂ and ℓ∞.

1. **Foot of the perpendicular** (:mod:`symland.point.foot`): m̃ ≈ the nearest point of M, by a minimum-norm Newton
   projection over *all* weights, residuals in Arb (not certified: a starting point).
2. **Upper bound**: a point m* ∈ M certified next to m̃ (:func:`symland.point.nearest.nearest_point` started at m̃:
   the output layer re-solved exactly or in Arb, or Krawczyk on dℓ coordinates); ‖m* − m‖ bounds dist(m, M) from
   above. Where the projection fails, the re-solve starts at m itself (a point of M, not the nearest one — said so).
3. **Lower bound** (:mod:`symland.point.bracket`): no point of M within ``lower`` of m, from ‖J⁺H(m)‖ and a bound of
   J_H's variation over the box m ± upper.

>>> import numpy as np
>>> from symland.io.models import from_arrays
>>> from symland.io.data import Dataset
>>> m = from_arrays([(np.array([[1.0], [-0.5]]), np.array([0.25, 0.5])), (np.array([[1.0, 2.0]]), np.array([0.0]))],
...                 "tanh")
>>> dist = distance_to_M(m, Dataset.from_rows([[0], [1]], [1, 1]), tier="ball")
>>> lo, up = dist.bracket("l2")
>>> dist.route, 0 < lo <= up, round(lo, 3), round(up, 3)
('foot', True, 0.099, 0.16)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

from flint import arb, fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.point._nearest_point import NearestPoint, l2_bound
from symland.point.bracket import Lower, float_down, lower_bound, normal_angle
from symland.point.foot import Foot, foot
from symland.point.layered import passes
from symland.point.nearest import nearest_point
from symland.tiers.evaluate import Undecided, precision

__all__ = ["Distance", "distance_to_M", "rebase", "BRACKET_LIMIT"]

BRACKET_LIMIT = 10_000  # dℓ above which the projection and the lower bound are not attempted (each float64
# dℓ × dℓ matrix of the bracket is then 800 MB; certify's size guard refuses most such runs first)
ANGLE_LIMIT = 400  # dℓ up to which the certified angle at m* is computed (a third Gram matrix and solve)


@dataclass(frozen=True)
class Distance:
    """The certified point m* (``near``, distances to m), how it was found, and the bracket's lower bound."""

    near: NearestPoint
    foot: Foot
    lower: Lower
    route: str  # "foot": m* re-solved at the foot m̃; "trained point": at m (the projection failed); "none"
    upper_l2: float | None = None  # recorded upper bounds (set by the caller from the certificate's box)
    upper_linf: float | None = None
    seconds: tuple = ()  # (projection, certified point, lower bound) wall seconds
    angle: object = None  # arb: sin θ ≤ this, θ between m* − m and the normal space at m* (None: not enclosed)
    residual: tuple = ()  # H(m) in Arb from the passes at m (the certified L(m) is Σ of their squares); () if none

    def bracket(self, which: str = "l2") -> tuple[float | None, float | None]:
        """(lower, upper) as floats rounded outward; None where not certified."""
        lo = float_down(self.lower.l2 if which == "l2" else self.lower.linf) if self.lower.ok else None
        if lo:  # a margin of 2⁻²⁰ (still a lower bound), so that a re-derivation by other code can confirm it
            lo = math.nextafter(lo * (1 - 2.0**-20), 0.0)
        if which == "l2":
            up = self.upper_l2 if self.upper_l2 is not None else _finite(self.near.upper("l2"))
        else:
            up = self.upper_linf if self.upper_linf is not None else _finite(self.near.upper("linf"))
        return lo, up if self.near.ok else None

    def ratio(self) -> float | None:
        lo, up = self.bracket("l2")
        return up / lo if lo and up is not None and lo > 0 else None

    def to_json_obj(self) -> dict:
        lo2, up2 = self.bracket("l2")
        loi, upi = self.bracket("linf")
        return {"distance_l2": {"lower": lo2, "upper": up2}, "distance_linf": {"lower": loi, "upper": upi},
                "foot": {"route": self.route, "projection": self.foot.describe(), "angle": self.angle_text(),
                         "certified_by": self.near.method or self.near.reason,
                         "lower_bound": self.lower.describe()}}

    def angle_text(self) -> str | None:
        """The certified angle between m* − m and the normal space of M at m*, as text."""
        if self.angle is None:
            return None
        return (f"sin θ ≤ {self.angle.str(3, radius=False)}: θ, the angle between m* − m and the normal space of M "
                "at m* (the row space of J_H(m*)), certified")

    def lines(self) -> list[str]:
        lo2, up2 = self.bracket("l2")
        loi, upi = self.bracket("linf")
        out = [f"dist(m, M) ∈ [{_f(lo2)}, {_f(up2)}] (ℓ₂), [{_f(loi)}, {_f(upi)}] (ℓ∞) — certified"]
        where = {"foot": "the foot of the perpendicular m̃ (" + self.foot.describe() + ")",
                 "trained point": "the trained point m (" + (self.foot.describe() if self.foot.ok else "the projection "
                                  "failed: " + self.foot.reason) + "; m* is a point of M, not necessarily the "
                                  "nearest)"}.get(self.route)
        if where:
            out.append(f"upper: m* ∈ M certified next to {where}")
        if self.angle is not None:
            out.append(f"foot: {self.angle_text()}")
        out.append(f"lower: {self.lower.describe()}")
        return out


def _f(v) -> str:
    return "?" if v is None else f"{v:.4e}"


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None


def rebase(near: NearestPoint, m) -> NearestPoint:
    """``near`` with its distances measured to the exact point m (the certified enclosure of m* unchanged)."""
    if not near.ok:
        return near
    with precision(max(256, near.prec or 0)):
        if near.status == "exact":
            deltas = [a - b for a, b in zip(near.point, m)]
            linf = max((abs(x) for x in deltas), default=fmpq(0))
            return replace(near, distance_linf=linf, distance_l2=arb(sum((x * x for x in deltas), fmpq(0))).sqrt())
        deltas = [abs(arb(a) - arb(b)) for a, b in zip(near.point, m)]
        linf = deltas[0]
        for x in deltas[1:]:
            linf = linf.max(x)
        return replace(near, distance_linf=linf, distance_l2=l2_bound(deltas))


def distance_to_M(model, data, *, tier: str = "ball", prec: int = 128, max_prec: int = 4096,
                  radius: float | None = None, ft: Foot | None = None) -> Distance:
    """The bracket for dist(m, M) (see the module docstring). ``radius``: the box for the lower bound when no point
    of M is certified (default twice the foot's distance); ``ft``: the projection, when already computed."""
    net, m = model.network, model.point()
    t0 = time.perf_counter()
    big = data.d * data.l > BRACKET_LIMIT
    why_big = (f"dℓ = {data.d * data.l:,} > {BRACKET_LIMIT:,}: the dℓ × dℓ Gram matrices are too large here "
               "(not attempted)")
    if big:
        ft = Foot(False, reason=why_big)
    pm = None if big else _passes_at(net, m, data, prec)  # shared: the foot's first residual, the lower bound
    ft = ft if ft is not None else foot(net, m, data, prec, at=pm)
    t1 = time.perf_counter()
    near, route = NearestPoint("inconclusive", "not attempted"), "none"
    if ft.ok:
        near = rebase(nearest_point(model, data, tier=tier, prec=prec, max_prec=max_prec, start=ft.point,
                                    hidden=ft.hidden), m)
        ft = replace(ft, hidden=())  # d × h balls: not kept in the result
        route = "foot"
    if not (near.ok and ft.converged):  # the re-solve at m itself, kept when the projection gave nothing nearer
        at_m = nearest_point(model, data, tier=tier, prec=prec, max_prec=max_prec)
        if at_m.ok and (not near.ok or at_m.upper("l2") < near.upper("l2")):
            near, route = at_m, "trained point"
        elif not near.ok and not ft.ok:
            near = at_m
    t2 = time.perf_counter()
    lower = _lower(net, m, data, near, ft, radius, prec, pm) if not big else Lower(False, reason=why_big)
    angle = normal_angle(net, near.point, m, data, prec) if near.ok and route == "foot" and \
        data.d * data.l <= ANGLE_LIMIT else None
    return Distance(near, ft, lower, route, seconds=(t1 - t0, t2 - t1, time.perf_counter() - t2), angle=angle,
                    residual=tuple(pm.H) if pm is not None else ())


def _passes_at(net, m, data, prec):
    """The layered Arb passes at m with derivatives, or None where they are undefined (a kink: the lower bound
    decides that case itself)."""
    try:
        return passes(net, m, data, prec)
    except (Undecided, UndefinedDerivativeError, NotRepresentableError, ZeroDivisionError, ValueError):
        return None


def _lower(net, m, data, near, ft, radius, prec, pm=None) -> Lower:
    """The best lower bound over boxes m ± r: r = the certified upper bound (then halved: far from M, J_H varies too
    much over the whole ball), and ``radius`` (e.g. just beyond the distance the user asks about)."""
    top = near.upper("l2") if near.ok else None
    if top is None and ft.point:
        with precision(128):
            top = 2 * float(arb(sum(((a - b) ** 2 for a, b in zip(ft.point, m)), fmpq(0))).sqrt().upper())
    if top == 0:  # m ∈ M
        return lower_bound(net, m, data, [fmpq(0)], prec, at=pm)
    radii = [top / 4 ** i for i in range(6)] if top is not None and math.isfinite(top) and top > 0 else []
    if radius is not None and math.isfinite(radius) and radius > 0 and (top is None or radius < top):
        radii.append(radius)
    if not radii:
        return Lower(False, reason="no point of M certified and no radius given")
    return lower_bound(net, m, data, [fmpq(*float(r).as_integer_ratio()) for r in radii], prec, at=pm)


def with_upper(dist: Distance, linf: float | None, l2: float | None) -> Distance:
    """The distance with the upper bounds over the certificate's recorded box (at least the search's own: the lower
    bound's box m ± the search's bound stays valid — a larger radius only allows more points)."""
    return replace(dist, upper_linf=linf, upper_l2=l2)
