"""The kernel's Arb arithmetic: balls read from a witness's text, σ on balls, and a forward pass over balls.

Shared by the ball re-check of a point (:mod:`.ball`) and the Krawczyk re-check of a box (:mod:`.newton`), which
is why it is a module of its own (neither imports the other). Only python-flint and the kernel's own modules.

>>> from flint import arb
>>> s = ArbSigma(sigma_for({"activation": "smoolu"}))
>>> s.value(arb(-1)), s.value(arb(0), 2), s.value(arb(1)).overlaps(arb(-1).exp())
(0, 0, True)
"""

from __future__ import annotations

import re
from fractions import Fraction

import sympy as sp
from flint import arb, arb_mat, ctx, fmpq

from proofs_check.recheck.exact import MAX_VALUE_CHARS, BadWitness, NotExact, Num, TooLarge, parse
from proofs_check.recheck.setting import Log
from proofs_check.recheck.sigma import Sigma, sigma_for  # noqa: F401 - sigma_for: the doctest

__all__ = ["Unchecked", "ArbSigma", "is_enclosure_witness", "to_arb", "MAX_PREC", "doubling"]

MAX_PREC = 4096  # the working precision is doubled up to this before giving up

_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?"
_BALL = re.compile(rf"\s*(?:{_NUM}|\[\s*(?:{_NUM}\s*)?(?:\+/-\s*{_NUM})?\s*\])\s*")


class Unchecked(Exception):
    """The re-checker cannot decide a step (a ball too wide, a form it does not read): neither accepted nor
    rejected."""


class _Wider(Exception):
    """An enclosure is too wide at this precision: start again at twice the precision."""


def is_enclosure_witness(w) -> bool:
    """Whether the witness is in the ball tier's form: its point or its residuals hold Arb enclosures
    (``[mid +/- rad]``), or its rank minor is certified by balls (no ``prime`` for a determinant mod p)."""
    point = w.get("point") if isinstance(w, dict) else None
    if not isinstance(point, dict):
        return False
    recorded = w.get("H") if isinstance(w.get("H"), (list, tuple)) else ()
    if any(isinstance(v, str) and "+/-" in v for v in list(point.values()) + list(recorded)):
        return True
    minor = (w.get("rank") or {}).get("minor") if isinstance(w.get("rank"), dict) else None
    return isinstance(minor, dict) and "prime" not in minor


def _arb_of_num(x: Num) -> arb:
    acc = arb(0)
    for q, c in x.terms.items():
        term = arb(fmpq(c.numerator, c.denominator))
        acc += term if q == 0 else term * arb(fmpq(q.numerator, q.denominator)).exp()
    return acc


def to_arb(value) -> arb:
    """An Arb ball from a witness value: a ball string as Arb prints it, or an exact value (e.g. ``1/3``)."""
    if not isinstance(value, str):
        raise BadWitness(f"a value must be a string, got {value!r:.60}")
    if len(value) > MAX_VALUE_CHARS:
        raise TooLarge(f"a value string of {len(value)} characters (the re-checker's limit is {MAX_VALUE_CHARS})")
    if _BALL.fullmatch(value) and value.strip() not in ("[]", ""):
        return arb(value.strip())
    return _arb_of_num(parse(value))


def arb_of(x: Fraction) -> arb:
    """The exact rational x as a ball (exact when it is dyadic and fits the precision)."""
    return arb(fmpq(x.numerator, x.denominator))


