"""``symland sweep``: a family of instances (:mod:`proofs_check.sweep.spec`) decided on dask.distributed.

    symland sweep spec.json --out results.jsonl                       # a LocalCluster on this machine
    symland sweep spec.json --scheduler tcp://host:8786 --out r.jsonl  # an existing dask cluster
    symland sweep spec.json --out results.jsonl --resume               # skip what results.jsonl holds

A dask task runs the claims of one instance (:func:`proofs_check.sweep._worker.run_instance`), or of several
small ones in turn (:func:`~proofs_check.sweep._worker.run_batch`; about 2 s of work a task, sized from the
instances measured so far by :mod:`proofs_check.sweep._batching`), and returns the certificates with their lines;
the client writes each to the results file as it arrives (:mod:`proofs_check.sweep._results`: one JSON line per
certificate, never twice), and the instance's data to ``<out>-data/<instance>.json``, which
the ``reproduce: symland verify --data …`` line of each certificate names. The task's dask key names the spec's
fingerprint, the instance and the run; a certificate's identity is (instance, claim), so a rerun after a worker's
death (dask recomputes its tasks) or a resumed run produces the same identities, and the writer drops the
duplicates. The task receives the spec and the index, not the data: the worker draws them under the
per-instance timeout. The sweep has a deadline (``--timeout``) for the whole run. A task whose workers keep dying
(dask's ``KilledWorker``) gives ``inconclusive`` certificates that say so; a batch that fails as a whole is
sent again one instance a task, so only the instance at fault is reported. At most a bounded window of tasks is
in flight, so 10⁶ instances do not flood the scheduler. The local cluster's workers are forked from this process
once the engine is imported and has run the spec's claims on a tiny instance (they start warm:
:func:`~proofs_check.sweep._worker.warm`), and while this process imports dask and starts the cluster, one process
forked from it runs instances from the head of the queue (:mod:`proofs_check.sweep._headstart`; issue 23).

This module and :mod:`proofs_check.sweep._cluster` (the client and the local cluster) are the places that import
dask (lazily): without it, one line names ``pip install 'symland[sweep]'``. The Python API is :func:`sweep` (here,
not in the engine package ``symland``, which never imports the paper's claims).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator

from symland.budget import DEFAULT_TIMEOUT
from symland.errors import InputError, SymlandError

from proofs_check.sweep._cluster import LOCAL_CONFIG, client as _client, dashboard_link
from proofs_check.sweep._quiet import quiet_shutdown
from proofs_check.sweep._results import ResultWriter, stamped
from proofs_check.sweep.spec import SweepSpec, draw_head, instance_key, instance_seed, load_spec, parse_spec

__all__ = ["sweep", "require_dask", "data_dir_for", "dashboard_link", "MISSING", "quiet_shutdown", "LOCAL_CONFIG"]

CONNECT_TIMEOUT = "20s"  # for --scheduler
MISSING = "symland sweep needs dask.distributed: pip install 'symland[sweep]' (or pip install 'dask[distributed]')"


def require_dask():
    """The ``distributed`` module, or InputError naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise InputError(MISSING) from None
    return distributed


def _has_dask() -> bool:
    """Whether dask.distributed can be imported, without importing it (0.3–0.5 s of CPU: the local cluster's
    start-up, during which the sweep runs instances, imports it)."""
    import importlib.util

    try:
        return importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):
        return False


def data_dir_for(out: str) -> str:
    """Where the instances' data files go: ``results.jsonl`` → ``results-data``."""
    root, _ = os.path.splitext(out)
    return root + "-data"


def _command(data_path: str, widths, activation: str, claim: str, tier: str, timeout: float | None) -> str:
    import shlex

    parts = ["symland", "verify", "--data", data_path, "--widths", ",".join(map(str, widths)),
             "--activation", activation, "--claim", claim, "--tier", tier, "--json"]
    if timeout is not None:
        parts += ["--timeout", f"{timeout:g}"]
    return " ".join(shlex.quote(p) for p in parts)


