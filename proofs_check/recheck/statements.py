"""What a certificate says: for every (claim, verdict) pair, the statement it makes and the witness facts that
establish it.

A certificate is a statement, not a bag of numbers. The re-checker first re-derives *facts* from the witness alone
(:mod:`proofs_check.recheck.claims`, :mod:`proofs_check.recheck.ball`, :mod:`proofs_check.recheck.lemma`), each
one re-verified — for instance ``m ∈ M`` (H(m) = 0 recomputed), ``m ∉ M`` (a residual recomputed ≠ 0),
``rank J_H(m) = dℓ`` (a nonsingular minor recomputed) — and then asks this table whether those facts establish the
statement of (claim, verdict):

* the pair is not in the table: nothing is asserted that the re-checker knows how to check — ``unchecked``;
* a fact the statement needs is contradicted by a re-derived fact (``m ∉ M`` for a verdict about a point of M, a
  full rank for a rank refutation, a fitting construction called refuted): ``rejected``;
* a needed fact is neither shown nor contradicted (the witness lacks it): ``rejected`` — the certificate asserts
  more than its witness carries;
* otherwise the statement is established.

The table follows the paper. At a point m (Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2), ``proved`` and
``certified`` assert a point of M where 0 is a regular value (plus the Hessian's inertia for Proposition 2.3 and
Remark 4.2, one output and a feedforward net for Theorem 4.1); ``refuted`` asserts a *genuine* counterexample, a
point **of M** where rank J_H < dℓ. A point off M refutes nothing — every one of these claims speaks of points of
M — so ``refuted`` resting on ``m ∉ M`` is rejected (Remark 2.2 and Section 5, equal zero sets, cannot be refuted
at all: their ``refuted`` needs both m ∈ M and m ∉ M and is always rejected); what such a witness does establish is
that the claim's hypothesis m ∈ M fails, the verdict ``hypothesis-fails`` with evidence starting ``m ∉ M``.

>>> statement("thm-4.1", "refuted", "").needs == frozenset({ON_M, RANK_DEFICIENT, ONE_OUTPUT, FEEDFORWARD, DISTINCT})
True
>>> judge(statement("thm-4.1", "refuted", ""), {OFF_M, ONE_OUTPUT, FEEDFORWARD}, "thm-4.1", "refuted")
Traceback (most recent call last):
...
proofs_check.recheck.statements.Reject: the witness shows m ∉ M (a residual recomputed ≠ 0; for a box of balls, ≠ 0 \
on the whole box: it holds no point of M), which contradicts the verdict 'refuted' of thm-4.1: it needs m ∈ M
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reject", "Missing", "Statement", "STATEMENTS", "statement", "judge", "ON_M", "OFF_M", "RANK_FULL",
           "RANK_DEFICIENT",
           "OVERPARAMETERIZED", "HESSIAN_DEFINED", "ONE_OUTPUT", "FEEDFORWARD", "OFF_M_PRIME", "FITS", "FAILS",
           "AT_POINT", "ZERO_SET", "CONSTRUCTION", "OFF_M_PREFIX", "DISTINCT"]



class Reject(Exception):
    """A step the verdict rests on does not hold, or the facts contradict the verdict; the message says which."""


class Missing(Reject):
    """The statement needs a fact the witness neither shows nor contradicts."""


# -- the facts a deriver may establish (each re-verified from the witness) -----------------------------------------
ON_M = "m ∈ M"
OFF_M = "m ∉ M"
RANK_FULL = "rank J_H(m) = dℓ"
RANK_DEFICIENT = "rank J_H(m) < dℓ"
OVERPARAMETERIZED = "n > dℓ"
HESSIAN_DEFINED = "Hess L(m) exists"
ONE_OUTPUT = "ℓ = 1"
FEEDFORWARD = "a layered feedforward network"
OFF_M_PRIME = "m' ∉ M (every f_i(m') ≠ 0)"
FITS = "the construction fits the data"
DISTINCT = "the inputs x_i are pairwise distinct"
FAILS = "the construction fails"

#: pairs of facts that cannot both hold
OPPOSITE = {ON_M: OFF_M, OFF_M: ON_M, RANK_FULL: RANK_DEFICIENT, RANK_DEFICIENT: RANK_FULL, FITS: FAILS, FAILS: FITS}
_WHY = {OFF_M: "a residual recomputed ≠ 0; for a box of balls, ≠ 0 on the whole box: it holds no point of M",
        ON_M: "H(m) = 0 recomputed", RANK_FULL: "a nonsingular dℓ×dℓ minor",
        RANK_DEFICIENT: "independent kernel vectors", FITS: "A and the forward pass recomputed",
        FAILS: "A or the forward pass recomputed"}

AT_POINT = ("thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2")
ZERO_SET = ("rem-2.2", "sec-5")
CONSTRUCTION = ("lem-3.3", "cor-3.4")
OFF_M_PREFIX = "m ∉ M"  # the evidence of a hypothesis-fails certificate at a point off M starts so


@dataclass(frozen=True)
class Statement:
    """What (claim, verdict) asserts on the witness's instance, and the facts that establish it."""

    text: str
    needs: frozenset


def _s(text: str, *needs: str) -> Statement:
    return Statement(text, frozenset(needs))


