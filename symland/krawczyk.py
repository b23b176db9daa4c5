"""Moved to :mod:`symland.point.krawczyk`."""
import sys

from symland.point import krawczyk as _mod

sys.modules[__name__] = _mod
