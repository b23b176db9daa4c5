"""Theorem 4.1: for a feedforward net with rectified smooth σ and last hidden width ≥ d, M ≠ ∅ and
M is a smooth (n − d)-manifold (generically).

Decided exactly: build the point of Lemma 3.3 (one hidden layer) or of Corollary 3.4 (deeper; the
corrected construction, see :mod:`symland.landscape`), prove H(m) = 0 and rank J_H(m) = d. Hence
M ≠ ∅ and, near m, M is a smooth submanifold of dimension n − d. That 0 is a regular value on all of
M (the genericity statement) is not decided by a point check; no perturbation was needed here.
"""

from __future__ import annotations

from proofs_check import hypotheses as hyp
from proofs_check._at_point import analysis_at, smoothness_hypothesis
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails, inconclusive

CLAIM = "thm-4.1"
TITLE = "Theorem 4.1: M is nonempty and of dimension n − d for wide feedforward nets"

__all__ = ["check", "CLAIM", "TITLE"]


def check(inst: Instance, ctx: Context) -> Certificate:
    timer = Timer()
    net, data, sigma = inst.network(), inst.data, inst.activation
    checks = [hyp.distinct_inputs(data), hyp.single_output(data), hyp.rectified(sigma),
              hyp.smooth(sigma), hyp.last_hidden_width(net.widths, data.d),
              hyp.overparameterized(net.n, data.d)]
    if len(net.widths) > 3:
        checks.append(hyp.strictly_increasing(sigma))
    hyps = [(label, status) for label, status, _ in checks]
    failed = [label for label, _, ok in checks if ok is False]
    undecided = [label for label, _, ok in checks if ok is None]
    if undecided and not failed:
        return inconclusive(CLAIM, inst, hyps, timer, f"hypothesis not decided: {undecided[0]}")
    if failed:
        why = next(status for label, status, ok in checks if not ok)
        return hypothesis_fails(CLAIM, inst, hyps, timer, f"hypothesis fails: {failed[0]} ({why})")
    pa, due = analysis_at(CLAIM, inst, ctx, hyps, timer, constructed=True)
    if due is not None:
        return due
    (label, status), cls = smoothness_hypothesis(pa)
    hyps.append((label, status))
    kind, r, n, d = pa.values.kind, pa.rank.rank, net.n, data.d
    details = list(pa.details) + [f"rank J_H(m) = {r}: {pa.rank.method}"]
    if r < d:  # pragma: no cover - the A columns always give rank d at the constructed point
        return Certificate(CLAIM, inst.name, "refuted", kind.name, f"rank J_H = {r} < d at {pa.source}",
                           tuple(hyps), dict(pa.witness), timer.seconds, tuple(details), inst.expect(CLAIM))
    details.append(f"M ≠ ∅ (it contains {pa.source}); near it M is a {cls} submanifold of "
                   f"dimension n − d = {n - d}")
    where = "Lemma 3.3" if len(net.widths) == 3 else "Corollary 3.4 (corrected)"
    member = "∈ M exactly" if pa.membership_exact else "∈ M numerically"
    evidence = f"{where} point {member}; rank J = {r} = d ⇒ M ≠ ∅, dim n − d = {n - d} near it"
    if pa.verdict == "numerical":
        evidence += " (numerical)"
    return Certificate(CLAIM, inst.name, pa.verdict, kind.name, evidence, tuple(hyps), dict(pa.witness),
                       timer.seconds, tuple(details), inst.expect(CLAIM))
