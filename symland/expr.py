"""Moved to :mod:`symland.sigma.expr`."""
import sys

from symland.sigma import expr as _mod

sys.modules[__name__] = _mod
