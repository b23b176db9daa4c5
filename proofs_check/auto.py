"""``--tier auto``: a cost model per tier, calibrated on measured runs, and the choice it drives.

The model predicts the seconds of the heaviest claim (Proposition 2.3: J_H at the point and, for
n ≤ 150, the full Hessian) from the shapes — n parameters, m = dℓ residuals — and, for the symbolic
tier, from the number T of exponential terms e^q carried by the point.

Why T matters. In Q[e^Q] (smooLU, Definition 3.2) the output weights of Lemma 3.3 solve A m = y by
forward substitution, m_i = (y_i − Σ_{j<i} A_ij m_j)/A_ii with A_ij = σ(z_ij) = z_ij e^{−1/z_ij}.
The exponents of m_i are the Minkowski sums {−1/z_ij} + exps(m_j), shifted by 1/z_ii: when the data
are fractional these sums never coincide and T_i = 1 + Σ_{j<i} T_j = 2^{i−1}. Hess L = 2JᵀJ then
multiplies T-term sums pairwise: about n²·m·T² coefficient operations. Integer-spaced data (the
built-in instances) make exponents coincide and T stays small. :func:`symbolic_terms` replays the
substitution on exponent *sets* only (no coefficients), stopping at :data:`TERM_CAP`.

The constants are fitted on ``benchmarks/bench_auto.py`` (table A, see ``benchmarks/README.md``,
section "Calibration of --tier auto"): seconds on 2 shared cores, python-flint 0.9, sympy 1.14.
"""

from __future__ import annotations

from flint import fmpq

from symland.errors import NotRepresentableError

__all__ = ["predict", "symbolic_terms", "in_exp_ring", "COST", "TERM_CAP", "SYMBOLIC_FAST", "HESSIAN_LIMIT"]

#: Calibrated constants (benchmarks/README.md, "Calibration of --tier auto"): seconds =
#: base + per_entry·m·n (+ per_hessian·m·n² when n ≤ HESSIAN_LIMIT); symbolic: per_term·m·n²·T².
COST = {
    "exact": {"base": 0.2, "per_entry": 1e-6, "per_hessian": 3e-5},
    "symbolic": {"base": 0.7, "per_entry": 2e-5, "per_term": 9e-7},
    "ball": {"base": 1.0, "per_entry": 1e-5, "per_hessian": 0.0},
    "mp": {"base": 1.0, "per_entry": 1e-4, "per_hessian": 0.0},
    "float": {"base": 0.3, "per_entry": 1e-7, "per_hessian": 0.0},
}
#: Replaying the substitution stops once the point carries this many exponential terms.
TERM_CAP = 512
#: auto plans the symbolic tier (a proof) only when it is predicted to finish within this many seconds
#: and within SYMBOLIC_RATIO × the ball tier's prediction.
SYMBOLIC_FAST = 20.0
SYMBOLIC_RATIO = 25.0
#: The exact and symbolic tiers build the full Hessian of L for prop-2.3 up to this n (prop_2_3.HESSIAN_LIMIT).
HESSIAN_LIMIT = 150


def in_exp_ring(sigma) -> tuple[bool, str]:
    """Whether σ and σ' at rationals lie in Q[e^Q] (tested at ±1/2, ±3): the symbolic tier applies."""
    from symland.tiers import ExpPolyKind

    kind = ExpPolyKind()
    try:
        for q in (fmpq(1, 2), fmpq(-1, 2), fmpq(3), fmpq(-3)):
            for k in (0, 1):
                kind.act(sigma, kind.const(q), k)
    except NotRepresentableError as exc:
        return False, str(exc)
    except Exception as exc:  # an undefined derivative at a sample point says nothing about the ring
        if type(exc).__name__ != "UndefinedDerivativeError":
            raise
    return True, ""


