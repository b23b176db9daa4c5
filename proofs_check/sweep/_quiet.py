"""Quiet ends for a sweep's local dask cluster — Ctrl-C is the client's to handle, and an orderly shutdown (tasks
cancelled, workers closed) prints no dask warnings — and a plain answer when ``--scheduler`` is not a dask
scheduler (:func:`not_a_scheduler`)."""

from __future__ import annotations

import contextlib
import os
import threading

__all__ = ["quiet_children", "quiet_shutdown", "not_a_scheduler"]

_LOG_ENV = "DASK_LOGGING__DISTRIBUTED"


@contextlib.contextmanager
def quiet_children():
    """While the local cluster's processes start: they inherit SIGINT ignored — Ctrl-C on a terminal signals the
    whole process group, and only this process, which cancels the tasks and closes the cluster, should act on it —
    and dask's log level ``error`` (``DASK_LOGGING__DISTRIBUTED``, read when they import distributed), so that the
    warnings of an orderly shutdown (tasks cancelled, workers closed) are not printed; a worker forked from this
    process, which imports nothing anew, inherits the ``distributed`` logger's level instead, set to ``error`` here
    too. All is restored here."""
    import logging
    import signal

    main = threading.current_thread() is threading.main_thread()
    old_handler = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    old_env = os.environ.get(_LOG_ENV)
    os.environ[_LOG_ENV] = os.environ.get(_LOG_ENV, "error")
    logger = logging.getLogger("distributed")
    old_level = logger.level
    if old_env is None:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old_level)
        if old_env is None:
            os.environ.pop(_LOG_ENV, None)
        else:
            os.environ[_LOG_ENV] = old_env
        if main:
            signal.signal(signal.SIGINT, old_handler)


@contextlib.contextmanager
def quiet_shutdown():
    """This process's dask loggers at ``error`` while a sweep ends (normally, by its deadline or by Ctrl-C):
    closing a cluster with tasks in flight is routine here, not something to warn about."""
    import logging

    loggers = [logging.getLogger(name) for name in ("distributed", "tornado")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _frame_header(data: bytes) -> bool:
    """Whether ``data`` starts as dask's TCP messages do: an 8-byte little-endian message length, then an 8-byte
    frame count (a scheduler sends its handshake, one small message, as soon as a connection is accepted)."""
    if len(data) < 16:
        return False
    length, frames = int.from_bytes(data[:8], "little"), int.from_bytes(data[8:16], "little")
    return 8 <= length < 2**20 and 1 <= frames < 2**10


def not_a_scheduler(address: str, timeout: float) -> str | None:
    """Why ``address`` (``tcp://host:port`` or ``host:port``) is not a dask scheduler, or None when it greets as one
    (or the address is of another protocol, left to dask). Connection errors are left to dask's own message.

    A dask scheduler sends its handshake as soon as it accepts a connection; a server that sends nothing within
    ``timeout`` seconds (an HTTP server waits for a request), or bytes that are not a dask message (SSH's banner),
    is something else — without this check, dask waits for, or tries to allocate, a message that never comes.
    """
    import socket

    rest = address[len("tcp://"):] if address.startswith("tcp://") else address
    if "://" in rest or ":" not in rest:
        return None
    host, _, port = rest.rpartition(":")
    host = host.strip("[]")
    if not port.isdigit():
        return None
    try:
        conn = socket.create_connection((host, int(port)), timeout=timeout)
    except OSError:
        return None  # refused, unreachable, unknown host: dask says "cannot connect"
    with conn:
        conn.settimeout(timeout)
        try:
            data = conn.recv(64)
        except TimeoutError:
            return (f"not a dask scheduler: it accepted the connection but sent nothing in {timeout:g} s (a dask "
                    "scheduler greets at once; the address of `dask scheduler` is tcp://host:8786 by default)")
        except OSError as exc:
            return f"not a dask scheduler: the connection failed on reading ({exc.strerror or exc})"
    if not _frame_header(data):
        shown = data[:40].decode("ascii", "replace").strip() or "nothing: it closed the connection"
        return (f"not a dask scheduler: it answered {shown!r}, not a dask message (the address of `dask scheduler` "
                "is tcp://host:8786 by default)")
    return None
