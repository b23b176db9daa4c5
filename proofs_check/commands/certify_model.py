"""``symland certify``: a trained network, its distance to M certified, and the landscape at m* ∈ M and at m.

1. dist(m, M) as a certified bracket [lower, upper] in ℓ₂ and ℓ∞ (:mod:`symland.point.distance`): the foot of the
   perpendicular m̃ by a minimum-norm Newton projection over all weights (residuals in Arb), a point m* ∈ M certified
   next to it (the output layer re-solved exactly — σ piecewise polynomial over ℚ, tier ``exact`` — or in Arb, or
   Krawczyk on dℓ coordinates anywhere: tier ``ball``), ‖m* − m‖ the upper bound; the lower bound from ‖J⁺H(m)‖ and
   J_H's variation over the box m ± upper (:mod:`symland.point.bracket`).
2. At m*: Theorem 2.1 (rank J_H(m*) = dℓ, witness minor) and Proposition 2.3 (inertia (n₊, n₋, n₀) =
   (dℓ, 0, n − dℓ)) by the claims' own code — an :class:`~proofs_check.instance.Instance` whose ``spec`` is m* as
   solved in step 1 (a :class:`symland.point.PointSpec`: the exact m*, or the Arb enclosure with ``resolve`` = the
   re-solved columns), so m* is solved once. ``proved`` in the exact tier, ``certified`` in the ball tier; both
   re-checkable by ``symland recheck``.
3. At m: L(m) enclosed in Arb from the file's exact weights, and the float spectrum of the full Hess L(m), residual
   term included (n ≤ SPECTRUM_LIMIT), with the count of eigenvalues within the tolerance of 0 beside n − dℓ.
   Floating point: evidence, not a verdict.

No point of M is claimed unless it was shown to exist. ``max_distance`` (ℓ₂; default 1e-3·max(1, ‖m‖∞)): m* is
certified when its distance is at most that; "no point of M within r" is said only when the certified lower bound
exceeds r; in between, the verdict is ``inconclusive`` and says which --max-distance certifies the point found.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import dataclass, field, replace

import numpy as np
from flint import arb, fmpq

from symland._nearest_point import l2_bound
from symland.data import Dataset
from symland.errors import NotRepresentableError, UndefinedDerivativeError
from symland.models import ImportedModel
from symland.nearest import NearestPoint
from symland.networks.floating import blas_threads
from symland.point import PointSpec
from symland.point.distance import Distance, distance_to_M, with_upper
from symland.problem import Problem
from symland.tiers.numeric import BallKind, Undecided, precision

from proofs_check.certificate import CertificateList
from proofs_check.instance import Context, Instance, Timer, hypothesis_fails, inconclusive

__all__ = ["ModelReport", "certify_model", "SPECTRUM_LIMIT"]

SPECTRUM_LIMIT = 1500  # full float Hessian (n × n) at the trained point up to this n
CLAIMS = ("thm-2.1", "prop-2.3")


@dataclass
class ModelReport:
    """What ``symland certify`` found; ``to_json()`` has the keys of issue 12."""

    model: ImportedModel
    data: Dataset
    nearest: NearestPoint
    point_tier: str  # exact | ball | none
    loss_at_model: float
    spectrum_at_model: dict
    certificates: CertificateList
    seconds: float = 0.0
    notes: list = field(default_factory=list)
    bounds: tuple | None = None  # (‖m* − m‖∞, ‖m* − m‖₂) upper bounds over the recorded box (_recorded_upper)
    loss_ball: object = None  # L(m) enclosed in Arb from the file's exact weights (_certified_loss), or None
    distance: Distance | None = None  # the bracket for dist(m, M) and how m* was found

    def __post_init__(self):
        # a trained model on your data: the paper predicts no verdict for it (no "expected", no "not as expected")
        self.certificates = CertificateList(replace(c, expected=None) for c in self.certificates)
        if self.bounds is None and self.nearest.ok:
            self.bounds = _recorded_upper(self.model, self.nearest)

    @property
    def distance_linf(self) -> float | None:
        return _finite_or_none(self.bounds[0]) if self.nearest.ok else None

    @property
    def distance_l2(self) -> float | None:
        return _finite_or_none(self.bounds[1]) if self.nearest.ok else None

    @property
    def point(self) -> dict:
        return self.nearest.point_strings(self.model.network) if self.nearest.ok else {}

    @property
    def ok(self) -> bool:
        """Every certificate positive at its tier's strength (proved exact / certified ball)."""
        want = {"exact": "proved", "ball": "certified"}.get(self.point_tier)
        return bool(self.certificates) and all(c.verdict == want for c in self.certificates)

    def bracket(self, which: str = "l2") -> tuple[float | None, float | None]:
        """(lower, upper) for dist(m, M) in ℓ₂ or ℓ∞, certified; None where not had."""
        up = self.distance_l2 if which == "l2" else self.distance_linf
        lo = self.distance.bracket(which)[0] if self.distance is not None else None
        return (min(lo, up) if lo is not None and up is not None else lo), up

    def _radius(self) -> float | None:
        """The half-width r of the box m ± r the lower bound used (exact in float64), or None."""
        low = self.distance.lower if self.distance is not None else None
        return float(low.radius.mid()) if low is not None and low.ok and low.radius is not None else None

    def to_json_obj(self) -> dict:
        (lo2, up2), (loi, upi) = self.bracket("l2"), self.bracket("linf")
        foot = self.distance.to_json_obj()["foot"] if self.distance is not None else None
        return {"model": self.model.source, "activation": self.model.activation.name,
                "widths": list(self.model.widths), "bias_convention": self.model.bias_convention,
                "point_tier": self.point_tier, "nearest": self.nearest.method or self.nearest.reason,
                "point": self.point, "distance_linf": {"lower": loi, "upper": upi, "radius": self._radius()},
                "distance_l2": {"lower": lo2, "upper": up2, "radius": self._radius()}, "foot": foot,
                "loss_at_model": self.loss_at_model if math.isfinite(self.loss_at_model) else None,
                "loss_at_model_enclosure": _ball_text(self.loss_ball),
                "spectrum_at_model": _compact(self.spectrum_at_model),
                "inertia": self.inertia, "certificates": self.certificates.to_json_obj(),
                "seconds": round(self.seconds, 3)}

    @property
    def inertia(self) -> list | None:
        """Hess L(m*)'s inertia [n₊, n₋, n₀] (Sylvester's order) as the prop-2.3 certificate established it (its
        verdict says at which strength), or None where that certificate has none (no m*, a kink, …)."""
        got = next((c.witness.get("inertia") for c in self.certificates if c.claim == "prop-2.3"), None)
        return list(got) if got is not None else None

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_json_obj(), indent=indent, allow_nan=False)

    def _loss_line(self) -> str:
        flt = f"float64: {self.loss_at_model:.3e}" if math.isfinite(self.loss_at_model) else "float64: not computed"
        if self.loss_ball is not None:
            return (f"L(m) ∈ {_ball_text(self.loss_ball)} at the trained point m (Arb, {LOSS_BITS} bits, from the "
                    f"file's exact weights; {flt})")
        if math.isfinite(self.loss_at_model):
            return f"L(m) ≈ {self.loss_at_model:.3e} at the trained point m (float64 only, not certified)"
        return f"L(m) not computed ({self.spectrum_at_model.get('what', 'float64')})"

    def summary_lines(self) -> list[str]:
        m, net = self.model, self.model.network
        lines = [f"model {m.source}: widths {','.join(map(str, net.widths))}, σ = {m.activation.name}, "
                 f"n = {net.n}, d = {self.data.d}; {m.bias_convention}",
                 self._loss_line()]
        if self.nearest.ok and (self.distance_linf is None or self.distance_l2 is None):
            lines.append(f"m* ∈ M ({self.point_tier}) found, but its distance to m is beyond float64's range")
        elif self.nearest.ok:
            (lo2, up2), (loi, upi) = self.bracket("l2"), self.bracket("linf")
            lines.append(f"dist(m, M) ∈ [{_num(lo2)}, {up2:.4e}] (ℓ₂), [{_num(loi)}, {upi:.4e}] (ℓ∞), certified; "
                         f"m* ∈ M ({self.point_tier}): {self.nearest.method}")
        else:
            lines.append(f"no point of M certified near m: {self.nearest.reason}")
        if self.distance is not None:
            lines += ["  " + x for x in self.distance.lines()[1:]]
        s = self.spectrum_at_model
        if s.get("eigenvalues") is not None or s.get("near_zero") is not None:
            lines.append(f"Hess L(m) (float, {s['what']}): {s['near_zero']} eigenvalues within {s['tol']:.1e} "
                         f"of 0 vs n − dℓ = {s['expected_zero']}; {s['negative']} below −tol")
        lines += self.notes
        return lines

    def __str__(self) -> str:
        from proofs_check.certificate import format_table

        return "\n".join(self.summary_lines()) + "\n" + format_table(self.certificates)

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<li>{html.escape(x)}</li>" for x in self.summary_lines())
        return f"<ul>{head}</ul>" + self.certificates._repr_html_()


