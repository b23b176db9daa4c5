"""Moved to :mod:`symland.networks.jets`."""
import sys

from symland.networks import jets as _mod

sys.modules[__name__] = _mod
