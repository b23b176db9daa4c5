"""symland — the engine: exact maps H, J_H, L, Hess L of small networks, and exact linear algebra.

See README.md for a tour; :mod:`proofs_check` builds the paper's claims on top of this package.

The names below are loaded on first use (PEP 562): ``import symland`` imports neither sympy, python-flint nor
numpy, so the ``symland`` command starts in a fraction of the time (measured: benchmarks/bench_startup.py).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name → the module that defines it (one place: the eager imports this table replaced)
_WHERE = {
    **dict.fromkeys(("Interpolant", "choose_projection", "corollary_3_4", "interpolate", "lemma_3_3"),
                    "symland.constructions.landscape"),
    **dict.fromkeys(("DuplicateInputError", "InputError", "NotRepresentableError", "ParseError", "ShapeError",
                     "SymlandError", "TooLargeError", "UndefinedDerivativeError", "UnknownNameError"),
                    "symland.errors"),
    **dict.fromkeys(("Dataset", "load_dataset"), "symland.io.data"),
    **dict.fromkeys(("ImportedModel", "from_arrays", "from_flax", "from_onnx", "from_sklearn", "from_torch",
                     "load_model"), "symland.io.models"),
    **dict.fromkeys(("RankProof", "prove_rank"), "symland.linear.rank"),
    **dict.fromkeys(("DagNetwork", "dag_from_obj", "load_dag"), "symland.networks.dag"),
    **dict.fromkeys(("MLP", "mlp"), "symland.networks.network"),
    **dict.fromkeys(("PointValues", "Problem"), "symland.networks.problem"),
    "parse_exact": "symland.numbers.exact",
    "to_sympy": "symland.numbers.sympy_view",
    **dict.fromkeys(("PointAnalysis", "PointSpec", "RankBound", "analyse"), "symland.point"),
    **dict.fromkeys(("PointReport", "landscape_at"), "symland.point.landscape"),
    **dict.fromkeys(("Distance", "distance_to_M"), "symland.point.distance"),
    **dict.fromkeys(("Activation", "get_activation"), "symland.sigma.activations"),
    **dict.fromkeys(("ExpPolyKind", "RationalKind"), "symland.tiers"),
}

__all__ = [
    "Activation", "get_activation", "DagNetwork", "dag_from_obj", "load_dag", "Dataset", "load_dataset",
    "parse_exact", "SymlandError", "InputError", "ParseError", "ShapeError", "DuplicateInputError",
    "UnknownNameError", "NotRepresentableError", "UndefinedDerivativeError", "TooLargeError", "Interpolant",
    "interpolate", "lemma_3_3", "corollary_3_4", "MLP", "mlp", "PointValues", "Problem", "RankProof",
    "prove_rank", "ExpPolyKind", "RationalKind", "PointReport", "landscape_at", "ImportedModel", "load_model",
    "from_arrays", "from_torch", "from_flax", "from_sklearn", "from_onnx", "choose_projection", "to_sympy",
    "analyse", "PointAnalysis", "PointSpec", "RankBound", "distance_to_M", "Distance",
]


def __getattr__(name: str) -> Any:
    """A public name from its module (loaded now, then kept), or ``symland.<old>`` for a module moved by the
    layout (:mod:`symland._moved`), as ``import symland`` once gave."""
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    from symland._moved import MOVED

    if name in MOVED:
        return importlib.import_module(f"symland.{name}")
    raise AttributeError(f"module 'symland' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
