"""The spec of a sweep: a family of instances, each reproducible from its own seed.

A spec is a JSON object::

    {"count": 40, "seed": 7, "widths": [[2, 4, 1], [1, 3, 1]], "activations": ["rectpow3", "smoolu"],
     "data": {"d": 3, "values": [-5, 5], "denominator": 4}, "claims": ["lem-3.3", "thm-2.1"], "tier": "auto"}

Instance k (0 ≤ k < count) has its own seed s_k = the first 8 bytes of sha256("symland-sweep:<seed>:<k>"),
and draws from ``random.Random(s_k)``, in this order: widths from ``widths``, σ from ``activations``, then the
data. Generated data: d points (``d`` an integer, or ``[lo, hi]`` drawn per instance), p = widths[0] inputs and
ℓ = widths[-1] labels, every value n/denominator with n uniform in ``values`` = [lo, hi], the inputs x_i
distinct (redrawn until they are); with ``exponents`` (e.g. ``[-300, -40, 0, 40, 300]``) each value is also
scaled by 10^e, e drawn from the list (the soundness suite's extreme magnitudes). Instead,
``"data": {"files": ["a.csv", …]}`` draws a data file (paths relative to the spec file) and then widths among
those whose p and ℓ match it. Optional keys: ``timeout`` (seconds per instance, drawing its data included;
``--instance-timeout`` overrides it), ``name`` (prefix of the instance names, default ``s<seed>``), ``recheck``
(true: every ``proved``/``certified``/``refuted`` certificate is re-checked from its witness alone by
:func:`proofs_check.recheck.recheck` on the worker; the status is a ``recheck:`` line of its details, and a
rejection makes the sweep exit 1).

Every instance is claims × tier at the constructed point (Lemma 3.3 / Corollary 3.4), as ``symland verify
--data FILE --widths … --activation … --claim … --tier …`` decides it.

>>> spec = parse_spec({"count": 2, "seed": 7, "widths": [[1, 2, 1]], "activations": ["rectpow3"],
...                    "data": {"d": 2, "values": [-3, 3], "denominator": 2}, "claims": ["thm-2.1"]})
>>> [(i.key, i.widths, i.activation, len(i.X)) for i in expand(spec)]
[('s7-00000', (1, 2, 1), 'rectpow3', 2), ('s7-00001', (1, 2, 1), 'rectpow3', 2)]
>>> expand(spec)[0] == expand(spec)[0]
True
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from symland.errors import InputError

__all__ = ["SweepSpec", "SweepInstance", "parse_spec", "load_spec", "expand", "instance_seed", "TIERS", "draw",
           "draw_head", "instance_key", "loads_bounded"]

TIERS = ("auto", "exact", "symbolic", "ball", "mp", "float")
_KEYS = {"count", "seed", "widths", "activations", "data", "claims", "tier", "timeout", "name", "recheck"}
_DATA_KEYS = {"d", "values", "denominator", "exponents", "files"}
MAX_COUNT = 10**7
MAX_D = 10**4
#: A spec nests at most this deep (data.files → list → path); integers have at most MAX_INT_DIGITS digits.
MAX_DEPTH = 8
MAX_INT_DIGITS = 1000


class SpecError(InputError):
    """A sweep spec that cannot be used (names the key and the offending value)."""


@dataclass(frozen=True)
class SweepSpec:
    """A validated spec (see the module docstring)."""

    count: int
    seed: int
    widths: tuple
    activations: tuple
    claims: tuple
    tier: str
    d: tuple = (1, 1)  # [lo, hi] of the number of points
    values: tuple = (-5, 5)
    denominator: int = 1
    exponents: tuple = (0,)
    files: tuple = ()  # ((path, Dataset), …)
    timeout: float | None = None
    name: str = ""
    recheck: bool = False

    def fingerprint(self) -> str:
        """A hash of what decides the instances, so that ``--resume`` refuses another spec's results file."""
        obj = {"count": self.count, "seed": self.seed, "widths": self.widths, "activations": self.activations,
               "claims": self.claims, "tier": self.tier, "d": self.d, "values": self.values,
               "denominator": self.denominator, "name": self.name, "exponents": self.exponents,
               "files": [(p, ds.to_json_obj()) for p, ds in self.files]}
        return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SweepInstance:
    """One instance: its key (the certificate's instance name), seed, network and exact data as strings."""

    key: str
    index: int
    seed: int
    widths: tuple
    activation: str
    X: tuple
    Y: tuple
    source: str = ""  # the data file drawn, if any

    def data_obj(self) -> dict:
        return {"X": [list(r) for r in self.X], "Y": [list(r) for r in self.Y]}


def _json_int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS + 1:
        raise ValueError(f"an integer of {len(text.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:30]} is beyond the range of a float")
    return value


def _json_constant(text: str):
    raise ValueError(f"{text} is not a JSON number")