def symbolic_terms(inst, cap: int = TERM_CAP) -> int:
    """T: the most exponential terms of one value of the point in Q[e^Q] (stops at `cap`, returning it).

    A given point: the most terms of one of its values. The constructed point (one hidden layer):
    the exponent sets of m = A⁻¹y, replayed without coefficients.
    """
    from symland.landscape import choose_projection
    from symland.tiers import ExpPolyKind

    kind = ExpPolyKind()
    if inst.point is not None:
        from symland.tiers import parse_value

        try:
            return max((len(getattr(parse_value(v), "terms", {0: 1})) for _, v in inst.point), default=1)
        except Exception:  # a value the parser refuses is reported by the claims themselves
            return 1
    X = inst.data.X
    if len({tuple(x) for x in X}) < len(X):  # duplicate inputs: no construction (the claims say why)
        return 1
    a = tuple(fmpq(v) for v in inst.a) if inst.a is not None else choose_projection(X)
    values = sorted(sum((ai * xi for ai, xi in zip(a, x)), fmpq(0)) for x in X)
    prev = [values[0] - fmpq(inst.gap)] + values[:-1]
    biases = [(u + v) / 2 for u, v in zip(prev, values)]
    sets: list[frozenset] = []
    for i, v in enumerate(values):
        diag = kind.act(inst.activation, kind.const(v - biases[i]), 0)
        if len(diag.terms) != 1:  # division by a non-monomial leaves the ring
            return cap
        shift = next(iter(diag.terms))
        acc = {fmpq(0)}
        for j in range(i):
            aij = kind.act(inst.activation, kind.const(v - biases[j]), 0)
            acc.update(q + e for q in aij.terms for e in sets[j])
            if len(acc) >= cap:
                return cap
        sets.append(frozenset(e - shift for e in acc))
    return max((len(s) for s in sets), default=1)


def predict(inst, tier: str, *, terms: int | None = None) -> float:
    """Predicted seconds of prop-2.3 on `inst` in `tier` (the calibrated model; an order of magnitude)."""
    net = inst.network()
    m, n = inst.data.d * inst.data.l, net.n
    c = COST[tier]
    hess = n <= HESSIAN_LIMIT
    if tier == "exact" and inst.dag is None:  # the at-scale routes have their own model (symland.budget)
        from symland.budget import estimate_for

        est = estimate_for(net, inst.data, point=dict(inst.point) if inst.point else None)
        if est.route != "general":
            return est.seconds
    if tier == "symbolic":
        T = terms if terms is not None else symbolic_terms(inst)
        if T >= TERM_CAP:
            return float("inf")
        return c["base"] + c["per_entry"] * m * n * T + (c["per_term"] * m * n * n * T * T if hess else 0.0)
    return c["base"] + c["per_entry"] * m * n + (c["per_hessian"] * m * n * n if hess else 0.0)


#: The tier tried when one overruns its share of the budget.
FALLBACK = {"exact": "ball", "symbolic": "ball", "ball": "float", "mp": "float", "float": None}
#: Seconds auto plans for when no --time-budget is given (per instance; an explicit budget bounds the run).
DEFAULT_BUDGET = 120.0


