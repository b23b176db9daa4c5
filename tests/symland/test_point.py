"""symland.analyse: one frozen value for the landscape at a point, the same by every route, computed once per run."""

import dataclasses
from dataclasses import replace

import pytest

from symland import Dataset, PointAnalysis, PointSpec, Problem, RankBound, analyse, lemma_3_3, mlp
from symland.errors import InputError
from symland.tiers import RationalKind

XOR = Dataset.from_rows([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])


@pytest.fixture(scope="module")
def xor():
    it = lemma_3_3(XOR, "rectpow3", RationalKind())
    return Problem(it.network, XOR), [str(v) for v in it.params]


def _key(pa: PointAnalysis):
    return pa.on_M, pa.rank.value, pa.inertia


def test_the_analysis_is_a_frozen_value(xor):
    prob, point = xor
    pa = analyse(prob, point, tier="exact")
    with pytest.raises(dataclasses.FrozenInstanceError):
        pa.on_M = False
    with pytest.raises(TypeError):
        pa.witness["H"] = ["1"]  # the mappings inside are read-only views
    with pytest.raises(dataclasses.FrozenInstanceError):
        pa.rank.lower = 0
    assert isinstance(pa.rank, RankBound) and hash(pa.rank.kernel) is not None
    assert pa == analyse(prob, point, tier="exact")  # a value: equal when computed again


def test_exact_values_in_sylvester_order(xor):
    prob, point = xor
    pa = analyse(prob, point, tier="exact")
    assert (pa.status, pa.on_M, pa.rank.value, pa.inertia, pa.strength) == ("ok", True, 4, (4, 0, 13), "proved")
    assert pa.residual == ("0", "0", "0", "0") and pa.n == 17 and pa.membership_exact
    assert pa.smoothness == "smooth" and pa.kinks == ()
    assert dict(pa.parts) == {"membership": "exact", "rank": "exact", "inertia": "exact", "smoothness": "exact"}
    assert pa.to_json_obj()["inertia"] == [4, 0, 13] and pa.to_json_obj()["rank"] == 4
    text = str(pa)
    assert "rank J_H = 4 (exact, proved)" in text and "inertia of Hess L (n₊, n₋, n₀) = (4, 0, 13)" in text


def test_the_routes_agree_at_the_same_point(xor, monkeypatch):
    prob, point = xor
    given = analyse(prob, point, tier="exact")
    constructed = analyse(prob, PointSpec.constructed(), tier="exact")
    assert _key(given) == _key(constructed) == (True, 4, (4, 0, 13))
    assert given.origin == "given" and constructed.origin == "constructed"
    assert constructed.source == "the Lemma 3.3 point" and given.source == "the given point"
    assert given.residual == constructed.residual and given.rank.lower == constructed.rank.lower
    ball_constructed = analyse(prob, PointSpec.constructed(), tier="ball")  # H(m*) = 0 by construction
    assert _key(ball_constructed) == (True, 4, (4, 0, 13)) and ball_constructed.strength == "certified"
    ball_given = analyse(prob, point, tier="ball")  # a dyadic point: every residual ball is exactly 0 ± 0
    assert _key(ball_given) == (True, 4, (4, 0, 13)) and ball_given.status == "ok" and ball_given.membership_exact
    assert "Arb computes each residual without rounding" in ball_given.membership and not ball_given.structural_zero
    from symland.point.routes import planned_route
    from symland.tiers import cost

    assert planned_route(prob, PointSpec.constructed(), "exact") == "exact"
    monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)  # take the at-scale routes on this small instance
    monkeypatch.setattr(cost, "HESSIAN_LIMIT", 0)
    assert planned_route(prob, PointSpec.constructed(), "exact") == "at-scale"
    assert planned_route(prob, point, "exact") == "given-mod-p" and planned_route(prob, point, "ball") == "numeric"
    scale = analyse(prob, PointSpec.constructed(), tier="exact", inertia=False)
    mod_p = analyse(prob, point, tier="exact", inertia=False)
    assert "prefix sums" in scale.details[0] and "mod p" in mod_p.rank.method
    assert _key(scale) == _key(mod_p) == (True, 4, (4, 0, 13))