def _deeper_than(obj: Any, limit: int) -> bool:
    """Whether ``obj`` nests lists/objects more than ``limit`` levels deep (iteratively: no recursion)."""
    stack = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, tuple, dict)):
            if depth > limit:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


def loads_bounded(text: str, max_depth: int) -> Any:
    """``json.loads`` that refuses, with ValueError and one line, what would hang or overflow a reader: nesting
    deeper than ``max_depth`` (10⁵ nested lists included), integers of more than 1000 digits, numbers beyond a
    float, NaN and Infinity.

    >>> loads_bounded('[[1]]', 2)
    [[1]]
    >>> loads_bounded('[[[1]]]', 2)
    Traceback (most recent call last):
    ValueError: nested deeper than 2 levels
    """
    try:
        obj = json.loads(text, parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant)
    except RecursionError:
        raise ValueError(f"nested deeper than {max_depth} levels") from None
    if _deeper_than(obj, max_depth):
        raise ValueError(f"nested deeper than {max_depth} levels")
    return obj


def _fail(key: str, value: Any, why: str) -> SpecError:
    shown = json.dumps(value) if not isinstance(value, str) else repr(value)
    return SpecError(f"spec: {key} = {shown[:80]}: {why}")


def _int(obj, key, lo, hi, default=None):
    value = obj.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _fail(key, value, f"expected an integer from {lo} to {hi}")
    return value


def _range(obj, key, lo, hi, default):
    value = obj.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or not lo <= value[0] <= value[1] <= hi):
        raise _fail(f"data.{key}", value, f"expected an integer or [lo, hi] with {lo} ≤ lo ≤ hi ≤ {hi}")
    return tuple(value)


def _strings(obj, key, check) -> tuple:
    value = obj.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(key, value, "expected a non-empty list of names")
    for v in value:
        try:
            check(v)
        except InputError as exc:  # an unknown name: the message lists the valid ones
            raise _fail(key, v, str(exc)) from None
    return tuple(dict.fromkeys(value))


def parse_spec(obj: Any, *, base: str = ".") -> SweepSpec:
    """Validate a spec object (``base``: the directory data files are relative to).

    Raises:
        SpecError: (an InputError) naming the key and the value that cannot be used.
    """
    from symland.activations import get_activation

    from proofs_check.claims import resolve

    if not isinstance(obj, dict):
        raise SpecError(f"spec: expected a JSON object, got {type(obj).__name__}")
    if _deeper_than(obj, MAX_DEPTH):
        raise SpecError(f"spec: nested deeper than {MAX_DEPTH} levels (a spec is an object of lists and numbers)")
    unknown = sorted(set(obj) - _KEYS)
    if unknown:
        raise _fail(unknown[0], obj[unknown[0]], f"unknown key (known: {', '.join(sorted(_KEYS))})")
    for key in ("count", "widths", "activations", "claims"):
        if key not in obj:
            raise SpecError(f"spec: missing key {key!r}")
    count, seed = _int(obj, "count", 1, MAX_COUNT), _int(obj, "seed", 0, 2**63 - 1, 0)
    widths = obj["widths"]
    if (not isinstance(widths, list) or not widths
            or not all(isinstance(w, list) and len(w) >= 3 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                  and 1 <= v <= 10**4 for v in w) for w in widths)):
        raise _fail("widths", widths, "expected a non-empty list of [p, h_1, …, ℓ] with ≥ 1 hidden layer, "
                                      "sizes 1…10000")
    activations = _strings(obj, "activations", get_activation)
    claims = _strings(obj, "claims", lambda c: resolve([c]))
    tier = obj.get("tier", "auto")
    if tier not in TIERS:
        raise _fail("tier", tier, f"expected one of {', '.join(TIERS)}")
    timeout = obj.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                                or not 0 < timeout < 1e9):
        raise _fail("timeout", timeout, "expected a positive number of seconds")
    name = obj.get("name", f"s{seed}")
    if not isinstance(name, str) or not name or not all(c.isalnum() or c in "-_." for c in name):
        raise _fail("name", name, "expected letters, digits, - _ . (it names the data files)")
    data = obj.get("data", {})
    if not isinstance(data, dict):
        raise _fail("data", data, "expected an object {d, values, denominator} or {files}")
    bad = sorted(set(data) - _DATA_KEYS)
    if bad:
        raise _fail(f"data.{bad[0]}", data[bad[0]], f"unknown key (known: {', '.join(sorted(_DATA_KEYS))})")
    recheck = obj.get("recheck", False)
    if not isinstance(recheck, bool):
        raise _fail("recheck", recheck, "expected true or false")
    spec = dict(recheck=recheck, count=count, seed=seed, widths=tuple(tuple(w) for w in widths),
                activations=activations, claims=claims, tier=tier,
                timeout=None if timeout is None else float(timeout), name=name)
    if "files" in data:
        if set(data) != {"files"}:
            raise _fail("data", data, "give either files or {d, values, denominator}, not both")
        return SweepSpec(files=_files(data["files"], base, spec["widths"]), **spec)
    d = _range(data, "d", 1, MAX_D, 3)
    values = _range(data, "values", -10**9, 10**9, [-5, 5])
    den = _int(data, "denominator", 1, 10**9, 1)
    exps = data.get("exponents", [0])
    if (not isinstance(exps, list) or not exps
            or not all(isinstance(e, int) and not isinstance(e, bool) and -1000 <= e <= 1000 for e in exps)):
        raise _fail("data.exponents", exps, "expected a non-empty list of integers from -1000 to 1000")
    for w in spec["widths"]:
        if (values[1] - values[0] + 1) ** w[0] < d[1]:
            raise _fail("data.values", list(values), f"too few distinct inputs in Q^{w[0]} for d = {d[1]} points")
    return SweepSpec(d=d, values=values, denominator=den, exponents=tuple(exps), **spec)


