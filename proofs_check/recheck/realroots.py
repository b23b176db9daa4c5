"""No real solution of a zero-dimensional chart, shown exactly: an eliminant without real roots (Sturm).

The global claim ``thm-2.1-global`` is ``proved`` over ℝ when some chart "H = 0, J_Hᵀλ = 0, λ_k = 1" has complex
solutions but none real — a fact the engine took from msolve's real root isolation. The re-checker does not read
msolve's intervals; it re-derives the fact with its own trusted base (sympy's Gröbner bases, python-flint's exact
polynomials over ℚ):

1. u = Σ c_i x_i for small integers c_i (a linear form in the chart's unknowns, a new variable u, smallest in lex
   order); the Gröbner basis of I + (u − Σ c_i x_i) is computed by sympy (grevlex, then FGLM to lex — both need
   the ideal zero-dimensional, else nothing is shown);
2. the lex basis holds the eliminant g(u) ≠ 0, a generator of I ∩ ℚ[u]: every solution x of the chart gives a root
   u = c·x of g, and a *real* x a real root;
3. g has no real root: the Sturm sequence g, g', −rem(…) counts its distinct real roots exactly as
   V(−∞) − V(+∞) (sign changes of the leading coefficients), here 0. So the chart has no real solution.

A form c that happens to give g real roots although the chart has no real solution (non-generic: two complex
conjugate solutions mapped to one real u) is retried with other c; after :data:`TRIES` forms nothing is shown.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> no_real_solution([x**2 + 1, y - 3], ["x", "y"])[0], no_real_solution([x**2 - 2, y], ["x", "y"])[0]
(True, False)
>>> real_root_count(fmpq_poly([-2, 0, 1])), real_root_count(fmpq_poly([1, 0, 0, 0, 1]))
(2, 0)
"""

from __future__ import annotations

import sympy as sp
from flint import fmpq, fmpq_poly

__all__ = ["no_real_solution", "real_root_count", "TRIES"]

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


def no_real_solution(equations, variables) -> tuple[bool, str]:
    """(True, how) when the system (sympy expressions over ℚ in ``variables``) is shown to have no real solution;
    (False, why not) otherwise — positive dimension, or real roots of every eliminant tried."""
    syms = [sp.Symbol(v) for v in variables]
    why = "no linear form tried"
    for t in range(TRIES):
        coeffs = [(i + 1) ** t if t else 1 for i in range(len(syms))]  # 1,1,…; 1,2,3,…; 1,4,9,…; 1,8,27,…
        g = _eliminant(equations, syms, coeffs)
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
