"""One analysis request: the problem, where the point comes from, the tier and its settings, and a memo.

The routes of :mod:`symland.point.routes` read everything from a :class:`Request`: the network and data, the
point (given, constructed or re-solved), the tier's numbers and precision, and the progress callback. A request is
used for one :func:`symland.analyse` call, so each value (the construction, the values at m, the rank) is
computed once.
"""

from __future__ import annotations

from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.tiers import ExpPolyKind, RationalKind, choose_kind
from symland.tiers.numeric import INEXACT_TIERS

__all__ = ["Request", "constructed_source", "memoised"]


def constructed_source(widths) -> str:
    return "the Lemma 3.3 point" if len(widths) == 3 else "the Corollary 3.4 point (corrected)"


def memoised(memo: dict, key, fn):
    """fn() once per key of `memo`; an exception a tier raises for "cannot say here" (not representable, σ' undefined,
    a zero division) is memoised too and raised again, so a failed step is not retried by every claim of a run."""
    if key not in memo:
        try:
            memo[key] = ("ok", fn())
        except (NotRepresentableError, UndefinedDerivativeError, ZeroDivisionError) as exc:
            memo[key] = ("err", exc)
    tag, value = memo[key]
    if tag == "err":
        raise value
    return value


class Request:
    """What a route needs (see the module docstring). ``tier`` is a concrete tier (never ``auto``)."""

    def __init__(self, problem, spec, tier: str, *, prec: int = 128, max_prec: int = 4096, dps: int = 50,
                 progress=None, hessian: bool = False, inertia: bool = False, spectrum: bool = False):
        self.problem_ = problem
        self.spec = spec
        self.tier = tier
        self.prec, self.max_prec, self.dps = prec, max_prec, dps
        self.progress = progress
        self.hessian, self.inertia, self.spectrum = hessian, inertia, spectrum
        net = problem.network
        self.network_ = net
        self.data = problem.data
        self.activation = net.activation
        self.dag = None if hasattr(net, "shapes") else net
        self.bias = getattr(net, "bias", True)
        self.network_widths = tuple(net.widths) if self.dag is None else ()
        self.a, self.gap = spec.a, spec.gap
        self.resolve = spec.resolve if spec.origin == "resolved" else None
        self.constructed = spec.origin == "constructed"
        self.point = None if self.constructed else spec.values
        self._memo: dict = {}

    # -- the memo, progress and the problem ------------------------------------------------------------------
    def _cached(self, key, fn):
        return memoised(self._memo, key, fn)

    def note(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def network(self):
        return self.network_

    def problem(self, widths=None):
        if widths is None or tuple(widths) == self.network_widths:
            return self.problem_
        from symland.networks.network import mlp
        from symland.networks.problem import Problem

        return self._cached(("problem", tuple(widths)),
                            lambda: Problem(mlp(tuple(widths), self.activation, self.bias), self.data))

    def describe(self, widths=None) -> dict:
        """The instance as plain data, so that a witness can be re-checked on its own."""
        X = [[str(v) for v in row] for row in self.data.X]
        Y = [[str(v) for v in row] for row in self.data.Y]
        if self.dag is not None:
            return {"network": self.dag.to_obj(), "activation": self.activation.name, "X": X, "Y": Y}
        out = {"widths": list(widths or self.network_widths), "activation": self.activation.name, "X": X, "Y": Y}
        if not self.bias:
            out["bias"] = False
        return out

    # -- the tier's numbers and the point --------------------------------------------------------------------
    def kind(self):
        if self.tier == "exact":
            return RationalKind()
        if self.tier == "symbolic":
            return ExpPolyKind()
        return choose_kind(self.activation)

    def construction(self, widths=None):
        from symland.constructions.landscape import interpolate

        widths = tuple(widths or self.network_widths)
        if self.tier in INEXACT_TIERS:  # the inexact routes build their own (symland.point.numeric)
            raise NotRepresentableError("the exact construction is not built in an inexact tier")
        if self.spec.made is not None and widths == self.network_widths:  # built already (by the caller's run)
            return self.spec.made
        return self._cached(("construct", widths), lambda: interpolate(self.data, widths, self.activation,
                                                                       self.kind(), a=self.a, gap=self.gap))

    def given_values(self, quotients: bool = False) -> list:
        """The given point, parsed: a mapping or strings through Problem.parse_point; engine values as they are.
        ``quotients``: big fractions may stay :class:`~symland.numbers.exact.Quotient` (not in lowest terms: the
        ``given-mod-p`` route); otherwise every value is canonical (once per spec: memoised on it)."""
        from symland.numbers.exact import Quotient

        memo = self.spec.cache
        key = ("values", quotients)
        if key in memo:
            return list(memo[key])
        vals = self.point
        if isinstance(vals, dict) or (vals and isinstance(next(iter(vals)), tuple)):
            vals = self.problem_.parse_point(dict(vals), quotients=quotients)
        else:
            vals = list(vals)
            if vals and isinstance(vals[0], str):
                vals = self.problem_.parse_point(vals, quotients=quotients)
        if not quotients and any(type(v) is Quotient for v in vals):
            vals = [v.fmpq() if type(v) is Quotient else v for v in vals]
        memo[key] = vals
        return list(vals)

    def exact_point(self):
        """(flat exact point, where it came from) for the exact tiers."""
        if self.spec.origin == "given":
            return self.given_values(), self.spec.source or "the given point"
        if self.spec.origin == "resolved":
            near = self.spec.nearest
            if near is None or near.status != "exact":
                raise NotRepresentableError("a re-solved point in the exact tiers needs the exact m* (certify)")
            return list(near.point), self.spec.source or "m*, the given point with its output layer re-solved"
        if self.dag is not None:
            raise NotRepresentableError("no point of M is known for a general DAG network: give one (--point)")
        it = self.construction()
        if not (it.lower_triangular and it.diagonal_nonzero):
            raise NotRepresentableError(no_point_reason(self.activation))
        return it.params, constructed_source(self.network_widths)


def no_point_reason(sigma) -> str:
    """Why no point of M was constructed, and what would give one (an ``inconclusive``'s evidence).

    Lemma 3.3 needs A lower triangular with nonzero diagonal; a rectified σ (Definition 3.1, decided
    exactly) gives the zeros above the diagonal. Without it no point of M is known: the claims at a point
    are undecided, not refuted — a point off M is no counterexample.
    """
    ok, why = sigma.is_rectified()
    if not ok:
        return (f"no point of M constructed: {why}, decided exactly, so Lemma 3.3 does not apply — "
                "give a point of M with --point FILE, or use a rectified σ (smoolu, rectpow3, relu)")
    return ("no point of M constructed: the Lemma 3.3 matrix A is not triangular with a nonzero diagonal for "
            "these data — give a point of M with --point FILE, or another projection of the data")
