"""Kinks inside balls are kinks (issue 20): a hidden pre-activation whose number cannot be told apart from a
breakpoint of σ — a ball around 0 for 3·(1/3) − 1, which Arb cannot hold exactly — is decided exactly from the
point's rationals, or the claim is inconclusive; never taken as off the kink.

The property: for σ with a kink at 0 and a unit whose pre-activation is b·(a/b) − a (exactly 0, or a tiny exact
offset that 128 bits cannot separate from 0), ``certify --tier ball`` gives the exact tier's verdicts and
smoothness class, and ``Problem.at`` over balls counts the same breakpoint hits as over rationals.
"""

import numpy as np
import pytest
from flint import arb, fmpq
from hypothesis import HealthCheck, given, settings, strategies as st

from symland import Dataset, Problem, get_activation, mlp
from symland.errors import UndefinedDerivativeError
from symland.kinkhits import KinkUndecided, float_hits, hits
from symland.models import from_arrays
from symland.tiers.numeric import BallKind, FloatKind

from proofs_check.certify_model import certify_model

_COMMON = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True, scope="module")
def _resolve_at_m():
    """These tests are about m* re-solved at the model's point m, whose unit sits on the kink (decided from the
    exact point): no projection onto M over all weights, which would move the unit off the kink."""
    import symland.point.distance as dist_mod

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dist_mod, "BRACKET_LIMIT", 0)
        yield


def _model(a: int, b: int, offset: fmpq, act: str):
    """Hidden unit 1: b·x − (a − offset·…) with x₁ = a/b; its pre-activation at x₁ is exactly `offset`."""
    bias = -(fmpq(a) - offset * 1)  # framework +b: z = b·x + bias
    W1 = np.array([[float(b)], [1.0], [2.0]])
    m = from_arrays([(W1, np.array([0.0, 0.5, 0.25])), (np.array([[1.0, 2.0, 0.5]]), np.array([0.0]))], act)
    params = dict(m.params)
    params["b1_0"] = -bias  # symland's −b convention, exact (may not be a float)
    return type(m)(m.network, params, m.activation, m.source)


def _summary(rep):
    return [(c.claim, c.verdict, c.witness.get("smoothness")) for c in rep.certificates]


@settings(max_examples=6, **_COMMON)
@given(a=st.integers(1, 9), b=st.sampled_from([3, 5, 7, 11, 13]), act=st.sampled_from(["relu", "rectpow2",
                                                                                       "rectpow3"]))
def test_a_kink_inside_a_ball_is_decided_as_the_exact_tier_does(a, b, act):
    model = _model(a, b, fmpq(0), act)
    data = Dataset.from_rows([[f"{a}/{b}"], ["1"]], ["1", "2"])
    ball = certify_model(model, data, tier="ball", max_distance=100)
    exact = certify_model(model, data, tier="exact", max_distance=100)
    strong = {"proved": "certified"}
    assert [(c, strong.get(v, v), s) for c, v, s in _summary(exact)] == _summary(ball)
    assert {"relu": ["hypothesis-fails"] * 2, "rectpow2": ["certified", "hypothesis-fails"],
            "rectpow3": ["certified"] * 2}[act] == [v for _, v, _ in _summary(ball)]
    if act != "relu":
        assert ball.certificates[0].witness["smoothness"] == {"rectpow2": "C^1", "rectpow3": "C^2"}[act]


def test_rectpow2_at_a_kink_inside_a_ball_is_not_certified():
    """The issue's case: prop-2.3 was ``certified`` where Hess L does not exist; rectpow3 was called smooth."""
    data = Dataset.from_rows([["1/3"], ["1"]], ["1", "2"])
    rep = certify_model(_model(1, 3, fmpq(0), "rectpow2"), data, tier="ball", max_distance=100)
    assert _summary(rep) == [("thm-2.1", "certified", "C^1"), ("prop-2.3", "hypothesis-fails", None)]
    rep = certify_model(_model(1, 3, fmpq(0), "rectpow3"), data, tier="ball", max_distance=100)
    assert _summary(rep) == [("thm-2.1", "certified", "C^2"), ("prop-2.3", "certified", "C^2")]
    assert "no hidden pre-activation at m is at a kink" not in str(rep.certificates[1].hypotheses)


