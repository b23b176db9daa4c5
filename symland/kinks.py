"""Moved to :mod:`symland.sigma.kinks`."""
import sys

from symland.sigma import kinks as _mod

sys.modules[__name__] = _mod
