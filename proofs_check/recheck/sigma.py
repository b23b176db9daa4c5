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

A custom σ given as text (``expr:<text>``) is read by this module's own parser of the grammar (:class:`_Reader`),
not the engine's.  A :class:`Sigma` splits σ into segments at every candidate breakpoint — 0, the conditions of a
Piecewise, and the rational zeros of the argument of every |u|, u^(p/q), 1/u, log u — found here with its own plain
code (nothing of the engine's decision is trusted: a certificate that is "proved" at a kink is rejected).
σ^(k)(z) at an exact z is sympy's ``diff`` of the segment's |·|-free form, evaluated exactly; at a breakpoint a
derivative exists only if the one-sided derivatives of orders 0..k agree (decided by exact limits; undecided is
``Unrecognized``: unchecked, never passed).

>>> s = sigma_for({"activation": "smoolu"})
>>> str(s.value(Num.of(Fraction(1, 2)))), str(s.value(Num.of(0), 1))
('1/2*exp(-2)', '0')
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp

from proofs_check.recheck.exact import BadWitness, NotExact, Num, Unrecognized, from_sympy, parse

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
    """A custom σ's pieces from its text, read by this module's own parser of the grammar (:class:`_Reader`)."""
    if not isinstance(text, str):
        raise BadWitness(f"activation expression must be text, got {type(text).__name__}")
    reader = _Reader(text)
    neg, pos = reader.activation()
    for need, u in reader.needs:  # the text as written: each log, sqrt, division over its own half-line
        _defined_as_written(text, need, u)
    for e in (neg, pos):
        if e.has(sp.nan, sp.zoo, sp.oo, -sp.oo, sp.I):
            raise BadWitness(f"activation expression {text!r:.80} has an undefined or non-real value")
    return neg, pos


def _defined_as_written(text: str, need: tuple, u: sp.Expr) -> None:
    """BadWitness unless u (a log's, sqrt's or divisor's argument as read, before the node simplifies it away)
    meets the node's need on its whole half-line; undecided is refused too."""
    what, where = need
    bad = {"log": u <= 0, "sqrt": u < 0, "div": sp.Eq(u, 0)}[what]
    dom = {"all": sp.Reals, "neg": sp.Interval(-sp.oo, 0), "pos": sp.Interval.Lopen(0, sp.oo)}[where]
    try:
        found = bad if bad in (sp.true, sp.false) else sp.solveset(bad, T, dom)
    except Exception:  # noqa: BLE001 -- sympy could not decide: refused, never assumed defined
        found = None
    if found is not sp.false and found is not sp.S.EmptySet:
        raise BadWitness(f"activation expression {text!r:.80}: {what} of {u} is not defined on all of {dom} "
                         "as written")


class _Reader:
    """The grammar of ``--activation-expr`` read again by recursive descent (nothing evaluated), written apart
    from the engine's parser: expr := term (± term)*, term := unary ((*|/) unary)*, unary := ± unary | power,
    power := atom ((^|**) integer, |k| ≤ 20)?, atom := number | x | t | f(expr) | (expr), f in exp log tanh sqrt
    sigmoid; activation := expr [if x (<=|>) 0 else expr]."""

    _FUNCS = {"exp": sp.exp, "log": sp.log, "tanh": sp.tanh, "sqrt": sp.sqrt,
              "sigmoid": lambda u: 1 / (1 + sp.exp(-u))}

    def __init__(self, text: str):
        if len(text) > 500 or not text.strip():
            raise BadWitness(f"activation expression of {len(text)} characters (1 to 500)")
        self.toks = re.findall(r"\s*(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|[A-Za-z_]\w*|\*\*|<=|\S)",
                               text)
        if "".join(self.toks) != "".join(text.split()):
            raise BadWitness(f"activation expression {text!r:.80} does not read")
        self.pos, self.depth = 0, 0
        self.needs, self.side = [], "all"  # (("log" | "sqrt" | "div", half-line), argument u as read)

    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, want=None):
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            raise BadWitness(f"activation expression: expected {want or 'more'}, found {tok!r}")
        self.pos += 1
        return tok

    def activation(self):
        first = self.expr()
        if self.peek() is None:
            return first, first
        mark = len(self.needs)
        self.take("if")
        if self.take() not in ("x", "t"):
            raise BadWitness("activation expression: the condition names x or t")
        rel = self.take()
        if rel not in ("<=", ">") or self.atom() != 0:
            raise BadWitness("activation expression: the condition is '<= 0' or '> 0'")
        self.take("else")
        self.side = "pos" if rel == "<=" else "neg"
        second = self.expr()
        if self.peek() is not None:
            raise BadWitness("activation expression: text after the expression")
        other = "neg" if rel == "<=" else "pos"
        self.needs = [((w, other), u) for (w, _), u in self.needs[:mark]] + self.needs[mark:]
        return (first, second) if rel == "<=" else (second, first)

    def expr(self):
        self.depth += 1
        if self.depth > 64:
            raise BadWitness("activation expression nested too deeply")
        acc = self.term()
        while self.peek() in ("+", "-"):
            acc = acc + self.term() if self.take() == "+" else acc - self.term()
        self.depth -= 1
        return acc

    def term(self):
        acc = self.unary()
        while self.peek() in ("*", "/"):
            if self.take() == "*":
                acc = acc * self.unary()
            else:
                d = self.unary()
                if d == 0:
                    raise BadWitness("activation expression: division by zero")
                self.needs.append((("div", self.side), d))
                acc = acc / d
        return acc

    def unary(self):
        if self.peek() in ("+", "-"):
            sign = self.take()
            self.depth += 1
            if self.depth > 64:
                raise BadWitness("activation expression nested too deeply")
            inner = self.unary()
            self.depth -= 1
            return inner if sign == "+" else -inner
        base = self.atom()
        if self.peek() in ("^", "**"):
            self.take()
            paren = self.peek() == "("
            if paren:
                self.take()
            sign = -1 if self.peek() == "-" else 1
            if self.peek() in ("+", "-"):
                self.take()
            k = self.take()
            if not (k.isdigit() and int(k) <= 20):
                raise BadWitness(f"activation expression: exponent {k!r} is not an integer of at most 20")
            if paren:
                self.take(")")
            if base == 0 and sign < 0:
                raise BadWitness("activation expression: 0 to a negative power")
            if sign < 0:
                self.needs.append((("div", self.side), base))
            base = base ** (sign * int(k))
        return base

    def atom(self):
        tok = self.take()
        if tok[0].isdigit() or tok[0] == ".":
            mant, _, ex = tok.lower().partition("e")
            whole, _, frac = mant.partition(".")
            k = int(ex or 0) - len(frac)
            if abs(k) > 1000:
                raise BadWitness(f"activation expression: number {tok!r} beyond 10^±1000")
            return sp.Integer(int(whole + frac or "0")) * sp.Rational(10) ** k
        if tok in ("x", "t"):
            return T
        if tok == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if tok in self._FUNCS:
            self.take("(")
            inner = self.expr()
            self.take(")")
            if tok in ("log", "sqrt"):
                self.needs.append(((tok, self.side), inner))
            return self._FUNCS[tok](inner)
        raise BadWitness(f"activation expression: unexpected {tok!r}")


