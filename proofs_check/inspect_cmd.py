"""Moved to :mod:`proofs_check.commands.inspect_cmd`."""
import sys

from proofs_check.commands import inspect_cmd as _mod

sys.modules[__name__] = _mod
