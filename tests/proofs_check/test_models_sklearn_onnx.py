"""scikit-learn MLPRegressor and ONNX MLP graphs, written by the real libraries, imported exactly and certified.

Skipped (with the reason) where scikit-learn or onnx is missing: both are in the ``models`` extra.
"""

import re
import warnings

import numpy as np
import pytest
from flint import fmpq

from symland import from_onnx, from_sklearn, load_model
from symland.data import Dataset
from symland.errors import InputError

from proofs_check.certify_model import certify_model
from proofs_check.cli import main
from proofs_check.recheck import recheck


def _q(x):
    return fmpq(*float(x).as_integer_ratio())


def _data(seed=0, d=6, p=2):
    rng = np.random.default_rng(seed)
    return rng.integers(-5, 6, size=(d, p)) / 4, rng.integers(-4, 5, size=d) / 2


def _csv(path, X, Y):
    path.write_text("x1,x2,y\n" + "".join(f"{a!r},{b!r},{y!r}\n" for (a, b), y in zip(X.tolist(), Y.tolist())))
    return str(path)


# -- scikit-learn ------------------------------------------------------------------------------------------------

def _regressor(act, X, Y):
    neural = pytest.importorskip("sklearn.neural_network", reason="scikit-learn not installed (extra: models)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at max_iter is the library's business here
        return neural.MLPRegressor(hidden_layer_sizes=(8,), activation=act, solver="lbfgs", alpha=0.0, max_iter=5000,
                                   tol=1e-14, random_state=0).fit(X, Y)


def test_sklearn_weights_are_exact_transposed_and_biases_negated():
    X, Y = _data()
    est = _regressor("tanh", X, Y)
    m = from_sklearn(est)
    assert m.widths == (2, 8, 1) and m.activation.name == "tanh" and m.source == "MLPRegressor"
    assert m.params["W1_3_1"] == _q(est.coefs_[0][1, 3])  # coefs_ is (in, out): symland's W is its transpose
    assert m.params["b1_5"] == -_q(est.intercepts_[0][5])  # x W + b → W x − b
    assert m.params["W2_0_7"] == _q(est.coefs_[1][7, 0]) and m.params["b2_0"] == -_q(est.intercepts_[1][0])


@pytest.mark.parametrize("act, sigma, verdicts, rechecked", [
    ("relu", "relu", [("proved", "exact")] * 2, "checked"),
    ("tanh", "tanh", [("certified", "ball")] * 2, "checked"),
    # the kernel reads σ = 1/(1 + e^(−t)): its denominator is a sum of positive exponentials, no breakpoint
    ("logistic", "sigmoid", [("certified", "ball")] * 2, "checked"),
])
def test_a_fitted_mlpregressor_certifies_and_its_certificates_recheck(act, sigma, verdicts, rechecked):
    X, Y = _data()
    m = from_sklearn(_regressor(act, X, Y))
    assert m.activation.name == sigma
    rep = certify_model(m, Dataset.from_rows(X.tolist(), Y.tolist()))
    assert [(c.verdict, c.tier) for c in rep.certificates] == verdicts and rep.ok
    assert [c.claim for c in rep.certificates] == ["thm-2.1", "prop-2.3"]
    for c in rep.certificates:
        assert recheck(c).status == rechecked, recheck(c).summary()


def test_a_classifier_is_refused_because_the_loss_is_the_squared_loss():
    neural = pytest.importorskip("sklearn.neural_network", reason="scikit-learn not installed (extra: models)")
    X, Y = _data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf = neural.MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, Y > 0)
    with pytest.raises(InputError, match="classifier .*the paper's loss is the squared loss"):
        from_sklearn(clf)
    with pytest.raises(InputError, match="no coefs_/intercepts_.*call fit first"):
        from_sklearn(neural.MLPRegressor())


# -- ONNX --------------------------------------------------------------------------------------------------------

def _graph(path, nodes, weights, p=2, out=1):
    onnx = pytest.importorskip("onnx", reason="onnx not installed (extra: models)")
    from onnx import TensorProto, helper, numpy_helper

    g = helper.make_graph(nodes, "mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, p])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, out])],
                          [numpy_helper.from_array(np.asarray(a, dtype=np.float32), k) for k, a in weights.items()])
    model = helper.make_model(g)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return str(path)


def _node(op, ins, out, **attrs):
    helper = pytest.importorskip("onnx.helper", reason="onnx not installed (extra: models)")

    return helper.make_node(op, ins, [out], **attrs)


