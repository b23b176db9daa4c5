"""Importing trained networks (npz, safetensors, Flax, PyTorch) and the nearest point of M to them."""

from fractions import Fraction

import numpy as np
import pytest
from flint import arb, fmpq

from symland.data import Dataset
from symland.errors import InputError, SymlandError
from symland.models import BIAS_CONVENTION, from_arrays, from_flax, from_torch, load_model
from symland.nearest import nearest_point
from symland.problem import Problem
from symland.tiers.numeric import BallKind, precision


def _framework_forward(layers, X, act):
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))
    a = X
    for k, (W, b) in enumerate(layers):
        a = a @ W.T + b  # the framework's W x + b
        if k < len(layers) - 1:
            a = f(a)
    return a


def _q(x):
    return fmpq(*float(x).as_integer_ratio())


def test_npz_with_sequential_names_imports_exact_weights_and_negated_biases(tmp_path, trained):
    layers, _, _ = trained()
    (W1, b1), (W2, b2) = layers
    path = tmp_path / "net.npz"
    np.savez(path, **{"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": b2, "activation": np.array("tanh")})
    m = load_model(path)
    assert m.widths == (2, 8, 1) and m.activation.name == "tanh" and m.bias_convention == BIAS_CONVENTION
    assert m.params["W1_3_1"] == _q(W1[3, 1]) and m.params["b1_5"] == -_q(b1[5])
    assert m.params["W2_0_7"] == _q(W2[0, 7]) and m.params["b2_0"] == -_q(b2[0])
    assert len(m.point()) == m.network.n == 33


def test_npz_with_plain_names_gives_the_same_model_as_sequential_names(tmp_path, trained):
    layers, _, _ = trained()
    (W1, b1), (W2, b2) = layers
    np.savez(tmp_path / "a.npz", W1=W1, b1=b1, W2=W2, b2=b2)
    np.savez(tmp_path / "b.npz", **{"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": b2})
    assert load_model(tmp_path / "a.npz", "tanh").params == load_model(tmp_path / "b.npz", "tanh").params


def test_float32_weights_become_the_exact_dyadic_rationals_they_are(tmp_path):
    W = np.array([[0.1, -1 / 3]], dtype=np.float32)
    m = from_arrays([(W, np.array([0.2], dtype=np.float32))], "relu")
    assert Fraction(int(m.params["W1_0_0"].p), int(m.params["W1_0_0"].q)) == Fraction(float(np.float32(0.1)))
    assert m.params["W1_0_0"] != fmpq(1, 10)  # float32(0.1) is not 1/10: nothing is rounded to a nicer number
    assert m.params["b1_0"] == -fmpq(*float(np.float32(0.2)).as_integer_ratio())


def test_safetensors_written_by_the_library_reads_with_its_activation_metadata(tmp_path, trained):
    safetensors_numpy = pytest.importorskip("safetensors.numpy", reason="safetensors not installed")
    layers, _, _ = trained(act="relu")
    (W1, b1), (W2, b2) = layers
    path = tmp_path / "net.safetensors"
    safetensors_numpy.save_file({"0.weight": W1.astype(np.float32), "0.bias": b1.astype(np.float32),
                                 "2.weight": W2, "2.bias": b2}, str(path), metadata={"activation": "relu"})
    m = load_model(path)
    assert m.activation.name == "relu" and m.widths == (2, 8, 1)
    assert m.params["W1_0_0"] == _q(np.float32(W1[0, 0])) and m.params["b2_0"] == -_q(b2[0])


def test_flax_tree_kernels_are_transposed_from_in_out(tmp_path, trained):
    layers, _, _ = trained()
    (W1, b1), (W2, b2) = layers
    tree = {"params": {"Dense_1": {"kernel": W2.T, "bias": b2}, "Dense_0": {"kernel": W1.T, "bias": b1}}}
    m = from_flax(tree, "tanh")
    assert m.params == from_arrays(layers, "tanh").params


