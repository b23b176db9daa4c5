"""The re-checker kernel: re-verify a certificate from its witness alone.

``recheck(cert)`` (also ``proofs_check.recheck(cert)`` and ``symland recheck FILE``) trusts nothing the engine
computed. Its whole worth is that it shares no code with the engine: a bug in the engine cannot make a forged or
wrong certificate pass here unless the same bug was written twice.

**What it trusts** (the trusted base):

* python-flint's arithmetic — integers and rationals (``fmpz``/``fmpq``), matrices mod a prime (``nmod_mat``) and
  Arb balls (``arb``/``arb_mat``) — and Python's ``fractions.Fraction``;
* sympy's expression parser and simplifier for the exact pieces of σ, and sympy's Gröbner bases for the global
  claims (run in a child process with a deadline);
* the ``jsonschema`` library, which validates every certificate against the written format (the JSON Schemas in
  ``proofs_check/recheck/schema/``, :mod:`~proofs_check.recheck.format`) before anything else is read.

Nothing else: the kernel imports no module of ``symland`` and none of the rest of ``proofs_check`` — it has its
own certificate reader (:mod:`~proofs_check.recheck.format`), file reader and error type
(:mod:`~proofs_check.recheck.cli`), and parser of a custom σ (:mod:`~proofs_check.recheck.sigma`), which also finds
its kinks on its own. ``import proofs_check.recheck`` and re-checking a certificate load no ``symland`` module
(``tests/proofs_check/test_architecture.py`` reads the imports; ``tests/soundness/test_kernel_format.py`` checks
``sys.modules`` in a fresh interpreter).

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
:mod:`.lemma_ball`            the same with m as Arb balls: m* = A⁻¹y enclosed inside the recorded balls
:mod:`.ball`                  Arb enclosures: H ∋ 0 on the box, a re-solved point m', det of the minor ∌ 0
:mod:`.zero_set_ball`         Arb: a zero-set certificate's m re-solved in its box, H ∌ 0 at m' = m + e_bias
:mod:`.newton`                Arb: a Krawczyk box (certify, coordinates anywhere) holds a unique zero of H
:mod:`.scale`                 the at-scale constructed point from its generator: triangular minor, H = 0
:mod:`.given`                 a large listed point: H by fmpq_mat layer by layer, the minor by backprop mod p
:mod:`.global_claims`         the global claims: the polynomial system rebuilt, Gröbner bases {1} recomputed
:mod:`.global_system`         H and the charts rebuilt from the instance; sympy's Gröbner bases in a child process
:mod:`.realroots`             a chart without real solutions: factors, resultants, Sturm counts (python-flint)
:mod:`.algebraic`             an algebraic singular point (p | H∘q, sign change of p) and Σ c·e = c₀ + Σ a·q² (exact)
:mod:`.format`                the written format: JSON Schemas, validated first; what is not vouched for
:mod:`.setting`               the network, σ, data and point from the witness; the line naming them
:mod:`.distances`             certify's distances to the model's point, re-derived
:mod:`.cli`                   ``symland recheck FILE``
============================  ==============================================================================

**First, the format**: the certificate is validated against the JSON Schemas of its kind
(:mod:`~proofs_check.recheck.format`); an unknown or missing field is ``rejected`` naming it, so no field the engine
never writes can steer the kernel (σ is read from ``activation`` alone; an instance names its widths *or* a DAG with
its semantics) and no check waits for an optional key. The first line of every re-check names what was re-derived
(σ as the kernel read its text, the widths and bias convention or the DAG with its semantics, the tier). What the
kernel does not re-derive — human text, timings, method strings, the certificate's own ``not_vouched`` — is listed
in :attr:`RecheckResult.not_vouched` (``recheck --strict`` prints it).

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
  pre-activations sit at (:mod:`~proofs_check.recheck.smoothness`; more is rejected; the class is required);
  the tangent basis (n ≤ 60): n − dℓ independent vectors with J_H v = 0; for Proposition 2.3 the congruence diagonal
  of 2J_HᵀJ_H (n ≤ 60, rational) and ∇f_r ≠ 0 — see :mod:`proofs_check.recheck.claims`.
* Lemma 3.3 / Corollary 3.4: the values c_i (for T > 1 carried through σ^(T−1)), every midpoint bias (b_1 from
  a·x₀ < c_1, or c_1 − 1), A_ij = σ(c_i − b_j) recomputed, A lower triangular with nonzero diagonal, A m = y, every
  parameter the construction's, and f(x_i) = y_i by a forward pass at those parameters.
* ``certify``: besides the point claims, the distances ‖m* − m‖∞, ‖m* − m‖₂ to the model's recorded point
  (:mod:`~proofs_check.recheck.distances`); a recorded inertia must be [n₊, n₋, n₀] = [dℓ, 0, n − dℓ].
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
  recomputed by sympy, singular or real points substituted exactly (algebraic ones modulo their polynomial),
  positivity identities expanded — see :mod:`proofs_check.recheck.global_claims`.
* a witness the re-checker does not know how to read — another Arb enclosure, a value or network beyond one of
  its size limits (:class:`proofs_check.recheck.exact.TooLarge`) — is neither accepted nor rejected: the status
  is ``unchecked`` and the reason says why.

The :attr:`RecheckResult.status` is ``checked`` (the statement established, every step re-verified), ``partial``
(the statement established; some recorded extras, listed in ``skipped``, not re-verified), ``unchecked`` (the
statement not established, without a contradiction) or ``rejected`` (a step does not hold, or the facts contradict
the verdict).

>>> w = {"instance": {"widths": [1, 1, 1], "activation": "rectpow3", "X": [["1"]], "Y": [["1"]]},
...      "point_source": "by hand", "point": {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}, "H": ["0"],
...      "rank": {"lower": 1, "upper": 1, "minor": {"rows": [0], "cols": [3], "prime": 7, "det_mod_p": 6,
...               "reduction": {"kind": "rational"}}, "method": "by hand"}, "smoothness": "smooth"}
>>> c = {"claim": "thm-2.1", "instance": "tiny", "verdict": "proved", "tier": "exact", "evidence": "by hand",
...      "hypotheses": [], "witness": w, "seconds": 0.0}
>>> r = recheck(c)
>>> r.ok, r.status, r.statement[:30]
(True, 'checked', 'm ∈ M and rank J_H(m) = dℓ < n')
>>> r.checked[0][:60]
're-derived for σ = rectpow3 read as t ↦ t**3 for t > 0, 0 fo'
>>> recheck(dict(c, claim="lem-3.3")).reasons[0][:80]  # a point of M is no construction: not in the format
"malformed certificate: certificate format v1: at witness: 'a' is a required prop"
>>> recheck(dict(c, witness=dict(w, H=["1/2"]))).summary()
'REJECTED: H(m): recorded f_1 = 1/2 but recomputed 0'
>>> recheck(dict(c, witness=dict(w, activation_expr="x"))).summary()
"REJECTED: malformed certificate: certificate format v1: at witness: Additional properties are not allowed \
('activation_expr' was unexpected)"
"""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from proofs_check.recheck.ball import Unchecked, at_point_ball, is_enclosure_witness
from proofs_check.recheck.claims import at_point, zero_sets
from proofs_check.recheck.exact import NotExact, Unrecognized
from proofs_check.recheck.format import EXACT_TIERS, FormatError, check_envelope, check_witness, unvouched
from proofs_check.recheck.global_claims import GLOBAL_IDS, recheck_global
from proofs_check.recheck.lemma_ball import construction_any
from proofs_check.recheck.net import BadWitness
from proofs_check.recheck.setting import Log, describe
from proofs_check.recheck.statements import AT_POINT, CONSTRUCTION, ZERO_SET, Missing, Reject, judge, statement
from proofs_check.recheck.zero_set_ball import zero_sets_ball

