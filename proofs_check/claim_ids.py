"""The claim ids, importing nothing: the command line's help lists them before any claim module (and the engine
under it) is loaded — start-up time, benchmarks/bench_startup.py. :mod:`proofs_check.claims` maps each to its check.
"""

__all__ = ["ALL_IDS", "GENERAL", "GLOBAL_IDS"]

#: The paper's claims, in the order a run reports them.
ALL_IDS = ("thm-2.1", "rem-2.2", "prop-2.3", "lem-3.3", "cor-3.4", "thm-4.1", "rem-4.2", "sec-5")
#: The claims stated for any architecture with a point given.
GENERAL = ("thm-2.1", "prop-2.3")
#: The opt-in global claims (:mod:`proofs_check.claims.global_claims`; they need msolve).
GLOBAL_IDS = ("thm-2.1-global", "dim-M-global")