@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_H_of_the_imported_model_is_the_frameworks_output_minus_y(act, trained):
    layers, data, (X, Y) = trained(act=act, fit=False)
    m = from_arrays(layers, act)
    from symland.floating import jacobian

    H, _ = jacobian(m.network, data, m.float_point(), want_jacobian=False)
    expected = _framework_forward(layers, X, act)[:, 0] - Y
    assert np.allclose(H, expected, rtol=1e-12, atol=1e-12)
    if act == "relu":  # exactly, in rationals: the framework's + b really became symland's − b
        exact = Problem(m.network, data).at(m.point(), jacobian=False).H
        assert np.allclose([int(v.p) / int(v.q) for v in exact], expected, rtol=1e-12, atol=1e-12)


def test_bad_model_files_raise_one_line_input_errors(tmp_path):
    np.savez(tmp_path / "nan.npz", W1=np.array([[np.nan]]), b1=np.zeros(1))
    np.savez(tmp_path / "names.npz", foo=np.zeros(1))
    np.savez(tmp_path / "gap.npz", W1=np.zeros((1, 1)), b1=np.zeros(1), W3=np.zeros((1, 1)), b3=np.zeros(1))
    np.savez(tmp_path / "act.npz", W1=np.zeros((1, 1)), b1=np.zeros(1), activation=np.array("tanh"))
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    cases = {"nan.npz": ("relu", "NaN"), "names.npz": ("relu", "layer names"), "gap.npz": ("relu", "without gaps"),
             "act.npz": ("relu", "contradicts"), "junk.npz": ("relu", "not a .npz file"),
             "missing.npz": ("relu", "no such file")}
    for name, (act, words) in cases.items():
        with pytest.raises(InputError) as info:
            load_model(tmp_path / name, act)
        assert words in str(info.value) and "\n" not in str(info.value), name
    with pytest.raises(InputError, match="names no activation"):
        from_arrays([(np.zeros((1, 1)), np.zeros(1))], None)


def test_torch_sequential_state_dict_and_pt_file_import_alike(tmp_path):
    torch = pytest.importorskip("torch", reason="torch not installed (optional extra)")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2))
    m = from_torch(net)
    assert m.activation.name == "tanh" and m.widths == (3, 5, 2)
    assert m.params["b1_2"] == -_q(net[0].bias[2].item())
    torch.save(net.state_dict(), tmp_path / "net.pt")
    assert load_model(tmp_path / "net.pt", "tanh").params == m.params
    assert from_torch(net.state_dict(), "tanh").params == m.params
    torch.save(net, tmp_path / "module.pt")  # a whole pickled nn.Sequential: σ read from its layers
    with pytest.raises(InputError, match="trust-pickle"):  # unpickling runs code from the file: never silently
        load_model(tmp_path / "module.pt")
    whole = load_model(tmp_path / "module.pt", trust_pickle=True)
    assert whole.params == m.params and whole.activation.name == "tanh"
    x = torch.tensor([[0.5, -1.0, 2.0]], dtype=torch.float64)
    out = net.double()(x).detach().numpy()[0]
    data = Dataset.from_rows([[fmpq(1, 2), -1, 2]], [[0, 0]])
    from symland.floating import jacobian

    H, _ = jacobian(m.network, data, from_torch(net).float_point(), want_jacobian=False)
    assert np.allclose(H, out, rtol=1e-12)


def test_torch_layers_symland_cannot_read_are_named_in_one_line():
    torch = pytest.importorskip("torch", reason="torch not installed (optional extra)")
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.GELU(), torch.nn.Linear(3, 1))
    with pytest.raises(InputError, match=r"module 1 \(GELU\) is not supported"):
        from_torch(net)
    with pytest.raises(InputError, match="contradicts"):
        from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)), "tanh")


