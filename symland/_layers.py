"""Moved to :mod:`symland.io._layers`."""
import sys

from symland.io import _layers as _mod

sys.modules[__name__] = _mod
