"""σ's breakpoints and analytic pieces, decided from its expression — never assumed.

A custom σ (:mod:`symland.sigma.expr`) is built from t, rationals, + − × ÷, integer powers, exp, tanh, log and sqrt;
sympy may rewrite sqrt(u²) as |u|.  Of these, exp and tanh are analytic on ℝ, polynomials too; the others are
analytic only where their argument u keeps away from a set:

==============  ================================  =========================================
node            analytic where                    at a zero of u inside an open piece
==============  ================================  =========================================
|u|             u ≠ 0  (|u| = ±u there)           a breakpoint
u^(p/q)         u > 0                             a breakpoint (σ not real where u < 0)
1/u, u^(−k)     u ≠ 0                             σ undefined there: the text is refused
log u           u > 0                             σ undefined there: the text is refused
==============  ================================  =========================================

:func:`split_sigma` walks the expression innermost first.  On an open interval where a node's argument u (already
free of |·|) has no zero, |u| is replaced by ±u (the sign read at an exact rational inside); the zeros of u —
found exactly, as rational roots of the numerator of a rational function over ℚ — cut the interval.  The result is
a :class:`Split`: breakpoints c_1 < … < c_m (0 is always one: the grammar's ``if`` is split there) and segments
e_0, …, e_m, each a composition of analytic functions on its open interval (c_{i−1}, c_i), so σ is analytic off
the breakpoints, and σ's class at each c_i is decided from one-sided derivatives (:mod:`symland.sigma.activations`).

When that cannot be decided — a zero of u that is irrational or not found exactly, a function the walk does not
know, or sympy taking longer than :data:`DECISION_SECONDS` — the Split says *undecided* and why; every derivative
of σ is then refused (``NotRepresentableError``), so no claim that needs smoothness can be proved.

>>> s = split_sigma(sp.Abs(t - 1), sp.Abs(t - 1))
>>> s.breakpoints, s.segments
((0, 1), (1 - t, 1 - t, t - 1))
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import sympy as sp

from symland._signals import in_gc_callback

__all__ = ["DECISION_SECONDS", "UNDECIDED_HINT", "DecisionTimeout", "Split", "analytic_at", "split_sigma",
           "time_limit"]

t = sp.Symbol("t", real=True)
#: Wall-clock bound on sympy's work for one decision about σ (a split, an order at a breakpoint, monotonicity).
DECISION_SECONDS = 20.0
UNDECIDED_HINT = ("use a named activation (relu, smoolu, rectpow<k>, relu_after<c>, …) or write σ with its "
                  "breakpoints explicit")
_ENTIRE = (sp.exp, sp.tanh)


class DecisionTimeout(BaseException):
    """sympy's work on σ overran :func:`time_limit` (a BaseException, so that sympy's own ``except Exception``
    handlers cannot swallow it)."""


class _Undecided(Exception):
    pass


class _Undefined(Exception):
    pass


@contextmanager
def time_limit(seconds: float | None = None):
    """Raise :class:`DecisionTimeout` inside the block once ``seconds`` have passed (SIGALRM, main thread only).

    An outer alarm (the run's ``--timeout``, :func:`symland.tiers.budget.run_until`) keeps priority: the timer is set to
    the nearer of the two ends, the outer handler runs if its end has come, and the outer timer is re-armed after.
    """
    seconds = DECISION_SECONDS if seconds is None else seconds
    if not (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        yield
        return
    now = time.monotonic()
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    outer_end = now + outer_left if outer_left > 0 else None
    own_end = now + seconds
    old = signal.getsignal(signal.SIGALRM)

    def _fire(signum, frame):
        if in_gc_callback(frame):  # raised there, it would be swallowed: a moment later instead
            signal.setitimer(signal.ITIMER_REAL, 0.01)
            return
        if outer_end is not None and time.monotonic() >= outer_end - 1e-3 and callable(old):
            old(signum, frame)
        signal.setitimer(signal.ITIMER_REAL, 0.25)  # swallowed anyway (a __del__): again, until the block is left
        raise DecisionTimeout(f"deciding σ's pieces took longer than {seconds:g} s")

    signal.signal(signal.SIGALRM, _fire)
    signal.setitimer(signal.ITIMER_REAL, max(1e-3, min(own_end, outer_end or own_end) - now))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer_end is not None:
            signal.setitimer(signal.ITIMER_REAL, max(1e-3, outer_end - time.monotonic()))


@dataclass(frozen=True)
class Split:
    """σ = segments[i] on (breakpoints[i−1], breakpoints[i]] (σ(c_i) from the left), analytic on each open piece.

    ``undecided`` is '' when the split was decided, else why not; ``undefined`` names a point where σ has no real
    value (the grammar refuses such text).
    """

    breakpoints: tuple
    segments: tuple
    undecided: str = ""
    undefined: str = ""


def split_sigma(negative: sp.Expr, positive: sp.Expr, seconds: float | None = None) -> Split:
    """Decide σ's breakpoints and analytic segments (σ = ``negative`` on t ≤ 0, ``positive`` on t > 0)."""
    try:
        with time_limit(seconds):
            left = _pieces(negative, sp.S.NegativeInfinity, sp.Integer(0))
            right = _pieces(positive, sp.Integer(0), sp.oo)
            parts = left + right
            breaks = tuple(hi for _, hi, _ in parts[:-1])
            segs = tuple(sp.expand(e) if e.is_polynomial(t) else e for _, _, e in parts)
            for c, e in zip(breaks, segs):  # σ(c) is the left segment's value: it must be σ's own
                own = (negative if c <= 0 else positive).subs(t, c)
                if not (own.is_finite and own.is_real):
                    raise _Undefined(f"σ is undefined at t = {c} (its expression gives {own})")
                mine = _limit(e, c, "-")
                if not (mine.is_finite and _zero(own - mine)):
                    raise _Undecided(f"σ({c}) = {own} is not shown to equal its limit from the left ({mine})")
    except _Undefined as exc:
        return Split((), (), undefined=str(exc))
    except _Undecided as exc:
        return Split((), (), undecided=f"σ's breakpoints not decided: {exc}; {UNDECIDED_HINT}")
    except DecisionTimeout as exc:
        return Split((), (), undecided=f"σ's breakpoints not decided: {exc}; {UNDECIDED_HINT}")
    except Exception as exc:  # noqa: BLE001 -- sympy failed on this expression: undecided, never proved
        return Split((), (), undecided=f"σ's breakpoints not decided (sympy: {type(exc).__name__}); "
                                       f"{UNDECIDED_HINT}")
    return Split(breaks, segs)


def _limit(e: sp.Expr, c, direction: str) -> sp.Expr:
    v = e.subs(t, c)
    if v.is_finite and analytic_at(e, c):
        return v
    return sp.limit(e, t, c, direction)


def _zero(v: sp.Expr) -> bool:
    return v == 0 or v.is_zero is True or sp.simplify(v) == 0


def _pieces(e: sp.Expr, lo, hi) -> list[tuple]:
    """[(lo_i, hi_i, e_i)]: consecutive open intervals covering (lo, hi), e_i analytic on each, equal to e."""
    if t not in e.free_symbols:
        if not (e.is_finite and e.is_real):
            raise _Undefined(f"σ has the non-real or infinite constant {e}")
        return [(lo, hi, e)]
    if e == t:
        return [(lo, hi, e)]
    parts = [(lo, hi, ())]
    for a in e.args:
        parts = [(l2, h2, args + (a2,)) for l, h, args in parts for l2, h2, a2 in _pieces(a, l, h)]
    out = []
    for l, h, args in parts:
        out.extend(_node(e.func, args, l, h))
    return out


def _node(func, args, lo, hi) -> list[tuple]:
    if func in (sp.Add, sp.Mul) or func in _ENTIRE:
        return [(lo, hi, func(*args))]
    if func is sp.Abs:
        (u,) = args
        return [(a, b, s * u) for a, b, s in _signs(u, lo, hi)]
    if func is sp.Pow:
        base, ex = args
        if t in ex.free_symbols or not ex.is_Rational:
            raise _Undecided(f"the power {base}**({ex}) is not of the grammar")
        if ex.is_Integer and ex >= 0:
            return [(lo, hi, base**ex)]
        out = []
        for a, b, s in _signs(base, lo, hi):
            if s < 0 and not ex.is_Integer:
                raise _Undefined(f"σ is not real on ({a}, {b}): {base} < 0 there under a power {ex}")
            if (a, b) != (lo, hi) and ex.is_Integer:  # a zero of the base inside: a pole of σ
                raise _Undefined(f"σ is undefined at t = {b if a == lo else a} (division by {base} = 0)")
            out.append((a, b, base**ex))
        return out
    if func is sp.log:
        (u,) = args
        out = []
        for a, b, s in _signs(u, lo, hi):
            if s < 0 or (a, b) != (lo, hi):
                raise _Undefined(f"σ is undefined on part of ({lo}, {hi}): log of {u} ≤ 0")
            out.append((a, b, sp.log(u)))
        return out
    raise _Undecided(f"σ uses {func.__name__}, whose smoothness this version does not decide")


def _signs(u: sp.Expr, lo, hi) -> list[tuple]:
    """[(a, b, ±1)]: the open pieces of (lo, hi) cut at the zeros of u, with u's sign on each (u ≡ 0 refused)."""
    cuts = [lo, *_zeros(u, lo, hi), hi]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        q = _inside(a, b)
        v = u.subs(t, q)
        if v.is_positive is True:
            out.append((a, b, 1))
        elif v.is_negative is True:
            out.append((a, b, -1))
        elif _zero(v) and _zero(u):
            raise _Undefined(f"σ takes |·|, a root or a log of {u}, which is identically 0")
        else:
            raise _Undecided(f"the sign of {u} at t = {q} ({v}) is not decided")
    return out


def _inside(a, b) -> sp.Rational:
    if a is sp.S.NegativeInfinity and b is sp.oo:
        return sp.Integer(0)
    if a is sp.S.NegativeInfinity:
        return b - 1
    if b is sp.oo:
        return a + 1
    return (a + b) / 2


def _zeros(u: sp.Expr, lo, hi) -> list[sp.Rational]:
    """The zeros of u (analytic on (lo, hi)) in (lo, hi), exactly and sorted; _Undecided if not all rational."""
    if t not in u.free_symbols:
        return []
    if u.is_positive is True or u.is_negative is True:  # sympy's assumptions: u keeps one sign on all of ℝ
        return []
    num, _ = sp.fraction(sp.together(u))
    if num.is_polynomial(t):
        poly = sp.Poly(num, t)
        if not all(c.is_Rational for c in poly.all_coeffs()):
            raise _Undecided(f"the zeros of {u} (coefficients not rational) are not decided")
        roots = sorted(set(poly.real_roots()), key=lambda r: r.evalf(30))
    else:
        found = sp.solveset(u, t, sp.Interval.open(lo, hi))
        if found is sp.S.EmptySet:
            return []
        if not isinstance(found, sp.FiniteSet):
            raise _Undecided(f"the zeros of {u} on ({lo}, {hi}) are not decided ({found})")
        roots = list(found)
    inside = []
    for r in roots:
        if not r.is_Rational:
            if (r <= lo) == sp.true or (r >= hi) == sp.true:
                continue
            raise _Undecided(f"{u} vanishes at the irrational t = {r} ≈ {sp.N(r, 12)} (only rational "
                             "breakpoints are decided)")
        if lo < r < hi:
            inside.append(r)
    return sorted(inside)


def analytic_at(e: sp.Expr, c) -> bool:
    """Whether an Abs-free segment e is analytic at the rational c: every 1/u, u^(p/q) and log u in it has u(c) ≠ 0
    (u(c) > 0 for roots and logs).  Exact evaluation; unknown counts as not analytic."""
    if t not in e.free_symbols:
        return True
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Abs) or not isinstance(node, (sp.Pow, sp.log, sp.Add, sp.Mul, sp.Symbol,
                                                                sp.Number, sp.NumberSymbol, *_ENTIRE)):
            return False
        if isinstance(node, sp.Pow) and t in node.free_symbols and not (node.exp.is_Integer and node.exp >= 0):
            v = node.base.subs(t, c)
            if not (v.is_positive is True or (node.exp.is_Integer and v.is_zero is False)):
                return False
        if isinstance(node, sp.log) and node.args[0].subs(t, c).is_positive is not True:
            return False
    return True
