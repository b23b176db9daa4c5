"""How many instances one dask task of a sweep carries (issue 23: light instances, one to a task, spent more time
in the scheduler, the client and the round trips than in the engine — a sweep slower than a serial loop).

A task carries about :data:`TARGET` seconds of work, measured on the instances already done (the first instance
of each worker process pays for importing the engine and is not counted), and never more than a fair share of
what is left — every worker keeps at least two tasks to the end, so none sits idle while another finishes a long
batch. Until a measurement arrives, a task carries one instance: a heavy instance is never batched blind.

>>> sizes = Batches(threads=2)
>>> sizes.next(left=200)
1
>>> sizes.record({"seconds": 0.02, "cold": False, "late": False})
>>> sizes.next(left=200), sizes.next(left=20)
(50, 5)
>>> sizes.record({"seconds": 3.0, "cold": False, "late": False})
>>> sizes.next(left=200)
1
"""

from __future__ import annotations

__all__ = ["Batches", "TARGET", "MAX_BATCH"]

#: Seconds of engine work one task carries (the per-task cost, some ms of CPU, is then ~1 %; measured: 2 s used
#: 5–10 % less CPU than 1 s on 200 light instances, interleaved runs).
TARGET = 2.0
#: Instances one task carries at most.
MAX_BATCH = 256


class Batches:
    """The batch size for the next task, from the instances measured so far (:meth:`record`)."""

    def __init__(self, threads: int):
        self.threads = max(1, threads)
        self.seconds = 0.0
        self.measured = 0

    def record(self, result: dict) -> None:
        """Count one instance's result (a :func:`~proofs_check.sweep._worker.run_batch` entry)."""
        if not result.get("cold") and not result.get("late") and "seconds" in result:
            self.seconds += result["seconds"]
            self.measured += 1

    def next(self, left: int) -> int:
        """Instances for the next task, ``left`` instances not yet sent."""
        if self.measured == 0:
            return 1
        per = max(self.seconds / self.measured, 1e-4)
        return max(1, min(MAX_BATCH, int(TARGET / per), left // (2 * self.threads)))
