"""A deadline whose alarm lands inside a garbage-collector callback is raised just after it, not swallowed.

Python ignores an exception raised in a gc callback ("Exception ignored in …"): before, a σ decision or a run's
deadline could then run past its limit (seen in CI with hypothesis's gc callback installed).
"""

import gc
import time

import pytest

from symland.sigma.kinks import DecisionTimeout, time_limit
from symland.tiers.budget import DeadlineExpired, deadline


@pytest.fixture
def slow_gc_callback():
    def slow(phase, info):  # holds the interpreter inside the callback well past the deadline
        t = time.monotonic()
        while time.monotonic() - t < 0.3:
            pass

    gc.callbacks.append(slow)
    yield
    gc.callbacks.remove(slow)


def _busy(seconds):
    t = time.monotonic()
    while time.monotonic() - t < seconds:
        pass


@pytest.mark.parametrize("limit, error", [(lambda: time_limit(0.05), DecisionTimeout),
                                          (lambda: deadline(0.05), DeadlineExpired)])
def test_an_expiry_during_a_gc_callback_is_raised_right_after_it(slow_gc_callback, limit, error):
    start = time.monotonic()
    with pytest.raises(error):
        with limit():
            gc.collect()  # the alarm fires while `slow` runs
            _busy(3)  # swallowed, the block would run all of this
    assert time.monotonic() - start < 1.5


def test_frames_the_collector_runs_are_recognised_and_ordinary_ones_are_not():
    import sys
    import weakref

    from symland._signals import in_gc_callback

    seen = []

    class Obj:
        pass

    a = Obj()
    weakref.finalize(a, lambda: seen.append(("finalize", in_gc_callback(sys._getframe()))))
    keyed = weakref.WeakKeyDictionary()
    b = Obj()
    keyed[b] = 1

    class Dying:
        def __del__(self):
            seen.append(("__del__", in_gc_callback(sys._getframe())))

    c = Dying()
    del a, b, c
    gc.collect()
    assert ("finalize", True) in seen and ("__del__", True) in seen and len(keyed) == 0
    assert not in_gc_callback(sys._getframe())  # the test itself: an expiry is raised here at once
