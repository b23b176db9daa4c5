"""No real point, shown by an identity: Σ c_i·e_i = c + Σ a_j·q_j² with c > 0, a_j ≥ 0 (a Positivstellensatz
certificate of the simplest kind).

If such an identity holds in ℚ[x], a real common zero x of the e_i would give 0 = c + Σ a_j q_j(x)² ≥ c > 0, so the
system has no real solution — even when it has complex ones, on a set of any dimension (σ(t) = 3 + t²: the chart
holds 3 + (w·x)², which vanishes only where (w·x)² = −3). The identity is checked by expanding both sides, so a
checker needs nothing but exact polynomial arithmetic (:mod:`proofs_check.recheck.algebraic`).

The search here is a sound special case, not a decision procedure: a candidate g = Σ c_i e_i is an equation of
the system or a ℚ-combination of equations times monomials found by linear algebra (a Macaulay matrix of bounded
degree) when it equals a member of sympy's reduced Gröbner basis; g (or −g) is written as a quadratic form in the
monomials of half its degree (the monomial 1 last), the Gram matrix fixed by splitting each coefficient evenly among
the pairs that produce it, and an exact LDLᵀ decomposition over ℚ: when every pivot is ≥ 0 and the last one (the
Schur complement at the monomial 1, the largest constant that can be split off) is > 0, that pivot is c.
A candidate that fails proves nothing; when none succeeds the caller says "not decided".

>>> import sympy as sp
>>> x, y, v = sp.symbols("x y v")
>>> cert = find_certificate(["x", "y", "v"], [v * (3 + (x + 2*y)**2), 3 + (x + 2*y)**2, v * (x + 2*y)])
>>> cert["constant"], [a for a, _ in cert["squares"]]
('3', ['1'])
>>> c, [(a, q)] = sos_decomposition(sp.Poly(x**2 + 3*x + 3, x))  # (x + 3/2)² + 3/4: c = g(0)/2 would fail
>>> str(c), str(a), q.as_expr()
('3/4', '1', x + 3/2)
>>> find_certificate(["x", "y"], [x**2 - 2, y]) is None
True
>>> form, h = univariate_form(sp.Poly((x + 2*y)**4 + 1, x, y))  # σ(t) = t⁴ + 1 has no real root (Sturm)
>>> form, h.as_expr()
([1, 2], u_form**4 + 1)
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from itertools import combinations_with_replacement

import sympy as sp
from flint import fmpq, fmpq_mat

__all__ = ["find_certificate", "sos_decomposition", "univariate_form", "terms_json", "MAX_GRAM", "MAX_TERMS"]

MAX_GRAM = 80  # monomials in a Gram matrix (its size); beyond, no sum of squares is looked for
MAX_TERMS = 5000  # terms of a system in which identities are looked for at all (deep networks: none)


def terms_json(poly: sp.Poly) -> list:
    """A polynomial as [[coefficient, [exponents…]], …] (the witness format)."""
    return [[str(c), list(m)] for m, c in poly.terms() if c != 0]


def _ldl_psd(Q: list) -> list | None:
    """[(d_j, row_j)] with Q = Σ d_j row_jᵀ row_j, d_j > 0, exactly over ℚ; None when Q is not PSD."""
    A = [list(r) for r in Q]
    n, out = len(A), []
    for k in range(n):
        d = A[k][k]
        if d < 0:
            return None
        if d == 0:
            if any(A[k][j] != 0 for j in range(k, n)):
                return None
            continue
        row = [Fraction(0)] * k + [A[k][j] / d for j in range(k, n)]
        out.append((d, row))
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                A[i][j] -= d * row[i] * row[j]
    return out


def sos_decomposition(g: sp.Poly):
    """(c, [(a_j, q_j)]) with g = c + Σ a_j q_j², c > 0, a_j > 0 (exact), or None (see the module docstring)."""
    gens = g.gens
    terms = {m: Fraction(int(c.p), int(c.q)) for m, c in zip(g.monoms(), g.coeffs())}
    g0 = terms.get((0,) * len(gens), Fraction(0))
    if g0 <= 0 or g.total_degree() % 2:
        return None
    half = g.total_degree() // 2
    top = [max((m[i] for m in terms), default=0) for i in range(len(gens))]
    basis = [m for d in range(half, 0, -1) for m in _monomials(len(gens), d)
             if all(2 * e <= t for e, t in zip(m, top))] + [(0,) * len(gens)]
    if len(basis) > MAX_GRAM:
        return None
    pairs: dict = {}
    for i, j in combinations_with_replacement(range(len(basis)), 2):
        alpha = tuple(a + b for a, b in zip(basis[i], basis[j]))
        pairs.setdefault(alpha, []).append((i, j))
    if any(alpha not in pairs for alpha in terms):
        return None
    Q = [[Fraction(0)] * len(basis) for _ in basis]
    for alpha, ps in pairs.items():
        share = terms.get(alpha, Fraction(0)) / len(ps)
        for i, j in ps:
            if i == j:
                Q[i][i] += share
            else:
                Q[i][j] += share / 2
                Q[j][i] += share / 2
    ldl = _ldl_psd(Q)  # the monomial 1 is last: its pivot is the Schur complement, the largest constant c possible
    if not ldl or ldl[-1][1] != [0] * (len(basis) - 1) + [1]:  # not PSD, or no positive constant left
        return None
    c = ldl[-1][0]
    syms = [sp.Poly(sp.Mul(*[s**e for s, e in zip(gens, m)]), *gens) for m in basis]
    squares = [(d, sum((sp.Rational(r.numerator, r.denominator) * b for r, b in zip(row, syms) if r),
                       sp.Poly(0, *gens))) for d, row in ldl[:-1]]
    return c, squares


def _monomials(n: int, d: int):
    if n == 0:
        if d == 0:
            yield ()
        return
    for e in range(d, -1, -1):
        for rest in _monomials(n - 1, d - e):
            yield (e,) + rest


def _cofactors(target: sp.Poly, eqs: list, extra: int = 1):
    """{i: c_i} with Σ c_i e_i = target, deg c_i e_i ≤ deg target + extra, by exact linear algebra, or None."""
    gens, n = target.gens, len(target.gens)
    D = target.total_degree() + extra
    unknowns = [(i, m) for i, e in enumerate(eqs) for d in range(D - e.total_degree() + 1)
                for m in _monomials(n, d)]
    if not unknowns or len(unknowns) > 3000:
        return None
    cols: dict = {}
    columns = []
    for i, m in unknowns:
        prod = eqs[i] * sp.Poly(sp.Mul(*[s**k for s, k in zip(gens, m)]), *gens)
        columns.append({mm: c for mm, c in prod.terms()})
        for mm in columns[-1]:
            cols.setdefault(mm, len(cols))
    for mm in target.monoms():
        cols.setdefault(mm, len(cols))
    rows = [[fmpq(0)] * (len(unknowns) + 1) for _ in cols]
    for j, col in enumerate(columns):
        for mm, c in col.items():
            rows[cols[mm]][j] = fmpq(int(c.p), int(c.q))
    for mm, c in target.terms():
        rows[cols[mm]][-1] = fmpq(int(c.p), int(c.q))
    R, rank = fmpq_mat(rows).rref()
    sol = [fmpq(0)] * len(unknowns)
    for r in range(rank):
        lead = next(j for j in range(len(unknowns) + 1) if R[r, j] != 0)
        if lead == len(unknowns):
            return None
        sol[lead] = R[r, len(unknowns)]
    out: dict = {}
    for (i, m), s in zip(unknowns, sol):
        if s != 0:
            mono = sp.Poly(sp.Mul(*[x**k for x, k in zip(gens, m)]), *gens)
            out[i] = out.get(i, sp.Poly(0, *gens)) + sp.Rational(int(s.p), int(s.q)) * mono
    return out


def _groebner_bounded(exprs: list, variables: list, seconds: float) -> list:
    """sympy's reduced grevlex Gröbner basis in a child process killed after ``seconds`` ([] when unfinished):
    sympy has no deadline of its own, and the engine's must hold."""
    code = ("import json, sys, sympy as sp; a = json.loads(sys.stdin.read()); "
            "G = sp.groebner([sp.sympify(e) for e in a['e']], *[sp.Symbol(v) for v in a['v']], order='grevlex'); "
            "print(json.dumps([str(g) for g in G.exprs]))")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        out, _ = proc.communicate(json.dumps({"e": [str(e) for e in exprs], "v": list(variables)}),
                                  timeout=max(seconds, 0.01))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return []
    try:
        return [sp.sympify(g) for g in json.loads(out)] if proc.returncode == 0 else []
    except (ValueError, sp.SympifyError):
        return []


