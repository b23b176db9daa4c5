"""Exact re-checks of two witnesses of ``thm-2.1-global`` that need no Gröbner basis: an algebraic singular point
and a positivity identity. Trusted: python-flint's polynomials over ℚ (``fmpq_poly``), sympy's exact polynomial
arithmetic over ℚ (``Poly``); the system (H, J_H, the chart's equations) is rebuilt by the caller from the instance.

**An algebraic singular point** (``refuted``): p ∈ ℚ[t] of degree ≥ 1, rationals a ≤ b, every parameter w_i and
every multiplier λ_i given as q(t) ∈ ℚ[t]. Checked: p changes sign on [a, b] (p(a)·p(b) < 0, or a = b and
p(a) = 0), so p has a real root θ there and q(θ) is real; H_i(q(t)) ≡ 0 and (J_Hᵀλ)_j(q(t)) ≡ 0 (mod p), so these
vanish at *every* root of p, θ included; some λ_i is invertible modulo p (gcd(λ_i, p) = 1), so λ(θ) ≠ 0. Then
w = q(θ) is a real point of M at which J_H has rank < dℓ. Which root of p in [a, b] is θ does not matter.

**No real point on a chart** (``proved``): Σ_e c_e·e = c + Σ_j a_j·q_j² exactly, where e runs over the chart's
equations named ``f_i`` (H) and ``grad_<parameter>`` (components of J_Hᵀλ with λ_k = 1, λ_j = 0 for j < k), c > 0
and a_j ≥ 0 rationals: at a real zero of every e the left side is 0 and the right side ≥ c > 0. Or
Σ_e c_e·e = h(ℓ·x) with ℓ a rational vector and h ≠ 0 a univariate polynomial without real roots (its Sturm
count, :func:`proofs_check.recheck.realroots.real_root_count`): at a real zero the left side is 0, h(ℓ·x) is not.

>>> p = poly_of(["-3", "0", "1"])
>>> sign_change(p, "1", "2"), sign_change(p, "-1", "1")
(True, False)
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from flint import fmpq, fmpq_poly

from proofs_check.recheck.exact import TooLarge
from proofs_check.recheck.realroots import real_root_count

__all__ = ["AlgebraicReject", "poly_of", "sign_change", "check_on_m", "check_singular_point", "check_regular_minor",
           "check_positivity", "MAX_TERMS", "MAX_MINOR"]

MAX_TERMS = 20000  # terms per polynomial of a witness (bounded work)
MAX_DEGREE = 200  # degree of p and exponents in a witness
MAX_MINOR = 6  # dℓ up to which a minor's determinant is expanded (Laplace: dℓ! terms)


class AlgebraicReject(Exception):
    """The witness does not prove the statement (the message says why)."""


def _rational(s) -> Fraction:
    if not isinstance(s, (str, int)) or isinstance(s, bool):
        raise AlgebraicReject(f"not an exact number: {s!r:.40}")
    return Fraction(s)


def poly_of(coeffs) -> fmpq_poly:
    """A univariate polynomial from its coefficients (low → high, exact rational strings)."""
    if not isinstance(coeffs, list) or not coeffs:
        raise AlgebraicReject("a polynomial needs a non-empty list of coefficients")
    if len(coeffs) > MAX_DEGREE + 1:  # may well be valid: left unchecked, never rejected
        raise TooLarge(f"a polynomial of degree {len(coeffs) - 1} > {MAX_DEGREE}")
    return fmpq_poly([fmpq(f.numerator, f.denominator) for f in map(_rational, coeffs)])


def _at(p: fmpq_poly, x: Fraction):
    return p(fmpq(x.numerator, x.denominator))


def sign_change(p: fmpq_poly, a, b) -> bool:
    """p has a real root in [a, b]: a = b and p(a) = 0, or a < b and p(a)·p(b) < 0 (intermediate values)."""
    a, b = _rational(a), _rational(b)
    if a == b:
        return _at(p, a) == 0
    return a < b and _at(p, a) * _at(p, b) < 0


def _mod_eval(expr, syms, coords: list, p: fmpq_poly) -> fmpq_poly:
    """expr(q_1(t), …, q_N(t)) mod p, term by term (expr a sympy polynomial expression in syms)."""
    out = fmpq_poly(0)
    for monom, c in sp.Poly(expr, *syms).terms():
        term = fmpq_poly([fmpq(int(c.p), int(c.q))])
        for q, e in zip(coords, monom):
            for _ in range(e):
                term = (term * q) % p
        out = (out + term) % p
    return out


def check_on_m(names: list, H: list, alg: dict) -> tuple:
    """(p, coordinates mod p, lines): w = q(θ), θ a real root of p in the interval, is a real point of M
    (sign change, H(q(t)) ≡ 0 mod p); raises AlgebraicReject."""
    p = poly_of(alg["poly"])
    if p.degree() < 1:
        raise AlgebraicReject("p must have degree ≥ 1")
    a, b = alg["interval"]
    if not sign_change(p, a, b):
        raise AlgebraicReject(f"p does not change sign on [{a}, {b}]: no real root is shown there")
    point = alg["coords"]
    if not isinstance(point, dict) or sorted(point) != sorted(names):
        raise AlgebraicReject("the algebraic point does not name exactly the network's parameters")
    coords = [poly_of(point[v]) % p for v in names]
    syms = [sp.Symbol(v) for v in names]
    for i, h in enumerate(H):
        if not _mod_eval(h, syms, coords, p).is_zero():
            raise AlgebraicReject(f"f_{i + 1}(q(t)) is not ≡ 0 modulo p: H(w) ≠ 0")
    return p, coords, [f"p = {p} changes sign on [{a}, {b}]: a real root θ, and w = q(θ) is real (exact)",
                       f"H(q(t)) ≡ 0 modulo p ({len(H)} residuals): H(w) = 0 at every root of p"]


def check_singular_point(names: list, H: list, alg: dict) -> list:
    """The lines re-derived for an algebraic singular point (see the module docstring); raises AlgebraicReject."""
    p, coords, lines = check_on_m(names, H, alg)
    lam = [poly_of(c) % p for c in alg["lam"]]
    if len(lam) != len(H):
        raise AlgebraicReject(f"λ must have dℓ = {len(H)} entries")
    if not any(not q.is_zero() and q.gcd(p).degree() == 0 for q in lam):
        raise AlgebraicReject("no λ_i is invertible modulo p: λ(θ) ≠ 0 is not shown")
    syms = [sp.Symbol(v) for v in names]
    for j, s in enumerate(syms):
        g = sum((_mod_eval(sp.diff(h, s), syms, coords, p) * lam[i] for i, h in enumerate(H)), fmpq_poly(0)) % p
        if not g.is_zero():
            raise AlgebraicReject(f"(J_H(q(t))ᵀλ(t))_{names[j]} is not ≡ 0 modulo p")
    lines.append("J_H(q(t))ᵀλ(t) ≡ 0 modulo p with some λ_i invertible modulo p: rank J_H(w) < dℓ")
    return lines


def _det(rows: list, p: fmpq_poly) -> fmpq_poly:
    if len(rows) == 1:
        return rows[0][0] % p
    return sum(((-1) ** j * rows[0][j] * _det([r[:j] + r[j + 1:] for r in rows[1:]], p) for j in range(len(rows))),
               fmpq_poly(0)) % p


def check_regular_minor(names: list, H: list, alg: dict, cols) -> str:
    """rank J_H(w) = dℓ at the algebraic point: the minor on ``cols`` has a determinant invertible modulo p (so
    nonzero at every root of p); Laplace expansion, dℓ ≤ :data:`MAX_MINOR`. Raises AlgebraicReject."""
    m = len(H)
    if m > MAX_MINOR:
        raise AlgebraicReject(f"dℓ = {m} > {MAX_MINOR}: the minor is not expanded")
    if not isinstance(cols, list) or sorted(set(cols)) != sorted(cols) or len(cols) != m or not all(
            isinstance(c, int) and not isinstance(c, bool) and 0 <= c < len(names) for c in cols):
        raise AlgebraicReject(f"the minor needs {m} distinct column indices of J_H")
    p, coords, _ = check_on_m(names, H, alg)
    syms = [sp.Symbol(v) for v in names]
    rows = [[_mod_eval(sp.diff(h, syms[c]), syms, coords, p) for c in cols] for h in H]
    det = _det(rows, p)
    if det.is_zero() or det.gcd(p).degree() != 0:
        raise AlgebraicReject("the recorded minor of J_H is not invertible modulo p: rank J_H(w) = dℓ is not shown")
    return (f"the {m} × {m} minor of J_H(q(t)) on columns {[names[c] for c in cols]} is invertible modulo p: "
            "rank J_H(w) = dℓ")


def _poly_terms(data, syms) -> sp.Poly:
    if not isinstance(data, list):
        raise AlgebraicReject("a polynomial needs a list of terms")
    if len(data) > MAX_TERMS:
        raise TooLarge(f"a polynomial of {len(data)} terms > {MAX_TERMS}")
    out = {}
    for term in data:
        c, exps = term
        if not isinstance(exps, list) or len(exps) != len(syms) or not all(
                isinstance(e, int) and not isinstance(e, bool) and e >= 0 for e in exps):
            raise AlgebraicReject(f"a term's exponents must be {len(syms)} integers ≥ 0")
        if max(exps, default=0) > MAX_DEGREE:
            raise TooLarge(f"an exponent {max(exps)} > {MAX_DEGREE}")
        f = _rational(c)
        out[tuple(exps)] = out.get(tuple(exps), 0) + sp.Rational(f.numerator, f.denominator)
    return sp.Poly.from_dict(out, *syms, domain="QQ") if out else sp.Poly(0, *syms, domain="QQ")


def _check_univariate(k: int, syms: list, lhs: sp.Poly, uni: dict) -> str:
    form = [_rational(c) for c in uni["form"]]
    if len(form) != len(syms):
        raise AlgebraicReject(f"chart λ_{k} = 1: the linear form needs {len(syms)} coefficients")
    h = poly_of(uni["poly"])
    if h.is_zero():
        raise AlgebraicReject(f"chart λ_{k} = 1: the univariate polynomial is zero")
    if real_root_count(h) != 0:
        raise AlgebraicReject(f"chart λ_{k} = 1: h = {h} has real roots (Sturm count)")
    ell = sp.Poly(sum((sp.Rational(f.numerator, f.denominator) * x for f, x in zip(form, syms)), sp.Integer(0)),
                  *syms, domain="QQ")
    rhs, power = sp.Poly(0, *syms, domain="QQ"), sp.Poly(1, *syms, domain="QQ")
    for c in h.coeffs():
        rhs += sp.Rational(int(c.p), int(c.q)) * power
        power = power * ell
    if not (lhs - rhs).is_zero:
        raise AlgebraicReject(f"chart λ_{k} = 1: Σ c_e·e ≠ h(ℓ·x) (the identity does not hold)")
    return (f"chart λ_{k} = 1: Σ c_e·e = h(ℓ·x) exactly with h = {h} of degree {h.degree()} without real roots "
            "(Sturm count 0): no real solution")


def check_positivity(names: list, H: list, k: int, cert: dict) -> str:
    """The line re-derived for a positivity identity on chart k (see the module docstring)."""
    m = len(H)
    variables = list(names) + [f"lam_{j}" for j in range(k + 1, m + 1)]
    if cert.get("variables") != variables:
        raise AlgebraicReject(f"chart λ_{k} = 1: the identity's variables are not the chart's {variables}")
    syms = [sp.Symbol(v) for v in variables]
    lam = [sp.Integer(0)] * (k - 1) + [sp.Integer(1)] + syms[len(names):]
    eqs = {f"f_{i + 1}": h for i, h in enumerate(H)}
    eqs.update({f"grad_{v}": sp.expand(sum(lam[i] * sp.diff(H[i], sp.Symbol(v)) for i in range(m)))
                for v in names})
    lhs = sp.Poly(0, *syms, domain="QQ")
    for label, terms in cert["cofactors"].items():
        if label not in eqs:
            raise AlgebraicReject(f"chart λ_{k} = 1: no equation named {label!r}")
        lhs += _poly_terms(terms, syms) * sp.Poly(eqs[label], *syms, domain="QQ")
    if "univariate" in cert:  # Σ c_e·e = h(ℓ·x) with h ≠ 0 without real roots (Sturm)
        if "constant" in cert or "squares" in cert:
            raise AlgebraicReject(f"chart λ_{k} = 1: a positivity identity is either univariate or a sum of squares")
        return _check_univariate(k, syms, lhs, cert["univariate"])
    c = _rational(cert["constant"])
    if c <= 0:
        raise AlgebraicReject(f"chart λ_{k} = 1: the constant {c} is not positive")
    rhs = sp.Poly(sp.Rational(c.numerator, c.denominator), *syms, domain="QQ")
    for a, terms in cert["squares"]:
        a = _rational(a)
        if a < 0:
            raise AlgebraicReject(f"chart λ_{k} = 1: a square has the negative weight {a}")
        q = _poly_terms(terms, syms)
        rhs += sp.Rational(a.numerator, a.denominator) * q * q
    if not (lhs - rhs).is_zero:
        raise AlgebraicReject(f"chart λ_{k} = 1: Σ c_e·e ≠ c + Σ a_j·q_j² (the identity does not hold)")
    return (f"chart λ_{k} = 1: Σ c_e·e = {c} + Σ a_j·q_j² exactly ({len(cert['cofactors'])} equation(s), "
            f"{len(cert['squares'])} square(s), weights ≥ 0): no real solution")
