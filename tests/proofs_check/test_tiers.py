"""The same claims over every tier: exact/symbolic prove, ball certifies, mp/float say numerical — and a weaker
tier never claims more, never refutes a true claim, and says inconclusive when its precision runs out."""

import json

import pytest
from flint import fmpq

from symland.activations import get_activation
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Context, Instance, auto_tier

POINT_CLAIMS = ["lem-3.3", "cor-3.4", "thm-2.1", "prop-2.3", "thm-4.1"]
DATA = Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1], [2, "1/3"]], [1, -1, "1/2", 2, 0])
STRONGEST = {"exact": "proved", "symbolic": "proved", "ball": "certified", "mp": "numerical", "float": "numerical"}


def _verdicts(tier, act="smoolu", widths=(2, 5, 1), data=DATA, ctx=None, claims=POINT_CLAIMS, **kw):
    inst = Instance("five", data, get_activation(act), widths=widths, tier=tier, **kw)
    return run([inst], claims, ctx=ctx or Context())


@pytest.mark.parametrize("tier", ["symbolic", "ball", "mp", "float"])
def test_every_tier_decides_the_one_hidden_layer_smoolu_instance(tier):
    certs = _verdicts(tier)
    assert [c.verdict for c in certs] == [STRONGEST[tier]] * 5
    assert all(c.tier == tier and c.ok for c in certs)
    assert "inertia (n₊, n₋, n₀) = (5, 0, 16)" in certs[3].evidence


@pytest.mark.parametrize("tier", ["ball", "mp", "float"])
def test_deep_smoolu_beyond_exact_arithmetic(tier):
    certs = _verdicts(tier, widths=(2, 3, 6, 1))
    assert [c.verdict for c in certs] == [STRONGEST[tier]] * 5
    assert "rank J = 5 = d" in certs[2].evidence and "dim n − d = 35" in certs[4].evidence


def test_exact_and_ball_agree_on_rectpow3_with_two_outputs():
    data = Dataset.from_rows([[0], [1], [3]], [[1, 0], [-1, 2], [2, 1]])
    for tier, verdict in (("exact", "proved"), ("ball", "certified"), ("float", "numerical")):
        certs = _verdicts(tier, act="rectpow3", widths=(1, 3, 2), data=data, claims=["thm-2.1", "prop-2.3", "rem-4.2"])
        assert [c.verdict for c in certs] == [verdict] * 3
        assert "rank J = 6 = dℓ" in certs[0].evidence and "inertia (n₊, n₋, n₀) = (6, 0, 8)" in certs[2].evidence


def test_ball_witness_names_a_minor_and_the_precision():
    cert = _verdicts("ball", claims=["thm-2.1"])[0]
    minor = cert.witness["rank"]["minor"]
    assert cert.witness["prec"] == 128 and len(minor["cols"]) == 5
    assert list(minor["cols"]) == [15, 16, 17, 18, 19]  # the output weights W2_0_j: the triangular A
    assert "triangular" in cert.details[-2] or any("triangular" in d for d in cert.details)
    assert json.loads(cert.to_json())["witness"]["prec"] == 128


CLOSE = Dataset.from_rows([[1], [fmpq(10**40 + 1, 10**40)], [2]], [1, -1, 3])


def test_precision_escalates_until_the_close_projections_separate():
    notes = []
    certs = _verdicts("ball", data=CLOSE, widths=(1, 3, 1), ctx=Context(progress=notes.append),
                      claims=["thm-2.1", "thm-4.1"])
    assert [c.verdict for c in certs] == ["certified", "certified"]
    assert certs[0].witness["prec"] == 512  # 128 and 256 bits could not separate 1 and 1 + 10⁻⁴⁰ / certify A
    assert any("retrying at 256 bits" in n for n in notes)


def test_too_low_a_precision_is_inconclusive_never_refuted():
    certs = _verdicts("ball", data=CLOSE, widths=(1, 3, 1), ctx=Context(prec=64, max_prec=64))
    assert {c.verdict for c in certs} == {"inconclusive"}
    assert all("not certified up to 64 bits" in c.evidence for c in certs)


def test_exact_tier_proves_the_close_instance_that_float_cannot_resolve():
    assert {c.verdict for c in _verdicts("exact", act="rectpow3", data=CLOSE, widths=(1, 3, 1),
                                         claims=["lem-3.3", "thm-2.1", "prop-2.3"])} == {"proved"}
    floats = _verdicts("float", act="rectpow3", data=CLOSE, widths=(1, 3, 1), claims=["lem-3.3", "thm-2.1", "prop-2.3"])
    assert {c.verdict for c in floats} <= {"numerical", "inconclusive"}


OFF = (("W1_0_0", "1"), ("b1_0", "0"), ("W2_0_0", "1"), ("b2_0", "0"))


