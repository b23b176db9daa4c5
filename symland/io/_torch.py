"""The one place that touches PyTorch (an optional extra): ``nn.Sequential`` and state dicts → numpy layers.

An ``nn.Sequential`` is read in order and must be exactly Linear, σ, Linear, …, σ, Linear (nested Sequentials
flattened); anything else — σ before the first or after the last Linear, two σ or two Linear in a row, any other
module — is refused naming the module. :func:`torch_forward` gives the module's own forward pass, against which
the import is checked (:func:`symland.io._layers.check_forward`).

torch is imported lazily; without it every entry point fails with one line naming what to install.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from symland.errors import InputError

__all__ = ["require_torch", "load_pt", "sequential_layers", "torch_forward", "TORCH_ACTIVATIONS"]


def require_torch():
    try:
        import torch
    except ImportError:
        raise InputError("PyTorch models need the optional package torch (pip install torch)") from None
    return torch


def load_pt(path: str, *, trust_pickle: bool = False):
    """A state dict (or, with ``trust_pickle``, a whole module) saved with ``torch.save``.

    Read with ``weights_only=True``, which runs no code from the file. A file holding a whole pickled module can
    only be read by unpickling it, which runs code from the file: that happens only when the caller says the file
    is trusted (``--trust-pickle``); otherwise one line says so and how to save a state dict instead.
    """
    torch = require_torch()
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 -- torch raises many error types for a file it cannot read safely
        if not trust_pickle:
            raise InputError(f"{path}: not readable without running code from the file ({type(exc).__name__}); "
                             "save model.state_dict() instead, or pass --trust-pickle (trust_pickle=True) for a "
                             "file you trust") from None
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{path}: not a readable PyTorch file ({type(exc).__name__})") from None


def _np(t) -> np.ndarray:
    t = t.detach().cpu()
    if not t.is_floating_point():
        raise InputError(f"a parameter has dtype {t.dtype}, not a float")
    return t.double().numpy() if t.dtype not in (require_torch().float32, require_torch().float64) else t.numpy()


#: PyTorch activation modules symland maps to its σ (by class name).
TORCH_ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Softplus": "softplus", "Sigmoid": "sigmoid"}


def _modules(seq, torch, prefix: str = ""):
    """(position name, module) of an nn.Sequential in order, nested nn.Sequential flattened."""
    for name, mod in seq.named_children():
        if isinstance(mod, torch.nn.Sequential):
            yield from _modules(mod, torch, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", mod


def _structure(obj, torch, source: str) -> tuple[list, str | None]:
    """Linear, σ, Linear, …, σ, Linear read in order — exactly, or InputError naming the module that breaks it."""
    layers, acts, want, prev = [], set(), "Linear", None
    for name, mod in _modules(obj, torch):
        kind = type(mod).__name__
        here = f"module {name} ({kind})"
        if isinstance(mod, torch.nn.Linear):
            if want != "Linear":
                raise InputError(f"{source}: {here} follows the Linear {prev} with no activation between; symland's "
                                 "networks alternate Linear, σ, …, σ, Linear")
            layers.append((_np(mod.weight), None if mod.bias is None else _np(mod.bias)))
        elif kind in TORCH_ACTIVATIONS:
            if want == "Linear":
                where = "before the first Linear layer" if prev is None else f"right after the activation {prev}"
                raise InputError(f"{source}: {here} comes {where}; symland's networks have exactly one σ between "
                                 "consecutive Linear layers and none elsewhere")
            if kind == "Softplus" and (getattr(mod, "beta", 1) != 1 or getattr(mod, "threshold", 20) != 20):
                raise InputError(f"{source}: {here} has beta={mod.beta}, threshold={mod.threshold}; only the "
                                 "defaults are known")
            acts.add(TORCH_ACTIVATIONS[kind])
        else:
            raise InputError(f"{source}: {here} is not supported (Linear, ReLU, Tanh, Softplus, Sigmoid)")
        want, prev = ("σ" if want == "Linear" else "Linear"), f"{name} ({kind})"
    if not layers:
        raise InputError(f"{source}: the nn.Sequential has no Linear layer")
    if want == "Linear":
        raise InputError(f"{source}: module {prev} comes after the last Linear layer; symland's output layer is "
                         "linear (no σ after it)")
    if len(acts) > 1:
        raise InputError(f"{source}: the network mixes activations {sorted(acts)}; symland uses one σ")
    return layers, (acts.pop() if acts else None)


def torch_forward(module):
    """The module's own forward pass in float64 on a numpy array of inputs (rows), on a copy (eval mode)."""
    import copy

    torch = require_torch()
    ref = copy.deepcopy(module).double().eval()

    def run(X: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return ref(torch.as_tensor(np.asarray(X, dtype=np.float64))).numpy()

    return run


def sequential_layers(obj, source: str) -> tuple[list, str | None]:
    """([(W (out, in), b or None)], activation name or None) from an ``nn.Sequential`` or a state dict."""
    torch = require_torch()
    if isinstance(obj, torch.nn.Module):
        if not isinstance(obj, torch.nn.Sequential):
            raise InputError(f"{source}: expected an nn.Sequential, got {type(obj).__name__}")
        return _structure(obj, torch, source)
    if isinstance(obj, Mapping):
        from symland.io._layers import layers_from_named

        arrays = {k: (_np(v) if hasattr(v, "detach") else np.asarray(v)) for k, v in obj.items()}
        return layers_from_named(arrays, source), None
    raise InputError(f"{source}: expected an nn.Sequential or a state dict, got {type(obj).__name__}")
