"""The hypotheses of the paper's claims, each decided exactly on an instance.

Each check returns ``(label, status, ok)``: the label names the hypothesis as the paper states it,
the status says what was found (and why), ``ok`` whether it holds.
"""

from __future__ import annotations

__all__ = ["distinct_inputs", "overparameterized", "rectified", "smooth", "strictly_increasing",
           "last_hidden_width", "single_output"]


def distinct_inputs(data):
    pairs = data.duplicate_inputs()
    if not pairs:
        return ("x_i distinct", f"yes: {data.d} distinct inputs", True)
    i, j = pairs[0]
    x = ", ".join(str(v) for v in data.X[i])
    more = f" (and {len(pairs) - 1} more pairs)" if len(pairs) > 1 else ""
    return ("x_i distinct", f"no: rows {i + 1} and {j + 1} have the same x = ({x}){more}", False)


def overparameterized(n: int, m: int, what: str = "d"):
    label = f"n > {what} (overparameterized, §1.1)"
    if n > m:
        return (label, f"yes: n = {n} > {what} = {m}", True)
    return (label, f"no: n = {n} ≤ {what} = {m}", False)


def _word(ok) -> str:
    return {True: "yes: ", False: "no: ", None: "undecided: "}[ok]


def rectified(sigma):
    """``ok`` is None when undecided: a failure is reported only with a witness (the claim is then inconclusive)."""
    ok, why = sigma.is_rectified()
    return ("σ rectified (Definition 3.1)", _word(ok) + why, ok)


def strictly_increasing(sigma):
    ok, why = sigma.is_strictly_increasing_on_positive()
    return ("σ strictly increasing on (0, ∞)", _word(ok) + why, ok)


def failed_or_undecided(checks) -> tuple[list, list]:
    """(labels of the checks that fail, labels of those not decided)."""
    return [label for label, _, ok in checks if ok is False], [label for label, _, ok in checks if ok is None]


def smooth(sigma):
    """σ smooth (C^∞); the status also gives the order k when σ is only C^k at 0.

    ``ok`` is None when smoothness could not be decided (the claim is then inconclusive).
    """
    ok, why = sigma.smooth_decided()
    if ok:
        return ("σ smooth", "yes: " + why, True)
    if ok is None:
        return ("σ smooth", "undecided: " + why, None)
    c, k = next(((c, k) for c, k in sigma.kinks() if k is not None), (0, None))
    cls = f"C^{k} at {c}" if k is not None and k >= 0 else f"discontinuous at {c}"
    return ("σ smooth", f"no: {sigma.name} is {cls} ({why})", False)


def last_hidden_width(widths, d: int):
    h = widths[-2] if len(widths) >= 3 else 0
    label = "last hidden width h ≥ d (Lemma 3.3, Corollary 3.4)"
    if len(widths) < 3:
        return (label, "no: the network has no hidden layer", False)
    if h >= d:
        return (label, f"yes: h = {h} ≥ d = {d}", True)
    return (label, f"no: h = {h} < d = {d}", False)


def single_output(data):
    if data.l == 1:
        return ("y_i ∈ R (ℓ = 1)", "yes", True)
    return ("y_i ∈ R (ℓ = 1)", f"no: ℓ = {data.l} outputs (see Remark 4.2)", False)
