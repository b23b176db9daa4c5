"""Moved to :mod:`symland.sigma.kinkhits`."""
import sys

from symland.sigma import kinkhits as _mod

sys.modules[__name__] = _mod
