"""The two exact kinds of numbers, their reductions mod p, and a safe parser for exact values."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from math import lcm

from flint import fmpq, fmpq_mat

from symland.errors import NotRepresentableError, ParseError
from symland.tiers.exppoly import ExpPoly, from_sympy

__all__ = ["RationalKind", "ExpPolyKind", "Reduction", "choose_kind", "parse_value"]


@dataclass(frozen=True)
class Reduction:
    """A ring homomorphism from the kind's numbers to F_p, with the data that re-creates it."""

    p: int
    map: Callable = field(repr=False, compare=False)
    witness: dict = field(default_factory=dict)


def _small(M, bits: int = 64) -> bool:
    """Every entry of M has numerator and denominator below 2^bits (then fmpq_mat is fastest)."""
    return all(v.p.bit_length() <= bits and v.q.bit_length() <= bits for row in M for v in row)


class RationalKind:
    """Rationals (python-flint fmpq): tier ``exact``. Activations must be rational-valued."""

    name = "exact"

    def const(self, q):
        return fmpq(q) if not isinstance(q, fmpq) else q

    def act(self, activation, z: fmpq, k: int = 0) -> fmpq:
        return activation.eval_rational(z, k)

    def sign(self, x) -> int:
        return (x > 0) - (x < 0)

    def is_zero(self, x) -> bool:
        return x == 0

    def nonzero(self, x) -> bool:
        return x != 0

    def to_str(self, x) -> str:
        return str(x)

    def matmul(self, A, B):
        if not A or not B or not A[0] or not B[0]:
            return [[fmpq(0)] * (len(B[0]) if B else 0) for _ in A]
        nonzero = [[(t, a) for t, a in enumerate(row) if a != 0] for row in A]
        if sum(map(len, nonzero)) > len(A) * len(A[0]) // 4 and _small(A) and _small(B):
            return (fmpq_mat(A) * fmpq_mat(B)).tolist()
        # Sparse A (the constructed points are mostly zeros): row combinations, no common
        # denominators — fmpq_mat would bring every entry to a common denominator first. A row with
        # many terms is one small fmpq_mat product instead: flint clears denominators once rather
        # than adding big rationals pairwise (1 × 200 by 200 × 200 big entries: 8 s → 0.2 s).
        cols, zero = len(B[0]), fmpq(0)
        out = []
        for terms in nonzero:
            if len(terms) > 8:
                out.append((fmpq_mat([[a for _, a in terms]]) * fmpq_mat([B[t] for t, _ in terms])).tolist()[0])
                continue
            acc = [zero] * cols
            for t, a in terms:
                acc = [u + a * v for u, v in zip(acc, B[t])]
            out.append(acc)
        return out

    def reduction(self, values: Iterable, p: int, rng: random.Random | None = None) -> Reduction:
        def _map(x, p=p):
            return int(x.p) * pow(int(x.q) % p, -1, p) % p

        return Reduction(p, _map, {"kind": "rational"})


class ExpPolyKind:
    """Exponential polynomials Σ c_q e^q (:class:`ExpPoly`): tier ``symbolic``, zero test exact."""

    name = "symbolic"

    def __init__(self):
        self._cache: dict = {}

    def const(self, q):
        return q if isinstance(q, ExpPoly) else ExpPoly.const(q)

    def act(self, activation, z, k: int = 0) -> ExpPoly:
        z = self.const(z)
        if not z.is_rational():
            raise NotRepresentableError(
                f"{activation.name} at the transcendental pre-activation {z} is not an "
                "exponential polynomial; use --tier ball"
            )
        q = z.rational()
        key = (activation.name, q, k)
        hit = self._cache.get(key)
        if hit is None:
            if activation.is_rational_valued:
                hit = ExpPoly.const(activation.eval_rational(q, k))
            else:
                hit = from_sympy(activation.value(q, k))
            self._cache[key] = hit
        return hit

    def sign(self, x) -> int:
        return self.const(x).sign()

    def is_zero(self, x) -> bool:
        return self.const(x).is_zero()

    def nonzero(self, x) -> bool:
        return not self.const(x).is_zero()

    def to_str(self, x) -> str:
        return str(self.const(x))

    def matmul(self, A, B):
        inner = len(B)
        cols = len(B[0]) if B else 0
        out = []
        for row in A:
            out_row = []
            for j in range(cols):
                acc = ExpPoly()
                for t in range(inner):
                    a = row[t]
                    if a != 0:
                        b = B[t][j]
                        if b != 0:
                            acc = acc + a * b
                out_row.append(acc)
            out.append(out_row)
        return out

    def reduction(self, values: Iterable, p: int, rng: random.Random | None = None) -> Reduction:
        """e^(k/N) ↦ x0^k mod p, N the lcm of the exponent denominators of `values`."""
        n = 1
        for v in values:
            n = lcm(n, self.const(v).exponent_denominators())
        x0 = (rng or random.Random()).randrange(2, p - 1)

        def _map(x, p=p, n=n, x0=x0):
            return self.const(x).mod_p(p, n, x0)

        return Reduction(p, _map, {"kind": "exppoly", "N": n, "x0": x0})


