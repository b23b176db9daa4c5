"""Moved to :mod:`symland.tiers.budget`."""
import sys

from symland.tiers import budget as _mod

sys.modules[__name__] = _mod
