"""The one place that reads ONNX files (the optional ``onnx`` package, extra ``models``): MLP graphs.

A graph is read as one chain from its single input to its single output, in node order (ONNX graphs are
topologically sorted). Each linear layer is

* ``Gemm(x, B[, C])`` with ``transA = 0``, ``alpha = beta = 1`` (other values are refused: scaling would round the
  weights); B is (in, out), or (out, in) with ``transB = 1``; C the bias (the framework's +b), or
* ``MatMul(x, B)`` with B (in, out), optionally followed by ``Add(·, C)`` (either operand order),

and between consecutive layers sits exactly one activation node: ``Tanh``, ``Relu``, ``Sigmoid``, ``Softplus`` or
``Identity`` (a linear network); ``Identity`` nodes anywhere else pass their input on. Weights are initializers (or
``Constant`` nodes; a ``Transpose`` or ``Identity`` of a weight, as exporters may write, is a weight too). Any other
operator is refused naming it and its node; so are a branch (a node reading anything but the chain's current tensor
and weights), different activations in one network, an activation before the first or after the last layer.

:func:`onnx_forward` evaluates the file with ``onnx.reference`` (pure numpy) when it can: the import is checked
against it like a PyTorch module's forward pass.
"""

from __future__ import annotations

import numpy as np

from symland.errors import InputError

__all__ = ["ONNX_ACTIVATIONS", "require_onnx", "onnx_layers", "onnx_forward"]

#: ONNX activation operators → symland's σ names.
ONNX_ACTIVATIONS = {"Tanh": "tanh", "Relu": "relu", "Sigmoid": "sigmoid", "Softplus": "softplus",
                    "Identity": "identity"}


def require_onnx():
    try:
        import onnx
    except ImportError:
        raise InputError("ONNX models need the optional package onnx (pip install 'symland[models]')") from None
    return onnx


def _load(path: str):
    onnx = require_onnx()
    try:
        model = onnx.load(path)
    except Exception as exc:  # noqa: BLE001 -- protobuf raises its own error types
        raise InputError(f"{path}: not a readable ONNX file ({type(exc).__name__})") from None
    return onnx, model


def _attrs(node, onnx) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _weights(model, onnx) -> dict:
    from onnx import numpy_helper

    w = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Constant" and "value" in _attrs(node, onnx):
            w[node.output[0]] = numpy_helper.to_array(_attrs(node, onnx)["value"])
    return w


class _Chain:
    """The walk along the graph: the current tensor, the layers and activations met so far."""

    def __init__(self, source: str, current: str):
        self.source, self.current = source, current
        self.layers: list = []  # [W (out, in), b or None]
        self.acts: list = []  # (op, node label)
        self.after_layer = False  # the last thing met was a linear layer (an activation may follow)
        self.open_matmul = False  # the last layer is a MatMul that an Add may complete

    def fail(self, label: str, why: str):
        raise InputError(f"{self.source}: node {label}: {why}; symland imports MLP graphs Gemm (or MatMul + Add), "
                         "σ, …, σ, Gemm with σ one of Tanh, Relu, Sigmoid, Softplus, Identity")

    def layer(self, W, b, label: str):
        if self.layers and self.after_layer:
            self.fail(label, "a linear layer directly follows another with no activation between")
        if not self.layers and self.acts:
            self.fail(label, f"the activation {self.acts[0][0]} comes before the first linear layer")
        self.layers.append([np.asarray(W), None if b is None else np.asarray(b).reshape(-1)])
        self.after_layer = True

    def act(self, op: str, label: str):
        if not self.after_layer:
            if op == "Identity":
                return  # a no-op: passes its input on
            self.fail(label, f"{op} does not follow a linear layer")
        self.acts.append((op, label))
        self.after_layer, self.open_matmul = False, False


def _data_input(node, chain: _Chain, weights: dict, label: str) -> list:
    """The node's inputs other than the chain's current tensor (weights); a branch is refused."""
    ins = [i for i in node.input if i]
    if chain.current not in ins:
        chain.fail(label, f"it does not read the chain's current tensor {chain.current!r} (a branch)")
    others = [i for i in ins if i != chain.current]
    missing = [i for i in others if i not in weights]
    if missing:
        chain.fail(label, f"its input {missing[0]!r} is neither the chain's tensor nor a weight (a branch)")
    return others


def _gemm(node, chain, weights, onnx, label):
    a = _attrs(node, onnx)
    if node.input[0] != chain.current or a.get("transA", 0):
        chain.fail(label, "Gemm must take the data as its first operand A, untransposed (transA = 0)")
    for k in ("alpha", "beta"):
        if float(a.get(k, 1.0)) != 1.0:
            chain.fail(label, f"Gemm with {k} = {a[k]} (only 1 is imported: scaling would round the weights)")
    if len(node.input) < 2 or node.input[1] not in weights:
        chain.fail(label, "Gemm's operand B must be a weight (an initializer)")
    B = weights[node.input[1]]
    C = weights[node.input[2]] if len(node.input) > 2 and node.input[2] else None
    W = B if a.get("transB", 0) else B.T
    if C is not None and C.size != W.shape[0]:
        chain.fail(label, f"Gemm bias C has shape {C.shape}, expected ({W.shape[0]},)")
    chain.layer(W, C, label)


