"""Moved to :mod:`proofs_check.commands.explain`."""
import sys

from proofs_check.commands import explain as _mod

sys.modules[__name__] = _mod
