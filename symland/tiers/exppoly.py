"""Exact exponential polynomials: the ring Q[e^Q] of finite sums Σ c_q e^q (c_q, q rational).

This is the exact number kind for activations such as smooLU (Definition 3.2): at a rational
pre-activation t > 0, smooLU(t) = t·e^(−1/t) and all its derivatives lie in Q[e^Q]. For a network
with one hidden layer and rational first-layer parameters, every value of H, J_H and Hess f_i at the
point lies in this ring, and so does m = A⁻¹y of Lemma 3.3 (A is triangular with monomial diagonal).

Zero test. By the Lindemann–Weierstrass theorem, e^(q_1), …, e^(q_k) for distinct algebraic q_j are
linearly independent over the algebraic numbers. Hence Σ c_q e^q = 0 **iff every c_q = 0**: the
canonical form (a dict without zero coefficients) decides equality exactly.

Reduction mod p. All exponents of finitely many elements lie in (1/N)Z for a common N, so they live
in Q[X, X⁻¹] with X = e^(1/N), a transcendental number (Lindemann). Sending X ↦ x₀ ∈ F_p* (p dividing
no coefficient denominator) is a ring homomorphism; if the image of a determinant is nonzero, the
Laurent polynomial is nonzero, hence so is its value at the transcendental X. This is how a rank is
proved for matrices over this ring (see `ExpPolyKind.reduction`).

>>> a = ExpPoly.exp(fmpq(-1, 2))
>>> (a * a) == ExpPoly.exp(fmpq(-1))
True
"""

from __future__ import annotations

from functools import reduce
from math import lcm

import sympy as sp
from flint import fmpq

from symland.errors import NotRepresentableError

__all__ = ["ExpPoly", "from_sympy"]

#: Integers with at most this many decimal digits go through sympy's printer (Python's limit is 4300).
SYMPY_DIGITS = 4000
_SYMPY_BITS = int(SYMPY_DIGITS * 3.32)


