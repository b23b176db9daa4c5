"""The :class:`Activation` type: σ(t) = ``negative`` for t ≤ 0 and ``positive`` for t > 0, its segments between
breakpoints, and its exact values (sympy expressions, or ``fmpq`` for piecewise polynomials over ℚ).

The properties of Section 3.1 are decided by its base :class:`symland.sigma.properties.Properties`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from flint import fmpq, fmpq_poly, fmpz

from symland.errors import InputError, NotRepresentableError
from symland.numbers.exact import parse_exact
from symland.sigma._decide import _coeffs, _one_sided, _q, t
from symland.sigma.kinks import Split
from symland.sigma.properties import Properties

__all__ = ["Activation", "t"]

_FZ0 = fmpz(0)


@dataclass(frozen=True, eq=False)
class Activation(Properties):
    """σ(t) = ``negative`` for t ≤ 0, ``positive`` for t > 0 (Section 3.1), with exact values and properties.

    ``smooth_pieces`` declares that each segment's expression is analytic on its open interval (true for every
    built-in).  ``breakpoints`` (computed) holds 0 and the inner breakpoints of a piecewise positive piece — or,
    for a custom σ, the ``split`` decided from its expression by :func:`symland.sigma.kinks.split_sigma` (breakpoints
    anywhere on ℝ, analytic segments).  A split that could not be decided leaves σ *undecided*: its values
    exist, but every derivative is refused with :class:`NotRepresentableError` (the claims say inconclusive).
    Equality is by name and pieces; the hash is the name's.  Derivatives, one-sided values and coefficient tables
    are cached on the instance.
    """

    name: str
    negative: sp.Expr
    positive: sp.Expr
    description: str = ""
    smooth_pieces: bool = True
    split: Split | None = field(default=None, repr=False, compare=False)
    breakpoints: tuple[sp.Rational, ...] = field(init=False, repr=False)
    _segments: tuple[sp.Expr, ...] = field(init=False, repr=False)
    _cache: dict = field(init=False, repr=False)
    _tables: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        neg, pos = sp.sympify(self.negative), sp.sympify(self.positive)
        for label, e in (("negative", neg), ("positive", pos)):
            if not e.free_symbols <= {t}:
                raise InputError(f"activation {self.name!r}: {label} piece {e} uses symbols other than t")
        object.__setattr__(self, "negative", neg)
        object.__setattr__(self, "positive", pos)
        object.__setattr__(self, "_cache", {})
        object.__setattr__(self, "_tables", {})
        if self.split is not None and not self.split.undecided:
            object.__setattr__(self, "breakpoints", tuple(self.split.breakpoints))
            object.__setattr__(self, "_segments", tuple(self.split.segments))
            return
        breaks, segs = [sp.Integer(0)], [neg]
        conds = pos.args if isinstance(pos, sp.Piecewise) else ()
        if conds and conds[-1].cond is sp.true and all(
                isinstance(c.cond, sp.LessThan) and c.cond.lhs == t and c.cond.rhs.is_Rational for c in conds[:-1]):
            for e, cond in conds[:-1]:
                if cond.rhs > breaks[-1]:
                    breaks.append(cond.rhs)
                    segs.append(e)
            segs.append(conds[-1].expr)
        else:
            segs.append(pos)
        object.__setattr__(self, "breakpoints", tuple(breaks))
        object.__setattr__(self, "_segments", tuple(segs))

    @property
    def undecided(self) -> str:
        """'' when σ's breakpoints and analytic pieces are known, else why not (derivatives are then refused)."""
        if self.split is not None and self.split.undecided:
            return self.split.undecided
        return "" if self.smooth_pieces else f"{self.name}: pieces not declared analytic"

    def _refuse(self) -> None:
        if self.split is not None and self.split.undecided:
            raise NotRepresentableError(f"{self.name}: derivatives refused: {self.split.undecided}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Activation):
            return NotImplemented
        return (self.name, self.negative, self.positive) == (other.name, other.negative, other.positive)

    def __hash__(self) -> int:
        return hash(self.name)

    def _memo(self, key: tuple, make: Any) -> Any:
        cache = self._cache
        if key not in cache:
            cache[key] = make()
        return cache[key]

    @property
    def expr(self) -> sp.Expr:
        """σ as one sympy expression: ``Piecewise((negative, t <= 0), (positive, True))``, or the common piece."""
        if self.negative == self.positive:
            return self.positive
        return sp.Piecewise((self.negative, t <= 0), (self.positive, True))

    def piece(self, positive: bool, k: int = 0) -> sp.Expr:
        """The k-th derivative of the positive (t > 0) or negative (t ≤ 0) piece, cached."""
        base = self.positive if positive else self.negative
        return self._memo(("piece", positive, k), lambda: sp.diff(base, t, k))

    def _seg(self, i: int, k: int) -> sp.Expr:
        if k:
            self._refuse()
        return self._memo(("seg", i, k), lambda: sp.diff(self._segments[i], t, k))

    def _sides(self, j: int, k: int) -> tuple[sp.Expr, sp.Expr]:
        """(left, right) k-th one-sided derivatives at breakpoint j, as exact limits."""
        c = self.breakpoints[j]
        return self._memo(("sides", j, k), lambda: (_one_sided(self._seg(j, k), c, "-"),
                                                    _one_sided(self._seg(j + 1, k), c, "+")))


    def value(self, q: Any, k: int = 0) -> sp.Expr:
        """The exact k-th derivative σ^(k)(q) at a rational q, as a sympy expression.

        At a breakpoint (t = 0 for every σ) the value is σ's own (the t ≤ c side; equal to the right limit when σ
        is continuous); a derivative there exists only if the one-sided derivatives of orders 0..k agree.

        Raises:
            UndefinedDerivativeError: σ^(k) is not defined at q (e.g. ReLU'(0)).
        """
        Q = _q(q)
        if k:
            self._refuse()
        if Q in self.breakpoints:
            j = self.breakpoints.index(Q)
            if k > 0 and not self.differentiable_at(j, k):
                raise self._undefined(j, k)
            return self._memo(("left", j, k), lambda: _one_sided(self._seg(j, k), Q, "-"))
        return self._seg(bisect.bisect_left(self.breakpoints, Q), k).subs(t, Q)

    def rational_coeffs(self, positive: bool) -> list[fmpq] | None:
        """Coefficients (low → high degree) if the piece is a polynomial in t over ℚ, else None."""
        return _coeffs(self.positive if positive else self.negative)

    @property
    def is_rational_valued(self) -> bool:
        """True when every segment is a polynomial over ℚ, so σ^(k) maps ℚ to ℚ (:meth:`eval_rational` works)."""
        return self._memo(("rational",), lambda: all(_coeffs(e) is not None for e in self._segments))

    def _table(self, k: int) -> tuple[list[fmpq], list[fmpq_poly]]:
        if not self.is_rational_valued:
            raise NotRepresentableError(f"{self.name} is not a piecewise polynomial over ℚ: its values at "
                                        "rationals need not be rational (use value() for exact symbolic values)")
        polys = [fmpq_poly(_coeffs(e)) for e in self._segments]
        for _ in range(k):
            polys = [p.derivative() for p in polys]
        self._tables[k] = table = ([parse_exact(c) for c in self.breakpoints], polys)
        return table

    def eval_rational(self, q: fmpq, k: int = 0) -> fmpq:
        """σ^(k)(q) for a rational q, fast (polynomial evaluation over ``fmpq``), for rational-valued σ.

        Same rules at breakpoints as :meth:`value`.

        Raises:
            NotRepresentableError: σ is not a piecewise polynomial over ℚ (e.g. smooLU).
            UndefinedDerivativeError: σ^(k) is not defined at q.
        """
        if not isinstance(q, fmpq):
            q = parse_exact(q, where="activation argument")
        if k:
            self._refuse()
        breaks, polys = self._tables.get(k) or self._table(k)
        if len(breaks) == 1:
            num = q.p
            if num > _FZ0:
                return polys[1](q)
            if num < _FZ0:
                return polys[0](q)
            j = 0
        else:
            i = bisect.bisect_left(breaks, q)
            if i == len(breaks) or breaks[i] != q:
                return polys[i](q)
            j = i
        if k > 0 and not self.differentiable_at(j, k):
            raise self._undefined(j, k)
        return polys[j](q)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"
