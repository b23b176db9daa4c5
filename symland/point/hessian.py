"""The inertia and spectrum part of the analysis where the rank alone does not give it: the full Hess L
(residual term 2Σ f_r Hess f_r included) built at m and its inertia decided in the tier's numbers.

=========  ==============================================================
tier       inertia of Hess L
=========  ==============================================================
exact      proved: congruence + Descartes (:func:`symland.linear.spectrum.exact_inertia`)
symbolic   proved: exact χ + Descartes (n ≤ 30), else the exact entries enclosed in balls
ball       certified beyond a Weyl radius
mp, float  numerical: eigenvalues vs a tolerance
=========  ==============================================================
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from symland.linear import spectrum as sp_
from symland.tiers import RationalKind
from symland.tiers.numeric import FloatKind, precision

__all__ = ["with_hessian", "BALL_BITS"]

BALL_BITS = 256  # symbolic values too many for χ over Q[e^Q] are enclosed at this precision


def _inertia(kind, HL, n):
    if isinstance(kind, RationalKind):
        return sp_.exact_inertia(HL), "proved"
    name = kind.name
    if name in ("symbolic", "exppoly"):
        inr = sp_.exppoly_inertia(kind, HL)
        if inr is not None:
            return inr, "proved"
        with precision(BALL_BITS):
            inr = sp_.ball_inertia([[kind.const(v).enclosure(BALL_BITS) for v in row] for row in HL])
        return sp_.Inertia(inr.lower, inr.upper, "certified" if inr.decided else "bounds",
                           f"n = {n} > {sp_.CHARPOLY_LIMIT}, too large for χ over Q[e^Q]: the exact entries enclosed "
                           f"in Arb balls ({BALL_BITS} bits); " + inr.method, inr.witness), "certified"
    if name == "ball":
        with precision(kind.prec):
            return sp_.ball_inertia(HL), "certified"
    if name == "mp":
        return sp_.mp_inertia(HL, kind.ctx)[0], "numerical"
    return sp_.float_inertia(np.asarray(HL, dtype=float))[0], "numerical"


def _float_image(kind, HL):
    if kind.name == "ball":
        return [[float(v.mid()) for v in row] for row in HL]
    if kind.name in ("mp", "float"):
        return [[float(v) for v in row] for row in HL]
    flt = FloatKind()
    return [[flt.const(v) for v in row] for row in HL]


def with_hessian(req, pa, *, inertia: bool, spectrum: bool):
    """`pa` with the inertia (when not already decided from the rank) and the spectrum of the full Hess L."""
    vals = pa.values
    if vals is None or getattr(vals, "J", None) is None:
        return pa
    if vals.hess_f is None:  # not built (σ'' undefined at m, or not asked of the route)
        return pa
    HL, n = vals.hess_L, len(vals.point)
    out, parts = {}, dict(pa.parts)
    if inertia and pa.inertia_bounds is None:
        inr, strength = _inertia(vals.kind, HL, n)
        decided = tuple(inr.lower) == tuple(inr.upper)
        out["inertia_bounds"] = (tuple(inr.lower), tuple(inr.upper))
        out["inertia_witness"] = {"strength": strength if decided else "bounds", "method": inr.method, **inr.witness}
        parts["inertia"] = vals.kind.name
    if spectrum:
        with np.errstate(all="ignore"):
            image = np.asarray(_float_image(vals.kind, HL), dtype=float)
        if np.all(np.isfinite(image)):
            lam, tol = sp_.float_spectrum(image)
            out["spectrum"], out["spectrum_tolerance"] = tuple(float(v) for v in lam), float(tol)
            parts["spectrum"] = "float"
        else:  # a float64 picture of Hess L does not exist: say so, never draw inf
            parts["spectrum"] = "not computed: Hess L is beyond float64's range"
    return replace(pa, parts=parts, values=vals, **out)
