"""The value of the point analysis: :class:`PointSpec` (where the point comes from), :class:`RankBound` (the rank
of J_H, exact or bounded, with its witness) and :class:`PointAnalysis` (everything the landscape says at m).

All three are frozen. Inertia is written in Sylvester's order (n₊, n₋, n₀): on M it is (d, 0, n − d).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["PointSpec", "RankBound", "PointAnalysis", "ORIGINS", "frozen_map"]

ORIGINS = ("given", "constructed", "resolved")


def frozen_map(d: Mapping | None = None) -> Mapping:
    """A read-only view of a copy of `d` (a frozen value's mappings cannot be changed through it)."""
    return MappingProxyType(dict(d or {}))


def bounds_json(lo, hi):
    """A decided value (an int, or an inertia triple as a list) or, when the bounds differ, {"lower", "upper"} — the
    one JSON form of a rank or an inertia (:class:`PointAnalysis` and the report views of it)."""
    lo, hi = (list(v) if isinstance(v, (tuple, list)) else v for v in (lo, hi))
    return lo if lo == hi else {"lower": lo, "upper": hi}


@dataclass(frozen=True, eq=False)
class PointSpec:
    """Where the point comes from (compared by identity: two specs are the same request only if they are one object).

    * ``given``: ``values`` — a mapping {name: exact value or string}, or the flat values in canonical order
      (exact numbers or Arb balls: a point the engine made, such as a re-solved m*).
    * ``constructed``: the point of Lemma 3.3 (one hidden layer) or Corollary 3.4 (deeper), from the data;
      ``a`` is the projection (None: the first that separates), ``gap`` = a·x₁ − a·x₀. At scale (J_H too
      large to build) the route reads only H(m) and the output-weight minor.
    * ``resolved``: m* ∈ M next to the given point ``values`` — ``resolve`` = ("output", feature columns) re-solves
      the output layer, ("krawczyk", parameter indices) a Krawczyk box; ``nearest`` is a
      :class:`symland.point.nearest.NearestPoint` already solved (then it is used, not solved again).
    """

    origin: str
    values: object = None
    a: tuple | None = None
    gap: object = 1
    resolve: tuple | None = None
    nearest: object = None
    source: str = ""
    made: object = None  # constructed: the Interpolant when already built over the tier's exact kind (reused)
    cache: dict = field(default_factory=dict, repr=False)  # the parsed values, once per spec (Request.given_values)

    @classmethod
    def given(cls, values, source: str = "the given point") -> PointSpec:
        return cls("given", values, source=source)

    @classmethod
    def constructed(cls, a=None, gap=1, made=None) -> PointSpec:
        return cls("constructed", a=a, gap=gap, made=made)

    @classmethod
    def resolved(cls, values, resolve: tuple, nearest=None, source: str = "") -> PointSpec:
        return cls("resolved", values, resolve=tuple(resolve), nearest=nearest, source=source)

    def __post_init__(self):
        from symland.errors import InputError

        if self.origin not in ORIGINS:
            raise InputError(f"PointSpec origin must be one of {', '.join(ORIGINS)}, got {self.origin!r}")
        if self.origin != "constructed" and self.values is None:
            raise InputError(f"a {self.origin} point needs its values")


@dataclass(frozen=True)
class RankBound:
    """rank J_H(m): exact when ``lower == upper``, else certified/numerical bounds; ``witness`` says why.

    ``strength``: proved | certified | numerical | bounds. ``minor`` names a nonsingular minor (a lower bound),
    ``kernel`` exact kernel vectors (an upper bound), ``method`` the proof in words.
    """

    lower: int
    upper: int
    method: str = ""
    minor: Mapping = field(default_factory=frozen_map)
    kernel: tuple = ()
    strength: str = "proved"
    shape: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "minor", frozen_map(self.minor))
        object.__setattr__(self, "kernel", tuple(tuple(v) for v in self.kernel))

    @property
    def exact(self) -> bool:
        return self.lower == self.upper

    @property
    def rank(self) -> int:
        """The rank when decided, else the certified lower bound."""
        return self.lower

    @property
    def value(self) -> int | None:
        return self.lower if self.exact else None

    def summary(self) -> str:
        return f"rank = {self.lower}" if self.exact else f"{self.lower} ≤ rank ≤ {self.upper}"

    def to_json_obj(self) -> dict:
        return {"lower": self.lower, "upper": self.upper, "minor": dict(self.minor), "method": self.method}


