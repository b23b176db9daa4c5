"""The Hessian spectrum figure: every float64 eigenvalue, its sign, the matrix it belongs to, and the certified
inertia beside it.

The figure is float64 evidence, never a verdict. What it must not do is mislead: every eigenvalue is drawn (a
symmetric-log axis carries negative, zero and positive values alike, log |λ| with its sign beyond the linear band
|λ| ≤ tol), the matrix is named (the full Hess L = 2J_HᵀJ_H + 2Σ f_r Hess f_r, or its Gauss–Newton part 2J_HᵀJ_H,
which equals Hess L only on M), the certified inertia (n₊, n₋, n₀) is written beside the float picture when a
certificate gives it, and :func:`float64_warnings` says when float64 cannot resolve the point — the float picture
contradicts the certified inertia (the tolerance n·ε·max|λ| lies above eigenvalues certified nonzero), or the values
approach the end of float64's range.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np

from symland.views.canvas import new_figure
from symland.views.floats import to_float

__all__ = ["MATRICES", "hessian_spectrum", "float_picture", "float64_warnings", "spectrum_figure",
           "unresolved_figure", "analysis_spectrum_figure"]

_FONT = 11

#: The matrices a spectrum can be of, as the figure names them.
MATRICES = {
    "full": "the full Hess L = 2JᵀJ + 2Σ f_r Hess f_r (residual term included)",
    "gauss-newton": "2JᵀJ, the Gauss–Newton part of Hess L (= Hess L on M)",
}
_SHORT = {"full": "Hess L (full)", "gauss-newton": "2JᵀJ (Gauss–Newton)"}
NEAR_RANGE = 1e300  # |λ| beyond this: at the end of float64's range (about 1.8e308)


def hessian_spectrum(J) -> np.ndarray:
    """Eigenvalues of 2 JᵀJ (the Gauss–Newton part of Hess L) in float64, ascending, from an exact or float J."""
    A = np.array([[to_float(v) for v in row] for row in J], dtype=float)
    return np.linalg.eigvalsh(2 * A.T @ A)


def _sorted(eigenvalues) -> np.ndarray:
    lam = np.sort(np.asarray(eigenvalues, dtype=float).ravel())
    if not np.all(np.isfinite(lam)):
        raise ValueError("spectrum_figure: eigenvalues that are NaN or ±inf are not drawn (beyond float64's range); "
                         "draw unresolved_figure(reason) instead")
    return lam


def _tol(lam: np.ndarray, tol: float | None) -> float:
    if tol is not None:
        return float(tol)
    top = float(np.abs(lam).max()) if lam.size else 0.0
    return lam.size * float(np.finfo(float).eps) * top


def float_picture(eigenvalues, tol: float | None = None) -> tuple[int, int, int]:
    """(#λ > tol, #λ < −tol, #|λ| ≤ tol): the float64 counts in Sylvester's order; tol defaults to n·ε·max|λ|."""
    lam = _sorted(eigenvalues)
    t = _tol(lam, tol)
    return int(np.sum(lam > t)), int(np.sum(lam < -t)), int(np.sum(np.abs(lam) <= t))


def float64_warnings(eigenvalues, tol: float | None = None, inertia: Sequence | None = None) -> list[str]:
    """Why float64 cannot resolve this spectrum (empty when nothing is seen): the float picture against the
    certified ``inertia`` (n₊, n₋, n₀) of the same matrix, and values at the end of float64's range.

    >>> float64_warnings([-1e-9, 0.0, 2.0], tol=1e-8, inertia=(1, 0, 2))
    []
    >>> float64_warnings([0.0, 0.0, 2.0], tol=1e-8, inertia=(2, 0, 1))[0][:40]
    'float64 cannot resolve this point: the t'
    """
    lam = _sorted(eigenvalues)
    t = _tol(lam, tol)
    out = []
    if lam.size and float(np.abs(lam).max()) > NEAR_RANGE:
        out.append(f"float64 cannot resolve this point: |λ| reaches {float(np.abs(lam).max()):.1e}, at the end of "
                   "float64's range (about 1.8e308)")
    if inertia is not None:
        got = float_picture(lam, t)
        want = tuple(int(v) for v in inertia)
        if got != want:
            nonzero = want[0] + want[1]
            hidden = nonzero - (got[0] + got[1])
            why = (f"the tolerance {t:.2e} lies above {hidden} of the {nonzero} eigenvalues certified nonzero"
                   if hidden > 0 else "rounding moves eigenvalues across the tolerance")
            out.append(f"float64 cannot resolve this point: {why}; the float64 picture (n₊, n₋, n₀) = {got} "
                       f"contradicts the certified inertia {want}")
    return out


def spectrum_figure(eigenvalues, d: int, *, tol: float | None = None, title: str | None = None,
                    matrix: str = "gauss-newton", inertia: Sequence | None = None, inertia_label: str = "certified",
                    notes: Sequence[str] = ()):
    """Every eigenvalue λ_1 ≤ … ≤ λ_n against its index, on a symmetric-log axis (linear for |λ| ≤ tol, log |λ| with
    its sign beyond), coloured positive / numerically zero / negative; the gap written in decades.

    Args:
        eigenvalues: float64 eigenvalues (finite; NaN/±inf raise ValueError: draw :func:`unresolved_figure`).
        d: the number of positive eigenvalues on M (dℓ), for the legend.
        tol: |λ| ≤ tol counts as numerically zero; default n·ε·max|λ|.
        matrix: ``"full"`` (Hess L with the residual term), ``"gauss-newton"`` (2JᵀJ) or a name of your own.
        inertia: the certified (or proved) inertia (n₊, n₋, n₀) of the same matrix, written beside the float
            picture; a disagreement is a float64 warning on the figure (:func:`float64_warnings`).
        inertia_label: how the inertia was established (e.g. "proved", "prop-2.3 certified").
        notes: more lines for the figure's text box (e.g. why the point is beyond float64).
    """
    lam = _sorted(eigenvalues)
    n = lam.size
    t = _tol(lam, tol)
    pos, neg, zero = lam > t, lam < -t, np.abs(lam) <= t
    name = MATRICES.get(matrix, matrix)
    short = _SHORT.get(matrix, matrix)
    fig = new_figure(7.6, 4.6)
    ax = fig.add_subplot()
    k = np.arange(1, n + 1)
    exact0 = int(np.sum(lam == 0))
    zlabel = f"|λ| ≤ tol: {int(zero.sum())} numerically zero"
    if exact0:
        zlabel += f" ({exact0} exactly 0.0)"
    groups = ((pos, "tab:green", f"λ > tol: {int(pos.sum())} positive (d = {d})"),
              (zero, "tab:gray", zlabel), (neg, "tab:red", f"λ < −tol: {int(neg.sum())} negative"))
    for mask, colour, label in groups:
        ax.scatter(k[mask], lam[mask], s=14 if n <= 400 else 5, color=colour, label=label, zorder=3)
    lin = t if t > 0 else (float(np.abs(lam[lam != 0]).min()) if np.any(lam != 0) else 1.0)
    ax.set_yscale("symlog", linthresh=lin)
    ax.axhspan(-lin, lin, color="tab:gray", alpha=0.12, zorder=1)
    ax.axhline(0, color="black", linewidth=0.6, zorder=2)
    top = float(np.abs(lam).max()) if n else 1.0
    ax.set_ylim(-max(top, lin) * 30, max(top, lin) * 30)
    e0, e1 = math.ceil(math.log10(lin)), math.ceil(math.log10(max(top, lin)))
    ups = [10.0**e for e in range(e0, e1 + 1, max(1, math.ceil((e1 - e0) / 4)))]
    ax.set_yticks([-u for u in reversed(ups)] + [0.0] + ups)  # at most ~11 labelled ticks
    ax.set_xlim(0, n + 1)
    ax.set_xlabel("index k (eigenvalues in ascending order)", fontsize=_FONT)
    ax.set_ylabel(f"λ_k of {short}, float64\n(symlog: linear in |λ| ≤ tol = {t:.1e})", fontsize=_FONT - 1)
    ax.set_title(title or f"spectrum of {short} (float64, numerical), n = {n}, d = {d}", fontsize=_FONT)
    picture = (int(pos.sum()), int(neg.sum()), int(zero.sum()))
    lines = [f"matrix: {name}", f"float64 picture (n₊, n₋, n₀) = {picture}, tol = {t:.1e}"]
    if pos.any() and zero.any() and np.abs(lam[zero]).max() > 0:
        lines.append(f"gap: {math.log10(lam[pos].min() / np.abs(lam[zero]).max()):.1f} decades "
                     "(smallest λ > tol over largest |λ| ≤ tol)")
    if inertia is not None:
        lines.append(f"{inertia_label} inertia (n₊, n₋, n₀) = {tuple(int(v) for v in inertia)}")
    lines += list(notes)
    warnings = float64_warnings(lam, t, inertia)
    ax.text(0.01, 0.99, "\n".join(lines), transform=ax.transAxes, va="top", ha="left", fontsize=8,
            bbox=dict(boxstyle="round", facecolor="white", alpha=0.7), zorder=2)  # the points stay on top
    if warnings:  # below the axes (the layout makes room), never over the points
        fig.supxlabel("\n".join("⚠ " + _wrap(w, 110) for w in warnings), color="tab:red", fontsize=8)
    ax.legend(fontsize=8, loc="lower right")
    fig.symland_warnings = warnings  # the same sentences, for the text of the command that drew it
    return fig


def _wrap(text: str, width: int = 95) -> str:
    return "\n".join(textwrap.wrap(text, width))


def unresolved_figure(reason: str, *, title: str | None = None, inertia: Sequence | None = None,
                      inertia_label: str = "certified", matrix: str = "gauss-newton"):
    """A figure that says no float64 spectrum exists (e.g. values beyond float64's range), with the certified
    inertia when there is one: the figure a command writes instead of a picture of NaN or ±inf."""
    fig = new_figure(7.6, 3.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    lines = [f"matrix: {MATRICES.get(matrix, matrix)}", "⚠ float64 cannot resolve this point: " + reason]
    if inertia is not None:
        lines.append(f"{inertia_label} inertia (n₊, n₋, n₀) = {tuple(int(v) for v in inertia)}")
    ax.text(0.02, 0.9, "\n".join(_wrap(x, 90) for x in lines), transform=ax.transAxes, va="top", fontsize=9)
    ax.set_title(title or f"spectrum of {_SHORT.get(matrix, matrix)}: no float64 picture", fontsize=_FONT)
    fig.symland_warnings = [lines[1][2:]]
    return fig


def analysis_spectrum_figure(pa, *, title: str | None = None):
    """The spectrum a :class:`symland.point.PointAnalysis` (``analyse(..., spectrum=True)``) or a
    :class:`symland.point.landscape.PointReport` (``landscape_at``) holds, beside its inertia when decided; the matrix
    is the full Hess L when the analysis built it (Hess f_r), else 2JᵀJ (the float route on M)."""
    n = pa.n
    if hasattr(pa, "values"):  # a PointAnalysis
        d, full = len(pa.residual), getattr(pa.values, "hess_f", None) is not None
    else:  # a PointReport
        d, full = len(pa.H), pa.hessian is not None
    matrix = "full" if full else "gauss-newton"
    strength = pa.inertia_witness.get("strength", pa.strength)
    where = getattr(pa, "source", "") or getattr(pa, "origin", "") or "the point"
    if pa.spectrum is None:
        why = getattr(pa, "parts", {}).get("spectrum", "no spectrum was computed (ask for spectrum=True)")
        return unresolved_figure(why, title=title, inertia=pa.inertia, inertia_label=strength, matrix=matrix)
    return spectrum_figure(pa.spectrum, d, tol=pa.spectrum_tolerance, matrix=matrix, inertia=pa.inertia,
                           inertia_label=strength, title=title or f"{where}: spectrum of {_SHORT[matrix]} (float64, "
                           f"numerical), n = {n}")
