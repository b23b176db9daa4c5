"""Custom activations from text, read by a small restricted grammar — never ``eval``, ``exec`` or ``sympify``.

``--activation-expr`` lets a user write σ on the command line. The text is split into tokens by hand and parsed by
recursive descent into sympy expressions built with explicit constructors (``sp.Add``, ``sp.Mul``, ``sp.exp``, …);
nothing in it is ever executed. Grammar (``x`` and ``t`` both name the variable)::

    activation := expr                                 σ = expr on all of ℝ
                | expr "if" var "<=" "0" "else" expr   σ = first expr for t ≤ 0, second for t > 0
                | expr "if" var ">" "0" "else" expr    σ = first expr for t > 0, second for t ≤ 0
    expr       := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := ("+" | "-") unary | power
    power      := atom (("^" | "**") exponent)?        exponent: an integer k with |k| ≤ 20, e.g. 3, -2, (-2)
    atom       := number | var | func "(" expr ")" | "(" expr ")"
    func       := exp | log | tanh | sigmoid | sqrt      sigmoid(u) = 1/(1 + e^(−u))
    number     := 12 | 0.5 | 1e-3                     decimals are exact: 0.1 is 1/10

σ's breakpoints are decided from the parsed expression (:func:`symland.sigma.kinks.split_sigma`): |u| (sympy writes
sqrt(u²) as |u|) and u^(p/q) break at the zeros of u, and text whose σ is not real and finite on all of ℝ
(``log(x)``, ``1/(x-1)``, ``sqrt(x^3)``) is refused.  A σ whose breakpoints cannot be located exactly is kept but
*undecided*: its derivatives are refused, so no claim at a point is proved with it.

Limits: at most 500 characters, nesting depth 30, exponents |k| ≤ 20 (and no power beyond 100 after
simplification: ``(x^20)^20`` is refused), numbers of at most 10⁵ bits. Anything else —
unknown names (``os``, ``lambda``), names starting with ``_``, attribute access ``.``, quotes, commas, brackets — is
a :class:`~symland.errors.ParseError` with a one-line message giving the position.

>>> parse_activation_expr("0 if x <= 0 else x*exp(-1/x)").is_rectified()[0]
True
>>> parse_expression("x^2/2 - 0.5")
t**2/2 - 1/2
"""

from __future__ import annotations

import sympy as sp

from symland.errors import ParseError
from symland.sigma.activation import Activation, t
from symland.sigma.kinks import split_sigma

__all__ = ["parse_activation_expr", "parse_expression", "expr_activation", "EXPR_PREFIX", "MAX_LENGTH", "MAX_DEPTH",
           "MAX_EXPONENT", "MAX_DEGREE"]

MAX_LENGTH = 500
MAX_DEPTH = 30
MAX_EXPONENT = 20
MAX_BITS = 100_000
MAX_DEGREE = 100  # no power of the result may exceed this: (x^20)^20 is x^400, refused
EXPR_PREFIX = "expr:"
_FUNCS = {"exp": sp.exp, "log": sp.log, "tanh": sp.tanh, "sqrt": sp.sqrt,
          "sigmoid": lambda u: 1 / (1 + sp.exp(-u))}
_NEEDS = {"log": "positive", "sqrt": "nonnegative"}  # what the written function needs of its argument over ℝ
_VARS = ("x", "t")
_WORDS = (*_VARS, *_FUNCS, "if", "else")
_OPS = ("**", "<=", "+", "-", "*", "/", "^", "(", ")", ">")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) with kind in num, name, op; ParseError on anything outside the grammar."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c.isascii() and (c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit())):
            j = i
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            if j < n and text[j] == ".":
                j += 1
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            if j < n and text[j] in "eE" and j + 1 < n and (text[j + 1].isdigit() or
                                                             (text[j + 1] in "+-" and text[j + 2: j + 3].isdigit())):
                j += 2
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            out.append(("num", text[i:j], i))
            i = j
        elif c.isascii() and (c.isalpha() or c == "_"):
            j = i
            while j < n and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            if word.startswith("_"):
                raise ParseError(f"activation expression: names starting with '_' are not allowed ({word!r} "
                                 f"at position {i})")
            if word not in _WORDS:
                raise ParseError(f"activation expression: unknown name {word!r} at position {i} "
                                 f"(allowed: {', '.join(_WORDS)})")
            out.append(("name", word, i))
            i = j
        else:
            op = next((o for o in _OPS if text.startswith(o, i)), None)
            if op is None:
                why = " (attribute access is not allowed)" if c == "." else ""
                raise ParseError(f"activation expression: unexpected character {c!r} at position {i}{why}")
            out.append(("op", op, i))
            i += len(op)
    return out


