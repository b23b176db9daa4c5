"""Moved to :mod:`proofs_check.sweep._results`."""
import sys

from proofs_check.sweep import _results as _mod

sys.modules[__name__] = _mod
