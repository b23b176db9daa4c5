"""Moved to :mod:`symland.io._torch`."""
import sys

from symland.io import _torch as _mod

sys.modules[__name__] = _mod