def _num(v: float | None) -> str:
    return "?" if v is None else f"{v:.4e}"


def _finite_or_none(v: float) -> float | None:
    return v if math.isfinite(v) else None


def _compact(spectrum: dict) -> dict:
    """For JSON: eigenvalues that are exactly 0.0 (the n − dℓ not computed) as a count."""
    lam = spectrum.get("eigenvalues")
    if not lam or len(lam) <= SPECTRUM_LIMIT:
        return spectrum
    out = dict(spectrum)
    out["eigenvalues"] = [v for v in lam if v != 0.0]
    out["zeros_not_listed"] = len(lam) - len(out["eigenvalues"])
    return out


LOSS_BITS = 128  # Arb precision of the certified L(m)


def _certified_loss(model: ImportedModel, data: Dataset, residual=()):
    """L(m) = Σ f_r(m)² at the trained point, enclosed in Arb from the file's exact (dyadic) weights — from
    ``residual`` (H(m) in Arb, the distance's passes at m) when given —; None where an enclosure is not had (σ not
    enclosed there, or a value beyond Arb's exponent range)."""
    try:
        with precision(LOSS_BITS):
            H = residual or Problem(model.network, data).at(list(model.point()), kind=BallKind(LOSS_BITS),
                                                            jacobian=False, kinks=False).H
            total = arb(0)
            for v in H:
                total += v * v
    except (ArithmeticError, ValueError, NotRepresentableError, UndefinedDerivativeError, Undecided):
        return None
    return total if total.is_finite() else None


