"""Soundness under adversarial instances: every proved verdict re-checks independently, and no family of nasty
numbers (projections 10⁻⁴⁰ apart, magnitudes 10^±300, nearly singular A, points 10⁻⁵⁰ off M, inputs that collide
mod the first prime) makes the engine claim more than is true.

CI runs ``EXAMPLES`` examples per property (derandomized, so the run is reproducible); the ``slow`` variants run
10,000 (``pytest --runslow tests/soundness``).
"""

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from flint import fmpq, fmpq_mat, nmod_mat
from hypothesis import HealthCheck, given, settings, strategies as st

from symland import Dataset, Problem, get_activation, mlp
from symland.errors import UndefinedDerivativeError
from symland.linalg import random_prime
from symland.tiers.exppoly import ExpPoly

from proofs_check.certificate import EXACT_TIERS, FLOAT_TIERS, RIGOROUS_TIERS, TIERS, VERDICTS, Certificate
from proofs_check.recheck import recheck
from proofs_check.testing import activations, assert_claim, datasets, off_M, problems_on_M

EXAMPLES = 200
_COMMON = dict(deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
CI = settings(max_examples=EXAMPLES, **_COMMON)
CI_CHEAP = settings(max_examples=EXAMPLES, **_COMMON)
SYMPY = settings(max_examples=40, **_COMMON)  # the sympy reference costs ~0.2 s per point
LONG = settings(max_examples=10_000, **_COMMON)

#: The first prime the rational rank proof tries (linalg.certify_rank with prove_rank's fixed seed).
FIRST_PRIME = random_prime(__import__("random").Random(20181127))


def _checked(cert):
    result = recheck(cert)
    assert result.status == "checked", result.summary()
    return result


# --------------------------------------------------------------------------------- points on M from the constructions

def on_M_property(problem, point):
    """At the Lemma 3.3 point: thm-2.1 and prop-2.3 proved, and both certificates re-check."""
    _checked(assert_claim("thm-2.1", problem, point, "proved"))
    widths, sigma = problem.network.widths, problem.network.activation
    if sigma.name == "rectpow2" and widths[1] > problem.data.d:  # an unused unit: pre-activation 0, σ'' undefined
        cert = assert_claim("prop-2.3", problem, point, "hypothesis-fails")
        assert "second derivative at t = 0" in cert.evidence
    else:
        _checked(assert_claim("prop-2.3", problem, point, "proved"))


_small_on_M = problems_on_M(activation=activations(("rectpow3", "rectpow2", "smoolu")),
                            data=datasets(p=st.integers(1, 2), d=st.integers(1, 3)))


@CI
@given(_small_on_M)
def test_constructed_points_are_proved_and_recheck(case):
    on_M_property(*case)


@pytest.mark.slow
@LONG
@given(_small_on_M)
def test_constructed_points_are_proved_and_recheck_long(case):
    on_M_property(*case)


# ------------------------------------------------------------------------------------------------ points off M

def off_M_property(problem, point, k):
    """A point moved off M by 10^-k fails the hypothesis m ∈ M, never proved, and the certificate is not rejected."""
    eps = Fraction(1, 10**k)
    moved = off_M(problem, point, eps)
    cert = assert_claim("thm-2.1", problem, moved, "hypothesis-fails")
    assert cert.evidence.startswith("m ∉ M")
    assert recheck(cert).ok
    assert cert.to_json_obj()["witness"]["H"][0] == str(-eps) or "exp" in cert.to_json_obj()["witness"]["H"][0]


@CI
@given(_small_on_M, st.sampled_from((50, 40, 300)))
def test_a_point_off_M_by_a_tiny_amount_is_never_a_member(case, k):
    off_M_property(*case, k)


@pytest.mark.slow
@LONG
@given(_small_on_M, st.sampled_from((50, 40, 300)))
def test_a_point_off_M_by_a_tiny_amount_is_never_a_member_long(case, k):
    off_M_property(*case, k)


# --------------------------------------------------------------------------------------- adversarial data sets

@st.composite
def close_projections(draw):
    """1-d inputs, some of them 10^-40 (or 10^-30) apart: the projections a·x_i nearly collide; A nearly singular."""
    base = Fraction(draw(st.integers(-20, 20)), draw(st.integers(1, 5)))
    tiny = Fraction(1, 10 ** draw(st.sampled_from((30, 40))))
    steps = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    xs, x = [base], base
    for s in steps:
        x += s * tiny if draw(st.booleans()) else s
        xs.append(x)
    ys = draw(st.lists(st.integers(-5, 5).map(Fraction), min_size=len(xs), max_size=len(xs)))
    return Dataset.from_rows([[str(v)] for v in xs], [str(v) for v in ys])


@st.composite
def huge_and_tiny(draw):
    """Inputs and labels of magnitude 10^±300, as exact rationals."""
    return draw(datasets(p=st.integers(1, 2), d=st.integers(1, 2), extreme=True))


def adversarial_data_property(data, sigma):
    """The exact tier still proves Lemma 3.3 and Theorem 2.1 at its point; the certificates re-check."""
    from proofs_check import Instance, check

    inst = Instance("adversarial", data, sigma)
    for claim in ("lem-3.3", "thm-2.1"):
        cert = check(claim, inst)
        assert cert.verdict == "proved", str(cert)
        _checked(cert)


@CI
@given(close_projections(), activations(("rectpow3", "rectpow2")))
def test_projections_1e_minus_40_apart_are_still_proved(data, sigma):
    adversarial_data_property(data, sigma)


@settings(max_examples=100, **_COMMON)  # 10^±300 numbers: each example costs ~0.3 s
@given(huge_and_tiny(), activations(("rectpow3",)))
def test_magnitudes_1e300_and_1e_minus_300_are_still_proved(data, sigma):
    adversarial_data_property(data, sigma)


@pytest.mark.slow
@LONG
@given(st.one_of(close_projections(), huge_and_tiny()), activations(("rectpow3", "rectpow2")))
def test_adversarial_data_long(data, sigma):
    adversarial_data_property(data, sigma)


def test_smoolu_survives_a_gap_of_1e_minus_40():
    data = Dataset.from_rows([["0"], ["1e-40"], ["1"]], ["1", "-1", "2"])
    adversarial_data_property(data, get_activation("smoolu"))


# ------------------------------------------------------------------ inputs that collide modulo the first prime

@st.composite
def collide_mod_first_prime(draw):
    """mlp(1, 2, 1), σ(t) = t², an integer point and x_2 ≡ x_1 (mod p₁): J_H's entries are integer polynomials in
    x, so its rows agree mod p₁ and the
    first prime sees rank 1; over Q the rank is (usually) 2. Labels y_i = f(x_i): the point is on M."""
    x1 = draw(st.integers(-5, 5))
    x2 = x1 + FIRST_PRIME * draw(st.sampled_from((1, -1, 2)))
    w = [draw(st.integers(-3, 3)) for _ in range(7)]
    net = mlp((1, 2, 1), "square")
    names = net.param_names()
    point = dict(zip(names, [str(v) for v in w]))
    zero = Problem(net, Dataset.from_rows([[x1], [x2]], [0, 0]))
    f = zero.at(point, jacobian=False).H  # f(x_i) − 0
    return Problem(net, Dataset.from_rows([[x1], [x2]], [str(f[0]), str(f[1])])), point


def collide_property(problem, point):
    J = problem.at(point).J
    rank_q = fmpq_mat([[fmpq(v) for v in row] for row in J]).rank()
    rank_p = nmod_mat([[int(v.p) * pow(int(v.q), -1, FIRST_PRIME) % FIRST_PRIME for v in row] for row in J],
                      FIRST_PRIME).rank()
    assert rank_p <= 1  # the adversary did its job: the first prime cannot see rank 2
    cert = assert_claim("thm-2.1", problem, point, "proved" if rank_q == 2 else "refuted")
    _checked(cert)


@CI
@given(collide_mod_first_prime())
def test_inputs_colliding_mod_the_first_prime_get_the_true_rank(case):
    collide_property(*case)


@pytest.mark.slow
@LONG
@given(collide_mod_first_prime())
def test_inputs_colliding_mod_the_first_prime_long(case):
    collide_property(*case)


# ----------------------------------------------------------------- the fast at-point maps equal the sympy maps

_FIXED = {
    (1, 2, 1): Dataset.from_rows([[0], ["1/2"]], [1, "-2/3"]),
    (2, 1, 1): Dataset.from_rows([[1, -1], ["1/3", 2]], [0, 1]),
    (1, 1, 1, 1): Dataset.from_rows([[1], [-2]], ["1/2", 3]),
}
_SYMBOLIC: dict = {}


def _reference(widths, name):
    key = (widths, name)
    if key not in _SYMBOLIC:
        prob = Problem(mlp(widths, name), _FIXED[widths])
        _SYMBOLIC[key] = (prob, prob.H_sym, prob.J_sym, prob.hessian_sym)
    return _SYMBOLIC[key]


def maps_property(widths, name, values):
    prob, H, J, Hess = _reference(widths, name)
    point = [str(v) for v in values[: prob.n]]
    subs = {s: sp.Rational(v) for s, v in zip(prob.symbols, point)}
    try:
        vals = prob.at(point, hessian=True)
    except UndefinedDerivativeError:  # rectpow2 at a pre-activation 0: σ'' does not exist; sympy must agree
        assert name == "rectpow2"
        return

    def as_q(v):
        return sp.Rational(str(v))

    assert [as_q(v) for v in vals.H] == [h.xreplace(subs) for h in H]
    assert [[as_q(v) for v in row] for row in vals.J] == J.xreplace(subs).tolist()
    assert [[as_q(v) for v in row] for row in vals.hess_L] == Hess.xreplace(subs).tolist()


_rationals = st.fractions(min_value=-3, max_value=3, max_denominator=4)


@SYMPY
@given(st.sampled_from(sorted(_FIXED)), st.sampled_from(("rectpow3", "square", "poly:1,-1,1/2")),
       st.lists(_rationals, min_size=7, max_size=7))
def test_fast_maps_equal_the_sympy_maps(widths, name, values):
    maps_property(widths, name, values)


@pytest.mark.slow
@LONG
@given(st.sampled_from(sorted(_FIXED)), st.sampled_from(("rectpow3", "square", "poly:1,-1,1/2")),
       st.lists(_rationals, min_size=7, max_size=7))
def test_fast_maps_equal_the_sympy_maps_long(widths, name, values):
    maps_property(widths, name, values)


# --------------------------------------------------------------------------------------- enclosures and tiers

@st.composite
def exp_sums(draw):
    terms = draw(st.dictionaries(st.fractions(min_value=-50, max_value=50, max_denominator=7),
                                 st.fractions(min_value=-10**6, max_value=10**6, max_denominator=10**3),
                                 min_size=1, max_size=4))
    return terms


@CI_CHEAP
@given(exp_sums())
def test_an_arb_ball_contains_the_exact_value(terms):
    value = ExpPoly({fmpq(q.numerator, q.denominator): fmpq(c.numerator, c.denominator) for q, c in terms.items()})
    ball = value.enclosure(96)
    old = mpmath.iv.prec
    mpmath.iv.prec = 2000  # a far tighter rigorous enclosure, computed by other code (mpmath intervals)
    try:
        tight = sum((mpmath.iv.mpf(c.numerator) / c.denominator * mpmath.iv.exp(mpmath.iv.mpf(q.numerator) /
                                                                                q.denominator)
                     for q, c in terms.items()), mpmath.iv.mpf(0))
        lo, hi = ball.lower(), ball.upper()
        assert mpmath.mpf(lo.str(40, radius=False)) - abs(mpmath.mpf(lo.str(40, radius=False))) * 1e-30 <= tight.a
        assert tight.b <= mpmath.mpf(hi.str(40, radius=False)) + abs(mpmath.mpf(hi.str(40, radius=False))) * 1e-30
    finally:
        mpmath.iv.prec = old


@settings(max_examples=EXAMPLES, **_COMMON)
@given(st.sampled_from(VERDICTS), st.sampled_from(TIERS))
def test_float_never_yields_proved_or_certified(verdict, tier):
    def make():
        return Certificate("thm-2.1", "x", verdict, tier, "", (), {}, 0.0)

    allowed = {"proved": EXACT_TIERS, "certified": EXACT_TIERS + RIGOROUS_TIERS,
               "refuted": EXACT_TIERS + RIGOROUS_TIERS}.get(verdict)
    if tier in FLOAT_TIERS and verdict in ("proved", "certified", "refuted"):
        with pytest.raises(ValueError):
            make()
    elif allowed is not None and tier not in allowed:
        with pytest.raises(ValueError):
            make()
    elif verdict == "numerical" and tier == "none":
        with pytest.raises(ValueError):
            make()
    else:
        assert make().verdict == verdict
