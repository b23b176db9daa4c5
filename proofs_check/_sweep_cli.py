"""Moved to :mod:`proofs_check.commands.sweep_cmd`."""
import sys

from proofs_check.commands import sweep_cmd as _mod

sys.modules[__name__] = _mod
