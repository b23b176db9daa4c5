"""The global claims, for networks whose σ is a polynomial over ℚ (msolve; the extra ``symland[global]``).

``thm-2.1-global`` — Theorem 2.1's hypothesis on all of M: 0 is a regular value of H, i.e. rank J_H(w) = dℓ at
*every* real w ∈ M = H⁻¹(0) ⊂ ℝⁿ. With the charts of :mod:`symland.algebra.polysys` (λ_k = 1, λ_j = 0 for j < k),
decided by :mod:`symland.algebra.global_regular`:

* every chart without solution over ℂ (msolve: Gröbner basis {1}) → ``proved``; the re-checker recomputes each
  chart from the instance and its Gröbner basis {1} with sympy (a second engine);
* charts with complex solutions only — finitely many (msolve's real root isolation; re-derived by elimination and
  Sturm counts) or on a positive-dimensional set whose ideal holds Σ c_e·e = c + Σ a_j q_j², c > 0 (an identity the
  kernel expands) → ``proved`` over ℝ;
* a real singular point (w, λ), rational or real algebraic (w = q(θ), θ the root of p in an isolating interval)
  → ``refuted``; re-checked by substitution over ℚ, or modulo p with a sign change of p;
* otherwise (no point on the slices tried and no identity found, or the deadline) → ``inconclusive``, the reason
  named (the critical-point method of real algebraic geometry is not implemented).

When 0 is a regular value the evidence gives the real picture: dim_ℂ H⁻¹(0) and a real point of M (rational or
algebraic, re-checked) — then M is a nonempty smooth real manifold of dimension n − dℓ; with a refutation, the
dimension of the singular locus (H and the dℓ × dℓ minors of J_H).

``dim-M-global`` — the complex variety H⁻¹(0) has dimension n − dℓ (Krull dimension of (H) from msolve's reduced
Gröbner basis) and M has a real point: the given ``--point`` when it lies on M, else one found (output-layer
solve, slicing; rational or real algebraic). Where rank J_H = dℓ at that point, M is a smooth (n − dℓ)-manifold
near it, so dim_ℝ M = n − dℓ (a polynomial σ is never rectified, so Lemma 3.3's construction does not apply).
"""

from __future__ import annotations

import time

from proofs_check import hypotheses as hyp
from proofs_check.certificate import Certificate
from proofs_check.claim_ids import GLOBAL_IDS
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails

__all__ = ["CHECKS", "TITLES", "IDS", "DEFAULT_TIMEOUT"]

IDS = GLOBAL_IDS
TITLES = {"thm-2.1-global": "Theorem 2.1 globally: 0 is a regular value of H on all of M (polynomial σ, msolve)",
          "dim-M-global": "dim H⁻¹(0) = n − dℓ over ℂ and M has a real point (polynomial σ, msolve)"}
DEFAULT_TIMEOUT = 60.0
PICTURE_SECONDS = 10.0  # at most this much of the deadline for the real picture once thm-2.1-global is decided


def _q(v) -> str:
    return str(v)


