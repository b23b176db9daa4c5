"""The one place that touches PyTorch (an optional extra): ``nn.Sequential`` and state dicts → numpy layers.

torch is imported lazily; without it every entry point fails with one line naming what to install.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from symland.errors import InputError

__all__ = ["require_torch", "load_pt", "sequential_layers"]


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


def sequential_layers(obj, act_names: Mapping[str, str], source: str) -> tuple[list, str | None]:
    """([(W (out, in), b or None)], activation name or None) from an ``nn.Sequential`` or a state dict."""
    torch = require_torch()
    if isinstance(obj, torch.nn.Module):
        mods = list(obj.children()) if isinstance(obj, torch.nn.Sequential) else None
        if mods is None:
            raise InputError(f"{source}: expected an nn.Sequential, got {type(obj).__name__}")
        layers, acts = [], set()
        for i, mod in enumerate(mods):
            kind = type(mod).__name__
            if isinstance(mod, torch.nn.Linear):
                layers.append((_np(mod.weight), None if mod.bias is None else _np(mod.bias)))
            elif kind in act_names:
                if kind == "Softplus" and (getattr(mod, "beta", 1) != 1 or getattr(mod, "threshold", 20) != 20):
                    raise InputError(f"{source}: layer {i} is Softplus with beta={mod.beta}; only beta=1 is known")
                acts.add(act_names[kind])
            else:
                raise InputError(f"{source}: layer {i} ({kind}) is not supported (Linear, ReLU, Tanh, Softplus, "
                                 "Sigmoid)")
        if len(acts) > 1:
            raise InputError(f"{source}: the network mixes activations {sorted(acts)}; symland uses one σ")
        return layers, (acts.pop() if acts else None)
    if isinstance(obj, Mapping):
        from symland.models import _layers_from_named

        arrays = {k: (_np(v) if hasattr(v, "detach") else np.asarray(v)) for k, v in obj.items()}
        return _layers_from_named(arrays, source), None
    raise InputError(f"{source}: expected an nn.Sequential or a state dict, got {type(obj).__name__}")
