"""An instance of a claim (network, data, optional point) and the shared, memoised computations.

Claims are plain functions ``(instance, context) -> Certificate``; the :class:`Context` computes
the constructed point, the exact values at a point and the rank of J_H once per instance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from functools import partial

from symland import _validation
from symland.activations import Activation
from symland.dag import DagNetwork
from symland.data import Dataset
from symland.errors import InputError, NotRepresentableError, UndefinedDerivativeError
from symland.landscape import interpolate
from symland.network import mlp
from symland.point import PointSpec, at_scale as _scale
from symland.point.request import memoised
from symland.problem import Problem
from symland.tiers import ExpPolyKind, RationalKind, choose_kind
from symland.tiers.numeric import INEXACT_TIERS

from proofs_check.certificate import VERDICTS, Certificate

__all__ = ["Instance", "Context", "hypothesis_fails", "inconclusive", "undecided_reason", "no_point_reason",
           "suggestion", "Timer", "auto_tier", "unmet_hypothesis"]


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
    bias: bool = True  # False: mlp(widths, σ, bias=False), no b's (Lemma 3.3's construction does not apply)
    resolve: tuple | None = None  # ball tier: m* ∈ M next to `point`: ("output", feature columns) re-solves
    # the output layer (symland.nearest), ("krawczyk", parameter indices) a Krawczyk box (symland.krawczyk)
    spec: object = None  # a symland.point.PointSpec the engine made (certify's m*): used instead of `point`

    def __hash__(self) -> int:
        """The dataclass's hash of the fields, computed once: an instance keys the run's memo many times, and its
        data and point (certify's m*: n parameters) are large and immutable."""
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash(tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", h)
        return h

    def __getstate__(self) -> dict:  # a string's hash differs between processes: the cached one is not pickled
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def __post_init__(self):
        """The boundary of the Python API: each argument is checked (symland._validation) and made hashable."""
        check, put = _validation, partial(object.__setattr__, self)
        if not isinstance(self.name, str):
            raise InputError(f"name: expected a string, got {check.show(self.name)}")
        check.instance_of(self.data, Dataset, "data", "a symland.Dataset (Dataset.from_rows or load_dataset)")
        put("activation", check.activation(self.activation))  # an Activation or its name, as mlp accepts
        put("tier", check.tier(self.tier))
        put("bias", check.flag(self.bias, "bias"))
        if self.dag is not None:
            check.instance_of(self.dag, DagNetwork, "dag", "a symland.DagNetwork (load_dag or dag_from_obj)")
            if self.widths is not None:
                raise InputError(f"widths: give either widths or dag, not both (widths {check.show(self.widths)})")
        if self.widths is not None:
            put("widths", check.widths(self.widths, p=self.data.p, l=self.data.l))
        if self.point is not None:
            put("point", check.pairs(self.point, "point"))
        put("expected", check.pairs(self.expected, "expected", "(claim id, verdict)"))
        for claim, verdict in self.expected:
            check.choice(verdict, VERDICTS, f"expected[{claim!r}]", "verdict")
        put("claims", check.sequence(self.claims, "claims"))
        if self.a is not None:
            put("a", check.sequence(self.a, "a"))
        if self.resolve is not None:
            resolve = check.sequence(self.resolve, "resolve")
            if len(resolve) != 2:
                raise InputError(f"resolve: expected (method, columns), got {check.show(self.resolve)}")
            check.choice(resolve[0], ("output", "krawczyk"), "resolve", "re-solve method")
            put("resolve", (resolve[0], check.sequence(resolve[1], "resolve's columns")))
        if self.spec is not None:
            check.instance_of(self.spec, PointSpec, "spec", "a symland.point.PointSpec (a point the engine made)")

    @property
    def network_widths(self) -> tuple:
        return tuple(self.widths) if self.widths else (self.data.p, self.data.d, self.data.l)

    def expect(self, claim: str) -> str:
        return dict(self.expected).get(claim, "proved")

    def network(self):
        return self.dag if self.dag is not None else mlp(self.network_widths, self.activation, self.bias)

    def describe(self, widths=None) -> dict:
        """The instance as plain data, so that a witness can be re-checked on its own."""
        if self.dag is not None:
            return {"network": self.dag.to_obj(), "activation": self.activation.name,
                    "X": [[str(v) for v in row] for row in self.data.X],
                    "Y": [[str(v) for v in row] for row in self.data.Y]}
        out = {"widths": list(widths or self.network_widths), "activation": self.activation.name,
               "X": [[str(v) for v in row] for row in self.data.X],
               "Y": [[str(v) for v in row] for row in self.data.Y]}
        if not self.bias:
            out["bias"] = False
        return out


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


def suggestion(evidence: str, tier: str) -> str:
    """The tier or option that would decide an ``inconclusive`` with this evidence in this tier.

    The evidence keeps its own suggestion when it already gives one (``use --…``, ``raise --…``, ``give …``).
    """
    text = evidence.lower()
    if "timeout" in text or "budget" in text:
        return "rerun with a larger --timeout / --time-budget, or a faster tier (--tier ball or float)"
    if any(w in text for w in ("use --", "raise --", "try --", "with --", "give ", "no option", "none can")):
        return ""
    if "hypothesis not decided" in text:
        return "give σ as --activation-expr with pieces sympy can decide, or try --tier ball at a --point FILE"
    if tier in ("exact", "symbolic", "none"):
        return "try --tier ball (Arb enclosures: certified)"
    if tier == "ball":
        return "raise --max-prec (e.g. --max-prec 16384), or try --tier exact / symbolic where σ allows"
    if tier == "mp":
        return "raise --dps, or --tier ball for a certified answer (--tier exact / symbolic for a proof)"
    return "try --tier ball for a certified answer, or --tier mp --dps 100"


def inconclusive(claim, inst, hyps, timer, evidence, tier="none", **kw) -> Certificate:
    """An ``inconclusive`` certificate whose evidence names the tier or option that would decide it."""
    hint = suggestion(evidence, tier)
    if hint:
        evidence = f"{evidence} — {hint}"
    return Certificate(claim=claim, instance=inst.name, verdict="inconclusive", tier=tier,
                       evidence=evidence, hypotheses=tuple(hyps), witness=kw.pop("witness", {}),
                       seconds=timer.seconds, expected=inst.expect(claim), **kw)


def unmet_hypothesis(claim, inst, hyps, checks, timer) -> Certificate | None:
    """``hypothesis-fails`` at the first check (label, status, ok) that fails, else ``inconclusive`` at the first
    undecided one (ok None), else None: the hypotheses are met."""
    from proofs_check.hypotheses import failed_or_undecided

    failed, undecided = failed_or_undecided(checks)
    if failed:
        return hypothesis_fails(claim, inst, hyps, timer, f"hypothesis fails: {failed[0]}")
    if undecided:
        return inconclusive(claim, inst, hyps, timer, f"hypothesis not decided: {undecided[0]}")
    return None


def no_point_reason(inst: Instance) -> str:
    """Why no point of M was constructed, and what would give one (:func:`symland.point.request.no_point_reason`)."""
    from symland.point.request import no_point_reason as why

    return why(inst.activation)


def undecided_reason(exc) -> str:
    """The evidence of an ``inconclusive`` from a NotRepresentableError (exact tiers) or a ball tier's give-up."""
    text = str(exc)
    return text if text.startswith("not certified") else f"not exactly representable: {text}"


@dataclass
class Context:
    """Memoised computations shared by the claims of one run, and the run's tier settings.

    ``prec``/``max_prec``: the ball tier's starting and largest precision in bits (doubling in
    between); ``dps``: the mp tier's decimal digits; ``time_budget``: seconds that ``--tier auto``
    may spend on the whole run (None: :data:`proofs_check.auto.DEFAULT_BUDGET` per instance);
    ``progress``: a callable receiving a short note before each long step.
    """

    _memo: dict = field(default_factory=dict)
    prec: int = 128
    max_prec: int = 4096
    dps: int = 50
    time_budget: float | None = None
    progress: object = None
    claim: str | None = None  # the claim being run: --tier auto plans each claim on its own (set by claims.run)
    plan_hessian: bool = False  # a claim of the run needs Hess L (prop-2.3): compute it with the one analysis
    plan_constructed: bool = False  # a claim of the run analyses the constructed point (proofs_check.claims.plan)

    def note(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def tier_of(self, inst: Instance) -> str:
        """The tier that decides `inst`: the one asked for, or what ``auto`` chooses (see :func:`auto_tier`)."""
        return inst.tier if inst.tier != "auto" else self.auto_choice(inst)[0]

    def auto_choice(self, inst: Instance) -> tuple[str, str]:
        """(tier, reason) that ``--tier auto`` chose for `inst`, decided once per run."""
        return self._cached(("auto", inst, self.claim), lambda: auto_tier(inst, self.time_budget, self.claim))

    def _cached(self, key, fn):
        return memoised(self._memo, key, fn)

    def run_claim(self, inst: Instance, fn):
        """fn() — one claim on `inst`; with ``--tier auto`` under the time budget, falling back to the next
        tier when the chosen one overruns (:func:`proofs_check.auto.run_auto`)."""
        if inst.tier != "auto":
            return fn()
        from proofs_check.auto import run_auto

        return run_auto(self, inst, fn, self.claim)

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
            from symland.point.numeric import numeric_construction
            from symland.point.request import Request

            req = Request(self.problem(inst), point_spec(inst, True), self.tier_of(inst), prec=self.prec,
                          max_prec=self.max_prec, dps=self.dps, progress=self.progress)
            return self._cached(("construct", inst, widths, "numeric"), lambda: numeric_construction(req, widths)[0])
        return self._cached(("construct", inst, widths),
                            lambda: interpolate(inst.data, widths, inst.activation, self.kind(inst), a=inst.a,
                                                          gap=inst.gap))

    def problem(self, inst: Instance, widths=None) -> Problem:
        """The instance's own network (a DAG if it has one), or mlp(widths) when widths are given."""
        if inst.dag is not None and widths is None:
            return self._cached(("problem", inst), lambda: Problem(inst.dag, inst.data))
        widths = tuple(widths or inst.network_widths)
        return self._cached(("problem", inst, widths),
                            lambda: Problem(mlp(widths, inst.activation, inst.bias), inst.data))

    def analysis(self, inst: Instance, *, constructed: bool = False, hessian: bool = False):
        """The run's one :func:`symland.analyse` of the instance's point (memoised per instance, point and tier).

        Hess f_r is computed with it when the run has a claim that needs it (``plan_hessian``) or this request asks
        for it; a later request for it after an analysis without it is the only case computed twice.
        """
        from symland.point import analyse

        constructed = constructed or (inst.point is None and inst.spec is None)
        tier = self.tier_of(inst)
        key = ("analysis", inst, constructed, tier)
        have = self._memo.get(key)
        want = hessian or self.plan_hessian
        if have is not None and (not want or have[1]):
            return have[0]
        n = self.problem(inst).network.n
        with_h = want and n <= HESSIAN_LIMIT and tier in ("exact", "symbolic")  # the inexact tiers use H(m) = 0
        made = None
        at_scale = tier == "exact" and inst.dag is None and _scale.route(
            inst.network_widths, inst.data.d, inst.data.l, inst.activation, bias=inst.bias, n=n) == "constructed"
        if constructed and tier in ("exact", "symbolic") and inst.dag is None and not at_scale:  # the one construction
            # (not at scale: the at-scale route makes its own by prefix sums, O(d) big-number steps; the general
            # one solves the dense d × d system, which was 95 % of thm-2.1 at d ≥ 1000)
            try:
                made = self.construction(inst)
            except (NotRepresentableError, UndefinedDerivativeError, ZeroDivisionError):
                made = None  # the analysis reports why
        pa = analyse(self.problem(inst), point_spec(inst, constructed, made), tier, inertia=False, hessian=with_h,
                     prec=self.prec, max_prec=self.max_prec, dps=self.dps, progress=self.progress)
        self._memo[key] = (pa, want)
        return pa


    def constructed_values(self, inst: Instance, widths):
        """H (and J_H) at the constructed point from the run's analysis there, when the run makes one anyway
        (exact tiers, the instance's own widths); None otherwise (the caller runs its own forward pass)."""
        if not (self.plan_constructed and tuple(widths) == inst.network_widths and inst.dag is None
                and self.tier_of(inst) in ("exact", "symbolic")):
            return None
        return self.analysis(inst, constructed=True).values


#: build the full Hess L (Hess f_r) with the analysis up to this n (Proposition 2.3 at a point; beyond it the
#: at-scale routes may decide)
HESSIAN_LIMIT = _scale.HESSIAN_LIMIT


def point_spec(inst: Instance, constructed: bool, made=None) -> PointSpec:
    """The instance's point as the engine's :class:`symland.point.PointSpec`."""
    if constructed:
        return PointSpec.constructed(inst.a, inst.gap, made=made)
    if inst.spec is not None:
        return inst.spec
    if inst.resolve is not None:
        return PointSpec.resolved(dict(inst.point), inst.resolve)
    return PointSpec.given(dict(inst.point))


def auto_tier(inst: Instance, budget: float | None = None, claim: str | None = None) -> tuple[str, str]:
    """(tier, reason) for ``--tier auto`` and `claim`: the one chooser (:func:`proofs_check.auto.choose`)."""
    from proofs_check.auto import choose

    return choose(inst, budget, claim)
