"""``symland sweep``: a family of instances (:mod:`proofs_check.sweep_spec`) decided on dask.distributed.

    symland sweep spec.json --out results.jsonl                       # a LocalCluster on this machine
    symland sweep spec.json --scheduler tcp://host:8786 --out r.jsonl  # an existing dask cluster
    symland sweep spec.json --out results.jsonl --resume               # skip what results.jsonl holds

One dask task per instance runs its claims (:func:`proofs_check._sweep_worker.run_instance`) and returns the
certificates; the client writes each to the results file as it arrives (:mod:`proofs_check._sweep_results`:
one JSON line per certificate, never twice), and the instance's data to ``<out>-data/<instance>.json``, which
the ``reproduce: symland verify --data …`` line of each certificate names. The task's dask key is derived from
the spec's fingerprint and the instance, so a rerun after a worker's death (dask recomputes its tasks) or a
resumed run produces the same identities, and the writer drops the duplicates. A task whose workers keep dying
(dask's ``KilledWorker``) gives ``inconclusive`` certificates that say so. At most a bounded window of tasks is
in flight, so 10⁶ instances do not flood the scheduler.

This module is the one place that imports dask (lazily): without it, one line names ``pip install
'symland[sweep]'``. The Python API is :func:`sweep` (here, not in the engine package ``symland``, which never
imports the paper's claims).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import tempfile
from typing import Callable, Iterator

from symland.errors import InputError, SymlandError

from proofs_check._sweep_results import ResultWriter, read_results
from proofs_check.sweep_spec import SweepInstance, SweepSpec, iter_instances, load_spec, parse_spec

__all__ = ["sweep", "require_dask", "data_dir_for", "dashboard_link", "MISSING"]

CONNECT_TIMEOUT = "20s"  # for --scheduler
MISSING = "symland sweep needs dask.distributed: pip install 'symland[sweep]' (or pip install 'dask[distributed]')"


def require_dask():
    """The ``distributed`` module, or InputError naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise InputError(MISSING) from None
    return distributed


def data_dir_for(out: str) -> str:
    """Where the instances' data files go: ``results.jsonl`` → ``results-data``."""
    root, _ = os.path.splitext(out)
    return root + "-data"


def _command(data_path: str, inst: SweepInstance, claim: str, tier: str, timeout: float | None) -> str:
    import shlex

    parts = ["symland", "verify", "--data", data_path, "--widths", ",".join(map(str, inst.widths)),
             "--activation", inst.activation, "--claim", claim, "--tier", tier, "--json"]
    if timeout is not None:
        parts += ["--timeout", f"{timeout:g}"]
    return " ".join(shlex.quote(p) for p in parts)


def _write_data(path: str, inst: SweepInstance) -> None:
    text = json.dumps(inst.data_obj())
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            if fh.read() == text:
                return
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _payload(spec: SweepSpec, inst: SweepInstance, data_dir: str, timeout) -> dict:
    path = os.path.join(data_dir, f"{inst.key}.json")
    _write_data(path, inst)
    origin = f" (data from {inst.source})" if inst.source else ""
    return {"key": inst.key, "X": inst.X, "Y": inst.Y, "widths": inst.widths, "activation": inst.activation,
            "claims": spec.claims, "tier": spec.tier, "timeout": timeout, "recheck": spec.recheck,
            "details": (f"sweep: instance {inst.index} of spec {spec.name} (seed {spec.seed}), instance seed "
                        f"{inst.seed}{origin}",),
            "commands": {c: _command(path, inst, c, spec.tier, timeout) for c in spec.claims}}


#: A finished task whose result dies with its worker is awaited again this many times, then reported inconclusive.
MAX_LOSSES = 3


