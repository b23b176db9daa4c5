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
from math import comb

import sympy as sp
from flint import fmpq, fmpq_poly

from symland.algebra import msolve
from symland.algebra.algebraic import AlgebraicPoint, parametrize, real_algebraic_point, reduce_at
from symland.algebra.polysys import PolySystem, iter_charts, size_of
from symland.algebra.positivity import find_certificate
from symland.errors import SymlandError

__all__ = ["SingularSearch", "singular_points", "dimension", "real_point", "on_m", "rank_at", "labelled_chart",
           "singular_dimension", "regular_minor",
           "SLICE_VALUES"]

SLICE_VALUES = (Fraction(0), Fraction(1), Fraction(-1), Fraction(2), Fraction(1, 2), Fraction(-2), Fraction(3))


@dataclass
class SingularSearch:
    """The outcome of :func:`singular_points`.

    ``status``: ``none`` (no singular point over ℂ), ``none-real`` (none over ℝ: some chart finite with complex
    solutions only, or with a positivity identity in its record's ``psatz``), ``found`` (``point``/``lam``/``chart``
    rational, exact), ``found-algebraic`` (``algebraic``: the exact witness of :func:`_algebraic_witness`),
    ``undecided`` (``reason``).
    ``charts``: one record per chart (k, size, msolve status, seconds).
    """

    status: str
    charts: list = field(default_factory=list)
    point: dict | None = None
    lam: list | None = None
    chart: int | None = None
    reason: str = ""
    slice: dict = field(default_factory=dict)
    algebraic: dict | None = None


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


def find_rational_point(variables, equations, deadline: float, order=None, exact_real: bool = False,
                        psatz=None):
    """(status, point, fixed): search a real solution by msolve + slicing before ``deadline`` (see :func:`_search`).

    With ``psatz`` (a function of one flag, ``groebner``), a positive-dimensional system is first tried with the
    cheap identities (``psatz(False)``: the equations themselves), then sliced within half the time left, and only
    when slicing found no point, the identities from a Gröbner basis (``psatz(True)``) are tried.
    """
    if psatz is None:
        return _search(variables, equations, deadline, order, exact_real)
    positive = []

    def cheap():
        positive.append(True)
        return psatz(False)

    now = time.perf_counter()
    status, point, fixed = _search(variables, equations, now + (deadline - now) / 2, order, exact_real, cheap)
    if status in ("not-found", "timeout") and positive and time.perf_counter() < deadline:
        cert = psatz(True)
        if cert is not None:
            return "no-real-psatz", cert, {}
    return status, point, fixed


