"""The plain baseline for a given point (issue 23): rank J_H = dℓ by J_H mod p, written without symland's engine.

What a user would write by hand to check, at their own rational point m of a rectpow3 network
f(x) = W_K σ(… σ(W_1 x − b_1) …) − b_K (symland's convention: biases subtracted), that H(m) = 0 and rank J_H(m) = d:

1. the exact forward pass over ℚ with python-flint's ``fmpq_mat`` (Z_k = W_k A_{k−1} − b_k, A_k = σ(Z_k)), H = f − y;
2. the backward factors G_k = ∂f/∂Z_k reduced mod a prime p entry by entry (a/b ↦ a·b⁻¹; p divides no denominator);
3. J_H mod p in numpy over the live columns only (a column W_k[i, j] is G_k[·, i]·A_{k−1}[·, j]: zero when either
   factor is zero on every data point), 16-bit halves so no int64 product overflows;
4. ``nmod_mat(J).rank()``.

It imports only flint and numpy (no symland), reads the data CSV (last column y) and the point JSON {name: "p/q"}
in symland's parameter order (per layer: W row-major, then b), and prints one line: ``H=0 rank=<r> d=<d> n=<n>
live=<columns> p=<prime>``.

    python benchmarks/plain_modp.py --data d300.csv --widths 20,300,300,1 --point p300.json
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys

import numpy as np
from flint import fmpq, fmpq_mat, fmpz, nmod_mat


def read_data(path):
    with open(path) as f:
        rows = list(csv.reader(f))[1:]
    return [[fmpq(*_ratio(v)) for v in r[:-1]] for r in rows], [fmpq(*_ratio(r[-1])) for r in rows]


def _ratio(s):
    s = s.strip()
    if "/" in s:
        a, b = s.split("/")
        return fmpz(a), fmpz(b)
    return fmpz(s), fmpz(1)


def read_point(path, widths):
    with open(path) as f:
        vals = [fmpq(*_ratio(v)) for v in json.load(f).values()]
    layers, pos = [], 0
    for c, r in zip(widths, widths[1:]):
        W = fmpq_mat(r, c, vals[pos:pos + r * c])
        pos += r * c
        layers.append((W, vals[pos:pos + r]))
        pos += r
    assert pos == len(vals), "the point does not fit the widths"
    return layers


def forward(X, layers):
    """Exact pre-activations Z_k (h_k × d fmpq_mat) and activations A_k (A_0 = Xᵀ), σ(z) = max(z, 0)³."""
    d = len(X)
    A = [fmpq_mat(len(X[0]), d, [X[s][j] for j in range(len(X[0])) for s in range(d)])]
    Z = []
    for k, (W, b) in enumerate(layers):
        Zk = W * A[-1]
        for i in range(Zk.nrows()):
            for s in range(d):
                Zk[i, s] -= b[i]
        Z.append(Zk)
        if k < len(layers) - 1:
            Ak = fmpq_mat(Zk.nrows(), d)
            for i in range(Zk.nrows()):
                for s in range(d):
                    z = Zk[i, s]
                    if z > 0:
                        Ak[i, s] = z * z * z
            A.append(Ak)
    return Z, A


def mod(M, p):
    """An fmpq_mat reduced mod p entry by entry (int64 numpy array)."""
    out = np.zeros((M.nrows(), M.ncols()), dtype=np.int64)
    for i in range(M.nrows()):
        for j in range(M.ncols()):
            v = M[i, j]
            if v != 0:
                q = int(v.q % p)
                if q == 0:
                    raise ZeroDivisionError(p)
                out[i, j] = int(v.p % p) * pow(q, -1, p) % p
    return out


def mulmod(A, B, p):
    hi, lo = A >> 16, A & 0xFFFF
    return ((hi @ B) % p * 65536 + lo @ B) % p


def jacobian_mod_p(Z, A, layers, p):
    """J_H mod p (d × live columns) and the number of live columns, by the backward pass over F_p."""
    K = len(layers)
    W = [mod(Wk, p) for Wk, _ in layers]
    Am = [mod(Ak, p).T for Ak in A]  # d × h_{k−1}
    S = []
    for Zk in Z[:-1]:  # σ'(z) = 3z² on z > 0
        Sk = fmpq_mat(Zk.nrows(), Zk.ncols())
        for i in range(Zk.nrows()):
            for s in range(Zk.ncols()):
                z = Zk[i, s]
                if z > 0:
                    Sk[i, s] = 3 * z * z
        S.append(mod(Sk, p).T)  # d × h_k
    d = Am[0].shape[0]
    G = [None] * K
    G[-1] = np.ones((d, 1), dtype=np.int64)
    for k in range(K - 1, 0, -1):
        G[k - 1] = S[k - 1] * mulmod(G[k], W[k], p) % p
    blocks = []
    for k in range(K):
        gi = np.flatnonzero(G[k].any(axis=0))
        aj = np.flatnonzero(Am[k].any(axis=0))
        g, a = G[k][:, gi], Am[k][:, aj]
        blocks.append((g[:, :, None] * a[:, None, :] % p).reshape(d, -1))
        blocks.append((-g) % p)
    J = np.concatenate(blocks, axis=1)
    return J


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--widths", required=True)
    ap.add_argument("--point", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    widths = [int(w) for w in args.widths.split(",")]
    X, Y = read_data(args.data)
    layers = read_point(args.point, widths)
    Z, A = forward(X, layers)
    H = [Z[-1][0, s] - Y[s] for s in range(len(Y))]
    if any(h != 0 for h in H):
        print(f"H!=0 at {sum(1 for h in H if h != 0)} data points")
        return 1
    rng = random.Random(args.seed)
    while True:
        p = rng.randrange(1 << 29, 1 << 30) | 1
        if fmpz(p).is_prime():
            try:
                J = jacobian_mod_p(Z, A, layers, p)
                break
            except ZeroDivisionError:
                continue
    r = nmod_mat(J.shape[0], J.shape[1], J.ravel().tolist(), p).rank()
    n = sum(r_ * c + r_ for c, r_ in zip(widths, widths[1:]))
    print(f"H=0 rank={r} d={len(Y)} n={n} live={J.shape[1]} p={p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