def _setup(cid: str, inst: Instance, ctx: Context):
    """(timer, hyps, system, deadline in s, None) or (…, a finished certificate): the hypotheses, H as polynomials."""
    from symland.algebra.msolve import find_msolve
    from symland.algebra.polysys import polynomial_coeffs, polynomial_residuals

    timer = Timer()
    data = inst.data
    m = data.d * data.l
    if inst.dag is not None:
        return timer, None, None, None, hypothesis_fails(cid, inst, [("layered network", "no: a general DAG network")],
                                                         timer, "hypothesis fails: the global claims are "
                                                         "implemented for layered networks")
    net = inst.network()
    poly = polynomial_coeffs(inst.activation)
    checks = [hyp.overparameterized(net.n, m, "dℓ" if data.l > 1 else "d"), hyp.distinct_inputs(data),
              ("σ a polynomial over ℚ (H polynomial)",
               f"yes: {inst.activation.name}" if poly else f"no: {inst.activation.name} is not a polynomial over ℚ "
               "on all of ℝ", poly is not None)]
    hyps = [(label, status) for label, status, _ in checks]
    failed = [label for label, _, ok in checks if not ok]
    if failed:
        return timer, hyps, None, None, hypothesis_fails(cid, inst, hyps, timer, f"hypothesis fails: {failed[0]}")
    if find_msolve() is None:
        return timer, hyps, None, None, Certificate(
            cid, inst.name, "inconclusive", "none", "msolve is not installed — pip install 'symland[global]' (or set "
            "SYMLAND_MSOLVE to an msolve binary)", tuple(hyps), {}, timer.seconds, (), inst.expect(cid))
    ctx.note(f"{cid}: H as polynomials over ℚ")
    limit = float(ctx.time_budget) if ctx.time_budget else DEFAULT_TIMEOUT
    H = polynomial_residuals(net, data)
    # the deadline counts from the claim's start: building H (2–3 s at n ≈ 700) is inside it
    return timer, hyps, H, max(limit - timer.seconds, 1e-9), None


_HOW = {"no-real": "finite charts with complex solutions only (msolve's real root isolation)",
        "no-real-psatz": "charts whose ideal holds a sum of squares plus a positive constant, or a polynomial in one "
                         "linear form without real roots (an exact identity)",
        "empty": "charts without complex solutions (Gröbner basis {1})"}


def _poly_text(coeffs: list, var: str = "θ") -> str:
    """A polynomial from its coefficients (low → high) as text: ``θ^2 - 3``."""
    terms = []
    for e, c in reversed(list(enumerate(coeffs))):
        if c in ("0", 0):
            continue
        mono = "" if e == 0 else var if e == 1 else f"{var}^{e}"
        coef = c if not mono else "" if c == "1" else "-" if c == "-1" else f"{c}·"
        terms.append(f"{coef}{mono}")
    return " + ".join(terms).replace("+ -", "- ") or "0"


def _real_picture(inst: Instance, sys, limit: float, witness: dict):
    """(text, details): dim_ℂ H⁻¹(0) (msolve) and whether M has a real point, when 0 is a regular value on real M.

    A rational point of M found exactly goes into the witness (``real_point``, re-checked); then M is a nonempty
    smooth real manifold of dimension n − dℓ (regular value theorem). The complex dimension is listed as not vouched.
    At most :data:`PICTURE_SECONDS` of the deadline go to this, and no more than the decision took (at least 1 s):
    the verdict is already decided, so the picture at most doubles the time.
    """
    from symland.algebra.global_regular import dimension, real_point

    n, m = sys.n, sys.m
    start, budget = time.perf_counter(), min(limit, PICTURE_SECONDS)
    if budget < 0.05:
        return "the real picture (dim_ℂ H⁻¹(0), a real point of M) was not computed: no time left", ()
    last = len(inst.network_widths) - 1  # H is affine in the output layer: real_point tries that first
    status, point = real_point(sys, budget / 2, linear=[v for v in sys.names
                                                        if v.startswith((f"W{last}_", f"b{last}_"))], exact_real=True)
    left = budget - (time.perf_counter() - start)
    dim = dimension(sys, left)[0] if left > 0.05 else None
    parts, details = [], ()
    if dim is None:
        parts.append(f"dim_ℂ H⁻¹(0) not computed within {budget:.3g} s")
    else:
        parts.append(f"dim_ℂ H⁻¹(0) = {dim}" if dim >= 0 else "H⁻¹(0) = ∅ over ℂ")
        witness.setdefault("not_vouched", []).append(f"dim_ℂ H⁻¹(0) = {dim} (msolve Gröbner basis, not re-checked "
                                                     "here; dim-M-global re-checks it)")
    if status == "found":
        witness["real_point"] = {k: _q(point[k]) for k in sys.names}
        parts.append(f"M has a real (rational) point, so M is a nonempty smooth real manifold of dimension "
                     f"n − {m} = {n - m}")
        details = ("real point of M: " + ", ".join(f"{k} = {v}" for k, v in witness["real_point"].items()),)
    elif status == "found-algebraic":
        witness["algebraic_point"] = point.to_json()
        parts.append(f"M has a real (algebraic) point, so M is a nonempty smooth real manifold of dimension "
                     f"n − {m} = {n - m}")
        details = (f"real point of M: θ the root of {_poly_text(witness['algebraic_point']['poly'])} in "
                   f"[{point.interval[0]}, {point.interval[1]}], "
                   + ", ".join(f"{k} = {_poly_text(c)}" for k, c in witness["algebraic_point"]["coords"].items()),)
    elif status == "empty":
        parts.append("M is empty (no complex point of H⁻¹(0))")
        witness.setdefault("not_vouched", []).append("M is empty (msolve: no complex solution of H = 0)")
    else:
        parts.append(f"M is a smooth real manifold of dimension n − {m} = {n - m} wherever it is nonempty (no real "
                     f"point was found: {status})")
    return "; ".join(parts), details


