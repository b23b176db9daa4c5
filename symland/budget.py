"""Bounded work: estimate an exact computation's size before starting it, and stop a run at a deadline.

Exact arithmetic never gives a wrong answer, but it can take hours or exhaust memory. Two guards:

* :func:`estimate_exact` predicts, from the shapes alone (n parameters, dℓ residuals, the depth, the bits of the
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
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence, TypeVar

from symland.errors import TooLargeError

__all__ = ["Estimate", "estimate_exact", "estimate_for", "check_size", "run_until", "deadline", "DeadlineExpired",
           "MAX_BIT_OPS", "MAX_BITS", "MAX_MEMORY", "MAX_SECONDS", "HESSIAN_LIMIT", "DEFAULT_TIMEOUT", "MEMORY_LIMIT", "memory_limit"]

#: The deadline of every CLI command when ``--timeout`` is not given (seconds).
DEFAULT_TIMEOUT = 600.0
#: The address space a CLI command may use (bytes): past it, allocations fail with MemoryError.
MEMORY_LIMIT = 8 * 2**30

#: Refuse when the estimated work (operations × bits per number) is beyond this: about ten minutes here.
MAX_BIT_OPS = 10**10
#: Refuse when the numbers held at once (entries × bits) are beyond this: about 1 GB.
MAX_BITS = 8 * 10**9
#: The Hessians of the f_r are built exactly only up to this n (as Proposition 2.3 does).
HESSIAN_LIMIT = 150
#: Refuse when the predicted peak memory is beyond this: below the address-space cap of every CLI command
#: (MEMORY_LIMIT, virtual memory, which runs ahead of the resident peak the estimate predicts).
MAX_MEMORY = 6 * 2**30
#: Refuse when the predicted time is beyond this (a --timeout bounds any run anyway).
MAX_SECONDS = 2 * 3600
#: d·n above which the claims at a point take the at-scale routes (proofs_check._at_scale.SCALE_ENTRIES).
SCALE_ENTRIES = 1_000_000

# Calibration (benchmarks/bench_scale.py, 2026-11-29, 2 shared cores; seconds include ~2 s of interpreter and
# sympy start-up, memory ~90 MB of loaded libraries). General route: the exact passes, t ≈ bit_ops / RATE.
BASE_SECONDS, BASE_MEMORY = 2.2, 85 * 2**20
RATE = 6.6e8  # bit operations per second of the general exact passes (d = 200: 8.4e9 in 12.8 s)

T = TypeVar("T")


@dataclass(frozen=True)
class Estimate:
    """The predicted size of the exact at-point computation: n, m = dℓ, entries held, bits per number, ops;
    ``seconds`` and ``memory`` (bytes, peak) as predicted for ``route`` (general, constructed-at-scale,
    given-mod-p)."""

    n: int
    m: int
    entries: int
    bits: int
    ops: int
    seconds: float = 0.0
    memory: float = 0.0
    route: str = "general"

    @property
    def bit_ops(self) -> int:
        return self.ops * self.bits

    @property
    def memory_bits(self) -> int:
        return self.entries * self.bits

    def describe(self) -> str:
        """e.g. ``n = 11301 parameters, dℓ = 100 residuals: ~1.1e+06 exact operations on ~192-bit numbers``."""
        if self.route != "general":
            return (f"n = {self.n} parameters, dℓ = {self.m} residuals ({self.route} route): predicted "
                    f"~{self.seconds:.0f} s and ~{self.memory / 2**20:.0f} MiB")
        return (f"n = {self.n} parameters, dℓ = {self.m} residuals: ~{self.ops:.1e} exact operations on "
                f"~{self.bits}-bit numbers (~{self.bit_ops:.1e} bit operations, ~{self.memory_bits / 8e6:.0f} MB; "
                f"predicted ~{self.seconds:.0f} s, ~{self.memory / 2**20:.0f} MiB)")


def estimate_exact(widths: Sequence[int], d: int, *, data_bits: int = 64, point_bits: int | None = None,
                   degree: int = 1, polynomial: bool = True, hessian: bool = True, n: int | None = None) -> Estimate:
    """The size of H, J_H (and the Hessians when n ≤ :data:`HESSIAN_LIMIT`) at a point of ``mlp(widths)``.

    Args:
        widths: p, h_1, …, h_T, ℓ.
        d: the number of data points.
        data_bits: the most bits (numerator + denominator) of a data value.
        point_bits: the same for the point; None for a constructed point (estimated from the data).
        degree: the degree of σ's polynomial pieces (1 when not polynomial).
        polynomial: False when σ's values are sums of exponentials (the number of terms grows with the width).
        hessian: whether the Hessians may be built.
        n: the number of parameters, for a general network whose widths only give the depth.
    """
    widths = [int(w) for w in widths]
    if n is None:
        n = sum(widths[k] * (widths[k - 1] + 1) for k in range(1, len(widths)))
    m = d * widths[-1]
    if point_bits is None:  # the construction solves a triangular system: bits grow with d
        point_bits = (data_bits + 2) * degree + 2 * max(1, d).bit_length()
    bits = max(data_bits, 1)
    for k in range(1, len(widths) - 1):  # hidden layers: σ of degree `degree` after an affine map
        bits = max(1, degree) * (bits + point_bits + max(1, widths[k - 1]).bit_length())
    bits += point_bits + max(1, widths[-2]).bit_length()
    terms = 1 if polynomial else min(max(widths[1:-1], default=1), 10**4)
    bits = max(64, bits) * terms
    ops = m * n * (1 + (n if hessian and n <= HESSIAN_LIMIT else 0))
    entries = m * n * (1 + (n if hessian and n <= HESSIAN_LIMIT else 0))
    seconds = BASE_SECONDS + ops * bits / RATE
    memory = BASE_MEMORY + entries * (bits / 8 + 64)  # 64 bytes of Python object per exact number
    return Estimate(n, m, entries, bits, ops, seconds, memory)


# The at-scale routes (proofs_check._at_scale), fitted on the scaling table:
#  constructed point: O(d) big-number steps on numbers of ~β·d bits (β bits per row of the triangular solve),
#  O(h·d) small exact values and a d × d minor mod p (numpy, nmod_mat det O(d³) word operations);
#  given point: the exact forward pass, then J_H mod p as a d·n int64 array (twice, with temporaries).
SCALE_CONSTRUCTED = {"d2": 5.5e-6, "d3": 6e-9, "bytes_d2": 140.0, "bytes_hd": 0.0}
SCALE_GIVEN = {"n": 6e-5, "dn": 2.5e-7, "bytes_dn": 17.0, "bytes_n": 400.0}


def _scale_estimate(route: str, widths, d: int, n: int, l: int, base: Estimate) -> Estimate:
    hidden = sum(widths[1:-1])
    if route == "constructed":
        c = SCALE_CONSTRUCTED
        seconds = BASE_SECONDS + c["d2"] * d * d + c["d3"] * d**3
        memory = BASE_MEMORY + c["bytes_d2"] * d * d + c["bytes_hd"] * hidden * d
    else:
        c = SCALE_GIVEN
        seconds = BASE_SECONDS + c["n"] * n + c["dn"] * d * l * n + 1e-6 * hidden * d
        memory = BASE_MEMORY + c["bytes_dn"] * d * l * n + c["bytes_n"] * n
    return Estimate(n, d * l, base.entries, base.bits, base.ops, seconds, memory, route)


def _bits(values) -> int:
    out = 1
    for v in values:
        p, q = (int(v.p), int(v.q)) if hasattr(v, "q") else (int(v), 1)
        out = max(out, p.bit_length() + q.bit_length())
    return out


def estimate_for(network, data, *, point: dict | None = None, hessian: bool = True) -> Estimate:
    """:func:`estimate_exact` for a symland network (``mlp`` or DAG) and :class:`~symland.data.Dataset`."""
    sigma = network.activation
    degree, polynomial = 1, True
    coeffs = [sigma.rational_coeffs(side) for side in (False, True)]
    if all(c is not None for c in coeffs):
        degree = max(1, max(len(c) for c in coeffs) - 1)
    else:
        polynomial = False
    data_bits = _bits([v for row in data.X for v in row] + [v for row in data.Y for v in row])
    point_bits = None
    if point:
        from fractions import Fraction

        lengths = []
        for v in point.values():
            try:
                lengths.append(_bits([Fraction(str(v))]))
            except (ValueError, ZeroDivisionError):  # not a plain rational (e.g. exp terms): its text length
                lengths.append(4 * len(str(v)))
        point_bits = max(lengths, default=1)
    widths = getattr(network, "widths", None)
    route = _route(network, data, sigma, point) if widths is not None else "general"
    if widths is None:  # a general DAG: its longest path stands for the depth
        depth = max(2, int(getattr(network, "depth", 2)))
        widths = [data.p] + [max(1, network.n // depth)] * (depth - 1) + [data.l]
    est = estimate_exact(widths, data.d, data_bits=data_bits, point_bits=point_bits, degree=degree,
                         polynomial=polynomial, hessian=hessian, n=network.n)
    if route != "general":
        est = _scale_estimate(route, list(widths), data.d, network.n, data.l, est)
    return est


def _route(network, data, sigma, point) -> str:
    """Which route the claims at a point take (as proofs_check._at_scale decides), for the cost model."""
    if network.n * data.d * data.l <= SCALE_ENTRIES or len(network.widths) < 3:
        return "general"
    if point:
        return "given-mod-p" if sigma.is_rational_valued else "general"
    from symland.atscale import rectified_polynomial

    ok = (data.l == 1 and getattr(network, "bias", True) and network.widths[-2] >= data.d
          and rectified_polynomial(sigma) is not None)
    return "constructed" if ok else "general"


def check_size(est: Estimate, *, max_bit_ops: int | None = None, max_bits: int | None = None,
               max_memory: float = MAX_MEMORY, max_seconds: float = MAX_SECONDS) -> None:
    """Refuse an exact computation predicted not to fit: peak memory beyond ``max_memory`` (6 GiB, under the
    8 GiB address-space cap of a CLI command) or time beyond ``max_seconds`` (the CLI passes its --timeout). ``max_bit_ops`` / ``max_bits``, when given, also bound the raw
    size of the general route (operations × bits; entries × bits).

    Raises:
        TooLargeError: naming the estimate, the limit, and the cheaper tiers.
    """
    what = ""
    if max_bit_ops is not None and est.bit_ops > max_bit_ops:
        what = f"~{est.bit_ops:.1e} bit operations > limit {max_bit_ops:.0e}"
    elif max_bits is not None and est.memory_bits > max_bits:
        what = f"~{est.memory_bits / 8e6:.0f} MB of exact numbers > limit {max_bits / 8e6:.0f} MB"
    elif est.memory > max_memory:
        what = f"predicted peak memory ~{est.memory / 2**30:.1f} GiB > limit {max_memory / 2**30:.0f} GiB"
    elif est.seconds > max_seconds:
        what = f"predicted ~{est.seconds:.0f} s > limit {max_seconds:.0f} s"
    if not what:
        return
    more = " or a larger --timeout" if est.seconds > max_seconds and est.memory <= max_memory else ""
    raise TooLargeError(f"exact computation too large: {est.describe()}; {what}; use --tier ball or --tier float "
                        f"(rigorous enclosures or floating point){more} or a smaller instance")


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
