"""pytest, for the doctests of ``proofs_check/``: the compatibility modules at the old paths
(:mod:`proofs_check._moved`) are not collected. They hold no doctest, and collecting one by its file would bind the
shim's own module object (not the module it aliases) as the package attribute ``proofs_check.<old>``, which
``import proofs_check.<old> as m`` and ``monkeypatch.setattr("proofs_check.<old>.x", …)`` then read.
"""

from proofs_check._moved import MOVED

collect_ignore = [f"{old}.py" for old in MOVED]
