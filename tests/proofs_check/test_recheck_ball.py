"""The re-checker on ball certificates: at a re-solved point m' next to the certificate's point, in Arb — real
certificates of layered smooLU networks come out checked, tampered ones do not."""

import ast
import copy
import json
from pathlib import Path

import pytest

from symland.activations import get_activation
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck

DATA = Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1], [2, "1/3"]], [1, -1, "1/2", 2, 0])
CLAIMS = ["thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2"]


@pytest.fixture(scope="module", params=[(2, 5, 1), (2, 3, 6, 1)], ids=["one-hidden", "two-hidden"])
def certs(request):
    inst = Instance("five", DATA, get_activation("smoolu"), widths=request.param, tier="ball")
    out = run([inst], CLAIMS, ctx=Context())
    assert [(c.verdict, c.tier) for c in out] == [("certified", "ball")] * 4
    assert any("+/-" in v for v in out[0].witness["point"].values())  # the point really is Arb enclosures
    return [json.loads(c.to_json()) for c in out]


def _tamper(cert, change):
    obj = copy.deepcopy(cert)
    change(obj["witness"])
    return recheck(obj)


def test_ball_certificates_recheck_at_a_resolved_point(certs):
    for c in certs:
        r = recheck(c)
        assert r.status == "checked", (c["claim"], r.summary())
        text = " ".join(r.checked)
        assert "H(m') = 0 exactly" in text and "rank J_H(m') = 5 = dℓ" in text
    hess = recheck(certs[1]).checked  # prop-2.3
    assert any("inertia (n₊, n₋, n₀) = (5, 0, " in s for s in hess) and any("σ'' exists" in s for s in hess)
    assert "inertia [n₊, n₋, n₀] = [5, 0, " in hess[-1]  # the recorded inertia, re-derived


def test_a_singular_minor_is_rejected(certs):
    c = certs[0]
    cols = c["witness"]["rank"]["minor"]["cols"]

    def duplicate(w):
        w["rank"]["minor"]["cols"] = cols[:-1] + [cols[0]]

    assert "repeats a column" in _tamper(c, duplicate).reasons[0]
    # a hidden-layer parameter in the place of an output weight: the re-solve cannot use it
    hidden = _tamper(c, lambda w: w["rank"]["minor"].__setitem__("cols", [0] + cols[1:]))
    assert hidden.status == "unchecked" and not hidden.statement  # not "partial": the statement is not established


def test_strict_fails_when_the_statement_of_a_certified_verdict_is_not_established(certs, tmp_path, capsys):
    """Two hidden units with the same parameters (balls, not exact): the witness minor on their output weights is
    singular but not exactly, so it is never certified. The statement is not established: unchecked, and --strict
    fails (partial would mean the statement was established)."""
    from proofs_check.cli import main

    c = copy.deepcopy(certs[0])
    c["witness"] = {"instance": {"widths": [1, 2, 1], "activation": "smoolu", "X": [["1"], ["2"]], "Y": [["0"], ["0"]]},
                    "point": {"W1_0_0": "1", "W1_1_0": "1", "b1_0": "[+/- 1e-30]", "b1_1": "[+/- 1e-30]",
                              "W2_0_0": "0", "W2_0_1": "0", "b2_0": "0"}, "H": ["0", "0"], "prec": 64,
                    "point_source": "by hand", "smoothness": "smooth",
                    "rank": {"lower": 2, "upper": 2, "minor": {"rows": [0, 1], "cols": [4, 5], "det": "?", "prec": 64},
                             "method": "by hand"}}
    r = recheck(c)
    # m' = the midpoints is on M exactly (both minor columns recorded exactly 0, H = 0 there), but the singular
    # minor is never certified: unchecked
    assert r.status == "unchecked" and "the witness minor's determinant" in r.skipped[-1] \
        and "is not certified ≠ 0" in r.skipped[-1], r.skipped[-1]
    path = tmp_path / "c.json"
    path.write_text(json.dumps([certs[0], c]), encoding="utf-8")
    assert main(["recheck", str(path)]) == 0
    assert main(["recheck", str(path), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "2 certificates re-checked: 1 checked, 0 partial, 1 unchecked, 0 rejected" in out


def test_a_zero_column_makes_the_minor_singular():
    inst = Instance("five", DATA, get_activation("smoolu"), widths=(2, 3, 6, 1), tier="ball")
    cert = json.loads(run([inst], ["thm-2.1"], ctx=Context())[0].to_json())
    w = cert["witness"]
    names = list(w["point"])
    dead = names.index("W3_0_5")  # the sixth unit of layer 2 is unused by the construction: σ(0) = 0 exactly
    assert dead not in w["rank"]["minor"]["cols"]
    r = _tamper(cert, lambda w: w["rank"]["minor"].__setitem__("cols", w["rank"]["minor"]["cols"][:-1] + [dead]))
    assert r.status == "rejected" and "exactly 0" in r.reasons[0]


@pytest.mark.parametrize("where, value", [(("Y", 0, 0), "2"), (("Y", 2, 0), "1/2000000000000000000000000000001"),
                                          (("X", 1, 0), "3")])
def test_changed_data_are_rejected(certs, where, value):
    def change(w):
        w["instance"][where[0]][where[1]][where[2]] = value

    for c in certs[:2]:
        r = _tamper(c, change)
        assert r.status == "rejected" and "holds no point of M" in r.reasons[0], r.summary()


def test_recorded_residuals_and_rank_claims_must_agree(certs):
    c = certs[0]
    assert "excludes 0" in _tamper(c, lambda w: w["H"].__setitem__(0, "[1 +/- 0.1]")).reasons[0]
    assert _tamper(c, lambda w: w["rank"].__setitem__("lower", 4)).status == "rejected"
    moved = _tamper(c, lambda w: w["point"].__setitem__("W1_0_0", "[1.5 +/- 1e-30]"))
    assert moved.status == "rejected"


def test_what_cannot_be_decided_is_not_checked(certs):
    c = certs[0]
    wide = _tamper(c, lambda w: w["point"].__setitem__("W1_0_0", "[1 +/- 10]"))  # straddles σ's breakpoint
    assert wide.status == "partial" and "not re-checked" in wide.skipped[0]  # m' is in the box all the same
    assert wide.statement.startswith("m ∈ M and rank J_H(m) = dℓ < n")
    garbled = _tamper(c, lambda w: w["point"].__setitem__("W1_0_0", "nonsense"))
    assert garbled.status == "unchecked"
    no_minor = _tamper(c, lambda w: w.pop("rank"))  # the format requires the rank witness: a missing one is named
    assert no_minor.status == "rejected" and "'rank' is a required property" in no_minor.reasons[0]


def test_the_ball_rechecker_does_not_import_the_engine():
    banned = ("symland.problem", "symland.landscape", "symland.rank", "symland.tiers", "symland.linalg",
              "symland.certify", "symland.floating", "symland.point")
    root = Path(__file__).resolve().parents[2] / "proofs_check" / "recheck"
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(m == b or m.startswith(b + ".") for m in mods for b in banned), (path.name, mods)
