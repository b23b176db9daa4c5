"""Proposition 2.3: at m ∈ M, Hess L(m) has d positive and n − d zero eigenvalues.

Decided exactly at m: H(m) = 0; Hess L(m) = 2 Σ_r (∇f_r∇f_rᵀ + f_r Hess f_r) computed with the
residual term and shown equal to 2 J_Hᵀ J_H; each Hess(f_r²)(m) = 2∇f_r∇f_rᵀ has rank one (∇f_r ≠ 0);
the ∇f_r are linearly independent (transversality: rank J_H = d). Then Hess L(m) is a Gram matrix
(positive semidefinite) of rank d, so its inertia (n₊, n₋, n₀) is (d, 0, n − d). For rational Hessians of
moderate size an exact congruence P·Hess·Pᵀ = diag(D) (Sylvester's law) is computed as well.
"""

from __future__ import annotations

from symland import linalg
from symland.tiers import RationalKind
from symland.tiers.cost import HESSIAN_LIMIT  # build the full exact n × n Hessian (residual term included) up to this n

from proofs_check import hypotheses as hyp
from proofs_check._at_point import analysis_at, smoothness_hypothesis
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails

CLAIM = "prop-2.3"
TITLE = "Proposition 2.3: the Hessian of L at m ∈ M has inertia (n₊, n₋, n₀) = (d, 0, n − d)"
CONGRUENCE_LIMIT = 120  # also an exact congruence witness up to this n

__all__ = ["check", "CLAIM", "TITLE"]


def check(inst: Instance, ctx: Context) -> Certificate:
    timer = Timer()
    net, data = inst.network(), inst.data
    m, n = data.d * data.l, net.n
    dname = "dℓ" if data.l > 1 else "d"
    checks = [hyp.overparameterized(n, m, dname), hyp.distinct_inputs(data)]
    hyps = [(label, status) for label, status, _ in checks]
    failed = [label for label, _, ok in checks if not ok]
    if failed:
        return hypothesis_fails(CLAIM, inst, hyps, timer, f"hypothesis fails: {failed[0]}")
    return decide(CLAIM, inst, ctx, hyps, timer)


