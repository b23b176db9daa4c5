"""thm-2.1-global against a second engine: sympy's Gröbner bases and exact solutions on small random instances.

f(x) = v·σ(w·x), no bias, one data point, σ a random quadratic over ℚ: the singular-point system has one chart
(H = 0, ∇H = 0). sympy decides the truth where it can: Gröbner basis {1} → no singular point (``proved``); a
zero-dimensional chart → its exact solutions, real or not. Every decided verdict of symland must agree, be
re-checked ``checked`` by the kernel, and a refutation's algebraic witness must satisfy the chart in sympy's own
arithmetic (remainders modulo p). Both verdicts must occur in the sample.
"""

import random

import pytest
import sympy as sp

from symland.algebra.msolve import find_msolve
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Instance
from proofs_check.recheck import recheck
from proofs_check.recheck.global_claims import charts, residuals

pytestmark = [pytest.mark.msolve,
              pytest.mark.skipif(find_msolve() is None, reason="msolve not installed: pip install 'symland[global]'")]


def _instances(count: int, seed: int = 22):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        p = rng.choice([1, 2])
        c0, c1, c2 = rng.randint(-3, 3), rng.randint(-2, 2), rng.choice([-1, 1, 2])
        x = [rng.choice([1, 2, -1]) for _ in range(p)]
        y = rng.choice([0, 0, 1, -2])
        out.append((p, f"poly:{c0},{c1},{c2}", x, y))
    return out


def _truth(inst: dict):
    """'proved' / 'refuted' as sympy decides it, or None (positive-dimensional chart: not decided here)."""
    names, H = residuals(inst)
    ((_, variables, eqs),) = charts(names, H)
    syms = [sp.Symbol(v) for v in variables]
    G = sp.groebner(eqs, *syms, order="grevlex")
    if list(G.exprs) == [1]:
        return "proved"
    if not G.is_zero_dimensional:
        return None
    sols = sp.solve_poly_system(eqs, *syms)
    return "refuted" if any(all(sp.im(v) == 0 for v in sol) for sol in sols) else "proved"


def _sympy_satisfies(inst: dict, alg: dict) -> bool:
    """The witness w = q(θ), p(θ) = 0 solves the chart: every equation ∘ q ≡ 0 modulo p, in sympy's arithmetic."""
    names, H = residuals(inst)
    ((_, variables, eqs),) = charts(names, H)
    t = sp.Symbol("t")
    p = sum(sp.Rational(c) * t**i for i, c in enumerate(alg["poly"]))
    q = {sp.Symbol(v): sum(sp.Rational(c) * t**i for i, c in enumerate(cs)) for v, cs in alg["coords"].items()}
    return all(sp.rem(sp.expand(e.xreplace(q)), p, t) == 0 for e in eqs)


def test_decided_verdicts_agree_with_sympy_and_both_verdicts_occur():
    seen = {"proved": 0, "refuted": 0}
    for p, act, x, y in _instances(10):
        inst = Instance("random", Dataset.from_rows([x], [y]), act, widths=(p, 1, 1), bias=False)
        (c,) = run([inst], ["thm-2.1-global"])
        desc = dict(c.witness["instance"])
        truth = _truth(desc)
        label = (p, act, x, y, c.verdict, truth)
        if truth is not None:
            assert c.verdict == truth, label
        if c.verdict in seen:
            seen[c.verdict] += 1
            assert recheck(c).status == "checked", label
        if c.verdict == "refuted" and "algebraic" in c.witness:
            alg = {k: (dict(v) if k == "coords" else v) for k, v in c.witness["algebraic"].items()}
            assert _sympy_satisfies(desc, alg), label
        if c.verdict == "proved" and truth is None:  # positive-dimensional: sympy's basis is not {1}, a real proof
            assert any(ch["status"] == "no-real-psatz" for ch in c.witness["charts"]), label
    assert seen["proved"] >= 2 and seen["refuted"] >= 2, seen
