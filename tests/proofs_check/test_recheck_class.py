"""Certificates of the older format (no ``smoothness`` field): the kernel re-derives the class of M near m from σ
and the point's pre-activations and reports it, so they are ``checked`` instead of ``partial``; a recorded class
is still held to the re-derived one."""

import json

import pytest

from proofs_check.claims import run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck
from symland.activations import get_activation
from symland.data import Dataset

DATA = Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1]], [1, -1, "1/2", 2])


@pytest.mark.parametrize("act, widths, tier, cls", [
    ("rectpow3", (2, 6, 1), "exact", "C^2"),  # two unused units read z = 0: rectpow3 is C² there
    ("rectpow2", (2, 6, 1), "exact", "C^1"),
    ("relu", (2, 4, 1), "exact", "smooth"),  # no pre-activation at the kink
    ("smoolu", (2, 6, 1), "ball", "smooth"),  # z = 0 at smooLU's flat joint: C^∞ (the ball route's point m')
])
def test_an_older_certificate_gets_its_class_rederived(act, widths, tier, cls):
    inst = Instance("old", DATA, get_activation(act), widths=widths, tier=tier)
    (cert,) = run([inst], ["thm-2.1"], ctx=Context())
    assert cert.verdict == ("proved" if tier == "exact" else "certified")
    obj = json.loads(cert.to_json())
    assert obj["witness"]["smoothness"] == cls
    obj["witness"].pop("smoothness")
    obj["witness"].pop("smoothness_at", None)
    r = recheck(obj)
    assert r.status == "checked", r.summary()
    (line,) = [s for s in r.checked if "re-derived" in s]
    assert line.startswith(f"M {cls} near m, re-derived (the witness records no class): hidden pre-activations at "
                           "breakpoints: ")
    if act != "relu":
        assert "8 at t = 0" in line  # 2 unused units × 4 rows
    forged = json.loads(cert.to_json())
    forged["witness"]["smoothness"] = "C^3"
    assert recheck(forged).status == ("checked" if cls == "smooth" else "rejected")
