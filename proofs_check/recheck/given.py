"""Re-checking an exact proof at a *given* rational point of a large layered network, with matrices, not graphs.

The general exact route (:mod:`proofs_check.recheck.claims`) evaluates the network node by node in Q[e^Q] with
forward-mode derivatives: fine up to n·dℓ ≈ 10⁵, slow beyond. For a layered network whose σ is a polynomial
over ℚ on each segment between rational breakpoints (relu, rectpow(k), smoothstep-like pieces), the same facts are
re-derived here layer by layer with python-flint matrices (its own arithmetic, not the engine's):

1. **H(m) exactly**: Z_k = W_k A_{k−1} − b_k 1ᵀ as ``fmpq_mat`` products over all d inputs at once, A_k = σ(Z_k)
   entry by entry (the segment by exact comparison with σ's breakpoints, its polynomial by Horner; at a breakpoint
   σ's exact one-sided value from :class:`~proofs_check.recheck.sigma.Sigma`); every recorded residual must equal
   the recomputed one; all zero: m ∈ M, else m ∉ M.
2. **rank J_H(m) ≥ lower**: the witness minor's entries mod its prime p by back-propagation over F_p
   (``nmod_mat``): Δ_K = e_c, Δ_{k−1} = (W_kᵀ Δ_k) ⊙ σ'(Z_{k−1}), ∂f_c(x_s)/∂W_k[i, j] = Δ_k[i, s]·A_{k−1}[j, s],
   ∂f_c(x_s)/∂b_k[i] = −Δ_k[i, s] (every exact value reduced mod p; p dividing a denominator is rejected);
   det ≡ ``det_mod_p`` ≢ 0.
3. the smoothness class from the pre-activations exactly at breakpoints (σ' there must exist, σ'' too for the
   Hessian), and the recorded gradient indices: J entries ≢ 0 mod p, so ≠ 0.

>>> _horner([fmpq(0), fmpq(0), fmpq(0), fmpq(1)], fmpq(1, 2))
1/8
"""

from __future__ import annotations

import bisect
from fractions import Fraction

import sympy as sp
from flint import fmpq, fmpq_mat, nmod_mat
from sympy import isprime

from proofs_check.recheck.exact import NotExact, Num, Unrecognized, parse
from proofs_check.recheck.net import BadWitness
from proofs_check.recheck.sigma import sigma_for
from proofs_check.recheck.smoothness import check_class
from proofs_check.recheck.statements import (
    FEEDFORWARD,
    HESSIAN_DEFINED,
    OFF_M,
    ON_M,
    ONE_OUTPUT,
    OVERPARAMETERIZED,
    RANK_FULL,
    Reject,
)

__all__ = ["GIVEN_FROM", "applies", "at_given"]

GIVEN_FROM = 1_000_000  # n·dℓ from which a listed point is re-checked here instead of by the general graph route


def _horner(P: list, x: fmpq) -> fmpq:
    acc = fmpq(0)
    for c in reversed(P):
        acc = acc * x + c
    return acc


class _NotRational(Exception):
    """A value in Q[e^Q] outside ℚ: the general route decides."""


def _q(text) -> fmpq:
    v = parse(text)
    if not v.is_rational():
        raise _NotRational(text)
    r = v.rational()
    return fmpq(r.numerator, r.denominator)


class _Sigma:
    """σ, σ', σ'' at exact rationals from σ's polynomial segments."""

    def __init__(self, sigma):
        self.sigma, self.breaks = sigma, [fmpq(c.numerator, c.denominator) for c in sigma.breaks]
        self.polys = []
        for seg in sigma.segs:
            try:
                co = sp.Poly(seg, sigma.t).all_coeffs()[::-1]
            except sp.PolynomialError:
                raise Unrecognized(f"{sigma.name} is not a polynomial between its breakpoints") from None
            if not all(c.is_Rational for c in co):
                raise Unrecognized(f"{sigma.name} has a segment with coefficients outside ℚ")
            P = [fmpq(int(c.p), int(c.q)) for c in co]
            self.polys.append([P, _deriv(P), _deriv(_deriv(P))])
        self.at_breaks: dict = {}

    def __call__(self, z: fmpq, k: int = 0) -> fmpq:
        i = bisect.bisect_left(self.breaks, z)
        if i < len(self.breaks) and self.breaks[i] == z:
            key = (i, k)
            if key not in self.at_breaks:
                c = self.sigma.breaks[i]
                try:
                    v = self.sigma.value(Num.of(c), k).rational()
                except NotExact as exc:
                    self.at_breaks[key] = exc
                else:
                    self.at_breaks[key] = fmpq(v.numerator, v.denominator)
            v = self.at_breaks[key]
            if isinstance(v, Exception):
                raise Reject(f"σ^({k}) is undefined at the breakpoint {self.sigma.breaks[i]} that a hidden "
                             f"pre-activation sits at: {v}")
            return v
        return _horner(self.polys[i][k], z)


