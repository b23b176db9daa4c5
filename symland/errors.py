"""The exceptions raised by symland: one rooted hierarchy.

Every exception derives from :class:`SymlandError`, and each subclass also inherits the builtin exception that
describes it best (``ValueError`` for bad input, ``ArithmeticError`` for values that cannot be computed), so callers
may catch either the symland class or the builtin one.  Messages are one readable line that names the argument or
file and the offending value; the command line prints them as they are and exits with status 2.

    SymlandError
    ├── InputError (ValueError)
    │   ├── ParseError
    │   ├── ShapeError
    │   ├── DuplicateInputError
    │   └── UnknownNameError
    ├── NotRepresentableError (ArithmeticError)
    ├── UndefinedDerivativeError (ArithmeticError)
    └── TooLargeError (ValueError)

>>> issubclass(ParseError, ValueError) and issubclass(ParseError, SymlandError)
True
"""

from __future__ import annotations

__all__ = [
    "SymlandError",
    "InputError",
    "ParseError",
    "ShapeError",
    "DuplicateInputError",
    "UnknownNameError",
    "NotRepresentableError",
    "UndefinedDerivativeError",
    "TooLargeError",
]


class SymlandError(Exception):
    """Root of every exception raised on purpose by symland.

    Raised never directly; catch it to handle any symland failure in one place.
    """


class InputError(SymlandError, ValueError):
    """Raised when user input is bad: a file cannot be read or an argument has an invalid value.

    Raised directly for problems that fit no subclass (file not found, not UTF-8, file too large, too many rows).
    The message is one line naming the argument or file and the offending value.
    """


class ParseError(InputError):
    """Raised when a value is not a finite number that can be read exactly, or a file's syntax is malformed.

    Examples: ``"abc"``, ``"nan"``, ``"inf"``, ``"1/0"``, a float NaN, an exponent beyond 10**6, malformed JSON.
    The message names the file, row and column (or the argument) and the value.
    """


class ShapeError(InputError):
    """Raised when data have the wrong shape.

    Examples: ragged rows, a missing header or label column, inputs of different widths, no data rows at all.
    """


class DuplicateInputError(InputError):
    """Raised when two data points have the same input x_i where distinct inputs are required (Lemma 3.3).

    The message names the two rows, 1-based as in the file's data rows, and the common x.
    """


class UnknownNameError(InputError):
    """Raised for an unknown or malformed name: activation, claim or parameter.

    The message lists the valid names (or the first few of them).
    """


class NotRepresentableError(SymlandError, ArithmeticError):
    """Raised when a value cannot be represented exactly in the requested number kind.

    Example: asking for the rational value of smooLU(1) = exp(-1), which is irrational.
    """


class UndefinedDerivativeError(SymlandError, ArithmeticError):
    """Raised when a derivative of an activation is asked for where it does not exist.

    Example: ReLU'(0), whose left derivative is 0 and right derivative is 1.
    """


class TooLargeError(SymlandError, ValueError):
    """Raised when a computation is refused because its estimated size is beyond a limit.

    The message gives the estimate and the limit, and how to raise the limit or choose a cheaper tier.
    """
