"""Issue 20 figure: the kernel's re-check of Krawczyk boxes (certify of networks narrower than d) beside the engine.

A tanh network (p, h, 1) with h + 1 < d is fitted to d points by damped Gauss–Newton in float (every parameter),
``certify_model`` finds m* by Krawczyk's test on dℓ coordinates anywhere (engine time), and ``recheck`` redoes the
test in the kernel's own Arb arithmetic (:mod:`proofs_check.recheck.newton`; kernel time, same process, same run).

    python benchmarks/bench_recheck_krawczyk.py
"""

from __future__ import annotations

import os
import time

import numpy as np

from symland.data import Dataset
from symland.floating import jacobian
from symland.models import from_arrays
from symland.network import mlp

from proofs_check.certify_model import certify_model
from proofs_check.recheck import recheck

CASES = [(2, 6, 15), (3, 8, 30), (4, 12, 50)]


def fitted(p: int, h: int, d: int, seed: int):
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(d, p)) * 8) / 8
    data = Dataset.from_rows(X.tolist(), [[v] for v in (np.round(np.sin(X.sum(axis=1)) * 8) / 8).tolist()])
    net = mlp((p, h, 1), "tanh")
    x = rng.normal(size=net.n)
    for _ in range(400):
        H, J = jacobian(net, data, x)
        x = x - 0.5 * J.T @ np.linalg.solve(J @ J.T + 1e-12 * np.eye(len(H)), H)
    W1, b1 = x[:h * p].reshape(h, p), x[h * p:h * p + h]
    W2, b2 = x[h * p + h:h * p + 2 * h].reshape(1, h), x[-1:]
    return from_arrays([(W1, -b1), (W2, -b2)], "tanh"), data


def main():
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  {'widths':>12} {'d':>4} {'n':>5} | {'engine s':>8} | {'kernel s (thm-2.1, prop-2.3)':>28} | statuses")
    for i, (p, h, d) in enumerate(CASES):
        model, data = fitted(p, h, d, seed=i + 3)
        t = time.perf_counter()
        rep = certify_model(model, data)
        engine = time.perf_counter() - t
        if "Krawczyk" not in (rep.nearest.method or ""):
            print(f"  {str((p, h, 1)):>12} {d:>4} | no Krawczyk box: {rep.nearest.reason[:80]}")
            continue
        times, statuses = [], []
        for c in rep.certificates:
            t = time.perf_counter()
            statuses.append(recheck(c).status)
            times.append(time.perf_counter() - t)
        n = h * (p + 1) + h + 1
        print(f"  {str((p, h, 1)):>12} {d:>4} {n:>5} | {engine:8.2f} | {times[0]:13.2f} {times[1]:14.2f} | {statuses}",
              flush=True)


if __name__ == "__main__":
    main()
