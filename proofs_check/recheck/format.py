"""The certificate format, version 1: the JSON Schemas in ``proofs_check/recheck/schema/`` and the kernel's reading
of a certificate against them — the first thing :func:`proofs_check.recheck.recheck` does.

Every certificate is validated, with the ``jsonschema`` library, against the envelope
(``certificate.v1.json``: claim, instance, verdict, tier, evidence, hypotheses, witness, seconds, details,
expected — nothing else) and then its witness against the schema of its kind (:func:`witness_kind`): a point of M
(``point.v1.json``: ``on_M_exact``, ``on_M_ball``), a point off M (``off_M``), the zero-set claims
(``zero_set.v1.json``), the constructions (``construction.v1.json``), the global claims (``global.v1.json``).
An unknown or a missing field is a :class:`FormatError` naming it — the certificate is ``rejected`` — so no field
the engine never writes can steer the kernel, and no check the kernel makes waits for an optional key.
Verdicts that assert nothing the kernel re-checks (``numerical``, ``inconclusive``, a ``hypothesis-fails`` other
than a point off M) keep a free-form witness, which is then not read at all.

:func:`unvouched` lists the recorded fields of a certificate that the kernel does *not* re-derive (human text,
timings, how a point was found, the engine's method strings): ``recheck --strict`` reports them.

>>> check_envelope({"claim": "thm-2.1", "instance": "x", "verdict": "proved", "tier": "exact", "evidence": "",
...                 "hypotheses": [], "witness": {}, "seconds": 0, "activation": "relu"})
Traceback (most recent call last):
...
proofs_check.recheck.format.FormatError: certificate format v1: at the top level: Additional properties are not \
allowed ('activation' was unexpected)
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jsonschema
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

__all__ = ["FormatError", "VERSION", "SCHEMAS", "check_envelope", "check_witness", "witness_kind", "unvouched",
           "EXACT_TIERS", "AT_POINT", "ZERO_SET", "CONSTRUCTION", "GLOBAL"]

VERSION = 1
SCHEMAS = ("common", "certificate", "point", "zero_set", "construction", "global", "certify", "sweep_row")
_BASE = "https://symland.invalid/schema/"
EXACT_TIERS = ("exact", "symbolic")
AT_POINT = ("thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2")
ZERO_SET = ("rem-2.2", "sec-5")
CONSTRUCTION = ("lem-3.3", "cor-3.4")
GLOBAL = ("thm-2.1-global", "dim-M-global")
_ASSERTING = ("proved", "certified", "refuted")
OFF_M_PREFIX = "m ∉ M"


class FormatError(ValueError):
    """The certificate does not follow the written format; the message names the field."""


def _text(name: str) -> str:
    return resources.files("proofs_check.recheck").joinpath("schema", f"{name}.v{VERSION}.json").read_text("utf-8")


@cache
def _registry() -> Registry:
    resources_ = [(f"{_BASE}{name}.v{VERSION}.json", Resource.from_contents(json.loads(_text(name))))
                  for name in SCHEMAS]
    return Registry().with_resources(resources_)


@cache
def validator(name: str, pointer: str = ""):
    """A Draft 2020-12 validator of ``<name>.v1.json`` (``pointer``: one of its ``$defs``)."""
    ref = f"{_BASE}{name}.v{VERSION}.json" + (f"#/$defs/{pointer}" if pointer else "")
    return jsonschema.Draft202012Validator({"$ref": ref}, registry=_registry())


def _where(path) -> str:
    parts = [str(p) for p in path]
    return "/".join(parts) if parts else "the top level"


def _validate(obj, name: str, pointer: str = "", prefix: str = "") -> None:
    error = best_match(validator(name, pointer).iter_errors(obj))
    if error is not None:
        where = _where(list(prefix.split("/") if prefix else []) + list(error.absolute_path))
        message = error.message if len(error.message) <= 300 else error.message[:300] + "…"
        raise FormatError(f"certificate format v{VERSION}: at {where}: {message}")


def check_envelope(obj) -> None:
    """The envelope (``certificate.v1.json``) and the tiers its verdict needs; FormatError otherwise."""
    _validate(obj, "certificate")
    verdict, tier = obj["verdict"], obj["tier"]
    if not obj["seconds"] < 1e300:  # an integer of 400 digits is a JSON number, and no time
        raise FormatError(f"seconds = {str(obj['seconds'])[:20]}… must be finite and ≥ 0")
    if verdict == "proved" and tier not in EXACT_TIERS:
        raise FormatError(f"verdict 'proved' needs an exact tier {EXACT_TIERS}, not tier {tier!r}")
    if verdict == "certified" and tier not in EXACT_TIERS + ("ball",):
        raise FormatError(f"verdict 'certified' needs an exact or the ball tier, not tier {tier!r}")
    if verdict == "refuted" and tier in ("mp", "float", "none"):
        raise FormatError(f"verdict 'refuted' needs an exact or certified counterexample, not tier {tier!r}")
    if verdict == "numerical" and tier == "none":
        raise FormatError("verdict 'numerical' needs a computation, not tier 'none'")


def witness_kind(claim: str, verdict: str, tier: str, evidence: str) -> tuple[str, str] | None:
    """(schema file, definition) of the witness of this certificate; None when the kernel reads no witness."""
    off = verdict == "hypothesis-fails" and evidence.startswith(OFF_M_PREFIX)
    if claim in AT_POINT + ZERO_SET and off:
        return "point", "off_M"
    if verdict not in _ASSERTING:
        return None
    if claim in AT_POINT:
        return "point", "on_M_ball" if tier == "ball" else "on_M_exact"
    if claim in ZERO_SET:
        return "zero_set", "witness"
    if claim in CONSTRUCTION:
        return "construction", claim
    if claim in GLOBAL:
        return "global", claim
    return None


def check_witness(obj) -> tuple[str, str] | None:
    """Validate the witness against the schema of its kind; returns the kind (None: a witness not read)."""
    kind = witness_kind(obj["claim"], obj["verdict"], obj["tier"], obj["evidence"])
    if kind is not None:
        _validate(obj["witness"], kind[0], kind[1], prefix="witness")
    return kind


#: recorded fields the kernel does not re-derive, by witness kind: (path, why)
_PROSE = {
    "on_M_exact": (("point_source", "how the point was found"), ("rank/method", "the engine's method, text"),
                   ("perturbation", "how the instance was perturbed to reach the point")),
    "on_M_ball": (("point_source", "how the point was found"), ("rank/method", "the engine's method, text"),
                  ("rank/minor/det", "the engine's own nonsingularity bound, text (the kernel recomputes det)"),
                  ("smoothness_at", "breakpoints hit at the engine's point; the kernel re-derives them at m'")),
    "off_M": (("point_source", "how the point was found"),),
    "witness": (("exponents", "example exponents a; the statement is for every a > 0"),
                ("rank", "the rank of J_H(m), not part of the zero-set statement")),
    "lem-3.3": (),
    "cor-3.4": (("departure", "text"),),
    "thm-2.1-global": (("engine", "text"), ("system", "text"), ("charts", "msolve's chart sizes and statuses"),
                       ("chart", "the chart msolve found the point in"), ("slice", "how msolve sliced")),
    "dim-M-global": (("engine", "text"), ("basis_size", "the size of msolve's Gröbner basis")),
}
_MODEL = (("model/source", "the file the model was read from"),
          ("model/point", "that this is the file's weights (the distances to it are re-derived)"),
          ("model/bias_convention", "text"), ("model/nearest_method", "the engine's method, text"),
          ("model/resolved_columns", "which columns the engine re-solved"))


def _has(w: dict, path: str) -> bool:
    node = w
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def unvouched(obj, kind: tuple[str, str] | None) -> tuple[str, ...]:
    """The recorded fields of ``obj`` the kernel does not vouch for, one ``field (why)`` each, and the certificate's
    own ``not_vouched`` list."""
    out = [f"{k}" for k in ("evidence", "hypotheses", "details", "seconds", "expected") if k in obj]
    w = obj.get("witness") if isinstance(obj.get("witness"), dict) else {}
    if kind is None:
        return tuple(out + (["witness (not read for this verdict)"] if w else []))
    for path, why in _PROSE.get(kind[1], ()) + (_MODEL if "model" in w else ()):
        if _has(w, path):
            out.append(f"witness/{path} ({why})")
    out += [f"witness: {x}" for x in w.get("not_vouched", ())]
    return tuple(out)
