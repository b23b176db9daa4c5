"""Real algebraic points given exactly: a univariate polynomial, an isolating interval, coordinates as polynomials.

A zero-dimensional system over ℚ whose real solutions are irrational (v = 0, w = ±√3) has no rational witness, but
each solution is w = (q_1(θ), …, q_N(θ)) with θ a real root of a squarefree p ∈ ℚ[t] and q_i ∈ ℚ[t] — msolve's
rational parametrization (``msolve -P 1``: p, its derivative p′ and x_i = −P_i(t) / (c_i · p′(t))), turned here
into polynomials by inverting p′ modulo p (p is squarefree, so gcd(p, p′) = 1).

Why this is a checkable witness: if every equation e satisfies e(q_1(t), …, q_N(t)) ≡ 0 (mod p) in ℚ[t], then
e(q(θ)) = 0 at *every* root θ of p; and if p(a)·p(b) < 0 for rationals a < b, p has a real root θ in (a, b), at
which q(θ) is real. So the exact facts "p | e∘q" and "p changes sign on [a, b]" prove a real solution, whatever
engine produced them — :mod:`proofs_check.recheck.algebraic` re-checks exactly that. The point is reported on one
irreducible factor of p that has a real root (its minimal polynomial).

>>> pts = parametrization_points(["v", "w"], [[2, [-3, 0, 1]], [1, [0, 2]], [[[1, [0, 0]], 1]]], ["v", "w"])
>>> [str(x) for x in pts.poly.coeffs()], [str(c) for c in pts.coords["w"].coeffs()], pts.coords["v"].is_zero()
(['-3', '0', '1'], ['0', '1'], True)
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from flint import fmpq, fmpq_poly

from symland.algebra import msolve

__all__ = ["AlgebraicPoint", "Parametrization", "parametrize", "parametrization_points", "real_algebraic_point",
           "reduce_at"]


@dataclass(frozen=True)
class Parametrization:
    """All solutions of a zero-dimensional system: x_i = coords[x_i](θ), θ a root of the squarefree ``poly``."""

    poly: fmpq_poly
    coords: dict


@dataclass(frozen=True)
class AlgebraicPoint:
    """One real solution: ``coords[x](θ)`` with θ the root of the irreducible ``poly`` in [lo, hi] (lo = hi: θ
    rational), coordinates reduced modulo ``poly``."""

    poly: fmpq_poly
    interval: tuple
    coords: dict

    def approx(self, digits: int = 12) -> dict:
        """Decimal approximations of the coordinates (θ refined by exact bisection; for display only)."""
        lo, hi = self.interval
        s = _sign(self.poly(_q(lo)))
        while hi - lo > Fraction(1, 10 ** (digits + 2)):
            mid = (lo + hi) / 2
            if _sign(self.poly(_q(mid))) == s:
                lo = mid
            else:
                hi = mid
        t = _q((lo + hi) / 2)
        return {k: float(Fraction(int(q(t).p), int(q(t).q))) for k, q in self.coords.items()}

    def to_json(self) -> dict:
        """The exact witness: coefficients (low → high) as strings, the interval as two rational strings."""
        return {"poly": [str(c) for c in self.poly.coeffs()],
                "interval": [str(self.interval[0]), str(self.interval[1])],
                "coords": {k: [str(c) for c in q.coeffs()] or ["0"] for k, q in self.coords.items()}}


def _q(x: Fraction) -> fmpq:
    return fmpq(x.numerator, x.denominator)


def _sign(x) -> int:
    return (x > 0) - (x < 0)


def _msolve_body(text: str) -> list:
    """The parametrization part of ``msolve -P 1``'s answer as Python lists (the root boxes are not read)."""
    body = re.sub(r"\s+", "", text).rstrip(":")
    if body == "[-1]":
        return []
    if body.startswith("[1,"):
        return None
    if not body.startswith("[0,[0,"):
        raise ValueError(f"msolve -P 1: unexpected output {body[:60]!r}")
    depth, end = 0, None
    for i, ch in enumerate(body[3:], start=3):  # the bracket that closes the parametrization
        depth += ch == "["
        depth -= ch == "]"
        if depth == 0:
            end = i
            break
    return ast.literal_eval(body[3:end + 1])  # [0, nvars, deg, vars, form, [1, [elim, den, params]]]


