"""What Theorem 2.1, Proposition 2.3 and Theorem 4.1 share: the analysis at the instance's point, as a verdict.

The analysis itself — membership m ∈ M, the rank of J_H(m) with its witness, the smoothness near m — is computed
once per run by :func:`symland.analyse` (:meth:`proofs_check.instance.Context.analysis`); the claims never
re-compute a point. Here an analysis that already settles the claim (m ∉ M, J_H undefined, undecided) becomes its
certificate. Rank d of J_H(m) at a point of M makes 0 a regular value of H near m, so by the implicit function
theorem M is, near m, a submanifold of dimension n − d of the same smoothness as H.
"""

from __future__ import annotations

from symland.point import PointAnalysis
from symland.point.build import SMOOTH_LABEL

from proofs_check.certificate import Certificate
from proofs_check.instance import (
    Context,
    Instance,
    Timer,
    hypothesis_fails,
    inconclusive,
)

__all__ = ["analysis_at", "due", "off_M", "smoothness_hypothesis"]


def off_M(claim, inst, hyps, timer, tier, evidence, witness, source) -> Certificate:
    """``hypothesis-fails``: the claim speaks of points m ∈ M, and this m is certified not to be one.

    A point off M is not a counterexample to Theorem 2.1, Proposition 2.3, Theorem 4.1 or Remark 4.2
    (they say nothing there); `evidence` starts with "m ∉ M" and names the certified residual, which is
    in ``witness["H"]`` (exact values, or balls excluding 0). ``refuted`` stays for rank < d or a wrong
    inertia at a point of M.
    """
    hyps = list(hyps) + [("m ∈ M", f"no: {evidence[len('m ∉ M: '):]}")]
    return Certificate(claim, inst.name, "hypothesis-fails", tier, evidence, tuple(hyps), dict(witness),
                       timer.seconds, (f"point: {source}",), inst.expect(claim))


def due(claim: str, inst: Instance, pa: PointAnalysis, hyps: list, timer: Timer, *,
        hessian: bool = False) -> Certificate | None:
    """The certificate that the analysis `pa` already settles (None when the claim goes on to decide)."""
    if pa.status == "ok":
        return None
    if pa.status == "undecided-sigma":
        hyps.append(("H differentiable at m", f"not decided: {inst.activation.undecided}"))
        return inconclusive(claim, inst, hyps, timer, pa.reason)
    if pa.status == "undefined":
        what = "H twice differentiable at m" if hessian else "H differentiable at m"
        hyps.append((what, f"no: {pa.reason}"))
        exact = pa.tier in ("exact", "symbolic", "rational", "exppoly")
        return hypothesis_fails(claim, inst, hyps, timer,
                                f"{'Hess' if hessian and exact else 'J_H'} is not defined at m: {pa.reason}")
    if pa.status == "off-M":
        return off_M(claim, inst, hyps, timer, pa.tier, pa.reason, pa.witness, pa.source)
    tier = pa.tier if pa.values is not None or pa.tier in ("ball", "mp", "float") else "none"
    return inconclusive(claim, inst, hyps, timer, pa.reason, tier=tier,
                        witness=dict(pa.witness) if pa.witness and tier != "none" else {})


def analysis_at(claim: str, inst: Instance, ctx: Context, hyps: list, timer: Timer, *,
                constructed: bool = False, hessian: bool = False) -> tuple[PointAnalysis, Certificate | None]:
    """(the run's analysis at the instance's point, the certificate it already settles or None)."""
    pa = ctx.analysis(inst, constructed=constructed, hessian=hessian)
    return pa, due(claim, inst, pa, hyps, timer, hessian=hessian)


def smoothness_hypothesis(pa: PointAnalysis) -> tuple[tuple[str, str], str]:
    """((label, status), class) for 'H smooth near m' from the analysis (the class is in its witness)."""
    return (SMOOTH_LABEL, pa.smoothness_status), pa.smoothness
