"""The ring Q[e^Q]: canonical forms, exact zero test, reduction mod p, the safe value parser."""

import random

import pytest
import sympy as sp
from flint import fmpq

from symland.errors import NotRepresentableError, ParseError
from symland.tiers import ExpPolyKind, parse_value
from symland.tiers.exppoly import ExpPoly, from_sympy


def test_exponentials_multiply_by_adding_exponents():
    assert ExpPoly.exp(fmpq(-1, 2)) * ExpPoly.exp(fmpq(-1, 3)) == ExpPoly.exp(fmpq(-5, 6))


def test_a_difference_of_equal_terms_is_exactly_zero():
    a = ExpPoly.exp(fmpq(-2, 3), 3) + ExpPoly.const(fmpq(1, 5))
    assert (a - a).is_zero()
    assert not (a - ExpPoly.exp(fmpq(-2, 3), 3)).is_zero()


def test_division_by_a_monomial_is_exact_and_by_a_sum_is_refused():
    a = ExpPoly.exp(fmpq(1), 6)
    assert a / ExpPoly.exp(fmpq(1, 2), 2) == ExpPoly.exp(fmpq(1, 2), 3)
    with pytest.raises(NotRepresentableError):
        a / (ExpPoly.exp(fmpq(1)) + 1)


def test_conversion_from_sympy_reads_exp_and_E():
    e = sp.Rational(3, 2) * sp.exp(sp.Rational(-2, 3)) + sp.E**2 / 7 + 1
    got = from_sympy(e)
    assert got == ExpPoly({fmpq(-2, 3): fmpq(3, 2), fmpq(2): fmpq(1, 7), fmpq(0): fmpq(1)})
    assert sp.simplify(got.to_sympy() - e) == 0


def test_conversion_refuses_logarithms():
    with pytest.raises(NotRepresentableError):
        from_sympy(sp.log(2) + 1)


def test_the_sign_of_a_cancelling_combination_is_decided_rigorously():
    # e^(1/2)·2 − e ≈ 0.5797 > 0 ; e − 2·e^(1/2) < 0
    x = ExpPoly.exp(fmpq(1, 2), 2) - ExpPoly.exp(fmpq(1))
    assert x.sign() == 1 and (-x).sign() == -1 and ExpPoly().sign() == 0


def test_reduction_mod_p_is_a_ring_homomorphism():
    kind = ExpPolyKind()
    a = ExpPoly.exp(fmpq(-1, 3), 2) + fmpq(1, 5)
    b = ExpPoly.exp(fmpq(1, 2), fmpq(-3, 4))
    red = kind.reduction([a, b, a * b], 1000003, random.Random(4))
    p = red.p
    assert red.map(a * b) == red.map(a) * red.map(b) % p
    assert red.map(a + b) == (red.map(a) + red.map(b)) % p
    assert red.witness["N"] == 6


def test_values_parse_as_rationals_or_exponential_polynomials():
    assert parse_value("3/5") == fmpq(3, 5)
    assert parse_value("0.1") == fmpq(1, 10)
    assert parse_value("2*exp(-3)/7 + 1/5") == ExpPoly({fmpq(-3): fmpq(2, 7), fmpq(0): fmpq(1, 5)})
    assert parse_value("exp(1/2)*exp(1/2)") == ExpPoly.exp(fmpq(1))


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "exp(x)", "lambda: 1",
                                  "1 +", "exp(exp(1))", "2**3", "().__class__"])
def test_anything_else_is_refused_without_evaluation(text):
    with pytest.raises(ParseError):
        parse_value(text)
