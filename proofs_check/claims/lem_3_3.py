"""Lemma 3.3: a one-hidden-layer network with a rectified σ interpolates d distinct points.

Checked step by step on the instance: a with distinct projections a·x_i, their sorted order, x₀
with a·x₀ = a·x₁ − 1, the midpoint biases b_i, the matrix A_ij = σ(a·x_i − b_j) (decided exactly:
lower triangular with nonzero diagonal), m = A⁻¹y, and f(x_i) = y_i for every i by an independent
forward pass. The construction's family has 2d + p parameters (m, a, b).
"""

from __future__ import annotations

from symland.errors import NotRepresentableError
from symland.tiers.numeric import strength

from proofs_check import hypotheses as hyp
from proofs_check.certificate import Certificate
from proofs_check.instance import Context, Instance, Timer, inconclusive, undecided_reason, unmet_hypothesis

CLAIM = "lem-3.3"
TITLE = "Lemma 3.3: an explicit one-hidden-layer network interpolates the data"

__all__ = ["check", "CLAIM", "TITLE"]


def _s(kind, v) -> str:
    return kind.to_str(v)


def check(inst: Instance, ctx: Context) -> Certificate:
    timer = Timer()
    data, sigma = inst.data, inst.activation
    widths = inst.network_widths if len(inst.network_widths) == 3 else (data.p, data.d, data.l)
    checks = [hyp.distinct_inputs(data), hyp.rectified(sigma), hyp.single_output(data),
              hyp.last_hidden_width(widths, data.d)]
    hyps = [(label, status) for label, status, _ in checks]
    if (unmet := unmet_hypothesis(CLAIM, inst, hyps, checks, timer)) is not None:
        return unmet
    try:
        it = ctx.construction(inst, widths)
    except NotRepresentableError as exc:
        return inconclusive(CLAIM, inst, hyps, timer, undecided_reason(exc))
    kind, d, p = it.kind, data.d, data.p
    n = it.network.n
    witness = {
        "instance": inst.describe(widths),
        "a": [str(v) for v in it.a],
        "order": [i + 1 for i in it.order],
        "projections": [_s(kind, v) for v in it.values],
        "x0_projection": _s(kind, it.c0),
        "b": [_s(kind, v) for v in it.biases],
        "A": [[_s(kind, v) for v in row] for row in it.A],
        "m": [_s(kind, v) for v in it.m],
        "widths": list(it.network.widths),
        "params": {k: _s(kind, v) for k, v in it.named_params().items()},
    }
    details = [
        f"a = ({', '.join(witness['a'])}): the projections a·x_i are distinct",
        f"sorted order of the data rows: {witness['order']}",
        f"a·x₀ = a·x₁ − 1 = {witness['x0_projection']}",
        f"midpoint biases b = ({', '.join(witness['b'])})",
    ]
    if not it.lower_triangular:
        return _refuted(inst, hyps, timer, witness, details, kind,
                        "A is not lower triangular", it)
    if not it.diagonal_nonzero:
        zero = [i + 1 for i in range(d) if kind.is_zero(it.A[i][i])]
        return _refuted(inst, hyps, timer, witness, details, kind,
                        f"A has zero diagonal entries at {zero} (σ vanishes on a gap (c_i − c_(i−1))/2)", it)
    try:  # H at the constructed point: from the run's analysis there when it makes one, else a forward pass
        shared = ctx.constructed_values(inst, widths)
        vals = shared if shared is not None and shared.kind.name == kind.name else \
            ctx.problem(inst, widths).at(it.params, kind=kind, jacobian=False)
    except NotRepresentableError as exc:
        return inconclusive(CLAIM, inst, hyps, timer, f"forward pass not decided: {exc}", tier=kind.name)
    verdict = strength(kind)
    # exact tiers: decide f(x_i) = y_i; balls: a residual certified ≠ 0 would contradict A m = y
    bad = [r for r, v in enumerate(vals.H) if (kind.nonzero(v) if verdict != "proved" else not kind.is_zero(v))]
    witness["residuals"] = [_s(kind, v) for v in vals.H]
    details += [
        f"A ({d}×{d}) is lower triangular: every entry above the diagonal is exactly 0",
        f"diagonal of A: {', '.join(_s(kind, it.A[i][i]) for i in range(d))} (all nonzero)",
        f"m = A⁻¹y = ({', '.join(witness['m'])})",
    ]
    if bad and verdict == "numerical":
        return inconclusive(CLAIM, inst, hyps, timer, f"{kind.name}: residuals at rows {[r + 1 for r in bad]} "
                            "are not small; a floating-point run cannot refute", tier=kind.name, witness=witness)
    if bad:
        return Certificate(CLAIM, inst.name, "refuted", kind.name,
                           f"f(x_i) ≠ y_i at rows {[r + 1 for r in bad]}", tuple(hyps), witness,
                           timer.seconds, tuple(details), inst.expect(CLAIM))
    if verdict == "proved":
        details.append(f"f(x_i) − y_i = 0 exactly for all {d} points (independent forward pass)")
    else:
        details.append(f"f(x_i) = y_i exactly for all {d} points since A m = y with A invertible; the {kind.name} "
                       f"forward pass gives residuals consistent with 0")
    evidence = (f"A {d}×{d} lower triangular, diag ≠ 0; f(x_i) = y_i for all {d}; "
                f"family of 2d + p = {2 * d + p} params")
    details.append(f"the network: widths {list(it.network.widths)}, n = {n} parameters")
    if verdict == "numerical":
        evidence += f" (numerical, {kind.name})"
    return Certificate(CLAIM, inst.name, verdict, kind.name, evidence, tuple(hyps), witness,
                       timer.seconds, tuple(details), inst.expect(CLAIM))


def _refuted(inst, hyps, timer, witness, details, kind, what, it) -> Certificate:
    return Certificate(CLAIM, inst.name, "refuted", kind.name,
                       f"the construction fails: {what}", tuple(hyps), witness, timer.seconds,
                       tuple(details), inst.expect(CLAIM))