def _fraction(x: arb) -> Fraction:
    """An exact ball as a Fraction."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def _compile(e: sp.Expr, t: sp.Symbol):
    """A function arb → arb evaluating the sympy expression ``e`` in ``t`` (Unchecked for what it does not know)."""
    if e == t:
        return lambda z: z
    if e.is_Rational:
        c = arb(fmpq(int(e.p), int(e.q)))
        return lambda z: c
    if e is sp.E:
        return lambda z: arb(1).exp()
    if e is sp.pi:
        return lambda z: arb.pi()
    args = [_compile(a, t) for a in e.args]
    if isinstance(e, sp.Add):
        def add(z):
            acc = args[0](z)
            for f in args[1:]:
                acc = acc + f(z)
            return acc
        return add
    if isinstance(e, sp.Mul):
        def mul(z):
            acc = args[0](z)
            for f in args[1:]:
                acc = acc * f(z)
            return acc
        return mul
    if isinstance(e, sp.Pow):
        base, ex = args
        if e.exp.is_Integer:
            k = int(e.exp)
            return lambda z: base(z) ** k
        return lambda z: base(z) ** ex(z)
    unary = {sp.exp: arb.exp, sp.log: arb.log, sp.tanh: arb.tanh, sp.sinh: arb.sinh, sp.cosh: arb.cosh,
             sp.sin: arb.sin, sp.cos: arb.cos, sp.atan: arb.atan, sp.sqrt: arb.sqrt}
    for fn, meth in unary.items():
        if isinstance(e, fn) and len(args) == 1:
            (a,) = args
            return lambda z, a=a, meth=meth: meth(a(z))
    raise Unchecked(f"σ contains {type(e).__name__}, which the Arb evaluation does not know")


class ArbSigma:
    """σ^(k) on Arb balls from the exact pieces of a :class:`Sigma`."""

    def __init__(self, sigma: Sigma):
        self.sigma = sigma
        self._fns: dict = {}

    def _fn(self, i: int, k: int):
        if (i, k) not in self._fns:
            self._fns[(i, k)] = _compile(self.sigma._diff(i, k), self.sigma.t)
        return self._fns[(i, k)]

    def value(self, z: arb, k: int = 0) -> arb:
        """σ^(k)(z) enclosed; Unchecked when z straddles a breakpoint or σ^(k) is not defined at one."""
        i = 0
        for j, c in enumerate(self.sigma.breaks):
            cb = arb(fmpq(c.numerator, c.denominator))
            if z.is_exact() and z == cb:
                try:
                    return _arb_of_num(self.sigma.value(Num.of(c), k))
                except NotExact as exc:
                    raise Unchecked(f"σ^({k}) at the breakpoint {c}: {exc}") from None
            if z < cb:
                break
            if not z > cb:
                raise _Wider(f"a pre-activation {z} straddles the breakpoint {c} of σ")
            i = j + 1
        v = self._fn(i, k)(z)
        if not v.is_finite():
            raise _Wider(f"σ^({k}) at {z} is not enclosed by a finite ball")
        return v


def _at_breakpoints(sigma, pre: list) -> list:
    """The breakpoints of σ that exact balls of ``pre`` sit at (a ball straddling one was refused before; any
    other ball lies inside one analytic piece of σ)."""
    out = []
    for z in pre:
        for c in sigma.breaks:
            if z.is_exact() and z == arb(fmpq(c.numerator, c.denominator)):
                out.append(c)
    return out


def _forward(net, asig: ArbSigma, x: list, params: dict, wrt: set, order: int) -> tuple[list, list]:
    """Outputs [(f_c(x), {label: ∂f_c/∂label})] and the hidden pre-activations, over Arb (standard semantics).

    ``order``: 0 values only, 1 with derivatives, 2 also evaluates σ'' at every pre-activation (so that
    ``Unchecked`` says where it does not exist).
    """
    if net.semantics != "standard":
        raise Unchecked(f"Arb evaluation of {net.semantics} semantics is not implemented")
    val = {u: (v, {}) for u, v in zip(net.inputs, x)}
    pre = []
    for v, bias, sign, out, incoming in net.nodes:
        z = params[bias] * sign if bias is not None else arb(0)
        grad = {bias: arb(sign)} if bias in wrt else {}
        for u, w in incoming:
            ou, gu = val[u]
            z = z + params[w] * ou
            if order:
                for k, g in gu.items():
                    grad[k] = grad[k] + params[w] * g if k in grad else params[w] * g
                if w in wrt:
                    grad[w] = grad[w] + ou if w in grad else ou
        if out:
            val[v] = (z, grad)
            continue
        pre.append(z)
        s = asig.value(z)
        if order:
            d = asig.value(z, 1)
            grad = {k: d * g for k, g in grad.items()}
            if order >= 2:
                asig.value(z, 2)
        val[v] = (s, grad)
    return [val[c] for c in net.outputs], pre


def _params(point: dict, names: list) -> dict:
    if not isinstance(point, dict) or set(point) != set(names):
        raise BadWitness("the point does not name the network's parameters")
    return {k: to_arb(point[k]) for k in names}


def _indices(value, n: int, what: str) -> list[int]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n
                                                       for i in value):
        raise BadWitness(f"{what} must be indices in [0, {n}), got {value!r:.80}")
    return list(value)


def _output_system(net, asig, Xa, Ya, values: dict, unknown: dict) -> tuple:
    """(A, rhs) of the affine system H = 0 in the ``unknown`` output-layer parameters, the others at ``values``."""
    ell = len(net.outputs)
    m = len(Xa) * ell
    A, rhs = arb_mat(m, m), arb_mat(m, 1)
    out_nodes = [node for node in net.nodes if node[3]]
    for s, x in enumerate(Xa):
        fixed = dict(values)
        for lab in unknown:
            fixed[lab] = arb(0)
        outs, _ = _forward(net, asig, x, fixed, set(), 0)
        vals = {}
        _hidden(net, asig, x, fixed, vals)
        for c, (_v, bias, sign, _out, incoming) in enumerate(out_nodes):
            r = s * ell + c
            rhs[r, 0] = Ya[s][c] - outs[c][0]  # the fixed part of f_{s,c}, the unknowns at 0
            if bias in unknown:
                A[r, unknown[bias]] = arb(sign)
            for u, wl in incoming:
                if wl in unknown:
                    A[r, unknown[wl]] = vals[u]
    return A, rhs


def _hidden(net, asig, x, params, vals) -> None:
    """The values of the hidden nodes (and inputs) at x, into ``vals``."""
    vals.update(zip(net.inputs, x))
    for v, bias, sign, out, incoming in net.nodes:
        if out:
            continue
        z = params[bias] * sign if bias is not None else arb(0)
        for u, wl in incoming:
            z = z + params[wl] * vals[u]
        vals[v] = asig.value(z)


def doubling(run, prec: int, checked) -> set:
    """``run(steps, prec)`` at ``prec`` bits (python-flint's working precision, restored after), doubled whenever it
    raises :class:`_Wider` up to :data:`MAX_PREC` (then :class:`Unchecked`); its steps, and those it could not
    re-check, go to ``checked`` (a :class:`proofs_check.recheck.setting.Log`). Returns what ``run`` returns."""
    old = ctx.prec
    try:
        while True:
            ctx.prec = prec
            steps = Log()
            try:
                found = run(steps, prec)
            except _Wider as exc:
                if prec >= MAX_PREC:
                    raise Unchecked(f"not decided at {prec} bits: {exc}") from None
                prec = min(2 * prec, MAX_PREC)
                continue
            checked.extend(steps)
            checked.skipped.extend(steps.skipped)
            return found
    finally:
        ctx.prec = old