def choose(inst, budget: float | None = None) -> tuple[str, str]:
    """(tier, reason) for ``--tier auto``: the strongest tier the calibrated model says finishes.

    * σ piecewise polynomial over ℚ → exact (every value rational), unless predicted beyond the budget
      or refused by :func:`symland.budget.check_size`;
    * σ with values in Q[e^Q] and one hidden layer (smooLU) → symbolic only when predicted to finish
      within :data:`SYMBOLIC_FAST` s and :data:`SYMBOLIC_RATIO` × the ball tier; else ball;
    * any other σ (tanh, softplus, sigmoid: values outside Q[e^Q]) or deeper layers → ball;
    * float when even the ball tier is predicted beyond the budget;
    * TooLargeError (one line, exit 2) when not even the float tier is predicted to finish in
      max(budget, :data:`DEFAULT_BUDGET`) seconds.
    """
    from symland.budget import check_size, estimate_for
    from symland.errors import TooLargeError

    sigma = inst.activation
    budget = DEFAULT_BUDGET if budget is None else budget
    one_hidden = inst.dag is None and len(inst.network_widths) == 3
    t_ball = predict(inst, "ball")
    tier, why = "ball", ""
    if sigma.is_rational_valued:
        t_exact = predict(inst, "exact")
        try:
            check_size(estimate_for(inst.network(), inst.data, point=dict(inst.point) if inst.point else None))
            too_big = ""
        except TooLargeError as exc:
            if predict(inst, "float") > max(budget, DEFAULT_BUDGET):  # nothing finishes: refuse, naming it
                raise
            too_big = str(exc).split(";")[0]
        if too_big:
            why = f"{sigma.name} is piecewise polynomial over ℚ, but {too_big}; Arb balls instead"
        elif t_exact > budget:
            why = f"exact predicted {t_exact:.0f} s > budget {budget:g} s; Arb balls instead"
        else:
            return "exact", (f"{sigma.name} is piecewise polynomial over ℚ: every value is rational "
                             f"(predicted {t_exact:.2g} s)")
    else:
        ring, reason = in_exp_ring(sigma)
        if not ring:
            why = f"{sigma.name} leaves the exact ring Q[e^Q] ({reason}); Arb balls (certified)"
        elif not one_hidden:
            why = f"{sigma.name}: deep layers leave Q[e^Q]; Arb balls instead"
        else:
            limit = min(SYMBOLIC_FAST, budget / 2, SYMBOLIC_RATIO * t_ball)
            cap = _largest_terms(inst, limit) + 1  # the replay stops as soon as symbolic cannot fit
            try:
                T = symbolic_terms(inst, cap)
            except (NotRepresentableError, ArithmeticError) as exc:  # a value outside the ring after all
                T, reason = cap, str(exc)
            t_sym = predict(inst, "symbolic", terms=T)
            if T < cap:
                return "symbolic", (f"{sigma.name} needs e^q values; one hidden layer keeps them in Q[e^Q] "
                                    f"(T = {T} terms, predicted {t_sym:.2g} s)")
            extra = f", {reason}" if reason else ""
            why = (f"symbolic predicted > {limit:.3g} s (the point carries T ≥ {T} terms e^q{extra}); "
                   f"ball predicted {t_ball:.2g} s (certified)")
    if t_ball > budget:
        t_float = predict(inst, "float")
        cap = max(budget, DEFAULT_BUDGET)
        if t_float > cap:
            raise TooLargeError(f"no tier fits the {cap:g} s budget: ball predicted {t_ball:.0f} s, float "
                                f"{t_float:.0f} s (n = {inst.network().n} parameters, dℓ = "
                                f"{inst.data.d * inst.data.l} residuals); give a larger --time-budget or a smaller "
                                "instance")
        return "float", why + f"; ball predicted {t_ball:.0f} s > budget {budget:g} s → float (numerical)"
    return tier, why


def _largest_terms(inst, limit: float) -> int:
    """The largest T ≤ TERM_CAP whose symbolic prediction is within `limit` seconds (0 if none)."""
    lo, hi = 0, TERM_CAP
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if predict(inst, "symbolic", terms=mid) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def run_auto(ctx, inst, fn):
    """Run fn() (one claim) in auto's tier under the budget; on an overrun fall back to the next tier.

    The budget: ``ctx.time_budget`` seconds for the whole run when given, else :data:`DEFAULT_BUDGET`
    per instance. A tier with a fallback gets what is left minus a reserve for the next tier (twice its
    prediction plus 0.25 s, for each tier down the chain), the reserve capped at half of what is left (at d = 1000 the
    ball tier's reserve alone exceeds any budget, and the exact tier, predicted 14 s, got no time at all). The overrun is recorded in auto's reason (and so in the
    certificate's details) and its seconds are added to the certificate's.
    """
    import time
    from dataclasses import replace

    from symland.budget import deadline

    budget = ctx.time_budget if ctx.time_budget is not None else DEFAULT_BUDGET
    key = ("auto-clock",) if ctx.time_budget is not None else ("auto-clock", inst)
    start = ctx._memo.setdefault(key, time.monotonic())
    t0 = time.perf_counter()
    ctx.auto_choice(inst)  # the planning (memoised): its time is charged to the first claim
    spent = time.perf_counter() - t0
    while True:
        tier, why = ctx.auto_choice(inst)
        nxt = FALLBACK.get(tier)
        if nxt is None:
            cert = fn()
            break
        left = budget - (time.monotonic() - start)
        share = left - min(_reserve(inst, nxt), left / 2)  # the planned tier keeps at least half of what is left
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
        ctx._memo[("auto", inst)] = ("ok", (nxt, f"{why}; {note}"))
    return replace(cert, seconds=cert.seconds + spent)


def _reserve(inst, tier) -> float:
    """Seconds kept for `tier` and the tiers after it, should the one before overrun."""
    out = 0.0
    while tier is not None:
        out += 2 * predict(inst, tier) + 0.25
        tier = FALLBACK.get(tier)
    return out
