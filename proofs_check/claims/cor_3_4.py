"""Corollary 3.4: a deep feedforward network (T hidden layers, last of width ≥ d) interpolates.

The paper's proof, read literally, does not work: the matrices M_j (2 ≤ j ≤ T), "1 in the top left
entry and 0 in all the others", feed only the first unit of each layer, so units 2 … d of the last
hidden layer receive 0 and output the constants σ(−b_j); the matrix A then has at most two distinct
columns. We build the corrected network of :mod:`symland.landscape` (the last hidden layer reads
unit 1 of layer T − 1 in its first d units) and prove f(x_i) = y_i exactly. The proof also needs σ
strictly increasing on (0, ∞) to keep the values a·x_i − b_1 distinct through the layers (a
rectified σ is only non-decreasing there); this is checked as a hypothesis.
"""

from __future__ import annotations

from symland.errors import NotRepresentableError
from symland.tiers.numeric import strength

from proofs_check import hypotheses as hyp
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, inconclusive, undecided_reason, unmet_hypothesis

CLAIM = "cor-3.4"
TITLE = "Corollary 3.4: a deep network (last hidden width ≥ d) interpolates the data"
DEPARTURE = ("departs from the paper's text: its M_T (1 only in the top-left entry) leaves units "
             "2…d of the last hidden layer unfed; here M_T has d ones in its first column")

__all__ = ["check", "CLAIM", "TITLE", "DEPARTURE"]


def _literal_A_defect(kind, sigma, it, d) -> str:
    """With the paper's literal M_T, unit j ≥ 2 of layer T sees 0: A's column j is σ(−b_j) for all i."""
    consts = [kind.act(sigma, -b, 0) for b in it.biases[1:]]
    distinct = {kind.to_str(c) for c in consts}
    return (f"with the literal M_T, columns 2…{d} of A would be the constants "
            f"{sorted(distinct)} for every data point, so rank A ≤ 2 < d = {d}" if d > 2 else
            "with the literal M_T, column 2 of A would be constant")


def check(inst: Instance, ctx: Context) -> Certificate:
    timer = Timer()
    data, sigma, widths = inst.data, inst.activation, inst.network_widths
    checks = [hyp.distinct_inputs(data), hyp.rectified(sigma), hyp.single_output(data),
              hyp.last_hidden_width(widths, data.d), hyp.strictly_increasing(sigma)]
    hyps = [(label, status) for label, status, _ in checks]
    hyps[-1] = (hyps[-1][0] + " (used by the proof, not stated in the paper)", hyps[-1][1])
    if (unmet := unmet_hypothesis(CLAIM, inst, hyps, checks, timer)) is not None:
        return unmet
    try:
        it = ctx.construction(inst)
        vals = ctx.problem(inst, widths).at(it.params, kind=it.kind, jacobian=False)
    except NotRepresentableError as exc:
        return inconclusive(CLAIM, inst, hyps, timer, undecided_reason(exc))
    kind, d, T = it.kind, data.d, len(widths) - 2
    s = kind.to_str
    witness = {"instance": inst.describe(), "a": [str(v) for v in it.a],
               "order": [i + 1 for i in it.order], "values": [s(v) for v in it.values],
               "b": [s(v) for v in it.biases], "A": [[s(v) for v in row] for row in it.A],
               "m": [s(v) for v in it.m],
               "params": {k: s(v) for k, v in it.named_params().items()},
               "residuals": [s(v) for v in vals.H], "departure": DEPARTURE}
    details = [f"T = {T} hidden layers, widths {list(widths)}",
               f"a = ({', '.join(witness['a'])}); values reaching layer T, sorted: rows {witness['order']}",
               DEPARTURE]
    if T >= 2:
        details.append(_literal_A_defect(kind, sigma, it, d))
    if not (it.lower_triangular and it.diagonal_nonzero):
        return Certificate(CLAIM, inst.name, "refuted", kind.name,
                           "the corrected construction fails: A is not triangular with nonzero diagonal",
                           tuple(hyps), witness, timer.seconds, tuple(details), inst.expect(CLAIM))
    verdict = strength(kind)
    bad = [r + 1 for r, v in enumerate(vals.H) if (kind.nonzero(v) if verdict != "proved" else not kind.is_zero(v))]
    if bad and verdict == "numerical":
        return inconclusive(CLAIM, inst, hyps, timer, f"{kind.name}: residuals at rows {bad} are not small; a "
                            "floating-point run cannot refute", tier=kind.name, witness=witness)
    if bad:  # pragma: no cover - forward substitution is exact
        return Certificate(CLAIM, inst.name, "refuted", kind.name, f"f(x_i) ≠ y_i at rows {bad}",
                           tuple(hyps), witness, timer.seconds, tuple(details), inst.expect(CLAIM))
    details.append(f"A ({d}×{d}) lower triangular with nonzero diagonal; f(x_i) = y_i exactly for all {d}"
                   + ("" if verdict == "proved" else f" (A m = y; the {kind.name} residuals are consistent with 0)"))
    evidence = (f"T = {T}: A {d}×{d} lower triangular, diag ≠ 0; f(x_i) = y_i for all {d} "
                f"(corrected M_T, see details)")
    if verdict == "numerical":
        evidence += f" (numerical, {kind.name})"
    return Certificate(CLAIM, inst.name, verdict, kind.name, evidence, tuple(hyps), witness,
                       timer.seconds, tuple(details), inst.expect(CLAIM))

