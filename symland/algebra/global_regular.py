"""Is 0 a regular value of H on all of M = H⁻¹(0)? Decided chart by chart, over ℝ, with exact witnesses.

``singular_points(sys, timeout)`` sends each chart of :func:`symland.algebra.polysys.iter_charts` (H = 0,
J_Hᵀλ = 0, λ_k = 1, λ_j = 0 for j < k) to the search of :mod:`symland.algebra.slicing`:

* no solution over ℂ (msolve ``[-1]``) for every chart → no singular point, over ℂ and so over ℝ;
* a finite chart with complex solutions only (msolve's real root isolation) → none on that chart;
* a positive-dimensional chart whose equations (or, after slicing found nothing, whose sympy Gröbner basis) hold
  an identity Σ c_e·e = c + Σ a_j q_j² with c > 0 (:mod:`symland.algebra.positivity`) → no real point on it;
* a real solution — rational, or real algebraic w = q(θ) with θ a real root of p (:mod:`symland.algebra.algebraic`)
  — on the chart or on a slice of it → a real singular point, exact;
* otherwise (slices found no point and no identity was found, or the deadline) → undecided, with the reason.

Points of M, their rank and the complex dimensions live in :mod:`symland.algebra.points` and
:mod:`symland.algebra.dimension` (re-exported here).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction

from flint import fmpq_poly

from symland.algebra.algebraic import AlgebraicPoint
from symland.algebra.dimension import dimension, krull_dimension, singular_dimension
from symland.algebra.points import on_m, rank_at, real_point, regular_minor
from symland.algebra.polysys import PolySystem, iter_charts, size_of
from symland.algebra.positivity import MAX_TERMS, find_certificate
from symland.algebra.slicing import SLICE_VALUES, complete, find_rational_point

__all__ = ["SingularSearch", "singular_points", "labelled_chart", "find_rational_point", "SLICE_VALUES",
           "dimension", "krull_dimension", "singular_dimension", "real_point", "on_m", "rank_at", "regular_minor"]


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
    if sum(len(h.terms()) for h in sys.H) > MAX_TERMS:  # too large to look for identities (deep networks)
        return None
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
    for chart in iter_charts(sys, deadline):
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
                    "showing that none is real was found (Σ c_e·e = c + Σ a_j·q_j² with c > 0, or = h(ℓ·x) with h "
                    "free of real roots — special cases; the critical-point method of real algebraic geometry is "
                    "not implemented), so whether M has a real singular point is not decided")
        out.status, out.reason = "undecided", why
    return out


def _algebraic_witness(sys: PolySystem, k: int, point, fixed: dict) -> dict:
    """The exact witness of a real algebraic singular point: p, its isolating interval, every parameter and λ as
    a polynomial in θ (sliced coordinates and λ_k = 1, λ_j = 0 (j < k) as constants)."""
    full = complete(point, fixed, list(sys.names) + [f"lam_{j}" for j in range(k + 1, sys.m + 1)])
    lam = [fmpq_poly(0)] * (k - 1) + [fmpq_poly([1])] + [full.coords[f"lam_{j}"] for j in range(k + 1, sys.m + 1)]
    w = AlgebraicPoint(point.poly, point.interval, {v: full.coords[v] for v in sys.names})
    body = w.to_json()
    body["lam"] = [[str(c) for c in q.coeffs()] or ["0"] for q in lam]
    body["approx"] = {v: f"{x:.12g}" for v, x in w.approx().items()}
    return body


