"""``certify``'s distances, re-derived: ‖m* − m‖∞ and ‖m* − m‖₂ between the certificate's point m* (exact values
or Arb balls) and the model's point m recorded in ``witness["model"]["point"]`` (the file's float weights, written
exactly). For a point of balls the distance is only known to lie in [lower, upper] (the point of M is somewhere in
the box). A recorded bound below the lower end is false and rejected (a bound of 0 for a point that moved); one at
or above the upper end is confirmed, and must be tight (≤ (1 + 10⁻³)·upper + 10⁻³⁰⁰: an inflated one is rejected);
one in between is true for some points of the box and not for others: not confirmed, said so (``partial``).

That ``model.point`` is the file's weights is not re-derived (the kernel does not read model files): it is listed
as not vouched for (:func:`proofs_check.recheck.format.unvouched`).
"""

from __future__ import annotations

from fractions import Fraction

from flint import arb, ctx

from proofs_check.recheck.arb import _fraction, arb_of
from proofs_check.recheck.exact import parse
from proofs_check.recheck.statements import Reject

__all__ = ["check_distances", "SLACK"]

SLACK = Fraction(1, 1000)
_TINY = Fraction(1, 10**300)


def _upper(x: arb) -> Fraction:
    return _fraction(x.upper())


def _lower(x: arb) -> Fraction:
    return max(Fraction(0), _fraction(x.lower()))


def _value(text: str):
    """A rational (exact value) or an Arb ball."""
    if "+/-" in text or "[" in text:
        return arb(text.strip())
    v = parse(text)
    if not v.is_rational():
        raise Reject(f"a value of the point, {text!r:.40}, is neither rational nor a ball: no distance re-derived")
    return v.rational()


def check_distances(w: dict, log) -> None:
    """Re-derive the model's distances (see the module docstring); one line to ``log``, Reject otherwise."""
    model, point = w["model"], w["point"]
    mp = model["point"]
    if set(mp) != set(point):
        raise Reject("the model's point and the certificate's point do not name the same parameters")
    old = ctx.prec
    ctx.prec = 256
    try:
        linf_lo, linf_hi, sq_lo, sq_hi = Fraction(0), Fraction(0), arb(0), arb(0)
        exact = True
        for k, text in point.items():
            m0 = parse(mp[k])
            if not m0.is_rational():
                raise Reject(f"the model's {k} = {mp[k]!r:.40} is not a rational (a float written exactly)")
            v = _value(text)
            if isinstance(v, Fraction):
                lo = hi = abs(v - m0.rational())
            else:
                exact = False
                dk = abs(v - arb_of(m0.rational()))
                lo, hi = _lower(dk), _upper(dk)
            linf_lo, linf_hi = max(linf_lo, lo), max(linf_hi, hi)
            sq_lo += arb_of(lo) ** 2
            sq_hi += arb_of(hi) ** 2
        l2_lo, l2_hi = _lower(sq_lo.sqrt()), _upper(sq_hi.sqrt())
    finally:
        ctx.prec = old
    unconfirmed = []
    for name, recorded, low, high in (("distance_linf_upper", model["distance_linf_upper"], linf_lo, linf_hi),
                                      ("distance_l2_upper", model["distance_l2_upper"], l2_lo, l2_hi)):
        rec = Fraction(recorded)
        if rec < low:
            raise Reject(f"model.{name} = {recorded!r} is below the re-derived distance ≥ {float(low):.6e}")
        if rec > high * (1 + SLACK) + _TINY:
            raise Reject(f"model.{name} = {recorded!r} is not the distance: re-derived ≤ {float(high):.6e}")
        if rec < high:
            unconfirmed.append(f"model.{name} = {recorded!r} lies inside the box's range [{float(low):.6e}, "
                               f"{float(high):.6e}] of distances: true for some points of the box, not confirmed")
    for why in unconfirmed:
        log.skip(why)
    how = "exactly" if exact else "in Arb (upper ends of the enclosures)"
    log.append(f"distances to the model's point re-derived {how}: ‖m* − m‖∞ ≤ {float(linf_hi):.6e}, "
               f"‖m* − m‖₂ ≤ {float(l2_hi):.6e}, as recorded (within {float(SLACK):g})")
