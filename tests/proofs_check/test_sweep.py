"""``symland sweep`` on dask.distributed: real clusters (a LocalCluster of worker processes; ``dask scheduler`` and
``dask worker`` processes on 127.0.0.1), a worker killed by its pid mid-sweep, an interrupted run resumed.

The dask tests skip when dask.distributed is not installed (``pip install '.[sweep]'``); the spec, results-file
and timeout tests need no dask. Every process a test starts is stopped by its fixture; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from symland.errors import InputError

from proofs_check import cli
from proofs_check._sweep_results import ResultWriter, read_results, summary_table
from proofs_check._sweep_worker import run_instance
from proofs_check.sweep_spec import SpecError, draw, expand, parse_spec

ROOT = Path(__file__).resolve().parents[2]
NEEDS_DASK = "dask.distributed is not installed: pip install '.[sweep]' to run the sweep tests"

#: Tiny exact instances: rectpow3 (values rational), Lemma 3.3 networks, 2–3 points — ~0.05 s each.
SPEC = {"count": 12, "seed": 7, "widths": [[2, 4, 1], [1, 3, 1]], "activations": ["rectpow3"],
        "data": {"d": [2, 3], "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"],
        "tier": "auto"}


def _spec(**changes) -> dict:
    return {**SPEC, **changes}


def _rows(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()]


def _assert_complete(rows, spec: dict) -> None:
    """Every (instance, claim) exactly once, every verdict proved in exact arithmetic, as Lemma 3.3 predicts."""
    keys = [(r["instance"], r["claim"]) for r in rows]
    assert len(keys) == len(set(keys))
    want = {(f"s{spec['seed']}-{k:05d}", c) for k in range(spec["count"]) for c in spec["claims"]}
    assert set(keys) == want
    assert {(r["verdict"], r["tier"]) for r in rows} == {("proved", "exact")}
    assert all(r["details"][-1].startswith("reproduce: symland verify --data ") for r in rows)


# ------------------------------------------------------------------------------------------- the spec (no dask)

def test_the_same_seed_draws_the_same_instances_and_each_instance_only_from_its_own_seed():
    spec = parse_spec(_spec(count=30))
    again = parse_spec(_spec(count=5))
    assert expand(spec)[:5] == expand(again)
    inst = draw(spec, 17)
    assert inst.key == "s7-00017" and inst == expand(spec)[17]
    assert len({tuple(map(tuple, i.X)) for i in expand(spec)}) > 20  # different data per instance
    for i in expand(spec):
        assert i.widths in ((2, 4, 1), (1, 3, 1)) and len(i.X[0]) == i.widths[0] and 2 <= len(i.X) <= 3
        assert len(set(i.X)) == len(i.X)  # distinct inputs
        assert all(abs(__import__("fractions").Fraction(v)) <= 5 / 4 for row in i.X for v in row)


@pytest.mark.parametrize("change, message", [
    ({"count": 0}, "count = 0: expected an integer from 1"),
    ({"colour": 1}, "colour = 1: unknown key"),
    ({"activations": ["relu6"]}, "relu6"),
    ({"claims": ["thm-9"]}, "unknown claim 'thm-9'"),
    ({"tier": "fast"}, "tier = 'fast': expected one of auto"),
    ({"widths": [[2, 1]]}, "widths = [[2, 1]]: expected a non-empty list"),
    ({"data": {"d": 30, "values": [0, 1]}, "widths": [[2, 40, 1]]}, "too few distinct inputs in Q^2 for d = 30"),
    ({"data": {"d": 3, "files": ["a.csv"]}}, "give either files or"),
    ({"timeout": -1}, "timeout = -1: expected a positive number"),
])
def test_a_bad_spec_is_refused_naming_the_key_and_the_value(change, message):
    with pytest.raises(SpecError, match=None) as info:
        parse_spec(_spec(**change))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_the_command_refuses_a_bad_spec_with_one_line_and_status_2(tmp_path, capsys):
    (tmp_path / "spec.json").write_text('{"count": 3, "widths": [[1, 2, 1]], "activations": ["smoolu"]}')
    assert cli.main(["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "r.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing key 'claims'" in err
    (tmp_path / "bad.json").write_text('{"count": 3,')
    assert cli.main(["sweep", str(tmp_path / "bad.json"), "--out", str(tmp_path / "r.jsonl")]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_without_dask_the_command_names_the_extra_to_install(tmp_path, capsys, monkeypatch):
    (tmp_path / "spec.json").write_text(json.dumps(_spec(count=2)))
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    assert cli.main(["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "r.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'symland[sweep]'" in err


def test_data_files_are_drawn_with_widths_that_fit_them(tmp_path):
    (tmp_path / "pts.csv").write_text("x1,y\n0,1\n1,-1\n3,2\n")
    spec = parse_spec(_spec(count=4, data={"files": ["pts.csv"]}), base=str(tmp_path))
    assert {(i.widths, i.X) for i in expand(spec)} == {((1, 3, 1), (("0",), ("1",), ("3",)))}
    with pytest.raises(SpecError, match="no widths start with p = 1"):
        parse_spec(_spec(widths=[[2, 4, 1]], data={"files": ["pts.csv"]}), base=str(tmp_path))


# --------------------------------------------------------------------------------- the results file (no dask)

def _row(inst, claim, verdict="proved"):
    return {"instance": inst, "claim": claim, "verdict": verdict, "tier": "exact", "expected": "proved",
            "evidence": "e", "details": ["reproduce: symland verify --data x.json"]}


def test_the_writer_never_writes_a_certificate_twice_and_resume_drops_a_partial_last_line(tmp_path):
    out = tmp_path / "r.jsonl"
    w = ResultWriter(str(out), {})
    assert [w.add(_row("a", "thm-2.1")), w.add(_row("a", "thm-2.1")), w.add(_row("b", "thm-2.1"))] == \
        [True, False, True]
    w.close()
    with open(out, "a", encoding="utf-8") as fh:
        fh.write('{"instance": "c", "claim": "thm-2.1", "verd')  # a run killed mid-write
    rows, dropped = read_results(str(out))
    assert set(rows) == {("a", "thm-2.1"), ("b", "thm-2.1")} and dropped == 43
    assert out.read_text(encoding="utf-8").endswith("}\n") and len(_rows(out)) == 2
    out.write_text('{"instance": "a", "claim": "x"}\nnot json\n' + json.dumps(_row("b", "x")) + "\n")
    with pytest.raises(InputError, match="line 2 is not a certificate"):
        read_results(str(out))


def test_exponents_scale_the_values_to_extreme_magnitudes_exactly():
    spec = parse_spec(_spec(count=10, data={"d": 3, "values": [1, 9], "exponents": [-300, 300]}))
    values = [__import__("fractions").Fraction(v) for i in expand(spec) for row in i.X + i.Y for v in row]
    assert {abs(v) >= 10**300 or abs(v) <= 10**-299 for v in values} == {True}
    assert min(abs(v) for v in values) < 1 < max(abs(v) for v in values)


def test_a_certificate_the_re_checker_rejects_is_listed_first_and_fails_the_sweep():
    bad = {**_row("a", "thm-2.1"), "details": ["recheck: rejected: m ∉ M", "reproduce: symland verify --data a.json"]}
    lines = summary_table([_row("b", "thm-2.1"), bad]).splitlines()
    assert lines[:2] == ["REJECTED by the independent re-checker (1):", "  a thm-2.1: proved: recheck: rejected: m ∉ M"]
    assert lines[-1] == "re-checked from the witnesses: 1 rejected"


def test_the_summary_lists_unexpected_verdicts_first_with_their_commands():
    text = summary_table([_row("a", "thm-2.1"), _row("b", "thm-2.1", "inconclusive")])
    lines = text.splitlines()
    assert lines[0] == "unexpected verdicts (1):"
    assert lines[1].startswith("  b thm-2.1: inconclusive (expected proved, tier exact)")
    assert lines[2] == "    reproduce: symland verify --data x.json"
    assert lines[-1].split() == ["thm-2.1", "exact", "1", "1"]


def test_an_instance_whose_workers_keep_dying_gets_inconclusive_certificates_saying_so(tmp_path):
    from proofs_check.certificate import Certificate
    from proofs_check.sweep import _lost, _payload

    spec = parse_spec(_spec(count=1))
    rows = _lost(_payload(spec, 0, str(tmp_path), None), "the dask task failed: KilledWorker: …")
    certs = [Certificate.from_json_obj(r) for r in rows]
    assert [(c.claim, c.verdict, c.tier) for c in certs] == [("lem-3.3", "inconclusive", "none"),
                                                              ("thm-2.1", "inconclusive", "none")]
    assert certs[0].evidence.startswith("the dask task failed: KilledWorker")
    assert certs[1].details[-1].endswith("--claim thm-2.1 --tier auto --json")


def test_progress_shows_instances_rate_and_eta(monkeypatch):
    import io

    import proofs_check._sweep_cli as sweep_cli

    now = [1000.0]
    monkeypatch.setattr(sweep_cli.time, "monotonic", lambda: now[0])
    out = io.StringIO()
    bar = sweep_cli.Progress(out)  # started at t = 1000 (the cluster starts: not part of the rate)
    now[0] = 1010.0
    bar(25, 100, 5)  # the first 20 new instances at once: no rate measured yet, no ETA
    now[0] = 1020.0
    bar(45, 100, 5)  # 20 more in 10 s
    now[0] = 1040.0
    bar(100, 100, 5)
    assert out.getvalue().splitlines() == ["sweep: 25/100 instances (5 resumed), measuring the rate…",
                                           "sweep: 45/100 instances (5 resumed), 2.00/s, ETA 28 s",
                                           "sweep: 100/100 instances (5 resumed), done in 40.0 s"]


def test_the_per_instance_timeout_stops_a_claim_inside_a_worker_thread(tmp_path):
    from proofs_check.sweep import _payload

    spec = parse_spec(_spec(count=1, widths=[[1, 6, 1]], activations=["smoolu"], claims=["prop-2.3", "thm-2.1"],
                            data={"d": 6, "values": [-9, 9], "denominator": 7}, tier="symbolic"))
    payload = _payload(spec, 0, str(tmp_path), 0.3)
    out: list = []
    start = time.monotonic()
    worker = threading.Thread(target=lambda: out.extend(run_instance(payload)["rows"]))  # as dask runs tasks
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and time.monotonic() - start < 10
    assert [(r["claim"], r["verdict"]) for r in out] == [("prop-2.3", "inconclusive"), ("thm-2.1", "inconclusive")]
    assert "the --timeout of 0.3 s for this instance passed" in out[0]["evidence"]


# ----------------------------------------------------------------------------------------- real dask clusters

@pytest.fixture
def distributed():
    return pytest.importorskip("distributed", reason=NEEDS_DASK)


@pytest.fixture
def local_client(distributed):
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address="127.0.0.1:0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, random free ports, no dashboard."""

    def __init__(self, tmp_path: Path, workers: int, preload: bool = False):
        dask = Path(sys.executable).with_name("dask")
        if not dask.exists():
            pytest.skip(f"no `dask` command next to {sys.executable}")
        self.procs: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.file = tmp_path / "scheduler.json"
        self.log = log = open(tmp_path / "cluster.log", "w")
        self.procs.append(subprocess.Popen(
            [str(dask), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--dashboard-address", "127.0.0.1:0",
             "--scheduler-file", str(self.file)], env=_env(), stdout=log, stderr=log, cwd=tmp_path))
        end = time.monotonic() + 60
        while not (self.file.exists() and self.file.stat().st_size > 0):
            assert time.monotonic() < end and self.procs[0].poll() is None, "the dask scheduler did not start"
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        self.workers = [subprocess.Popen(
            [str(dask), "worker", "--scheduler-file", str(self.file), "--nthreads", "1", "--nworkers", "1",
             "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{k}", "--memory-limit", "0"]
            + (["--preload", "proofs_check.sweep.preload"] if preload else []),
            env=_env(), stdout=log, stderr=log, cwd=tmp_path) for k in range(workers)]
        self.procs += self.workers

    def wait_for_workers(self, client, n: int) -> None:
        client.wait_for_workers(n, timeout=90)

    def close(self) -> None:
        for proc in reversed(self.procs):
            _stop(proc)
        self.log.close()