@dataclass(frozen=True)
class PointAnalysis:
    """The landscape at a point m, computed once (:func:`symland.analyse`); every command is a view of it.

    ``status``: ok (m ∈ M decided and the rank found) | off-M (a residual certified ≠ 0) | inconclusive |
    undefined (σ' or σ'' not defined at a pre-activation) | undecided-sigma (σ's kinks not decided). ``on_M``: True
    when H(m) = 0 exactly (or by construction), False when certified ≠ 0, None when the tier cannot tell.
    ``inertia`` is (n₊, n₋, n₀) of the full Hess L (residual term included) when decided, else None and
    ``inertia_bounds`` = ((n₊, n₋, n₀) lower, upper). ``parts`` names the tier that produced each part.
    ``values`` holds the tier's raw numbers (H, J_H, Hess f_r) for views that print them.
    """

    tier: str
    strength: str
    origin: str
    source: str
    status: str
    on_M: bool | None
    membership: str
    residual: tuple = ()
    rank: RankBound | None = None
    inertia_bounds: tuple | None = None
    inertia_witness: Mapping = field(default_factory=frozen_map, repr=False)
    spectrum: tuple | None = None
    spectrum_tolerance: float | None = None
    smoothness: str = ""
    smoothness_status: str = ""
    kinks: tuple = ()
    parts: Mapping = field(default_factory=frozen_map)
    reason: str = ""
    details: tuple = field(default=(), repr=False)
    witness: Mapping = field(default_factory=frozen_map, repr=False)
    names: tuple = field(default=(), repr=False)
    size: int = 0
    membership_exact: bool = False
    structural_zero: bool = False  # H(m) = 0 read off exact zero balls, every residual having an exact zero factor
    hessian_issue: str = ""  # Hess f_r was asked but is not defined at m (σ'' undefined): why
    values: object = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        for name in ("inertia_witness", "parts", "witness"):
            object.__setattr__(self, name, frozen_map(getattr(self, name)))
        object.__setattr__(self, "details", tuple(self.details))

    @property
    def n(self) -> int:
        return self.size or len(self.names)

    @property
    def inertia(self) -> tuple | None:
        """(n₊, n₋, n₀) when decided (Sylvester's order)."""
        if self.inertia_bounds is None:
            return None
        lo, hi = self.inertia_bounds
        return tuple(lo) if tuple(lo) == tuple(hi) else None

    @property
    def verdict(self) -> str:
        """What success is worth here: proved (exact tiers), certified (ball) or numerical (mp, float)."""
        return self.strength

    def summary_lines(self) -> list[str]:
        """The analysis in words, one part a line, each with the tier that produced it."""
        parts = self.parts
        lines = [f"{self.source or self.origin} ({self.tier}, {self.strength} at best): {self.membership}"]
        if self.rank is not None:
            rb = self.rank
            shown = rb.value if rb.exact else f"between {rb.lower} and {rb.upper}"
            lines.append(f"rank J_H = {shown} ({parts.get('rank', self.tier)}, {rb.strength}): {rb.method}")
        if self.inertia_bounds is not None:
            lo, hi = self.inertia_bounds
            shown = self.inertia if self.inertia is not None else f"between {tuple(lo)} and {tuple(hi)}"
            lines.append(f"inertia of Hess L (n₊, n₋, n₀) = {shown} ({parts.get('inertia', self.tier)}): "
                         f"{self.inertia_witness.get('method', '')}")
        if self.smoothness:
            lines.append(f"H near m: {self.smoothness_status}")
        if self.reason and self.reason != self.membership:
            lines.append(f"{self.status}: {self.reason}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.summary_lines())

    def _repr_markdown_(self) -> str:
        """Jupyter: the summary as a list, the first line (the point and its membership) in bold."""
        head, *rest = (line.replace("*", "\\*").replace("_", "\\_") for line in self.summary_lines())
        return "\n".join([f"**{head}**", ""] + [f"- {line}" for line in rest])

    def to_json_obj(self) -> dict:
        """Plain data: ``rank`` an int or {"lower", "upper"}; ``inertia`` [n₊, n₋, n₀] or {"lower", "upper"}."""
        out = {"tier": self.tier, "strength": self.strength, "origin": self.origin, "source": self.source,
               "status": self.status, "n": self.n, "on_M": self.on_M, "membership": self.membership,
               "H": list(self.residual), "smoothness": self.smoothness, "kinks": [[str(c), k] for c, k in self.kinks],
               "parts": dict(self.parts)}
        if self.rank is not None:
            out["rank"] = bounds_json(self.rank.lower, self.rank.upper)
            out["rank_witness"] = {"strength": self.rank.strength, **self.rank.to_json_obj()}
        if self.inertia_bounds is not None:
            out["inertia"] = bounds_json(*self.inertia_bounds)
            out["inertia_witness"] = dict(self.inertia_witness)
        if self.spectrum is not None:
            out["spectrum"] = list(self.spectrum)
            out["spectrum_tolerance"] = self.spectrum_tolerance
        if self.reason:
            out["reason"] = self.reason
        return out
