"""``symland certify --plot``: the figures list every eigenvalue, name the matrix, say float64, and carry the
certified inertia at m* — with a warning where float64 cannot resolve the point."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from symland import Dataset, RationalKind, get_activation, lemma_3_3  # noqa: E402
from symland.models import from_arrays  # noqa: E402

from proofs_check.certify_model import certify_figures, certify_model  # noqa: E402
from proofs_check.cli import main  # noqa: E402


def _drawn(fig) -> np.ndarray:
    return np.concatenate([c.get_offsets()[:, 1] for c in fig.axes[0].collections if len(c.get_offsets())])


def _texts(fig) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


def test_figure_at_an_untrained_tanh_model_draws_all_33_eigenvalues_and_its_18_negative_ones(trained):
    layers, data, _ = trained("tanh", seed=1, fit=False)
    rep = certify_model(from_arrays(layers, "tanh", source="toy"), data)
    s = rep.spectrum_at_model
    assert s["what"].startswith("full Hessian") and s["negative"] == 18
    figs = dict(certify_figures(rep))
    fig = figs["spectrum_model.png"]
    lam = _drawn(fig)
    assert lam.size == 33 and int(np.sum(lam < -s["tol"])) == 18
    assert np.array_equal(np.sort(lam), np.sort(s["eigenvalues"]))
    assert "Hess L (full)" in fig.axes[0].get_ylabel() and "float64" in fig.axes[0].get_ylabel()
    assert "in float64" in fig.axes[0].get_title()  # L(m) says which number it is
    assert "λ < −tol: 18 negative" in fig.axes[0].get_legend_handles_labels()[1]


def test_figure_at_m_star_carries_prop_2_3s_certified_inertia(trained):
    layers, data, _ = trained("tanh", seed=1)
    rep = certify_model(from_arrays(layers, "tanh", source="toy"), data)
    assert rep.inertia == [6, 0, 27]
    fig = dict(certify_figures(rep))["spectrum_nearest.png"]
    assert _drawn(fig).size == 33 and "2JᵀJ (Gauss–Newton)" in fig.axes[0].get_ylabel()
    text = _texts(fig)
    assert "prop-2.3 certified inertia (n₊, n₋, n₀) = (6, 0, 27)" in text
    assert "float64 picture (n₊, n₋, n₀) = (6, 0, 27)" in text and fig.symland_warnings == []


def _huge(tmp_path):
    """The Lemma 3.3 point for x = 0, 10⁻⁷, 2·10⁻⁷ and σ = t³ (t > 0): output weights near 10²³."""
    data = Dataset.from_rows([[0], ["1/10000000"], ["2/10000000"]], [1, -1, 2])
    P = [float(v) for v in lemma_3_3(data, get_activation("rectpow3"), RationalKind()).params]
    np.savez(tmp_path / "huge.npz", **{"0.weight": np.array([P[0:3]]).T, "0.bias": -np.array(P[3:6]),
                                       "2.weight": np.array([P[6:9]]), "2.bias": -np.array(P[9:10]),
                                       "activation": np.array("rectpow3")})
    (tmp_path / "huge.csv").write_text("x,y\n0,1\n1e-7,-1\n2e-7,2\n")
    return str(tmp_path / "huge.npz"), str(tmp_path / "huge.csv")


def test_figure_at_weights_near_1e22_warns_that_float64_contradicts_the_proved_inertia(tmp_path, capsys):
    model, data = _huge(tmp_path)
    code = main(["certify", "--model", model, "--data", data, "--max-distance", "1e30", "--plot",
                 str(tmp_path / "fig")])
    out, err = capsys.readouterr()
    assert code == 0 and out.count("proved") >= 2
    assert sorted(p.name for p in (tmp_path / "fig").iterdir()) == ["spectrum_model.png", "spectrum_nearest.png"]
    want = ("symland: warning: spectrum_nearest.png: float64 cannot resolve this point: the tolerance 5.35e+04 lies "
            "above 1 of the 3 eigenvalues certified nonzero; the float64 picture (n₊, n₋, n₀) = (2, 0, 8) "
            "contradicts the certified inertia (3, 0, 7)")
    assert want in err.splitlines()


def _tanh_layers(w2: float):
    W1, b1 = np.array([[0.5, -1], [0.375, 2], [-0.75, 0.25]]), -np.array([0.125, -0.5, 0.25])
    return [(W1, b1), (np.array([[w2, 0.0, 0.0]]), np.zeros(1))]


def test_figure_at_weights_beyond_float64_says_so_instead_of_drawing_inf():
    data = Dataset.from_rows([[0, 1], [1, 0], [2, 3]], [0, 0, 0])
    rep = certify_model(from_arrays(_tanh_layers(1e200), "tanh", source="big"), data, max_distance=1e300)
    assert rep.spectrum_at_model["eigenvalues"] is None and rep.inertia == [3, 0, 10]
    figs = dict(certify_figures(rep))
    assert figs["spectrum_model.png"].symland_warnings == [
        "float64 cannot resolve this point: a value at the trained point is beyond float64's range (the exact and "
        "ball tiers are not affected)"]
    assert "float64 cannot resolve this point" in _texts(figs["spectrum_model.png"])
    assert _drawn(figs["spectrum_nearest.png"]).size == 13  # m* (output weights 0) is well inside float64


def test_a_model_file_whose_point_is_a_structural_zero_certifies_at_distance_0():
    from proofs_check.recheck import recheck

    data = Dataset.from_rows([[0, 1], [1, 0], [2, 3]], [0, 0, 0])
    rep = certify_model(from_arrays(_tanh_layers(0.0), "tanh", source="zero"), data)
    assert [c.verdict for c in rep.certificates] == ["certified", "certified"] and rep.inertia == [3, 0, 10]
    assert rep.distance_l2 == rep.distance_linf == 0.0
    assert [recheck(c).status for c in rep.certificates] == ["checked", "checked"]