def test_exact_nearest_point_is_on_M_exactly_with_exact_distances(trained):
    layers, data, _ = trained(act="relu", d=5, h=7, seed=3)
    m = from_arrays(layers, "relu")
    r = nearest_point(m, data, tier="exact")
    assert r.status == "exact" and len(r.columns) == 5
    vals = Problem(m.network, data).at(list(r.point), jacobian=False)
    assert all(v == 0 for v in vals.H)  # H(m*) = 0 exactly
    deltas = [a - b for a, b in zip(r.point, m.point())]
    assert all(deltas[i] == 0 for i in range(len(deltas)) if i not in r.columns)
    assert r.distance_linf == max(abs(x) for x in deltas) and 0 < r.upper() < 1e-9
    assert r.distance_l2.overlaps(arb(sum((x * x for x in deltas), fmpq(0))).sqrt())


def test_ball_nearest_point_for_tanh_is_certified_with_distance_bounds(trained):
    layers, data, _ = trained(act="tanh", d=6, h=8, seed=1)
    m = from_arrays(layers, "tanh")
    r = nearest_point(m, data, tier="ball")
    assert r.status == "ball" and r.prec == 128 and "certified nonsingular" in r.method
    vals = Problem(m.network, data).at(list(r.point), kind=BallKind(128), jacobian=False)
    assert all(v.contains(0) for v in vals.H)
    with precision(128):
        moved = [float(abs(a.mid() - arb(b))) for a, b in zip(r.point, m.point())]
    assert 0 < max(moved) <= r.upper("linf") < 1e-9
    assert np.sqrt(sum(x * x for x in moved)) <= r.upper("l2") * (1 + 1e-9)
    assert all(r.point[i].is_exact() for i in range(len(r.point)) if i not in r.columns)


def test_nearest_point_is_inconclusive_for_a_too_narrow_or_singular_last_layer(trained):
    layers, data, _ = trained(act="tanh", d=6, h=3)
    r = nearest_point(from_arrays(layers, "tanh"), data, tier="ball")
    assert r.status == "inconclusive" and "h + 1 = 4 < d = 6" in r.reason
    (W1, b1), (W2, b2) = trained(act="relu", d=4, h=5)[0]
    W1 = np.zeros_like(W1)  # every feature is relu(b): constant columns, rank ≤ 2 < d
    b1 = np.abs(b1)
    data = trained(act="relu", d=4, h=5)[1]
    r = nearest_point(from_arrays([(W1, b1), (W2, b2)], "relu"), data, tier="exact")
    assert r.status == "inconclusive" and "singular" in r.reason


def test_errors_are_symland_errors():
    assert issubclass(InputError, SymlandError)


def test_krawczyk_certifies_a_box_with_a_zero_of_H_for_a_narrow_network():
    from symland.floating import jacobian
    from symland.krawczyk import krawczyk_point
    from symland.network import mlp

    data = Dataset.from_rows([[-1], [0], [1], [2]], [[-1], [0], [0.5], [0.75]])
    net = mlp((1, 2, 1), "tanh")
    x = np.random.default_rng(1).normal(size=net.n)
    for _ in range(100):
        H, J = jacobian(net, data, x)
        x = x - J.T @ np.linalg.solve(J @ J.T + 1e-12 * np.eye(len(H)), H)
    m = from_arrays([(x[0:2].reshape(2, 1), -x[2:4]), (x[4:6].reshape(1, 2), -x[6:7])], "tanh")
    r = nearest_point(m, data, tier="ball")
    assert r.status == "ball" and "Krawczyk" in r.method and len(r.columns) == 4
    assert any(c < 4 for c in r.columns)  # a hidden-layer coordinate: the output layer alone cannot fit d = 4
    vals = Problem(m.network, data).at(list(r.point), kind=BallKind(128), jacobian=False)
    assert all(v.contains(0) for v in vals.H)
    assert all(r.point[i].is_exact() and r.point[i] == m.point()[i] for i in range(7) if i not in r.columns)
    assert r.upper("linf") < 1e-12 and r.upper("l2") < 1e-12
    with pytest.raises(Exception, match="no dℓ coordinates"):  # too few columns: no square system
        krawczyk_point(m.network, m.point(), data, 128, r.columns[:3])