def find_certificate(variables, equations, groebner_seconds: float = 0.0) -> dict | None:
    """An identity Σ c_i e_i = c + Σ a_j q_j² (c > 0) over ``variables`` for the sympy expressions ``equations``
    (indices into that list), as plain data — or None when none was found (nothing is shown then). The equations
    are tried first; with ``groebner_seconds`` > 0 then the members of sympy's reduced Gröbner basis (computed
    within that time)."""
    syms = [sp.Symbol(v) for v in variables]
    eqs = [sp.Poly(e, *syms, domain="QQ") for e in equations]
    if sum(len(e.terms()) for e in eqs) > MAX_TERMS:
        return None
    candidates = [({i: sp.Poly(1, *syms)}, e) for i, e in enumerate(eqs) if not e.is_zero]
    found = _first(candidates, eqs)
    if found is not None or groebner_seconds <= 0:
        return found and _as_data(variables, *found)
    known = {tuple(e.monic().terms()) for _, e in candidates}
    basis = _groebner_bounded([e.as_expr() for e in eqs if not e.is_zero], variables, groebner_seconds)
    more = [(None, g) for g in (sp.Poly(b, *syms, domain="QQ") for b in basis)
            if not g.is_zero and tuple(g.monic().terms()) not in known]
    found = _first(more, eqs)
    return found and _as_data(variables, *found)


