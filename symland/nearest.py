"""Moved to :mod:`symland.point.nearest`."""
import sys

from symland.point import nearest as _mod

sys.modules[__name__] = _mod