def test_krawczyk_is_not_attempted_beyond_its_size_limit(monkeypatch, trained):
    import symland.nearest as nearest

    layers, data, _ = trained(act="tanh", d=6, h=3)
    monkeypatch.setattr(nearest, "KRAWCZYK_LIMIT", 10)
    r = nearest.nearest_point(from_arrays(layers, "tanh"), data, tier="ball")
    assert r.status == "inconclusive" and "6 × 1 × 13" not in r.reason and "78 entries > 10" in r.reason


def test_a_numerically_singular_feature_minor_is_inconclusive_not_escalated_forever():
    import symland.nearest as nearest

    W1 = np.array([[1.0, 0.5], [1.0, 0.5 + 2.0 ** -48], [0.3, -1.0]])  # units 0 and 1 nearly equal
    layers = [(W1, np.array([0.1, 0.1, -0.2])), (np.array([[1.0, -1.0, 0.5]]), np.array([0.0]))]
    data = Dataset.from_rows([[0, 1], [1, 0], [2, 1], [1, 3]], [0, 1, 0, 1])
    r = nearest.nearest_point(from_arrays(layers, "tanh"), data, tier="ball")
    assert r.status == "inconclusive" and "numerically singular" in r.reason
    exact = nearest.nearest_point(from_arrays(layers, "relu"), data, tier="exact")  # exact: decided regardless
    assert exact.status == "exact"


# -- networks without biases: mlp(widths, σ, bias=False) ------------------------------------------------------
def _trained_nobias(act="tanh", d=6, p=2, h=8, seed=3, fit=True):
    """Framework layers [(W, None)] without biases; inputs bounded away from 0 (f(0) = 0 without biases)."""
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 9, size=(d, p)) / 4 * rng.choice([-1, 1], size=(d, p))
    Y = rng.integers(-4, 5, size=d) / 2
    W1 = rng.normal(size=(h, p))
    f = np.tanh if act == "tanh" else (lambda z: np.maximum(z, 0))
    W2 = np.linalg.lstsq(f(X @ W1.T), Y, rcond=None)[0][None, :] if fit else rng.normal(size=(1, h))
    return [(W1, None), (W2, None)], Dataset.from_rows(X.tolist(), Y.tolist()), (X, Y)


def test_npz_without_biases_imports_a_bias_free_network(tmp_path):
    from symland.models import NO_BIASES

    (W1, _), (W2, _) = _trained_nobias()[0]
    np.savez(tmp_path / "plain.npz", W1=W1, W2=W2, activation=np.array("tanh"))
    np.savez(tmp_path / "seq.npz", **{"0.weight": W1, "2.weight": W2})
    m = load_model(tmp_path / "plain.npz")
    assert m.network.bias is False and m.widths == (2, 8, 1) and m.network.n == 24 == len(m.point())
    assert m.bias_convention == NO_BIASES and "no biases" in m.bias_convention
    assert not any(k.startswith("b") for k in m.params)
    assert m.params["W1_3_1"] == _q(W1[3, 1]) and m.params["W2_0_7"] == _q(W2[0, 7])
    assert load_model(tmp_path / "seq.npz", "tanh").params == m.params


@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_H_of_a_bias_free_model_is_the_frameworks_output_minus_y(act):
    layers, data, (X, Y) = _trained_nobias(act=act, fit=False)
    m = from_arrays(layers, act)
    from symland.floating import jacobian

    H, _ = jacobian(m.network, data, m.float_point(), want_jacobian=False)
    expected = _framework_forward([(W, np.zeros(W.shape[0])) for W, _ in layers], X, act)[:, 0] - Y
    assert np.allclose(H, expected, rtol=1e-12, atol=1e-12)


