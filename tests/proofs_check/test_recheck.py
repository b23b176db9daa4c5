"""The independent re-checker: real certificates re-check, tampered ones are rejected, `symland recheck` works."""

import json
from fractions import Fraction

import pytest
import sympy as sp

from symland.activations import get_activation, names

from proofs_check import default_instances, run
from proofs_check.certificate import Certificate
from proofs_check.cli import main
from proofs_check.recheck import RecheckResult, recheck
from proofs_check.recheck.exact import Num, TooLarge, parse
from proofs_check.recheck.sigma import pieces

SUBSET = ("smoolu-p1-d3", "rectpow3-p2-d5", "rectpow3-l2", "dag-shared-literal")


@pytest.fixture(scope="module")
def certs():
    return run([i for i in default_instances() if i.name in SUBSET])


def _leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _leaves(v, path + (i,))
    else:
        yield path, obj


def _bumped(value):
    """value + 1 for an int or an exact value string; None for text that is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value + 1
    try:
        return str(Fraction(value) + 1)
    except (ValueError, ZeroDivisionError):
        return f"{value} + 1" if "exp" in value else None


def _tampered(cert, path, value):
    obj = json.loads(json.dumps(cert.to_json_obj()))
    node = obj["witness"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return obj


def test_every_certificate_of_the_subset_rechecks(certs):
    statuses = {(c.claim, c.instance): recheck(c).status for c in certs}
    for (claim, inst), status in statuses.items():
        if claim == "thm-4.1" and inst == "rectpow3-p2-d5":  # hypothesis-fails: nothing asserted
            assert status == "unchecked"
        else:
            assert status == "checked", (claim, inst, recheck(next(c for c in certs if (c.claim, c.instance)
                                                                  == (claim, inst))).summary())
    assert len(statuses) == 17


def test_altering_any_number_of_a_witness_is_rejected(certs):
    tried = 0
    for c in certs:
        if c.verdict != "proved" or c.claim in ("rem-2.2", "sec-5"):
            continue
        numeric = [(path, v) for path, v in _leaves(c.to_json_obj()["witness"]) if _bumped(v) is not None]
        for path, v in numeric[:: max(1, len(numeric) // 15)]:  # about 15 numbers per certificate
            result = recheck(_tampered(c, path, _bumped(v)))
            assert result.status == "rejected", (c.claim, c.instance, path, v)
            assert result.reasons and all(r.strip() for r in result.reasons)
            tried += 1
    assert tried > 150


def test_the_recorded_residuals_of_sec_5_must_agree_with_the_verdict(certs):
    cert = next(c for c in certs if c.claim == "sec-5" and c.instance == "rectpow3-p2-d5")
    bad = recheck(_tampered(cert, ("H_at_m", 0), "1/7"))
    assert bad.status == "rejected"
    assert bad.reasons[0] == "H(m): recorded f_1 = 1/7 but recomputed 0"  # the point is in the witness now


def test_specific_tampers_name_what_failed(certs):
    thm = next(c for c in certs if c.claim == "thm-2.1" and c.instance == "rectpow3-p2-d5")
    assert "not 0" in " ".join(recheck(_tampered(thm, ("rank", "minor", "det_mod_p"), 0)).reasons) or \
        "nonzero residue" in recheck(_tampered(thm, ("rank", "minor", "det_mod_p"), 0)).reasons[0]
    assert "not a prime" in recheck(_tampered(thm, ("rank", "minor", "prime"), 91)).reasons[0]
    assert "recorded f_1" in recheck(_tampered(thm, ("H", 0), "1/2")).reasons[0]
    moved = recheck(_tampered(thm, ("instance", "Y", 0, 0), "12345"))
    assert moved.reasons[0].startswith("H(m): recorded f_1 = 0 but recomputed")
    lem = next(c for c in certs if c.claim == "lem-3.3" and c.instance == "rectpow3-p2-d5")
    assert "recomputed" in recheck(_tampered(lem, ("A", 1, 0), "5")).reasons[0]
    changed_verdict = dict(thm.to_json_obj(), verdict="refuted")
    assert recheck(changed_verdict).status == "rejected"


def test_a_refuted_rank_is_rechecked_from_its_kernel_vectors():
    from proofs_check.explain import constant_labels
    from proofs_check.instance import Context

    cert = next(c for c in constant_labels(Context()) if c.verdict == "refuted")
    assert cert.claim == "thm-2.1"
    good = recheck(cert)
    assert good.status == "checked" and "0 is not a regular value" in good.checked[-1]
    # every hidden unit is dead at m, so J_H has one nonzero column (the output bias): a kernel vector must be 0 there
    bad = recheck(_tampered(cert, ("tangent_basis", 0, 9), "1"))
    assert bad.reasons == ("tangent vector 1 is not in ker J_H(m): row 1 gives -1",)
    harmless = recheck(_tampered(cert, ("tangent_basis", 0, 0), "2"))  # still a basis of the same kernel
    assert harmless.status == "checked"


def test_nothing_to_recheck_is_said_not_accepted_silently():
    c = Certificate("thm-2.1", "x", "inconclusive", "none", "ran out of time", (), {}, 0.0)
    r = recheck(c)
    assert (r.ok, r.status) == (True, "unchecked")
    assert "nothing to re-check" in r.skipped[0]


def _ball(witness, verdict="certified"):
    return Certificate("thm-2.1", "b", verdict, "ball", "enclosure", (), witness, 0.0)


def test_a_ball_certificate_with_an_enclosure_witness_is_reported_unchecked(capsys, tmp_path):
    w = {"instance": {"widths": [1, 1, 1], "activation": "smoolu", "X": [["1"]], "Y": [["1"]]},
         "point_source": "by hand", "prec": 128, "smoothness": "smooth",
         "point": {"W1_0_0": "[1.0000 +/- 1e-30]", "b1_0": "0", "W2_0_0": "1",
                   "b2_0": "[-0.63212055882855767840447622984 +/- 1e-28]"}, "H": ["[0 +/- 1e-27]"]}  # H ∋ 0
    r = recheck(_ball(w))  # no rank witness at all: the format requires one
    assert r.status == "rejected" and "'rank' is a required property" in r.reasons[0]
    # a minor on a hidden-layer column: m' cannot be re-solved from the output layer
    w["rank"] = {"lower": 1, "upper": 1, "minor": {"rows": [0], "cols": [0], "det": "by hand", "prec": 128},
                 "method": "by hand"}
    r = recheck(_ball(w))
    assert (r.ok, r.status) == (True, "unchecked")
    assert "Krawczyk" in r.skipped[-1]  # a minor on a hidden column: the Krawczyk route, not decided here
    path = tmp_path / "ball.json"
    path.write_text(_ball(w).to_json(), encoding="utf-8")
    assert main(["recheck", str(path)]) == 0
    assert main(["recheck", str(path), "--strict"]) == 1
    assert "UNCHECKED thm-2.1 b (certified)" in capsys.readouterr().out


def test_a_ball_certificate_with_an_exact_witness_is_rechecked_and_can_be_rejected():
    inst = {"widths": [1, 1, 1], "activation": "rectpow3", "X": [["1"]], "Y": [["1"]]}
    minor = {"rows": [0], "cols": [3], "prime": 7, "det_mod_p": 6, "reduction": {"kind": "rational"}}
    w = {"instance": inst, "point_source": "by hand", "prec": 128,
         "point": {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}, "H": ["0"],
         "rank": {"lower": 1, "upper": 1, "minor": minor, "method": "by hand"}, "smoothness": "smooth"}
    assert recheck(_ball(w)).status == "checked"
    off = dict(w, point={"W1_0_0": "1", "b1_0": "0", "W2_0_0": "2", "b2_0": "0"}, H=["0"])
    assert recheck(_ball(off)).status == "rejected"


def test_the_recheck_result_rejects_impossible_states():
    with pytest.raises(ValueError):
        RecheckResult(False)
    with pytest.raises(ValueError):
        RecheckResult(True, ("why",), ("x",))
    with pytest.raises(ValueError):
        RecheckResult(True)


def test_malformed_certificates_are_rejected_with_a_reason():
    assert recheck({"claim": "thm-2.1"}).reasons[0].startswith("malformed certificate")
    c = Certificate("thm-9.9", "x", "proved", "exact", "", (), {"H": []}, 0.0)  # no statement known: not checked
    assert recheck(c).status == "unchecked" and "no statement for" in recheck(c).skipped[0]
    c = Certificate("thm-2.1", "x", "proved", "exact", "", (), {"H": []}, 0.0)
    assert recheck(c).status == "rejected"


def test_the_rechecker_activation_table_agrees_with_the_engine():
    t = sp.Symbol("t", real=True)
    for name in [n for n in names() if "<" not in n] + ["rectpow5", "relu_after1/2", "poly:1,0,-2"]:
        act = get_activation(name)
        neg, pos = pieces(name)
        swap = {s: t for s in (neg.free_symbols | pos.free_symbols)}
        theirs = [e.subs({s: t for s in e.free_symbols}) for e in (act.negative, act.positive)]
        assert sp.simplify(neg.subs(swap) - theirs[0]) == 0, name
        assert sp.simplify(pos.subs(swap) - theirs[1]) == 0 or (
            isinstance(pos, sp.Piecewise) and str(pos.subs(swap)) == str(theirs[1])), name


def test_the_value_parser_reads_what_sympy_prints_and_nothing_else():
    assert parse("-7*exp(19/7) + 2*E") == Num({Fraction(19, 7): Fraction(-7), Fraction(1): Fraction(2)})
    assert parse("1e-300") == Num.of(Fraction(1, 10**300))
    for bad in ("__import__('os')", "x", "exp(exp(1))", "1/0", "2**(1/2)"):
        with pytest.raises(ArithmeticError):
            parse(bad)
    for big in ("2**1000", "(" * 50 + "1" + ")" * 50, "1e100000", "1" * 200_001):  # size limits, not errors
        with pytest.raises(TooLarge):
            parse(big)


def test_symland_recheck_accepts_verify_json_and_rejects_a_tampered_file(tmp_path, capsys):
    data = tmp_path / "pts.csv"
    data.write_text("x1,y\n0,1\n1,-1\n3,2\n", encoding="utf-8")
    assert main(["verify", "--data", str(data), "--activation", "rectpow3", "--claim", "prop-2.3",
                 "--claim", "lem-3.3", "--json"]) == 0
    out = capsys.readouterr().out
    good = tmp_path / "good.json"
    good.write_text(out, encoding="utf-8")
    assert main(["recheck", str(good)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[-1] == "2 certificates re-checked: 2 checked, 0 partial, 0 unchecked, 0 rejected"
    obj = json.loads(out)
    obj[0]["witness"]["H"][1] = "1/1000"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(obj), encoding="utf-8")
    assert main(["recheck", str(bad), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [r["status"] for r in rows] == ["rejected", "checked"]
    assert rows[0]["reasons"] == ["H(m): recorded f_2 = 1/1000 but recomputed 0"]


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe{", "not UTF-8"),
    (b"{\"claim\": ", "not valid JSON"),
    (b"[]", "holds no certificates"),
    (b"[1, 2]", "item 1 is a JSON int"),
    (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
])
def test_a_bad_recheck_file_is_one_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "c.json"
    path.write_bytes(content)
    assert main(["recheck", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_a_recheck_file_above_the_size_limit_is_refused(tmp_path, capsys, monkeypatch):
    from proofs_check.recheck import cli as rc

    monkeypatch.setattr(rc, "MAX_FILE_BYTES", 10)
    path = tmp_path / "c.json"
    path.write_text("[" + " " * 20 + "]", encoding="utf-8")
    assert main(["recheck", str(path)]) == 2
    assert "larger than" in capsys.readouterr().err
    assert main(["recheck", str(tmp_path / "missing.json")]) == 2
