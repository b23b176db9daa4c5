"""Moved to :mod:`symland.linear.linalg`."""
import sys

from symland.linear import linalg as _mod

sys.modules[__name__] = _mod
