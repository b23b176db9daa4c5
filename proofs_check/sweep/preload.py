"""``dask worker --preload proofs_check.sweep.preload``: a worker of an existing cluster (``symland sweep
--scheduler``) imports the engine and warms it when it starts, so that its first instance does not pay for it
(issue 23: about 1 s of CPU for the import and 0.2 s for what the engine imports on first use — on instances that
may take 20 ms). A local cluster's workers need none of this: they are forked from the client warm.

dask calls :func:`dask_setup` once per worker process as the worker starts (dask's preload protocol). The warm-up is
:func:`proofs_check.sweep._worker.warm` with every claim in the tier ``auto`` on rectpow3 and smoolu (the worker
does not know the spec yet); what it leaves imported serves every spec.
"""

from __future__ import annotations

__all__ = ["dask_setup"]


def dask_setup(worker=None) -> None:
    """Import the engine and warm it (the worker itself is not used)."""
    from proofs_check.claim_ids import ALL_IDS
    from proofs_check.sweep._worker import warm

    warm(("rectpow3", "smoolu"), ALL_IDS, "auto")
