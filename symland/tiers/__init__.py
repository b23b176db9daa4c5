"""Arithmetic tiers: the kinds of numbers the algorithms run over.

Every algorithm of symland (forward/backward passes, the Lemma 3.3 construction, rank proofs) is
written once against the small protocol below; a tier only supplies numbers and matrices.

==========  =========================================================  ======================
tier        numbers                                                    strongest verdict
==========  =========================================================  ======================
exact       rationals (python-flint ``fmpq``)                          proved
symbolic    exponential polynomials Σ c_q e^q (:mod:`.exppoly`)         proved
==========  =========================================================  ======================

A kind provides ``name``, ``const(q)``, ``act(activation, z, k)`` (σ⁽ᵏ⁾(z)), ``sign(x)``,
``is_zero(x)``, ``to_str(x)``, ``matmul(A, B)`` and ``reduction(values, p, rng)`` (a ring
homomorphism to F_p, used to prove ranks).

The names below are loaded on first use (PEP 562): ``symland.tiers.budget`` (deadlines, read by the command line
before any number is made) then imports neither python-flint nor sympy.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["ExpPolyKind", "RationalKind", "Reduction", "choose_kind", "parse_value"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        value = getattr(importlib.import_module("symland.tiers.kinds"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'symland.tiers' has no attribute {name!r}")
