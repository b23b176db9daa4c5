"""The re-checker's own activations: σ's exact sympy pieces, defined here again, and exact values of σ^(k).

The re-checker does not import the engine, so the built-in activations of :mod:`symland.activations` are written
down once more from their definitions (the tests check that both tables agree):

=================  ===============================  ==================================
name               t ≤ 0                            t > 0
=================  ===============================  ==================================
smoolu             0                                t·e^(−1/t)   (Definition 3.2)
relu               0                                t
rectpow<k>         0                                tᵏ
relu_after<c>      0                                0 for t ≤ c, t − c for t > c
softplus, tanh,    the same expression on both sides
sigmoid, square,
identity, poly:<c0>,<c1>,…
tanh_trunc         0                                tanh t
sigmoid_trunc      0                                1/(1 + e^(−t)) − 1/2
=================  ===============================  ==================================

A :class:`Sigma` splits σ into segments (−∞, 0], (0, c_1], …, (c_last, ∞); σ^(k)(z) at an exact z is sympy's
``diff`` of the segment's piece, evaluated exactly; at a breakpoint a derivative exists only if the one-sided
derivatives of orders 0..k agree (decided by exact limits).

>>> s = sigma_for({"activation": "smoolu"})
>>> str(s.value(Num.of(Fraction(1, 2)))), str(s.value(Num.of(0), 1))
('1/2*exp(-2)', '0')
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

from proofs_check.recheck.exact import BadWitness, Num, NotExact, from_sympy, parse

__all__ = ["Sigma", "pieces", "sigma_for"]

T = sp.Symbol("t", real=True)
_ZERO = sp.Integer(0)
_SIG = 1 / (1 + sp.exp(-T))
_BUILTIN = {
    "smoolu": (_ZERO, T * sp.exp(-1 / T)),
    "relu": (_ZERO, T),
    "softplus": (sp.log(1 + sp.exp(T)),) * 2,
    "tanh": (sp.tanh(T),) * 2,
    "sigmoid": (_SIG,) * 2,
    "tanh_trunc": (_ZERO, sp.tanh(T)),
    "sigmoid_trunc": (_ZERO, _SIG - sp.Rational(1, 2)),
    "square": (T**2,) * 2,
    "identity": (T,) * 2,
}
_SIGMAS: dict = {}
EXPR_PREFIX = "expr:"  # the name of a custom σ given as text: "expr:" + the text


def _rational(text: str) -> sp.Rational:
    v = parse(text.strip())
    if not v.is_rational():
        raise BadWitness(f"activation parameter {text!r} is not rational")
    q = v.rational()
    return sp.Rational(q.numerator, q.denominator)


def pieces(name: str) -> tuple[sp.Expr, sp.Expr]:
    """(σ on t ≤ 0, σ on t > 0) for a built-in activation name, in the variable :data:`T`.

    Raises:
        BadWitness: the name is not one of the built-ins.
    """
    if not isinstance(name, str):
        raise BadWitness(f"activation name must be a string, got {name!r}")
    key = name.strip().lower()
    if key in _BUILTIN:
        return _BUILTIN[key]
    if m := re.fullmatch(r"rectpow(\d{1,3})", key):
        if int(m.group(1)) >= 1:
            return _ZERO, T ** int(m.group(1))
    if key.startswith("relu_after"):
        c = _rational(key[len("relu_after"):])
        if c >= 0:
            return _ZERO, sp.Piecewise((0, T <= c), (T - c, True))
    if key.startswith("poly:"):
        e = sp.Add(*[_rational(c) * T**i for i, c in enumerate(key[len("poly:"):].split(","))])
        return e, e
    raise BadWitness(f"unknown activation {name!r}")


def _from_text(text) -> tuple[sp.Expr, sp.Expr]:
    """A custom σ's pieces from its text, by the restricted grammar of :mod:`symland.expr` (nothing evaluated)."""
    from symland.errors import SymlandError
    from symland.expr import parse_activation_expr

    try:
        act = parse_activation_expr(text)
    except SymlandError as exc:
        raise BadWitness(f"instance activation: {exc}") from None
    return act.negative, act.positive


