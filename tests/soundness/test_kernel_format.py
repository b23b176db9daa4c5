"""The four forgeries of issue 20 that the re-checker accepted, each closed by a mechanism; the written format
(JSON Schemas) validated first; the kernel's process independence.

Each forgery test reproduces the forged certificate exactly as issue 20 describes it and asserts it is no longer
``checked`` (each was ``checked`` under ``recheck --strict`` before):

(a) an extra key in the instance (``activation_expr``) steered the kernel to another σ than the ``activation`` the
    certificate names — closed by the format (an unknown field is rejected) and σ read from ``activation`` only;
(b) the ball route evaluated a DAG's network in standard semantics — closed by the format (an instance names
    widths *or* a DAG) and the ball route refusing any semantics it does not evaluate;
(c) certify's distances were never re-derived — closed by the model's point in the witness and the distances
    recomputed from it (:mod:`proofs_check.recheck.distances`), the report's distances held to the witnesses';
(d) Lemma 3.3 / Corollary 3.4: a check that ran only when ``x0_projection`` was present, values read from the
    witness — closed by the format (``x0_projection`` required) and every value and bias recomputed.
"""

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from symland import Dataset, get_activation

from proofs_check import default_instances, run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck
from proofs_check.recheck.exact import parse
from proofs_check.recheck.format import SCHEMAS, validator
from proofs_check.recheck.sigma import sigma_for

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "proofs_check" / "recheck" / "schema"


def _obj(cert):
    return cert.to_json_obj()


@pytest.fixture(scope="module")
def constructions():
    insts = [i for i in default_instances() if i.name in ("rectpow3-p2-d5", "rectpow3-deep", "smoolu-p1-d3")]
    return {(c.claim, c.instance): _obj(c) for c in run(insts, ["lem-3.3", "cor-3.4"]) if c.verdict == "proved"}


# --------------------------------------------------------------------------------------------------- (a) σ steered

def test_a_an_extra_key_in_the_instance_cannot_choose_another_sigma():
    """A ReLU instance at a kink (the engine: hypothesis-fails) forged ``proved`` with the witness of the same
    point under x³·[x > 0] and an extra ``activation_expr`` naming that σ, ``activation`` saying relu."""
    data = Dataset.from_rows([[1]], [1])
    point = (("W1_0_0", "1"), ("b1_0", "1"), ("W2_0_0", "1"), ("b2_0", "-1"))  # the hidden pre-activation is 0
    relu = run([Instance("k", data, get_activation("relu"), widths=(1, 1, 1), point=point)], ["thm-2.1"])[0]
    assert relu.verdict == "hypothesis-fails"
    cube = _obj(run([Instance("k", data, get_activation("rectpow3"), widths=(1, 1, 1), point=point)],
                    ["thm-2.1"])[0])
    assert cube["verdict"] == "proved" and recheck(cube).status == "checked"
    forged = copy.deepcopy(cube)
    forged["witness"]["instance"]["activation"] = "relu"
    forged["witness"]["instance"]["activation_expr"] = "x^3 if x > 0 else 0"
    r = recheck(forged)
    assert r.status == "rejected"
    assert r.reasons == ("malformed certificate: certificate format v1: at witness/instance: Additional properties "
                         "are not allowed ('activation_expr' was unexpected)",)
    del forged["witness"]["instance"]["activation_expr"]  # without the key: relu itself, at its kink
    assert recheck(forged).status == "rejected"
    assert recheck(cube).checked[0].startswith("re-derived for σ = rectpow3 read as t ↦ t**3 for t > 0")


# ------------------------------------------------------------------------------------------ (b) DAG semantics

