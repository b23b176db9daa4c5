"""The kernel re-derives certify's lower bound on dist(m, M) with its own forward mode (proofs_check.recheck.lower):
a true bound is confirmed, a raised one is not (and one above the certified upper bound is rejected)."""

from __future__ import annotations

import copy
import json

import numpy as np

from symland.io.data import Dataset
from symland.io.models import from_arrays

from proofs_check.certify_model import certify_model
from proofs_check.commands.cli import main
from proofs_check.recheck.lower import check_lower


def _report():
    rng = np.random.default_rng(4)
    X = rng.integers(-4, 5, size=(5, 2)) / 4
    layers = [(rng.normal(size=(6, 2)), rng.normal(size=6)), (rng.normal(size=(1, 6)), rng.normal(size=1))]
    Y = (layers[1][0] @ np.tanh(layers[0][0] @ X.T + layers[0][1][:, None]) + layers[1][1][:, None]).T
    moved = [(W + 1e-9 * rng.normal(size=W.shape), b) for W, b in layers]
    rep = certify_model(from_arrays(moved, "tanh"), Dataset.from_rows(X.tolist(), Y.tolist()))
    assert rep.ok
    return json.loads(rep.to_json())


def test_a_true_lower_bound_is_confirmed_and_a_raised_one_is_not(tmp_path, capsys):
    report = _report()
    ok, line = check_lower(report)
    assert ok and "lower bounds re-derived by forward mode" in line
    lo, up = report["distance_l2"]["lower"], report["distance_l2"]["upper"]
    assert 0 < lo <= up <= 1.01 * lo
    raised = copy.deepcopy(report)
    raised["distance_l2"]["lower"] = up  # true of the point found, but more than the argument shows
    ok, line = check_lower(raised)
    assert not ok and "not confirmed" in line
    path = tmp_path / "r.json"
    path.write_text(json.dumps(raised))
    assert main(["recheck", str(path), "--strict"]) == 0  # the certificates stand; the bound is listed unvouched
    assert "distance lower bounds (ℓ₂ lower bound" in capsys.readouterr().out
    wider = copy.deepcopy(report)
    wider["distance_l2"]["radius"] = None
    assert check_lower(wider) == (False, "the lower bound's radius is not recorded")


def test_a_report_beyond_the_kernels_size_limit_is_unchecked_not_an_internal_error(tmp_path, capsys, monkeypatch):
    """A certify report whose n·dℓ is beyond the kernel's network limit (seen at digits d = 200): the certificates
    are `unchecked`, the lower bound is listed as not re-derived — no "internal error"."""
    import proofs_check.recheck.net as knet

    report = _report()
    monkeypatch.setattr(knet, "MAX_WORK", 100)  # this report: n = 25 within it, n·dℓ = 25·5 beyond
    ok, line = check_lower(report)
    assert not ok and line.startswith("not re-derived:") and "beyond the re-checker's limit" in line
    path = tmp_path / "big.json"
    path.write_text(json.dumps(report))
    assert main(["recheck", "--strict", str(path)]) == 1  # strict: unchecked is not checked
    out = capsys.readouterr()
    assert "internal error" not in out.err and "2 unchecked, 0 rejected" in out.out
    assert "distance lower bounds (not re-derived: n·dℓ = 25·5" in out.out
