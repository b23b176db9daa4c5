"""``symland certify``: certificates at the nearest point m* of M, re-checkable, and honest when there is none."""

import json

import numpy as np
import pytest

from symland.data import Dataset
from symland.models import from_arrays

from proofs_check.certify_model import certify_model
from proofs_check.cli import main
from proofs_check.recheck import recheck

KEYS = {"model", "activation", "widths", "bias_convention", "point", "distance_linf", "distance_l2",
        "loss_at_model", "spectrum_at_model", "certificates"}


def _files(trained, tmp_path, act="tanh", **kw):
    layers, _, (X, Y) = trained(act, **kw)
    (W1, b1), (W2, b2) = layers
    np.savez(tmp_path / "net.npz", **{"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": b2,
                                      "activation": np.array(act)})
    rows = "".join(f"{float(a)!r},{float(b)!r},{float(y)!r}\n" for (a, b), y in zip(X, Y))
    (tmp_path / "data.csv").write_text("x1,x2,y\n" + rows)
    return str(tmp_path / "net.npz"), str(tmp_path / "data.csv")


def test_a_trained_relu_network_gets_proved_certificates_at_its_exact_nearest_point(trained):
    layers, data, _ = trained("relu", seed=2)
    rep = certify_model(from_arrays(layers, "relu", source="toy"), data)
    assert rep.point_tier == "exact" and rep.ok
    assert [(c.claim, c.verdict, c.tier) for c in rep.certificates] == [("thm-2.1", "proved", "exact"),
                                                                         ("prop-2.3", "proved", "exact")]
    assert 0 < rep.distance_linf <= rep.distance_l2 < 1e-9
    assert rep.spectrum_at_model["near_zero"] == rep.spectrum_at_model["expected_zero"] == 33 - 6
    for c in rep.certificates:
        assert c.witness["model"]["bias_convention"].startswith("+b")
        assert c.witness["smoothness"] == "smooth" and c.witness["smoothness_at"] == ()  # no pre-activation at 0
        assert recheck(c).status == "checked", recheck(c).summary()


def test_a_trained_tanh_network_gets_certified_certificates_that_recheck(trained):
    layers, data, _ = trained("tanh", seed=1)
    rep = certify_model(from_arrays(layers, "tanh", source="toy"), data)
    assert rep.point_tier == "ball" and rep.ok
    assert [c.verdict for c in rep.certificates] == ["certified", "certified"]
    assert any("+/-" in v for v in rep.point.values())  # the re-solved output layer, as Arb balls
    for c in rep.certificates:
        assert c.witness["smoothness"] == "smooth"  # the resolved ball route records the class too
        r = recheck(c)
        assert r.status == "checked", r.summary()


def test_a_forged_ball_point_is_rejected_by_the_rechecker(trained):
    layers, data, _ = trained("tanh", seed=1)
    cert = certify_model(from_arrays(layers, "tanh"), data).certificates[0].to_json_obj()
    name = next(k for k, v in cert["witness"]["point"].items() if "+/-" in v)
    cert["witness"]["point"][name] = "[0.5 +/- 1e-30]"  # an output weight moved: the box leaves M
    assert recheck(cert).status == "rejected"


def test_an_untrained_model_is_inconclusive_about_M_near_it(trained):
    layers, data, _ = trained("tanh", fit=False)
    rep = certify_model(from_arrays(layers, "tanh"), data)
    assert not rep.ok and rep.distance_linf > 1e-3 and rep.loss_at_model > 1e-3
    assert [c.verdict for c in rep.certificates] == ["inconclusive", "inconclusive"]
    assert "no point of M within" in rep.certificates[0].evidence
    far = certify_model(from_arrays(layers, "tanh"), data, max_distance=1e6)  # m* itself, far away, is certified
    assert [c.verdict for c in far.certificates] == ["certified", "certified"]


