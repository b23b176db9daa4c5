"""The local cluster's start-up put to work (issue 23): while the client imports dask.distributed and starts its
LocalCluster (measured: about 0.8 s — the import 0.35–0.45 s of CPU, the workers' warm-up 0.2 s, the cluster's start
0.2–0.35 s of wall, mostly waiting for the workers — most of the wall time a sweep of light instances lost to a plain
``multiprocessing.Pool``, the other core idle), one process forked from the client runs instances from the head of
the same queue.

:class:`Instances` is that queue: the indices not yet sent, taken under a lock by the head start's thread and by
the client's loop, so every instance is taken exactly once. :class:`HeadStart` forks the process (before dask is
imported: the fork is a few ms, and the engine, when the client has imported it, comes with it) and feeds it from a
thread of the client (short instances two at a time, so the process does not wait for the client's busy
interpreter between two). Once the cluster is up the client calls :meth:`HeadStart.stop`: the instances already sent
finish, none is taken after.

What comes back (:meth:`HeadStart.finished`) is, per instance, what :func:`~proofs_check.sweep._worker.run_batch`
returns for it — the same certificates and results-file lines as from a dask task — or the error it raised, or
``None`` when the process died (the client sends that instance again on dask, one to a task). The process ignores
SIGINT (Ctrl-C is the client's, as for the cluster's processes) and is killed by :meth:`HeadStart.close`.
"""

from __future__ import annotations

import collections
import itertools
import threading
from collections.abc import Callable, Iterable

__all__ = ["Instances", "HeadStart", "AHEAD"]

#: Instances in the head start's process at most: one running, one waiting in the pipe — while they are short
#: (under :data:`SHORT` seconds), so that the process does not wait for the client's busy interpreter between two;
#: a longer one goes alone, so that none waits in the pipe to run after the cluster is up.
AHEAD = 2
SHORT = 0.1


class Instances:
    """The instances not yet sent, as a queue two threads take from; ``left`` counts them."""

    def __init__(self, indices: Iterable[int], count: int):
        self._it = iter(indices)
        self._lock = threading.Lock()
        self.left = count

    def take(self, n: int) -> list[int]:
        """Up to ``n`` indices, in order; none once the queue is empty."""
        with self._lock:
            got = list(itertools.islice(self._it, n))
            self.left -= len(got)
            return got

    def rest(self) -> Iterable[int]:
        """Every index left, taken one by one (the queue may hold 10⁶)."""
        while got := self.take(1):
            yield got[0]


def _serve(conn, common: dict) -> None:
    """The head start's process: each message is a payload list for ``run_batch``, less ``common`` (inherited at
    the fork, not sent each time); ``None`` ends it."""
    import signal

    from proofs_check.sweep._worker import run_batch

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            payloads = conn.recv()
        except (EOFError, OSError):
            return
        if payloads is None:
            return
        try:
            reply = ("ok", run_batch([{**common, **payload} for payload in payloads]))
        except Exception as exc:  # noqa: BLE001 - reported for its instance, as a failed dask task is
            reply = ("error", f"{type(exc).__name__}: {str(exc)[:300]}")
        conn.send(reply)


class HeadStart:
    """One process forked from the client, running the instances ``take()`` gives (a payload, or None: no more)
    until :meth:`stop`. ``common``: the entries every payload has alike (the spec, which may hold data sets): the
    process inherits them at the fork, and they are not sent with each instance — so what the client sends is a
    few hundred bytes, and never waits on a process that is itself waiting to send a result."""

    def __init__(self, take: Callable[[], dict | None], common: dict):
        import multiprocessing

        from proofs_check.sweep._quiet import quiet_children

        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe()
        with quiet_children():
            self._proc = ctx.Process(target=_serve, args=(child, common), name="symland-sweep-head-start", daemon=True)
            self._proc.start()
        child.close()
        self._take = take
        self._common = common
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._done: list = []  # (payload, ("ok", results) | ("error", why) | None: the process died)
        self._sent: collections.deque = collections.deque()
        self._thread = threading.Thread(target=self._feed, name="symland-sweep-head-start", daemon=True)
        self._thread.start()

    def _send_next(self) -> bool:
        payload = None if self._stopping.is_set() else self._take()
        if payload is None:
            return False
        self._sent.append(payload)
        self._conn.send([{k: v for k, v in payload.items() if k not in self._common}])
        return True

    def _feed(self) -> None:
        try:
            ahead = 1  # the first instance's time is not known
            self._send_next()
            while self._sent:
                try:
                    reply = self._conn.recv()
                except (EOFError, OSError):  # died, or killed by close()
                    with self._lock:
                        self._done.extend((payload, None) for payload in self._sent)
                    self._sent.clear()
                    return
                with self._lock:
                    self._done.append((self._sent.popleft(), reply))
                short = reply[0] == "ok" and all(r.get("cold") or r["seconds"] < SHORT for r in reply[1])
                ahead = AHEAD if short else 1
                while len(self._sent) < ahead and self._send_next():
                    pass
        except OSError:  # the pipe broke on sending: the process died
            with self._lock:
                self._done.extend((payload, None) for payload in self._sent)
            self._sent.clear()
        finally:
            try:
                self._conn.send(None)
            except OSError:
                pass

    def stop(self) -> None:
        """Take no more instances; those sent finish."""
        self._stopping.set()

    def finished(self, wait: bool = False) -> list:
        """The instances finished since the last call, as ``(payload, reply)``; ``wait``: also wait for those still
        running (after :meth:`stop`), so that none is left."""
        if wait:
            self._thread.join()
        with self._lock:
            done, self._done = self._done, []
        return done

    @property
    def pid(self) -> int | None:
        """The process's id."""
        return self._proc.pid

    @property
    def running(self) -> bool:
        """Whether instances are still running or to be taken."""
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop and kill the process (what it was running comes back as died); idempotent."""
        self._stopping.set()
        if self._proc.is_alive():
            self._proc.kill()
        self._thread.join()
        self._proc.join()
        self._conn.close()
