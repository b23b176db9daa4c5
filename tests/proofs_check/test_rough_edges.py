"""Issue 24's rough edges, one test (or a few) each: what a new user met, and what they meet now."""

from __future__ import annotations

import json

import pytest

from proofs_check import cli

# -- `symland recheck results.jsonl` ---------------------------------------------------------------------------

def _sweep_rows(tmp_path, count=2):
    import proofs_check.sweep
    from proofs_check.sweep._results import stamped
    from proofs_check.sweep._worker import run_instance
    from proofs_check.sweep.spec import parse_spec

    spec = parse_spec({"count": count, "seed": 7, "widths": [[2, 4, 1]], "activations": ["rectpow3"],
                       "data": {"d": [2, 3], "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"],
                       "tier": "auto"})
    rows = []
    for k in range(count):
        for row in run_instance(proofs_check.sweep._payload(spec, k, str(tmp_path), None))["rows"]:
            rows.append(stamped(row, spec.fingerprint(), k))
    return rows


def test_recheck_reads_a_sweep_results_file_line_by_line(tmp_path, capsys):
    rows = _sweep_rows(tmp_path)
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert cli.main(["recheck", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "4 certificates re-checked: 4 checked, 0 partial, 0 unchecked, 0 rejected"
    assert sorted(line.split(" (")[0] for line in out[:-1]) == ["ok lem-3.3 s7-00000", "ok lem-3.3 s7-00001",
                                                                "ok thm-2.1 s7-00000", "ok thm-2.1 s7-00001"]


def test_a_tampered_sweep_row_is_rejected_and_a_broken_line_is_one_line_exit_2(tmp_path, capsys):
    rows = _sweep_rows(tmp_path, count=1)
    thm = next(r for r in rows if r["claim"] == "thm-2.1")
    name = next(iter(thm["witness"]["point"]))
    thm["witness"]["point"][name] = "12345/7"  # m moved off M
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert cli.main(["recheck", str(path)]) == 1
    assert "REJECTED thm-2.1 s7-00000" in capsys.readouterr().out
    rows[0]["sweep"] = {"spec": "not hex", "index": -1}  # a malformed stamp: the row is rejected naming the field
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert cli.main(["recheck", str(path)]) == 1
    assert "REJECTED lem-3.3 s7-00000 (proved): malformed certificate: certificate format v1: at sweep/spec" \
        in capsys.readouterr().out
    path.write_text(json.dumps(rows[1]) + "\n" + '{"claim": "thm-2.1", "verd\n')
    assert cli.main(["recheck", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2 is not valid JSON" in err


# -- the help lists the global claims; `from proofs_check import certify_model` is the function -----------------

def test_the_help_lists_the_opt_in_global_claim_ids(capsys):
    assert cli.main(["--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Claim ids: thm-2.1 rem-2.2 prop-2.3 lem-3.3 cor-3.4 thm-4.1 rem-4.2 sec-5; opt-in (--claim ID, need " \
           "msolve: pip install 'symland[global]'): thm-2.1-global dim-M-global." in out


def test_certify_model_from_the_package_is_the_function_even_after_the_old_module_path_is_imported():
    import subprocess
    import sys

    code = ("import proofs_check.certify_model; from proofs_check.certify_model import certify_model as a; "
            "from proofs_check import certify_model as b; import proofs_check.commands.certify_model as m; "
            "print(callable(b), a is b is m.certify_model, type(b).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "function"]


# -- your data: no paper expectation; a global refutation is a finding ---------------------------------------------

def test_on_user_data_rows_carry_no_expectation_and_the_table_no_not_as_expected_footer(tmp_path, capsys):
    (tmp_path / "pts.csv").write_text("x1,y\n0,1\n1,-1\n3,2\n")
    argv = ["verify", "--data", str(tmp_path / "pts.csv"), "--activation", "rectpow3", "--quiet"]
    assert cli.main(argv + ["--claim", "thm-2.1", "--claim", "thm-4.1"]) == 1  # thm-4.1: σ not smooth
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == ("2 claims checked: 1 proved, 0 certified, 0 numerical, 0 refuted, 1 hypothesis-fails, "
                       "0 inconclusive")
    assert not any(line.startswith("!") for line in out) and "expected" not in "\n".join(out)
    assert cli.main(argv + ["--claim", "thm-2.1", "--json"]) == 0
    assert [c["expected"] for c in json.loads(capsys.readouterr().out)] == [None]


def test_an_exact_refutation_of_a_global_claim_is_a_finding_and_of_a_local_claim_a_failure():
    from proofs_check.certificate import Certificate
    from proofs_check.commands.exit_status import exit_status

    def cert(claim, verdict, tier="exact"):
        return Certificate(claim, "mine", verdict, tier, "", (), {}, 0.0)

    assert exit_status([cert("thm-2.1-global", "refuted"), cert("thm-2.1", "proved")]) == 0
    assert exit_status([cert("dim-M-global", "refuted")], asked_tier="exact") == 0
    assert exit_status([cert("thm-2.1", "refuted")]) == 1  # a local claim refuted contradicts the paper
    assert exit_status([cert("thm-2.1-global", "inconclusive", "none")]) == 1


# -- the table never cuts the hint that says what to do -------------------------------------------------------

def test_a_long_evidence_keeps_its_hint_and_one_without_a_hint_is_still_cut():
    from proofs_check.certificate import Certificate, format_table

    long = "the minor's determinant " + "is a long story " * 30
    hinted = Certificate("thm-2.1", "mine", "inconclusive", "exact", long + "— try --tier ball (Arb enclosures: "
                         "certified)", (), {}, 0.0)
    table = format_table([hinted], width=100)
    assert "try --tier ball (Arb enclosures: certified)" in " ".join(table.split())
    plain = Certificate("thm-2.1", "mine", "inconclusive", "exact", long, (), {}, 0.0)
    rows = format_table([plain], width=100).splitlines()[2:-2]
    assert len(rows) == 3 and rows[-1].endswith("…")


# -- a bias-free odd σ on data with x and −x, y not odd: M is empty, and why ---------------------------------------

def test_a_bias_free_odd_sigma_on_asymmetric_data_says_M_is_empty_and_why(tmp_path, capsys):
    (tmp_path / "odd.csv").write_text("x1,y\n1,1\n-1,1\n2,3\n")
    argv = ["verify", "--data", str(tmp_path / "odd.csv"), "--activation", "tanh", "--no-bias", "--widths", "1,4,1",
            "--quiet", "--claim", "thm-2.1", "--json"]
    assert cli.main(argv) == 1
    (c,) = json.loads(capsys.readouterr().out)
    assert (c["verdict"], c["evidence"]) == ("hypothesis-fails", "hypothesis fails: M is empty (x_2 = −x_1 but "
                                             "y_2 ≠ −y_1; σ odd, no biases: f(−x) = −f(x))")
    assert c["hypotheses"][0]["status"].endswith("x_1 = (1) and x_2 = (-1) = −x_1 have y_1 = (1), y_2 = (1) ≠ −y_1")


def test_the_symmetries_are_decided_exactly_and_say_nothing_when_they_do_not_bite():
    from symland import Dataset, get_activation
    from symland.networks.symmetry import empty_without_biases, is_odd

    assert [is_odd(get_activation(n)) for n in ("tanh", "identity", "poly:0,1,0,2", "relu", "sigmoid", "square")] \
        == [True, True, True, False, False, False]
    odd_data = Dataset.from_rows([[1, 2], [-1, -2], [0, 1]], [[1, 2], [-1, -2], [5, 0]])
    assert empty_without_biases(get_activation("tanh"), odd_data) is None  # y odd on the pair: no contradiction
    zero = Dataset.from_rows([[0], [1]], [2, 1])
    assert empty_without_biases(get_activation("relu"), zero)[0] == "x_1 = 0 but y_1 ≠ 0; σ(0) = 0, no biases: f(0) = 0"
    assert empty_without_biases(get_activation("sigmoid"), zero) is None  # σ(0) = 1/2: f(0) can be anything


# -- symland train: the least-squares start already interpolates --------------------------------------------------

def test_train_says_the_least_squares_start_already_interpolates_instead_of_after_0_steps(tmp_path, capsys):
    (tmp_path / "pts.csv").write_text("x1,y\n0,1\n1,-1\n3,2\n")
    argv = ["train", "--data", str(tmp_path / "pts.csv"), "--widths", "1,8,1", "--activation", "tanh", "--quiet",
            "--out", str(tmp_path / "m.npz")]
    assert cli.main(argv) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "; the least-squares start already interpolates (no LM step needed), in " in first
    assert "after 0 LM steps" not in first


def test_train_on_data_no_bias_free_network_fits_says_why(tmp_path, capsys):
    (tmp_path / "odd.csv").write_text("x1,y\n1,1\n-1,1\n2,3\n")
    argv = ["train", "--data", str(tmp_path / "odd.csv"), "--widths", "1,4,1", "--activation", "tanh", "--no-bias",
            "--quiet", "--steps", "20", "--out", str(tmp_path / "m.npz")]
    assert cli.main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert "after 20 LM steps" in out[0]
    assert out[1].startswith("no network of this shape fits these data (M is empty): σ = tanh is odd")


# -- sweeps: a --scheduler that is not one; no dask warnings at the end or on Ctrl-C ----------------------------

SWEEP_SPEC = {"count": 6, "seed": 7, "widths": [[2, 4, 1], [1, 3, 1]], "activations": ["rectpow3"],
              "data": {"d": [2, 3], "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"],
              "tier": "auto"}


def _server(greeting: bytes | None):
    """A TCP server on 127.0.0.1 that sends ``greeting`` (None: nothing, like an HTTP server) to each connection."""
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()

    def serve():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            if greeting is not None:
                conn.sendall(greeting)
            threading.Timer(5, conn.close).start()

    threading.Thread(target=serve, daemon=True).start()
    return srv


@pytest.mark.parametrize("greeting, words", [
    (None, "not a dask scheduler: it accepted the connection but sent nothing in 1 s"),
    (b"SSH-2.0-OpenSSH_9.6\r\n", "not a dask scheduler: it answered 'SSH-2.0-OpenSSH_9.6', not a dask message"),
])
def test_a_scheduler_address_that_is_not_a_dask_scheduler_says_so_exit_2(tmp_path, capsys, monkeypatch, greeting,
                                                                         words):
    pytest.importorskip("distributed", reason="dask.distributed is not installed: pip install '.[sweep]'")
    import proofs_check.sweep

    monkeypatch.setattr(proofs_check.sweep, "CONNECT_TIMEOUT", "1s")
    srv = _server(greeting)
    try:
        (tmp_path / "spec.json").write_text(json.dumps(SWEEP_SPEC))
        address = f"tcp://127.0.0.1:{srv.getsockname()[1]}"
        argv = ["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "r.jsonl"), "--scheduler", address]
        assert cli.main(argv) == 2
    finally:
        srv.close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--scheduler {address}: {words}" in err


def _sweep_process(tmp_path, count):
    import os
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "spec.json").write_text(json.dumps({**SWEEP_SPEC, "count": count}))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    argv = [sys.executable, "-m", "proofs_check.cli", "sweep", str(tmp_path / "spec.json"), "--out",
            str(tmp_path / "r.jsonl"), "--workers", "2"]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def test_a_sweep_ends_without_dask_warnings(tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed is not installed: pip install '.[sweep]'")
    proc = _sweep_process(tmp_path, 6)
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    assert err.splitlines()[-1].startswith("sweep: 6/6 instances, done in ")
    assert "WARNING" not in err and "Traceback" not in err and "measuring" not in err.splitlines()[-1]


def test_ctrl_c_on_a_sweep_stops_it_without_dask_warnings_or_tracebacks(tmp_path):
    import os
    import signal
    import time

    pytest.importorskip("distributed", reason="dask.distributed is not installed: pip install '.[sweep]'")
    proc = _sweep_process(tmp_path, 400)
    out = tmp_path / "r.jsonl"
    try:
        t = time.monotonic()
        while time.monotonic() - t < 120 and (not out.exists() or out.stat().st_size < 500):
            time.sleep(0.2)
        assert out.exists() and out.stat().st_size >= 500, "the sweep wrote nothing in 120 s"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C on a terminal does: the whole process group
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130
    assert "interrupted; " in err and "rerun with --resume" in err
    assert "WARNING" not in err and "Traceback" not in err and "KeyboardInterrupt" not in err, err


# -- inspect --spectrum beyond the n × n Hessian ------------------------------------------------------------------

def _inspect_spectrum(tmp_path, capsys, point):
    (tmp_path / "pts.csv").write_text("x1,y\n0,1\n1,-1\n3,2\n")
    (tmp_path / "p.json").write_text(json.dumps(point))
    argv = ["inspect", "--data", str(tmp_path / "pts.csv"), "--widths", "1,3,1", "--activation", "rectpow3",
            "--point", str(tmp_path / "p.json"), "--spectrum", "--json"]
    assert cli.main(argv) == 0
    return json.loads(capsys.readouterr().out)


#: Lemma 3.3's network on the three points (symland construct … --json)
ON_M = {"W1_0_0": "1", "W1_1_0": "1", "W1_2_0": "1", "b1_0": "-1/2", "b1_1": "1/2", "b1_2": "2",
        "W2_0_0": "8", "W2_0_1": "-224", "W2_0_2": "3159", "b2_0": "0"}


def test_inspect_spectrum_beyond_the_hessian_limit_comes_from_the_gram_matrix_on_M(tmp_path, capsys, monkeypatch):
    import numpy as np

    from symland.point import landscape

    full = _inspect_spectrum(tmp_path, capsys, ON_M)
    assert full["on_M"] is True and len(full["spectrum"]) == 10 and "spectrum_part" not in full
    monkeypatch.setattr(landscape, "HESSIAN_LIMIT", 5)  # n = 10 > 5: the n × n Hess L is not built
    big = _inspect_spectrum(tmp_path, capsys, ON_M)
    assert big["spectrum_part"] == ("n = 10 > 5: the n × n Hess L is not built; on M, Hess L = 2J_HᵀJ_H: its 3 "
                                    "largest eigenvalues are those of the 3 × 3 Gram matrix 2J_H J_Hᵀ, the other 7 "
                                    "are 0")
    assert big["spectrum"][:7] == [0.0] * 7
    assert np.allclose(big["spectrum"], full["spectrum"], rtol=1e-9, atol=1e-9 * max(full["spectrum"]))


def test_inspect_spectrum_beyond_the_limit_off_M_says_which_part_is_computed(tmp_path, capsys, monkeypatch):
    from symland.point import landscape

    monkeypatch.setattr(landscape, "HESSIAN_LIMIT", 5)
    off = _inspect_spectrum(tmp_path, capsys, {**ON_M, "b2_0": "1"})
    assert off["on_M"] is False and len(off["spectrum"]) == 10
    assert off["spectrum_part"].startswith("n = 10 > 5: the n × n Hess L is not built; off M: the Gauss–Newton part "
                                           "2J_HᵀJ_H only (the eigenvalues of the 3 × 3 Gram matrix")
    assert off["spectrum_part"].endswith("the residual term 2Σ f_i Hess f_i not computed")


def test_the_float_gram_matrix_of_a_bias_free_network_has_no_bias_term():
    import numpy as np

    from symland import Dataset, mlp
    from symland.networks.floating import jacobian
    from symland.networks.gram import gram

    data = Dataset.from_rows([[1, 2], [3, -1], [0, 1]], [1, 2, 3])
    for bias in (True, False):
        net = mlp((2, 5, 1), "tanh", bias=bias)
        x = np.random.default_rng(0).normal(size=net.n)
        _, J = jacobian(net, data, x)
        assert np.allclose(gram(net, data, x)[1], J @ J.T, rtol=1e-12, atol=1e-12)
