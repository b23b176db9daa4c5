"""Layered feedforward networks in the convention of Lemma 3.3.

``mlp(widths, σ)`` with widths = (p, h_1, …, h_T, ℓ) computes

    f(x) = W_{T+1} σ(… σ(W_1 x − b_1) …) − b_{T+1},

σ applied componentwise, no activation on the output layer. Parameters are ordered layer by layer,
in each layer the weights row-major then the biases, and named ``W{k}_{i}_{j}`` and ``b{k}_{i}``
(k from 1; i, j from 0). For widths (2, 3, 1): W1_0_0, W1_0_1, …, W1_2_1, b1_0, b1_1, b1_2, W2_0_0,
W2_0_1, W2_0_2, b2_0 — n = 13.

``mlp(widths, σ, bias=False)``: no biases, f(x) = W_{T+1} σ(… σ(W_1 x) …) (the usual setting of linear and
polynomial networks); the W's keep their names and order, n = Σ_k h_k·h_{k−1} (9 for widths (2, 3, 1)).

>>> from symland.sigma.activations import get_activation
>>> net = mlp((2, 3, 1), get_activation("rectpow3"))
>>> net.n, net.param_names()[:3]
(13, ['W1_0_0', 'W1_0_1', 'W1_1_0'])
>>> mlp((2, 3, 1), "rectpow3", bias=False).n
9
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from symland import _validation
from symland.errors import ShapeError, UnknownNameError
from symland.sigma.activations import Activation, t as _t

__all__ = ["MLP", "mlp", "Layer"]

Layer = tuple  # (W: list of rows, b: list), one per layer


@dataclass(frozen=True)
class MLP:
    """A layered network: ``widths`` = (p, h_1, …, h_T, ℓ), an activation σ, and biases unless ``bias=False``."""

    widths: tuple[int, ...]
    activation: Activation
    bias: bool = True

    def __post_init__(self):
        object.__setattr__(self, "widths", _validation.widths(self.widths))
        object.__setattr__(self, "activation", _validation.activation(self.activation))
        object.__setattr__(self, "bias", _validation.flag(self.bias, "bias"))

    @property
    def p(self) -> int:
        """Input dimension."""
        return self.widths[0]

    @property
    def l(self) -> int:  # noqa: E743 - the paper's ℓ
        """Output dimension ℓ (Remark 4.2)."""
        return self.widths[-1]

    @property
    def depth(self) -> int:
        """Number T of hidden layers."""
        return len(self.widths) - 2

    @cached_property
    def shapes(self) -> tuple[tuple[int, int], ...]:
        """(rows, cols) of W_k for k = 1 … T+1."""
        return tuple((self.widths[k + 1], self.widths[k]) for k in range(len(self.widths) - 1))

    @property
    def n(self) -> int:
        """Number of parameters."""
        return sum(r * c + (r if self.bias else 0) for r, c in self.shapes)

    @cached_property
    def _names(self) -> tuple[str, ...]:
        names = []
        for k, (r, c) in enumerate(self.shapes, start=1):
            names += [f"W{k}_{i}_{j}" for i in range(r) for j in range(c)]
            names += [f"b{k}_{i}" for i in range(r)] if self.bias else []
        return tuple(names)

    def param_names(self) -> list[str]:
        """Parameter names in the canonical order."""
        return list(self._names)

    @cached_property
    def index(self) -> dict[str, int]:
        """Name → position in the canonical order."""
        return {name: i for i, name in enumerate(self._names)}

    def output_weight_indices(self, units: int) -> list[int]:
        """Positions of the output weights W_K[c, j], c < ℓ, j < units: at a Lemma 3.3 / Corollary 3.4 point
        their columns of J_H are ℓ copies of the triangular matrix A (a nonsingular minor)."""
        K = len(self.shapes)
        return [self.index[f"W{K}_{c}_{j}"] for c in range(self.widths[-1]) for j in range(units)]

    @cached_property
    def locations(self) -> tuple[tuple, ...]:
        """For each parameter: (layer k from 0, "W", i, j) or (k, "b", i, None)."""
        out = []
        for k, (r, c) in enumerate(self.shapes):
            out += [(k, "W", i, j) for i in range(r) for j in range(c)]
            out += [(k, "b", i, None) for i in range(r)] if self.bias else []
        return tuple(out)

    def split(self, values: Sequence, zero=0) -> list[Layer]:
        """Flat parameter vector → [(W_k rows, b_k)]; without biases b_k is [`zero`, …]."""
        if len(values) != self.n:
            raise ShapeError(f"expected {self.n} parameters for widths {self.widths}, got {len(values)}")
        layers, pos = [], 0
        for r, c in self.shapes:
            W = [list(values[pos + i * c: pos + (i + 1) * c]) for i in range(r)]
            pos += r * c
            if self.bias:
                b = list(values[pos: pos + r])
                pos += r
            else:
                b = [zero] * r
            layers.append((W, b))
        return layers

    @staticmethod
    def join(layers: Sequence[Layer], bias: bool = True) -> list:
        """[(W_k, b_k)] → flat parameter vector (the b_k left out when ``bias=False``)."""
        out = []
        for W, b in layers:
            for row in W:
                out += list(row)
            out += list(b) if bias else []
        return out

    def vector(self, mapping: Mapping[str, object], *, source: str = "point") -> list:
        """A flat vector from {name: value}; every name required, unknown names rejected."""
        unknown = sorted(set(mapping) - set(self._names))
        if unknown:
            raise UnknownNameError(
                f"{source}: unknown parameter {unknown[0]!r} for widths "
                f"{','.join(map(str, self.widths))} (names are W1_0_0 … {self._names[-1]})"
            )
        missing = [name for name in self._names if name not in mapping]
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise ShapeError(f"{source}: missing parameter {missing[0]!r}{more}")
        return [mapping[name] for name in self._names]

    def symbols(self) -> list[sp.Symbol]:
        """One real sympy symbol per parameter, named as :meth:`param_names`."""
        return list(sp.symbols(self._names, real=True)) if self.n > 1 else [sp.Symbol(self._names[0], real=True)]

    def sympy_output(self, x: Sequence, params: Sequence) -> list[sp.Expr]:
        """The network output f(x) as sympy expressions (σ as its exact Piecewise)."""
        sigma = sp.Lambda(_t, self.activation.expr)
        a = [sp.sympify(v) for v in x]
        layers = self.split(list(params))
        for k, (W, b) in enumerate(layers):
            z = [sp.Add(*[w * v for w, v in zip(row, a)]) - bi for row, bi in zip(W, b)]
            a = z if k == len(layers) - 1 else [sigma(v) for v in z]
        return a


def mlp(widths: Sequence[int], activation: Activation | str, bias: bool = True) -> MLP:
    """A layered network (convention of Lemma 3.3); `activation` is an Activation or its name.

    ``bias=False``: no biases, f(x) = W_{T+1} σ(… σ(W_1 x) …); Lemma 3.3's construction then does not apply.

    Raises:
        InputError: ``widths`` is not a sequence, ``activation`` neither an Activation nor a name, ``bias`` not a
            bool; ShapeError (an InputError) for fewer than two widths or one that is not a positive integer;
            UnknownNameError for an unknown activation name.
    """
    return MLP(widths, activation, bias)  # MLP validates them (symland._validation)