@pytest.fixture
def cluster(distributed, tmp_path):
    c = Cluster(tmp_path, workers=2)
    yield c
    c.close()


def test_an_unreachable_scheduler_is_one_line_and_status_2(distributed, tmp_path, capsys, monkeypatch):
    import proofs_check.sweep

    monkeypatch.setattr(proofs_check.sweep, "CONNECT_TIMEOUT", "2s")
    (tmp_path / "spec.json").write_text(json.dumps(_spec(count=2)))
    argv = ["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "r.jsonl"), "--scheduler", "tcp://127.0.0.1:9"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--scheduler tcp://127.0.0.1:9: cannot connect" in err


def test_a_resumed_run_with_nothing_left_starts_no_cluster(distributed, tmp_path, capsys, monkeypatch):
    import proofs_check.sweep
    from proofs_check._sweep_results import stamped

    spec = parse_spec(_spec(count=1, claims=["thm-2.1"]))
    out = tmp_path / "r.jsonl"
    row = run_instance(proofs_check.sweep._payload(spec, 0, str(tmp_path), None))["rows"][0]
    out.write_text(json.dumps(stamped(row, spec.fingerprint(), 0)) + "\n")
    monkeypatch.setattr(proofs_check.sweep, "_client", None)  # would fail if called
    assert list(proofs_check.sweep.sweep(spec, out=str(out), resume=True)) == []


def test_a_local_cluster_of_two_worker_processes_decides_every_instance_exactly(local_client, tmp_path, capsys):
    from proofs_check.sweep import sweep

    out = tmp_path / "r.jsonl"
    certs = list(sweep(_spec(recheck=True), client=local_client, out=str(out)))
    assert len(certs) == 24 and {c.verdict for c in certs} == {"proved"}
    assert len(local_client.nthreads()) == 2
    rows = _rows(out)
    _assert_complete(rows, SPEC)
    assert {r["details"][-2] for r in rows} == {"recheck: checked"}  # each re-checked from its witness alone
    assert summary_table(rows).splitlines()[-1] == "re-checked from the witnesses: 24 checked"
    # a row's command reproduces it: same verdict, same point m of Lemma 3.3
    row = next(r for r in rows if r["claim"] == "lem-3.3")
    argv = row["details"][-1].split()[2:]
    assert cli.main(argv) == 0
    again = json.loads(capsys.readouterr().out)[0]
    assert (again["instance"], again["verdict"], again["witness"]["m"]) == \
        (row["instance"], row["verdict"], row["witness"]["m"])


def test_a_sweep_on_its_own_local_cluster_decides_every_instance_once(distributed, tmp_path):
    # while the cluster starts, a process forked from the client runs instances from the same queue
    from proofs_check.sweep import sweep

    spec = _spec(count=40)
    out = tmp_path / "r.jsonl"
    certs = list(sweep(spec, out=str(out), workers=2, deadline=None))
    assert sorted((c.instance, c.claim) for c in certs) == sorted((r["instance"], r["claim"]) for r in _rows(out))
    _assert_complete(_rows(out), spec)
    assert sorted(os.listdir(tmp_path / "r-data")) == sorted([f"s7-{k:05d}.json" for k in range(40)]
                                                             + ["spec.fingerprint"])


def test_what_ran_while_the_local_cluster_started_is_written_when_the_sweep_is_interrupted(distributed, tmp_path):
    from proofs_check.sweep import sweep

    def interrupted(client):  # Ctrl-C once the cluster is up, before any result was handed out
        time.sleep(0.5)
        raise KeyboardInterrupt

    out = tmp_path / "r.jsonl"
    with pytest.raises(KeyboardInterrupt):
        next(iter(sweep(_spec(count=100), out=str(out), workers=2, on_start=interrupted)))
    rows = _rows(out)
    done = {r["instance"] for r in rows}
    assert done and len(rows) == 2 * len(done) and {r["verdict"] for r in rows} == {"proved"}
    assert {f"{k}.json" for k in done} == set(os.listdir(tmp_path / "r-data")) - {"spec.fingerprint"}


def test_the_sweeps_deadline_on_its_own_local_cluster_reports_each_unfinished_instance_once(distributed, tmp_path):
    from proofs_check.sweep import sweep

    spec = _spec(count=6, widths=[[3, 20, 1]], data={"d": [16, 16], "values": [-9, 9], "denominator": 4},
                 claims=["thm-2.1", "prop-2.3"], tier="exact")  # ~1 s an instance: not all done in 1.5 s
    out = tmp_path / "r.jsonl"
    certs = list(sweep(spec, out=str(out), workers=2, deadline=1.5))
    keys = [(c.instance, c.claim) for c in certs]
    assert len(keys) == len(set(keys)) == 12
    late = [c for c in certs if c.verdict != "proved"]
    assert late and all(c.verdict == "inconclusive" and c.evidence.startswith(
        "not finished: the sweep's --timeout of 1.5 s (for the whole run) passed first") for c in late)
    rows = _rows(out) if out.exists() else []
    assert sorted((r["instance"], r["claim"]) for r in rows) == sorted(k for c, k in zip(certs, keys)
                                                                       if c.verdict == "proved")


def test_the_command_sends_the_sweep_to_an_external_scheduler_with_two_workers(cluster, tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    out = tmp_path / "r.jsonl"
    proc = subprocess.run([sys.executable, "-m", "proofs_check.cli", "sweep", str(spec), "--out", str(out),
                           "--scheduler", cluster.address, "--instance-timeout", "60"],
                          env=_env(), capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    _assert_complete(_rows(out), SPEC)
    assert f"on {cluster.address}; no dask dashboard" in proc.stderr
    assert "sweep: 12/12 instances" in proc.stderr
    assert [line.split() for line in proc.stdout.splitlines()[-3:]] == \
        [["claim", "tier", "proved"], ["lem-3.3", "exact", "12"], ["thm-2.1", "exact", "12"]]
    assert "--timeout 60" in _rows(out)[0]["details"][-1]


def test_a_worker_started_with_the_preload_module_has_the_engine_warm_before_any_task(distributed, tmp_path):
    c = Cluster(tmp_path, workers=1, preload=True)
    try:
        with distributed.Client(c.address, timeout="30s") as client:
            c.wait_for_workers(client, 1)
            imported = client.run(lambda: [m in sys.modules for m in ("proofs_check.claims", "sympy.physics.units")])
    finally:
        c.close()
    assert list(imported.values()) == [[True, True]]  # the engine, and what it imports on first use


def test_a_worker_killed_by_its_pid_mid_sweep_loses_and_duplicates_nothing(cluster, distributed, tmp_path):
    from proofs_check.sweep import sweep

    spec = _spec(count=30)
    out = tmp_path / "r.jsonl"
    client = distributed.Client(cluster.address, timeout="30s")
    try:
        cluster.wait_for_workers(client, 2)
        pids = client.run(os.getpid)  # {worker address: pid}
        assert sorted(pids.values()) == sorted(w.pid for w in cluster.workers)
        killed = None
        certs = []
        for cert in sweep(spec, client=client, out=str(out), window=8):
            certs.append(cert)
            if killed is None and len(certs) >= 4:
                busy = [a for a, keys in client.processing().items() if keys]
                killed = pids[busy[0]] if busy else next(iter(pids.values()))
                os.kill(killed, signal.SIGKILL)  # mid-task: its tasks go back to the scheduler
        assert killed is not None
        victim = next(w for w in cluster.workers if w.pid == killed)
        assert victim.wait(30) == -signal.SIGKILL
        assert len(client.nthreads()) == 1
    finally:
        client.close()
    assert len(certs) == 60
    _assert_complete(_rows(out), spec)


def test_resume_after_an_interrupted_run_finishes_the_file_without_duplicates(cluster, tmp_path):
    spec_obj = _spec(count=24)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(spec_obj))
    out = tmp_path / "r.jsonl"
    argv = [sys.executable, "-m", "proofs_check.cli", "sweep", str(spec), "--out", str(out),
            "--scheduler", cluster.address]
    first = subprocess.Popen(argv, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        end = time.monotonic() + 180
        while not (out.exists() and len(out.read_bytes().splitlines()) >= 6):
            assert time.monotonic() < end and first.poll() is None, "the first run wrote nothing"
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)  # a hard interruption: no clean-up at all
        first.wait(30)
    finally:
        _stop(first)
    before = _rows(out)
    assert 6 <= len(before) < 48
    with open(out, "a", encoding="utf-8") as fh:
        fh.write('{"claim": "thm-2.1", "instance": "s7-000')  # as if killed in the middle of a line
    again = subprocess.run(argv, env=_env(), capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert again.returncode == 2 and "exists: add --resume" in again.stderr
    again = subprocess.run(argv + ["--resume"], env=_env(), capture_output=True, text=True, timeout=300,
                           cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "dropped a partial last line" in again.stderr
    after = _rows(out)
    assert after[:len(before)] == before  # what was written stays as it was
    _assert_complete(after, spec_obj)
    other = tmp_path / "other.json"
    other.write_text(json.dumps(_spec(count=24, seed=8)))
    refused = subprocess.run([sys.executable, "-m", "proofs_check.cli", "sweep", str(other), "--out", str(out),
                              "--scheduler", cluster.address, "--resume"],
                             env=_env(), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert refused.returncode == 2 and "holds the results of another spec" in refused.stderr


@pytest.mark.slow
def test_the_command_on_its_own_local_cluster_mixes_activations_and_exits_0(distributed, tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(_spec(count=20, activations=["rectpow3", "smoolu"])))
    out = tmp_path / "r.jsonl"
    proc = subprocess.run([sys.executable, "-m", "proofs_check.cli", "sweep", str(spec), "--out", str(out),
                           "--workers", "2"], env=_env(), capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = _rows(out)
    assert len(rows) == 40 and {r["verdict"] for r in rows} == {"proved"}
    assert {r["tier"] for r in rows} == {"exact", "symbolic"}


def test_the_readme_sweep_specs_are_valid():
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Sweeps on dask"):text.index("## In Jupyter")]
    specs = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.S)]
    assert [parse_spec(s).count for s in specs] == [40, 100000]
    assert parse_spec(specs[1]).recheck is True