def _fitted(act, X, Y, h=8, seed=3):
    """W1 (h, p), b1 and an output layer fitted in float64 least squares, all float32 as an exporter writes them."""
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(h, X.shape[1])).astype(np.float32), rng.normal(size=h).astype(np.float32)
    f = {"Tanh": np.tanh, "Relu": lambda z: np.maximum(z, 0)}[act]
    A = f(X @ W1.T.astype(float) + b1.astype(float))
    sol, *_ = np.linalg.lstsq(np.hstack([A, np.ones((len(X), 1))]), Y, rcond=None)
    return W1, b1, sol[:h][None, :].astype(np.float32), sol[h:].astype(np.float32)


@pytest.mark.parametrize("act, verdict", [("Tanh", "certified"), ("Relu", "proved")])
def test_an_onnx_matmul_add_then_gemm_graph_imports_exactly_and_certifies(tmp_path, act, verdict):
    X, Y = _data(seed=1)
    W1, b1, W2, b2 = _fitted(act, X, Y)
    nodes = [_node("MatMul", ["x", "W1"], "h"), _node("Add", ["b1", "h"], "a"), _node(act, ["a"], "z"),
             _node("Gemm", ["z", "W2", "b2"], "y", transB=1)]
    path = _graph(tmp_path / "net.onnx", nodes, {"W1": W1.T, "b1": b1, "W2": W2, "b2": b2})
    m = load_model(path)
    assert m.widths == (2, 8, 1) and m.activation.name == act.lower() and m.reference is not None
    assert m.params["W1_4_1"] == _q(W1[4, 1]) and m.params["b1_2"] == -_q(b1[2]) and m.params["b2_0"] == -_q(b2[0])
    rep = certify_model(m, Dataset.from_rows(X.tolist(), Y.tolist()))
    assert [c.verdict for c in rep.certificates] == [verdict, verdict] and rep.ok
    for c in rep.certificates:
        assert recheck(c).status == "checked", recheck(c).summary()


