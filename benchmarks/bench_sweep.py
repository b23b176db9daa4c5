"""Issue 16: throughput of ``symland sweep`` on dask.distributed, and its overhead per task.

Two fixed families (seed 16), rectpow3, claims thm-2.1 and prop-2.3 in the exact tier (every verdict ``proved``):
``light`` — widths (2, 6, 1) or (2, 8, 1), d = 4…6 points (~0.05 s an instance); ``heavy`` — widths (3, 16, 1) or
(3, 20, 1), d = 14…16 (~1 s an instance). Three runs of the same instances:

A. one process: :func:`proofs_check._sweep_worker.run_instance` on each payload in turn (no dask);
B. a LocalCluster of 1 worker process (1 thread), the sweep through :func:`proofs_check.sweep.sweep`;
C. the same with 2 worker processes.

The workers are started and warmed (the engine imported, one instance run) before the clock starts, so B and C
time the sweep itself; the cluster's start-up is printed apart. Wall-clock rates depend on the machine's load
(printed); the overhead per task is measured in CPU time, which the load does not inflate: (CPU of the client and
scheduler process + CPU of the workers, during B) − (CPU of A), divided by the count — what dask, the payload, the
data file and the results file add to one instance.

    python benchmarks/bench_sweep.py                   # both families
    python benchmarks/bench_sweep.py --family light --count 200

Issue 23 (``--versus``): the sweep against what a user would write instead, end to end, each run in a fresh
process (``python benchmarks/bench_sweep.py --one ROW …``) whose CPU time is that of its whole process tree
(``os.wait4``: the workers included). ``serial``: a loop over :func:`~proofs_check.sweep._worker.run_instance`;
``pool``: ``multiprocessing.Pool(N).map`` of the same function over the same payloads; ``sweep``:
:func:`proofs_check.sweep.sweep` with ``workers=N``, its local cluster started by the call, as ``symland sweep``
runs it. Every row imports the engine before its clock starts (as a script does at its top; the CPU column
includes it). Wall time is from the call to the last result (the cluster's start-up and shut-down included); the
rows are run in turn, ``--repeat`` times (min–max), and the ratios are also given within each round (the rows of a
round run back to back, under about the same load: the steadier figure on a shared machine). Targets: light, sweep ≤
1.2 × pool; heavy, serial / sweep ≥ 1.8 with 2 workers.

    python benchmarks/bench_sweep.py --versus                       # light 200 and heavy 24, 3 runs each
    python benchmarks/bench_sweep.py --versus --family light --repeat 5 --before 3ffbf71   # + the sweep before
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

FAMILIES = {
    "light": {"widths": [[2, 6, 1], [2, 8, 1]], "data": {"d": [4, 6], "values": [-9, 9], "denominator": 4}},
    "heavy": {"widths": [[3, 16, 1], [3, 20, 1]], "data": {"d": [14, 16], "values": [-9, 9], "denominator": 4}},
}
COUNTS = {"light": 60, "heavy": 24}
BASE = {"seed": 16, "activations": ["rectpow3"], "claims": ["thm-2.1", "prop-2.3"], "tier": "exact",
        "name": "bench"}


def _warm() -> int:
    import proofs_check.claims  # noqa: F401 - the import is what is warmed

    return os.getpid()


def in_process(spec, folder) -> tuple[float, float]:
    from proofs_check._sweep_worker import run_instance
    from proofs_check.sweep import _payload

    payloads = [_payload(spec, k, folder, None) for k in range(spec.count)]
    run_instance(payloads[0])  # warm caches as the workers are warmed
    start, cpu = time.perf_counter(), time.process_time()
    verdicts = [r["verdict"] for p in payloads for r in run_instance(p)["rows"]]
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert set(verdicts) == {"proved"}, set(verdicts)
    return took, cpu


def on_dask(spec, workers: int, folder: str) -> tuple[float, float, float]:
    import distributed

    from proofs_check._sweep_worker import run_instance
    from proofs_check.sweep import _payload, sweep

    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0")
    client = distributed.Client(cluster)
    try:
        client.run(_warm)
        warm = _payload(spec, 0, folder, None)
        client.gather(client.map(run_instance, [warm] * workers, pure=False))
        startup = time.perf_counter() - t0
        out = os.path.join(folder, f"r{workers}.jsonl")
        w0 = client.run(time.process_time)
        start, cpu = time.perf_counter(), time.process_time()
        verdicts = [c.verdict for c in sweep(spec, client=client, out=out, deadline=None)]
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        w1 = client.run(time.process_time)
        cpu += sum(w1[a] - w0[a] for a in w0)
    finally:
        client.close()
        cluster.close()
    assert len(verdicts) == 2 * spec.count and set(verdicts) == {"proved"}, set(verdicts)
    return took, startup, cpu


def bench(family: str, count: int) -> None:
    from proofs_check.sweep_spec import parse_spec

    spec = parse_spec({**BASE, **FAMILIES[family], "count": count})
    with tempfile.TemporaryDirectory() as folder:
        a, ca = in_process(spec, folder)
        b, sb, cb = on_dask(spec, 1, folder)
        c, sc, cc = on_dask(spec, 2, folder)
    n = spec.count
    print(f"\n{family}: {n} instances × 2 claims (exact, all proved); {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    print("| run | seconds | instances/s | CPU s | cluster start-up |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| one process, no dask | {a:.2f} | {n / a:.2f} | {ca:.2f} | — |")
    print(f"| LocalCluster, 1 worker | {b:.2f} | {n / b:.2f} | {cb:.2f} | {sb:.1f} s |")
    print(f"| LocalCluster, 2 workers | {c:.2f} | {n / c:.2f} | {cc:.2f} | {sc:.1f} s |")
    print(f"overhead per task in CPU time: {1000 * (cb - ca) / n:.1f} ms (1 worker), {1000 * (cc - ca) / n:.1f} ms "
          f"(2 workers) on {1000 * ca / n:.1f} ms of work; wall-clock speed-up of 2 workers over 1: {b / c:.2f}×")


VERSUS_COUNTS = {"light": 200, "heavy": 24}
ROWS = ("serial", "pool", "sweep")


def one(row: str, family: str, count: int, workers: int, tree: str | None = None) -> None:
    """One row of --versus in this process: prints ``wall seconds`` (imports excluded, start-up included); with
    ``tree``, symland is imported from that folder (an earlier commit) instead of this checkout."""
    import json

    if tree:
        sys.path.insert(0, tree)

    import proofs_check.claims  # noqa: F401 - every row starts with the engine imported, as a script importing it
    from proofs_check.sweep import _payload, sweep
    from proofs_check.sweep._worker import run_instance
    from proofs_check.sweep.spec import parse_spec

    spec = parse_spec({**BASE, **FAMILIES[family], "count": count})
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        if row == "sweep":
            verdicts = [c.verdict for c in sweep(spec, out=os.path.join(folder, "r.jsonl"), workers=workers,
                                                 deadline=None)]
        else:
            payloads = [_payload(spec, k, folder, None) for k in range(spec.count)]
            if row == "serial":
                results = [run_instance(p) for p in payloads]
            else:
                import multiprocessing

                with multiprocessing.Pool(workers) as pool:
                    results = pool.map(run_instance, payloads)
            verdicts = [r["verdict"] for res in results for r in res["rows"]]
        took = time.perf_counter() - start
    assert len(verdicts) == 2 * count and set(verdicts) == {"proved"}, set(verdicts)
    print(json.dumps({"wall": took}))


def versus(family: str, count: int, workers: int, repeat: int, before: str | None = None, label: str = "") -> None:
    import json
    import subprocess

    rows = [(row, None) for row in ROWS] + ([("sweep", before)] if before else [])
    runs: dict = {row: [] for row in rows}
    load = os.getloadavg()[0]
    for _ in range(repeat):  # interleaved, so a change of the machine's load touches every row alike
        for row, tree in rows:
            proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--one", row, "--family", family,
                                     "--count", str(count), "--workers", str(workers)]
                                    + (["--tree", tree] if tree else []), stdout=subprocess.PIPE, text=True)
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"bench_sweep: --one {row} failed")
            runs[row, tree].append((json.loads(out.splitlines()[-1])["wall"], usage.ru_utime + usage.ru_stime))
    print(f"\n{family}: {count} instances × 2 claims, {workers} processes, {repeat} runs each (min–max); "
          f"{os.cpu_count()} cores, load average {load:.1f} before and {os.getloadavg()[0]:.1f} after the runs")
    print("| run | wall s | CPU s (process tree) |")
    print("| --- | ---: | ---: |")
    for row, tree in rows:
        w, c = [r[0] for r in runs[row, tree]], [r[1] for r in runs[row, tree]]
        name = f"{row} before ({label})" if tree else row
        print(f"| {name} | {min(w):.2f}–{max(w):.2f} | {min(c):.2f}–{max(c):.2f} |")
    best = {row: min(r[0] for r in runs[row, None]) for row in ROWS}
    cpu = {row: min(r[1] for r in runs[row, None]) for row in ROWS}
    print(f"sweep / pool (wall, best of each): {best['sweep'] / best['pool']:.2f} (target ≤ 1.2 on light); "
          f"serial / sweep: {best['serial'] / best['sweep']:.2f} (target ≥ 1.8 on heavy); serial / pool: "
          f"{best['serial'] / best['pool']:.2f}; CPU sweep / pool (best of each): {cpu['sweep'] / cpu['pool']:.2f}")
    # each round runs the rows back to back: a ratio within a round sees about the same load
    pairs = [("sweep / pool", ("sweep", None), ("pool", None)), ("serial / sweep", ("serial", None), ("sweep", None))]
    if before:
        pairs.append((f"sweep / sweep before ({label})", ("sweep", None), ("sweep", before)))
    for name, num, den in pairs:
        ratios = sorted(runs[num][k][0] / runs[den][k][0] for k in range(repeat))
        print(f"{name} (wall) within each round: median {statistics.median(ratios):.2f}, min–max {ratios[0]:.2f}–"
              f"{ratios[-1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append")
    parser.add_argument("--count", type=int)
    parser.add_argument("--versus", action="store_true", help="issue 23: sweep vs Pool vs serial, end to end")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", metavar="REV", help="with --versus: also the sweep of commit REV (git archive)")
    parser.add_argument("--one", choices=ROWS, help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.family[0], args.count, args.workers, args.tree)
        return
    with tempfile.TemporaryDirectory() as old:
        if args.before:
            import subprocess

            archive = subprocess.run(["git", "archive", args.before], cwd=ROOT, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", old], input=archive.stdout, check=True)
        for family in args.family or ("light", "heavy"):
            if args.versus:
                versus(family, args.count or VERSUS_COUNTS[family], args.workers, args.repeat,
                       old if args.before else None, args.before or "")
            else:
                bench(family, args.count or COUNTS[family])


if __name__ == "__main__":
    main()
