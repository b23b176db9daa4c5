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
"""

from symland.tiers.kinds import (
    ExpPolyKind,
    RationalKind,
    Reduction,
    choose_kind,
    parse_value,
)

__all__ = ["ExpPolyKind", "RationalKind", "Reduction", "choose_kind", "parse_value"]