def _singular_locus(sys, limit: float, witness: dict) -> tuple:
    """(evidence tail, detail line): dim_ℂ of the singular locus (msolve, at most :data:`PICTURE_SECONDS`); listed
    not vouched."""
    from symland.algebra.global_regular import singular_dimension

    dim = singular_dimension(sys, min(limit, PICTURE_SECONDS))
    if dim is None:
        return "", "the dimension of the singular locus was not computed (dℓ > 3, too many minors, or out of time)"
    line = (f"the singular locus {{w ∈ H⁻¹(0) : rank J_H(w) < {sys.m}}} has dim_ℂ = {dim} (msolve Gröbner basis of H "
            f"and the {sys.m} × {sys.m} minors of J_H); one real point of it is the witness")
    witness.setdefault("not_vouched", []).append(line)
    return f"; the singular locus has dim_ℂ = {dim}", line


def check_regular(inst: Instance, ctx: Context) -> Certificate:
    """``thm-2.1-global``: 0 is a regular value of H on all of M (see the module docstring)."""
    cid = "thm-2.1-global"
    timer, hyps, sys, limit, done = _setup(cid, inst, ctx)
    if done is not None:
        return done
    from symland.algebra.global_regular import singular_points

    ctx.note(f"{cid}: {sys.m} charts of H = 0, J_Hᵀλ = 0 by msolve (deadline {limit:g} s)")
    res = singular_points(sys, limit)
    witness = {"instance": inst.describe(), "engine": "msolve", "charts": res.charts,
               "system": "H(w) = 0, J_H(w)ᵀ λ = 0 with λ_j = 0 (j < k), λ_k = 1, for k = 1 … dℓ"}
    sizes = ", ".join(f"λ_{c['k']}: {c['size']['variables']} unknowns, {c['size']['equations']} equations, "
                      f"degree ≤ {c['size']['max_degree']}" for c in res.charts)
    details = (f"system size per chart — {sizes}",
               "charts λ_k = 1, λ_j = 0 (j < k) cover every λ ≠ 0: no singular point is missed")
    m = sys.m
    if res.status in ("none", "none-real"):
        picture, more = _real_picture(inst, sys, min(limit - timer.seconds, max(1.0, timer.seconds)), witness)
        details += more
    if res.status == "none":
        return Certificate(cid, inst.name, "proved", "exact",
                           f"no singular point over ℂ: each of the {m} charts has Gröbner basis {{1}} (msolve); "
                           f"0 is a regular value of H on all of M — {picture}", tuple(hyps),
                           witness, timer.seconds, details, inst.expect(cid))
    if res.status == "none-real":
        ways = sorted({_HOW[c["status"]] for c in res.charts if c["status"] in _HOW})
        return Certificate(cid, inst.name, "proved", "exact",
                           f"no real singular point ({'; '.join(ways)}): 0 is a regular value of H on all of the "
                           f"real M — {picture}", tuple(hyps), witness, timer.seconds, details, inst.expect(cid))
    if res.status in ("found", "found-algebraic"):
        locus = _singular_locus(sys, limit - timer.seconds, witness)
        details += locus[1:]
    if res.status == "found":
        witness.update(point={k: _q(v) for k, v in res.point.items()}, lam=[_q(v) for v in res.lam],
                       chart=res.chart, slice={k: _q(v) for k, v in res.slice.items()})
        pt = ", ".join(f"{k} = {v}" for k, v in witness["point"].items())
        return Certificate(cid, inst.name, "refuted", "exact",
                           f"singular point of M: H(w) = 0 and J_H(w)ᵀλ = 0 with λ = ({', '.join(witness['lam'])}) "
                           f"at w: {pt}{locus[0]}", tuple(hyps), witness, timer.seconds, details, inst.expect(cid))
    if res.status == "found-algebraic":
        alg = res.algebraic
        witness.update(algebraic={k: v for k, v in alg.items() if k != "approx"}, chart=res.chart,
                       slice={k: _q(v) for k, v in res.slice.items()})
        p = _poly_text(alg["poly"])
        pt = ", ".join(f"{k} = {_poly_text(c)}" + ("" if len(c) == 1 else f" ≈ {alg['approx'][k]}")
                       for k, c in alg["coords"].items())
        lo, hi = alg["interval"]
        return Certificate(cid, inst.name, "refuted", "exact",
                           f"real singular point of M with algebraic coordinates: θ the root of p(θ) = {p} in "
                           f"[{lo}, {hi}], w: {pt}; H(w) = 0 and J_H(w)ᵀλ = 0 exactly (modulo p){locus[0]}",
                           tuple(hyps), witness, timer.seconds, details, inst.expect(cid))
    hint = "rerun with a larger --timeout" if "deadline" in res.reason else \
        "give a point (--point FILE) to decide locally with thm-2.1"
    return Certificate(cid, inst.name, "inconclusive", "exact", f"{res.reason} — {hint}", tuple(hyps), witness,
                       timer.seconds, details, inst.expect(cid))