def test_a_point_off_m_has_a_residual_and_the_full_hessian_inertia():
    prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]))
    pa = analyse(prob, {"W1_0_0": "1", "b1_0": "0", "W2_0_0": "1", "b2_0": "0"}, tier="exact", spectrum=True)
    assert (pa.status, pa.on_M, pa.residual, pa.rank.value, pa.inertia) == ("off-M", False, ("-1",), 1, (2, 1, 1))
    assert len(pa.spectrum) == 4 and sum(v < -pa.spectrum_tolerance for v in pa.spectrum) == 1
    flt = analyse(prob, ["1", "0", "1", "0"], tier="float")
    assert (flt.on_M, flt.rank.value, flt.inertia, flt.strength) == (None, 1, (2, 1, 1), "numerical")


def test_a_bad_tier_or_origin_is_an_input_error_naming_the_argument(xor):
    prob, point = xor
    with pytest.raises(InputError, match="argument 'tier'.*'Ball'"):
        analyse(prob, point, tier="Ball")
    with pytest.raises(InputError, match="origin"):
        PointSpec("nearby", point)
    with pytest.raises(InputError, match="argument 'problem'"):
        analyse(prob.network, point, tier="exact")


def _counting(monkeypatch, owner, name):
    calls = []
    fn = getattr(owner, name)

    def wrapped(*a, **k):
        calls.append(1)
        return fn(*a, **k)

    monkeypatch.setattr(owner, name, wrapped)
    return calls


def test_one_problem_at_per_claim_run(monkeypatch):
    from symland.problem import Problem as P

    from proofs_check.claims import run
    from proofs_check.instance import Context
    from proofs_check.instances import default_instances

    insts = {i.name: i for i in default_instances()}
    calls = _counting(monkeypatch, P, "at")
    certs = run([replace(insts["rectpow3-p2-d5"], tier="exact")], ["thm-2.1", "prop-2.3"], ctx=Context())
    assert [c.verdict for c in certs] == ["proved", "proved"]
    assert len(calls) == 1  # one analysis, with Hess f_r since prop-2.3 is in the run
    calls.clear()
    smoolu = replace(insts["smoolu-p1-d3"], tier="symbolic")  # the constructed point: thm-4.1's too
    certs = run([smoolu], ["thm-2.1", "prop-2.3", "thm-4.1"], ctx=Context())
    assert [c.verdict for c in certs] == ["proved", "proved", "proved"] and len(calls) == 1


def test_one_verified_solve_per_certify(monkeypatch):
    import numpy as np

    import symland.nearest as N
    from symland.models import from_arrays
    from symland.problem import Problem as P

    from proofs_check.certify_model import certify_model

    rng = np.random.default_rng(0)
    data = Dataset.from_rows([[0], [1], [2]], [1, 0, 2])
    layers = [(rng.normal(size=(4, 1)), rng.normal(size=4)), (rng.normal(size=(1, 4)), rng.normal(size=1))]
    model = from_arrays(layers, "rectpow3")
    N._CACHE.clear()
    solves = _counting(monkeypatch, N, "solve_ball")
    rep = certify_model(model, data, tier="ball", max_distance=1e9)
    # one solve per start point: the foot m̃, and m itself when the projection did not converge (far from M, as
    # here: the nearer of the two is kept); the claims reuse it
    starts = 1 if rep.distance.foot.converged else 2
    assert [c.verdict for c in rep.certificates] == ["certified", "certified"] and len(solves) == starts == 2
    exact = _counting(monkeypatch, N, "_solve_exact")
    at_points = []
    fn = P.at

    def at(self, point, **k):
        at_points.append(tuple(point))
        return fn(self, point, **k)

    monkeypatch.setattr(P, "at", at)
    rep = certify_model(model, data, tier="exact", max_distance=1e9)
    assert [c.verdict for c in rep.certificates] == ["proved", "proved"]
    # L(m) at the trained point is the sum of squares of H(m) from the distance's Arb passes at m: no Problem.at at
    # m, and one at m* (not a pass per claim)
    trained = tuple(model.point())
    assert len(exact) == starts and len([p for p in at_points if p != trained]) == 1 and at_points.count(trained) == 0
    assert rep.loss_ball is not None and rep.loss_ball.overlaps(sum(h * h for h in rep.distance.residual))
    assert rep.certificates[0].witness["point"] == rep.point  # the certificates speak of m* itself


