"""Assembling a :class:`~symland.point.value.PointAnalysis` from what a route found, and the smoothness part.

σ is analytic off its breakpoints (decided for a custom σ, :mod:`symland.sigma.kinks`), so H is as smooth near m as σ is
at the pre-activations that sit exactly at a breakpoint c (a ball: that contain c): C^k with k the least class σ has
at those c (a lower bound where the exact class is not decided).
"""

from __future__ import annotations

from symland.errors import NotRepresentableError
from symland.point.value import PointAnalysis, RankBound

__all__ = ["result", "smoothness", "SMOOTH_LABEL"]

SMOOTH_LABEL = "H smooth near m"
NAMES_LIMIT = 200_000  # parameter names listed in the analysis up to this n
STRENGTH = {"exact": "proved", "symbolic": "proved", "rational": "proved", "exppoly": "proved",
            "ball": "certified", "mp": "numerical", "float": "numerical"}


def smoothness(sigma, vals) -> tuple[str, str, list | None]:
    """(status text, class, breakpoints hit [(c, count)] or None when σ is smooth everywhere)."""
    ok, _ = sigma.smooth_decided()
    if ok:
        return "yes: σ is smooth", "smooth", None  # breakpoints not counted
    if sigma.undecided:  # derivatives are refused before this point; never claim a class
        return f"not decided: {sigma.undecided}", "C^? (not decided)", None
    hits = [(c, n) for c, n in vals.breakpoint_preactivations if n] or (
        [(0, vals.zero_preactivations)] if vals.zero_preactivations else [])
    low, parts = None, []
    for c, n in hits:
        j = sigma.breakpoints.index(c)
        k, _ = sigma.class_at(j)
        at_least = k is None
        if at_least:  # J_H(m) was computed, so orders 0 and 1 agree at c: C^1 at least
            try:
                k = max(1, sigma._order_at(j, 8))
            except NotRepresentableError:
                k = 1
        if k == float("inf"):
            continue
        low = k if low is None else min(low, k)
        parts.append(f"{n} at t = {c}, where {sigma.name} is C^{k}{' at least' if at_least else ''}")
    if low is None:
        where = ", ".join(str(c) for c in sigma.breakpoints)
        return (f"yes: no hidden pre-activation at m is at a kink of {sigma.name} (breakpoints {where}), "
                "and σ is analytic off them"), "smooth", hits
    return (f"C^{low} only: pre-activations at breakpoints of σ ({'; '.join(parts)}); the conclusions "
            f"hold in the C^{low} sense"), f"C^{low}", hits


def _rank_bound(rank, strength: str):
    if rank is None or isinstance(rank, RankBound):
        return rank
    return RankBound(rank.lower, rank.upper, rank.method, rank.minor or {}, tuple(rank.kernel or ()),
                     strength if rank.lower == rank.upper else "bounds", tuple(getattr(rank, "shape", ()) or ()))


def result(req, status: str, tier: str, reason: str = "", *, vals=None, rank=None, source: str = "",
           details=(), witness=None, membership_exact: bool = False, spectrum=None) -> PointAnalysis:
    """The analysis from a route's findings (``status``: ok | off-M | inconclusive | undefined)."""
    witness = dict(witness or {})
    kind = getattr(vals, "kind", None)
    strength = STRENGTH.get(tier, "numerical")
    residual = tuple(kind.to_str(v) for v in vals.H) if vals is not None and kind is not None else ()
    if status == "off-M":
        on_M, membership = False, reason
    elif status == "ok":
        on_M = True if membership_exact else None
        membership = details[0] if details else "m ∈ M"
        if not membership_exact:
            membership = f"m appears on M ({membership}; {strength})"
    else:
        on_M, membership = None, reason or status
    n = req.problem().network.n
    names = tuple(req.problem().network.param_names()) if n <= NAMES_LIMIT else ()
    rb = _rank_bound(rank, strength)
    parts = {"membership": tier}
    out = dict(size=n, tier=tier, strength=strength, origin=req.spec.origin, source=source, status=status, on_M=on_M,
               membership=membership, residual=residual, rank=rb, reason=reason, details=tuple(details),
               names=names, membership_exact=membership_exact, values=vals)
    if vals is not None and status in ("ok", "off-M", "inconclusive"):  # H's class near m: any point, on M or not
        text, cls, hits = smoothness(req.activation, vals)
        out.update(smoothness=cls, smoothness_status=text, kinks=tuple((c, int(n)) for c, n in hits or ()))
        if status == "ok" and not cls.startswith("C^?"):  # recorded for the re-checker where a claim goes on
            witness["smoothness"] = cls
            if hits is not None:
                witness["smoothness_at"] = [[str(c), int(n)] for c, n in hits]
        parts["smoothness"] = tier
    if rb is not None:
        parts["rank"] = tier
        if status == "ok" and rb.exact:  # on M, Hess L = 2JᵀJ (f(m) = 0), a Gram matrix of rank rank J
            r = rb.lower
            out["inertia_bounds"] = ((r, 0, n - r), (r, 0, n - r))
            how = ("H(m) = 0 exactly, so Hess L = 2JᵀJ: PSD of rank rank J" if membership_exact else
                   "H(m) ≈ 0, so Hess L ≈ 2JᵀJ (residual term neglected): PSD of rank rank J")
            out["inertia_witness"] = {"strength": strength, "method": f"{how} = {r}"}
            parts["inertia"] = tier
    if spectrum is not None:  # the float route's nonzero eigenvalues 2σ_i² of 2JᵀJ; the other n − r are 0
        out["spectrum"] = (0.0,) * (n - len(spectrum)) + tuple(sorted(float(v) for v in spectrum))
        parts["spectrum"] = tier
    out["witness"] = witness
    out["parts"] = parts
    return PointAnalysis(**out)


def full_rank_mod_p(req, n: int, m: int, rows, cols, prime: int, det: int, method: str, *, vals, source: str,
                    details, witness: dict) -> PointAnalysis:
    """The exact result at a point of M whose m × m minor (``rows``, ``cols``) of J_H is nonsingular mod ``prime``
    (det ≢ 0): rank J_H = m proved; the minor and ``method`` go into the witness's rank (the at-scale and the
    given-point routes)."""
    minor = {"rows": list(rows), "cols": list(cols), "prime": prime, "det_mod_p": int(det),
             "reduction": {"kind": "rational"}}
    witness["rank"] = {"lower": m, "upper": m, "minor": minor, "method": method}
    return result(req, "ok", "exact", vals=vals, rank=RankBound(m, m, method, minor, shape=(m, n)), source=source,
                  details=details, witness=witness, membership_exact=True)
