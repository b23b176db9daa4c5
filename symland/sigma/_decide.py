"""Exact decisions about σ's pieces, sympy expressions in the one real symbol :data:`t`: equal or different values,
signs on an interval, one-sided limits, flatness, rational coefficients — each decided or left undecided, never
guessed.
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from flint import fmpq
from sympy.calculus.util import continuous_domain

from symland.numbers.exact import parse_exact
from symland.sigma.kinks import DecisionTimeout, analytic_at

t = sp.Symbol("t", real=True)
_s = sp.Symbol("s", positive=True)
_OPEN = sp.Interval.open(0, sp.oo)


def _q(value: Any) -> sp.Rational:
    q = parse_exact(value, where="activation argument")
    return sp.Rational(int(q.p), int(q.q))


def _ordinal(k: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(k, f"{k}th")


def _fmt_set(S: sp.Set) -> str:
    if isinstance(S, sp.Union):
        return " ∪ ".join(_fmt_set(a) for a in S.args)
    if isinstance(S, sp.Interval):
        ends = ["∞" if e is sp.oo else "-∞" if e is sp.S.NegativeInfinity else str(e) for e in (S.start, S.end)]
        return f"{'(' if S.left_open else '['}{ends[0]}, {ends[1]}{')' if S.right_open else ']'}"
    return str(S)


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether two exact one-sided values are provably equal (unknown counts as different)."""
    if a.is_finite is not True or b.is_finite is not True:
        return False
    return a == b or sp.simplify(a - b) == 0


def _differ(a: sp.Expr, b: sp.Expr) -> bool:
    """Whether two exact one-sided values are provably different (one infinite, or a − b ≠ 0 decided)."""
    if a.is_finite is False or b.is_finite is False:
        return True
    if a.is_finite is not True or b.is_finite is not True:
        return False
    return sp.simplify(a - b).is_zero is False


def _rationals_in(S: sp.Set) -> tuple[sp.Rational, sp.Rational] | None:
    """Two exact rationals t1 < t2 inside the first interval of S (a witness pair), or None."""
    I = S.args[0] if isinstance(S, sp.Union) else S
    if not isinstance(I, sp.Interval) or I.measure.is_extended_positive is not True:
        return None
    a = I.start if I.start.is_finite else I.end - 2
    b = I.end if I.end.is_finite else a + 2
    for bits in range(0, 64, 4):
        den = 2**bits
        q1, q2 = (sp.Rational(int(sp.ceiling((a + (b - a) * f) * den)), den)
                  for f in (sp.Rational(1, 3), sp.Rational(1, 2)))
        if q1 < q2 and I.contains(q1) == sp.true and I.contains(q2) == sp.true:
            return q1, q2
    return None


def _one_sided(e: sp.Expr, c: sp.Rational, direction: str) -> sp.Expr:
    """lim_{t→c±} e, exactly: by substitution where e is a polynomial or continuous at c, else sympy's limit."""
    if e.is_polynomial(t) or analytic_at(e, c):
        return e.subs(t, c)
    try:
        v = e.subs(t, c)
        if v.is_finite and c in continuous_domain(e, t, sp.Interval(c - 1, c + 1)):
            return v
    except Exception:  # noqa: BLE001 -- fall back to the limit below
        pass
    return sp.limit(e, t, c, direction)


def _decide_sign(d: sp.Expr, strict: bool, span: sp.Interval = _OPEN) -> tuple[bool | None, sp.Set]:
    """Decide d ≥ 0 on ``span`` (d > 0 off isolated points if ``strict``): (verdict or None, set where it fails)."""
    if span == _OPEN:
        ds = d.subs(t, _s)
        if (ds.is_positive if strict else ds.is_nonnegative) is True:
            return True, sp.S.EmptySet
    try:
        bad = sp.solveset(d <= 0 if strict else d < 0, t, span)
    except DecisionTimeout:
        raise
    except Exception:  # noqa: BLE001 -- sympy could not solve: undecided
        return None, sp.S.EmptySet
    if bad is sp.S.EmptySet or (strict and isinstance(bad, sp.FiniteSet)):
        return True, bad
    if isinstance(bad, (sp.Interval, sp.Union)) and not bad.atoms(sp.ConditionSet) and bad.measure > 0:
        return False, bad
    return None, bad


def _flat(e: sp.Expr, b) -> bool:
    """e = R(t)·exp(−c/(t − b)) with R rational in t and c > 0 rational (flat at b from the right)."""
    exps = [a for a in e.atoms(sp.exp)]
    if len(exps) != 1:
        return False
    arg = sp.simplify(exps[0].args[0] * (t - b))
    if not (arg.is_Rational and arg < 0):
        return False
    rest = sp.simplify(e / exps[0])
    return rest.is_rational_function(t) and not rest.has(sp.exp)


def _coeffs(e: sp.Expr) -> list[fmpq] | None:
    if not e.is_polynomial(t):
        return None
    cs = sp.Poly(e, t).all_coeffs()[::-1]
    if not all(c.is_Rational for c in cs):
        return None
    return [fmpq(int(c.p), int(c.q)) for c in cs]

