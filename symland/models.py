"""Moved to :mod:`symland.io.models`."""
import sys

from symland.io import models as _mod

sys.modules[__name__] = _mod
