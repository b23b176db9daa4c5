"""Activation functions: exact values and the properties of Section 3.1 (Definitions 3.1 and 3.2)."""

import pytest
import sympy
from flint import fmpq

from symland.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    names,
    polynomial,
    rectpow,
    shifted_relu,
    t,
)
from symland.errors import InputError, NotRepresentableError, UndefinedDerivativeError, UnknownNameError

# name: (rectified, strictly increasing on (0, ∞), smoothness at 0 up to order 8, smooth)
VERDICTS = {
    "smoolu": (True, True, 8, True),
    "relu": (True, True, 0, False),
    "softplus": (False, True, 8, True),
    "tanh": (False, True, 8, True),
    "sigmoid": (False, True, 8, True),
    "tanh_trunc": (True, True, 0, False),
    "sigmoid_trunc": (True, True, 0, False),
    "square": (False, True, 8, True),
    "identity": (False, True, 8, True),
    "rectpow1": (True, True, 0, False),
    "rectpow3": (True, True, 2, False),
    "relu_after1": (True, False, 8, False),
    "poly:0,-3,0,1": (False, False, 8, True),
}


@pytest.mark.parametrize("name", list(VERDICTS))
def test_every_builtin_gets_the_expected_exact_verdicts(name):
    act = get_activation(name)
    rectified, strict, order, smooth = VERDICTS[name]
    assert act.is_rectified()[0] is rectified
    assert act.is_strictly_increasing_on_positive()[0] is strict
    assert act.smoothness_at_zero() == order
    assert act.is_smooth()[0] is smooth
    for verdict in (act.is_rectified(), act.is_strictly_increasing_on_positive(), act.is_smooth()):
        assert verdict[1].startswith(f"{name}: ")


def test_every_registered_name_has_a_verdict_row():
    assert set(ACTIVATIONS) <= set(VERDICTS)


def test_smoolu_is_definition_3_2_and_its_values_are_exact():
    smoolu = get_activation("smoolu")
    assert smoolu.negative == 0 and smoolu.positive == t * sympy.exp(-1 / t)
    assert sympy.simplify(smoolu.value(fmpq(1, 2)) - sympy.exp(-2) / 2) == 0
    assert sympy.simplify(smoolu.value(fmpq(1, 2), 1) - 3 * sympy.exp(-2)) == 0
    assert smoolu.value(fmpq(-3)) == 0
    assert smoolu.value(0) == 0
    assert smoolu.value(0, 5) == 0
    assert "flat, all orders agree" in smoolu.is_smooth()[1]


def test_reasons_explain_the_verdicts():
    assert get_activation("tanh").is_rectified()[1] == "tanh: not rectified (σ(-1) = -tanh(1) ≠ 0 on t ≤ 0)"
    assert get_activation("relu").is_smooth()[1] == "relu: first derivative jumps at 0 (0 vs 1)"
    assert get_activation("sigmoid_trunc").is_smooth()[1] == "sigmoid_trunc: first derivative jumps at 0 (0 vs 1/4)"
    assert get_activation("rectpow3").is_smooth()[1] == "rectpow3: third derivative jumps at 0 (0 vs 6)"
    assert get_activation("relu_after1").is_strictly_increasing_on_positive()[1] == (
        "relu_after1: not strictly increasing on (0, ∞) (σ' ≤ 0 on (0, 1): σ(3/8) = 0 ≥ σ(1/2) = 0)")
    assert get_activation("poly:1").is_strictly_increasing_on_positive()[1] == (
        "poly:1: not strictly increasing on (0, ∞) (σ' ≤ 0 on (0, ∞): σ(11/16) = 1 ≥ σ(1) = 1)")


def test_a_discontinuous_function_is_not_rectified():
    jump = Activation("jump", sympy.Integer(0), t + 1)
    assert jump.smoothness_at_zero() == -1
    assert jump.is_rectified() == (False, "jump: not rectified (discontinuous at t = 0: σ(0) = 0, right limit 1)")
    assert jump.is_smooth() == (False, "jump: σ is discontinuous at 0 (0 vs 1)")
    assert jump.value(0) == 0 and jump.eval_rational(fmpq(0)) == fmpq(0)


def test_a_decreasing_positive_piece_is_not_rectified():
    bump = Activation("bump", sympy.Integer(0), t * sympy.exp(-t))
    assert bump.is_rectified() == (False, "bump: not rectified (σ' < 0 on (1, ∞): "
                                    "σ(27/16) = 27*exp(-27/16)/16 > σ(2) = 2*exp(-2))")


def test_rational_evaluation_is_exact_for_piecewise_polynomials():
    rp3 = get_activation("rectpow3")
    assert rp3.eval_rational(fmpq(1, 2), 1) == fmpq(3, 4)
    assert rp3.eval_rational(fmpq(1, 2)) == fmpq(1, 8)
    assert rp3.eval_rational(fmpq(-5, 2), 2) == fmpq(0)
    assert [rp3.eval_rational(fmpq(0), k) for k in range(3)] == [fmpq(0)] * 3
    assert get_activation("relu").eval_rational(fmpq(7, 3)) == fmpq(7, 3)
    assert get_activation("square").eval_rational(fmpq(-2, 3), 1) == fmpq(-4, 3)
    assert get_activation("poly:1,0.5,1/3").eval_rational(fmpq(3), 0) == fmpq(11, 2)
    assert rp3.eval_rational(2) == fmpq(8)


def test_rational_evaluation_agrees_with_the_exact_symbolic_value():
    for name in ("relu", "rectpow3", "square", "relu_after1", "poly:0,-3,0,1"):
        act = get_activation(name)
        for q in (fmpq(-3, 2), fmpq(1, 3), fmpq(1), fmpq(5, 2)):
            for k in range(3):
                try:
                    fast = act.eval_rational(q, k)
                except UndefinedDerivativeError:
                    with pytest.raises(UndefinedDerivativeError):
                        act.value(q, k)
                    continue
                assert sympy.Rational(int(fast.p), int(fast.q)) == act.value(q, k)


def test_relu_after_is_zero_up_to_its_shift_and_has_a_kink_there():
    act = get_activation("relu_after1")
    assert act.breakpoints == (0, 1)
    assert act.is_rational_valued and act.rational_coeffs(True) is None
    assert [act.eval_rational(fmpq(q)) for q in (-1, fmpq(1, 2), 1, 3)] == [0, 0, 0, 2]
    assert act.eval_rational(fmpq(0), 3) == 0
    with pytest.raises(UndefinedDerivativeError, match="relu_after1 is not differentiable at t = 1"):
        act.eval_rational(fmpq(1), 1)
    assert shifted_relu("0.5") is get_activation("relu_after1/2")


def test_derivatives_that_do_not_exist_at_zero_raise():
    with pytest.raises(UndefinedDerivativeError) as info:
        get_activation("relu").value(0, 1)
    assert str(info.value) == "relu is not differentiable at t = 0 (left derivative 0, right derivative 1)"
    with pytest.raises(UndefinedDerivativeError, match="relu is not differentiable at t = 0"):
        get_activation("relu").eval_rational(fmpq(0), 1)
    with pytest.raises(UndefinedDerivativeError, match="rectpow3 has no third derivative at t = 0"):
        get_activation("rectpow3").eval_rational(fmpq(0), 3)
    with pytest.raises(UndefinedDerivativeError, match="already jumps"):
        get_activation("rectpow3").value(0, 4)
    with pytest.raises(UndefinedDerivativeError):
        get_activation("tanh_trunc").value(0, 1)


def test_transcendental_activations_are_not_rational_valued():
    for name in ("smoolu", "tanh", "softplus", "tanh_trunc"):
        act = get_activation(name)
        assert not act.is_rational_valued
        with pytest.raises(NotRepresentableError, match=name):
            act.eval_rational(fmpq(1))