def test_relu_with_a_pre_activation_exactly_zero_is_not_proved(trained, monkeypatch):
    """Hidden unit 0 sits exactly on ReLU's kink at every x. The re-solve at m keeps it there: hypothesis-fails at m*
    (σ' not defined), never proved. The projection over all weights moves the unit off the kink (one-sided
    derivatives only steer it), and at that m* — another point of M, 10⁻¹⁵ away — every pre-activation is nonzero:
    proved there, with no lower bound (J_H(m) is not defined)."""
    import symland.point.distance as dist_mod

    layers, data, _ = trained("relu", zero_unit=True, seed=4)
    moved = certify_model(from_arrays(layers, "relu"), data)
    assert [c.verdict for c in moved.certificates] == ["proved", "proved"] and moved.distance.route == "foot"
    assert moved.bracket("l2")[0] is None and "not defined" in moved.distance.lower.reason
    monkeypatch.setattr(dist_mod, "BRACKET_LIMIT", 1)  # no projection: m* re-solved at m, unit 0 on the kink
    rep = certify_model(from_arrays(layers, "relu"), data)
    assert rep.nearest.ok and not rep.ok
    assert all(c.verdict == "hypothesis-fails" for c in rep.certificates)
    assert "not defined" in rep.certificates[0].evidence
    ball = certify_model(from_arrays(layers, "relu"), data, tier="ball")  # the Arb path checks σ' too
    assert ball.nearest.ok and [c.verdict for c in ball.certificates] == ["hypothesis-fails"] * 2


def test_a_narrow_untrained_last_layer_gets_a_bracket_and_no_looping_advice(trained):
    """h + 1 = 4 < d = 6: no output-layer re-solve; the projection over all weights and Krawczyk find a point of M
    (n = 13 > d = 6), far from the untrained model; the certified lower bound says none lies within the limit."""
    layers, data, _ = trained("tanh", h=3)
    rep = certify_model(from_arrays(layers, "tanh"), data)
    assert [c.verdict for c in rep.certificates] == ["inconclusive", "inconclusive"]
    lo, up = rep.bracket("l2")
    assert 0 < lo <= up and "krawczyk" in rep.nearest.details
    ev = rep.certificates[0].evidence
    assert "no point of M within" in ev and "no option changes" in ev and "--max-prec" not in ev
    far = certify_model(from_arrays(layers, "tanh"), data, max_distance=2 * up)  # the point found, certified
    assert [c.verdict for c in far.certificates] == ["certified", "certified"]


def test_certify_json_has_the_keys_of_the_issue_and_exit_0(tmp_path, capsys, trained):
    model, data = _files(trained, tmp_path)
    code = main(["certify", "--model", model, "--data", data, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and KEYS <= set(out)
    assert out["activation"] == "tanh" and out["widths"] == [2, 8, 1] and out["point_tier"] == "ball"
    assert [c["verdict"] for c in out["certificates"]] == ["certified", "certified"]
    assert out["distance_linf"]["upper"] < 1e-9 and len(out["point"]) == 33
    assert 0 < out["distance_l2"]["lower"] <= out["distance_l2"]["upper"] <= 1.01 * out["distance_l2"]["lower"]
    assert out["foot"]["route"] == "foot"
    assert out["inertia"] == [6, 0, 27] == out["certificates"][1]["witness"]["inertia"]  # (d, 0, n − d), Sylvester
    (tmp_path / "report.json").write_text(json.dumps(out))  # symland recheck reads the report's certificates
    assert main(["recheck", str(tmp_path / "report.json"), "--strict"]) == 0
    assert capsys.readouterr().out.count("ok ") == 2


def test_certify_plot_writes_both_spectra(tmp_path, capsys, trained):
    pytest.importorskip("matplotlib")
    model, data = _files(trained, tmp_path, act="relu")
    code = main(["certify", "--model", model, "--data", data, "--plot", str(tmp_path / "fig")])
    out = capsys.readouterr().out
    assert code == 0 and "proved" in out
    assert sorted(p.name for p in (tmp_path / "fig").iterdir()) == ["spectrum_model.png", "spectrum_nearest.png"]


def test_certify_exits_1_for_an_untrained_model(tmp_path, capsys, trained):
    model, data = _files(trained, tmp_path, fit=False)
    assert main(["certify", "--model", model, "--data", data]) == 1
    assert "inconclusive" in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["--activation", "relu"], "contradicts"),
    (["--tier", "exact"], None),
])
def test_certify_bad_input_is_one_line_and_exit_2(tmp_path, capsys, argv, words, trained):
    model, data = _files(trained, tmp_path)
    code = main(["certify", "--model", model, "--data", data] + argv)
    out, err = capsys.readouterr()
    if words is None:  # --tier exact with tanh: no rational nearest point, inconclusive (exit 1), not an error
        assert code == 1 and "inconclusive" in out
        return
    assert code == 2 and words in err and err.count("\n") == 1


