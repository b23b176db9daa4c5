"""symland — the engine: exact maps H, J_H, L, Hess L of small networks, and exact linear algebra.

See README.md for a tour; :mod:`proofs_check` builds the paper's claims on top of this package.
"""

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
from symland.io.models import ImportedModel, from_arrays, from_flax, from_onnx, from_sklearn, from_torch, load_model
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

__all__ = [
    "Activation", "get_activation", "DagNetwork", "dag_from_obj", "load_dag", "Dataset", "load_dataset",
    "parse_exact", "SymlandError", "InputError", "ParseError", "ShapeError", "DuplicateInputError",
    "UnknownNameError", "NotRepresentableError", "UndefinedDerivativeError", "TooLargeError", "Interpolant",
    "interpolate", "lemma_3_3", "corollary_3_4", "MLP", "mlp", "PointValues", "Problem", "RankProof",
    "prove_rank", "ExpPolyKind", "RationalKind", "PointReport", "landscape_at", "ImportedModel", "load_model",
    "from_arrays", "from_torch", "from_flax", "from_sklearn", "from_onnx", "choose_projection", "to_sympy",
    "analyse", "PointAnalysis", "PointSpec", "RankBound", "distance_to_M", "Distance",
]


def __getattr__(name: str):
    """``symland.<old>`` for a module moved by the layout (:mod:`symland._moved`), as ``import symland`` once gave."""
    from symland._moved import MOVED

    if name in MOVED:
        import importlib

        return importlib.import_module(f"symland.{name}")
    raise AttributeError(f"module 'symland' has no attribute {name!r}")
