"""What a sweep runs on a dask worker: one instance, all its claims, under a per-instance timeout.

The task receives the validated spec and the instance's index (no files: a remote worker need not share the
client's disk), draws the instance's data itself — under the timeout: a huge instance costs the client nothing
and ships nothing before the deadline — and returns the data and the certificates as plain JSON objects, each
with two extra ``details`` lines: the instance's seed and the ``symland verify …`` command that reproduces it.

The timeout. dask runs tasks in worker threads, where ``SIGALRM`` (what :func:`symland.budget.run_until` uses
in the main thread) cannot reach, so :class:`thread_deadline` raises
:class:`~symland.budget.DeadlineExpired` in the task's own thread through ``PyThreadState_SetAsyncExc``: like the
alarm, it interrupts Python code (sympy, the exact kinds) and waits for a single long C call (one flint
operation) to return. A claim stopped by it, and the claims after it, are ``inconclusive`` with the reason.
``--tier auto``'s own fall-back on an overrun (:func:`proofs_check.auto.run_auto`) uses the alarm and so is
inactive here: the planned tier runs until this timeout. What the engine does not finish is never guessed: every claim
gets a certificate, and an unexpected error in
the engine becomes an ``inconclusive`` naming it (the sweep goes on; the exit status is 1).
"""

from __future__ import annotations

import ctypes
import threading
import time
from dataclasses import replace

from symland.budget import DeadlineExpired

__all__ = ["run_instance", "run_batch", "thread_deadline", "warm"]


def _async_raise(thread_id: int, exc_type) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc_type) if exc_type else None)


#: Seconds between two raises of an expired :class:`thread_deadline` whose block has not ended yet.
REFIRE = 0.25


class thread_deadline:  # noqa: N801 - a context manager, like symland.budget.deadline
    """Raise DeadlineExpired in this thread after ``seconds`` (None: never); ``expired`` tells afterwards.

    The exception is swallowed on exit; a pending one not yet delivered when the block ends is cleared, so
    nothing fires after the block. Until the block ends it is raised again every :data:`REFIRE` seconds: an
    asynchronous exception that lands in a ``__del__`` or a weakref callback (run by the garbage collector in
    this thread) is printed and lost there, and the block would run on unbounded.

    >>> import time
    >>> with thread_deadline(0.05) as dl:
    ...     while True:
    ...         time.sleep(0.001)
    >>> dl.expired
    True
    """

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._active = False
        self._timer = None

    def _fire(self) -> None:
        with self._lock:
            if self._active:
                self._fired = True
                _async_raise(self._tid, DeadlineExpired)
                self._timer = threading.Timer(REFIRE, self._fire)  # in case this one is swallowed
                self._timer.daemon = True
                self._timer.start()

    def __enter__(self) -> thread_deadline:
        self._fired = False
        if self.seconds is not None:
            self._tid = threading.get_ident()
            try:
                self._active = True
                self._timer = threading.Timer(self.seconds, self._fire)
                self._timer.daemon = True
                self._timer.start()
            except DeadlineExpired:
                # fired before the block began (a very short deadline): __exit__ would never run and the raises
                # would go on after the block. Stay armed: the next raise (REFIRE s later) lands in the block.
                pass
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._timer is not None:
            while True:  # a raise may land here too, even inside the lock's block: until inactive, retry
                try:
                    with self._lock:
                        self._active = False
                    break
                except DeadlineExpired:
                    exc_type = DeadlineExpired
            try:
                self._timer.cancel()
                if self._fired:
                    _async_raise(self._tid, None)  # clear an exception set but not yet delivered
            except DeadlineExpired:  # delivered just now, inside this method
                exc_type = DeadlineExpired
        if exc_type is DeadlineExpired and self._fired:
            self.expired = True
            return True
        return False


def run_instance(payload: dict) -> dict:
    """``{"data": the instance's {X, Y} (None when drawing it did not finish), "rows": the certificates (JSON
    objects) of ``payload``'s claims on it, in claim order, "certs": the same as
    :class:`~proofs_check.certificate.Certificate` objects, "late": whether the sweep's deadline stopped it}``.

    ``payload``: spec (a validated :class:`~proofs_check.sweep.spec.SweepSpec`), index, key, widths and
    activation (as the client drew them: checked against the draw), claims, tier, timeout (seconds or None: it
    bounds drawing the data too), budget (seconds left of the sweep's deadline, or None: the task stops then too),
    recheck, details (lines appended to every certificate), commands ({claim: the
    reproducing command line}).
    """
    from symland.data import Dataset
    from symland.errors import SymlandError

    from proofs_check.certificate import Certificate
    from proofs_check.claims import plan, run
    from proofs_check.instance import Context, Instance, Timer, inconclusive
    from proofs_check.sweep.spec import draw

    timeout = payload.get("timeout")
    ctx = Context(time_budget=timeout)
    budget = payload.get("budget")  # what was left of the sweep's deadline when the task was sent: no task
    if budget is not None and (timeout is None or budget < timeout):  # outlives its sweep by more than that
        timeout = None  # (the client reports such an instance itself, naming the sweep's --timeout)
    limit = budget if timeout is None else timeout
    certs: dict = {}
    why = inst = drawn = None
    start = Timer()
    with thread_deadline(limit) as dl:
        drawn = draw(payload["spec"], payload["index"])
        if (drawn.key, drawn.widths, drawn.activation) != (payload["key"], tuple(payload["widths"]),
                                                            payload["activation"]):
            raise ValueError(f"sweep: instance {payload['index']} drew {drawn.key} {drawn.widths} "
                             f"{drawn.activation}, the client {payload['key']} {payload['widths']} "
                             f"{payload['activation']} (another version of symland on this worker?)")
        inst = Instance(drawn.key, Dataset.from_rows(drawn.X, drawn.Y), drawn.activation, widths=drawn.widths,
                        tier=payload["tier"])
        plan(ctx, [inst], payload["claims"])  # one analysis serves every claim
        try:
            if inst.tier in ("exact", "symbolic"):  # as verify refuses them, before any claim runs
                from symland.budget import check_size, estimate_for

                check_size(estimate_for(inst.network(), inst.data))
        except SymlandError as exc:
            why = str(exc)
        for cid in payload["claims"]:
            if why is not None:
                break
            timer = Timer()
            try:
                certs[cid] = run([inst], [cid], ctx=ctx)[0]
            except Exception as exc:  # noqa: BLE001 - an engine error is reported, never lost
                certs[cid] = inconclusive(cid, inst, [], timer, f"the engine raised {type(exc).__name__}: {exc}")
    if dl.expired:
        stage = "this check finished" if inst is not None else "its data were drawn (no data file is written)"
        why = (f"stopped: the --timeout of {timeout:g} s for this instance passed before {stage}" if timeout is not None
               else f"stopped: the sweep's --timeout passed before {stage}")
    out = []
    for cid in payload["claims"]:
        if inst is None:
            cert = Certificate(cid, payload["key"], "inconclusive", "none", why, (), {}, start.seconds,
                               expected="proved")
        else:
            cert = certs.get(cid) or inconclusive(cid, inst, [], Timer(), why or "not run")
        extra = tuple(payload.get("details", ()))
        if payload.get("recheck") and cert.verdict in ("proved", "certified", "refuted"):
            extra += (_recheck_line(cert),)
        cert = replace(cert, details=tuple(cert.details) + extra + (f"reproduce: {payload['commands'][cid]}",))
        out.append(cert)
    return {"data": drawn.data_obj() if inst is not None else None, "rows": [c.to_json_obj() for c in out],
            "certs": out, "late": dl.expired and timeout is None}  # stopped by the sweep's deadline: not written


