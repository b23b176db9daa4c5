"""The restricted grammar of --activation-expr: exact pieces for good text, a one-line ParseError for anything else."""

import pytest
import sympy as sp

from symland.activations import t
from symland.errors import NotRepresentableError, ParseError
from symland.expr import expr_activation, parse_activation_expr, parse_expression


def test_smoolu_written_as_text_has_the_exact_pieces_and_is_rectified():
    act = parse_activation_expr("0 if x <= 0 else x*exp(-1/x)")
    assert (act.negative, act.positive) == (sp.Integer(0), t * sp.exp(-1 / t))
    assert act.is_rectified()[0] is True


def test_decimals_are_exact_and_powers_are_integers():
    assert parse_expression("0.1*x^2 - 1e-3") == sp.Rational(1, 10) * t**2 - sp.Rational(1, 1000)
    assert parse_expression("x**(-2)") == t**-2
    assert parse_expression("sigmoid(x)") == 1 / (1 + sp.exp(-t))


def test_the_name_carries_the_text_for_the_rechecker():
    assert expr_activation("x^3   if x > 0 else 0").name == "expr:x^3 if x > 0 else 0"


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch PWNED')", "x.__class__", "(lambda: 1)()", "os.system('ls')", "eval('1')",
    "exp.__globals__", "x; import os", "[x]", "'x'", "x, 1", "E", "pi", "x @ x", "((x^20)^20)", "1e5000",
    "x^100000", "(" * 40 + "x" + ")" * 40, "x" * 600, "", "log(0)", "sqrt(-1)", "1/(x-x)", "x if y <= 0 else 1",
])
def test_malicious_or_malformed_text_is_a_one_line_parse_error(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParseError) as info:
        parse_activation_expr(text)
    assert "\n" not in str(info.value) and str(info.value)
    assert not (tmp_path / "PWNED").exists()


# --------------------------------------------------------------- breakpoints decided from the text (symland.kinks)

def test_nested_abs_splits_at_every_zero_of_every_argument():
    act = expr_activation("sqrt((sqrt(x^2)-1)^2)")  # ||t| − 1|
    assert act.breakpoints == (-1, 0, 1)
    assert act.kinks() == [(-1, 0), (0, 0), (1, 0)]


def test_a_kink_of_order_k_is_found_where_it_is_and_a_double_zero_is_no_kink():
    act = expr_activation("sqrt(((x-1)*(x+1/2))^2) + (x-2)^2*sqrt((x-2)^2) + sqrt((x-3)^4)")
    assert act.breakpoints == (sp.Rational(-1, 2), 0, 1, 2)
    assert act.kinks() == [(sp.Rational(-1, 2), 0), (1, 0), (2, 2)]


def test_zeros_of_a_transcendental_argument_are_solved_or_left_undecided():
    assert expr_activation("sqrt(tanh(x)^2)").kinks() == [(0, 0)]
    act = expr_activation("sqrt((exp(x)-2)^2)")
    assert "irrational t = log(2)" in act.undecided
    assert act.smooth_decided()[0] is None
    with pytest.raises(NotRepresentableError, match="derivatives refused"):
        act.value(0, 1)


def test_a_flat_piece_is_smooth_and_analytic_pieces_are_compared_term_by_term():
    assert expr_activation("x^2 if x <= 0 else x^2 + (1 + x)*exp(-1/x)").smooth_decided()[0] is True
    assert expr_activation("1 + x if x <= 0 else exp(x)").kinks() == [(0, 1)]  # e^t = 1 + t + t²/2 + …
