"""The blank figure every view draws on: a pyplot-free matplotlib Figure (Agg when headless)."""

from __future__ import annotations

import os
import sys

__all__ = ["new_figure"]


def new_figure(width: float = 6.4, height: float = 4.4):
    """A pyplot-free Figure with constrained layout (the Agg canvas when no display and no backend was chosen).

    matplotlib is imported here, on the first figure: it is an optional extra (``notebooks``), not a dependency.
    """
    import matplotlib

    headless = not os.environ.get("DISPLAY") and "MPLBACKEND" not in os.environ
    if headless and "ipykernel" not in sys.modules and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")
