"""Theorem 2.1 / Proposition 2.3 at a given rational point when J_H is too large to build exactly (exact tier).

The route ``given-mod-p`` of :mod:`symland.point.routes`: over ℚ only what the proof needs exactly — the piece of
σ at every hidden pre-activation and H(m), decided exactly (:class:`symland.networks.given_pass.GivenForward`: the
output layer collapsed when the last hidden layer reads one live unit, else the dense product) —, then J_H mod a
prime p by the forward and backward passes over F_p from the point and the data reduced mod p, on its *live*
columns only (:func:`symland.networks.modp.live_jacobian_mod_p`: a column whose unit or input vanishes on every
data point is never allocated), and the rank profile of that matrix chooses a nonsingular dℓ × dℓ minor. p divides
no denominator of the point, the data or σ's coefficients, so the reduction is a ring homomorphism that commutes
with the passes and the minor's det ≢ 0 mod p proves rank J_H(m) = dℓ exactly. A huge output weight may stay a
:class:`~symland.numbers.exact.Quotient` (not in lowest terms: no gcd), and is listed by its own text.

The witness is the usual one — the user's point (always listed), H, and the minor (rows, columns in the canonical
order, prime, det mod p) — which :mod:`proofs_check.recheck.given` re-checks layer by layer with matrices.
``gradient_nonzero_index`` names *a* nonzero entry of each ∇f_r (its first live nonzero column).
"""

from __future__ import annotations

import random

import numpy as np
from flint import fmpq

from symland.errors import InputError, NotRepresentableError, UndefinedDerivativeError
from symland.networks.given_pass import GivenForward
from symland.networks.modp import live_jacobian_mod_p, rank_profile
from symland.networks.network import mlp
from symland.numbers.exact import Quotient
from symland.point.at_scale import ScaleValues
from symland.point.build import full_rank_mod_p, result
from symland.tiers import RationalKind
from symland.tiers.cost import route

__all__ = ["applies_given", "analyse_given"]

PRIMES = 3  # primes tried before the exact route decides (a prime dividing a denominator, or a rank drop mod p)


def applies_given(req) -> bool:
    """A given rational point, J_H large: the one route test, :func:`symland.tiers.cost.route`, says
    ``given-mod-p``."""
    if req.spec.origin != "given" or req.dag is not None or req.tier != "exact":
        return False
    n = mlp(req.network_widths, req.activation, req.bias).n
    return route(req.network_widths, req.data.d, req.data.l, req.activation, bias=req.bias, point_given=True,
                 n=n) == "given-mod-p"


def _given(req):
    from symland.linear.linalg import random_prime

    point = req.given_values(quotients=True)  # a big output weight may stay a Quotient (not in lowest terms)
    if not all(type(v) is fmpq or type(v) is Quotient for v in point):
        raise NotRepresentableError("the point is not rational")
    req.note("exact forward pass at the given point (pieces of σ and H only)")
    # over ℚ only the piece of σ at each hidden z and H; activations and σ'(z) only mod p (GivenForward.reduced)
    passes = GivenForward(req.problem().network, req.data, point)
    H = passes.residuals()
    zeros = passes.zeros
    if any(v != 0 for v in H):
        return point, H, zeros, None
    rng = random.Random(20181127)
    m = len(H)
    for _ in range(PRIMES):
        p = random_prime(rng, bits=30)
        req.note(f"J_H mod p = {p} on its live columns, by the passes over F_p")
        try:
            J, cols = live_jacobian_mod_p(passes, p)
        except InputError:  # p divides a denominator: another prime
            continue
        r, rows, minor_cols, det = rank_profile(J, p, cols)
        if r == m:
            first = [int(cols[np.argmax(J[i] != 0)]) for i in range(m)]
            return point, H, zeros, (p, rows, minor_cols, det, first)
    raise NotRepresentableError(f"J_H mod p had rank < dℓ for {PRIMES} primes: the exact route decides")


def analyse_given(req):
    """The analysis at the given point by J_H mod p; None when the general route should decide."""
    try:
        point, H, zeros, found = req._cached(("given-mod-p",), lambda: _given(req))
    except (NotRepresentableError, UndefinedDerivativeError):
        return None
    net = req.problem().network
    n, m = net.n, len(H)
    source = req.spec.source or "the given point"
    w = {"instance": req.describe(), "point_source": source}
    w["point"] = dict(zip(net.param_names(), _texts(point)))  # the user's own point: always listed
    w["H"] = [str(v) for v in H]
    if found is None:
        r = next(i for i, v in enumerate(H) if v != 0)
        return result(req, "off-M", "exact", f"m ∉ M: f_{r + 1}(m) = {H[r]} ≠ 0 "
                      f"({sum(1 for v in H if v != 0)} nonzero residuals)",
                      vals=ScaleValues(RationalKind(), H, zeros, []), source=source, witness=w)
    p, rows, cols, det, first = found
    vals = ScaleValues(RationalKind(), H, zeros, first)
    details = [f"H(m) = 0 exactly at the given point ({m} residuals, exact forward pass)"]
    method = (f"nonsingular {m}×{m} minor of J_H mod p = {p} (J_H by the passes over F_p on its live columns, "
              f"from the point and the data reduced mod p and σ's pieces decided exactly; det ≡ {int(det)}); "
              "full row rank")
    return full_rank_mod_p(req, n, m, rows, cols, p, det, method, vals=vals, source=source, details=details,
                           witness=w)


def _texts(values) -> list:
    """str of each value, once per distinct object (a parsed sparse point shares one 0 among ~n entries); a
    Quotient's own fraction text (the user's when plain: a 300,000-bit value is not printed again)."""
    seen: dict = {}
    out = []
    for v in values:
        t = seen.get(id(v))
        if t is None:
            t = seen[id(v)] = v.to_text() if type(v) is Quotient else str(v)
        out.append(t)
    return out