def check_dimension(inst: Instance, ctx: Context) -> Certificate:
    """``dim-M-global``: dim_ℂ H⁻¹(0) = n − dℓ, and M has a real point."""
    cid = "dim-M-global"
    timer, hyps, sys, limit, done = _setup(cid, inst, ctx)
    if done is not None:
        return done
    from symland.algebra.global_regular import dimension, real_point

    ctx.note(f"{cid}: Gröbner basis of H by msolve (deadline {limit:g} s)")
    dim, res = dimension(sys, limit)
    n, m = sys.n, sys.m
    witness = {"instance": inst.describe(), "engine": "msolve -g 2", "n": n, "m": m}
    if dim is None:
        return Certificate(cid, inst.name, "inconclusive", "exact",
                           f"msolve's Gröbner basis did not finish within {limit:g} s — rerun with a larger "
                           "--timeout", tuple(hyps), witness, timer.seconds, (), inst.expect(cid))
    witness.update(dimension=dim, basis_size=len(res.basis))
    details = (f"reduced Gröbner basis (grevlex): {len(res.basis)} polynomials; Krull dimension {dim}",)
    if dim != n - m:
        what = "H⁻¹(0) is empty over ℂ (Gröbner basis {1})" if dim < 0 else \
            f"dim_ℂ H⁻¹(0) = {dim} ≠ n − {m} = {n - m}"
        return Certificate(cid, inst.name, "refuted", "exact", what, tuple(hyps), witness, timer.seconds, details,
                           inst.expect(cid))
    given, why_not = _given_point(inst, sys)
    if given is not None:
        status, point, source = "found", given, "the given point (--point)"
    else:
        left = max(limit - timer.seconds, 1.0)
        last = len(inst.network_widths) - 1  # H is affine in the output layer's W{last}_…, b{last}_…
        status, point = real_point(sys, left, linear=[v for v in sys.names
                                                      if v.startswith((f"W{last}_", f"b{last}_"))], exact_real=True)
        source = "the rational point"
    if status == "found-algebraic":
        return _dimension_algebraic(cid, inst, sys, point, dim, hyps, witness, timer, details, why_not)
    if status != "found":
        return Certificate(cid, inst.name, "inconclusive", "exact",
                           f"dim_ℂ H⁻¹(0) = {dim} = n − {m}, but no real point of M was found by slicing "
                           f"({status}){why_not} — give a point (--point FILE)", tuple(hyps), witness, timer.seconds,
                           details, inst.expect(cid))
    from symland.algebra.global_regular import rank_at

    witness["point"] = {k: _q(point[k]) for k in sys.names}
    rank = rank_at(sys, point)
    witness["regular"] = rank == m
    local = (f"; rank J_H = {m} there, so M is a smooth (n − {m})-manifold near it and dim_ℝ M = {n - m} "
             f"(≤ dim_ℂ H⁻¹(0) = {dim})" if rank == m else
             f"; rank J_H = {rank} < {m} there (a singular point of M: the real dimension is not shown there)")
    return Certificate(cid, inst.name, "proved", "exact",
                       f"dim_ℂ H⁻¹(0) = {dim} = n − {m} (msolve Gröbner basis); M ∋ {source} "
                       + ", ".join(f"{k} = {v}" for k, v in witness["point"].items()) + local + why_not,
                       tuple(hyps), witness, timer.seconds, details, inst.expect(cid))


