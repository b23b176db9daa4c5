"""Moved to :mod:`symland.networks.floating`."""
import sys

from symland.networks import floating as _mod

sys.modules[__name__] = _mod
