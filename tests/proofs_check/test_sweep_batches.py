"""Sweeps carry several small instances to a dask task (issue 23): :func:`run_batch` runs them in turn, each under
its own timeout, and returns the certificates with their results-file lines; no dask needed here."""

from __future__ import annotations

import json

from proofs_check.certificate import Certificate
from proofs_check.sweep import _payload
from proofs_check.sweep._batching import Batches
from proofs_check.sweep._results import stamped
from proofs_check.sweep._worker import run_batch, run_instance
from proofs_check.sweep.spec import parse_spec

SPEC = {"count": 3, "seed": 7, "widths": [[1, 3, 1]], "activations": ["rectpow3"],
        "data": {"d": [2, 3], "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"],
        "tier": "exact"}


def _payloads(tmp_path, budget=None):
    spec = parse_spec(SPEC)
    return spec, [{**_payload(spec, k, str(tmp_path), None), "budget": budget, "fingerprint": spec.fingerprint()}
                  for k in range(spec.count)]


def test_a_batch_gives_each_instance_the_rows_run_instance_gives_it_with_their_lines(tmp_path):
    spec, payloads = _payloads(tmp_path)
    batch = run_batch(payloads)
    assert len(batch) == 3 and not any(r["late"] for r in batch)
    for k, (payload, result) in enumerate(zip(payloads, batch)):
        alone = run_instance(payload)
        assert result["data"] == alone["data"]
        assert [(c.instance, c.claim, c.verdict, c.tier) for c in result["certs"]] == \
            [(f"s7-{k:05d}", "lem-3.3", "proved", "exact"), (f"s7-{k:05d}", "thm-2.1", "proved", "exact")]
        assert all(isinstance(c, Certificate) for c in result["certs"])
        rows = [json.loads(line) for line in result["lines"]]
        assert rows == [stamped(c.to_json_obj(), spec.fingerprint(), k) for c in result["certs"]]
        assert [{**r, "seconds": 0} for r in rows] == \
            [{**stamped(obj, spec.fingerprint(), k), "seconds": 0} for obj in alone["rows"]]
        assert result["seconds"] > 0


def test_an_instance_reached_after_the_sweep_budget_is_spent_is_late_and_not_run(tmp_path):
    _, payloads = _payloads(tmp_path, budget=1e-9)
    batch = run_batch(payloads)
    assert [(r["late"], r["data"], r["lines"] if "lines" in r else r["rows"]) for r in batch] == \
        [(True, None, [])] * 3


def test_the_batch_size_follows_the_measured_seconds_and_leaves_every_worker_two_tasks():
    sizes = Batches(threads=2)
    assert sizes.next(left=1000) == 1  # nothing measured: one instance a task
    sizes.record({"seconds": 5.0, "cold": True})  # the first instance of a worker (imports): not counted
    assert sizes.next(left=1000) == 1
    sizes.record({"seconds": 0.01, "cold": False})
    assert sizes.next(left=1000) == 200 and sizes.next(left=40) == 10 and sizes.next(left=3) == 1
    for _ in range(9):
        sizes.record({"seconds": 0.001, "cold": False})  # mean 1.9 ms: 2 s is 1053 instances, at most 256
    assert sizes.next(left=10**6) == 256