def test_rational_coefficients_are_listed_low_to_high():
    assert rectpow(3).rational_coeffs(True) == [0, 0, 0, 1]
    assert rectpow(3).rational_coeffs(False) == [0]
    assert polynomial(["1/2", 0, 3]).rational_coeffs(False) == [fmpq(1, 2), 0, 3]
    assert get_activation("smoolu").rational_coeffs(True) is None


def test_expr_is_a_piecewise_unless_both_pieces_agree():
    assert get_activation("relu").expr == sympy.Piecewise((0, t <= 0), (t, True))
    assert get_activation("tanh").expr == sympy.tanh(t)
    assert get_activation("relu").piece(True, 1) == 1
    assert get_activation("smoolu").piece(True, 1) == sympy.diff(t * sympy.exp(-1 / t), t)


def test_parametric_names_are_parsed_and_canonical():
    assert get_activation("rectpow3") is rectpow(3)
    assert get_activation("poly:0,0,1").name == "poly:0,0,1"
    assert get_activation("poly:0,0,1,0") == get_activation("poly:0,0.0,1")
    assert get_activation("poly:0,0,1").positive == t**2
    assert hash(get_activation("poly:0,0,1")) == hash("poly:0,0,1")
    assert get_activation(" ReLU ") is ACTIVATIONS["relu"]


@pytest.mark.parametrize("name", ["foo", "rectpow0", "rectpowx", "poly:a,1", "poly:", "relu_after-1", "relu_afterx"])
def test_unknown_or_malformed_names_raise_listing_the_valid_ones(name):
    with pytest.raises(UnknownNameError) as info:
        get_activation(name)
    assert repr(name) in str(info.value)
    if name in ("foo", "rectpowx"):
        assert "smoolu" in str(info.value) and "rectpow<k>" in str(info.value)


def test_names_lists_builtins_then_templates():
    assert names()[:2] == ["smoolu", "relu"]
    assert "tanh_trunc" in names() and "poly:<c0>,<c1>,..." in names()


def test_pieces_in_other_symbols_are_rejected():
    with pytest.raises(InputError, match="other than t"):
        Activation("bad", sympy.Integer(0), sympy.Symbol("x"))


def test_a_jump_inside_the_positive_side_prevents_a_positive_verdict():
    drop = Activation("drop", sympy.Integer(0), sympy.Piecewise((t, t < 1), (t - sympy.Rational(1, 2), True)))
    assert drop.is_rectified() == (  # undecided, not "fails": no witness of the jump is found
        None, "drop: not shown rectified (could not show σ continuous on (0, ∞))")
    assert drop.is_strictly_increasing_on_positive()[0] is None
    stairs = Activation("stairs", sympy.Integer(0), sympy.floor(t))
    assert stairs.is_rectified()[0] is None  # a jump sympy does not locate: undecided


def test_several_inner_breakpoints_are_segments_owning_their_right_end():
    ramp = Activation("ramp", sympy.Integer(0), sympy.Piecewise((t, t <= 1), (1, t <= 2), (t - 1, True)))
    assert ramp.breakpoints == (0, 1, 2)
    assert [ramp.eval_rational(fmpq(x)) for x in (-1, fmpq(1, 2), 1, fmpq(3, 2), 2, 3)] == [0, fmpq(1, 2), 1, 1, 1, 2]
    assert ramp.is_rectified()[0] is True
    assert ramp.is_strictly_increasing_on_positive()[1] == (
        "ramp: not strictly increasing on (0, ∞) (σ' ≤ 0 on (1, 2): σ(11/8) = 1 ≥ σ(3/2) = 1)")
    with pytest.raises(UndefinedDerivativeError, match="at t = 2"):
        ramp.eval_rational(fmpq(2), 1)


def test_smoothness_is_decided_for_all_orders_not_only_up_to_eight():
    # rectpow9 agrees with 0 to order 8 at t = 0 but its 9th derivative jumps: not C^∞
    ok, why = get_activation("rectpow9").smooth_decided()
    assert ok is False and "9th derivative jumps at 0 (0 vs 362880)" in why
    assert get_activation("rectpow9").is_smooth()[0] is False
    ok, why = get_activation("smoolu").smooth_decided()
    assert ok is True and "flat" in why
