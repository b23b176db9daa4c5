"""Issue 19: the one cost model per claim, measured beside its prediction and beside the previous model.

Each case is a fresh ``symland verify --json --quiet --claim thm-2.1 --claim prop-2.3 --tier T`` process, so both
claims' seconds (``cert.seconds``, without interpreter start-up) come from one run as a user sees them. Beside each:
``model``, the prediction of :func:`symland.tiers.cost.predict` for that claim's job, and ``baseline``, the previous
model (one prediction for every claim, the prop-2.3 one: symbolic ``0.7 + 2e-5·m·n·T + 9e-7·m·n²·T²`` with T the
most terms of one output weight; exact ``0.2 + 1e-6·m·n + 3e-5·m·n²``).

    python benchmarks/bench_plan.py            # table P (calibration) and table Q (what auto chose), ~8 minutes
    python benchmarks/bench_plan.py --only Q
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def write_data(d: int, p: int, kind: str, folder: str) -> str:
    """d distinct points in p dimensions: ``frac`` (values like −41/13), ``int`` (−5…5) or ``dec`` (one decimal)."""
    rng = random.Random(1000 + d + 17 * p + len(kind))
    seen, rows = set(), []
    while len(rows) < d:
        if kind == "frac":
            x = tuple(Fraction(rng.randint(-99, 99), rng.choice((3, 7, 10, 13))) for _ in range(p))
            y = Fraction(rng.randint(-50, 50), rng.choice((3, 7, 10)))
        elif kind == "int":
            x, y = tuple(Fraction(rng.randint(-5, 5)) for _ in range(p)), Fraction(rng.randint(-3, 3))
        else:
            x = tuple(Fraction(rng.randint(-20, 20), 10) for _ in range(p))
            y = Fraction(rng.randint(-20, 20), 10)
        if x not in seen:
            seen.add(x)
            rows.append((x, y))
    path = os.path.join(folder, f"{kind}{p}x{d}.csv")
    with open(path, "w") as fh:
        fh.write(",".join(f"x{i + 1}" for i in range(p)) + ",y\n"
                 + "".join(",".join(map(str, x)) + f",{y}\n" for x, y in rows))
    return path


def measure(path, sigma, tier, timeout=240.0) -> dict:
    """claim → (tier, verdict, seconds) of one CLI run (both claims)."""
    cmd = [sys.executable, "-m", "proofs_check.cli", "verify", "--data", path, "--activation", sigma, "--claim",
           "thm-2.1", "--claim", "prop-2.3", "--tier", tier, "--json", "--quiet", "--timeout", str(timeout)]
    try:
        out = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout + 60,
                             env=dict(os.environ, PYTHONPATH=ROOT))
        certs = json.loads(out.stdout)
    except (subprocess.TimeoutExpired, ValueError):
        return {}
    return {c["claim"]: (c["tier"], c["verdict"], c["seconds"],
                         next((x for x in c.get("details", []) if x.startswith("tier auto")), "")) for c in certs}


def _old_terms(data, activation) -> int:
    """The previous model's T: exponent sets of m = A⁻¹y replayed with every target counted nonzero."""
    from flint import fmpq

    from symland.landscape import choose_projection
    from symland.tiers import ExpPolyKind

    kind = ExpPolyKind()
    a = choose_projection(data.X)
    values = sorted(sum((ai * xi for ai, xi in zip(a, x)), fmpq(0)) for x in data.X)
    prev = [values[0] - 1] + values[:-1]
    biases = [(u + v) / 2 for u, v in zip(prev, values)]
    sets = []
    for i, v in enumerate(values):
        shift = next(iter(kind.act(activation, kind.const(v - biases[i]), 0).terms))
        acc = {fmpq(0)}
        for j in range(i):
            acc.update(q + e for q in kind.act(activation, kind.const(v - biases[j]), 0).terms for e in sets[j])
            if len(acc) > 4096:
                return 4096
        sets.append(frozenset(e - shift for e in acc))
    return max(map(len, sets))


def models(path, sigma, tier) -> dict:
    """claim → (model, baseline) seconds."""
    from symland.activations import get_activation
    from symland.data import load_dataset

    from proofs_check.auto import predict
    from proofs_check.instance import Instance

    data = load_dataset(path)
    act = get_activation(sigma)
    inst = Instance("x", data, act)
    n, m = inst.network().n, data.d * data.l
    if tier == "symbolic":
        T = _old_terms(data, act)
        base = 0.7 + 2e-5 * m * n * T + (9e-7 * m * n * n * T * T if n <= 150 else 0.0)
    elif tier == "exact":
        base = 0.2 + 1e-6 * m * n + (3e-5 * m * n * n if n <= 150 else 0.0)
    else:
        base = {"ball": 1.0 + 1e-5 * m * n, "float": 0.3 + 1e-7 * m * n}[tier]
    return {c: (predict(inst, tier, c), base) for c in ("thm-2.1", "prop-2.3")}


def calibration(folder):
    print("P. per-claim calibration (seconds of the claim; model = symland.tiers.cost; baseline = previous model)")
    print(f"{'σ':9} {'data':6} {'p':>2} {'d':>3} {'tier':9} {'claim':9} {'verdict':10} {'seconds':>8} {'model':>8} "
          f"{'baseline':>9}")
    cases = [("smoolu", "symbolic", "frac", 2, d) for d in (4, 5, 6, 7, 8)]
    cases += [("smoolu", "symbolic", "frac", 3, d) for d in (5, 6, 7)]
    cases += [("smoolu", "symbolic", kind, 3, 7) for kind in ("int", "dec")]
    cases += [("smoolu", "ball", "frac", 2, d) for d in (8, 40)]
    cases += [("rectpow3", "exact", "frac", 2, d) for d in (8, 20, 40)]
    for sigma, tier, kind, p, d in cases:
        path = write_data(d, p, kind, folder)
        got, pred = measure(path, sigma, tier), models(path, sigma, tier)
        for claim in ("thm-2.1", "prop-2.3"):
            t, verdict, secs, _ = got.get(claim, (tier, "killed", float("nan"), ""))
            print(f"{sigma:9} {kind:6} {p:2} {d:3} {t:9} {claim:9} {verdict:10} {secs:8.2f} {pred[claim][0]:8.2f} "
                  f"{pred[claim][1]:9.2f}", flush=True)


def chosen(folder):
    print("\nQ. --tier auto, per claim (what it chose, the verdict, seconds)")
    for sigma, kind, p, d in (("smoolu", "int", 3, 7), ("smoolu", "frac", 3, 7), ("smoolu", "frac", 2, 8),
                              ("smoolu", "frac", 2, 12), ("rectpow3", "frac", 2, 40)):
        path = write_data(d, p, kind, folder)
        got = measure(path, sigma, "auto")
        for claim, (t, verdict, secs, note) in got.items():
            print(f"{sigma:9} {kind:5} p={p} d={d:3} {claim:9} {t:9} {verdict:10} {secs:7.2f}s  {note[:90]}",
                  flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=("P", "Q"))
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "P"):
            calibration(folder)
        if args.only in (None, "Q"):
            chosen(folder)


if __name__ == "__main__":
    main()
