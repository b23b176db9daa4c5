"""The re-checker's own network evaluation: residuals and Jacobian entries by forward mode, exactly.

The witness describes the instance as plain data: a layered network (``widths``, the convention of Lemma 3.3,
f(x) = W_{T+1} σ(… σ(W_1 x − b_1) …) − b_{T+1}, parameters ``W{k}_{i}_{j}`` then ``b{k}_{i}`` layer by layer;
``"bias": false`` drops every b) or a
general DAG (``network``, Section 3: o_v = σ(Σ w·o_u + b_v) or, literally, Σ σ(w·o_u + b_v)). Both become one graph
here and are evaluated by *forward-mode* differentiation (a value and its partial derivatives with respect to the
parameters asked for), a different algorithm from the engine's batched reverse passes.

σ and its derivatives come from :mod:`proofs_check.recheck.sigma` (sympy ``diff`` of σ's exact pieces).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from proofs_check.recheck.exact import BadWitness, NotExact, Num, Unrecognized, parse

if TYPE_CHECKING:
    from proofs_check.recheck.sigma import Sigma

__all__ = ["BadWitness", "Net", "build", "forward", "residuals_and_jacobian", "preactivations", "MAX_WORK"]

#: Largest n·dℓ (parameters × residuals) the re-checker takes on; beyond it the certificate is left unchecked.
MAX_WORK = 2_000_000


@dataclass
class Net:
    """A graph: inputs, nodes in topological order (id, bias label, bias sign, output?, [(from, weight label)])."""

    inputs: list
    nodes: list
    semantics: str
    outputs: list
    names: list  # the canonical parameter order (columns of J_H)


def _layered(widths, bias=True) -> Net:
    if not isinstance(widths, list) or len(widths) < 2 or not all(
            isinstance(w, int) and not isinstance(w, bool) and w >= 1 for w in widths):
        raise BadWitness(f"instance widths {widths!r:.80} are not a list of at least two positive integers")
    if not isinstance(bias, bool):
        raise BadWitness(f"instance bias {bias!r:.80} is not true or false")
    if len(widths) > 10_000 or max(widths) > 100_000:
        raise Unrecognized("instance widths beyond the re-checker's limits (10000 layers of 100000 units)")
    n = sum(widths[k] * (widths[k - 1] + int(bias)) for k in range(1, len(widths)))
    if n > MAX_WORK:
        raise Unrecognized(f"the network has n = {n} parameters, too many for the re-checker (limit {MAX_WORK})")
    inputs = [f"x{j}" for j in range(widths[0])]
    prev, nodes, names = inputs, [], []
    for k in range(1, len(widths)):
        out = k == len(widths) - 1
        ids = [f"L{k}_{i}" for i in range(widths[k])]
        names += [f"W{k}_{i}_{j}" for i in range(widths[k]) for j in range(len(prev))]
        names += [f"b{k}_{i}" for i in range(widths[k])] if bias else []
        for i, v in enumerate(ids):
            nodes.append((v, f"b{k}_{i}" if bias else None, -1, out,
                          [(u, f"W{k}_{i}_{j}") for j, u in enumerate(prev)]))
        prev = ids
    return Net(inputs, nodes, "standard", prev, names)


def _dag(obj) -> Net:
    try:
        inputs = [str(v) for v in obj["inputs"]]
        raw = [(str(v["id"]), None if v.get("bias") is None else str(v["bias"]), bool(v.get("output", False)))
               for v in obj["nodes"]]
        edges = [(str(e["from"]), str(e["to"]), str(e["weight"])) for e in obj["edges"]]
        semantics = obj["semantics"]  # no default: a DAG names its semantics
    except (KeyError, TypeError, AttributeError) as exc:
        raise BadWitness(f"instance network is malformed ({exc!r})") from None
    ids = inputs + [v for v, _, _ in raw]
    if len(set(ids)) != len(ids) or semantics not in ("standard", "literal"):
        raise BadWitness("instance network: repeated vertex ids or unknown semantics")
    if any(u not in ids or v not in ids or v in inputs for u, v, _ in edges):
        raise BadWitness("instance network: an edge names an unknown vertex or enters an input")
    marked = [v for v, _, out in raw if out]
    sources = {u for u, _, _ in edges}
    outputs = marked or [v for v, _, _ in raw if v not in sources]
    names = list(dict.fromkeys([w for _, _, w in edges] + [b for _, b, _ in raw if b is not None]))
    done, order, pending = set(inputs), [], list(raw)
    while pending:
        ready = [r for r in pending if all(u in done for u, v, _ in edges if v == r[0])]
        if not ready:
            raise BadWitness("instance network has a cycle")
        for r in ready:
            done.add(r[0])
            pending.remove(r)
            order.append((r[0], r[1], 1, r[0] in outputs, [(u, w) for u, v, w in edges if v == r[0]]))
    return Net(inputs, order, semantics, outputs, names)


def build(instance: dict) -> tuple[Net, list, list]:
    """(graph, X, Y) from a witness ``instance``; X, Y as lists of rows of :class:`Num` (rationals)."""
    if not isinstance(instance, dict):
        raise BadWitness("the witness has no instance description")
    if ("network" in instance) == ("widths" in instance):
        raise BadWitness("the instance must name exactly one network: 'widths' (layered) or 'network' (a DAG)")
    if "network" in instance:
        net = _dag(instance["network"])
        if not isinstance(instance["network"], dict) or instance["network"].get("activation") != \
                instance.get("activation"):
            raise BadWitness("the DAG's own activation differs from the instance's: two σ named")
    else:
        net = _layered(instance.get("widths"), instance.get("bias", True))
    try:
        X = [[parse(v) for v in row] for row in instance["X"]]
        Y = [[parse(v) for v in row] for row in instance["Y"]]
    except (KeyError, TypeError, NotExact) as exc:
        raise BadWitness(f"instance data unreadable ({exc})") from None
    if len(net.names) * len(X) * len(net.outputs) > MAX_WORK:
        raise Unrecognized(f"n·dℓ = {len(net.names)}·{len(X) * len(net.outputs)} is beyond the re-checker's "
                           f"limit of {MAX_WORK}")
    if not X or len(X) != len(Y) or any(len(r) != len(net.inputs) for r in X) or any(
            len(r) != len(net.outputs) for r in Y) or not all(v.is_rational() for r in X + Y for v in r):
        raise BadWitness("instance data do not fit the network (shapes, or values that are not rational)")
    return net, X, Y


def _mul(a, b):
    (va, ga), (vb, gb) = a, b
    grad = {k: g * vb for k, g in ga.items()}
    for k, g in gb.items():
        grad[k] = grad[k] + va * g if k in grad else va * g
    return va * vb, grad


def _add(a, b):
    grad = dict(a[1])
    for k, g in b[1].items():
        grad[k] = grad[k] + g if k in grad else g
    return a[0] + b[0], grad


def _apply(sigma: Sigma, z, derivative: bool):
    value = sigma.value(z[0])
    if not derivative:
        return value, {}
    d = sigma.value(z[0], 1)
    return value, {k: d * g for k, g in z[1].items()}


def forward(net: Net, sigma: Sigma, x: list, params: dict, wrt: set, derivative: bool) -> list:
    """[(f_c(x), {label: ∂f_c/∂label})] over the outputs c, derivatives for the labels in ``wrt``."""
    val = {u: (v, {}) for u, v in zip(net.inputs, x)}

    def param(label, sign=1):
        return params[label] * sign, ({label: Num.of(sign)} if label in wrt else {})

    for v, bias, sign, out, incoming in net.nodes:
        b = param(bias, sign) if bias is not None else (Num(), {})
        if out or net.semantics == "standard":
            acc = b
            for u, w in incoming:
                acc = _add(acc, _mul(param(w), val[u]))
            val[v] = acc if out else _apply(sigma, acc, derivative)
        else:
            acc = (Num(), {})
            for u, w in incoming:
                acc = _add(acc, _apply(sigma, _add(_mul(param(w), val[u]), b), derivative))
            val[v] = acc
    return [val[c] for c in net.outputs]


def preactivations(net: Net, sigma: Sigma, x: list, params: dict) -> list:
    """Every argument σ is applied to at the input x (one per hidden node; one per edge in literal semantics)."""
    val = {u: v for u, v in zip(net.inputs, x)}
    out = []
    for v, bias, sign, is_out, incoming in net.nodes:
        b = params[bias] * sign if bias is not None else Num()
        if is_out or net.semantics == "standard":
            z = b
            for u, w in incoming:
                z = z + params[w] * val[u]
            if not is_out:
                out.append(z)
            val[v] = z if is_out else sigma.value(z)
        else:
            acc = Num()
            for u, w in incoming:
                z = params[w] * val[u] + b
                out.append(z)
                acc = acc + sigma.value(z)
            val[v] = acc
    return out


def residuals_and_jacobian(net: Net, sigma: Sigma, X: list, Y: list, params: dict, cols=(), rows=None):
    """H (all rows r = s·ℓ + c) and {(r, j): J_rj} for r in ``rows`` (default all) and j in ``cols``."""
    wrt = {net.names[j] for j in cols}
    derivative = bool(cols)
    ell = len(net.outputs)
    H, J = [], {}
    for s, (x, y) in enumerate(zip(X, Y)):
        need = rows is None or any(s * ell + c in rows for c in range(ell))
        outs = forward(net, sigma, x, params, wrt if need else set(), derivative and need)
        for c, (f, grad) in enumerate(outs):
            r = s * ell + c
            H.append(f - y[c])
            if derivative and need and (rows is None or r in rows):
                for j in cols:
                    J[(r, j)] = grad.get(net.names[j], Num())
    return H, J