class ExpPoly:
    """An element Σ c_q e^q of Q[e^Q], stored canonically as {q: c_q} with every c_q ≠ 0."""

    __slots__ = ("terms", "_hash")

    def __init__(self, terms: dict | None = None):
        self.terms = {q: c for q, c in (terms or {}).items() if c != 0}
        self._hash = None

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def const(cls, c) -> ExpPoly:
        """The rational constant c (the exponent-0 term)."""
        return cls({fmpq(0): fmpq(c)})

    @classmethod
    def exp(cls, q, c=1) -> ExpPoly:
        """The monomial c·e^q."""
        return cls({fmpq(q): fmpq(c)})

    # -- queries ------------------------------------------------------------------------------
    def is_zero(self) -> bool:
        return not self.terms

    def is_rational(self) -> bool:
        return all(q == 0 for q in self.terms)

    def rational(self) -> fmpq:
        """The value as a rational; NotRepresentableError if an e^q with q ≠ 0 occurs."""
        if not self.is_rational():
            raise NotRepresentableError(f"{self} is not a rational number")
        return self.terms.get(fmpq(0), fmpq(0))

    def is_monomial(self) -> bool:
        return len(self.terms) == 1

    def exponent_denominators(self) -> int:
        """The lcm of the denominators of all exponents (1 for a rational)."""
        return reduce(lcm, (int(q.q) for q in self.terms), 1)

    # -- arithmetic ---------------------------------------------------------------------------
    @staticmethod
    def _lift(other) -> ExpPoly:
        if isinstance(other, ExpPoly):
            return other
        return ExpPoly.const(other)

    def __add__(self, other):
        other = self._lift(other)
        out = dict(self.terms)
        for q, c in other.terms.items():
            out[q] = out.get(q, 0) + c
        return ExpPoly(out)

    __radd__ = __add__

    def __neg__(self):
        return ExpPoly({q: -c for q, c in self.terms.items()})

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) - self

    def __mul__(self, other):
        if not isinstance(other, ExpPoly):
            c = fmpq(other)
            return ExpPoly({q: v * c for q, v in self.terms.items()})
        out: dict = {}
        for q1, c1 in self.terms.items():
            for q2, c2 in other.terms.items():
                q = q1 + q2
                out[q] = out.get(q, 0) + c1 * c2
        return ExpPoly(out)

    __rmul__ = __mul__

    def __truediv__(self, other):
        """Division by a nonzero monomial c·e^q (in particular by a rational); else not exact here."""
        other = self._lift(other)
        if not other.is_monomial():
            if other.is_zero():
                raise ZeroDivisionError("division by exact zero")
            raise NotRepresentableError(
                f"cannot divide by {other} exactly in Q[e^Q] (not a monomial)"
            )
        ((q0, c0),) = other.terms.items()
        return ExpPoly({q - q0: c / c0 for q, c in self.terms.items()})

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def __eq__(self, other):
        if not isinstance(other, ExpPoly):
            try:
                other = ExpPoly.const(other)
            except (TypeError, ValueError):
                return NotImplemented
        return self.terms == other.terms

    def __hash__(self):
        if self._hash is None:
            self._hash = hash(frozenset(self.terms.items()))
        return self._hash

    # -- conversions --------------------------------------------------------------------------
    def to_sympy(self) -> sp.Expr:
        """The same number as a sympy expression, Σ c·exp(q); also what ``sympy.sympify(x)`` gives (``_sympy_``).

        >>> import sympy
        >>> x = from_sympy(sympy.Rational(3, 7) * sympy.exp(sympy.Rational(-2, 3)) + 1)
        >>> sympy.sympify(x) == sympy.Rational(3, 7) * sympy.exp(sympy.Rational(-2, 3)) + 1
        True
        """
        return sp.Add(
            *[
                sp.Rational(int(c.p), int(c.q)) * sp.exp(sp.Rational(int(q.p), int(q.q)))
                for q, c in sorted(self.terms.items(), key=lambda kv: kv[0])
            ]
        )

    _sympy_ = to_sympy

    def __str__(self) -> str:
        """As sympy prints it (``3*exp(-2/3)/7 + 1``); past sympy's reach (integers of more than
        :data:`SYMPY_DIGITS` digits, where Python's int-to-str limit raises) a plain sum ``c*exp(q) + …`` written
        with flint's own printer, which has no limit. Both forms are read back by ``parse_value``."""
        if all(max(c.p.bit_length(), c.q.bit_length(), q.p.bit_length(), q.q.bit_length()) <= _SYMPY_BITS
               for q, c in self.terms.items()):
            return str(self.to_sympy())
        parts = [str(c) if q == 0 else f"{c}*exp({q})" for q, c in sorted(self.terms.items())]
        return " + ".join(parts).replace("+ -", "- ") if parts else "0"

    def __repr__(self) -> str:
        return f"ExpPoly({self})"

    def mod_p(self, p: int, n: int, x0: int) -> int:
        """Image under e^(k/n) ↦ x0^k in F_p (every exponent must lie in (1/n)Z)."""
        acc = 0
        for q, c in self.terms.items():
            k = q * n
            if k.q != 1:
                raise ValueError(f"exponent {q} is not in (1/{n})Z")
            den = int(c.q) % p
            if den == 0:
                raise ZeroDivisionError(f"p = {p} divides a denominator of {c}")
            acc += int(c.p) * pow(den, -1, p) * pow(x0, int(k.p), p)
        return acc % p

    def enclosure(self, prec: int = 128):
        """A rigorous Arb enclosure of the real value (python-flint arb, at `prec` bits)."""
        from flint import arb, ctx

        old = ctx.prec
        ctx.prec = prec
        try:
            acc = arb(0)
            for q, c in self.terms.items():
                acc += arb(c) * arb(q).exp()
            return acc
        finally:
            ctx.prec = old

    def sign(self) -> int:
        """The exact sign: 0 iff canonical zero (Lindemann–Weierstrass); else from Arb enclosures.

        A nonzero element is a nonzero real number, so doubling the precision terminates.
        """
        if not self.terms:
            return 0
        if self.is_rational():
            r = self.rational()
            return (r > 0) - (r < 0)
        prec = 64
        while True:
            b = self.enclosure(prec)
            if b > 0:
                return 1
            if b < 0:
                return -1
            prec *= 2
            if prec > 1 << 20:  # pragma: no cover - would need an absurdly cancelling input
                raise ArithmeticError(f"could not decide the sign of {self}")


def _exp_exponent(factor: sp.Expr):
    """The rational exponent q when factor is e^q (exp(q), E, E**q, exp(q)**k), else None."""
    if factor is sp.E:
        return fmpq(1)
    if isinstance(factor, sp.exp) and factor.args[0].is_Rational:
        r = factor.args[0]
        return fmpq(int(r.p), int(r.q))
    if isinstance(factor, sp.Pow) and factor.exp.is_Rational:
        inner = _exp_exponent(factor.base)
        if inner is not None:
            return inner * fmpq(int(factor.exp.p), int(factor.exp.q))
    return None


def from_sympy(expr: sp.Expr) -> ExpPoly:
    """Convert an exact sympy value that is a Q-linear combination of e^q into an ExpPoly.

    Raises NotRepresentableError for anything else (log, tanh of a rational, sqrt(2), …).

    >>> from_sympy(sp.Rational(3, 2) * sp.exp(sp.Rational(-2, 3)))
    ExpPoly(3*exp(-2/3)/2)
    """
    out: dict = {}
    for term in sp.Add.make_args(sp.expand(sp.powsimp(sp.expand(expr)))):
        coeff, rest = term.as_coeff_Mul()
        if not coeff.is_Rational:
            raise NotRepresentableError(f"{expr} is not a rational combination of e^q")
        q = fmpq(0)
        for factor in sp.Mul.make_args(rest):
            if factor == 1:
                continue
            e = _exp_exponent(factor)
            if e is None:
                raise NotRepresentableError(
                    f"{expr} is not a rational combination of e^q (factor {factor})"
                )
            q += e
        out[q] = out.get(q, 0) + fmpq(int(coeff.p), int(coeff.q))
    return ExpPoly(out)
