"""The paper's claims, one module each, and their registry: id → check function, and the runner.

==================  ==========================================================================================
``thm-2.1``         :mod:`.thm_2_1` — M = H⁻¹(0) is a smooth (n − d)-manifold where 0 is a regular value
``rem-2.2``         :mod:`.rem_2_2` — L̂ = Σ|f_i| has the zero set of L
``prop-2.3``        :mod:`.prop_2_3` — at m ∈ M, Hess L = 2 J_Hᵀ J_H has inertia (n₊, n₋, n₀) = (d, 0, n − d)
``lem-3.3``         :mod:`.lem_3_3` — the explicit one-hidden-layer interpolating network
``cor-3.4``         :mod:`.cor_3_4` — the deep construction
``thm-4.1``         :mod:`.thm_4_1` — M ≠ ∅ and of dimension n − d for wide feedforward nets
``rem-4.2``         :mod:`.rem_4_2` — ℓ outputs: codimension ℓd
``sec-5``           :mod:`.sec_5` — losses Σ|f_i|^a, a ≥ 1, have the same zero set
``*-global``        :mod:`.global_claims` — ``thm-2.1-global``, ``dim-M-global`` (opt-in; msolve)
==================  ==========================================================================================

Each module has ``CLAIM``, ``TITLE`` and ``check(instance, ctx) -> Certificate``; :func:`run` chooses, for each
(instance, claim), between the claim's ``check`` and a ``hypothesis-fails``/``inconclusive`` certificate when the
network is not one the claim is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from symland.errors import UnknownNameError

from proofs_check.certificate import CertificateList
from proofs_check.claim_ids import ALL_IDS, GENERAL
from proofs_check.claims import cor_3_4, global_claims, lem_3_3, prop_2_3, rem_2_2, rem_4_2, sec_5, thm_2_1, thm_4_1
from proofs_check.instance import Context, Instance

__all__ = ["CLAIMS", "ALL_IDS", "TITLES", "resolve", "run", "plan"]

_MODULES = (thm_2_1, rem_2_2, prop_2_3, lem_3_3, cor_3_4, thm_4_1, rem_4_2, sec_5)
CLAIMS: dict[str, Callable] = {mod.CLAIM: mod.check for mod in _MODULES}
TITLES: dict[str, str] = {mod.CLAIM: mod.TITLE for mod in _MODULES}
CLAIMS.update(global_claims.CHECKS)  # opt-in (--claim thm-2.1-global): need msolve, the extra symland[global]
TITLES.update(global_claims.TITLES)


def resolve(ids: Iterable[str] | None) -> tuple[str, ...]:
    """Validate claim ids (UnknownNameError names the valid ones)."""
    if not ids:
        return tuple(i for i in ALL_IDS if i in CLAIMS)
    out = []
    for cid in ids:
        if cid not in CLAIMS:
            if cid in ALL_IDS:
                raise UnknownNameError(f"claim {cid!r} is not implemented yet (available: {', '.join(CLAIMS)})")
            raise UnknownNameError(f"unknown claim {cid!r} (known: {', '.join(CLAIMS)})")
        if cid not in out:
            out.append(cid)
    return tuple(out)


def _layered_only(cid: str, inst: Instance):
    from proofs_check.instance import Timer, hypothesis_fails

    hyp = ("layered network f(x) = W σ(… σ(W₁x − b₁) …) − b",
           "no: a general DAG network (Section 3); this claim's construction is for layered networks")
    return hypothesis_fails(cid, inst, [hyp], Timer(), "hypothesis fails: a layered network is needed")


def _needs_biases(cid: str, inst: Instance):
    from proofs_check.instance import Timer, hypothesis_fails, inconclusive

    if cid in ("rem-2.2", "sec-5") and inst.point is not None:  # m' raises the output bias by 1
        hyp = ("an output bias (to build m' off M)", "no: the network has no biases (bias=False, --no-bias)")
        return hypothesis_fails(cid, inst, [hyp], Timer(), "hypothesis fails: m' = m + e_(output bias) needs biases")
    from symland.networks.symmetry import empty_without_biases

    empty = empty_without_biases(inst.activation, inst.data) if inst.point is None and inst.dag is None else None
    if empty is not None:  # no parameter vector fits the data: M is empty, there is no point to know
        hyp = ("M = H⁻¹(0) nonempty", f"no: {empty[1]}")
        return hypothesis_fails(cid, inst, [hyp], Timer(), f"hypothesis fails: M is empty ({empty[0]})")
    hyp = ("biases b_j (Lemma 3.3 / Corollary 3.4)", "no: the network has no biases (bias=False, --no-bias); "
           "the construction's midpoint biases b_j = (a·x_{j−1} + a·x_j)/2 cannot be set")
    if cid in GENERAL:
        return inconclusive(cid, inst, [hyp], Timer(), "no point of M is known for a network without biases: "
                            "give one (--point)")
    return hypothesis_fails(cid, inst, [hyp], Timer(), "hypothesis fails: Lemma 3.3's construction needs biases")


def run(instances: Iterable[Instance], claims: Iterable[str] | None = None, *,
        ctx: Context | None = None, progress: Callable[[str], None] | None = None) -> CertificateList:
    """Run the chosen claims (default: each instance's own list) on every instance."""
    ctx = ctx or Context()
    chosen = resolve(claims) if claims else None
    certs = []
    instances = list(instances)
    plan(ctx, instances, chosen)
    for inst in instances:
        for cid in chosen or resolve(inst.claims):
            if progress:
                progress(f"{cid} on {inst.name}")
            ctx.claim = cid  # --tier auto plans each claim on its own
            if cid in global_claims.IDS:  # exact over ℚ by msolve, any network with polynomial σ; no tier choice
                certs.append(CLAIMS[cid](inst, ctx))
            elif inst.dag is not None and cid not in GENERAL:
                certs.append(_layered_only(cid, inst))
            elif not inst.bias and (cid not in GENERAL or inst.point is None):
                certs.append(_needs_biases(cid, inst))
            else:
                run = ctx.run_claim(inst, lambda: CLAIMS[cid](inst, ctx))  # noqa: B023 - run_claim calls it at once
                certs.append(_tier_notes(run, inst, cid, ctx))
    return CertificateList(certs)


def plan(ctx: Context, instances: Iterable[Instance], claims: Iterable[str] | None = None) -> Context:
    """Tell `ctx` what the whole run will ask of each point, so that its one analysis computes it: Hess L when a
    claim of the run needs it (prop-2.3), and whether the run analyses the constructed point (then lem-3.3 reads H
    there from that analysis instead of a forward pass of its own). Callers that run claim by claim (a timeout per
    claim, a sweep) call it first with every claim; :func:`run` calls it itself."""
    chosen = resolve(claims) if claims else None
    instances = list(instances)
    ctx.plan_hessian = ctx.plan_hessian or any("prop-2.3" in (chosen or resolve(i.claims)) for i in instances)
    at_constructed = {"thm-4.1"}
    ctx.plan_constructed = ctx.plan_constructed or any(
        cid in at_constructed or (cid in ("thm-2.1", "prop-2.3", "rem-2.2", "sec-5") and i.point is None
                                  and i.spec is None)
        for i in instances for cid in (chosen or resolve(i.claims)))
    return ctx


def _tier_notes(cert, inst: Instance, cid: str, ctx: Context):
    """What the tier means for a certificate: a claim the paper proves is expected ``proved`` in exact tiers,
    ``certified`` in the ball tier and ``numerical`` in mp/float (unless the instance names its own expectation);
    with ``--tier auto`` the details say which tier was chosen and why."""
    from dataclasses import replace

    from symland.tiers.numeric import INEXACT_TIERS, STRENGTH

    if cid not in dict(inst.expected) and cert.expected == "proved" and cert.tier in INEXACT_TIERS:
        cert = replace(cert, expected=STRENGTH[cert.tier])
    if inst.tier == "auto" and cert.tier != "none":
        tier, why = ctx.auto_choice(inst)
        note = f"tier auto → {tier}: {why}" if tier == cert.tier else \
            f"tier auto → {cert.tier}: the values at the point need it"
        cert = replace(cert, details=tuple(cert.details) + (note,))
    return cert
