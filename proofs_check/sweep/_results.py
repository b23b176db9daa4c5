"""The results file of a sweep: one row per line (JSON Lines), written as results arrive.

**The row** (the one place its shape is written down; the certificate schema describes sweep rows from it). A row is
a JSON object with exactly these keys:

==============  ===========================================================================================
``claim``       the claim id (a claim of the spec's ``claims``), e.g. ``"thm-2.1"``
``instance``    the instance's name ``<spec name>-<index, 5+ digits>``, e.g. ``"s7-00012"``
``verdict``     one of ``proved``, ``certified``, ``numerical``, ``refuted``, ``hypothesis-fails``, ``inconclusive``
``tier``        ``exact``, ``symbolic``, ``ball``, ``mp``, ``float`` or ``none`` (nothing computed)
``evidence``    a string
``hypotheses``  a list of ``{"hypothesis": string, "status": string}``
``witness``     an object (the claim's witness, as ``verify --json`` writes it: ``witness.instance`` holds
                ``widths``, ``activation``, ``X`` and ``Y`` as exact strings; ``{}`` when nothing was computed)
``seconds``     a number ≥ 0
``details``     a list of strings; the sweep appends ``sweep: instance <k> of spec <name> (seed <seed>), instance
                seed <s_k>[ (data from <file>)]``, then — with ``"recheck": true``, or when ``--resume``
                recomputes a row the re-checker rejected — for ``proved``, ``certified``, ``refuted``
                ``recheck: checked|partial|unchecked[: why]|rejected: why``, then last
                ``reproduce: symland verify --data <out>-data/<instance>.json … --json``
``expected``    ``"proved"`` (what the paper predicts for every sweep instance)
``sweep``       ``{"spec": <the spec's fingerprint, 16 hex digits>, "index": <k, an integer 0 ≤ k < count>}``
==============  ===========================================================================================

The first ten keys are the certificate exactly as ``symland verify --json`` prints it (:func:`certificate_obj`
strips ``sweep`` and :meth:`~proofs_check.certificate.Certificate.from_json_obj` reads the rest); ``sweep`` ties
the row to its spec and instance, so ``--resume`` ignores rows of another spec even without the fingerprint
stamp beside the file (:mod:`proofs_check.sweep._resume`). A certificate is identified by
(instance, claim); the writer keeps the set of identities already in the file and never writes one twice —
dask reruns the tasks of a worker that dies, and a resumed run meets what the interrupted one wrote.

A run killed while writing can leave a last line without its newline: :func:`read_results` drops that
fragment (truncating the file to the last complete line) so a resumed run recomputes it. Lines are read with
bounded JSON (:func:`proofs_check.sweep.spec.loads_bounded`: no deep nesting, no huge numbers, no NaN).

>>> rows = [{"instance": "a", "claim": "thm-2.1", "verdict": "proved", "tier": "exact", "expected": "proved"}]
>>> print(summary_table(rows))
verdicts by claim × tier (1 instances, 1 certificates):
  claim     tier     proved
  thm-2.1   exact         1
"""

from __future__ import annotations

import json
import os
from collections import Counter

from symland.errors import InputError

from proofs_check.certificate import VERDICTS
from proofs_check.sweep.spec import loads_bounded

__all__ = ["read_results", "ResultWriter", "summary_table", "unexpected", "row_key", "recheck_status", "stamped",
           "row_line", "certificate_obj", "ROW_KEYS", "MAX_DEPTH"]

#: The keys of a row (see the module docstring).
ROW_KEYS = ("claim", "instance", "verdict", "tier", "evidence", "hypotheses", "witness", "seconds", "details",
            "expected", "sweep")
#: Rows nest at most this deep (a witness: instance → X → row → value; the rank's minor → reduction).
MAX_DEPTH = 32


def stamped(obj: dict, fingerprint: str, index: int) -> dict:
    """The row of certificate object ``obj``: with ``sweep = {spec: fingerprint, index}``."""
    return {**obj, "sweep": {"spec": fingerprint, "index": index}}


def row_line(obj: dict, fingerprint: str, index: int) -> str:
    """The results file's line (without its newline) of certificate object ``obj``: :func:`stamped`, as JSON."""
    return json.dumps(stamped(obj, fingerprint, index), ensure_ascii=False, allow_nan=False)


def certificate_obj(row: dict) -> dict:
    """The certificate object of a row (everything but ``sweep``)."""
    return {k: v for k, v in row.items() if k != "sweep"}


def row_key(obj: dict) -> tuple[str, str]:
    """The identity of a result row: (instance, claim)."""
    return obj["instance"], obj["claim"]