def test_flax_dense_without_bias_imports_a_bias_free_network():
    (W1, _), (W2, _) = _trained_nobias()[0]
    m = from_flax({"params": {"Dense_0": {"kernel": W1.T}, "Dense_1": {"kernel": W2.T}}}, "tanh")
    assert m.network.bias is False and m.params == from_arrays([(W1, None), (W2, None)], "tanh").params


def test_torch_linear_without_bias_imports_and_matches_torchs_output(tmp_path):
    torch = pytest.importorskip("torch", reason="torch not installed (optional extra)")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 5, bias=False), torch.nn.Tanh(), torch.nn.Linear(5, 2, bias=False))
    m = from_torch(net)
    assert m.network.bias is False and m.widths == (3, 5, 2) and m.network.n == 25
    torch.save(net.state_dict(), tmp_path / "net.pt")
    assert load_model(tmp_path / "net.pt", "tanh").params == m.params
    x = torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.25, -0.75]], dtype=torch.float64)
    with torch.no_grad():
        y_torch = net.double()(x).numpy()
    data = Dataset.from_rows(x.tolist(), [[0.0, 0.0], [0.0, 0.0]])
    from symland.floating import jacobian

    H, _ = jacobian(m.network, data, m.float_point(), want_jacobian=False)
    assert np.allclose(H, y_torch.ravel(), rtol=1e-6, atol=1e-6)  # float32 weights, float64 forward
    mixed = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2, bias=False))
    with pytest.raises(InputError, match=r"^torch: linear layer 2 \(counting from 1\) has no bias"):
        from_torch(mixed)


def test_a_model_mixing_layers_with_and_without_biases_is_one_input_error(tmp_path):
    (W1, _), (W2, _) = _trained_nobias()[0]
    np.savez(tmp_path / "mix.npz", W1=W1, b1=np.zeros(8), W2=W2)
    with pytest.raises(InputError) as info:
        load_model(tmp_path / "mix.npz", "tanh")
    assert "layer 2" in str(info.value) and "no bias" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(InputError, match="layer 2 .* has a bias"):
        from_flax({"Dense_0": {"kernel": W1.T}, "Dense_1": {"kernel": W2.T, "bias": np.zeros(1)}}, "tanh")


def test_bias_free_nearest_point_uses_features_without_the_minus_one_column():
    layers, data, _ = _trained_nobias(act="relu", seed=2)  # relu(W x) is linear on sectors: not every seed fits
    m = from_arrays(layers, "relu")
    r = nearest_point(m, data, tier="exact")
    assert r.status == "exact" and len(r.columns) == 6
    assert all(m.network.param_names()[i].startswith("W2_0_") for i in r.columns)
    assert all(v == 0 for v in Problem(m.network, data).at(list(r.point), jacobian=False).H)
    assert 0 < r.upper() < 1e-9
    narrow, data6, _ = _trained_nobias(act="tanh", h=5)  # h = 5 < d = 6: no −1 column to make up for it
    r = nearest_point(from_arrays(narrow, "tanh"), data6, tier="ball")
    assert r.status == "inconclusive" and "without biases h = 5 < d = 6" in r.reason


