"""Re-checking the at-scale exact proofs at the constructed point from its generator, without the point or J_H.

Above the re-checker's size limit the engine (``symland.atscale``) does not list the point of an exact Theorem 2.1
/ Proposition 2.3 certificate at the Lemma 3.3 / Corollary 3.4 point: d = 1000 output weights have ~10⁵ digits each.
It records the point's *generator* instead, ``witness["generator"] = {"a": [p rationals], "gap": rational}``, and
the point is **defined** as the construction from the instance with these parameters (widths (p, h_1, …, h_T, 1),
biases, ℓ = 1, σ = 0 on t ≤ 0 and a polynomial P ∈ ℚ[t] on t > 0, e.g. relu, rectpow(k)):

* T = 1: W_1[j, ·] = a and b_1[j] = β_j for the units j < d; T ≥ 2: W_1[0, ·] = a, b_1[0] = min_s a·x_s − 1,
  W_k[0, 0] = 1 for 1 < k < T, W_T[j, 0] = 1 and b_T[j] = β_j for j < d; every other weight and bias 0;
* u_s the value reaching the last hidden layer from x_s, c_1 < … < c_d the u_s sorted (order π), c_0 = c_1 − gap,
  β_j = (c_{j−1} + c_j)/2; the output weights V = A⁻¹y (sorted order), A_ij = σ(c_i − β_j); output bias 0.

What the re-checker derives, in O(d·p) exact operations plus O(d) evaluations of P (no d × d matrix, no V):

1. the c_i strictly increase (else the construction defines no point: rejected); c_i − β_j < 0 for j > i, so
   A_ij = σ(c_i − β_j) = 0 there: **A is lower triangular**, with diagonal A_ii = P((c_i − c_{i−1})/2) computed
   exactly, each ≠ 0 — so det A = Π A_ii ≠ 0, V exists, and at the point f(x_{π(i)}) = Σ_{j ≤ i} V_j A_ij
   = (AV)_i = y_{π(i)}: **H(m) = 0** (Lemma 3.3's argument; every recorded residual must be 0);
2. the witness minor (all d rows, the output-weight columns W_K[0, j], j < d) is A with its rows permuted by π:
   det = sgn(π)·Π A_ii ≠ 0 exactly — **rank J_H(m) = d** — and its residue mod the recorded prime p must be the
   recorded ``det_mod_p`` (p prime, p ∤ the denominator);
3. the hidden pre-activations exactly at σ's breakpoint 0 are counted from the structure (the unused units read
   z = 0; c_s − β_j ≠ 0 for the used ones) and the recorded class of M held to σ's class there
   (:func:`~proofs_check.recheck.smoothness.check_class`); σ' (σ'' for the Hessian) must exist at 0 when hit;
4. Proposition 2.3: each recorded gradient index must be an output-weight column W_K[0, j] with A_{π⁻¹(r), j} ≠ 0
   (computed exactly): ∇f_r ≠ 0; Hess L(m) = 2J_HᵀJ_H has inertia (d, 0, n − d) in Sylvester order.

>>> from fractions import Fraction as F
>>> _sign([2, 0, 1]), _sign([1, 0, 2]), _peval([F(0), F(0), F(0), F(1)], F(1, 2))
(1, -1, Fraction(1, 8))
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from sympy import isprime

from proofs_check.recheck.exact import NotExact, Num, Unrecognized, parse
from proofs_check.recheck.net import BadWitness
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.smoothness import check_class
from proofs_check.recheck.statements import (
    FEEDFORWARD,
    HESSIAN_DEFINED,
    ON_M,
    ONE_OUTPUT,
    OVERPARAMETERIZED,
    RANK_FULL,
    Reject,
)

__all__ = ["at_generator", "MAX_ROWS"]

MAX_ROWS = 200_000  # data rows the generator route takes on (its work is O(d·p) plus O(d) evaluations of P)


def _peval(P: list, x: Fraction) -> Fraction:
    acc = Fraction(0)
    for coef in reversed(P):
        acc = acc * x + coef
    return acc


def _sign(perm: list) -> int:
    """The sign of a permutation of range(len(perm)), by its cycles."""
    seen, sign = [False] * len(perm), 1
    for i in range(len(perm)):
        j, length = i, 0
        while not seen[j]:
            seen[j], j, length = True, perm[j], length + 1
        if length and length % 2 == 0:
            sign = -sign
    return sign


def _rational(text, what: str) -> Fraction:
    v = parse(text)
    if not v.is_rational():
        raise BadWitness(f"{what} must be rational, got {text!r:.40}")
    return v.rational()


def _polynomial(sigma) -> list:
    """P's coefficients (low → high) when σ = 0 on t ≤ 0 and a polynomial over ℚ on t > 0; else Unrecognized."""
    t = sigma.t
    if sigma.breaks != [Fraction(0)] or sigma.segs[0] != 0 or not sigma.value(Num.of(0)).is_zero():
        raise Unrecognized(f"the generator route needs σ = 0 on t ≤ 0 with one breakpoint at 0; {sigma.name} is not")
    try:
        poly = sp.Poly(sigma.segs[1], t)
    except sp.PolynomialError:
        raise Unrecognized(f"{sigma.name} is not a polynomial on t > 0") from None
    coeffs = list(reversed(poly.all_coeffs()))
    if not all(c.is_Rational for c in coeffs):
        raise Unrecognized(f"{sigma.name}: its polynomial on t > 0 has coefficients outside ℚ")
    return [Fraction(int(c.p), int(c.q)) for c in coeffs]


