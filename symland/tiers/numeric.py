"""The inexact tiers: Arb balls (rigorous), mpmath (high precision) and float64 (numpy).

They share the exact tiers' small protocol (``const``, ``act``, ``sign``, ``is_zero``, ``nonzero``,
``to_str``, ``matmul``), so the layerwise passes of :mod:`symland.networks.problem` and the constructions of
:mod:`symland.constructions.landscape` run over them unchanged. What differs is what a decision means:

==========  ==================================================  ==========================
tier        ``sign(x)`` / ``nonzero(x)``                         strongest verdict
==========  ==================================================  ==========================
ball        only when the ball excludes 0, else :class:`Undecided`  certified
mp          comparisons of mpmath numbers (not rigorous)           numerical
float       comparisons of float64 numbers (not rigorous)          numerical
==========  ==================================================  ==========================

``is_zero(x)`` means *exactly* zero in every tier (σ's t ≤ 0 piece, structural zeros of a
constructed point); the passes use it only to skip work, never to decide a claim.

σ⁽ᵏ⁾ is evaluated from its exact sympy pieces by :func:`compile_expr`, a small evaluator of sympy
expression trees over the tier's numbers (rationals enter exactly as Arb balls, never through a
float). A ball that straddles a breakpoint c of σ gets the union of both pieces' enclosures when σ
is C^k at c (both are valid on the ball and σ⁽ᵏ⁾(c) is their common limit), and is
:class:`Undecided` otherwise.
"""

from __future__ import annotations

import bisect
import math
from contextlib import contextmanager
from typing import Callable

import sympy as sp
from flint import arb, arb_mat, ctx, fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError

__all__ = ["Undecided", "compile_expr", "BallKind", "MpKind", "FloatKind", "precision", "STRENGTH",
           "strength", "INEXACT_TIERS"]

#: The strongest verdict each tier can give a true claim.
STRENGTH = {"exact": "proved", "symbolic": "proved", "ball": "certified", "mp": "numerical",
            "float": "numerical"}


#: The tiers whose numbers are not exact (their kinds set ``inexact = True``).
INEXACT_TIERS = ("ball", "mp", "float")


def strength(kind) -> str:
    """``proved``, ``certified`` or ``numerical``: what a decision over `kind`'s numbers is worth."""
    return STRENGTH[kind.name]


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
        fn, fa = ops[name], compile_expr(expr.args[0], var, ops)
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


