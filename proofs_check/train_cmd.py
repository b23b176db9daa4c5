"""Moved to :mod:`proofs_check.commands.train_cmd`."""
import sys

from proofs_check.commands import train_cmd as _mod

sys.modules[__name__] = _mod