__all__ = ["RecheckResult", "recheck", "STATUSES", "CHECKS"]

STATUSES = ("checked", "partial", "unchecked", "rejected")

#: the deriver of each claim's facts (claim → derive(claim, witness, needs, log) -> facts); new routes hook in here
CHECKS = {**{c: at_point for c in AT_POINT}, **{c: zero_sets for c in ZERO_SET},
          **{c: construction_any for c in CONSTRUCTION}}


@dataclass(frozen=True)
class RecheckResult:
    """The outcome of :func:`recheck`.

    Attributes:
        ok: False exactly when the certificate is rejected.
        reasons: why it was rejected (non-empty iff not ok).
        checked: the steps re-verified, one line each (the first names what was re-derived: σ as text, the
            widths or the DAG with its semantics, the bias convention, the tier).
        skipped: the steps that could not be re-checked (and why).
        statement: what the certificate asserts, as established from the re-verified facts ("" when it was not
            established).
        not_vouched: the recorded fields the kernel does not re-derive (human text, timings, method strings,
            and the certificate's own ``not_vouched`` list); ``recheck --strict`` reports them.
    """

    ok: bool
    reasons: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    statement: str = ""
    not_vouched: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("reasons", "checked", "skipped", "not_vouched"):
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


def _plain(cert: Any) -> dict:
    """The certificate as plain JSON data (a Certificate-like object is read through its ``to_json_obj``)."""
    obj = cert.to_json_obj() if hasattr(cert, "to_json_obj") and not isinstance(cert, Mapping) else cert
    if not isinstance(obj, Mapping):
        raise FormatError(f"a certificate must be a JSON object, got {type(obj).__name__}")
    try:
        return json.loads(json.dumps(obj, allow_nan=False))
    except (TypeError, ValueError, RecursionError) as exc:
        raise FormatError(f"a certificate must be JSON plain data with finite numbers ({exc})") from None


