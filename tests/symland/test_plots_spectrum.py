"""The spectrum figure tells the truth: every eigenvalue drawn (negative ones too), the matrix named, float64 said,
the certified inertia beside the float picture, and a warning where float64 cannot resolve the point."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib", reason="matplotlib not installed: pip install '.[notebooks]'")

from symland import Dataset, Problem, RationalKind, analyse, get_activation, lemma_3_3, mlp, plots  # noqa: E402
from symland.views.spectrum import float64_warnings, float_picture  # noqa: E402

CUBE = get_activation("rectpow3")


def _drawn(fig) -> np.ndarray:
    """The y-values of every point the figure's scatter artists hold."""
    ax = fig.axes[0]
    return np.concatenate([c.get_offsets()[:, 1] for c in ax.collections if len(c.get_offsets())])


def _texts(fig) -> str:
    """Every text the figure renders (titles, labels, boxes, the warning line below the axes)."""
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def test_every_eigenvalue_is_drawn_negative_ones_included():
    lam = [-3.0, -1e-3, -1e-20, 0.0, 0.0, 1e-19, 2.0, 5e8]
    fig = plots.spectrum_figure(lam, 2, tol=1e-10)
    drawn = np.sort(_drawn(fig))
    assert drawn.size == 8 and np.array_equal(drawn, np.sort(lam))
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == ["λ > tol: 2 positive (d = 2)", "|λ| ≤ tol: 4 numerically zero (2 exactly 0.0)",
                      "λ < −tol: 2 negative"]
    assert fig.axes[0].get_yscale() == "symlog"
    assert float_picture(lam, 1e-10) == (2, 2, 4)


def test_the_labels_name_the_matrix_and_float64():
    full = plots.spectrum_figure([-1.0, 0.0, 1.0], 1, matrix="full")
    gn = plots.spectrum_figure([0.0, 0.0, 1.0], 1)
    assert "Hess L (full)" in full.axes[0].get_ylabel() and "float64" in full.axes[0].get_ylabel()
    assert "residual term included" in _texts(full) and "2JᵀJ" not in full.axes[0].get_title()
    assert "2JᵀJ (Gauss–Newton)" in gn.axes[0].get_ylabel() and "float64" in gn.axes[0].get_title()


def test_a_point_off_M_shows_its_negative_eigenvalues_beside_the_proved_inertia():
    net = mlp((1, 3, 1), CUBE)
    prob = Problem(net, Dataset.from_rows([[0], [1], [3]], [1, -1, 2]))
    point = dict(zip(net.param_names(), ["1", "-1", "2", "-1/2", "1/2", "1", "3", "-2", "1", "0"]))
    pa = analyse(prob, point, tier="exact", spectrum=True)
    assert pa.status == "off-M" and pa.inertia == (5, 2, 3) and pa.strength == "proved"
    fig = plots.analysis_spectrum_figure(pa)
    assert _drawn(fig).size == 10 and int(np.sum(_drawn(fig) < -pa.spectrum_tolerance)) == 2
    assert "Hess L (full)" in fig.axes[0].get_ylabel()
    text = _texts(fig)
    assert "proved inertia (n₊, n₋, n₀) = (5, 2, 3)" in text and "float64 picture (n₊, n₋, n₀) = (5, 2, 3)" in text
    assert fig.symland_warnings == []
    from symland.point.landscape import landscape_at

    rep = landscape_at(prob, point, tier="exact", spectrum=True)  # the view inspect prints: the same figure
    same = plots.analysis_spectrum_figure(rep)
    assert np.array_equal(_drawn(same), _drawn(fig)) and "proved inertia (n₊, n₋, n₀) = (5, 2, 3)" in _texts(same)


def test_weights_near_1e22_carry_the_float64_warning():
    data = Dataset.from_rows([[0], ["1/10000000"], ["2/10000000"]], [1, -1, 2])
    it = lemma_3_3(data, CUBE, RationalKind())
    assert max(abs(float(v)) for v in it.params) > 1e21
    prob = Problem(it.network, data)
    pa = analyse(prob, None, tier="exact")
    assert pa.inertia == (3, 0, 7) and pa.strength == "proved"
    lam = plots.hessian_spectrum(prob.at(it.params).J)
    assert float_picture(lam) == (2, 0, 8)  # float64 sees 2 positive eigenvalues, the proof 3
    fig = plots.spectrum_figure(lam, 3, inertia=pa.inertia, inertia_label="proved")
    assert _drawn(fig).size == 10
    assert len(fig.symland_warnings) == 1
    want = "float64 picture (n₊, n₋, n₀) = (2, 0, 8) contradicts the certified inertia (3, 0, 7)"
    assert want in fig.symland_warnings[0] and "lies above 1 of the 3 eigenvalues certified nonzero" in \
        fig.symland_warnings[0]
    assert "⚠ float64 cannot resolve this point" in _texts(fig)
    assert float64_warnings(lam, inertia=pa.inertia) == fig.symland_warnings


def test_no_float64_picture_is_a_figure_that_says_so():
    fig = plots.unresolved_figure("J_H(m) is beyond float64's range", inertia=(3, 0, 7), inertia_label="proved")
    text = "\n".join(t.get_text() for t in fig.axes[0].texts)
    assert "float64 cannot resolve this point: J_H(m) is beyond float64's range" in text
    assert "proved inertia (n₊, n₋, n₀) = (3, 0, 7)" in text
    with pytest.raises(ValueError, match="NaN or ±inf"):
        plots.spectrum_figure([1.0, float("nan")], 1)


def test_values_at_the_end_of_float64s_range_are_a_warning():
    assert float64_warnings([0.0, 1e305])[0].startswith("float64 cannot resolve this point: |λ| reaches 1.0e+305")


def test_verify_plot_says_in_words_when_float64_contradicts_the_constructed_points_inertia(tmp_path, capsys):
    from proofs_check.cli import main

    csv = tmp_path / "huge.csv"
    csv.write_text("x,y\n0,1\n1/10000000,-1\n2/10000000,2\n")
    assert main(["verify", "--data", str(csv), "--activation", "rectpow3", "--claim", "lem-3.3", "--quiet",
                 "--plot", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "symland: wrote 2 figures to " + str(tmp_path / "out") in err
    warn = [line for line in err if line.startswith("symland: warning: huge-spectrum.png: float64 cannot resolve")]
    assert len(warn) == 1 and warn[0].endswith("the float64 picture (n₊, n₋, n₀) = (2, 0, 8) contradicts the "
                                               "certified inertia (3, 0, 7)")
