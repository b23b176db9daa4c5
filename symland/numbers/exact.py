"""Exact numbers from text: ``"0.1"`` is 1/10, ``"1/3"`` is allowed, and an exact number prints at any size.

Every reader of symland (data sets, points, model weights, certificates' inputs) turns a coordinate into the exact
rational it denotes (python-flint ``fmpq``) here, never through a float.

>>> parse_exact("0.1"), parse_exact("-7/2"), parse_exact("2.5E+4"), parse_exact("+1/2")
(1/10, -7/2, 25000, 1/2)
"""

from __future__ import annotations

import math
import numbers
import re
from fractions import Fraction
from typing import Any

import sympy
from flint import fmpq, fmpz

from symland.errors import ParseError

__all__ = ["parse_exact", "parse_quotient", "Quotient", "number_text", "MAX_EXPONENT", "QUOTIENT_CHARS"]

MAX_EXPONENT = 10**6

_NUMBER = re.compile(r"([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?", re.ASCII)
_FRACTION = re.compile(r"([+-]?\d+)/(\d+)", re.ASCII)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fail(value: Any, where: str, why: str) -> ParseError:
    prefix = f"{where}: " if where else ""
    return ParseError(f"{prefix}{_show(value)} {why}")


def _parse_string(text: str, where: str) -> fmpq:
    s = text.strip()
    if not s:
        raise _fail(text, where, "is empty, not a number")
    m = _FRACTION.fullmatch(s)
    if m:
        num, den = fmpz(m.group(1).lstrip("+")), fmpz(m.group(2))
        if den == 0:
            raise _fail(text, where, "has a zero denominator")
        return fmpq(num, den)
    m = _NUMBER.fullmatch(s)
    if not m:
        raise _fail(text, where, "is not a finite number (expected e.g. -3, 0.1, 1e-3 or 1/3)")
    sign, mantissa, exp_text = m.groups()
    whole, _, frac = mantissa.partition(".")
    exponent = 0
    if exp_text is not None:
        digits = exp_text.lstrip("+-").lstrip("0")
        if len(digits) > 7 or int(digits or "0") > MAX_EXPONENT:
            raise _fail(text, where, f"has an exponent beyond ±{MAX_EXPONENT}")
        exponent = int(exp_text)
    value = fmpq(fmpz((whole + frac).lstrip("0") or "0"))
    shift = exponent - len(frac)
    value = value * fmpz(10) ** shift if shift >= 0 else value / fmpz(10) ** (-shift)
    return -value if sign == "-" else value


def parse_exact(value: Any, *, where: str = "") -> fmpq:
    """Convert ``value`` to the exact rational it denotes.

    Accepts int, ``fmpq``/``fmpz``, ``fractions.Fraction``, sympy ``Rational`` and strings: integers ``"-3"``,
    decimals ``"0.1"`` (exactly 1/10), scientific ``"1e-3"``/``"2.5E+4"`` and fractions ``"1/3"``, with surrounding
    whitespace.  A finite Python float is converted exactly (its binary value: ``0.1`` is not 1/10); prefer strings.

    Args:
        value: the value to convert.
        where: where the value comes from (e.g. ``"points.csv row 3 column x2"``), for the error message.

    Raises:
        ParseError: empty, non-numeric, NaN or infinite values, zero denominators, booleans, exponents whose
            absolute value exceeds 10**6.

    >>> parse_exact(" 1e-300 ") == fmpq(1, fmpz(10) ** 300)
    True
    """
    if isinstance(value, fmpq):
        return value
    if isinstance(value, bool):
        raise _fail(value, where, "is a boolean, not a number")
    if isinstance(value, (int, fmpz)):
        return fmpq(value)
    if isinstance(value, str):
        return _parse_string(value, where)
    if isinstance(value, sympy.Basic):
        if isinstance(value, sympy.Rational):
            return fmpq(int(value.p), int(value.q))
        raise _fail(value, where, "is not an exact rational number")
    if isinstance(value, (Fraction, numbers.Rational)):
        return fmpq(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):
        x = float(value)
        if not math.isfinite(x):
            raise _fail(value, where, "is not a finite number")
        num, den = x.as_integer_ratio()
        return fmpq(num, den)
    raise _fail(value, where, f"is a {type(value).__name__}, not a number")


