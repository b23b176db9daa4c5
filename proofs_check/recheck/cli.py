"""``symland recheck FILE``: re-verify saved certificates from their witnesses alone.

FILE holds one certificate object or a list of them, as printed by ``symland verify --json`` (or the report of
``symland certify --json``, whose ``certificates`` are read), or a sweep's results file (JSON Lines, one row per
line, as ``symland sweep --out`` writes it: each row's ``sweep`` stamp is checked against ``sweep_row.v1.json`` and
the certificate it carries re-checked). One line per
certificate::

    ok thm-2.1 smoolu-p1-d3 (proved): H(m) = 0 exactly (3 residuals recomputed; …); …
    UNCHECKED sec-5 xor (proved): the witness carries no point: …
    REJECTED prop-2.3 xor (proved): m ∉ M: f_2(m) = 1/7 ≠ 0 (recomputed)

then a count by status (checked, partial, unchecked, rejected; see :class:`proofs_check.recheck.RecheckResult`):
``checked`` and ``partial`` both mean that the statement of (claim, verdict) was established from the witness
(``partial``: some recorded extras, such as a tangent basis too large to recompute, were not); ``unchecked`` means
it was not, without a contradiction (a size limit, a form the re-checker does not read, a pair it has no statement
for).

With ``strict``, each line is followed by ``not vouched: …`` — the recorded fields the kernel did not re-derive
(:attr:`proofs_check.recheck.RecheckResult.not_vouched`). The report of ``certify --json`` is itself validated
(``certify.v1.json``) and its point, distances, widths and σ must be those of every certificate it holds; its
``loss_at_model`` and ``spectrum_at_model`` (floating point) are reported as not vouched.

Exit status (returned by :func:`run`): 1 when a certificate is rejected (with ``strict``, also when a proved,
certified or refuted verdict is left unchecked — its statement not established), else 0; an unreadable or invalid
file raises :class:`RecheckInputError` (the command line turns it into one line and status 2).
"""

from __future__ import annotations

import json
import os
import sys

from proofs_check.recheck import RecheckResult, recheck
from proofs_check.recheck.format import FormatError, _validate

__all__ = ["run", "MAX_FILE_BYTES", "RecheckInputError", "read_text"]

MAX_FILE_BYTES = 200 * 10**6


class RecheckInputError(ValueError):
    """The file cannot be read or holds no certificates; the message is one line naming the file."""


