"""``symland sweep`` trusts nothing it resumes and bounds everything it runs (issue 20, "Sweeps verify what they
resume"): a resumed row is re-checked by the kernel and must carry this spec's fingerprint and this instance's data;
a tampered line is dropped and recomputed, never a traceback; the per-instance timeout bounds drawing the data;
the sweep has an overall deadline.

The sweeps here run on a real dask client in this process (``distributed.Client(processes=False)``: a scheduler
and one worker thread, started once for the module) — the machine is small; the multi-process clusters are in
``test_sweep.py``. What does not depend on dask (the spec, the resume reader) is tested without it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from proofs_check import cli
from proofs_check.sweep_spec import draw, instance_key, parse_spec

NEEDS_DASK = "dask.distributed is not installed: pip install '.[sweep]' to run the sweep tests"

#: Tiny exact instances (rectpow3, Lemma 3.3 networks, 2–3 points), re-checked on the worker.
SPEC = {"count": 3, "seed": 7, "name": "fam", "widths": [[2, 4, 1], [1, 3, 1]], "activations": ["rectpow3"],
        "data": {"d": [2, 3], "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"],
        "tier": "auto", "recheck": True}


def _rows(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def _essence(row) -> str:
    """A row without its time and its data file's path (they differ between runs)."""
    return json.dumps({k: v for k, v in row.items() if k not in ("seconds", "details")}, sort_keys=True)


def _write(path, rows) -> None:
    Path(path).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed", reason=NEEDS_DASK)
    c = distributed.Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None)
    yield c
    c.close()


@pytest.fixture(scope="module")
def genuine(client, tmp_path_factory):
    """A finished results file of SPEC (its rows, as written) and of the same family with another seed."""
    from proofs_check.sweep import sweep

    out = {}
    for seed in (7, 8):
        path = tmp_path_factory.mktemp(f"seed{seed}") / "r.jsonl"
        assert len(list(sweep({**SPEC, "seed": seed}, client=client, out=str(path)))) == 6
        out[seed] = _rows(path)
    return out


def _resume(client, rows, tmp_path, spec=SPEC, **kw):
    """Resume SPEC from a file holding ``rows`` (or raw text lines); (certificates computed, final rows, stderr)."""
    from proofs_check.sweep import sweep

    out = tmp_path / "r.jsonl"
    out.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    certs = list(sweep(spec, client=client, out=str(out), resume=True, **kw))
    return certs, _rows(out), out


def test_a_resumed_row_whose_witness_was_altered_is_re_checked_and_recomputed(client, genuine, tmp_path, capsys):
    rows = [dict(r) for r in genuine[7]]
    forged = json.loads(json.dumps(rows[1]))  # fam-00000 thm-2.1, "recheck: checked" kept as it was
    assert (forged["instance"], forged["claim"], forged["details"][-2]) == ("fam-00000", "thm-2.1", "recheck: checked")
    forged["witness"]["H"][0] = "1/2"
    rows[1] = forged
    certs, after, out = _resume(client, rows, tmp_path)
    assert [(c.instance, c.claim, c.verdict) for c in certs] == [("fam-00000", "thm-2.1", "proved")]
    assert sorted(map(_essence, after)) == sorted(map(_essence, genuine[7]))
    assert json.loads(Path(str(out) + ".dropped").read_text()) == forged
    err = capsys.readouterr().err.strip()
    assert err == (f"symland: --resume: {out}: kept 5 rows; the instances of these are recomputed: 1 rejected by the "
                   "re-checker (line 2: H(m): recorded f_1 = 1/2 but recomputed 0); the dropped lines are in "
                   f"{out}.dropped")


def test_a_forged_recheck_line_is_not_kept_even_when_the_spec_asks_for_no_recheck(client, genuine, tmp_path, capsys):
    spec = {**SPEC, "recheck": False}
    from proofs_check.sweep import sweep

    first = tmp_path / "first.jsonl"
    assert len(list(sweep(spec, client=client, out=str(first)))) == 6
    rows = _rows(first)
    assert [r["details"][-2].startswith("sweep: instance") for r in rows] == [True] * 6  # no recheck line
    forged = json.loads(json.dumps(rows[2]))  # fam-00001 lem-3.3: the point m changed
    forged["witness"]["m"][0] = str(int(forged["witness"]["m"][0]) + 1)
    rows[2] = forged
    certs, after, _ = _resume(client, rows, tmp_path, spec=spec)
    assert [(c.instance, c.claim, c.verdict) for c in certs] == [("fam-00001", "lem-3.3", "proved")]
    again = next(r for r in after if (r["instance"], r["claim"]) == ("fam-00001", "lem-3.3"))
    assert again["details"][-2] == "recheck: checked"  # recomputed with the re-check on
    assert again["witness"]["m"] == next(r for r in genuine[7] if r["instance"] == "fam-00001")["witness"]["m"]
    assert "1 rejected by the re-checker (line 3: " in capsys.readouterr().err


