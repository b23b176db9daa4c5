"""No real solution of a zero-dimensional chart, shown exactly: polynomials without real roots (Sturm).

The global claim ``thm-2.1-global`` is ``proved`` over ℝ when some chart "H = 0, J_Hᵀλ = 0, λ_k = 1" has complex
solutions but none real — a fact the engine took from msolve's real root isolation. The re-checker does not read
msolve's intervals; it re-derives the fact with its own trusted base (python-flint's exact polynomials over ℚ,
sympy's Gröbner bases):

* :func:`no_real_by_elimination` (first; fast): case splits on the factors of the equations (a product vanishes
  where one factor does), elimination of one variable x at a time by resultants Res_x(f, g) ∈ (f, g) — every real
  zero projects to a real zero of the resultants — split on the pivot's leading coefficient a (a = 0: added, the
  top term dropped; a ≠ 0: kept as a constraint that kills the resultants' extra zeros), a linear univariate
  x_i = r substituted exactly; every case must end at a nonzero constant, a constraint identically 0, or a
  univariate polynomial without real roots;
* :func:`no_real_solution` (fallback): u = Σ c_i x_i, the lex Gröbner basis of I + (u − Σ c_i x_i) by sympy
  (grevlex then FGLM; the ideal must be zero-dimensional) holds the eliminant g(u) ≠ 0 of I ∩ ℚ[u]; every real
  solution gives a real root u = c·x of g, and g has none. A non-generic form (conjugate solutions on one real u)
  is retried with other c; after :data:`TRIES` forms nothing is shown.

Real roots are counted by the Sturm sequence g, g', −rem(…): V(−∞) − V(+∞) sign changes of the leading
coefficients is the number of distinct real roots, exactly (:func:`real_root_count`).

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> no_real_solution([x**2 + 1, y - 3], ["x", "y"])[0], no_real_solution([x**2 - 2, y], ["x", "y"])[0]
(True, False)
>>> no_real_by_elimination([(x**2 + 1) * (1 + y), 2*x*(1 + y), x**2 + 1], ["x", "y"])[0]
True
>>> no_real_by_elimination([x*y - 1, x**2 + y**2 - 1], ["x", "y"])[0]
True
>>> no_real_by_elimination([x*y - 1, x - y], ["x", "y"])[0]
False
>>> real_root_count(fmpq_poly([-2, 0, 1])), real_root_count(fmpq_poly([1, 0, 0, 0, 1]))
(2, 0)
"""

from __future__ import annotations

import sympy as sp
from flint import fmpq, fmpq_mpoly_ctx, fmpq_poly

__all__ = ["no_real_by_elimination", "no_real_solution", "real_root_count", "TRIES"]

TRIES = 4  # linear forms tried


def _sign(x) -> int:
    return (x > 0) - (x < 0)


def _changes(signs: list) -> int:
    s = [v for v in signs if v]
    return sum(1 for a, b in zip(s, s[1:]) if a != b)


def real_root_count(g: fmpq_poly) -> int:
    """The number of distinct real roots of g ≠ 0, by its Sturm sequence (exact, over ℚ)."""
    if g.degree() < 1:
        return 0
    seq = [g, g.derivative()]
    while seq[-1].degree() >= 1:
        r = -(seq[-2] % seq[-1])
        if r == 0:
            break
        seq.append(r)
    lead = [p.coeffs()[-1] for p in seq]
    at_pos = [_sign(c) for c in lead]
    at_neg = [_sign(c) * (-1) ** p.degree() for c, p in zip(lead, seq)]
    return _changes(at_neg) - _changes(at_pos)


def _eliminant(equations, syms, coeffs):
    u = sp.Symbol("u_elim")
    form = u - sum(c * s for c, s in zip(coeffs, syms))
    G = sp.groebner(list(equations) + [form], *syms, u, order="grevlex")
    if list(G.exprs) == [1]:
        return fmpq_poly([1])
    if not G.is_zero_dimensional:
        return None
    uni = [e for e in G.fglm("lex").exprs if e.free_symbols <= {u}]
    if len(uni) != 1:
        return None
    coeffs_q = sp.Poly(uni[0], u).all_coeffs()[::-1]
    return fmpq_poly([fmpq(int(sp.Rational(c).p), int(sp.Rational(c).q)) for c in coeffs_q])


def _mpolys(equations, variables):
    ctx = fmpq_mpoly_ctx.get(tuple(variables), "lex")
    syms = [sp.Symbol(v) for v in variables]
    out = []
    for e in equations:
        terms = sp.Poly(e, *syms).terms()
        p = ctx.from_dict({m: fmpq(int(sp.Rational(c).p), int(sp.Rational(c).q)) for m, c in terms})
        if not p.is_zero():
            out.append(p)
    return ctx, out


def _univariate(p, i: int) -> fmpq_poly:
    coeffs = [fmpq(0)] * (p.degrees()[i] + 1)
    for m, c in zip(p.monoms(), p.coeffs()):
        coeffs[m[i]] += c
    return fmpq_poly(coeffs)


class _Budget(Exception):
    pass


def _lead(p, i: int, names):
    """(leading coefficient of p in x_i as a polynomial in the other variables, its degree d)."""
    d = p.degrees()[i]
    terms = {}
    for m, c in zip(p.monoms(), p.coeffs()):
        if m[i] == d:
            mm = list(m)
            mm[i] = 0
            terms[tuple(mm)] = c
    return p.context().from_dict(terms), d


