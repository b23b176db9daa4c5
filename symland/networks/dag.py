"""General feedforward networks as in Section 3: a DAG G, a labeling π of edges and vertices by
parameters (π may repeat a label: weight sharing), and σ.

Two node semantics:

* ``literal`` — the paper's formula, o_v = Σ_{u→v} σ(w_{π(u→v)}·o_u + b_{π(v)}): σ is applied to
  every incoming edge separately, then summed;
* ``standard`` — o_v = σ(Σ_{u→v} w_{π(u→v)}·o_u + b_{π(v)}).

Output vertices are linear in both: o_v = Σ w·o_u + b_v. The two agree when every hidden vertex
has one incoming edge; with p > 1 inputs the literal reading is *not* Lemma 3.3's σ(a·x − b):
Σ_k σ(a_k x_k + b) ≠ σ(a·x + b). n counts distinct labels.

JSON form (see README)::

    {"inputs": ["x1", "x2"], "activation": "smoolu", "semantics": "standard",
     "nodes": [{"id": "h", "bias": "b"}, {"id": "out", "bias": "c", "output": true}],
     "edges": [{"from": "x1", "to": "h", "weight": "w"}, {"from": "x2", "to": "h", "weight": "w"},
               {"from": "h", "to": "out", "weight": "v"}]}

Exact values at a point come from second-order forward mode ("jets": value, gradient, Hessian,
stored sparsely) over any exact kind — small networks only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from symland import _validation
from symland.errors import InputError, ShapeError, UnknownNameError
from symland.io.data import read_json_value
from symland.networks.jets import Jet, lift
from symland.sigma.activations import Activation, get_activation, t as _t

__all__ = ["DagNetwork", "load_dag", "dag_from_obj"]


@dataclass(frozen=True)
class DagNetwork:
    """(G, π, σ, semantics). `nodes`: ((id, bias label or None, is_output), …) in the given order."""

    inputs: tuple
    nodes: tuple
    edges: tuple  # ((from, to, weight label), …)
    activation: Activation
    semantics: str = "standard"

    def __post_init__(self):
        # tuples all the way down: a DagNetwork is hashed as a cache key
        object.__setattr__(self, "inputs", _validation.sequence(self.inputs, "inputs"))
        for argument, shape in (("nodes", "(id, bias label or None, is_output)"),
                                ("edges", "(from, to, weight label)")):
            items = _validation.sequence(getattr(self, argument), argument)
            for item in items:
                if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 3:
                    raise ShapeError(f"{argument}: each is a triple {shape}, got {_validation.show(item)}")
            object.__setattr__(self, argument, tuple(tuple(item) for item in items))
        object.__setattr__(self, "activation", _validation.activation(self.activation))
        _validation.choice(self.semantics, ("literal", "standard"), "semantics", plural="semantics")
        ids = list(self.inputs) + [v for v, _, _ in self.nodes]
        if len(set(ids)) != len(ids):
            raise ShapeError("network: vertex ids must be distinct")
        for u, v, _ in self.edges:
            if u not in ids or v not in ids:
                raise ShapeError(f"network: edge {u} → {v} names an unknown vertex")
            if v in self.inputs:
                raise ShapeError(f"network: input {v} cannot have incoming edges")
        if not self.outputs:
            raise ShapeError("network: no output vertex")
        _ = self.order  # raises on a cycle

    @cached_property
    def outputs(self) -> tuple:
        marked = [v for v, _, out in self.nodes if out]
        if marked:
            return tuple(marked)
        sources = {u for u, _, _ in self.edges}
        return tuple(v for v, _, _ in self.nodes if v not in sources)

    @cached_property
    def order(self) -> tuple:
        """The non-input vertices in a topological order."""
        incoming = {v: [u for u, w, _ in self.edges if w == v] for v, _, _ in self.nodes}
        done, out = set(self.inputs), []
        pending = [v for v, _, _ in self.nodes]
        while pending:
            ready = [v for v in pending if all(u in done for u in incoming[v])]
            if not ready:
                raise ShapeError(f"network: the graph has a cycle through {pending[0]}")
            for v in ready:
                done.add(v)
                out.append(v)
                pending.remove(v)
        return tuple(out)

    @cached_property
    def _labels(self) -> tuple:
        seen = []
        for _, _, w in self.edges:
            if w not in seen:
                seen.append(w)
        for _, b, _ in self.nodes:
            if b is not None and b not in seen:
                seen.append(b)
        return tuple(seen)

    def param_names(self) -> list[str]:
        """Distinct labels: edge weights in edge order, then vertex biases."""
        return list(self._labels)

    @property
    def n(self) -> int:
        return len(self._labels)

    @property
    def p(self) -> int:
        return len(self.inputs)

    @property
    def l(self) -> int:  # noqa: E743
        return len(self.outputs)

    def vector(self, mapping, *, source: str = "point") -> list:
        unknown = sorted(set(mapping) - set(self._labels))
        if unknown:
            raise UnknownNameError(f"{source}: unknown parameter {unknown[0]!r} (labels: {', '.join(self._labels)})")
        missing = [k for k in self._labels if k not in mapping]
        if missing:
            raise ShapeError(f"{source}: missing parameter {missing[0]!r}")
        return [mapping[k] for k in self._labels]

    def to_obj(self) -> dict:
        """The JSON object form."""
        return {"inputs": list(self.inputs), "activation": self.activation.name,
                "semantics": self.semantics,
                "nodes": [{"id": v, "bias": b, "output": out} for v, b, out in self.nodes],
                "edges": [{"from": u, "to": v, "weight": w} for u, v, w in self.edges]}

    def symbols(self) -> list[sp.Symbol]:
        return [sp.Symbol(k, real=True) for k in self._labels]

    def _run(self, x, params, sigma, zero):
        """Generic evaluation over any numbers with +, * and a callable σ."""
        val = dict(zip(self.inputs, x))
        p = dict(zip(self._labels, params))
        bias = {v: (p[b] if b is not None else zero) for v, b, _ in self.nodes}
        outs = set(self.outputs)
        for v in self.order:
            terms = [(p[w], val[u]) for u, t, w in self.edges if t == v]
            if v in outs:
                acc = bias[v]
                for w, o in terms:
                    acc = acc + w * o
            elif self.semantics == "standard":
                acc = bias[v]
                for w, o in terms:
                    acc = acc + w * o
                acc = sigma(acc)
            else:
                acc = zero
                for w, o in terms:
                    acc = acc + sigma(w * o + bias[v])
            val[v] = acc
        return [val[v] for v in self.outputs]

    def sympy_output(self, x, params) -> list[sp.Expr]:
        lam = sp.Lambda(_t, self.activation.expr)
        return self._run([sp.sympify(v) for v in x], list(params), lam, sp.Integer(0))

    def jets(self, kind, point, X, second: bool, exact_point=None):
        """Per data point and output: (value, gradient list, Hessian rows or None), exactly.

        ``exact_point`` (the point's rationals, for an inexact ``kind``) decides a pre-activation whose number
        contains a breakpoint of σ (:func:`symland.sigma.kinkhits.hits`)."""
        n = self.n
        params = [Jet.variable(kind, v, i, n) for i, v in enumerate(point)]
        out, zeros, pre = [], [0], []

        def sigma(z):
            if kind.is_zero(z.value):
                zeros[0] += 1
            pre.append(z.value)
            return z.apply(self.activation, second)

        for x in X:
            xs = [lift(kind, v, n) for v in x]
            out.append(self._run(xs, params, sigma, lift(kind, 0, n)))
        return out, zeros[0], self.activation.breakpoint_hits(kind, pre, None if exact_point is None else
                                                              lambda: self._exact_pre(exact_point, X))

    def _exact_pre(self, point, X) -> list:
        """The pre-activations over ℚ in the order :meth:`jets` meets them (σ's values over ℚ needed)."""
        from flint import fmpq

        pre = []

        def sigma(z):
            pre.append(z)
            return self.activation.eval_rational(z)

        for x in X:
            self._run(list(x), list(point), sigma, fmpq(0))
        return pre


def _flag(value, source: str) -> bool:
    if not isinstance(value, bool):  # "false" or 0 must not read as True
        raise InputError(f"{source}: a node's \"output\" is true or false, got {value!r:.40}")
    return value


def dag_from_obj(obj, *, source: str = "network") -> DagNetwork:
    """Build from the JSON object form (see the module docstring)."""
    try:
        inputs = tuple(str(v) for v in obj["inputs"])
        nodes = tuple((str(v["id"]), (str(v["bias"]) if v.get("bias") is not None else None),
                       _flag(v.get("output", False), source)) for v in obj["nodes"])
        edges = tuple((str(e["from"]), str(e["to"]), str(e["weight"])) for e in obj["edges"])
        act = get_activation(str(obj.get("activation", "smoolu")))
        sem = str(obj.get("semantics", "standard"))
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{source}: not a network description (missing or malformed {exc})") from None
    return DagNetwork(inputs, nodes, edges, act, sem)


def load_dag(path) -> DagNetwork:
    """Read a network file (the JSON object form); InputError with the reason otherwise."""
    obj = read_json_value(path, "network file (JSON)")
    if not isinstance(obj, dict):
        raise InputError(f"{path}: a network file is a JSON object")
    return dag_from_obj(obj, source=str(path))
