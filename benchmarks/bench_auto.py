"""Issue 10: calibrate the cost model of ``--tier auto`` and measure auto against the fastest tier.

Every run is a fresh ``symland verify --json --quiet`` subprocess on a data file with fractional values
(p = 2, values like −41/13, the kind of data that makes Q[e^Q] blow up), so each time is what a user
waits for, and a hard ``--timeout`` plus a subprocess timeout bound every case.

A. Calibration: prop-2.3 (the heaviest claim: J_H and, for n ≤ 150, the full Hessian) per tier:
   symbolic and ball and float on smooLU, exact on rectpow3, ball on a deeper smooLU net (2, 4, d, 1).
   Prints seconds of the claim (``cert.seconds``) with the model's prediction beside it
   (:func:`proofs_check.auto.predict`, prop-2.3), so the constants in ``symland/tiers/cost.py`` can be checked
   (the per-claim calibration is ``bench_plan.py``).
B. auto vs the best tier: smooLU, d = 8, 12, 40, prop-2.3. For each tier its time and verdict; the
   fastest tier whose verdict is at least as strong as auto's (proved > certified > numerical); the
   ratio auto / that time (target ≤ 2).
C. tanh and softplus: what auto chooses (ball, never tier none) and the verdict it reaches.

    python benchmarks/bench_auto.py            # everything (~5 minutes on 2 loaded cores)
    python benchmarks/bench_auto.py --quick    # B and C only, symbolic capped at 60 s
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

STRENGTH = {"proved": 3, "certified": 2, "numerical": 1}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_data(d: int, folder: str, seed: int = 0) -> str:
    """d distinct points in 2-D with fractional coordinates and targets, as CSV."""
    rng = random.Random(1000 + d + seed)
    seen, rows = set(), []
    while len(rows) < d:
        x = tuple(Fraction(rng.randint(-99, 99), rng.choice((3, 7, 10, 13))) for _ in range(2))
        if x not in seen:
            seen.add(x)
            rows.append((x, Fraction(rng.randint(-50, 50), rng.choice((3, 7, 10)))))
    path = os.path.join(folder, f"frac{d}.csv")
    with open(path, "w") as fh:
        fh.write("x1,x2,y\n" + "".join(f"{a},{b},{y}\n" for (a, b), y in rows))
    return path


def run(path, sigma, tier, *, repeat=1, **kw) -> dict:
    """The fastest of `repeat` CLI runs (the machine is shared: the minimum is the least disturbed)."""
    runs = [_run_once(path, sigma, tier, **kw) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"])


def _run_once(path, sigma, tier, *, claim="prop-2.3", widths=None, timeout=120.0, budget=None) -> dict:
    """One CLI run: verdict, tier, claim seconds, wall seconds, the auto note."""
    cmd = [sys.executable, "-m", "proofs_check.cli", "verify", "--data", path, "--activation", sigma,
           "--claim", claim, "--tier", tier, "--json", "--quiet", "--timeout", str(timeout)]
    if widths:
        cmd += ["--widths", widths]
    if budget is not None:
        cmd += ["--time-budget", str(budget)]
    env = dict(os.environ, PYTHONPATH=ROOT)
    t = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 60, env=env)
    except subprocess.TimeoutExpired:
        return {"verdict": "killed", "tier": tier, "seconds": timeout, "wall": time.perf_counter() - t, "note": ""}
    wall = time.perf_counter() - t
    try:
        cert = json.loads(out.stdout)[0]
    except (ValueError, IndexError):
        return {"verdict": "error", "tier": tier, "seconds": wall, "wall": wall, "note": out.stderr.strip()[-200:]}
    note = next((x for x in cert.get("details", []) if x.startswith("tier auto")), "")
    if cert["evidence"].startswith(("stopped: the --timeout", "not started: the --timeout")):
        return {"verdict": f">{timeout:g}s", "tier": cert["tier"], "seconds": float("inf"), "wall": wall,
                "note": note, "evidence": cert["evidence"]}
    return {"verdict": cert["verdict"], "tier": cert["tier"], "seconds": cert["seconds"], "wall": wall,
            "note": note, "evidence": cert["evidence"]}


def predicted(path, sigma, tier, widths=None):
    sys.path.insert(0, ROOT)
    from symland.activations import get_activation
    from symland.data import load_dataset

    from proofs_check.auto import predict
    from proofs_check.instance import Instance

    data = load_dataset(path)
    w = tuple(int(v) for v in widths.split(",")) if widths else None
    return predict(Instance("x", data, get_activation(sigma), widths=w), tier)


def calibration(folder, quick):
    print("A. calibration: prop-2.3, fractional data, p = 2 (seconds of the claim; model prediction)")
    print(f"{'σ':9} {'widths':10} {'d':>3} {'tier':9} {'verdict':13} {'seconds':>8} {'model':>8}")
    cases = [("smoolu", "symbolic", d, None) for d in (3, 4, 5, 6, 7, 8)]
    cases += [("smoolu", "ball", d, None) for d in (4, 8, 12, 20, 40, 80)]
    cases += [("smoolu", "float", d, None) for d in (4, 12, 40, 80)]
    cases += [("rectpow3", "exact", d, None) for d in (4, 8, 12, 20, 40, 80)]
    cases += [("smoolu", "ball", d, f"2,4,{d},1") for d in (4, 8, 12, 20)]
    for sigma, tier, d, widths in cases:
        path = write_data(d, folder)
        r = run(path, sigma, tier, widths=widths, timeout=150)
        est = predicted(path, sigma, tier, widths)
        print(f"{sigma:9} {widths or f'2,{d},1':10} {d:3} {tier:9} {r['verdict']:13} {r['seconds']:8.2f} "
              f"{est:8.2f}", flush=True)


def auto_vs_best(folder, quick, sizes=(8, 12, 40)):
    print("\nB. auto vs the fastest tier of the same verdict strength: smooLU, prop-2.3, p = 2")
    print(f"{'d':>3}  {'auto (tier, s)':22} {'exact':16} {'symbolic':18} {'ball':16} {'float':16} "
          f"{'best ≥ auto':16} ratio")
    for d in sizes:
        path = write_data(d, folder)
        rows = {}
        for tier in ("exact", "symbolic", "ball", "float"):
            cap = 60 if (quick or d > 8) and tier == "symbolic" else 150
            rows[tier] = run(path, "smoolu", tier, timeout=cap, repeat=1 if tier == "symbolic" else 3)
        auto = run(path, "smoolu", "auto", repeat=3)
        want = STRENGTH.get(auto["verdict"], 0)
        ok = [(r["seconds"], t) for t, r in rows.items() if STRENGTH.get(r["verdict"], 0) >= want]
        best = min(ok) if ok else (float("nan"), "-")

        def cell(r):
            return r["verdict"] if r["verdict"].startswith(">") else f"{r['verdict'][:9]} {r['seconds']:.2f}s"
        ratio = auto["seconds"] / best[0] if best[0] else float("nan")
        print(f"{d:3}  {auto['tier'] + ' ' + auto['verdict'][:9] + ' ' + format(auto['seconds'], '.2f') + 's':22} "
              f"{cell(rows['exact']):16} {cell(rows['symbolic']):18} {cell(rows['ball']):16} "
              f"{cell(rows['float']):16} {best[1] + ' ' + format(best[0], '.2f') + 's':16} {ratio:.2f}",
              flush=True)
        print(f"     wall clock (process start to exit): auto {auto['wall']:.2f}s, "
              + ", ".join(f"{t} {r['wall']:.2f}s" for t, r in rows.items()))
        print(f"     auto: {auto['note']}")


def transcendental(folder):
    print("\nC. σ outside Q[e^Q]: what auto chooses (thm-2.1 at the constructed point)")
    path = write_data(6, folder)
    for sigma in ("tanh", "softplus"):
        r = run(path, sigma, "auto", claim="thm-2.1")
        print(f"{sigma:9} tier {r['tier']:6} {r['verdict']:13} {r['seconds']:.2f}s  {r['evidence'][:110]}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=("A", "B", "C"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "A"):
            calibration(folder, args.quick)
        if args.only in (None, "B"):
            auto_vs_best(folder, args.quick)
        if args.only in (None, "C"):
            transcendental(folder)


if __name__ == "__main__":
    main()
