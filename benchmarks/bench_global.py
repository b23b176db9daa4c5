"""Issues 15, 22, 23: how large a network ``thm-2.1-global`` decides within 60 s, and the engine's overhead beside
msolve's own time (msolve; ``pip install '.[global]'``).

For σ = t² (``square``) and σ = t³ (``poly:0,0,0,1``), one hidden layer (2, h, 1) and two (2, h, h, 1), with biases,
on d points in the plane (no six on a conic, so that for d ≤ 6 a quadratic f can fit them and M is not empty for
trivial reasons) with labels y = (1, 3, 2, 5, 4, 7)[:d]: h grows (1, 2, 3, 4, 6, 8, 12, …) until the claim no
longer finishes within the deadline (verdict ``timeout``) or n exceeds --max-n. ``--deep`` runs the deep rows of
issue 22 instead: widths [2, 4, 4, 1] with d = 4 and [p, 16, 16, 1] with d = 2 (p = 2, 3), σ = t².

Each row: n, d, the largest chart (unknowns, equations, degree), the verdict, the claim's wall time, msolve's own
time (its processes, start to exit: :func:`symland.algebra.msolve.engine_seconds`), the engine's overhead (wall −
msolve) and overhead / msolve (target ≤ 1.5). With ``--before`` each row is also run by the previous engine, kept
here as :func:`before` (H and the charts expanded in sympy ``PolyElement`` s, msolve's input printed from them, no
linear eliminations), on the path where every chart is empty over ℂ (the rows' path), same deadline.

    python benchmarks/bench_global.py --deep --before      # the deep rows, before and after
    python benchmarks/bench_global.py --d 2 --d 4           # the growth table, deadline 60 s
"""

from __future__ import annotations

import argparse
import time

from symland.algebra import msolve
from symland.algebra.msolve import find_msolve
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Context, Instance

LABELS = [1, 3, 2, 5, 4, 7, 6, 9]
POINTS = [[1, 0], [0, 1], [1, 1], [2, 1], [1, 3], [3, -1], [-2, 1], [2, 5]]
THIRD = [2, -1, 0, 1, 3, -2, 1, 4]  # a third coordinate for inputs in ℝ³
HS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256]
SIGMAS = {"t^2": "square", "t^3": "poly:0,0,0,1"}
DEEP = [("t^2", (2, 4, 4, 1), 4), ("t^2", (2, 16, 16, 1), 2), ("t^2", (3, 16, 16, 1), 2)]


def _data(widths, d):
    X = POINTS[:d] if widths[0] == 2 else [p + [t] for p, t in zip(POINTS[:d], THIRD)]
    return Dataset.from_rows(X, LABELS[:d])


def one(sigma: str, widths: tuple, d: int, deadline: float):
    """(certificate, wall s, largest chart, msolve s, timed out) of thm-2.1-global on one row."""
    inst = Instance("bench", _data(widths, d), sigma, widths=widths)
    s0 = msolve.engine_seconds()[0]
    t0 = time.perf_counter()
    (c,) = run([inst], ["thm-2.1-global"], ctx=Context(time_budget=deadline))
    wall = time.perf_counter() - t0
    charts = c.witness.get("charts", [])
    big = max(charts, key=lambda ch: ch["size"]["variables"]) if charts else None
    size = f"{big['size']['variables']}×{big['size']['equations']}, deg {big['size']['max_degree']}" if big else "-"
    timed_out = c.verdict == "inconclusive" and "deadline" in c.evidence
    return c, wall, size, msolve.engine_seconds()[0] - s0, timed_out


