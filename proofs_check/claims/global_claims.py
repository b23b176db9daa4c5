"""The global claims, for networks whose σ is a polynomial over ℚ (msolve; the extra ``symland[global]``).

``thm-2.1-global`` — Theorem 2.1's hypothesis on all of M: 0 is a regular value of H, i.e. rank J_H(w) = dℓ at
*every* w ∈ M = H⁻¹(0) ⊂ ℝⁿ. With the charts of :mod:`symland.algebra.polysys` (λ_k = 1, λ_j = 0 for j < k):

* every chart has no solution over ℂ (msolve: reduced Gröbner basis {1}) → ``proved``; the re-checker recomputes
  each chart from the instance and its Gröbner basis {1} with sympy (a second engine);
* a chart has an exact rational real solution (w, λ) → ``refuted``: w ∈ M with J_H(w)ᵀλ = 0, λ ≠ 0; re-checked by
  substitution;
* finite charts with complex solutions only → ``proved`` over ℝ by msolve's real root isolation (not re-checkable
  by the second engine: ``partial``);
* otherwise (irrational real solutions, positive-dimensional charts where no slice gave a rational point, the
  deadline) → ``inconclusive`` with the reason.

``dim-M-global`` — the complex variety H⁻¹(0) has dimension n − dℓ (Krull dimension of (H) from msolve's reduced
Gröbner basis) and M has a real point (an exact rational point found by slicing; a polynomial σ is never
rectified, so Lemma 3.3's construction does not apply).
"""

from __future__ import annotations

from proofs_check import hypotheses as hyp
from proofs_check.certificate import Certificate
from proofs_check.claim_ids import GLOBAL_IDS
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails

__all__ = ["CHECKS", "TITLES", "IDS", "DEFAULT_TIMEOUT"]

IDS = GLOBAL_IDS
TITLES = {"thm-2.1-global": "Theorem 2.1 globally: 0 is a regular value of H on all of M (polynomial σ, msolve)",
          "dim-M-global": "dim H⁻¹(0) = n − dℓ over ℂ and M has a real point (polynomial σ, msolve)"}
DEFAULT_TIMEOUT = 60.0


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
    return timer, hyps, polynomial_residuals(net, data), limit, None


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
    n, m = sys.n, sys.m
    if res.status == "none":
        return Certificate(cid, inst.name, "proved", "exact",
                           f"no singular point over ℂ: each of the {m} charts has Gröbner basis {{1}} (msolve); "
                           f"M is a smooth (n − {m}) = {n - m}-manifold everywhere (or empty)", tuple(hyps),
                           witness, timer.seconds, details, inst.expect(cid))
    if res.status == "none-real":
        return Certificate(cid, inst.name, "proved", "exact",
                           "no real singular point: charts without complex solutions, or finitely many complex "
                           "ones none of which is real (msolve real root isolation)", tuple(hyps), witness,
                           timer.seconds, details, inst.expect(cid))
    if res.status == "found":
        witness.update(point={k: _q(v) for k, v in res.point.items()}, lam=[_q(v) for v in res.lam],
                       chart=res.chart, slice={k: _q(v) for k, v in res.slice.items()})
        pt = ", ".join(f"{k} = {v}" for k, v in witness["point"].items())
        return Certificate(cid, inst.name, "refuted", "exact",
                           f"singular point of M: H(w) = 0 and J_H(w)ᵀλ = 0 with λ = ({', '.join(witness['lam'])}) "
                           f"at w: {pt}", tuple(hyps), witness, timer.seconds, details, inst.expect(cid))
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
    left = max(limit - timer.seconds, 1.0)
    last = len(inst.network_widths) - 1  # H is affine in the output layer's W{last}_…, b{last}_…
    status, point = real_point(sys, left, linear=[v for v in sys.names if v.startswith((f"W{last}_", f"b{last}_"))])
    if status != "found":
        return Certificate(cid, inst.name, "inconclusive", "exact",
                           f"dim_ℂ H⁻¹(0) = {dim} = n − {m}, but no rational real point of M was found by slicing "
                           f"({status}) — give a point (--point FILE)", tuple(hyps), witness, timer.seconds,
                           details, inst.expect(cid))
    witness["point"] = {k: _q(point[k]) for k in sys.names}
    return Certificate(cid, inst.name, "proved", "exact",
                       f"dim_ℂ H⁻¹(0) = {dim} = n − {m} (msolve Gröbner basis); M ∋ the rational point "
                       + ", ".join(f"{k} = {v}" for k, v in witness["point"].items()), tuple(hyps), witness,
                       timer.seconds, details, inst.expect(cid))


CHECKS = {"thm-2.1-global": check_regular, "dim-M-global": check_dimension}
