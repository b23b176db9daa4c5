"""The ``symland`` commands: the CLI (:mod:`proofs_check.commands.cli`) and one module per command."""
