"""The names of the built-in activations, without building them: the command line's help lists them before any
σ is made (building one imports sympy; measured start-up cost, benchmarks/bench_startup.py).

:data:`symland.sigma.builtin.ACTIVATIONS` holds the functions under exactly these names, in this order (a test
checks it).
"""

from __future__ import annotations

__all__ = ["BUILTIN", "TEMPLATES", "names"]

BUILTIN = ("smoolu", "relu", "softplus", "tanh", "sigmoid", "tanh_trunc", "sigmoid_trunc", "square", "identity")
TEMPLATES = ("rectpow<k>", "relu_after<c>", "poly:<c0>,<c1>,...")


def names() -> list[str]:
    """The built-in activation names, then the templates of the parametric ones.

    >>> names()[:2], names()[-1]
    (['smoolu', 'relu'], 'poly:<c0>,<c1>,...')
    """
    return [*BUILTIN, *TEMPLATES]
