"""Each figure of symland.plots is a matplotlib Figure with the expected axes and artists."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib not installed: pip install '.[notebooks]'")

from flint import fmpq  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from symland import Dataset, Problem, RationalKind, get_activation, lemma_3_3, mlp, plots, prove_rank  # noqa: E402

CUBE = get_activation("rectpow3")
DATA = Dataset.from_rows([[0], [1], [3]], [1, -1, 2])


@pytest.fixture(scope="module")
def constructed():
    it = lemma_3_3(DATA, CUBE, RationalKind())
    prob = Problem(it.network, DATA)
    vals = prob.at(it.params)
    return it, prob, vals


def test_float_views_agree_with_exact_values(constructed):
    it, prob, vals = constructed
    f = plots.network_function(it.network, it.params)
    X = np.array([[0.0], [1.0], [3.0]])
    assert np.allclose(f(X)[:, 0], [1.0, -1.0, 2.0])
    assert plots.loss_function(prob)(np.array([plots.to_float(v) for v in it.params])) == pytest.approx(0, abs=1e-9)
    assert plots.to_float("3/4") == 0.75 and plots.to_float(fmpq(1, 8)) == 0.125


def test_manifold_figure_is_a_surface_for_one_point_and_a_curve_for_two():
    surf = plots.manifold_figure(CUBE, [1], [1], points=[(1, 0, 1)])
    assert isinstance(surf, Figure) and len(surf.axes) == 1
    assert len(surf.axes[0].collections) == 2  # the surface and the marked point
    curve = plots.manifold_figure(CUBE, [1, 2], [1, 8])
    assert len(curve.axes) == 1 and len(curve.axes[0].lines) == 1 and len(curve.axes[0].collections) == 0
    with pytest.raises(ValueError):
        plots.manifold_figure(CUBE, [1, 2, 3], [1, 2, 3])


def test_loss_slice_figure_has_heat_map_colour_bar_and_curves():
    prob = Problem(mlp((1, 1, 1), CUBE), Dataset.from_rows([[1], [2]], [1, 8]))
    w = np.linspace(0.5, 3, 50)
    fig = plots.loss_slice_figure(prob, ["1", "0", "1", "0"], ("W1_0_0", "W2_0_0"), ((0.2, 3), (-1, 3)),
                                  curves=[(w, 1 / w**3)], resolution=41)
    assert isinstance(fig, Figure) and len(fig.axes) == 2  # the heat map and its colour bar
    assert len(fig.axes[0].lines) == 2  # M's trace and the point


def test_directions_figure_has_two_panels_with_one_line_per_direction(constructed):
    it, prob, vals = constructed
    kernel = prove_rank(vals.kind, vals.J, want_kernel=True).kernel
    fig = plots.directions_figure(prob, it.params, kernel[:2], vals.J, t_max=0.1)
    lin, log = fig.axes
    assert len(fig.axes) == 2 and len(lin.lines) == 2 + 3 and len(log.lines) == 2 + 3 + 2  # + slopes 2 and 4


def test_spectrum_figure_splits_positive_from_numerically_zero(constructed):
    it, prob, vals = constructed
    ev = plots.hessian_spectrum(vals.J)
    fig = plots.spectrum_figure(ev, 3)
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and sum(len(c.get_offsets()) for c in ax.collections) == 10  # every eigenvalue
    labels = ax.get_legend_handles_labels()[1]
    assert any(lab.startswith("λ > tol: 3 positive") for lab in labels)
    assert any(lab.startswith("|λ| ≤ tol: 7 numerically zero") for lab in labels)


def test_fit_figure_draws_the_function_the_data_and_the_units(constructed):
    it, _, _ = constructed
    fig = plots.fit_figure(it, DATA)
    ax = fig.axes[0]
    assert len(fig.axes) == 1
    assert len(ax.lines) == 2 + 2 * DATA.d  # f, the data, and per unit its curve and its bias line


def test_write_verify_figures_writes_a_fit_and_a_spectrum_per_instance(tmp_path):
    from proofs_check import Instance, check

    inst = Instance("three", DATA, CUBE)
    cert = check("lem-3.3", inst)
    paths = plots.write_verify_figures([cert, inst], tmp_path / "figs")
    assert [p.name for p in paths] == ["three-fit.png", "three-spectrum.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in paths)


def test_symland_verify_plot_writes_the_figures_as_png(tmp_path, capsys):
    from proofs_check.cli import main

    csv = tmp_path / "three.csv"
    csv.write_text("x1,y\n0,1\n1,-1\n3,2\n")
    assert main(["verify", "--data", str(csv), "--activation", "rectpow3", "--claim", "lem-3.3",
                 "--quiet", "--plot", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["three-fit.png", "three-spectrum.png"]
    assert "wrote 2 figures" in capsys.readouterr().err
