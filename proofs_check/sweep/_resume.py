"""``symland sweep --resume``: which rows of an existing results file a sweep keeps — each one verified, none trusted.

A line of the file is kept only when all of these hold (the row's shape: :mod:`proofs_check.sweep._results`):

1. it is a JSON object read with bounded JSON (no deep nesting, huge numbers, NaN), with exactly the row's keys,
   that :meth:`~proofs_check.certificate.Certificate.from_json_obj` accepts;
2. its ``sweep.spec`` is this spec's fingerprint (the fingerprint is inside every row: the stamp file beside the
   results may be missing), its ``sweep.index`` names an instance of this spec whose name is the row's
   ``instance``, its claim is one of the spec's, its ``expected`` is ``"proved"``, and it is the first row of its
   (instance, claim);
3. the instance in its witness (``witness.instance``: widths, σ, X, Y) is the one the spec draws for that index;
4. the re-checker kernel (:func:`proofs_check.recheck.recheck`, which shares no code with the engine) does not
   reject it — unless the row itself records ``recheck: rejected`` (then it is kept and reported as rejected);
   a ``recheck:`` line the row records must be the kernel's status now, and with ``"recheck": true`` in the spec
   every ``proved``/``certified``/``refuted`` row must carry one.

Every other line is dropped — saved to ``<results>.dropped``, never lost — and its instance is recomputed (one
the kernel rejected is recomputed with the re-check on, so that a rejection the engine really produces is
recorded and reported); one line on stderr says how many and why. A file holding no row of this spec at all is
refused (InputError): another spec's results are not overwritten. The re-check runs within the sweep's deadline.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from fractions import Fraction

from symland.budget import DeadlineExpired
from symland.errors import InputError

from proofs_check.sweep._results import MAX_DEPTH, ROW_KEYS, certificate_obj, recheck_status
from proofs_check.sweep.spec import SweepSpec, draw, instance_key, loads_bounded

__all__ = ["resume_rows"]

_RATIONAL = re.compile(r"-?\d{1,4000}(/\d{1,4000})?")
_CHECKED = ("proved", "certified", "refuted")


def _same_values(recorded, drawn) -> bool:
    """The recorded matrix of exact strings equals the drawn one (as rationals; plain ``p/q`` text only)."""
    if not isinstance(recorded, list) or len(recorded) != len(drawn):
        return False
    for r, d in zip(recorded, drawn):
        if not isinstance(r, list) or len(r) != len(d):
            return False
        for a, b in zip(r, d):
            if a != b and not (isinstance(a, str) and _RATIONAL.fullmatch(a) and Fraction(a) == Fraction(b)):
                return False
    return True


def _instance_matches(witness, inst, verdict: str) -> bool:
    w = witness.get("instance")
    if w is None:
        return verdict == "inconclusive"  # nothing computed, nothing to compare; every other verdict rests on it
    return (isinstance(w, dict) and w.get("widths") == list(inst.widths) and w.get("activation") == inst.activation
            and _same_values(w.get("X"), inst.X) and _same_values(w.get("Y"), inst.Y))


def _kernel_status(cert) -> tuple[str, str]:
    """(status, first reason) of the re-checker on ``cert``; an error in it is ``unchecked`` (as on the worker)."""
    from proofs_check.recheck import recheck

    try:
        result = recheck(cert)
    except Exception as exc:  # noqa: BLE001 - reported, as the worker reports it
        return "unchecked", f"the re-checker raised {type(exc).__name__}"
    return result.status, "; ".join(result.reasons)[:160]


def _structure(raw: bytes, spec: SweepSpec, fingerprint: str):
    """(row, certificate, None) or (None, None, why) for one line; why is ``"another spec"`` for a foreign row."""
    from proofs_check.certificate import Certificate

    try:
        row = loads_bounded(raw.decode("utf-8"), MAX_DEPTH)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, None, f"not JSON: {str(exc)[:80]}"
    if not isinstance(row, dict) or not isinstance(row.get("sweep"), dict):
        return None, None, "without sweep.spec"
    if row["sweep"].get("spec") != fingerprint:
        return None, None, "of another spec"
    index = row["sweep"].get("index")
    if set(row) != set(ROW_KEYS) or set(row["sweep"]) != {"spec", "index"}:
        return None, None, "not a result row: keys " + ", ".join(sorted(map(str, set(row) ^ set(ROW_KEYS)))[:5])
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < spec.count:
        return None, None, f"not of this spec's instances: sweep.index = {str(index)[:20]}"
    if row["instance"] != instance_key(spec, index) or row["claim"] not in spec.claims or row["expected"] != "proved":
        return None, None, "not of this spec's instances: its instance, claim or expected"
    try:
        cert = Certificate.from_json_obj(certificate_obj(row))
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        return None, None, f"not a certificate: {str(exc)[:80]}"
    return row, cert, None


def _verify(row, cert, spec: SweepSpec, drawn, recheck: bool) -> tuple[str | None, bool, bool]:
    """(why the row is dropped or None, whether its recomputation needs the re-check, whether a kept proved /
    certified / refuted row is one the re-checker could not check)."""
    if not isinstance(row["witness"], dict) or not _instance_matches(row["witness"], drawn, cert.verdict):
        return "whose witness does not hold this instance", False, False
    if not recheck:
        return None, False, False
    recorded = recheck_status(row)
    status, reason = _kernel_status(cert)
    if status == "rejected" and recorded != "rejected":
        return f"rejected by the re-checker: {reason}", True, False
    if recorded is not None and recorded != status:
        return f"whose recheck line is not the re-checker's status: recorded {recorded}, now {status}", True, False
    if spec.recheck and recorded is None and cert.verdict in _CHECKED:
        return "without the recheck line the spec asks for", True, False
    return None, False, status == "unchecked" and cert.verdict in _CHECKED


def resume_rows(path: str, spec: SweepSpec, *, recheck: bool = True, until: float | None = None,
                on_instance: Callable | None = None) -> tuple[dict, set, str | None]:
    """({(instance, claim): row} kept, indices to recompute with the re-check on, the one-line report or None).

    ``recheck``: run the kernel on every row (False: the structural checks only). ``until``: a
    ``time.monotonic()`` deadline for the whole re-check (DeadlineExpired when it passes: the file is unchanged).
    ``on_instance``: called with each kept instance (a :class:`~proofs_check.sweep.spec.SweepInstance`) once.
    The file is rewritten (kept lines, in order) when anything is dropped.
    """
    import time

    from proofs_check.sweep._worker import thread_deadline

    with open(path, "rb") as fh:
        data = fh.read()
    *complete, fragment = data.split(b"\n")
    fingerprint = spec.fingerprint()
    kept: dict = {}
    keep_lines: list[bytes] = []
    dropped: list[tuple[int, bytes, str]] = []
    force: set = set()
    drawn: dict = {}
    announced: set = set()
    ours = unchecked = 0
    left = None if until is None else until - time.monotonic()
    if left is not None and left <= 0:
        raise DeadlineExpired()
    with thread_deadline(left) as dl:
        for i, raw in enumerate(complete, 1):
            if not raw.strip():
                continue
            row, cert, why = _structure(raw, spec, fingerprint)
            if row is not None:
                ours += 1
                if (row["instance"], row["claim"]) in kept:
                    why = "duplicates"
                else:
                    index = row["sweep"]["index"]
                    if index not in drawn:
                        drawn = {index: draw(spec, index)}  # rows come grouped by instance: keep the last only
                    why, needs, blind = _verify(row, cert, spec, drawn[index], recheck)
                    if needs:
                        force.add(index)
                    unchecked += blind
            if why is None:
                index = row["sweep"]["index"]
                if on_instance is not None and index not in announced:
                    announced.add(index)
                    on_instance(drawn[index])
                kept[(row["instance"], row["claim"])] = row
                keep_lines.append(raw)
            else:
                dropped.append((i, raw, why))
    if dl.expired:
        raise DeadlineExpired()
    if complete and not ours and any(raw.strip() for raw in complete):
        raise InputError(f"--resume: {path} holds no row of this spec (fingerprint {fingerprint}): another spec's "
                         "results, or written before rows carried the fingerprint; choose another --out")
    if not dropped and not fragment:
        return kept, force, _report(path, len(kept), [], 0, unchecked) if unchecked else None
    if dropped:
        with open(path + ".dropped", "ab") as fh:
            fh.writelines(raw + b"\n" for _, raw, _ in dropped)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.writelines(raw + b"\n" for raw in keep_lines)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return kept, force, _report(path, len(kept), dropped, len(fragment), unchecked)


def _report(path: str, kept: int, dropped: list, fragment: int, unchecked: int) -> str:
    blind = (f" ({unchecked} proved/certified/refuted of them the re-checker cannot check: kept as the engine wrote "
             "them)") if unchecked else ""
    if not dropped and not fragment:
        return f"symland: --resume: {path}: kept {kept} rows{blind}"
    kinds: dict = {}
    for i, _, why in dropped:
        kinds.setdefault(why.split(": ")[0], []).append((i, why))
    parts = []
    for kind, hits in kinds.items():
        lines = ", ".join(str(i) for i, _ in hits[:5]) + (", …" if len(hits) > 5 else "")
        first = hits[0][1][len(kind) + 2:]
        parts.append(f"{len(hits)} {kind} (line{'s' if len(hits) > 1 else ''} {lines}{': ' + first if first else ''})")
    if fragment:
        parts.append(f"dropped a partial last line ({fragment} bytes)")
    saved = f"; the dropped lines are in {path}.dropped" if dropped else ""
    return (f"symland: --resume: {path}: kept {kept} rows{blind}; the instances of these are recomputed: "
            + "; ".join(parts) + saved)
