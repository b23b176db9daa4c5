"""Trained networks from other frameworks: exact parameters in symland's convention.

A framework's dense layer computes W x **+** b (PyTorch ``nn.Linear``: ``weight`` of shape (out, in); Flax
``Dense``: ``kernel`` of shape (in, out)). symland's layers compute W x **−** b (:mod:`symland.networks.network`), so
the
importer converts once, here: symland's b_k is the framework's −b_k, and W_k is the (out, in) weight matrix. The
conversion is recorded in :attr:`ImportedModel.bias_convention` and goes into every certificate.

Every float32/float64 number is a dyadic rational m·2^e; ``float.as_integer_ratio`` gives it exactly, so the
imported parameters are the trained network's own numbers, nothing rounded. NaN and ±inf are rejected.

Files (:func:`load_model`):

* ``.npz`` / ``.safetensors`` with PyTorch ``nn.Sequential`` names — ``0.weight`` (out, in), ``0.bias``,
  ``2.weight``, … in the order of the numeric prefix — or plainly ``W1, b1, W2, b2, …`` with the same shapes and
  the framework's +b. An optional entry ``activation`` (npz: a 0-d string array; safetensors: the metadata key
  ``"activation"``) names σ.
* ``.pt`` / ``.pth``: a PyTorch state dict or a pickled ``nn.Sequential`` (needs ``torch``, the optional extra).
* ``.onnx``: an MLP graph, Gemm (or MatMul + Add), σ, …, σ, Gemm (needs ``onnx``, the ``models`` extra;
  :mod:`symland.io._onnx`).

A fitted scikit-learn ``MLPRegressor`` comes in through :func:`from_sklearn` (:mod:`symland.io._sklearn`).

The imported network is the framework's function (:mod:`symland.io._layers`): weights-only files have symland's
structure Linear, σ, …, σ, Linear (``nn.Sequential`` positions that contradict it are refused); a framework model
(an ``nn.Sequential``, a Flax ``apply``) is read in order, refused naming any module that does not fit, and its own
forward pass must equal symland's on probe inputs at import and on the data in ``certify``.

>>> import numpy as np
>>> m = from_arrays([(np.array([[0.5], [-1.0]]), np.array([0.25, 0.0])), (np.array([[1.0, 2.0]]), np.array([-3.0]))],
...                 "tanh")
>>> m.widths, str(m.params["b1_0"]), str(m.params["b2_0"])
((1, 2, 1), '-1/4', '3')
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from flint import fmpq

from symland.errors import InputError, ShapeError
from symland.io._layers import check_forward, layers_from_named, probe_inputs
from symland.networks.network import MLP
from symland.sigma.activations import Activation, get_activation

__all__ = ["ImportedModel", "load_model", "from_arrays", "from_torch", "from_flax", "from_sklearn", "from_onnx",
           "exact_dyadic",
           "BIAS_CONVENTION", "NO_BIASES"]

BIAS_CONVENTION = "+b (PyTorch/Flax) → −b: symland biases are the negated framework biases"
NO_BIASES = "no biases: f(x) = W_K σ(… σ(W_1 x) …), the model's layers have none (symland mlp(…, bias=False))"


@dataclass(frozen=True)
class ImportedModel:
    """A trained layered network with exact parameters, already in symland's W x − b convention."""

    network: MLP
    params: dict  # symland name (W1_0_0, …, b1_0, …) → fmpq, exact dyadic rationals
    activation: Activation
    source: str
    bias_convention: str = BIAS_CONVENTION
    #: the framework's own forward pass (inputs as rows → outputs as rows), when the import had the model itself
    reference: Any = field(default=None, compare=False, repr=False)

    def check_on(self, X, what: str = "the data") -> None:
        """InputError unless symland's float forward pass equals the framework's on the inputs X (rows); nothing to
        compare for a weights-only import (its structure is symland's by construction)."""
        if self.reference is not None:
            X = np.array([[float(v) for v in row] for row in X], dtype=float) if not isinstance(X, np.ndarray) else X
            check_forward(self, X, self.reference, what)

    @property
    def widths(self) -> tuple:
        return self.network.widths

    def point(self) -> list:
        """The parameters as a flat list of ``fmpq`` in the canonical order."""
        return self.network.vector(self.params, source=self.source)

    def point_strings(self) -> dict:
        """{name: exact string}, as ``Instance.point`` and ``--point`` files take them."""
        return {k: str(self.params[k]) for k in self.network.param_names()}

    def float_point(self) -> np.ndarray:
        return np.array([int(q.p) / int(q.q) for q in self.point()], dtype=float)


def exact_dyadic(value: float, where: str = "") -> fmpq:
    """A finite float as the exact rational it is; NaN/inf → InputError."""
    v = float(value)
    if not np.isfinite(v):
        raise InputError(f"{where or 'a weight'} is {v}: not a finite number")
    num, den = v.as_integer_ratio()
    return fmpq(num, den)


