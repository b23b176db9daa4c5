"""Issue 13, target 4: the float tier at n ≈ 10⁶ against ``jax.vmap(jax.grad)`` (cold and warm, same run).

mlp([100, 1000, 900, 1], smooLU), n = 1,002,801, d = 100, a random point. Each "cold" figure is the first call in a
fresh process (the 800 MB Jacobian's pages are touched for the first time; JAX's compilation is done before the
timed call and reported apart); "warm" is the second call in the same process. Then J + rank + the nonzero spectrum
of 2JᵀJ with BLAS on 1 and on 2 threads (symland uses :data:`symland.floating.BLAS_THREADS`). JAX is optional
(``pip install jax``, benchmark only).

    python benchmarks/bench_float.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

WIDTHS, D = (100, 1000, 900, 1), 100


def _setup():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_tiers import _float_setup

    return _float_setup(WIDTHS, D)


def case_symland():
    from symland.floating import jacobian

    net, data, x = _setup()
    t = time.perf_counter()
    jacobian(net, data, x)
    cold = time.perf_counter() - t
    t = time.perf_counter()
    jacobian(net, data, x)
    return {"cold": cold, "warm": time.perf_counter() - t}


def case_jax():
    import jax

    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp

    net, data, x0 = _setup()
    from bench_tiers import _jax_mlp

    X = jnp.array([[float(v) for v in row] for row in data.X])
    Y = jnp.array([float(row[0]) for row in data.Y])

    def f(theta, x, y):  # one residual f(x) − y, the usual per-example function
        return _jax_mlp(net.shapes, theta, x)[0] - y

    per_example = jax.jit(jax.vmap(jax.grad(f), in_axes=(None, 0, 0)))
    x = jnp.array(x0)
    t = time.perf_counter()
    compiled = per_example.lower(x, X, Y).compile()
    comp = time.perf_counter() - t
    t = time.perf_counter()
    compiled(x, X, Y).block_until_ready()
    cold = time.perf_counter() - t
    t = time.perf_counter()
    compiled(x, X, Y).block_until_ready()
    return {"cold": cold, "warm": time.perf_counter() - t, "compile": comp}


def case_total(threads):
    import symland.floating as fl

    net, data, x = _setup()
    fl.BLAS_THREADS = threads
    t = time.perf_counter()
    H, J = fl.jacobian(net, data, x)
    fr = fl.float_rank(J)
    spec = fr.hessian_spectrum()
    total = time.perf_counter() - t
    return {"total": total, "rank": fr.rank, "method": fr.method, "spectrum": [float(spec.min()), float(spec.max())]}


def sub(name, *args):
    code = (f"import json, sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
            f"import bench_float as b; print(json.dumps(b.CASES[{name!r}](*{list(args)!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900)
    if proc.returncode:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


CASES = {"symland": case_symland, "jax": case_jax, "total": case_total}


def main():
    print(f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores; mlp({list(WIDTHS)}), d = {D}")
    for rep in range(2):
        s, j = sub("symland"), sub("jax")
        if "error" in j:
            print(f"  symland Jacobian cold {s['cold']:.2f} s, warm {s['warm']:.2f} s; JAX not measured: {j['error']}")
            continue
        print(f"  run {rep + 1}: symland Jacobian cold {s['cold']:.2f} s, warm {s['warm']:.2f} s | jax.vmap(jax.grad) "
              f"cold {j['cold']:.2f} s, warm {j['warm']:.2f} s (compile {j['compile']:.1f} s) | ratio cold "
              f"{s['cold'] / j['cold']:.2f}, warm {s['warm'] / j['warm']:.2f} (target ≤ 1.0)")
    for threads in (1, 2):
        r = sub("total", threads)
        print(f"  J + rank + spectrum, BLAS on {threads} thread(s): "
              + (r["error"] if "error" in r
                 else f"{r['total']:.2f} s (target < 3 s); rank {r['rank']} by {r['method']}"))


if __name__ == "__main__":
    main()