def _search(variables, equations, deadline: float, order=None, exact_real: bool = False, psatz=None):
    """(status, point, fixed): search a real solution by msolve + slicing before ``deadline``.

    status: ``empty`` (no complex solution at all, no slice involved), ``no-real`` (finite, no real solution, no
    slice involved), ``found`` (a rational point), ``not-found`` (slices tried, no point), ``timeout``; with
    ``exact_real`` also ``found-algebraic`` (``point`` an :class:`~symland.algebra.algebraic.AlgebraicPoint` of the
    free variables of a finite slice whose real solutions are irrational; ``fixed`` the slice); with ``psatz`` (a
    function of no argument) also ``no-real-psatz`` (the whole system positive-dimensional, ``point`` what psatz
    returned: an identity Σ c_i e_i = c + Σ a_j q_j², c > 0, so no real solution; :mod:`symland.algebra.positivity`).
    A system whose equations are all zero is solved without msolve (every point: the free variables 0); a nonzero
    constant is a contradiction.
    """
    order = list(order or variables)
    fixed: dict = {}
    first = True
    tries = {v: 0 for v in order}
    skipped: set = set()  # coordinates left free: fixing them emptied the slice over ℂ
    empties = {v: 0 for v in order}  # slices found empty over ℂ at the current coordinate's values so far
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            return "timeout", None, fixed
        free, eqs, contradiction = _sliced(variables, equations, fixed)
        if not contradiction and not eqs:  # all zero: every value of the free variables solves it
            return "found", {**fixed, **{v: Fraction(0) for v in free}}, fixed
        res = msolve.MsolveResult("empty", 0.0) if contradiction else msolve.solve(free, eqs, timeout=left)
        if res.status == "timeout":
            return "timeout", None, fixed
        if first and res.status == "empty":
            return "empty", None, fixed
        if first and res.status == "positive" and psatz is not None:
            cert = psatz()
            if cert is not None:
                return "no-real-psatz", cert, fixed
        if res.status == "finite":
            for box in res.real:
                pt = _exact_point(free, eqs, box)
                if pt is not None:
                    return "found", {**fixed, **pt}, fixed
            if res.real and exact_real:
                alg = _algebraic(free, eqs, deadline)
                if alg is not None:
                    return "found-algebraic", alg, fixed
            if first:
                return ("no-real" if not res.real else "not-found"), None, fixed
        first = False
        last = list(fixed)[-1] if fixed else None
        if res.status == "positive":
            nxt = next((v for v in order if v not in fixed and v not in skipped), None)
            if nxt is not None:
                fixed[nxt] = SLICE_VALUES[0]
                continue
            # a dead end (every other coordinate left free): move on as after an empty slice
        elif res.status == "empty" and last is not None:
            empties[last] += 1
            if tries[last] == 1 and empties[last] == 2:
                # the values 0 and 1 of a newly fixed coordinate both leave no complex point: fixing it at all is
                # likely not generic (a line {w₁ + 2w₂ = √2} fixed in both coordinates); leave it free, fix the next
                del fixed[last]
                tries[last] = empties[last] = 0
                skipped.add(last)
                nxt = next((v for v in order if v not in fixed and v not in skipped), None)
                if nxt is not None:
                    fixed[nxt] = SLICE_VALUES[0]
                    continue
        # empty or no rational point on this slice: move the last fixed coordinate to its next value
        while fixed:
            last = list(fixed)[-1]
            tries[last] += 1
            if tries[last] < len(SLICE_VALUES):
                fixed[last] = SLICE_VALUES[tries[last]]
                break
            tries[last] = empties[last] = 0
            del fixed[last]
        if not fixed:
            return "not-found", None, fixed


def _algebraic(free, eqs, deadline):
    """An exact real algebraic solution of a finite system (msolve's parametrization), or None."""
    try:
        status, par = parametrize(free, eqs, max(deadline - time.perf_counter(), 0.01))
        return real_algebraic_point(free, eqs, par) if status == "finite" else None
    except (SymlandError, ValueError, SyntaxError, IndexError, TypeError):  # msolve's answer not usable: no point
        return None


def labelled_chart(sys: PolySystem, k: int) -> tuple[list, list]:
    """(variables, [(label, equation)]) of chart k with every equation named: ``f_i`` (H) and ``grad_<parameter>``
    (the component of J_Hᵀλ, zero ones included) — the names the re-checker rebuilds, so a certificate that combines
    equations does not depend on their order."""
    R, syms = sys.ring, sys.gens(sys.names)
    lam_names = [f"lam_{j}" for j in range(k + 1, sys.m + 1)]
    lam = [R(0)] * (k - 1) + [R(1)] + sys.gens(lam_names)
    eqs = [(f"f_{i + 1}", h) for i, h in enumerate(sys.H)]
    eqs += [(f"grad_{v}", sum((lam[i] * sys.H[i].diff(s) for i in range(sys.m)), R(0)))
            for v, s in zip(sys.names, syms)]
    return list(sys.names) + lam_names, eqs


def _positivity(sys: PolySystem, k: int, deadline: float, groebner: bool):
    """A certificate that chart k has no real point (positivity), its cofactors keyed by equation label; with
    ``groebner`` also from sympy's Gröbner basis (within the time left, at most 20 s, charts of ≤ 12 unknowns)."""
    variables, eqs = labelled_chart(sys, k)
    left = deadline - time.perf_counter()
    cert = find_certificate(variables, [e.as_expr() for _, e in eqs],
                            groebner_seconds=min(left, 20.0) if groebner and len(variables) <= 12 else 0.0)
    if cert is not None:
        cert["cofactors"] = {eqs[int(i)][0]: c for i, c in cert["cofactors"].items()}
    return cert


