"""A user's own rational point of M that is not the construction (issue 23), for widths [p, d, d, 1] and rectpow3.

From the Lemma 3.3 / Corollary 3.4 point: every nonzero hidden weight and bias is perturbed (v ↦ v·(1 + k/s),
k a random nonzero integer in [−20, 20], s = 997, or larger when that breaks the triangular pattern of the last
hidden layer's values Φ), so the last hidden layer no longer reads one common row and no route can regenerate it;
the output layer is re-solved exactly (Φ V = y over ℚ by forward substitution, output bias 0); and every used
hidden unit is rescaled by the symmetry of rectpow3 (σ(ct) = c³σ(t) for c > 0: incoming weights and bias × c,
outgoing weights × c⁻³) with c a random positive rational. The result is on M (H = 0 exactly: the plain script
and symland both check it) and has the construction's zero pattern: the unused units stay zero, so most of the
n columns of J_H are identically zero.

    python benchmarks/given_point.py --d 300 --out /tmp/given300     # writes data.csv and point.json there
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys

from flint import fmpq

sys.path.insert(0, os.path.dirname(__file__))

from bench_tiers import _data  # noqa: E402


def _sigma(z):
    return z * z * z if z > 0 else fmpq(0)


def build(d: int, p: int = 20, seed: int = 23):
    """(data, widths, flat point as fmpq in symland's canonical order) — the given point described above."""
    from symland import get_activation
    from symland.constructions.atscale import construct

    data = _data(d, p)
    widths = (p, d, d, 1)
    sp = construct(data, widths, get_activation("rectpow3"))
    rng = random.Random(seed)
    for scale in (997, 99991, 9999991, 999999937, 10**12 + 39):  # smaller nudges until Φ keeps its pattern
        hidden, out = _nudged(data, widths, sp, rng, scale)
        if out is not None:
            break
    else:  # pragma: no cover
        raise RuntimeError("no perturbation kept the last hidden layer's values triangular")
    # the symmetry σ(ct) = c³σ(t): unit i of hidden layer k scaled by c_i
    for k, (W, b) in enumerate(hidden):
        c = {i: fmpq(rng.randint(3, 14), rng.randint(3, 9)) for i in set(b) | {i for i, _ in W}}
        for (i, j) in list(W):
            W[(i, j)] *= c[i]
        for i in list(b):
            b[i] *= c[i]
        if k + 1 < len(hidden):
            nxt = hidden[k + 1][0]
            for (i, j) in list(nxt):
                if j in c:
                    nxt[(i, j)] /= c[j] ** 3
        else:
            out = [v / c[i] ** 3 if i in c else v for i, v in enumerate(out)]
    flat = []
    for (W, b), c, r in zip(hidden, widths, widths[1:]):
        row = [fmpq(0)] * (r * c)
        for (i, j), v in W.items():
            row[i * c + j] = v
        flat += row + [b.get(i, fmpq(0)) for i in range(r)]
    flat += out + [fmpq(0)]
    return data, widths, flat


def _nudged(data, widths, sp, rng, scale):
    """The construction's hidden layers with every nonzero entry × (1 + k/scale), and the output weights re-solved
    exactly (Φ V = y by forward substitution: Φ stays lower triangular in the construction's data order for a small
    enough nudge); out = None when a unit went unused or Φ is no longer triangular."""
    d, p = data.d, data.p

    def nudge(v):
        return v * fmpq(scale + rng.choice([k for k in range(-20, 21) if k]), scale)

    hidden = [({ij: nudge(v) for ij, v in W.items()}, {i: nudge(v) for i, v in b.items()}) for W, b in sp.hidden]
    # exact forward pass through the sparse hidden layers: A[j][s]
    A = [[data.X[s][j] for s in range(d)] for j in range(p)]
    for (W, b), h in zip(hidden, widths[1:-1]):
        Z = [[-b.get(i, fmpq(0))] * d for i in range(h)]
        for (i, j), w in W.items():
            Z[i] = [z + w * a for z, a in zip(Z[i], A[j])]
        A = [[_sigma(z) for z in row] for row in Z]
    used = [i for i in range(d) if any(A[i])]
    if len(used) != d:
        return hidden, None
    y = [data.Y[s][0] for s in range(d)]
    rows = list(sp.order)  # the construction's data order: Φ[rows[r]][j] ≠ 0 only for j ≤ r (if still so)
    if all(A[j][rows[r]] == 0 for r in range(d) for j in range(r + 1, d)) and all(A[r][rows[r]] for r in range(d)):
        return hidden, _forward_substitution([[A[j][s] for j in range(d)] for s in rows], [y[s] for s in rows])
    return hidden, None  # the nudge broke Φ's triangular pattern: a smaller one (a dense solve costs minutes)


def _forward_substitution(L, y):
    """V with L V = y, L lower triangular over ℚ (nonzero diagonal): fraction-free, all V_j = N_j / D over one
    common denominator D (each row cleared to integers; D multiplied by the row's pivot as it goes)."""
    from flint import fmpz

    N, D = [], fmpz(1)
    for r, row in enumerate(L):
        q = fmpz(1)
        for v in row[:r + 1] + [y[r]]:
            q = q.lcm(v.q) if v.q != 1 else q
        a = [(v * q).p for v in row[:r + 1]]
        acc = (y[r] * q).p * D
        for j in range(r):
            if a[j]:
                acc -= a[j] * N[j]
        N = [x * a[r] for x in N]
        N.append(acc)
        D *= a[r]
    return [fmpq(x, D) for x in N]


def write(d: int, folder: str, p: int = 20):
    """Write data.csv and point.json for the given point at this d into ``folder``; (data path, point path, widths)."""
    from symland.networks.network import mlp

    data, widths, flat = build(d, p)
    os.makedirs(folder, exist_ok=True)
    dp, pp = os.path.join(folder, "data.csv"), os.path.join(folder, "point.json")
    with open(dp, "w") as f:
        f.write(",".join([f"x{j + 1}" for j in range(p)] + ["y"]) + "\n")
        f.writelines(",".join(str(v) for v in list(x) + [y[0]]) + "\n" for x, y in zip(data.X, data.Y))
    names = mlp(widths, "rectpow3").param_names()
    with open(pp, "w") as f:
        json.dump({k: str(v) for k, v in zip(names, flat)}, f)
    return dp, pp, widths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--d", type=int, default=300)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    print(write(a.d, a.out))
