"""Moved to :mod:`proofs_check.commands.exit_status`."""
import sys

from proofs_check.commands import exit_status as _mod

sys.modules[__name__] = _mod
