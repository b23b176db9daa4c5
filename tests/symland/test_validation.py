"""The Python objects check their arguments where they are given (symland._validation), with the CLI's kind of
message: one line naming the argument and showing its value, as an InputError (also a ValueError)."""

from __future__ import annotations

import pytest

from symland import DagNetwork, Dataset, Problem, get_activation, mlp
from symland._validation import TIERS
from symland.errors import InputError, ShapeError, UnknownNameError

from proofs_check import Instance, check

DATA = Dataset.from_rows([[0], [1]], [1, 2])  # p = 1, d = 2, ℓ = 1
TIERS_LIST = "auto, exact, symbolic, ball, mp, float"


def _raises(cls, message, fn, *args, **kw):
    with pytest.raises(cls) as info:
        fn(*args, **kw)
    assert type(info.value) is cls
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)  # every InputError is a ValueError too


# -- proofs_check.Instance -------------------------------------------------------------------------------------

def test_a_misspelt_tier_is_refused_instead_of_running_the_exact_tier():
    _raises(UnknownNameError, f"tier: unknown tier 'Ball' (did you mean 'ball'?); valid tiers: {TIERS_LIST}",
            Instance, "x", DATA, "rectpow3", tier="Ball")
    _raises(UnknownNameError, f"tier: unknown tier 'arb'; valid tiers: {TIERS_LIST}",
            Instance, "x", DATA, "rectpow3", tier="arb")
    _raises(UnknownNameError, f"tier: expected a tier name, got None; valid tiers: {TIERS_LIST}",
            Instance, "x", DATA, "rectpow3", tier=None)


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_is_accepted(tier):
    assert Instance("x", DATA, "rectpow3", tier=tier).tier == tier


def test_the_right_tier_still_runs_and_proves():
    cert = check("thm-2.1", Instance("x", DATA, "rectpow3", tier="exact"))
    assert (cert.verdict, cert.tier) == ("proved", "exact")


@pytest.mark.parametrize("kw, cls, message", [
    (dict(widths=(2, 3, 1)), ShapeError, "widths (2, 3, 1) start with 2 but the data have p = 1 inputs"),
    (dict(widths=(1, 3, 2)), ShapeError, "widths (1, 3, 2) end with 2 but the data have ℓ = 1 outputs"),
    (dict(widths=(1, 0, 1)), ShapeError, "widths: layer sizes must be positive integers, got (1, 0, 1)"),
    (dict(widths=(1, 2.5, 1)), ShapeError, "widths: layer sizes must be positive integers, got (1, 2.5, 1)"),
    (dict(widths=(1,)), ShapeError, "widths: at least the input and output sizes are needed, got (1,)"),
    (dict(widths="1,2,1"), InputError, "widths: expected a sequence of layer sizes (p, h_1, …, ℓ), got '1,2,1'"),
    (dict(bias="no"), InputError, "bias: expected True or False, got 'no'"),
    (dict(point=[("W1_0_0",)]), InputError, "point: expected a mapping or (name, value) pairs, got the item "
                                            "('W1_0_0',)"),
    (dict(point=7), InputError, "point: expected a tuple or list, got 7"),
    (dict(expected=(("thm-2.1", "proven"),)), UnknownNameError,
     "expected['thm-2.1']: unknown verdict 'proven'; valid verdicts: proved, certified, numerical, refuted, "
     "hypothesis-fails, inconclusive"),
    (dict(resolve=("newton", (0,))), UnknownNameError,
     "resolve: unknown re-solve method 'newton'; valid re-solve methods: output, krawczyk"),
    (dict(resolve=("output",)), InputError, "resolve: expected (method, columns), got ('output',)"),
    (dict(dag="net.json"), InputError, "dag: expected a symland.DagNetwork (load_dag or dag_from_obj), got "
                                       "'net.json'"),
])
def test_instance_arguments(kw, cls, message):
    _raises(cls, message, Instance, "x", DATA, "rectpow3", **kw)


def test_instance_name_data_and_activation():
    _raises(InputError, "name: expected a string, got 3", Instance, 3, DATA, "relu")
    _raises(InputError, "data: expected a symland.Dataset (Dataset.from_rows or load_dataset), got [[0], [1]]",
            Instance, "x", [[0], [1]], "relu")
    _raises(InputError, "activation: expected an Activation or an activation name such as 'smoolu', got 3",
            Instance, "x", DATA, 3)
    with pytest.raises(UnknownNameError, match=r"^unknown activation 'relu2'; valid names: smoolu, relu, "):
        Instance("x", DATA, "relu2")