_RUNS = [0]  # instances this process has run: its first one also pays for importing the engine


def run_batch(payloads: list[dict]) -> list[dict]:
    """:func:`run_instance` on each payload in turn, in this one task: small instances travel several to a task,
    so the scheduler, the client and the results' round trips are paid once for all of them (issue 23).

    Each instance keeps its own per-instance timeout. The sweep's budget (seconds left of its deadline when the
    task was sent) shrinks by the time this task has run: an instance reached after it is spent is not started
    and comes back ``late`` (the client reports it, naming the sweep's --timeout). Each result also has
    ``seconds`` (this instance's time here) and ``cold`` (the first instance of this process, importing the
    engine included), from which the client sizes the next tasks. The certificates travel as objects
    (``certs``, unpickled as they were built here) beside their results-file lines (``lines``, JSON text): the
    client neither re-validates nor re-serialises them, it writes and yields them.
    """
    from proofs_check.sweep._results import row_line

    start = time.monotonic()
    out = []
    for payload in payloads:
        budget = payload.get("budget")
        if budget is not None:
            left = budget - (time.monotonic() - start)
            if left <= 0:
                out.append({"data": None, "rows": [], "late": True, "seconds": 0.0, "cold": False})
                continue
            payload = {**payload, "budget": left}
        began = time.monotonic()
        result = run_instance(payload)
        _RUNS[0] += 1
        lines = [row_line(obj, payload["fingerprint"], payload["index"]) for obj in result.pop("rows")]
        out.append({**result, "lines": lines, "seconds": time.monotonic() - began, "cold": _RUNS[0] == 1})
    return out


#: Seconds the warm-up of a local cluster's workers may take at most.
WARM_SECONDS = 2.0


def warm(activations, claims, tier: str) -> None:
    """Run ``claims`` in ``tier`` once per activation on a tiny instance (widths (1, 2, 1), two points), for what it
    leaves behind: the engine's modules imported on first use (sympy's ``simplify`` alone imports
    ``sympy.physics.units``, 0.1 s) and σ's memoised properties. A local cluster's workers forked after it start
    warm: their first instance costs what the others do (issue 23: about 0.2 s of CPU a process before, on
    instances of 20 ms). The verdicts are discarded, and so is any error: only a sweep's own instances count. It
    stops after :data:`WARM_SECONDS` (measured: 0.01–0.35 s for every claim at once, per activation)."""
    from symland.data import Dataset

    from proofs_check.claims import plan, run
    from proofs_check.instance import Context, Instance

    end = time.monotonic() + WARM_SECONDS
    with thread_deadline(WARM_SECONDS):
        for sigma in activations:
            if time.monotonic() > end:
                break
            try:
                inst = Instance("warm-up", Dataset.from_rows([[1], [2]], [[1], [3]]), sigma, widths=(1, 2, 1),
                                tier=tier)
                run([inst], list(claims), ctx=plan(Context(), [inst], list(claims)))
            except DeadlineExpired:
                break
            except Exception:  # noqa: BLE001, S112 - a warm-up that fails leaves the engine as cold as it was
                continue


def _recheck_line(cert) -> str:
    """``recheck: checked`` / ``partial`` / ``unchecked: why`` / ``rejected: why`` — the independent re-checker's
    verdict on the certificate (:func:`proofs_check.recheck.recheck`); an error in it is reported, not hidden."""
    from proofs_check.recheck import recheck

    try:
        result = recheck(cert)
    except Exception as exc:  # noqa: BLE001
        return f"recheck: unchecked: the re-checker raised {type(exc).__name__}: {exc}"
    if not result.ok:
        return "recheck: rejected: " + "; ".join(result.reasons)
    why = "; ".join(result.skipped)[:300]
    return f"recheck: {result.status}" + (f": {why}" if result.status == "unchecked" and why else "")