def recheck(cert: Any) -> RecheckResult:
    """Re-verify ``cert`` (a certificate's JSON object, or an object with ``to_json_obj``) from its witness alone.

    First the format (:mod:`proofs_check.recheck.format`): the envelope and the witness of its kind, validated
    against the JSON Schemas; an unknown or missing field is a rejection naming it. Then the facts.

    Returns:
        a :class:`RecheckResult`: ``ok=False`` with the reasons when the certificate is not in the format, a
        recorded step does not hold, or its facts contradict (or do not carry) the statement of (claim, verdict);
        otherwise what was re-checked, what could not be, the statement established (if it was) and the recorded
        fields not vouched for.
    """
    try:
        obj = _plain(cert)
        check_envelope(obj)
        kind = check_witness(obj)
    except FormatError as exc:
        return RecheckResult(False, (f"malformed certificate: {exc}",))
    nv = unvouched(obj, kind)
    claim, verdict, tier, evidence, witness = (obj["claim"], obj["verdict"], obj["tier"], obj["evidence"],
                                               obj["witness"])
    if claim in GLOBAL_IDS:  # polynomial systems, rebuilt and re-solved by sympy: proofs_check.recheck.global_claims
        ok, reasons, checked, skipped, text = recheck_global(claim, verdict, witness)
        return RecheckResult(ok, reasons, checked, skipped, statement=text if ok else "", not_vouched=nv)
    st = statement(claim, verdict, evidence)
    derive = CHECKS.get(claim)
    if st is None or derive is None or kind is None:
        what = f"the verdict is {verdict!r}" + (" (no exact claim or counterexample is asserted)"
                                                  if verdict in ("hypothesis-fails", "inconclusive", "numerical")
                                                  else f" of claim {claim!r}, which the re-checker has no "
                                                       "statement for")
        return RecheckResult(True, (), (), (f"nothing to re-check: {what}",), not_vouched=nv)
    log = Log()
    exact = tier in EXACT_TIERS
    ball = not exact and claim in AT_POINT + ZERO_SET and is_enclosure_witness(witness)
    if ball:  # Arb enclosures: the ball route of the claim's kind
        derive = zero_sets_ball if claim in ZERO_SET else at_point_ball
    try:
        log.append(describe(witness["instance"], tier, ball))
        facts = derive(claim, witness, st.needs, log)
        text = judge(st, facts, claim, verdict)
        if "model" in witness:  # certify: the distances to the model's point, re-derived
            from proofs_check.recheck.distances import check_distances

            check_distances(witness, log)
    except Missing as exc:
        if exact:
            return RecheckResult(False, (str(exc),), tuple(log), tuple(log.skipped))
        return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (f"not established: {exc}",), not_vouched=nv)
    except Reject as exc:
        return RecheckResult(False, (str(exc),), tuple(log), tuple(log.skipped))
    except (Unchecked, Unrecognized) as exc:
        return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (f"not established: {exc}",), not_vouched=nv)
    except (BadWitness, NotExact, ArithmeticError, KeyError, TypeError, ValueError, IndexError,
            AttributeError, RecursionError) as exc:
        if not exact:  # e.g. an Arb enclosure: a form this checker does not read, not a wrong witness
            why = f"the witness of this tier-{tier!r} certificate is not in a form the re-checker reads " \
                  f"({type(exc).__name__}: {exc}); nothing re-checked"
            return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (why,), not_vouched=nv)
        if isinstance(exc, (BadWitness, NotExact)):
            return RecheckResult(False, (f"witness does not check: {exc}",), tuple(log), tuple(log.skipped))
        return RecheckResult(False, (f"malformed witness: {type(exc).__name__}: {exc}",), tuple(log),
                             tuple(log.skipped))
    return RecheckResult(True, (), tuple(log), tuple(log.skipped), statement=text, not_vouched=nv)


class _Callable(types.ModuleType):
    """``proofs_check.recheck(cert)`` calls :func:`recheck`: the package is callable, so the name means the same
    whether ``proofs_check`` bound it to this module (an import of the submodule) or to the function."""

    def __call__(self, cert: Any) -> RecheckResult:
        return recheck(cert)


sys.modules[__name__].__class__ = _Callable
