"""While a sweep's local cluster starts, a process forked from the client runs instances from the head of the same
queue (issue 23): each instance is taken once, by it or by dask; what it runs comes back as ``run_batch`` gives it,
or as died when the process is killed; the workers are forked warm. Real processes, no dask needed here."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proofs_check.sweep import _payload
from proofs_check.sweep._headstart import HeadStart, Instances
from proofs_check.sweep._worker import run_batch
from proofs_check.sweep.spec import parse_spec

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the head start forks: Linux only")
ROOT = Path(__file__).resolve().parents[2]
SPEC = {"count": 30, "seed": 7, "widths": [[1, 3, 1], [2, 4, 1]], "activations": ["rectpow3"],
        "data": {"d": [2, 3], "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"],
        "tier": "exact"}
#: About 1 s an instance: what the head start is running when it is killed.
HEAVY = {**SPEC, "count": 4, "widths": [[3, 20, 1]], "data": {"d": [16, 16], "values": [-9, 9], "denominator": 4},
         "claims": ["thm-2.1", "prop-2.3"]}


def _start(spec, folder, count):
    todo = Instances(range(spec.count), spec.count)
    taken = []

    def take():
        got = todo.take(1)
        taken.extend(got)
        return {**_payload(spec, got[0], folder, None), "budget": None, "fingerprint": spec.fingerprint()} \
            if got else None

    return todo, taken, HeadStart(take, {"spec": spec})


def _wait_for(condition, seconds=60.0):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def test_the_head_start_runs_the_head_of_the_queue_until_stopped_and_the_rest_stays_queued(tmp_path):
    spec = parse_spec(SPEC)
    todo, taken, head = _start(spec, str(tmp_path), spec.count)
    try:
        first = []
        _wait_for(lambda: first.extend(head.finished()) or first)
        head.stop()
        done = first + head.finished(wait=True)
        assert not head.running
    finally:
        head.close()
    rest = list(todo.rest())
    assert [p["index"] for p, _ in done] == taken  # in the order taken, each once
    assert 1 <= len(taken) < spec.count and sorted(taken + rest) == list(range(spec.count)) and todo.left == 0
    for payload, (status, results) in done:  # what run_batch gives in this process, but the seconds
        assert status == "ok" and len(results) == 1
        here = run_batch([payload])[0]
        assert [c.verdict for c in results[0]["certs"]] == ["proved", "proved"]
        assert results[0]["data"] == here["data"]
        assert [{**json.loads(line), "seconds": 0} for line in results[0]["lines"]] == \
            [{**json.loads(line), "seconds": 0} for line in here["lines"]]


def test_what_the_head_start_was_running_when_its_process_died_comes_back_as_died(tmp_path):
    spec = parse_spec(HEAVY)
    todo, taken, head = _start(spec, str(tmp_path), spec.count)
    try:
        _wait_for(lambda: taken)  # the first instance: sent alone (its time is not known)
        os.kill(head.pid, signal.SIGKILL)
        done = head.finished(wait=True)
    finally:
        head.close()
    assert [(p["index"], reply) for p, reply in done] == [(0, None)]
    assert list(todo.rest()) == [1, 2, 3]


def test_an_instance_that_raises_in_the_head_start_is_reported_with_its_error(tmp_path):
    spec = parse_spec({**SPEC, "count": 1})
    payload = {**_payload(spec, 0, str(tmp_path), None), "budget": None, "fingerprint": spec.fingerprint(),
               "widths": [9, 9, 1]}  # not what the spec draws: run_instance refuses it
    sent = [payload]
    head = HeadStart(lambda: sent.pop() if sent else None, {"spec": spec})
    try:
        [(got, (status, why))] = head.finished(wait=True)
    finally:
        head.close()
    assert got is payload and status == "error"
    assert why.startswith("ValueError: sweep: instance 0 drew s7-00000") and "the client s7-00000 [9, 9, 1]" in why


def test_after_the_warm_up_an_instance_imports_no_module():
    code = """if True:
        import json, sys
        import proofs_check.claims
        from proofs_check.sweep import _payload
        from proofs_check.sweep._worker import run_batch, warm
        from proofs_check.sweep.spec import parse_spec
        spec = parse_spec(json.loads(sys.argv[1]))
        warm(spec.activations, spec.claims, spec.tier)
        payloads = [{**_payload(spec, k, "/nonexistent", None), "fingerprint": "f"} for k in range(spec.count)]
        before = set(sys.modules)
        verdicts = [c.verdict for r in run_batch(payloads) for c in r["certs"]]
        print(json.dumps([verdicts, sorted(set(sys.modules) - before)]))
    """
    spec = {**SPEC, "count": 3, "activations": ["rectpow3", "smoolu"], "tier": "auto"}
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(spec)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    verdicts, imported = json.loads(proc.stdout)
    assert verdicts == ["proved"] * 6 and imported == []
