"""Moved to :mod:`proofs_check.sweep._worker`."""
import sys

from proofs_check.sweep import _worker as _mod

sys.modules[__name__] = _mod
