"""The re-checker on Krawczyk boxes (``certify`` of a network whose last hidden layer is narrower than d): the
kernel redoes the Krawczyk test in its own Arb arithmetic — genuine boxes are ``checked`` under ``--strict``,
mutated ones are rejected (or, where the mutant may still be true, never accepted)."""

import copy
import json
from decimal import Decimal

import numpy as np
import pytest

from symland.data import Dataset
from symland.models import from_arrays

from proofs_check.certify_model import certify_model
from proofs_check.cli import main
from proofs_check.recheck import recheck


@pytest.fixture(scope="module")
def certs():
    """widths (1, 2, 1), d = 4 > h + 1: every parameter fitted by Gauss–Newton, so certify uses Krawczyk."""
    from symland.floating import jacobian
    from symland.network import mlp

    rng = np.random.default_rng(1)
    data = Dataset.from_rows([[-1], [0], [1], [2]], [[-1], [0], [0.5], [0.75]])
    net = mlp((1, 2, 1), "tanh")
    x = rng.normal(size=net.n)
    for _ in range(100):
        H, J = jacobian(net, data, x)
        x = x - J.T @ np.linalg.solve(J @ J.T + 1e-12 * np.eye(len(H)), H)
    layers = [(x[0:2].reshape(2, 1), -x[2:4]), (x[4:6].reshape(1, 2), -x[6:7])]
    rep = certify_model(from_arrays(layers, "tanh"), data)
    assert "Krawczyk" in rep.nearest.method
    out = [json.loads(c.to_json()) for c in rep.certificates]
    assert [(c["claim"], c["verdict"], c["tier"]) for c in out] == [("thm-2.1", "certified", "ball"),
                                                                    ("prop-2.3", "certified", "ball")]
    assert out[0]["witness"]["rank"]["minor"]["cols"] == [0, 2, 5, 6]  # W1_0_0, b1_0: not the output layer
    return out


def _mutant(cert, change):
    obj = copy.deepcopy(cert)
    change(obj["witness"])
    return recheck(obj)


def test_genuine_krawczyk_certificates_are_checked(certs, tmp_path, capsys):
    for c in certs:
        r = recheck(c)
        assert r.status == "checked", r.summary()
        assert any(s.startswith("Krawczyk test recomputed in Arb") and "K ⊂ int X" in s for s in r.checked)
        assert any(s.startswith("rank J_H(m') = 4 = dℓ") for s in r.checked)
    assert any("inertia (4, 0, 3)" in s for s in recheck(certs[1]).checked)
    path = tmp_path / "certs.json"
    path.write_text(json.dumps(certs))
    assert main(["recheck", str(path), "--strict"]) == 0
    capsys.readouterr()


def _ball(text: str, shift: str = "0", radius: str | None = None) -> str:
    mid, rad = text.strip("[]").split("+/-")
    return f"[{Decimal(mid.strip()) + Decimal(shift)} +/- {radius or rad.strip()}]"


@pytest.mark.parametrize("what, change", [
    ("box radius shrunk to 1e-40", lambda w: w["point"].update(W1_0_0=_ball(w["point"]["W1_0_0"], radius="1e-40"),
                                                               b1_0=_ball(w["point"]["b1_0"], radius="1e-40"))),
    ("a Krawczyk coordinate moved", lambda w: w["point"].update(b2_0=_ball(w["point"]["b2_0"], shift="1e-12"))),
    ("a fixed coordinate moved", lambda w: w["point"].update(W1_1_0="3458235315867126/2251799813685248")),
    ("the data changed", lambda w: w["instance"]["Y"][2].__setitem__(0, "1/3")),
    ("a residual recorded off 0", lambda w: w["H"].__setitem__(1, "[0.5 +/- 1e-20]")),
])
def test_mutated_boxes_are_rejected(certs, what, change):
    for c in certs:
        r = _mutant(c, change)
        assert r.status == "rejected", (what, r.summary())


def test_a_repeated_or_short_minor_is_rejected(certs):
    r = _mutant(certs[0], lambda w: w["rank"]["minor"].__setitem__("cols", [0, 0, 5, 6]))
    assert r.status == "rejected" and "repeats a column" in r.reasons[0]
    r = _mutant(certs[0], lambda w: w["rank"]["minor"].__setitem__("cols", [0, 2, 5]))
    assert r.status == "rejected" and "cannot prove rank J_H = 4" in r.reasons[0]


def test_a_box_the_test_cannot_decide_is_unchecked_never_checked(certs):
    # an exact coordinate among the minor's columns: no interior, no Krawczyk test (the statement may be true)
    r = _mutant(certs[0], lambda w: w["rank"]["minor"].__setitem__("cols", [0, 1, 5, 6]))
    assert r.status == "unchecked" and "W1_1_0 is an exact value" in r.summary()
    # a box 10¹⁵ times wider still holds m*, but K ⊄ int X at any precision: not decided
    r = _mutant(certs[0], lambda w: w["point"].update(W1_0_0=_ball(w["point"]["W1_0_0"], radius="0.5")))
    assert r.status in ("unchecked", "checked") and r.status != "rejected", r.summary()
