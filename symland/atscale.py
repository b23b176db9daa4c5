"""Moved to :mod:`symland.constructions.atscale`."""
import sys

from symland.constructions import atscale as _mod

sys.modules[__name__] = _mod