def _dimension_algebraic(cid, inst, sys, point, dim, hyps, witness, timer, details, why_not) -> Certificate:
    """dim-M-global ``proved`` at a real algebraic point w = q(θ) of M (no rational one was found)."""
    from symland.algebra.global_regular import regular_minor

    n, m = sys.n, sys.m
    witness["algebraic_point"] = point.to_json()
    cols = regular_minor(sys, point)
    witness["regular"] = cols is not None
    if cols is not None:
        witness["minor"] = cols
    approx = point.approx()
    pt = ", ".join(f"{k} = {_poly_text(c)}" + ("" if len(c) == 1 else f" ≈ {approx[k]:.12g}")
                   for k, c in witness["algebraic_point"]["coords"].items())
    lo, hi = point.interval
    local = (f"; a {m} × {m} minor of J_H is invertible there, so M is a smooth (n − {m})-manifold near it and "
             f"dim_ℝ M = {n - m}" if cols is not None else
             f"; rank J_H < {m} there (a singular point of M: the real dimension is not shown there)")
    return Certificate(cid, inst.name, "proved", "exact",
                       f"dim_ℂ H⁻¹(0) = {dim} = n − {m} (msolve Gröbner basis); M ∋ the real algebraic point "
                       f"θ the root of {_poly_text(witness['algebraic_point']['poly'])} in [{lo}, {hi}], {pt}"
                       + local + why_not, tuple(hyps), witness, timer.seconds, details, inst.expect(cid))


def _given_point(inst: Instance, sys):
    """(the instance's --point as exact rationals when it lies on M, else None; a note saying why it was not used)."""
    from fractions import Fraction

    from symland.algebra.global_regular import on_m

    if inst.point is None:
        return None, ""
    values = dict(inst.point)
    if sorted(values) != sorted(sys.names):
        return None, "; the given point does not name exactly the network's parameters"
    try:
        point = {k: Fraction(str(values[k])) for k in sys.names}
    except (ValueError, ZeroDivisionError):
        return None, "; the given point is not exact rationals"
    if not on_m(sys, point):
        return None, "; the given point is not on M (H ≠ 0 there, exactly)"
    return point, ""


CHECKS = {"thm-2.1-global": check_regular, "dim-M-global": check_dimension}
