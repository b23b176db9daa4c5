"""Activation functions σ: exact sympy definitions, exact values, and the properties of Section 3.1, decided exactly.

An :class:`Activation` is σ(t) = ``negative`` for t ≤ 0 and ``positive`` for t > 0, in the one real symbol
:data:`t`.  The positive piece may itself be a ``Piecewise`` in conditions ``t <= c`` (c > 0 rational), as for
``relu_after1``; σ is then split into *segments* at its breakpoints 0 < c_1 < ... (each segment owns its right end).

* Definition 3.1 (rectified): continuous, 0 on t ≤ 0, monotonic increasing (read: non-decreasing) on t > 0 —
  :meth:`Activation.is_rectified`.
* Definition 3.2 (smooLU): 0 for t ≤ 0, t·exp(−1/t) for t > 0 — the built-in ``smoolu``.
* Smoothness at 0 (derivatives of both sides agree, one-sided values as exact limits) —
  :meth:`Activation.smoothness_at_zero`, :meth:`Activation.is_smooth`.

This module gathers σ's public names from where they live: the type and its exact values in
:mod:`symland.sigma.activation`, the decided properties in :mod:`symland.sigma.properties`, the built-in table and
:func:`get_activation` in :mod:`symland.sigma.builtin`, exact decisions about sympy expressions in
:mod:`symland.sigma._decide`; custom σ from text is :mod:`symland.sigma.expr`.

>>> from flint import fmpq
>>> get_activation("rectpow3").eval_rational(fmpq(1, 2), 1)
3/4
>>> get_activation("smoolu").value(fmpq(1, 2))
exp(-2)/2
"""

from symland.sigma._decide import t
from symland.sigma.activation import Activation
from symland.sigma.builtin import ACTIVATIONS, get_activation, names, polynomial, rectpow, shifted_relu

__all__ = ["t", "Activation", "ACTIVATIONS", "get_activation", "names", "rectpow", "polynomial", "shifted_relu"]
