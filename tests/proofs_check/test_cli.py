"""The symland command: outputs, JSON, exit codes, and one-line errors for every bad input."""

import json

import pytest

from proofs_check.cli import main

XOR_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


@pytest.fixture
def xor(tmp_path):
    path = tmp_path / "xor.csv"
    path.write_text(XOR_CSV)
    return path


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_on_user_data_proves_the_chosen_claims(capsys, xor):
    code, out, err = _run(capsys, "verify", "--data", str(xor), "--activation", "smoolu",
                          "--claim", "lem-3.3", "--claim", "thm-4.1")
    assert code == 0, out + err
    assert out.count("proved") >= 2 and "lem-3.3" in out and "thm-4.1" in out


def test_verify_json_is_a_list_of_certificates(capsys, xor):
    code, out, _ = _run(capsys, "verify", "--data", str(xor), "--activation", "rectpow3",
                        "--widths", "2,5,1", "--claim", "thm-2.1", "--json")
    certs = json.loads(out)
    assert code == 0
    assert [c["verdict"] for c in certs] == ["proved"]
    assert set(certs[0]) >= {"claim", "instance", "verdict", "tier", "evidence", "hypotheses", "seconds"}


def test_construct_json_gives_exact_strings(capsys, xor):
    code, out, _ = _run(capsys, "construct", "--data", str(xor), "--activation", "smoolu", "--json")
    obj = json.loads(out)
    assert code == 0
    assert obj["widths"] == [2, 4, 1] and obj["order"] == [1, 3, 2, 4]  # a = (1, 2): a·x = 0, 2, 1, 3
    assert obj["A"][0] == ["exp(-2)/2", "0", "0", "0"]
    assert obj["params"]["W2_0_1"] == "2*exp(2)"


def test_inspect_json_gives_the_exact_maps(capsys, xor, tmp_path):
    names = [f"W1_{i}_{j}" for i in range(3) for j in range(2)] + [f"b1_{i}" for i in range(3)] \
        + [f"W2_0_{j}" for j in range(3)] + ["b2_0"]
    point = tmp_path / "point.json"
    point.write_text(json.dumps({k: "1" for k in names}))
    code, out, _ = _run(capsys, "inspect", "--data", str(xor), "--widths", "2,3,1", "--activation",
                        "rectpow3", "--point", str(point), "--json")
    obj = json.loads(out)
    assert code == 0
    assert obj["params"] == names
    # f(x) = 3·(x1 + x2 − 1)³₊ − 1: residuals −1, −2, −2, 3·1 − 1 − 0 = 2
    assert obj["H"] == ["-1", "-2", "-2", "2"]
    assert obj["loss"] == "13"
    assert len(obj["hessian"]) == 13 and len(obj["J"]) == 4


def test_a_point_file_from_construct_verifies(capsys, xor, tmp_path):
    _, out, _ = _run(capsys, "construct", "--data", str(xor), "--activation", "smoolu", "--json")
    point = tmp_path / "p.json"
    point.write_text(json.dumps(json.loads(out)["params"]))
    code, out, _ = _run(capsys, "verify", "--data", str(xor), "--point", str(point), "--claim", "prop-2.3")
    assert code == 0 and "proved" in out


def _bad(capsys, *argv):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symland: error:"), err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("content,fragment", [
    ("x1,x2,y\n0,0,1\n1,1\n", "expected 3 values"),
    ("x1,x2,y\n0,0,1\n1,abc,2\n", "'abc'"),
    ("x1,x2,y\n0,0,1\n1,nan,2\n", "nan"),
    ("x1,x2,y\n0,0,1\n1,inf,2\n", "inf"),
    ("x1,x2\n0,0\n", "y"),
    ("", "empty"),
])
def test_bad_data_files_give_one_line_and_exit_2(capsys, tmp_path, content, fragment):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    line = _bad(capsys, "verify", "--data", str(path))
    assert fragment in line


def test_duplicate_inputs_name_the_rows_and_exit_2(capsys, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("x1,y\n0,1\n1,2\n0,3\n")
    line = _bad(capsys, "verify", "--data", str(path), "--claim", "lem-3.3")
    assert "rows 1 and 3" in line or "x_i distinct" in line


def test_widths_that_do_not_match_the_data_exit_2(capsys, xor):
    assert "p = 2" in _bad(capsys, "verify", "--data", str(xor), "--widths", "3,4,1")
    assert "ℓ = 1" in _bad(capsys, "verify", "--data", str(xor), "--widths", "2,4,2")
    assert "--widths" in _bad(capsys, "verify", "--data", str(xor), "--widths", "2,x,1")


def test_point_files_with_missing_or_unknown_parameters_exit_2(capsys, xor, tmp_path):
    point = tmp_path / "p.json"
    point.write_text(json.dumps({"W1_0_0": "1"}))
    assert "missing parameter" in _bad(capsys, "verify", "--data", str(xor), "--point", str(point))
    point.write_text(json.dumps({"nope": "1"}))
    assert "unknown parameter 'nope'" in _bad(capsys, "verify", "--data", str(xor), "--point", str(point))
    point.write_text("{not json")
    assert "malformed point file (JSON) at line 1" in _bad(capsys, "verify", "--data", str(xor), "--point", str(point))


def test_unknown_activation_and_claim_exit_2(capsys, xor):
    assert "swish" in _bad(capsys, "verify", "--data", str(xor), "--activation", "swish")
    assert "thm-9.9" in _bad(capsys, "verify", "--claim", "thm-9.9")
    assert "missing.csv" in _bad(capsys, "verify", "--data", "missing.csv")


def test_too_few_parameters_is_a_hypothesis_failure_with_exit_1_not_bad_input(capsys, tmp_path):
    path = tmp_path / "five.csv"
    path.write_text("x1,y\n0,0\n1,1\n2,0\n3,1\n4,0\n")
    code, out, err = _run(capsys, "verify", "--data", str(path), "--widths", "1,1,1", "--claim", "thm-2.1",
                          "--activation", "rectpow3")
    assert code == 1 and "hypothesis-fails" in out and "n > d" in out
    assert err == ""


def test_claims_lists_every_id(capsys):
    code, out, _ = _run(capsys, "claims")
    assert code == 0
    assert [line.split()[0] for line in out.strip().splitlines()] == [
        "thm-2.1", "rem-2.2", "prop-2.3", "lem-3.3", "cor-3.4", "thm-4.1", "rem-4.2", "sec-5",
        "thm-2.1-global", "dim-M-global"]


def test_a_dag_network_file_is_verified_at_a_point(capsys, tmp_path):
    from proofs_check.instances import SHARED_DAG, SHARED_POINT

    data = tmp_path / "d.csv"
    data.write_text("x1,x2,y\n0,1,1\n1,1,0\n2,0,2\n")
    net = tmp_path / "net.json"
    net.write_text(json.dumps(SHARED_DAG))
    point = tmp_path / "p.json"
    point.write_text(json.dumps(dict(SHARED_POINT)))
    code, out, err = _run(capsys, "verify", "--data", str(data), "--network", str(net), "--point", str(point))
    assert code == 0, out + err
    assert out.count("proved") == 3 and "thm-2.1" in out and "prop-2.3" in out  # 2 rows + summary
    assert "--network or --widths" in _bad(capsys, "verify", "--data", str(data), "--network", str(net),
                                          "--widths", "2,3,1")
