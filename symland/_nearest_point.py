"""Moved to :mod:`symland.point._nearest_point`."""
import sys

from symland.point import _nearest_point as _mod

sys.modules[__name__] = _mod
