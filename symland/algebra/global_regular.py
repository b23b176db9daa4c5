"""Global questions on M = H⁻¹(0) for polynomial H, decided with msolve (see :mod:`symland.algebra.msolve`).

``singular_points(sys, deadline)`` — is 0 a regular value of H on all of M? Each chart of
:func:`symland.algebra.polysys.singular_charts` is sent to msolve:

* ``[-1]`` (no solution over ℂ) for every chart → no singular point, over ℂ and so over ℝ;
* a finite chart → msolve isolates its real solutions; a box holding a *rational* point that satisfies the
  chart exactly (substitution over ℚ) is an exact real singular point; a finite chart with no real solution
  contributes none (decided by msolve's real root isolation alone);
* a positive-dimensional chart → slices: coordinates are fixed one at a time to small rationals
  (0, 1, −1, 2, 1/2, …) until the chart becomes finite, and its real solutions are examined as above. A slice
  can only *find* points; when none is found the answer is undecided.

``dimension(sys)`` — the Krull dimension of the ideal (H) (= dim of the complex variety H⁻¹(0)) from msolve's
reduced Gröbner basis: the largest set S of variables such that no leading monomial (grevlex) uses only variables
of S. ``real_point(sys)`` — a rational point of M found by the same slicing, checked exactly.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

import sympy as sp

from symland.algebra import msolve
from symland.algebra.polysys import PolySystem, iter_charts, size_of

__all__ = ["SingularSearch", "singular_points", "dimension", "real_point", "SLICE_VALUES"]

SLICE_VALUES = (Fraction(0), Fraction(1), Fraction(-1), Fraction(2), Fraction(1, 2), Fraction(-2), Fraction(3))


@dataclass
class SingularSearch:
    """The outcome of :func:`singular_points`.

    ``status``: ``none`` (no singular point over ℂ), ``none-real`` (none over ℝ; some chart finite with complex
    solutions only), ``found`` (``point``/``lam``/``chart`` exact), ``undecided`` (``reason``).
    ``charts``: one record per chart (k, size, msolve status, seconds).
    """

    status: str
    charts: list = field(default_factory=list)
    point: dict | None = None
    lam: list | None = None
    chart: int | None = None
    reason: str = ""
    slice: dict = field(default_factory=dict)


def _simple_rational(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in [lo, hi] (Stern–Brocot descent)."""
    if lo > hi:
        lo, hi = hi, lo
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simple_rational(-hi, -lo)
    fl = lo.numerator // lo.denominator
    if Fraction(fl) == lo:
        return Fraction(fl)
    if fl + 1 <= hi:
        return Fraction(fl + 1)
    inner = _simple_rational(1 / (hi - fl), 1 / (lo - fl))
    return fl + 1 / inner


def _gens(equations, names) -> list:
    index = {str(g): g for g in equations[0].ring.gens}
    return [index[v] for v in names]


def _subs(equations, values: dict) -> list:
    """The equations (``PolyElement``) with the variables named in ``values`` replaced by those rationals."""
    from sympy import QQ

    if not values:
        return list(equations)
    pairs = [(g, QQ(q.numerator, q.denominator)) for g, q in zip(_gens(equations, list(values)), values.values())]
    return [e.subs(pairs) for e in equations]


def _exact_point(variables, equations, box) -> dict | None:
    """A rational point in ``box`` (one interval per variable) satisfying every equation exactly, or None."""
    vals = {v: _simple_rational(lo, hi) for v, (lo, hi) in zip(variables, box)}
    return vals if all(e == 0 for e in _subs(equations, vals)) else None


def _sliced(variables, equations, fixed: dict):
    free = [v for v in variables if v not in fixed]
    eqs = _subs(equations, fixed)
    return free, [e for e in eqs if e != 0], any(e.is_ground and e != 0 for e in eqs)


def find_rational_point(variables, equations, deadline: float, order=None):
    """(status, point, fixed): search a rational real solution by msolve + slicing before ``deadline``.

    status: ``empty`` (no complex solution at all, no slice involved), ``no-real`` (finite, no real solution, no
    slice involved), ``found``, ``not-found`` (slices tried, no rational point), ``timeout``.
    """
    order = list(order or variables)
    fixed: dict = {}
    first = True
    tries = {v: 0 for v in order}
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return "timeout", None, fixed
        free, eqs, contradiction = _sliced(variables, equations, fixed)
        res = msolve.MsolveResult("empty", 0.0) if contradiction else msolve.solve(free, eqs, timeout=left)
        if res.status == "timeout":
            return "timeout", None, fixed
        if first and res.status == "empty":
            return "empty", None, fixed
        if res.status == "finite":
            for box in res.real:
                pt = _exact_point(free, eqs, box)
                if pt is not None:
                    return "found", {**fixed, **pt}, fixed
            if first:
                return ("no-real" if not res.real else "not-found"), None, fixed
        first = False
        if res.status == "positive":
            nxt = next((v for v in order if v not in fixed), None)
            if nxt is None:
                return "not-found", None, fixed
            fixed[nxt] = SLICE_VALUES[0]
            continue
        # empty or no rational point on this slice: move the last fixed coordinate to its next value
        while fixed:
            last = list(fixed)[-1]
            tries[last] += 1
            if tries[last] < len(SLICE_VALUES):
                fixed[last] = SLICE_VALUES[tries[last]]
                break
            tries[last] = 0
            del fixed[last]
        if not fixed:
            return "not-found", None, fixed


