"""Theorem 2.1 / Proposition 2.3 at the constructed point when J_H is too large to build (exact tier).

At the Lemma 3.3 / Corollary 3.4 point the proofs read only H(m) = 0 and the d × d minor of J_H(m) on the
output-weight columns (rank d; Hess L = 2J_HᵀJ_H of rank d). :mod:`symland.constructions.atscale` decides both exactly
without
building the d × n Jacobian (d = 1000, n ≈ 10⁶: seconds instead of hours). Used when the dense J_H would have more
than :data:`SCALE_ENTRIES` entries, σ is a rectified polynomial over ℚ, the network is layered with biases and
ℓ = 1; otherwise (or when the route does not apply to the point) the general passes decide.

The witness is the usual one — instance, H, and the rank minor (rows, columns, prime, det mod p) — except that the
constructed point is not listed but *generated*: ``generator`` = {a, gap}, the construction's parameters, from which
:mod:`proofs_check.recheck.scale` rebuilds its structure (``point_omitted`` says so). A given point (the user's
own) is always listed; :mod:`proofs_check.recheck.given` re-checks it layer by layer with matrices.
``gradient_nonzero_index`` then names *a* nonzero entry of each ∇f_r (the minor's first nonzero
column in that row), not necessarily the first one.
"""

from __future__ import annotations

from dataclasses import dataclass

from symland.constructions.atscale import check_point, construct
from symland.constructions.scale_minor import minor_mod_p
from symland.errors import NotRepresentableError
from symland.networks.network import mlp
from symland.point.build import full_rank_mod_p, result
from symland.point.request import constructed_source
from symland.tiers import RationalKind
from symland.tiers.cost import HESSIAN_LIMIT, SCALE_ENTRIES, route  # noqa: F401 - re-exported

__all__ = ["SCALE_ENTRIES", "analyse_at_scale", "applies", "ScaleValues"]



@dataclass
class ScaleValues:
    """What the claims read from the values at m (no J_H: ``J`` is None, ``nonzero_index`` stands for it)."""

    kind: object
    H: list
    zero_preactivations: int
    nonzero_index: list
    point: object = None
    J: object = None

    @property
    def breakpoint_preactivations(self) -> tuple:
        """((0, count),): σ's only breakpoint on this route is 0
        (:func:`symland.constructions.atscale.rectified_polynomial`)."""
        return ((0, self.zero_preactivations),)


def _output_columns(net, d: int) -> list[int]:
    """Positions of W_K[0, j], j < d, by arithmetic (no name index: n may be 10⁷)."""
    start = sum(r * c + r for r, c in net.shapes[:-1])
    return [start + j for j in range(d)]


def applies(req) -> bool:
    """The constructed point, J_H too large to build, σ a rectified polynomial over ℚ, exact tier: the one route
    test, :func:`symland.tiers.cost.route`, says ``constructed``."""
    if not req.constructed or req.dag is not None or req.tier != "exact":
        return False
    return _route(req, point_given=False) == "constructed"


def _route(req, *, point_given: bool) -> str:
    n = mlp(req.network_widths, req.activation, req.bias).n
    return route(req.network_widths, req.data.d, req.data.l, req.activation, bias=req.bias, point_given=point_given,
                 n=n)


def _compute(inst, ctx):
    ctx.note("exact construction and H(m) at scale (prefix sums)")
    sp = construct(inst.data, inst.network_widths, inst.activation, a=inst.a, gap=inst.gap)
    ck = check_point(sp, inst.data, inst.activation)
    ctx.note("the output-weight minor mod p")
    mn = minor_mod_p(ck)
    if mn is None:
        raise NotRepresentableError("no prime gave a nonsingular output-weight minor")
    return sp, ck, mn


def analyse_at_scale(req):
    """The analysis at the constructed point without J_H, or None when the route does not apply."""
    inst = ctx = req
    try:
        sp, ck, mn = ctx._cached(("at-scale",), lambda: _compute(inst, ctx))
    except NotRepresentableError:
        return None
    if ck.zero_preactivations and inst.activation.smoothness_at_zero() < 1:
        return None  # σ' is not defined at some pre-activation: the general route says so (J_H undefined)
    net = mlp(inst.network_widths, inst.activation)
    n, d = net.n, inst.data.d
    source = constructed_source(inst.network_widths)
    w = {"instance": inst.describe(), "point_source": source}
    # the point is not listed (its output weights have ~500·d bits each) but generated: the construction from the
    # instance with these parameters, which proofs_check.recheck.scale rebuilds in O(d) (the listed point took the
    # general re-check ~25× the engine's time at d = 100)
    w["point_omitted"] = (f"the point is the deterministic {source[4:]} from the instance with the generator's "
                          f"a and gap (n = {n:,}): not listed")
    w["generator"] = {"a": [str(sp.hidden[0][0].get((0, q), 0)) for q in range(inst.data.p)], "gap": str(inst.gap)}
    w["H"] = [str(v) for v in ck.H]
    cols = _output_columns(net, d)
    vals = ScaleValues(RationalKind(), ck.H, ck.zero_preactivations, [cols[u] for u in mn["nonzero"]])
    nonzero = [r for r, v in enumerate(ck.H) if v != 0]
    if nonzero:
        r = nonzero[0]
        return result(req, "off-M", "exact", f"m ∉ M: f_{r + 1}(m) = {ck.H[r]} ≠ 0 ({len(nonzero)} nonzero "
                      "residuals)", vals=vals, source=source, witness=w)
    details = [f"H(m) = 0 exactly at {source} ({d} residuals; f(x_s) = Σ_i m_i σ(t_s − β_i) − b summed "
               "exactly by prefix sums over the β_i in increasing order, J_H not built)"]
    method = (f"nonsingular {d}×{d} minor on the output-weight columns (entries σ(t_s − β_i) reduced mod "
              f"p = {mn['prime']} entry by entry, exact zeros where β_i ≥ t_s; det ≡ {mn['det_mod_p']}); "
              "full row rank")
    return full_rank_mod_p(req, n, d, range(d), cols, mn["prime"], mn["det_mod_p"], method, vals=vals,
                           source=source, details=details, witness=w)