def _files(files, base, widths) -> tuple:
    from symland.data import load_dataset

    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise _fail("data.files", files, "expected a non-empty list of paths")
    out = []
    for f in files:
        path = f if os.path.isabs(f) else os.path.normpath(os.path.join(base, f))
        ds = load_dataset(path)
        ds.require_distinct()
        if not any(w[0] == ds.p and w[-1] == ds.l for w in widths):
            raise _fail("data.files", f, f"no widths start with p = {ds.p} and end with ℓ = {ds.l}")
        out.append((path, ds))
    return tuple(out)


def load_spec(path: str) -> SweepSpec:
    """Read and validate a spec file (InputError, one line, when it cannot be used)."""
    from symland.data import read_text

    text = read_text(path)
    try:
        obj = loads_bounded(text, MAX_DEPTH)
    except json.JSONDecodeError as exc:
        raise SpecError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except ValueError as exc:
        raise SpecError(f"{path}: not a usable spec: {exc}") from None
    return parse_spec(obj, base=os.path.dirname(os.path.abspath(path)))


def instance_seed(seed: int, index: int) -> int:
    """The seed of instance ``index``: sha256 of ``symland-sweep:<seed>:<index>``, first 8 bytes."""
    return int.from_bytes(hashlib.sha256(f"symland-sweep:{seed}:{index}".encode()).digest()[:8], "big")


def _text(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def instance_key(spec: SweepSpec, index: int) -> str:
    """The name of instance ``index``: ``<name>-<index, 5 digits or more>``."""
    return f"{spec.name}-{index:05d}"


def draw_head(spec: SweepSpec, index: int) -> tuple:
    """(rng, widths, σ, (data file, Dataset) or None) of instance ``index``: what is drawn before its data (cheap;
    the rng is left where :func:`draw` continues)."""
    rng = random.Random(instance_seed(spec.seed, index))
    if spec.files:
        path, ds = spec.files[rng.randrange(len(spec.files))]
        fits = [w for w in spec.widths if w[0] == ds.p and w[-1] == ds.l]
        widths = fits[rng.randrange(len(fits))]
        return rng, tuple(widths), spec.activations[rng.randrange(len(spec.activations))], (path, ds)
    widths = spec.widths[rng.randrange(len(spec.widths))]
    return rng, tuple(widths), spec.activations[rng.randrange(len(spec.activations))], None


def draw(spec: SweepSpec, index: int) -> SweepInstance:
    """Instance ``index`` of the family, from its own seed alone."""
    s = instance_seed(spec.seed, index)
    key = instance_key(spec, index)
    rng, widths, sigma, source = draw_head(spec, index)
    if source is not None:
        path, ds = source
        X = tuple(tuple(str(v) for v in row) for row in ds.X)
        Y = tuple(tuple(str(v) for v in row) for row in ds.Y)
        return SweepInstance(key, index, s, widths, sigma, X, Y, source=path)
    d = rng.randint(*spec.d)
    p, l = widths[0], widths[-1]  # noqa: E741 - the paper's ℓ

    def value() -> str:
        q = Fraction(rng.randint(*spec.values), spec.denominator)
        if spec.exponents != (0,):
            q *= Fraction(10) ** spec.exponents[rng.randrange(len(spec.exponents))]
        return _text(q)

    X, seen = [], set()
    while len(X) < d:  # terminates: parse_spec checked that enough distinct inputs exist
        row = tuple(value() for _ in range(p))
        exact = tuple(Fraction(v) for v in row)
        if exact not in seen:
            seen.add(exact)
            X.append(row)
    Y = tuple(tuple(value() for _ in range(l)) for _ in range(d))
    return SweepInstance(key, index, s, tuple(widths), sigma, tuple(X), Y)


def expand(spec: SweepSpec) -> list[SweepInstance]:
    """Every instance of the family, in index order."""
    return list(iter_instances(spec))


def iter_instances(spec: SweepSpec) -> Iterator[SweepInstance]:
    for k in range(spec.count):
        yield draw(spec, k)