def read_text(path: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The kernel's own reader: a UTF-8 text file of at most ``max_bytes``; one-line RecheckInputError otherwise."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise RecheckInputError(f"{path}: file is larger than {max_bytes // 10**6} MB ({size} bytes)")
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise RecheckInputError(f"{path}: file not found") from None
    except OSError as exc:
        raise RecheckInputError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecheckInputError(f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def _report_checks(report: dict) -> RecheckResult:
    """The certify report (not a certificate): its format, and its point, distances, widths and σ those of the
    certificates it holds (whose witnesses the kernel re-checks)."""
    try:
        _validate(report, "certify")
    except FormatError as exc:
        return RecheckResult(False, (f"malformed certify report: {exc}",))
    bad = []
    for i, c in enumerate(report["certificates"], 1):
        w = c["witness"]
        if c["verdict"] not in _ASSERTING and "model" not in w:
            continue  # an inconclusive certificate asserts no point of M: nothing to hold to the report
        inst, model = w.get("instance", {}), w.get("model", {})
        if w.get("point") != report["point"]:
            bad.append(f"certificate {i}: its point is not the report's point")
        if inst.get("widths") != report["widths"] or inst.get("activation") != report["activation"]:
            bad.append(f"certificate {i}: its widths or σ are not the report's")
        if (model.get("distance_linf_upper"), model.get("distance_l2_upper")) != (report["distance_linf"]["upper"],
                                                                                 report["distance_l2"]["upper"]):
            bad.append(f"certificate {i}: its distance bounds are not the report's distance_linf, distance_l2 "
                       "upper bounds")
        for key in ("distance_linf", "distance_l2"):
            lo, up = report[key]["lower"], report[key]["upper"]
            if lo is not None and up is not None and lo > up:
                bad.append(f"the report's {key} lower bound {lo} exceeds its upper bound {up}")
        if model.get("source") != report["model"] or model.get("bias_convention") != report["bias_convention"]:
            bad.append(f"certificate {i}: its model source or bias convention is not the report's")
        if "inertia" in report and c["verdict"] in ("proved", "certified"):
            n, m = len(report["point"]), len(inst["X"]) * len(inst["Y"][0])  # n parameters, dℓ residuals
            if report["inertia"] != [m, 0, n - m]:
                bad.append(f"the report's inertia {report['inertia']} is not [n₊, n₋, n₀] = {[m, 0, n - m]} "
                           f"(Sylvester order) at its point of M with n = {n}, dℓ = {m}")
    if bad:
        return RecheckResult(False, tuple(dict.fromkeys(bad)))
    from proofs_check.recheck.lower import check_lower

    confirmed, lower_line = check_lower(report) if report["certificates"] else (False, "no certificates")
    lower_nv = () if confirmed else (f"distance lower bounds ({lower_line})",)
    nv = ("loss_at_model (floating point)", "loss_at_model_enclosure (Arb: not re-derived)", *lower_nv, "foot (text)",
          "spectrum_at_model (floating point)", "nearest (text)", "point_tier", "seconds", "model (the file name)")
    lines = (f"the report's point, distances, widths and σ are those of its {len(report['certificates'])} "
             "certificates",) + ((lower_line,) if confirmed else ())
    return RecheckResult(True, (), lines, (),
                         statement="the report agrees with its certificates", not_vouched=nv)


def _json_lines(path: str, text: str) -> list:
    """The objects of a JSON Lines file (a sweep's results: one certificate per line, blank lines skipped)."""
    items = []
    for k, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise RecheckInputError(f"{path}: line {k} is not valid JSON ({exc.msg} at column {exc.colno}); a "
                                    "JSON Lines file holds one certificate per line") from None
        except (RecursionError, ValueError) as exc:
            raise RecheckInputError(f"{path}: line {k} is not valid JSON ({type(exc).__name__})") from None
    return items


def _sweep_row(item):
    """A sweep row (a certificate with its ``sweep`` stamp, ``sweep_row.v1.json``) → the certificate it carries;
    a row whose stamp is malformed is handed on unchanged, so the envelope check names the field."""
    if not (isinstance(item, dict) and "sweep" in item):
        return item
    try:
        _validate(item, "sweep_row")
    except FormatError:
        return item
    return {k: v for k, v in item.items() if k != "sweep"}


def _load(path: str) -> tuple[list, dict | None]:
    text = read_text(path, MAX_FILE_BYTES)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" and not path.endswith(".jsonl"):
            raise RecheckInputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") \
                from None
        obj = [_sweep_row(item) for item in _json_lines(path, text)]  # JSON Lines: `symland sweep --out`'s file
    except (RecursionError, ValueError) as exc:
        raise RecheckInputError(f"{path}: not valid JSON ({type(exc).__name__})") from None
    if isinstance(obj, dict) and "sweep" in obj:
        obj = _sweep_row(obj)  # a results file of one line
    report = None
    if isinstance(obj, dict) and isinstance(obj.get("certificates"), list) and "claim" not in obj:
        report, obj = obj, obj["certificates"]  # the output of `symland certify --json`
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        raise RecheckInputError(f"{path}: the list holds no certificates")
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            where = f"item {i}" if isinstance(obj, list) else "the top level"
            raise RecheckInputError(f"{path}: {where} is a JSON {type(item).__name__}, not a certificate object "
                                    "(expected the output of `symland verify --json`)")
    return items, report


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
        RecheckInputError: the file cannot be read, is not UTF-8 or JSON, or holds something other than certificates.
    """
    items, report = _load(os.fspath(path))
    results = [(item, recheck(item)) for item in items]
    rep = _report_checks(report) if report is not None else None
    if rep is not None and not rep.ok:  # the report's own facts disagree with its certificates: a row of its own
        results.append(({"claim": "certify-report", "instance": report.get("model"), "verdict": "certified"}, rep))
    out = sys.stdout
    if json_out:
        rows = [{"claim": item.get("claim"), "instance": item.get("instance"), "verdict": item.get("verdict"),
                 "status": r.status, "ok": r.ok, "statement": r.statement, "reasons": list(r.reasons),
                 "checked": list(r.checked),
                 "skipped": list(r.skipped), "not_vouched": list(r.not_vouched)} for item, r in results]
        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        for item, r in results:
            text = r.summary().split(": ", 1)[1] if ": " in r.summary() else r.summary()
            word = "n/a" if r.status == "unchecked" and item.get("verdict") not in _ASSERTING else _WORD[r.status]
            out.write(f"{word} {_label(item)} ({item.get('verdict')}): {text}\n")
            if strict and r.not_vouched:
                out.write(f"    not vouched: {'; '.join(r.not_vouched)}\n")
        if strict and rep is not None and rep.ok:
            out.write(f"certify report: {'; '.join(rep.checked)}\n    not vouched: {'; '.join(rep.not_vouched)}\n")
        counts = ", ".join(f"{sum(r.status == s for _, r in results)} {s}"
                           for s in ("checked", "partial", "unchecked", "rejected"))
        out.write(f"{len(results)} certificate{'s' if len(results) != 1 else ''} re-checked: {counts}\n")
    rejected = any(not r.ok for _, r in results)
    blind = any(r.status == "unchecked" and item.get("verdict") in _ASSERTING for item, r in results)
    return 1 if rejected or (strict and blind) else 0