def read_results(path: str) -> tuple[dict, int]:
    """({(instance, claim): row}, bytes dropped from a partial last line) of an existing results file.

    The file is truncated to its last complete line when the last one is partial (no final newline).
    """
    if not os.path.exists(path):
        return {}, 0
    rows: dict = {}
    with open(path, "rb") as fh:
        data = fh.read()
    *complete, fragment = data.split(b"\n")  # the part after the last newline was never finished
    for i, raw in enumerate(complete, 1):
        if not raw.strip():
            continue
        try:
            obj = loads_bounded(raw.decode("utf-8"), MAX_DEPTH)
            key = row_key(obj)
            hash(key)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise InputError(f"{path}: line {i} is not a certificate JSON object (not a sweep results "
                             "file?)") from None
        rows.setdefault(key, obj)
    good_end = len(data) - len(fragment)
    dropped = len(data) - good_end
    if dropped:
        with open(path, "r+b") as fh:
            fh.truncate(good_end)
    return rows, dropped


class ResultWriter:
    """Append rows to ``path`` as they arrive, each once, flushed at once (a killed run loses no written row)."""

    def __init__(self, path: str, done: dict):
        self.rows = dict(done)
        self.written = 0
        self.duplicates = 0
        self._fh = open(path, "a", encoding="utf-8")

    def add(self, obj: dict) -> bool:
        """Write ``obj`` unless its (instance, claim) is already in the file; True when written."""
        return self.add_line(row_key(obj), json.dumps(obj, ensure_ascii=False, allow_nan=False), obj)

    def add_line(self, key: tuple[str, str], line: str, obj: dict | None = None) -> bool:
        """Write the row ``key`` = (instance, claim) whose JSON text (one line, no newline) is ``line`` — as
        :func:`row_line` wrote it on a worker — unless it is in the file already; True when written."""
        if key in self.rows:
            self.duplicates += 1
            return False
        self._fh.write(line + "\n")
        self._fh.flush()
        self.rows[key] = obj
        self.written += 1
        return True

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()


def unexpected(rows) -> list[dict]:
    """Rows whose verdict is not the one expected (what the paper predicts at this tier's strength)."""
    out = []
    for r in rows:
        exp = r.get("expected")
        if (r["verdict"] != exp) if exp is not None else r["verdict"] not in ("proved", "certified"):
            out.append(r)
    return out


def recheck_status(row: dict) -> str | None:
    """The re-checker's status recorded in a row (``checked``, ``partial``, ``unchecked``, ``rejected``), if any."""
    for line in reversed(row.get("details") or ()):
        if line.startswith("recheck: "):
            return line[len("recheck: "):].split(":", 1)[0]
    return None


def _reproduce(row: dict) -> str:
    for line in reversed(row.get("details") or ()):
        if line.startswith("reproduce: "):
            return line[len("reproduce: "):]
    return ""


def summary_table(rows, *, limit: int = 20) -> str:
    """Unexpected verdicts first (instance, claim, verdict, expected, evidence, command), then counts of
    verdicts by claim × tier."""
    rows = list(rows)
    lines = []
    rejected = [r for r in rows if recheck_status(r) == "rejected"]
    if rejected:
        lines.append(f"REJECTED by the independent re-checker ({len(rejected)}):")
        for r in rejected[:limit]:
            why = next(x for x in reversed(r["details"]) if x.startswith("recheck: "))
            lines.append(f"  {r['instance']} {r['claim']}: {r['verdict']}: {why[:200]}")
            lines.append(f"    reproduce: {_reproduce(r)}")
    bad = unexpected(rows)
    if bad:
        lines.append(f"unexpected verdicts ({len(bad)}):")
        for r in bad[:limit]:
            ev = r.get("evidence", "")
            ev = ev if len(ev) <= 110 else ev[:109] + "…"
            lines.append(f"  {r['instance']} {r['claim']}: {r['verdict']} (expected {r.get('expected')}, "
                         f"tier {r['tier']}): {ev}")
            cmd = _reproduce(r)
            if cmd:
                lines.append(f"    reproduce: {cmd}")
        if len(bad) > limit:
            lines.append(f"  … and {len(bad) - limit} more (each row of the results file has its command)")
    counts = Counter((r["claim"], r["tier"], r["verdict"]) for r in rows)
    present = [v for v in VERDICTS if any(k[2] == v for k in counts)]
    cells = sorted({(c, t) for c, t, _ in counts})
    instances = len({r["instance"] for r in rows})
    lines.append(f"verdicts by claim × tier ({instances} instances, {len(rows)} certificates):")
    lines.append("  " + f"{'claim':9} {'tier':8}" + "".join(f" {v:>{max(len(v), 6)}}" for v in present))
    for c, t in cells:
        lines.append("  " + f"{c:9} {t:8}" + "".join(
            f" {(counts[(c, t, v)] or ''):>{max(len(v), 6)}}" for v in present))
    statuses = Counter(recheck_status(r) for r in rows)
    statuses.pop(None, None)
    if statuses:
        lines.append("re-checked from the witnesses: " + ", ".join(
            f"{statuses[k]} {k}" for k in ("checked", "partial", "unchecked", "rejected") if statuses[k]))
    return "\n".join(lines)
