"""The maps at one point, :class:`PointValues`: H, J_H and the Hessians of the residuals there, over one tier, with
what follows from them (m ∈ M, L, ∇L, Hess L, J_H J_Hᵀ) and their sympy views. Made by :meth:`Problem.at
<symland.networks.problem.Problem.at>` (and by the routes of :mod:`symland.point`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

__all__ = ["PointValues"]


@dataclass
class PointValues:
    """Exact values at a point: residuals H, Jacobian J (rows r = s·ℓ + c), optionally Hess f_r."""

    kind: object
    point: list
    H: list
    J: list
    hess_f: list | None = None
    zero_preactivations: int = 0  # hidden pre-activations exactly 0 (where σ may not be smooth)
    #: ((c, count), …): hidden pre-activations exactly at a breakpoint c of σ (a ball: containing c)
    breakpoint_preactivations: tuple = ()

    @cached_property
    def on_M(self) -> bool:
        """H(point) = 0 exactly."""
        return all(self.kind.is_zero(v) for v in self.H)

    @cached_property
    def hess_L(self) -> list:
        """Hess L = 2 Σ_r (∇f_r ∇f_rᵀ + f_r Hess f_r), exactly (residual term included)."""
        if self.hess_f is None:
            raise ValueError("Hessians were not computed; call Problem.at(..., hessian=True)")
        n = len(self.point)
        two = self.kind.const(2)
        out = [[self.kind.const(0)] * n for _ in range(n)]
        for r, g in enumerate(self.J):
            fr = self.H[r]
            Hr = self.hess_f[r]
            live = [j for j in range(n) if not self.kind.is_zero(g[j])]
            for a in live:
                for b in live:
                    out[a][b] = out[a][b] + two * g[a] * g[b]
            if not self.kind.is_zero(fr):
                for a in range(n):
                    for b in range(n):
                        if not self.kind.is_zero(Hr[a][b]):
                            out[a][b] = out[a][b] + two * fr * Hr[a][b]
        return out

    def gram(self) -> list:
        """2 J_Hᵀ J_H exactly."""
        Jt = [list(col) for col in zip(*self.J)]
        two = self.kind.const(2)
        return [[two * v for v in row] for row in self.kind.matmul(Jt, self.J)]

    @cached_property
    def loss(self):
        acc = self.kind.const(0)
        for v in self.H:
            acc = acc + v * v
        return acc

    @cached_property
    def gradient(self) -> list:
        """∇L = 2 J_Hᵀ H."""
        n = len(self.point)
        two = self.kind.const(2)
        out = [self.kind.const(0)] * n
        for r, g in enumerate(self.J):
            if not self.kind.is_zero(self.H[r]):
                for j in range(n):
                    out[j] = out[j] + two * self.H[r] * g[j]
        return out

    # -- as sympy, for reading (see :mod:`symland.numbers.sympy_view`) -------------------------------
    def H_matrix(self):
        """H at the point as a sympy column ``Matrix`` (exact for exact tiers)."""
        from symland.numbers.sympy_view import to_sympy

        return to_sympy(list(self.H))

    def J_matrix(self):
        """J_H at the point as a sympy ``Matrix`` (rows r = s·ℓ + c, one column per parameter)."""
        from symland.numbers.sympy_view import to_sympy

        return to_sympy([list(row) for row in self.J])

    def hess_L_matrix(self):
        """Hess L at the point as a sympy ``Matrix`` (needs ``Problem.at(..., hessian=True)``)."""
        from symland.numbers.sympy_view import to_sympy

        return to_sympy(self.hess_L)

    def __repr__(self) -> str:
        where = "on M" if self.on_M else "off M"
        extra = ", Hess f_r" if self.hess_f is not None else ""
        return (f"PointValues(n={len(self.point)}, residuals={len(self.H)}, {where}, "
                f"kind={type(self.kind).__name__}{extra})")

    def _repr_latex_(self) -> str:
        import sympy as _sp

        parts = [r"H = " + _sp.latex(self.H_matrix())]
        if self.J:
            parts.append(r"J_H = " + _sp.latex(self.J_matrix()))
        return "$" + r",\quad ".join(parts) + "$"
