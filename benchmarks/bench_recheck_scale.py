"""Issue 20 figure: the kernel's re-check of the at-scale exact proofs beside the engine's own time, same run.

For each d: ``symland verify --tier exact --claim thm-2.1 --claim prop-2.3`` at the constructed point (rectpow3,
widths (p, d, d, 1), data from ``bench_tiers._data``), then ``symland recheck FILE --strict`` on its certificates
— each a fresh process, wall clock of the whole command under ``/usr/bin/time`` (peak RSS beside). Above
n·d = 2·10⁶ the witness omits the point and carries its generator (a, gap): the kernel re-derives the triangular
output-weight minor and H(m) = 0 from it (:mod:`proofs_check.recheck.scale`). Target: d = 1000 (n ≈ 1.02·10⁶)
re-checked within 120 s, exit 0 under --strict. At d = 300 also a *given* point (the constructed one written to
a file: the route of ``J_H mod p``), listed in the witness and re-checked by :mod:`proofs_check.recheck.given`.

    python benchmarks/bench_recheck_scale.py             # d = 100, 300, 1000
    python benchmarks/bench_recheck_scale.py --d 1000    # one size
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))

from bench_scale import _point, _write

P = 20


def _timed(cmd, timeout=1800):
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True, timeout=timeout)
    secs, kb = proc.stderr.strip().splitlines()[-1].split()
    return float(secs), int(kb) / 1024, proc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, action="append", help="sizes (default 100, 300, 1000)")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    tmp = tempfile.mkdtemp(prefix="bench_recheck_scale_")
    print(f"  {'widths':>18} {'n':>10} | {'engine s':>8} {'MiB':>6} | {'recheck s':>9} {'MiB':>6} | witness, "
          "verdicts, re-check statuses, --strict exit")
    for d in args.d or [100, 300, 1000]:
        widths = (P, d, d, 1)
        n = sum(widths[k] * widths[k - 1] + widths[k] for k in range(1, len(widths)))
        path, _ = _write(tmp, d, P)  # _: the data
        secs, mib, proc = _timed([sys.executable, "-m", "proofs_check.cli", "verify", "--data", path, "--widths",
                                  ",".join(map(str, widths)), "--activation", "rectpow3", "--tier", "exact",
                                  "--claim", "thm-2.1", "--claim", "prop-2.3", "--quiet", "--json"])
        if not proc.stdout.strip():
            print(f"  {list(widths)!s:>18} {n:>10,} | engine failed: {proc.stderr[-200:]}")
            continue
        certs = json.loads(proc.stdout)
        cert_path = os.path.join(tmp, f"d{d}.json")
        with open(cert_path, "w") as f:
            json.dump(certs, f)
        kind = "generator" if all("generator" in c["witness"] for c in certs) else "point"
        rsecs, rmib, rproc = _timed([sys.executable, "-m", "proofs_check.cli", "recheck", cert_path, "--strict",
                                     "--json"])
        statuses = [r.get("status") for r in json.loads(rproc.stdout)] if rproc.stdout.strip() else rproc.stderr[:200]
        print(f"  {list(widths)!s:>18} {n:>10,} | {secs:8.2f} {mib:6.0f} | {rsecs:9.2f} {rmib:6.0f} | {kind}, "
              f"{[c['verdict'] for c in certs]}, {statuses}, exit {rproc.returncode}", flush=True)
        if d == 300:  # the same network at a *given* point (the constructed one, written to a file)
            pt = _point(tmp, d, widths, _)
            secs, mib, proc = _timed([sys.executable, "-m", "proofs_check.cli", "verify", "--data", path, "--widths",
                                      ",".join(map(str, widths)), "--activation", "rectpow3", "--tier", "exact",
                                      "--claim", "thm-2.1", "--claim", "prop-2.3", "--quiet", "--json", "--point", pt])
            gpath = os.path.join(tmp, f"g{d}.json")
            with open(gpath, "w") as f:
                f.write(proc.stdout)
            rsecs, rmib, rproc = _timed([sys.executable, "-m", "proofs_check.cli", "recheck", gpath, "--strict",
                                         "--json"])
            statuses = [r.get("status") for r in json.loads(rproc.stdout)] if rproc.stdout.strip() else rproc.stderr
            print(f"  {'given point':>18} {n:>10,} | {secs:8.2f} {mib:6.0f} | {rsecs:9.2f} {rmib:6.0f} | point listed "
                  f"({os.path.getsize(gpath) // 2**20} MiB), {statuses}, exit {rproc.returncode}", flush=True)
        if d == 1000:
            ok = rproc.returncode == 0 and rsecs < 120
            print(f"  target: d = 1000 re-checked --strict in {rsecs:.1f} s (< 120 s), exit {rproc.returncode}: "
                  f"{'met' if ok else 'NOT met'}; the engine took {secs:.1f} s")


if __name__ == "__main__":
    main()