def _deriv(P: list) -> list:
    return [P[i] * i for i in range(1, len(P))] or [fmpq(0)]


def applies(w: dict) -> bool:
    """A listed point of a layered network with n·dℓ ≥ :data:`GIVEN_FROM`."""
    inst = w.get("instance")
    if not isinstance(inst, dict) or "network" in inst or not isinstance(w.get("point"), dict):
        return False
    widths, X = inst.get("widths"), inst.get("X")
    if not (isinstance(widths, list) and len(widths) >= 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                    and v >= 1 for v in widths)):
        return False
    bias = inst.get("bias", True) is not False
    n = sum(widths[k] * (widths[k - 1] + int(bias)) for k in range(1, len(widths)))
    if not (isinstance(X, list) and n * len(X) * widths[-1] >= GIVEN_FROM):
        return False
    try:  # σ must be a polynomial between rational breakpoints; else the general route decides
        _Sigma(sigma_for(inst))
    except (Unrecognized, BadWitness, NotExact, KeyError, TypeError, ValueError):
        return False
    return True


def _layers(w: dict, widths: list, bias: bool) -> tuple[list, list]:
    point = w["point"]
    names, Ws, bs = [], [], []
    for k in range(1, len(widths)):
        r, c = widths[k], widths[k - 1]
        names += [f"W{k}_{i}_{j}" for i in range(r) for j in range(c)]
        names += [f"b{k}_{i}" for i in range(r)] if bias else []
        Ws.append(fmpq_mat(r, c, [_q(point[f"W{k}_{i}_{j}"]) for i in range(r) for j in range(c)]))
        bs.append([_q(point[f"b{k}_{i}"]) for i in range(r)] if bias else [fmpq(0)] * r)
    if len(point) != len(names) or set(point) != set(names):
        raise BadWitness("the point does not name exactly the network's parameters")
    return Ws, bs


def _mod(x: fmpq, p: int) -> int:
    num, den = int(x.p), int(x.q)
    if den % p == 0:
        raise Reject(f"the minor's prime p = {p} divides a denominator ({den}): no residue mod p")
    return num % p * pow(den, -1, p) % p


def at_given(claim: str, w: dict, needs: frozenset, checked) -> set | None:
    """The facts at a listed rational point (see the module docstring); None when a value is not rational (the
    general route decides)."""
    try:
        return _at_given(claim, w, needs, checked)
    except _NotRational:
        return None


def _at_given(claim: str, w: dict, needs: frozenset, checked) -> set:
    inst = w["instance"]
    widths, bias = inst["widths"], inst.get("bias", True) is not False
    sig = sigma_for(inst)
    s = _Sigma(sig)
    X, Y = inst["X"], inst["Y"]
    d, ell, K = len(X), widths[-1], len(widths) - 1
    if len(Y) != d or any(len(x) != widths[0] for x in X) or any(len(y) != ell for y in Y):
        raise BadWitness("the data do not fit the widths")
    m, n = d * ell, sum(widths[k] * (widths[k - 1] + int(bias)) for k in range(1, len(widths)))
    Ws, bs = _layers(w, widths, bias)
    A = [fmpq_mat(widths[0], d, [_q(X[t][j]) for j in range(widths[0]) for t in range(d)])]
    Z, hits = [], []
    for k in range(K):
        Zk = Ws[k] * A[-1] - fmpq_mat(widths[k + 1], d, [bs[k][i] for i in range(widths[k + 1]) for _ in range(d)])
        Z.append(Zk)
        if k == K - 1:
            break
        vals = [Zk[i, t] for i in range(widths[k + 1]) for t in range(d)]
        hits += [z for z in vals if z in s.breaks]
        A.append(fmpq_mat(widths[k + 1], d, [s(z) for z in vals]))
    H = [Z[-1][c, t] - _q(Y[t][c]) for t in range(d) for c in range(ell)]
    recorded = w.get("H")
    if not isinstance(recorded, list) or len(recorded) != m or any(_q(r) != h for r, h in zip(recorded, H)):
        raise Reject("H(m): the recorded residuals are not the recomputed f(x_s) − y_s")
    facts = ({OVERPARAMETERIZED} if n > m else set()) | ({ONE_OUTPUT} if ell == 1 else set()) | {FEEDFORWARD}
    nonzero = [r for r, h in enumerate(H) if h != 0]
    if nonzero:
        checked.append(f"m ∉ M: f_{nonzero[0] + 1}(m) = {H[nonzero[0]]} ≠ 0 recomputed (layer by layer, fmpq_mat)")
        return facts | {OFF_M}
    checked.append(f"H(m) = 0 exactly: all {m} residuals recomputed layer by layer over ℚ (fmpq_mat products)")
    facts.add(ON_M)
    rank = w.get("rank") if isinstance(w.get("rank"), dict) else {}
    if rank.get("lower") != m or rank.get("upper") != m:
        raise Unrecognized("only a full-rank witness (rank J_H = dℓ) is re-checked at a large given point")
    _minor(rank["minor"], Ws, A, Z, s, widths, bias, d, ell, m, n, w, checked)
    facts.add(RANK_FULL)
    check_class(claim, w, sig, [Fraction(int(z.p), int(z.q)) for z in hits], checked)
    if HESSIAN_DEFINED in needs or "gradient_nonzero_index" in w:
        for z in set(hits):
            s(z, 2)
        checked.append(f"σ'' exists at every hidden pre-activation ({len(hits)} at breakpoints; the others inside a "
                       f"polynomial segment): Hess L(m) = 2J_HᵀJ_H has inertia ({m}, 0, {n - m}) (Sylvester order)")
        facts.add(HESSIAN_DEFINED)
    return facts


