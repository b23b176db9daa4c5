"""Real solutions of a polynomial system, searched exactly: msolve + coordinate slicing + exact checks.

:func:`find_rational_point` asks msolve (:mod:`symland.algebra.msolve`) about the system; a positive-dimensional
one is sliced — coordinates fixed one at a time to small rationals (0, 1, −1, 2, 1/2, …) until it is finite —
and a finite one's isolating boxes are searched for a rational point that satisfies the system exactly (the
simplest rational of each box, substituted over ℚ). With ``exact_real`` a finite slice whose real solutions are
irrational gives an exact real algebraic point (:mod:`symland.algebra.algebraic`). A slice can only *find*
points; when none is found nothing is decided. A system whose equations are all zero is solved without msolve
(every point; msolve refuses an empty list of generators); a nonzero constant is a contradiction.
"""

from __future__ import annotations

import time
from fractions import Fraction

from flint import fmpq, fmpq_poly
from sympy import QQ

from symland.algebra import msolve
from symland.algebra.algebraic import AlgebraicPoint, parametrize, real_algebraic_point
from symland.errors import SymlandError

__all__ = ["SLICE_VALUES", "find_rational_point", "substitute", "complete", "gens_of"]

SLICE_VALUES = (Fraction(0), Fraction(1), Fraction(-1), Fraction(2), Fraction(1, 2), Fraction(-2), Fraction(3))


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


def gens_of(equations, names) -> list:
    index = {str(g): g for g in equations[0].ring.gens}
    return [index[v] for v in names]


def substitute(equations, values: dict) -> list:
    """The equations (``PolyElement``) with the variables named in ``values`` replaced by those rationals."""
    if not values:
        return list(equations)
    pairs = [(g, QQ(q.numerator, q.denominator)) for g, q in zip(gens_of(equations, list(values)), values.values())]
    return [e.subs(pairs) for e in equations]


def _exact_point(variables, equations, box) -> dict | None:
    """A rational point in ``box`` (one interval per variable) satisfying every equation exactly, or None."""
    vals = {v: _simple_rational(lo, hi) for v, (lo, hi) in zip(variables, box)}
    return vals if all(e == 0 for e in substitute(equations, vals)) else None


def _sliced(variables, equations, fixed: dict):
    free = [v for v in variables if v not in fixed]
    eqs = substitute(equations, fixed)
    return free, [e for e in eqs if e != 0], any(e.is_ground and e != 0 for e in eqs)


def find_rational_point(variables, equations, deadline: float, order=None, exact_real: bool = False,
                        psatz=None):
    """(status, point, fixed): search a real solution by msolve + slicing before ``deadline`` (see :func:`_search`).

    With ``psatz`` (a function of one flag, ``groebner``), a positive-dimensional system is first tried with the
    cheap identities (``psatz(False)``: the equations themselves), then sliced within half the time left, and only
    when slicing found no point, the identities from a Gröbner basis (``psatz(True)``) are tried; when slicing was
    cut short and no identity was found, it is run again with all the time left.
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
    if status == "timeout" and time.perf_counter() < deadline:  # search again, now with all the time left
        return _search(variables, equations, deadline, order, exact_real, None if positive else cheap)
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


def complete(point: AlgebraicPoint, fixed: dict, names: list) -> AlgebraicPoint:
    """The algebraic point with the sliced (rational) coordinates added as constant polynomials, in ``names``."""
    coords = {**{v: fmpq_poly([fmpq(q.numerator, q.denominator)]) if q else fmpq_poly(0) for v, q in fixed.items()},
              **point.coords}
    return AlgebraicPoint(point.poly, point.interval, {v: coords[v] for v in names})
