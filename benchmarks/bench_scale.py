"""Issue 13 figures: exact proofs at a million parameters, a given point, the size guard, the scaling table.

Every case is a fresh ``symland verify`` process (``--tier exact --claim thm-2.1 --claim prop-2.3``, rectpow3,
data from ``bench_tiers._data``) under ``/usr/bin/time``, so time is wall clock of the whole command and memory
its peak RSS. Beside each measurement: the target, the size guard's prediction (``symland.budget.estimate_for``)
and the ratio measured / predicted (target: within 2×). Baselines are measured in the same run.

    python benchmarks/bench_scale.py                 # the table up to d = 1000, the given point, baselines
    python benchmarks/bench_scale.py --max-d 300     # a shorter table
    python benchmarks/bench_scale.py --no-baseline   # skip the slow general-route baselines
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from bench_tiers import _data

ROWS = [(10, 5), (30, 10), (100, 20), (200, 20), (300, 20), (500, 20), (700, 20), (1000, 20), (2000, 20),
        (3000, 20), (4000, 20), (5000, 20)]


def _write(tmp, d, p):
    path = os.path.join(tmp, f"d{d}.csv")
    data = _data(d, p)
    with open(path, "w") as f:
        f.write(",".join([f"x{j + 1}" for j in range(p)] + ["y"]) + "\n")
        f.writelines(",".join(str(v) for v in list(x) + [y[0]]) + "\n" for x, y in zip(data.X, data.Y))
    return path, data


def _point(tmp, d, widths, data):
    from symland.activations import get_activation
    from symland.atscale import construct
    from symland.network import mlp

    sp = construct(data, widths, get_activation("rectpow3"))
    path = os.path.join(tmp, f"p{d}.json")
    json.dump({k: str(v) for k, v in zip(mlp(widths, "rectpow3").param_names(), sp.flat())}, open(path, "w"))
    return path


def verify(data_path, widths, point=None, extra=(), env=None, timeout=900):
    """(CPU seconds, peak MiB, certificates or error text, wall seconds) of one symland verify process (niced: the
    machine is shared; CPU time = user + system, what the size guard predicts)."""
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", "nice", sys.executable, "-m", "proofs_check.cli", "verify",
           "--data", data_path,
           "--widths", ",".join(map(str, widths)), "--activation", "rectpow3", "--tier", "exact",
           "--claim", "thm-2.1", "--claim", "prop-2.3", "--quiet", "--json", *extra]
    if point:
        cmd += ["--point", point]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return timeout, float("nan"), f"timeout {timeout} s", timeout
    wall, user, sys_, kb = proc.stderr.strip().splitlines()[-1].split()
    out = json.loads(proc.stdout) if proc.returncode in (0, 1) and proc.stdout.strip() else proc.stderr.strip()[:200]
    return float(user) + float(sys_), int(kb) / 1024, out, float(wall)


def estimate(widths, data, point=None):
    from symland.activations import get_activation
    from symland.budget import estimate_for
    from symland.network import mlp

    pt = json.load(open(point)) if point else None
    return estimate_for(mlp(widths, get_activation("rectpow3")), data, point=pt)


def _verdicts(out):
    return [c["verdict"] for c in out] if isinstance(out, list) else out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-d", type=int, default=5000)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    tmp = tempfile.mkdtemp(prefix="bench_scale_")
    table = []
    print("\nScaling: symland verify --tier exact, thm-2.1 + prop-2.3 at the constructed point (rectpow3)")
    print(f"  {'widths':>18} {'d':>5} {'n':>10} | {'CPU s':>8} {'pred':>7} {'ratio':>5} {'wall s':>7} | {'MiB':>6} "
          f"{'pred':>6} {'ratio':>5} | route, verdicts")
    for d, p in ROWS:
        if d > args.max_d:
            continue
        widths = (p, d, d, 1)
        path, data = _write(tmp, d, p)
        est = estimate(widths, data)
        secs, mib, out, wall = verify(path, widths)
        table.append((d, secs, mib))
        print(f"  {list(widths)!s:>18} {d:>5} {est.n:>10,} | "
              f"{secs:8.2f} {est.seconds:7.1f} {secs / est.seconds:5.2f} {wall:7.1f} | "
              f"{mib:6.0f} {est.memory / 2**20:6.0f} {mib / (est.memory / 2**20):5.2f} | {est.route}, {_verdicts(out)}",
              flush=True)
        if d == 1000 and isinstance(out, list):
            cert = os.path.join(tmp, "d1000.json")
            json.dump(out, open(cert, "w"))
            rc = subprocess.run([sys.executable, "-m", "proofs_check.cli", "recheck", cert, "--strict", "--json"],
                                capture_output=True, text=True, timeout=600)
            status = [r.get("status") for r in json.loads(rc.stdout)] if rc.stdout.strip() else rc.stderr[:200]
            print(f"  d = 1000 in {secs:.1f} s CPU, {mib / 1024:.2f} GiB; "
                  f"symland recheck --strict of its certificates: {status} (exit {rc.returncode})")
        if d == 5000:
            print(f"  target 1: d = 5000 in {secs:.1f} s CPU ({wall:.1f} s wall) (< 120 s), {mib / 1024:.2f} GiB "
                  "(< 8 GiB)")
    for lo in (200, 1000):
        big = [(d, s, m) for d, s, m in table if d >= lo]
        if len(big) >= 2:

            def fit(i, big=big):
                return (math.log(big[-1][i]) - math.log(big[0][i])) / (math.log(big[-1][0]) - math.log(big[0][0]))

            print(f"  fitted exponent, d = {big[0][0]} … {big[-1][0]}: CPU time ∝ d^{fit(1):.2f}, "
                  f"memory ∝ d^{fit(2):.2f}")
    if len(table) >= 2 and table[-1][0] >= 1000:  # above the start-up (the smallest row: interpreter, imports)
        d0, s0, m0 = table[0]
        lo = next(r for r in table if r[0] >= 1000)
        hi = table[-1]
        ex = [math.log((hi[i] - (s0, m0)[i - 1]) / (lo[i] - (s0, m0)[i - 1])) / math.log(hi[0] / lo[0]) for i in (1, 2)]
        print(f"  above the start-up (the d = {d0} row), d = {lo[0]} … {hi[0]}: CPU time ∝ d^{ex[0]:.2f}, "
              f"memory ∝ d^{ex[1]:.2f}")
    ratios = [(s / estimate((20, d, d, 1), _data(d, 20)).seconds) for d, s, _ in table if d >= 100]
    if ratios:
        print(f"  size guard, d ≥ 100: CPU measured / predicted {min(ratios):.2f}–{max(ratios):.2f}")

    print("\nTarget 2: a given rational point (the constructed point written to a file: nothing hints the minor)")
    d = min(300, args.max_d)
    widths = (20, d, d, 1)
    path, data = _write(tmp, d, 20)
    pt = _point(tmp, d, widths, data)
    est = estimate(widths, data, pt)
    secs, mib, out, _ = verify(path, widths, point=pt)
    print(f"  d = {d}, n = {est.n:,}: {secs:.2f} s (target < 30 s), {mib:.0f} MiB; predicted {est.seconds:.1f} s, "
          f"{est.memory / 2**20:.0f} MiB ({est.route}); {_verdicts(out)}")
    if not args.no_baseline:
        code = ("import sys, runpy; import symland.point.at_scale as S; S.SCALE_ENTRIES = 10**18; "
                "sys.argv = ['symland'] + sys.argv[1:]; runpy.run_module('proofs_check.cli', run_name='__main__')")
        for dd, label, point in ((d, "given point", pt), (200, "constructed point", None)):
            w = (20, dd, dd, 1)
            pth, dat = _write(tmp, dd, 20)
            cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-c", code, "verify", "--data", pth, "--widths",
                   ",".join(map(str, w)), "--activation", "rectpow3", "--tier", "exact", "--claim", "thm-2.1",
                   "--claim", "prop-2.3", "--quiet", "--json"] + (["--point", point] if point else [])
            t = time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
                secs_b, kb = proc.stderr.strip().splitlines()[-1].split()
                v = _verdicts(json.loads(proc.stdout)) if proc.stdout.strip() else proc.stderr[-200:]
                print(f"  baseline, the general route (dense exact J_H) on the {label}, d = {dd}: "
                      f"{float(secs_b):.1f} s, "
                      f"{int(kb) / 1024:.0f} MiB; {v}")
            except (subprocess.TimeoutExpired, ValueError, IndexError):
                print(f"  baseline, general route on the {label}, d = {dd}: > {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
