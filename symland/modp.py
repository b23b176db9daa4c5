"""Moved to :mod:`symland.networks.modp`."""
import sys

from symland.networks import modp as _mod

sys.modules[__name__] = _mod
