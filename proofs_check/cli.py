"""Moved to :mod:`proofs_check.commands.cli`."""
import sys

from proofs_check.commands import cli as _mod

sys.modules[__name__] = _mod
if __name__ == "__main__":  # pragma: no cover
    sys.exit(_mod.main())
