"""The constructions of Lemma 3.3 and Corollary 3.4 (corrected), exactly."""

import pytest
from flint import fmpq

from symland.data import Dataset
from symland.errors import DuplicateInputError, ShapeError
from symland.landscape import choose_projection, corollary_3_4, lemma_3_3
from symland.problem import Problem
from symland.tiers import ExpPolyKind, RationalKind
from symland.tiers.exppoly import ExpPoly

DATA = Dataset.from_rows([[0, 0], [1, 0], [0, 1], [1, 1]], [0, 1, 1, 0])


def test_the_projection_is_the_first_of_the_family_that_separates_the_points():
    # s = 0 gives a = (1, 0): projections 0, 1, 0, 1 collide; s = 1 collides too; s = 2 works
    assert choose_projection(DATA.X) == (fmpq(1), fmpq(2))


def test_lemma_3_3_with_rectpow3_gives_the_exact_rational_network():
    it = lemma_3_3(DATA, "rectpow3", RationalKind())
    assert it.order == (0, 1, 2, 3)
    assert it.values == [0, 1, 2, 3]
    assert it.biases == [fmpq(-1, 2), fmpq(1, 2), fmpq(3, 2), fmpq(5, 2)]
    assert it.A[0] == [fmpq(1, 8), 0, 0, 0]
    assert it.A[3] == [fmpq(343, 8), fmpq(125, 8), fmpq(27, 8), fmpq(1, 8)]
    assert it.lower_triangular and it.diagonal_nonzero
    assert it.m == [0, 8, -208, 4616]  # forward substitution: m3 = (1 − 27)·8, m4 = (−125 + 702)·8
    vals = Problem(it.network, DATA).at(it.params, jacobian=False)
    assert vals.H == [0, 0, 0, 0]


def test_lemma_3_3_with_smoolu_lives_in_exponential_polynomials():
    it = lemma_3_3(DATA, "smoolu", ExpPolyKind())
    assert it.A[0][0] == ExpPoly.exp(fmpq(-2), fmpq(1, 2))  # σ(1/2) = e^(−2)/2
    assert it.m[1] == ExpPoly.exp(fmpq(2), 2)  # (1 − 0)/σ(1/2)
    vals = Problem(it.network, DATA).at(it.params, jacobian=False)
    assert all(v.is_zero() for v in vals.H)


def test_extra_hidden_units_are_zero():
    it = lemma_3_3(DATA, "rectpow3", RationalKind(), hidden=6)
    named = it.named_params()
    assert it.network.widths == (2, 6, 1)
    assert named["W1_5_1"] == 0 and named["b1_5"] == 0 and named["W2_0_5"] == 0
    assert Problem(it.network, DATA).at(it.params, jacobian=False).on_M


def test_the_corrected_deep_construction_interpolates():
    it = corollary_3_4(DATA, (2, 3, 2, 5, 1), "rectpow3", RationalKind())
    named = it.named_params()
    assert [named[f"W3_{j}_0"] for j in range(5)] == [1, 1, 1, 1, 0]  # d ones in the first column
    assert Problem(it.network, DATA).at(it.params, jacobian=False).on_M
    assert it.notes and "corrected" in it.notes[0]


def test_constructions_refuse_duplicates_and_narrow_layers():
    dup = Dataset.from_rows([[0, 0], [0, 0]], [1, 2])
    with pytest.raises(DuplicateInputError):
        lemma_3_3(dup, "rectpow3", RationalKind())
    with pytest.raises(ShapeError, match="width 3 < d = 4"):
        corollary_3_4(DATA, (2, 3, 1), "rectpow3", RationalKind())
