"""Moved to :mod:`symland.numbers.sympy_view`."""
import sys

from symland.numbers import sympy_view as _mod

sys.modules[__name__] = _mod
