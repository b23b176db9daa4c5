"""The dask client of a sweep: connected to ``--scheduler``, or to a local cluster started here — its workers forked
warm from this process and its housekeeping made infrequent (issue 23) — and the dashboard's address."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from symland.errors import InputError

from proofs_check.sweep._quiet import quiet_children as _quiet_children

__all__ = ["client", "dashboard_link", "LOCAL_CONFIG"]

#: dask's settings for the local cluster (read when it starts; its processes keep them). Besides forking warm
#: workers: dask's statistical profiler, which samples every worker thread, is off, the event-loop tick (a health
#: measure) and the system monitor (figures for the dashboard) run every 1 s and 5 s instead of 20 ms and 0.5 s,
#: and the memory monitor (which restarts a worker above its limit) every 0.5 s instead of 0.1 s — measured idle,
#: the cluster's own CPU went from about 0.13 s to 0.03 s a second on this machine's 2 cores, which the work shares.
LOCAL_CONFIG = {"distributed.worker.multiprocessing-method": "fork", "distributed.worker.profile.enabled": False,
                "distributed.admin.tick.interval": "1s", "distributed.admin.system-monitor.interval": "5s",
                "distributed.worker.memory.monitor-interval": "500ms"}


def client(distributed, scheduler: str | None, workers: int | None, connect_timeout: str = "20s",
           warm: Callable[[], None] | None = None):
    """(client, cluster we started or None); ``warm`` runs before a local cluster's workers are forked."""
    if scheduler:
        from dask.utils import parse_timedelta

        from proofs_check.sweep._quiet import not_a_scheduler

        why = not_a_scheduler(scheduler, parse_timedelta(connect_timeout))
        if why:
            raise InputError(f"--scheduler {scheduler}: {why}")
        try:
            return distributed.Client(scheduler, timeout=connect_timeout), None
        except (OSError, TimeoutError, ValueError, MemoryError) as exc:
            raise InputError(f"--scheduler {scheduler}: cannot connect ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else 'no answer'})") from None
    # loopback only, a free port each (the HTTP server runs even without bokeh; :8787 may be taken). On Linux the
    # workers are forked from this process with the engine already imported (issue 23: spawned, each imported dask
    # and the engine anew — about a second of CPU each, and seconds of wall time, before its first instance); one
    # that dies is restarted by its nanny as dask configures it (spawned by default).
    import dask

    import proofs_check.claims  # noqa: F401 - imported here once, inherited by the forked workers
    import proofs_check.sweep._worker  # noqa: F401

    if warm is not None:
        warm()

    config = dict(LOCAL_CONFIG)
    if not sys.platform.startswith("linux"):  # fork with threads is unsafe on macOS: dask's default (spawn) there
        config.pop("distributed.worker.multiprocessing-method")
    with _quiet_children(), dask.config.set(config):
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
