"""Moved to :mod:`symland.views.plots`."""
import sys

from symland.views import plots as _mod

sys.modules[__name__] = _mod
