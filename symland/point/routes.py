"""The route table: which computation decides each part of the analysis, for each origin of the point and tier.

=====================  ===============  ==========================================================================
origin                 tier             route (membership and rank; inertia from the Gram argument on M)
=====================  ===============  ==========================================================================
constructed, large     exact            ``at-scale``: H(m) by prefix sums, the output-weight minor mod p
                                        (:mod:`symland.point.at_scale`; J_H not built)
given, large           exact            ``given-mod-p``: exact forward pass, J_H mod p on its live columns
                                        (:mod:`symland.point.given`)
constructed / given    exact, symbolic  ``exact``: Problem.at once, H(m) = 0 exactly, a minor ≠ 0 mod p
resolved (certify)     exact            ``exact`` at the exact m* that certify solved (passed in, not re-solved)
constructed / given    ball, mp, float  ``numeric``: by construction / residual balls, a certified or numerical
                                        minor (:mod:`symland.point.numeric`)
resolved               ball             ``numeric`` → :mod:`symland.point.resolved`: m* re-solved (or passed in)
=====================  ===============  ==========================================================================

Off M (or undecided), when the inertia or the spectrum is asked, the full Hess L (residual term included) is built
and its inertia decided per tier (:mod:`symland.point.hessian`). For ``auto`` the tier comes from the one chooser,
:func:`symland.tiers.plan.plan_at` (in ``_auto``, the one place this package asks it); :func:`planned_route`
tells, without computing, which route a problem, point and tier take (for a cost model or a size guard).
"""

from __future__ import annotations

from dataclasses import replace

from symland.errors import InputError, NotRepresentableError, UndefinedDerivativeError
from symland.point.build import result
from symland.point.request import Request
from symland.point.value import PointAnalysis, PointSpec, RankBound
from symland.tiers import ExpPolyKind, RationalKind

__all__ = ["analyse", "TIERS", "ROUTES", "route_of", "planned_route", "as_spec"]

TIERS = ("auto", "exact", "symbolic", "ball", "mp", "float")
KERNEL_LIMIT = 60  # compute an explicit tangent basis (exact kernel of J_H) when n is at most this
HESSIAN_LIMIT = 400  # the n × n Hess L is built (off M, when the inertia or spectrum is asked) up to this n


def _exact(req: Request) -> PointAnalysis:
    tier = req.tier
    try:
        point, source = req.exact_point()
        kind = req.kind()
        if isinstance(kind, RationalKind) and not all(_is_rational(v) for v in point):
            kind = ExpPolyKind()
        req.note(f"H, J_H{' and Hess f_r' if req.hessian else ''} at {source}")
        hess_issue = ""
        try:
            vals = req.problem().at(point, kind=kind, hessian=req.hessian)
        except UndefinedDerivativeError as exc:  # σ'' undefined: J_H may still be (the rank claims need only it)
            if not req.hessian:
                raise
            hess_issue = str(exc)
            vals = req.problem().at(point, kind=kind)
    except UndefinedDerivativeError as exc:
        return result(req, "undefined", tier, str(exc))
    except NotRepresentableError as exc:
        return result(req, "inconclusive", tier, str(exc))
    tier = kind.name
    widths = req.construction().network.widths if req.constructed else None
    w = {"instance": req.describe(widths), "point_source": source,
         "point": {k: kind.to_str(v) for k, v in zip(req.problem().network.param_names(), vals.point)},
         "H": [kind.to_str(v) for v in vals.H]}
    n = len(vals.point)
    req.note(f"rank of J_H ({len(vals.J)}×{n}, {kind.name})")
    from symland.linear.rank import prove_rank

    hint = None
    if req.spec.origin != "given" and req.dag is None:
        from symland.point.numeric import output_columns

        hint = output_columns(req.problem(), req)
    proof = prove_rank(kind, vals.J, want_kernel=n <= KERNEL_LIMIT, hint=hint)
    rank = _rank_bound(kind, vals, proof)
    nonzero = [r for r, v in enumerate(vals.H) if not kind.is_zero(v)]
    if nonzero:
        r = nonzero[0]
        return result(req, "off-M", tier, f"m ∉ M: f_{r + 1}(m) = {kind.to_str(vals.H[r])} ≠ 0 ({len(nonzero)} "
                      "nonzero residuals)", vals=vals, rank=rank, source=source, witness=w)
    details = [f"H(m) = 0 exactly at {source} ({len(vals.H)} residuals)"]
    w["rank"] = {"lower": proof.lower, "upper": proof.upper, "minor": proof.minor, "method": proof.method}
    if proof.kernel:
        w["tangent_basis"] = [list(v) for v in proof.kernel]
    if not proof.exact:
        return result(req, "inconclusive", tier, f"rank J_H not decided: {proof.summary()}", vals=vals, rank=rank,
                      source=source, witness=w)
    out = result(req, "ok", tier, vals=vals, rank=rank, source=source, details=details, witness=w,
                 membership_exact=True)
    return replace(out, hessian_issue=hess_issue) if hess_issue else out