def test_instance_normalises_to_hashable_values():
    inst = Instance("x", DATA, "relu", widths=[1, 2, 1], point={"b": "1", "a": 2}, claims=["thm-2.1"])
    assert (inst.widths, inst.point, inst.claims) == ((1, 2, 1), (("a", 2), ("b", "1")), ("thm-2.1",))
    assert inst.activation is get_activation("relu")
    assert hash(inst) == hash(Instance("x", DATA, "relu", widths=(1, 2, 1), point=(("a", 2), ("b", "1")),
                                       claims=("thm-2.1",)))


def test_widths_and_a_dag_are_not_both_given():
    dag = DagNetwork(("x",), (("h", "b", False), ("o", "c", True)), (("x", "h", "w"), ("h", "o", "v")), "relu")
    _raises(InputError, "widths: give either widths or dag, not both (widths (1, 1, 1))",
            Instance, "x", DATA, "relu", widths=(1, 1, 1), dag=dag)
    assert Instance("x", DATA, "relu", dag=dag).dag is dag


# -- symland.mlp / MLP -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, kw, cls, message", [
    (((2, 3, 1), "Relu2"), {}, UnknownNameError, None),
    (((2, 3, 1), 3), {}, InputError, "activation: expected an Activation or an activation name such as 'smoolu', "
                                     "got 3"),
    ((3, "relu"), {}, InputError, "widths: expected a sequence of layer sizes (p, h_1, …, ℓ), got 3"),
    (((2, 0, 1), "relu"), {}, ShapeError, "widths: layer sizes must be positive integers, got (2, 0, 1)"),
    (((2, True, 1), "relu"), {}, ShapeError, "widths: layer sizes must be positive integers, got (2, True, 1)"),
    (((2,), "relu"), {}, ShapeError, "widths: at least the input and output sizes are needed, got (2,)"),
    (((2, 3, 1), "relu"), {"bias": "False"}, InputError, "bias: expected True or False, got 'False'"),
])
def test_mlp_arguments(args, kw, cls, message):
    if message is None:
        with pytest.raises(cls, match=r"^unknown activation 'Relu2'; valid names: "):
            mlp(*args, **kw)
    else:
        _raises(cls, message, mlp, *args, **kw)


def test_mlp_accepts_names_lists_and_numpy_values():
    np = pytest.importorskip("numpy")
    net = mlp([np.int64(2), 3, 1], "ReLU", bias=np.bool_(False))
    assert (net.widths, net.activation.name, net.bias, net.n) == ((2, 3, 1), "relu", False, 9)
    assert type(net.widths[0]) is int


# -- symland.DagNetwork ----------------------------------------------------------------------------------------

NODES = (("h", "b", False), ("o", "c", True))
EDGES = (("x", "h", "w"), ("h", "o", "v"))


def test_dag_arguments():
    _raises(UnknownNameError, "semantics: unknown semantics 'Literal' (did you mean 'literal'?); valid semantics: "
                              "literal, standard", DagNetwork, ("x",), NODES, EDGES, "relu", "Literal")
    _raises(ShapeError, "edges: each is a triple (from, to, weight label), got ('x', 'h')",
            DagNetwork, ("x",), NODES, (("x", "h"),), "relu")
    _raises(ShapeError, "nodes: each is a triple (id, bias label or None, is_output), got 'h'",
            DagNetwork, ("x",), ("h",), EDGES, "relu")
    _raises(InputError, "inputs: expected a tuple or list, got 'x'", DagNetwork, "x", NODES, EDGES, "relu")
    _raises(InputError, "activation: expected an Activation or an activation name such as 'smoolu', got None",
            DagNetwork, ("x",), NODES, EDGES, None)


def test_a_dag_given_as_lists_is_stored_as_tuples():
    net = DagNetwork(["x"], [["h", "b", False], ["o", "c", True]], [["x", "h", "w"], ["h", "o", "v"]], "relu")
    assert (net.inputs, net.nodes, net.edges) == (("x",), NODES, EDGES)
    assert hash(net) == hash(DagNetwork(("x",), NODES, EDGES, get_activation("relu")))


# -- symland.Problem -------------------------------------------------------------------------------------------

def test_problem_arguments():
    _raises(InputError, "network: expected a network (symland.mlp(widths, σ) or a DagNetwork), got (1, 1, 1)",
            Problem, (1, 1, 1), DATA)
    _raises(InputError, "data: expected a symland.Dataset (Dataset.from_rows or load_dataset), got "
                        "{'X': [[0]], 'Y': [[1]]}", Problem, mlp((1, 1, 1), "relu"), {"X": [[0]], "Y": [[1]]})
    _raises(ShapeError, "the network takes 2 inputs but the data have p = 1", Problem, mlp((2, 1, 1), "relu"), DATA)
