"""Checks of the arguments of the public constructors, so that a bad value fails where it is given.

The Python objects (``mlp``, ``DagNetwork``, ``Problem``, ``proofs_check.Instance``) validate their arguments here
and trust them inside (STYLE.md, lesson 8), as the command line does with its options. Each check either returns
the value (normalised: a list of widths becomes a tuple) or raises an :class:`symland.errors.InputError` subclass
whose one-line message starts with the argument's name and shows the offending value.

>>> tier("ball")
'ball'
>>> tier("Ball")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symland.errors.UnknownNameError: tier: unknown tier 'Ball' (did you mean 'ball'?); valid tiers: auto, exact, ...
>>> widths([2, 3, 1])
(2, 3, 1)
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

from symland.errors import InputError, ShapeError, UnknownNameError
from symland.sigma.activations import Activation, get_activation

__all__ = ["TIERS", "tier", "activation", "widths", "sequence", "pairs", "flag", "instance_of", "choice", "show"]

#: the arithmetic tiers a computation can be asked for ("auto": the engine chooses)
TIERS = ("auto", "exact", "symbolic", "ball", "mp", "float")


_PLAIN = (str, int, float, tuple, list, dict, type(None))


def show(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, after its type's name unless it is a plain str, number,
    tuple, list, dict or None."""
    text = repr(value)
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return text if type(value) in _PLAIN or type(value) is bool else f"{type(value).__name__} {text}"


def choice(value: object, choices: Sequence[str], argument: str, what: str | None = None,
           plural: str | None = None) -> str:
    """``value`` if it is one of ``choices`` (names: case matters), else UnknownNameError listing them."""
    if isinstance(value, str) and value in choices:
        return value
    what = what or argument
    valid = f"valid {plural or what + 's'}: {', '.join(choices)}"
    if not isinstance(value, str):
        raise UnknownNameError(f"{argument}: expected a {what} name, got {show(value)}; {valid}")
    hint = f" (did you mean {value.strip().lower()!r}?)" if value.strip().lower() in choices else ""
    raise UnknownNameError(f"{argument}: unknown {what} {value!r}{hint}; {valid}")


def tier(value: object, argument: str = "tier") -> str:
    """One of :data:`TIERS`."""
    return choice(value, TIERS, argument, "tier")


def activation(value: object, argument: str = "activation") -> Activation:
    """An :class:`~symland.sigma.activations.Activation`, or its name (``get_activation`` reads it)."""
    if isinstance(value, Activation):
        return value
    if isinstance(value, str):
        return get_activation(value)
    raise InputError(f"{argument}: expected an Activation or an activation name such as 'smoolu', "
                     f"got {show(value)}")


def widths(value: object, argument: str = "widths", *, p: int | None = None, l: int | None = None) -> tuple:
    """Layer sizes (p, h_1, …, h_T, ℓ): at least two positive integers; the first p and the last ℓ when given."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InputError(f"{argument}: expected a sequence of layer sizes (p, h_1, …, ℓ), got {show(value)}")
    if len(value) < 2:
        raise ShapeError(f"{argument}: at least the input and output sizes are needed, got {tuple(value)}")
    if any(isinstance(w, bool) or not isinstance(w, numbers.Integral) or w < 1 for w in value):
        raise ShapeError(f"{argument}: layer sizes must be positive integers, got {show(tuple(value))}")
    out = tuple(int(w) for w in value)
    if p is not None and out[0] != p:
        raise ShapeError(f"{argument} {out} start with {out[0]} but the data have p = {p} inputs")
    if l is not None and out[-1] != l:
        raise ShapeError(f"{argument} {out} end with {out[-1]} but the data have ℓ = {l} outputs")
    return out


def sequence(value: object, argument: str) -> tuple:
    """A list or tuple (not a string), as a tuple."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InputError(f"{argument}: expected a tuple or list, got {show(value)}")
    return tuple(value)


def pairs(value: object, argument: str, what: str = "(name, value)") -> tuple:
    """A mapping or a sequence of pairs whose first items are strings, as a tuple of pairs (a mapping's sorted)."""
    if isinstance(value, Mapping):
        value = sorted(value.items(), key=lambda kv: str(kv[0]))
    items = sequence(value, argument)
    for item in items:
        if type(item) is tuple and len(item) == 2 and type(item[0]) is str:  # the common case, without ABC checks
            continue
        if isinstance(item, (str, bytes)) or not isinstance(item, Sequence) or len(item) != 2 \
                or not isinstance(item[0], str):
            raise InputError(f"{argument}: expected a mapping or {what} pairs, got the item {show(item)}")
    return tuple(tuple(item) for item in items)


def flag(value: object, argument: str) -> bool:
    """True or False (a numpy bool too); never a truthy string such as ``"no"``."""
    if isinstance(value, bool) or (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")):
        return bool(value)
    raise InputError(f"{argument}: expected True or False, got {show(value)}")


def instance_of(value: object, types: type | tuple[type, ...], argument: str, what: str) -> object:
    """``value`` if it is an instance of ``types``, else InputError saying ``what`` was expected."""
    if isinstance(value, types):
        return value
    raise InputError(f"{argument}: expected {what}, got {show(value)}")
