"""Moved to :mod:`symland.linear.sparse`."""
import sys

from symland.linear import sparse as _mod

sys.modules[__name__] = _mod