def test_a_point_off_M_is_certified_off_M_by_balls_and_only_doubted_by_floats():
    data = Dataset.from_rows([[1]], [2])  # f(1) = σ(1) = 1 ≠ 2 for rectpow3
    for claim in ("thm-2.1", "prop-2.3"):
        ball = _verdicts("ball", act="rectpow3", widths=(1, 1, 1), data=data, point=OFF, claims=[claim])[0]
        assert ball.verdict == "hypothesis-fails" and ball.tier == "ball"
        assert ball.evidence == "m ∉ M: f_1(m) ∈ -1." + "0" * 39 + " ∌ 0 (1 residuals certified nonzero)"
        assert ball.witness["H"][0].startswith("-1")
    for tier in ("mp", "float"):
        cert = _verdicts(tier, act="rectpow3", widths=(1, 1, 1), data=data, point=OFF, claims=["thm-2.1"])[0]
        assert cert.verdict == "inconclusive" and cert.evidence.startswith(f"m appears off M ({tier} residual")
        assert cert.evidence.endswith("decide with --tier exact/ball")


def test_a_given_point_on_M_is_proved_exactly_but_balls_show_H_is_zero_only_from_exact_zero_balls():
    data = Dataset.from_rows([[1]], [1])
    exact = _verdicts("exact", act="rectpow3", widths=(1, 1, 1), data=data, point=OFF, claims=["thm-2.1"])[0]
    ball = _verdicts("ball", act="rectpow3", widths=(1, 1, 1), data=data, point=OFF, claims=["thm-2.1"])[0]
    flt = _verdicts("float", act="rectpow3", widths=(1, 1, 1), data=data, point=OFF, claims=["thm-2.1"])[0]
    # a dyadic point: Arb computes f(1) − 1 = 1·1³ − 0 − 1 without rounding, the exact ball 0 ± 0
    assert (exact.verdict, ball.verdict, flt.verdict) == ("proved", "certified", "numerical")
    assert "H(m) ≈ 0" in flt.evidence
    third = (("W1_0_0", "3"), ("b1_0", "0"), ("W2_0_0", "1/27"), ("b2_0", "0"))  # on M, but 1/27 is not dyadic
    ball = _verdicts("ball", act="rectpow3", widths=(1, 1, 1), data=data, point=third, claims=["thm-2.1"])[0]
    exact = _verdicts("exact", act="rectpow3", widths=(1, 1, 1), data=data, point=third, claims=["thm-2.1"])[0]
    assert (exact.verdict, ball.verdict) == ("proved", "inconclusive")  # a ball around 0 shows nothing


@pytest.mark.parametrize("tier", ["mp", "float"])
def test_float_tiers_never_prove_or_certify_anything(tier):
    insts = [Instance(f"i{k}", DATA, get_activation(a), widths=w, tier=tier)
             for k, (a, w) in enumerate([("smoolu", (2, 5, 1)), ("rectpow3", (2, 6, 1)), ("softplus", (2, 5, 1)),
                                         ("relu", (2, 5, 1)), ("smoolu", (2, 2, 5, 1))])]
    certs = run(insts, ["lem-3.3", "cor-3.4", "thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2", "sec-5", "rem-2.2"])
    assert not {c.verdict for c in certs} & {"proved", "certified", "refuted"}


def test_auto_tier_chooses_the_strongest_that_fits():
    sm = get_activation("smoolu")
    assert auto_tier(Instance("a", DATA, get_activation("rectpow3")))[0] == "exact"
    assert auto_tier(Instance("b", DATA, sm))[0] == "symbolic"
    assert auto_tier(Instance("c", DATA, sm, widths=(2, 3, 6, 1)))[0] == "ball"
    tier, why = auto_tier(Instance("d", DATA, sm, widths=(2, 3, 6, 1)), budget=1e-9)
    assert tier == "float" and "budget" in why


@pytest.mark.parametrize("tier", ["ball", "float"])
def test_section_5_in_the_inexact_tiers(tier):
    certs = _verdicts(tier, claims=["sec-5", "rem-2.2"])
    assert [c.verdict for c in certs] == [STRONGEST[tier]] * 2
    assert "a=2 inertia (5, 0, 16)" in certs[0].evidence and "a=4 Hess = 0" in certs[0].evidence


def test_ball_section_5_is_left_unchecked_by_the_exact_rechecker_not_rejected():
    from proofs_check.recheck import recheck

    cert = _verdicts("ball", act="rectpow3", widths=(2, 6, 1), claims=["sec-5"])[0]
    result = recheck(cert)
    assert cert.verdict == "certified" and result.ok and result.status == "unchecked"


def test_auto_states_its_choice_in_the_certificate():
    deep = run([Instance("deep", DATA, get_activation("smoolu"), widths=(2, 3, 6, 1))], ["thm-2.1"])[0]
    assert deep.tier == "ball"
    assert deep.details[-1] == ("tier auto → ball: smoolu: deep layers leave Q[e^Q]; Arb balls instead")
