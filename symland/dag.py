"""Moved to :mod:`symland.networks.dag`."""
import sys

from symland.networks import dag as _mod

sys.modules[__name__] = _mod
