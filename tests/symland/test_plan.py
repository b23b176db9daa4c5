"""The one tier chooser (symland.tiers.plan) and the one cost model (symland.tiers.cost): the adapters for the analysis
at a point and for certify, the route test shared with the application, and budget's re-exports."""

import math

import pytest

from symland import budget
from symland.activations import get_activation
from symland.data import Dataset
from symland.errors import TooLargeError
from symland.network import mlp
from symland.problem import Problem
from symland.tiers import cost
from symland.tiers.plan import (
    DEFAULT_BUDGET,
    exponent_bits,
    plan,
    plan_at,
    plan_certify,
    row_terms,
)

DATA = Dataset.from_rows([["0"], ["1"], ["2"]], [["1"], ["0"], ["2"]])


def test_plan_at_takes_what_the_analysis_at_a_point_has():
    prob = Problem(mlp((1, 3, 1), "smoolu"), DATA)
    names = prob.network.param_names()
    point = dict.fromkeys(names, "1") | {"W2_0_1": "2*exp(2) - 1/3", "W2_0_2": "exp(-1/2)"}
    p = plan_at(prob, point, "inspect")
    assert (p.tier, p.job) == ("symbolic", "hessian")  # inspect is planned as prop-2.3
    assert "S = 12 terms e^q" in p.reason  # (p + 1)·(1 + 2 + 1) + h + 1
    flat = [point[k] for k in names]  # a flat sequence in the canonical order is read the same
    assert plan_at(prob, flat, "inspect") == p
    assert plan_at(Problem(mlp((1, 3, 1), "relu"), DATA), None, "thm-2.1").tier == "exact"
    assert plan_at(Problem(mlp((1, 3, 1), "tanh"), DATA), None, "prop-2.3").tier == "ball"


def test_plan_certify_exact_for_a_rational_sigma_ball_otherwise_and_beyond_the_dense_route():
    assert plan_certify(mlp((1, 3, 1), "relu"), DATA).tier == "exact"
    p = plan_certify(mlp((1, 3, 1), "tanh"), DATA)
    assert (p.tier, p.reason) == ("ball", "tanh is transcendental: Arb balls")
    big = Dataset.from_rows([[str(i)] for i in range(400)], [[str(i % 3)] for i in range(400)])
    p = plan_certify(mlp((1, 1000, 1), "relu"), big)
    assert (p.tier, p.reason) == ("ball", "dℓ·n = 1,200,400 > 1,000,000: Arb balls")


def test_the_budget_decides_and_nothing_fitting_is_refused():
    sm = get_activation("smoolu")
    assert plan((1, 3, 1), DATA, sm, claim="prop-2.3").tier == "symbolic"
    p = plan((1, 3, 1), DATA, sm, claim="prop-2.3", budget=0.1)
    assert p.tier == "float" and p.reason.endswith("ball predicted 1 s > budget 0.1 s → float (numerical)")
    huge = Dataset.from_rows([[str(i)] for i in range(20000)], [["0"]] * 20000)
    with pytest.raises(TooLargeError, match=r"^no tier fits the 120 s budget: ball predicted 60001 s, float 600 s"):
        plan((1, 100000, 1), huge, get_activation("tanh"), claim="prop-2.3", budget=1.0)


def test_the_job_sets_the_cost_and_the_symbolic_model_reads_the_row_terms():
    S = row_terms(DATA, (1, 3, 1), get_activation("smoolu"))
    assert S is not None and S >= 3 * 2 + 4
    assert exponent_bits(DATA, (1, 3, 1), get_activation("smoolu")) >= 8
    assert exponent_bits(DATA, (1, 3, 1), get_activation("smoolu"), point={"W2_0_0": "exp(-22/7)"}) == 8
    assert exponent_bits(DATA, (1, 3, 1), get_activation("smoolu"), point={"W2_0_0": "exp(-2222/7)"}) == 15
    rank = cost.predict("symbolic", "rank", n=10, m=3, S=S)
    hess = cost.predict("symbolic", "hessian", n=10, m=3, S=S, E=40)
    c = cost.COST["symbolic"]
    assert rank == pytest.approx(c["base"] + c["entry"] * 3 * S)
    assert hess == pytest.approx(rank + c["hessian"] * 3 * S * S * 40)  # a term product costs ~ E bits
    assert cost.predict("symbolic", "rank", n=10, m=3, S=cost.TERM_CAP) == math.inf
    assert cost.predict("exact", "hessian", n=151, m=3) == cost.predict("exact", "rank", n=151, m=3)  # no Hessian
    assert cost.predict("exact", "hessian", n=150, m=3) > cost.predict("exact", "rank", n=150, m=3)
    assert cost.job_of("inspect") == cost.job_of("prop-2.3") == cost.job_of("rem-4.2") == "hessian"
    assert DEFAULT_BUDGET == 120.0


def test_one_route_test_and_one_copy_of_the_constants():
    from symland.point import at_scale as _at_scale

    from proofs_check.claims import prop_2_3

    assert budget.estimate_for is cost.estimate_for and budget.check_size is cost.check_size
    assert budget.HESSIAN_LIMIT == cost.HESSIAN_LIMIT == prop_2_3.HESSIAN_LIMIT == _at_scale.HESSIAN_LIMIT
    assert cost.SCALE_ENTRIES == _at_scale.SCALE_ENTRIES
    rect = get_activation("rectpow3")
    assert cost.route((20, 1000, 1000, 1), 100, 1, rect) == "constructed"
    assert cost.route((20, 1000, 1000, 1), 100, 1, rect, point_given=True) == "given-mod-p"
    assert cost.route((20, 1000, 1000, 1), 100, 1, get_activation("smoolu")) == "general"
    assert cost.route((2, 5, 1), 4, 1, rect) == "general"
    est = cost.estimate_for(mlp((20, 1000, 1000, 1), rect), Dataset.from_rows([[str(i)] * 20 for i in range(100)],
                                                                              [["1"]] * 100))
    assert est.route == "constructed"