def _exact_array(a: np.ndarray, where: str) -> list:
    a = np.asarray(a)
    if a.dtype.kind not in "fiu":
        raise InputError(f"{where}: expected a float array, got dtype {a.dtype}")
    a64 = a.astype(np.float64)  # exact for float16/32 and integers up to 2^53
    if not np.all(np.isfinite(a64)):
        raise InputError(f"{where} contains NaN or inf: not a finite number")
    return [exact_dyadic(v) for v in a64.ravel().tolist()]


def _activation(name: str | Activation | None, found: str | None, source: str) -> Activation:
    if isinstance(name, Activation):
        name_s = name.name
    else:
        name_s = name
    if name_s is not None and found is not None and name_s != found:
        raise InputError(f"{source}: --activation {name_s} contradicts the model's own activation {found}")
    chosen = name if name is not None else found
    if chosen is None:
        raise InputError(f"{source}: the file names no activation; give one (--activation, e.g. tanh)")
    return chosen if isinstance(chosen, Activation) else get_activation(chosen)


def _bias_flag(layers: Sequence, source: str) -> bool:
    """True when every layer has a bias, False when none has; a mix → InputError naming the first odd layer."""
    has = [len(layer) > 1 and layer[1] is not None for layer in layers]
    if all(has) or not any(has):
        return all(has)
    k = has.index(not has[0]) + 1
    raise InputError(f"{source}: linear layer {k} (counting from 1) has {'a' if has[k - 1] else 'no'} bias but "
                     f"layer 1 has "
                     f"{'one' if has[0] else 'none'}; symland's networks have biases in every layer or in none")


def from_arrays(layers: Sequence, activation, source: str = "arrays") -> ImportedModel:
    """A model from [(W (out, in), b (out,) or None), …] in the framework's +b convention (all b None: no biases)."""
    if not layers:
        raise ShapeError(f"{source}: no layers")
    act = activation if isinstance(activation, Activation) else _activation(activation, None, source)
    bias = _bias_flag(layers, source)
    widths, params = [], {}
    for k, layer in enumerate(layers, start=1):
        W = np.asarray(layer[0])
        b = np.asarray(layer[1]) if bias else None
        if W.ndim != 2:
            raise ShapeError(f"{source}: layer {k} weight must be 2-d (out, in), got shape {W.shape}")
        if bias and b.shape != (W.shape[0],):
            raise ShapeError(f"{source}: layer {k} bias has shape {b.shape}, expected ({W.shape[0]},)")
        if k == 1:
            widths.append(W.shape[1])
        elif W.shape[1] != widths[-1]:
            raise ShapeError(f"{source}: layer {k} takes {W.shape[1]} inputs but layer {k - 1} has {widths[-1]} "
                             "outputs")
        widths.append(W.shape[0])
        ws = _exact_array(W, f"{source}: layer {k} weight")
        bs = _exact_array(b, f"{source}: layer {k} bias") if bias else None
        r, c = W.shape
        for i in range(r):
            for j in range(c):
                params[f"W{k}_{i}_{j}"] = ws[i * c + j]
            if bias:
                params[f"b{k}_{i}"] = -bs[i]  # framework +b → symland −b
    return ImportedModel(MLP(tuple(widths), act, bias), params, act, source,
                         BIAS_CONVENTION if bias else NO_BIASES)


def _npz(path: str) -> tuple[dict, str | None]:
    if not zipfile.is_zipfile(path):  # np.load would read a .npy array or try to unpickle anything else
        raise InputError(f"{path}: not a .npz file (a zip archive of .npy arrays, as numpy.savez writes)")
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, NotImplementedError) as exc:
        why = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: not a readable .npz file ({why})") from None
    act = arrays.pop("activation", None)
    if act is not None:
        if act.ndim != 0 or act.dtype.kind not in "US":
            raise InputError(f"{path}: the entry 'activation' must be a 0-d string array")
        act = str(act[()])
    return arrays, act