def sigma_for(instance: dict) -> Sigma:
    """The :class:`Sigma` of a witness instance: its ``activation`` name (``expr:<text>`` for a custom σ given
    as text, see :func:`symland.expr.expr_activation_name`) — no other field of the instance names σ."""
    name = instance.get("activation")  # the one field naming σ (the format admits no other)
    if isinstance(name, str) and name.startswith(EXPR_PREFIX):
        neg, pos = _from_text(name[len(EXPR_PREFIX):])
    else:
        neg, pos = pieces(name)
    key = (name, sp.srepr(neg), sp.srepr(pos))
    if key not in _SIGMAS:
        _SIGMAS[key] = Sigma(neg, pos, str(name))
    return _SIGMAS[key]


def _q(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


def _sample(a: Fraction | None, b: Fraction | None) -> Fraction:
    """An exact point inside the open segment (a, b) (None: unbounded)."""
    if a is None and b is None:
        return Fraction(0)
    if a is None:
        return b - 1
    if b is None:
        return a + 1
    return (a + b) / 2


class Sigma:
    """σ split into segments at every point where it may fail to be analytic, each segment free of |·|.

    The candidate breakpoints are found here, apart from the engine: 0 (where the two pieces meet, unless they are
    one expression), the conditions t ≤ c of a Piecewise positive part, and every real zero of the argument u of
    a node that is not analytic where u = 0 — |u|, u^(p/q), 1/u, log u.  When u itself contains |v|, the zeros of
    every sign variant (|v| ↦ ±v) are taken: a superset, which is all this needs.  Zeros must be rational roots
    of a polynomial over ℚ (the numerator of u); anything else — an irrational or transcendental zero, a function
    not listed — is :class:`Unrecognized` (nothing re-checked, never passed).  Between consecutive candidates
    every such u keeps one sign, so each |u| is replaced by ±u, read at an exact rational inside the segment.
    """

    _MAX_BREAKS = 64

    def __init__(self, negative: sp.Expr, positive: sp.Expr, name: str):
        self.name, self.t = name, sp.Symbol("t", real=True)
        syms = (negative.free_symbols | positive.free_symbols)
        if len(syms) > 1:
            raise BadWitness(f"activation {name}: pieces in more than one variable")
        if syms:  # rename whatever real symbol the definition uses to our own t
            (s,) = syms
            negative, positive = negative.subs(s, self.t), positive.subs(s, self.t)
        self._cache: dict = {}
        cands: set = set() if negative == positive else {Fraction(0)}
        parts = [positive]
        if isinstance(positive, sp.Piecewise):
            *inner, last = positive.args
            if last.cond is not sp.true:
                raise BadWitness(f"activation {name}: its positive piece is not total")
            for _e, cond in inner:
                if not (isinstance(cond, sp.LessThan) and cond.lhs == self.t and cond.rhs.is_Rational
                        and cond.rhs > 0):
                    raise BadWitness(f"activation {name}: unsupported condition {cond}")
                cands.add(Fraction(int(cond.rhs.p), int(cond.rhs.q)))
            parts = [e for e, _ in positive.args]
        self._neg, self._pos = negative, positive
        self.flat = {Fraction(0)} if self._flat_at_zero(negative, positive) else set()
        for e in [negative, *parts]:
            cands |= self._zeros_of_kinks(e)
        if len(cands) > self._MAX_BREAKS:
            raise Unrecognized(f"activation {name}: more than {self._MAX_BREAKS} candidate breakpoints")
        self.breaks: list[Fraction] = sorted(cands)
        ends = [None, *self.breaks, None]
        self.segs: list[sp.Expr] = [self._analytic_form(_sample(a, b)) for a, b in zip(ends, ends[1:])]

    def _flat_at_zero(self, negative: sp.Expr, positive: sp.Expr) -> bool:
        """σ is C^∞ at its joint 0 because it is flat there: the negative piece is analytic at 0 (no kink of its
        own at 0) and positive − negative = q(t)·e^(−1/t) with q a polynomial — every derivative of q(t)·e^(−1/t)
        tends to 0 as t ↓ 0 (Definition 3.2's smoolu: q = t, negative piece 0)."""
        if negative == positive or isinstance(positive, sp.Piecewise):
            return False
        try:
            if Fraction(0) in self._zeros_of_kinks(negative):
                return False
        except Unrecognized:
            return False
        q = sp.expand(sp.powsimp(sp.expand((positive - negative) * sp.exp(1 / self.t))))
        return q.free_symbols <= {self.t} and q.is_polynomial(self.t) and \
            all(c.is_Rational for c in sp.Poly(q, self.t).all_coeffs())

    def _governing(self, s: Fraction) -> sp.Expr:
        """The piece of σ's definition that applies at the exact point s."""
        if s <= 0:
            return self._neg
        if isinstance(self._pos, sp.Piecewise):
            for e, cond in self._pos.args:
                if cond is sp.true or cond.subs(self.t, _q(s)) == sp.true:
                    return e
        return self._pos

    def _analytic_form(self, s: Fraction) -> sp.Expr:
        """σ's piece at s with each |u| replaced by sign(u(s))·u, innermost first (u ≠ 0 on s's segment)."""
        e = self._governing(s)
        for _ in range(64):
            inner = [a for a in e.atoms(sp.Abs) if not a.args[0].has(sp.Abs)]
            if not inner:
                return e
            for a in inner:
                v = a.args[0].subs(self.t, _q(s))
                sign = 1 if v.is_positive else -1 if v.is_negative else None
                if sign is None:
                    raise Unrecognized(f"activation {self.name}: the sign of {a.args[0]} at {s} is not decided")
                e = e.xreplace({a: sign * a.args[0]})
        raise Unrecognized(f"activation {self.name}: |·| nested too deeply")

    def _zeros_of_kinks(self, e: sp.Expr) -> set:
        out: set = set()
        for node in sp.preorder_traversal(e):
            if not isinstance(node, sp.Basic) or self.t not in node.free_symbols:
                continue
            if isinstance(node, (sp.Add, sp.Mul, sp.Symbol, sp.exp, sp.tanh)):
                continue
            if isinstance(node, sp.Pow) and node.exp.is_Integer and node.exp >= 0:
                continue
            if isinstance(node, sp.Pow) and (self.t in node.exp.free_symbols or not node.exp.is_Rational):
                raise Unrecognized(f"activation {self.name}: the power {node} is not decided")
            if not isinstance(node, (sp.Abs, sp.Pow, sp.log)):
                raise Unrecognized(f"activation {self.name}: {type(node).__name__} is not decided by the re-checker")
            out |= self._rational_zeros(node.args[0] if not isinstance(node, sp.Pow) else node.base)
        return out

    def _rational_zeros(self, u: sp.Expr) -> set:
        variants = [u]
        for a in sorted(u.atoms(sp.Abs), key=sp.default_sort_key):
            variants = [v.xreplace({a: sg * a.args[0]}) for v in variants for sg in (1, -1)]
            if len(variants) > 64:
                raise Unrecognized(f"activation {self.name}: too many |·| inside {u}")
        out: set = set()
        for v in variants:
            num, _ = sp.fraction(sp.together(v))
            if self.t not in num.free_symbols or self._positive_exp_sum(num):
                continue  # a nonzero constant, or a sum of positive multiples of exponentials: no real zero
            if not num.is_polynomial(self.t):
                raise Unrecognized(f"activation {self.name}: the zeros of {v} are not located exactly")
            poly = sp.Poly(num, self.t)
            if not all(c.is_Rational for c in poly.all_coeffs()):
                raise Unrecognized(f"activation {self.name}: {v} has coefficients that are not rational")
            for r in poly.real_roots():
                if not r.is_Rational:
                    raise Unrecognized(f"activation {self.name}: a possible breakpoint at the irrational {r}")
                out.add(Fraction(int(r.p), int(r.q)))
        return out

    def _positive_exp_sum(self, e: sp.Expr) -> bool:
        """Whether e is Σ c_j·exp(u_j) (+ c₀) with rational c_j > 0 (c₀ ≥ 0) and u_j real in t — then e > 0 for
        every real t (1 + e^(−t), the denominator of the sigmoid, is such a sum)."""
        terms = sp.Add.make_args(sp.expand(e))
        found = False
        for term in terms:
            coeff, rest = term.as_coeff_Mul()
            if not (coeff.is_Rational and coeff > 0):
                return False
            if rest == 1:
                continue
            factors = sp.Mul.make_args(rest)
            if not all(isinstance(f, sp.exp) and f.args[0].is_real for f in factors):
                return False
            found = True
        return found

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
            v = e.subs(self.t, _q(c)) if self._regular_at(e, c) else sp.limit(e, self.t, _q(c), direction)
            self._cache[key] = v
        return self._cache[key]

    def _regular_at(self, e: sp.Expr, c: Fraction) -> bool:
        """e is continuous at c, so its one-sided limits are its value: built of +, ×, exp, tanh and powers whose
        base is positive at c (nonzero for integer powers), logs of positive values (e has no |·|)."""
        for node in sp.preorder_traversal(e):
            if isinstance(node, (sp.Add, sp.Mul, sp.Symbol, sp.Number, sp.NumberSymbol, sp.exp, sp.tanh)):
                continue
            if isinstance(node, sp.Pow):
                b = node.base.subs(self.t, _q(c))
                integer = node.exp.is_Integer
                if (integer and node.exp >= 0) or b.is_positive or (integer and b.is_zero is False):
                    continue
            if isinstance(node, sp.log) and node.args[0].subs(self.t, _q(c)).is_positive:
                continue
            return False
        return True

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

    def agree_to(self, j: int, order: int) -> bool:
        """Whether the one-sided derivatives of ``order`` agree at the breakpoint ``breaks[j]``.

        Raises:
            Unrecognized: not decided.
        """
        try:
            self._agree(j, order, self.breaks[j])
        except NotExact:
            return False
        return True

    def _agree(self, j: int, order: int, c: Fraction) -> None:
        """Orders agree at c, or NotExact (shown to differ: rejected), or Unrecognized (not decided)."""
        left, right = self._side(j, order, c, "-"), self._side(j + 1, order, c, "+")
        if left.is_finite and right.is_finite and sp.simplify(left - right) == 0:
            return
        if not (left.is_finite is False or right.is_finite is False or
                (left.is_finite and right.is_finite and sp.simplify(left - right).is_zero is False)):
            raise Unrecognized(f"{self.name}: whether its one-sided derivatives of order {order} at t = {c} agree "
                               f"({left}, {right}) is not decided")
        what = "continuous" if order == 0 else f"{order} times differentiable"
        raise NotExact(f"{self.name} is not {what} at t = {c} (one-sided "
                       f"{'values' if order == 0 else 'derivatives'} {left} and {right}), so J_H is undefined")