def _ball_text(x) -> str | None:
    return None if x is None else x.str(6, radius=True)


def _loss_and_spectrum(model: ImportedModel, data: Dataset) -> tuple[float, dict]:
    """L(m) in float64 and the eigenvalues of the full Hess L(m) (central differences of the exact-formula
    gradient 2J_HᵀH) for n ≤ SPECTRUM_LIMIT; beyond, the nonzero spectrum 2σ_i² of 2J_HᵀJ_H only."""
    net, d = model.network, data.d * data.l
    x = model.float_point()
    n = net.n
    try:
        with np.errstate(all="ignore"):
            return _float_loss_and_spectrum(net, data, x, n, d)
    except _OutOfRange as exc:
        return float("nan"), {"what": f"not computed: {exc} (the exact and ball tiers are not affected)",
                              "eigenvalues": None, "near_zero": None}
    except Exception as exc:  # noqa: BLE001 -- e.g. a derivative undefined at the float point, numpy LinAlgError
        return float("nan"), {"what": f"not computed: {type(exc).__name__}: {str(exc)[:200]}", "eigenvalues": None,
                              "near_zero": None}


class _OutOfRange(ArithmeticError):
    pass


def _finite(*arrays) -> None:
    if not all(np.all(np.isfinite(a)) for a in arrays):
        raise _OutOfRange("a value at the trained point is beyond float64's range")