def test_symland_certify_reads_an_onnx_file_and_exits_0(tmp_path, capsys):
    X, Y = _data(seed=1)
    W1, b1, W2, b2 = _fitted("Tanh", X, Y)
    nodes = [_node("Gemm", ["x", "W1", "b1"], "a", transB=1), _node("Tanh", ["a"], "z"),
             _node("Gemm", ["z", "W2", "b2"], "y", transB=1)]
    path = _graph(tmp_path / "net.onnx", nodes, {"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    assert main(["certify", "--model", path, "--data", _csv(tmp_path / "d.csv", X, Y)]) == 0
    assert "certified" in capsys.readouterr().out


@pytest.mark.parametrize("nodes, words", [
    ([("Gemm", ["x", "W1", "b1"], "a"), ("Softmax", ["a"], "z"), ("Gemm", ["z", "W2", "b2"], "y")],
     "node 1 (Softmax): operator Softmax is not imported"),
    ([("Gemm", ["x", "W1", "b1"], "a"), ("Gemm", ["a", "W2", "b2"], "y")],
     "directly follows another with no activation between"),
    ([("Gemm", ["x", "W1", "b1"], "a"), ("Tanh", ["a"], "z"), ("Gemm", ["z", "W2", "b2"], "w"), ("Relu", ["w"], "y")],
     "the activation Relu comes after the last linear layer"),
])
def test_an_onnx_graph_that_is_not_an_mlp_is_refused_naming_the_operator(tmp_path, capsys, nodes, words):
    X, Y = _data()
    W1, b1, W2, b2 = _fitted("Tanh", X, Y)
    weights = {"W1": W1.T, "b1": b1, "W2": W2.T, "b2": b2}
    path = _graph(tmp_path / "net.onnx", [_node(*n) for n in nodes], weights)
    with pytest.raises(InputError, match=re.escape(words)):
        from_onnx(path)
    assert main(["certify", "--model", path, "--data", _csv(tmp_path / "d.csv", X, Y)]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_onnx_gemm_that_scales_its_weights_is_refused(tmp_path):
    X, Y = _data()
    W1, b1, W2, b2 = _fitted("Tanh", X, Y)
    nodes = [_node("Gemm", ["x", "W1", "b1"], "a", alpha=0.5), _node("Tanh", ["a"], "z"),
             _node("Gemm", ["z", "W2", "b2"], "y")]
    path = _graph(tmp_path / "net.onnx", nodes, {"W1": W1.T, "b1": b1, "W2": W2.T, "b2": b2})
    with pytest.raises(InputError, match="Gemm with alpha = 0.5"):
        from_onnx(path)


def test_an_onnx_identity_between_layers_is_a_linear_network(tmp_path):
    nodes = [_node("Gemm", ["x", "W1", "b1"], "a"), _node("Identity", ["a"], "z"),
             _node("Gemm", ["z", "W2", "b2"], "y")]
    path = _graph(tmp_path / "net.onnx", nodes, {"W1": [[1.0, 2.0]], "b1": [0.5, 0.25], "W2": [[3.0], [1.0]],
                                                     "b2": [-1.0]}, p=1)
    m = from_onnx(path)
    assert m.widths == (1, 2, 1) and m.activation.name == "identity"
    assert (m.params["W1_1_0"], m.params["b1_0"], m.params["b2_0"]) == (fmpq(2), fmpq(-1, 2), fmpq(1))


def test_without_onnx_an_onnx_file_is_one_line_naming_the_extra(tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "onnx", None)  # as if it were not installed
    (tmp_path / "net.onnx").write_bytes(b"not read")
    X, Y = _data()
    assert main(["certify", "--model", str(tmp_path / "net.onnx"), "--data", _csv(tmp_path / "d.csv", X, Y)]) == 2
    assert "ONNX models need the optional package onnx (pip install 'symland[models]')" in capsys.readouterr().err


def test_torch_onnx_export_of_a_sequential_imports(tmp_path):
    torch = pytest.importorskip("torch", reason="torch not installed: torch.onnx.export not available")
    pytest.importorskip("onnx", reason="onnx not installed (extra: models)")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(2, 5), torch.nn.Tanh(), torch.nn.Linear(5, 1))
    path = str(tmp_path / "net.onnx")
    torch.onnx.export(net, torch.zeros(1, 2), path, input_names=["x"], output_names=["y"])
    m = load_model(path)
    assert m.widths == (2, 5, 1) and m.activation.name == "tanh"
    assert m.params["b1_3"] == -_q(net[0].bias.detach().double()[3])


def test_importing_symland_and_the_cli_imports_neither_onnx_nor_sklearn():
    import subprocess
    import sys

    code = ("import sys, symland, proofs_check.cli, proofs_check.commands.certify_model; "
            "print(sorted(m for m in ('onnx', 'sklearn', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("nodes, words", [
    ([("MatMul", ["x", "x"], "a"), ("Tanh", ["a"], "z"), ("Gemm", ["z", "W2", "b2"], "y")],
     "node 0 (MatMul): MatMul must take the data as its first operand and a weight as its second"),
    ([("MatMul", ["x", "W1"], "h"), ("Add", ["h", "h"], "a"), ("Tanh", ["a"], "z"), ("Gemm", ["z", "W2", "b2"], "y")],
     "node 1 (Add): Add must add one weight (the bias) to the chain's tensor"),
    ([("Gemm", ["x", "W1", "b1"], "a"), ("Tanh", ["a"], "z"), ("Gemm", ["z", "z", "b2"], "y")],
     "node 2 (Gemm): Gemm's operand B must be a weight"),
    ([("Gemm", ["x", "W1", "b1"], "a"), ("Tanh", ["a"], "z"), ("Gemm", ["x", "W2", "b2"], "y")],
     "node 2 (Gemm): it does not read the chain's current tensor 'z' (a branch)"),
])
def test_an_onnx_graph_with_odd_operands_is_refused_in_one_line(tmp_path, nodes, words):
    X, Y = _data()
    W1, b1, W2, b2 = _fitted("Tanh", X, Y)
    path = _graph(tmp_path / "net.onnx", [_node(*n) for n in nodes], {"W1": W1.T, "b1": b1, "W2": W2.T, "b2": b2})
    with pytest.raises(InputError, match=re.escape(words)):
        from_onnx(path)


def test_an_onnx_weight_transposed_in_the_graph_is_followed_through(tmp_path):
    X, Y = _data(seed=1)
    W1, b1, W2, b2 = _fitted("Tanh", X, Y)
    nodes = [_node("Transpose", ["W1"], "W1t", perm=[1, 0]), _node("MatMul", ["x", "W1t"], "h"),
             _node("Add", ["h", "b1"], "a"), _node("Tanh", ["a"], "z"), _node("Gemm", ["z", "W2", "b2"], "y", transB=1)]
    path = _graph(tmp_path / "net.onnx", nodes, {"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    m = from_onnx(path)
    assert m.widths == (2, 8, 1) and m.params["W1_4_1"] == _q(W1[4, 1]) and m.reference is not None


def test_a_pipeline_is_refused_saying_what_to_import():
    pytest.importorskip("sklearn", reason="scikit-learn not installed (extra: models)")
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, Y = _data()
    pipe = make_pipeline(StandardScaler(), _regressor("tanh", X, Y))
    with pytest.raises(InputError, match=r"a Pipeline; import its MLPRegressor \(pipeline\[-1\]\)"):
        from_sklearn(pipe)
    assert from_sklearn(pipe[-1]).widths == (2, 8, 1)