def _write_data(path: str, data: dict) -> None:
    text = json.dumps(data)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            if fh.read() == text:
                return
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _payload(spec: SweepSpec, index: int, data_dir: str, timeout, recheck: bool = False) -> dict:
    """What the task of instance ``index`` receives: the spec and the index (the worker draws the data under
    the timeout), the names and commands the client knows without drawing the data."""
    key = instance_key(spec, index)
    _, widths, sigma, source = draw_head(spec, index)
    path = os.path.join(data_dir, f"{key}.json")
    origin = f" (data from {source[0]})" if source else ""
    return {"spec": spec, "index": index, "key": key, "widths": widths, "activation": sigma,
            "claims": spec.claims, "tier": spec.tier, "timeout": timeout, "recheck": spec.recheck or recheck,
            "data_path": path,
            "details": (f"sweep: instance {index} of spec {spec.name} (seed {spec.seed}), instance seed "
                        f"{instance_seed(spec.seed, index)}{origin}",),
            "commands": {c: _command(path, widths, sigma, c, spec.tier, timeout) for c in spec.claims}}


#: A finished task whose result dies with its worker is awaited again this many times, then reported inconclusive.
MAX_LOSSES = 3


def _lost(payload: dict, why: str) -> list[dict]:
    """Inconclusive certificates (JSON objects) for an instance whose task did not give its own: it failed as a
    whole (e.g. its workers kept dying), or the sweep's deadline passed first. Nothing of the data is drawn."""
    from proofs_check.certificate import Certificate

    return [Certificate(cid, payload["key"], "inconclusive", "none", why, (), {}, 0.0, expected="proved",
                        details=payload["details"] + (f"reproduce: {payload['commands'][cid]}",)).to_json_obj()
            for cid in payload["claims"]]


def _as_spec(spec) -> SweepSpec:
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, (str, os.PathLike)):
        return load_spec(os.fspath(spec))
    return parse_spec(spec)


def _prepare_out(spec: SweepSpec, out: str | None, data_dir: str | None, resume: bool, *, recheck: bool = True,
                 until: float | None = None) -> tuple[dict, set, str]:
    """(rows kept from the results file, indices to recompute with the re-check on, data directory), after the
    checks that protect the file; a resumed file's rows are verified (:mod:`proofs_check.sweep._resume`)."""
    from proofs_check.sweep._resume import resume_rows

    if out is None:
        return {}, set(), data_dir or tempfile.mkdtemp(prefix="symland-sweep-")
    data_dir = data_dir or data_dir_for(out)
    stamp = os.path.join(data_dir, "spec.fingerprint")
    rows: dict = {}
    force: set = set()
    if os.path.exists(out) and os.path.getsize(out) > 0:
        if not resume:
            raise InputError(f"--out {out} exists: add --resume to continue it, or choose another file")
        if os.path.exists(stamp):
            with open(stamp, encoding="utf-8") as fh:
                if fh.read().strip() != spec.fingerprint():
                    raise InputError(f"--resume: {out} holds the results of another spec (fingerprint in {stamp})")
        os.makedirs(data_dir, exist_ok=True)
        rows, force, report = resume_rows(
            out, spec, recheck=recheck, until=until,
            on_instance=lambda inst: _write_data(os.path.join(data_dir, f"{inst.key}.json"), inst.data_obj()))
        if report:
            print(report, file=sys.stderr)
    os.makedirs(data_dir, exist_ok=True)
    with open(stamp, "w", encoding="utf-8") as fh:
        fh.write(spec.fingerprint() + "\n")
    return rows, force, data_dir