def _shape(inst: dict) -> tuple[list, list, list]:
    widths = inst.get("widths")
    if "network" in inst or inst.get("bias", True) is not True:
        raise BadWitness("the generator route needs a layered network with biases")
    if not (isinstance(widths, list) and len(widths) >= 3 and all(isinstance(w, int) and not isinstance(w, bool)
                                                                  and w >= 1 for w in widths)):
        raise BadWitness(f"instance widths {widths!r:.80} are not a layered network with a hidden layer")
    X, Y = inst.get("X"), inst.get("Y")
    if not (isinstance(X, list) and isinstance(Y, list) and 0 < len(X) == len(Y) <= MAX_ROWS):
        raise BadWitness(f"the data must be 1 to {MAX_ROWS} rows of X and Y")
    if widths[-1] != 1 or any(not isinstance(y, list) or len(y) != 1 for y in Y):
        raise BadWitness("the generator route needs one output (ℓ = 1)")
    if any(not isinstance(x, list) or len(x) != widths[0] for x in X):
        raise BadWitness(f"every row of X must hold p = {widths[0]} values")
    return widths, [[_rational(v, "X") for v in x] for x in X], [_rational(y[0], "Y") for y in Y]


def _reach(P, widths, X, a) -> tuple[list, int]:
    """The values u_s reaching the last hidden layer, and the count of hidden pre-activations exactly 0 before it."""
    d, T = len(X), len(widths) - 2
    proj = [sum((ak * xk for ak, xk in zip(a, x)), Fraction(0)) for x in X]
    if T == 1:
        return proj, 0
    low = min(proj) - 1
    z = [v - low for v in proj]  # layer 1, unit 0 (≥ 1 > 0)
    zeros = (widths[1] - 1) * d  # the other units of layer 1 read z = 0
    for k in range(2, T):
        z = [_peval(P, v) if v > 0 else Fraction(0) for v in z]  # layer k, unit 0: z = σ(previous unit 0)
        zeros += sum(1 for v in z if v == 0) + (widths[k] - 1) * d
    return [_peval(P, v) if v > 0 else Fraction(0) for v in z], zeros


def _column_start(widths: list) -> int:
    """Index of W_K[0, 0], the first output weight, in the canonical parameter order (W then b, layer by layer)."""
    return sum(widths[k] * widths[k - 1] + widths[k] for k in range(1, len(widths) - 1))


def at_generator(claim: str, w: dict, needs: frozenset, checked) -> set:
    """The facts at the point the witness's generator defines (see the module docstring)."""
    inst, gen = w["instance"], w["generator"]
    if not isinstance(gen, dict) or set(gen) != {"a", "gap"}:
        raise BadWitness("the generator must be {'a': [...], 'gap': ...}")
    if "tangent_basis" in w or "congruence_diagonal" in w:
        raise Unrecognized("a tangent basis or congruence diagonal at a generated point is not re-checked")
    widths, X, Y = _shape(inst)
    sigma = sigma_for(inst)
    P = _polynomial(sigma)
    d, p0 = len(X), widths[0]
    if not isinstance(gen["a"], list) or len(gen["a"]) != p0:
        raise BadWitness(f"the generator's a must hold p = {p0} values")
    a = [_rational(v, "a") for v in gen["a"]]
    gap = _rational(gen["gap"], "gap")
    if gap <= 0 or widths[-2] < d:
        raise Reject(f"no construction: gap = {gap} must be > 0 and the last hidden layer ({widths[-2]} units) "
                     f"at least d = {d} wide")
    n = sum(widths[k] * widths[k - 1] + widths[k] for k in range(1, len(widths)))
    u, zeros = _reach(P, widths, X, a)
    order = sorted(range(d), key=lambda s: u[s])
    c = [u[s] for s in order]
    if any(c[i] >= c[i + 1] for i in range(d - 1)):
        raise Reject("the generated point does not exist: two data points reach the last hidden layer with equal "
                     "values, so A is not triangular")
    zeros += (widths[-2] - d) * d  # the last hidden layer's unused units; c_s − β_j ≠ 0 for the used ones
    prev = [c[0] - gap] + c[:-1]
    diag = [_peval(P, (ci - ce) / 2) for ci, ce in zip(c, prev)]
    if any(v == 0 for v in diag):
        raise Reject(f"the generated point does not exist: A's diagonal entry {diag.index(0) + 1} is 0")
    checked.append(f"the generated point rebuilt from a = {gen['a'][:4]}{'…' if p0 > 4 else ''}, gap = {gap}: the "
                   f"{d} values c_i strictly increase, so A_ij = σ(c_i − β_j) = 0 for j > i (β_j = (c_(j−1) + "
                   "c_j)/2 > c_i), and the diagonal P((c_i − c_(i−1))/2) is exactly nonzero")
    recorded = w.get("H")
    if not isinstance(recorded, list) or len(recorded) != d or any(not parse(v).is_zero() for v in recorded):
        raise Reject(f"H(m) = 0 at the generated point, but the witness does not record {d} zero residuals")
    checked.append(f"H(m) = 0 exactly: V = A⁻¹y exists (A lower triangular, nonzero diagonal) and f(x_π(i)) = (AV)_i "
                   f"= y_π(i) for all {d} rows (Lemma 3.3's argument; V and J_H never built)")
    facts = {ON_M, FEEDFORWARD, ONE_OUTPUT} | ({OVERPARAMETERIZED} if n > d else set())
    start = _column_start(widths)
    _minor(w, d, start, order, diag, checked)
    facts.add(RANK_FULL)
    check_class(claim, w, sigma, {Fraction(0): zeros}, checked)  # counted, not listed: d² of them
    if zeros:
        for k in (1, 2) if (HESSIAN_DEFINED in needs or "gradient_nonzero_index" in w) else (1,):
            try:
                sigma.value(Num.of(0), k)
            except NotExact as exc:
                raise Reject(f"{zeros} hidden pre-activations sit at 0, where σ^({k}) is undefined: {exc}") from None
    if HESSIAN_DEFINED in needs or "gradient_nonzero_index" in w:
        _gradients(w, d, start, order, c, prev, P, checked)
        checked.append(f"σ'' exists at every hidden pre-activation ({zeros} at 0; the others inside σ's polynomial "
                       f"piece): Hess L(m) = 2J_HᵀJ_H (H(m) = 0) has inertia ({d}, 0, {n - d}) (Sylvester order)")
        facts.add(HESSIAN_DEFINED)
    return facts


def _minor(w: dict, d: int, start: int, order: list, diag: list, checked) -> None:
    rank = w.get("rank")
    minor = rank.get("minor") if isinstance(rank, dict) else None
    if not isinstance(minor, dict) or rank.get("lower") != d or rank.get("upper") != d:
        raise Reject(f"the rank witness does not claim rank J_H(m) = d = {d} with a minor")
    if minor.get("rows") != list(range(d)) or minor.get("cols") != list(range(start, start + d)):
        raise Reject("the minor is not all rows on the output-weight columns W_K[0, j], j < d, which the generated "
                     "point's structure decides")
    prime, det = minor.get("prime"), minor.get("det_mod_p")
    if not (isinstance(prime, int) and not isinstance(prime, bool) and prime >= 2 and isprime(prime)):
        raise Reject(f"the minor's modulus {prime!r:.40} is not a prime")
    rank_of = [0] * d
    for i, s in enumerate(order):
        rank_of[s] = i
    num, den = _sign(rank_of), 1
    for v in diag:
        num, den = num * v.numerator % prime, den * v.denominator % prime
    if den == 0:
        raise Reject(f"p = {prime} divides the denominator of the minor's determinant: no residue mod p")
    got = num * pow(den, -1, prime) % prime
    if got != det:
        raise Reject(f"the witness minor has det ≡ {got} mod p = {prime}, not {det!r:.40}")
    checked.append(f"rank J_H(m) = {d}: the minor on the output-weight columns is A with rows permuted, det = "
                   f"sgn(π)·Π A_ii ≠ 0 exactly, ≡ {got} mod p = {prime} as recorded")


def _gradients(w, d, start, order, c, prev, P, checked) -> None:
    grad = w.get("gradient_nonzero_index")
    if grad is None:
        return
    if not isinstance(grad, list) or len(grad) != d:
        raise BadWitness("gradient_nonzero_index must list one index per residual")
    pos = {s: i for i, s in enumerate(order)}
    beta = [(u + v) / 2 for u, v in zip(prev, c)]
    for r, j in enumerate(grad):
        if not (isinstance(j, int) and not isinstance(j, bool) and start <= j < start + d):
            raise Unrecognized(f"∇f_{r + 1}: index {j!r:.20} is not an output-weight column, which the generator "
                               "route reads")
        z = c[pos[r]] - beta[j - start]
        if z <= 0 or _peval(P, z) == 0:
            raise Reject(f"∇f_{r + 1}(m) has no nonzero entry at index {j}")
    checked.append(f"∇f_r(m) ≠ 0 for all {d} r: the recorded output-weight entries σ(c − β_j) recomputed ≠ 0")