def _lost(payload: dict, why: str) -> list[dict]:
    """Inconclusive certificates for an instance whose task failed as a whole (e.g. its workers kept dying)."""
    from dataclasses import replace

    from symland.data import Dataset

    from proofs_check.instance import Instance, Timer, inconclusive

    inst = Instance(payload["key"], Dataset.from_rows(payload["X"], payload["Y"]), payload["activation"],
                    widths=tuple(payload["widths"]), tier=payload["tier"])
    out = []
    for cid in payload["claims"]:
        cert = inconclusive(cid, inst, [], Timer(), why)
        out.append(replace(cert, details=payload["details"] + (f"reproduce: {payload['commands'][cid]}",))
                   .to_json_obj())
    return out


def _as_spec(spec) -> SweepSpec:
    if isinstance(spec, SweepSpec):
        return spec
    if isinstance(spec, (str, os.PathLike)):
        return load_spec(os.fspath(spec))
    return parse_spec(spec)


def _prepare_out(spec: SweepSpec, out: str | None, data_dir: str | None, resume: bool) -> tuple[dict, str]:
    """(rows already in the results file, data directory), after the checks that protect the file."""
    if out is None:
        return {}, data_dir or tempfile.mkdtemp(prefix="symland-sweep-")
    data_dir = data_dir or data_dir_for(out)
    stamp = os.path.join(data_dir, "spec.fingerprint")
    rows: dict = {}
    if os.path.exists(out) and os.path.getsize(out) > 0:
        if not resume:
            raise InputError(f"--out {out} exists: add --resume to continue it, or choose another file")
        if os.path.exists(stamp):
            with open(stamp, encoding="utf-8") as fh:
                if fh.read().strip() != spec.fingerprint():
                    raise InputError(f"--resume: {out} holds the results of another spec (fingerprint in {stamp})")
        rows, dropped = read_results(out)
        if dropped:
            print(f"symland: dropped a partial last line ({dropped} bytes) of {out}; it is recomputed",
                  file=sys.stderr)
    os.makedirs(data_dir, exist_ok=True)
    with open(stamp, "w", encoding="utf-8") as fh:
        fh.write(spec.fingerprint() + "\n")
    return rows, data_dir


def _client(distributed, scheduler: str | None, workers: int | None):
    """(client, cluster we started or None)."""
    if scheduler:
        try:
            return distributed.Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--scheduler {scheduler}: cannot connect ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else 'no answer'})") from None
    # loopback only, a free port each (the HTTP server runs even without bokeh; :8787 may be taken)
    cluster = distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                       processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0")
    try:
        return distributed.Client(cluster), cluster
    except BaseException:
        cluster.close()
        raise


def dashboard_link(client) -> str | None:
    """The scheduler's dashboard address, when it serves one (its HTTP server shows /status only with bokeh)."""
    import importlib.util

    try:
        port = client.scheduler_info().get("services", {}).get("dashboard")
        host = client.scheduler.address.split("://")[-1].rsplit(":", 1)[0]
    except (AttributeError, OSError, KeyError):
        return None
    if not port:
        return None
    try:
        if client.run_on_scheduler(importlib.util.find_spec, "bokeh") is None:
            return None
    except Exception:  # noqa: BLE001 - a scheduler that refuses run_on_scheduler: show the address anyway
        pass
    return f"http://{host}:{port}/status"


def sweep(spec, client=None, *, out: str | None = None, resume: bool = False, timeout: float | None = None,
          scheduler: str | None = None, workers: int | None = None, data_dir: str | None = None,
          progress: Callable[[int, int, int], None] | None = None, window: int | None = None,
          on_start: Callable | None = None) -> Iterator:
    """Decide a family of instances on dask; yield each new :class:`~proofs_check.certificate.Certificate`.

    Args:
        spec: a :class:`~proofs_check.sweep_spec.SweepSpec`, a spec object (dict) or the path of a spec file.
        client: a ``distributed.Client``; None: connect to ``scheduler``, else start a LocalCluster of
            ``workers`` processes (one thread each), closed when the iterator ends.
        out: the results file (JSON Lines), appended as results arrive; None: no file.
        resume: continue ``out``: instances whose certificates are all there are skipped.
        timeout: seconds per instance (default: the spec's ``timeout``; None: unbounded).
        data_dir: where the instances' data files go (default ``<out>-data``, or a new temporary directory).
        progress: called as ``progress(done, total, resumed)`` after each instance.
        window: tasks in flight at once (default: 4 × the workers' threads, at least 16).
        on_start: called with the dask client once it is connected (e.g. to show its dashboard).

    Raises:
        InputError: a spec that cannot be used, ``out`` exists without ``resume``, or dask is not installed.
    """
    spec = _as_spec(spec)
    timeout = timeout if timeout is not None else spec.timeout
    if client is not None and (scheduler or workers):
        raise InputError("give a client, or a scheduler address / a number of workers, not both")
    if scheduler and workers:
        raise InputError("--workers is for the local cluster; an existing cluster (--scheduler) has its own")
    distributed = require_dask()
    rows, data_dir = _prepare_out(spec, out, data_dir, resume)
    return _run(distributed, spec, client, out, rows, data_dir, timeout, scheduler, workers, progress, window,
                on_start)


