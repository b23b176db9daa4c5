"""Remark 4.2: with labels y_i ∈ R^ℓ, M has codimension ℓd.

Decided at the constructed point (Lemma 3.3 / Corollary 3.4 with the hidden layers shared by the ℓ
outputs; output c gets A⁻¹y^(c)): H(m) = 0 exactly, rank J_H(m) = ℓd, hence near m, M is a
manifold of dimension n − ℓd, and Hess L(m) = 2J_HᵀJ_H has inertia (n₊, n₋, n₀) = (ℓd, 0, n − ℓd).
"""

from __future__ import annotations

from proofs_check import hypotheses as hyp
from proofs_check.certificate import Certificate
from proofs_check.claims import prop_2_3
from proofs_check.instance import Context, Instance, Timer, unmet_hypothesis

CLAIM = "rem-4.2"
TITLE = "Remark 4.2: with ℓ outputs, M has codimension ℓd and Hess L inertia (ℓd, 0, n − ℓd)"

__all__ = ["check", "CLAIM", "TITLE"]


def check(inst: Instance, ctx: Context) -> Certificate:
    timer = Timer()
    data, net = inst.data, inst.network()
    checks = [hyp.distinct_inputs(data), hyp.rectified(inst.activation),
              hyp.last_hidden_width(net.widths, data.d),
              hyp.overparameterized(net.n, data.d * data.l, "ℓd")]
    if len(net.widths) > 3:
        checks.append(hyp.strictly_increasing(inst.activation))
    hyps = [(label, status) for label, status, _ in checks]
    if (unmet := unmet_hypothesis(CLAIM, inst, hyps, checks, timer)) is not None:
        return unmet
    hyps.append(("ℓ outputs", f"ℓ = {data.l}: hidden layers shared by the ℓ outputs "
                 "(the paper uses ℓ copies; same rank ℓd)"))
    cert = prop_2_3.decide(CLAIM, inst, ctx, hyps, timer, constructed=True)
    if cert.verdict not in ("proved", "certified", "numerical"):
        return cert
    ld, n = data.d * data.l, net.n
    evidence = (f"ℓ = {data.l}: point ∈ M, rank J = {ld} = ℓd ⇒ codimension ℓd, dim n − ℓd = {n - ld}; "
                f"inertia (n₊, n₋, n₀) = ({ld}, 0, {n - ld})")
    return Certificate(CLAIM, inst.name, cert.verdict, cert.tier, evidence, cert.hypotheses,
                       cert.witness, timer.seconds, cert.details, inst.expect(CLAIM))