class _Parser:
    def __init__(self, text: str):
        self.text, self.toks, self.pos = text, _tokens(text), 0
        #: (what, u, where in the text) for every node of the text as written that needs its argument u in a set:
        #: log u (u > 0), sqrt u (u ≥ 0), division by u and u^(−k) (u ≠ 0) — u as parsed, before the node itself
        #: is built (sympy's automatic evaluation of the node, e.g. exp(log x) → x, must not hide the condition)
        self.conditions: list = []

    def fail(self, what: str) -> ParseError:
        tok = self.toks[self.pos] if self.pos < len(self.toks) else None
        where = f"{tok[1]!r} at position {tok[2]}" if tok else "the end"
        return ParseError(f"activation expression: {what}, found {where}")

    def peek(self) -> str | None:
        return self.toks[self.pos][1] if self.pos < len(self.toks) else None

    def take(self, want: str | None = None) -> tuple[str, str, int]:
        if self.pos >= len(self.toks) or (want is not None and self.toks[self.pos][1] != want):
            raise self.fail(f"expected {want!r}" if want else "unexpected end")
        self.pos += 1
        return self.toks[self.pos - 1]

    def activation(self) -> tuple[sp.Expr, sp.Expr]:
        first = self.expr(0)
        self.first_conditions = list(self.conditions)
        if self.peek() is None:
            return first, first
        if self.peek() != "if":
            raise self.fail("unexpected text after the expression")
        self.take("if")
        if self.peek() not in _VARS:
            raise self.fail("expected x or t in the condition")
        self.take()
        rel = self.peek()
        if rel not in ("<=", ">"):
            raise self.fail("expected '<= 0' or '> 0' (σ is split by the sign of its argument)")
        self.take()
        if self.peek() is None or self.toks[self.pos][0] != "num" or _number(self.peek()) != 0:
            raise self.fail("expected 0 in the condition")
        self.take()
        self.take("else")
        self.conditions = []
        second = self.expr(0)
        if self.peek() is not None:
            raise self.fail("unexpected text after the expression")
        if rel == "<=":
            self.branch_conditions = (self.first_conditions, self.conditions)
            return first, second
        self.branch_conditions = (self.conditions, self.first_conditions)
        return second, first

    def expr(self, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise ParseError(f"activation expression nested deeper than {MAX_DEPTH} levels")
        acc = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.take()[1]
            rhs = self.term(depth)
            acc = sp.Add(acc, rhs) if op == "+" else sp.Add(acc, sp.Mul(sp.Integer(-1), rhs))
        return acc

    def term(self, depth: int) -> sp.Expr:
        acc = self.unary(depth)
        while self.peek() in ("*", "/"):
            op, at = self.take()[1:]
            rhs = self.unary(depth)
            if op == "/" and rhs == 0:
                raise ParseError(f"activation expression: division by zero in {self.text.strip()!r}")
            if op == "/":
                self.conditions.append(("nonzero", rhs, f"the division at position {at}"))
            acc = sp.Mul(acc, rhs) if op == "*" else sp.Mul(acc, sp.Pow(rhs, sp.Integer(-1)))
        return acc

    def unary(self, depth: int) -> sp.Expr:
        if self.peek() in ("+", "-"):
            op = self.take()[1]
            if depth + 1 > MAX_DEPTH:
                raise ParseError(f"activation expression nested deeper than {MAX_DEPTH} levels")
            inner = self.unary(depth + 1)
            return inner if op == "+" else sp.Mul(sp.Integer(-1), inner)
        return self.power(depth)

    def power(self, depth: int) -> sp.Expr:
        base = self.atom(depth)
        if self.peek() not in ("^", "**"):
            return base
        at = self.take()[2]
        paren = self.peek() == "("
        if paren:
            self.take()
        sign = -1 if self.peek() == "-" else 1
        if self.peek() in ("+", "-"):
            self.take()
        if self.pos >= len(self.toks) or self.toks[self.pos][0] != "num" or not self.peek().isdigit():
            raise self.fail("expected an integer exponent")
        digits = self.take()[1]
        if len(digits) > 3 or int(digits) > MAX_EXPONENT:
            raise ParseError(f"activation expression: exponent {digits} beyond ±{MAX_EXPONENT}")
        k = sign * int(digits)
        if paren:
            self.take(")")
        if base.is_Rational:
            if base == 0 and k < 0:
                raise ParseError("activation expression: 0 to a negative power")
            if (int(base.p).bit_length() + int(base.q).bit_length()) * abs(k) > MAX_BITS:
                raise ParseError(f"activation expression: a number beyond {MAX_BITS} bits")
        if k < 0:
            self.conditions.append(("nonzero", base, f"the negative power at position {at}"))
        return sp.Pow(base, sp.Integer(k))

    def atom(self, depth: int) -> sp.Expr:
        if self.pos >= len(self.toks):
            raise self.fail("expected a number, x, a function or '('")
        kind, word, _ = self.toks[self.pos]
        if kind == "num":
            self.take()
            return _number(word)
        if word in _VARS:
            self.take()
            return t
        if word == "(":
            self.take()
            inner = self.expr(depth + 1)
            self.take(")")
            return inner
        if word in _FUNCS:
            at = self.take()[2]
            self.take("(")
            inner = self.expr(depth + 1)
            self.take(")")
            if word in _NEEDS:
                self.conditions.append((_NEEDS[word], inner, f"{word}(…) at position {at}"))
            return _FUNCS[word](inner)
        raise self.fail("expected a number, x, a function or '('")


def _number(word: str) -> sp.Rational:
    mant, _, exp = word.lower().partition("e")
    whole, _, frac = mant.partition(".")
    k = int(exp or 0) - len(frac)
    if abs(k) > 1000:
        raise ParseError(f"activation expression: number {word!r} beyond 10^±1000")
    value = sp.Integer(int(whole + frac or "0"))
    return sp.Mul(value, sp.Pow(sp.Integer(10), sp.Integer(k)))


def parse_expression(text: str) -> sp.Expr:
    """One expression of the grammar (no if/else) in the variable :data:`symland.sigma.activations.t`.

    Raises:
        ParseError: text outside the grammar or beyond the limits.
    """
    return _parse(text, allow_branches=False)[0]


def _parse(text: str, allow_branches: bool) -> tuple[sp.Expr, sp.Expr]:
    if not isinstance(text, str):
        raise ParseError(f"activation expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"activation expression is {len(text)} characters long (limit {MAX_LENGTH})")
    if not text.strip():
        raise ParseError("activation expression is empty")
    parser = _Parser(text)
    if allow_branches:
        neg, pos = parser.activation()
        conds = getattr(parser, "branch_conditions", None)
        if conds is None:
            _written_domain(text, parser.conditions, sp.Reals, "ℝ")
        else:
            _written_domain(text, conds[0], sp.Interval(-sp.oo, 0), "t ≤ 0")
            _written_domain(text, conds[1], sp.Interval.Lopen(0, sp.oo), "t > 0")
    else:
        neg = pos = parser.expr(0)
        if parser.peek() is not None:
            raise parser.fail("unexpected text after the expression")
    for piece in (neg, pos):
        if piece.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise ParseError(f"activation expression {text.strip()!r} has an undefined or infinite value")
        if piece.has(sp.I):
            raise ParseError(f"activation expression {text.strip()!r} has a non-real value")
        for power in piece.atoms(sp.Pow):
            if power.exp.is_Integer and abs(int(power.exp)) > MAX_DEGREE:
                raise ParseError(f"activation expression {text.strip()!r}: the power {power.exp} is beyond "
                                 f"±{MAX_DEGREE}")
    return neg, pos


def _written_domain(text: str, conditions: list, where, label: str) -> None:
    """ParseError unless every log, sqrt, division and negative power *as written* is defined on all of ``where``.

    Decided on each node's argument u as parsed, before sympy's evaluation of the node could simplify it away
    (``exp(log(x))`` → x, ``sqrt(x)^2`` → x, ``1/(1/x)`` → x, ``x/x`` → 1): the set of t in ``where`` where u
    breaks the node's need (u ≤ 0 for log, u < 0 for sqrt, u = 0 for a division) must be empty — found by sympy's
    solveset within :data:`symland.sigma.kinks.DECISION_SECONDS`; a set it cannot decide is refused too.
    """
    from symland.sigma.kinks import DecisionTimeout, time_limit

    shown = " ".join(text.split())
    for need, u, node in conditions:
        bad_rel = {"positive": u <= 0, "nonnegative": u < 0, "nonzero": sp.Eq(u, 0)}[need]
        if bad_rel is sp.false or bad_rel is False:
            continue
        verb = {"positive": "≤ 0", "nonnegative": "< 0", "nonzero": "0"}[need]
        try:
            with time_limit():
                bad = bad_rel if bad_rel is sp.true else sp.solveset(bad_rel, t, where)
        except (DecisionTimeout, Exception) as exc:  # noqa: BLE001 -- sympy failed: not decided, refused
            raise ParseError(f"activation expression {shown!r}: where {node} is defined on {label} is not decided "
                             f"({type(exc).__name__}); σ must be real and finite on all of ℝ as written") from None
        if bad is sp.S.EmptySet:
            continue
        if bad is sp.true or isinstance(bad, (sp.Interval, sp.FiniteSet, sp.Union)) or bad == where:
            sample = _sample_point(bad)
            raise ParseError(f"activation expression {shown!r}: {node} is undefined where its argument {u} is "
                             f"{verb}{sample} (σ must be real and finite on all of ℝ as written, before any "
                             "simplification)")
        raise ParseError(f"activation expression {shown!r}: where {node} is defined on {label} is not decided "
                         f"({bad}); σ must be real and finite on all of ℝ as written")


def _sample_point(bad) -> str:
    if isinstance(bad, sp.FiniteSet) and bad.args:
        return f", e.g. at t = {bad.args[0]}"
    if isinstance(bad, sp.Interval):
        return f", e.g. on {bad}"
    return ""


def parse_activation_expr(text: str, name: str = "custom") -> Activation:
    """σ from text (see the module docstring for the grammar), e.g. ``"0 if x <= 0 else x*exp(-1/x)"``.

    Raises:
        ParseError: text outside the grammar or beyond the limits; nothing in it is evaluated.

    >>> parse_activation_expr("x^3 if x > 0 else 0", name="cube").positive
    t**3
    """
    if not isinstance(name, str) or not name.strip():
        raise ParseError(f"activation name must be non-empty text, got {name!r}")
    neg, pos = _parse(text, allow_branches=True)
    split = split_sigma(neg, pos)
    if split.undefined:
        raise ParseError(f"activation expression {' '.join(text.split())!r}: {split.undefined} "
                         "(σ must be real and finite on all of ℝ)")
    return Activation(name, neg, pos, f"custom activation: {' '.join(text.split())}", split=split)


def expr_activation(text: str) -> Activation:
    """The activation of ``--activation-expr TEXT``: :func:`parse_activation_expr` named ``"expr:" + TEXT``.

    The name carries the text (whitespace normalised) so that a certificate's instance describes σ completely and
    an independent checker can read it again with this grammar.

    >>> expr_activation("x^3  if x > 0 else 0").name
    'expr:x^3 if x > 0 else 0'

    Raises:
        ParseError: text outside the grammar or beyond the limits.
    """
    if not isinstance(text, str):
        raise ParseError(f"activation expression must be text, got {type(text).__name__}")
    return parse_activation_expr(text, name=EXPR_PREFIX + " ".join(text.split()))
