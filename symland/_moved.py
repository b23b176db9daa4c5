"""The modules moved when ``symland/`` was grouped by layer (issue 19): old name → new name.

Each old path, ``symland/<old>.py``, is a compatibility module that puts the new module in ``sys.modules`` under
the old name, so ``import symland.<old>``, ``from symland.<old> import x`` and ``monkeypatch.setattr`` on either
name reach the one module object. symland itself imports only the new names; tests, benchmarks and
``proofs_check`` may still use the old ones. To retire the shims: update those imports, delete the files named here
and this module (``tests/symland/test_layout.py`` lists what still needs them).
"""

MOVED = {
    "sympy_view": "symland.numbers.sympy_view",
    "activations": "symland.sigma.activations",
    "expr": "symland.sigma.expr",
    "kinks": "symland.sigma.kinks",
    "kinkhits": "symland.sigma.kinkhits",
    "linalg": "symland.linear.linalg",
    "rank": "symland.linear.rank",
    "sparse": "symland.linear.sparse",
    "certify": "symland.linear.certify",
    "ballsolve": "symland.linear.ballsolve",
    "spectrum": "symland.linear.spectrum",
    "network": "symland.networks.network",
    "dag": "symland.networks.dag",
    "jets": "symland.networks.jets",
    "problem": "symland.networks.problem",
    "floating": "symland.networks.floating",
    "gram": "symland.networks.gram",
    "modp": "symland.networks.modp",
    "landscape": "symland.constructions.landscape",
    "atscale": "symland.constructions.atscale",
    "nearest": "symland.point.nearest",
    "krawczyk": "symland.point.krawczyk",
    "_nearest_point": "symland.point._nearest_point",
    "data": "symland.io.data",
    "models": "symland.io.models",
    "_torch": "symland.io._torch",
    "_layers": "symland.io._layers",
    "budget": "symland.tiers.budget",
    "plots": "symland.views.plots",
    "train": "symland.training.train",
}
