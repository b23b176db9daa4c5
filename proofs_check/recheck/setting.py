"""What every deriver starts from: the network, σ, the data and the point, read from the witness — and the one line
that names them, the first of every re-check (σ as the kernel reads its text, the widths or the DAG with its
semantics, the bias convention, the tier)."""

from __future__ import annotations

from proofs_check.recheck.exact import parse
from proofs_check.recheck.net import BadWitness, build
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.statements import DISTINCT, Reject

__all__ = ["Log", "setting", "describe", "check_inertia", "distinct_inputs"]


class Log(list):
    """The steps re-verified (the list itself) and, in ``skipped``, the steps that could not be re-checked."""

    def __init__(self):
        super().__init__()
        self.skipped: list[str] = []

    def skip(self, step: str) -> None:
        self.skipped.append(step)


def setting(w: dict, point_key: str = "point"):
    """(net, σ, X, Y, params) from the witness; every parameter of the network named exactly once."""
    inst = w["instance"]
    net, X, Y = build(inst)
    point = w[point_key]
    if not isinstance(point, dict) or set(point) != set(net.names):
        extra = sorted(set(point) - set(net.names)) if isinstance(point, dict) else []
        missing = [k for k in net.names if not isinstance(point, dict) or k not in point]
        raise BadWitness(f"the point does not name the network's parameters (unknown {extra[:3]}, "
                         f"missing {missing[:3]})")
    return net, sigma_for(inst), X, Y, {k: parse(v) for k, v in point.items()}


def describe(inst: dict, tier: str, ball: bool = False) -> str:
    """``re-derived for: σ = … ; widths … (biases …) | a DAG …; tier …`` — what the kernel rebuilt."""
    sigma = sigma_for(inst)
    neg, pos = sigma._neg, sigma._pos
    text = f"σ = {inst['activation']} read as t ↦ {pos} for t > 0, {neg} for t ≤ 0" if neg != pos else \
        f"σ = {inst['activation']} read as t ↦ {pos}"
    if "network" in inst:
        net = inst["network"]
        sem = net["semantics"]
        rule = "o_v = Σ_u σ(w·o_u + b_v)" if sem == "literal" else "o_v = σ(Σ_u w·o_u + b_v)"
        shape = (f"a DAG with {len(net['inputs'])} inputs, {len(net['nodes'])} nodes and {len(net['edges'])} edges, "
                 f"semantics {sem} ({rule})")
    else:
        bias = inst.get("bias", True)
        shape = f"widths {inst['widths']}, " + ("f(x) = W σ(… σ(W₁x − b₁) …) − b (biases subtracted)" if bias
                                                 else "no biases (f(x) = W σ(… σ(W₁x) …))")
    arith = "Arb balls" if ball else "exact arithmetic" if tier in ("exact", "symbolic") else f"tier {tier}"
    return f"re-derived for {text}; {shape}; {len(inst['X'])} data points; tier {tier} ({arith})"


def check_inertia(w: dict, rank, n: int, hessian: bool, checked: list) -> None:
    """A recorded ``inertia`` [n₊, n₋, n₀] (Sylvester order) must be that of Hess L(m) = 2J_HᵀJ_H at a point of M
    with rank J_H(m) = ``rank`` re-derived: [rank, 0, n − rank]; it needs Hess L(m) shown to exist."""
    if "inertia" not in w:
        return
    if rank is None or not hessian:
        raise Reject(f"the witness records the inertia {w['inertia']} of Hess L(m), which the re-derived facts do "
                     "not give (Hess L(m) not shown to exist at a point of M with a known rank)")
    want = [rank, 0, n - rank]
    if list(w["inertia"]) != want:
        raise Reject(f"the recorded inertia {w['inertia']} is not [n₊, n₋, n₀] = {want} (Sylvester order; "
                     f"rank J_H = {rank}, n = {n})")
    checked.append(f"inertia [n₊, n₋, n₀] = {want} as recorded (Sylvester order, re-derived)")


def distinct_inputs(inst: dict) -> set:
    """{DISTINCT} when the data's inputs x_i are pairwise distinct (exact values compared), else set()."""
    rows = [tuple(str(parse(v)) for v in row) for row in inst["X"]]
    return {DISTINCT} if len(set(rows)) == len(rows) else set()
