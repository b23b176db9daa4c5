"""General DAG networks (Section 3): both semantics, weight sharing, exact maps equal sympy's."""

import json

import pytest
import sympy as sp

from symland.dag import dag_from_obj, load_dag
from symland.data import Dataset
from symland.errors import InputError, ShapeError
from symland.problem import Problem
from symland.tiers import ExpPolyKind
from symland.tiers.exppoly import from_sympy

from proofs_check.instances import SHARED_DAG, SHARED_POINT

ONE_UNIT = {"inputs": ["x1", "x2"], "activation": "smoolu",
            "nodes": [{"id": "h", "bias": "b"}, {"id": "o", "bias": "c", "output": True}],
            "edges": [{"from": "x1", "to": "h", "weight": "w1"}, {"from": "x2", "to": "h", "weight": "w2"},
                      {"from": "h", "to": "o", "weight": "v"}]}


def test_shared_labels_count_once():
    net = dag_from_obj(SHARED_DAG)
    assert net.param_names() == ["w", "u", "v1", "v2", "v3", "b1", "b2", "c"]
    assert (net.n, net.p, net.l) == (8, 2, 1)


def test_the_literal_semantics_differ_from_lemma_3_3_when_p_is_above_one():
    lit = dag_from_obj({**ONE_UNIT, "semantics": "literal"})
    std = dag_from_obj({**ONE_UNIT, "semantics": "standard"})
    params = [1, 1, 1, 0, 0]  # w1, w2, v, b, c
    f_lit = lit.sympy_output([1, 1], params)[0]
    f_std = std.sympy_output([1, 1], params)[0]
    assert sp.simplify(f_lit - 2 * sp.exp(-1)) == 0  # σ(1) + σ(1)
    assert sp.simplify(f_std - 2 * sp.exp(sp.Rational(-1, 2))) == 0  # σ(1 + 1) = σ(a·x)
    assert sp.simplify(f_lit - f_std) != 0


@pytest.mark.parametrize("semantics", ["literal", "standard"])
@pytest.mark.parametrize("obj,act", [(SHARED_DAG, "rectpow3"), (ONE_UNIT, "smoolu")])
def test_jets_equal_the_symbolic_maps_exactly(semantics, obj, act):
    net = dag_from_obj({**obj, "activation": act, "semantics": semantics})
    data = Dataset.from_rows([[0, 1], [1, 1], [2, 0]], [1, 0, 2])
    prob = Problem(net, data)
    point = ["1/2", "1", "2", "-1", "1/3", "1", "-1/2", "1/5"][: net.n]
    vals = prob.at(dict(zip(net.param_names(), point)), hessian=True)
    subs = {s: sp.Rational(v) for s, v in zip(prob.symbols, point)}
    lift = ExpPolyKind().const
    assert [from_sympy(h.subs(subs)) for h in prob.H_sym] == [lift(v) for v in vals.H]
    J, HL = prob.J_sym.subs(subs), prob.hessian_sym.subs(subs)
    n = net.n
    assert all(from_sympy(J[i, j]) == lift(vals.J[i][j]) for i in range(3) for j in range(n))
    assert all(from_sympy(HL[i, j]) == lift(vals.hess_L[i][j]) for i in range(n) for j in range(n))


def test_the_shared_point_is_on_M_with_rank_d():
    net = dag_from_obj(SHARED_DAG)
    prob = Problem(net, Dataset.from_rows([[0, 1], [1, 1], [2, 0]], [1, 0, 2]))
    vals = prob.at(dict(SHARED_POINT))
    assert vals.on_M


@pytest.mark.parametrize("edit,message", [
    (lambda o: o["edges"].append({"from": "o", "to": "h", "weight": "z"}), "cycle"),
    (lambda o: o["edges"].append({"from": "q", "to": "h", "weight": "z"}), "unknown vertex"),
    (lambda o: o["edges"].append({"from": "h", "to": "x1", "weight": "z"}), "input x1"),
    (lambda o: o.update(semantics="weird"), "semantics"),
])
def test_malformed_networks_are_refused(edit, message):
    obj = json.loads(json.dumps(ONE_UNIT))
    edit(obj)
    with pytest.raises(InputError, match=message):
        dag_from_obj(obj)


def test_network_files_are_read_and_bad_ones_refused(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(SHARED_DAG))
    assert load_dag(path).n == 8
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="JSON object"):
        load_dag(path)
    path.write_text(json.dumps({"inputs": ["x"]}))
    with pytest.raises(InputError, match="missing or malformed"):
        load_dag(path)
    assert issubclass(ShapeError, InputError)
