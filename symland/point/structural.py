"""Structural zeros: H(m) = 0 exactly at a given point, read off Arb balls that are exactly 0 — for any σ.

Where every term of a residual that involves a transcendental value of σ has an exact zero factor (output weights
exactly 0 and targets equal to the output bias, a hidden unit at σ(0) = 0, …), Arb computes the residual as the exact
ball 0 ± 0: 0·x is exact 0 for a finite ball x, and sums and differences of exact numbers that cancel are exact.
Arb's enclosures are rigorous, so such a ball holds the single real number 0 — H(m) = 0 is then a fact, not a
numerical observation, and membership m ∈ M is exact even when σ is tanh or a sigmoid, which the exact tiers refuse.
Only radius-0 zero balls count; a ball that merely contains 0 never decides membership.
"""

from __future__ import annotations

from dataclasses import replace

from symland.linear.certify import certify_full_row_rank

__all__ = ["structural_zero", "structural_text", "output_layer_rank"]


def structural_zero(kind, H) -> bool:
    """H(m) = 0 *exactly* from the ball values: every residual is the exact ball 0 ± 0. Arb's enclosures are
    rigorous, so a ball of radius 0 and midpoint 0 holds the one real number 0 — the value itself, however it came
    about (an exact zero factor: 0·x = 0 exactly for a finite ball x). A ball that merely contains 0 is never
    enough."""
    return bool(H) and all(kind.is_zero(v) for v in H)


def structural_text(network, vals, kind, src: str) -> tuple[str, bool]:
    """(the evidence sentence, whether zero factors are the reason): why the residuals are exact zeros.

    Where a last-hidden-layer value σ(…) is an inexact ball (a transcendental value; J_H's output-weight columns
    hold them), each term carrying one has an exact zero factor — the output-layer parameters exactly 0 are named.
    Otherwise every value is exact (dyadic arithmetic)."""
    K = len(network.shapes)
    names = network.param_names()
    zero = [nm for nm, v in zip(names, vals.point) if nm.startswith((f"W{K}_", f"b{K}_")) and kind.is_zero(v)]
    feats = [j for j, nm in enumerate(names) if nm.startswith(f"W{K}_")]
    inexact = any(not kind.is_zero(row[j]) and not row[j].is_exact() for row in vals.J for j in feats)
    if not inexact:
        return (f"H(m) = 0 exactly at {src}: the point is dyadic and every value on the way is exact, so Arb computes "
                "each residual without rounding as the exact ball 0 ± 0 (radius 0: the number 0 itself)"), False
    where = f" (output-layer parameters exactly 0: {', '.join(zero[:6])}{', …' if len(zero) > 6 else ''})" if zero \
        else ""
    return (f"H(m) = 0 exactly at {src}: every residual has an exact zero factor{where} — each evaluates in Arb to "
            f"the exact ball 0 ± 0 (0·x = 0 exactly for a finite ball x; the other terms are exact), so m ∈ M "
            "exactly, also for a transcendental σ (a structural zero)"), True


def output_layer_rank(prob, inst, J, bits):
    """A certified nonsingular d × d minor of J_H, preferring output-layer columns (what the re-checker re-solves
    on); else any columns."""
    if inst.dag is None:
        net = prob.network
        K = len(net.shapes)
        cols = [i for i, nm in enumerate(net.param_names()) if nm.startswith((f"W{K}_", f"b{K}_"))]
        sub = certify_full_row_rank([[row[j] for j in cols] for row in J], bits)
        if sub is not None:
            return replace(sub, cols=tuple(sorted(cols[c] for c in sub.cols)))
    return certify_full_row_rank(J, bits)
