"""Moved to :mod:`proofs_check.commands.cli`."""
import sys

from proofs_check.commands import cli as _mod

if __name__ == "__main__":  # python -m proofs_check.cli: run the command, leave __main__ alone
    sys.exit(_mod.main())
sys.modules[__name__] = _mod
