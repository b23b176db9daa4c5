"""Each claim's proved, refuted and hypothesis-fails outcomes, with exact evidence."""

from dataclasses import replace

import pytest

from symland.activations import get_activation
from symland.data import Dataset
from symland.landscape import lemma_3_3
from symland.tiers import RationalKind

from proofs_check.claims import CLAIMS, run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck

XOR = Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
CUBE = get_activation("rectpow3")
SMOOLU = get_activation("smoolu")


def _check(claim, inst):
    return CLAIMS[claim](inst, Context())


def _constructed_point(data, act, widths=None):
    it = lemma_3_3(data, act, RationalKind(), hidden=(widths or (0, data.d))[1])
    return tuple((k, str(v)) for k, v in it.named_params().items())


@pytest.mark.parametrize("claim", ["lem-3.3", "thm-2.1", "prop-2.3", "thm-4.1"])
def test_every_claim_is_proved_on_xor_with_smoolu(claim):
    cert = _check(claim, Instance("xor", XOR, SMOOLU))
    assert cert.verdict == "proved", cert.evidence
    assert cert.tier == "symbolic"


def test_theorem_2_1_reports_the_rank_and_the_tangent_dimension():
    cert = _check("thm-2.1", Instance("xor", XOR, CUBE))
    assert cert.verdict == "proved" and cert.tier == "exact"
    assert "rank J = 4 = d" in cert.evidence and "tangent space dim 13 = n − d" in cert.evidence
    assert len(cert.witness["tangent_basis"]) == 13
    assert len(cert.witness["rank"]["minor"]["cols"]) == 4


def test_proposition_2_3_gives_sylvester_inertia_d_0_n_minus_d():
    cert = _check("prop-2.3", Instance("xor", XOR, CUBE))
    assert cert.verdict == "proved"
    assert "inertia (n₊, n₋, n₀) = (4, 0, 13) = (d, 0, n − d)" in cert.evidence
    assert tuple(cert.witness["inertia"]) == (4, 0, 13)
    assert cert.to_json_obj()["witness"]["inertia"] == [4, 0, 13]
    assert recheck(cert).status == "checked"
    forged = replace(cert, witness={**cert.witness, "inertia": [4, 13, 0]})  # the old (P, Z, N) order
    assert recheck(forged).status == "rejected"
    diag = cert.witness["congruence_diagonal"]
    assert sum(1 for v in diag if v != "0") == 4 and all(not v.startswith("-") for v in diag)


def test_a_point_off_M_fails_the_hypothesis_m_in_M_with_the_exact_nonzero_residual():
    point = dict(_constructed_point(XOR, CUBE))
    point["b2_0"] = "1/7"  # shifts every output by −1/7
    inst = Instance("xor-off", XOR, CUBE, point=tuple(point.items()))
    for claim in ("thm-2.1", "prop-2.3"):
        cert = _check(claim, inst)
        assert cert.verdict == "hypothesis-fails" and cert.tier == "exact"
        assert cert.evidence == "m ∉ M: f_1(m) = -1/7 ≠ 0 (4 nonzero residuals)"
        assert cert.witness["H"] == ("-1/7",) * 4
        assert cert.hypotheses[-1] == ("m ∈ M", "no: f_1(m) = -1/7 ≠ 0 (4 nonzero residuals)")


def test_a_point_where_the_rank_drops_is_refuted():
    # constant labels and every unit dead: f ≡ −b2 = 0 = y, rank J = 1 < d
    data = Dataset.from_rows([[0], [1], [2]], [0, 0, 0])
    net_point = {"W1_0_0": "0", "W1_1_0": "0", "W1_2_0": "0", "b1_0": "1", "b1_1": "1", "b1_2": "1",
                 "W2_0_0": "5", "W2_0_1": "0", "W2_0_2": "0", "b2_0": "0"}
    inst = Instance("dead", data, CUBE, point=tuple(net_point.items()))
    cert = _check("thm-2.1", inst)
    assert cert.verdict == "refuted"
    assert cert.evidence.startswith("rank J_H(m) = 1 < 3")
    cert = _check("prop-2.3", inst)
    assert cert.verdict == "refuted" and "inertia (1, 0, 9)" in cert.evidence


def test_duplicate_inputs_fail_the_hypothesis_and_name_the_rows():
    data = Dataset.from_rows([[0, 0], [1, 1], [0, 0]], [1, 2, 3])
    for claim in ("lem-3.3", "thm-4.1", "thm-2.1"):
        cert = _check(claim, Instance("dup", data, SMOOLU))
        assert cert.verdict == "hypothesis-fails"
        assert any("rows 1 and 3" in status for _, status in cert.hypotheses)


def test_a_non_rectified_activation_fails_lemma_3_3():
    cert = _check("lem-3.3", Instance("tanh", XOR, get_activation("tanh")))
    assert cert.verdict == "hypothesis-fails"
    assert cert.evidence == "hypothesis fails: σ rectified (Definition 3.1)"


def test_theorem_4_1_needs_a_smooth_activation():
    cert = _check("thm-4.1", Instance("cube", XOR, CUBE))
    assert cert.verdict == "hypothesis-fails"
    assert cert.evidence.startswith("hypothesis fails: σ smooth (no: rectpow3 is C^2 at 0")


def test_too_few_parameters_fail_the_overparameterization_hypothesis():
    data = Dataset.from_rows([[0], [1], [2], [3], [4]], [0, 1, 0, 1, 0])
    cert = _check("thm-2.1", Instance("narrow", data, CUBE, widths=(1, 1, 1)))
    assert cert.verdict == "hypothesis-fails"
    assert ("n > d (overparameterized, §1.1)", "no: n = 4 ≤ d = 5") in cert.hypotheses


def test_relu_at_a_kink_fails_differentiability():
    point = {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}
    data = Dataset.from_rows([[0]], [0])  # the pre-activation 1·0 − 0 is exactly 0
    cert = _check("thm-2.1", Instance("kink", data, get_activation("relu"), point=tuple(point.items())))
    assert cert.verdict == "hypothesis-fails"
    assert "not differentiable" in cert.evidence


def test_a_deep_rectpow3_instance_is_proved_at_the_corrected_corollary_point():
    inst = Instance("deep", XOR, CUBE, widths=(2, 2, 5, 1))
    certs = run([inst], ["thm-2.1", "prop-2.3"])
    assert [c.verdict for c in certs] == ["proved", "proved"]
    assert "C^2" in certs[0].evidence  # dead units sit at the kink of a C² activation