def univariate_form(g: sp.Poly):
    """(ℓ, h) with g(x) = h(ℓ·x) for a vector ℓ over ℚ (ℓ_i = 1 at the first variable g depends on) and h ∈ ℚ[u],
    or None — g is a polynomial in one linear form (σ(w·x) is). Found from ∇g = h′(ℓ·x)·ℓ: every partial
    derivative is a constant multiple of the first nonzero one; checked by expanding h(ℓ·x)."""
    g = sp.Poly(g.as_expr(), *g.gens, domain="QQ")
    gens = g.gens
    grads = [g.diff(x) for x in gens]
    i0 = next((i for i, d in enumerate(grads) if not d.is_zero), None)
    if i0 is None:
        return None
    form = []
    for d in grads:
        q, r = d.div(grads[i0])
        if not r.is_zero or q.total_degree() > 0:
            return None
        form.append(q.coeff_monomial(1) if not q.is_zero else sp.Integer(0))
    u = sp.Symbol("u_form")
    h = sp.Poly(g.as_expr().xreplace({x: (u if i == i0 else 0) for i, x in enumerate(gens)}), u, domain="QQ")
    if sp.Poly(h.as_expr().xreplace({u: sum(c * x for c, x in zip(form, gens))}), *gens, domain="QQ") != g:
        return None
    return form, h


def _first(candidates, eqs):
    for cof, g in candidates:
        for sign in (1, -1):
            dec = sos_decomposition(sign * g)
            if dec is None and sign == 1:  # a polynomial in one linear form, without real roots (Sturm)
                uni = univariate_form(g)
                dec = uni if uni is not None and uni[1].count_roots() == 0 else None
            if dec is None:
                continue
            cof = cof if cof is not None else _cofactors(g, eqs)
            if cof is None:
                break
            return {i: sign * p for i, p in cof.items()}, dec
    return None


def _as_data(variables, cof, dec) -> dict:
    out = {"variables": list(variables), "cofactors": {str(i): terms_json(p) for i, p in cof.items()}}
    if isinstance(dec[1], sp.Poly):  # g = h(ℓ·x), h without real roots
        form, h = dec
        out["univariate"] = {"form": [str(c) for c in form], "poly": [str(c) for c in reversed(h.all_coeffs())]}
        return out
    c, squares = dec
    out.update(constant=str(c), squares=[[str(a), terms_json(q)] for a, q in squares])
    return out
