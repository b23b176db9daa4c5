"""Moved to :mod:`symland.networks.gram`."""
import sys

from symland.networks import gram as _mod

sys.modules[__name__] = _mod
