"""Certificates of the older format (no ``smoothness`` field): the kernel re-derives the class of M near m from σ
and the point's pre-activations and reports it, so they are ``checked`` instead of ``partial``; a recorded class
is still held to the re-derived one."""

import json

import pytest

from symland.activations import get_activation
from symland.data import Dataset

from proofs_check.claims import run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck

DATA = Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1]], [1, -1, "1/2", 2])


@pytest.mark.parametrize("act, widths, tier, cls", [
    ("rectpow3", (2, 6, 1), "exact", "C^2"),  # two unused units read z = 0: rectpow3 is C² there
    ("rectpow2", (2, 6, 1), "exact", "C^1"),
    ("relu", (2, 4, 1), "exact", "smooth"),  # no pre-activation at the kink
    ("smoolu", (2, 6, 1), "ball", "smooth"),  # z = 0 at smooLU's flat joint: C^∞ (the ball route's point m')
])
def test_a_certificate_without_its_class_is_rejected_naming_the_field(act, widths, tier, cls):
    """Format v1 requires the class (an older certificate without it is not v1: rejected, the field named)."""
    inst = Instance("old", DATA, get_activation(act), widths=widths, tier=tier)
    (cert,) = run([inst], ["thm-2.1"], ctx=Context())
    assert cert.verdict == ("proved" if tier == "exact" else "certified")
    obj = json.loads(cert.to_json())
    assert obj["witness"]["smoothness"] == cls
    assert recheck(obj).status == "checked"
    obj["witness"].pop("smoothness")
    obj["witness"].pop("smoothness_at", None)
    r = recheck(obj)
    assert r.status == "rejected" and "'smoothness' is a required property" in r.reasons[0]
    forged = json.loads(cert.to_json())
    forged["witness"]["smoothness"] = "C^3"
    assert recheck(forged).status == ("checked" if cls == "smooth" else "rejected")
