"""The one cost model: what an at-point computation costs, per tier, per claim, per route.

Two layers, both from the shapes alone (n parameters, m = dℓ residuals, the depth, the bits of data and point, σ):

* the size guard of the exact tier: :func:`estimate_exact` / :func:`estimate_for` predict operations, bits, seconds
  and peak memory of the exact passes (general route) or of the at-scale routes (:func:`route`: constructed point,
  given point mod p); :func:`check_size` refuses what is predicted not to fit (:mod:`.budget` re-exports them);
* the seconds of one *job* per tier (:func:`predict`, constants :data:`COST`): a claim is a ``construct`` job (the
  Lemma 3.3 / Corollary 3.4 point), a ``rank`` job (J_H and its rank mod p: thm-2.1, thm-4.1, rem-2.2, sec-5) or a
  ``hessian`` job (the full Hessian of L too, n ≤ :data:`HESSIAN_LIMIT`: prop-2.3, rem-4.2, and ``inspect``, planned
  as prop-2.3: its Hess L up to n = 400 at a user's point has no calibration of its own yet).

Why the symbolic tier reads S, not n. In Q[e^Q] (smooLU) the output weights m_j of Lemma 3.3 carry T_j exponential
terms (on fractional data T_j = 2^(j−1)); a row of J_H has, in the (p + 1) columns of hidden unit j, entries of T_j
terms each and one term in the output columns: S = (p + 1)·Σ_j T_j + h + 1 terms in all. J_H costs about m·S term
operations, 2J_HᵀJ_H about m·S² (every pair of columns multiplies its sums), each costing about E, the bits of
the exponents (and with them of the coefficients); the model is ``base + a·m·S (+ b·m·S²·E for a Hessian)``. The
previous model, ``n²·T²`` with T = max_j T_j, ignored that
most parameters carry one term and over-predicted by up to 5× (benchmarks/README.md, "Per-claim calibration").

Calibrated on ``benchmarks/bench_plan.py`` (2 shared cores, python-flint 0.9, sympy 1.14).

>>> route((2, 5, 1), 4, 1, None, bias=True, point_given=False)
'general'
>>> job_of("thm-2.1"), job_of("prop-2.3"), job_of("lem-3.3"), job_of(None)
('rank', 'hessian', 'construct', 'hessian')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from symland.errors import TooLargeError

__all__ = [
    "COST",
    "HESSIAN_LIMIT",
    "MAX_BITS",
    "MAX_BIT_OPS",
    "MAX_MEMORY",
    "MAX_SECONDS",
    "SCALE_ENTRIES",
    "TERM_CAP",
    "Estimate",
    "at_scale",
    "check_size",
    "estimate_exact",
    "estimate_for",
    "job_of",
    "predict",
    "route",
]

#: Refuse when the estimated work (operations × bits per number) is beyond this: about ten minutes here.
MAX_BIT_OPS = 10**10
#: Refuse when the numbers held at once (entries × bits) are beyond this: about 1 GB.
MAX_BITS = 8 * 10**9
#: The Hessians of the f_r are built exactly only up to this n (as Proposition 2.3 does).
HESSIAN_LIMIT = 150
#: Refuse when the predicted peak memory is beyond this: below the address-space cap of every CLI command
#: (MEMORY_LIMIT, virtual memory, which runs ahead of the resident peak the estimate predicts).
MAX_MEMORY = 6 * 2**30
#: Refuse when the predicted time is beyond this (a --timeout bounds any run anyway).
MAX_SECONDS = 2 * 3600
#: d·n above which the claims at a point take the at-scale routes (symland.point.at_scale reads it through route()).
SCALE_ENTRIES = 1_000_000

# Calibration (benchmarks/bench_scale.py, 2026-11-29, 2 shared cores; seconds include ~2 s of interpreter and
# sympy start-up, memory ~90 MB of loaded libraries). General route: the exact passes, t ≈ bit_ops / RATE.
BASE_SECONDS, BASE_MEMORY = 2.2, 85 * 2**20
RATE = 6.6e8  # bit operations per second of the general exact passes (d = 200: 8.4e9 in 12.8 s)

@dataclass(frozen=True)
class Estimate:
    """The predicted size of the exact at-point computation: n, m = dℓ, entries held, bits per number, ops;
    ``seconds`` and ``memory`` (bytes, peak) as predicted for ``route`` (general, constructed-at-scale,
    given-mod-p)."""

    n: int
    m: int
    entries: int
    bits: int
    ops: int
    seconds: float = 0.0
    memory: float = 0.0
    route: str = "general"

    @property
    def bit_ops(self) -> int:
        return self.ops * self.bits

    @property
    def memory_bits(self) -> int:
        return self.entries * self.bits

    def describe(self) -> str:
        """e.g. ``n = 11301 parameters, dℓ = 100 residuals: ~1.1e+06 exact operations on ~192-bit numbers``."""
        if self.route != "general":
            return (f"n = {self.n} parameters, dℓ = {self.m} residuals ({self.route} route): predicted "
                    f"~{self.seconds:.0f} s and ~{self.memory / 2**20:.0f} MiB")
        return (f"n = {self.n} parameters, dℓ = {self.m} residuals: ~{self.ops:.1e} exact operations on "
                f"~{self.bits}-bit numbers (~{self.bit_ops:.1e} bit operations, ~{self.memory_bits / 8e6:.0f} MB; "
                f"predicted ~{self.seconds:.0f} s, ~{self.memory / 2**20:.0f} MiB)")


def estimate_exact(widths: Sequence[int], d: int, *, data_bits: int = 64, point_bits: int | None = None,
                   degree: int = 1, polynomial: bool = True, hessian: bool = True, n: int | None = None) -> Estimate:
    """The size of H, J_H (and the Hessians when n ≤ :data:`HESSIAN_LIMIT`) at a point of ``mlp(widths)``.

    Args:
        widths: p, h_1, …, h_T, ℓ.
        d: the number of data points.
        data_bits: the most bits (numerator + denominator) of a data value.
        point_bits: the same for the point; None for a constructed point (estimated from the data).
        degree: the degree of σ's polynomial pieces (1 when not polynomial).
        polynomial: False when σ's values are sums of exponentials (the number of terms grows with the width).
        hessian: whether the Hessians may be built.
        n: the number of parameters, for a general network whose widths only give the depth.
    """
    widths = [int(w) for w in widths]
    if n is None:
        n = sum(widths[k] * (widths[k - 1] + 1) for k in range(1, len(widths)))
    m = d * widths[-1]
    if point_bits is None:  # the construction solves a triangular system: bits grow with d
        point_bits = (data_bits + 2) * degree + 2 * max(1, d).bit_length()
    bits = max(data_bits, 1)
    for k in range(1, len(widths) - 1):  # hidden layers: σ of degree `degree` after an affine map
        bits = max(1, degree) * (bits + point_bits + max(1, widths[k - 1]).bit_length())
    bits += point_bits + max(1, widths[-2]).bit_length()
    terms = 1 if polynomial else min(max(widths[1:-1], default=1), 10**4)
    bits = max(64, bits) * terms
    ops = m * n * (1 + (n if hessian and n <= HESSIAN_LIMIT else 0))
    entries = m * n * (1 + (n if hessian and n <= HESSIAN_LIMIT else 0))
    seconds = BASE_SECONDS + ops * bits / RATE
    memory = BASE_MEMORY + entries * (bits / 8 + 64)  # 64 bytes of Python object per exact number
    return Estimate(n, m, entries, bits, ops, seconds, memory)


# The at-scale routes (symland.point.at_scale), fitted on the scaling table (benchmarks/README.md, bench_scale.py,
# CPU seconds = user + system of the whole `symland verify` process, peak RSS; 2026-12-02, d = 100 … 5000):
#  constructed point: the fraction-free triangular solve and the prefix sums for H(m) multiply O(d·bits)-bit
#  numbers by small ones, d times (O(d²) word operations); the output-weight minor is triangular (its diagonal,
#  O(d)); memory is the point's output weights, ~300·i bits for unit i (~46 bytes·d²), plus start-up (~85 MiB);
#  given point: the exact forward pass, then J_H mod p as a d × (live columns) int64 array (the live columns
#  bounded from the point's zero pattern: symland.tiers.live.live_columns_bound).
SCALE_CONSTRUCTED = {"base": 1.1, "d": 1.24e-3, "d2": 2.9e-7, "bytes_d2": 46.0, "bytes_d": 15000.0}
SCALE_GIVEN = {"n": 6e-5, "dn": 2.5e-7, "bytes_dn": 17.0, "bytes_n": 400.0}


def _scale_estimate(route: str, widths, d: int, n: int, l: int, base: Estimate, live: int | None = None) -> Estimate:
    hidden = sum(widths[1:-1])
    if route == "constructed":
        c = SCALE_CONSTRUCTED
        seconds = c["base"] + c["d"] * d + c["d2"] * d * d
        memory = BASE_MEMORY + c["bytes_d2"] * d * d + c["bytes_d"] * d
    else:
        c = SCALE_GIVEN
        cols = n if live is None else live  # J_H mod p is allocated on its live columns only
        seconds = BASE_SECONDS + c["n"] * n + c["dn"] * d * l * cols + 1e-6 * hidden * d
        memory = BASE_MEMORY + c["bytes_dn"] * d * l * cols + c["bytes_n"] * n
    return Estimate(n, d * l, base.entries, base.bits, base.ops, seconds, memory, route)


def _bits(values) -> int:
    out = 1
    for v in values:
        p, q = (int(v.p), int(v.q)) if hasattr(v, "q") else (int(v), 1)
        out = max(out, p.bit_length() + q.bit_length())
    return out


def _digits(text: str) -> bool:
    """text is ASCII digits only (bytes.isdigit: ten times str.isdigit on a 200,000-digit numerator)."""
    return text.isascii() and text.encode().isdigit()


def estimate_for(network, data, *, point: dict | None = None, hessian: bool = True) -> Estimate:
    """:func:`estimate_exact` for a symland network (``mlp`` or DAG) and :class:`~symland.io.data.Dataset`."""
    sigma = network.activation
    degree, polynomial = 1, True
    coeffs = [sigma.rational_coeffs(side) for side in (False, True)]
    if all(c is not None for c in coeffs):
        degree = max(1, max(len(c) for c in coeffs) - 1)
    else:
        polynomial = False
    data_bits = _bits([v for row in data.X for v in row] + [v for row in data.Y for v in row])
    point_bits = None
    if point:
        from fractions import Fraction

        lengths = []
        for v in {v if hasattr(v, "q") else str(v) for v in point.values()}:  # distinct values (a sparse point)
            if hasattr(v, "q"):  # parsed already (a rational): its own size
                lengths.append(_bits([v]))
                continue
            text = v
            num, _, den = text.strip().lstrip("+-").partition("/")
            if len(text) > 40 and _digits(num) and (not den or _digits(den)):  # a long p/q: its digits, unparsed
                lengths.append(int((len(num) + len(den)) * 3.33) + 1)  # (Fraction's gcd: seconds per MB of text)
                continue
            try:
                lengths.append(_bits([Fraction(text)]))
            except (ValueError, ZeroDivisionError):  # not a plain rational (e.g. exp terms): its text length
                lengths.append(4 * len(text))
        point_bits = max(lengths, default=1)
    widths = getattr(network, "widths", None)
    route = _route(network, data, sigma, point) if widths is not None else "general"
    if widths is None:  # a general DAG: its longest path stands for the depth
        depth = max(2, int(getattr(network, "depth", 2)))
        widths = [data.p] + [max(1, network.n // depth)] * (depth - 1) + [data.l]
    est = estimate_exact(widths, data.d, data_bits=data_bits, point_bits=point_bits, degree=degree,
                         polynomial=polynomial, hessian=hessian, n=network.n)
    if route != "general":
        live = None
        if route == "given-mod-p" and point:
            from symland.tiers.live import live_columns_bound  # flint: a start-up cost, for a given point only

            live = live_columns_bound(network, point)
        est = _scale_estimate(route, list(widths), data.d, network.n, data.l, est, live)
    return est


def _route(network, data, sigma, point) -> str:
    return route(tuple(network.widths), data.d, data.l, sigma, bias=getattr(network, "bias", True),
                 point_given=bool(point), n=network.n)


# ``symland certify``: the Arb passes hold every hidden value d·Σh as a ball (Python objects and arb_mat entries,
# several copies at a time), the dℓ × dℓ algebra is float64 (symland.point.layered_float). Calibrated on
# benchmarks/bench_trained.py (digits, tanh [64, d, 1]): d = 1000 17.0 s CPU, 540 MiB; d = 2000 71.8 s, 1,851 MiB.
CERTIFY_BASE = (1.5, 150 * 2**20)  # seconds, bytes: start-up, reading, the claims at m*
CERTIFY_PER_VALUE = (15e-6, 440)  # per hidden value d·Σh
CERTIFY_PER_CUBE = (1.5e-9, 0)  # per (dℓ)³: the float64 Gram, inverse and solves
CERTIFY_PER_SQUARE = (0, 48)  # per (dℓ)²: about six float64 dℓ × dℓ matrices at once


def certify_estimate(network, data) -> Estimate:
    """The predicted CPU seconds and peak memory of ``symland certify`` on this network and data."""
    values = data.d * sum(network.widths[1:-1])
    m = data.d * data.l
    seconds, memory = (CERTIFY_BASE[i] + CERTIFY_PER_VALUE[i] * values + CERTIFY_PER_CUBE[i] * m**3
                       + CERTIFY_PER_SQUARE[i] * m**2 for i in (0, 1))
    return Estimate(network.n, m, values, 0, 0, seconds=seconds, memory=memory, route="certify")


def check_size(est: Estimate, *, max_bit_ops: int | None = None, max_bits: int | None = None,
               max_memory: float = MAX_MEMORY, max_seconds: float = MAX_SECONDS) -> None:
    """Refuse an exact computation predicted not to fit: peak memory beyond ``max_memory`` (6 GiB, under the
    8 GiB address-space cap of a CLI command) or time beyond ``max_seconds`` (the CLI passes its --timeout).
    ``max_bit_ops`` / ``max_bits``, when given, also bound the raw
    size of the general route (operations × bits; entries × bits).

    Raises:
        TooLargeError: naming the estimate, the limit, and the cheaper tiers.
    """
    what = ""
    if max_bit_ops is not None and est.bit_ops > max_bit_ops:
        what = f"~{est.bit_ops:.1e} bit operations > limit {max_bit_ops:.0e}"
    elif max_bits is not None and est.memory_bits > max_bits:
        what = f"~{est.memory_bits / 8e6:.0f} MB of exact numbers > limit {max_bits / 8e6:.0f} MB"
    elif est.memory > max_memory:
        what = f"predicted peak memory ~{est.memory / 2**30:.1f} GiB > limit {max_memory / 2**30:.0f} GiB"
    elif est.seconds > max_seconds:
        what = f"predicted ~{est.seconds:.0f} s > limit {max_seconds:.0f} s"
    if not what:
        return
    more = " or a larger --timeout" if est.seconds > max_seconds and est.memory <= max_memory else ""
    if est.route == "certify":
        raise TooLargeError(f"certify too large: {est.describe()} ({est.entries:,} hidden values as Arb balls); "
                            f"{what}; `symland inspect --tier float --rank --spectrum` gives the float64 spectrum "
                            f"without a certificate{more}, or certify on fewer data points or a narrower network")
    raise TooLargeError(f"exact computation too large: {est.describe()}; {what}; use --tier ball or --tier float "
                        f"(rigorous enclosures or floating point){more} or a smaller instance")


# -- the route test (one copy: proofs_check._at_scale decides the same) ----------------------------------------
def at_scale(n: int, d: int, l: int = 1) -> bool:
    """The dense J_H (n·dℓ entries) is too large to build and Prop. 2.3 would not build the Hessian anyway."""
    return n * d * l > SCALE_ENTRIES and n > HESSIAN_LIMIT


def route(widths: Sequence[int], d: int, l: int, sigma, *, bias: bool = True, point_given: bool = False,
          n: int | None = None) -> str:
    """The exact tier's route at a point: ``general`` (dense exact passes), ``constructed`` (the Lemma 3.3 /
    Corollary 3.4 point by prefix sums, σ a rectified polynomial over ℚ, ℓ = 1, biases, last hidden width ≥ d)
    or ``given-mod-p`` (a given rational point: J_H mod p)."""
    widths = tuple(int(w) for w in widths)
    if n is None:
        n = sum(widths[k] * (widths[k - 1] + (1 if bias else 0)) for k in range(1, len(widths)))
    if len(widths) < 3 or not at_scale(n, d, l):
        return "general"
    if point_given:
        return "given-mod-p" if sigma.is_rational_valued else "general"
    from symland.constructions.atscale import rectified_polynomial

    ok = l == 1 and bias and widths[-2] >= d and rectified_polynomial(sigma) is not None
    return "constructed" if ok else "general"


# -- seconds per tier and job --------------------------------------------------------------------------------
#: The job each claim runs (claims not named here: ``hessian``, the heaviest).
JOBS = {"thm-2.1": "rank", "thm-4.1": "rank", "rem-2.2": "rank", "sec-5": "rank", "prop-2.3": "hessian",
        "rem-4.2": "hessian", "lem-3.3": "construct", "cor-3.4": "construct", "construct": "construct",
        "inspect": "hessian"}

#: Calibrated constants (benchmarks/README.md, "Per-claim calibration of --tier auto"). Seconds of one job:
#: exact, ball, mp, float: base + entry·m·n (+ hessian·m·n² when the Hessian is built);
#: symbolic: base + entry·m·S (+ hessian·m·S²·E when the Hessian is built), S the terms of one row of J_H, E the
#: most bits of an exponent of the point.
COST = {
    "exact": {"base": 0.2, "entry": 1e-6, "hessian": 3e-5},
    "symbolic": {"base": 0.3, "entry": 1.35e-4, "hessian": 2.5e-7},
    "ball": {"base": 1.0, "entry": 1e-5, "hessian": 0.0},
    "mp": {"base": 1.0, "entry": 1e-4, "hessian": 0.0},
    "float": {"base": 0.3, "entry": 1e-7, "hessian": 0.0},
}
#: Replaying the construction's exponent sets stops once one row of J_H carries this many terms e^q.
TERM_CAP = 100_000


def job_of(claim: str | None) -> str:
    """``construct``, ``rank`` or ``hessian``: what `claim` (or ``inspect``) computes (None: ``hessian``)."""
    return JOBS.get(claim or "", "hessian")


def hessian_built(job: str, n: int) -> bool:
    """Whether `job` builds the n × n Hessian (prop-2.3 up to HESSIAN_LIMIT)."""
    return job == "hessian" and n <= HESSIAN_LIMIT


def predict(tier: str, job: str, *, n: int, m: int, S: int | None = None, E: int = 100,
            exact_seconds: float | None = None) -> float:
    """Predicted seconds of `job` in `tier` (an order of magnitude).

    Args:
        n, m: parameters and residuals dℓ.
        S: symbolic tier: exponential terms in one row of J_H (``symland.tiers.plan.row_terms``); ≥ TERM_CAP or
            None: not predicted to finish (inf).
        E: symbolic tier: the most bits of an exponent q of e^q (``symland.tiers.plan.exponent_bits``): a term
            product costs about E (the coefficients grow with the exponents).
        exact_seconds: exact tier on an at-scale route: that route's own prediction (:func:`estimate_for`).
    """
    c = COST[tier]
    hess = hessian_built(job, n)
    if tier == "symbolic":
        if S is None or S >= TERM_CAP:
            return math.inf
        if job == "construct":
            return c["base"] + c["entry"] * m * S / 4
        return c["base"] + c["entry"] * m * S + (c["hessian"] * m * S * S * max(E, 8) if hess else 0.0)
    if tier == "exact" and exact_seconds is not None:
        return exact_seconds
    if job == "construct":
        return c["base"] + c["entry"] * m * m
    return c["base"] + c["entry"] * m * n + (c["hessian"] * m * n * n if hess else 0.0)
