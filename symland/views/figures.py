"""The figures, each a pyplot-free matplotlib Figure drawn in float64 from exact objects: M for one hidden unit, a
loss slice, L along tangent and normal directions, the Hessian spectrum, the fitted function (see
:mod:`symland.views.plots` for the list).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from symland.views.canvas import new_figure
from symland.views.floats import _vector, float_sigma, loss_function, network_function, to_float
from symland.views.spectrum import hessian_spectrum, spectrum_figure

__all__ = ["manifold_figure", "loss_slice_figure", "directions_figure", "spectrum_figure", "hessian_spectrum",
           "fit_figure"]  # the spectrum figure lives in symland.views.spectrum

_FONT = 11


_figure = new_figure


def _invert(sigma, target, lo=0.0, hi=1.0):
    """t > 0 with σ(t) = target (σ increasing on (0, ∞)), elementwise by bisection."""
    target = np.asarray(target, dtype=float)
    hi = np.full_like(target, hi)
    while np.any(sigma(hi) < target):
        hi = np.where(sigma(hi) < target, 2 * hi, hi)
    lo = np.full_like(target, lo)
    for _ in range(80):
        mid = (lo + hi) / 2
        low = sigma(mid) < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return (lo + hi) / 2


def _lin(x: float) -> str:
    return "w" if x == 1 else "-w" if x == -1 else f"{x:g}w"


def manifold_figure(activation, x: Sequence, y: Sequence, *, w_range=(-2.0, 3.0), b_range=(-2.0, 2.0),
                    v_max: float = 6.0, points: Sequence = (), title: str | None = None):
    """M for f(x) = v·σ(w·x − b) (one hidden unit, p = 1, no output bias: n = 3) in (w, b, v)-space.

    M = {v·σ(w·x_i − b) = y_i for every i}. With d = 1 it is the surface v = y₁/σ(w·x₁ − b) over
    the half-plane w·x₁ − b > 0 (for y₁ ≠ 0); with d = 2 the curve on which σ(w·x₂ − b)/σ(w·x₁ − b)
    = y₂/y₁, traced by u = w·x₁ − b > 0 (needs y₁, y₂ > 0 and x₁ ≠ x₂). ``points`` are (w, b, v)
    triples to mark (e.g. exact points of M). Heights are clipped to |v| ≤ ``v_max``.
    """
    xs, ys = [to_float(v) for v in x], [to_float(v) for v in y]
    if len(xs) not in (1, 2) or len(ys) != len(xs):
        raise ValueError(f"manifold_figure draws d = 1 or d = 2 data points, got x = {x!r}, y = {y!r}")
    sigma = float_sigma(activation)
    fig = _figure(6.4, 5.2)
    ax = fig.add_subplot(projection="3d")
    if len(xs) == 1:
        if xs[0] == 0 or ys[0] == 0:
            raise ValueError("the d = 1 surface is drawn for x₁ ≠ 0 and y₁ ≠ 0")
        # parameterise by u = w·x₁ − b > 0 (the pre-activation) and b: v = y₁/σ(u) is then smooth
        u_min = float(_invert(sigma, abs(ys[0]) / v_max))
        U, B = np.meshgrid(np.geomspace(u_min, u_min + (w_range[1] - w_range[0]) * abs(xs[0]), 90),
                           np.linspace(*b_range, 60))
        W = (U + B) / xs[0]
        V = ys[0] / sigma(U)
        W = np.where((W >= w_range[0]) & (W <= w_range[1]), W, np.nan)
        ax.plot_surface(W, B, V, cmap="viridis", rstride=1, cstride=1, linewidth=0, alpha=0.8)
        what = f"the surface $v\\,\\sigma({_lin(xs[0])}-b)={ys[0]:g}$: dim $M$ = n − d = 2"
    else:
        (x1, x2), (y1, y2) = xs, ys
        if not (y1 > 0 and y2 > 0 and x1 != x2):
            raise ValueError("the d = 2 curve is drawn for y₁, y₂ > 0 and x₁ ≠ x₂")
        u = np.geomspace(1e-2, 50, 4000)
        u2 = _invert(sigma, (y2 / y1) * sigma(u))
        w = (u2 - u) / (x2 - x1)
        b = w * x1 - u
        v = y1 / sigma(u)
        keep = (np.abs(v) <= v_max) & (w >= w_range[0]) & (w <= w_range[1]) & (b >= b_range[0]) & (b <= b_range[1])
        w, b, v = (np.where(keep, c, np.nan) for c in (w, b, v))
        ax.plot(w, b, v, color="tab:blue", linewidth=2.5, label="$M$ (a curve)")
        what = "curve: dim $M$ = n − d = 1"
    for P in points:
        ax.scatter(*[[to_float(c)] for c in P], color="tab:red", s=40, depthshade=False, label="exact point of $M$")
    ax.set_xlim(*w_range)
    ax.set_ylim(*b_range)
    ax.set_zlim(-v_max if min(ys) < 0 else 0, v_max)
    ax.set_xlabel("$w$", fontsize=_FONT)
    ax.set_ylabel("$b$", fontsize=_FONT)
    ax.set_zlabel("$v$", fontsize=_FONT)
    ax.set_title(title or f"$M$ for $f(x) = v\\,\\sigma(wx-b)$, σ = {activation.name}, d = {len(xs)}\n{what}",
                 fontsize=_FONT)
    if points or len(xs) == 2:
        ax.legend(loc="upper left", fontsize=9)
    return fig


def loss_slice_figure(problem, point, axes: tuple[str, str], ranges, *, curves: Iterable = (),
                      resolution: int = 161, title: str | None = None, floor: float = 1e-8):
    """log₁₀ L on the plane through `point` in which the two named parameters vary.

    ``ranges`` gives ((lo, hi), (lo, hi)) for the two parameters; ``curves`` are (xs, ys) arrays —
    e.g. M's trace on the plane from the exact equations — drawn on top. L is clipped below at
    ``floor`` so that M shows as the darkest valley.
    """
    net = problem.network
    base = _vector(net, point)
    i, j = (net.index[a] for a in axes)
    S, T = np.meshgrid(np.linspace(*ranges[0], resolution), np.linspace(*ranges[1], resolution))
    P = np.broadcast_to(base, S.shape + base.shape).copy()
    P[..., i], P[..., j] = S, T
    Z = np.log10(np.maximum(loss_function(problem)(P), floor))
    fig = _figure(6.0, 4.6)
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(S, T, Z, cmap="magma", shading="auto")
    fig.colorbar(mesh, ax=ax, label="$\\log_{10} L$ (float64)")
    ax.contour(S, T, Z, levels=8, colors="white", linewidths=0.5, alpha=0.6)
    for k, (cx, cy) in enumerate(curves):
        ax.plot(cx, cy, color="cyan", linewidth=2, linestyle="--", label="$M$ (exact equation)" if k == 0 else None)
    ax.plot([base[i]], [base[j]], "o", color="cyan", markeredgecolor="black", markersize=8, label="the point")
    ax.set_xlim(*ranges[0])
    ax.set_ylim(*ranges[1])
    ax.set_xlabel(axes[0], fontsize=_FONT)
    ax.set_ylabel(axes[1], fontsize=_FONT)
    others = ", ".join(f"{n} = {base[k]:g}" for k, n in enumerate(net.param_names()) if k not in (i, j))
    ax.set_title(title or f"loss on a slice, float64 ({others})", fontsize=_FONT)
    ax.legend(loc="upper right", fontsize=9)
    return fig


# -- Proposition 2.3: tangent vs normal directions ---------------------------------------------------
def directions_figure(problem, point, tangent: Sequence, normal: Sequence, *, t_max: float = 1.0,
                      title: str | None = None):
    """L(m + t·v) for tangent vectors v ∈ ker J_H(m) and normal vectors v (rows of J_H(m)).

    Left: each curve on [−t_max, t_max] divided by its maximum there, to compare shapes. Right:
    log–log in |t|, with the reference slopes t² and t⁴: along a normal direction L ≈ t²|J v|², along a tangent one L =
    O(t⁴) (flat to second order).
    Directions are normalised to unit length (in floating point).
    """
    m = _vector(problem.network, point)
    L = loss_function(problem)
    fig = _figure(10.0, 4.2)
    lin, log = fig.subplots(1, 2)
    t = np.linspace(-t_max, t_max, 401)
    tl = np.geomspace(t_max * 1e-3, t_max, 200)
    colours = {"tangent": "tab:blue", "normal": "tab:orange"}
    for kind, dirs in (("tangent", tangent), ("normal", normal)):
        for k, v in enumerate(dirs):
            v = np.array([to_float(c) for c in v])
            v = v / np.linalg.norm(v)
            label = f"{kind} direction" + ("s" if len(dirs) > 1 else "") if k == 0 else None
            style = dict(color=colours[kind], alpha=0.9 if k == 0 else 0.5, linewidth=1.6)
            vals = L(m + t[:, None] * v)
            lin.plot(t, vals / (vals.max() or 1.0), label=label, **style)
            log.loglog(tl, np.maximum(L(m + tl[:, None] * v), 1e-300), label=label, **style)
    scale = L(m + t_max * np.eye(len(m))[0]) or 1.0
    log.loglog(tl, scale * (tl / t_max) ** 2, "k:", linewidth=1, label="slope 2 ($t^2$)")
    log.loglog(tl, scale * (tl / t_max) ** 4, "k--", linewidth=1, label="slope 4 ($t^4$)")
    lin.set_xlabel("$t$", fontsize=_FONT)
    lin.set_ylabel("$L(m + t\\,v)$ / its maximum on the window (float64)", fontsize=_FONT)
    lin.set_title("shape: flat bottom (tangent) vs parabola (normal)", fontsize=_FONT)
    log.set_xlabel("$|t|$", fontsize=_FONT)
    log.set_ylabel("$L(m + t\\,v)$ (float64)", fontsize=_FONT)
    log.set_title("log–log: normal ~ $t^2$, tangent ~ $t^4$", fontsize=_FONT)
    log.set_ylim(bottom=max(1e-30, log.get_ylim()[0]))
    lin.legend(fontsize=9)
    log.legend(fontsize=8, loc="lower right")
    fig.suptitle(title or "loss along tangent and normal directions at $m \\in M$", fontsize=_FONT + 1)
    return fig


# -- Section 3: the fitted function --------------------------------------------------------------------
def fit_figure(interpolant, data, *, title: str | None = None, units: bool | None = None):
    """The constructed network's f through the data, as a function of t = a·x.

    For the networks of Lemma 3.3 and Corollary 3.4 every first-layer row is a multiple of a, so f
    depends on x only through t = a·x; it is drawn along x(t) = t·a/|a|², the data at (a·x_i, y_i).
    With one hidden layer the units' contributions m_j σ(t − b_j) are drawn dashed and the
    midpoint biases b_j dotted (``units``; default when d ≤ 8).
    """
    net, params = interpolant.network, interpolant.params
    a = np.array([to_float(v) for v in interpolant.a])
    W1 = np.array([[to_float(v) for v in row] for row in net.split(list(params))[0][0]])
    if np.linalg.matrix_rank(np.vstack([W1, a]), tol=1e-12) > 1:
        raise ValueError("fit_figure needs first-layer rows parallel to a (the Lemma 3.3 / Corollary 3.4 networks)")
    X = np.array([[to_float(v) for v in row] for row in data.X])
    Y = np.array([[to_float(v) for v in row] for row in data.Y])
    proj = X @ a
    pad = max(1.0, 0.15 * (proj.max() - proj.min()))
    t = np.linspace(proj.min() - pad, proj.max() + pad, 800)
    f = network_function(net, params)(np.outer(t, a / (a @ a)))
    fig = _figure(7.0, 4.4)
    ax = fig.add_subplot()
    for c in range(f.shape[1]):
        lab = "$f(x)$" if f.shape[1] == 1 else f"$f(x)_{c + 1}$"
        ax.plot(t, f[:, c], linewidth=2, label=lab + " (constructed network)")
        ax.plot(proj, Y[:, c], "o", color="black", markersize=6, zorder=3,
                label="data $(a\\cdot x_i, y_i)$" if c == 0 else None)
    units = (data.d <= 8) if units is None else units
    if units and net.depth == 1 and net.l == 1:
        sigma = float_sigma(net.activation)
        b = [to_float(v) for v in interpolant.biases]
        for j, (mj, bj) in enumerate(zip(interpolant.m, b)):
            ax.plot(t, to_float(mj) * sigma(t - bj), "--", linewidth=1, alpha=0.7,
                    label="units $m_j\\sigma(t-b_j)$" if j == 0 else None)
            ax.axvline(bj, color="gray", linestyle=":", linewidth=1, label="midpoints $b_j$" if j == 0 else None)
    lo, hi = Y.min(), Y.max()
    if np.nanmax(np.abs(f)) > 20 * (max(abs(lo), abs(hi)) + 1):  # large excursions: symmetric log scale
        lin = max(1.0, hi - lo)
        ax.set_yscale("symlog", linthresh=lin)
        e0, e1 = math.ceil(np.log10(lin)), math.ceil(np.log10(np.nanmax(np.abs(f))))
        ups = [10.0**e for e in range(e0, e1 + 1, max(1, math.ceil((e1 - e0) / 4)))]
        ax.set_yticks([-u for u in reversed(ups)] + [0.0] + ups)  # at most ~11 labelled ticks
        ax.axhspan(-max(1.0, hi - lo), max(1.0, hi - lo), color="gray", alpha=0.06)
        ax.set_ylabel("$f$ (symlog; linear in the band)", fontsize=_FONT)
    else:
        ax.set_ylim(lo - 0.6 * (hi - lo + 1), hi + 0.6 * (hi - lo + 1))
        ax.set_ylabel("$f$", fontsize=_FONT)
    a_text = "" if data.p == 1 and a[0] == 1 else f",  a = ({', '.join(f'{v:g}' for v in a)})"
    ax.set_xlabel("$t = a\\cdot x$" + a_text, fontsize=_FONT)
    depth = "Lemma 3.3" if net.depth == 1 else f"Corollary 3.4 (T = {net.depth}, corrected)"
    ax.set_title(title or f"{depth}: the constructed network interpolates, σ = {net.activation.name}",
                 fontsize=_FONT)
    ax.legend(fontsize=9, loc="best")
    return fig
