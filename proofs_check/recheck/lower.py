"""``certify``'s lower bound on dist(m, M), re-derived by the kernel with its own forward mode (no engine code).

The engine's argument (its ``symland.point.bracket``): for m′ = m + δ ∈ M inside the box m ± r,
0 = H(m) + J δ + R with ‖R‖₂ ≤ E‖δ‖₂, E ≥ sup_box ‖J_H(x) − J_H(m)‖, hence ‖δ‖₂ ≥ a/(1 + E‖J⁺‖₂) with
a² = H(m)ᵀ(JJᵀ)⁻¹H(m) and ‖J⁺‖₂² = ‖(JJᵀ)⁻¹‖₂; dist₂ ≥ min(r, that). In ℓ∞: ‖δ‖∞ ≥ |λᵀH| / (‖Jᵀλ‖₁ + ‖λ‖₂E√n)
for λ = (JJᵀ)⁻¹H, and ‖δ‖∞ ≥ ‖δ‖₂/√n.

Here every ingredient is recomputed from the certificates' data and the model's exact point with the kernel's own
pieces: J_H(m) and J_H over the box by forward mode in Arb (:func:`proofs_check.recheck.arb._forward`, whose σ'
on a ball straddling a breakpoint is not enclosed: then not re-derived), JJᵀ by ``arb_mat`` products, (JJᵀ)⁻¹ by
``arb_mat.inv`` (Arb's own rigorous inverse) bounded in the Frobenius norm, E by the Frobenius norm of the
entrywise differences. The recorded lower bound is confirmed when it does not exceed the kernel's own; otherwise it
is not confirmed (a looser kernel bound proves nothing against it) — never rejected on that ground: what is rejected
is a lower bound above the certified upper bound (:mod:`proofs_check.recheck.cli`).

Cost: forward mode over all n parameters, O(d·n·depth) Arb operations and a dℓ × n product: done up to
``LIMIT`` = dℓ·n entries of J_H.
"""

from __future__ import annotations

from fractions import Fraction

from flint import arb, arb_mat, ctx

from proofs_check.recheck.arb import ArbSigma, Unchecked, _forward, _fraction, _Wider, arb_of
from proofs_check.recheck.exact import BadWitness, Unrecognized, parse
from proofs_check.recheck.net import build
from proofs_check.recheck.sigma import sigma_for

__all__ = ["check_lower", "LIMIT"]

LIMIT = 400_000
PREC = 192


def _jacobian(net, asig, X, Y, params, labels):
    ell = len(net.outputs)
    H, J = [], []
    for s, x in enumerate(X):
        outs, _ = _forward(net, asig, x, params, set(labels), 1)
        for c, (f, grad) in enumerate(outs):
            H.append(f - Y[s][c])
            J.append([grad.get(lab, arb(0)) for lab in labels])
    assert len(H) == len(X) * ell
    return H, J


def _frobenius_upper(rows) -> arb:
    sq = arb(0)
    for row in rows:
        for v in row:
            u = abs(v).upper()
            sq += u * u
    top = sq.upper()
    return top.sqrt().upper() if top > 0 else arb(0)


def rederive(cert_witness: dict, radius: Fraction) -> tuple[arb, arb] | str:
    """(lower₂, lower∞) by the kernel, or why not."""
    inst = cert_witness["instance"]
    try:
        net, X, Y = build(inst)
    except Unrecognized as exc:  # beyond one of the kernel's size limits: not re-derived (said so), not an error
        return f"not re-derived: {exc}"
    asig = ArbSigma(sigma_for(inst))
    labels = list(net.names)
    m_point = cert_witness["model"]["point"]
    if set(m_point) != set(labels):
        return "the model's point does not name the network's parameters"
    dl = len(X) * len(net.outputs)
    if dl * len(labels) > LIMIT:
        return f"J_H has {dl * len(labels):,} entries > {LIMIT:,}: not re-derived by the kernel at this size"
    old = ctx.prec
    ctx.prec = PREC
    try:
        Xa = [[arb_of(v.rational()) for v in row] for row in X]
        Ya = [[arb_of(v.rational()) for v in row] for row in Y]
        m = {}
        for k in labels:
            v = parse(m_point[k])
            if not v.is_rational():
                return f"the model's {k} is not a rational"
            m[k] = arb_of(v.rational())
        r = arb_of(radius)
        H, J = _jacobian(net, asig, Xa, Ya, m, labels)
        _, JB = _jacobian(net, asig, Xa, Ya, {k: v + arb(0, r) for k, v in m.items()}, labels)
        Jm = arb_mat(J)
        G = Jm * Jm.transpose()
        Ginv = G.inv()
        Hc = arb_mat([[h] for h in H])
        lam = Ginv * Hc
        a2 = (Hc.transpose() * lam)[0, 0]
        a = arb(a2.lower()).sqrt() if a2.lower() > 0 else arb(0)
        pinv = _frobenius_upper(Ginv.tolist()).sqrt()
        E = _frobenius_upper([[jb - jm for jb, jm in zip(rb, rm)] for rb, rm in zip(JB, J)])
        l2 = arb((a / (1 + E * pinv)).lower())
        l2 = l2 if l2 < r else r
        n = len(labels)
        jtl = (Jm.transpose() * lam).tolist()
        l1 = sum((abs(row[0]) for row in jtl), arb(0))
        lam2 = _frobenius_upper(lam.tolist())
        wh = abs(a2)
        dual = arb((arb(wh.lower()) / (arb(l1.upper()) + lam2 * E * arb(n).sqrt())).lower()) if wh.lower() > 0 \
            else arb(0)
        by_l2 = arb((l2 / arb(n).sqrt()).lower())
        linf = dual if dual > by_l2 else by_l2
        linf = linf if linf < r else r
        return l2, linf
    except (Unchecked, _Wider, ZeroDivisionError, BadWitness, ArithmeticError, ValueError) as exc:
        return f"not re-derived: {type(exc).__name__}: {str(exc)[:160]}"
    finally:
        ctx.prec = old


def check_lower(report: dict) -> tuple[bool, str]:
    """(confirmed, the line saying so or why not) for the report's lower bounds."""
    radius = report["distance_l2"].get("radius")
    lo2, loi = report["distance_l2"]["lower"], report["distance_linf"]["lower"]
    if lo2 is None and loi is None:
        return False, "no lower bound recorded"
    if radius is None:
        return False, "the lower bound's radius is not recorded"
    cert = next((c for c in report["certificates"] if "model" in c.get("witness", {})
                 and "instance" in c["witness"]), None)
    if cert is None:
        return False, "no certificate carries the model's point and the data"
    got = rederive(cert["witness"], Fraction(radius))
    if isinstance(got, str):
        return False, got
    k2, ki = (_fraction(v.lower()) for v in got)
    bad = [f"{name} lower bound {rec!r} > the kernel's {float(k):.6e}" for name, rec, k in
           (("ℓ₂", lo2, k2), ("ℓ∞", loi, ki)) if rec is not None and Fraction(rec) > k]
    if bad:
        return False, "; ".join(bad) + " (not confirmed: the kernel's own bound is looser)"
    return True, (f"the lower bounds re-derived by forward mode in Arb over the box m ± {radius:.3e}: dist₂(m, M) ≥ "
                  f"{float(k2):.6e}, dist∞(m, M) ≥ {float(ki):.6e} (recorded {lo2!r}, {loi!r})")