def test_the_smoothness_class_and_the_kinks_hit_at_any_point():
    from symland import landscape_at

    prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [2]))
    pa = analyse(prob, ["0", "0", "1", "0"], tier="exact")  # the hidden pre-activation is 0, rectpow3's kink
    assert (pa.status, pa.smoothness, pa.kinks, pa.inertia) == ("off-M", "C^2", ((0, 1),), (1, 0, 3))
    obj = landscape_at(prob, ["0", "0", "1", "0"], tier="exact").to_json_obj(matrices=False)
    assert (obj["smoothness"], obj["kinks"], obj["inertia"]) == ("C^2", [["0", 1]], [1, 0, 3])


def test_claim_by_claim_runs_share_the_one_analysis_when_planned(monkeypatch):
    from symland.problem import Problem as P

    from proofs_check.claims import plan, run
    from proofs_check.instance import Context
    from proofs_check.instances import default_instances

    inst = replace(next(i for i in default_instances() if i.name == "rectpow3-p2-d5"), tier="exact")
    calls = _counting(monkeypatch, P, "at")
    ctx = plan(Context(), [inst], ["thm-2.1", "prop-2.3"])  # as verify --timeout and the sweep worker do
    certs = [run([inst], [cid], ctx=ctx)[0] for cid in ("thm-2.1", "prop-2.3")]
    assert [c.verdict for c in certs] == ["proved", "proved"] and len(calls) == 1


def test_the_point_package_imports_no_claim_code_and_has_no_cycle_even_through_lazy_imports():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "symland" / "point"
    edges = {}
    for path in root.glob("*.py"):
        mod = "symland.point" if path.stem == "__init__" else f"symland.point.{path.stem}"
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        assert not any(m.startswith("proofs_check") for m in found), mod
        edges[mod] = {m for m in found if m.startswith("symland.point.") and m != mod}

    def reach(start, seen):
        for nxt in edges.get(start, ()):
            if nxt not in seen:
                seen.add(nxt)
                reach(nxt, seen)
        return seen

    assert [m for m in edges if m in reach(m, set())] == []


def test_an_instance_takes_a_point_the_engine_made_and_nothing_else_as_its_spec(xor):
    from proofs_check import Instance
    from proofs_check.instance import Context

    prob, point = xor
    with pytest.raises(InputError, match="spec"):
        Instance("bad", XOR, "rectpow3", widths=(2, 4, 1), spec=dict(zip(prob.network.param_names(), point)))
    made = PointSpec.given(prob.parse_point(point), source="a point the engine made")
    inst = Instance("made", XOR, "rectpow3", widths=(2, 4, 1), point=tuple(zip(prob.network.param_names(), point)),
                    spec=made, tier="exact")
    pa = Context().analysis(inst)
    assert _key(pa) == (True, 4, (4, 0, 13)) and pa.source == "a point the engine made"


def test_jupyter_shows_the_analysis_as_markdown_with_the_sylvester_inertia(xor):
    prob, point = xor
    md = analyse(prob, point, tier="exact")._repr_markdown_()
    assert md.startswith("**the given point (exact, proved at best): H(m) = 0 exactly")
    assert "- inertia of Hess L (n₊, n₋, n₀) = (4, 0, 13)" in md and "- rank J\\_H = 4 (exact, proved)" in md