def _table() -> dict:
    regular = _s("m ∈ M and rank J_H(m) = dℓ < n: 0 is a regular value of H near m, so near m M is a manifold of "
                 "dimension n − dℓ", ON_M, RANK_FULL, OVERPARAMETERIZED)
    inertia = _s("m ∈ M, rank J_H(m) = dℓ < n and Hess L(m) exists: Hess L(m) = 2J_HᵀJ_H has inertia "
                 "(n₊, n₋, n₀) = (dℓ, 0, n − dℓ)", ON_M, RANK_FULL, OVERPARAMETERIZED, HESSIAN_DEFINED)
    nonempty = _s("a feedforward network with one output, m ∈ M and rank J_H(m) = d < n: M ≠ ∅ and near m a "
                  "manifold of dimension n − d", ON_M, RANK_FULL, OVERPARAMETERIZED, ONE_OUTPUT, FEEDFORWARD)
    codim = _s("a feedforward network, m ∈ M, rank J_H(m) = ℓd < n and Hess L(m) exists: near m M has codimension "
               "ℓd and Hess L(m) inertia (n₊, n₋, n₀) = (ℓd, 0, n − ℓd)", ON_M, RANK_FULL, OVERPARAMETERIZED,
               HESSIAN_DEFINED, FEEDFORWARD)
    singular = _s("m ∈ M and rank J_H(m) < dℓ: 0 is not a regular value of H at m", ON_M, RANK_DEFICIENT)
    table = {}
    for verdict in ("proved", "certified"):
        table.update({("thm-2.1", verdict): regular, ("prop-2.3", verdict): inertia,
                      ("thm-4.1", verdict): nonempty, ("rem-4.2", verdict): codim})
        for claim in ZERO_SET:
            table[(claim, verdict)] = _s("L_a(m) = 0 at m ∈ M and L_a(m') ≠ 0 at m' ∉ M: the zero set of every "
                                         "L_a = Σ|f_i|^a agrees with M at m and m'", ON_M, OFF_M_PRIME)
        for claim in CONSTRUCTION:
            table[(claim, verdict)] = _s("the construction (a, the midpoint biases, A lower triangular with "
                                         "nonzero diagonal, m = A⁻¹y) gives f(x_i) = y_i for every i", FITS)
    table[("thm-2.1", "refuted")] = singular
    table[("prop-2.3", "refuted")] = _s("m ∈ M, rank J_H(m) < dℓ and Hess L(m) exists: Hess L(m) = 2J_HᵀJ_H has "
                                        "fewer than dℓ positive eigenvalues", ON_M, RANK_DEFICIENT, HESSIAN_DEFINED)
    table[("thm-4.1", "refuted")] = _s("a feedforward network with one output, m ∈ M and rank J_H(m) < d: M is not "
                                       "regular of dimension n − d at m", ON_M, RANK_DEFICIENT, ONE_OUTPUT,
                                       FEEDFORWARD)
    table[("rem-4.2", "refuted")] = _s("a feedforward network, m ∈ M, rank J_H(m) < ℓd and Hess L(m) exists: "
                                       "codimension ℓd and inertia (n₊, n₋, n₀) = (ℓd, 0, n − ℓd) fail at m", ON_M,
                                       RANK_DEFICIENT, HESSIAN_DEFINED, FEEDFORWARD)
    for claim in ZERO_SET:  # |f_i|^a = 0 iff f_i = 0: no point refutes it, so no witness can establish this
        table[(claim, "refuted")] = _s("a point where L_a = Σ|f_i|^a vanishes and L does not, or the reverse: "
                                       "impossible, as |f_i|^a = 0 iff f_i = 0", ON_M, OFF_M)
    for claim in AT_POINT:  # a counterexample must satisfy the claim's hypothesis: distinct inputs
        st = table[(claim, "refuted")]
        table[(claim, "refuted")] = Statement(st.text + " (the inputs x_i pairwise distinct)", st.needs | {DISTINCT})
    for claim in CONSTRUCTION:
        table[(claim, "refuted")] = _s("the construction fails: A is not lower triangular with nonzero diagonal, "
                                       "or f(x_i) ≠ y_i (the inputs x_i pairwise distinct)", FAILS, DISTINCT)
    for claim in AT_POINT + ZERO_SET:
        table[(claim, "hypothesis-fails", OFF_M_PREFIX)] = _s(
            "m ∉ M: the claim's hypothesis that m lies on M fails at the given point", OFF_M)
    return table


#: (claim, verdict) — or (claim, "hypothesis-fails", evidence prefix) — to its statement
STATEMENTS = _table()


def statement(claim: str, verdict: str, evidence: str) -> Statement | None:
    """The statement of (claim, verdict) — None when the table has none (the certificate is then unchecked)."""
    if verdict == "hypothesis-fails":
        return STATEMENTS.get((claim, verdict, OFF_M_PREFIX)) if evidence.startswith(OFF_M_PREFIX) else None
    return STATEMENTS.get((claim, verdict))


def judge(st: Statement, facts: set, claim: str = "", verdict: str = "") -> str:
    """The statement's text when ``facts`` establish it.

    Raises:
        Reject: a re-derived fact contradicts one the statement needs (reported first: the verdict is wrong, not
            merely unsupported).
        Missing: a needed fact is neither shown nor contradicted (the witness does not carry it).
    """

    label = f"the verdict {verdict!r} of {claim}" if claim else "the verdict"
    for need in sorted(st.needs):
        if OPPOSITE.get(need) in facts:
            shown = OPPOSITE[need]
            raise Reject(f"the witness shows {shown} ({_WHY[shown]}), which contradicts {label}: it needs {need}")
    missing = sorted(st.needs - facts)
    if missing:
        raise Missing(f"the witness does not establish {', '.join(missing)}, which {label} needs")
    return st.text
