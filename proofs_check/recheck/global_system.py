"""The polynomial system of the global claims, rebuilt from the instance alone, and sympy's Gröbner bases of it in a
child process with a deadline (the kernel's half of :mod:`proofs_check.recheck.global_claims`).

Imports nothing of symland: the network (layered, ``W{k}_{i}_{j}`` then ``b{k}_{i}`` per layer, f(x) = W σ(… σ(W₁x
− b₁) …) − b), σ (``square``, ``identity``, ``poly:c0,c1,…``) and H = (f_1, …, f_dℓ) are rebuilt here, so a witness
cannot smuggle in another system; the charts "H = 0, J_Hᵀλ = 0, λ_j = 0 (j < k), λ_k = 1" likewise.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import sympy as sp

__all__ = ["residuals", "charts", "groebner_in_child", "krull"]


class _Reject(Exception):
    pass


def _q(s) -> sp.Rational:
    if not isinstance(s, (str, int)) or isinstance(s, bool):
        raise _Reject(f"not an exact number: {s!r}")
    f = Fraction(s)
    return sp.Rational(f.numerator, f.denominator)


def _sigma_coeffs(name: str) -> list:
    if name == "square":
        return ["0", "0", "1"]
    if name == "identity":
        return ["0", "1"]
    if isinstance(name, str) and name.startswith("poly:"):
        return [c.strip() for c in name[len("poly:"):].split(",")]
    raise _Reject(f"σ {name!r} is not a polynomial activation the re-checker knows (square, identity, poly:…)")


def residuals(inst: dict) -> tuple[list, list]:
    """(parameter names, H as sympy expressions) of the witness's instance, rebuilt from scratch."""
    widths = list(inst["widths"]) if isinstance(inst.get("widths"), (list, tuple)) else []
    if len(widths) < 2 or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in widths):
        raise _Reject(f"widths {inst.get('widths')!r}: expected at least two positive integers")
    bias = inst.get("bias", True) is not False
    cs = [_q(c) for c in _sigma_coeffs(inst["activation"])]
    names, layers = [], []
    for k in range(1, len(widths)):
        W = [[f"W{k}_{i}_{j}" for j in range(widths[k - 1])] for i in range(widths[k])]
        b = [f"b{k}_{i}" for i in range(widths[k])] if bias else []
        names += [x for row in W for x in row] + b
        layers.append((W, b))
    X = [[_q(v) for v in row] for row in inst["X"]]
    Y = [[_q(v) for v in row] for row in inst["Y"]]
    H = []
    for x, y in zip(X, Y, strict=True):
        a = list(x)
        for k, (W, b) in enumerate(layers):
            if len(W[0]) != len(a):
                raise _Reject("the data do not fit the widths")
            z = [sp.Add(*[sp.Symbol(w) * v for w, v in zip(row, a)]) - (sp.Symbol(b[i]) if b else 0)
                 for i, row in enumerate(W)]
            a = z if k == len(layers) - 1 else [sp.Add(*[c * t**e for e, c in enumerate(cs)]) for t in z]
        if len(a) != len(y):
            raise _Reject("the targets do not fit the output width")
        H += [sp.expand(f - t) for f, t in zip(a, y)]
    return names, H


def charts(names: list, H: list) -> list:
    """[(k, variables, equations)] for k = 1 … m: H = 0, J_Hᵀλ = 0, λ_j = 0 (j < k), λ_k = 1."""
    m, syms = len(H), [sp.Symbol(s) for s in names]
    J = [[sp.diff(h, s) for s in syms] for h in H]
    out = []
    for k in range(1, m + 1):
        lam_names = [f"lam_{j}" for j in range(k + 1, m + 1)]
        lam = [0] * (k - 1) + [1] + [sp.Symbol(s) for s in lam_names]
        eqs = H + [sp.expand(sum(lam[i] * J[i][j] for i in range(m))) for j in range(len(syms))]
        out.append((k, names + lam_names, [e for e in eqs if e != 0]))
    return out


def _main() -> None:  # pragma: no cover - runs in the child process
    """Child process: read the instance (JSON) on stdin, print one JSON line per result as soon as it is known."""
    import json
    import sys

    what, inst = sys.argv[1], json.loads(sys.stdin.read())
    names, H = residuals(inst)
    if what == "dimension":
        G = sp.groebner(H, *[sp.Symbol(v) for v in names], order="grevlex")
        print(json.dumps({"dim": krull(list(G.exprs), names), "size": len(G.exprs)}), flush=True)
        return
    plan = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}  # the real-root step: recheck.realroots
    for k, variables, eqs in charts(names, H):
        if what == "real":  # python-flint elimination, on the charts asked for
            if k not in plan.get("only", ()):
                continue
            from proofs_check.recheck.realroots import no_real_by_elimination
            shown, how = no_real_by_elimination(eqs, variables)
            print(json.dumps({"k": k, "no_real": shown, "how": how}), flush=True)
            continue
        if k in plan.get("skip", ()):
            continue
        if k in plan.get("fallback", ()):  # recorded complex-only, not shown by elimination: sympy's eliminant
            from proofs_check.recheck.realroots import no_real_solution
            shown, how = no_real_solution(eqs, variables)
            print(json.dumps({"k": k, "no_real": shown, "how": how}), flush=True)
            continue
        G = sp.groebner(eqs, *[sp.Symbol(v) for v in variables], order="grevlex")
        print(json.dumps({"k": k, "one": list(G.exprs) == [1]}), flush=True)


def groebner_in_child(inst: dict, seconds: float, what: str = "charts", plan=None) -> dict:
    """{k: Gröbner basis of chart k is {1}} (or {"dim": (d, size)}) for what a child process finished in ``seconds``.

    The child (this module, in a fresh interpreter) rebuilds the system from the instance (plain data) and is killed
    at the deadline, so a re-check is bounded in time whatever sympy does.
    """
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    child = "from proofs_check.recheck.global_system import _main; _main()"
    proc = subprocess.Popen([sys.executable, "-c", child, what, json.dumps(plan or {})],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            text=True)
    try:
        out, _ = proc.communicate(json.dumps(inst), timeout=max(seconds, 0.001))
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    results = {}
    for line in out.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if "dim" in rec:
            results["dim"] = (int(rec["dim"]), int(rec["size"]))
        elif "no_real" in rec:  # the real-root step (recheck.realroots): (shown, how)
            results[("real", int(rec["k"]))] = (bool(rec["no_real"]), str(rec["how"]))
        elif "k" in rec:
            results[int(rec["k"])] = bool(rec["one"])
    return results


def krull(basis, variables) -> int:
    syms = [sp.Symbol(v) for v in variables]
    if any(sp.sympify(b).is_number and b != 0 for b in basis):
        return -1
    lms = [frozenset(i for i, e in enumerate(sp.Poly(b, *syms).monoms(order="grevlex")[0]) if e) for b in basis]
    for k in range(len(syms) + 1):  # the codimension: the smallest set of variables meeting every leading monomial
        if any(all(lm & set(T) for lm in lms) for T in combinations(range(len(syms)), k)):
            return len(syms) - k
    return 0