def _rank_bound(kind, vals, proof) -> RankBound:
    """The rank proof as a RankBound; over Q[e^Q] an undecided rank is settled by χ(JJᵀ) (the multiplicity of its
    root 0 is exact), which names no kernel vectors (so a certificate's witness keeps the minor's bounds)."""
    lo, hi, method, strength = proof.lower, proof.upper, proof.method, "proved" if proof.exact else "bounds"
    if not proof.exact and isinstance(kind, ExpPolyKind):
        from symland.linear.spectrum import exppoly_rank

        r = exppoly_rank(kind, vals.J)
        if r is not None:
            lo = hi = r
            strength = "proved"
            method = (method.split("; no exact kernel")[0] + f"; and rank J = rank JJᵀ = {r}: the root 0 of χ(JJᵀ) "
                      f"(exact over Q[e^Q]) has multiplicity {len(vals.J) - r}")
    return RankBound(lo, hi, method, proof.minor or {}, proof.kernel, strength, tuple(proof.shape))


def _scale_applies(req) -> bool:
    from symland.point import at_scale

    return at_scale.applies(req)


def _mod_p_applies(req) -> bool:
    from symland.point import given

    return given.applies_given(req)


def _at_scale(req):
    from symland.point import at_scale

    return at_scale.analyse_at_scale(req)


def _given_mod_p(req):
    from symland.point import given

    return given.analyse_given(req)


def _numeric(req):
    from symland.point.numeric import numeric_analysis

    return numeric_analysis(req)


def _always(req) -> bool:
    return True


#: (name, tiers, applies(request) — a cheap test, nothing computed —, route): tried in order; a route that applies
#: but returns None (e.g. no prime gave a nonsingular minor at scale) passes to the next.
ROUTES = (
    ("at-scale", ("exact",), _scale_applies, _at_scale),
    ("given-mod-p", ("exact",), _mod_p_applies, _given_mod_p),
    ("exact", ("exact", "symbolic"), _always, _exact),
    ("numeric", ("ball", "mp", "float"), _always, _numeric),
)


def route_of(req: Request) -> tuple[str, PointAnalysis]:
    """(route name, its analysis) for the request: the first route of :data:`ROUTES` that decides it."""
    if req.activation.undecided:  # J_H needs σ', refused for a σ whose kinks are not decided: no tier helps
        return "none", result(req, "undecided-sigma", "none", f"J_H at m not decided: {req.activation.undecided}")
    for name, tiers, applies, fn in ROUTES:
        if req.tier in tiers and applies(req):
            out = fn(req)
            if out is not None:
                return name, out
    raise InputError(f"tier must be one of {', '.join(TIERS)}, got {req.tier!r}")  # pragma: no cover


def planned_route(problem, point, tier: str) -> str:
    """The route :func:`analyse` takes for this problem, point and (concrete) tier, decided without computing
    anything — for cost models and size guards (the route table's own test, not a copy of it)."""
    req = Request(problem, as_spec(point), tier)
    for name, tiers, applies, _ in ROUTES:
        if tier in tiers and applies(req):
            return name
    raise InputError(f"analyse: argument 'tier' must be one of {', '.join(TIERS[1:])}, got {tier!r}")


