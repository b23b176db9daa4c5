"""Exact values of any tier as sympy objects — for reading, printing and teaching, never for deciding.

The tiers compute with their own numbers (``fmpq``, Q[e^Q] elements, Arb balls, mpmath, float). To look at a
value with sympy — print it as LaTeX, compare it with a hand computation, factor a matrix — convert it:

>>> from flint import fmpq
>>> to_sympy(fmpq(3, 4))
3/4
>>> to_sympy([[fmpq(1), fmpq(-1, 2)]])
Matrix([[1, -1/2]])

A Q[e^Q] element converts exactly (it has ``_sympy_``); an Arb ball or a float converts to the sympy ``Float`` of
its midpoint — a picture of the value, not the value.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

__all__ = ["to_sympy"]


def _number(v) -> sp.Expr:
    if isinstance(v, sp.Basic):
        return v
    if hasattr(v, "_sympy_"):
        return v._sympy_()
    kind = type(v).__name__
    if kind == "fmpq":
        return sp.Rational(int(v.p), int(v.q))
    if isinstance(v, (int, Fraction)) or kind == "fmpz":
        return sp.Rational(int(Fraction(v).numerator), int(Fraction(v).denominator)) if isinstance(v, Fraction) \
            else sp.Integer(int(v))
    if kind == "arb":
        return sp.Float(v.mid().str(radius=False, more=True))
    return sp.Float(v)


def to_sympy(value):
    """``value`` as sympy: a number → a sympy number; a list of lists → a ``Matrix``; a list → a column ``Matrix``.

    Exact numbers (``fmpq``, ``int``, ``Fraction``, Q[e^Q] elements) convert exactly; Arb balls, mpmath and floats
    to the ``Float`` of their midpoint.
    """
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple)):
            return sp.Matrix([[_number(v) for v in row] for row in value])
        return sp.Matrix([_number(v) for v in value])
    return _number(value)
