"""The result of a search for m* ∈ M next to a trained point: :class:`NearestPoint`.

Its own module because both searches return it — :mod:`symland.point.nearest` (re-solving the output layer) and
:mod:`symland.point.krawczyk` (the Krawczyk test on coordinates anywhere, which ``nearest`` falls back to) — so neither
has to import the other's module for it. Import it from :mod:`symland.point.nearest`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flint import arb, fmpq

from symland.tiers.numeric import BallKind

__all__ = ["NearestPoint", "l2_bound"]


@dataclass(frozen=True)
class NearestPoint:
    """m* ∈ M next to the trained point m, or why none was found (``status`` = exact | ball | inconclusive)."""

    status: str
    reason: str = ""
    point: tuple = ()  # m* in canonical order: fmpq (exact) or arb (ball; exact coordinates are exact balls)
    columns: tuple = ()  # canonical indices of the re-solved output-layer parameters (dℓ of them)
    distance_linf: object = None  # fmpq (exact) or arb (ball)
    distance_l2: object = None  # arb: √ of the exact Σδ² (exact tier) or its enclosure
    prec: int | None = None
    method: str = ""
    details: tuple = field(default_factory=tuple)
    system: dict | None = field(default=None, repr=False, compare=False)  # ball: features F, β (for the claims)

    @property
    def ok(self) -> bool:
        return self.status in ("exact", "ball")

    def upper(self, which: str = "linf") -> float:
        """A float upper bound on the distance (rounded up)."""
        v = self.distance_linf if which == "linf" else self.distance_l2
        if v is None:
            return math.inf
        exact_zero = v == 0 if isinstance(v, fmpq) else (v.is_exact() and v == 0)
        b = arb(v).upper()
        if not b.is_finite():  # NaN or unbounded: no bound at all
            return math.inf
        u = float(b)  # rounds to nearest (inf beyond float64: still an upper bound, never a certificate's)
        # one step up makes it an upper bound (also when it underflowed to 0)
        return 0.0 if exact_zero else math.nextafter(u, math.inf)

    def point_strings(self, network) -> dict:
        """{name: value}: exact rationals, or Arb balls ``[mid +/- rad]`` at the precision used."""
        kind = BallKind(self.prec or 128)
        names = network.param_names()
        if self.status == "exact":
            return {k: str(v) for k, v in zip(names, self.point)}
        return {k: (str(v.mid().fmpq()) if v.is_exact() else kind.to_str(v)) for k, v in zip(names, self.point)}


def l2_bound(deltas) -> arb:
    """A ball ≥ 0 containing an upper bound of (Σ δ²)^(1/2) for balls δ — never NaN, also when δ contain 0
    (squaring a ball around 0 in Arb reaches below 0, and its square root is NaN)."""
    sq = arb(0)
    for x in deltas:
        u = abs(x).upper()  # exact, ≥ |δ|
        sq += u * u
    top = sq.upper()  # exact, ≥ Σ δ²
    return top.sqrt() if top > 0 else arb(0)
