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
from symland.tiers.numeric import INEXACT_TIERS

from proofs_check.certificate import Certificate

__all__ = ["Instance", "Context", "hypothesis_fails", "inconclusive", "undecided_reason", "Timer", "auto_tier"]


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
    resolve: tuple | None = None  # ball tier: m* ∈ M next to `point`: ("output", feature columns) re-solves
    # the output layer (symland.nearest), ("krawczyk", parameter indices) a Krawczyk box (symland.krawczyk)

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


def undecided_reason(exc) -> str:
    """The evidence of an ``inconclusive`` from a NotRepresentableError (exact tiers) or a ball tier's give-up."""
    text = str(exc)
    return text if text.startswith("not certified") else f"not exactly representable: {text}"


@dataclass
class Context:
    """Memoised computations shared by the claims of one run, and the run's tier settings.

    ``prec``/``max_prec``: the ball tier's starting and largest precision in bits (doubling in
    between); ``dps``: the mp tier's decimal digits; ``time_budget``: seconds that ``--tier auto``
    may plan for; ``progress``: a callable receiving a short note before each long step.
    """

    _memo: dict = field(default_factory=dict)
    prec: int = 128
    max_prec: int = 4096
    dps: int = 50
    time_budget: float | None = None
    progress: object = None

    def note(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def tier_of(self, inst: Instance) -> str:
        """The tier that decides `inst`: the one asked for, or what ``auto`` chooses (see :func:`auto_tier`)."""
        return inst.tier if inst.tier != "auto" else self.auto_choice(inst)[0]

    def auto_choice(self, inst: Instance) -> tuple[str, str]:
        """(tier, reason) that ``--tier auto`` chose for `inst`, decided once per run."""
        return self._cached(("auto", inst), lambda: auto_tier(inst, self.time_budget))

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
        tier = self.tier_of(inst)
        if tier == "exact":
            return RationalKind()
        if tier == "symbolic":
            return ExpPolyKind()
        return choose_kind(inst.activation)

    def construction(self, inst: Instance, widths=None):
        widths = tuple(widths or inst.network_widths)
        if self.tier_of(inst) in INEXACT_TIERS:
            from proofs_check._numeric import numeric_construction

            return self._cached(("construct", inst, widths, "numeric"),
                                lambda: numeric_construction(inst, self, widths)[0])
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
            hint = None
            if (constructed or inst.point is None) and inst.dag is None:
                from proofs_check._numeric import output_columns

                hint = output_columns(self.problem(inst), inst)
            return prove_rank(vals.kind, vals.J, want_kernel=want_kernel, hint=hint)

        return self._cached(("rank", inst, constructed, want_kernel), run)


#: Above this many J_H entries (dℓ·n) the symbolic tier (Q[e^Q]) is not planned by ``auto``.
SYMBOLIC_AUTO_LIMIT = 20_000
#: Rough seconds per J_H entry, measured on 2 cores (exact rationals, Arb balls at 128 bits).
COST_PER_ENTRY = {"exact": 2e-6, "symbolic": 2e-4, "ball": 4e-6, "float": 2e-9}


def auto_tier(inst: Instance, budget: float | None = None) -> tuple[str, str]:
    """(tier, reason) for ``--tier auto``: the strongest tier that fits the instance and the budget.

    exact when σ is piecewise polynomial over ℚ (every value rational); symbolic (Q[e^Q]) for a
    transcendental σ with one hidden layer and a small J_H; ball otherwise; float when even the
    ball tier's estimate exceeds the time budget.
    """
    net = inst.network()
    entries = inst.data.d * inst.data.l * net.n
    one_hidden = inst.dag is None and len(inst.network_widths) == 3
    if inst.activation.is_rational_valued:
        tier, why = "exact", f"{inst.activation.name} is piecewise polynomial over ℚ: every value is rational"
    elif one_hidden and entries <= SYMBOLIC_AUTO_LIMIT:
        tier, why = "symbolic", f"{inst.activation.name} needs e^q values; one hidden layer keeps them in Q[e^Q]"
    else:
        tier = "ball"
        why = (f"{inst.activation.name}: " + ("deep layers leave Q[e^Q]" if not one_hidden else
               f"J_H has {entries:,} entries, too many for exact Q[e^Q] arithmetic") + "; Arb balls instead")
    if budget is not None:
        order = ("exact", "symbolic", "ball", "float")
        for cand in order[order.index(tier):]:
            est = COST_PER_ENTRY[cand] * entries
            if est <= budget or cand == "float":
                if cand != tier:
                    why += f"; {tier} estimated {COST_PER_ENTRY[tier] * entries:.0f} s > budget {budget:g} s → {cand}"
                tier = cand
                break
    return tier, why


def _is_rational(v) -> bool:
    from flint import fmpq

    return isinstance(v, fmpq) or (hasattr(v, "is_rational") and v.is_rational())