def _float_loss_and_spectrum(net, data, x, n: int, d: int) -> tuple[float, dict]:
    from symland.floating import jacobian
    from symland.gram import gram

    H, J = jacobian(net, data, x) if n <= SPECTRUM_LIMIT else gram(net, data, x)
    _finite(x, H, J)
    loss = float(H @ H)
    _finite(loss)
    if n <= SPECTRUM_LIMIT:
        G = 2 * J.T @ J
        # residual term 2 Σ_r f_r(m) Hess f_r(m) = Jacobian of w ↦ 2 J(w)ᵀ c at m, c = H(m) frozen:
        # forward differences, whose error is scaled by the (small) residuals
        c = 2 * H
        base = J.T @ c
        step = 1e-7 * max(1.0, float(np.max(np.abs(x))))
        R = np.empty((n, n))
        if np.any(c != 0):
            for i in range(n):
                e = x.copy()
                e[i] += step
                R[:, i] = (jacobian(net, data, e)[1].T @ c - base) / step
        else:
            R[:] = 0
        _finite(G, R)
        lam = np.linalg.eigvalsh(G + (R + R.T) / 2)
        what = "full Hessian: 2JᵀJ + residual term (forward differences)"
    else:  # J holds J_H J_Hᵀ here (symland.gram)
        lam = _gauss_newton_spectrum(J, n)
        what = f"n = {n} > {SPECTRUM_LIMIT}: Gauss–Newton part 2JᵀJ only, residual term omitted"
    _finite(lam)
    tol = n * np.finfo(float).eps * float(np.max(np.abs(lam)) if lam.size else 1.0)
    near = int(np.sum(np.abs(lam) <= tol))
    return loss, {"what": what, "tol": tol, "near_zero": near, "expected_zero": n - d,
                  "negative": int(np.sum(lam < -tol)), "eigenvalues": [float(v) for v in np.sort(lam)]}


def _gauss_newton_spectrum(JJt: np.ndarray, n: int) -> np.ndarray:
    """Eigenvalues of 2JᵀJ (n × n, n ≥ dℓ) from those of the small dℓ × dℓ matrix 2JJᵀ, and n − dℓ zeros."""
    top = np.clip(np.linalg.eigvalsh(2 * JJt), 0, None)
    if top.size > n:  # not overparameterized: JᵀJ has the n largest of them
        return np.sort(top)[-n:]
    return np.sort(np.concatenate([np.zeros(n - top.size), top]))


def choose_tier(model: ImportedModel, data: Dataset, tier: str) -> tuple[str, str]:
    """(tier, reason): the one asked for, or the one chooser's (:func:`symland.tiers.plan.plan_certify`)."""
    if tier in ("exact", "ball"):
        return tier, f"--tier {tier}"
    from symland.tiers.plan import plan_certify

    p = plan_certify(model.network, data)
    return p.tier, p.reason


def certify_model(model: ImportedModel, data: Dataset, tier: str = "auto", prec: int = 128,
                  max_prec: int = 4096, timeout: float | None = None, max_distance: float | None = None,
                  progress=None) -> ModelReport:
    """Nearest point m* of M, Theorem 2.1 and Proposition 2.3 at m*, loss and float spectrum at m.

    ``timeout`` (seconds): stop then, every certificate ``inconclusive``; ``max_distance``: see the module docstring.
    BLAS runs on one thread (a second one waits for a core when the machine is shared).
    """
    with blas_threads():
        return _certify_model(model, data, tier, prec, max_prec, timeout, max_distance, progress)


