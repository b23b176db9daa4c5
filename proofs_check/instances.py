"""The built-in instances that ``symland verify`` runs when given no data.

Small enough to be decided exactly in seconds, chosen to exercise every route: smooLU (values in
Q[e^Q], tier symbolic) with p = 1, 2, 3 and d = 3 … 6, the rectified cube (rational values, tier
exact) with one and two hidden layers, and rows whose expected verdict is not ``proved``.
"""

from __future__ import annotations

from symland.activations import get_activation
from symland.dag import dag_from_obj
from symland.data import Dataset

from proofs_check.instance import Instance

__all__ = ["default_instances"]

BASIC = ("lem-3.3", "thm-2.1", "prop-2.3", "thm-4.1")

# Section 3's general networks: a DAG with the paper's literal semantics and shared labels
# (8 edges and 4 biases, but n = 8 distinct parameters). The output weights were solved exactly.
SHARED_DAG = {
    "inputs": ["x1", "x2"], "activation": "rectpow3", "semantics": "literal",
    "nodes": [{"id": "h1", "bias": "b1"}, {"id": "h2", "bias": "b2"}, {"id": "h3", "bias": "b1"},
              {"id": "out", "bias": "c", "output": True}],
    "edges": [{"from": "x1", "to": "h1", "weight": "w"}, {"from": "x2", "to": "h1", "weight": "w"},
              {"from": "x1", "to": "h2", "weight": "u"}, {"from": "x2", "to": "h2", "weight": "w"},
              {"from": "h1", "to": "h3", "weight": "u"}, {"from": "h1", "to": "out", "weight": "v1"},
              {"from": "h2", "to": "out", "weight": "v2"}, {"from": "h3", "to": "out", "weight": "v3"}],
}
SHARED_POINT = (("w", "1"), ("u", "2"), ("b1", "1"), ("b2", "-1"), ("c", "0"), ("v1", "399412/2147459"),
                ("v2", "1192115/2147459"), ("v3", "-211/2147459"))


def default_instances() -> list[Instance]:
    """The instances `symland verify` runs with no arguments (the hypothesis rows are in explain.py)."""
    smoolu, cube = get_activation("smoolu"), get_activation("rectpow3")
    not_smooth = (("thm-4.1", "hypothesis-fails"),)
    return [
        Instance("smoolu-p1-d3", Dataset.from_rows([[0], [1], [3]], [1, -1, 2]), smoolu,
                 claims=BASIC + ("rem-2.2", "sec-5"), note="three points on a line"),
        Instance("smoolu-p2-d4-xor", Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]),
                 smoolu, claims=BASIC, note="XOR"),
        Instance("smoolu-p3-d5",
                 Dataset.from_rows([[0, 0, 0], [1, 0, 2], [0, 1, -1], [2, 1, 0], [1, 1, 1]],
                                   ["1/2", -1, 0, 3, "0.25"]),
                 smoolu, widths=(3, 6, 1), claims=BASIC, note="h = d + 1 > d"),
        Instance("smoolu-p2-d6",
                 Dataset.from_rows([[0, 0], [1, 0], [0, 1], [2, 1], [1, 2], [3, 3]], [1, 0, 0, 2, -1, "1/3"]),
                 smoolu, widths=(2, 7, 1), claims=BASIC),
        Instance("rectpow3-p2-d5",
                 Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1], [2, 1]], [1, 2, 0, -1, "3/2"]),
                 cube, claims=BASIC + ("rem-2.2", "sec-5"), expected=not_smooth,
                 note="rational values; rectpow3 is C² but not smooth, so Theorem 4.1's hypothesis fails"),
        Instance("rectpow3-deep",
                 Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1], [2, 1]], [1, 2, 0, -1, "3/2"]),
                 cube, widths=(2, 3, 6, 1), claims=BASIC + ("cor-3.4",), expected=not_smooth,
                 note="two hidden layers: the corrected Corollary 3.4 point"),
        Instance("rectpow3-T3",
                 Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1], [2, 1], [1, 3]], [1, 2, 0, -1, "3/2", 4]),
                 cube, widths=(2, 3, 2, 6, 1), claims=("cor-3.4", "thm-2.1"),
                 note="three hidden layers"),
        Instance("rectpow3-l2",
                 Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [2, "1/2"], [-1, 3]]),
                 cube, widths=(2, 4, 2), claims=("rem-4.2", "thm-2.1", "prop-2.3"), note="ℓ = 2 outputs"),
        Instance("dag-shared-literal", Dataset.from_rows([[0, 1], [1, 1], [2, 0]], [1, 0, 2]), cube,
                 dag=dag_from_obj(SHARED_DAG), point=SHARED_POINT, claims=("thm-2.1", "prop-2.3"),
                 note="general DAG, literal semantics, shared weights"),
        Instance("smoolu-l3",
                 Dataset.from_rows([[0], [1], [2]], [[1, 0, 2], [0, 1, 1], [2, "1/2", 0]]),
                 smoolu, widths=(1, 3, 3), claims=("rem-4.2",), note="ℓ = 3 outputs"),
    ]