def test_a_tiny_exact_offset_inside_the_ball_is_off_the_kink():
    """z = 1/(3·2²⁰⁰): the 128-bit ball contains 0, the exact value is not 0: smooth, as in the exact tier."""
    data = Dataset.from_rows([["1/3"], ["1"]], ["1", "2"])
    model = _model(1, 3, fmpq(1, 3 * 2**200), "rectpow2")
    ball = certify_model(model, data, tier="ball", max_distance=100)
    exact = certify_model(model, data, tier="exact", max_distance=100)
    assert _summary(ball) == [("thm-2.1", "certified", "smooth"), ("prop-2.3", "certified", "smooth")]
    assert [v for _, v, _ in _summary(exact)] == ["proved", "proved"]


@settings(max_examples=30, **_COMMON)
@given(a=st.integers(-20, 20), b=st.sampled_from([3, 7, 9, 10, 49]), act=st.sampled_from(["relu", "rectpow2",
                                                                                          "rectpow3", "relu_after1"]))
def test_ball_values_count_the_exact_tiers_breakpoint_hits(a, b, act):
    """Problem.at over balls (at an exact point) counts the hits the rational tier counts, or refuses."""
    sigma = get_activation(act)
    c = sigma.breakpoints[-1]
    prob = Problem(mlp([1, 2, 1], sigma), Dataset.from_rows([[f"{a}/{b}"]], [1]))
    point = [fmpq(b), fmpq(1), fmpq(a) - fmpq(int(c.p), int(c.q)), fmpq(0), fmpq(1), fmpq(1), fmpq(0)]
    # unit 1: b·x − (a − c) with x = a/b: exactly at the breakpoint c (order: W1_0_0, W1_1_0, b1_0, b1_1, W2, b2)
    names = prob.network.param_names()
    exact = prob.at(dict(zip(names, point)), jacobian=False)
    ball = prob.at([str(v) for v in point], kind=BallKind(128), jacobian=False)
    assert dict(ball.breakpoint_preactivations) == dict(exact.breakpoint_preactivations)
    assert dict(exact.breakpoint_preactivations).get(c, 0) >= 1


def test_no_exact_value_means_undecided_in_every_inexact_tier():
    relu = get_activation("rectpow2")
    z = arb(3) * (arb(1) / 3) - 1
    with pytest.raises(KinkUndecided, match="--tier exact"):
        hits(relu, BallKind(), [[[z]]])
    assert hits(relu, BallKind(), [[[arb(0)]]]) == ((0, 1),)  # an exact ball at 0 is at the kink
    assert hits(relu, BallKind(), [[[arb("1e-30") + arb(0, 1e-40)]]]) == ()  # separated: off
    with pytest.raises(UndefinedDerivativeError, match="unit 1 of hidden layer 1 on data point 1"):
        hits(get_activation("relu"), BallKind(), [[[z]]], lambda: [[[fmpq(0)]]], order=1)
    with pytest.raises(KinkUndecided):
        float_hits(relu, [np.array([[3 * (1 / 3) - 1 + 1e-17, 1.0]])])
    assert float_hits(relu, [np.array([[0.0, 1.0, -2.0]])]) == ((0, 1),)
    with pytest.raises(KinkUndecided):
        hits(relu, FloatKind(), [[[1e-17]]])
    # smooth σ: a hit changes nothing, nothing is undecided
    assert hits(get_activation("smoolu"), BallKind(), [[[z]]]) == ()


@pytest.mark.parametrize("act", ["rectpow2", "rectpow3"])
def test_the_krawczyk_route_at_a_kink_is_inconclusive_never_smooth(act):
    """Hidden coordinates re-solved: m*'s exact value is unknown, so a ball around the kink decides nothing."""
    m = from_arrays([(np.array([[3.0]]), np.array([-1.0])), (np.array([[1.0]]), np.array([0.0]))], act)
    y = {"rectpow2": ["0", "4", "25"], "rectpow3": ["0", "8", "125"]}[act]
    rep = certify_model(m, Dataset.from_rows([["1/3"], ["1"], ["2"]], y), tier="ball")
    assert rep.nearest.details == ("krawczyk",)
    for c in rep.certificates:
        assert c.verdict == "inconclusive" and "contains the breakpoint t = 0" in c.evidence


