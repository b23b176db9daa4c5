"""Moved to :mod:`symland.linear.certify`."""
import sys

from symland.linear import certify as _mod

sys.modules[__name__] = _mod