def number_text(value: Any, max_digits: int | None = None) -> str:
    """An exact number (int, ``fmpz``, ``fmpq``) as text, with no limit on its size.

    Python's ``str(int)`` refuses integers of more than 4,300 digits (a guard against its quadratic conversion);
    flint's printer has no such limit and is quasi-linear, so every integer is printed through ``fmpz``/``fmpq``.
    With ``max_digits``, a longer numerator or denominator is abbreviated to its first and last digits and its
    length, for tables; JSON carries the full value.

    >>> number_text(10**5000)[:8], len(number_text(10**5000))
    ('10000000', 5001)
    >>> number_text(fmpq(-(10**80), 3), max_digits=20)
    '-1000000000…0000000000 (81 digits)/3'
    """
    q = value if isinstance(value, fmpq) else fmpq(fmpz(value))
    parts = [str(q.p), str(q.q)] if q.q != 1 else [str(q.p)]
    if max_digits is not None:
        half = max(1, max_digits // 2)
        for i, part in enumerate(parts):
            sign, digits = ("-", part[1:]) if part.startswith("-") else ("", part)
            if len(digits) > max_digits:
                parts[i] = f"{sign}{digits[:half]}…{digits[-half:]} ({len(digits)} digits)"
    return "/".join(parts)


#: a fraction text from which :func:`parse_quotient` keeps numerator and denominator as written (no gcd)
QUOTIENT_CHARS = 4096


class Quotient:
    """The exact rational ``p / q`` (``fmpz``, q > 0) *not* brought to lowest terms.

    Bringing a fraction of two 300,000-bit integers to lowest terms costs a gcd of about 25 ms; a user's point of M
    at d = 1000 has a thousand such output weights, and the ``given-mod-p`` route needs them only in sums over a
    common denominator and mod p (p ∤ q), where lowest terms do not matter. ``text`` is a fraction text that
    denotes the value (the one read when it is plain, ``-?[1-9][0-9]*/[1-9][0-9]*``). :meth:`fmpq` gives the
    canonical rational when it is needed after all.
    """

    __slots__ = ("p", "q", "text")

    def __init__(self, p: fmpz, q: fmpz, text: str | None = None):
        if q <= 0:
            raise ValueError("Quotient: the denominator must be positive")
        self.p, self.q, self.text = p, q, text

    def __bool__(self) -> bool:
        return not self.p.is_zero()

    def fmpq(self) -> fmpq:
        return fmpq(self.p, self.q)

    def __repr__(self) -> str:
        return f"Quotient({len(str(self.p))} digits / {len(str(self.q))} digits)"

    def to_text(self) -> str:
        return self.text if self.text is not None else f"{self.p}/{self.q}"


def parse_quotient(text: Any, *, where: str = "") -> Quotient | None:
    """A fraction text ``[+-]digits/digits`` of more than :data:`QUOTIENT_CHARS` characters as a :class:`Quotient`
    (validated, no gcd); None for any other value (parse it as usual).

    Raises:
        ParseError: such a fraction with a zero denominator.

    >>> parse_quotient("6/4") is None, parse_quotient("6" * 5000 + "/4").q
    (True, 4)
    """
    if not isinstance(text, str) or len(text) <= QUOTIENT_CHARS:
        return None
    s = text.strip()
    a, _, b = s.partition("/")
    digits = a[1:] if a[:1] in "+-" else a
    if not (digits and b and digits.isascii() and b.isascii() and digits.encode().isdigit() and b.encode().isdigit()):
        return None  # not [+-]digits/digits (bytes.isdigit: a regex costs ~8 s per 200 MB)
    num, den = fmpz(a.lstrip("+")), fmpz(b)
    if den == 0:
        raise _fail(text, where, "has a zero denominator")
    plain = a[:1] != "+" and digits[0] != "0" and b[0] != "0"  # -?[1-9][0-9]*/[1-9][0-9]*
    return Quotient(num, den, s if plain else None)
