"""An instance of a claim (network, data, optional point) and the shared, memoised computations.

Claims are plain functions ``(instance, context) -> Certificate``; the :class:`Context` computes
the constructed point, the exact values at a point and the rank of J_H once per instance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from symland.activations import Activation
from symland.data import Dataset
from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.landscape import interpolate
from symland.network import mlp
from symland.problem import Problem
from symland.rank import prove_rank
from symland.tiers import ExpPolyKind, RationalKind, choose_kind

from proofs_check.certificate import Certificate

__all__ = ["Instance", "Context", "hypothesis_fails", "inconclusive", "Timer"]


@dataclass(frozen=True)
class Instance:
    """A data set, a network (widths, σ), an optional point, and the verdicts the paper predicts."""

    name: str
    data: Dataset
    activation: Activation
    widths: tuple | None = None  # None: (p, d, ℓ), the network of Lemma 3.3
    point: tuple | None = None  # ((name, value string), …); None: use the construction
    expected: tuple = ()  # ((claim id, verdict), …); claims not listed expect "proved"
    claims: tuple = ()  # claim ids to run by default; () means all applicable
    tier: str = "auto"
    note: str = ""
    a: tuple | None = None  # the projection vector of Lemma 3.3; None: the first that separates
    gap: object = 1  # a·x₁ − a·x₀ in Lemma 3.3 (1 in the paper)
    dag: object = None  # a symland.dag.DagNetwork (Section 3's general networks) instead of widths

    @property
    def network_widths(self) -> tuple:
        return tuple(self.widths) if self.widths else (self.data.p, self.data.d, self.data.l)

    def expect(self, claim: str) -> str:
        return dict(self.expected).get(claim, "proved")

    def network(self):
        return self.dag if self.dag is not None else mlp(self.network_widths, self.activation)

    def describe(self, widths=None) -> dict:
        """The instance as plain data, so that a witness can be re-checked on its own."""
        if self.dag is not None:
            return {"network": self.dag.to_obj(), "activation": self.activation.name,
                    "X": [[str(v) for v in row] for row in self.data.X],
                    "Y": [[str(v) for v in row] for row in self.data.Y]}
        return {"widths": list(widths or self.network_widths), "activation": self.activation.name,
                "X": [[str(v) for v in row] for row in self.data.X],
                "Y": [[str(v) for v in row] for row in self.data.Y]}


class Timer:
    def __init__(self):
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def hypothesis_fails(claim, inst, hyps, timer, evidence, **kw) -> Certificate:
    return Certificate(claim=claim, instance=inst.name, verdict="hypothesis-fails", tier="none",
                       evidence=evidence, hypotheses=tuple(hyps), witness=kw.pop("witness", {}),
                       seconds=timer.seconds, expected=inst.expect(claim), **kw)


def inconclusive(claim, inst, hyps, timer, evidence, tier="none", **kw) -> Certificate:
    return Certificate(claim=claim, instance=inst.name, verdict="inconclusive", tier=tier,
                       evidence=evidence, hypotheses=tuple(hyps), witness=kw.pop("witness", {}),
                       seconds=timer.seconds, expected=inst.expect(claim), **kw)


@dataclass
class Context:
    """Memoised exact computations shared by the claims of one run."""

    _memo: dict = field(default_factory=dict)

    def _cached(self, key, fn):
        if key not in self._memo:
            try:
                self._memo[key] = ("ok", fn())
            except (NotRepresentableError, UndefinedDerivativeError, ZeroDivisionError) as exc:
                self._memo[key] = ("err", exc)
        tag, value = self._memo[key]
        if tag == "err":
            raise value
        return value

    def kind(self, inst: Instance):
        if inst.tier == "exact":
            return RationalKind()
        if inst.tier == "symbolic":
            return ExpPolyKind()
        return choose_kind(inst.activation)

    def construction(self, inst: Instance, widths=None):
        widths = tuple(widths or inst.network_widths)
        return self._cached(("construct", inst, widths),
                            lambda: interpolate(inst.data, widths, inst.activation, self.kind(inst), a=inst.a,
                                                          gap=inst.gap))

    def problem(self, inst: Instance, widths=None) -> Problem:
        """The instance's own network (a DAG if it has one), or mlp(widths) when widths are given."""
        if inst.dag is not None and widths is None:
            return self._cached(("problem", inst), lambda: Problem(inst.dag, inst.data))
        widths = tuple(widths or inst.network_widths)
        return self._cached(("problem", inst, widths), lambda: Problem(mlp(widths, inst.activation), inst.data))

    def point(self, inst: Instance, *, constructed: bool = False):
        """(flat exact point, where it came from)."""
        if inst.point is not None and not constructed:
            prob = self.problem(inst)
            return prob.parse_point(dict(inst.point)), "the given point"
        if inst.dag is not None:
            raise NotRepresentableError("no point of M is known for a general DAG network: give one (--point)")
        it = self.construction(inst)
        src = "the Lemma 3.3 point" if len(inst.network_widths) == 3 else "the Corollary 3.4 point (corrected)"
        return it.params, src

    def values(self, inst: Instance, *, constructed: bool = False, hessian: bool = False):
        key = ("values", inst, constructed, hessian)

        def run():
            point, _ = self.point(inst, constructed=constructed)
            kind = self.kind(inst)
            if isinstance(kind, RationalKind) and not all(_is_rational(v) for v in point):
                kind = ExpPolyKind()
            return self.problem(inst).at(point, kind=kind, hessian=hessian)

        return self._cached(key, run)

    def rank(self, inst: Instance, *, constructed: bool = False, want_kernel: bool = False):
        def run():
            vals = self.values(inst, constructed=constructed)
            return prove_rank(vals.kind, vals.J, want_kernel=want_kernel)

        return self._cached(("rank", inst, constructed, want_kernel), run)


def _is_rational(v) -> bool:
    from flint import fmpq

    return isinstance(v, fmpq) or (hasattr(v, "is_rational") and v.is_rational())