def _no_real(polys: list, nonzero: list, names: tuple, work: list) -> bool:
    """No real common zero of ``polys`` (fmpq_mpoly) at which every polynomial of ``nonzero`` is ≠ 0, shown by:
    a nonzero constant among ``polys`` or a ``nonzero`` polynomial identically 0 (contradiction); a case split on
    the factors of a product; a univariate member without real roots (Sturm); a rational root x_i = r of a linear
    univariate member substituted everywhere; elimination of a variable x by the resultants of a pivot f with
    the others, split on f's leading coefficient a in x: a = 0 (added, its top term dropped) or a ≠ 0 (then the
    x-projection of every zero is a zero of Res_x(f, g)). False: not shown."""
    work[0] -= 1
    if work[0] < 0:
        raise _Budget
    polys = [p for p in polys if not p.is_zero()]
    if any(p.is_constant() for p in polys) or any(q.is_zero() for q in nonzero):
        return True
    nonzero = [q for q in nonzero if not q.is_constant()]
    for idx, p in enumerate(polys):  # a product: every zero is a zero of one factor
        _, facs = p.factor()
        if len(facs) > 1:
            rest = polys[:idx] + polys[idx + 1:]
            return all(_no_real(rest + [f], nonzero, names, work) for f, _ in facs)
    uniq = []
    for p in polys:  # drop repeated (monic-equal) polynomials
        q = p / p.leading_coefficient()
        if all(q != r for r in uniq):
            uniq.append(q)
    for p in uniq:
        used = [i for i, e in enumerate(p.degrees()) if e]
        if len(used) == 1:
            u = _univariate(p, used[0])
            if real_root_count(u) == 0:
                return True
            if u.degree() == 1:  # x_i = r exactly: substitute
                r = -u.coeffs()[0] / u.coeffs()[1]
                at = {names[used[0]]: r}
                return _no_real([q.subs(at) for q in uniq], [q.subs(at) for q in nonzero], names, work)
    counts = [sum(1 for p in uniq if p.degrees()[i]) for i in range(len(names))]
    live = [i for i, c in enumerate(counts) if c >= 2]
    if not live:
        return False  # no variable shared by two equations: nothing left to eliminate
    i = min(live, key=lambda j: (min(p.degrees()[j] for p in uniq if p.degrees()[j]), counts[j]))
    having = sorted((p for p in uniq if p.degrees()[i]), key=lambda p: (p.degrees()[i], len(p.coeffs())))
    pivot = having[0]
    a, d = _lead(pivot, i, names)
    others = [p for p in uniq if p is not pivot]
    if not a.is_constant():  # case a = 0: the pivot loses its top term in x_i
        x = pivot.context().gens()[i]
        if not _no_real(others + [a, pivot - a * x ** d], nonzero, names, work):
            return False
    new = [p for p in uniq if not p.degrees()[i]]
    for g in having[1:]:
        new.append(pivot.resultant(g, names[i]))
    return _no_real(new, nonzero + [a], names, work)


def no_real_by_elimination(equations, variables, work: int = 500) -> tuple[bool, str]:
    """(True, how) when case splits on factors and resultants (python-flint) show that the system has no real
    solution; (False, why) otherwise."""
    ctx, polys = _mpolys(equations, variables)
    try:
        shown = bool(polys) and _no_real(polys, [], ctx.names(), [work])
    except (_Budget, RecursionError):
        return False, f"elimination by resultants not finished within {work} steps"
    except (ArithmeticError, MemoryError, ValueError) as exc:  # never a reason to accept: not shown
        return False, f"elimination by resultants failed ({type(exc).__name__})"
    if shown:
        return True, ("case splits on the factors of the equations and elimination by resultants (python-flint) "
                      "end in every case at a nonzero constant or a univariate polynomial without real roots "
                      "(Sturm count 0): no solution is real")
    return False, "elimination by resultants ended without a univariate polynomial free of real roots"


def no_real_solution(equations, variables) -> tuple[bool, str]:
    """(True, how) when the system (sympy expressions over ℚ in ``variables``) is shown to have no real solution;
    (False, why not) otherwise — positive dimension, or real roots of every eliminant tried."""
    syms = [sp.Symbol(v) for v in variables]
    why = "no linear form tried"
    for t in range(TRIES):
        coeffs = [(i + 1) ** t if t else 1 for i in range(len(syms))]  # 1,1,…; 1,2,3,…; 1,4,9,…; 1,8,27,…
        try:
            g = _eliminant(equations, syms, coeffs)
        except (ArithmeticError, NotImplementedError, ValueError, sp.PolynomialError) as exc:  # not shown
            return False, f"sympy's eliminant failed ({type(exc).__name__})"
        if g is None:
            return False, "the chart is not zero-dimensional (or its eliminant is not univariate): no Sturm count"
        if g.degree() < 1:
            return True, "its Gröbner basis is {1}: no solution at all"
        count = real_root_count(g)
        if count == 0:
            form = " + ".join(f"{c}·{v}" for c, v in zip(coeffs, variables))
            return True, (f"the eliminant of u = {form} (degree {g.degree()}) has no real root (Sturm sequence: "
                          "0 sign-change difference), so no solution is real")
        why = f"the eliminant of form {t + 1} has {count} real root(s)"
    return False, why
