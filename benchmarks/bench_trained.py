"""Issue 12 figures: a network trained on real data, imported, and certified next to a point of M.

Real data that no one here made: scikit-learn's bundled ``load_digits`` (8 × 8 images, pixel values 0…16, so
p = 64; the digit 0…9 is the label y). The first d distinct images are the data set, exact integers; beyond its
1797 images, the same images moved by one pixel (right, down, both) — digits-like data up to d ≈ 7000.
For d = 200 and d = 1000, a one-hidden-layer network of width h = d (n = 64h + 2h + 1) with σ = tanh and with
σ = ReLU is trained by ``symland.train`` (float64 Levenberg–Marquardt) to L < 1e-20, written as .npz, read back
by ``symland.models.load_model`` (exact dyadic rationals) and certified by
``proofs_check.certify_model.certify_model``: the distance bracket (the foot of the perpendicular by a projection over
all weights, m* certified next to it — the output layer re-solved, exactly for ReLU, in Arb for tanh — and the lower
bound), thm-2.1 and prop-2.3 at m*. Printed: the bracket, upper/lower, and the time of the projection, of certifying
m* and of the lower bound. Target: under 60 s at d = 1000.

Baselines measured in the same run on the same model file: the float spectrum alone at the trained point —
(1) by JAX (:mod:`jax_gram`, its own process: J = vmap(jacrev), J Jᵀ, eigvalsh — what a user would run; its CPU
time includes importing JAX, as a script's does) and (2) by symland.gram in this process (J_H J_Hᵀ layer by layer,
no J: the fastest float route). Issue 23's target: certify's CPU time within 2× of (1) at every d.

    python benchmarks/bench_trained.py                  # d = 200 and 1000, tanh and ReLU
    python benchmarks/bench_trained.py --d 200          # one size
    python benchmarks/bench_trained.py --profile        # also the 15 costliest functions of each certify run
    python benchmarks/bench_trained.py --d 200 --act relu --tier exact   # the exact tier, for comparison
    python benchmarks/bench_trained.py --d 200 --d 500 --d 1000 --act tanh    # issue 23's table (JAX needed)

scikit-learn is not a dependency of symland: ``pip install scikit-learn`` to run this.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TARGET = {1000: 60.0}


def digits(d: int):
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        sys.exit("bench_trained.py needs scikit-learn for its bundled digits data (not a symland dependency): "
                 "pip install scikit-learn")
    from symland.data import Dataset

    X, y = load_digits(return_X_y=True)
    X, y = X.astype(int), y.astype(int)
    rows, labels, seen = [], [], set()
    for shift in range(4):  # beyond its 1797 images: the images moved by one pixel (right, down, both), new ones only
        img = X.reshape(-1, 8, 8)
        if shift:
            img = np.roll(img, (shift // 2, shift % 2), axis=(1, 2))
            img[:, : shift // 2, :] = 0
            img[:, :, : shift % 2] = 0
        for row, label in zip(img.reshape(-1, 64).tolist(), y.tolist()):
            if tuple(row) not in seen:
                seen.add(tuple(row))
                rows.append(row)
                labels.append(label)
            if len(rows) == d:
                return Dataset.from_rows(rows, labels, source=f"digits[:{d}]")
    sys.exit(f"only {len(rows)} distinct digits-like images")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def cpu_timed(fn):
    """(result, wall seconds, CPU seconds of this process): on a shared machine the CPU time is the steadier."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def float_baseline(result, data):
    """The float spectrum alone at the trained point, by the fastest float route: J_H J_Hᵀ layer by layer
    (symland.gram, J_H never formed) and its eigenvalues σ_i² — no certificate."""
    from symland.gram import gram
    from symland.network import mlp

    def go():
        _, K = gram(mlp(result.widths, result.activation), data, result.point())
        lam = np.sort(np.clip(np.linalg.eigvalsh(K), 0, None))[::-1]
        tol = np.sqrt(K.shape[0] * np.finfo(float).eps) * np.sqrt(lam[0])
        s = np.sqrt(lam)
        return int(np.sum(s > tol)), float(s[-1])

    return timed(go)


