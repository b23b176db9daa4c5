"""Every input bounded (issue 11): each crash, hang and misleading output found by hand, as a test that failed before.

Each test names the mechanism it pins down: one exact-value parser, one JSON reader, primes chosen against the
denominators at hand, integers printed by flint, a deadline and a memory limit for every command.
"""

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from symland.activations import get_activation
from symland.budget import memory_limit
from symland.data import number_text, parse_exact
from symland.linalg import random_prime

from proofs_check.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _one_line_error(capsys, *argv) -> str:
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("symland: error: ")
    return captured.err


@pytest.fixture()
def pts(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text("x1,y\n0,1\n1,-1\n3,2\n", encoding="utf-8")
    return str(path)


def test_a_leading_plus_is_read_everywhere_an_exact_value_is(tmp_path, pts, capsys):
    assert parse_exact("+1/2") == parse_exact("1/2") and parse_exact("+.5e1") == 5
    data = tmp_path / "plus.csv"
    data.write_text("x1,y\n+1/2,0\n1,+1\n3,+2e0\n", encoding="utf-8")
    assert main(["verify", "--data", str(data), "--activation", "rectpow3", "--claim", "thm-2.1"]) == 0
    capsys.readouterr()
    assert get_activation("poly:+1/2,+1").name == "poly:1/2,1"
    assert get_activation("relu_after+1/2").name == "relu_after1/2"
    assert main(["verify", "--data", pts, "--activation", "relu_after+1/2", "--claim", "lem-3.3", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["verdict"] == "refuted"  # σ = 0 on (0, 1/2]: A's diagonal vanishes
    point = tmp_path / "p.json"
    names = ["W1_0_0", "b1_0", "W2_0_0", "b2_0"]
    point.write_text(json.dumps(dict(zip(names, ["+1", "+0", "+1/2", "+0"]))), encoding="utf-8")
    assert main(["inspect", "--data", pts, "--widths", "1,1,1", "--activation", "rectpow3", "--point", str(point),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["H"] == ["-1", "3/2", "23/2"]  # f(x) = x³/2 (x > 0), y = (1, -1, 2)


def test_a_kink_of_sigma_away_from_0_is_named_not_a_stop_iteration(pts, capsys, tmp_path):
    point = tmp_path / "kink.json"  # x = 1: pre-activation 1·1 − 1/2 = 1/2, the kink of relu_after1/2
    point.write_text(json.dumps({"W1_0_0": "1", "b1_0": "1/2", "W2_0_0": "1", "b2_0": "0"}), encoding="utf-8")
    assert main(["verify", "--data", pts, "--activation", "relu_after1/2", "--widths", "1,1,1", "--point",
                 str(point), "--claim", "thm-2.1", "--tier", "exact", "--json"]) == 1
    cert = json.loads(capsys.readouterr().out)[0]  # a hypothesis that fails is a verdict (exit 1), not bad input
    assert cert["verdict"] == "hypothesis-fails"
    assert "not differentiable at t = 1/2" in cert["evidence"]
    assert "(unit 0 of hidden layer 1 on data point 2)" in cert["evidence"]


def test_integers_past_pythons_4300_digit_limit_print_whole_in_json_and_shortened_in_text(tmp_path, capsys):
    data = tmp_path / "big.csv"
    data.write_text("x1,y\n0,1\n1,-1\n3,1e5000\n", encoding="utf-8")
    assert main(["construct", "--data", str(data), "--activation", "smoolu", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["params"]["W2_0_2"].startswith("1" + "0" * 5000 + "*exp(1) + ")
    assert main(["construct", "--data", str(data), "--activation", "smoolu"]) == 0
    assert "W2_0_2 = 10000000000000000000…00000000000000000000 (5001 digits)*exp(1)" in capsys.readouterr().out
    assert main(["verify", "--data", str(data), "--activation", "smoolu", "--claim", "thm-2.1"]) == 0
    assert number_text(-(10**4400))[:3] == "-10" and len(number_text(10**4400)) == 4401


def test_deeply_nested_json_in_point_and_network_files_is_one_line(tmp_path, pts, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    assert "nested too deeply" in _one_line_error(capsys, "verify", "--data", pts, "--point", str(deep))
    assert "nested too deeply" in _one_line_error(capsys, "verify", "--data", pts, "--network", str(deep))
    deep.write_text('{"inputs": ' + "[" * 900 + "]" * 900 + "}", encoding="utf-8")
    _one_line_error(capsys, "verify", "--data", pts, "--network", str(deep))


def test_a_network_node_output_flag_must_be_a_json_boolean(tmp_path, pts, capsys):
    net = {"inputs": ["x1"], "nodes": [{"id": "h", "bias": "b"}, {"id": "o", "bias": "c", "output": 0}],
           "edges": [{"from": "x1", "to": "h", "weight": "w"}, {"from": "h", "to": "o", "weight": "v"}]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(net), encoding="utf-8")
    assert '"output" is true or false' in _one_line_error(capsys, "verify", "--data", pts, "--network", str(path))


def test_plot_into_a_file_or_an_uncreatable_directory_is_one_line_before_any_work(tmp_path, pts, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert "exists and is not a directory" in _one_line_error(capsys, "verify", "--data", pts, "--plot", str(afile))
    assert "cannot create the directory" in _one_line_error(capsys, "verify", "--data", pts, "--plot",
                                                            str(afile / "sub"))


def test_activation_expr_with_a_network_file_is_refused_not_ignored(tmp_path, pts, capsys):
    net = {"inputs": ["x1"], "nodes": [{"id": "h", "bias": "b"}, {"id": "o", "bias": "c", "output": True}],
           "edges": [{"from": "x1", "to": "h", "weight": "w"}, {"from": "h", "to": "o", "weight": "v"}]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(net), encoding="utf-8")
    err = _one_line_error(capsys, "verify", "--data", pts, "--network", str(path), "--activation-expr", "x^2")
    assert "--activation-expr cannot be combined with --network" in err


def _engine_primes(count: int) -> list[int]:
    rng = random.Random(20181127)  # the seed of symland.rank.prove_rank
    return [random_prime(rng) for _ in range(count)]


@pytest.mark.parametrize("activation", ["rectpow3", "smoolu"])
def test_denominators_made_of_the_engines_primes_still_give_a_proof_the_rechecker_accepts(tmp_path, capsys,
                                                                                         activation):
    P = 1
    for p in _engine_primes(80):
        P *= p
    data = tmp_path / "adv.csv"
    data.write_text(f"x1,y\n1/{P},1/{P}\n2/{P},3\n5,1/{P}\n", encoding="utf-8")
    assert main(["verify", "--data", str(data), "--activation", activation, "--claim", "thm-2.1", "--json"]) == 0
    text = capsys.readouterr().out
    cert = json.loads(text, parse_int=str)[0]  # N of the e^(k/N) map has more than 4,300 digits
    assert cert["verdict"] == "proved"
    primes = [int(v) for k, v in _walk(cert["witness"]) if k == "prime"]
    assert primes and all(P % p != 0 for p in primes)
    saved = tmp_path / "cert.json"
    saved.write_text(text, encoding="utf-8")
    assert main(["recheck", "--strict", str(saved)]) == 0
    assert "1 checked" in capsys.readouterr().out


def _walk(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v)


def test_random_prime_skips_every_prime_dividing_the_number_to_avoid():
    first = _engine_primes(3)
    avoid = first[0] * first[1] * first[2]
    p = random_prime(random.Random(20181127), avoid=avoid)
    assert p not in first and avoid % p != 0


def test_construct_stops_at_its_deadline_with_one_line_and_exit_1(pts, capsys, monkeypatch):
    import time

    import proofs_check.claims.lem_3_3

    monkeypatch.setattr(proofs_check.claims.lem_3_3, "check", lambda *a, **k: time.sleep(60))
    assert main(["construct", "--data", pts, "--activation", "rectpow3", "--timeout", "0.5"]) == 1
    assert capsys.readouterr().err == "symland: construct: stopped, not finished within the --timeout of 0.5 s\n"


@pytest.mark.parametrize("command", ["verify", "construct", "inspect", "explain", "claims", "recheck"])
def test_every_command_takes_the_same_timeout_option(command, capsys):
    assert main([command, "--help"]) == 0
    assert "--timeout SECONDS" in capsys.readouterr().out


def test_a_memory_limit_turns_runaway_allocation_into_memory_error():
    with pytest.raises(MemoryError):
        with memory_limit(2**30):
            bytearray(2**31)
    bytearray(2**20)  # the limit is lifted again


def test_output_piped_into_head_ends_without_a_traceback():
    proc = subprocess.run(f"{sys.executable} -m proofs_check.cli claims --timeout 60 | head -c 10",
                          shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.stdout == "thm-2.1   " and "Traceback" not in proc.stderr


@pytest.mark.parametrize("value", ["-" * 2000 + "1", "(" * 2000 + "1" + ")" * 2000, "exp(" * 400 + "1" + ")" * 400,
                                   "1e999999*" * 30 + "1"])
def test_a_point_value_nested_deeply_or_multiplied_past_the_bit_limit_is_one_line(tmp_path, pts, capsys, value):
    point = tmp_path / "p.json"
    names = ["W1_0_0", "b1_0", "W2_0_0", "b2_0"]
    point.write_text(json.dumps(dict(zip(names, [value, "0", "1", "0"]))), encoding="utf-8")
    err = _one_line_error(capsys, "inspect", "--data", pts, "--widths", "1,1,1", "--point", str(point))
    assert "nested more than 100 deep" in err or "beyond 10000000 bits" in err


@pytest.mark.parametrize("tier", ["float", "mp"])
def test_data_beyond_float64_range_is_inconclusive_in_the_float_tiers_not_an_overflow(tmp_path, capsys, tier):
    data = tmp_path / "big.csv"
    data.write_text("x1,y\n0,1\n1,-1\n1e400,2\n", encoding="utf-8")
    assert main(["verify", "--data", str(data), "--activation", "smoolu", "--tier", tier, "--claim", "thm-2.1",
                 "--json"]) == 1
    cert = json.loads(capsys.readouterr().out)[0]
    assert cert["verdict"] == "inconclusive"


def test_a_file_of_unknown_size_is_read_up_to_the_limit_only(capsys):
    assert "file is larger than 50 MB" in _one_line_error(capsys, "verify", "--data", "/dev/zero")


def test_a_certificate_whose_seconds_is_a_400_digit_integer_is_refused_not_an_overflow(tmp_path, pts, capsys):
    assert main(["verify", "--data", pts, "--activation", "rectpow3", "--claim", "thm-2.1", "--json"]) == 0
    cert = json.loads(capsys.readouterr().out)[0]
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(cert).replace(f'"seconds": {cert["seconds"]}', '"seconds": 1' + "0" * 400),
                    encoding="utf-8")
    assert main(["recheck", str(path)]) == 1
    assert "must be finite and ≥ 0" in capsys.readouterr().out


def test_the_mp_rank_of_a_matrix_with_entries_beyond_float64_scales_rows_in_mp_first():
    import mpmath

    from symland.certify import mp_full_row_rank

    ctx = mpmath.mp.clone() if hasattr(mpmath.mp, "clone") else mpmath.mp
    M = [[mpmath.mpf("1e400"), mpmath.mpf(0)], [mpmath.mpf(1), mpmath.mpf(1)]]
    cols, sv = mp_full_row_rank(M, ctx)
    assert sorted(cols) == [0, 1] and sv[0] > mpmath.mpf("1e399") and sv[1] > 0


def test_figures_that_floating_point_cannot_draw_are_skipped_with_one_line_and_the_verdicts_stand(tmp_path, capsys):
    data = tmp_path / "big.csv"
    data.write_text("x1,y\n0,1\n1,-1\n3,1e400\n", encoding="utf-8")
    assert main(["verify", "--data", str(data), "--activation", "smoolu", "--claim", "thm-2.1", "--plot",
                 str(tmp_path / "figs")]) == 0
    captured = capsys.readouterr()
    assert "1 proved" in captured.out and captured.err.count("\n") == 1
    assert captured.err.startswith(f"symland: --plot {tmp_path / 'figs'}: no figures, the values cannot be drawn")