def _dag_ball(extra_widths: bool):
    """A literal-semantics DAG (h = σ(w1·x1 + b) + σ(w2·x2 + b)) whose ball witness is a point of M for the
    *standard* network (σ(w1·x1 + w2·x2 + b)) only: c = −tanh(2), while the literal network needs c = −2 tanh(1)."""
    net = {"inputs": ["x1", "x2"], "activation": "tanh", "semantics": "literal",
           "nodes": [{"id": "h", "bias": "b", "output": False}, {"id": "out", "bias": "c", "output": True}],
           "edges": [{"from": "x1", "to": "h", "weight": "w1"}, {"from": "x2", "to": "h", "weight": "w2"},
                     {"from": "h", "to": "out", "weight": "v"}]}
    inst = {"network": net, "activation": "tanh", "X": [["1", "1"]], "Y": [["0"]]}
    if extra_widths:
        inst["widths"] = [2, 1, 1]
    witness = {"instance": inst, "point_source": "forged", "prec": 128, "smoothness": "smooth",
               "point": {"w1": "1", "w2": "1", "b": "0", "v": "1",
                         "c": "[-0.964027580075816883946413724100923 +/- 1e-30]"},
               "H": ["[+/- 1e-25]"],
               "rank": {"lower": 1, "upper": 1, "minor": {"rows": [0], "cols": [4], "det": "forged", "prec": 128},
                        "method": "forged"}}
    return {"claim": "thm-2.1", "instance": "dag", "verdict": "certified", "tier": "ball", "evidence": "forged",
            "hypotheses": [], "witness": witness, "seconds": 0.0}


def test_b_the_ball_route_never_evaluates_a_dag_in_other_semantics():
    both = recheck(_dag_ball(True))  # the forgery of issue 20: the DAG plus a 'widths' key opening the ball route
    assert both.status == "rejected"
    assert "at witness/instance: Additional properties are not allowed ('widths' was unexpected)" in both.reasons[0]
    alone = recheck(_dag_ball(False))
    assert alone.status == "unchecked"
    assert "this instance is a DAG with literal semantics, which it does not evaluate" in alone.skipped[-1]
    assert alone.checked[0].endswith("semantics literal (o_v = Σ_u σ(w·o_u + b_v)); 1 data points; tier ball "
                                     "(Arb balls)")


# -------------------------------------------------------------------------------------- (c) certify's distances