def sweep(spec, client=None, *, out: str | None = None, resume: bool = False, timeout: float | None = None,
          deadline: float | None = DEFAULT_TIMEOUT, scheduler: str | None = None, workers: int | None = None,
          data_dir: str | None = None, progress: Callable[[int, int, int], None] | None = None,
          window: int | None = None, on_start: Callable | None = None, recheck_resumed: bool = True) -> Iterator:
    """Decide a family of instances on dask; yield each new :class:`~proofs_check.certificate.Certificate`.

    Args:
        spec: a :class:`~proofs_check.sweep.spec.SweepSpec`, a spec object (dict) or the path of a spec file.
        client: a ``distributed.Client``; None: connect to ``scheduler``, else start a LocalCluster of
            ``workers`` processes (one thread each), closed when the iterator ends.
        out: the results file (JSON Lines), appended as results arrive; None: no file.
        resume: continue ``out``: instances whose rows are all there, and verified, are skipped
            (:mod:`proofs_check.sweep._resume`).
        timeout: seconds per instance, drawing its data included (default: the spec's ``timeout``; None:
            bounded by ``deadline`` only).
        deadline: seconds for the whole sweep (``--timeout`` of the command; default 600; None: unbounded),
            re-checking the resumed rows included. The instances not finished by then are yielded as
            ``inconclusive`` certificates naming ``--timeout`` and are not written to ``out`` (a resumed run
            computes them).
        data_dir: where the instances' data files go (default ``<out>-data``, or a new temporary directory).
        progress: called as ``progress(done, total, resumed)`` after each instance.
        window: tasks in flight at once (default: 4 × the workers' threads, at least 16).
        on_start: called with the dask client once it is connected (e.g. to show its dashboard).
        recheck_resumed: re-check every resumed row with the kernel (False: the structural checks only).

    Raises:
        InputError: a spec that cannot be used, ``out`` exists without ``resume`` or holds no row of this spec,
            or dask is not installed.
        DeadlineExpired: ``deadline`` passed while the resumed rows were re-checked (the file is unchanged).
    """
    start = time.monotonic()
    spec = _as_spec(spec)
    timeout = timeout if timeout is not None else spec.timeout
    if client is not None and (scheduler or workers):
        raise InputError("give a client, or a scheduler address / a number of workers, not both")
    if scheduler and workers:
        raise InputError("--workers is for the local cluster; an existing cluster (--scheduler) has its own")
    if not _has_dask():
        raise InputError(MISSING)
    until = None if deadline is None else start + deadline
    rows, force, data_dir = _prepare_out(spec, out, data_dir, resume, recheck=recheck_resumed, until=until)
    return _run(spec, client, out, rows, force, data_dir, timeout, until, deadline,
                dict(scheduler=scheduler, workers=workers), progress, window, on_start)


def _unstarted(spec: SweepSpec, index: int, why: str):
    from proofs_check.certificate import Certificate

    details = (f"sweep: instance {index} of spec {spec.name} (seed {spec.seed}), not started",)
    return [Certificate(cid, instance_key(spec, index), "inconclusive", "none", why, (), {}, 0.0,
                        expected="proved", details=details) for cid in spec.claims]


