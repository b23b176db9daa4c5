"""Second-order forward mode over an exact kind: a value with its gradient and Hessian.

Used for general DAG networks (:mod:`symland.networks.dag`), where the layerwise passes of
:mod:`symland.networks.problem` do not apply. Gradients and Hessians are sparse dicts; fine for the small
networks a DAG is written by hand for.
"""

from __future__ import annotations

__all__ = ["Jet", "lift"]


class Jet:
    """value, ∂value/∂w_i ({i: v}) and ∂²value/∂w_i∂w_j ({(i, j): v}, i ≤ j)."""

    __slots__ = ("kind", "value", "grad", "hess")

    def __init__(self, kind, value, grad=None, hess=None):
        self.kind, self.value = kind, value
        self.grad = grad or {}
        self.hess = hess or {}

    @classmethod
    def variable(cls, kind, value, index: int, n: int) -> Jet:
        return cls(kind, kind.const(value), {index: kind.const(1)})

    def _merge(self, a: dict, b: dict, sa=None, sb=None) -> dict:
        out = {k: (v * sa if sa is not None else v) for k, v in a.items()}
        for k, v in b.items():
            v = v * sb if sb is not None else v
            out[k] = out[k] + v if k in out else v
        return out

    def __add__(self, other: Jet) -> Jet:
        return Jet(self.kind, self.value + other.value, self._merge(self.grad, other.grad),
                   self._merge(self.hess, other.hess))

    def __mul__(self, other: Jet) -> Jet:
        a, b = self, other
        grad = self._merge(a.grad, b.grad, b.value, a.value)
        hess = self._merge(a.hess, b.hess, b.value, a.value)
        for i, gi in a.grad.items():
            for j, gj in b.grad.items():
                key = (i, j) if i <= j else (j, i)
                term = gi * gj if i != j else gi * gj * self.kind.const(2)
                hess[key] = hess[key] + term if key in hess else term
        return Jet(self.kind, a.value * b.value, grad, hess)

    def apply(self, sigma, second: bool = True) -> Jet:
        """σ(self) by the chain rule: ∇ = σ'·∇z, Hess = σ'·Hess z + σ''·∇z∇zᵀ."""
        kind = self.kind
        value = kind.act(sigma, self.value, 0)
        if not self.grad:
            return Jet(kind, value)
        s1 = kind.act(sigma, self.value, 1)
        grad = {i: s1 * g for i, g in self.grad.items()}
        hess = {}
        if second:
            s2 = kind.act(sigma, self.value, 2)
            hess = {k: s1 * v for k, v in self.hess.items()}
            items = sorted(self.grad.items())
            for x, (i, gi) in enumerate(items):
                for j, gj in items[x:]:
                    term = s2 * gi * gj
                    hess[(i, j)] = hess[(i, j)] + term if (i, j) in hess else term
        return Jet(kind, value, grad, hess)

    def dense(self, n: int, second: bool):
        zero = self.kind.const(0)
        g = [self.grad.get(i, zero) for i in range(n)]
        if not second:
            return g, None
        H = [[zero] * n for _ in range(n)]
        for (i, j), v in self.hess.items():
            H[i][j] = v
            H[j][i] = v
        return g, H


def lift(kind, value, n: int) -> Jet:
    """A constant (no dependence on the parameters)."""
    return Jet(kind, kind.const(value))
