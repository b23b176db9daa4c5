"""Moved to :mod:`symland.io.data`."""
import sys

from symland.io import data as _mod

sys.modules[__name__] = _mod
