"""The vocabulary of a certificate: its verdicts and the tiers (the arithmetic) that may give them."""

__all__ = ["VERDICTS", "EXACT_TIERS", "RIGOROUS_TIERS", "FLOAT_TIERS", "TIERS"]

VERDICTS = ("proved", "certified", "numerical", "refuted", "hypothesis-fails", "inconclusive")
EXACT_TIERS = ("exact", "symbolic")
RIGOROUS_TIERS = ("ball",)
FLOAT_TIERS = ("mp", "float")
#: Every tier a certificate may name; "none" means nothing was computed (e.g. an input check failed).
TIERS = EXACT_TIERS + RIGOROUS_TIERS + FLOAT_TIERS + ("none",)
