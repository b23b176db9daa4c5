"""Moved to :mod:`symland.linear.spectrum`."""
import sys

from symland.linear import spectrum as _mod

sys.modules[__name__] = _mod
