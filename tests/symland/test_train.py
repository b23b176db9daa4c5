"""The float64 trainer and ``symland train``: interpolation to L < 1e-20, the .npz convention, one-line errors."""

import json

import numpy as np
import pytest

from symland.activations import get_activation
from symland.data import Dataset
from symland.floating import jacobian
from symland.network import mlp
from symland.train import _arrays, _Net, forward, save_npz, train

from proofs_check.cli import main

ACTIVATIONS = ["tanh", "relu", "softplus", "sigmoid", "smoolu", "rectpow3"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(1)
    return Dataset.from_rows(rng.integers(-5, 6, (12, 3)).tolist(), rng.integers(-3, 4, (12, 2)).tolist())


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_a_wide_network_reaches_loss_below_1e_20_from_seed_0(data, act):
    res = train(data, (3, 16, 2), act, seed=0)
    assert res.converged and res.loss < 1e-20
    assert res.n == 3 * 16 + 16 + 16 * 2 + 2 == 98


@pytest.mark.parametrize("act", ["tanh", "softplus", "sigmoid", "smoolu", "rectpow3"])
def test_levenberg_marquardt_steps_fit_a_narrow_network_where_least_squares_alone_cannot(data, act):
    res = train(data, (3, 8, 2), act, seed=0)  # n = 50 > dℓ = 24, but 8 + 1 features < 12 points
    assert res.loss_history[0] > 1e-3  # the output-layer least squares start does not interpolate
    assert res.steps >= 5 and res.converged and res.loss < 1e-20
    assert res.method == "LM, dual (J Jᵀ + λI) form"


def test_the_same_seed_gives_the_same_weights_bit_for_bit(data):
    a, b = train(data, (3, 8, 2), "tanh", seed=3), train(data, (3, 8, 2), "tanh", seed=3)
    assert a.loss_history == b.loss_history
    assert all(np.array_equal(Wa, Wb) and np.array_equal(ba, bb) for (Wa, ba), (Wb, bb) in zip(a.layers, b.layers))
    c = train(data, (3, 8, 2), "tanh", seed=4)
    assert not np.array_equal(a.layers[0][0], c.layers[0][0])


def test_the_dual_gram_matrix_and_transpose_product_equal_those_of_the_floating_jacobian(data):
    X, Y = _arrays(data)
    net = _Net((3, 5, 4, 2), get_activation("tanh"), X, Y, True)
    theta = np.random.default_rng(0).standard_normal(sum(r * c + r for r, c in net.shapes))
    H, A, G = net.passes(theta)
    J = net.jacobian(theta, data)
    assert J.shape == (24, 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2)
    np.testing.assert_allclose(net.gram(A, G), J @ J.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(net.jt(A, G, H), J.T @ H, rtol=1e-12, atol=1e-12)


def test_the_trainers_residuals_are_those_of_symlands_float_tier_at_the_converted_point(data):
    res = train(data, (3, 8, 2), "softplus", seed=0)
    H, _ = jacobian(mlp(res.widths, "softplus"), data, res.point(), want_jacobian=False)
    np.testing.assert_array_equal(H, res.residuals(data))
    assert res.point()[3 * 8: 3 * 8 + 8].tolist() == (-res.layers[0][1]).tolist()  # −b in symland's order


def test_an_underparameterized_network_uses_the_n_by_n_form_and_says_it_did_not_converge(data):
    res = train(data, (3, 2, 2), "tanh", seed=0, steps=20)  # n = 14 ≤ dℓ = 24
    assert res.method == "LM, (JᵀJ + λI) form" and not res.converged and res.loss > 1
    assert all(b <= a for a, b in zip(res.loss_history, res.loss_history[1:]))  # LM never accepts an ascent


def test_the_npz_holds_w_and_b_with_pytorch_shapes_and_the_plus_b_convention(data, tmp_path):
    res = train(data, (3, 16, 2), "tanh", seed=0)
    path = tmp_path / "model"  # no suffix: the file is written under exactly this name
    save_npz(res, path)
    with np.load(path, allow_pickle=False) as z:
        assert sorted(z.files) == ["W1", "W2", "activation", "b1", "b2"]
        assert z["W1"].shape == (16, 3) and z["b1"].shape == (16,) and z["W2"].shape == (2, 16)
        assert z["b2"].shape == (2,) and z["W1"].dtype == np.float64
        assert z["activation"].shape == () and str(z["activation"]) == "tanh"
        X = np.array([[float(v) for v in row] for row in data.X])
        Y = np.array([[float(v) for v in row] for row in data.Y])
        out = z["W2"] @ np.tanh(z["W1"] @ X.T + z["b1"][:, None]) + z["b2"][:, None]
    np.testing.assert_allclose(out.T, Y, atol=1e-10, rtol=0)


def test_without_biases_the_file_has_no_b_and_the_biases_stay_zero(data, tmp_path):
    res = train(data, (3, 16, 2), "tanh", seed=0, bias=False)
    save_npz(res, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as z:
        assert sorted(z.files) == ["W1", "W2", "activation"]
    assert res.n == 3 * 16 + 16 * 2 and all(not b.any() for _, b in res.layers)
    out = forward(res.layers, get_activation("tanh"), _arrays(data)[0])[-1]
    np.testing.assert_allclose(out.T, _arrays(data)[1], atol=1e-10, rtol=0)


# --- the command ---------------------------------------------------------------------------------------------

CSV = "x1,x2,y\n0,0,1\n1,0,2\n0,1,0.5\n1,1,-1\n2,1,3\n"


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text(CSV)
    return path


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_train_writes_the_model_and_reports_the_loss_in_json(capsys, csv, tmp_path):
    out_path = tmp_path / "m.npz"
    code, out, err = _run(capsys, "train", "--data", csv, "--widths", "2,8,1", "--activation", "rectpow3",
                          "--out", out_path, "--json")
    info = json.loads(out)
    assert code == 0 and err == ""
    assert info["converged"] is True and info["loss"] < 1e-20 and info["n"] == 33 and info["d"] == 5
    with np.load(out_path, allow_pickle=False) as z:
        assert str(z["activation"]) == "rectpow3" and z["W1"].shape == (8, 2)


def test_train_prints_one_line_of_results_and_the_next_command(capsys, csv, tmp_path):
    code, out, _ = _run(capsys, "train", "--data", csv, "--widths", "2,8,1", "--out", tmp_path / "m.npz")
    assert code == 0
    assert "σ = tanh" in out and "reached tol 1e-22" in out and "symland certify --model" in out


def test_train_exits_1_and_still_writes_the_file_when_the_loss_stays_above_tol(capsys, csv, tmp_path):
    code, out, _ = _run(capsys, "train", "--data", csv, "--widths", "2,1,1", "--out", tmp_path / "m.npz",
                        "--steps", "3")
    assert code == 1 and "NOT reached" in out and (tmp_path / "m.npz").is_file()


@pytest.mark.parametrize("argv, message", [
    (["--widths", "3,8,1"], "widths start with 3 but the data have p = 2 inputs"),
    (["--widths", "2,8,2"], "widths end with 2 but the data have ℓ = 1 outputs"),
    (["--widths", "2,x,1"], "--widths must be comma-separated integers"),
    (["--widths", "2,8,1", "--activation", "nope"], "unknown activation 'nope'"),
    (["--widths", "2,8,1", "--out", "/nonexistent-dir/m.npz"], "not a writable file path"),
    (["--widths", "2,8,1", "--steps", "-1"], "--steps must be ≥ 0"),
    (["--widths", "2,8,1", "--data", "/nonexistent.csv"], "file not found"),
    (["--widths", "2,50000000,1"], "would hold"),
])
def test_bad_input_is_one_line_on_stderr_and_exit_2(capsys, csv, tmp_path, argv, message):
    base = {"--data": str(csv), "--out": str(tmp_path / "m.npz")}
    for i in range(0, len(argv), 2):
        base[argv[i]] = argv[i + 1]
    code, out, err = _run(capsys, "train", *[x for kv in base.items() for x in kv])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("symland: error: ") and message in err
    assert not (tmp_path / "m.npz").exists()


# --- train → save → import (symland.models) ------------------------------------------------------------------

@pytest.mark.parametrize("act", ["tanh", "relu", "rectpow3"])
def test_the_imported_models_residuals_are_the_trainers_own_bit_for_bit(data, tmp_path, act):
    from symland.models import load_model

    res = train(data, (3, 8, 2), act, seed=0) if act != "relu" else train(data, (3, 16, 2), act, seed=0)
    save_npz(res, tmp_path / "m.npz")
    model = load_model(tmp_path / "m.npz")  # the activation comes from the file
    assert model.activation.name == act and model.widths == res.widths
    assert model.params["b1_0"] == -fmpq_of(res.layers[0][1][0])  # the file's +b became symland's −b
    np.testing.assert_array_equal(model.float_point(), res.point())  # float → dyadic → float loses nothing
    H, _ = jacobian(model.network, data, model.float_point(), want_jacobian=False)
    np.testing.assert_array_equal(H, res.residuals(data))


def test_the_exact_residuals_of_the_imported_model_are_within_float_rounding_of_the_trainers(data, tmp_path):
    from symland.models import load_model
    from symland.problem import Problem

    res = train(data, (3, 8, 2), "rectpow3", seed=0)
    save_npz(res, tmp_path / "m.npz")
    model = load_model(tmp_path / "m.npz")
    vals = Problem(model.network, data).at(model.point(), jacobian=False)
    exact = np.array([int(q.p) / int(q.q) for q in vals.H])
    assert not vals.on_M  # a float point is not on M exactly ...
    np.testing.assert_allclose(exact, res.residuals(data), atol=1e-11, rtol=0)  # ... but within rounding of it


def fmpq_of(x: float):
    from flint import fmpq

    n, d = float(x).as_integer_ratio()
    return fmpq(n, d)
