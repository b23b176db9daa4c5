"""How many columns of J_H can be nonzero at a point, from its zero pattern alone (for the size guard).

The given-point route (:mod:`symland.point.given`) allocates J_H mod p on its live columns only; the size guard
(:func:`symland.tiers.cost.estimate_for`) predicts that allocation from the point before anything is computed.
Reads only the network's own ``split``/``vector``/``activation`` (no import of the networks level).
"""

from __future__ import annotations

from flint import fmpq

__all__ = ["live_columns_bound"]


def _is_zero(v) -> bool:
    """v is 0 (a number, or its text "0", "-0", "0.0", "0/7"); anything unclear counts as nonzero."""
    if v == "0":  # the common case of a sparse point, first
        return True
    if isinstance(v, str):
        num = v.strip().lstrip("+-").split("/")[0]
        return bool(num) and not num.lstrip("0.") and "0" in num  # only 0s and dots (a long numerator: its start)
    try:
        return v == 0
    except (TypeError, ValueError):  # pragma: no cover - an exotic value: not known to be 0
        return False


def live_columns_bound(net, point: dict) -> int:
    """An upper bound, from the point's zero pattern alone, on the live columns of J_H (those
    :func:`symland.networks.modp.live_jacobian_mod_p` allocates): the column of W_k[i, j] needs unit i of layer k
    to reach the output (a nonzero weight out of it, or k the last layer) and input j of layer k to be nonzero
    somewhere (an input of the network, a unit with a nonzero incoming weight or bias, or any unit when
    σ(0) ≠ 0) — for the size guard."""
    layers = net.split(net.vector(point), 0)
    sigma = net.activation
    try:
        zero_at_zero = sigma.is_rational_valued and sigma.eval_rational(fmpq(0)) == 0
    except Exception:  # noqa: BLE001 - σ(0) not decided here: every unit may be nonzero
        zero_at_zero = False
    zeros = _zero_values(v for W, b in layers for row in [*W, b] for v in row)
    fed_prev = None  # layer k−1's units with a nonzero incoming weight or bias
    total = 0
    for k, (W, b) in enumerate(layers):
        rows = len(W)
        if k + 1 < len(layers):
            nxt = layers[k + 1][0]
            out = [any(row[i] not in zeros for row in nxt) for i in range(rows)]
        else:
            out = [True] * rows
        cols = len(W[0]) if W else 0
        inputs = cols if fed_prev is None or not zero_at_zero else sum(fed_prev)
        reach = sum(out)
        total += reach * inputs + (reach if net.bias else 0)
        fed_prev = [any(v not in zeros for v in W[i]) or b[i] not in zeros for i in range(rows)]
    return total


def _zero_values(values) -> set:
    """The distinct values that :func:`_is_zero` calls 0: each decided once (a sparse point repeats "0" ~n times),
    then a set lookup per entry. Values are hashable (texts, numbers); an unhashable one is a TypeError."""
    return {v for v in set(values) if _is_zero(v)}
