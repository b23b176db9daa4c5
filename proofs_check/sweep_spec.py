"""Moved to :mod:`proofs_check.sweep.spec`."""
import sys

from proofs_check.sweep import spec as _mod

sys.modules[__name__] = _mod
