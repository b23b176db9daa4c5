"""Membership and rank at a point in the inexact tiers: ball (certified), mp and float (numerical).

Ball tier, at the constructed point (Lemma 3.3 / Corollary 3.4). Every hidden parameter is built
from the data; the output weights m* are *defined* as the exact solution of A m* = y, where A is
lower triangular (the entries above the diagonal are σ at certified negative arguments: exactly 0)
with a diagonal certified ≠ 0 — so m* exists, f(x_i) = y_i holds exactly, and H(m*) = 0 needs no
numerical test. Arb encloses m* (forward substitution in balls), hence J_H(m*) inside the ball
matrix J; a d × d minor of J whose ball determinant excludes 0 certifies rank J_H(m*) = d.

Ball tier at a given point: a residual whose ball excludes 0 is a certified m ∉ M (``hypothesis-fails``:
the claims speak of points of M). A ball that merely contains 0 shows nothing, so membership is ``inconclusive``
(the exact tiers decide it) — except where every residual is the exact ball 0 ± 0: then H(m) = 0 exactly, a
structural zero (:mod:`symland.point.structural`), decided also for a transcendental σ.

When a decision is out of reach at the working precision (overlapping balls), the whole computation
is redone at twice the precision, up to ``max_prec`` bits; then ``inconclusive``, never ``refuted``.

mp and float: the same steps in mpmath or float64, with the tolerance and the gap that support the
``numerical`` verdict.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from flint import arb

from symland.constructions.landscape import interpolate
from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.linear.certify import certify_full_row_rank, mp_full_row_rank
from symland.networks.problem import PointValues
from symland.point.build import result
from symland.point.request import no_point_reason
from symland.point.resolved import resolved_outcome, resolved_point
from symland.point.structural import output_layer_rank, structural_text, structural_zero
from symland.point.value import PointAnalysis, RankBound
from symland.tiers.numeric import (
    INEXACT_TIERS,
    BallKind,
    FloatKind,
    MpKind,
    Undecided,
    precision,
)

__all__ = ["NUMERIC_TIERS", "numeric_analysis", "numeric_construction", "output_columns"]

NUMERIC_TIERS = INEXACT_TIERS
POINT_WITNESS_LIMIT = 20_000  # the point's values go into the witness up to this n


def _constructed(req) -> bool:
    return req.constructed


def _build(inst, widths, kind):
    """Lemma 3.3 / Corollary 3.4 over `kind`; a diagonal of A not certified ≠ 0 asks for more precision."""
    it = interpolate(inst.data, widths, inst.activation, kind, a=inst.a, gap=inst.gap)
    if it.lower_triangular and not it.diagonal_nonzero:
        raise Undecided("a diagonal entry of A is not certified ≠ 0")
    return it


def numeric_construction(req, widths=None):
    inst = ctx = req
    """The construction over the tier's numbers, with the precision escalation of the ball tier.

    Returns (interpolant, bits) — bits is None outside the ball tier. Raises NotRepresentableError
    with the reason when the ball tier could not decide up to ``ctx.max_prec`` bits.
    """
    widths = tuple(widths or inst.network_widths)
    tier = ctx.tier
    if tier == "mp":
        return _build(inst, widths, MpKind(ctx.dps)), None
    if tier == "float":
        return _build(inst, widths, FloatKind()), None
    return _escalate(ctx, lambda bits: _build(inst, widths, BallKind(bits)))


def _escalate(ctx, fn):
    """fn(bits) at ctx.prec, 2·ctx.prec, … ≤ ctx.max_prec; (result, bits)."""
    bits, reason = ctx.prec, ""
    while bits <= ctx.max_prec:
        try:
            with precision(bits):
                return fn(bits), bits
        except Undecided as exc:
            reason = str(exc)
            ctx.note(f"ball tier: {reason}; retrying at {2 * bits} bits")
        bits *= 2
    raise NotRepresentableError(f"not certified up to {bits // 2} bits: {reason} "
                                "(raise --max-prec, or use --tier exact/symbolic where they apply)")


def numeric_analysis(req) -> PointAnalysis:
    """Membership and rank at the request's point in its inexact tier (ball, mp, float)."""
    return _outcome(req, req, req.tier)