class BallKind:
    """Arb balls (python-flint ``arb``) at ``prec`` bits: tier ``ball``, decisions certified.

    Arithmetic runs at the precision current when it happens; wrap a computation in
    ``with precision(kind.prec):`` (the claims do).

    >>> from symland.sigma.activations import get_activation
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
        out = pc.fns[lo_i](z)
        for i in range(lo_i + 1, hi_i + 1):
            out = out.union(pc.fns[i](z))
        if not out.is_finite():
            raise Undecided(f"{sigma.name}^({k}) on the ball {z} straddling a breakpoint is not bounded here")
        return out

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


# -- mpmath ----------------------------------------------------------------------------------------------------
class MpKind:
    """mpmath numbers at ``dps`` decimal digits: tier ``mp``, high precision, not rigorous."""

    name = "mp"
    inexact = True

    def __init__(self, dps: int = 50):
        import mpmath

        self.dps = int(dps)
        self.ctx = mpmath.MPContext()
        self.ctx.dps = self.dps
        self.tol = self.ctx.mpf(10) ** (-(self.dps // 2))
        self._cache: dict = {}
        m = self.ctx
        self.ops = {"const": lambda q: m.mpf(int(q.p)) / int(q.q), "exp": m.exp, "log": m.log, "tanh": m.tanh,
                    "sinh": m.sinh, "cosh": m.cosh, "sqrt": m.sqrt}

    def const(self, q):
        m = self.ctx
        if isinstance(q, fmpq):
            return m.mpf(int(q.p)) / int(q.q)
        if isinstance(q, int):
            return m.mpf(q)
        terms = getattr(q, "terms", None)
        if terms is not None:
            return m.fsum(m.mpf(int(c.p)) / int(c.q) * m.exp(m.mpf(int(e.p)) / int(e.q)) for e, c in terms.items())
        return m.mpf(q)

    def act(self, sigma, z, k: int = 0):
        pc = _pieces(self._cache, sigma, k, self.ops)
        i = bisect.bisect_left(pc.breaks, _mp_fmpq(z))
        if i < len(pc.breaks) and _mp_fmpq(z) == pc.breaks[i] and k > 0 and not pc.smooth_at[i]:
            raise UndefinedDerivativeError(f"{sigma.name}^({k}) is not defined at t = {pc.breaks[i]}")
        return pc.fns[i](z)

    def sign(self, x) -> int:
        return (x > 0) - (x < 0)

    def is_zero(self, x) -> bool:
        return x == 0

    def nonzero(self, x) -> bool:
        """Clearly ≠ 0: |x| above 10^(−dps/2) (not rigorous)."""
        return abs(x) > self.tol

    def to_str(self, x) -> str:
        return self.ctx.nstr(x, 20)

    def matmul(self, A, B):
        cols = len(B[0]) if B else 0
        zero = self.ctx.mpf(0)
        out = []
        for row in A:
            live = [(t, a) for t, a in enumerate(row) if a != 0]
            acc = [zero] * cols
            for t, a in live:
                acc = [u + a * v for u, v in zip(acc, B[t])]
            out.append(acc)
        return out


def _mp_fmpq(x) -> fmpq:
    """An mpf as the exact binary rational it is."""
    if not hasattr(x, "_mpf_"):
        return fmpq(*float(x).as_integer_ratio())
    sign, man, exp, _ = x._mpf_
    if not man and exp:  # ±inf or nan
        raise Undecided(f"{x} is not a finite number")
    q = fmpq(int(man)) * fmpq(2) ** exp if exp >= 0 else fmpq(int(man), 2 ** (-exp))
    return -q if sign else q


# -- float64 ---------------------------------------------------------------------------------------------------
class FloatKind:
    """Python floats (float64): tier ``float``, scalar version for small or general (DAG) networks.

    Large layered networks use the batched numpy passes of :mod:`symland.networks.floating` instead.
    """

    name = "float"
    inexact = True

    def __init__(self):
        self._cache: dict = {}
        self.ops = {"const": _fq, "exp": _fexp, "log": math.log, "tanh": math.tanh,
                    "sinh": math.sinh, "cosh": math.cosh, "sqrt": math.sqrt}

    def const(self, q):
        if isinstance(q, fmpq):
            return _fq(q)
        terms = getattr(q, "terms", None)
        if terms is not None:
            return math.fsum(_fq(c) * _fexp(_fq(e)) for e, c in terms.items())
        return float(q)

    def act(self, sigma, z, k: int = 0):
        pc = _pieces(self._cache, sigma, k, self.ops)
        zq = fmpq(*float(z).as_integer_ratio())
        i = bisect.bisect_left(pc.breaks, zq)
        if i < len(pc.breaks) and zq == pc.breaks[i] and k > 0 and not pc.smooth_at[i]:
            raise UndefinedDerivativeError(f"{sigma.name}^({k}) is not defined at t = {pc.breaks[i]}")
        return float(pc.fns[i](float(z)))

    def sign(self, x) -> int:
        return int(x > 0) - int(x < 0)

    def is_zero(self, x) -> bool:
        return x == 0

    #: |x| at or below this counts as "not clearly nonzero" (not rigorous)
    tol = 1e-9

    def nonzero(self, x) -> bool:
        """Clearly ≠ 0: |x| above :attr:`tol` (not rigorous)."""
        return abs(x) > self.tol

    def to_str(self, x) -> str:
        return repr(float(x))

    def matmul(self, A, B):
        import numpy as np

        if not A or not B or not B[0]:
            return [[0.0] * (len(B[0]) if B else 0) for _ in A]
        with np.errstate(over="ignore", invalid="ignore"):  # beyond float64: inf/NaN, refused by the callers
            return (np.asarray(A, dtype=float) @ np.asarray(B, dtype=float)).tolist()


def _fq(q: fmpq) -> float:
    """The float nearest a rational; NotRepresentableError (inconclusive) beyond float64's range."""
    try:
        return int(q.p) / int(q.q)
    except OverflowError:
        raise NotRepresentableError(f"the value {str(q)[:30]}… is beyond float64's range: use --tier ball or an "
                                    "exact tier") from None


def _fexp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf
