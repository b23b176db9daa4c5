"""Data sets S = {(x_i, y_i)} of exact rationals, and their CSV/JSON readers.

Section 3 (Lemma 3.3) fixes a data set with d points x_i ∈ ℝ^p and labels y_i (ℓ = 1; Remark 4.2 allows ℓ
outputs).  symland stores every coordinate as an exact rational (python-flint ``fmpq``): ``"0.1"`` means 1/10,
never the float nearest to it, and ``"1/3"`` is allowed.  Readers only parse; whether the x_i must be distinct is
decided by the claim (:meth:`Dataset.require_distinct`).

Exact numbers are parsed by :mod:`symland.numbers.exact` (:func:`parse_exact`, re-exported here).

>>> Dataset.from_rows([[0, 1], ["1/2", "0.5"]], ["1e-3", 2]).Y
((1/1000,), (2,))
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flint import fmpq

from symland.errors import DuplicateInputError, InputError, ParseError, ShapeError
from symland.numbers.exact import _show, number_text, parse_exact

__all__ = ["parse_exact", "Dataset", "read_csv", "read_json", "load_dataset", "read_text", "read_json_value",
           "number_text"]

MAX_FILE_BYTES = 50 * 10**6
#: a point file: exact points of M carry big rationals (a given point of [20, 1000, 1000, 1]: 200 MB of digits)
MAX_POINT_BYTES = 500 * 10**6
MAX_ROWS = 1_000_000
MAX_COLUMNS = 10_000

def _is_row(item: Any) -> bool:
    return isinstance(item, (list, tuple))


@dataclass(frozen=True)
class Dataset:
    """A data set S = {(x_i, y_i)}, i = 1..d, of exact rationals (Lemma 3.3; ℓ labels per point as in Remark 4.2).

    ``X`` holds d rows of p inputs and ``Y`` d rows of ℓ labels, every entry an ``fmpq``.  Build it with
    :meth:`from_rows`, :func:`read_csv`, :func:`read_json` or :func:`load_dataset`, which convert the values.

    Raises:
        ShapeError: no rows, a row of the wrong width, or X and Y of different lengths.
        ParseError: an entry that is not an ``fmpq``.
    """

    X: tuple[tuple[fmpq, ...], ...]
    Y: tuple[tuple[fmpq, ...], ...]

    def __post_init__(self) -> None:
        for name in ("X", "Y"):
            rows = getattr(self, name)
            if not _is_row(rows) or not all(_is_row(r) for r in rows):
                raise ShapeError(f"Dataset {name} must be a sequence of rows, got {_show(rows)}")
            object.__setattr__(self, name, tuple(tuple(r) for r in rows))
            rows = getattr(self, name)
            if not rows:
                raise ShapeError(f"Dataset {name} is empty: need at least one data point")
            width = len(rows[0])
            if width == 0:
                raise ShapeError(f"Dataset {name} rows are empty: need at least one column")
            for i, row in enumerate(rows, 1):
                if len(row) != width:
                    raise ShapeError(f"Dataset {name} row {i}: expected {width} values, found {len(row)}")
                for j, entry in enumerate(row, 1):
                    if not isinstance(entry, fmpq):
                        raise ParseError(f"Dataset {name} row {i} column {j}: expected an fmpq, got {_show(entry)}"
                                         " (use Dataset.from_rows to convert)")
        if len(self.X) != len(self.Y):
            raise ShapeError(f"Dataset has {len(self.X)} inputs but {len(self.Y)} labels")

    @property
    def d(self) -> int:
        """The number of data points d."""
        return len(self.X)

    @property
    def p(self) -> int:
        """The input dimension p (x_i ∈ ℝ^p)."""
        return len(self.X[0])

    @property
    def l(self) -> int:  # noqa: E743 -- the paper's ℓ
        """The number of labels ℓ per point (ℓ = 1 in Sections 3-4; Remark 4.2 allows more)."""
        return len(self.Y[0])

    @classmethod
    def from_rows(cls, X: Sequence[Sequence[Any]], Y: Sequence[Any], *, source: str = "") -> Dataset:
        """Build a data set from rows of anything :func:`parse_exact` accepts.

        ``Y`` is either a list of scalars (ℓ = 1) or a list of rows.  ``source`` prefixes error messages.

        >>> Dataset.from_rows([[0], [1]], [[1, 2], ["1/3", 0]]).l
        2
        """
        pre = f"{source} " if source else ""
        if not _is_row(X) or not all(_is_row(r) for r in X):
            raise ShapeError(f"{pre}X must be a list of rows, got {_show(X)}")
        xs = tuple(tuple(parse_exact(v, where=f"{pre}X row {i} column {j}") for j, v in enumerate(r, 1))
                   for i, r in enumerate(X, 1))
        return cls(xs, _label_rows(Y, pre))

    def with_labels(self, Y: Sequence[Any]) -> Dataset:
        """The same inputs with new labels ``Y`` (a list of scalars or of rows, as in :meth:`from_rows`)."""
        return Dataset(self.X, _label_rows(Y, ""))

    def y_column(self, k: int) -> tuple[fmpq, ...]:
        """The k-th label of every point (0-based k), i.e. (y_1k, ..., y_dk)."""
        if not 0 <= k < self.l:
            raise ShapeError(f"label column k={k} out of range: the data set has ℓ={self.l} labels")
        return tuple(row[k] for row in self.Y)

    def duplicate_inputs(self) -> list[tuple[int, int]]:
        """All pairs (i, j), i < j, 0-based, with x_i = x_j; empty when the inputs are distinct (Lemma 3.3)."""
        groups: dict[tuple[fmpq, ...], list[int]] = {}
        for i, x in enumerate(self.X):
            groups.setdefault(x, []).append(i)
        pairs = [(a, b) for g in groups.values() for n, a in enumerate(g) for b in g[n + 1:]]
        return sorted(pairs)

    def require_distinct(self) -> None:
        """Check the hypothesis of Lemma 3.3 that the x_i are distinct.

        Raises:
            DuplicateInputError: naming the first two equal rows (1-based), e.g.
                ``duplicate inputs: rows 2 and 5 have the same x = (1, 0)``.
        """
        pairs = self.duplicate_inputs()
        if pairs:
            i, j = pairs[0]
            more = f" (and {len(pairs) - 1} more pairs)" if len(pairs) > 1 else ""
            x = "(" + ", ".join(str(v) for v in self.X[i]) + ")"
            raise DuplicateInputError(f"duplicate inputs: rows {i + 1} and {j + 1} have the same x = {x}{more}")

    def to_json_obj(self) -> dict[str, list[list[str]]]:
        """A JSON-ready dict ``{"X": [[...]], "Y": [[...]]}`` of exact strings such as ``"1/3"``."""
        return {"X": [[str(v) for v in r] for r in self.X], "Y": [[str(v) for v in r] for r in self.Y]}

    def __repr__(self) -> str:
        return f"Dataset(d={self.d}, p={self.p}, l={self.l})"


def _label_rows(Y: Sequence[Any], pre: str) -> tuple[tuple[fmpq, ...], ...]:
    if not _is_row(Y):
        raise ShapeError(f"{pre}Y must be a list of labels or of label rows, got {_show(Y)}")
    kinds = {_is_row(y) for y in Y}
    if len(kinds) > 1:
        raise ShapeError(f"{pre}Y mixes scalars and rows")
    rows = Y if kinds == {True} else [[y] for y in Y]
    return tuple(tuple(parse_exact(v, where=f"{pre}Y row {i} column {j}") for j, v in enumerate(r, 1))
                 for i, r in enumerate(rows, 1))


def _read_bytes(name: str, max_bytes: int) -> bytes:
    """The file's bytes through a raw descriptor (a deadline interrupting the read leaves no open file object),
    at most ``max_bytes`` of them even when the size was not known in advance (a pipe, /dev/zero)."""
    fd = os.open(name, os.O_RDONLY)
    try:
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise InputError(f"{name}: file is larger than {max_bytes // 10**6} MB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> str:
    """A UTF-8 text file, refusing files over `max_bytes`; every failure is a one-line InputError."""
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > max_bytes:
            raise InputError(f"{name}: file is larger than {max_bytes // 10**6} MB ({size} bytes)")
        raw = _read_bytes(name, max_bytes)
    except FileNotFoundError:
        raise InputError(f"{name}: file not found") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read file ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def _split(line: str) -> list[str]:
    cells = next(csv.reader([line])) if '"' in line else line.split(",")
    return [c.strip() for c in cells]


def read_csv(path: str | os.PathLike[str]) -> Dataset:
    """Read a data set from CSV: a header ``x1,...,xp,y`` (or ``y1..yl``), then one row per point.

    Columns whose names start with ``x`` are inputs, those starting with ``y`` labels, inputs first.  Blank lines
    and lines starting with ``#`` are ignored; values are read by :func:`parse_exact`.  Row numbers in messages count
    data rows from 1 (the file line is given in parentheses).

    Raises:
        InputError: unreadable file, not UTF-8, larger than 50 MB, more than 10**6 rows or 10**4 columns.
        ShapeError: empty file, no header, no x or no y column, ragged rows, no data rows.
        ParseError: a value that is not a finite number.
    """
    name = os.fspath(path)
    lines = [(n, s) for n, s in enumerate(read_text(name).splitlines(), 1)
             if s.strip() and not s.lstrip().startswith("#")]
    if not lines:
        raise ShapeError(f"{name}: file is empty (no header and no data)")
    try:
        header = _split(lines[0][1])
    except csv.Error as exc:
        raise ParseError(f"{name} line {lines[0][0]}: malformed CSV ({exc})") from None
    if len(header) > MAX_COLUMNS:
        raise InputError(f"{name}: {len(header)} columns, more than the limit of {MAX_COLUMNS}")
    if len(header) == 1 and any(sep in header[0] for sep in ";\t"):
        raise ShapeError(f"{name}: columns must be separated by commas, header is {lines[0][1]!r}")
    kinds = [h[:1].lower() for h in header]
    if not {"x", "y"} & set(kinds):
        raise ShapeError(f"{name}: no header row (expected names like x1,x2,y; line {lines[0][0]} is {lines[0][1]!r})")
    bad = [h for h, k in zip(header, kinds) if k not in ("x", "y")]
    if bad:
        raise ShapeError(f"{name}: header column {bad[0]!r} is neither an input (x...) nor a label (y...)")
    p = kinds.count("x")
    if p == 0:
        raise ShapeError(f"{name}: no input column (names starting with 'x') in header {','.join(header)}")
    if p == len(header):
        raise ShapeError(f"{name}: no label column (names starting with 'y') in header {','.join(header)}")
    if kinds != ["x"] * p + ["y"] * (len(header) - p):
        raise ShapeError(f"{name}: input columns (x...) must come before label columns (y...): {','.join(header)}")
    if len(set(header)) != len(header):
        raise ShapeError(f"{name}: repeated column name in header {','.join(header)}")
    if len(lines) - 1 > MAX_ROWS:
        raise InputError(f"{name}: {len(lines) - 1} data rows, more than the limit of {MAX_ROWS}")
    if len(lines) == 1:
        raise ShapeError(f"{name}: no data rows after the header")
    X, Y = [], []
    for row, (lineno, line) in enumerate(lines[1:], 1):
        try:
            cells = _split(line)
        except csv.Error as exc:
            raise ParseError(f"{name} row {row} (line {lineno}): malformed CSV ({exc})") from None
        if len(cells) != len(header):
            raise ShapeError(f"{name} row {row} (line {lineno}): expected {len(header)} values, found {len(cells)}")
        vals = [parse_exact(c, where=f"{name} row {row} column {h}") for c, h in zip(cells, header)]
        X.append(tuple(vals[:p]))
        Y.append(tuple(vals[p:]))
    return Dataset(tuple(X), tuple(Y))


def _bad_constant(text: str) -> None:
    raise ValueError(f"non-finite number {text}")


def read_json_value(path: str | os.PathLike[str], what: str = "JSON", max_bytes: int = MAX_FILE_BYTES) -> Any:
    """The JSON value in a file, numbers kept as their text (``0.1`` stays ``"0.1"``, read exactly later).

    The one JSON reader for user files (data, points, networks): size-limited by :func:`read_text`, NaN and
    Infinity refused, and nesting too deep for the parser (``[[[[…]]]]``) reported, never a RecursionError.

    Raises:
        InputError: unreadable file, not UTF-8, larger than ``max_bytes`` (50 MB unless the caller says).
        ParseError: malformed JSON (with line and column), nested too deeply, NaN/Infinity.
    """
    name = os.fspath(path)
    text = read_text(name, max_bytes)
    try:
        return json.loads(text, parse_int=str, parse_float=str, parse_constant=_bad_constant)
    except json.JSONDecodeError as exc:
        raise ParseError(f"{name}: malformed {what} at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ParseError(f"{name}: malformed {what}: nested too deeply") from None
    except ValueError as exc:
        raise ParseError(f"{name}: {exc}") from None


def read_json(path: str | os.PathLike[str]) -> Dataset:
    """Read a data set from JSON ``{"X": [[...], ...], "Y": [...]}``.

    Values are strings (preferred) or numbers; a JSON number is read from its text, so ``0.1`` is exactly 1/10.
    ``Y`` is a flat list (ℓ = 1) or a list of rows.  Other keys are ignored.

    Raises:
        InputError: unreadable file, not UTF-8, larger than 50 MB, more than 10**6 rows or 10**4 inputs.
        ParseError: malformed JSON (with line and column, or nested too deeply), NaN/Infinity, a non-numeric value.
        ShapeError: missing ``X`` or ``Y``, ragged rows, no data.
    """
    name = os.fspath(path)
    obj = read_json_value(name)
    if not isinstance(obj, dict):
        raise ShapeError(f"{name}: expected a JSON object with keys \"X\" and \"Y\", got {type(obj).__name__}")
    for key in ("X", "Y"):
        if key not in obj:
            raise ShapeError(f"{name}: missing key {key!r}")
    X, Y = obj["X"], obj["Y"]
    if _is_row(X) and len(X) > MAX_ROWS:
        raise InputError(f"{name}: {len(X)} data rows, more than the limit of {MAX_ROWS}")
    if _is_row(X):
        wide = next((i for i, row in enumerate(X, 1) if _is_row(row) and len(row) > MAX_COLUMNS), None)
        if wide is not None:
            raise InputError(f"{name}: row {wide} of X has {len(X[wide - 1])} inputs, more than the limit of "
                             f"{MAX_COLUMNS}")
    return Dataset.from_rows(X, Y, source=name)


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Read a data set, choosing the reader by extension (``.csv``, ``.json``), else by content."""
    name = os.fspath(path)
    ext = os.path.splitext(name)[1].lower()
    if ext == ".csv":
        return read_csv(name)
    if ext == ".json":
        return read_json(name)
    return read_json(name) if read_text(name).lstrip().startswith("{") else read_csv(name)
