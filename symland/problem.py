"""Moved to :mod:`symland.networks.problem`."""
import sys

from symland.networks import problem as _mod

sys.modules[__name__] = _mod
