"""Issue 15: how large a network ``thm-2.1-global`` decides within 60 s (msolve; ``pip install '.[global]'``).

For σ = t² (``square``) and σ = t³ (``poly:0,0,0,1``), one hidden layer (2, h, 1) and two (2, h, h, 1), with biases,
on d points in the plane (no six on a conic, so that for d ≤ 6 a quadratic f can fit them and M is not empty for
trivial reasons) with labels y = (1, 3, 2, 5, 4, 7)[:d]: h grows (1, 2, 3, 4, 6, 8, 12, …) until the claim no
longer finishes within the deadline (verdict ``inconclusive`` by the deadline) or n exceeds --max-n. Each row: n, d, the
largest chart (unknowns, equations,
degree), the verdict, the wall time of the claim and of the charts (msolve with its input and output, summed).

    python benchmarks/bench_global.py                 # d = 2, 4, 6, deadline 60 s
    python benchmarks/bench_global.py --deadline 20 --d 2
"""

from __future__ import annotations

import argparse
import time

from symland.algebra.msolve import find_msolve
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Context, Instance

LABELS = [1, 3, 2, 5, 4, 7, 6, 9]
POINTS = [[1, 0], [0, 1], [1, 1], [2, 1], [1, 3], [3, -1], [-2, 1], [2, 5]]
HS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256]
SIGMAS = {"t^2": "square", "t^3": "poly:0,0,0,1"}


def one(sigma: str, widths: tuple, d: int, deadline: float):
    data = Dataset.from_rows(POINTS[:d], LABELS[:d])
    inst = Instance("bench", data, sigma, widths=widths)
    t0 = time.perf_counter()
    (c,) = run([inst], ["thm-2.1-global"], ctx=Context(time_budget=deadline))
    wall = time.perf_counter() - t0
    charts = c.witness.get("charts", [])
    big = max(charts, key=lambda ch: ch["size"]["variables"]) if charts else None
    size = f"{big['size']['variables']}×{big['size']['equations']}, deg {big['size']['max_degree']}" if big else "-"
    msolve_s = sum(ch["seconds"] for ch in charts)
    timed_out = c.verdict == "inconclusive" and "deadline" in c.evidence
    return c, wall, size, msolve_s, timed_out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deadline", type=float, default=60.0)
    ap.add_argument("--d", type=int, action="append", help="numbers of data points (default 2, 4, 6)")
    ap.add_argument("--max-n", type=int, default=1100)
    args = ap.parse_args(argv)
    if find_msolve() is None:
        print("msolve is not installed: pip install '.[global]'")
        return 2
    print("| σ | layers | widths | n | d | largest chart (unknowns×equations, degree) | verdict | seconds | charts s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for sname, sigma in SIGMAS.items():
        for layers in (1, 2):
            for d in args.d or [2, 4, 6]:
                for h in HS:
                    widths = (2, h, 1) if layers == 1 else (2, h, h, 1)
                    n = 4 * h + 1 if layers == 1 else h * h + 5 * h + 1
                    if n <= d:
                        continue
                    if n > args.max_n:
                        break
                    c, wall, size, ms, timed_out = one(sigma, widths, d, args.deadline)
                    verdict = "timeout" if timed_out else c.verdict
                    print(f"| {sname} | {layers} | {list(widths)} | {n} | {d} | {size} | {verdict} | {wall:.2f} | "
                          f"{ms:.2f} |", flush=True)
                    if timed_out:
                        break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