def jax_baseline(model_path: Path, data, tmp: Path) -> dict:
    """CPU and wall seconds of :mod:`jax_gram` on the model file, its own process (os.wait4: CPU of the process)."""
    import json

    dpath = tmp / "data.npz"
    np.savez(dpath, X=np.array([[float(v) for v in r] for r in data.X]),
             Y=np.array([[float(v) for v in r] for r in data.Y]))
    proc, cpu, wall, _ = run_child([sys.executable, str(Path(__file__).with_name("jax_gram.py")), str(model_path),
                                    str(dpath)])
    try:
        row = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]}
    row.update(cpu_process=cpu, wall_process=wall)
    return row


def run_child(cmd: list, timeout: float | None = None):
    """(CompletedProcess, CPU seconds, wall seconds, peak MiB) of one child process: its output read while it runs
    (a full pipe cannot block it), its CPU from this process's children's rusage before and after, its peak RSS
    from /usr/bin/time."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "peak-kib %M", *cmd], capture_output=True, text=True,
                          timeout=timeout)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peaks = [line.split()[1] for line in proc.stderr.splitlines() if line.startswith("peak-kib ")]
    return proc, cpu, wall, int(peaks[-1]) / 1024 if peaks else float("nan")


def cli_certify(model_path: Path, data, tmp: Path, timeout: float) -> dict:
    """`symland certify --model FILE --data FILE.csv --json` as a user runs it: CPU (os.wait4) and wall seconds of
    the whole process (start-up and reading included, like the JAX script's)."""
    import json

    csv_path = tmp / "data.csv"
    with open(csv_path, "w") as fh:
        fh.write(",".join([f"x{j + 1}" for j in range(data.p)] + [f"y{c + 1}" for c in range(data.l)]) + "\n")
        for x, y in zip(data.X, data.Y):
            fh.write(",".join(str(v) for v in list(x) + list(y)) + "\n")
    symland = Path(sys.executable).with_name("symland")
    proc, cpu, wall, peak = run_child([str(symland), "certify", "--model", str(model_path), "--data", str(csv_path),
                                       "--json", "--timeout", str(int(timeout))])
    row = {"cpu_process": cpu, "wall_process": wall, "exit": proc.returncode, "peak_mib": peak}
    try:
        obj = json.loads(proc.stdout)
        row["verdicts"] = [c["verdict"] for c in obj.get("certificates", [])]
    except ValueError:
        row["verdicts"] = (proc.stderr or proc.stdout).strip().splitlines()[-1:]
    return row


def case(d: int, act: str, data, tmp: Path, profile: bool, timeout: float, tier: str = "auto") -> dict:
    from symland.budget import run_until
    from symland.train import save_npz, train

    widths = (64, d, 1)
    res, t_train = timed(lambda: train(data, widths, act, seed=0))
    path = tmp / f"digits{d}_{act}.npz"
    save_npz(res, path)
    row = {"d": d, "act": act, "n": res.n, "train_s": t_train, "loss": res.loss, "lm_steps": res.steps,
           "max_out_weight": float(np.abs(res.layers[-1][0]).max())}
    (fr, t_float) = float_baseline(res, data)
    row.update(float_s=t_float, float_rank=fr[0], float_smin=fr[1])
    row["jax"] = jax_baseline(path, data, tmp)
    row["cli"] = cli_certify(path, data, tmp, timeout)
    try:
        from symland.models import load_model

        from proofs_check.certify_model import certify_model
    except ImportError as exc:
        row["certify"] = f"not available on this branch ({exc})"
        return row
    model, t_load = timed(lambda: load_model(str(path)))
    prof = cProfile.Profile() if profile else None

    def certify():
        if prof:
            prof.enable()
        try:
            return certify_model(model, data, tier=tier)
        finally:
            if prof:
                prof.disable()

    ((out, cpu),), expired = run_until([("certify", lambda: cpu_timed(certify)[::2])], timeout,
                                       lambda key, why: (None, None))
    if expired or out is None:
        row["certify"] = f"did not finish within {timeout:g} s"
    else:
        rep = out
        lo, up = rep.bracket("l2") if hasattr(rep, "bracket") else (None, rep.distance_l2)
        secs = rep.distance.seconds if getattr(rep, "distance", None) is not None else ()
        row.update(load_s=t_load, certify_s=rep.seconds, certify_cpu=cpu,
                   distance_linf=f"{rep.distance_linf:.3e}", distance_l2=f"{rep.distance_l2:.3e}",
                   bracket_l2=(lo, up), ratio=(up / lo if lo and up else None), parts_s=secs,
                   loss_at_model=f"{rep.loss_at_model:.3e}",
                   verdicts={c.claim: c.verdict for c in rep.certificates}, tier=rep.point_tier)
    if prof:
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats("cumulative").print_stats(15)
        row["profile"] = s.getvalue()
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, action="append", help="data set size (repeatable; default 200 and 1000)")
    ap.add_argument("--act", action="append", help="activation (repeatable; default tanh and relu)")
    ap.add_argument("--profile", action="store_true", help="print where certify spends its time")
    ap.add_argument("--timeout", type=float, default=900.0, help="give up on one certify run after SECONDS")
    ap.add_argument("--tier", default="auto", choices=("auto", "exact", "ball"), help="certify tier (default auto)")
    args = ap.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with it; CPU times less)")
    with tempfile.TemporaryDirectory() as tmp:
        for d in args.d or [200, 1000]:
            data, t_data = timed(lambda: digits(d))  # noqa: B023 - called at once, in this iteration
            print(f"digits, first d = {d} images (p = 64, exact integers): data set built in {t_data:.2f} s",
                  flush=True)
            for act in args.act or ["tanh", "relu"]:
                t0 = time.perf_counter()
                row = case(d, act, data, Path(tmp), args.profile, args.timeout, args.tier)
                total = time.perf_counter() - t0
                print(f"  {act:5} widths 64,{d},1  n = {row['n']:,}: trained in {row['train_s']:.2f} s to "
                      f"L = {row['loss']:.2e} ({row['lm_steps']} LM steps; max |W2| = {row['max_out_weight']:.1e})")
                print(f"        baseline, float spectrum alone: {row['float_s']:.2f} s (numerical rank "
                      f"{row['float_rank']}, σ_min(J_H) = {row['float_smin']:.2e}; no certificate)")
                jx = row["jax"]
                if "cpu_process" in jx:
                    print(f"        baseline, JAX Gram spectrum (own process, import included): CPU "
                          f"{jx['cpu_process']:.2f} s, wall {jx['wall_process']:.2f} s (rank {jx['rank']}, "
                          f"σ_min = {jx['smin']:.2e})")
                else:
                    print(f"        baseline, JAX Gram spectrum: {jx.get('refused') or jx.get('error')}")
                if "certify" in row:
                    print(f"        certify: {row['certify']}")
                else:
                    target = TARGET.get(d)
                    tgt = f" (target < {target:g} s)" if target else ""
                    ratio_jax = (f"; CPU certify / JAX = {row['certify_cpu'] / jx['cpu_process']:.2f} (target ≤ 2)"
                                 if "cpu_process" in jx else "")
                    print(f"        import {row['load_s']:.2f} s; certify ({row['tier']}) {row['certify_s']:.2f} s "
                          f"(CPU {row['certify_cpu']:.2f} s)"
                          f"{tgt}; total with training {total:.1f} s{ratio_jax}")
                    lo, up = row["bracket_l2"]
                    ratio = f"{row['ratio']:.4f}" if row["ratio"] else "—"
                    print(f"        dist(m, M) ∈ [{lo if lo is None else format(lo, '.3e')}, {up:.3e}] (ℓ₂, certified; "
                          f"upper/lower {ratio}), ‖m* − m‖∞ ≤ {row['distance_linf']}; L(m) = {row['loss_at_model']}")
                    if row["parts_s"]:
                        p, c, low = row["parts_s"]
                        print(f"        of which: projection over all weights {p:.2f} s, m* certified {c:.2f} s, "
                              f"lower bound {low:.2f} s")
                    print("        verdicts: " + ", ".join(f"{k} {v}" for k, v in row["verdicts"].items()))
                cli = row["cli"]
                vs_jax = (f"; CPU / JAX = {cli['cpu_process'] / jx['cpu_process']:.2f} (target ≤ 2)"
                          if "cpu_process" in jx else "")
                print(f"        `symland certify` process: CPU {cli['cpu_process']:.2f} s, "
                      f"wall {cli['wall_process']:.2f} s, peak {cli['peak_mib']:.0f} MiB, exit {cli['exit']}, "
                      f"{cli['verdicts']}{vs_jax}")
                if "profile" in row:
                    print(row["profile"])
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
