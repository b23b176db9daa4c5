"""Moved to :mod:`proofs_check.commands.certify_model`."""
import sys

from proofs_check.commands import certify_model as _mod

sys.modules[__name__] = _mod
