"""Issue 23 figures: ``symland verify --tier exact`` at a user's own point of M beside a plain mod-p script.

The point (:mod:`given_point`: the construction's hidden weights perturbed, the output layer re-solved exactly,
units rescaled by the symmetry of rectpow3) is built once per d into a folder; then, in the same run and on the
same files, each as a fresh process under ``/usr/bin/time``:

* ``symland verify --tier exact --claim thm-2.1 --claim prop-2.3 --point FILE`` (the whole command: start-up,
  reading, the size guard, the analysis, both certificates, the table);
* the plain baseline :mod:`plain_modp` (flint + numpy only, about 150 lines; rank only, no witness);

and prints wall and CPU seconds (user + sys), peak RSS and the ratio symland / plain (target at d = 300: CPU
ratio ≤ 1.5; d = 1000 under 60 s). ``--memory`` adds the J_H mod p step alone in a fresh process: the dense
d × n array (all columns, as before issue 23) against the live columns only, peak RSS by ``ru_maxrss``.

    python benchmarks/bench_given.py                      # d = 300, two repeats
    python benchmarks/bench_given.py --d 300 1000 --repeat 1 --memory
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def timed(cmd, timeout=1800):
    """(wall s, cpu s, peak MiB, stdout) of one process under /usr/bin/time."""
    full = ["/usr/bin/time", "-f", "%e %U %S %M", *cmd]
    try:
        proc = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return float("nan"), float("nan"), float("nan"), f"timeout {timeout} s"
    wall, user, sys_, kb = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(sys_), int(kb) / 1024, proc.stdout


def point_files(d: int, root: str):
    folder = os.path.join(root, f"given{d}")
    data, point = os.path.join(folder, "data.csv"), os.path.join(folder, "point.json")
    if not (os.path.exists(data) and os.path.exists(point)):
        from given_point import write

        t = time.process_time()
        write(d, folder)
        print(f"  built the given point for d = {d} in {time.process_time() - t:.1f} s CPU ({folder})")
    return data, point, (20, d, d, 1)


def symland_cmd(data, point, widths):
    return [sys.executable, "-m", "proofs_check.cli", "verify", "--data", data, "--widths",
            ",".join(map(str, widths)), "--activation", "rectpow3", "--tier", "exact", "--claim", "thm-2.1",
            "--claim", "prop-2.3", "--point", point, "--quiet", "--timeout", "1800"]


def plain_cmd(data, point, widths):
    return [sys.executable, os.path.join(HERE, "plain_modp.py"), "--data", data, "--widths",
            ",".join(map(str, widths)), "--point", point]


MEMORY = """
import json, resource, sys
sys.path.insert(0, {here!r})
from plain_modp import read_data
from symland import Problem, mlp
from symland.io.data import load_dataset
from symland.networks.modp import jacobian_mod_p, live_jacobian_mod_p
from symland.networks.passes import _Passes
from symland.tiers import RationalKind
d = {d}
prob = Problem(mlp((20, d, d, 1), "rectpow3"), load_dataset({data!r}))
pt = prob.parse_point(prob.network.vector(json.load(open({point!r}))))
passes = _Passes(prob.network, prob.data, RationalKind(), pt, second=False, first=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
J = {fn}(passes, 1068840287)
J = J[0] if isinstance(J, tuple) else J
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before / 1024, after / 1024, J.shape[1], J.nbytes / 2**20)
"""


def memory(d, data, point):
    for label, fn in (("dense, all n columns (before)", "jacobian_mod_p"), ("live columns (after)",
                                                                              "live_jacobian_mod_p")):
        code = MEMORY.format(here=HERE, d=d, data=data, point=point, fn=fn)
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=os.path.dirname(HERE)))
        if proc.returncode:
            print(f"  J_H mod p, {label}: failed: {proc.stderr.strip().splitlines()[-1][:160]}")
            continue
        before, after, cols, mib = (float(v) for v in proc.stdout.split())
        print(f"  J_H mod p, {label}: {int(cols):,} columns, the array {mib:,.0f} MiB; peak RSS {after:,.0f} MiB "
              f"(after the passes: {before:,.0f} MiB)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, nargs="+", default=[300])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--root", default="/tmp/symland_bench_given")
    ap.add_argument("--memory", action="store_true")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for d in args.d:
        data, point, widths = point_files(d, args.root)
        n = sum(r * c + r for c, r in zip(widths, widths[1:]))
        print(f"\nd = {d}, widths {list(widths)}, n = {n:,}, point file {os.path.getsize(point) / 2**20:.1f} MiB")
        for rep in range(args.repeat):
            ws, cs, ms, out = timed(symland_cmd(data, point, widths))
            wp, cp, mp, outp = timed(plain_cmd(data, point, widths))
            verdicts = out.strip().splitlines()[-1][:60] if out.strip() else "no output"
            print(f"  run {rep + 1}: symland {ws:6.1f} s wall, {cs:6.1f} s CPU, {ms:6.0f} MiB [{verdicts}] | plain "
                  f"{wp:6.1f} s wall, {cp:6.1f} s CPU, {mp:6.0f} MiB [{outp.strip()}] | ratio CPU {cs / cp:.2f}, "
                  f"wall {ws / wp:.2f}")
        if args.memory:
            memory(d, data, point)


if __name__ == "__main__":
    main()
