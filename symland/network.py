"""Moved to :mod:`symland.networks.network`."""
import sys

from symland.networks import network as _mod

sys.modules[__name__] = _mod