def singular_points(sys: PolySystem, timeout: float = 60.0) -> SingularSearch:
    """Decide whether M = H⁻¹(0) has a singular point (rank J_H < m), chart by chart, within ``timeout`` s."""
    deadline = time.perf_counter() + timeout
    out = SingularSearch("none")
    undecided = []
    for chart in iter_charts(sys):
        if time.perf_counter() >= deadline:
            undecided.append((chart.k, "timeout"))
            break
        rec = {"k": chart.k, "size": size_of(chart.variables, chart.equations)}
        start = time.perf_counter()
        status, point, fixed = find_rational_point(chart.variables, chart.equations, deadline, order=sys.names,
                                                   exact_real=True,
                                                   psatz=lambda gb, k=chart.k: _positivity(sys, k, deadline, gb))
        rec.update(status=status, seconds=round(time.perf_counter() - start, 3))
        out.charts.append(rec)
        lam_names = [f"lam_{j}" for j in range(chart.k + 1, sys.m + 1)]
        if status == "found":
            lam = [Fraction(0)] * (chart.k - 1) + [Fraction(1)] + [point[v] for v in lam_names]
            return SingularSearch("found", out.charts, {v: point[v] for v in sys.names}, lam, chart.k,
                                  slice={k: v for k, v in fixed.items()})
        if status == "found-algebraic":
            return SingularSearch("found-algebraic", out.charts, chart=chart.k, slice=dict(fixed),
                                  algebraic=_algebraic_witness(sys, chart.k, point, fixed))
        if status == "no-real-psatz":
            rec["psatz"] = point
            out.status = "none-real"
        elif status == "no-real":
            out.status = "none-real"
        elif status in ("timeout", "not-found"):
            undecided.append((chart.k, status))
            if status == "timeout":
                break
    if undecided:
        k, st = undecided[0]
        why = (f"msolve did not finish within the {timeout:g} s deadline (chart λ_{k} = 1)" if st == "timeout"
               else f"chart λ_{k} = 1 has solutions over ℂ, no real point was found on slices, and no identity "
                    "Σ c_i·e_i = c + Σ a_j·q_j² (c > 0) showing that none is real was found (a sum-of-squares "
                    "special case; the critical-point method for real emptiness is not implemented), so whether "
                    "M has a real singular point is not decided")
        out.status, out.reason = "undecided", why
    return out


def _algebraic_witness(sys: PolySystem, k: int, point, fixed: dict) -> dict:
    """The exact witness of a real algebraic singular point: p, its isolating interval, every parameter and λ as
    a polynomial in θ (sliced coordinates and λ_k = 1, λ_j = 0 (j < k) as constants)."""
    full = _complete(point, fixed, list(sys.names) + [f"lam_{j}" for j in range(k + 1, sys.m + 1)])
    lam = [fmpq_poly(0)] * (k - 1) + [fmpq_poly([1])] + [full.coords[f"lam_{j}"] for j in range(k + 1, sys.m + 1)]
    w = AlgebraicPoint(point.poly, point.interval, {v: full.coords[v] for v in sys.names})
    body = w.to_json()
    body["lam"] = [[str(c) for c in q.coeffs()] or ["0"] for q in lam]
    body["approx"] = {v: f"{x:.12g}" for v, x in w.approx().items()}
    return body


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
    eqs = [h for h in sys.H if h != 0]
    if not eqs:  # H ≡ 0: H⁻¹(0) is all of ℂⁿ (msolve refuses an empty list of generators)
        return sys.n, msolve.MsolveResult("basis", 0.0)
    res = msolve.groebner(sys.names, eqs, timeout=timeout)
    if res.status == "timeout":
        return None, res
    return krull_dimension(res.basis, sys.names), res