def decide(claim: str, inst: Instance, ctx: Context, hyps: list, timer: Timer, *,
           constructed: bool = False) -> Certificate:
    """Membership, the exact Hessian, rank one summands, transversality and the inertia at m."""
    CLAIM = claim  # noqa: N806 - the certificates below name the calling claim
    net, data = inst.network(), inst.data
    m, n = data.d * data.l, net.n
    dname = "dℓ" if data.l > 1 else "d"
    pa, due = analysis_at(CLAIM, inst, ctx, hyps, timer, hessian=n <= HESSIAN_LIMIT, constructed=constructed)
    if due is not None:
        return due
    if pa.hessian_issue and n <= HESSIAN_LIMIT and pa.verdict == "proved":
        hyps.append(("H twice differentiable at m", f"no: {pa.hessian_issue}"))
        return hypothesis_fails(CLAIM, inst, hyps, timer, f"Hess is not defined at m: {pa.hessian_issue}")
    (label, status), cls = smoothness_hypothesis(pa)
    hyps.append((label, status))
    if cls in ("C^0", "C^1"):  # only reached for n > HESSIAN_LIMIT: the Hessian was not built
        return hypothesis_fails(CLAIM, inst, hyps, timer, f"Hess L(m) need not exist: H is only {cls} near m")
    vals, kind, r = pa.values, pa.values.kind, pa.rank.rank
    details = list(pa.details)
    witness = dict(pa.witness)
    if n <= HESSIAN_LIMIT and pa.verdict == "proved":
        HL, G = vals.hess_L, vals.gram()
        if any(not kind.is_zero(HL[i][j] - G[i][j]) for i in range(n) for j in range(n)):
            return Certificate(CLAIM, inst.name, "refuted", kind.name,  # pragma: no cover
                               "Hess L(m) ≠ 2JᵀJ although H(m) = 0", tuple(hyps), witness,
                               timer.seconds, tuple(details), inst.expect(CLAIM))
        details.append(f"Hess L(m) ({n}×{n}, residual term Σ f_r Hess f_r included) = 2 J_Hᵀ J_H exactly")
        how = "Hess L = 2JᵀJ"
    elif pa.membership_exact:
        HL = None
        details.append("Hess L(m) = 2 J_Hᵀ J_H + 2 Σ f_r Hess f_r = 2 J_Hᵀ J_H since every f_r(m) = 0 exactly")
        how = "Hess L = 2JᵀJ (f(m) = 0)"
    else:
        HL = None
        details.append("Hess L(m) ≈ 2 J_Hᵀ J_H: the residual term 2 Σ f_r Hess f_r is neglected, |f_r(m)| being "
                       "below the tolerance (numerical)")
        how = "Hess L ≈ 2JᵀJ (f(m) ≈ 0)"
    if pa.spectrum is not None and pa.tier == "float":  # the nonzero eigenvalues 2σ_i² of 2JᵀJ
        nonzero = pa.spectrum[len(pa.spectrum) - r:] if r else ()
        if nonzero:
            witness["hessian_nonzero_spectrum"] = {"count": len(nonzero), "min": min(nonzero), "max": max(nonzero)}
    inertia = (r, 0, n - r)  # Sylvester's order (n₊, n₋, n₀)
    witness["inertia"] = list(inertia)
    details.append(f"2JᵀJ is a Gram matrix (PSD) of rank rank J = {r}: inertia {inertia}")
    if HL is not None and isinstance(kind, RationalKind) and n <= CONGRUENCE_LIMIT:
        ic = linalg.inertia(HL)
        got = (ic.positive, ic.negative, ic.zero)
        if got != (r, 0, n - r):  # pragma: no cover - two exact proofs cannot disagree
            raise AssertionError(f"congruence inertia {got} disagrees with rank {r}")
        witness["congruence_diagonal"] = [str(v) for v in ic.diagonal]
        details.append(f"independently: P·Hess·Pᵀ = diag(D) exactly with {ic.positive} positive, "
                       f"{ic.negative} negative, {ic.zero} zero entries in D (Sylvester's law of inertia)")
        how += ", congruence"
    if pa.verdict == "proved":
        rows_ok = (vals.nonzero_index if vals.J is None else  # at scale: a nonzero entry of each row
                   [next((j for j, v in enumerate(g) if not kind.is_zero(v)), None) for g in vals.J])
        witness["gradient_nonzero_index"] = rows_ok
    else:  # full row rank (certified or numerical) already makes every row ∇f_r nonzero
        rows_ok = list(range(len(vals.J))) if r == m else [None]
    if None in rows_ok:
        i = rows_ok.index(None)
        details.append(f"∇f_{i + 1}(m) = 0, so Hess(f_{i + 1}²)(m) = 0 has rank 0, not 1")
    else:
        details.append("each Hess(f_r²)(m) = 2∇f_r∇f_rᵀ with ∇f_r ≠ 0: rank one")
    if r < m:
        return Certificate(CLAIM, inst.name, "refuted", kind.name,
                           f"transversality fails: rank J = {r} < {m}; Hess L(m) has inertia {inertia}",
                           tuple(hyps), witness, timer.seconds, tuple(details), inst.expect(CLAIM))
    details.append(f"∇f_1, …, ∇f_{m} linearly independent (the M_i meet transversally): {pa.rank.method}")
    evidence = (f"inertia (n₊, n₋, n₀) = ({r}, 0, {n - r}) = ({dname}, 0, n − {dname}); {how}; Hess(f_i²) rank 1; "
                f"∇f_i independent")
    return Certificate(CLAIM, inst.name, pa.verdict, kind.name, evidence, tuple(hyps), witness,
                       timer.seconds, tuple(details), inst.expect(CLAIM))
