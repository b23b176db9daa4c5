"""Remark 2.2: L̂ = Σ|f_i| has the zero set of L, so Theorem 2.1 describes L̂⁻¹(0) too.

Decided on an instance as Section 5 with a = 1 (see :mod:`proofs_check.claims.sec_5`): L̂(m) = 0 at a point
of M, L̂(m') ≠ 0 off M, and L̂ is not differentiable at m (so Proposition 2.3 has no analogue).
"""

from __future__ import annotations

from flint import fmpq

from proofs_check.certificate import Certificate
from proofs_check.claims.sec_5 import decide
from proofs_check.instance import Context, Instance

CLAIM = "rem-2.2"
TITLE = "Remark 2.2: Σ|f_i| has the same zero set as L"

__all__ = ["check", "CLAIM", "TITLE"]


def check(inst: Instance, ctx: Context) -> Certificate:
    return decide(CLAIM, inst, ctx, (fmpq(1),))
