"""Numbers: exact-number parsing (:mod:`.exact`) and sympy views of any tier's values (:mod:`.sympy_view`).

The arithmetic tiers themselves — the kinds of numbers the algorithms run over — are :mod:`symland.tiers`.
"""