def _outcome(inst, ctx, tier) -> PointAnalysis:  # inst, ctx: the request
    try:
        if tier == "ball":
            return _escalate(ctx, lambda bits: _ball(inst, ctx, bits))[0]
        if tier == "mp":
            return _mp(inst, ctx)
        return _float(inst, ctx)
    except UndefinedDerivativeError as exc:
        return result(inst, "undefined", tier, str(exc))
    except NotRepresentableError as exc:
        return result(inst, "inconclusive", tier, str(exc))
    except OverflowError as exc:  # e.g. data 1e5000: beyond float64, not evidence of anything
        return result(inst, "inconclusive", tier, f"a value is beyond the range of the {tier} tier ({exc}); use --tier "
                       "ball or an exact tier")


def _point_and_values(inst, ctx, kind):
    prob = ctx.problem()
    if _constructed(inst):
        if inst.dag is not None:
            raise NotRepresentableError("no point of M is known for a general DAG network: give one (--point)")
        if not inst.activation.is_rectified()[0]:  # decided exactly, before any enclosure
            raise NotRepresentableError(no_point_reason(inst.activation))
        it = _build(inst, inst.network_widths, kind)
        if not it.lower_triangular:  # rectified σ: exact zeros above the diagonal, so never
            raise NotRepresentableError("A is not lower triangular at this precision (please report)")
        src = "the Lemma 3.3 point" if len(inst.network_widths) == 3 else "the Corollary 3.4 point (corrected)"
        point = it.params
    elif inst.resolve is not None:
        point, src = resolved_point(inst, prob, kind)
    else:
        point = [kind.const(v) for v in inst.given_values()]
        src = inst.spec.source or "the given point"
    return prob, point, src


def _exact_or(inst, prob, point):
    """The given point's exact rationals when the point is the given one (Problem.at then decides a pre-activation
    whose number contains a breakpoint of σ exactly, :mod:`symland.sigma.kinkhits`), else ``point``."""
    if inst.point is not None and inst.resolve is None and not _constructed(inst):
        return inst.given_values()
    return point


def _witness_common(inst, prob, kind, vals, src) -> dict:
    w = {"instance": inst.describe(), "point_source": src}
    if prob.n <= POINT_WITNESS_LIMIT:
        w["point"] = {k: kind.to_str(v) for k, v in zip(prob.network.param_names(), vals.point)}
    w["H"] = [kind.to_str(v) for v in vals.H]
    return w


