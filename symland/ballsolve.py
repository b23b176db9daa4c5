"""Moved to :mod:`symland.linear.ballsolve`."""
import sys

from symland.linear import ballsolve as _mod

sys.modules[__name__] = _mod
