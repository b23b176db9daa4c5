"""What a claim check hands back: a small immutable, self-describing verdict.

A :class:`Certificate` records, for one claim of the paper on one instance, what was
decided (the verdict), with which arithmetic (the tier), the evidence in a few words,
which hypotheses of the claim were checked, a plain-data witness an independent checker
can re-verify, and the time it took.

The constructor refuses impossible states: a verdict only a proof can give from
arithmetic that cannot prove it. ``proved`` needs an exact tier, ``certified`` an exact
or rigorous (ball) tier, and a floating-point computation can neither prove, certify nor
refute.

>>> c = Certificate(
...     claim="lem-3.3", instance="square", verdict="proved", tier="exact",
...     evidence="A lower triangular, diagonal nonzero; f(x_i) = y_i",
...     hypotheses=(("x_i distinct", "yes"),), witness={"m": ["1/2", "-3"]},
...     seconds=0.01, expected="proved")
>>> c.ok
True
>>> Certificate.from_json_obj(c.to_json_obj()) == c
True
>>> c.witness["m"]
('1/2', '-3')
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from proofs_check.render import (
    COLUMNS,
    abbreviate_numbers,
    any_size_ints,
    dumps as _dumps,
    format_table,
    html_table,
    latex_text,
    markdown,
    summary_line,
    text_row,
)
from proofs_check.verdicts import EXACT_TIERS, FLOAT_TIERS, RIGOROUS_TIERS, TIERS, VERDICTS

__all__ = [
    "VERDICTS",
    "EXACT_TIERS",
    "RIGOROUS_TIERS",
    "FLOAT_TIERS",
    "TIERS",
    "Certificate",
    "CertificateList",
    "COLUMNS",
    "format_table",
    "summary_line",
    "abbreviate_numbers",
    "any_size_ints",
]


_JSON_KEYS = ("claim", "instance", "verdict", "tier", "evidence", "hypotheses",
              "witness", "seconds", "details", "expected")
_OPTIONAL_KEYS = ("details", "expected")



class _FrozenDict(dict):
    """A dict that refuses mutation; still a ``dict`` for ``json.dumps`` and ``isinstance``."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("Certificate.witness is read-only")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (_FrozenDict, (dict(self),))

    def __copy__(self) -> _FrozenDict:
        return self

    def __deepcopy__(self, memo: dict) -> _FrozenDict:
        return self


_NAN = re.compile(r"(?<![A-Za-z_])nan(?![A-Za-z_(])|(?<![A-Za-z_^])(?<!\+/- )[-+]?inf(?![A-Za-z_])",
                  re.IGNORECASE)


def _no_nan(where: str, text: str) -> str:
    """Text stating a number that is NaN or ±inf (a float formatted as 'nan' or 'inf', an Arb ball 'nan') is
    refused; an Arb ball's unbounded radius '[+/- inf]' is an enclosure and passes."""
    if ("n" in text or "N" in text) and _NAN.search(text):  # both spellings contain an n: a long number skips
        raise ValueError(f"{where} states a number that is NaN or infinite ({text[:120]!r}): no certificate "
                         "carries one")
    return text


def _freeze_json(value: Any, where: str) -> Any:
    """A deep, immutable copy of JSON-able plain data (lists become tuples), or ValueError naming `where`."""
    if isinstance(value, str):
        return _no_nan(where, value)
    if type(value) is _FrozenDict:  # frozen (and checked) by this function already: a replace() of a certificate
        return value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} = {value!r} is not finite; write exact values as strings")
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_freeze_json(v, f"{where}[{i}]") for i, v in enumerate(value))
    if type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        for k, v in value.items():  # {name: text} (a listed point of a million entries): no path built per entry
            if "n" in v or "N" in v:
                _no_nan(f"{where}[{k!r}]", v)
        return _FrozenDict(value)
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"{where} has key {k!r} of type {type(k).__name__}; JSON keys are strings")
            out[k] = _freeze_json(v, f"{where}[{k!r}]")
        return _FrozenDict(out)
    raise ValueError(
        f"{where} = {value!r} of type {type(value).__name__} is not JSON-serialisable plain data"
    )


def _thaw_json(value: Any) -> Any:
    """The plain (list/dict) deep copy of frozen JSON data."""
    if isinstance(value, tuple):
        return [_thaw_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _thaw_json(v) for k, v in value.items()}
    return value


def _require_str(name: str, value: Any, *, nonempty: bool = False) -> None:
    if not isinstance(value, str):
        raise TypeError(f"Certificate.{name} must be a str, got {value!r} of type {type(value).__name__}")
    if nonempty and not value.strip():
        raise ValueError(f"Certificate.{name} must be non-empty, got {value!r}")