def test_certify_unreadable_files_exit_2(tmp_path, capsys, trained):
    model, data = _files(trained, tmp_path)
    (tmp_path / "bad.npz").write_bytes(b"junk")
    for argv in (["--model", str(tmp_path / "bad.npz"), "--data", data],
                 ["--model", str(tmp_path / "none.safetensors"), "--data", data],
                 ["--model", model, "--data", str(tmp_path / "none.csv")]):
        assert main(["certify"] + argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("symland: error:") and err.count("\n") == 1


def _narrow_trained(seed=1):
    """widths (1, 2, 1), d = 4 (h + 1 = 3 < d): every parameter fitted by damped Gauss–Newton in float."""
    from symland.floating import jacobian
    from symland.network import mlp

    rng = np.random.default_rng(seed)
    data = Dataset.from_rows([[-1], [0], [1], [2]], [[-1], [0], [0.5], [0.75]])
    net = mlp((1, 2, 1), "tanh")
    x = rng.normal(size=net.n)
    for _ in range(100):
        H, J = jacobian(net, data, x)
        x = x - J.T @ np.linalg.solve(J @ J.T + 1e-12 * np.eye(len(H)), H)
    return [(x[0:2].reshape(2, 1), -x[2:4]), (x[4:6].reshape(1, 2), -x[6:7])], data


def test_a_narrow_network_gets_a_krawczyk_box_and_the_rechecker_redoes_the_test(tmp_path, capsys):
    layers, data = _narrow_trained()
    rep = certify_model(from_arrays(layers, "tanh"), data)
    assert "Krawczyk" in rep.nearest.method and rep.distance_linf < 1e-12
    assert [c.verdict for c in rep.certificates] == ["certified", "certified"]
    assert any(not name.startswith("W2") and not name.startswith("b2") and "+/-" in v
               for name, v in rep.point.items())  # coordinates outside the output layer moved
    for c in rep.certificates:
        r = recheck(c)
        assert r.status == "checked", r.summary()  # Krawczyk redone in Arb: proofs_check.recheck.newton
    path = tmp_path / "certs.json"
    path.write_text(rep.certificates.to_json())
    assert main(["recheck", str(path), "--strict"]) == 0
    capsys.readouterr()


def test_certify_timeout_gives_inconclusive_not_a_hang(tmp_path, capsys, trained):
    model, data = _files(trained, tmp_path)
    assert main(["certify", "--model", model, "--data", data, "--timeout", "0.001", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [c["verdict"] for c in out["certificates"]] == ["inconclusive", "inconclusive"]
    assert out["distance_linf"] == {"lower": None, "upper": None, "radius": None}
    assert "timeout" in out["certificates"][0]["evidence"]


def test_large_n_spectrum_comes_from_the_small_gram_matrix(monkeypatch, trained):
    import proofs_check.commands.certify_model as cm

    layers, data, _ = trained("tanh", seed=1)
    full = certify_model(from_arrays(layers, "tanh"), data).spectrum_at_model
    monkeypatch.setattr(cm, "SPECTRUM_LIMIT", 10)  # n = 33 > 10: J_H J_Hᵀ (6 × 6) instead of the Hessian
    rep = certify_model(from_arrays(layers, "tanh"), data)
    s = rep.spectrum_at_model
    assert "Gauss–Newton" in s["what"] and s["near_zero"] == s["expected_zero"] == 27
    assert np.allclose(s["eigenvalues"][-6:], full["eigenvalues"][-6:], rtol=1e-6)
    js = rep.to_json_obj()["spectrum_at_model"]
    assert js["zeros_not_listed"] == 27 and len(js["eigenvalues"]) == 6


# -- networks without biases ----------------------------------------------------------------------------------
def _nobias_files(tmp_path, act, seed):
    """An npz with 0.weight, 2.weight only (nn.Linear(bias=False)) and its data; inputs away from 0."""
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 9, size=(6, 2)) / 4 * rng.choice([-1, 1], size=(6, 2))
    Y = rng.integers(-4, 5, size=6) / 2
    W1 = rng.normal(size=(8, 2))
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))
    W2 = np.linalg.lstsq(f(X @ W1.T), Y, rcond=None)[0][None, :]
    np.savez(tmp_path / "net.npz", **{"0.weight": W1, "2.weight": W2, "activation": np.array(act)})
    rows = "".join(f"{float(a)!r},{float(b)!r},{float(y)!r}\n" for (a, b), y in zip(X, Y))
    (tmp_path / "data.csv").write_text("x1,x2,y\n" + rows)
    return str(tmp_path / "net.npz"), str(tmp_path / "data.csv")


