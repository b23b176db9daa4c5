"""The re-checker's own exact numbers: the ring Q[e^Q] on Python ``Fraction``, written apart from the engine.

A value is a finite sum Σ c_q e^q with rational c_q and q, stored as {q: c_q} without zero coefficients. By the
Lindemann–Weierstrass theorem the numbers e^(q_1), …, e^(q_k) (distinct rational q_j) are linearly independent over
the algebraic numbers, so Σ c_q e^q = 0 **iff every c_q = 0**: equality is equality of the dicts.

Nothing here comes from :mod:`symland.tiers`: the parser of value strings, the conversion from sympy, the reduction
mod p and the sign (mpmath interval arithmetic, not Arb) are separate code, so that a bug in the engine's exact
numbers cannot make a wrong certificate re-check.

>>> v = parse("2*exp(-3)/7 + 1/5")
>>> v * 0 == Num(), str(v + parse("-1/5"))
(True, '2/7*exp(-3)')
>>> parse("exp(1/2)") * parse("exp(-1/2)") == Num.of(1)
True
"""

from __future__ import annotations

import re
from fractions import Fraction

import mpmath
import sympy as sp

__all__ = ["Num", "NotExact", "BadWitness", "Unrecognized", "TooLarge", "parse", "from_sympy", "to_mod_p",
           "MAX_VALUE_CHARS"]

MAX_VALUE_CHARS = 200_000  # longer value strings are refused (a certificate is a file from anywhere)
_ZERO = Fraction(0)


class BadWitness(ValueError):
    """The witness is malformed or inconsistent (wrong shape, unknown names, values of the wrong type)."""


class Unrecognized(Exception):
    """The witness is not in a form the re-checker knows (an enclosure, a future tier, too large): nothing is
    re-checked, and the result says so — neither accepted nor rejected."""


class TooLarge(Unrecognized):
    """The certificate exceeds one of the re-checker's size limits (a value string, an exponent, a nesting depth, a
    power, a network): it may well be valid, so it is left ``unchecked``, never rejected."""


class NotExact(ArithmeticError):
    """A value is not in Q[e^Q] (or a string does not denote one): the re-checker cannot decide it exactly."""


class Num:
    """Σ c_q e^q, canonical: {q: c_q} with every c_q ≠ 0 (Fractions)."""

    __slots__ = ("terms",)

    def __init__(self, terms: dict | None = None):
        self.terms = {q: c for q, c in (terms or {}).items() if c != 0}

    @classmethod
    def of(cls, c) -> Num:
        """The rational constant c."""
        return cls({_ZERO: Fraction(c)})

    @classmethod
    def exp(cls, q, c=1) -> Num:
        """c·e^q."""
        return cls({Fraction(q): Fraction(c)})

    def is_zero(self) -> bool:
        return not self.terms

    def is_rational(self) -> bool:
        return all(q == 0 for q in self.terms)

    def rational(self) -> Fraction:
        if not self.is_rational():
            raise NotExact(f"{self} is not rational")
        return self.terms.get(_ZERO, _ZERO)

    def __add__(self, other: Num) -> Num:
        out = dict(self.terms)
        for q, c in other.terms.items():
            out[q] = out.get(q, _ZERO) + c
        return Num(out)

    def __neg__(self) -> Num:
        return Num({q: -c for q, c in self.terms.items()})

    def __sub__(self, other: Num) -> Num:
        return self + (-other)

    def __mul__(self, other) -> Num:
        if not isinstance(other, Num):
            c = Fraction(other)
            return Num({q: v * c for q, v in self.terms.items()})
        out: dict = {}
        for q1, c1 in self.terms.items():
            for q2, c2 in other.terms.items():
                out[q1 + q2] = out.get(q1 + q2, _ZERO) + c1 * c2
        return Num(out)

    def inverse(self) -> Num:
        """1/x for a monomial x = c·e^q (the only units of the ring that a value string may divide by)."""
        if len(self.terms) != 1:
            raise NotExact(f"cannot divide by {self} exactly" if self.terms else "division by zero")
        ((q, c),) = self.terms.items()
        return Num({-q: 1 / c})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Num) and self.terms == other.terms

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        if not self.terms:
            return "0"
        parts = [_fmt(c) if q == 0 else f"{_fmt(c)}*exp({_fmt(q)})" for q, c in sorted(self.terms.items())]
        return " + ".join(parts).replace("+ -", "- ")

    def __repr__(self) -> str:
        return f"Num({self})"

    def sign(self) -> int:
        """The exact sign: 0 iff no terms; else from mpmath interval enclosures at doubling precision.

        A nonzero element is a nonzero real number, so the loop ends once the enclosure excludes 0.
        """
        if not self.terms:
            return 0
        if self.is_rational():
            return 1 if self.rational() > 0 else -1
        iv, old = mpmath.iv, mpmath.iv.prec
        prec = 64
        try:
            while prec <= 1 << 16:
                iv.prec = prec
                acc = iv.mpf(0)
                for q, c in self.terms.items():
                    e = iv.exp(iv.mpf(q.numerator) / q.denominator)
                    acc = acc + e * (iv.mpf(c.numerator) / c.denominator)
                if acc.a > 0:
                    return 1
                if acc.b < 0:
                    return -1
                prec *= 2
        finally:
            iv.prec = old
        raise NotExact(f"could not decide the sign of {self}")  # pragma: no cover - absurd cancellation