def _certify_model(model, data, tier, prec, max_prec, timeout, max_distance, progress) -> ModelReport:
    if model.network.p == data.p:  # the framework's own forward pass on the data, when the import had the model
        model.check_on(data.X)
    if timeout is not None:
        return _bounded(lambda: certify_model(model, data, tier, prec, max_prec, None, max_distance, progress),
                        timeout, model, data)
    t0 = time.perf_counter()
    name = os.path.basename(model.source) or "model"
    if data.duplicate_inputs():  # the paper's hypothesis; with two labels for one x, M is empty
        return _repeated_inputs(model, data, name, t0)
    asked = tier
    tier, why = choose_tier(model, data, tier)
    m_inf = max((abs(float(v)) for v in model.float_point()), default=0.0)
    limit = max_distance if max_distance is not None else 1e-3 * max(1.0, m_inf)
    radius = limit * 1.01  # the lower bound's box when no point of M is certified: just beyond the limit
    dist = distance_to_M(model, data, tier=tier, prec=prec, max_prec=max_prec, radius=radius)
    if not dist.near.ok and tier == "exact" and asked == "auto":  # e.g. a narrow last layer: Krawczyk in Arb
        tier, why = "ball", f"{why}, but {dist.near.reason}: Arb balls"
        dist = distance_to_M(model, data, tier=tier, prec=prec, max_prec=max_prec, radius=radius, ft=dist.foot)
    near = dist.near
    loss, spectrum = _loss_and_spectrum(model, data)
    loss_ball = _certified_loss(model, data, dist.residual)
    notes = [f"tier {tier}: {why}"]
    inst = Instance(name=name, data=data, activation=model.activation, widths=model.widths, tier=tier,
                    claims=CLAIMS, bias=model.network.bias)
    bounds = _recorded_upper(model, near) if near.ok else None
    if bounds is not None:
        dist = with_upper(dist, *bounds)
    lower = dist.bracket("l2")[0]
    reason = None
    if not near.ok:
        reason = f"no point of M certified near the model: {near.reason}"
        if lower is not None and lower > limit:
            reason = (f"no point of M within {limit:.1e} (ℓ₂) of the model: certified lower bound dist(m, M) ≥ "
                      f"{lower:.4e} (no option changes this); and no point of M was certified farther: {near.reason}")
    elif not (math.isfinite(bounds[0]) and math.isfinite(bounds[1])):
        reason = ("no distance bound to the re-solved m* within float64's range (‖m* − m‖ ≤ "
                  f"{near.distance_l2}): the point is not reported")
    elif bounds[1] > limit:
        if lower is not None and lower > limit:
            reason = (f"no point of M within {limit:.1e} (ℓ₂) of the model: certified dist(m, M) ∈ [{lower:.4e}, "
                      f"{bounds[1]:.4e}] (no option changes the lower bound; raise --max-distance to "
                      f"{bounds[1]:.2e} to certify the point of M found)")
        else:
            reason = (f"the point of M certified is at ‖m* − m‖₂ ≤ {bounds[1]:.3e} > max distance "
                      f"{limit:.1e}, and no point of M lies within {_num(lower)}; whether one lies within "
                      f"{limit:.1e} is not decided (raise --max-distance to {bounds[1]:.2e} to certify m*)")
    if reason is not None:
        certs = CertificateList(inconclusive(c, inst, [], Timer(), reason, tier=tier) for c in CLAIMS)
        return ModelReport(model, data, near, "none" if not near.ok else tier, loss, spectrum, certs,
                           time.perf_counter() - t0, notes, bounds, loss_ball, dist)
    start = dist.foot.point if dist.route == "foot" else None  # where the re-solve started: m̃ or m
    given = tuple((k, str(v)) for k, v in zip(model.network.param_names(), start)) if start is not None \
        else tuple(model.point_strings().items())
    if tier == "exact":  # m* itself (exact rationals), as the engine solved it: no re-encoding, no second solve
        spec = PointSpec.given(near.point, source="m*, with its output layer re-solved from " + (
            "the foot of the perpendicular m̃ (a projection of the trained point onto M)" if start else
            "the trained point"))
        inst = replace(inst, point=given, spec=spec)
    else:  # the Arb enclosure of m* with its certified system, passed in (the claims do not solve again)
        how = "krawczyk" if "krawczyk" in near.details else "output"
        cols = tuple(near.columns) if how == "krawczyk" else _feature_cols(model, near)
        src = ("m*, the unique zero of H in a Krawczyk box next to " if how == "krawczyk" else
               "m*, with its output layer re-solved from ") + ("the foot of the perpendicular m̃ (a projection of the "
                                                             "trained point onto M)" if start else "the trained point")
        inst = replace(inst, point=given, resolve=(how, cols),
                       spec=PointSpec.resolved(given, (how, cols), near, source=src))
    ctx = Context(prec=near.prec or prec, max_prec=max_prec, progress=progress)
    from proofs_check.claims import run

    certs = _annotated(run([inst], list(CLAIMS), ctx=ctx), model, near, bounds)
    return ModelReport(model, data, near, tier, loss, spectrum, certs, time.perf_counter() - t0, notes, bounds,
                       loss_ball, dist)


