"""Moved to :mod:`symland.linear.rank`."""
import sys

from symland.linear import rank as _mod

sys.modules[__name__] = _mod
