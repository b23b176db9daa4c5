"""Small Markdown/LaTeX writers for :mod:`proofs_check.proof.text`: certificate values as LaTeX, vectors, matrices
and tables, with a size limit beyond which the text says where the full data is instead of printing it.

The values are the strings a certificate stores (``"3/5"``, ``"-6*exp(10/3) + 2*exp(2)"``, an Arb ball
``"[0.0676 +/- 8.3e-40]"``); they are rewritten textually, never evaluated.

>>> tex("-3/5")
'-\\\\tfrac{3}{5}'
>>> tex("3*exp(-2/3)/2")
'3\\\\,e^{-2/3}/2'
>>> tex("[0.25 +/- 1.2e-40]")
'[0.25 \\\\pm 1.2\\\\cdot 10^{-40}]'
>>> matrix([["1", "0"], ["1/2", "2"]])
'\\\\begin{pmatrix} 1 & 0 \\\\\\\\ \\\\tfrac{1}{2} & 2 \\\\end{pmatrix}'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["tex", "vector", "matrix", "fits", "table", "MAX_ENTRIES", "MAX_COLUMNS", "MAX_CHARS"]

#: a matrix or vector is printed in full up to this many entries, this many columns and this many characters
MAX_ENTRIES = 144
MAX_COLUMNS = 12
MAX_CHARS = 4000

_RATIONAL = re.compile(r"^(-?)(\d+)/(\d+)$")
_EXP = re.compile(r"exp\(([^()]*)\)")
_SCI = re.compile(r"(\d)e([-+]?\d+)")
_BALL = re.compile(r"^\[(.*)\+/-(.*)\]$")


def tex(value) -> str:
    """One certificate value as LaTeX (a rational as a fraction, ``exp(q)`` as ``e^{q}``, a ball as ``[m ± r]``)."""
    text = str(value).strip()
    ball = _BALL.match(text)
    if ball:
        mid, rad = ball.group(1).strip(), ball.group(2).strip()
        return f"[{_plain(mid) + ' ' if mid else ''}\\pm {_plain(rad)}]"
    m = _RATIONAL.match(text)
    if m:
        return f"{m.group(1)}\\tfrac{{{m.group(2)}}}{{{m.group(3)}}}"
    return _plain(text)


def _plain(text: str) -> str:
    text = _EXP.sub(lambda m: "e^{" + m.group(1).replace(" ", "") + "}", text)
    text = _SCI.sub(lambda m: f"{m.group(1)}\\cdot 10^{{{int(m.group(2))}}}", text)
    return text.replace("**", "^").replace("*", "\\,")


def fits(rows: int, cols: int, texts: Sequence[str] = ()) -> bool:
    """Whether a rows × cols array is small enough to print in full."""
    wide = cols <= MAX_COLUMNS or (rows == 1 and cols <= 4 * MAX_COLUMNS)  # a vector may run on
    return rows * cols <= MAX_ENTRIES and wide and sum(len(t) for t in texts) <= MAX_CHARS


def vector(values: Sequence, transpose: bool = False) -> str:
    """``(v_1, …, v_k)`` (a row) or, with ``transpose``, the column ``(v_1, …, v_k)ᵀ``."""
    body = ",\\ ".join(tex(v) for v in values)
    return f"({body})" + ("^{\\mathsf T}" if transpose else "")


def matrix(rows: Sequence[Sequence]) -> str:
    """A pmatrix of certificate values."""
    return "\\begin{pmatrix} " + " \\\\ ".join(" & ".join(tex(v) for v in row) for row in rows) + " \\end{pmatrix}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (cells already formatted)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)
