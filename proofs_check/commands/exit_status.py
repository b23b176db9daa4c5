"""The exit status of ``symland verify``: what a script may conclude from the code alone.

==  =====================================================================================================
0   every verdict is positive and the strongest its tier can give — ``proved`` (exact, symbolic),
    ``certified`` (ball); ``numerical`` only when ``--tier float`` or ``--tier mp`` was asked for — or,
    on the built-in instances, every verdict is the one the paper predicts
1   some verdict is ``refuted``, ``hypothesis-fails`` or ``inconclusive``, or weaker than asked
    (``numerical`` under ``--tier auto``/``ball``, ``certified`` under ``--tier exact``) — except that on your
    own data an exact ``refuted`` of a global claim (``thm-2.1-global``, ``dim-M-global``: not theorems of the
    paper, which proves the local statements) is a finding about the data, decided like a ``proved``: it counts
    as positive
2   input that cannot be read or used (one line on stderr; decided before any claim runs)
==  =====================================================================================================

>>> from proofs_check.certificate import Certificate
>>> c = Certificate("thm-2.1", "x", "numerical", "float", "", (), {}, 0.0)
>>> exit_status([c], asked_tier="float"), exit_status([c], asked_tier="auto")
(0, 1)
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["EXIT_CODES_HELP", "exit_status", "GLOBAL_IDS"]

#: The global claims (:mod:`proofs_check.claims.global_claims`): their refutation on your data is a finding.
GLOBAL_IDS = ("thm-2.1-global", "dim-M-global")

#: How strong a positive verdict is; everything else counts 0.
_RANK = {"proved": 3, "certified": 2, "numerical": 1}
#: The weakest positive verdict each ``--tier`` accepts (auto: certified — float is never chosen silently).
_NEEDED = {"exact": 3, "symbolic": 3, "ball": 2, "auto": 2, "mp": 1, "float": 1}
#: The strongest verdict a certificate's own tier can give.
_TIER_BEST = {"exact": 3, "symbolic": 3, "ball": 2, "mp": 1, "float": 1}

EXIT_CODES_HELP = ("Exit status: 0 when every verdict is positive and as strong as its tier allows (proved; "
                   "certified for ball; numerical only with --tier float/mp; on your data an exact refutation of a "
                   "global claim is a finding, counted positive), or on the built-in instances "
                   "as the paper predicts; 1 when a verdict is refuted, hypothesis-fails, inconclusive or "
                   "weaker than asked; 2 for input that cannot be read or used.")


def exit_status(certs: Iterable, *, asked_tier: str = "auto", builtin: bool = False) -> int:
    """0 or 1 for a finished run (2 is raised earlier, as a SymlandError).

    Args:
        certs: the run's certificates.
        asked_tier: the ``--tier`` given (``auto`` by default).
        builtin: the built-in instances, whose expected verdicts (some ``refuted``) the paper predicts.
    """
    certs = list(certs)
    if builtin:
        return 0 if all(c.ok for c in certs) else 1
    need = _NEEDED.get(asked_tier, 2)
    for c in certs:
        got = _RANK.get(c.verdict, 0)
        if c.claim in GLOBAL_IDS and c.verdict == "refuted":
            got = _TIER_BEST.get(c.tier, 0)  # a decided finding: as strong as its tier
        if got == 0 or got < need or got < _TIER_BEST.get(c.tier, 0):
            return 1
    return 0
