"""What the SIGALRM deadlines (:mod:`symland.tiers.budget`, :func:`symland.sigma.kinks.time_limit`) share."""

from __future__ import annotations

import gc

__all__ = ["in_gc_callback"]


def in_gc_callback(frame) -> bool:
    """Whether the interrupted `frame` is a garbage-collector callback (``gc.callbacks``, e.g. a profiler's or
    hypothesis's): an exception raised there is swallowed by Python ("Exception ignored in …"), so an expiry must
    not be raised there but a moment later, in the code it is meant to stop."""
    return frame is not None and any(frame.f_code is getattr(cb, "__code__", None) for cb in gc.callbacks)
