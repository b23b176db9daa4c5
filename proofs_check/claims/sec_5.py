"""Section 5 (and Remark 2.2, a = 1): losses L_a = Σ |f_i|^a, a ≥ 1, have the zero set M.

On an instance: at a point m with H(m) = 0 every L_a vanishes, at a point m' with H(m') ≠ 0 it does
not (so the zero sets agree there), and — what a reader will ask, though the paper claims nothing —
what becomes of Proposition 2.3 at m, decided exactly from f_i(m) = 0 and g_i = ∇f_i(m):

* a = 1: not differentiable at m. Along v = g_1 the one-sided derivatives are
  D_{+v} L_1 = D_{−v} L_1 = Σ_i |g_i·v| > 0; a differentiable function has D_{−v} = −D_{+v}.
* 1 < a < 2: differentiable (∇L_a(m) = 0) but not twice: L_a(m + tv) = c|t|^a + o(|t|^a) with
  c = Σ_i |g_i·v|^a > 0, which is not O(t²).
* a = 2: Hess L(m) = 2JᵀJ with inertia (n₊, n₋, n₀) = (d, 0, n − d) (Proposition 2.3).
* a > 2: Hess L_a(m) = Σ a(a−1)|f_i|^{a−2} g_i g_iᵀ + a|f_i|^{a−1} sgn(f_i) Hess f_i = 0: every
  eigenvalue is 0, so Proposition 2.3's inertia does not carry over.
"""

from __future__ import annotations

from flint import fmpq

from symland.errors import NotRepresentableError

from proofs_check import hypotheses as hyp
from proofs_check._at_point import analysis_at
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails, inconclusive, undecided_reason

CLAIM = "sec-5"
TITLE = "Section 5: losses Σ|f_i|^a (a ≥ 1) have the same zero set; what happens to the Hessian"
EXPONENTS = (fmpq(1), fmpq(3, 2), fmpq(2), fmpq(3), fmpq(4))

__all__ = ["check", "decide", "CLAIM", "TITLE", "EXPONENTS"]


def _abs(kind, x):
    return -x if kind.sign(x) < 0 else x


def _behaviour(a, kind, vals, rank, n, d) -> str:
    g = vals.J
    v = g[0]
    dots = [sum((gi[j] * v[j] for j in range(n)), kind.const(0)) for gi in g]
    if a == 1:
        slope = sum((_abs(kind, x) for x in dots), kind.const(0))
        return (f"a = 1: not differentiable at m — D_(+v) = D_(−v) = Σ|g_i·v| = {kind.to_str(slope)} > 0 "
                "for v = ∇f_1(m)")
    if a < 2:
        return (f"a = {a}: ∇L_a(m) = 0 but not twice differentiable — L_a(m + tv) = c|t|^{a} + o(|t|^{a}), "
                f"c ≥ |g_1·v|^{a} with g_1·v = |∇f_1|² = {kind.to_str(dots[0])} > 0")
    if a == 2:
        return f"a = 2: Hess L(m) = 2JᵀJ, inertia ({rank}, 0, {n - rank}) (Proposition 2.3)"
    return (f"a = {a}: Hess L_a(m) = 0 (every term carries |f_i(m)|^(a−2) = 0 or |f_i(m)|^(a−1) = 0): "
            f"inertia (0, 0, {n})")


def decide(claim: str, inst: Instance, ctx: Context, exponents) -> Certificate:
    timer = Timer()
    net, data = inst.network(), inst.data
    m = data.d * data.l
    checks = [hyp.overparameterized(net.n, m), hyp.distinct_inputs(data)]
    hyps = [(label, status) for label, status, _ in checks]
    hyps.append(("a ≥ 1", "yes: a ∈ {" + ", ".join(str(a) for a in exponents) + "}"))
    failed = [label for label, _, ok in checks if not ok]
    if failed:
        return hypothesis_fails(claim, inst, hyps, timer, f"hypothesis fails: {failed[0]}")
    pa, due = analysis_at(claim, inst, ctx, hyps, timer)  # membership and rank at m, in the run's tier
    if due is not None:
        return due
    vals, kind, r, source, n = pa.values, pa.values.kind, pa.rank.rank, pa.source, net.n
    exact = pa.verdict == "proved"
    try:
        off = list(vals.point)
        for c in range(1, data.l + 1):  # the output biases: every residual drops by exactly 1
            off[-c] = off[-c] + kind.const(1)
        # m' is the same point for rem-2.2 and sec-5: computed once per run
        off_vals = ctx._cached(("m-prime", inst, id(pa)),  # pa: the run's memoised analysis at m
                               lambda: ctx.problem(inst).at(off, kind=kind, jacobian=False))
    except NotRepresentableError as exc:
        return inconclusive(claim, inst, hyps, timer, undecided_reason(exc), tier=kind.name)
    zero = "H(m) = 0 exactly" if pa.membership_exact else "H(m) ≈ 0 (numerically)"
    details = [f"m = {source}: {zero}, so L_a(m) = Σ|f_i(m)|^a = 0 for every a",
               f"m' = m with the output bias raised by 1: every f_i(m') = f_i(m) − 1 = −1, so L_a(m') = {m} ≠ 0 "
               "for every a: the zero sets of all L_a agree at m and m'"]
    off_ok = all(kind.is_zero(v + kind.const(1)) for v in off_vals.H) if exact else \
        all(kind.nonzero(v) for v in off_vals.H)
    if not off_ok:  # pragma: no cover - f(m') = f(m) − 1 by construction of m'
        return inconclusive(claim, inst, hyps, timer, "the residuals at m' are not decided ≠ 0", tier=kind.name)
    try:
        details += [_behaviour(a, kind, vals, r, n, m) for a in exponents]
    except NotRepresentableError as exc:  # a ball too wide to decide a sign of g_i·v
        return inconclusive(claim, inst, hyps, timer, undecided_reason(exc), tier=kind.name)
    names = ctx.problem(inst).network.param_names()
    witness = {"instance": inst.describe(), "point": {k: kind.to_str(v) for k, v in zip(names, vals.point)},
               "point_prime": {k: kind.to_str(v) for k, v in zip(names, off)},
               "H_at_m": [kind.to_str(v) for v in vals.H],
               "H_at_m_prime": [kind.to_str(v) for v in off_vals.H],
               "exponents": [str(a) for a in exponents], "rank": r}
    parts = {fmpq(1): "a=1 not differentiable at M", fmpq(3, 2): "a=3/2 not C²",
             fmpq(2): f"a=2 inertia ({r}, 0, {n - r})", fmpq(3): "a=3 Hess = 0", fmpq(4): "a=4 Hess = 0"}
    evidence = ("zero set of Σ|f_i|^a is M at m, m'; " +
                "; ".join(parts.get(a, f"a={a}") for a in exponents))
    return Certificate(claim, inst.name, pa.verdict, kind.name, evidence, tuple(hyps), witness,
                       timer.seconds, tuple(details), inst.expect(claim))


def check(inst: Instance, ctx: Context) -> Certificate:
    return decide(CLAIM, inst, ctx, EXPONENTS)
