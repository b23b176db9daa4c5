"""The one tier chooser: the strongest tier the cost model (:mod:`symland.tiers.cost`) says finishes, per job.

``--tier auto`` of ``verify`` (per claim), the exact tier's size guard, ``construct``, ``certify`` and the analysis at
a point (``inspect``) all ask :func:`plan`. The order of strength: a proof (``exact`` when σ is piecewise polynomial
over ℚ, ``symbolic`` when σ's values lie in Q[e^Q] and one hidden layer keeps the point there), then ``ball``
(certified), then ``float`` (numerical). A proving tier is planned whenever it is predicted to finish within the
budget, less what the fall-back tiers would need should it overrun (:func:`reserve`); each claim is planned on its
own job, so thm-2.1's rank mod p stays proved where prop-2.3's exact Hessian would not fit.

>>> from symland.sigma.activations import get_activation
>>> from symland.io.data import Dataset
>>> data = Dataset.from_rows([["0"], ["1"], ["2"]], [["1"], ["0"], ["2"]])
>>> plan((1, 3, 1), data, get_activation("relu"), claim="thm-2.1").tier
'exact'
>>> plan((1, 3, 1), data, get_activation("smoolu"), claim="prop-2.3").tier
'symbolic'
>>> plan((1, 3, 1), data, get_activation("tanh"), claim="prop-2.3").tier
'ball'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flint import fmpq

from symland.constructions.landscape import choose_projection
from symland.errors import NotRepresentableError, SymlandError, TooLargeError
from symland.networks.network import mlp
from symland.tiers.cost import (
    SCALE_ENTRIES,
    TERM_CAP,
    check_size,
    estimate_for,
    hessian_built,
    job_of,
    predict,
)
from symland.tiers.kinds import ExpPolyKind, parse_value

__all__ = [
    "DEFAULT_BUDGET",
    "FALLBACK",
    "Plan",
    "exponent_bits",
    "in_exp_ring",
    "plan",
    "plan_at",
    "plan_certify",
    "reserve",
    "row_terms",
]

#: Seconds planned for when no budget is given (per instance; an explicit --time-budget bounds the whole run).
DEFAULT_BUDGET = 120.0
#: The tier tried when one overruns its share of the budget.
FALLBACK = {"exact": "ball", "symbolic": "ball", "ball": "float", "mp": "float", "float": None}


@dataclass(frozen=True)
class Plan:
    """The chosen tier, why, and the predicted seconds of each tier considered (``inf``: cannot finish)."""

    tier: str
    reason: str
    job: str
    predicted: dict = field(default_factory=dict, compare=False)


def in_exp_ring(sigma) -> tuple[bool, str]:
    """Whether σ and σ' at rationals lie in Q[e^Q] (tested at ±1/2, ±3): the symbolic tier applies."""
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


def _terms(v) -> int:
    return 0 if v == 0 else len(getattr(v, "terms", {0: 1}))


def unit_terms(data, widths, activation, *, a=None, gap=1, point=None, cap: int = TERM_CAP) -> list[int] | None:
    """T_j: the exponential terms of hidden unit j's output weight (max over the ℓ outputs), one hidden layer.

    A given point: read from its values. The constructed point: the exponent sets of m = A⁻¹y replayed by forward
    substitution without coefficients (a zero target contributes no term); the replay stops once Σ T_j reaches
    `cap`. None when the values leave Q[e^Q] (or cannot be read). Memoised (each claim is planned on its own).
    """
    prof = _profile(data, widths, activation, a, gap, point, cap)
    return None if prof is None else list(prof[0])


def exponent_bits(data, widths, activation, *, a=None, gap=1, point=None, cap: int = TERM_CAP) -> int:
    """E: the most bits (numerator + denominator) of an exponent q of a term e^q of the output weights (from the
    replay of :func:`unit_terms`; at least 8). The cost of one term operation grows with it."""
    prof = _profile(data, widths, activation, a, gap, point, cap)
    return 8 if prof is None else prof[1]


def _profile(data, widths, activation, a, gap, point, cap):
    key = (data, tuple(widths), activation, None if a is None else tuple(a), gap,
           None if point is None else tuple(sorted(dict(point).items())), cap)
    if key not in _TERMS:
        if len(_TERMS) > 64:
            _TERMS.clear()
        _TERMS[key] = _unit_terms(data, widths, activation, a=a, gap=gap, point=point, cap=cap)
    return _TERMS[key]


_TERMS: dict = {}


def _qbits(q) -> int:
    return int(q.p).bit_length() + int(q.q).bit_length()


def _unit_terms(data, widths, activation, *, a=None, gap=1, point=None, cap: int = TERM_CAP):
    """The replay behind :func:`unit_terms` (not memoised): (T_j list, E) or None."""
    h = widths[1]
    if point is not None:
        T, E = [0] * h, 8
        try:
            for name, v in dict(point).items():
                parts = name.split("_")
                if parts[0] == "W2" and len(parts) == 3 and int(parts[2]) < h:
                    val = parse_value(v)
                    T[int(parts[2])] = max(T[int(parts[2])], _terms(val))
                    E = max([E] + [_qbits(q) for q in getattr(val, "terms", ())])
        except (ArithmeticError, ValueError, SymlandError):  # refused values are reported by the claims
            return None
        return T, E
    X = data.X
    if len({tuple(x) for x in X}) < len(X):  # duplicate inputs: no construction (the claims say why)
        return [1] * h, 8
    kind = ExpPolyKind()
    a = tuple(fmpq(v) for v in a) if a is not None else choose_projection(X)
    proj = [sum((ai * xi for ai, xi in zip(a, x)), fmpq(0)) for x in X]
    order = sorted(range(len(X)), key=proj.__getitem__)
    values = [proj[i] for i in order]
    prev = [values[0] - fmpq(gap)] + values[:-1]
    biases = [(u + v) / 2 for u, v in zip(prev, values)]
    out, E = [0] * h, 8
    for o in range(data.l):
        sets: list[frozenset] = []
        for i, v in enumerate(values):
            try:
                diag = kind.act(activation, kind.const(v - biases[i]), 0)
            except (NotRepresentableError, ArithmeticError):
                return None
            if len(diag.terms) != 1:  # division by a non-monomial leaves the ring
                return None
            shift = next(iter(diag.terms))
            acc = {fmpq(0)} if data.Y[order[i]][o] != 0 else set()
            for j in range(i):
                aij = kind.act(activation, kind.const(v - biases[j]), 0)
                acc.update(q + e for q in aij.terms for e in sets[j])
            sets.append(frozenset(e - shift for e in acc))
            if sum(map(len, sets)) >= cap:
                return [cap] * h, 8
        for j, s in enumerate(sets[:h]):
            out[j] = max(out[j], len(s))
        E = max([E] + [_qbits(q) for s in sets for q in s])
    return out, E


def row_terms(data, widths, activation, **kw) -> int | None:
    """S: the exponential terms in one row of J_H (one hidden layer): (p + 1)·Σ_j T_j in the hidden units' columns,
    one in each of the h + 1 output columns (None: outside Q[e^Q])."""
    T = unit_terms(data, widths, activation, **kw)
    return None if T is None else (widths[0] + 1) * sum(T) + widths[1] + 1


def reserve(tier: str | None, n: int, m: int, job: str) -> float:
    """Seconds kept for `tier` and the tiers after it, should the one before overrun (twice each prediction
    plus 0.25 s)."""
    out = 0.0
    while tier is not None:
        out += 2 * predict(tier, job, n=n, m=m) + 0.25
        tier = FALLBACK.get(tier)
    return out


def plan(widths, data, activation, *, claim: str | None = None, budget: float | None = None, point=None,
         bias: bool = True, a=None, gap=1, network=None, exact_guard: bool = True) -> Plan:
    """The strongest tier predicted to finish `claim`'s job (``thm-2.1``, ``prop-2.3``, ``construct``, ``inspect``;
    None: the heaviest) on ``mlp(widths)`` (or a DAG `network`) with `data`, at `point` (a mapping of parameter
    names to values; None: the constructed point) within `budget` seconds (None: :data:`DEFAULT_BUDGET`).

    Raises:
        TooLargeError: when not even the float tier is predicted to finish in max(budget, DEFAULT_BUDGET) s.
    """
    job = job_of(claim)
    budget = DEFAULT_BUDGET if budget is None else budget
    net = network if network is not None else mlp(tuple(widths), activation, bias)
    widths = tuple(getattr(net, "widths", widths or ()))
    n, m = net.n, data.d * data.l
    pred = {t: predict(t, job, n=n, m=m) for t in ("ball", "float")}
    share = budget - min(reserve("ball", n, m, job), budget / 2)  # what a proving tier may use
    name = activation.name
    why = ""
    if activation.is_rational_valued:
        est = estimate_for(net, data, point=dict(point) if point else None, hessian=hessian_built(job, n))
        pred["exact"] = t_exact = predict("exact", job, n=n, m=m,
                                          exact_seconds=est.seconds if est.route != "general" else None)
        too_big = ""
        if exact_guard and job != "construct":  # the construction builds no J_H
            try:
                check_size(est)
            except TooLargeError as exc:
                if pred["float"] > max(budget, DEFAULT_BUDGET):  # nothing finishes: refuse, naming it
                    raise
                too_big = str(exc).split(";")[0]
        if too_big:
            why = f"{name} is piecewise polynomial over ℚ, but {too_big}; Arb balls instead"
        elif t_exact > share:
            why = f"exact predicted {t_exact:.0f} s > {share:.3g} s of the {budget:g} s budget; Arb balls instead"
        else:
            return Plan("exact", f"{name} is piecewise polynomial over ℚ: every value is rational "
                                 f"(predicted {t_exact:.2g} s)", job, pred)
    else:
        ring, reason = in_exp_ring(activation)
        if not ring:
            why = f"{name} leaves the exact ring Q[e^Q] ({reason}); Arb balls (certified)"
        elif network is not None or len(widths) != 3:
            why = f"{name}: deep layers leave Q[e^Q]; Arb balls instead"
        else:
            S = row_terms(data, widths, activation, a=a, gap=gap, point=point)
            E = exponent_bits(data, widths, activation, a=a, gap=gap, point=point)
            pred["symbolic"] = t_sym = predict("symbolic", job, n=n, m=m, S=S, E=E)
            if t_sym <= share:
                return Plan("symbolic", f"{name} needs e^q values; one hidden layer keeps them in Q[e^Q] "
                                        f"(S = {S} terms e^q in a row of J_H, predicted {t_sym:.2g} s)", job, pred)
            what = "values outside Q[e^Q]" if S is None else (f"S ≥ {S} terms e^q in a row of J_H" if S >= TERM_CAP
                                                                else f"S = {S} terms e^q in a row of J_H")
            why = (f"symbolic predicted {t_sym:.3g} s > {share:.3g} s of the {budget:g} s budget ({what}); "
                   f"ball predicted {pred['ball']:.2g} s (certified)")
    if pred["ball"] > budget:
        cap = max(budget, DEFAULT_BUDGET)
        if pred["float"] > cap:
            raise TooLargeError(f"no tier fits the {cap:g} s budget: ball predicted {pred['ball']:.0f} s, float "
                                f"{pred['float']:.0f} s (n = {n} parameters, dℓ = {m} residuals); give a larger "
                                "--time-budget or a smaller instance")
        return Plan("float", why + f"; ball predicted {pred['ball']:.0f} s > budget {budget:g} s → float "
                                   "(numerical)", job, pred)
    return Plan("ball", why, job, pred)


def plan_at(problem, point=None, what: str = "inspect", budget: float | None = None) -> Plan:
    """:func:`plan` for what the analysis at a point has: a ``Problem``, a point (mapping of names to values, or
    None for the constructed point) and a claim id or ``"inspect"``."""
    net = problem.network
    widths = getattr(net, "widths", None)
    if point is not None and not hasattr(point, "items"):  # a flat sequence in the canonical order
        point = dict(zip(net.param_names(), point))
    return plan(widths, problem.data, net.activation, claim=what, budget=budget, point=point,
                bias=getattr(net, "bias", True), network=None if widths is not None else net)


def plan_certify(network, data, budget: float | None = None) -> Plan:
    """``symland certify``: exact rationals (m* re-solved over ℚ, then thm-2.1 and prop-2.3 proved) when σ is
    piecewise polynomial over ℚ, the dense exact route applies (dℓ·n within the route test's limit: beyond it m*
    would be solved exactly with no calibrated model) and it is predicted to fit; Arb balls otherwise."""
    sigma = network.activation
    size = data.d * data.l * network.n
    if not sigma.is_rational_valued:
        return Plan("ball", f"{sigma.name} is transcendental: Arb balls", "hessian")
    if size > SCALE_ENTRIES:
        return Plan("ball", f"dℓ·n = {size:,} > {SCALE_ENTRIES:,}: Arb balls", "hessian")
    p = plan(network.widths, data, sigma, claim="prop-2.3", budget=budget, bias=network.bias)
    if p.tier == "exact":
        return Plan("exact", f"{sigma.name} is piecewise polynomial over ℚ: exact rationals", p.job, p.predicted)
    return Plan("ball", p.reason.replace("Arb balls instead", "Arb balls"), p.job, p.predicted)
