"""The re-checker at a large given rational point (recheck/given.py): H layer by layer over ℚ with fmpq_mat and
the witness minor by back-propagation over F_p with nmod_mat — the at-scale given-point certificates (the point
listed whatever its size) are checked under --strict; mutated ones are rejected."""

import copy
import json
import random

import pytest
from flint import fmpq

from symland.activations import get_activation
from symland.atscale import construct
from symland.data import Dataset
from symland.network import mlp
from symland.tiers import cost

from proofs_check.claims import run
from proofs_check.cli import main
from proofs_check.instance import Context, Instance
from proofs_check.recheck import given, recheck


def _data(d, p, ell=1, seed=7):
    rng = random.Random(seed)
    return Dataset.from_rows([[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(p)] for _ in range(d)],
                             [[fmpq(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(ell)] for _ in range(d)])


@pytest.fixture(scope="module", params=[((2, 12, 12, 1), "rectpow3"), ((12, 12, 1), "relu")], ids=["cor-3.4", "relu"])
def certs(request):
    widths, act = request.param
    sigma, data = get_activation(act), _data(12, widths[0])
    sp_ = construct(data, widths, sigma)
    point = tuple(sorted(zip(mlp(widths, sigma).param_names(), (str(v) for v in sp_.flat()))))
    mp = pytest.MonkeyPatch()
    mp.setattr(cost, "SCALE_ENTRIES", 0)  # the given-point route at scale (J_H mod p by the engine's passes)
    try:
        inst = Instance("g", data, sigma, widths=widths, tier="exact", point=point)
        out = [json.loads(c.to_json()) for c in run([inst], ["thm-2.1", "prop-2.3"], ctx=Context())]
    finally:
        mp.undo()
    assert [c["verdict"] for c in out] == ["proved", "proved"]
    assert "J_H mod p" in out[0]["witness"]["rank"]["method"] and "point" in out[0]["witness"]
    return out


@pytest.fixture()
def small(monkeypatch):
    monkeypatch.setattr(given, "GIVEN_FROM", 0)  # the matrix route on small instances


def _mutant(cert, change):
    obj = copy.deepcopy(cert)
    change(obj["witness"])
    return recheck(obj)


def test_given_points_are_checked_by_matrices(certs, small, tmp_path, capsys):
    for c in certs:
        r = recheck(c)
        assert r.status == "checked", r.summary()
        assert r.checked[1] == "H(m) = 0 exactly: all 12 residuals recomputed layer by layer over ℚ (fmpq_mat products)"
        assert r.checked[2].startswith("rank J_H(m) ≥ 12: the 12×12 witness minor, entries by back-propagation")
    assert any("inertia (12, 0, " in s for s in recheck(certs[1]).checked)
    path = tmp_path / "certs.json"
    path.write_text(json.dumps(certs))
    assert main(["recheck", str(path), "--strict"]) == 0
    capsys.readouterr()


def _minor(w):
    return w["rank"]["minor"]


MUTANTS = {
    "determinant": lambda w: _minor(w).update(det_mod_p=_minor(w)["det_mod_p"] % 97 + 1),
    "another prime": lambda w: _minor(w).update(prime=2147483647),
    "not a prime": lambda w: _minor(w).update(prime=91),
    "a column": lambda w: _minor(w)["cols"].__setitem__(0, max(_minor(w)["cols"]) + 1),
    "a residual": lambda w: w["H"].__setitem__(0, "1/2"),
    "a first-layer weight": lambda w: w["point"].update(W1_0_0="3/7"),
    "an output weight": lambda w: w["point"].update({k: "1" for k in list(w["point"]) if k.endswith("_0_0")
                                                     and not k.startswith("W1")}),
}


@pytest.mark.parametrize("what", sorted(MUTANTS))
def test_mutated_given_point_certificates_are_rejected(certs, small, what):
    for c in certs:
        r = _mutant(c, MUTANTS[what])
        assert r.status == "rejected", (what, r.summary())


def test_the_general_route_and_the_matrix_route_agree(certs, monkeypatch):
    for c in certs:  # below GIVEN_FROM the general graph route decides the same certificate
        assert recheck(c).status == "checked"


def test_two_outputs_back_propagate_per_output(small, monkeypatch):
    widths, sigma = (2, 12, 12, 2), get_activation("rectpow3")
    data = _data(12, 2, ell=2)
    one = (2, 12, 12, 1)
    pts = [dict(zip(mlp(one, sigma).param_names(), (str(v) for v in construct(
        Dataset.from_rows(data.X, [[row[c]] for row in data.Y]), one, sigma).flat()))) for c in range(2)]
    point = {k: v for k, v in pts[0].items() if not k.startswith(("W3", "b3"))}  # same hidden layers for both
    for c in range(2):
        point.update({f"W3_{c}_{j}": pts[c][f"W3_0_{j}"] for j in range(12)} | {f"b3_{c}": pts[c]["b3_0"]})
    monkeypatch.setattr(cost, "SCALE_ENTRIES", 0)
    inst = Instance("g2", data, sigma, widths=widths, tier="exact", point=tuple(sorted(point.items())))
    (c,) = run([inst], ["thm-2.1"], ctx=Context())
    assert c.verdict == "proved" and len(c.witness["H"]) == 24
    r = recheck(c.to_json_obj())
    assert r.status == "checked" and r.checked[2].startswith("rank J_H(m) ≥ 24: the 24×24 witness minor"), r.summary()
    bad = c.to_json_obj()
    bad["witness"]["rank"]["minor"]["det_mod_p"] = bad["witness"]["rank"]["minor"]["det_mod_p"] % 97 + 1
    assert recheck(bad).status == "rejected"


def test_a_transcendental_sigma_or_value_falls_back_to_the_general_route(certs, small):
    c = certs[0]
    assert given.applies(c["witness"])
    w = copy.deepcopy(c["witness"])
    w["instance"]["activation"] = "smoolu"
    assert not given.applies(w)  # not a polynomial between breakpoints: the graph route decides
    r = _mutant(c, lambda w: w["point"].update(W1_0_0="exp(1)"))
    assert r.status == "rejected" and "recorded f_1 = 0 but recomputed" in r.reasons[0]  # by the general route
