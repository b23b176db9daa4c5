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
constructed point); the passes use it to skip work. In the ball tier it is the ball 0 ± 0 (radius 0), which holds
the number 0 itself, so H(m) = 0 read off such balls is exact (:mod:`symland.point.structural`); in mp and float it
decides nothing.

σ⁽ᵏ⁾ is evaluated from its exact sympy pieces by :func:`compile_expr`, a small evaluator of sympy
expression trees over the tier's numbers (rationals enter exactly as Arb balls, never through a
float). A ball that straddles a breakpoint c of σ gets the union of both pieces' enclosures when σ
is C^k at c (both are valid on the ball and σ⁽ᵏ⁾(c) is their common limit), and is
:class:`Undecided` otherwise.
"""

from __future__ import annotations

import bisect
import math

from flint import fmpq

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.tiers.ball import BallKind
from symland.tiers.evaluate import Undecided, _pieces, compile_expr, precision

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
