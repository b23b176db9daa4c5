"""Moved to :mod:`symland.training.train`."""
import sys

from symland.training import train as _mod

sys.modules[__name__] = _mod