def choose_kind(activation, values: Iterable = ()) -> RationalKind | ExpPolyKind:
    """The cheapest exact kind that holds `values` and σ's values at rationals."""
    if activation.is_rational_valued and all(not isinstance(v, ExpPoly) or v.is_rational()
                                             for v in values):
        return RationalKind()
    return ExpPolyKind()


# -- a restricted parser for exact values: numbers, + - * / ( ) and exp(...). Never eval/sympify. --
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|(exp|E)|(.))")


def _tokens(text: str):
    pos = 0
    out = []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        num, name, op = m.groups()
        if op is not None and op.isspace():
            pos = m.end()
            continue
        if op is not None and op not in "+-*/()^":
            raise ParseError(f"unexpected character {op!r} in exact value {text!r}")
        out.append(num or name or op)
        pos = m.end()
    return out


#: Nesting depth of signs, parentheses and exp( in one value, and the bits one value may reach while parsed.
MAX_VALUE_DEPTH = 100
MAX_VALUE_BITS = 10**7


def _value_bits(v) -> int:
    terms = v.terms.items() if isinstance(v, ExpPoly) else ((fmpq(0), v),)
    return sum(int(c.p).bit_length() + int(c.q).bit_length() + int(q.p).bit_length() + int(q.q).bit_length()
               for q, c in terms)


def parse_value(text, where: str = ""):
    """Parse an exact value: a rational ("3/5", "0.1", "-2e-3") or a rational combination of
    exponentials as sympy prints them ("2*exp(-3)/7 + 1/5"). Returns fmpq or ExpPoly.

    Bounded: nesting deeper than :data:`MAX_VALUE_DEPTH` or a product beyond :data:`MAX_VALUE_BITS` bits is a
    ParseError, never a RecursionError or a runaway multiplication.

    >>> parse_value("3*exp(-2/3)/2")
    ExpPoly(3*exp(-2/3)/2)
    """
    from symland.numbers.exact import parse_exact

    if isinstance(text, ExpPoly):
        return text.rational() if text.is_rational() else text
    if not isinstance(text, str):
        return parse_exact(text, where=where)
    try:
        return parse_exact(text, where=where)
    except ParseError:
        pass
    loc = f"{where}: " if where else ""
    toks = _tokens(text)
    if not toks:
        raise ParseError(f"{loc}empty value")
    pos = 0
    depth = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take(expected=None):
        nonlocal pos
        tok = peek()
        if tok is None or (expected is not None and tok != expected):
            raise ParseError(f"{loc}cannot parse exact value {text!r}")
        pos += 1
        return tok

    def expr():
        acc = term()
        while peek() in ("+", "-"):
            acc = acc + term() if take() == "+" else acc - term()
        return acc

    def term():
        acc = factor()
        while peek() in ("*", "/"):
            if _value_bits(acc) > MAX_VALUE_BITS:
                raise ParseError(f"{loc}exact value beyond {MAX_VALUE_BITS} bits in {text[:40]!r}")
            if take() == "*":
                acc = acc * factor()
            else:
                den = factor()
                try:
                    acc = acc / den
                except (NotRepresentableError, ZeroDivisionError) as exc:
                    raise ParseError(f"{loc}{exc} in {text!r}") from None
        return acc

    def factor():
        nonlocal depth
        depth += 1
        try:
            if depth > MAX_VALUE_DEPTH:
                raise ParseError(f"{loc}exact value nested more than {MAX_VALUE_DEPTH} deep in {text[:40]!r}")
            return atom()
        finally:
            depth -= 1

    def atom():
        tok = peek()
        if tok == "-":
            take()
            return -factor()
        if tok == "+":
            take()
            return factor()
        if tok == "(":
            take()
            v = expr()
            take(")")
            return v
        if tok == "E":
            take()
            return ExpPoly.exp(1)
        if tok == "exp":
            take()
            take("(")
            arg = expr()
            take(")")
            if not arg.is_rational():
                raise ParseError(f"{loc}exp of a non-rational argument in {text!r}")
            return ExpPoly.exp(arg.rational())
        if tok is not None and tok[0].isdigit() or (tok or "").startswith("."):
            take()
            return ExpPoly.const(parse_exact(tok, where=where))
        raise ParseError(f"{loc}cannot parse exact value {text!r}")

    value = expr()
    if pos != len(toks):
        raise ParseError(f"{loc}cannot parse exact value {text!r}")
    return value.rational() if value.is_rational() else value