def parametrization_points(variables, param: list, order: list) -> Parametrization:
    """A :class:`Parametrization` from msolve's (elim, den, params) over the variables ``order`` (msolve's
    order; the last one, or an added variable ``A``, is the linear form t)."""
    (_, elim), (_, den), params = param
    p, dp = fmpq_poly([int(c) for c in elim]), fmpq_poly([int(c) for c in den])
    g, inv, _ = dp.xgcd(p)  # inv·p′ + _·p = g (a constant: p squarefree)
    if g.degree() != 0:
        raise ValueError("msolve's eliminating polynomial is not squarefree")
    inv = inv / g.coeffs()[0]
    coords = {}
    for v, ((_, num), c) in zip(order, params):
        coords[v] = (-fmpq_poly([int(x) for x in num]) * inv / int(c)) % p
    last = order[len(params)] if len(order) > len(params) else None
    if last in variables:
        coords[last] = fmpq_poly([0, 1]) % p
    return Parametrization(p, {v: coords[v] for v in variables if v in coords})


def parametrize(variables, equations, timeout: float):
    """(status, :class:`Parametrization` | None) of a system by ``msolve -P 1``: status ``empty``, ``positive``,
    ``finite``, ``timeout``."""
    text, _ = msolve._run(variables, equations, ["-P", "1"], timeout)
    if text is None:
        return "timeout", None
    body = _msolve_body(text)
    if body is None:
        return "positive", None
    if body == []:
        return "empty", None
    order = [str(v) for v in body[3]]
    return "finite", parametrization_points(variables, body[5][1], order)


def reduce_at(equation, coords: dict, p: fmpq_poly) -> fmpq_poly:
    """e(q_1(t), …, q_N(t)) mod p for a sympy ``PolyElement`` e over ℚ (its ring's generators named as in coords)."""
    names = [str(s) for s in equation.ring.symbols]
    out = fmpq_poly(0)
    powers: dict = {}
    for monom, c in equation.terms():
        term = fmpq_poly([fmpq(int(c.numerator), int(c.denominator))])
        for name, e in zip(names, monom):
            if e:
                key = (name, e)
                if key not in powers:
                    powers[key] = _powmod(coords[name], e, p)
                term = (term * powers[key]) % p
        out = (out + term) % p
    return out


def _powmod(q: fmpq_poly, e: int, p: fmpq_poly) -> fmpq_poly:
    out, base = fmpq_poly([1]), q % p
    while e:
        if e & 1:
            out = (out * base) % p
        base = (base * base) % p
        e >>= 1
    return out


def real_algebraic_point(variables, equations, param: Parametrization) -> AlgebraicPoint | None:
    """A real solution of ``equations`` from ``param``: the irreducible factor of p of least degree with a real root,
    one isolating interval (sympy's exact real root isolation), coordinates reduced modulo that factor; checked
    exactly (every equation ≡ 0 modulo it). None when no solution is real (or the check fails)."""
    factors = sorted((f for f, _ in param.poly.factor()[1]), key=lambda f: f.degree())
    t = sp.Symbol("t")
    for f in factors:
        poly = sp.Poly([sp.Rational(int(c.p), int(c.q)) for c in reversed(f.coeffs())], t)
        ivs = poly.intervals()
        if not ivs:
            continue
        (lo, hi), _ = ivs[0]
        coords = {v: param.coords[v] % f for v in variables}
        if all(reduce_at(e, coords, f).is_zero() for e in equations):
            return AlgebraicPoint(f, (Fraction(int(lo.p), int(lo.q)), Fraction(int(hi.p), int(hi.q))), coords)
    return None
