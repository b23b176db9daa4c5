"""The built-in instances that ``symland verify`` runs when given no data.

Small enough to be decided exactly in seconds, chosen to exercise every route: smooLU (values in
Q[e^Q], tier symbolic) with p = 1, 2, 3 and d = 3 … 6, the rectified cube (rational values, tier
exact) with one and two hidden layers, and rows whose expected verdict is not ``proved``.
"""

from __future__ import annotations

from symland.activations import get_activation
from symland.data import Dataset

from proofs_check.instance import Instance

__all__ = ["default_instances"]

BASIC = ("lem-3.3", "thm-2.1", "prop-2.3", "thm-4.1")


def default_instances() -> list[Instance]:
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
        Instance("smoolu-l3",
                 Dataset.from_rows([[0], [1], [2]], [[1, 0, 2], [0, 1, 1], [2, "1/2", 0]]),
                 smoolu, widths=(1, 3, 3), claims=("rem-4.2",), note="ℓ = 3 outputs"),
    ]
