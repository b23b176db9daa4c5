"""Property-testing helpers: hypothesis strategies for exact instances, and :func:`assert_claim`.

Needs hypothesis (the ``test`` extra). Public, so that a user can property-test a claim of their own the way
``tests/soundness`` does:

* :func:`rationals` — exact rationals as strings (``"-7/3"``), with optional huge or tiny magnitudes;
* :func:`datasets` — :class:`~symland.data.Dataset` values of exact rationals (distinct inputs by default);
* :func:`activations` — built-in activations by name;
* :func:`architectures` — widths ``p, h_1, …, h_T, ℓ`` whose last hidden layer has at least d units;
* :func:`problems_on_M` — ``(problem, point)`` with the point built by Lemma 3.3 / Corollary 3.4, so H(point) = 0;
* :func:`off_M` — the same point moved off M by exactly ``eps`` (every residual changes by −eps).

:func:`assert_claim` decides a claim at a point and raises a readable ``AssertionError`` with the certificate when
the verdict is not the expected one, or when a ``proved``/``certified``/``refuted`` certificate does not re-check
independently (:func:`proofs_check.recheck.recheck`).

>>> from symland import Dataset, Problem, mlp
>>> prob = Problem(mlp((1, 1, 1), "rectpow3"), Dataset.from_rows([[1]], [1]))
>>> cert = assert_claim("thm-2.1", prob, {"W1_0_0": 1, "b1_0": 0, "W2_0_0": 1, "b2_0": 0})
>>> cert.verdict
'proved'
>>> assert_claim("thm-2.1", prob, {"W1_0_0": 1, "b1_0": 0, "W2_0_0": 2, "b2_0": 0})
Traceback (most recent call last):
  ...
AssertionError: thm-2.1 on assert_claim: verdict 'hypothesis-fails', expected 'proved' (m ∉ M: f_1(m) = 1 ≠ 0 ...
...
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from symland.activations import get_activation
from symland.data import Dataset
from symland.landscape import interpolate
from symland.problem import Problem
from symland.tiers import choose_kind

from proofs_check.certificate import Certificate
from proofs_check.claims import run
from proofs_check.instance import Context, Instance
from proofs_check.recheck import recheck

__all__ = ["rationals", "datasets", "activations", "architectures", "problems_on_M", "off_M", "assert_claim",
           "point_strings", "EXACT_ACTIVATIONS"]

#: Rectified activations whose values at rationals are exact (rationals, or Σ c·e^q for smooLU).
EXACT_ACTIVATIONS = ("rectpow3", "rectpow2", "rectpow4", "smoolu")


def _text(q: Fraction) -> str:
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


@st.composite
def rationals(draw, *, max_numerator: int = 100, max_denominator: int = 12, extreme: bool = False) -> str:
    """An exact rational as a string (``"-7/3"``); with ``extreme``, sometimes scaled by 10^±40 or 10^±300."""
    q = Fraction(draw(st.integers(-max_numerator, max_numerator)), draw(st.integers(1, max_denominator)))
    if extreme:
        q *= Fraction(10) ** draw(st.sampled_from((-300, -40, 0, 0, 40, 300)))
    return _text(q)


@st.composite
def datasets(draw, *, p: int | st.SearchStrategy = st.integers(1, 2), d: int | st.SearchStrategy = st.integers(1, 4),
             l: int = 1, distinct: bool = True, extreme: bool = False) -> Dataset:  # noqa: E741 - the paper's ℓ
    """A data set of d exact points in Q^p with ℓ labels each; the x_i distinct unless ``distinct=False``."""
    p = draw(p) if isinstance(p, st.SearchStrategy) else p
    d = draw(d) if isinstance(d, st.SearchStrategy) else d
    row = st.lists(rationals(extreme=extreme), min_size=p, max_size=p).map(tuple)
    X = draw(st.lists(row, min_size=d, max_size=d, unique_by=(lambda r: tuple(Fraction(v) for v in r))
                      if distinct else None))
    Y = draw(st.lists(st.lists(rationals(extreme=extreme), min_size=l, max_size=l), min_size=d, max_size=d))
    return Dataset.from_rows([list(x) for x in X], [y if l > 1 else y[0] for y in Y])


def activations(names: Sequence[str] = EXACT_ACTIVATIONS) -> st.SearchStrategy:
    """A built-in activation (a :class:`~symland.activations.Activation`) drawn from ``names``."""
    return st.sampled_from(list(names)).map(get_activation)


@st.composite
def architectures(draw, p: int, d: int, l: int = 1, *, max_depth: int = 2,  # noqa: E741
                  max_extra: int = 1) -> tuple[int, ...]:
    """Widths (p, h_1, …, h_T, ℓ) with T ≤ ``max_depth`` hidden layers, the last of width d + (0..max_extra)."""
    T = draw(st.integers(1, max_depth))
    hidden = [draw(st.integers(1, d + max_extra)) for _ in range(T - 1)]
    hidden.append(d + draw(st.integers(0, max_extra)))
    if T > 1:  # the corrected Corollary 3.4 reads unit 1 of each earlier layer: width ≥ 1 suffices
        hidden = [max(1, h) for h in hidden]
    return (p, *hidden, l)


@st.composite
def problems_on_M(draw, *, activation: st.SearchStrategy | None = None, data: st.SearchStrategy | None = None,
                  max_depth: int = 1) -> tuple[Problem, dict]:
    """(problem, point) with the point built by Lemma 3.3 (or Corollary 3.4 when deeper): H(point) = 0 exactly.

    The point maps each parameter name to its exact value as a string.
    """
    sigma = draw(activation if activation is not None else activations())
    ds = draw(data if data is not None else datasets())
    widths = draw(architectures(ds.p, ds.d, ds.l, max_depth=max_depth))
    it = interpolate(ds, widths, sigma, choose_kind(sigma))
    return Problem(it.network, ds), point_strings(it.named_params(), it.kind)


def point_strings(point: Mapping[str, Any], kind=None) -> dict:
    """{name: exact value string} from values of a tier (``kind.to_str``) or plain numbers."""
    return {k: (kind.to_str(v) if kind is not None else _plain(v)) for k, v in point.items()}


def _plain(v: Any) -> str:
    if isinstance(v, Fraction):
        return _text(v)
    return str(v)


def off_M(problem: Problem, point: Mapping[str, Any], eps: Fraction | int | str) -> dict:
    """``point`` with every output bias raised by ``eps``: each residual f_i changes by exactly −eps.

    (The network is f(x) = W σ(…) − b, so raising the output bias b lowers every output by eps.)
    """
    eps = Fraction(eps)
    net = problem.network
    names = net.param_names()
    moved = dict(point)
    for name in names[len(names) - net.l:]:
        moved[name] = f"({moved[name]}) + ({_text(eps)})"
    return moved


def _instance(problem: Problem, point: Mapping[str, Any] | Sequence, name: str, tier: str) -> Instance:
    net = problem.network
    names = net.param_names()
    if not isinstance(point, Mapping):
        point = dict(zip(names, point))
    pairs = tuple(sorted((k, _plain(v)) for k, v in point.items()))
    if hasattr(net, "widths"):
        return Instance(name, problem.data, net.activation, widths=tuple(net.widths), point=pairs, tier=tier)
    return Instance(name, problem.data, net.activation, point=pairs, tier=tier, dag=net)


def _explain(cert: Certificate, headline: str) -> str:
    lines = [headline, str(cert)]
    if cert.hypotheses:
        lines.append("hypotheses: " + "; ".join(f"{h}: {s}" for h, s in cert.hypotheses))
    if cert.details:
        lines.append("details:")
        lines += [f"  {d}" for d in cert.details]
    witness = json.dumps(cert.to_json_obj()["witness"], ensure_ascii=False)
    lines.append("witness: " + (witness if len(witness) <= 4000 else witness[:4000] + " …"))
    return "\n".join(lines)


def assert_claim(claim: str, problem: Problem, point: Mapping[str, Any] | Sequence, expected: str = "proved", *,
                 name: str = "assert_claim", tier: str = "auto", independent: bool = True) -> Certificate:
    """Decide ``claim`` (e.g. ``"prop-2.3"``) for ``problem`` at ``point``; return the certificate.

    Args:
        claim: a claim id of :data:`proofs_check.ALL_IDS`.
        problem: a :class:`~symland.problem.Problem` (network and data).
        point: {parameter name: exact value} or the values in the canonical order.
        expected: the verdict the test expects.
        name: the instance name shown in the certificate.
        tier: ``auto``, ``exact`` or ``symbolic``.
        independent: also re-check a proved/certified/refuted certificate with :func:`~proofs_check.recheck.recheck`.

    Raises:
        AssertionError: the verdict is not ``expected``, or the certificate is rejected by the re-checker; the
            message holds the certificate (table row, hypotheses, details, witness).
    """
    cert = run([_instance(problem, point, name, tier)], [claim], ctx=Context())[0]
    if cert.verdict != expected:
        raise AssertionError(_explain(cert, f"{claim} on {name}: verdict {cert.verdict!r}, expected {expected!r} "
                                            f"({cert.evidence})"))
    if independent and cert.verdict in ("proved", "certified", "refuted"):
        result = recheck(cert)
        if not result.ok:
            raise AssertionError(_explain(cert, f"{claim} on {name}: {cert.verdict}, but the certificate does not "
                                                f"re-check: {'; '.join(result.reasons)}"))
    return cert