def _repeated_inputs(model: ImportedModel, data: Dataset, name: str, t0: float) -> ModelReport:
    """Two data points with the same x: the hypothesis x_i distinct fails; with different labels M is empty."""
    from proofs_check.hypotheses import distinct_inputs

    label, status, _ = distinct_inputs(data)
    i, j = data.duplicate_inputs()[0]
    empty = data.Y[i] != data.Y[j]
    why = (f"hypothesis fails: {status}" + (f" but labels y_{i + 1} ≠ y_{j + 1}: no network fits both, M is empty "
                                            "(no option changes this)" if empty else
                                            f": rows {i + 1} and {j + 1} of J_H are equal, rank J_H < d everywhere"))
    inst = Instance(name=name, data=data, activation=model.activation, widths=model.widths, claims=CLAIMS,
                    bias=model.network.bias)
    certs = CertificateList(hypothesis_fails(c, inst, [(label, status)], Timer(), why) for c in CLAIMS)
    loss, spectrum = _loss_and_spectrum(model, data)
    near = NearestPoint("inconclusive", why)
    return ModelReport(model, data, near, "none", loss, spectrum, certs, time.perf_counter() - t0,
                       [why], None, _certified_loss(model, data))


def _feature_cols(model: ImportedModel, near: NearestPoint) -> tuple:
    """The last hidden layer's feature columns (h = the bias) of the re-solved output-layer parameters."""
    net = model.network
    K, h = len(net.shapes), net.widths[-2]
    names = net.param_names()
    cols = []
    for idx in near.columns[: len(near.columns) // net.l]:
        nm = names[idx]
        cols.append(h if nm.startswith(f"b{K}_") else int(nm.rsplit("_", 1)[1]))
    return tuple(cols)


def _recorded_upper(model: ImportedModel, near: NearestPoint) -> tuple[float, float]:
    """Upper bounds of ‖m* − m‖∞ and ‖m* − m‖₂ that hold for every point of the box the certificate *records*.

    The search's own bounds (``near.upper``) are for its internal enclosure of m*; the witness writes the point's
    balls in decimal, a little wider, and a re-checker knows only that m* lies somewhere in those. So the recorded
    bound is the larger of the two: true, and re-derivable from the certificate alone.
    """
    lin, l2 = near.upper("linf"), near.upper("l2")
    point = near.point_strings(model.network)  # what the report and every certificate's witness write
    if near.status != "ball" or not point:
        return lin, l2
    with precision(max(256, near.prec or 0)):  # m is exact: at 53 bits its rounding alone would be ~10⁻¹⁶
        deltas = []
        for k, text in point.items():
            v = arb(text) if ("+/-" in text or "[" in text) else arb(fmpq(*map(int, (text + "/1").split("/")[:2])))
            deltas.append(abs(v - arb(model.params[k])))
        hi = deltas[0]
        for d in deltas[1:]:
            hi = hi.max(d)
        up = NearestPoint("ball", distance_linf=hi, distance_l2=l2_bound(deltas))
    return max(lin, up.upper("linf")), max(l2, up.upper("l2"))


def _annotated(certs, model: ImportedModel, near: NearestPoint, bounds: tuple) -> CertificateList:
    """The model's bias conversion and the distance bounds, recorded in each certificate's witness."""
    out = []
    for c in certs:
        w = dict(c.witness)
        linf, l2 = bounds
        w["model"] = {"source": model.source, "bias_convention": model.bias_convention,
                      "point": model.point_strings(),  # the trained point: the kernel re-derives the distances
                      "distance_linf_upper": linf, "distance_l2_upper": l2,
                      "resolved_columns": list(near.columns), "nearest_method": near.method}
        out.append(replace(c, witness=w))
    return CertificateList(out)


# -- the command ---------------------------------------------------------------------------------------------
def _bounded(fn, timeout, model, data) -> ModelReport:
    if timeout is None:
        return fn()
    from symland.budget import run_until

    done, expired = run_until([("certify", fn)], timeout, lambda key, why: why)
    if expired or not isinstance(done[0], ModelReport):
        why = done[0] if done and isinstance(done[0], str) else f"not finished within {timeout:g} s"
        inst = Instance(name=os.path.basename(model.source) or "model", data=data, activation=model.activation,
                        widths=model.widths, bias=model.network.bias)
        certs = CertificateList(inconclusive(c, inst, [], Timer(), why) for c in CLAIMS)
        return ModelReport(model, data, NearestPoint("inconclusive", why), "none", float("nan"), {}, certs)
    return done[0]


def write_figures(report: ModelReport, directory, warnings: list | None = None) -> list:
    """The figures of :func:`certify_figures` as PNG files in ``directory`` (created); returns their paths. Each
    float64 warning a figure carries is appended to ``warnings`` as "file: sentence" (the command prints them)."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in certify_figures(report):
        paths.append(out / name)
        fig.savefig(paths[-1], dpi=110)
        if warnings is not None:
            warnings.extend(f"{name}: {w}" for w in getattr(fig, "symland_warnings", ()))
    return paths


def certify_figures(report: ModelReport) -> list:
    """[(file name, Figure)]: every float64 eigenvalue of Hess L at the trained point m (the full Hess L, residual
    term included, when n ≤ SPECTRUM_LIMIT; else its Gauss–Newton part 2JᵀJ) and of 2JᵀJ = Hess L at m* (at m*'s
    midpoint), beside prop-2.3's inertia (n₊, n₋, n₀) at m* and its verdict. Where float64 cannot resolve the point
    (values beyond its range, or a float picture that contradicts the certified inertia) the figure says so."""
    from symland.views.spectrum import spectrum_figure, unresolved_figure

    figs = []
    d = report.data.d * report.data.l
    n = report.model.network.n
    s = report.spectrum_at_model
    full = str(s.get("what", "")).startswith("full Hessian")
    loss = (f"L(m) ≈ {report.loss_at_model:.2e} in float64" if math.isfinite(report.loss_at_model) else
            "L(m) not computed in float64")
    if report.loss_ball is not None:
        loss += f"; certified L(m) ∈ {report.loss_ball.str(3, radius=True)}"
    head = f"Hess L at the trained point m, n = {n} (float64; {loss})"
    if s.get("eigenvalues"):
        figs.append(("spectrum_model.png", spectrum_figure(s["eigenvalues"], d, tol=s["tol"], title=head,
                                                           matrix="full" if full else "gauss-newton",
                                                           notes=[f"computed as: {s['what']}"])))
    elif str(s.get("what", "")).startswith("not computed"):
        why = str(s["what"]).removeprefix("not computed: ")
        figs.append(("spectrum_model.png", unresolved_figure(why, title=head, matrix="full")))
    if not report.nearest.ok:
        return figs
    from symland.gram import gram

    verdict = next((c.verdict for c in report.certificates if c.claim == "prop-2.3"), "not run")
    label = f"prop-2.3 {verdict}"
    verdicts = ", ".join(f"{c.claim} {c.verdict}" for c in report.certificates)
    head = f"2JᵀJ = Hess L at m* ∈ M ({verdicts}), float64 at m*'s midpoint"
    try:
        with np.errstate(all="ignore"):
            x = np.array([float(v.mid()) if hasattr(v, "mid") else int(v.p) / int(v.q) for v in report.nearest.point])
            _finite(x)
            JJt = gram(report.model.network, report.data, x)[1]
            _finite(JJt)
            lam = _gauss_newton_spectrum(JJt, n)
            _finite(lam)
    except (_OutOfRange, OverflowError, np.linalg.LinAlgError) as exc:  # no picture of NaN/inf: say why
        fig = unresolved_figure(f"{exc}", title=head, inertia=report.inertia, inertia_label=label)
    else:
        fig = spectrum_figure(lam, d, title=head, inertia=report.inertia, inertia_label=label)
    figs.append(("spectrum_nearest.png", fig))
    return figs
