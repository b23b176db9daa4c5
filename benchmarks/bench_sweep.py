"""Issue 16: throughput of ``symland sweep`` on dask.distributed, and its overhead per task.

A fixed family (seed 16): rectpow3, widths (3, 16, 1) or (3, 20, 1), d = 14…16 points with values n/4, claims thm-2.1
and prop-2.3 in the exact tier (every verdict ``proved``). Three runs of the same instances:

A. one process: :func:`proofs_check._sweep_worker.run_instance` on each payload in turn (no dask);
B. a LocalCluster of 1 worker process (1 thread), the sweep through :func:`proofs_check.sweep.sweep`;
C. the same with 2 worker processes.

The workers are started and warmed (the engine imported, one instance run) before the clock starts, so B and C
time the sweep itself; the cluster's start-up is printed apart. Overhead per task = (B − A) / count: what dask,
the payload, the data file and the results file add to one instance on one worker.

    python benchmarks/bench_sweep.py               # 40 instances
    python benchmarks/bench_sweep.py --count 200
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SPEC = {"seed": 16, "widths": [[3, 16, 1], [3, 20, 1]], "activations": ["rectpow3"],
        "data": {"d": [14, 16], "values": [-9, 9], "denominator": 4}, "claims": ["thm-2.1", "prop-2.3"],
        "tier": "exact", "name": "bench"}


def _warm() -> int:
    import proofs_check.claims  # noqa: F401 - the import is what is warmed

    return os.getpid()


def in_process(spec, folder) -> float:
    from proofs_check._sweep_worker import run_instance
    from proofs_check.sweep import _payload
    from proofs_check.sweep_spec import iter_instances

    payloads = [_payload(spec, inst, folder, None) for inst in iter_instances(spec)]
    run_instance(payloads[0])  # warm caches as the workers are warmed
    start = time.perf_counter()
    verdicts = [r["verdict"] for p in payloads for r in run_instance(p)]
    took = time.perf_counter() - start
    assert set(verdicts) == {"proved"}, set(verdicts)
    return took


def on_dask(spec, workers: int, folder: str) -> tuple[float, float]:
    import distributed

    from proofs_check._sweep_worker import run_instance
    from proofs_check.sweep import _payload, sweep
    from proofs_check.sweep_spec import draw

    t0 = time.perf_counter()
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0")
    client = distributed.Client(cluster)
    try:
        client.run(_warm)
        warm = _payload(spec, draw(spec, 0), folder, None)
        client.gather(client.map(run_instance, [warm] * workers, pure=False))
        startup = time.perf_counter() - t0
        out = os.path.join(folder, f"r{workers}.jsonl")
        start = time.perf_counter()
        verdicts = [c.verdict for c in sweep(spec, client=client, out=out)]
        took = time.perf_counter() - start
    finally:
        client.close()
        cluster.close()
    assert len(verdicts) == 2 * spec.count and set(verdicts) == {"proved"}, set(verdicts)
    return took, startup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    from proofs_check.sweep_spec import parse_spec

    spec = parse_spec({**SPEC, "count": args.count})
    with tempfile.TemporaryDirectory() as folder:
        a = in_process(spec, folder)
        b, sb = on_dask(spec, 1, folder)
        c, sc = on_dask(spec, 2, folder)
    n = spec.count
    print(f"{n} instances × 2 claims (exact, all proved); {os.cpu_count()} cores")
    print("| run | seconds | instances/s | cluster start-up |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| one process, no dask | {a:.2f} | {n / a:.1f} | — |")
    print(f"| LocalCluster, 1 worker | {b:.2f} | {n / b:.1f} | {sb:.1f} s |")
    print(f"| LocalCluster, 2 workers | {c:.2f} | {n / c:.1f} | {sc:.1f} s |")
    print(f"overhead per task (1 worker vs one process): {1000 * (b - a) / n:.1f} ms on "
          f"{1000 * a / n:.1f} ms of work; speed-up of 2 workers over 1: {b / c:.2f}×")


if __name__ == "__main__":
    main()
