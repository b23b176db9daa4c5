"""Moved to :mod:`symland.constructions.landscape`."""
import sys

from symland.constructions import landscape as _mod

sys.modules[__name__] = _mod