def onnx_layers(path: str) -> tuple[list, str | None]:
    """([(W (out, in), b (out,) or None)], σ name or None for a single layer) of an MLP graph, or InputError."""
    onnx, model = _load(path)
    g = model.graph
    weights = _weights(model, onnx)
    inputs = [i.name for i in g.input if i.name not in weights]
    if len(inputs) != 1 or len(g.output) != 1:
        raise InputError(f"{path}: the graph has {len(inputs)} data inputs and {len(g.output)} outputs; an MLP has "
                         "one of each")
    chain = _Chain(path, inputs[0])
    for idx, node in enumerate(g.node):
        op, label = node.op_type, f"{idx} ({node.op_type}{' ' + repr(node.name) if node.name else ''})"
        if op == "Constant":
            continue
        if op in ("Transpose", "Identity") and node.input and all(i in weights for i in node.input if i):
            w = weights[node.input[0]]  # a weight reordered (exporters may transpose a weight in the graph)
            weights[node.output[0]] = np.transpose(w, _attrs(node, onnx).get("perm")) if op == "Transpose" else w
            continue
        if node.domain not in ("", "ai.onnx"):
            chain.fail(label, f"operator {op} of domain {node.domain!r} is not imported")
        if op == "Gemm":
            _data_input(node, chain, weights, label)
            _gemm(node, chain, weights, onnx, label)
        elif op == "MatMul":
            others = _data_input(node, chain, weights, label)
            if node.input[0] != chain.current or len(others) != 1:
                chain.fail(label, "MatMul must take the data as its first operand and a weight as its second (x B)")
            chain.layer(weights[others[0]].T, None, label)
            chain.open_matmul = True
        elif op == "Add" and chain.open_matmul and chain.layers[-1][1] is None:
            others = _data_input(node, chain, weights, label)
            if len(others) != 1:
                chain.fail(label, "Add must add one weight (the bias) to the chain's tensor")
            b = np.asarray(weights[others[0]])
            if b.size != chain.layers[-1][0].shape[0]:
                chain.fail(label, f"the bias added has shape {b.shape}, expected ({chain.layers[-1][0].shape[0]},)")
            chain.layers[-1][1] = b.reshape(-1)
            chain.open_matmul = False
        elif op in ONNX_ACTIVATIONS:
            _data_input(node, chain, weights, label)
            chain.act(op, label)
        else:
            chain.fail(label, f"operator {op} is not imported")
        chain.current = node.output[0]
    if chain.current != g.output[0].name:
        raise InputError(f"{path}: the chain ends at {chain.current!r}, not at the graph's output {g.output[0].name!r}")
    if not chain.layers:
        raise InputError(f"{path}: the graph has no linear layer (Gemm or MatMul)")
    if not chain.after_layer:
        op, label = chain.acts[-1]
        chain.fail(label, f"the activation {op} comes after the last linear layer (the output layer is linear)")
    ops = sorted({op for op, _ in chain.acts})
    if len(ops) > 1:
        raise InputError(f"{path}: the graph mixes the activations {', '.join(ops)}; symland's networks have one σ")
    return [tuple(layer) for layer in chain.layers], (ONNX_ACTIVATIONS[ops[0]] if ops else None)


def _as_float64(model, onnx):
    """The graph with every float weight and tensor type in float64 (float32 → float64 is exact), so that
    ``onnx.reference`` computes in the precision symland's float forward pass uses."""
    from onnx import numpy_helper

    def up(t):
        a = numpy_helper.to_array(t)
        return numpy_helper.from_array(a.astype(np.float64), t.name) if a.dtype.kind == "f" else t

    g = model.graph
    inits = [up(t) for t in g.initializer]
    del g.initializer[:]
    g.initializer.extend(inits)
    for node in g.node:
        for a in node.attribute:
            if a.name == "value" and a.type == onnx.AttributeProto.TENSOR:
                a.t.CopyFrom(up(a.t))
    for vi in [*g.input, *g.output, *g.value_info]:
        if vi.type.tensor_type.elem_type in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16):
            vi.type.tensor_type.elem_type = onnx.TensorProto.DOUBLE
    return model


def onnx_forward(path: str):
    """The file's own forward pass (rows → rows) by ``onnx.reference`` in float64; None when it cannot run."""
    onnx, model = _load(path)
    try:
        from onnx.reference import ReferenceEvaluator

        sess = ReferenceEvaluator(_as_float64(model, onnx))
    except Exception:  # noqa: BLE001 -- an older onnx without the reference evaluator
        return None
    name = sess.input_names[0]

    def run(X):
        return np.asarray(sess.run(None, {name: np.asarray(X, dtype=np.float64)})[0], dtype=np.float64)

    return run
