"""Moved to :mod:`proofs_check.commands._bounds`."""
import sys

from proofs_check.commands import _bounds as _mod

sys.modules[__name__] = _mod
