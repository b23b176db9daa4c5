"""symland — the engine: exact maps H, J_H, L, Hess L of small networks, and exact linear algebra.

See README.md for a tour; :mod:`proofs_check` builds the paper's claims on top of this package.

The names below are loaded on first use (PEP 562): ``import symland`` imports neither sympy, python-flint nor
numpy, so the ``symland`` command starts in a fraction of the time (measured: benchmarks/bench_startup.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for readers of the source (type checkers, the API docs): the names of _WHERE, statically
    from symland.constructions.landscape import Interpolant, choose_projection, corollary_3_4, interpolate, lemma_3_3
    from symland.errors import (
        DuplicateInputError,
        InputError,
        NotRepresentableError,
        ParseError,
        ShapeError,
        SymlandError,
        TooLargeError,
        UndefinedDerivativeError,
        UnknownNameError,
    )
    from symland.io.data import Dataset, load_dataset
    from symland.io.models import (
        ImportedModel,
        from_arrays,
        from_flax,
        from_onnx,
        from_sklearn,
        from_torch,
        load_model,
    )
    from symland.linear.rank import RankProof, prove_rank
    from symland.networks.dag import DagNetwork, dag_from_obj, load_dag
    from symland.networks.network import MLP, mlp
    from symland.networks.problem import PointValues, Problem
    from symland.numbers.exact import parse_exact
    from symland.numbers.sympy_view import to_sympy
    from symland.point import PointAnalysis, PointSpec, RankBound, analyse
    from symland.point.distance import Distance, distance_to_M
    from symland.point.landscape import PointReport, landscape_at
    from symland.sigma.activations import Activation, get_activation
    from symland.tiers import ExpPolyKind, RationalKind

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