def singular_points(sys: PolySystem, timeout: float = 60.0) -> SingularSearch:
    """Decide whether M = H⁻¹(0) has a singular point (rank J_H < m), chart by chart, within ``timeout`` s."""
    deadline = time.perf_counter() + timeout
    out = SingularSearch("none")
    undecided = []
    for chart in iter_charts(sys, deadline):
        if time.perf_counter() >= deadline:
            undecided.append((chart.k, "timeout"))
            break
        rec = {"k": chart.k, "size": size_of(chart.variables, chart.equations)}
        start = time.perf_counter()
        status, point, fixed = find_rational_point(chart.variables, chart.equations, deadline,
                                                   order=sys.names)
        rec.update(status=status, seconds=round(time.perf_counter() - start, 3))
        out.charts.append(rec)
        if status == "found":
            lam = [Fraction(0)] * (chart.k - 1) + [Fraction(1)] + \
                [point[f"lam_{j}"] for j in range(chart.k + 1, sys.m + 1)]
            return SingularSearch("found", out.charts, {v: point[v] for v in sys.names}, lam, chart.k,
                                  slice={k: v for k, v in fixed.items()})
        if status == "no-real":
            out.status = "none-real"
        elif status in ("timeout", "not-found"):
            undecided.append((chart.k, status))
            if status == "timeout":
                break
    if undecided:
        k, st = undecided[0]
        why = (f"msolve did not finish within the {timeout:g} s deadline (chart λ_{k} = 1)" if st == "timeout"
               else f"chart λ_{k} = 1 has complex or irrational real solutions and no slice found a rational "
                    "real one, so whether M has a real singular point is not decided")
        out.status, out.reason = "undecided", why
    return out


def _grevlex_key(exps: tuple) -> tuple:
    """Sort key of grevlex (x₁ > x₂ > …): higher total degree first, then the smaller exponent of the last variable."""
    return (sum(exps), tuple(-e for e in reversed(exps)))


def krull_dimension(basis, variables) -> int:
    """dim of the ideal spanned by a Gröbner basis: the largest S with no leading monomial inside S (−1 if 1 ∈ I),
    found as n − (the smallest set of variables meeting every leading monomial), cheap when the codimension is small.

    ``basis``: each polynomial as the list of its terms' exponent vectors (:func:`symland.algebra.msolve.exponents`)
    or as a sympy expression; the leading monomial (grevlex) is taken here.
    """
    n = len(variables)
    lms = []
    for b in basis:
        if not isinstance(b, list):
            b = [tuple(m) for m in sp.Poly(b, *[sp.Symbol(v) for v in variables]).monoms()] if b != 0 else []
        if not b:
            continue
        lm = max(b, key=_grevlex_key)
        if not any(lm):
            return -1  # a nonzero constant: 1 ∈ I
        lms.append(frozenset(i for i, e in enumerate(lm) if e))
    # S avoids every leading monomial ⟺ its complement T meets each one's support: codim = the smallest such T
    for k in range(n + 1):
        for T in combinations(range(n), k):
            t = set(T)
            if all(lm & t for lm in lms):
                return n - k
    return 0


def dimension(sys: PolySystem, timeout: float = 60.0):
    """(dim of the complex variety H⁻¹(0), msolve result) — None for the dimension when msolve timed out."""
    res = msolve.groebner(sys.names, sys.H, timeout=timeout)
    if res.status == "timeout":
        return None, res
    return krull_dimension(res.basis, sys.names), res


def _affine_solve(equations, linear: list, values: dict) -> dict | None:
    """Fix the other variables to ``values``; the equations are then affine in ``linear``: their exact rational
    solution with the free unknowns 0 (reduced row echelon form over ℚ), or None when inconsistent or not affine."""
    from flint import fmpq, fmpq_mat

    eqs = _subs(equations, values)
    gens = _gens(equations, linear)
    idx = [equations[0].ring.gens.index(g) for g in gens]
    rows = []
    for e in eqs:
        row = [fmpq(0)] * (len(linear) + 1)
        for monom, c in e.terms():
            c = fmpq(int(c.numerator), int(c.denominator))
            hot = [i for i, k in enumerate(monom) if k]
            if not hot:
                row[-1] -= c
            elif len(hot) == 1 and monom[hot[0]] == 1 and hot[0] in idx:
                row[idx.index(hot[0])] += c
            else:
                return None
        rows.append(row)
    R, rank = fmpq_mat(rows).rref()
    sol = {v: Fraction(0) for v in linear}
    for i in range(rank):
        lead = next(j for j in range(len(linear) + 1) if R[i, j] != 0)
        if lead == len(linear):
            return None  # 0 = nonzero: inconsistent
        q = R[i, len(linear)]
        sol[linear[lead]] = Fraction(int(q.p), int(q.q))
    return sol


def real_point(sys: PolySystem, timeout: float = 60.0, linear: list | None = None):
    """(status, point): a rational point of M, exact.

    First the output layer: H is affine in the last layer's parameters (``linear``), so with the other parameters
    fixed to small rationals (a few deterministic choices) H = 0 is a linear system over ℚ, solved exactly. Then,
    if that fails, slicing (see :func:`find_rational_point`). Every point returned satisfies H = 0 exactly.
    """
    deadline = time.perf_counter() + timeout
    if linear:
        import random

        rng = random.Random(15)
        others = [v for v in sys.names if v not in linear]
        for _ in range(8):
            values = {v: Fraction(rng.randint(-3, 3), rng.randint(1, 2)) for v in others}
            sol = _affine_solve(sys.H, linear, values)
            if sol is not None:
                point = {**values, **sol}
                if all(e == 0 for e in _subs(sys.H, point)):
                    return "found", {v: point[v] for v in sys.names}
    status, point, _ = find_rational_point(sys.names, sys.H, deadline, order=list(reversed(sys.names)))
    return status, point
