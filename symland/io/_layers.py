"""Layer lists from parameter names, and the check that an imported network computes the framework's function.

Used by every importer (:mod:`symland.io.models`, :mod:`symland.io._torch`); imports neither of them (no cycle).

* A weights-only file (npz, safetensors, a PyTorch state dict) carries no structure: its network is symland's,
  Linear, σ, …, σ, Linear — one σ between consecutive layers, none before the first or after the last. PyTorch
  ``nn.Sequential`` names say where each module sat: ``k.weight`` at position k. Linear layers at positions
  0, 2, 4, … leave exactly one (parameter-free) module between them, as symland's structure has; any other
  positions (two Linears adjacent, two modules between, one before the first) are refused, naming the positions.
* A framework model (an ``nn.Module``, a Flax ``apply``) is evaluated by the framework itself on probe inputs and,
  at certify time, on the data (:func:`check_forward`): symland's float forward pass must agree to float
  tolerance, or the import is refused naming the largest difference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import numpy as np

from symland.errors import InputError

__all__ = ["layers_from_named", "check_forward", "probe_inputs", "FORWARD_RTOL"]

_SEQ = re.compile(r"^(\d+)\.(weight|bias)$")
_PLAIN = re.compile(r"^([Wb])(\d+)$")
#: symland's float forward pass and the framework's (both float64) agree to this relative tolerance.
FORWARD_RTOL = 1e-7


def _sequential_positions(idx: list, source: str) -> None:
    """Linear layers of an nn.Sequential at positions 0, 2, 4, …: exactly one module between consecutive ones."""
    if idx[0] != 0:
        raise InputError(f"{source}: the first Linear layer sits at position {idx[0]} of the nn.Sequential, so "
                         f"{idx[0]} module(s) come before it; symland's networks start with a Linear layer")
    for a, b in zip(idx, idx[1:]):
        if b - a != 2:
            what = ("nothing between them" if b - a == 1 else f"{b - a - 1} modules between them")
            raise InputError(f"{source}: Linear layers at positions {a} and {b} of the nn.Sequential have {what}; "
                             "symland's networks have exactly one activation between consecutive layers")


def layers_from_named(arrays: Mapping[str, np.ndarray], source: str) -> list:
    """[(W, b)] from ``0.weight``/``0.bias`` … or ``W1``/``b1`` … names; b is None for a layer without a bias."""
    keys = [k for k in arrays if k != "activation"]
    seq = {k: _SEQ.match(k) for k in keys}
    plain = {k: _PLAIN.match(k) for k in keys}
    if keys and all(seq.values()):
        idx = sorted({int(m.group(1)) for m in seq.values()})
        _sequential_positions(idx, source)
        get = lambda i, what: arrays.get(f"{i}.{what}")  # noqa: E731
        label = lambda i, what: f"{i}.{what}"  # noqa: E731
    elif keys and all(plain.values()):
        idx = sorted({int(m.group(2)) for m in plain.values()})
        if idx != list(range(1, len(idx) + 1)):
            raise InputError(f"{source}: layers must be numbered W1, b1, W2, b2, … without gaps, got {sorted(keys)}")
        get = lambda i, what: arrays.get(("W" if what == "weight" else "b") + str(i))  # noqa: E731
        label = lambda i, what: ("W" if what == "weight" else "b") + str(i)  # noqa: E731
    else:
        bad = next((k for k in keys if not (seq[k] or plain[k])), None) or sorted(keys)[:2]
        raise InputError(f"{source}: cannot read the layer names (expected 0.weight, 0.bias, … or W1, b1, …; "
                         f"found {bad!r})")
    layers = []
    for i in idx:
        W, b = get(i, "weight"), get(i, "bias")
        if W is None:
            raise InputError(f"{source}: missing {label(i, 'weight')!r} (every layer needs a weight)")
        layers.append((W, b))
    return layers


def probe_inputs(p: int, count: int = 16) -> np.ndarray:
    """Deterministic probe inputs (count × p): spread over the scale of typical data, on both sides of 0."""
    rng = np.random.default_rng(20181127)
    return rng.normal(size=(count, p)) * np.geomspace(0.1, 10, count)[:, None]


def check_forward(model, X: np.ndarray, framework: Callable[[np.ndarray], np.ndarray], what: str) -> None:
    """Refuse (InputError) unless symland's float forward pass of ``model`` equals ``framework(X)`` (rows of X are
    inputs; outputs rows of ℓ) to :data:`FORWARD_RTOL` relative to the outputs' scale."""
    from symland.networks.floating import forward_pass, split_flat, vectorized

    X = np.asarray(X, dtype=float)
    net = model.network
    with np.errstate(all="ignore"):
        Z, _ = forward_pass(split_flat(net.shapes, net.bias, model.float_point()), vectorized(net.activation, 0), X.T)
        ours = Z[-1].T
    try:
        theirs = np.asarray(framework(X), dtype=float).reshape(ours.shape)
    except Exception as exc:  # noqa: BLE001 -- the framework's own error, on its own model
        raise InputError(f"{model.source}: the framework could not evaluate its model on {what} "
                         f"({type(exc).__name__}: {str(exc)[:120]})") from None
    if not (np.all(np.isfinite(ours)) and np.all(np.isfinite(theirs))):
        raise InputError(f"{model.source}: the forward pass on {what} is not finite in float64; the imported "
                         "network cannot be compared with the framework's")
    scale = 1.0 + float(np.max(np.abs(theirs))) if theirs.size else 1.0
    gap = float(np.max(np.abs(ours - theirs))) if theirs.size else 0.0
    if gap > FORWARD_RTOL * scale:
        raise InputError(f"{model.source}: the imported network is not the framework's function: on {what} the "
                         f"outputs differ by up to {gap:.3e} (tolerance {FORWARD_RTOL * scale:.1e}); only "
                         "Linear, σ, …, σ, Linear with one σ is imported")