def _ball(inst, ctx, bits) -> PointAnalysis:
    kind = BallKind(bits)
    resolved = inst.resolve is not None and not _constructed(inst)
    if resolved:
        return resolved_outcome(inst, ctx, kind, _witness_common)
    prob, point, src = _point_and_values(inst, ctx, kind)
    ctx.note(f"ball tier at {bits} bits: J_H at {src}")
    vals = prob.at(_exact_or(inst, prob, point), kind=kind, hessian=inst.hessian)
    w = _witness_common(inst, prob, kind, vals, src)
    w["prec"] = bits
    excl = [r for r, v in enumerate(vals.H) if kind.nonzero(v)]
    if _constructed(inst):
        if excl:  # would contradict the algebra of the construction: a bug, not a verdict
            return result(inst, "inconclusive", "ball", f"internal inconsistency: the enclosure of f_{excl[0] + 1} "
                           "at the constructed point excludes 0 (please report)", witness=w)
        width = arb(0)
        for v in vals.H:  # as Arb prints it: a radius beyond float64 is a number, never 'inf'
            width = width.max(arb(v.rad()))
        details = [f"H(m*) = 0 exactly at {src}: m* solves A m* = y with A lower triangular "
                   f"(exact zeros above the diagonal) and diagonal certified ≠ 0; "
                   f"the enclosures of H(m*) contain 0 (radius ≤ {width.upper().str(2, radius=False)})"]
        exact_member = True
    elif excl or not structural_zero(kind, vals.H):
        rank = _ball_rank(vals.J, bits)  # certified bounds, for the analysis (the claims stop at membership)
        if excl:
            r = excl[0]
            return result(inst, "off-M", "ball", f"m ∉ M: f_{r + 1}(m) ∈ {kind.to_str(vals.H[r])} ∌ 0 "
                          f"({len(excl)} residuals certified nonzero)", vals=vals, rank=rank, source=src, witness=w)
        advice = ("--tier exact decides it (σ is piecewise polynomial over ℚ)" if inst.activation.is_rational_valued
                  else "--tier symbolic decides it where σ's values at the pre-activations lie in Q[e^Q] (smoolu "
                  "anywhere, tanh or sigmoid where a pre-activation is exactly 0), and says so where they do not")
        return result(inst, "inconclusive", "ball", "every residual's ball contains 0, but a ball shows H(m) = 0 "
                      "exactly only when it is the exact ball 0 ± 0 (an exact zero factor in every inexact term); "
                      + advice, vals=vals, rank=rank, source=src, witness=w)
    else:  # every residual is the exact ball 0 ± 0: H(m) = 0 exactly, for structural reasons
        text, factors = structural_text(prob.network, vals, kind, src)
        details = [text]
        exact_member = True
    ctx.note(f"ball tier: certifying rank J_H ({len(vals.J)}×{prob.n})")
    cert = (certify_full_row_rank(vals.J, bits, hint=output_columns(prob, inst)) if _constructed(inst) else
            output_layer_rank(prob, inst, vals.J, bits))
    if cert is None and not _constructed(inst) and 2 * bits > ctx.max_prec:  # on M exactly, the rank not certified
        rank = _ball_rank(vals.J, bits)
        out = result(inst, "inconclusive", "ball", f"{details[0]}; but no {len(vals.J)}×{len(vals.J)} minor of J_H "
                     f"certified nonsingular up to {bits} bits ({rank.summary()})", vals=vals, rank=rank, source=src,
                     witness=w)
        return replace(out, on_M=True, membership=details[0], membership_exact=True, structural_zero=factors)
    if cert is None:
        raise Undecided(f"no {len(vals.J)}×{len(vals.J)} minor of J_H certified nonsingular")
    w["rank"] = {"lower": cert.rank, "upper": cert.rank,
                 "minor": {"rows": list(range(cert.rows)), "cols": list(cert.cols), "det": cert.det,
                           "prec": bits}, "method": cert.method}
    rank = RankBound(cert.rank, cert.rank, f"{cert.method}; {cert.rows} rows: full row rank", w["rank"]["minor"],
                     strength="certified")
    out = result(inst, "ok", "ball", vals=vals, rank=rank, source=src, details=details, witness=w,
                 membership_exact=exact_member)
    return out if _constructed(inst) else replace(out, structural_zero=factors)


def _ball_rank(J, bits) -> RankBound:
    """Certified bounds on rank J from the ball matrix J: a minor certified nonsingular (lower), min(m, n) (upper)."""
    from symland.linear.spectrum import ball_rank

    lo, hi, rw = ball_rank(J)
    minor = dict(rw.get("minor", {}), prec=bits) if "minor" in rw else {}
    return RankBound(lo, hi, rw["method"], minor, strength="certified" if lo == hi else "bounds",
                     shape=(len(J), len(J[0]) if J else 0))


def _mp_svd_rank(J, kind) -> RankBound:
    """Numerical rank of J: the singular values of the whole J above tol·σ_max (tol = 10^(−dps/2))."""
    mp = kind.ctx
    s = mp.svd_r(mp.matrix(J), compute_uv=False) if J and J[0] else []
    sv = sorted((s[i] for i in range(len(s))), reverse=True)
    tol_r = (float(kind.tol) * float(sv[0])) if sv else 0.0
    r = sum(1 for v in sv if v > tol_r)
    return RankBound(r, r, f"mpmath SVD at {kind.dps} digits: {r} singular values above {tol_r:.2e}",
                     strength="numerical", shape=(len(J), len(J[0]) if J else 0))


