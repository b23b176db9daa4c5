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
from symland.sigma.grammar import MAX_DEGREE, MAX_DEPTH, MAX_EXPONENT, MAX_LENGTH, _Parser
from symland.sigma.kinks import split_sigma

__all__ = ["parse_activation_expr", "parse_expression", "expr_activation", "EXPR_PREFIX", "MAX_LENGTH", "MAX_DEPTH",
           "MAX_EXPONENT", "MAX_DEGREE"]

EXPR_PREFIX = "expr:"


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
