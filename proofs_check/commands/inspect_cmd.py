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
    """``symland inspect`` on one instance (its ``point`` set): print the landscape there; exit status 0."""
    # the engine is loaded here, not with the module: the command line's parser reads add_options (start-up time)
    from symland.networks.problem import Problem
    from symland.point.landscape import landscape_at
    from symland.views.spectrum import float64_warnings

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
    if args.spectrum and "spectrum" not in obj:  # n beyond the n × n Hess L: the part J_H gives (or why not)
        obj.update(large_spectrum(inst, prob, rep.on_M))
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
    if args.spectrum and obj.get("spectrum") is None:
        print(f"spectrum of Hess L: {obj['spectrum_part']}")
    elif args.spectrum:
        lam = obj["spectrum"]
        shown = lam if args.matrices or len(lam) <= 2 * ABBREVIATE else lam[:ABBREVIATE] + ["…"] + lam[-ABBREVIATE:]
        print(f"spectrum of Hess L (float64, |λ| ≤ {obj['spectrum_tolerance']:.2e} is indistinguishable from 0):")
        if "spectrum_part" in obj:
            print(f"  ({obj['spectrum_part']})")
        print("  " + ", ".join(v if isinstance(v, str) else f"{v:.6g}" for v in shown))
        if isinstance(obj.get("inertia"), list) and rep.inertia_witness.get("strength") in ("proved", "certified"):
            for line in float64_warnings(lam, obj["spectrum_tolerance"], obj["inertia"]):
                print(f"warning: {line}")  # the float64 picture against the decided inertia
    return 0


def large_spectrum(inst, prob, on_M) -> dict:
    """The spectrum when n is beyond the n × n Hess L the analysis builds: from the dℓ × dℓ Gram matrix J_H J_Hᵀ.

    2J_HᵀJ_H and 2J_H J_Hᵀ have the same nonzero eigenvalues; the other n − dℓ eigenvalues of 2J_HᵀJ_H are 0. On M
    (H(m) = 0, decided by the tier) Hess L = 2J_HᵀJ_H, so this is the whole spectrum; off M it is the Gauss–Newton
    part only (the residual term 2Σ f_i Hess f_i is not built) and ``spectrum_part`` says so. float64 at the float
    image of the point. Returns {spectrum, spectrum_tolerance, spectrum_part} (spectrum None with the reason).
    """
    import numpy as np

    from symland.networks.floating import jacobian
    from symland.networks.network import MLP
    from symland.point import landscape

    n, m = prob.n, prob.data.d * prob.data.l
    beyond = f"n = {n} > {landscape.HESSIAN_LIMIT}: the n × n Hess L is not built"
    if not isinstance(prob.network, MLP):
        return {"spectrum": None, "spectrum_part": f"not computed: {beyond}, and the dℓ × dℓ Gram matrix J_H J_Hᵀ is "
                "computed in float64 for layered networks only"}
    from flint import fmpq

    try:
        x = np.array([int(v.p) / int(v.q) if isinstance(v, fmpq) else float(v)
                      for v in prob.parse_point(dict(inst.point))], dtype=float)
    except (TypeError, ValueError, OverflowError):
        return {"spectrum": None, "spectrum_part": f"not computed: {beyond}, and the point has no float64 image"}
    with np.errstate(all="ignore"):
        _, J = jacobian(prob.network, prob.data, x)
        if not np.all(np.isfinite(J)):
            return {"spectrum": None, "spectrum_part": f"not computed: {beyond}, and J_H is beyond float64's range"}
        gram = J @ J.T  # the dℓ × dℓ Gram matrix (2·J would be one more n-wide copy of J)
        del J
        top = np.clip(np.linalg.eigvalsh(2 * gram), 0, None)
    lam = np.sort(np.concatenate([np.zeros(max(n - m, 0)), top]))[-n:]
    tol = n * np.finfo(float).eps * float(np.max(np.abs(lam)) if lam.size else 1.0)
    if on_M:
        part = (f"{beyond}; on M, Hess L = 2J_HᵀJ_H: its {min(m, n)} largest eigenvalues are those of the "
                f"{m} × {m} Gram matrix 2J_H J_Hᵀ, the other {max(n - m, 0)} are 0")
    else:
        part = (f"{beyond}; {'off M' if on_M is False else 'M not decided'}: the Gauss–Newton part 2J_HᵀJ_H only "
                f"(the eigenvalues of the {m} × {m} Gram matrix 2J_H J_Hᵀ and {max(n - m, 0)} zeros), the residual "
                "term 2Σ f_i Hess f_i not computed")
    return {"spectrum": [float(v) for v in lam], "spectrum_tolerance": tol, "spectrum_part": part}


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
