"""Activation functions σ: exact sympy definitions, exact values, and the properties of Section 3.1, decided exactly.

An :class:`Activation` is σ(t) = ``negative`` for t ≤ 0 and ``positive`` for t > 0, in the one real symbol
:data:`t`.  The positive piece may itself be a ``Piecewise`` in conditions ``t <= c`` (c > 0 rational), as for
``relu_after1``; σ is then split into *segments* at its breakpoints 0 < c_1 < ... (each segment owns its right end).

* Definition 3.1 (rectified): continuous, 0 on t ≤ 0, monotonic increasing (read: non-decreasing) on t > 0 —
  :meth:`Activation.is_rectified`.
* Definition 3.2 (smooLU): 0 for t ≤ 0, t·exp(−1/t) for t > 0 — the built-in ``smoolu``.
* Smoothness at 0 (derivatives of both sides agree, one-sided values as exact limits) —
  :meth:`Activation.smoothness_at_zero`, :meth:`Activation.is_smooth`.

>>> from flint import fmpq
>>> get_activation("rectpow3").eval_rational(fmpq(1, 2), 1)
3/4
>>> get_activation("smoolu").value(fmpq(1, 2))
exp(-2)/2
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Sequence

import sympy as sp
from flint import fmpq, fmpq_poly, fmpz
from sympy.calculus.util import continuous_domain

from symland.errors import InputError, NotRepresentableError, UndefinedDerivativeError, UnknownNameError
from symland.numbers.exact import parse_exact
from symland.sigma.kinks import UNDECIDED_HINT, DecisionTimeout, Split, analytic_at, time_limit

__all__ = ["t", "Activation", "ACTIVATIONS", "get_activation", "names", "rectpow", "polynomial", "shifted_relu"]

t = sp.Symbol("t", real=True)
_s = sp.Symbol("s", positive=True)
_OPEN = sp.Interval.open(0, sp.oo)
_FZ0 = fmpz(0)


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
        q1, q2 = (sp.Rational(int(sp.ceiling((a + (b - a) * f) * den)), den) for f in (sp.Rational(1, 3), sp.Rational(1, 2)))
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


@dataclass(frozen=True, eq=False)
class Activation:
    """σ(t) = ``negative`` for t ≤ 0, ``positive`` for t > 0 (Section 3.1), with exact values and properties.

    ``smooth_pieces`` declares that each segment's expression is analytic on its open interval (true for every
    built-in).  ``breakpoints`` (computed) holds 0 and the inner breakpoints of a piecewise positive piece — or,
    for a custom σ, the ``split`` decided from its expression by :func:`symland.sigma.kinks.split_sigma` (breakpoints
    anywhere on ℝ, analytic segments).  A split that could not be decided leaves σ *undecided*: its values
    exist, but every derivative is refused with :class:`NotRepresentableError` (the claims say inconclusive).
    Equality is by name and pieces; the hash is the name's.  Derivatives, one-sided values and coefficient tables
    are cached on the instance.
    """

    name: str
    negative: sp.Expr
    positive: sp.Expr
    description: str = ""
    smooth_pieces: bool = True
    split: Split | None = field(default=None, repr=False, compare=False)
    breakpoints: tuple[sp.Rational, ...] = field(init=False, repr=False)
    _segments: tuple[sp.Expr, ...] = field(init=False, repr=False)
    _cache: dict = field(init=False, repr=False)
    _tables: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        neg, pos = sp.sympify(self.negative), sp.sympify(self.positive)
        for label, e in (("negative", neg), ("positive", pos)):
            if not e.free_symbols <= {t}:
                raise InputError(f"activation {self.name!r}: {label} piece {e} uses symbols other than t")
        object.__setattr__(self, "negative", neg)
        object.__setattr__(self, "positive", pos)
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "_tables", {})
        if self.split is not None and not self.split.undecided:
            object.__setattr__(self, "breakpoints", tuple(self.split.breakpoints))
            object.__setattr__(self, "_segments", tuple(self.split.segments))
            return
        breaks, segs = [sp.Integer(0)], [neg]
        conds = pos.args if isinstance(pos, sp.Piecewise) else ()
        if conds and conds[-1].cond is sp.true and all(
                isinstance(c.cond, sp.LessThan) and c.cond.lhs == t and c.cond.rhs.is_Rational for c in conds[:-1]):
            for e, cond in conds[:-1]:
                if cond.rhs > breaks[-1]:
                    breaks.append(cond.rhs)
                    segs.append(e)
            segs.append(conds[-1].expr)
        else:
            segs.append(pos)
        object.__setattr__(self, "breakpoints", tuple(breaks))
        object.__setattr__(self, "_segments", tuple(segs))

    @property
    def undecided(self) -> str:
        """'' when σ's breakpoints and analytic pieces are known, else why not (derivatives are then refused)."""
        if self.split is not None and self.split.undecided:
            return self.split.undecided
        return "" if self.smooth_pieces else f"{self.name}: pieces not declared analytic"

    def _refuse(self) -> None:
        if self.split is not None and self.split.undecided:
            raise NotRepresentableError(f"{self.name}: derivatives refused: {self.split.undecided}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Activation):
            return NotImplemented
        return (self.name, self.negative, self.positive) == (other.name, other.negative, other.positive)

    def __hash__(self) -> int:
        return hash(self.name)

    def _memo(self, key: tuple, make: Any) -> Any:
        cache = self._cache
        if key not in cache:
            cache[key] = make()
        return cache[key]

    @property
    def expr(self) -> sp.Expr:
        """σ as one sympy expression: ``Piecewise((negative, t <= 0), (positive, True))``, or the common piece."""
        if self.negative == self.positive:
            return self.positive
        return sp.Piecewise((self.negative, t <= 0), (self.positive, True))

    def piece(self, positive: bool, k: int = 0) -> sp.Expr:
        """The k-th derivative of the positive (t > 0) or negative (t ≤ 0) piece, cached."""
        base = self.positive if positive else self.negative
        return self._memo(("piece", positive, k), lambda: sp.diff(base, t, k))

    def _seg(self, i: int, k: int) -> sp.Expr:
        if k:
            self._refuse()
        return self._memo(("seg", i, k), lambda: sp.diff(self._segments[i], t, k))

    def _sides(self, j: int, k: int) -> tuple[sp.Expr, sp.Expr]:
        """(left, right) k-th one-sided derivatives at breakpoint j, as exact limits."""
        c = self.breakpoints[j]
        return self._memo(("sides", j, k), lambda: (_one_sided(self._seg(j, k), c, "-"),
                                                    _one_sided(self._seg(j + 1, k), c, "+")))

    def _order_at(self, j: int, max_order: int) -> int:
        """Largest k ≤ max_order with one-sided derivatives of orders 0..k agreeing at breakpoint j; -1 if none.

        Raises:
            NotRepresentableError: sympy's limits overran :data:`symland.sigma.kinks.DECISION_SECONDS`.
        """
        if max_order:
            self._refuse()
        try:
            with time_limit():
                for k in range(max_order + 1):
                    if not self._memo(("agree", j, k), lambda: _same(*self._sides(j, k))):
                        return k - 1
        except DecisionTimeout as exc:
            raise NotRepresentableError(f"{self.name} at t = {self.breakpoints[j]}: {exc}; {UNDECIDED_HINT}") from None
        return max_order

    def differentiable_at(self, j: int, k: int) -> bool:
        """Whether σ^(k) exists at breakpoint j (σ is C^k there): :meth:`class_at` when it decides, else the
        one-sided limits of orders 0..k.  Raises NotRepresentableError when neither decides in time."""
        cls, _ = self.class_at(j)
        if cls is not None:
            return cls >= k
        return self._order_at(j, k) >= k

    def class_at(self, j: int, max_order: int = 8) -> tuple[int | float | None, str]:
        """σ's class at breakpoint j: (k, why) with k = −1 (discontinuous), k ≥ 0 (C^k, not C^{k+1}), ``inf``
        (C^∞) or None (undecided).

        Where both neighbouring segments are analytic at c (:func:`symland.sigma.kinks.analytic_at`) the class is read
        from the Taylor coefficients of their difference at c (exact substitution); otherwise from one-sided limits
        of derivatives, and C^∞ needs one of the arguments of :meth:`smooth_decided`.

        >>> from symland.sigma.expr import expr_activation
        >>> expr_activation("(x-1)*sqrt((x-1)^2)").class_at(1)[0]
        1
        """
        return self._memo(("class", j, max_order), lambda: self._class(j, max_order))

    def _class(self, j: int, max_order: int) -> tuple[int | float | None, str]:
        if self.undecided:
            return None, self.undecided
        c, left, right = self.breakpoints[j], self._segments[j], self._segments[j + 1]
        try:
            with time_limit():
                if analytic_at(left, c) and analytic_at(right, c):
                    if _same(left, right):
                        return math.inf, f"the same expression, analytic at {c}, on both sides"
                    diff = left - right
                    lp, rp = _coeffs(left), _coeffs(right)
                    top = max(max_order, len(lp), len(rp)) if lp is not None and rp is not None else max_order
                    for k in range(top + 1):
                        v = sp.diff(diff, t, k).subs(t, c)
                        if _same(v, sp.Integer(0)):
                            continue
                        if _differ(v, sp.Integer(0)):
                            return k - 1, f"analytic pieces whose {_ordinal(k) if k else '0th'} derivatives differ at {c}"
                        return None, f"whether the pieces' {_ordinal(k)} derivatives agree at {c} is not decided"
                    if lp is not None and rp is not None:  # the difference has degree < top: it is 0
                        return math.inf, f"polynomial pieces agree to all orders at {c}"
                    return None, f"analytic pieces agree to order {max_order} at {c}; beyond is not decided"
                if analytic_at(left, c) and _flat(right - left, c):  # checked first: it is cheap, and the limits it spares are not
                    return math.inf, f"σ − (left piece) is R(t)·e^(−c/(t−{c})) on the right of {c}: flat, all orders agree"
                order = self._order_at(j, max_order)
                if order < max_order:
                    l1, r1 = self._sides(j, order + 1)
                    if not _differ(l1, r1):
                        return None, f"whether the {_ordinal(order + 1)} one-sided derivatives at {c} agree is not decided"
                    return order, f"one-sided {_ordinal(order + 1) if order >= 0 else '0th'} derivatives {l1} and {r1} at {c}"
                lp, rp = _coeffs(left), _coeffs(right)
                if lp is not None and rp is not None and max(len(lp), len(rp)) <= max_order:
                    return math.inf, f"polynomial pieces agree to all orders at {c}"
                if _same(left, sp.Integer(0)) and _flat(right, c):
                    return math.inf, f"0 on the left of {c}, R(t)·e^(−c/(t−{c})) on the right: flat, all orders agree"
                return None, f"derivatives of order 0..{max_order} agree at {c} (checked exactly), but C^∞ is not decided"
        except (DecisionTimeout, NotRepresentableError) as exc:
            return None, f"{exc}"

    def smoothness_at_zero(self, max_order: int = 8) -> int:
        """Largest k ≤ max_order such that σ is k times differentiable at t = 0; -1 if σ is discontinuous at 0.

        One-sided derivatives are decided exactly (right side as the limit t → 0+).

        >>> get_activation("rectpow3").smoothness_at_zero()
        2
        """
        return self._order_at(self.breakpoints.index(0), max_order)

    def _undefined(self, j: int, k: int) -> UndefinedDerivativeError:
        c, bad = self.breakpoints[j], self._order_at(j, k) + 1
        left, right = self._sides(j, bad)
        if bad == 0:
            why = f"it is discontinuous there (left value {left}, right limit {right})"
        elif bad == k:
            word = "derivative" if k == 1 else f"{_ordinal(k)} derivative"
            why = f"left {word} {left}, right {word} {right}"
        else:
            why = f"its {_ordinal(bad)} derivative already jumps: left {left}, right {right}"
        what = "is not differentiable" if k == 1 else f"has no {_ordinal(k)} derivative"
        return UndefinedDerivativeError(f"{self.name} {what} at t = {c} ({why})")

    def value(self, q: Any, k: int = 0) -> sp.Expr:
        """The exact k-th derivative σ^(k)(q) at a rational q, as a sympy expression.

        At a breakpoint (t = 0 for every σ) the value is σ's own (the t ≤ c side; equal to the right limit when σ
        is continuous); a derivative there exists only if the one-sided derivatives of orders 0..k agree.

        Raises:
            UndefinedDerivativeError: σ^(k) is not defined at q (e.g. ReLU'(0)).
        """
        Q = _q(q)
        if k:
            self._refuse()
        if Q in self.breakpoints:
            j = self.breakpoints.index(Q)
            if k > 0 and not self.differentiable_at(j, k):
                raise self._undefined(j, k)
            return self._memo(("left", j, k), lambda: _one_sided(self._seg(j, k), Q, "-"))
        return self._seg(bisect.bisect_left(self.breakpoints, Q), k).subs(t, Q)

    def rational_coeffs(self, positive: bool) -> list[fmpq] | None:
        """Coefficients (low → high degree) if the piece is a polynomial in t over ℚ, else None."""
        return _coeffs(self.positive if positive else self.negative)

    @property
    def is_rational_valued(self) -> bool:
        """True when every segment is a polynomial over ℚ, so σ^(k) maps ℚ to ℚ (:meth:`eval_rational` works)."""
        return self._memo(("rational",), lambda: all(_coeffs(e) is not None for e in self._segments))

    def _table(self, k: int) -> tuple[list[fmpq], list[fmpq_poly]]:
        if not self.is_rational_valued:
            raise NotRepresentableError(f"{self.name} is not a piecewise polynomial over ℚ: its values at "
                                        "rationals need not be rational (use value() for exact symbolic values)")
        polys = [fmpq_poly(_coeffs(e)) for e in self._segments]
        for _ in range(k):
            polys = [p.derivative() for p in polys]
        self._tables[k] = table = ([parse_exact(c) for c in self.breakpoints], polys)
        return table

    def eval_rational(self, q: fmpq, k: int = 0) -> fmpq:
        """σ^(k)(q) for a rational q, fast (polynomial evaluation over ``fmpq``), for rational-valued σ.

        Same rules at breakpoints as :meth:`value`.

        Raises:
            NotRepresentableError: σ is not a piecewise polynomial over ℚ (e.g. smooLU).
            UndefinedDerivativeError: σ^(k) is not defined at q.
        """
        if not isinstance(q, fmpq):
            q = parse_exact(q, where="activation argument")
        if k:
            self._refuse()
        breaks, polys = self._tables.get(k) or self._table(k)
        if len(breaks) == 1:
            num = q.p
            if num > _FZ0:
                return polys[1](q)
            if num < _FZ0:
                return polys[0](q)
            j = 0
        else:
            i = bisect.bisect_left(breaks, q)
            if i == len(breaks) or breaks[i] != q:
                return polys[i](q)
            j = i
        if k > 0 and not self.differentiable_at(j, k):
            raise self._undefined(j, k)
        return polys[j](q)

    def _positive_spans(self) -> list[tuple[int, sp.Interval]]:
        """(segment index, its open interval ∩ (0, ∞)) for the segments σ has on t > 0."""
        ends = [sp.S.NegativeInfinity, *self.breakpoints, sp.oo]
        return [(i, sp.Interval.open(max(ends[i], 0), ends[i + 1])) for i in range(len(ends) - 1) if ends[i + 1] > 0]

    def is_rectified(self) -> tuple[bool | None, str]:
        """Definition 3.1, decided exactly: σ = 0 on t ≤ 0, σ continuous, σ non-decreasing on t > 0.

        ``False`` only with a witness (σ(x) ≠ 0 at an exact x ≤ 0, a jump, or σ(t1) > σ(t2) at exact
        0 < t1 < t2); ``None`` when undecided.

        >>> get_activation("tanh").is_rectified()
        (False, 'tanh: not rectified (σ(-1) = -tanh(1) ≠ 0 on t ≤ 0)')
        """
        return self._memo(("rectified",), lambda: self._bounded(self._rectified, "rectified"))

    def _bounded(self, decide, what: str) -> tuple[bool | None, str]:
        try:
            with time_limit():
                return decide()
        except (DecisionTimeout, NotRepresentableError) as exc:
            return None, f"{self.name}: {what} not decided ({exc})"

    def _rectified(self) -> tuple[bool | None, str]:
        n = self.name
        ends = [sp.S.NegativeInfinity, *self.breakpoints]
        on_neg = [e for e, a in zip(self._segments, ends) if a < 0] if not self.undecided else [self.negative]
        if not all(e == 0 or sp.simplify(e) == 0 for e in on_neg):
            for x in (-1, -2, sp.Rational(-1, 2), -3, sp.Rational(-1, 3), sp.Rational(-7, 5), -5, sp.Rational(-1, 7)):
                v = self.negative.subs(t, x)
                if v.is_zero is False:
                    return False, f"{n}: not rectified (σ({x}) = {v} ≠ 0 on t ≤ 0)"
            return None, f"{n}: not shown rectified (σ = {self.negative} on t ≤ 0: not shown 0, no witness found)"
        for j, c in enumerate(self.breakpoints):
            if c >= 0 and self._order_at(j, 0) < 0:
                left, right = self._sides(j, 0)
                if _differ(left, right):
                    return False, f"{n}: not rectified (discontinuous at t = {c}: σ({c}) = {left}, right limit {right})"
                return None, f"{n}: continuity at t = {c} not decided ({left} vs {right})"
        gap = self._discontinuity_inside()
        if gap:
            return None, f"{n}: not shown rectified (could not show σ continuous on {gap})"
        for i, span in self._positive_spans():
            ok, bad = _decide_sign(sp.diff(self._segments[i], t), strict=False, span=span)
            if ok is None:
                return None, f"{n}: not shown rectified (monotonicity on {_fmt_set(span)} not decided)"
            if not ok:
                return self._falls(bad, "rectified", "σ' < 0")
        return True, f"{n}: rectified (σ = 0 on t ≤ 0, continuous, σ' ≥ 0 on (0, ∞); decided exactly)"

    def _falls(self, bad: sp.Set, what: str, where: str) -> tuple[bool | None, str]:
        """False with a witness σ(t1) > σ(t2) (≥ when ``what`` is strict increase), 0 < t1 < t2 exact; else None."""
        pair = _rationals_in(bad)
        if pair is not None:
            t1, t2 = pair
            v1, v2 = self.value(t1), self.value(t2)
            drop = sp.simplify(v1 - v2)
            if drop.is_positive is True or (what != "rectified" and drop.is_nonnegative is True):
                rel = ">" if drop.is_positive else "≥"
                label = "rectified" if what == "rectified" else "strictly increasing on (0, ∞)"
                return False, (f"{self.name}: not {label} ({where} on {_fmt_set(bad)}: "
                               f"σ({t1}) = {v1} {rel} σ({t2}) = {v2})")
        return None, f"{self.name}: {where} on {_fmt_set(bad)} found by sympy, but no exact witness"

    def _discontinuity_inside(self) -> str:
        """'' if every segment for t > 0 is shown continuous on its open interval, else that interval."""
        if self.split is not None and not self.split.undecided:
            return ""  # the split's segments are analytic on their open intervals (symland.sigma.kinks)
        for i, span in self._positive_spans():
            try:
                ok = continuous_domain(self._segments[i], t, span) == span
            except Exception:  # noqa: BLE001 -- sympy could not decide: not shown
                ok = False
            if not ok:
                return _fmt_set(span)
        return ""

    def is_strictly_increasing_on_positive(self) -> tuple[bool | None, str]:
        """Whether σ is strictly increasing on (0, ∞): σ' > 0 there except at isolated points, no downward jump.

        >>> get_activation("relu_after1").is_strictly_increasing_on_positive()[0]
        False
        """
        return self._memo(("strict",), lambda: self._bounded(self._strict, "strict increase"))

    def _strict(self) -> tuple[bool | None, str]:
        n = self.name
        for j, c in enumerate(self.breakpoints):
            if c <= 0:
                continue
            left, right = self._sides(j, 0)
            if not _same(left, right) and (right - left).is_positive is not True:
                if (left - right).is_positive is True:
                    return False, f"{n}: not strictly increasing on (0, ∞) (at t = {c}: σ = {left}, right limit {right})"
                return None, f"{n}: not shown strictly increasing (at t = {c}: σ = {left}, right limit {right})"
        gap = self._discontinuity_inside()
        if gap:
            return None, f"{n}: not shown strictly increasing (could not show σ continuous on {gap})"
        isolated = False
        for i, span in self._positive_spans():
            ok, bad = _decide_sign(sp.diff(self._segments[i], t), strict=True, span=span)
            if ok is None:
                return None, f"{n}: not shown strictly increasing (the sign of σ' on {_fmt_set(span)} not decided)"
            if not ok:
                return self._falls(bad, "strict", "σ' ≤ 0")
            isolated = isolated or bool(bad)
        off = " except at isolated points" if isolated else ""
        return True, f"{n}: strictly increasing on (0, ∞) (σ' > 0 there{off})"

    def is_smooth(self, max_order: int = 8) -> tuple[bool, str]:
        """Whether σ is shown smooth (C^∞); False also when undecided (see :meth:`smooth_decided`).

        >>> get_activation("relu").is_smooth()
        (False, 'relu: first derivative jumps at 0 (0 vs 1)')
        """
        ok, why = self.smooth_decided(max_order)
        return bool(ok), why

    def smooth_decided(self, max_order: int = 8) -> tuple[bool | None, str]:
        """C^∞ decided exactly: True, False, or None when it could not be decided.

        σ is analytic off its breakpoints (built-ins by definition, custom σ by :mod:`symland.sigma.kinks`); at each
        breakpoint :meth:`class_at` decides the class.  All orders agree when both pieces are analytic at c and
        equal, when both are polynomials (orders up to the degree suffice), or when the left segment is 0 and the
        right one is R(t)·e^(−c/(t−b)) with R rational and c > 0 — every derivative is then a rational function
        times e^(−c/(t−b)), which tends to 0 (the smooLU case).

        >>> get_activation("rectpow9").smooth_decided()
        (False, 'rectpow9: 9th derivative jumps at 0 (0 vs 362880)')
        """
        n = self.name
        if self.undecided:
            return None, f"{n}: {self.undecided}"
        reasons = []
        for j, c in enumerate(self.breakpoints):
            k, why = self.class_at(j, max_order)
            if k is None:
                return None, f"{n}: class at {c} not decided ({why})"
            if k != math.inf:
                l1, r1 = self._sides(j, k + 1)
                what = "σ is discontinuous" if k < 0 else f"{_ordinal(k + 1)} derivative jumps"
                return False, f"{n}: {what} at {c} ({l1} vs {r1})"
            reasons.append(why)
        return True, f"{n}: C^∞ ({'; '.join(reasons)})"

    def breakpoint_hits(self, kind, values, exact=None) -> tuple[tuple[sp.Rational, int], ...]:
        """((c, how many of ``values`` sit at c), …) over σ's breakpoints c, for numbers of tier ``kind``.

        Decided by :func:`symland.sigma.kinkhits.hits`: a ball containing c (a float or mp number within tolerance of c)
        is decided from ``exact`` (a function giving the exact values, in the same order) or raises KinkUndecided.
        """
        from symland.sigma.kinkhits import hits

        values = list(values)
        ex = None if exact is None else (lambda: [[list(exact())]])
        return hits(self, kind, [[values]], ex, where=lambda k, i, s: f"hidden pre-activation {s + 1}")

    def kinks(self, max_order: int = 8) -> list[tuple[sp.Rational, int | float | None]]:
        """[(c, class)] for the breakpoints where σ is not shown C^∞ (class as in :meth:`class_at`)."""
        out = []
        for j, c in enumerate(self.breakpoints):
            k = self.class_at(j, max_order)[0]
            if k != math.inf:
                out.append((c, k))
        return out

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


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


@lru_cache(maxsize=None)
def rectpow(k: int) -> Activation:
    """The rectified power ``rectpow<k>``: 0 for t ≤ 0, t**k for t > 0 (k ≥ 1; C^(k−1) but not C^k at 0)."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise UnknownNameError(f"rectpow needs an integer k ≥ 1, got {k!r}")
    return Activation(f"rectpow{k}", sp.Integer(0), t**k, f"rectified power: 0 for t ≤ 0, t^{k} for t > 0")


def polynomial(coeffs: Sequence[Any]) -> Activation:
    """The polynomial activation c0 + c1 t + c2 t² + ... on all of ℝ, named ``poly:<c0>,<c1>,...``."""
    cs = [parse_exact(c, where="polynomial coefficient") for c in coeffs]
    while len(cs) > 1 and cs[-1] == 0:
        cs.pop()
    if not cs:
        raise UnknownNameError("polynomial activation needs at least one coefficient, e.g. poly:0,0,1")
    return _polynomial(tuple(cs))


@lru_cache(maxsize=None)
def _polynomial(cs: tuple[fmpq, ...]) -> Activation:
    e = sum((sp.Rational(int(c.p), int(c.q)) * t**i for i, c in enumerate(cs)), sp.Integer(0))
    return Activation("poly:" + ",".join(str(c) for c in cs), e, e, f"polynomial activation {e}")


@lru_cache(maxsize=None)
def _shifted(c: fmpq) -> Activation:
    C = sp.Rational(int(c.p), int(c.q))
    return Activation(f"relu_after{c}", sp.Integer(0), sp.Piecewise((0, t <= C), (t - C, True)),
                      f"shifted ReLU: 0 for t ≤ {C}, t − {C} for t > {C} (rectified, not strictly increasing)")


def shifted_relu(c: Any) -> Activation:
    """``relu_after<c>``: 0 for t ≤ c, t − c for t > c (c ≥ 0 rational) — rectified, not strictly increasing."""
    q = parse_exact(c, where="relu_after shift c")
    if q < 0:
        raise UnknownNameError(f"relu_after needs a shift c ≥ 0, got {q}")
    return _shifted(q)


_SIG = 1 / (1 + sp.exp(-t))
ACTIVATIONS: MappingProxyType[str, Activation] = MappingProxyType({a.name: a for a in [
    Activation("smoolu", sp.Integer(0), t * sp.exp(-1 / t), "smooLU (Definition 3.2): 0 for t ≤ 0, t·exp(−1/t)"),
    Activation("relu", sp.Integer(0), t, "ReLU: max(0, t)"),
    Activation("softplus", sp.log(1 + sp.exp(t)), sp.log(1 + sp.exp(t)), "softplus: log(1 + e^t)"),
    Activation("tanh", sp.tanh(t), sp.tanh(t), "hyperbolic tangent"),
    Activation("sigmoid", _SIG, _SIG, "logistic sigmoid 1/(1 + e^(−t))"),
    Activation("tanh_trunc", sp.Integer(0), sp.tanh(t), "truncated tanh (Section 3.1): 0 for t ≤ 0, tanh t"),
    Activation("sigmoid_trunc", sp.Integer(0), _SIG - sp.Rational(1, 2),
               "translated and truncated sigmoid (Section 3.1): 0 for t ≤ 0, sigmoid(t) − 1/2"),
    Activation("square", t**2, t**2, "square: t² (polynomial activation)"),
    Activation("identity", t, t, "identity: σ(t) = t (linear networks; the same as poly:0,1)"),
]})
_TEMPLATES = ["rectpow<k>", "relu_after<c>", "poly:<c0>,<c1>,..."]


def names() -> list[str]:
    """The built-in activation names, then the templates of the parametric ones."""
    return [*ACTIVATIONS, *_TEMPLATES]


def get_activation(name: str) -> Activation:
    """The activation called ``name``: a built-in, ``rectpow<k>``, ``relu_after<c>`` or ``poly:<c0>,<c1>,...``.

    Raises:
        UnknownNameError: unknown or malformed name (the message lists the valid names).
    """
    if not isinstance(name, str):
        raise UnknownNameError(f"activation name must be a string, got {name!r}; valid names: {', '.join(names())}")
    key = name.strip().lower()
    if key in ACTIVATIONS:
        return ACTIVATIONS[key]
    try:
        if m := re.fullmatch(r"rectpow(\d+)", key):
            return rectpow(int(m.group(1)))
        if key.startswith("relu_after"):
            return shifted_relu(key[len("relu_after"):])
        if key.startswith("poly:"):
            return polynomial(key[len("poly:"):].split(","))
    except InputError as exc:
        raise UnknownNameError(f"malformed activation name {name!r}: {exc}") from None
    raise UnknownNameError(f"unknown activation {name!r}; valid names: {', '.join(names())}")
