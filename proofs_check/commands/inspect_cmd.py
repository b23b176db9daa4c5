"""``symland inspect``: the landscape at a given point, in any tier — a view of :func:`symland.analyse`.

    symland inspect --data d.csv --widths 2,3,1 --activation rectpow3 --point p.json            # everything
    symland inspect … --rank --inertia --spectrum --tier ball                                    # just these
    symland inspect … --json         # keys params, H, J, loss, gradient, hessian, rank (+ rank_witness),
                                     # inertia (+ inertia_witness), spectrum (+ spectrum_tolerance)

Without ``--rank``/``--inertia``/``--spectrum`` every matrix is shown (abbreviated above 12 columns in the
text unless ``--matrices``) with the rank and inertia; with them, only what was asked (matrices with
``--matrices``).
"""

from __future__ import annotations

import json

from symland.point.landscape import landscape_at
from symland.problem import Problem
from symland.views.spectrum import float64_warnings

__all__ = ["add_options", "run"]

ABBREVIATE = 12  # text output: matrices wider than this are abbreviated unless --matrices


def add_options(p) -> None:
    """The inspect-only options (the tier options are shared with verify)."""
    p.add_argument("--rank", action="store_true", help="rank of J_H with its witness (proved, certified bounds, "
                   "or numerical with the tolerance, by tier)")
    p.add_argument("--inertia", action="store_true", help="inertia (n₊, n₋, n₀) of the full Hess L "
                   "(residual term 2Σ f_i Hess f_i included)")
    p.add_argument("--spectrum", action="store_true", help="the float64 eigenvalues of Hess L and their tolerance")
    p.add_argument("--matrices", action="store_true", help="print J_H, ∇L and Hess L in full")


def run(args, inst) -> int:
    from proofs_check.instance import auto_tier

    selected = args.rank or args.inertia or args.spectrum
    prob = Problem(inst.network(), inst.data)
    tier = args.tier if args.tier != "auto" else auto_tier(inst, args.time_budget, "inspect")[0]  # the one chooser
    if args.tier == "auto" and tier == "symbolic":
        tier = "auto"  # exact values when the point's are rational or in Q[e^Q], else balls
    rep = landscape_at(prob, dict(inst.point), tier=tier, inertia=args.inertia or not selected,
                       spectrum=args.spectrum, prec=args.prec, max_prec=args.max_prec, dps=args.dps)
    matrices = args.matrices or not selected
    obj = rep.to_json_obj(matrices=matrices)
    if args.json:
        print(json.dumps(obj, indent=2, ensure_ascii=False))
        return 0
    print(f"n = {rep.n} parameters, d = {inst.data.d} points, tier {rep.tier} ({rep.strength} at best)")
    print(rep.membership)
    if rep.smoothness:
        hits = ", ".join(f"{k} at t = {c}" for c, k in rep.kinks)
        print(f"H near m: {rep.smoothness}" + (f" (pre-activations at kinks of σ: {hits})" if hits else ""))
    print("H = " + _vector(obj["H"], args.matrices))
    print(f"L = {obj['loss']}")
    if matrices:
        print("∇L = " + _vector(obj["gradient"], args.matrices))
        _matrix("J_H", obj["J"], args.matrices)
        if "hessian" in obj:
            _matrix("Hess L", obj["hessian"], args.matrices)
    if args.rank or not selected:
        print(f"rank J_H = {_bounds(obj['rank'])} ({rep.rank_witness.get('strength')}): "
              f"{rep.rank_witness.get('method', '')}")
    if "inertia" in obj:
        print(f"inertia of Hess L (n₊, n₋, n₀) = {_bounds(obj['inertia'])} "
              f"({rep.inertia_witness.get('strength')}): {rep.inertia_witness.get('method', '')}")
    elif args.inertia or not selected:
        print(f"inertia of Hess L: {rep.inertia_witness.get('method', 'not computed')}")
    if args.spectrum:
        lam = obj["spectrum"]
        shown = lam if args.matrices or len(lam) <= 2 * ABBREVIATE else lam[:ABBREVIATE] + ["…"] + lam[-ABBREVIATE:]
        print(f"spectrum of Hess L (float64, |λ| ≤ {obj['spectrum_tolerance']:.2e} is indistinguishable from 0):")
        print("  " + ", ".join(v if isinstance(v, str) else f"{v:.6g}" for v in shown))
        if isinstance(obj.get("inertia"), list) and rep.inertia_witness.get("strength") in ("proved", "certified"):
            for line in float64_warnings(lam, obj["spectrum_tolerance"], obj["inertia"]):
                print(f"warning: {line}")  # the float64 picture against the decided inertia
    return 0


def _bounds(v) -> str:
    if isinstance(v, dict):
        lo, hi = v["lower"], v["upper"]
        if isinstance(lo, list):
            return "(" + ", ".join(f"{a}…{b}" if a != b else str(a) for a, b in zip(lo, hi)) + ")"
        return f"between {lo} and {hi}"
    return f"({', '.join(map(str, v))})" if isinstance(v, list) else str(v)


def _vector(values, full: bool) -> str:
    if not full and len(values) > ABBREVIATE:
        values = values[:ABBREVIATE] + [f"… {len(values) - ABBREVIATE} more"]
    return "(" + ", ".join(values) + ")"


def _matrix(name: str, rows, full: bool) -> None:
    print(f"{name} ({len(rows)}×{len(rows[0]) if rows else 0})" + ("" if full or not rows or len(rows[0]) <= ABBREVIATE
                                                                   else f", first {ABBREVIATE} columns "
                                                                   "(--matrices for all)") + ":")
    for i, row in enumerate(rows):
        if not full and i == ABBREVIATE:
            print(f"  … {len(rows) - ABBREVIATE} more rows")
            break
        print("  [" + ", ".join(row if full or len(row) <= ABBREVIATE else row[:ABBREVIATE] + ["…"]) + "]")