def as_spec(point) -> PointSpec:
    if isinstance(point, PointSpec):
        return point
    if point is None:
        return PointSpec.constructed()
    return PointSpec.given(point)


def analyse(problem, point, tier: str = "auto", *, spectrum: bool = False, inertia: bool = True,
            hessian: bool | None = None, prec: int = 128, max_prec: int = 4096, dps: int = 50,
            progress=None) -> PointAnalysis:
    """The landscape at a point, computed once: membership, rank of J_H, inertia of Hess L, smoothness, kinks.

    Args:
        problem: a :class:`~symland.networks.problem.Problem` (network and data).
        point: {name: value} or values in canonical order (exact strings such as ``"1/3"``, or numbers), or a
            :class:`PointSpec` (constructed by Lemma 3.3 / Corollary 3.4, given, or re-solved next to a model).
        tier: ``auto`` (the one chooser, :func:`symland.tiers.plan.plan_at`: a proving tier when it fits), ``exact``,
            ``symbolic``, ``ball`` (Arb from ``prec`` bits, doubled
            up to ``max_prec``), ``mp`` (``dps`` digits) or ``float``.
        spectrum: also the float64 eigenvalues of Hess L.
        inertia: decide the inertia of the full Hess L also off M (on M it follows from the rank).
        hessian: compute Hess f_r at m (default: when the inertia or spectrum needs it and n ≤ 400).

    Raises:
        InputError: an unknown tier (naming the argument) or a malformed point.

    >>> from symland import Dataset, Problem, mlp, analyse
    >>> prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [1]))
    >>> pa = analyse(prob, {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}, tier="exact")
    >>> pa.on_M, pa.rank.value, pa.inertia, pa.strength
    (True, 1, (1, 0, 3), 'proved')
    """
    from symland.networks.problem import Problem

    if not isinstance(problem, Problem):
        raise InputError(f"analyse: argument 'problem' must be a symland.Problem, got {type(problem).__name__}")
    if not isinstance(tier, str) or tier not in TIERS:
        raise InputError(f"analyse: argument 'tier' must be one of {', '.join(TIERS)}, got {tier!r}")
    spec = as_spec(point)
    n = problem.network.n
    want_hess = (inertia or spectrum) and n <= HESSIAN_LIMIT if hessian is None else hessian
    auto = tier == "auto"
    if auto:
        tier = _auto(problem, spec)
    opts = dict(prec=prec, max_prec=max_prec, dps=dps, progress=progress, hessian=want_hess, inertia=inertia,
                spectrum=spectrum)
    req = Request(problem, spec, tier, **opts)
    _, out = route_of(req)
    if auto and out.values is None and out.status == "inconclusive" and tier in ("exact", "symbolic"):
        req = Request(problem, spec, "ball", **opts)  # a value outside Q[e^Q]: certified enclosures instead
        _, out = route_of(req)
    if (inertia and out.inertia_bounds is None or spectrum) and want_hess and out.status in ("off-M", "inconclusive",
                                                                                            "ok"):
        from symland.point.hessian import with_hessian

        out = with_hessian(req, out, inertia=inertia, spectrum=spectrum)
    return out


def _auto(problem, spec: PointSpec) -> str:
    """``auto``: the one chooser (:func:`symland.tiers.plan.plan_at`, planned like ``inspect``: the full Hess L)."""
    from symland.tiers.plan import plan_at

    if spec.origin == "constructed":
        return plan_at(problem, None, "inspect").tier
    req = Request(problem, spec, "exact")
    try:
        values = req.given_values()
    except NotRepresentableError:
        return "ball"
    return plan_at(problem, values, "inspect").tier


def _is_rational(v) -> bool:
    from flint import fmpq

    return isinstance(v, fmpq) or (hasattr(v, "is_rational") and v.is_rational())
