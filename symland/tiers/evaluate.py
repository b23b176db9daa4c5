"""σ⁽ᵏ⁾ over inexact numbers: :func:`compile_expr`, a small evaluator of sympy expression trees over any number type
(rationals enter exactly, never through a float), σ's pieces compiled per tier, Arb's working :func:`precision`, and
:class:`Undecided` — the decision the numbers are too imprecise to make.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import sympy as sp
from flint import ctx, fmpq

from symland.errors import NotRepresentableError

__all__ = ["Undecided", "precision", "compile_expr"]


class Undecided(NotRepresentableError):
    """A decision the numbers are too imprecise to make (a ball too wide: raise the precision)."""


@contextmanager
def precision(bits: int):
    """Set python-flint's working precision for Arb within the block."""
    old = ctx.prec
    ctx.prec = int(bits)
    try:
        yield
    finally:
        ctx.prec = old


# -- a small evaluator of sympy expression trees over any number type --------------------------------------------
def compile_expr(expr: sp.Expr, var: sp.Symbol, ops: dict) -> Callable:
    """A function x ↦ expr(x) over the numbers of `ops`.

    `ops` maps ``"const"`` (a sympy Rational → number), ``"exp"``, ``"log"``, ``"tanh"``, ``"sqrt"``,
    ``"sinh"``, ``"cosh"`` to the tier's functions. Integer powers are repeated products; any other
    node is an error, never a silent float.

    >>> f = compile_expr(sp.Symbol("t") ** 2 / 3, sp.Symbol("t"), {"const": lambda q: fmpq(q.p, q.q)})
    >>> f(fmpq(3))
    3
    """
    const = ops["const"]
    if expr == var:
        return lambda x: x
    if expr.is_Rational:
        c = const(expr)
        return lambda x: c
    if expr is sp.E:
        c = ops["exp"](const(sp.Integer(1)))
        return lambda x: c
    if isinstance(expr, sp.Add):
        fs = [compile_expr(a, var, ops) for a in expr.args]

        def add(x):
            acc = fs[0](x)
            for f in fs[1:]:
                acc = acc + f(x)
            return acc
        return add
    if isinstance(expr, sp.Mul):
        fs = [compile_expr(a, var, ops) for a in expr.args]

        def mul(x):
            acc = fs[0](x)
            for f in fs[1:]:
                acc = acc * f(x)
            return acc
        return mul
    if isinstance(expr, sp.Pow):
        base, e = expr.args
        fb = compile_expr(base, var, ops)
        if e.is_Integer:
            k = int(e)
            if k >= 0:
                return lambda x: _ipow(fb(x), k)
            one = const(sp.Integer(1))
            return lambda x: one / _ipow(fb(x), -k)
        if e == sp.Rational(1, 2):
            sq = ops["sqrt"]
            return lambda x: sq(fb(x))
        fe = compile_expr(e, var, ops)
        ex, lg = ops["exp"], ops["log"]
        return lambda x: ex(fe(x) * lg(fb(x)))
    name = type(expr).__name__
    if name in ("exp", "log", "tanh", "sinh", "cosh") and len(expr.args) == 1:
        fn = ops[name]
        if expr.args[0] == var:  # σ = tanh(t) etc.: the tier's function itself (one call per value, not three)
            return fn
        fa = compile_expr(expr.args[0], var, ops)
        return lambda x: fn(fa(x))
    raise NotRepresentableError(f"cannot evaluate {expr} in this tier (unsupported {name})")


def _ipow(x, k: int):
    """x**k by repeated squaring with products only (Arb's ``**`` goes through exp∘log, NaN at 0)."""
    acc, base = None, x
    while k:
        if k & 1:
            acc = base if acc is None else acc * base
        k >>= 1
        if k:
            base = base * base
    return acc if acc is not None else x * 0 + 1


class _Pieces:
    """σ⁽ᵏ⁾ as breakpoints and compiled segment formulas, for one tier."""

    def __init__(self, sigma, k: int, ops: dict):
        from symland.sigma.activations import t

        self.sigma, self.k = sigma, k
        self.breaks = [fmpq(int(c.p), int(c.q)) for c in sigma.breakpoints]
        self.fns = [compile_expr(sigma._seg(i, k), t, ops) for i in range(len(self.breaks) + 1)]
        # σ is C^k at breakpoint j: the pieces' k-th derivatives meet there
        self.smooth_at = [sigma.differentiable_at(j, k) for j in range(len(self.breaks))]
        self.exact: dict = {}  # σ⁽ᵏ⁾ at a breakpoint, per precision


def _pieces(cache: dict, sigma, k: int, ops: dict) -> _Pieces:
    key = (sigma.name, sigma.negative, sigma.positive, k)
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = _Pieces(sigma, k, ops)
    return hit
