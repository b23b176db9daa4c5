"""``symland recheck FILE``: re-verify saved certificates from their witnesses alone.

FILE holds one certificate object or a list of them, as printed by ``symland verify --json`` (or the report of
``symland certify --json``, whose ``certificates`` are read). One line per
certificate::

    ok thm-2.1 smoolu-p1-d3 (proved): H(m) = 0 exactly (3 residuals recomputed; …); …
    UNCHECKED sec-5 xor (proved): the witness carries no point: …
    REJECTED prop-2.3 xor (proved): m ∉ M: f_2(m) = 1/7 ≠ 0 (recomputed)

then a count by status (checked, partial, unchecked, rejected; see :class:`proofs_check.recheck.RecheckResult`):
``checked`` and ``partial`` both mean that the statement of (claim, verdict) was established from the witness
(``partial``: some recorded extras, such as a tangent basis too large to recompute, were not); ``unchecked`` means
it was not, without a contradiction (a size limit, a form the re-checker does not read, a pair it has no statement
for).

Exit status (returned by :func:`run`): 1 when a certificate is rejected (with ``strict``, also when a proved,
certified or refuted verdict is left unchecked — its statement not established), else 0; an unreadable or invalid
file raises :class:`symland.errors.InputError` (the command line turns it into one line and status 2).
"""

from __future__ import annotations

import json
import os
import sys

from symland.data import read_text
from symland.errors import InputError

from proofs_check.recheck import recheck

__all__ = ["run", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 200 * 10**6


def _load(path: str) -> list:
    text = read_text(path, MAX_FILE_BYTES)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except (RecursionError, ValueError) as exc:
        raise InputError(f"{path}: not valid JSON ({type(exc).__name__})") from None
    if isinstance(obj, dict) and isinstance(obj.get("certificates"), list) and "claim" not in obj:
        obj = obj["certificates"]  # the output of `symland certify --json`
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        raise InputError(f"{path}: the list holds no certificates")
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            where = f"item {i}" if isinstance(obj, list) else "the top level"
            raise InputError(f"{path}: {where} is a JSON {type(item).__name__}, not a certificate object "
                             "(expected the output of `symland verify --json`)")
    return items


def _label(item: dict) -> str:
    claim, inst = item.get("claim"), item.get("instance")
    return f"{claim if isinstance(claim, str) else '?'} {inst if isinstance(inst, str) else '?'}"


_ASSERTING = ("proved", "certified", "refuted")
_WORD = {"checked": "ok", "partial": "PARTIAL", "unchecked": "UNCHECKED", "rejected": "REJECTED"}


def run(path: str, json_out: bool, *, strict: bool = False) -> int:
    """Re-check every certificate in the JSON file ``path``; print one line each (or JSON) and a summary.

    Returns:
        1 when a certificate is rejected — or, with ``strict``, when a proved/certified/refuted verdict is left
        unchecked (its statement not established) — else 0.

    Raises:
        InputError: the file cannot be read, is not UTF-8 or JSON, or holds something other than certificates.
    """
    items = _load(os.fspath(path))
    results = [(item, recheck(item)) for item in items]
    out = sys.stdout
    if json_out:
        rows = [{"claim": item.get("claim"), "instance": item.get("instance"), "verdict": item.get("verdict"),
                 "status": r.status, "ok": r.ok, "statement": r.statement, "reasons": list(r.reasons),
                 "checked": list(r.checked),
                 "skipped": list(r.skipped)} for item, r in results]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        for item, r in results:
            text = r.summary().split(": ", 1)[1] if ": " in r.summary() else r.summary()
            word = "n/a" if r.status == "unchecked" and item.get("verdict") not in _ASSERTING else _WORD[r.status]
            out.write(f"{word} {_label(item)} ({item.get('verdict')}): {text}\n")
        counts = ", ".join(f"{sum(r.status == s for _, r in results)} {s}"
                           for s in ("checked", "partial", "unchecked", "rejected"))
        out.write(f"{len(results)} certificate{'s' if len(results) != 1 else ''} re-checked: {counts}\n")
    rejected = any(not r.ok for _, r in results)
    blind = any(r.status == "unchecked" and item.get("verdict") in _ASSERTING for item, r in results)
    return 1 if rejected or (strict and blind) else 0
