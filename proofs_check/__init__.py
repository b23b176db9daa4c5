"""proofs_check — the paper's claims, one module each, decided on instances by the symland engine.

The names below are loaded on first use (PEP 562), so ``import proofs_check.recheck`` — the independent re-checker
— runs none of the engine: it loads no ``symland`` module.

>>> from symland import Dataset, get_activation
>>> data = Dataset.from_rows([[0], [1], [3]], [1, -1, 2])
>>> cert = check("lem-3.3", Instance("three", data, get_activation("rectpow3")))
>>> cert.verdict, recheck(cert).status
('proved', 'checked')
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["Certificate", "CertificateList", "format_table", "ALL_IDS", "CLAIMS", "run", "Context",
           "Instance", "default_instances", "check", "recheck", "RecheckResult", "certify_model"]

_WHERE = {"Certificate": "proofs_check.certificate", "CertificateList": "proofs_check.certificate",
          "format_table": "proofs_check.certificate", "ALL_IDS": "proofs_check.claims",
          "CLAIMS": "proofs_check.claims", "run": "proofs_check.claims", "Context": "proofs_check.instance",
          "Instance": "proofs_check.instance", "default_instances": "proofs_check.instances",
          "RecheckResult": "proofs_check.recheck"}


def __getattr__(name: str) -> Any:
    if name == "recheck":  # the function, which shadows its module's name once the module is loaded
        value = importlib.import_module("proofs_check.recheck").recheck
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    elif name in _moved_names():  # an old module path (proofs_check._moved): its new module
        value = importlib.import_module(f"proofs_check.{name}")
    else:
        raise AttributeError(f"module 'proofs_check' has no attribute {name!r}")
    globals()[name] = value
    return value


def _moved_names() -> dict[str, str]:
    from proofs_check._moved import MOVED

    return MOVED


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def check(claim: str, instance, ctx=None):
    """Decide one claim (an id of :data:`ALL_IDS`) on one instance."""
    from proofs_check.claims import run as _run

    return _run([instance], [claim], ctx=ctx)[0]


class _Package(types.ModuleType):
    """``proofs_check`` itself: ``proofs_check.certify_model`` is always the function
    (:func:`proofs_check.commands.certify_model.certify_model`), although the compatibility module of the same old
    path (:mod:`proofs_check._moved`) is bound here by the import system whenever it is first imported."""

    @property
    def certify_model(self):
        return importlib.import_module("proofs_check.commands.certify_model").certify_model

    @certify_model.setter
    def certify_model(self, value) -> None:
        pass  # the import system binding the module proofs_check/certify_model.py: the name stays the function


sys.modules[__name__].__class__ = _Package
