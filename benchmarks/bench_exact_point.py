"""Issue 2 figures: exact maps at a point versus the naive sympy route, and the large exact case.

Prints (measured in this run, on this machine):

1. ``symland verify`` with defaults, wall time of the whole command.
2. Exact J_H at the corrected Corollary 3.4 point and a proved rank d for mlp([10,100,100,1],
   rectpow3) with d = 100 random rational points (target: under 10 s).
3. The naive sympy route on mlp([2,6,1], rectpow3), d = 8 (n = 25) at a generic rational point:
   ``sp.hessian(L, params)`` then ``.subs(point)``, the Jacobian likewise, and the rank — against the exact
   at-point route on the same instance (J, Hess L and the rank), as a ratio.

    python benchmarks/bench_exact_point.py            # everything (the naive route takes minutes)
    python benchmarks/bench_exact_point.py --quick    # skip the naive sympy route
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time

import sympy as sp
from flint import fmpq

from symland.data import Dataset
from symland.landscape import interpolate
from symland.network import mlp
from symland.problem import Problem
from symland.rank import prove_rank
from symland.tiers import RationalKind


def random_data(rng, d, p, span=100, den=20):
    X = [[fmpq(rng.randint(-span, span), rng.randint(1, den)) for _ in range(p)] for _ in range(d)]
    Y = [fmpq(rng.randint(-span, span), rng.randint(1, den)) for _ in range(d)]
    return Dataset.from_rows(X, Y)


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def bench_verify():
    _, secs = timed(lambda: subprocess.run([sys.executable, "-m", "proofs_check.cli", "verify", "--quiet"],
                                           check=True, capture_output=True))
    print(f"1. symland verify (defaults): {secs:.1f} s  (target < 30 s)")


def bench_large():
    rng = random.Random(2)
    data = random_data(rng, 100, 10)
    it, t_build = timed(lambda: interpolate(data, (10, 100, 100, 1), "rectpow3", RationalKind()))
    prob = Problem(it.network, data)
    vals, t_j = timed(lambda: prob.at(it.params))
    proof, t_rank = timed(lambda: prove_rank(vals.kind, vals.J))
    assert vals.on_M and proof.exact and proof.rank == 100
    total = t_j + t_rank
    print(f"2. mlp([10,100,100,1], rectpow3), d = 100, n = {prob.n}: construction {t_build:.2f} s; "
          f"exact H and J {t_j:.2f} s; proved rank {proof.rank} {t_rank:.2f} s; "
          f"J + rank {total:.2f} s  (target < 10 s)")


def bench_naive(quick: bool):
    rng = random.Random(3)
    data = random_data(rng, 8, 2, span=9, den=3)
    prob = Problem(mlp((2, 6, 1), "rectpow3"), data)
    point = [fmpq(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(prob.n)]  # a generic point

    def fast():
        vals = prob.at(point, hessian=True)
        return vals, vals.hess_L, prove_rank(vals.kind, vals.J)

    (vals, HL, proof), t_fast = timed(fast)
    print(f"3. mlp([2,6,1], rectpow3), d = 8, n = {prob.n}: exact at-point J + Hess L + rank {t_fast * 1e3:.1f} ms")
    if quick:
        print("   naive sympy route skipped (--quick)")
        return
    subs = {s: sp.Rational(int(v.p), int(v.q)) for s, v in zip(prob.symbols, point)}

    def naive():
        params = prob.symbols
        L = prob.L_sym
        Hs = sp.hessian(L, params).subs(subs)
        Js = sp.Matrix(prob.H_sym).jacobian(params).subs(subs)
        return Hs, Js, Js.rank()

    (Hs, Js, r), t_naive = timed(naive)
    same = all(Hs[i, j] == sp.Rational(int(HL[i][j].p), int(HL[i][j].q))
               for i in range(prob.n) for j in range(prob.n))
    print(f"   naive sympy: hessian(L).subs + jacobian.subs + Matrix.rank {t_naive:.1f} s; "
          f"same Hessian: {same}; rank {r} vs {proof.rank}")
    print(f"   ratio naive / exact at-point: {t_naive / t_fast:,.0f}×  (target ≥ 1000×)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the naive sympy route")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    bench_verify()
    bench_large()
    bench_naive(args.quick)


if __name__ == "__main__":
    main()