@pytest.fixture(scope="module")
def certified(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import _trained_two_layer

    from symland.models import from_arrays

    from proofs_check.certify_model import certify_model

    out = {}
    for act, seed in (("relu", 2), ("tanh", 1)):
        layers, data, _ = _trained_two_layer(act, seed=seed)
        out[act] = certify_model(from_arrays(layers, act, source="toy"), data).to_json_obj()
    return out


@pytest.mark.parametrize("act", ["relu", "tanh"])
def test_c_certify_distances_are_rederived(certified, act, tmp_path, capsys):
    from proofs_check.cli import main

    report = certified[act]
    for c in report["certificates"]:
        r = recheck(c)
        assert r.status == "checked" and r.checked[-1].startswith("distances to the model's point re-derived")
        assert any(x.startswith("witness/model/point (that this is the file's weights") for x in r.not_vouched)
        for key in ("distance_linf_upper", "distance_l2_upper"):
            for forged_value in (0.0, c["witness"]["model"][key] / 2, c["witness"]["model"][key] * 10):
                forged = copy.deepcopy(c)
                forged["witness"]["model"][key] = forged_value
                bad = recheck(forged)
                assert bad.status == "rejected", (key, forged_value)
                assert bad.reasons[0].startswith(f"model.{key} = {forged_value!r} is ")
        moved = copy.deepcopy(c)  # the model said to be elsewhere: the distances no longer fit
        name = next(iter(moved["witness"]["model"]["point"]))
        moved["witness"]["model"]["point"][name] = "1/3"
        assert recheck(moved).status == "rejected"
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report), encoding="utf-8")
    assert main(["recheck", str(path), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "certify report: the report's point, distances, widths and σ are those of its 2 certificates" in out
    assert ("not vouched: loss_at_model (floating point); loss_at_model_enclosure (Arb: not re-derived); "
            "foot (text); spectrum_at_model (floating point)") in out
    assert "the lower bounds re-derived by forward mode in Arb" in out  # the kernel's own argument confirmed them
    with_inertia = dict(copy.deepcopy(report), inertia=[6, 0, 27])  # Sylvester order on M: [d, 0, n − d]
    path.write_text(json.dumps(with_inertia), encoding="utf-8")
    assert main(["recheck", str(path)]) == 0
    with_inertia["inertia"] = [6, 27, 0]
    path.write_text(json.dumps(with_inertia), encoding="utf-8")
    assert main(["recheck", str(path)]) == 1
    assert "the report's inertia [6, 27, 0] is not [n₊, n₋, n₀] = [6, 0, 27]" in capsys.readouterr().out
    forged = copy.deepcopy(report)
    forged["distance_linf"]["upper"] = 0.0  # the report's own number, set to 0: the witnesses disagree
    path.write_text(json.dumps(forged), encoding="utf-8")
    assert main(["recheck", str(path)]) == 1
    assert "REJECTED certify-report toy (certified): certificate 1: its distance bounds are not the report's" in \
        capsys.readouterr().out
    crossed = copy.deepcopy(report)  # a lower bound above the upper one: a contradiction, rejected
    crossed["distance_l2"]["lower"] = 2 * crossed["distance_l2"]["upper"] + 1
    path.write_text(json.dumps(crossed), encoding="utf-8")
    assert main(["recheck", str(path)]) == 1
    assert "distance_l2 lower bound" in capsys.readouterr().out


# ------------------------------------------------------------------------------- (d) Lemma 3.3 / Corollary 3.4

def _zero_diagonal(obj, sigma_name):
    """b_1 raised to c_1, so σ(c_1 − b_1) = 0: A recomputed with that bias has a zero diagonal — "refuted"."""
    forged = copy.deepcopy(obj)
    w = forged["witness"]
    vals = [parse(v) for v in (w["projections"] if obj["claim"] == "lem-3.3" else w["values"])]
    sigma = sigma_for({"activation": sigma_name})
    w["b"][0] = str(vals[0])
    b = [parse(v) for v in w["b"]]
    w["A"] = [[str(sigma.value(vi - bj)) for bj in b] for vi in vals]
    forged["verdict"] = "refuted"
    forged["witness"].pop("residuals", None)
    return forged


def test_d_genuine_constructions_cannot_be_turned_into_refutations(constructions):
    assert len(constructions) == 6
    for (claim, name), obj in constructions.items():
        assert recheck(obj).status == "checked", (claim, name)
        sigma_name = obj["witness"]["instance"]["activation"]
        forged = _zero_diagonal(obj, sigma_name)
        if claim == "lem-3.3":
            dropped = copy.deepcopy(forged)
            del dropped["witness"]["x0_projection"]  # the forgery of issue 20: the key that guarded b_1 dropped
            r = recheck(dropped)
            assert r.status == "rejected" and "'x0_projection' is a required property" in r.reasons[0]
        r = recheck(forged)
        assert r.status == "rejected", (claim, name, r.summary())
        assert r.reasons[0].startswith("b_1 is not the midpoint"), r.reasons


def test_d_deep_values_are_recomputed_not_read(constructions):
    obj = constructions[("cor-3.4", "rectpow3-deep")]
    assert len(obj["witness"]["instance"]["widths"]) > 3
    forged = copy.deepcopy(obj)
    forged["witness"]["values"] = [str(parse(v) * parse("2")) for v in obj["witness"]["values"]]
    r = recheck(forged)
    assert r.status == "rejected"
    assert r.reasons[0] == "the recorded values are not the values recomputed from a and the data in the given order"


# ------------------------------------------------------------------------------------------------- the format

def test_the_schemas_are_valid_draft_2020_12_and_shipped_as_package_data():
    names = sorted(p.name for p in SCHEMA_DIR.glob("*.json"))
    assert names == sorted(f"{n}.v1.json" for n in SCHEMAS)
    for p in SCHEMA_DIR.glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(p.read_text(encoding="utf-8")))
    cfg = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "[options.package_data]\nproofs_check.recheck = schema/*.json" in cfg
    assert "    jsonschema>=4.18\n" in cfg


def test_every_genuine_verify_certificate_is_in_the_format():
    insts = [i for i in default_instances() if i.name in ("smoolu-p1-d3", "rectpow3-l2", "dag-shared-literal")]
    certs = [_obj(c) for c in run(insts, ctx=Context())]
    for c in certs:
        assert list(validator("certificate").iter_errors(c)) == []
    assert [recheck(c).status for c in certs] == ["checked"] * 11


@pytest.mark.parametrize("edit, field", [
    (lambda c: c.update(colour="red"), "('colour' was unexpected)"),
    (lambda c: c.pop("seconds"), "'seconds' is a required property"),
    (lambda c: c["witness"].update(H_extra=["0"]), "('H_extra' was unexpected)"),
    (lambda c: c["witness"].pop("smoothness"), "'smoothness' is a required property"),
    (lambda c: c["witness"]["rank"]["minor"].update(prime="7"), "at witness/rank/minor"),
    (lambda c: c["witness"]["instance"].update(bias="no"), "at witness/instance/bias: 'no' is not of type"),
    (lambda c: c.update(verdict="proven"), "at verdict: 'proven' is not one of"),
])
def test_an_unknown_or_missing_field_is_rejected_naming_it(edit, field):
    c = _obj(run([i for i in default_instances() if i.name == "smoolu-p1-d3"], ["thm-2.1"])[0])
    assert recheck(c).status == "checked"
    edit(c)
    r = recheck(c)
    assert r.status == "rejected" and field in r.reasons[0], r.reasons


def test_a_recorded_inertia_is_rederived_in_sylvester_order():
    c = _obj(run([i for i in default_instances() if i.name == "smoolu-p1-d3"], ["prop-2.3"])[0])
    n, d = len(c["witness"]["point"]), len(c["witness"]["instance"]["X"])
    c["witness"]["inertia"] = [d, 0, n - d]
    r = recheck(c)
    assert r.status == "checked" and f"inertia [n₊, n₋, n₀] = {[d, 0, n - d]} as recorded" in " ".join(r.checked)
    c["witness"]["inertia"] = [d, n - d, 0]  # the old order
    assert recheck(c).reasons[0].startswith(f"the recorded inertia {[d, n - d, 0]} is not [n₊, n₋, n₀]")


# -------------------------------------------------------------------------------------- process independence

def test_rechecking_loads_no_module_of_the_engine(tmp_path):
    c = _obj(run([i for i in default_instances() if i.name == "smoolu-p1-d3"], ["prop-2.3"])[0])
    path = tmp_path / "c.json"
    path.write_text(json.dumps([c, _dag_ball(False)]), encoding="utf-8")
    code = ("import json, sys\n"
            "import proofs_check.recheck as k\n"
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'symland')\n"
            "from proofs_check.recheck.cli import run\n"
            f"status = run({str(path)!r}, False, strict=True)\n"
            "after = sorted(m for m in sys.modules if m.split('.')[0] == 'symland' or m.startswith('proofs_check.')"
            " and not m.startswith('proofs_check.recheck'))\n"
            "print(json.dumps([loaded, after, status]))\n")
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=str(ROOT),
                         timeout=300,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    loaded, after, status = json.loads(out.stdout.strip().splitlines()[-1])
    assert (loaded, after) == ([], [])
    assert status == 1  # the DAG ball certificate is left unchecked: --strict fails


def test_the_kernel_has_no_import_cycle_through_claims_and_lemma():
    import ast

    for name in ("claims", "lemma", "setting", "ball"):
        tree = ast.parse((ROOT / "proofs_check" / "recheck" / f"{name}.py").read_text(encoding="utf-8"))
        targets = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        if name == "lemma":
            assert "proofs_check.recheck.claims" not in targets
        if name in ("claims", "setting", "ball"):
            assert "proofs_check.recheck.lemma" not in targets
