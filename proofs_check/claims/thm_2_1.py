"""Theorem 2.1: where 0 is a regular value of H, M = H⁻¹(0) is a smooth (n − d)-manifold.

Decided at a point m: H(m) = 0 exactly and rank J_H(m) = dℓ exactly ⇒ 0 is a regular value of H
near m, so (implicit function theorem) M is, near m, a submanifold of dimension n − dℓ whose
tangent space is ker J_H(m). What is proved is local to m; that 0 is a regular value on all of M
(the theorem's genericity statement) is not decided by a point check.
"""

from __future__ import annotations

from proofs_check import hypotheses as hyp
from proofs_check._at_point import analysis_at, smoothness_hypothesis
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails

CLAIM = "thm-2.1"
TITLE = "Theorem 2.1: M is a smooth (n − d)-manifold where 0 is a regular value of H"

__all__ = ["check", "CLAIM", "TITLE"]


def check(inst: Instance, ctx: Context) -> Certificate:
    timer = Timer()
    net, data = inst.network(), inst.data
    m = data.d * data.l
    checks = [hyp.overparameterized(net.n, m, "dℓ" if data.l > 1 else "d"), hyp.distinct_inputs(data)]
    hyps = [(label, status) for label, status, _ in checks]
    failed = [label for label, _, ok in checks if not ok]
    if failed:
        return hypothesis_fails(CLAIM, inst, hyps, timer, f"hypothesis fails: {failed[0]}")
    pa, due = analysis_at(CLAIM, inst, ctx, hyps, timer)
    if due is not None:
        return due
    (label, status), cls = smoothness_hypothesis(pa)
    hyps.append((label, status))
    kind, rank, n = pa.values.kind, pa.rank.rank, net.n
    details = list(pa.details) + [f"rank J_H(m) = {rank}: {pa.rank.method}"]
    if rank < m:
        return Certificate(CLAIM, inst.name, "refuted", kind.name,
                           f"rank J_H(m) = {rank} < {m}: 0 is not a regular value at m "
                           f"(kernel of dimension {n - rank} > n − d = {n - m})",
                           tuple(hyps), dict(pa.witness), timer.seconds, tuple(details), inst.expect(CLAIM))
    basis = f"; tangent basis of {len(pa.rank.kernel)} exact vectors" if pa.rank.kernel else ""
    details.append(f"near m, M is a {cls} submanifold of dimension n − {m} = {n - m}; "
                   f"T_m M = ker J_H(m){basis}")
    dn = "dℓ" if data.l > 1 else "d"
    member = "H(m) = 0" if pa.membership_exact else "H(m) ≈ 0"
    if pa.structural_zero:  # exact for any σ: read off Arb balls that are exactly 0
        member = "H(m) = 0 exactly: every residual has an exact zero factor"
    how = f"{rank}×{rank} minor" if pa.verdict != "numerical" else "SVD"
    evidence = (f"{member}; rank J = {rank} = {dn} ({how}); tangent space dim "
                f"{n - m} = n − {dn}; M {cls} near m")
    return Certificate(CLAIM, inst.name, pa.verdict, kind.name, evidence, tuple(hyps), dict(pa.witness),
                       timer.seconds, tuple(details), inst.expect(CLAIM))
