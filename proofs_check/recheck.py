"""An independent re-checker: re-verify a certificate from its witness alone.

``recheck(cert)`` trusts nothing the engine computed. It reads the instance (network, σ by name, data) and the
witness, and redoes the decisive steps with its own small code path — exact numbers in Q[e^Q] on ``Fraction``
(:mod:`proofs_check._recheck_exact`), forward-mode differentiation of the network
(:mod:`proofs_check._recheck_net`), determinants mod p and a symmetric elimination
(:mod:`proofs_check._recheck_linalg`). It never imports ``symland.problem``, ``symland.landscape``,
``symland.rank``, ``symland.tiers`` or ``symland.linalg``; from the engine it takes only the *definition* of σ
(its exact sympy pieces, :func:`symland.activations.get_activation`; a custom σ given as text,
``instance["activation_expr"]``, is read by :func:`symland.expr.parse_activation_expr`).

What is re-verified, by verdict:

* ``proved`` / ``certified`` of Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2: H(m) = 0 recomputed
  (zero test by Lindemann–Weierstrass: every coefficient vanishes); the witness minor of J_H(m), its entries
  recomputed and mapped to F_p, has det ≡ ``det_mod_p`` ≢ 0, so rank ≥ ``lower``; ``lower = upper = dℓ``; the
  tangent basis (n ≤ 60): n − dℓ independent vectors with J_H v = 0; for Proposition 2.3 the congruence diagonal
  of 2J_HᵀJ_H (n ≤ 60, rational) and ∇f_r ≠ 0 — see :mod:`proofs_check._recheck_claims`.
* Lemma 3.3 / Corollary 3.4: projections, midpoint biases, A_ij = σ(c_i − b_j) recomputed, A lower triangular
  with nonzero diagonal, A m = y, the parameters are the construction's, and f(x_i) = y_i by a forward pass.
* ``refuted``: the counterexample — a residual really nonzero, a rank really below dℓ (kernel vectors), a
  really defective A.
* ``hypothesis-fails``, ``inconclusive``, ``numerical``: nothing to re-check (not rejected, and said so).
* ``certified`` by the ``ball`` tier at a point of a layered network (Theorem 2.1, Proposition 2.3, Theorem 4.1,
  Remark 4.2): H over the point's enclosure contains 0; then, at a point m' re-solved next to it (midpoints, the
  minor's output-layer parameters from the affine system H = 0, so H(m') = 0 exactly), the witness minor of
  J_H(m') recomputed in Arb with det ∌ 0 — see :mod:`proofs_check._recheck_ball`. What this cannot decide (a ball
  straddling a breakpoint of σ, minor columns outside the output layer, a DAG) is ``unchecked``/``partial``.
* a witness the re-checker does not know how to read — another Arb enclosure, a network beyond
  :data:`proofs_check._recheck_net.MAX_WORK` — is neither accepted nor rejected: the status is ``unchecked`` and
  the reason says why.

The :attr:`RecheckResult.status` is ``checked`` (every step re-verified), ``partial`` (some steps re-verified, the
others listed in ``skipped``), ``unchecked`` (nothing re-verified) or ``rejected`` (a step does not hold).

>>> from proofs_check.certificate import Certificate
>>> w = {"instance": {"widths": [1, 1, 1], "activation": "rectpow3", "X": [["1"]], "Y": [["1"]]},
...      "point": {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}, "H": ["0"],
...      "rank": {"lower": 1, "upper": 1, "minor": {"rows": [0], "cols": [3], "prime": 7, "det_mod_p": 6,
...               "reduction": {"kind": "rational"}}, "method": "by hand"}}
>>> c = Certificate("thm-2.1", "tiny", "proved", "exact", "by hand", (), w, 0.0)
>>> r = recheck(c)
>>> r.ok, r.status
(True, 'checked')
>>> tampered = c.to_json_obj()
>>> tampered["witness"]["H"] = ["1/2"]
>>> recheck(tampered).summary()
'REJECTED: H(m): recorded f_1 = 1/2 but recomputed 0'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from proofs_check._recheck_ball import Unchecked, at_point_ball, is_enclosure_witness
from proofs_check._recheck_claims import CHECKS, Log, Reject
from proofs_check._recheck_exact import NotExact, Unrecognized
from proofs_check._recheck_net import BadWitness
from proofs_check.certificate import EXACT_TIERS, Certificate

__all__ = ["RecheckResult", "recheck", "STATUSES"]

STATUSES = ("checked", "partial", "unchecked", "rejected")
_NOTHING = ("hypothesis-fails", "inconclusive", "numerical")
_AT_POINT = ("thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2")


@dataclass(frozen=True)
class RecheckResult:
    """The outcome of :func:`recheck`.

    Attributes:
        ok: False exactly when the certificate is rejected.
        reasons: why it was rejected (non-empty iff not ok).
        checked: the steps re-verified, one line each.
        skipped: the steps that could not be re-checked (and why).
    """

    ok: bool
    reasons: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("reasons", "checked", "skipped"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.ok and self.reasons:
            raise ValueError(f"RecheckResult: ok with reasons {self.reasons}")
        if not self.ok and not self.reasons:
            raise ValueError("RecheckResult: a rejection needs a reason")
        if self.ok and not (self.checked or self.skipped):
            raise ValueError("RecheckResult: an accepted certificate must say what was (not) checked")

    @property
    def status(self) -> str:
        """One of :data:`STATUSES`."""
        if not self.ok:
            return "rejected"
        if not self.skipped:
            return "checked"
        return "partial" if self.checked else "unchecked"

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
        a :class:`RecheckResult`: ``ok=False`` with the reasons when a step the verdict rests on does not hold
        (or the witness is malformed); otherwise what was re-checked and what could not be.
    """
    try:
        c = _certificate(cert)
    except (ValueError, TypeError) as exc:
        return RecheckResult(False, (f"malformed certificate: {exc}",))
    if c.verdict in _NOTHING:
        return RecheckResult(True, (), (), (f"nothing to re-check: the verdict is {c.verdict!r} "
                                            "(no exact claim or counterexample is asserted)",))
    check = CHECKS.get(c.claim)
    if check is None:
        return RecheckResult(False, (f"no re-check is known for claim {c.claim!r}",))
    log = Log()
    exact = c.tier in EXACT_TIERS
    if not exact and c.claim in _AT_POINT and is_enclosure_witness(c.witness):
        return _recheck_ball(c, log)
    try:
        check(c.verdict, json.loads(json.dumps(c.witness)), log)  # plain lists and dicts again
    except Reject as exc:
        return RecheckResult(False, (str(exc),), tuple(log), tuple(log.skipped))
    except Unrecognized as exc:
        return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (f"nothing re-checked: {exc}",))
    except (BadWitness, NotExact, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        if not exact:  # e.g. an Arb enclosure: a form this checker does not read, not a wrong witness
            why = f"the witness of this tier-{c.tier!r} certificate is not in a form the re-checker reads " \
                  f"({type(exc).__name__}: {exc}); nothing re-checked"
            return RecheckResult(True, (), (), (why,))
        if isinstance(exc, (BadWitness, NotExact)):
            return RecheckResult(False, (f"witness does not check: {exc}",), tuple(log), tuple(log.skipped))
        return RecheckResult(False, (f"malformed witness: {type(exc).__name__}: {exc}",), tuple(log),
                             tuple(log.skipped))
    if not log and not log.skipped:  # pragma: no cover - every check logs a step
        return RecheckResult(False, ("the re-check verified nothing",))
    return RecheckResult(True, (), tuple(log), tuple(log.skipped))


def _recheck_ball(c: Certificate, log: Log) -> RecheckResult:
    """A point given by Arb enclosures: re-checked at a re-solved point m' next to it
    (:mod:`proofs_check._recheck_ball`)."""
    try:
        at_point_ball(c.claim, c.verdict, json.loads(json.dumps(c.witness)), log)
    except Reject as exc:
        return RecheckResult(False, (str(exc),), tuple(log), tuple(log.skipped))
    except (Unchecked, Unrecognized, BadWitness, ArithmeticError, KeyError, TypeError, ValueError, IndexError,
            AttributeError) as exc:
        why = str(exc) if isinstance(exc, (Unchecked, Unrecognized)) else f"{type(exc).__name__}: {exc}"
        if not log:
            return RecheckResult(True, (), (), (f"the witness of this tier-{c.tier!r} certificate could not be "
                                                f"re-checked at a re-solved point ({why}); nothing re-checked",))
        return RecheckResult(True, (), tuple(log), tuple(log.skipped) + (f"not re-checked: {why}",))
    return RecheckResult(True, (), tuple(log), tuple(log.skipped))
