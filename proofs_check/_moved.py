"""The modules moved when ``proofs_check/`` was grouped (issue 19): old name → new name.

Each old path, ``proofs_check/<old>.py``, is a compatibility module that puts the new module in ``sys.modules``
under the old name, so ``import proofs_check.<old>``, ``from proofs_check.<old> import x``, ``python -m
proofs_check.cli`` and ``monkeypatch.setattr`` on either name reach the one module object. ``proofs_check.sweep``
kept its name: it is now the package ``proofs_check/sweep/`` itself. proofs_check imports only the new names;
tests and benchmarks may still use the old ones. To retire the shims: update those imports, delete the files named
here and this module (``tests/proofs_check/test_layout.py`` lists what still needs them).
"""

MOVED = {
    "cli": "proofs_check.commands.cli",
    "inspect_cmd": "proofs_check.commands.inspect_cmd",
    "train_cmd": "proofs_check.commands.train_cmd",
    "certify_model": "proofs_check.commands.certify_model",
    "explain": "proofs_check.commands.explain",
    "_sweep_cli": "proofs_check.commands.sweep_cmd",
    "_bounds": "proofs_check.commands._bounds",
    "exit_status": "proofs_check.commands.exit_status",
    "sweep_spec": "proofs_check.sweep.spec",
    "_sweep_results": "proofs_check.sweep._results",
    "_sweep_resume": "proofs_check.sweep._resume",
    "_sweep_worker": "proofs_check.sweep._worker",
}
