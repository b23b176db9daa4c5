"""Figures for the notebooks and ``symland verify --plot``: each function returns a matplotlib Figure.

The figures are drawn in floating point from exact objects (a network, exact parameters, exact
data, exact equations); they illustrate, they prove nothing — the certificates do that.

* :func:`manifold_figure` — M for a network with one hidden unit and no output bias,
  f(x) = v·σ(w·x − b), p = 1: a surface in R³ (d = 1) or a curve (d = 2), from the exact equations.
* :func:`loss_slice_figure` — log₁₀ L on a coordinate plane through a point, with M's trace.
* :func:`directions_figure` — L along tangent directions (ker J_H, flat to second order) and
  normal directions (rows of J_H, quadratic), Proposition 2.3.
* :func:`spectrum_figure` — every float64 eigenvalue of Hess L (full) or of 2JᵀJ, negative ones included, on a
  symmetric-log axis, with the certified inertia beside it and a warning where float64 cannot resolve the point
  (:mod:`symland.views.spectrum`; :func:`analysis_spectrum_figure` draws a :class:`~symland.point.PointAnalysis`).
* :func:`fit_figure` — the fitted function through the data (Lemma 3.3, Corollary 3.4).
* :func:`write_verify_figures` — the figures of ``symland verify --plot DIR`` as PNG files.

matplotlib is imported only when a function is called (it is in the ``notebooks`` extra, not a
dependency of symland). Figures are built as :class:`matplotlib.figure.Figure` objects without
pyplot, so no GUI or global figure state is involved; when no display is available and no backend
was chosen, the Agg backend is selected.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from symland.views.figures import (
    directions_figure,
    fit_figure,
    hessian_spectrum,
    loss_slice_figure,
    manifold_figure,
    spectrum_figure,
)
from symland.views.floats import float_sigma, loss_function, network_function, to_float
from symland.views.spectrum import analysis_spectrum_figure, float64_warnings, unresolved_figure

__all__ = ["to_float", "float_sigma", "network_function", "loss_function", "manifold_figure",
           "loss_slice_figure", "directions_figure", "spectrum_figure", "hessian_spectrum", "fit_figure",
           "write_verify_figures", "analysis_spectrum_figure", "float64_warnings", "unresolved_figure"]


def _instances(items) -> list[tuple[str, dict]]:
    """(name, {widths, activation, X, Y}) for each distinct instance among certificates or instances."""
    out, seen = [], set()
    for it in items:
        if hasattr(it, "witness"):  # a certificate
            desc = it.witness.get("instance")
            name = it.instance
            if not isinstance(desc, dict) or "widths" not in desc:
                continue
            desc = {"widths": tuple(desc["widths"]), "activation": desc["activation"],
                    "X": [list(r) for r in desc["X"]], "Y": [list(r) for r in desc["Y"]]}
        else:  # an instance-like object: name, data, activation, network_widths
            if getattr(it, "dag", None) is not None:
                continue
            name = it.name
            desc = {"widths": tuple(it.network_widths), "activation": it.activation,
                    "X": it.data.X, "Y": it.data.Y, "a": getattr(it, "a", None), "gap": getattr(it, "gap", 1)}
        if name not in seen:
            seen.add(name)
            out.append((name, desc))
    return out


def write_verify_figures(items: Iterable, directory, *, max_n: int = 3000, warnings: list | None = None) -> list[Path]:
    """For each instance (from certificates or instances), the constructed network's fit and its
    Hessian spectrum, as PNG files in `directory` (created). Returns the paths written; each float64 warning a
    spectrum figure carries (:func:`float64_warnings`) is appended to ``warnings`` as "file: sentence".

    Instances whose construction fails (a hypothesis fails) or that are too large (n > max_n) are
    skipped: nothing to draw. File names: ``<instance>-fit.png``, ``<instance>-spectrum.png``.
    """
    from symland.constructions.landscape import interpolate
    from symland.errors import SymlandError
    from symland.io.data import Dataset
    from symland.networks.problem import Problem
    from symland.tiers import choose_kind

    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, desc in _instances(items):
        try:
            data = Dataset.from_rows(desc["X"], desc["Y"])
            from symland.sigma.activations import get_activation

            act = desc["activation"]
            sigma = act if not isinstance(act, str) else get_activation(act)
            it = interpolate(data, desc["widths"], sigma, choose_kind(sigma), a=desc.get("a"), gap=desc.get("gap", 1))
            if not (it.lower_triangular and it.diagonal_nonzero) or it.network.n > max_n:
                continue
            vals = Problem(it.network, data).at(it.params, kind=it.kind)
        except (SymlandError, ZeroDivisionError, ValueError):
            continue
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
        fig = fit_figure(it, data, title=f"{name}: the constructed network through the data")
        paths.append(out_dir / f"{safe}-fit.png")
        fig.savefig(paths[-1], dpi=100)
        m = data.d * data.l
        try:
            lam = hessian_spectrum(vals.J)
        except (OverflowError, ValueError, np.linalg.LinAlgError):
            lam = None
        inertia = (m, 0, it.network.n - m)  # on M, rank J_H = dℓ by the construction (A triangular, diagonal ≠ 0)
        how = f"{'certified' if getattr(it.kind, 'inexact', False) else 'proved'} (construction: rank J_H = dℓ on M)"
        head = f"{name}: 2JᵀJ = Hess L at the constructed point m ∈ M, n = {it.network.n} (float64)"
        if lam is None or not np.all(np.isfinite(lam)):
            fig = unresolved_figure("J_H(m) is beyond float64's range", title=head, inertia=inertia,
                                    inertia_label=how)
        else:
            fig = spectrum_figure(lam, m, title=head, inertia=inertia, inertia_label=how)
        paths.append(out_dir / f"{safe}-spectrum.png")
        fig.savefig(paths[-1], dpi=100)
        if warnings is not None:
            warnings.extend(f"{paths[-1].name}: {w}" for w in fig.symland_warnings)
    return paths
