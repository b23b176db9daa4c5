"""``--tier auto`` for the claims: each claim planned on its own by the one chooser, and the fall-back on an overrun.

The choice and the cost model live in the numbers layer (:func:`symland.tiers.plan.plan`,
:mod:`symland.tiers.cost`); this module hands them an :class:`~proofs_check.instance.Instance` and the claim being
run, and bounds the run (:func:`run_auto`). Each claim gets the strongest tier predicted to finish *its* job:
thm-2.1 (J_H and a rank mod p) stays proved where prop-2.3 (the full Hessian) is sent to the ball tier.
"""

from __future__ import annotations

from symland.tiers.cost import COST, TERM_CAP, job_of, predict as _predict
from symland.tiers.plan import (
    DEFAULT_BUDGET,
    FALLBACK,
    exponent_bits,
    in_exp_ring,
    plan,
    reserve,
    row_terms,
    unit_terms,
)

__all__ = [
    "COST",
    "DEFAULT_BUDGET",
    "FALLBACK",
    "TERM_CAP",
    "choose",
    "in_exp_ring",
    "predict",
    "row_terms",
    "run_auto",
    "unit_terms",
]


def _plan_args(inst) -> dict:
    return {"point": dict(inst.point) if inst.point else None, "bias": inst.bias, "a": inst.a, "gap": inst.gap,
            "network": inst.dag}


def choose(inst, budget: float | None = None, claim: str | None = None) -> tuple[str, str]:
    """(tier, reason) for ``--tier auto`` and `claim` on `inst` (None: the heaviest claim, prop-2.3)."""
    widths = None if inst.dag is not None else inst.network_widths
    p = plan(widths, inst.data, inst.activation, claim=claim, budget=budget, **_plan_args(inst))
    return p.tier, p.reason


def predict(inst, tier: str, claim: str | None = None) -> float:
    """Predicted seconds of `claim` (None: prop-2.3) on `inst` in `tier` (the calibrated model)."""
    from symland.tiers.cost import estimate_for

    net = inst.network()
    n, m, job = net.n, inst.data.d * inst.data.l, job_of(claim)
    if tier == "symbolic":
        if inst.dag is not None or len(inst.network_widths) != 3:
            return _predict(tier, job, n=n, m=m, S=None)
        kw = {"a": inst.a, "gap": inst.gap, "point": dict(inst.point) if inst.point else None}
        S = row_terms(inst.data, inst.network_widths, inst.activation, **kw)
        E = exponent_bits(inst.data, inst.network_widths, inst.activation, **kw)
        return _predict(tier, job, n=n, m=m, S=S, E=E)
    if tier == "exact":
        est = estimate_for(net, inst.data, point=dict(inst.point) if inst.point else None)
        return _predict(tier, job, n=n, m=m, exact_seconds=est.seconds if est.route != "general" else None)
    return _predict(tier, job, n=n, m=m)


def run_auto(ctx, inst, fn, claim: str | None = None):
    """Run fn() (one claim) in auto's tier under the budget; on an overrun fall back to the next tier.

    The budget: ``ctx.time_budget`` seconds for the whole run when given, else :data:`DEFAULT_BUDGET`
    per instance. A tier with a fallback gets what is left minus a reserve for the next tier (twice its
    prediction plus 0.25 s, for each tier down the chain), the reserve capped at half of what is left. The overrun
    is recorded in auto's reason (and so in the certificate's details) and its seconds are added to the
    certificate's.
    """
    import time
    from dataclasses import replace

    from symland.budget import deadline

    budget = ctx.time_budget if ctx.time_budget is not None else DEFAULT_BUDGET
    key = ("auto-clock",) if ctx.time_budget is not None else ("auto-clock", inst)
    start = ctx._memo.setdefault(key, time.monotonic())
    t0 = time.perf_counter()
    ctx.auto_choice(inst)  # the planning (memoised): its time is charged to the claim
    spent = time.perf_counter() - t0
    while True:
        tier, why = ctx.auto_choice(inst)
        nxt = FALLBACK.get(tier)
        if nxt is None:
            cert = fn()
            break
        left = budget - (time.monotonic() - start)
        share = left - min(_reserve(inst, nxt, claim), left / 2)  # the planned tier keeps at least half of what is left
        if share > 0:
            with deadline(share, swallow=True) as dl:
                cert = fn()
            if not dl.expired:
                break
            spent += dl.elapsed
            note = f"{tier} overran {dl.elapsed:.1f} s of the {budget:g} s budget → {nxt}"
        else:
            note = f"{tier}: no time left of the {budget:g} s budget → {nxt}"
        ctx.note(note)
        ctx._memo[("auto", inst, claim)] = ("ok", (nxt, f"{why}; {note}"))
    return replace(cert, seconds=cert.seconds + spent)


def _reserve(inst, tier, claim: str | None = None) -> float:
    """Seconds kept for `tier` and the tiers after it, should the one before overrun."""
    return reserve(tier, inst.network().n, inst.data.d * inst.data.l, job_of(claim))