def _run(distributed, spec, client, out, rows, data_dir, timeout, scheduler, workers, progress, window, on_start):
    from proofs_check._sweep_worker import run_instance
    from proofs_check.certificate import Certificate

    own_cluster = writer = None
    seen = set(rows)
    pending: dict = {}
    resumed = sum(1 for inst_key in {k for k, _ in rows}
                  if all((inst_key, c) in rows for c in spec.claims))
    done = resumed
    fingerprint = spec.fingerprint()
    try:
        todo = (i for i in iter_instances(spec) if not all((i.key, c) in rows for c in spec.claims))
        first = next(todo, None)
        if first is None:  # everything is in the results file already
            return
        todo = itertools.chain([first], todo)
        if client is None:
            client, own_cluster = _client(distributed, scheduler, workers)
        writer = ResultWriter(out, rows) if out else None
        if on_start is not None:
            on_start(client)
        if window is None:
            threads = sum(client.nthreads().values()) or 1
            window = max(16, 4 * threads)
        ac = distributed.as_completed()
        lost: dict = {}  # task key → how often its finished result was lost with a worker

        def submit_next() -> bool:
            inst = next(todo, None)
            if inst is None:
                return False
            payload = _payload(spec, inst, data_dir, timeout)
            fut = client.submit(run_instance, payload, key=f"symland-sweep-{fingerprint}-{inst.key}")
            pending[fut.key] = (payload, fut)
            ac.add(fut)
            return True

        while len(pending) < window and submit_next():
            pass
        for fut in ac:
            entry = pending.pop(fut.key, None)
            if entry is None:  # a future seen twice (recomputed after a worker's death)
                continue
            payload = entry[0]
            if fut.status == "lost" and lost.get(fut.key, 0) < MAX_LOSSES:
                # its worker died after it finished: the scheduler recomputes it for us; wait for it again
                lost[fut.key] = lost.get(fut.key, 0) + 1
                pending[fut.key] = entry
                ac.add(fut)
                continue
            if fut.status == "lost":
                objs = _lost(payload, f"the dask task's result was lost {MAX_LOSSES + 1} times (its workers died)")
            elif fut.status == "error":
                exc = fut.exception()
                objs = _lost(payload, f"the dask task failed: {type(exc).__name__}: {str(exc)[:300]}")
            elif fut.status == "finished":
                objs = fut.result()
            else:
                raise SymlandError(f"lost the dask task of {payload['key']} ({fut.status}): the scheduler went "
                                   "away? rerun with --resume")
            fut.release()
            for obj in objs:
                key = (obj["instance"], obj["claim"])
                if key in seen:
                    continue
                seen.add(key)
                if writer is not None:
                    writer.add(obj)
                yield Certificate.from_json_obj(obj)
            done += 1
            if progress is not None:
                progress(done, spec.count, resumed)
            submit_next()
    finally:
        if pending and client is not None:
            client.cancel([fut for _, fut in pending.values()], force=True)
        if writer is not None:
            writer.close()
        if own_cluster is not None:
            client.close()
            own_cluster.close()
