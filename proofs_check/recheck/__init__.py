"""The re-checker kernel: re-verify a certificate from its witness alone.

``recheck(cert)`` (also ``proofs_check.recheck(cert)`` and ``symland recheck FILE``) trusts nothing the engine
computed. Its whole worth is that it shares no code with the engine: a bug in the engine cannot make a forged or
wrong certificate pass here unless the same bug was written twice.

**What it trusts** (the trusted base):

* python-flint's arithmetic — integers and rationals (``fmpz``/``fmpq``), matrices mod a prime (``nmod_mat``) and
  Arb balls (``arb``/``arb_mat``) — and Python's ``fractions.Fraction``;
* sympy's expression parser and simplifier for the exact pieces of σ, and sympy's Gröbner bases for the global
  claims (run in a child process with a deadline);
* the certificate's *format*, :class:`proofs_check.certificate.Certificate` (read to plain data, nothing of its
  verdict is believed), the file reader :func:`symland.data.read_text` with the shared error type
  :class:`symland.errors.InputError` (in :mod:`~proofs_check.recheck.cli` only). These are the only imports from
  outside the kernel; ``tests/proofs_check/test_architecture.py`` fails on any other. A custom σ given as text is
  read by the kernel's own parser of the grammar (:mod:`~proofs_check.recheck.sigma`), which also finds its kinks
  on its own.

**What it re-derives** (each module one step):

============================  ==============================================================================
:mod:`.exact`                 exact numbers in Q[e^Q] on ``Fraction``, read from the witness's text; size limits
:mod:`.sigma`                 σ's exact pieces (its own table of the built-in activations; custom σ from text)
:mod:`.net`                   the network rebuilt from the instance; residuals H and J_H by forward-mode
:mod:`.linalg`                determinants mod p, independence, a symmetric (congruence) elimination
:mod:`.statements`            the table (claim, verdict) → the statement it asserts, and the judge
:mod:`.smoothness`            the class of M near m: σ's one-sided derivatives at the breakpoints hit
:mod:`.claims`                the point claims (Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2, …)
:mod:`.lemma`                 the Lemma 3.3 / Corollary 3.4 construction recomputed
:mod:`.ball`                  Arb enclosures: H ∋ 0 on the box, a re-solved point m', det of the minor ∌ 0
:mod:`.newton`                Arb: a Krawczyk box (certify, coordinates anywhere) holds a unique zero of H
:mod:`.scale`                 the at-scale constructed point from its generator: triangular minor, H = 0
:mod:`.given`                 a large listed point: H by fmpq_mat layer by layer, the minor by backprop mod p
:mod:`.global_claims`         the global claims: the polynomial system rebuilt, Gröbner bases {1} recomputed
:mod:`.realroots`             a chart without real solutions: factors, resultants, Sturm counts (python-flint)
:mod:`.cli`                   ``symland recheck FILE``
============================  ==============================================================================

**What it leaves** ``unchecked`` (neither accepted nor rejected, with the reason): a (claim, verdict) pair the
statement table does not know; ``inconclusive``/``numerical`` certificates and ``hypothesis-fails`` other than a
point off M (nothing to re-check); a witness beyond one of its size limits (:class:`.exact.TooLarge`); an Arb
ball straddling a breakpoint of σ, a DAG, a Krawczyk box whose inclusion K ⊂ int X is not shown at the
precision cap; a witness that omits its point without a generator; a global re-check that ran out of its time.

The steps in more detail: it reads the instance (network, σ by name, data) and the witness, and redoes the
decisive steps with its own small code path — exact numbers (:mod:`proofs_check.recheck.exact`), forward-mode
differentiation of the network (:mod:`proofs_check.recheck.net`), determinants mod p and a symmetric elimination
(:mod:`proofs_check.recheck.linalg`). It never imports ``symland.problem``, ``symland.landscape``,
``symland.rank``, ``symland.tiers`` or ``symland.linalg``.

A certificate is a statement: (claim, verdict) says something about the instance in the witness. The re-checker
re-derives *facts* from the witness (m ∈ M, m ∉ M, rank J_H(m) = dℓ or < dℓ, Hess L(m) exists, the construction
fits or fails, …) and looks the statement of (claim, verdict) up in one table,
:mod:`proofs_check.recheck.statements`: established → ``checked``; contradicted, or a fact missing from the
witness → ``rejected``; a pair the table does not know → ``unchecked``. So a genuine witness relabelled with another
claim or verdict is judged by what *it* shows: a point off M refutes nothing (``refuted`` resting on m ∉ M is
rejected); it shows that the hypothesis m ∈ M fails (``hypothesis-fails`` with evidence ``m ∉ M…``, checked).

The facts, by witness:

* ``proved`` / ``certified`` of Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2: H(m) = 0 recomputed
  (zero test by Lindemann–Weierstrass: every coefficient vanishes); the witness minor of J_H(m), its entries
  recomputed and mapped to F_p, has det ≡ ``det_mod_p`` ≢ 0, so rank ≥ ``lower``; ``lower = upper = dℓ``; the
  recorded smoothness class of M near m (``"smooth"`` or ``"C^k"``) at most σ's class at the breakpoints that
  pre-activations sit at (:mod:`~proofs_check.recheck.smoothness`; more is rejected, none recorded: not re-checked);
  the tangent basis (n ≤ 60): n − dℓ independent vectors with J_H v = 0; for Proposition 2.3 the congruence diagonal
  of 2J_HᵀJ_H (n ≤ 60, rational) and ∇f_r ≠ 0 — see :mod:`proofs_check.recheck.claims`.
* Lemma 3.3 / Corollary 3.4: projections, midpoint biases, A_ij = σ(c_i − b_j) recomputed, A lower triangular
  with nonzero diagonal, A m = y, the parameters are the construction's, and f(x_i) = y_i by a forward pass.
* ``refuted``: the counterexample — a point of M with a rank really below dℓ (kernel vectors), a really defective
  A or a construction that does not fit.
* ``hypothesis-fails`` at a point off M (evidence ``m ∉ M…``): a residual recomputed ≠ 0 (exact), or a residual's
  enclosure over the whole box excluding 0 (ball).
* other ``hypothesis-fails``, ``inconclusive``, ``numerical``: nothing to re-check (not rejected, and said so).
* ``certified`` by the ``ball`` tier at a point of a layered network (Theorem 2.1, Proposition 2.3, Theorem 4.1,
  Remark 4.2): H over the point's enclosure contains 0; then, at a point m' re-solved next to it (midpoints, the
  minor's output-layer parameters from the affine system H = 0, so H(m') = 0 exactly) and shown to lie in the
  certificate's box, the witness minor of J_H(m') recomputed in Arb with det ∌ 0 — see
  :mod:`proofs_check.recheck.ball`. What this cannot decide (a ball
  straddling a breakpoint of σ, minor columns outside the output layer, a DAG) is ``unchecked``/``partial``.
* ``thm-2.1-global`` / ``dim-M-global``: the polynomial system rebuilt from the instance; Gröbner bases {1}
  recomputed by sympy, singular or real points substituted exactly — see :mod:`proofs_check.recheck.global_claims`.
* a witness the re-checker does not know how to read — another Arb enclosure, a value or network beyond one of
  its size limits (:class:`proofs_check.recheck.exact.TooLarge`) — is neither accepted nor rejected: the status
  is ``unchecked`` and the reason says why.

The :attr:`RecheckResult.status` is ``checked`` (the statement established, every step re-verified), ``partial``
(the statement established; some recorded extras, listed in ``skipped``, not re-verified), ``unchecked`` (the
statement not established, without a contradiction) or ``rejected`` (a step does not hold, or the facts contradict
the verdict).

>>> from proofs_check.certificate import Certificate
>>> w = {"instance": {"widths": [1, 1, 1], "activation": "rectpow3", "X": [["1"]], "Y": [["1"]]},
...      "point": {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}, "H": ["0"],
...      "rank": {"lower": 1, "upper": 1, "minor": {"rows": [0], "cols": [3], "prime": 7, "det_mod_p": 6,
...               "reduction": {"kind": "rational"}}, "method": "by hand"}, "smoothness": "smooth"}
>>> c = Certificate("thm-2.1", "tiny", "proved", "exact", "by hand", (), w, 0.0)
>>> r = recheck(c)
>>> r.ok, r.status, r.statement[:30]
(True, 'checked', 'm ∈ M and rank J_H(m) = dℓ < n')
>>> recheck(dict(c.to_json_obj(), claim="lem-3.3")).status  # a point of M is no construction: nothing to read
'rejected'
>>> tampered = c.to_json_obj()
>>> tampered["witness"]["H"] = ["1/2"]
>>> recheck(tampered).summary()
'REJECTED: H(m): recorded f_1 = 1/2 but recomputed 0'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from proofs_check.recheck.ball import Unchecked, at_point_ball, is_enclosure_witness
from proofs_check.recheck.claims import CHECKS, Log, Reject
from proofs_check.recheck.exact import NotExact, Unrecognized
from proofs_check.recheck.global_claims import GLOBAL_IDS, recheck_global
from proofs_check.recheck.net import BadWitness
from proofs_check.recheck.statements import AT_POINT, ZERO_SET, Missing, judge, statement
from proofs_check.certificate import EXACT_TIERS, Certificate

__all__ = ["RecheckResult", "recheck", "STATUSES"]

STATUSES = ("checked", "partial", "unchecked", "rejected")


@dataclass(frozen=True)
class RecheckResult:
    """The outcome of :func:`recheck`.

    Attributes:
        ok: False exactly when the certificate is rejected.
        reasons: why it was rejected (non-empty iff not ok).
        checked: the steps re-verified, one line each.
        skipped: the steps that could not be re-checked (and why).
        statement: what the certificate asserts, as established from the re-verified facts ("" when it was not
            established).
    """

    ok: bool
    reasons: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    statement: str = ""

    def __post_init__(self) -> None:
        for name in ("reasons", "checked", "skipped"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.ok and self.reasons:
            raise ValueError(f"RecheckResult: ok with reasons {self.reasons}")
        if not self.ok and not self.reasons:
            raise ValueError("RecheckResult: a rejection needs a reason")
        if self.ok and not self.statement and not self.skipped:
            raise ValueError("RecheckResult: a certificate whose statement was not established must say why")
        if not self.ok and self.statement:
            raise ValueError("RecheckResult: a rejected certificate establishes no statement")

    @property
    def status(self) -> str:
        """One of :data:`STATUSES`."""
        if not self.ok:
            return "rejected"
        if not self.statement:
            return "unchecked"
        return "partial" if self.skipped else "checked"

    def summary(self) -> str:
        """One line: ``checked: …``, ``partial: …; not re-checked: …``, ``UNCHECKED: …`` or ``REJECTED: …``."""
        if not self.ok:
            return "REJECTED: " + "; ".join(self.reasons)
        if self.status == "checked":
            return "checked: " + "; ".join(self.checked)
        if self.status == "partial":
            return "partial: " + "; ".join(self.checked) + "; not re-checked: " + "; ".join(self.skipped)
        return "UNCHECKED: " + "; ".join(self.skipped)


def _certificate(cert: Certificate | Mapping[str, Any]) -> Certificate:
    if isinstance(cert, Certificate):
        return cert
    return Certificate.from_json_obj(cert)


def recheck(cert: Certificate | Mapping[str, Any]) -> RecheckResult:
    """Re-verify ``cert`` (a :class:`Certificate` or its JSON object) from its witness alone.

    Returns:
        a :class:`RecheckResult`: ``ok=False`` with the reasons when a recorded step does not hold, the witness is
        malformed, or its facts contradict (or do not carry) the statement of (claim, verdict); otherwise what was
        re-checked, what could not be, and the statement established (if it was).
    """
    try:
        c = _certificate(cert)
    except (ValueError, TypeError) as exc:
        return RecheckResult(False, (f"malformed certificate: {exc}",))
    if c.claim in GLOBAL_IDS:  # polynomial systems, rebuilt and re-solved by sympy: proofs_check.recheck.global_claims
        ok, reasons, checked, skipped, text = recheck_global(c.claim, c.verdict, json.loads(json.dumps(c.witness)))
        return RecheckResult(ok, reasons, checked, skipped, statement=text)
    st = statement(c.claim, c.verdict, c.evidence)
    derive = CHECKS.get(c.claim)
    if st is None or derive is None:
        what = f"the verdict is {c.verdict!r}" + (" (no exact claim or counterexample is asserted)"
                                                    if c.verdict in ("hypothesis-fails", "inconclusive", "numerical")
                                                    else f" of claim {c.claim!r}, which the re-checker has no "
                                                         "statement for")
        return RecheckResult(True, (), (), (f"nothing to re-check: {what}",))
    log = Log()
    exact = c.tier in EXACT_TIERS
    witness = json.loads(json.dumps(c.witness))  # plain lists and dicts again
    ball = not exact and c.claim in AT_POINT + ZERO_SET and is_enclosure_witness(witness)
    if ball and c.claim in ZERO_SET:
        return RecheckResult(True, (), (), (f"a tier-{c.tier!r} {c.claim} witness holds enclosures, which the "
                                            "re-checker does not read for this claim; nothing re-checked",))
    try:
        facts = (at_point_ball if ball else derive)(c.claim, witness, st.needs, log)
        text = judge(st, facts, c.claim, c.verdict)
    except Missing as exc:
        if exact:
            return RecheckResult(False, (str(exc),), tuple(log), tuple(log.skipped))
        return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (f"not established: {exc}",))
    except Reject as exc:
        return RecheckResult(False, (str(exc),), tuple(log), tuple(log.skipped))
    except (Unchecked, Unrecognized) as exc:
        return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (f"not established: {exc}",))
    except (BadWitness, NotExact, ArithmeticError, KeyError, TypeError, ValueError, IndexError,
            AttributeError) as exc:
        if not exact:  # e.g. an Arb enclosure: a form this checker does not read, not a wrong witness
            why = f"the witness of this tier-{c.tier!r} certificate is not in a form the re-checker reads " \
                  f"({type(exc).__name__}: {exc}); nothing re-checked"
            return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (why,))
        if isinstance(exc, (BadWitness, NotExact)):
            return RecheckResult(False, (f"witness does not check: {exc}",), tuple(log), tuple(log.skipped))
        return RecheckResult(False, (f"malformed witness: {type(exc).__name__}: {exc}",), tuple(log),
                             tuple(log.skipped))
    return RecheckResult(True, (), tuple(log), tuple(log.skipped), statement=text)
