"""The ``ball`` tier: Arb balls (python-flint ``arb``), rigorous — a sign is decided only when the ball excludes 0,
else :class:`~symland.tiers.evaluate.Undecided`; a ball straddling a breakpoint of σ gets the union of both pieces'
enclosures only where σ is C^k (see :mod:`symland.tiers.numeric`).
"""

from __future__ import annotations

import bisect

import sympy as sp
from flint import arb, arb_mat, ctx, fmpq

from symland.errors import UndefinedDerivativeError
from symland.tiers.evaluate import Undecided, _pieces, compile_expr

__all__ = ["BallKind"]


# -- Arb balls -------------------------------------------------------------------------------------------------
def _arb_const(q) -> arb:
    return arb(fmpq(int(q.p), int(q.q)))


_ARB_OPS = {"const": _arb_const, "exp": lambda x: x.exp(), "log": lambda x: x.log(),
            "tanh": lambda x: x.tanh(), "sinh": lambda x: x.sinh(), "cosh": lambda x: x.cosh(),
            "sqrt": lambda x: x.sqrt()}


def _to_arb(v) -> arb:
    if isinstance(v, arb):
        return v
    if isinstance(v, fmpq):
        return arb(v)
    if isinstance(v, int):
        return arb(v)
    if hasattr(v, "enclosure"):  # an exact exponential polynomial Σ c e^q (ExpPoly)
        return v.enclosure(ctx.prec)
    from symland.numbers.exact import parse_exact

    return arb(parse_exact(v))


def pieces_union(pc, z: arb, lo_i: int, hi_i: int, what: str) -> arb:
    """The union of the pieces lo_i … hi_i of a compiled σ⁽ᵏ⁾ on the ball z (which straddles their breakpoints);
    Undecided when it is not finite."""
    out = pc.fns[lo_i](z)
    for i in range(lo_i + 1, hi_i + 1):
        out = out.union(pc.fns[i](z))
    if not out.is_finite():
        raise Undecided(f"{what} on the ball {z} straddling a breakpoint is not bounded here")
    return out


class BallKind:
    """Arb balls (python-flint ``arb``) at ``prec`` bits: tier ``ball``, decisions certified.

    Arithmetic runs at the precision current when it happens; wrap a computation in
    ``with precision(kind.prec):`` (the claims do).

    >>> from symland.sigma.activations import get_activation
    >>> from symland.tiers.evaluate import precision
    >>> kind = BallKind(128)
    >>> with precision(128):
    ...     v = kind.act(get_activation("smoolu"), kind.const(fmpq(1, 2)))
    >>> kind.sign(v), v.contains(arb("0.0676676416183063600"))
    (1, False)
    """

    name = "ball"
    inexact = True

    def __init__(self, prec: int = 128):
        self.prec = int(prec)
        self._cache: dict = {}

    def const(self, q):
        return _to_arb(q)

    def act(self, sigma, z, k: int = 0):
        pc = _pieces(self._cache, sigma, k, _ARB_OPS)
        z = _to_arb(z)
        if len(pc.breaks) == 1:  # the common case: one breakpoint, at 0
            if z > 0:
                return pc.fns[1](z)
            if z < 0:
                return pc.fns[0](z)
            lo_i = hi_i = 0
            if not (z.is_exact() and z == 0):
                hi_i = 1
        else:
            if not z.is_finite():
                raise Undecided(f"{sigma.name} at a non-finite ball {z}")
            lo_i = bisect.bisect_left(pc.breaks, z.lower().fmpq())
            hi_i = bisect.bisect_left(pc.breaks, z.upper().fmpq())
        if z.is_exact() and lo_i < len(pc.breaks) and pc.breaks[lo_i] == z.mid().fmpq():
            if not pc.smooth_at[lo_i] and k > 0:
                raise UndefinedDerivativeError(f"{sigma.name}^({k}) is not defined at t = {pc.breaks[lo_i]}")
            key = ("at", lo_i, ctx.prec)
            if key not in pc.exact:
                pc.exact[key] = _sym_arb(sigma.value(pc.breaks[lo_i], k))
            return pc.exact[key]
        if lo_i == hi_i:  # inside one segment (its right end belongs to it)
            return pc.fns[lo_i](z)
        if not all(pc.smooth_at[lo_i:hi_i]):
            raise Undecided(f"a ball {z} straddles a breakpoint where {sigma.name}^({k}) jumps")
        return pieces_union(pc, z, lo_i, hi_i, f"{sigma.name}^({k})")

    def sign(self, x) -> int:
        x = _to_arb(x)
        if x > 0:
            return 1
        if x < 0:
            return -1
        if x.is_exact() and x == 0:
            return 0
        raise Undecided(f"the sign of {x} is not decided at {ctx.prec} bits")

    def is_zero(self, x) -> bool:
        x = _to_arb(x)
        return x.is_exact() and x == 0

    def nonzero(self, x) -> bool:
        """Certified ≠ 0 (the ball excludes 0)."""
        x = _to_arb(x)
        return x > 0 or x < 0

    def to_str(self, x) -> str:
        """The ball with as many digits as its precision holds (so a witness keeps the enclosure tight)."""
        return _to_arb(x).str(max(15, int(self.prec * 0.30103) + 2), radius=True)

    def matmul(self, A, B):
        if not A or not B or not B[0]:
            return [[arb(0)] * (len(B[0]) if B else 0) for _ in A]
        return (arb_mat(A) * arb_mat(B)).tolist()


def _sym_arb(e: sp.Expr) -> arb:
    """An exact sympy value σ⁽ᵏ⁾(c) as a ball, through the same evaluator."""
    return compile_expr(sp.sympify(e), sp.Symbol("_unused"), _ARB_OPS)(arb(0))