def _column(j: int, widths: list, bias: bool) -> tuple:
    """Parameter index j → (layer k ≥ 1, "W", i, c) or (k, "b", i)."""
    for k in range(1, len(widths)):
        size = widths[k] * widths[k - 1]
        if j < size:
            return k, "W", j // widths[k - 1], j % widths[k - 1]
        j -= size
        if bias:
            if j < widths[k]:
                return k, "b", j, None
            j -= widths[k]
    raise BadWitness("a minor column beyond the parameters")


def _minor(minor, Ws, A, Z, s, widths, bias, d, ell, m, n, w, checked) -> None:
    p, det = minor.get("prime"), minor.get("det_mod_p")
    rows, cols = minor.get("rows"), minor.get("cols")
    if not (isinstance(p, int) and not isinstance(p, bool) and 2 <= p < 2**62 and isprime(p)):
        raise Reject(f"the minor's modulus {p!r:.40} is not a prime below 2^62")
    if not (isinstance(det, int) and 0 < det < p):
        raise Reject(f"det_mod_p = {det!r:.40} is not a nonzero residue mod p")
    ok = lambda v, top: isinstance(v, list) and len(v) == m and len(set(v)) == m and all(  # noqa: E731
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < top for i in v)
    if not ok(rows, m) or not ok(cols, n):
        raise Reject(f"the minor must name {m} distinct rows and {m} distinct columns")
    K = len(widths) - 1
    Am = [nmod_mat(a.nrows(), a.ncols(), [_mod(a[i, t], p) for i in range(a.nrows()) for t in range(d)], p) for a in A]
    Wm = [nmod_mat(W.nrows(), W.ncols(), [_mod(W[i, j], p) for i in range(W.nrows()) for j in range(W.ncols())], p)
          for W in Ws]
    Dm = [[[_mod(s(Z[k][i, t], 1), p) for t in range(d)] for i in range(widths[k + 1])] for k in range(K - 1)]
    grad = w.get("gradient_nonzero_index")
    if grad is not None and not (isinstance(grad, list) and len(grad) == m and all(
            isinstance(j, int) and not isinstance(j, bool) and 0 <= j < n for j in grad)):
        raise BadWitness("gradient_nonzero_index must list one parameter index per residual")
    allc = list(cols) + sorted(set(grad or ()) - set(cols))
    where = [_column(j, widths, bias) for j in allc]
    need = {k for k, *_ in where}
    J = [[0] * len(allc) for _ in range(m)]
    for c in range(ell):
        delta = nmod_mat(ell, d, [int(i == c) for i in range(ell) for _ in range(d)], p)  # Δ_K
        for k in range(K, 0, -1):
            if k in need:
                for col, (kk, kind, i, jj) in enumerate(where):
                    if kk != k:
                        continue
                    for ri, r in enumerate(rows):
                        t, cc = divmod(r, ell)
                        if cc != c:
                            continue
                        dv = int(delta[i, t])
                        J[ri][col] = dv * int(Am[k - 1][jj, t]) % p if kind == "W" else (-dv) % p
            if k > 1:
                back = Wm[k - 1].transpose() * delta
                Dk = Dm[k - 2]
                delta = nmod_mat(back.nrows(), d, [int(back[i, t]) * Dk[i][t] % p for i in range(back.nrows())
                                                   for t in range(d)], p)
    got = int(nmod_mat(m, m, [v for row in J for v in row[:m]], p).det())
    if got != det:
        raise Reject(f"the witness minor has det ≡ {got} mod p = {p}, not {det}")
    checked.append(f"rank J_H(m) ≥ {m}: the {m}×{m} witness minor, entries by back-propagation over F_p "
                   f"(nmod_mat), has det ≡ {got} ≢ 0 mod p = {p}")
    if grad is not None:
        for r, j in enumerate(grad):
            if J[rows.index(r)][allc.index(j)] == 0:
                raise Unrecognized(f"∇f_{r + 1}: the entry at index {j} is ≡ 0 mod p, so not shown nonzero")
        checked.append(f"∇f_r(m) ≠ 0 for all {m} r: the recorded entries of J_H are ≢ 0 mod p")