def _on_M_instance(act, xs, h, j, s, tier, seed):
    """Widths (1, h, 1), data xs (non-dyadic rationals), a point with unit j's pre-activation exactly at σ's last
    breakpoint on data point s, labels y = f(x) exactly (so the point is on M)."""
    import random

    from proofs_check.instance import Instance

    rnd = random.Random(seed)
    sigma = get_activation(act)
    c = fmpq(int(sigma.breakpoints[-1].p), int(sigma.breakpoints[-1].q))
    W = [fmpq(rnd.randint(1, 9)) for _ in range(h)]
    b = [fmpq(rnd.randint(-9, 9), rnd.choice([1, 3, 7])) for _ in range(h)]
    b[j] = W[j] * xs[s] - c  # W_j·x_s − b_j = c exactly
    V = [fmpq(rnd.randint(1, 5)) for _ in range(h)]
    b2 = fmpq(rnd.randint(-3, 3))
    ys = [sum((V[i] * sigma.eval_rational(W[i] * x - b[i]) for i in range(h)), fmpq(0)) - b2 for x in xs]
    point = {**{f"W1_{i}_0": W[i] for i in range(h)}, **{f"b1_{i}": b[i] for i in range(h)},
             **{f"W2_0_{i}": V[i] for i in range(h)}, "b2_0": b2}
    data = Dataset.from_rows([[str(x)] for x in xs], [str(y) for y in ys])
    return Instance(f"kink-{act}-{seed}", data, sigma, widths=(1, h, 1), tier=tier,
                    point=tuple((k, str(v)) for k, v in point.items()))


@settings(max_examples=12, **_COMMON)
@given(act=st.sampled_from(["relu", "rectpow2", "rectpow3", "relu_after1"]), h=st.integers(2, 4),
       dens=st.lists(st.sampled_from([3, 5, 7, 9]), min_size=2, max_size=2), seed=st.integers(0, 10**6))
def test_verify_in_the_ball_tier_decides_kinks_as_the_exact_tier(act, h, dens, seed):
    """The class: any layered network on M with a pre-activation at a breakpoint that Arb cannot hold exactly —
    the ball tier's verdicts and smoothness class are the exact tier's (or inconclusive: balls cannot show H(m) = 0
    at a given point), never 'smooth'; where σ' jumps there, J_H does not exist, in both tiers."""
    from proofs_check.claims import run

    xs = [fmpq(1, dens[0]), fmpq(2, dens[1]) + 1]
    out = {}
    for tier in ("exact", "ball"):
        inst = _on_M_instance(act, xs, h, seed % h, seed % 2, tier, seed)
        out[tier] = [(c.verdict, c.witness.get("smoothness")) for c in run([inst], ["thm-2.1", "prop-2.3"])]
    strong = {"proved": "certified"}
    for (ve, se), (vb, sb) in zip(out["exact"], out["ball"]):
        assert vb == "inconclusive" or (vb, sb) == (strong.get(ve, ve), se), out
    if act in ("relu", "relu_after1"):  # σ' jumps at the kink: J_H does not exist, decided from the exact point
        assert [v for v, _ in out["ball"]] == ["hypothesis-fails"] * 2 == [v for v, _ in out["exact"]], out


@pytest.mark.parametrize("act", ["relu", "rectpow2"])
def test_a_dag_network_decides_a_kink_inside_a_ball_from_the_exact_point(act):
    from symland.dag import dag_from_obj

    net = dag_from_obj({"inputs": ["x1", "x2"], "activation": act,
                        "nodes": [{"id": "h", "bias": "b"}, {"id": "o", "bias": "c", "output": True}],
                        "edges": [{"from": "x1", "to": "h", "weight": "w1"}, {"from": "x2", "to": "h", "weight": "w2"},
                                  {"from": "h", "to": "o", "weight": "v"}]})
    prob = Problem(net, Dataset.from_rows([["1/3", "0"], ["1", "1"]], [0, 1]))
    point = {"w1": "3", "w2": "1", "v": "1", "b": "-1", "c": "0"}  # h at x₁: 3·(1/3) + 0 − 1 = 0, a ball in Arb
    vec = [point[k] for k in net.param_names()]
    if act == "relu":
        with pytest.raises(UndefinedDerivativeError, match="relu\\^\\(1\\) is not defined at t = 0"):
            prob.at(vec, kind=BallKind(128))
    else:
        assert prob.at(vec, kind=BallKind(128)).breakpoint_preactivations == ((0, 1),)
        with pytest.raises(KinkUndecided):  # the same numbers as balls, the exact point unknown: undecided
            prob.at([arb(int(v)) for v in vec], kind=BallKind(128))
