"""Moved to :mod:`symland.sigma.activations`."""
import sys

from symland.sigma import activations as _mod

sys.modules[__name__] = _mod