@pytest.mark.parametrize("act, seed, tier, verdict", [("relu", 2, "exact", "proved"),
                                                      ("tanh", 3, "ball", "certified")])
def test_a_bias_free_network_is_certified_and_its_certificates_recheck(tmp_path, capsys, act, seed, tier, verdict):
    model, data = _nobias_files(tmp_path, act, seed)
    assert main(["certify", "--model", model, "--data", data, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["point_tier"] == tier and out["widths"] == [2, 8, 1] and len(out["point"]) == 16 + 8
    assert not any(k.startswith("b") for k in out["point"]) and "no biases" in out["bias_convention"]
    assert [c["verdict"] for c in out["certificates"]] == [verdict, verdict]
    for c in out["certificates"]:
        assert c["witness"]["instance"]["bias"] is False
        names = [list(out["point"])[i] for i in c["witness"]["model"]["resolved_columns"]]
        assert len(names) == 6 and all(k.startswith("W2_0_") for k in names)  # output weights: no b2 to re-solve
        r = recheck(c)
        assert r.status == "checked", r.summary()
    (tmp_path / "report.json").write_text(json.dumps(out))
    assert main(["recheck", str(tmp_path / "report.json"), "--strict"]) == 0
    assert capsys.readouterr().out.count("ok ") == 2


def test_a_forged_bias_free_ball_certificate_is_rejected(tmp_path, capsys):
    model, data = _nobias_files(tmp_path, "tanh", 3)
    main(["certify", "--model", model, "--data", data, "--json"])
    cert = json.loads(capsys.readouterr().out)["certificates"][0]
    name = next(k for k, v in cert["witness"]["point"].items() if "+/-" in v)
    cert["witness"]["point"][name] = "[0.5 +/- 1e-30]"  # an output weight moved: the box leaves M
    assert recheck(cert).status == "rejected"
    cert["witness"]["instance"]["bias"] = True  # the same point read as a network with biases: the names do not fit
    r = recheck(cert)
    assert r.status == "unchecked" and "does not name the network's parameters" in r.summary()  # never passed


def test_certify_a_model_mixing_biased_and_bias_free_layers_exits_2_in_one_line(tmp_path, capsys):
    model, data = _nobias_files(tmp_path, "tanh", 3)
    with np.load(model) as z:
        arrays = dict(z)
    arrays["0.bias"] = np.zeros(8)
    np.savez(model, **arrays)
    assert main(["certify", "--model", model, "--data", data]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "layer 2" in err and "no bias" in err


def test_the_loss_at_the_trained_point_is_an_arb_enclosure_of_the_exact_value(tmp_path, capsys, trained):
    """L(m) is certified from the file's exact weights (issue 21), and its text says which number is float64."""
    from flint import arb

    from symland.problem import Problem
    from symland.tiers import RationalKind
    from symland.tiers.numeric import precision

    layers, data, _ = trained("relu", seed=2)
    model = from_arrays(layers, "relu", source="toy")
    rep = certify_model(model, data)
    exact = sum(v * v for v in Problem(model.network, data).at(list(model.point()), kind=RationalKind()).H)
    with precision(512):  # the exact value as a ball far narrower than the enclosure
        assert rep.loss_ball is not None and rep.loss_ball.contains(arb(exact))
    assert rep.loss_ball.rad() < 1e-30 * max(1.0, float(exact))
    line = rep.summary_lines()[1]
    assert line.startswith("L(m) ∈ [") and "(Arb, 128 bits, from the file's exact weights; float64: " in line
    obj = rep.to_json_obj()
    with precision(512):
        assert arb(obj["loss_at_model_enclosure"]).contains(arb(exact))


def test_repeated_inputs_with_two_labels_say_m_is_empty_and_no_row_expects_a_paper_verdict(trained):
    layers, data, _ = trained("tanh")
    rows = [list(r) for r in data.X]
    twice = Dataset.from_rows(rows + [rows[0]], [r[0] for r in data.Y] + [data.Y[0][0] + 1])
    rep = certify_model(from_arrays(layers, "tanh"), twice)
    assert [c.verdict for c in rep.certificates] == ["hypothesis-fails"] * 2 and not rep.ok
    ev = rep.certificates[0].evidence
    assert "M is empty" in ev and "rows 1 and 7 have the same x" in ev and "--max-prec" not in str(rep)
    assert all(c.expected is None for c in rep.certificates)  # a trained model on your data: no paper verdict
    assert "not as expected" not in str(rep)