def before(sigma: str, widths: tuple, d: int, deadline: float):
    """The previous engine on one row: (status, wall s, msolve s). H through the layers in sympy's ring over ℚ, the
    charts H = 0, J_Hᵀλ = 0 expanded there, each printed term by term and sent to msolve as is; ``empty`` when
    every chart has no complex solution, ``other`` when one has (the old engine then sliced: not timed here),
    ``timeout`` at the deadline."""
    from sympy import QQ
    from sympy.polys.rings import ring

    from symland.algebra.polysys import polynomial_coeffs

    t0, spent = time.perf_counter(), 0.0
    inst = Instance("bench", _data(widths, d), sigma, widths=widths)
    net, data = inst.network(), inst.data
    names, m = net.param_names(), data.d * data.l
    R, *gens = ring(",".join(names + [f"lam_{j}" for j in range(2, m + 1)]), QQ)
    syms = gens[:len(names)]
    cs = [QQ(int(c.p), int(c.q)) for c in polynomial_coeffs(inst.activation)]
    H = []
    layers = net.split(syms, zero=R(0))
    for x, y in zip(data.X, data.Y):
        a = [R(QQ(int(v.p), int(v.q))) for v in x]
        for k, (W, b) in enumerate(layers):
            z = [sum((w * v for w, v in zip(row, a)), R(0)) - bi for row, bi in zip(W, b)]
            a = z if k == len(layers) - 1 else [sum((c * v**e for e, c in enumerate(cs) if c), R(0)) for v in z]
        H += [fc - QQ(int(yc.p), int(yc.q)) for fc, yc in zip(a, y)]
    J = [[h.diff(s) for s in syms] for h in H]
    for k in range(1, m + 1):
        if time.perf_counter() - t0 >= deadline:
            return "timeout", time.perf_counter() - t0, spent
        lam_names = [f"lam_{j}" for j in range(k + 1, m + 1)]
        lam = [R(0)] * (k - 1) + [R(1)] + [gens[len(names) + j - 2] for j in range(k + 1, m + 1)]
        grad = [sum((lam[i] * J[i][j] for i in range(m) if J[i][j]), R(0)) for j in range(len(names))]
        eqs = list(H) + [g for g in grad if g != 0]
        if any(e.is_ground and e != 0 for e in eqs):
            continue  # the old engine's _sliced: a nonzero constant, no msolve call
        text, seconds = msolve._run(names + lam_names, eqs, [], deadline - (time.perf_counter() - t0))
        spent += seconds
        if text is None:
            return "timeout", time.perf_counter() - t0, spent
        if msolve._parse_solve(text, len(names + lam_names), seconds).status != "empty":
            return "other", time.perf_counter() - t0, spent
    return "empty", time.perf_counter() - t0, spent


def _row(sname, sigma, widths, d, deadline, with_before):
    c, wall, size, ms, timed_out = one(sigma, widths, d, deadline)
    verdict = "timeout" if timed_out else c.verdict
    over = wall - ms
    ratio = f"{over / ms:.2f}" if ms > 0 else "-"
    n = Instance("bench", _data(widths, d), sigma, widths=widths).network().n
    cells = [sname, str(len(widths) - 2), str(list(widths)), str(n), str(d), size, verdict, f"{wall:.2f}",
             f"{ms:.2f}", f"{over:.2f}", ratio]
    if with_before:
        status, bwall, bms = before(sigma, widths, d, deadline)
        bover = bwall - bms
        cells += [status, f"{bwall:.2f}", f"{bms:.2f}", f"{bover:.2f}", f"{bover / bms:.2f}" if bms > 0 else "-"]
    print("| " + " | ".join(cells) + " |", flush=True)
    return timed_out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deadline", type=float, default=60.0)
    ap.add_argument("--d", type=int, action="append", help="numbers of data points (default 2, 4, 6)")
    ap.add_argument("--max-n", type=int, default=1100)
    ap.add_argument("--deep", action="store_true", help="only the deep rows ([2,4,4,1] d=4, [p,16,16,1] d=2)")
    ap.add_argument("--before", action="store_true", help="also run the previous engine (sympy) on each row")
    ap.add_argument("--sigma", choices=sorted(SIGMAS), action="append", help="only these σ (default both)")
    ap.add_argument("--layers", type=int, choices=(1, 2), action="append", help="only these depths (default 1, 2)")
    ap.add_argument("--min-h", type=int, default=1, help="start the growth at this width")
    args = ap.parse_args(argv)
    if find_msolve() is None:
        print("msolve is not installed: pip install '.[global]'")
        return 2
    head = ["σ", "layers", "widths", "n", "d", "largest chart (unknowns×equations, degree)", "verdict", "seconds",
            "msolve s", "overhead s", "overhead / msolve"]
    if args.before:
        head += ["before: charts", "before s", "before msolve s", "before overhead s", "before overhead / msolve"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    if args.deep:
        for sname, widths, d in DEEP:
            _row(sname, SIGMAS[sname], widths, d, args.deadline, args.before)
        return 0
    for sname, sigma in SIGMAS.items():
        if args.sigma and sname not in args.sigma:
            continue
        for layers in args.layers or (1, 2):
            for d in args.d or [2, 4, 6]:
                for h in [h for h in HS if h >= args.min_h]:
                    widths = (2, h, 1) if layers == 1 else (2, h, h, 1)
                    n = 4 * h + 1 if layers == 1 else h * h + 5 * h + 1
                    if n <= d:
                        continue
                    if n > args.max_n:
                        break
                    if _row(sname, sigma, widths, d, args.deadline, args.before):
                        break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
