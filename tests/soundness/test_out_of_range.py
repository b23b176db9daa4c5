"""Out of range is never a crash or a number (issue 20): values beyond float64 make the float parts
'not computed' (certify) or the float tier inconclusive; no NaN or inf reaches a certificate, a report or its JSON;
every exception that escapes a command ends in one line and exit 1 or 2.
"""

import json
import math

import numpy as np
import pytest
from flint import arb
from hypothesis import HealthCheck, given, settings, strategies as st

from symland.data import Dataset
from symland.models import from_arrays
from symland.nearest import l2_bound

from proofs_check._bounds import guarded
from proofs_check.certificate import Certificate
from proofs_check.certify_model import certify_model
from proofs_check.cli import main
from proofs_check.recheck.global_claims import recheck_global

_COMMON = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


def _huge_npz(tmp_path):
    path = tmp_path / "huge.npz"
    np.savez(path, W1=np.array([[1e300], [2e300], [1.0]]), b1=np.array([0.5, -1e300, 0.25]),
             W2=np.array([[1e300, 2.0, 0.5]]), b2=np.array([0.0]), activation=np.array("tanh"))
    (tmp_path / "data.csv").write_text("x,y\n1,1\n2,2\n")
    return str(path), str(tmp_path / "data.csv")


@pytest.mark.parametrize("tier", ["auto", "ball"])
def test_certify_with_weights_near_1e300_is_one_report_not_a_traceback(tmp_path, capsys, tier):
    """Was: numpy LinAlgError from eigvalsh (the float Hessian at m is inf/NaN)."""
    model, data = _huge_npz(tmp_path)
    rc = main(["certify", "--model", model, "--data", data, "--tier", tier, "--max-distance", "1e301", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0 and "Traceback" not in err
    rep = json.loads(out)  # strict JSON: no NaN, no Infinity
    assert rep["loss_at_model"] is None
    assert rep["spectrum_at_model"]["eigenvalues"] is None
    assert "beyond float64's range" in rep["spectrum_at_model"]["what"]
    assert [c["verdict"] for c in rep["certificates"]] == ["certified", "certified"]
    assert rep["distance_linf"]["upper"] == pytest.approx(1e300, rel=1e-12)


def test_a_narrow_model_exactly_on_M_has_finite_distance_bounds():
    """Was: the Krawczyk box's gaps contain 0, their Arb squares reach below 0, sqrt gave NaN, Certificate refused."""
    m = from_arrays([(np.array([[1.0]]), np.array([0.0])), (np.array([[1.0]]), np.array([0.0]))], "rectpow2")
    data = Dataset.from_rows([["1"], ["2"], ["3"]], ["1", "4", "9"])
    rep = certify_model(m, data, tier="ball")
    assert rep.point_tier == "ball" and [c.verdict for c in rep.certificates] == ["certified", "certified"]
    assert 0 <= rep.distance_l2 < 1e-15 and 0 <= rep.distance_linf < 1e-15
    json.loads(rep.to_json())
    for c in rep.certificates:
        assert math.isfinite(c.witness["model"]["distance_l2_upper"])


@settings(max_examples=100, **_COMMON)
@given(st.lists(st.tuples(st.floats(-1e10, 1e10), st.floats(0, 1e10)), min_size=1, max_size=6))
def test_the_l2_bound_is_a_finite_upper_bound_for_balls_around_anything(balls):
    deltas = [arb(m, r) for m, r in balls]
    b = l2_bound(deltas)
    assert b.is_finite() and b >= 0
    worst = math.sqrt(sum((abs(m) + r) ** 2 for m, r in balls))
    assert float(b.upper()) >= worst * (1 - 1e-12)


@pytest.mark.parametrize("widths", [[1, 0, 1], [0, 1], [1], [], [1, -2, 1], [1, True, 1], "11", [1.5, 1]])
def test_a_global_certificate_with_bad_widths_is_rejected_not_an_index_error(widths):
    inst = {"widths": widths, "activation": "square", "X": [["1"], ["2"]], "Y": [["1"], ["2"]]}
    ok, reasons, *_ = recheck_global("thm-2.1-global", "proved", {"instance": inst})
    assert not ok and ("widths" in reasons[0] or "malformed" in reasons[0])


@pytest.mark.parametrize("exc", [np.linalg.LinAlgError("Eigenvalues did not converge"), ZeroDivisionError("x\ny"),
                                 ValueError("flint: singular"), AssertionError(), OverflowError("int too large"),
                                 RecursionError()])
def test_every_exception_that_escapes_a_command_is_one_line_and_exit_1(exc, capsys):
    def boom():
        raise exc

    assert guarded("certify", 10, boom) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("symland: certify: stopped") and "Traceback" not in err


@pytest.mark.parametrize("field", ["evidence", "witness"])
def test_a_certificate_refuses_nan_and_inf_anywhere(field):
    base = dict(claim="thm-2.1", instance="i", verdict="inconclusive", tier="ball", evidence="e", witness={},
                hypotheses=(), seconds=0.0)
    for bad in ({"evidence": "distance ≤ nan"}, {"evidence": "‖m* − m‖∞ ≤ inf"},
                {"witness": {"a": [1.0, float("nan")]}}, {"witness": {"b": {"c": float("inf")}}},
                {"witness": {"point": {"W1_0_0": "[nan +/- inf]"}}}):
        if field in bad:
            with pytest.raises(ValueError, match="NaN or infinite|not finite"):
                Certificate(**{**base, **bad})
    Certificate(**{**base, "evidence": "finance, nano-scale, banana"})  # words are fine


def _huge_point(tmp_path):
    (tmp_path / "d.csv").write_text("x,y\n1,1\n2,2\n")
    (tmp_path / "p.json").write_text(json.dumps({"W1_0_0": "1e300", "W1_1_0": "2e300", "W1_2_0": "1", "b1_0": "0",
                                                 "b1_1": "1e300", "b1_2": "0", "W2_0_0": "1e300", "W2_0_1": "1",
                                                 "W2_0_2": "1", "b2_0": "0"}))
    return ["--data", str(tmp_path / "d.csv"), "--widths", "1,3,1", "--activation", "rectpow2", "--point",
            str(tmp_path / "p.json")]


@pytest.mark.parametrize("tier", ["float", "mp"])
def test_inspect_beyond_float_range_names_the_exact_tiers_in_one_line(tmp_path, capsys, tier):
    """Was: numpy LinAlgError (float) and 'rank 0: 0 singular values above inf' (mp)."""
    rc = main(["inspect", *_huge_point(tmp_path), "--tier", tier])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "beyond float64's range" in err and "--tier exact" in err


@pytest.mark.parametrize("tier", ["float", "mp"])
def test_verify_beyond_float_range_is_inconclusive_naming_exact_or_ball(tmp_path, capsys, tier):
    rc = main(["verify", *_huge_point(tmp_path), "--tier", tier, "--claim", "thm-2.1", "--json"])
    out = json.loads(capsys.readouterr().out)
    certs = out if isinstance(out, list) else out["certificates"]
    assert rc == 1 and [c["verdict"] for c in certs] == ["inconclusive"]
    assert "--tier exact" in certs[0]["evidence"] or "exact/ball" in certs[0]["evidence"]


def test_a_spectrum_figure_refuses_nan_and_inf():
    from symland.plots import spectrum_figure

    with pytest.raises(ValueError, match="NaN or ±inf"):
        spectrum_figure([1.0, float("inf"), 0.0], 1)


def _no_constants(name):
    raise AssertionError(f"{name} in JSON output")


@settings(max_examples=80, **_COMMON)
@given(st.lists(st.sampled_from([1e300, -1e300, 1e-300, 1e200, 3.0, -0.5, 1e150, 0.0]), min_size=8, max_size=8),
       st.sampled_from(["tanh", "rectpow2", "relu", "softplus"]), st.sampled_from(["auto", "ball", "exact"]))
def test_certify_on_extreme_weights_is_a_report_never_a_crash_nan_or_inf(ws, act, tier):
    """The class of the LinAlgError crash: any magnitudes, any σ, any tier — a report whose JSON is strict."""
    from symland.errors import SymlandError

    W1, b1, W2, b2 = np.array(ws[:2]).reshape(2, 1), np.array(ws[2:4]), np.array([ws[4:6]]), np.array([ws[6]])
    model = from_arrays([(W1, b1), (W2, b2)], act)
    data = Dataset.from_rows([["1/3"], ["2"]], ["1", "-1"])
    try:
        rep = certify_model(model, data, tier=tier, max_distance=1e308, max_prec=512)
    except SymlandError:
        return  # bad input for this tier (e.g. --tier exact with tanh): one line at the CLI
    out = json.loads(rep.to_json(), parse_constant=_no_constants)
    for c in out["certificates"]:
        assert c["verdict"] in ("proved", "certified", "inconclusive", "hypothesis-fails", "refuted")
    str(rep)


def test_good_widths_still_read_as_lists_or_frozen_tuples():
    from proofs_check.recheck.global_claims import residuals

    for widths in ([1, 1, 1], (1, 1, 1)):
        names, H = residuals({"widths": widths, "activation": "square", "X": [["1"], ["2"]], "Y": [["1"], ["2"]]})
        assert names == ["W1_0_0", "b1_0", "W2_0_0", "b2_0"] and len(H) == 2