def _run(spec, client, out, rows, force, data_dir, timeout, until, deadline, where, progress, window, on_start):
    from proofs_check.certificate import Certificate
    from proofs_check.sweep._batching import Batches
    from proofs_check.sweep._headstart import HeadStart, Instances
    from proofs_check.sweep._worker import run_batch, warm as _warm

    own_cluster = own_client = writer = head = None
    seen = set(rows)
    pending: dict = {}  # task key → (payloads, future): one task carries one or more instances
    resumed = sum(1 for inst_key in {k for k, _ in rows} if all((inst_key, c) in rows for c in spec.claims))
    done = resumed
    fingerprint = spec.fingerprint()
    run = uuid.uuid4().hex[:8]  # this run's tasks: a key cancelled by an earlier run in this client is not reused
    why_late = (f"not finished: the sweep's --timeout of {deadline:g} s (for the whole run) passed first; rerun "
                "with --resume and a longer --timeout to finish it") if deadline is not None else ""

    def budget() -> float | None:
        return None if until is None else max(until - time.monotonic(), 1e-3)

    def ready(index: int) -> dict:
        """The payload of instance ``index`` as it is sent, with what is left of the sweep's deadline."""
        return {**_payload(spec, index, data_dir, timeout, recheck=index in force), "budget": budget(),
                "fingerprint": fingerprint}

    def emit(payloads: list, results: list) -> Iterator:
        """Write and yield the certificates of finished instances (from a dask task or the head start)."""
        nonlocal done
        for payload, result in zip(payloads, results):
            if result.get("late"):  # the sweep's deadline stopped the instance: reported, not written
                for obj in _lost(payload, why_late):
                    yield Certificate.from_json_obj(obj)
                continue
            if result["data"] is not None:
                _write_data(payload["data_path"], result["data"])
            if "certs" in result:  # the worker's certificates and their lines, as run_batch made them
                made = zip(result["certs"], result["lines"])
            else:  # made here: the task failed or its result was lost
                made = ((Certificate.from_json_obj(obj), None) for obj in result["rows"])
            for cert, line in made:
                key = (cert.instance, cert.claim)
                if key in seen:
                    continue
                seen.add(key)
                if writer is not None and line is not None:
                    writer.add_line(key, line)
                elif writer is not None:
                    writer.add(stamped(cert.to_json_obj(), fingerprint, payload["index"]))
                yield cert
            done += 1
            if progress is not None:
                progress(done, spec.count, resumed)

    try:
        indices = (k for k in range(spec.count) if not all((instance_key(spec, k), c) in rows for c in spec.claims))
        first = next(indices, None)
        if first is None:  # everything is in the results file already
            return
        todo = Instances(itertools.chain([first], indices), spec.count - resumed)
        if client is None and not where["scheduler"] and sys.platform.startswith("linux"):
            # the local cluster's start-up runs instances meanwhile (a forked process: as the cluster's workers,
            # on Linux only — fork with threads is unsafe on macOS, absent on Windows)
            head = HeadStart(lambda: next((ready(k) for k in todo.take(1)), None), {"spec": spec})
        distributed = require_dask()
        if client is None:
            client, own_cluster = _client(distributed, where["scheduler"], where["workers"], CONNECT_TIMEOUT,
                                          warm=lambda: _warm(spec.activations, spec.claims, spec.tier))
            own_client = client
        if head is not None:
            head.stop()
        writer = ResultWriter(out, rows) if out else None
        if on_start is not None:
            on_start(client)
        threads = sum(client.nthreads().values()) or 1
        if window is None:
            window = max(16, 4 * threads)
        sizes = Batches(threads)
        left = None if until is None else max(until - time.monotonic(), 1e-3)
        ac = distributed.as_completed(timeout=left)
        lost: dict = {}  # task key → how often its finished result was lost with a worker

        def send(payloads: list, key: str) -> None:
            left = budget()  # sent again (a batch that failed, the head start's process died): what is left now
            payloads = [{**p, "budget": left} for p in payloads]
            fut = client.submit(run_batch, payloads, key=key)
            pending[fut.key] = (payloads, fut)
            ac.add(fut)

        def submit_next() -> bool:
            batch = todo.take(sizes.next(todo.left))
            if not batch:
                return False
            payloads = [ready(index) for index in batch]
            tail = f"+{len(batch) - 1}" if len(batch) > 1 else ""
            send(payloads, f"symland-sweep-{fingerprint}-{payloads[0]['key']}{tail}-{run}")
            return True

        def from_head(wait: bool = False, resend: bool = True) -> list:
            """The head start's finished instances as (payloads, results), their times recorded; one whose process
            died goes to dask, alone in its task (``resend``; else it is reported late: the deadline has passed)."""
            got = []
            for payload, reply in head.finished(wait):
                if reply is None and resend:
                    send([payload], f"symland-sweep-{fingerprint}-{payload['key']}-{run}-alone")
                elif reply is None:
                    got.append(([payload], [{"late": True}]))
                elif reply[0] == "ok":
                    for result in reply[1]:
                        sizes.record(result)
                    got.append(([payload], reply[1]))
                else:
                    got.append(([payload], [{"rows": _lost(payload, f"the task failed: {reply[1]}"), "data": None}]))
            return got

        early = from_head() if head is not None else []  # measured: they size the first tasks
        while len(pending) < window and submit_next():
            pass
        for payloads, results in early:
            yield from emit(payloads, results)
        while True:
            try:
                if until is not None and time.monotonic() >= until:  # as_completed checks only when it waits
                    raise TimeoutError
                if head is not None:  # the rest of the head start: waited for once no dask task is left
                    last = not pending or not head.running
                    for payloads, results in from_head(wait=last):
                        yield from emit(payloads, results)
                    if last:
                        head.close()
                        head = None
                        if not pending:
                            continue
                fut = next(ac)
            except StopIteration:
                break
            except TimeoutError:  # the sweep's deadline: what is not finished is reported, not written
                if head is not None:
                    head.close()  # what it was running comes back as died: reported late
                    for payloads, results in from_head(resend=False):
                        yield from emit(payloads, results)
                    head = None
                for payloads, _ in list(pending.values()):
                    for payload in payloads:
                        for obj in _lost(payload, why_late):
                            yield Certificate.from_json_obj(obj)
                for index in todo.rest():
                    yield from _unstarted(spec, index, why_late)
                break
            entry = pending.pop(fut.key, None)
            if entry is None:  # a future seen twice (recomputed after a worker's death)
                continue
            payloads = entry[0]
            if fut.status == "lost" and lost.get(fut.key, 0) < MAX_LOSSES:
                # its worker died after it finished: the scheduler recomputes it for us; wait for it again
                lost[fut.key] = lost.get(fut.key, 0) + 1
                pending[fut.key] = entry
                ac.add(fut)
                continue
            if fut.status in ("lost", "error") and len(payloads) > 1:
                # a batch failed as a whole (e.g. one instance kills its workers): each instance again on its own,
                # so only the one that fails is reported
                fut.release()
                for payload in payloads:
                    send([payload], f"symland-sweep-{fingerprint}-{payload['key']}-{run}-alone")
                continue
            if fut.status == "lost":
                results = [{"rows": _lost(payloads[0], f"the dask task's result was lost {MAX_LOSSES + 1} times "
                                                       "(its workers died)"), "data": None}]
            elif fut.status == "error":
                exc = fut.exception()
                results = [{"rows": _lost(payloads[0], f"the dask task failed: {type(exc).__name__}: "
                                                       f"{str(exc)[:300]}"), "data": None}]
            elif fut.status == "finished":
                results = fut.result()
            else:
                raise SymlandError(f"lost the dask task of {payloads[0]['key']} ({fut.status}): the scheduler "
                                   "went away? rerun with --resume")
            fut.release()
            for result in results:
                sizes.record(result)
            submit_next()  # the next task goes out before this one's results are written: the workers stay busy
            yield from emit(payloads, results)
    finally:
        with quiet_shutdown():
            if head is not None:  # an early end (Ctrl-C, an error): what the head start finished is written
                head.close()
                kept = [(payload, reply[1]) for payload, reply in head.finished() if reply and reply[0] == "ok"]
                if kept and out and writer is None:
                    writer = ResultWriter(out, rows)
                for payload, results in kept:
                    for _ in emit([payload], results):
                        pass
            if pending and client is not None:
                client.cancel([fut for _, fut in pending.values()], force=True)
            if writer is not None:
                writer.close()
            if own_client is not None:
                own_client.close()
            if own_cluster is not None:
                own_cluster.close()