# -- values as strings: numbers, + - * / ( ), exp(...), E, integer powers. No eval, no sympify. ------------------
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(exp\b|E\b)|(\*\*|[-+*/()]))")


def _tokens(text: str) -> list[str]:
    out, pos, end = [], 0, len(text.rstrip())
    while pos < end:
        m = _TOKEN.match(text, pos)
        if m is None:
            raise NotExact(f"unexpected character {text[pos:].lstrip()[:1]!r} in the value {text[:60]!r}")
        out.append(m.group(m.lastindex))
        pos = m.end()
    return out


def _number(tok: str) -> Fraction:
    mant, _, exp = tok.lower().partition("e")
    if exp and abs(int(exp)) > 10_000:
        raise TooLarge(f"exponent of {tok!r} beyond ±10000")
    whole, _, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0") or "0"
    return Fraction(_int(digits), 10 ** len(frac)) * Fraction(10) ** int(exp or 0)


def _int(digits: str) -> int:
    """int(digits) without Python's 4300-digit conversion limit (chunks of 4000 digits)."""
    acc = 0
    for i in range(0, len(digits), 4000):
        chunk = digits[i:i + 4000]
        acc = acc * 10 ** len(chunk) + int(chunk)
    return acc


def _fmt(c: Fraction) -> str:
    """c as text; a number too long for Python's int-to-str limit is abbreviated (messages only)."""
    try:
        return str(c)
    except ValueError:
        return f"<{c.numerator.bit_length()}-bit / {c.denominator.bit_length()}-bit rational>"