@dataclass(frozen=True)
class Certificate:
    """The verdict of one claim on one instance, with its evidence and witness.

    Args:
        claim: the claim id, e.g. ``"prop-2.3"``.
        instance: the name of the instance (data set, network, point).
        verdict: one of :data:`VERDICTS`.
        tier: the arithmetic that decided it, one of :data:`TIERS` (``"none"`` when nothing
            was computed).
        evidence: a few words for humans.
        hypotheses: ``(hypothesis, status)`` pairs, e.g. ``("x_i distinct", "yes")``.
        witness: JSON-able plain data (exact values as strings such as ``"3/5"``); stored as
            a read-only deep copy, lists as tuples.
        seconds: wall time, ≥ 0.
        details: longer step-by-step lines.
        expected: the verdict the paper predicts for this instance, if known.

    Raises:
        ValueError: an impossible state (unknown verdict or tier; ``proved`` outside
            :data:`EXACT_TIERS`; ``certified`` outside exact and rigorous tiers; ``refuted``
            or ``numerical`` with nothing computed or ``refuted`` from a float tier; negative
            seconds; a witness that is not JSON plain data).
        TypeError: a field of the wrong type.
    """

    claim: str
    instance: str
    verdict: str
    tier: str
    evidence: str
    hypotheses: tuple[tuple[str, str], ...]
    witness: dict = field(hash=False)
    seconds: float
    details: tuple[str, ...] = ()
    expected: str | None = None

    def __post_init__(self) -> None:
        _require_str("claim", self.claim, nonempty=True)
        _require_str("instance", self.instance, nonempty=True)
        _require_str("verdict", self.verdict)
        _require_str("tier", self.tier)
        _require_str("evidence", self.evidence)
        if self.verdict not in VERDICTS:
            raise ValueError(f"Certificate.verdict = {self.verdict!r} is not one of {VERDICTS}")
        if self.tier not in TIERS:
            raise ValueError(f"Certificate.tier = {self.tier!r} is not one of {TIERS}")
        if self.expected is not None and self.expected not in VERDICTS:
            raise ValueError(f"Certificate.expected = {self.expected!r} is not None or one of {VERDICTS}")
        if self.verdict == "proved" and self.tier not in EXACT_TIERS:
            raise ValueError(f"Certificate.verdict = 'proved' needs an exact tier {EXACT_TIERS}, "
                             f"but tier = {self.tier!r}")
        if self.verdict == "certified" and self.tier not in EXACT_TIERS + RIGOROUS_TIERS:
            raise ValueError(f"Certificate.verdict = 'certified' needs a tier in "
                             f"{EXACT_TIERS + RIGOROUS_TIERS}, but tier = {self.tier!r}")
        if self.verdict == "refuted" and self.tier in FLOAT_TIERS + ("none",):
            raise ValueError(f"Certificate.verdict = 'refuted' needs an exact or certified counterexample, "
                             f"but tier = {self.tier!r}")
        if self.verdict == "numerical" and self.tier == "none":
            raise ValueError("Certificate.verdict = 'numerical' needs a computation, but tier = 'none'")
        seconds = self.seconds
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(f"Certificate.seconds must be a number, got {seconds!r}")
        if not (seconds < 1e300 and math.isfinite(seconds)) or seconds < 0:  # 10**400: no OverflowError
            raise ValueError(f"Certificate.seconds = {seconds!r} must be finite and ≥ 0")
        object.__setattr__(self, "seconds", float(seconds))
        object.__setattr__(self, "hypotheses", self._checked_hypotheses(self.hypotheses))
        if isinstance(self.details, str) or not isinstance(self.details, Iterable):
            raise TypeError(f"Certificate.details must be a sequence of str, got {self.details!r}")
        details = tuple(self.details)
        _no_nan("Certificate.evidence", self.evidence)
        for i, line in enumerate(details):
            _require_str(f"details[{i}]", line)
            _no_nan(f"Certificate.details[{i}]", line)
        object.__setattr__(self, "details", details)
        if not isinstance(self.witness, Mapping):
            raise ValueError(f"Certificate.witness = {self.witness!r} must be a dict of JSON plain data")
        frozen = type(self.witness) is _FrozenDict  # checked when first frozen (a replace() of a certificate)
        witness = _freeze_json(self.witness, "Certificate.witness")
        try:  # belt and braces: what we store must serialise
            _ = frozen or _dumps(witness)
        except (TypeError, ValueError) as exc:  # pragma: no cover - _freeze_json already checked
            raise ValueError(f"Certificate.witness is not JSON-serialisable: {exc}") from None
        object.__setattr__(self, "witness", witness)

    @staticmethod
    def _checked_hypotheses(hypotheses: Any) -> tuple[tuple[str, str], ...]:
        if isinstance(hypotheses, str) or not isinstance(hypotheses, Iterable):
            raise TypeError(f"Certificate.hypotheses must be a sequence of (hypothesis, status) pairs, "
                            f"got {hypotheses!r}")
        out = []
        for i, pair in enumerate(hypotheses):
            if isinstance(pair, str) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"Certificate.hypotheses[{i}] = {pair!r} is not a (hypothesis, status) pair")
            _require_str(f"hypotheses[{i}][0]", pair[0])
            _require_str(f"hypotheses[{i}][1]", pair[1])
            out.append((pair[0], pair[1]))
        return tuple(out)

    # ----------------------------------------------------------------- predicates

    @property
    def ok(self) -> bool:
        """Whether the verdict is the one expected (with no expectation: proved or certified)."""
        if self.expected is None:
            return self.verdict in ("proved", "certified")
        return self.verdict == self.expected

    # ----------------------------------------------------------------------- JSON

    def to_json_obj(self) -> dict:
        """Plain JSON data; :meth:`from_json_obj` is its inverse."""
        return {
            "claim": self.claim,
            "instance": self.instance,
            "verdict": self.verdict,
            "tier": self.tier,
            "evidence": self.evidence,
            "hypotheses": [{"hypothesis": h, "status": s} for h, s in self.hypotheses],
            "witness": _thaw_json(self.witness),
            "seconds": self.seconds,
            "details": list(self.details),
            "expected": self.expected,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The certificate as a JSON string."""
        return _dumps(self.to_json_obj(), indent=indent)

    @classmethod
    def from_json_obj(cls, obj: Any) -> Certificate:
        """Rebuild a certificate from :meth:`to_json_obj` output.

        Raises:
            ValueError: ``obj`` is not such an object, or describes an impossible state.
        """
        if not isinstance(obj, Mapping):
            raise ValueError(f"a certificate must be a JSON object, got {type(obj).__name__}")
        missing = [k for k in _JSON_KEYS if k not in obj and k not in _OPTIONAL_KEYS]
        unknown = sorted(set(obj) - set(_JSON_KEYS))
        if missing or unknown:
            raise ValueError(f"malformed certificate: missing keys {missing}, unknown keys {unknown}")
        hyps = obj["hypotheses"]
        if not isinstance(hyps, list) or not all(
            isinstance(h, Mapping) and set(h) == {"hypothesis", "status"} for h in hyps
        ):
            raise ValueError(f"malformed certificate: 'hypotheses' must be a list of "
                             f"{{'hypothesis', 'status'}} objects, got {hyps!r}")
        details = obj.get("details", [])
        if not isinstance(details, list):
            raise ValueError(f"malformed certificate: 'details' must be a list, got {details!r}")
        try:
            return cls(
                claim=obj["claim"], instance=obj["instance"], verdict=obj["verdict"],
                tier=obj["tier"], evidence=obj["evidence"],
                hypotheses=tuple((h["hypothesis"], h["status"]) for h in hyps),
                witness=obj["witness"], seconds=obj["seconds"], details=tuple(details),
                expected=obj.get("expected"),
            )
        except TypeError as exc:
            raise ValueError(f"malformed certificate: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> Certificate:
        """Inverse of :meth:`to_json`; raises ValueError on malformed input."""
        return cls.from_json_obj(json.loads(text))

    # -------------------------------------------------------------------- display

    def text_row(self, widths: Mapping[str, int]) -> str:
        """This certificate as one row of :func:`format_table` (evidence may wrap onto more lines).

        ``widths`` maps each column of :data:`COLUMNS` to its width.
        """
        return text_row(self, widths)

    def to_markdown(self) -> str:
        """A one-row Markdown table followed by the hypotheses checked."""
        return markdown([self])

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def proof(self):
        """The proof in words of this certificate (:class:`proofs_check.proof.text.Proof`: Markdown with LaTeX,
        shown as such in Jupyter): statement, instance, hypotheses, the steps with the witness's numbers, and what
        is not proved."""
        from proofs_check.proof import prove  # measured: 0.4 s of jsonschema, paid only when a proof is asked for

        return prove(self)

    def _repr_html_(self) -> str:
        return html_table([self])

    def _repr_latex_(self) -> str:
        """One line for LaTeX front ends: claim, instance, verdict (tier) and the evidence, as text."""
        return "$" + latex_text(f"{self.claim} on {self.instance}: {self.verdict} ({self.tier}) — {self.evidence}") \
            + "$"

    def __str__(self) -> str:
        return format_table([self])


class CertificateList(tuple):
    """An immutable sequence of certificates that renders as one table (text, Markdown, HTML, JSON)."""

    def __new__(cls, certificates: Iterable[Certificate] = ()) -> CertificateList:
        items = tuple(certificates)
        for i, c in enumerate(items):
            if not isinstance(c, Certificate):
                raise TypeError(f"CertificateList item {i} is {c!r}, not a Certificate")
        return super().__new__(cls, items)

    def __repr__(self) -> str:
        return f"CertificateList({tuple(self)!r})"

    @property
    def all_ok(self) -> bool:
        """Whether every verdict is as expected (see :attr:`Certificate.ok`)."""
        return all(c.ok for c in self)

    def to_json_obj(self) -> list:
        return [c.to_json_obj() for c in self]

    def to_json(self, indent: int | None = 2) -> str:
        return _dumps(self.to_json_obj(), indent=indent)

    @classmethod
    def from_json(cls, text: str) -> CertificateList:
        obj = json.loads(text)
        if not isinstance(obj, list):
            raise ValueError(f"a certificate list must be a JSON array, got {type(obj).__name__}")
        return cls(Certificate.from_json_obj(o) for o in obj)

    def to_markdown(self) -> str:
        return markdown(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return html_table(self)

    def __str__(self) -> str:
        return format_table(self)
