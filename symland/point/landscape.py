"""The landscape at any point (on M or not): H, J_H, the full Hess L, rank, inertia and spectrum, per tier.

Hess L = 2 Σ_r (∇f_r ∇f_rᵀ + f_r Hess f_r) is taken *with* the residual term, so away from M its inertia
may have negative entries (Section 2.2's (d, n − d, 0) holds on M only). What each tier's answer is worth:

=========  =======================================================  =====================================
tier       rank of J_H                                              inertia of Hess L
=========  =======================================================  =====================================
exact      proved: a minor ≠ 0 mod p, exact kernel vectors          proved: congruence + Descartes
symbolic   proved: χ(J Jᵀ) exactly (dℓ ≤ 30), a minor mod p         proved: exact χ + Descartes (n ≤ 30)
ball       certified lower bound (a minor); upper only when full    certified beyond a Weyl radius
mp, float  numerical: singular values above a tolerance             numerical: eigenvalues vs tolerance
=========  =======================================================  =====================================

The spectrum (``spectrum=True``) is always the float64 eigenvalues of (the float image of) Hess L, with the
tolerance n·ε·max|λ| below which an eigenvalue is indistinguishable from 0.

>>> from symland import Dataset, Problem, mlp
>>> prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]))
>>> rep = landscape_at(prob, ["1", "0", "1", "0"], tier="exact")   # f(1) = 1 ≠ 2: off M
>>> rep.on_M, rep.rank, rep.inertia                                # Hess L has a negative eigenvalue
(False, 1, (2, 1, 1))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from symland import spectrum as sp_
from symland.errors import InputError, NotRepresentableError
from symland.tiers import ExpPolyKind, RationalKind, choose_kind
from symland.tiers.numeric import (
    STRENGTH,
    BallKind,
    FloatKind,
    MpKind,
    Undecided,
    precision,
)

__all__ = ["PointReport", "landscape_at", "TIERS"]

TIERS = ("auto", "exact", "symbolic", "ball", "mp", "float")
KERNEL_LIMIT = 60  # exact kernel vectors of J_H (rank upper bound) up to this n
HESSIAN_LIMIT = 400  # the n × n Hess L (and so inertia and spectrum) is built up to this n
BALL_BITS = 256  # symbolic values too many for χ over Q[e^Q] are enclosed at this precision for the inertia


@dataclass(frozen=True)
class PointReport:
    """What :func:`landscape_at` found. Values are strings of the tier's numbers (exact, balls or floats).

    ``on_M``: True when H(m) = 0 exactly, False when a residual is certified ≠ 0 (exact or a ball
    excluding 0), None when the tier cannot tell (balls containing 0, mp/float). ``rank`` is an int when
    decided, else None and ``rank_bounds`` holds (lower, upper); likewise ``inertia`` / ``inertia_bounds``
    ((lower P, N, Z), (upper P, N, Z)). ``spectrum`` is float64 eigenvalues of Hess L (ascending).
    """

    tier: str
    strength: str
    names: tuple
    H: tuple
    J: tuple
    loss: str
    gradient: tuple
    hessian: tuple | None
    on_M: bool | None
    membership: str
    rank_bounds: tuple
    rank_witness: dict
    inertia_bounds: tuple | None = None
    inertia_witness: dict = field(default_factory=dict)
    spectrum: tuple | None = None
    spectrum_tolerance: float | None = None

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def rank(self) -> int | None:
        lo, hi = self.rank_bounds
        return lo if lo == hi else None

    @property
    def inertia(self) -> tuple | None:
        if self.inertia_bounds is None:
            return None
        lo, hi = self.inertia_bounds
        return tuple(lo) if lo == hi else None

    def to_json_obj(self, *, matrices: bool = True) -> dict:
        """Plain data: ``rank`` an int or {"lower", "upper"}; ``inertia`` [P, N, Z] or {"lower", "upper"}."""
        out = {"tier": self.tier, "strength": self.strength, "n": self.n, "params": list(self.names),
               "on_M": self.on_M, "membership": self.membership, "H": list(self.H), "loss": self.loss}
        if matrices:
            out.update({"J": [list(r) for r in self.J], "gradient": list(self.gradient)})
            if self.hessian is not None:
                out["hessian"] = [list(r) for r in self.hessian]
        lo, hi = self.rank_bounds
        out["rank"] = lo if lo == hi else {"lower": lo, "upper": hi}
        out["rank_witness"] = dict(self.rank_witness)
        if self.inertia_bounds is not None:
            ilo, ihi = self.inertia_bounds
            out["inertia"] = list(ilo) if ilo == ihi else {"lower": list(ilo), "upper": list(ihi)}
            out["inertia_witness"] = dict(self.inertia_witness)
        if self.spectrum is not None:
            out["spectrum"] = list(self.spectrum)
            out["spectrum_tolerance"] = self.spectrum_tolerance
        return out


def _not_built(rep: PointReport, n: int) -> PointReport:
    from dataclasses import replace

    return replace(rep, inertia_witness={"method": f"not computed: n = {n} > {HESSIAN_LIMIT}, the n × n Hess L "
                                         "is not built (the rank of J_H is)"})


def landscape_at(problem, point, tier: str = "auto", *, inertia: bool = True, spectrum: bool = False,
                 prec: int = 128, max_prec: int = 4096, dps: int = 50) -> PointReport:
    """H, J_H, Hess L (residual term included), rank J_H and inertia of Hess L at `point`, in `tier`.

    Args:
        problem: a :class:`~symland.problem.Problem` (network and data).
        point: {name: value} or values in the canonical order (exact strings such as ``"1/3"``).
        tier: ``auto`` (exact when every value is in Q or Q[e^Q], else ball), ``exact``, ``symbolic``,
            ``ball`` (Arb at ``prec`` bits, doubled up to ``max_prec`` when a ball straddles a kink of σ),
            ``mp`` (``dps`` digits) or ``float``.
        inertia: also build Hess L and decide its inertia.
        spectrum: also the float64 eigenvalues of Hess L and their tolerance.

    Raises:
        InputError: an unknown tier, or a value the exact tier asked for cannot hold.
        UndefinedDerivativeError: σ' or σ'' is not defined at a pre-activation of the point.
    """
    if tier not in TIERS:
        raise InputError(f"tier must be one of {', '.join(TIERS)}, got {tier!r}")
    exact_point = problem.parse_point(point)
    if (inertia or spectrum) and problem.n > HESSIAN_LIMIT:
        return _not_built(_landscape(problem, exact_point, tier, False, False, prec, max_prec, dps), problem.n)
    return _landscape(problem, exact_point, tier, inertia, spectrum, prec, max_prec, dps)


def _landscape(problem, exact_point, tier, inertia, spectrum, prec, max_prec, dps) -> PointReport:
    hess = inertia or spectrum
    if tier in ("auto", "exact", "symbolic"):
        kind = {"exact": RationalKind(), "symbolic": ExpPolyKind()}.get(tier) or choose_kind(
            problem.network.activation, exact_point)
        try:
            vals = problem.at(exact_point, kind=kind, hessian=hess)
        except NotRepresentableError as exc:
            if tier != "auto":
                raise InputError(f"--tier {tier}: {exc}; --tier ball evaluates it with certified enclosures") from None
            tier = "ball"
        else:
            return _exact(problem, vals, inertia, spectrum)
    if tier == "ball":
        bits = prec
        while True:
            try:
                with precision(bits):
                    return _ball(problem, exact_point, BallKind(bits), hess, inertia, spectrum)
            except Undecided as exc:
                if bits * 2 > max_prec:
                    raise InputError(f"--tier ball: {exc} up to {bits} bits (raise --max-prec)") from None
                bits *= 2
    kind = MpKind(dps) if tier == "mp" else FloatKind()
    if tier == "float" and not hess and hasattr(problem.network, "shapes"):  # batched numpy passes
        from symland.floating import jacobian
        from symland.problem import PointValues

        x = np.array([kind.const(v) for v in exact_point], dtype=float)
        H, J = jacobian(problem.network, problem.data, x)
        vals = PointValues(kind, list(x), list(H), J.tolist())
    else:
        vals = problem.at([kind.const(v) for v in exact_point], kind=kind, hessian=hess)
    return _numeric(problem, vals, kind, inertia, spectrum)


def _strings(kind, vals, hess: bool):
    s = kind.to_str
    return (tuple(s(v) for v in vals.H), tuple(tuple(s(v) for v in row) for row in vals.J), s(vals.loss),
            tuple(s(v) for v in vals.gradient),
            tuple(tuple(s(v) for v in row) for row in vals.hess_L) if hess else None)


def _spectrum(float_hessian) -> tuple:
    lam, tol = sp_.float_spectrum(np.asarray(float_hessian, dtype=float))
    return tuple(float(v) for v in lam), tol


def _exact(problem, vals, inertia: bool, spectrum: bool) -> PointReport:
    from symland.rank import prove_rank

    kind, n = vals.kind, problem.n
    hess = inertia or spectrum
    H, J, loss, grad, HL = _strings(kind, vals, hess)
    nonzero = [r for r, v in enumerate(vals.H) if not kind.is_zero(v)]
    membership = (f"m ∉ M: f_{nonzero[0] + 1}(m) = {H[nonzero[0]]} ≠ 0 ({len(nonzero)} nonzero residuals)"
                  if nonzero else f"m ∈ M: H(m) = 0 exactly ({len(H)} residuals)")
    proof = prove_rank(kind, vals.J, want_kernel=n <= KERNEL_LIMIT)
    rw = {"strength": "proved" if proof.exact else "bounds", "method": proof.method, "minor": proof.minor}
    if proof.kernel:
        rw["kernel"] = [list(v) for v in proof.kernel]
    bounds = (proof.lower, proof.upper)
    if not proof.exact:  # over Q[e^Q]: the upper bound from the Gram matrix's characteristic polynomial
        r = sp_.exppoly_rank(kind, vals.J)
        if r is not None:  # the multiplicity of 0 is exact, so this alone decides the rank
            bounds = (r, r)
            rw.update(strength="proved", method=proof.method.split("; no exact kernel")[0] + f"; and rank J = rank "
                      f"JJᵀ = {r}: the root 0 of χ(JJᵀ) (exact over Q[e^Q]) has multiplicity {len(vals.J) - r}")
    rep = dict(tier=kind.name, strength="proved", names=tuple(problem.network.param_names()), H=H, J=J, loss=loss,
               gradient=grad, hessian=HL, on_M=not nonzero, membership=membership,
               rank_bounds=bounds, rank_witness=rw)
    if inertia:
        if isinstance(kind, RationalKind):
            inr = sp_.exact_inertia(vals.hess_L)
        elif not nonzero and bounds[0] == bounds[1]:  # on M: Hess L = 2JᵀJ, a Gram matrix of rank rank J
            r = bounds[0]
            inr = sp_.Inertia((r, 0, n - r), (r, 0, n - r), "proved", f"H(m) = 0, so Hess L = 2JᵀJ: PSD of rank {r}")
        else:
            inr = sp_.exppoly_inertia(kind, vals.hess_L)
        if inr is None:  # n too large for χ over Q[e^Q]: the exact entries, enclosed in balls
            with precision(BALL_BITS):
                inr = sp_.ball_inertia([[kind.const(v).enclosure(BALL_BITS) for v in row] for row in vals.hess_L])
            inr = sp_.Inertia(inr.lower, inr.upper, "certified" if inr.decided else "bounds",
                              f"n = {n} > {sp_.CHARPOLY_LIMIT}, too large for χ over Q[e^Q]: the exact entries "
                              f"enclosed in Arb balls ({BALL_BITS} bits); " + inr.method, inr.witness)
        rep["inertia_bounds"] = (inr.lower, inr.upper)
        rep["inertia_witness"] = {"strength": inr.strength if inr.strength != "proved" or inr.decided else "bounds",
                                  "method": inr.method, **inr.witness}
    if spectrum:
        flt = FloatKind()
        rep["spectrum"], rep["spectrum_tolerance"] = _spectrum([[flt.const(v) for v in row] for row in vals.hess_L])
    return PointReport(**rep)


def _ball(problem, exact_point, kind, hess, inertia, spectrum) -> PointReport:
    vals = problem.at([kind.const(v) for v in exact_point], kind=kind, hessian=hess)
    H, J, loss, grad, HL = _strings(kind, vals, hess)
    excl = [r for r, v in enumerate(vals.H) if kind.nonzero(v)]
    if excl:
        membership = f"m ∉ M: f_{excl[0] + 1}(m) ∈ {H[excl[0]]} ∌ 0 ({len(excl)} residuals certified nonzero)"
    else:
        membership = "undecided: every residual's ball contains 0 (balls cannot show H(m) = 0; use --tier exact)"
    lo, hi, rw = sp_.ball_rank(vals.J)
    rw = {"strength": "certified" if lo == hi else "bounds", "prec": kind.prec, **rw}
    rep = dict(tier="ball", strength="certified", names=tuple(problem.network.param_names()), H=H, J=J, loss=loss,
               gradient=grad, hessian=HL, on_M=False if excl else None, membership=membership,
               rank_bounds=(lo, hi), rank_witness=rw)
    if inertia:
        inr = sp_.ball_inertia(vals.hess_L)
        rep["inertia_bounds"] = (inr.lower, inr.upper)
        rep["inertia_witness"] = {"strength": "certified" if inr.decided else "bounds", "method": inr.method,
                                  "prec": kind.prec, **inr.witness}
    if spectrum:
        rep["spectrum"], rep["spectrum_tolerance"] = _spectrum([[float(v.mid()) for v in row] for row in vals.hess_L])
    return PointReport(**rep)


def _numeric(problem, vals, kind, inertia, spectrum) -> PointReport:
    hess = inertia or spectrum
    H, J, loss, grad, HL = _strings(kind, vals, hess)
    scale = 1.0 + max((abs(float(v)) for row in problem.data.Y for v in row), default=0.0)
    if kind.name == "mp":
        mp = kind.ctx
        big = max((abs(v) for v in vals.H), default=mp.mpf(0))
        tol_h = float(kind.tol) * scale
        s = mp.svd_r(mp.matrix(vals.J), compute_uv=False) if vals.J and vals.J[0] else []
        sv = sorted((s[i] for i in range(len(s))), reverse=True)
        tol_r = (float(kind.tol) * float(sv[0])) if sv else 0.0
        rank = sum(1 for v in sv if v > tol_r)
        rw = {"strength": "numerical", "method": f"mpmath SVD at {kind.dps} digits: {rank} singular values above "
              f"{tol_r:.2e}", "tolerance": tol_r, "sigma_min": float(sv[-1]) if sv else None}
    else:
        from symland.floating import float_rank

        big = max((abs(v) for v in vals.H), default=0.0)
        tol_h = 1e-8 * scale
        fr = float_rank(np.asarray(vals.J, dtype=float).reshape(len(vals.J), problem.n))
        rank = fr.rank
        rw = {"strength": "numerical", "method": f"float64 {fr.method}: {rank} singular values above the tolerance",
              "tolerance": fr.tol, "gap": fr.gap,
              "sigma_min": float(fr.singular_values[-1]) if fr.singular_values.size else None}
    membership = (f"m appears off M ({kind.name} residual max |f_r(m)| = {float(big):.3e} > {tol_h:.1e}) — "
                  "decide with --tier exact/ball" if big > tol_h else
                  f"m appears on M (max |f_r(m)| = {float(big):.1e} ≤ {tol_h:.1e}; numerical)")
    rep = dict(tier=kind.name, strength=STRENGTH[kind.name], names=tuple(problem.network.param_names()), H=H, J=J,
               loss=loss, gradient=grad, hessian=HL, on_M=None, membership=membership,
               rank_bounds=(rank, rank), rank_witness=rw)
    if hess:
        if kind.name == "mp":
            inr, lam, tol = sp_.mp_inertia(vals.hess_L, kind.ctx)
            spec, stol = tuple(float(v) for v in lam), float(tol)
        else:
            inr, lam, stol = sp_.float_inertia(np.asarray(vals.hess_L, dtype=float))
            spec = tuple(float(v) for v in lam)
        if inertia:
            rep["inertia_bounds"] = (inr.lower, inr.upper)
            rep["inertia_witness"] = {"strength": "numerical", "method": inr.method, **inr.witness}
        if spectrum:
            rep["spectrum"], rep["spectrum_tolerance"] = spec, stol
    return PointReport(**rep)
