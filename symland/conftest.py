"""pytest, for the doctests of ``symland/``: the compatibility modules at the old paths (:mod:`symland._moved`)
are not collected. They hold no doctest, and collecting one by its file would bind the shim's own module object
(not the module it aliases) as the package attribute ``symland.<old>``, which ``from symland import <old>`` and
``monkeypatch.setattr("symland.<old>.x", …)`` then read.
"""

from symland._moved import MOVED

collect_ignore = [f"{old}.py" for old in MOVED]
