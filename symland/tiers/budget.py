"""Bounded work: estimate an exact computation's size before starting it, and stop a run at a deadline.

Exact arithmetic never gives a wrong answer, but it can take hours or exhaust memory. Two guards:

* :func:`estimate_exact` (the one cost model, :mod:`symland.tiers.cost`, re-exported here) predicts, from the shapes
  alone (n parameters, dℓ residuals, the depth, the bits of the
  data and of the point, σ's degree), how many exact operations the at-point maps of Section 2 need and how many
  bits they hold; :func:`check_size` refuses with a :class:`~symland.errors.TooLargeError` that names the estimate
  and suggests a cheaper tier. The model is deliberately rough (an order of magnitude): the exact passes cost about
  dℓ·n operations for J_H and dℓ·n² for the Hessians of the f_r (built only when n ≤ 150), each on numbers of
  about B bits, where B grows by the degree of σ per hidden layer and by the number of exponential terms when σ is
  not piecewise polynomial (smooLU: values in Q[e^Q]).
* :func:`deadline` bounds a block: :class:`DeadlineExpired` is raised inside it when the time is up. Deadlines
  nest (an inner one never outlives the outer). Every command of the CLI runs under one (``--timeout``, default
  :data:`DEFAULT_TIMEOUT` seconds).
* :func:`run_until` runs tasks one after the other until a deadline; the task in progress when it passes and
  all later ones get a substitute result (the caller's ``inconclusive`` certificate). The deadline interrupts
  Python code through ``SIGALRM`` (main thread, POSIX); a single long library call finishes before the interrupt
  is seen. Elsewhere the deadline is checked between tasks.

>>> est = estimate_exact([2, 5, 1], d=4, data_bits=8, degree=3)
>>> est.n, est.m, est.ops
(21, 4, 1848)
>>> check_size(est) is None
True
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from contextlib import contextmanager
from typing import TypeVar

from symland._signals import in_gc_callback
from symland.tiers.cost import (  # noqa: F401
    HESSIAN_LIMIT,
    MAX_BIT_OPS,
    MAX_BITS,
    MAX_MEMORY,
    MAX_SECONDS,
    Estimate,
    check_size,
    estimate_exact,
    estimate_for,
)

__all__ = ["Estimate", "estimate_exact", "estimate_for", "check_size", "run_until", "deadline", "DeadlineExpired",
           "MAX_BIT_OPS", "MAX_BITS", "MAX_MEMORY", "MAX_SECONDS", "HESSIAN_LIMIT", "DEFAULT_TIMEOUT", "MEMORY_LIMIT",
           "memory_limit"]

#: The deadline of every CLI command when ``--timeout`` is not given (seconds).
DEFAULT_TIMEOUT = 600.0
#: The address space a CLI command may use (bytes): past it, allocations fail with MemoryError.
MEMORY_LIMIT = 8 * 2**30

T = TypeVar("T")


class DeadlineExpired(BaseException):
    """Raised inside a task when the deadline of :func:`run_until` passes (a BaseException, so that the
    task's own ``except Exception`` handlers do not swallow it)."""


_ACTIVE: list[tuple[object, float]] = []  # the active deadlines (token, time.monotonic() end), innermost last
_REPEAT = 1.0  # seconds: an expiry swallowed somewhere (a __del__, a gc callback) is raised again after this


def _alarm_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _raise(signum, frame):
    if not _ACTIVE:  # a stray alarm after the last deadline was left
        return
    if in_gc_callback(frame):
        signal.setitimer(signal.ITIMER_REAL, 0.01)
        return
    if frame is not None and frame.f_code in _LEAVING:  # a block being left: its exit disarms or re-arms
        if _ACTIVE:  # should the exit have re-armed already, keep the enclosing deadline alive
            _arm(_ACTIVE[-1][1])
        return
    signal.setitimer(signal.ITIMER_REAL, _REPEAT)  # again, until the deadline's block is left
    raise DeadlineExpired()


def _arm(end: float) -> None:
    signal.setitimer(signal.ITIMER_REAL, max(end - time.monotonic(), 1e-4))


def _check_seconds(seconds) -> None:
    if isinstance(seconds, bool) or not (isinstance(seconds, (int, float)) and math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"seconds: expected a positive number, got {seconds!r}")


_SAVED: list = []  # the SIGALRM handler in place before the outermost deadline


def _leave(token: object) -> None:
    """Disarm; forget `token` and any inner deadline left behind; re-arm the enclosing deadline, or restore the
    old handler. An expiry arriving meanwhile is dropped and the steps redone: no stale timer or handler survives."""
    while True:
        try:
            keys = [a[0] for a in _ACTIVE]
            if token in keys:
                del _ACTIVE[keys.index(token):]
            if _ACTIVE:  # (an alarm from here on raises for the enclosing deadline, which is still running)
                _arm(_ACTIVE[-1][1])
            else:  # (an alarm from here on is ignored by _raise: nothing re-arms the timer)
                signal.setitimer(signal.ITIMER_REAL, 0)
                if _SAVED:
                    signal.signal(signal.SIGALRM, _SAVED.pop())
            return
        except DeadlineExpired:
            continue


class deadline:  # noqa: N801 -- used like a function: ``with deadline(5): ...``
    """Raise :class:`DeadlineExpired` inside the block once ``seconds`` have passed (None: no deadline).

    Through ``SIGALRM`` in the main thread (POSIX); elsewhere the block runs unbounded and the callers check the
    time between steps. Nested deadlines keep the earliest end; leaving an inner one re-arms the outer. If the
    exception is swallowed inside the block, it is raised again every second until the block is left. A class,
    not a generator: nothing of a deadline can outlive its ``with`` statement.

    With ``swallow=True`` the block's *own* expiry ends the block quietly and sets ``expired`` (an enclosing
    deadline that falls first still propagates): ``with deadline(5, swallow=True) as dl: work()``, then
    ``dl.expired``, ``dl.elapsed``; ``dl.bounded`` is False where no alarm is available.

    >>> with deadline(5):
    ...     1 + 1
    2
    >>> with deadline(None, swallow=True) as dl:
    ...     x = 1
    >>> dl.expired, dl.bounded
    (False, False)
    """

    def __init__(self, seconds: float | None, *, swallow: bool = False):
        if seconds is not None:
            _check_seconds(seconds)
        self.seconds = seconds
        self.swallow = swallow
        self.token = None
        self.expired = False
        self.bounded = False
        self.elapsed = 0.0
        self._own = False  # this deadline's end is the binding one (no enclosing deadline ends earlier)

    def __enter__(self) -> deadline:
        self._start = time.monotonic()
        if self.seconds is None or not _alarm_usable():
            return self
        end = self._start + self.seconds
        self.token = object()
        self._own = not _ACTIVE or end <= _ACTIVE[-1][1]
        try:
            if _ACTIVE:
                end = min(end, _ACTIVE[-1][1])
            else:
                _SAVED[:] = [signal.signal(signal.SIGALRM, _raise)]
            _ACTIVE.append((self.token, end))
            _arm(end)
        except DeadlineExpired:  # the enclosing deadline passed while entering
            _leave(self.token)
            raise
        self.bounded = True
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self.token is not None:
            _leave(self.token)
        self.elapsed = time.monotonic() - self._start
        if (self.swallow and self._own and exc_type is DeadlineExpired
                and self.elapsed >= self.seconds - 1e-3):
            self.expired = True
            return True
        return False


#: Code that leaves a deadline: an alarm landing there (even on its first instruction) must not interrupt it.
_LEAVING = (deadline.__exit__.__code__, _leave.__code__)


@contextmanager
def memory_limit(nbytes: int = MEMORY_LIMIT):
    """Cap this process's address space at ``nbytes`` inside the block (POSIX ``RLIMIT_AS``; a no-op elsewhere).

    Work on user input that grows without bound (sympy on a custom σ, huge exact numbers) then ends with
    ``MemoryError`` instead of exhausting the machine. A lower limit already in place is kept; the previous soft
    limit is restored on exit.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = nbytes if hard == resource.RLIM_INFINITY else min(nbytes, hard)
    lowered = soft == resource.RLIM_INFINITY or cap < soft
    if lowered:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        if lowered:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_until(tasks: Sequence[tuple[Hashable, Callable[[], T]]], seconds: float | None,
              timed_out: Callable[[Hashable, str], T], *, named: float | None = None) -> tuple[list[T], bool]:
    """Run ``tasks`` ((key, thunk) pairs) in order until ``seconds`` have passed.

    Returns:
        (results in task order, whether the deadline passed). A task interrupted by the deadline, and every
        later one, is replaced by ``timed_out(key, reason)``.

    >>> run_until([("a", lambda: 1), ("b", lambda: 2)], None, lambda k, why: None)
    ([1, 2], False)
    """
    if seconds is None:
        return [thunk() for _, thunk in tasks], False
    _check_seconds(seconds)
    end = time.monotonic() + seconds
    results: list = []
    expired = False
    for key, thunk in tasks:
        left = end - time.monotonic()
        if expired or left <= 0:
            expired = True
            results.append(timed_out(key, f"not started: the --timeout of {named or seconds:g} s had passed"))
            continue
        try:
            with deadline(left):
                results.append(thunk())
        except DeadlineExpired:
            expired = True
            results.append(timed_out(key, f"stopped: the --timeout of {named or seconds:g} s passed during this check"))
    return results, expired
