"""The restricted grammar of a custom σ (see :mod:`symland.sigma.expr` for the grammar and its limits): the tokens,
split by hand, and a recursive-descent parser that builds sympy expressions with explicit constructors — nothing in
the text is ever executed.
"""

from __future__ import annotations

import sympy as sp

from symland.errors import ParseError
from symland.sigma.activation import t

__all__ = ["MAX_LENGTH", "MAX_DEPTH", "MAX_EXPONENT", "MAX_BITS", "MAX_DEGREE"]

MAX_LENGTH = 500
MAX_DEPTH = 30
MAX_EXPONENT = 20
MAX_BITS = 100_000
MAX_DEGREE = 100  # no power of the result may exceed this: (x^20)^20 is x^400, refused
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