def output_columns(prob, inst):
    """At the constructed point the output-weight columns (j < d) form ℓ copies of the triangular A."""
    return None if inst.dag is not None else prob.network.output_weight_indices(inst.data.d)


BEYOND_FLOAT = ("a value at the point (H, J_H or Hess L) is beyond float64's range (about 1.8e308) or not a number, "
                "so the {tier} tier cannot report it; use --tier exact or --tier ball")


def beyond_float(vals, hessian: bool) -> bool:
    """Whether H, J_H (or Hess L, when built) at the point leave float64's range: the mp and float tiers report
    through float64 (SVD, eigenvalues), so such a point ends them ``inconclusive`` — never a crash or an inf."""
    rows = [vals.H, *vals.J]
    if hessian and vals.hess_f is not None:
        rows += list(vals.hess_L)
    with np.errstate(all="ignore"):
        return not all(np.all(np.isfinite(np.asarray([float(v) for v in row], dtype=float))) for row in rows)


def _mp(inst, ctx) -> PointAnalysis:
    kind = MpKind(ctx.dps)
    prob, point, src = _point_and_values(inst, ctx, kind)
    vals = prob.at(_exact_or(inst, prob, point), kind=kind, hessian=inst.hessian)
    if beyond_float(vals, inst.hessian):
        return result(inst, "inconclusive", "mp", BEYOND_FLOAT.format(tier="mp"), source=src)
    w = _witness_common(inst, prob, kind, vals, src)
    w["dps"] = ctx.dps
    tol = kind.ctx.mpf(10) ** (-(ctx.dps // 2))
    big = max((abs(v) for v in vals.H), default=kind.ctx.mpf(0))
    exact_member = False  # the point's exactness is not established by mpmath
    if big > tol:
        return result(inst, "inconclusive", "mp", f"m appears off M (mp residual max |f_r(m)| = "
                      f"{kind.ctx.nstr(big, 5)} > {kind.ctx.nstr(tol, 3)} at {ctx.dps} digits) — decide with "
                      "--tier exact/ball",
                      vals=vals, rank=_mp_svd_rank(vals.J, kind), source=src, witness=w)
    found = mp_full_row_rank(vals.J, kind.ctx)
    if found is None:
        return result(inst, "inconclusive", "mp", "no numerically nonsingular minor of J_H", vals=vals,
                      rank=_mp_svd_rank(vals.J, kind), witness=w)
    cols, s = found
    ratio = s[-1] / s[0] if s[0] else kind.ctx.mpf(0)
    if ratio <= tol:
        return result(inst, "inconclusive", "mp", f"J_H numerically rank-deficient: σ_min/σ_max = "
                       f"{kind.ctx.nstr(ratio, 3)} ≤ {kind.ctx.nstr(tol, 3)}", vals=vals,
                      rank=_mp_svd_rank(vals.J, kind), witness=w)
    d = len(vals.J)
    method = (f"mpmath at {ctx.dps} digits: the {d}×{d} minor on pivot-chosen columns has σ_min/σ_max = "
              f"{kind.ctx.nstr(ratio, 3)} ≫ tolerance {kind.ctx.nstr(tol, 3)}")
    w["rank"] = {"lower": d, "upper": d, "minor": {"cols": list(cols)}, "method": method}
    details = [f"|H(m)| ≤ {kind.ctx.nstr(big, 3)} at {src}" +
               (" (the construction's point, computed at finite precision)" if _constructed(inst) else "")]
    return result(inst, "ok", "mp", vals=vals, rank=RankBound(d, d, method, {"cols": list(cols)}, strength="numerical"),
                   source=src, details=details, witness=w, membership_exact=exact_member)


def _float(inst, ctx) -> PointAnalysis:
    from symland.networks.floating import float_rank, jacobian

    kind = FloatKind()
    prob, point, src = _point_and_values(inst, ctx, kind)
    t0 = time.perf_counter()
    if inst.dag is None and not inst.hessian:
        x = np.asarray(point, dtype=float)
        ctx.note(f"float tier: J_H ({prob.m}×{prob.n}) by batched passes")
        stats: dict = {}
        with np.errstate(over="ignore", invalid="ignore"):
            H, J = jacobian(prob.network, inst.data, x, stats=stats)
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(J))):
            return result(inst, "inconclusive", "float", BEYOND_FLOAT.format(tier="float"), source=src)
        vals = PointValues(kind, x, H, J, zero_preactivations=stats["zero_preactivations"],
                           breakpoint_preactivations=stats.get("breakpoint_preactivations", ()))
    else:  # a DAG, or Hess f_r asked for: the general passes in float64
        with np.errstate(all="ignore"):
            raw = prob.at(_exact_or(inst, prob, point), kind=kind, hessian=inst.hessian)
        if beyond_float(raw, inst.hessian):
            return result(inst, "inconclusive", "float", BEYOND_FLOAT.format(tier="float"), source=src)
        J = np.asarray(raw.J).reshape(len(raw.H), prob.n)
        vals = PointValues(kind, np.asarray(raw.point), np.asarray(raw.H), J, hess_f=raw.hess_f,
                           zero_preactivations=raw.zero_preactivations,
                           breakpoint_preactivations=raw.breakpoint_preactivations)
        J, H = vals.J, vals.H
    w = {"instance": inst.describe(), "point_source": src, "H_max_abs": float(np.max(np.abs(H)) if H.size else 0)}
    scale = 1.0 + max((abs(float(v)) for row in inst.data.Y for v in row), default=0.0)
    tol_h = 1e-8 * scale
    ctx.note("float tier: singular values of J_H")
    fr = float_rank(J)
    m = J.shape[0]
    s = fr.singular_values
    found = RankBound(fr.rank, fr.rank, f"float64 {fr.method}: {fr.rank} singular values above the tolerance "
                      f"{fr.tol:.2e}", strength="numerical", shape=(m, prob.n))
    if w["H_max_abs"] > tol_h:
        return result(inst, "inconclusive", "float", f"m appears off M (float residual max |f_r(m)| = "
                      f"{w['H_max_abs']:.3e} > {tol_h:.1e}) — decide with --tier exact/ball", vals=vals,
                      rank=found, source=src, witness=w)
    w["singular_values"] = {"max": float(s[0]) if s.size else 0.0, "min": float(s[-1]) if s.size else 0.0,
                            "tol": fr.tol, "how": fr.method}
    if fr.rank < m:
        return result(inst, "inconclusive", "float", f"J_H numerically rank-deficient: {fr.rank} of {m} singular "
                      f"values above the tolerance {fr.tol:.2e} ({fr.method})", vals=vals, rank=found, witness=w)
    method = (f"float64 {fr.method}: σ_min = {s[-1]:.3e}, σ_max = {s[0]:.3e}, tolerance {fr.tol:.2e}, "
              f"gap σ_min/tol = {fr.gap:.2e}")
    w["rank"] = {"lower": m, "upper": m, "method": method}
    details = [f"max |f_r(m)| = {w['H_max_abs']:.2e} ≤ {tol_h:.1e} at {src} ({time.perf_counter() - t0:.2f} s)"]
    spec = fr.hessian_spectrum()
    details.append(f"nonzero spectrum of 2JᵀJ: {m} eigenvalues 2σ_i² in [{spec.min():.3e}, {spec.max():.3e}]")
    return result(inst, "ok", "float", vals=vals, rank=RankBound(m, m, method, strength="numerical"), source=src,
                   details=details, witness=w, membership_exact=False, spectrum=spec)
