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