def parse(text: str) -> Num:
    """The exact value a string denotes, e.g. ``"3/5"``, ``"-7*exp(19/7) + 2*E"`` (as sympy prints them).

    Raises:
        NotExact: the string is not such a value (the message quotes its start).
    """
    if not isinstance(text, str):
        if isinstance(text, int) and not isinstance(text, bool):
            return Num.of(text)
        raise NotExact(f"expected an exact value as a string, got {text!r}")
    if len(text) > MAX_VALUE_CHARS:
        raise TooLarge(f"value string of {len(text)} characters (the re-checker's limit is {MAX_VALUE_CHARS})")
    toks, pos = _tokens(text), 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take(want=None):
        nonlocal pos
        tok = peek()
        if tok is None or (want is not None and tok != want):
            raise NotExact(f"cannot read the value {text[:60]!r}")
        pos += 1
        return tok

    def expr(depth):
        acc = term(depth)
        while peek() in ("+", "-"):
            acc = acc + term(depth) if take() == "+" else acc - term(depth)
        return acc

    def term(depth):
        acc = power(depth)
        while peek() in ("*", "/"):
            acc = acc * power(depth) if take() == "*" else acc * power(depth).inverse()
        return acc

    def power(depth):
        base = unary(depth)
        if peek() == "**":
            take()
            k = unary(depth)
            if not k.is_rational() or k.rational().denominator != 1:
                raise NotExact(f"only integer powers are allowed in {text[:60]!r}")
            if abs(k.rational()) > 64:
                raise TooLarge(f"a power above 64 in {text[:60]!r} (the re-checker's limit)")
            n = int(k.rational())
            acc, b = Num.of(1), (base if n >= 0 else base.inverse())
            for _ in range(abs(n)):
                acc = acc * b
            return acc
        return base

    def unary(depth):
        if depth > 40:
            raise TooLarge(f"value {text[:60]!r} is nested deeper than the re-checker's limit of 40")
        tok = peek()
        if tok in ("-", "+"):
            take()
            v = unary(depth + 1)
            return -v if tok == "-" else v
        if tok == "(":
            take()
            v = expr(depth + 1)
            take(")")
            return v
        if tok == "E":
            take()
            return Num.exp(1)
        if tok == "exp":
            take()
            take("(")
            arg = expr(depth + 1)
            take(")")
            if not arg.is_rational():
                raise NotExact(f"exp of a non-rational argument in {text[:60]!r}")
            return Num.exp(arg.rational())
        if tok is not None and (tok[0].isdigit() or tok[0] == "."):
            take()
            return Num.of(_number(tok))
        raise NotExact(f"cannot read the value {text[:60]!r}")

    value = expr(0)
    if pos != len(toks):
        raise NotExact(f"cannot read the value {text[:60]!r}")
    return value


def _exponent_of(factor: sp.Expr) -> Fraction | None:
    """q when the sympy factor is e^q with q rational (exp(q), E, E**q, exp(q)**k), else None."""
    if factor is sp.E:
        return Fraction(1)
    if isinstance(factor, sp.exp) and factor.args[0].is_Rational:
        r = factor.args[0]
        return Fraction(int(r.p), int(r.q))
    if isinstance(factor, sp.Pow) and factor.exp.is_Rational:
        inner = _exponent_of(factor.base)
        if inner is not None:
            return inner * Fraction(int(factor.exp.p), int(factor.exp.q))
    return None


def from_sympy(value: sp.Expr) -> Num:
    """An exact sympy number Σ c·e^q as a :class:`Num`; NotExact for anything else (tanh(1), log(2), …)."""
    out: dict = {}
    for term in sp.Add.make_args(sp.expand(value)):
        coeff, rest = term.as_coeff_Mul()
        if not coeff.is_Rational:
            raise NotExact(f"{value} is not a rational combination of exponentials")
        q = _ZERO
        for factor in sp.Mul.make_args(rest):
            if factor == 1:
                continue
            e = _exponent_of(factor)
            if e is None:
                raise NotExact(f"{value} is not a rational combination of exponentials (factor {factor})")
            q += e
        out[q] = out.get(q, _ZERO) + Fraction(int(coeff.p), int(coeff.q))
    return Num(out)


def to_mod_p(x: Num, p: int, N: int = 1, x0: int | None = None) -> int:
    """The image of x under the ring map Q[e^(1/N)] → F_p, e^(k/N) ↦ x0^k (rationals: num·den⁻¹).

    Raises:
        NotExact: p divides a denominator, an exponent is not in (1/N)Z, or x0 is not invertible mod p.
    """
    acc = 0
    for q, c in x.terms.items():
        if c.denominator % p == 0:
            raise NotExact(f"p = {p} divides the denominator of {c}")
        term = c.numerator * pow(c.denominator, -1, p)
        if q != 0:
            k = q * N
            if x0 is None or k.denominator != 1:
                raise NotExact(f"exponent {q} is not in (1/{N})Z" if x0 is not None
                               else f"{x} is not rational but the reduction is the rational one")
            if x0 % p == 0:
                raise NotExact(f"x0 = {x0} is not invertible mod p = {p}")
            term *= pow(x0, k.numerator, p)
        acc += term
    return acc % p
