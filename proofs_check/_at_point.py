"""What Theorem 2.1, Proposition 2.3 and Theorem 4.1 share: membership m ∈ M and the rank of J_H(m).

All decided exactly. Rank d of J_H(m) at a point of M makes 0 a regular value of H near m, so by the
implicit function theorem M is, near m, a submanifold of dimension n − d of the same smoothness as H.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from symland.errors import NotRepresentableError, UndefinedDerivativeError

from proofs_check._numeric import NUMERIC_TIERS, numeric_outcome
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails, inconclusive

__all__ = ["PointAnalysis", "analyse", "off_M", "smoothness_near"]

KERNEL_LIMIT = 60  # compute an explicit tangent basis when n is at most this


@dataclass
class PointAnalysis:
    """The outcome at a point: either `cert` (an early verdict) or the values and the rank proof."""

    cert: Certificate | None = None
    vals: object = None
    rank: object = None
    source: str = ""
    details: list = field(default_factory=list)
    witness: dict = field(default_factory=dict)
    verdict: str = "proved"  # what success is worth in this tier: proved, certified or numerical
    tier: str = ""
    membership_exact: bool = True  # H(m) = 0 exactly (so Hess L = 2JᵀJ exactly)
    outcome: object = None  # the numeric tiers' Outcome


def off_M(claim, inst, hyps, timer, tier, evidence, witness, source) -> Certificate:
    """``hypothesis-fails``: the claim speaks of points m ∈ M, and this m is certified not to be one.

    A point off M is not a counterexample to Theorem 2.1, Proposition 2.3, Theorem 4.1 or Remark 4.2
    (they say nothing there); `evidence` starts with "m ∉ M" and names the certified residual, which is
    in ``witness["H"]`` (exact values, or balls excluding 0). ``refuted`` stays for rank < d or a wrong
    inertia at a point of M.
    """
    hyps = list(hyps) + [("m ∈ M", f"no: {evidence[len('m ∉ M: '):]}")]
    return Certificate(claim, inst.name, "hypothesis-fails", tier, evidence, tuple(hyps), witness,
                       timer.seconds, (f"point: {source}",), inst.expect(claim))


def smoothness_near(sigma, vals, witness: dict | None = None) -> tuple[str, str]:
    """(label, status) for 'H smooth near m', and the class that the manifold conclusion gets.

    With ``witness``, the class is recorded in it — ``witness["smoothness"]`` ("smooth" or "C^k") and
    ``witness["smoothness_at"]``, the breakpoints hit as [[c, count], …] (not counted, so absent, when σ is smooth
    everywhere) — so the re-checker can re-derive it from
    σ at the point's pre-activations (a certificate claiming more smoothness than that is rejected).

    σ is analytic off its breakpoints (decided for a custom σ, :mod:`symland.kinks`), so H is as smooth near m as
    σ is at the pre-activations that sit exactly at a breakpoint c (a ball: that contain c): C^k with k the least
    class σ has at those c (a lower bound where the exact class is not decided).
    """
    (label, status), cls, hits = _smoothness(sigma, vals)
    if witness is not None and not cls.startswith("C^?"):
        witness["smoothness"] = cls
        if hits is not None:
            witness["smoothness_at"] = [[str(c), int(n)] for c, n in hits]
    return (label, status), cls


def _smoothness(sigma, vals) -> tuple[tuple[str, str], str, list]:
    label = "H smooth near m"
    ok, _ = sigma.smooth_decided()
    if ok:
        return (label, "yes: σ is smooth"), "smooth", None  # breakpoints not counted
    if sigma.undecided:  # derivatives are refused before this point; never claim a class
        return (label, f"not decided: {sigma.undecided}"), "C^? (not decided)", None
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
        return (label, f"yes: no hidden pre-activation at m is at a kink of {sigma.name} (breakpoints {where}), "
                "and σ is analytic off them"), "smooth", hits
    return (label, f"C^{low} only: pre-activations at breakpoints of σ ({'; '.join(parts)}); the conclusions "
            f"hold in the C^{low} sense"), f"C^{low}", hits


def analyse(claim: str, inst: Instance, ctx: Context, hyps: list, timer: Timer, *,
            constructed: bool = False, hessian: bool = False) -> PointAnalysis:
    """Membership and rank at the instance's point; fills `cert` when a verdict is already due."""
    if inst.activation.undecided:  # J_H needs σ', which is refused for a σ whose kinks are not decided: no tier helps
        hyps.append(("H differentiable at m", f"not decided: {inst.activation.undecided}"))
        out = PointAnalysis()
        out.cert = inconclusive(claim, inst, hyps, timer, f"J_H at m not decided: {inst.activation.undecided}")
        return out
    if ctx.tier_of(inst) in NUMERIC_TIERS:
        return _analyse_numeric(claim, inst, ctx, hyps, timer, hessian=hessian)
    from proofs_check import _at_scale

    if _at_scale.applies(inst, ctx, constructed):  # J_H too large to build: H(m) and the minor only
        out = _at_scale.analyse_at_scale(claim, inst, ctx, hyps, timer)
        if out is not None:
            return out
    if _at_scale.applies_given(inst, ctx, constructed):  # a given point, J_H large: J_H mod p for the rank
        out = _at_scale.analyse_given(claim, inst, ctx, hyps, timer)
        if out is not None:
            return out
    out = PointAnalysis()
    try:
        point, out.source = ctx.point(inst, constructed=constructed)
        vals = ctx.values(inst, constructed=constructed, hessian=hessian)
    except UndefinedDerivativeError as exc:
        what = "H twice differentiable at m" if hessian else "H differentiable at m"
        hyps.append((what, f"no: {exc}"))
        out.cert = hypothesis_fails(claim, inst, hyps, timer,
                                    f"{'Hess' if hessian else 'J_H'} is not defined at m: {exc}")
        return out
    except NotRepresentableError as exc:
        out.cert = inconclusive(claim, inst, hyps, timer, str(exc))
        return out
    kind = vals.kind
    out.vals = vals
    widths = ctx.construction(inst).network.widths if constructed else None
    out.witness["instance"] = inst.describe(widths)
    out.witness["point_source"] = out.source
    out.witness["point"] = {k: kind.to_str(v) for k, v in zip(ctx.problem(inst).network.param_names(), vals.point)}
    out.witness["H"] = [kind.to_str(v) for v in vals.H]
    nonzero = [r for r, v in enumerate(vals.H) if not kind.is_zero(v)]
    if nonzero:
        r = nonzero[0]
        out.cert = off_M(claim, inst, hyps, timer, kind.name,
                         f"m ∉ M: f_{r + 1}(m) = {kind.to_str(vals.H[r])} ≠ 0 ({len(nonzero)} nonzero residuals)",
                         out.witness, out.source)
        return out
    out.details.append(f"H(m) = 0 exactly at {out.source} ({len(vals.H)} residuals)")
    n = len(vals.point)
    try:
        rank = ctx.rank(inst, constructed=constructed, want_kernel=n <= KERNEL_LIMIT)
    except NotRepresentableError as exc:  # pragma: no cover - rank works for both exact kinds
        out.cert = inconclusive(claim, inst, hyps, timer, f"rank not decided: {exc}", tier=kind.name)
        return out
    out.rank = rank
    out.tier = kind.name
    out.witness["rank"] = {"lower": rank.lower, "upper": rank.upper, "minor": rank.minor,
                           "method": rank.method}
    if rank.kernel:
        out.witness["tangent_basis"] = [list(v) for v in rank.kernel]
    if not rank.exact:
        out.cert = inconclusive(claim, inst, hyps, timer, f"rank J_H not decided: {rank.summary()}",
                                tier=kind.name, witness=out.witness)
    return out


def _analyse_numeric(claim, inst, ctx, hyps, timer, *, hessian: bool) -> PointAnalysis:
    from symland.tiers.numeric import STRENGTH

    oc = numeric_outcome(inst, ctx)
    out = PointAnalysis(vals=oc.vals, rank=oc.rank, source=oc.source, details=list(oc.details),
                        witness=dict(oc.witness), verdict=STRENGTH[oc.tier], tier=oc.tier,
                        membership_exact=oc.membership_exact, outcome=oc)
    if oc.status == "undefined":
        what = "H twice differentiable at m" if hessian else "H differentiable at m"
        hyps.append((what, f"no: {oc.reason}"))
        out.cert = hypothesis_fails(claim, inst, hyps, timer, f"J_H is not defined at m: {oc.reason}")
    elif oc.status == "off-M":
        out.cert = off_M(claim, inst, hyps, timer, oc.tier, oc.reason, out.witness, oc.source)
    elif oc.status != "ok":
        out.cert = inconclusive(claim, inst, hyps, timer, oc.reason, tier=oc.tier, witness=out.witness)
    return out
