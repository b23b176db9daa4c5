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
import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Sequence

import sympy as sp
from flint import fmpq, fmpq_poly, fmpz
from sympy.calculus.util import continuous_domain

from symland.data import parse_exact
from symland.errors import InputError, NotRepresentableError, UndefinedDerivativeError, UnknownNameError

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


def _one_sided(e: sp.Expr, c: sp.Rational, direction: str) -> sp.Expr:
    """lim_{t→c±} e, exactly: by substitution where e is a polynomial or continuous at c, else sympy's limit."""
    if e.is_polynomial(t):
        return e.subs(t, c)
    try:
        v = e.subs(t, c)
        if v.is_finite and c in continuous_domain(e, t, sp.Interval(c - 1, c + 1)):
            return v
    except Exception:  # noqa: BLE001 -- fall back to the limit below
        pass
    return sp.limit(e, t, c, direction)


def _decide_sign(d: sp.Expr, strict: bool) -> tuple[bool | None, sp.Set]:
    """Decide d ≥ 0 on (0, ∞) (d > 0 off isolated points if ``strict``): (verdict or None, set where it fails)."""
    ds = d.subs(t, _s)
    if (ds.is_positive if strict else ds.is_nonnegative) is True:
        return True, sp.S.EmptySet
    try:
        bad = sp.solveset(d <= 0 if strict else d < 0, t, _OPEN)
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
    built-in).  ``breakpoints`` (computed) holds 0 and the inner breakpoints of a piecewise positive piece.
    Equality is by name and pieces; the hash is the name's.  Derivatives, one-sided values and coefficient tables
    are cached on the instance.
    """

    name: str
    negative: sp.Expr
    positive: sp.Expr
    description: str = ""
    smooth_pieces: bool = True
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
        return self._memo(("seg", i, k), lambda: sp.diff(self._segments[i], t, k))

    def _sides(self, j: int, k: int) -> tuple[sp.Expr, sp.Expr]:
        """(left, right) k-th one-sided derivatives at breakpoint j, as exact limits."""
        c = self.breakpoints[j]
        return self._memo(("sides", j, k), lambda: (_one_sided(self._seg(j, k), c, "-"),
                                                    _one_sided(self._seg(j + 1, k), c, "+")))

    def _order_at(self, j: int, max_order: int) -> int:
        """Largest k ≤ max_order with one-sided derivatives of orders 0..k agreeing at breakpoint j; -1 if none."""
        for k in range(max_order + 1):
            if not self._memo(("agree", j, k), lambda: _same(*self._sides(j, k))):
                return k - 1
        return max_order

    def smoothness_at_zero(self, max_order: int = 8) -> int:
        """Largest k ≤ max_order such that σ is k times differentiable at t = 0; -1 if σ is discontinuous at 0.

        One-sided derivatives are decided exactly (right side as the limit t → 0+).

        >>> get_activation("rectpow3").smoothness_at_zero()
        2
        """
        return self._order_at(0, max_order)

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
        if Q in self.breakpoints:
            j = self.breakpoints.index(Q)
            if k > 0 and self._order_at(j, k) < k:
                raise self._undefined(j, k)
            return self._sides(j, k)[0]
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
        if k > 0 and not self._memo(("ragree", j, k), lambda: self._order_at(j, k) >= k):
            raise self._undefined(j, k)
        return polys[j](q)

    def is_rectified(self) -> tuple[bool, str]:
        """Definition 3.1, decided exactly: σ = 0 on t ≤ 0, σ continuous, σ non-decreasing on t > 0.

        >>> get_activation("tanh").is_rectified()
        (False, 'tanh: not rectified (σ(-1) = -tanh(1) ≠ 0 on t ≤ 0)')
        """
        return self._memo(("rectified",), self._rectified)

    def _rectified(self) -> tuple[bool, str]:
        n = self.name
        if not (self.negative == 0 or sp.simplify(self.negative) == 0):
            for x in (-1, -2, sp.Rational(-1, 2), -3):
                v = self.negative.subs(t, x)
                if v.is_zero is False:
                    return False, f"{n}: not rectified (σ({x}) = {v} ≠ 0 on t ≤ 0)"
            return False, f"{n}: not rectified (σ = {self.negative} is not identically 0 on t ≤ 0)"
        for j, c in enumerate(self.breakpoints):
            if self._order_at(j, 0) < 0:
                left, right = self._sides(j, 0)
                return False, f"{n}: not rectified (discontinuous at t = {c}: σ({c}) = {left}, right limit {right})"
        gap = self._discontinuity_inside()
        if gap:
            return False, f"{n}: not rectified as far as shown (could not show σ continuous on {gap})"
        ok, bad = _decide_sign(sp.diff(self.positive, t), strict=False)
        if ok is None:
            return False, f"{n}: not rectified as far as shown (could not decide monotonicity on (0, ∞))"
        if not ok:
            return False, f"{n}: not rectified (σ' < 0 on {_fmt_set(bad)})"
        return True, f"{n}: rectified (σ = 0 on t ≤ 0, continuous, σ' ≥ 0 on (0, ∞); decided exactly)"

    def _discontinuity_inside(self) -> str:
        """'' if every segment for t > 0 is shown continuous on its open interval, else that interval."""
        ends = [*self.breakpoints, sp.oo]
        for i in range(1, len(ends)):
            span = sp.Interval.open(ends[i - 1], ends[i])
            try:
                ok = continuous_domain(self._segments[i], t, span) == span
            except Exception:  # noqa: BLE001 -- sympy could not decide: not shown
                ok = False
            if not ok:
                return _fmt_set(span)
        return ""

    def is_strictly_increasing_on_positive(self) -> tuple[bool, str]:
        """Whether σ is strictly increasing on (0, ∞): σ' > 0 there except at isolated points, no downward jump.

        >>> get_activation("relu_after1").is_strictly_increasing_on_positive()
        (False, "relu_after1: not strictly increasing on (0, ∞) (σ' ≤ 0 on (0, 1])")
        """
        return self._memo(("strict",), self._strict)

    def _strict(self) -> tuple[bool, str]:
        n = self.name
        for j, c in enumerate(self.breakpoints[1:], 1):
            left, right = self._sides(j, 0)
            if not _same(left, right) and (right - left).is_positive is not True:
                return False, f"{n}: not strictly increasing on (0, ∞) (at t = {c}: σ = {left}, right limit {right})"
        gap = self._discontinuity_inside()
        if gap:
            return False, f"{n}: not shown strictly increasing (could not show σ continuous on {gap})"
        ok, bad = _decide_sign(sp.diff(self.positive, t), strict=True)
        if ok is None:
            return False, f"{n}: not shown strictly increasing (could not decide the sign of σ' on (0, ∞))"
        if not ok:
            return False, f"{n}: not strictly increasing on (0, ∞) (σ' ≤ 0 on {_fmt_set(bad)})"
        off = " except at isolated points" if bad else ""
        return True, f"{n}: strictly increasing on (0, ∞) (σ' > 0 there{off})"

    def is_smooth(self, max_order: int = 8) -> tuple[bool, str]:
        """Whether σ is smooth, checked exactly up to derivatives of order ``max_order``.

        Smooth here means: analytic segments (``smooth_pieces``) whose one-sided derivatives of orders
        0..max_order agree at every breakpoint — at t = 0 this is what makes Definition 3.2's smooLU smooth.

        >>> get_activation("relu").is_smooth()
        (False, 'relu: first derivative jumps at 0 (0 vs 1)')
        """
        n = self.name
        if not self.smooth_pieces:
            return False, f"{n}: pieces not declared analytic"
        for j, c in enumerate(self.breakpoints):
            order = self._order_at(j, max_order)
            if order < max_order:
                left, right = self._sides(j, order + 1)
                what = "σ is discontinuous" if order < 0 else f"{_ordinal(order + 1)} derivative jumps"
                return False, f"{n}: {what} at {c} ({left} vs {right})"
        ok, why = self.smooth_decided(max_order)
        return bool(ok), why

    def smooth_decided(self, max_order: int = 8) -> tuple[bool | None, str]:
        """C^∞ decided exactly: True, False, or None when derivatives agree to ``max_order`` but no
        argument for all orders is available.

        At a breakpoint, agreement of all orders is proved when the two segments are the same
        expression, when both are polynomials (then orders up to the degree suffice), or when the left
        segment is 0 and the right one is R(t)·e^(−c/(t−b)) with R rational and c > 0 — every derivative
        is then a rational function times e^(−c/(t−b)), which tends to 0 (the smooLU case).

        >>> get_activation("rectpow9").smooth_decided()
        (False, 'rectpow9: 9th derivative jumps at 0 (0 vs 362880)')
        """
        n = self.name
        if not self.smooth_pieces:
            return False, f"{n}: pieces not declared analytic"
        reasons = []
        for j, c in enumerate(self.breakpoints):
            left, right = self._segments[j], self._segments[j + 1]
            if _same(left, right):
                reasons.append(f"same expression on both sides of {c}")
                continue
            lp, rp = _coeffs(left), _coeffs(right)
            if lp is not None and rp is not None:
                top = max(len(lp), len(rp))
                order = self._order_at(j, top)
                if order < top:
                    l1, r1 = self._sides(j, order + 1)
                    what = "σ is discontinuous" if order < 0 else f"{_ordinal(order + 1)} derivative jumps"
                    return False, f"{n}: {what} at {c} ({l1} vs {r1})"
                reasons.append(f"polynomial pieces agree to all orders at {c}")
                continue
            order = self._order_at(j, max_order)
            if order < max_order:
                l1, r1 = self._sides(j, order + 1)
                what = "σ is discontinuous" if order < 0 else f"{_ordinal(order + 1)} derivative jumps"
                return False, f"{n}: {what} at {c} ({l1} vs {r1})"
            if _same(left, sp.Integer(0)) and _flat(right, c):
                reasons.append(f"0 on the left of {c}, R(t)·e^(−c/(t−{c})) on the right: flat, all orders agree")
                continue
            return None, (f"{n}: derivatives of order 0..{max_order} agree at {c} (checked exactly), "
                          "but C^∞ there is not decided")
        return True, f"{n}: C^∞ ({'; '.join(reasons)})"

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