def sigma_for(instance: dict) -> Sigma:
    """The :class:`Sigma` of a witness instance: its ``activation`` name (``expr:<text>`` for a custom σ given
    as text, see :func:`symland.expr.expr_activation_name`), or an ``activation_expr`` text."""
    name = instance.get("activation")
    if "activation_expr" in instance:
        name = instance["activation_expr"]
        neg, pos = _from_text(name)
    elif isinstance(name, str) and name.startswith(EXPR_PREFIX):
        neg, pos = _from_text(name[len(EXPR_PREFIX):])
    else:
        neg, pos = pieces(name)
    key = (name, sp.srepr(neg), sp.srepr(pos))
    if key not in _SIGMAS:
        _SIGMAS[key] = Sigma(neg, pos, str(name))
    return _SIGMAS[key]


def _q(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


class Sigma:
    """σ split into segments: (−∞, 0] ↦ negative, then (c_{i−1}, c_i] ↦ the pieces of a Piecewise positive part."""

    def __init__(self, negative: sp.Expr, positive: sp.Expr, name: str):
        self.name, self.t = name, sp.Symbol("t", real=True)
        syms = (negative.free_symbols | positive.free_symbols)
        if len(syms) > 1:
            raise BadWitness(f"activation {name}: pieces in more than one variable")
        if syms:  # rename whatever real symbol the definition uses to our own t
            (s,) = syms
            negative, positive = negative.subs(s, self.t), positive.subs(s, self.t)
        self.breaks: list[Fraction] = []
        self.segs: list[sp.Expr] = []
        if negative == positive:
            self.segs = [positive]
            self._cache: dict = {}
            return
        self.breaks, self.segs = [Fraction(0)], [negative]
        if isinstance(positive, sp.Piecewise):
            *inner, last = positive.args
            if last.cond is not sp.true:
                raise BadWitness(f"activation {name}: its positive piece is not total")
            for e, cond in inner:
                if not (isinstance(cond, sp.LessThan) and cond.lhs == self.t and cond.rhs.is_Rational):
                    raise BadWitness(f"activation {name}: unsupported condition {cond}")
                c = Fraction(int(cond.rhs.p), int(cond.rhs.q))
                if c > self.breaks[-1]:
                    self.breaks.append(c)
                    self.segs.append(e)
            self.segs.append(last.expr)
        else:
            self.segs.append(positive)
        self._cache = {}

    def _diff(self, i: int, k: int) -> sp.Expr:
        key = ("d", i, k)
        if key not in self._cache:
            self._cache[key] = sp.diff(self.segs[i], self.t, k)
        return self._cache[key]

    def _at(self, i: int, k: int, z: Num) -> Num:
        e = self._diff(i, k)
        if z.is_rational():
            key = ("v", i, k, z.rational())
            if key not in self._cache:
                v = e.subs(self.t, _q(z.rational()))
                if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                    raise NotExact(f"{self.name}^({k}) is not finite at {z}")
                self._cache[key] = from_sympy(v)
            return self._cache[key]
        if not e.is_polynomial(self.t):
            raise NotExact(f"{self.name} at the transcendental pre-activation {z} is not in Q[e^Q]")
        acc = Num()
        for c in sp.Poly(e, self.t).all_coeffs():
            if not c.is_Rational:
                raise NotExact(f"{self.name} has a non-rational coefficient {c}")
            acc = acc * z + Num.of(Fraction(int(c.p), int(c.q)))
        return acc

    def _side(self, i: int, k: int, c: Fraction, direction: str) -> sp.Expr:
        key = ("s", i, k, c, direction)
        if key not in self._cache:
            e = self._diff(i, k)
            v = e.subs(self.t, _q(c)) if e.is_polynomial(self.t) else sp.limit(e, self.t, _q(c), direction)
            self._cache[key] = v
        return self._cache[key]

    def value(self, z: Num, k: int = 0) -> Num:
        """σ^(k)(z) exactly; NotExact where it is undefined (one-sided derivatives differ) or not in Q[e^Q]."""
        i = 0
        for j, c in enumerate(self.breaks):
            s = (z - Num.of(c)).sign()
            if s == 0:
                for order in range(k + 1 if k else 0):  # σ^(k)(c) exists iff orders 0..k agree
                    self._agree(j, order, c)
                return from_sympy(self._side(j, k, c, "-"))
            if s < 0:
                break
            i = j + 1
        return self._at(i, k, z)

    def _agree(self, j: int, order: int, c: Fraction) -> None:
        left, right = self._side(j, order, c, "-"), self._side(j + 1, order, c, "+")
        if not (left.is_finite and right.is_finite and sp.simplify(left - right) == 0):
            what = "continuous" if order == 0 else f"{order} times differentiable"
            raise NotExact(f"{self.name} is not {what} at t = {c} (one-sided "
                           f"{'values' if order == 0 else 'derivatives'} {left} and {right}), so J_H is undefined")