def _safetensors(path: str) -> tuple[dict, str | None]:
    try:
        from safetensors import safe_open
    except ImportError:
        raise InputError("reading .safetensors needs the optional package safetensors "
                         "(pip install 'symland[models]')") from None
    try:
        with safe_open(path, framework="numpy") as f:
            meta = f.metadata() or {}
            arrays = {k: f.get_tensor(k) for k in f.keys()}
    except Exception as exc:  # noqa: BLE001 -- safetensors raises its own error types
        raise InputError(f"{path}: not a readable .safetensors file ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    return arrays, meta.get("activation")


def load_model(path, activation=None, *, trust_pickle: bool = False) -> ImportedModel:
    """A trained network from ``.npz``, ``.safetensors``, (with torch) ``.pt``/``.pth`` or (with onnx) ``.onnx``.

    ``trust_pickle``: a ``.pt`` file holding a whole pickled module (not a state dict) is read only then, because
    unpickling runs code from the file.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    ext = os.path.splitext(path)[1].lower()
    if ext == ".npz":
        arrays, found = _npz(path)
    elif ext == ".safetensors":
        arrays, found = _safetensors(path)
    elif ext in (".pt", ".pth"):
        from symland.io._torch import load_pt

        return from_torch(load_pt(path, trust_pickle=trust_pickle), activation, source=path)
    elif ext == ".onnx":
        return from_onnx(path, activation)
    else:
        raise InputError(f"{path}: unknown model format {ext or '(none)'} (use .npz, .safetensors, .pt or .onnx)")
    act = _activation(activation, found, path)
    return from_arrays(layers_from_named(arrays, path), act, source=path)


def from_torch(module_or_state_dict, activation=None, *, source: str = "torch") -> ImportedModel:
    """A model from an ``nn.Sequential`` Linear, σ, …, σ, Linear (σ one of ReLU/Tanh/Softplus/Sigmoid), or a state
    dict.

    A module is read in order (anything else refused, naming the module) and its own forward pass is compared with
    symland's on probe inputs — and again on the data by ``certify`` (:meth:`ImportedModel.check_on`).
    """
    from symland.io._torch import sequential_layers, torch_forward

    layers, found = sequential_layers(module_or_state_dict, source)
    model = from_arrays(layers, _activation(activation, found, source), source=source)
    if isinstance(module_or_state_dict, Mapping):
        return model  # weights only: the structure is symland's (positions checked by layers_from_named)
    model = replace(model, reference=torch_forward(module_or_state_dict))
    model.check_on(probe_inputs(model.widths[0]), "probe inputs")
    return model


def from_flax(params: Mapping[str, Any], activation=None, *, source: str = "flax", apply=None) -> ImportedModel:
    """A model from a Flax parameter tree ``{"Dense_0": {"kernel": (in, out), "bias": (out,)}, …}``.

    A parameter tree carries no structure: the network is symland's Dense, σ, …, σ, Dense. With ``apply`` (the
    Flax module's ``apply``, called as ``apply(params, x)``), that structure is checked: its outputs must equal
    symland's on probe inputs (and, in ``certify``, on the data), or the import is refused.

    ``Dense(use_bias=False)`` layers have no "bias" key: all layers without one give a bias-free network.

    The tree may be wrapped in ``{"params": …}``; layers are ordered by the number after the last ``_``.
    Flax kernels are (in, out): transposed here to symland's (out, in).
    """
    tree = params.get("params", params) if isinstance(params, Mapping) else None
    if not isinstance(tree, Mapping) or not tree:
        raise InputError(f"{source}: expected a dict of layers {{'Dense_0': {{'kernel', 'bias'}}, …}}")

    def order(name: str):
        m = re.search(r"(\d+)$", name)
        if m is None:
            raise InputError(f"{source}: cannot order the layer {name!r} (expected names like Dense_0)")
        return int(m.group(1))

    layers = []
    for name in sorted(tree, key=order):
        leaf = tree[name]
        if not isinstance(leaf, Mapping) or "kernel" not in leaf:
            raise InputError(f"{source}: layer {name!r} needs a 'kernel' (a Dense layer)")
        K = np.asarray(leaf["kernel"])
        if K.ndim != 2:
            raise ShapeError(f"{source}: {name}.kernel must be 2-d (in, out), got shape {K.shape}")
        layers.append((K.T, np.asarray(leaf["bias"]) if "bias" in leaf else None))
    model = from_arrays(layers, _activation(activation, None, source), source=source)
    if apply is None:
        return model
    model = replace(model, reference=lambda X: apply(params, X))
    model.check_on(probe_inputs(model.widths[0]), "probe inputs")
    return model


def from_sklearn(estimator, activation=None, *, source: str | None = None) -> ImportedModel:
    """A model from a fitted scikit-learn ``MLPRegressor`` (``coefs_`` (in, out) → W = coefsᵀ, ``intercepts_`` the
    +b; ``logistic`` is symland's ``sigmoid``). A classifier is refused: the paper's loss is the squared loss.

    The estimator's own ``predict`` is the reference forward pass, checked on probe inputs here and on the data by
    ``certify``.
    """
    from symland.io._sklearn import sklearn_layers

    source = source or type(estimator).__name__
    layers, found = sklearn_layers(estimator, source)
    model = from_arrays(layers, _activation(activation, found, source), source=source)
    model = replace(model, reference=estimator.predict)
    model.check_on(probe_inputs(model.widths[0]), "probe inputs")
    return model


def from_onnx(path, activation=None) -> ImportedModel:
    """A model from an ONNX MLP graph (:mod:`symland.io._onnx`); checked against ``onnx.reference`` when it runs."""
    from symland.io._onnx import onnx_forward, onnx_layers

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    layers, found = onnx_layers(path)
    model = from_arrays(layers, _activation(activation, found, path), source=path)
    forward = onnx_forward(path)
    if forward is None:
        return model  # the chain was read node by node: its structure is symland's
    model = replace(model, reference=forward)
    model.check_on(probe_inputs(model.widths[0]), "probe inputs")
    return model
