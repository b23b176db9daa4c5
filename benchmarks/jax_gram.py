"""The float-only baseline of issue 23: the spectrum of J_H J_Hᵀ of a trained model by JAX, as a user would get it.

Reads a model file written by ``symland.train.save_npz`` (layers ``W1, b1, W2, b2, …``, z = W a + b as
in PyTorch and JAX) and the data (``.npz`` with X (d × p) and Y (d × ℓ)), then in float64:
J = ``jax.vmap(jax.jacrev(f))`` over the data points (d·ℓ × n, every parameter), G = J Jᵀ and its eigenvalues
(``jnp.linalg.eigvalsh``) — no certificate. Run as its own process so that its CPU time includes importing JAX, as a
user's script does; prints one JSON line {cpu, wall, rank, smin, n, d}. Refuses (exit 3) when J would not fit in
``--max-gib`` (default 6).

    python benchmarks/jax_gram.py MODEL.npz DATA.npz
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np


def main(argv=None) -> int:
    t0, c0 = time.perf_counter(), time.process_time()
    argv = sys.argv[1:] if argv is None else argv
    model, data = np.load(argv[0]), np.load(argv[1])
    max_gib = float(argv[2]) if len(argv) > 2 else 6.0
    X, Y = data["X"], data["Y"]
    K = sum(1 for k in model.files if k.startswith("W"))
    Ws = [model[f"W{k}"] for k in range(1, K + 1)]
    bs = [model[f"b{k}"] if f"b{k}" in model.files else np.zeros(W.shape[0]) for k, W in zip(range(1, K + 1), Ws)]
    act = str(model["activation"]) if "activation" in model.files else "tanh"
    n = sum(W.size + b.size for W, b in zip(Ws, bs))
    d, ell = X.shape[0], Y.shape[1]
    if d * ell * n * 8 > max_gib * 2**30:
        print(json.dumps({"refused": f"J would take {d * ell * n * 8 / 2**30:.1f} GiB > {max_gib:g} GiB", "n": n,
                          "d": d}))
        return 3
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    sigma = {"tanh": jnp.tanh, "relu": lambda z: jnp.maximum(z, 0.0), "sigmoid": jax.nn.sigmoid}[act]
    params = [(jnp.asarray(W), jnp.asarray(b)) for W, b in zip(Ws, bs)]

    def f(ps, x):
        a = x
        for k, (W, b) in enumerate(ps):
            z = W @ a + b
            a = sigma(z) if k < len(ps) - 1 else z
        return a  # ℓ outputs

    jac = jax.jit(jax.vmap(jax.jacrev(f), in_axes=(None, 0)))(params, jnp.asarray(X, dtype=jnp.float64))
    leaves = jax.tree_util.tree_leaves(jac)
    J = jnp.concatenate([leaf.reshape(d * ell, -1) for leaf in leaves], axis=1)
    G = J @ J.T
    lam = np.sort(np.clip(np.asarray(jnp.linalg.eigvalsh(G)), 0, None))[::-1]
    tol = np.sqrt(G.shape[0] * np.finfo(float).eps) * np.sqrt(lam[0])
    s = np.sqrt(lam)
    print(json.dumps({"cpu": time.process_time() - c0, "wall": time.perf_counter() - t0, "rank": int(np.sum(s > tol)),
                      "smin": float(s[-1]), "n": int(n), "d": int(d), "jax": jax.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