def test_another_specs_results_without_the_stamp_are_refused_and_its_rows_never_count(client, genuine, tmp_path,
                                                                                      capsys):
    from symland.errors import InputError

    # the whole file of seed 8 (same names fam-0000k), no spec.fingerprint beside it
    with pytest.raises(InputError, match=r"holds no row of this spec \(fingerprint [0-9a-f]{16}\)"):
        _resume(client, genuine[8], tmp_path)
    assert not (tmp_path / "r-data" / "spec.fingerprint").exists()
    # one row of seed 8 in a file of seed 7: dropped, its instance recomputed from this spec
    rows = list(genuine[7])
    rows[3] = genuine[8][3]  # fam-00001 thm-2.1
    assert rows[3]["witness"]["instance"] != genuine[7][3]["witness"]["instance"]
    certs, _, _ = _resume(client, rows, tmp_path)
    assert [(c.instance, c.claim) for c in certs] == [("fam-00001", "thm-2.1")]
    assert certs[0].witness["instance"]["X"] == tuple(draw(parse_spec(SPEC), 1).X)
    assert "1 of another spec (line 4)" in capsys.readouterr().err


def test_tampered_lines_on_resume_are_recomputed_never_a_traceback(client, genuine, tmp_path, capsys):
    rows = [json.dumps(r) for r in genuine[7]]
    rows[0] = rows[0][:57]  # cut in the middle, newline kept
    rows[2] = "[" * 100000 + "]" * 100000
    rows[4] = rows[4].replace('"seconds": ', '"seconds": 1e999, "x": ', 1)
    certs, after, _ = _resume(client, rows, tmp_path)
    assert sorted((c.instance, c.claim) for c in certs) == [("fam-00000", "lem-3.3"), ("fam-00001", "lem-3.3"),
                                                            ("fam-00002", "lem-3.3")]
    assert sorted(map(_essence, after)) == sorted(map(_essence, genuine[7]))
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ": 3 not JSON (lines 1, 3, 5: " in err


@pytest.mark.parametrize("line, kind", [
    ('{"claim": "thm-2.1", "instance": "fam-00', "not JSON"),
    ("not json at all", "not JSON"),
    ("[" * 100000 + "]" * 100000, "not JSON"),
    ("1" * 5000, "not JSON"),
    ('{"seconds": 1e999}', "not JSON"),
    ('{"x": NaN}', "not JSON"),
    ('["a", "b"]', "without sweep.spec"),
])
def test_a_line_that_is_no_row_is_dropped_and_named(line, kind, genuine, tmp_path):
    out = tmp_path / "r.jsonl"
    rest = "".join(json.dumps(r) + "\n" for r in genuine[7][1:])
    out.write_text(json.dumps(genuine[7][0]) + "\n" + line + "\n" + rest)
    from proofs_check._sweep_resume import resume_rows

    kept, force, report = resume_rows(str(out), parse_spec(SPEC), recheck=False)
    assert len(kept) == 6 and force == set()
    assert f"kept 6 rows; the instances of these are recomputed: 1 {kind} (line 2" in report
    assert report.count("\n") == 0 and len(_rows(out)) == 6


@pytest.mark.parametrize("change, kind", [
    ({"seconds": "1"}, "not a certificate"),
    ({"verdict": "proved!"}, "not a certificate"),
    ({"hypotheses": "yes"}, "not a certificate"),
    ({"extra": 1}, "not a result row"),
    ({"sweep": {"spec": None, "index": 0}}, "of another spec"),
    ({"sweep": {"index": 0}}, "of another spec"),
    ({"sweep": "x"}, "without sweep.spec"),
    ({"sweep": {"index": 10**30}}, "of another spec"),
    ({"index": 10**30}, "not of this spec's instances"),
    ({"index": True}, "not of this spec's instances"),
    ({"instance": "fam-00002"}, "not of this spec's instances"),
    ({"expected": "inconclusive"}, "not of this spec's instances"),
])
def test_a_row_of_wrong_types_or_names_is_dropped_and_its_instance_recomputed(change, kind, genuine, tmp_path):
    row = json.loads(json.dumps(genuine[7][1]))
    if "index" in change:
        row["sweep"]["index"] = change["index"]
    else:
        row.update(change)
    out = tmp_path / "r.jsonl"
    _write(out, [genuine[7][0], row] + genuine[7][2:])
    from proofs_check._sweep_resume import resume_rows

    kept, _, report = resume_rows(str(out), parse_spec(SPEC), recheck=False)
    assert ("fam-00000", "thm-2.1") not in kept and len(kept) == 5
    assert f": 1 {kind} (line 2" in report