def _det(rows: list):
    """The determinant of a small square matrix of polynomials (Laplace expansion along the first row)."""
    if len(rows) == 1:
        return rows[0][0]
    return sum(((-1) ** j * rows[0][j] * _det([r[:j] + r[j + 1:] for r in rows[1:]])
                for j in range(len(rows)) if rows[0][j] != 0), rows[0][0] * 0)


def singular_dimension(sys: PolySystem, timeout: float) -> int | None:
    """dim_ℂ of the singular locus {w : H(w) = 0, rank J_H(w) < m}: the Krull dimension of (H, the m × m minors of
    J_H) from msolve's Gröbner basis (−1: empty over ℂ). None when m > 3, more than 200 minors, or out of time."""
    if sys.m > 3 or comb(sys.n, sys.m) > 200 or timeout <= 0:
        return None
    syms = sys.gens(sys.names)
    J = [[h.diff(s) for s in syms] for h in sys.H]
    minors = [_det([[row[j] for j in cols] for row in J]) for cols in combinations(range(sys.n), sys.m)]
    eqs = [e for e in list(sys.H) + minors if e != 0]
    if not eqs:
        return sys.n
    res = msolve.groebner(sys.names, eqs, timeout=timeout)
    return None if res.status == "timeout" else krull_dimension(res.basis, sys.names)


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


def on_m(sys: PolySystem, point: dict) -> bool:
    """H(point) = 0 exactly (point: name → Fraction)."""
    return all(e == 0 for e in _subs(sys.H, point))


def rank_at(sys: PolySystem, point: dict) -> int:
    """rank J_H(point) over ℚ, exactly (python-flint)."""
    from flint import fmpq, fmpq_mat

    syms = sys.gens(sys.names)
    rows = []
    for h in sys.H:
        row = []
        for s in syms:
            v = _subs([h.diff(s)], point)[0]  # a constant PolyElement
            c = v.LC if v != 0 else 0
            row.append(fmpq(int(c.numerator), int(c.denominator)) if c else fmpq(0))
        rows.append(row)
    return fmpq_mat(rows).rank() if rows and rows[0] else 0


def real_point(sys: PolySystem, timeout: float = 60.0, linear: list | None = None, exact_real: bool = False):
    """(status, point): a rational point of M, exact — with ``exact_real`` also ``found-algebraic`` and an
    :class:`~symland.algebra.algebraic.AlgebraicPoint` of M (every parameter a polynomial in θ).

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
    status, point, fixed = find_rational_point(sys.names, sys.H, deadline, order=list(reversed(sys.names)),
                                               exact_real=exact_real)
    if status == "found-algebraic":
        return status, _complete(point, fixed, sys.names)
    return status, point


def _complete(point: AlgebraicPoint, fixed: dict, names: list) -> AlgebraicPoint:
    """The algebraic point with the sliced (rational) coordinates added as constant polynomials, in ``names``."""
    coords = {**{v: fmpq_poly([fmpq(q.numerator, q.denominator)]) if q else fmpq_poly(0) for v, q in fixed.items()},
              **point.coords}
    return AlgebraicPoint(point.poly, point.interval, {v: coords[v] for v in names})


def regular_minor(sys: PolySystem, point: AlgebraicPoint) -> list | None:
    """The columns of a dℓ × dℓ minor of J_H(w) that is nonzero at w = q(θ), or None when rank J_H(w) < dℓ: Gaussian
    elimination in the field ℚ[t]/(p) (p irreducible), inverses by the extended Euclidean algorithm."""
    p, syms = point.poly, sys.gens(sys.names)
    rows = [[reduce_at(h.diff(s), point.coords, p) for s in syms] for h in sys.H]
    cols = []
    for i in range(len(rows)):
        j = next((j for j in range(sys.n) if j not in cols and not rows[i][j].is_zero()), None)
        if j is None:
            return None
        g, inv, _ = rows[i][j].xgcd(p)
        inv = inv / g.coeffs()[0]
        for r in range(i + 1, len(rows)):
            f = (rows[r][j] * inv) % p
            rows[r] = [(a - f * b) % p for a, b in zip(rows[r], rows[i])]
        cols.append(j)
    return sorted(cols)
