"""The ball tier at m*, a point of M next to a given (trained) point: ``Instance.resolve``.

* ``("output", feature columns)``: m* is the given point with d output-layer coordinates per output re-solved
  (:mod:`symland.point.nearest`): S u_c = y_c − (fixed terms) with the feature minor S certified nonsingular
  (‖I − R·S‖∞ ≤ β < 1), so the exact solution exists and H(m*) = 0 holds exactly. The minor of J_H(m*) on the
  re-solved columns is block diagonal with ℓ copies of S — whose entries (the last hidden layer's features) do
  not depend on the output layer — so the same β certifies rank J_H(m*) = dℓ. Nothing else of J_H is needed:
  H is read off the features, and σ' is checked at every hidden pre-activation (where J_H would need it).
* ``("krawczyk", parameter indices)``: m* is the unique zero of H in a box certified by Krawczyk's test
  (:mod:`symland.point.krawczyk`), with every other coordinate at its given value; the Jacobian over the box has the
  nonsingular minor on those columns.

The witness records the point with every coordinate that is exact as an exact string, so a re-checker's
midpoints are m*'s own values; the minor's columns are the re-solved ones (the output-layer re-solve of
:mod:`proofs_check.recheck.ball` then rebuilds m* itself; a Krawczyk box is re-tested by
:mod:`proofs_check.recheck.newton`).
"""

from __future__ import annotations

from flint import arb

from symland.errors import NotRepresentableError
from symland.linear.certify import BallRank, certify_full_row_rank
from symland.networks.problem import PointValues
from symland.point.build import result
from symland.point.value import RankBound
from symland.tiers.numeric import BallKind, Undecided

__all__ = ["resolved_point", "resolved_outcome"]


def resolved_point(inst, prob, kind):
    """(m* over Arb, where it came from); raises Undecided when not certified at ``kind.prec``."""
    near = _near(inst, prob, kind)
    return list(near.point), getattr(getattr(inst, "spec", None), "source", "") or _source(inst.resolve[0])


def _source(how: str) -> str:
    return ("m*, the unique zero of H in a Krawczyk box next to the given point" if how == "krawczyk"
            else "m*, the given point with its output layer re-solved")


def _near(inst, prob, kind):
    from symland.point.krawczyk import krawczyk_point
    from symland.point.nearest import solve_ball

    if not isinstance(kind, BallKind):
        raise NotRepresentableError("a re-solved point is defined over Arb balls only (--tier ball)")
    how, cols = inst.resolve
    near = inst.spec.nearest
    if near is not None and near.status == "ball" and near.prec == kind.prec:  # solved already (certify): reused
        return near
    point = inst.given_values()
    if how == "krawczyk":
        return krawczyk_point(prob.network, point, inst.data, kind.prec, cols)
    if how != "output":
        raise NotRepresentableError(f"unknown way to re-solve a point: {how!r}")
    return solve_ball(prob.network, point, inst.data, tuple(cols), kind.prec)


def _output_values(inst, prob, kind, near) -> tuple[PointValues, BallRank]:
    """H(m*) from the features, J_H(m*) only on the minor's columns (rows: dicts), and the rank from β."""
    sysm = near.system
    if sysm["derivative_issue"] is not None:
        raise sysm["derivative_issue"]  # σ' undefined (UndefinedDerivativeError) or undecided (Undecided)
    net, data = prob.network, inst.data
    F, ell, h = sysm["F"], net.l, net.widths[-2]
    K = len(net.shapes)
    idx = net.index
    point = list(near.point)
    out_rows = [[point[idx[f"W{K}_{c}_{j}"]] for j in range(h)] + ([point[idx[f"b{K}_{c}"]]] if net.bias else [])
                for c in range(ell)]  # row c of the output layer, in F's column order (no −1 column without biases)
    H, J = [], []
    cols = list(near.columns)
    per = len(cols) // ell
    for s, row in enumerate(F):
        for c in range(ell):
            acc = -arb(data.Y[s][c])
            for j, v in enumerate(out_rows[c]):
                if not (v.is_exact() and v == 0):
                    acc += row[j] * v
            H.append(acc)
            J.append({col: (row[sysm["feature_cols"][i % per]] if i // per == c else arb(0))
                      for i, col in enumerate(cols)})
    vals = PointValues(kind, point, H, J, zero_preactivations=sysm["zero_preactivations"],
                       breakpoint_preactivations=sysm["breakpoint_preactivations"])
    beta = sysm["beta"]
    m = data.d * ell
    rank = BallRank(m, m, tuple(sorted(cols)), f"‖I − R·S‖∞ ≤ {beta.upper().str(3, radius=False)} < 1 (S: "
                    f"{ell} diagonal block(s), the {data.d}×{data.d} feature minor)", kind.prec, how="norm")
    return vals, rank


def resolved_outcome(inst, ctx, kind, witness_common):
    """The ball tier's analysis at m* (`inst`, `ctx`: the request)."""
    prob = ctx.problem()
    near = _near(inst, prob, kind)
    how = inst.resolve[0]
    src = getattr(getattr(inst, "spec", None), "source", "") or _source(how)
    ctx.note(f"ball tier at {kind.prec} bits: {src}")
    if how == "output":
        vals, cert = _output_values(inst, prob, kind, near)
    else:
        vals = prob.at(list(near.point), kind=kind)
        cert = certify_full_row_rank(vals.J, kind.prec, cols=tuple(near.columns))
        if cert is None:
            raise Undecided(f"the minor of J_H on the Krawczyk columns is not certified nonsingular at {kind.prec} "
                            "bits")
    w = witness_common(inst, prob, kind, vals, src)
    w["prec"] = kind.prec
    if "point" in w:
        w["point"] = {k: (str(v.mid().fmpq()) if v.is_exact() else kind.to_str(v))
                      for k, v in zip(prob.network.param_names(), vals.point)}
    excl = [r for r, v in enumerate(vals.H) if kind.nonzero(v)]
    if excl:  # would contradict the certified solve: a bug, not a verdict
        return result(inst, "inconclusive", "ball", f"internal inconsistency: the enclosure of f_{excl[0] + 1} at the "
                       "re-solved point excludes 0 (please report)", witness=w)
    why = ("Krawczyk's K(X) ⊂ int X proves a unique zero of H in the box (symland.point.krawczyk)" if how == "krawczyk"
           else "its re-solved output-layer coordinates are the unique exact solution of a square affine system "
           "certified nonsingular (symland.point.nearest)")
    details = [f"H(m*) = 0 exactly at {src}: {why}"]
    w["rank"] = {"lower": cert.rank, "upper": cert.rank,
                 "minor": {"rows": list(range(cert.rows)), "cols": list(cert.cols), "det": cert.det,
                           "prec": kind.prec}, "method": cert.method}
    rank = RankBound(cert.rank, cert.rank, f"{cert.method}; {cert.rows} rows: full row rank", w["rank"]["minor"],
                     strength="certified")
    return result(inst, "ok", "ball", vals=vals, rank=rank, source=src, details=details, witness=w,
                   membership_exact=True)
