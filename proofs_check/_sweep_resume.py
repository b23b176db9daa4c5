"""Moved to :mod:`proofs_check.sweep._resume`."""
import sys

from proofs_check.sweep import _resume as _mod

sys.modules[__name__] = _mod