@pytest.mark.parametrize("content", [b"garbage", b"PK\x03\x04garbage", b"\x93NUMPY" + b"\x00" * 20])
def test_a_model_file_that_is_not_an_npz_archive_is_one_line_and_exit_2(tmp_path, capsys, content):
    from proofs_check.cli import main

    model = tmp_path / "m.npz"
    model.write_bytes(content)
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,0\n2,1\n")
    assert main(["certify", "--model", str(model), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symland: error: ") and err.count("\n") == 1 and "npz" in err


def test_an_npy_array_saved_under_an_npz_name_is_one_line_and_exit_2(tmp_path, capsys):
    from proofs_check.cli import main

    np.save(tmp_path / "a.npy", np.zeros(3))
    (tmp_path / "a.npy").rename(tmp_path / "m.npz")
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,0\n2,1\n")
    assert main(["certify", "--model", str(tmp_path / "m.npz"), "--data", str(data)]) == 2
    assert "not a .npz file" in capsys.readouterr().err


# -- the imported network is the framework's function (issue 20) ----------------------------------------------------
def _torch_cases(torch):
    L, T, R = torch.nn.Linear, torch.nn.Tanh, torch.nn.ReLU
    return {
        "σ after the output layer": (torch.nn.Sequential(L(2, 3), T(), L(3, 1), T()), "after the last Linear"),
        "σ before the first Linear": (torch.nn.Sequential(T(), L(2, 3), T(), L(3, 1)), "before the first Linear"),
        "two σ in a row": (torch.nn.Sequential(L(2, 3), T(), T(), L(3, 1)), "right after the activation 1 (Tanh)"),
        "two Linear with nothing between": (torch.nn.Sequential(L(2, 3), L(3, 3), T(), L(3, 1)),
                                            "module 1 (Linear) follows the Linear 0"),
        "a Dropout": (torch.nn.Sequential(L(2, 3), T(), torch.nn.Dropout(0.1), L(3, 1)), "module 2 (Dropout)"),
        "two σ kinds": (torch.nn.Sequential(L(2, 3), T(), L(3, 3), R(), L(3, 1)), "mixes activations"),
    }


@pytest.mark.parametrize("case", ["σ after the output layer", "σ before the first Linear", "two σ in a row",
                                  "two Linear with nothing between", "a Dropout", "two σ kinds"])
def test_a_torch_module_is_imported_in_order_or_refused_naming_the_module(case):
    torch = pytest.importorskip("torch", reason="torch not installed (optional extra)")
    torch.manual_seed(1)
    net, words = _torch_cases(torch)[case]
    with pytest.raises(InputError) as info:
        from_torch(net)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_every_random_torch_sequential_is_refused_or_computes_torchs_function():
    """A property over module sequences: the import refuses, or symland's forward pass is torch's own."""
    torch = pytest.importorskip("torch", reason="torch not installed (optional extra)")
    from hypothesis import given, settings, strategies as st

    from symland.floating import forward_pass, split_flat, vectorized

    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(st.lists(st.sampled_from(["L", "T", "R", "S"]), min_size=1, max_size=6), st.integers(0, 2**16))
    def prop(kinds, seed):
        torch.manual_seed(seed)
        mods, width = [], 2
        for k in kinds:
            if k == "L":
                mods.append(torch.nn.Linear(width, 3))
                width = 3
            else:
                mods.append({"T": torch.nn.Tanh, "R": torch.nn.ReLU, "S": torch.nn.Sigmoid}[k]())
        net = torch.nn.Sequential(*mods)
        ok = (kinds[0] == "L" and kinds[-1] == "L" and all((a == "L") != (b == "L") for a, b in zip(kinds, kinds[1:]))
              and len({k for k in kinds if k != "L"}) <= 1)
        try:
            m = from_torch(net, None if any(k != "L" for k in kinds) else "tanh")
        except InputError:
            assert not ok, kinds
            return
        assert ok, kinds
        X = np.random.default_rng(seed).normal(size=(5, 2)) * 3
        net_f = net.double()
        with torch.no_grad():
            want = net_f(torch.as_tensor(X)).numpy()
        Z, _ = forward_pass(split_flat(m.network.shapes, m.network.bias, m.float_point()),
                            vectorized(m.activation, 0), X.T)
        assert np.allclose(Z[-1].T, want, rtol=1e-9, atol=1e-9)

    prop()


def test_state_dict_positions_that_contradict_linear_sigma_linear_are_refused(tmp_path):
    W1, b1, W2, b2 = np.ones((3, 2)), np.zeros(3), np.ones((1, 3)), np.zeros(1)
    for keys, words in (((0, 1), "positions 0 and 1"), ((0, 3), "2 modules between"), ((1, 3), "position 1")):
        np.savez(tmp_path / "s.npz", **{f"{keys[0]}.weight": W1, f"{keys[0]}.bias": b1, f"{keys[1]}.weight": W2,
                                        f"{keys[1]}.bias": b2})
        with pytest.raises(InputError, match=words):
            load_model(tmp_path / "s.npz", "tanh")
    np.savez(tmp_path / "s.npz", **{"0.weight": W1, "0.bias": b1, "2.weight": W2, "2.bias": b2})
    assert load_model(tmp_path / "s.npz", "tanh").widths == (2, 3, 1)


def test_a_framework_forward_that_disagrees_is_refused_at_import_and_on_the_data():
    tree = {"Dense_0": {"kernel": np.ones((2, 3)), "bias": np.zeros(3)}, "Dense_1": {"kernel": np.ones((3, 1)),
                                                                                     "bias": np.zeros(1)}}

    def apply_sym(params, X):  # Dense, tanh, Dense: symland's structure
        return np.tanh(X @ params["Dense_0"]["kernel"]) @ params["Dense_1"]["kernel"]

    m = from_flax(tree, "tanh", apply=apply_sym)
    m.check_on([[fmpq(1), fmpq(2)]])
    with pytest.raises(InputError, match="not the framework's function"):
        from_flax(tree, "tanh", apply=lambda p, X: np.tanh(apply_sym(p, X)))  # a σ after the output layer
    late = from_flax(tree, "tanh", apply=lambda p, X: apply_sym(p, X) + (np.abs(X[:, :1]) > 50))  # differs far out
    with pytest.raises(InputError, match="on the data the outputs differ"):
        late.check_on([[fmpq(100), fmpq(0)]])


def test_models_and_torch_do_not_import_each_other_even_inside_functions():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "symland" / "io"

    def imports(name):
        tree = ast.parse((root / f"{name}.py").read_text())
        out = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                out.add(node.module)
            elif isinstance(node, ast.Import):
                out.update(a.name for a in node.names)
        return out

    assert "symland.io._torch" in imports("models")
    assert not {"symland.models", "symland.io.models"} & imports("_torch")
    assert not {"symland.models", "symland._torch", "symland.io.models", "symland.io._torch"} & imports("_layers")


def test_certify_refuses_a_model_whose_framework_forward_differs_on_the_data():
    from proofs_check.certify_model import certify_model

    tree = {"Dense_0": {"kernel": np.ones((1, 3)), "bias": np.zeros(3)}, "Dense_1": {"kernel": np.ones((3, 1)),
                                                                                     "bias": np.zeros(1)}}

    def apply(params, X):  # agrees with Dense, tanh, Dense except far from the probe inputs
        out = np.tanh(X @ params["Dense_0"]["kernel"]) @ params["Dense_1"]["kernel"]
        return out + (np.abs(X) > 50)

    m = from_flax(tree, "tanh", apply=apply)
    with pytest.raises(InputError, match="not the framework's function: on the data"):
        certify_model(m, Dataset.from_rows([[100], [1]], [0, 1]), tier="ball")


def test_a_pickled_module_with_a_sigma_after_the_output_layer_is_refused_on_load(tmp_path):
    torch = pytest.importorskip("torch", reason="torch not installed (optional extra)")
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1), torch.nn.Tanh())
    torch.save(net, tmp_path / "m.pt")
    with pytest.raises(InputError, match=r"module 3 \(Tanh\) comes after the last Linear layer"):
        load_model(tmp_path / "m.pt", trust_pickle=True)
    torch.save(net.state_dict(), tmp_path / "s.pt")  # weights only: positions 0, 2 are Linear, σ, Linear
    assert load_model(tmp_path / "s.pt", "tanh").widths == (2, 3, 1)
