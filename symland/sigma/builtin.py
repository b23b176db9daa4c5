"""The built-in activations by name: the table :data:`ACTIVATIONS`, the parametric families ``rectpow<k>``,
``relu_after<c>``, ``poly:<c0>,<c1>,...``, and :func:`get_activation`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from types import MappingProxyType
from typing import Any

import sympy as sp
from flint import fmpq

from symland.errors import InputError, UnknownNameError
from symland.numbers.exact import parse_exact
from symland.sigma._decide import t
from symland.sigma.activation import Activation
from symland.sigma.catalog import names

__all__ = ["ACTIVATIONS", "get_activation", "names", "rectpow", "polynomial", "shifted_relu"]


@cache
def rectpow(k: int) -> Activation:
    """The rectified power ``rectpow<k>``: 0 for t ≤ 0, t**k for t > 0 (k ≥ 1; C^(k−1) but not C^k at 0)."""
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise UnknownNameError(f"rectpow needs an integer k ≥ 1, got {k!r}")
    return Activation(f"rectpow{k}", sp.Integer(0), t**k, f"rectified power: 0 for t ≤ 0, t^{k} for t > 0")


def polynomial(coeffs: Sequence[Any]) -> Activation:
    """The polynomial activation c0 + c1 t + c2 t² + ... on all of ℝ, named ``poly:<c0>,<c1>,...``."""
    cs = [parse_exact(c, where="polynomial coefficient") for c in coeffs]
    while len(cs) > 1 and cs[-1] == 0:
        cs.pop()
    if not cs:
        raise UnknownNameError("polynomial activation needs at least one coefficient, e.g. poly:0,0,1")
    return _polynomial(tuple(cs))


@cache
def _polynomial(cs: tuple[fmpq, ...]) -> Activation:
    e = sum((sp.Rational(int(c.p), int(c.q)) * t**i for i, c in enumerate(cs)), sp.Integer(0))
    return Activation("poly:" + ",".join(str(c) for c in cs), e, e, f"polynomial activation {e}")


@cache
def _shifted(c: fmpq) -> Activation:
    C = sp.Rational(int(c.p), int(c.q))
    return Activation(f"relu_after{c}", sp.Integer(0), sp.Piecewise((0, t <= C), (t - C, True)),
                      f"shifted ReLU: 0 for t ≤ {C}, t − {C} for t > {C} (rectified, not strictly increasing)")


def shifted_relu(c: Any) -> Activation:
    """``relu_after<c>``: 0 for t ≤ c, t − c for t > c (c ≥ 0 rational) — rectified, not strictly increasing."""
    q = parse_exact(c, where="relu_after shift c")
    if q < 0:
        raise UnknownNameError(f"relu_after needs a shift c ≥ 0, got {q}")
    return _shifted(q)


_SIG = 1 / (1 + sp.exp(-t))
ACTIVATIONS: MappingProxyType[str, Activation] = MappingProxyType({a.name: a for a in [
    Activation("smoolu", sp.Integer(0), t * sp.exp(-1 / t), "smooLU (Definition 3.2): 0 for t ≤ 0, t·exp(−1/t)"),
    Activation("relu", sp.Integer(0), t, "ReLU: max(0, t)"),
    Activation("softplus", sp.log(1 + sp.exp(t)), sp.log(1 + sp.exp(t)), "softplus: log(1 + e^t)"),
    Activation("tanh", sp.tanh(t), sp.tanh(t), "hyperbolic tangent"),
    Activation("sigmoid", _SIG, _SIG, "logistic sigmoid 1/(1 + e^(−t))"),
    Activation("tanh_trunc", sp.Integer(0), sp.tanh(t), "truncated tanh (Section 3.1): 0 for t ≤ 0, tanh t"),
    Activation("sigmoid_trunc", sp.Integer(0), _SIG - sp.Rational(1, 2),
               "translated and truncated sigmoid (Section 3.1): 0 for t ≤ 0, sigmoid(t) − 1/2"),
    Activation("square", t**2, t**2, "square: t² (polynomial activation)"),
    Activation("identity", t, t, "identity: σ(t) = t (linear networks; the same as poly:0,1)"),
]})
def get_activation(name: str) -> Activation:
    """The activation called ``name``: a built-in, ``rectpow<k>``, ``relu_after<c>`` or ``poly:<c0>,<c1>,...``.

    Raises:
        UnknownNameError: unknown or malformed name (the message lists the valid names).
    """
    if not isinstance(name, str):
        raise UnknownNameError(f"activation name must be a string, got {name!r}; valid names: {', '.join(names())}")
    key = name.strip().lower()
    if key in ACTIVATIONS:
        return ACTIVATIONS[key]
    try:
        if m := re.fullmatch(r"rectpow(\d+)", key):
            return rectpow(int(m.group(1)))
        if key.startswith("relu_after"):
            return shifted_relu(key[len("relu_after"):])
        if key.startswith("poly:"):
            return polynomial(key[len("poly:"):].split(","))
    except InputError as exc:
        raise UnknownNameError(f"malformed activation name {name!r}: {exc}") from None
    raise UnknownNameError(f"unknown activation {name!r}; valid names: {', '.join(names())}")
