"""The landscape at any point (on M or not) as ``symland inspect`` prints it: a view of :func:`symland.analyse`
with the matrices H, J_H, ∇L and the full Hess L written out in the tier's numbers.

Hess L = 2 Σ_r (∇f_r ∇f_rᵀ + f_r Hess f_r) is taken *with* the residual term, so away from M its inertia
may have negative entries (Proposition 2.3's (n₊, n₋, n₀) = (d, 0, n − d) holds on M only). What each tier's
answer is worth:

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

from symland.errors import InputError, UndefinedDerivativeError
from symland.point.routes import HESSIAN_LIMIT, KERNEL_LIMIT, TIERS, analyse
from symland.point.value import bounds_json

__all__ = ["PointReport", "landscape_at", "report", "TIERS", "HESSIAN_LIMIT", "KERNEL_LIMIT"]


@dataclass(frozen=True)
class PointReport:
    """What :func:`landscape_at` found. Values are strings of the tier's numbers (exact, balls or floats).

    ``on_M``: True when H(m) = 0 exactly, False when a residual is certified ≠ 0 (exact or a ball
    excluding 0), None when the tier cannot tell (balls containing 0, mp/float). ``rank`` is an int when
    decided, else None and ``rank_bounds`` holds (lower, upper); likewise ``inertia`` / ``inertia_bounds``
    ((lower n₊, n₋, n₀), (upper n₊, n₋, n₀)), Sylvester's order. ``spectrum`` is float64 eigenvalues of Hess L
    (ascending). ``smoothness``: H's class near m ("smooth", "C^k"), ``kinks``: ((breakpoint, count), …) hit.
    """

    tier: str
    strength: str
    names: tuple
    H: tuple
    loss: str
    on_M: bool | None
    membership: str
    rank_bounds: tuple
    rank_witness: dict
    inertia_bounds: tuple | None = None
    inertia_witness: dict = field(default_factory=dict)
    spectrum: tuple | None = None
    spectrum_tolerance: float | None = None
    smoothness: str = ""
    kinks: tuple = ()
    #: (J_H, ∇L, Hess L or None, the tier's to_str): the matrices in the tier's numbers, written out as strings
    #: only when read (:attr:`J`, :attr:`gradient`, :attr:`hessian`): at n ≈ 10⁶ the strings of J_H alone would
    #: be ~10⁸ Python objects, beyond the memory of the command that only asked for the rank or the spectrum
    matrices: tuple = field(default=((), (), None, str), compare=False, repr=False)

    @property
    def J(self) -> tuple:
        """J_H, rows of strings."""
        J, _, _, s = self.matrices
        return tuple(tuple(s(v) for v in row) for row in J)

    @property
    def gradient(self) -> tuple:
        """∇L, strings."""
        _, g, _, s = self.matrices
        return tuple(s(v) for v in g)

    @property
    def hessian(self) -> tuple | None:
        """The full Hess L (residual term included), rows of strings, or None when not built."""
        _, _, HL, s = self.matrices
        return None if HL is None else tuple(tuple(s(v) for v in row) for row in HL)

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
        """Plain data: ``rank`` an int or {"lower", "upper"}; ``inertia`` [n₊, n₋, n₀] or {"lower", "upper"}."""
        out = {"tier": self.tier, "strength": self.strength, "n": self.n, "params": list(self.names),
               "on_M": self.on_M, "membership": self.membership, "H": list(self.H), "loss": self.loss}
        if matrices:
            out.update({"J": [list(r) for r in self.J], "gradient": list(self.gradient)})
            hessian = self.hessian
            if hessian is not None:
                out["hessian"] = [list(r) for r in hessian]
        out["rank"] = bounds_json(*self.rank_bounds)
        out["rank_witness"] = dict(self.rank_witness)
        if self.inertia_bounds is not None:
            out["inertia"] = bounds_json(*self.inertia_bounds)
            out["inertia_witness"] = dict(self.inertia_witness)
        if self.spectrum is not None:
            out["spectrum"] = list(self.spectrum)
            out["spectrum_tolerance"] = self.spectrum_tolerance
        if self.smoothness:
            out["smoothness"] = self.smoothness
            out["kinks"] = [[str(c), k] for c, k in self.kinks]
        return out


def landscape_at(problem, point, tier: str = "auto", *, inertia: bool = True, spectrum: bool = False,
                 prec: int = 128, max_prec: int = 4096, dps: int = 50) -> PointReport:
    """H, J_H, Hess L (residual term included), rank J_H and inertia of Hess L at `point`, in `tier`.

    Args:
        problem: a :class:`~symland.networks.problem.Problem` (network and data).
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
    pa = analyse(problem, exact_point, tier, inertia=inertia, spectrum=spectrum, prec=prec, max_prec=max_prec,
                 dps=dps)
    return report(pa, problem, inertia=inertia, spectrum=spectrum, asked=tier)


def report(pa, problem, *, inertia: bool = True, spectrum: bool = False, asked: str = "auto") -> PointReport:
    """The :class:`PointReport` view of an analysis (its values written out as strings)."""
    vals = pa.values
    if pa.status == "undefined":
        raise UndefinedDerivativeError(pa.reason)
    if vals is None or pa.rank is None:
        if pa.tier == "ball" or asked == "ball":
            raise InputError(f"--tier ball: {pa.reason}")
        raise InputError(f"--tier {asked if asked != 'auto' else pa.tier}: {pa.reason}; --tier ball evaluates it "
                         "with certified enclosures")
    n = problem.n
    hess = (inertia or spectrum) and n <= HESSIAN_LIMIT
    if hess and pa.hessian_issue:
        raise UndefinedDerivativeError(pa.hessian_issue)
    s = vals.kind.to_str
    HL = vals.hess_L if hess and vals.hess_f is not None else None
    rb = pa.rank
    rw = {"strength": rb.strength, "method": rb.method}
    if rb.minor:
        rw["minor"] = dict(rb.minor)
        if "prec" in rw["minor"]:
            rw["prec"] = rw["minor"]["prec"]
    if rb.kernel:
        rw["kernel"] = [list(v) for v in rb.kernel]
    rep = dict(tier=pa.tier, strength=pa.strength, names=tuple(problem.network.param_names()), H=pa.residual,
               loss=s(vals.loss), matrices=(vals.J, vals.gradient, HL, s), on_M=pa.on_M, membership=pa.membership,
               rank_bounds=(rb.lower, rb.upper), rank_witness=rw,
               smoothness=pa.smoothness, kinks=pa.kinks)
    if inertia and n > HESSIAN_LIMIT:
        rep["inertia_witness"] = {"method": f"not computed: n = {n} > {HESSIAN_LIMIT}, the n × n Hess L is not built "
                                            "(the rank of J_H is)"}
    elif inertia and pa.inertia_bounds is not None:
        rep["inertia_bounds"] = pa.inertia_bounds
        rep["inertia_witness"] = dict(pa.inertia_witness)
    if spectrum and pa.spectrum is not None and n <= HESSIAN_LIMIT:
        rep["spectrum"], rep["spectrum_tolerance"] = pa.spectrum, pa.spectrum_tolerance
    return PointReport(**rep)
