"""The exception hierarchy: one root, builtin bases, documented classes."""

import inspect

import pytest

import symland.errors as errors
from symland.errors import (
    DuplicateInputError,
    InputError,
    NotRepresentableError,
    ParseError,
    ShapeError,
    SymlandError,
    TooLargeError,
    UndefinedDerivativeError,
    UnknownNameError,
)


def test_every_exported_exception_derives_from_the_root_and_has_a_docstring():
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert inspect.isclass(cls) and issubclass(cls, SymlandError)
        assert cls.__doc__ and "raised" in cls.__doc__.lower()


def test_input_errors_are_value_errors_and_input_errors():
    for cls in (InputError, ParseError, ShapeError, DuplicateInputError, UnknownNameError):
        assert issubclass(cls, ValueError)
        assert issubclass(cls, InputError)


def test_arithmetic_failures_are_arithmetic_errors_but_not_input_errors():
    for cls in (NotRepresentableError, UndefinedDerivativeError):
        assert issubclass(cls, ArithmeticError)
        assert not issubclass(cls, InputError)


def test_too_large_is_a_value_error_but_not_an_input_error():
    assert issubclass(TooLargeError, ValueError)
    assert not issubclass(TooLargeError, InputError)


def test_a_parse_error_can_be_caught_as_the_builtin_value_error():
    with pytest.raises(ValueError, match="row 3"):
        raise ParseError("points.csv row 3 column x2: 'abc' is not a number")


def test_all_lists_exactly_the_exception_classes_of_the_module():
    defined = {n for n, v in vars(errors).items() if inspect.isclass(v) and issubclass(v, Exception)
               and v.__module__ == errors.__name__}
    assert defined == set(errors.__all__)