def test_a_witness_of_another_instance_is_dropped_even_where_the_kernel_would_accept_it(genuine, tmp_path):
    swapped = json.loads(json.dumps(genuine[7][1]))  # fam-00000 thm-2.1 given fam-00001's genuine witness
    swapped["witness"] = genuine[7][3]["witness"]
    from proofs_check._sweep_results import certificate_obj
    from proofs_check.recheck import recheck

    assert recheck(certificate_obj(swapped)).status == "checked"  # true of that other instance
    out = tmp_path / "r.jsonl"
    _write(out, [genuine[7][0], swapped])
    from proofs_check._sweep_resume import resume_rows

    kept, force, report = resume_rows(str(out), parse_spec(SPEC))
    assert list(kept) == [("fam-00000", "lem-3.3")] and force == set()
    assert ": 1 whose witness does not hold this instance (line 2)" in report


def test_a_spec_nested_ten_to_the_five_deep_is_one_line_and_status_2(tmp_path, capsys):
    for text, message in [
        ('{"count": 3, "widths": ' + "[" * 100000 + "]" * 100000 + "}", "not a usable spec: nested deeper than 8"),
        ('{"count": 1' + "0" * 5000 + "}", "not a usable spec: an integer of 5001 digits (at most 1000)"),
        ('{"count": 3, "seed": NaN}', "not a usable spec: NaN is not a JSON number"),
    ]:
        (tmp_path / "spec.json").write_text(text)
        assert cli.main(["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "r.jsonl")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err


# A thread deadline interrupts a dask worker thread wherever it is (PyThreadState_SetAsyncExc): when that is inside a
# gc callback (distributed's GCDiagnosis) or an import reading a .pyc, Python reports the interrupted callback or the
# file left open as "unraisable". The deadline itself is still honoured (it repeats until its block is left), which is
# what these tests assert; the unraisable report is the interruption's side effect, not a failure of the sweep.
_INTERRUPTS = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@_INTERRUPTS
def test_the_instance_timeout_bounds_drawing_a_huge_instance(client, tmp_path):
    from proofs_check.sweep import sweep

    spec = {"count": 1, "seed": 3, "widths": [[1500, 3, 1]], "activations": ["rectpow3"],
            "data": {"d": 1500, "values": [-9, 9]}, "claims": ["thm-2.1", "prop-2.3"]}  # 4.5·10⁶ values: ~20 s
    start = time.monotonic()
    certs = list(sweep(spec, client=client, out=str(tmp_path / "r.jsonl"), timeout=0.5))
    assert time.monotonic() - start < 8
    assert [(c.claim, c.verdict, c.tier, c.evidence) for c in certs] == [
        (c, "inconclusive", "none", "stopped: the --timeout of 0.5 s for this instance passed before its data were "
         "drawn (no data file is written)") for c in ("thm-2.1", "prop-2.3")]
    assert not (tmp_path / "r-data" / "s3-00000.json").exists()


@_INTERRUPTS
def test_the_sweeps_deadline_reports_the_unfinished_instances_and_a_resume_finishes_them(client, tmp_path):
    from proofs_check.sweep import sweep

    spec = {**SPEC, "count": 40, "claims": ["lem-3.3"], "recheck": False}
    out = tmp_path / "r.jsonl"
    certs = list(sweep(spec, client=client, out=str(out), deadline=0.001))
    keys = [(c.instance, c.claim) for c in certs]
    assert sorted(keys) == [(instance_key(parse_spec(spec), k), "lem-3.3") for k in range(40)]
    assert out.read_text() == ""  # nothing finished is lost: the deadline had passed before the first wait
    late = certs
    assert {(c.verdict, c.tier, c.evidence) for c in late} == {(
        "inconclusive", "none", "not finished: the sweep's --timeout of 0.001 s (for the whole run) passed first; "
        "rerun with --resume and a longer --timeout to finish it")}
    again = list(sweep(spec, client=client, out=str(out), resume=True))
    assert sorted((c.instance, c.claim) for c in again) == sorted((c.instance, c.claim) for c in late)
    assert {r["verdict"] for r in _rows(out)} == {"proved"} and len(_rows(out)) == 40


def test_a_timeout_swallowed_once_in_the_thread_is_raised_again():
    from symland.budget import DeadlineExpired

    from proofs_check._sweep_worker import thread_deadline

    swallowed = 0
    start = time.monotonic()
    with thread_deadline(0.05) as dl:
        while time.monotonic() - start < 5:  # bounded: without the second raise the block runs these 5 s
            try:
                time.sleep(0.001)
            except DeadlineExpired:  # as a weakref callback run by the collector in this thread would lose it
                swallowed += 1
                if swallowed > 1:
                    raise
    assert dl.expired and swallowed == 2 and time.monotonic() - start < 2


@_INTERRUPTS
def test_the_command_reports_the_instances_its_timeout_left_unfinished_and_exits_1(client, tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({**SPEC, "count": 30, "claims": ["lem-3.3"], "recheck": False}))
    out = tmp_path / "r.jsonl"
    argv = ["sweep", str(spec), "--out", str(out), "--scheduler", client.scheduler.address, "--quiet"]
    assert cli.main(argv + ["--timeout", "0.001"]) == 1
    captured = capsys.readouterr()
    assert out.read_text() == ""  # the deadline is checked before the first result is awaited: nothing is written
    assert captured.err.splitlines()[-1] == (
        "symland: sweep: the --timeout of 0.001 s passed: 30 instances not finished (inconclusive, not "
        f"written to {out}); rerun with --resume and a longer --timeout")
    assert captured.out.splitlines()[-2:] == ["  claim     tier     inconclusive", "  lem-3.3   none               30"]
    assert cli.main(argv + ["--resume"]) == 0
    assert len(_rows(out)) == 30 and capsys.readouterr().out.splitlines()[-1].split() == ["lem-3.3", "exact", "30"]


@_INTERRUPTS
def test_a_deadline_passing_while_resumed_rows_are_re_checked_stops_with_one_line_and_changes_nothing(
        genuine, tmp_path, capsys):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    out = tmp_path / "r.jsonl"
    _write(out, genuine[7][:5] + ["not json"])
    before = out.read_bytes()
    assert cli.main(["sweep", str(spec), "--out", str(out), "--resume", "--timeout", "0.001", "--quiet"]) == 1
    assert capsys.readouterr().err == "symland: sweep: stopped, not finished within the --timeout of 0.001 s\n"
    assert out.read_bytes() == before and not Path(str(out) + ".dropped").exists()


def test_a_proved_row_without_the_instance_in_its_witness_is_dropped_even_unchecked(genuine, tmp_path):
    from proofs_check._sweep_resume import resume_rows

    bare = json.loads(json.dumps(genuine[7][1]))
    del bare["witness"]["instance"]
    out = tmp_path / "r.jsonl"
    _write(out, [genuine[7][0], bare])
    kept, _, report = resume_rows(str(out), parse_spec(SPEC), recheck=False)
    assert list(kept) == [("fam-00000", "lem-3.3")]
    assert ": 1 whose witness does not hold this instance (line 2)" in report


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # as for the instance timeout
@_INTERRUPTS
def test_a_task_never_outlives_the_sweeps_deadline_by_more_than_the_deadline(client, tmp_path):
    from proofs_check.sweep import sweep

    spec = {"count": 1, "seed": 3, "widths": [[1500, 3, 1]], "activations": ["rectpow3"],
            "data": {"d": 1500, "values": [-9, 9]}, "claims": ["thm-2.1"]}  # drawing it alone takes ~20 s
    certs = list(sweep(spec, client=client, out=str(tmp_path / "r.jsonl"), deadline=1.0))  # no instance timeout
    assert [(c.verdict, c.evidence.split(";")[0]) for c in certs] == [
        ("inconclusive", "not finished: the sweep's --timeout of 1 s (for the whole run) passed first")]
    start = time.monotonic()
    assert client.submit(int, "7", pure=False).result(timeout=30) == 7  # the one worker thread is free again
    assert time.monotonic() - start < 5


def test_a_deadline_that_fires_before_its_block_begins_still_stops_the_block_and_nothing_after_it():
    import threading

    from proofs_check._sweep_worker import thread_deadline

    results: list = []

    def body():
        for _ in range(200):
            start = time.monotonic()
            with thread_deadline(1e-6) as dl:  # fires while Timer.start() still waits, inside __enter__
                while time.monotonic() - start < 3:
                    time.sleep(0.0005)
            results.append(dl.expired)
        time.sleep(0.6)  # a raise left over from a block would land here, outside every block
        results.append("clean")

    import sys

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as a busy dask worker does: the timer fires early
    try:
        worker = threading.Thread(target=body)  # as a dask worker thread runs tasks
        worker.start()
        worker.join(60)
    finally:
        sys.setswitchinterval(interval)
    assert results == [True] * 200 + ["clean"]
