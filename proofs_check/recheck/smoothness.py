"""The smoothness class of M near m, re-derived from σ at the point's pre-activations.

A regular point m of H makes M, near m, a submanifold of the same class as H (implicit function theorem). H is
built of σ by sums and products, and σ is analytic off its breakpoints (:mod:`proofs_check.recheck.sigma` finds
them on its own), so H is C^k near m with k the least class of σ at the breakpoints c that a hidden
pre-activation of m sits at exactly (no such c: H is smooth near m). σ is C^k at c iff its one-sided derivatives
of orders 0..k agree there — decided by :meth:`Sigma.agree_to`, by exact limits. C^∞ at a breakpoint is not
decided from finitely many orders; the re-checker knows one kind of such joint, a flat one at 0 (``Sigma.flat``:
the two pieces differ by q(t)·e^(−1/t), q a polynomial, as in Definition 3.2's smoolu, whose every derivative tends
to 0 as t ↓ 0; recognised from the pieces, not the name).

A certificate records its class as ``witness["smoothness"]`` — ``"smooth"`` or ``"C^k"``. Claiming at most the
re-derived class is fine (C^1 where σ is C^3 is true); claiming more is rejected; a class that cannot be
decided (C^∞ at another joint, one-sided limits sympy cannot compare) is ``Unrecognized`` (unchecked). A witness
without the field (an older format) asserts no class: the re-checker re-derives it from σ and the point's
pre-activations (:func:`derived_class`) and reports it in its checked steps.

>>> from fractions import Fraction
>>> from proofs_check.recheck.sigma import sigma_for
>>> s = sigma_for({"activation": "expr:(x-1)*sqrt((x-1)^2)"})
>>> parse_class("C^1"), parse_class("smooth"), s.agree_to(0, 1), s.agree_to(0, 2)
(1, inf, True, False)
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from proofs_check.recheck.exact import Unrecognized, parse
from proofs_check.recheck.net import BadWitness
from proofs_check.recheck.statements import Reject

__all__ = ["MANIFOLD_CLAIMS", "ORDER_LIMIT", "check_class", "derived_class", "parse_class", "rational_hits"]

ORDER_LIMIT = 12  # orders of one-sided derivatives compared at most (beyond: only a known C^∞ joint passes)
MANIFOLD_CLAIMS = ("thm-2.1", "thm-4.1")  # their proved/certified statement: M is a manifold (of a class) near m


def parse_class(text) -> float:
    """``"smooth"`` → ∞, ``"C^k"`` → k."""
    if text == "smooth":
        return math.inf
    if isinstance(text, str) and (m := re.fullmatch(r"C\^(\d{1,3})", text)):
        return int(m.group(1))
    raise BadWitness(f"smoothness class {text!r:.40} is neither 'smooth' nor 'C^k'")


def _name(k: float) -> str:
    return "smooth" if k == math.inf else f"C^{k}"


def check_class(claim: str, w: dict, sigma, zs: list, checked, at: bool = True) -> None:
    """Re-derive the class at the exact pre-activations ``zs`` (rationals where known: only those can be
    breakpoints) and hold the recorded class to it. Appends one line to ``checked`` or one to its ``skipped``.
    With ``at``, a recorded ``smoothness_at`` ([[c, count], …]; absent where σ is smooth everywhere) must list
    exactly the breakpoints hit (the ball route re-solves a point m' next to the certificate's: not compared).

    Raises:
        Reject: the recorded class exceeds what σ has at a breakpoint hit (an order whose one-sided derivatives
            differ, shown exactly).
        Unrecognized: the recorded class cannot be decided (C^∞ at a joint the re-checker does not know, or
            one-sided limits it cannot compare).
    """
    if "smoothness" not in w:  # an older format: the class is re-derived here and reported, not held to a record
        if claim in MANIFOLD_CLAIMS:
            checked.append(derived_class(sigma, zs))
        return
    want = parse_class(w["smoothness"])
    hits = _hits(sigma, zs)
    if at and "smoothness_at" in w:
        _same_hits(w["smoothness_at"], hits)
    for c in sorted(hits):
        if c in sigma.flat:  # C^∞ there by σ's definition
            continue
        j = sigma.breaks.index(c)
        top = min(want, ORDER_LIMIT)
        for k in range(int(top) + 1):
            if not sigma.agree_to(j, k):
                raise Reject(f"the witness records M {_name(want)} near m, but {hits[c]} hidden pre-activation(s) "
                             f"sit at t = {c}, where the one-sided derivatives of {sigma.name} of order {k} differ: "
                             f"σ, so H, is only C^{k - 1} there")
        if want > ORDER_LIMIT and c not in sigma.flat:
            raise Unrecognized(f"M {_name(want)} near m: {sigma.name} at its breakpoint t = {c} has equal one-sided "
                               f"derivatives up to order {ORDER_LIMIT}, but C^∞ there is not decided by the "
                               "re-checker")
    where = "; ".join(f"{n} at t = {c}" for c, n in sorted(hits.items())) or "none at a breakpoint of σ"
    checked.append(f"M {_name(want)} near m (as recorded): hidden pre-activations at breakpoints: {where}; the "
                   f"one-sided derivatives of σ agree there up to the order that needs")


def _hits(sigma, zs) -> dict:
    """{breakpoint: how many of ``zs`` sit there}; ``zs`` a list of values or a dict {value: count} (the at-scale
    re-check counts d² pre-activations at 0 without listing them)."""
    items = zs.items() if isinstance(zs, dict) else ((z, 1) for z in zs)
    hits: dict = {}
    for z, k in items:
        if k and z in sigma.breaks:
            hits[z] = hits.get(z, 0) + k
    return hits


def derived_class(sigma, zs: list) -> str:
    """The class of M near m re-derived from σ at the exact pre-activations ``zs``, as one line: the least, over
    the breakpoints hit, of the highest order whose one-sided derivatives agree (a flat joint: C^∞; all of orders
    0..ORDER_LIMIT agreeing elsewhere: "at least C^ORDER_LIMIT", C^∞ not decided)."""
    hits = _hits(sigma, zs)
    k = math.inf  # C^∞ where no breakpoint is hit, or only flat ones
    for c in sorted(hits):
        if c in sigma.flat:
            continue
        j = sigma.breaks.index(c)
        top = next((order for order in range(ORDER_LIMIT + 1) if not sigma.agree_to(j, order)), None)
        k = min(k, ORDER_LIMIT if top is None else top - 1)  # ORDER_LIMIT: all compared orders agree
    where = "; ".join(f"{n} at t = {c}" for c, n in sorted(hits.items())) or "none at a breakpoint of σ"
    name = f"at least C^{ORDER_LIMIT} (C^∞ not decided)" if k == ORDER_LIMIT else "not C^0" if k < 0 else _name(k)
    return (f"M {name} near m, re-derived (the witness records no class): hidden pre-activations at breakpoints: "
            f"{where}; σ's one-sided derivatives compared there")


def _same_hits(recorded, hits: dict) -> None:
    if not isinstance(recorded, (list, tuple)) or not all(isinstance(p, (list, tuple)) and len(p) == 2
                                                          for p in recorded):
        raise BadWitness("smoothness_at must list [breakpoint, count] pairs")
    mine = {}
    for c, n in recorded:
        v = parse(c)
        if not v.is_rational() or not isinstance(n, int) or isinstance(n, bool) or v.rational() in mine:
            raise BadWitness(f"smoothness_at: [{c!r:.30}, {n!r}] is not a rational breakpoint and a count")
        mine[v.rational()] = n
    if mine != hits:
        raise Reject(f"smoothness_at records the breakpoint hits {sorted(mine.items())} but the recomputed "
                     f"pre-activations give {sorted(hits.items())}")


def rational_hits(zs) -> list[Fraction]:
    """The exact pre-activations that are rational (an irrational value of Q[e^Q] is no breakpoint of σ)."""
    return [z.rational() for z in zs if z.is_rational()]
