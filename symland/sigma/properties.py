"""The properties of σ that Section 3.1 names, decided exactly: its class C^k at each breakpoint, smoothness at 0,
rectified (Definition 3.1), strictly increasing on t > 0, C^∞, and the kinks.

:class:`Properties` is the half of :class:`symland.sigma.activation.Activation` that decides; the other half holds
σ's definition and its exact values (``_memo``, ``_seg``, ``_sides``, ``_refuse``, ``breakpoints``, ``_segments``).
"""

from __future__ import annotations

import math

import sympy as sp
from sympy.calculus.util import continuous_domain

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.sigma._decide import (
    _coeffs,
    _decide_sign,
    _differ,
    _flat,
    _fmt_set,
    _ordinal,
    _rationals_in,
    _same,
    t,
)
from symland.sigma.kinks import UNDECIDED_HINT, DecisionTimeout, analytic_at, time_limit

__all__ = ["Properties"]


class Properties:
    """Decided properties of an activation (a base of :class:`~symland.sigma.activation.Activation`)."""

    def _order_at(self, j: int, max_order: int) -> int:
        """Largest k ≤ max_order with one-sided derivatives of orders 0..k agreeing at breakpoint j; -1 if none.

        Raises:
            NotRepresentableError: sympy's limits overran :data:`symland.sigma.kinks.DECISION_SECONDS`.
        """
        if max_order:
            self._refuse()
        try:
            with time_limit():
                for k in range(max_order + 1):
                    # _memo calls the closure at once (in this iteration) or not at all
                    if not self._memo(("agree", j, k), lambda: _same(*self._sides(j, k))):  # noqa: B023
                        return k - 1
        except DecisionTimeout as exc:
            raise NotRepresentableError(f"{self.name} at t = {self.breakpoints[j]}: {exc}; {UNDECIDED_HINT}") from None
        return max_order

    def differentiable_at(self, j: int, k: int) -> bool:
        """Whether σ^(k) exists at breakpoint j (σ is C^k there): :meth:`class_at` when it decides, else the
        one-sided limits of orders 0..k.  Raises NotRepresentableError when neither decides in time."""
        cls, _ = self.class_at(j)
        if cls is not None:
            return cls >= k
        return self._order_at(j, k) >= k

    def class_at(self, j: int, max_order: int = 8) -> tuple[int | float | None, str]:
        """σ's class at breakpoint j: (k, why) with k = −1 (discontinuous), k ≥ 0 (C^k, not C^{k+1}), ``inf``
        (C^∞) or None (undecided).

        Where both neighbouring segments are analytic at c (:func:`symland.sigma.kinks.analytic_at`) the class is read
        from the Taylor coefficients of their difference at c (exact substitution); otherwise from one-sided limits
        of derivatives, and C^∞ needs one of the arguments of :meth:`smooth_decided`.

        >>> from symland.sigma.expr import expr_activation
        >>> expr_activation("(x-1)*sqrt((x-1)^2)").class_at(1)[0]
        1
        """
        return self._memo(("class", j, max_order), lambda: self._class(j, max_order))

    def _class(self, j: int, max_order: int) -> tuple[int | float | None, str]:
        if self.undecided:
            return None, self.undecided
        c, left, right = self.breakpoints[j], self._segments[j], self._segments[j + 1]
        try:
            with time_limit():
                if analytic_at(left, c) and analytic_at(right, c):
                    if _same(left, right):
                        return math.inf, f"the same expression, analytic at {c}, on both sides"
                    diff = left - right
                    lp, rp = _coeffs(left), _coeffs(right)
                    top = max(max_order, len(lp), len(rp)) if lp is not None and rp is not None else max_order
                    for k in range(top + 1):
                        v = sp.diff(diff, t, k).subs(t, c)
                        if _same(v, sp.Integer(0)):
                            continue
                        if _differ(v, sp.Integer(0)):
                            return k - 1, (f"analytic pieces whose {_ordinal(k) if k else '0th'} derivatives "
                                           f"differ at {c}")
                        return None, f"whether the pieces' {_ordinal(k)} derivatives agree at {c} is not decided"
                    if lp is not None and rp is not None:  # the difference has degree < top: it is 0
                        return math.inf, f"polynomial pieces agree to all orders at {c}"
                    return None, f"analytic pieces agree to order {max_order} at {c}; beyond is not decided"
                # checked first: it is cheap, and the limits it spares are not
                if analytic_at(left, c) and _flat(right - left, c):
                    return math.inf, (f"σ − (left piece) is R(t)·e^(−c/(t−{c})) on the right of {c}: "
                                      "flat, all orders agree")
                order = self._order_at(j, max_order)
                if order < max_order:
                    l1, r1 = self._sides(j, order + 1)
                    if not _differ(l1, r1):
                        return None, (f"whether the {_ordinal(order + 1)} one-sided derivatives at {c} agree "
                                      "is not decided")
                    return order, (f"one-sided {_ordinal(order + 1) if order >= 0 else '0th'} derivatives "
                                   f"{l1} and {r1} at {c}")
                lp, rp = _coeffs(left), _coeffs(right)
                if lp is not None and rp is not None and max(len(lp), len(rp)) <= max_order:
                    return math.inf, f"polynomial pieces agree to all orders at {c}"
                if _same(left, sp.Integer(0)) and _flat(right, c):
                    return math.inf, (f"0 on the left of {c}, R(t)·e^(−c/(t−{c})) on the right: "
                                      "flat, all orders agree")
                return None, (f"derivatives of order 0..{max_order} agree at {c} (checked exactly), "
                              "but C^∞ is not decided")
        except (DecisionTimeout, NotRepresentableError) as exc:
            return None, f"{exc}"

    def smoothness_at_zero(self, max_order: int = 8) -> int:
        """Largest k ≤ max_order such that σ is k times differentiable at t = 0; -1 if σ is discontinuous at 0.

        One-sided derivatives are decided exactly (right side as the limit t → 0+).

        >>> from symland.sigma.activations import get_activation
        >>> get_activation("rectpow3").smoothness_at_zero()
        2
        """
        return self._order_at(self.breakpoints.index(0), max_order)

    def _undefined(self, j: int, k: int) -> UndefinedDerivativeError:
        c, bad = self.breakpoints[j], self._order_at(j, k) + 1
        left, right = self._sides(j, bad)
        if bad == 0:
            why = f"it is discontinuous there (left value {left}, right limit {right})"
        elif bad == k:
            word = "derivative" if k == 1 else f"{_ordinal(k)} derivative"
            why = f"left {word} {left}, right {word} {right}"
        else:
            why = f"its {_ordinal(bad)} derivative already jumps: left {left}, right {right}"
        what = "is not differentiable" if k == 1 else f"has no {_ordinal(k)} derivative"
        return UndefinedDerivativeError(f"{self.name} {what} at t = {c} ({why})")

    def _positive_spans(self) -> list[tuple[int, sp.Interval]]:
        """(segment index, its open interval ∩ (0, ∞)) for the segments σ has on t > 0."""
        ends = [sp.S.NegativeInfinity, *self.breakpoints, sp.oo]
        return [(i, sp.Interval.open(max(ends[i], 0), ends[i + 1])) for i in range(len(ends) - 1) if ends[i + 1] > 0]

    def is_rectified(self) -> tuple[bool | None, str]:
        """Definition 3.1, decided exactly: σ = 0 on t ≤ 0, σ continuous, σ non-decreasing on t > 0.

        ``False`` only with a witness (σ(x) ≠ 0 at an exact x ≤ 0, a jump, or σ(t1) > σ(t2) at exact
        0 < t1 < t2); ``None`` when undecided.

        >>> from symland.sigma.activations import get_activation
        >>> get_activation("tanh").is_rectified()
        (False, 'tanh: not rectified (σ(-1) = -tanh(1) ≠ 0 on t ≤ 0)')
        """
        return self._memo(("rectified",), lambda: self._bounded(self._rectified, "rectified"))

    def _bounded(self, decide, what: str) -> tuple[bool | None, str]:
        try:
            with time_limit():
                return decide()
        except (DecisionTimeout, NotRepresentableError) as exc:
            return None, f"{self.name}: {what} not decided ({exc})"

    def _rectified(self) -> tuple[bool | None, str]:
        n = self.name
        ends = [sp.S.NegativeInfinity, *self.breakpoints]
        on_neg = [e for e, a in zip(self._segments, ends) if a < 0] if not self.undecided else [self.negative]
        if not all(e == 0 or sp.simplify(e) == 0 for e in on_neg):
            for x in (-1, -2, sp.Rational(-1, 2), -3, sp.Rational(-1, 3), sp.Rational(-7, 5), -5, sp.Rational(-1, 7)):
                v = self.negative.subs(t, x)
                if v.is_zero is False:
                    return False, f"{n}: not rectified (σ({x}) = {v} ≠ 0 on t ≤ 0)"
            return None, f"{n}: not shown rectified (σ = {self.negative} on t ≤ 0: not shown 0, no witness found)"
        for j, c in enumerate(self.breakpoints):
            if c >= 0 and self._order_at(j, 0) < 0:
                left, right = self._sides(j, 0)
                if _differ(left, right):
                    return False, f"{n}: not rectified (discontinuous at t = {c}: σ({c}) = {left}, right limit {right})"
                return None, f"{n}: continuity at t = {c} not decided ({left} vs {right})"
        gap = self._discontinuity_inside()
        if gap:
            return None, f"{n}: not shown rectified (could not show σ continuous on {gap})"
        for i, span in self._positive_spans():
            ok, bad = _decide_sign(sp.diff(self._segments[i], t), strict=False, span=span)
            if ok is None:
                return None, f"{n}: not shown rectified (monotonicity on {_fmt_set(span)} not decided)"
            if not ok:
                return self._falls(bad, "rectified", "σ' < 0")
        return True, f"{n}: rectified (σ = 0 on t ≤ 0, continuous, σ' ≥ 0 on (0, ∞); decided exactly)"

    def _falls(self, bad: sp.Set, what: str, where: str) -> tuple[bool | None, str]:
        """False with a witness σ(t1) > σ(t2) (≥ when ``what`` is strict increase), 0 < t1 < t2 exact; else None."""
        pair = _rationals_in(bad)
        if pair is not None:
            t1, t2 = pair
            v1, v2 = self.value(t1), self.value(t2)
            drop = sp.simplify(v1 - v2)
            if drop.is_positive is True or (what != "rectified" and drop.is_nonnegative is True):
                rel = ">" if drop.is_positive else "≥"
                label = "rectified" if what == "rectified" else "strictly increasing on (0, ∞)"
                return False, (f"{self.name}: not {label} ({where} on {_fmt_set(bad)}: "
                               f"σ({t1}) = {v1} {rel} σ({t2}) = {v2})")
        return None, f"{self.name}: {where} on {_fmt_set(bad)} found by sympy, but no exact witness"

    def _discontinuity_inside(self) -> str:
        """'' if every segment for t > 0 is shown continuous on its open interval, else that interval."""
        if self.split is not None and not self.split.undecided:
            return ""  # the split's segments are analytic on their open intervals (symland.sigma.kinks)
        for i, span in self._positive_spans():
            try:
                ok = continuous_domain(self._segments[i], t, span) == span
            except Exception:  # noqa: BLE001 -- sympy could not decide: not shown
                ok = False
            if not ok:
                return _fmt_set(span)
        return ""

    def is_strictly_increasing_on_positive(self) -> tuple[bool | None, str]:
        """Whether σ is strictly increasing on (0, ∞): σ' > 0 there except at isolated points, no downward jump.

        >>> from symland.sigma.activations import get_activation
        >>> get_activation("relu_after1").is_strictly_increasing_on_positive()[0]
        False
        """
        return self._memo(("strict",), lambda: self._bounded(self._strict, "strict increase"))

    def _strict(self) -> tuple[bool | None, str]:
        n = self.name
        for j, c in enumerate(self.breakpoints):
            if c <= 0:
                continue
            left, right = self._sides(j, 0)
            if not _same(left, right) and (right - left).is_positive is not True:
                if (left - right).is_positive is True:
                    return False, (f"{n}: not strictly increasing on (0, ∞) "
                                   f"(at t = {c}: σ = {left}, right limit {right})")
                return None, f"{n}: not shown strictly increasing (at t = {c}: σ = {left}, right limit {right})"
        gap = self._discontinuity_inside()
        if gap:
            return None, f"{n}: not shown strictly increasing (could not show σ continuous on {gap})"
        isolated = False
        for i, span in self._positive_spans():
            ok, bad = _decide_sign(sp.diff(self._segments[i], t), strict=True, span=span)
            if ok is None:
                return None, f"{n}: not shown strictly increasing (the sign of σ' on {_fmt_set(span)} not decided)"
            if not ok:
                return self._falls(bad, "strict", "σ' ≤ 0")
            isolated = isolated or bool(bad)
        off = " except at isolated points" if isolated else ""
        return True, f"{n}: strictly increasing on (0, ∞) (σ' > 0 there{off})"

    def is_smooth(self, max_order: int = 8) -> tuple[bool, str]:
        """Whether σ is shown smooth (C^∞); False also when undecided (see :meth:`smooth_decided`).

        >>> from symland.sigma.activations import get_activation
        >>> get_activation("relu").is_smooth()
        (False, 'relu: first derivative jumps at 0 (0 vs 1)')
        """
        ok, why = self.smooth_decided(max_order)
        return bool(ok), why

    def smooth_decided(self, max_order: int = 8) -> tuple[bool | None, str]:
        """C^∞ decided exactly: True, False, or None when it could not be decided.

        σ is analytic off its breakpoints (built-ins by definition, custom σ by :mod:`symland.sigma.kinks`); at each
        breakpoint :meth:`class_at` decides the class.  All orders agree when both pieces are analytic at c and
        equal, when both are polynomials (orders up to the degree suffice), or when the left segment is 0 and the
        right one is R(t)·e^(−c/(t−b)) with R rational and c > 0 — every derivative is then a rational function
        times e^(−c/(t−b)), which tends to 0 (the smooLU case).

        >>> from symland.sigma.activations import get_activation
        >>> get_activation("rectpow9").smooth_decided()
        (False, 'rectpow9: 9th derivative jumps at 0 (0 vs 362880)')
        """
        n = self.name
        if self.undecided:
            return None, f"{n}: {self.undecided}"
        reasons = []
        for j, c in enumerate(self.breakpoints):
            k, why = self.class_at(j, max_order)
            if k is None:
                return None, f"{n}: class at {c} not decided ({why})"
            if k != math.inf:
                l1, r1 = self._sides(j, k + 1)
                what = "σ is discontinuous" if k < 0 else f"{_ordinal(k + 1)} derivative jumps"
                return False, f"{n}: {what} at {c} ({l1} vs {r1})"
            reasons.append(why)
        return True, f"{n}: C^∞ ({'; '.join(reasons)})"

    def breakpoint_hits(self, kind, values, exact=None) -> tuple[tuple[sp.Rational, int], ...]:
        """((c, how many of ``values`` sit at c), …) over σ's breakpoints c, for numbers of tier ``kind``.

        Decided by :func:`symland.sigma.kinkhits.hits`: a ball containing c (a float or mp number within tolerance of c)
        is decided from ``exact`` (a function giving the exact values, in the same order) or raises KinkUndecided.
        """
        from symland.sigma.kinkhits import hits

        values = list(values)
        ex = None if exact is None else (lambda: [[list(exact())]])
        return hits(self, kind, [[values]], ex, where=lambda k, i, s: f"hidden pre-activation {s + 1}")

    def kinks(self, max_order: int = 8) -> list[tuple[sp.Rational, int | float | None]]:
        """[(c, class)] for the breakpoints where σ is not shown C^∞ (class as in :meth:`class_at`)."""
        out = []
        for j, c in enumerate(self.breakpoints):
            k = self.class_at(j, max_order)[0]
            if k != math.inf:
                out.append((c, k))
        return out

