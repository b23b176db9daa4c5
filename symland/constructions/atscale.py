"""The constructed point at scale: membership H(m) = 0 and a nonsingular minor of J_H(m), without J_H.

At the Lemma 3.3 / Corollary 3.4 point, Theorem 2.1 and Proposition 2.3 read only two things: H(m) = 0 and the
d × d minor of J_H on the output-weight columns (J_H[s, V_i] = σ(z_i(s)), the last hidden layer's values). Both
are computed here in O(d·deg σ) big-number operations plus O(d²) word operations, where the general passes
(:mod:`symland.networks.problem`) build all d × n entries of J_H (n ≈ d² for [p, d, d, 1]) on numbers of up to ~500·d
bits.

σ must be a *rectified polynomial*: 0 on t ≤ 0 and a polynomial P over ℚ on t > 0 (rectpow(k), relu). Then, when
every used unit i of the last hidden layer reads the same weight row w (so z_i(s) = t_s − β_i with t_s = w·a_s),

    Σ_i V_i σ(z_i(s)) = Σ_l t_s^l · Σ_{i : β_i < t_s} V_i e_{i,l},   P(t − β) = Σ_l e_{i,l} t^l (β = β_i),

a prefix sum over the β_i in increasing order (the truncated-power trick): f(x_s) for all s in O(d·deg) operations.
The same identity gives the triangular solve m = A⁻¹y of Lemma 3.3 in O(d·deg) operations (:func:`construct`),
done fraction-free on integers: m_i = X_i / D_i with D_i = Π_{k ≤ i} Ã_kk (no gcd of big numbers).

The prefix sums keep the running denominator of the weights added so far, so each step multiplies an O(d·bits)-bit
number by a small one: O(d²·bits) bit operations for all of H (d = 5000: n = 25·10⁶ in ~12 s CPU).

The minor (:mod:`.scale_minor`) is reduced mod a prime p < 2³¹ entry by entry (num·den⁻¹ of t_s and β_i, then P by
Horner), with the exact zero pattern β_i ≥ t_s ⇒ σ(z) = 0 from exact comparisons; det ≢ 0 mod p (p dividing no
denominator) proves rank J_H(m) = d. Nothing here is approximate.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from flint import fmpq, fmpz

from symland.errors import NotRepresentableError

__all__ = ["ScaleCheck", "ScalePoint", "check_point", "construct", "minor_mod_p", "rectified_polynomial"]


def rectified_polynomial(sigma) -> list | None:
    """P's coefficients (low → high) when σ = 0 on t ≤ 0 and σ = P on t > 0 with P ∈ ℚ[t], else None."""
    if tuple(getattr(sigma, "breakpoints", ())) != (0,):  # one kink, at 0: the route's prefix sums assume it
        return None
    neg, pos = sigma.rational_coeffs(False), sigma.rational_coeffs(True)
    if neg is None or pos is None or any(c != 0 for c in neg) or not any(c != 0 for c in pos):
        return None
    return [fmpq(c) for c in pos]


def _shift_coeffs(P: list, beta: fmpq) -> list:
    """e_l with P(t − β) = Σ_l e_l t^l."""
    from math import comb

    deg = len(P) - 1
    out = []
    for l in range(deg + 1):
        acc = fmpq(0)
        for k in range(l, deg + 1):
            if P[k] != 0:
                acc += P[k] * comb(k, l) * (-beta) ** (k - l)
        out.append(acc)
    return out


def _lcm_den(values) -> fmpz:
    L = fmpz(1)
    for v in values:
        q = fmpz(v.q)
        if q != 1 and L % q != 0:
            L = L * q // L.gcd(q)
    return L


@dataclass
class ScalePoint:
    """The constructed point, sparse: hidden layers as {(i, j): w} and {i: b}; output weights m_i = num/den."""

    widths: tuple
    hidden: list  # [(W: dict (i, j) → fmpq, b: dict i → fmpq)] for the hidden layers
    out_num: list  # X_i (fmpz), unit i of the last hidden layer
    out_den: list  # D_i (fmpz, ≠ 0)
    out_bias: fmpq = field(default_factory=lambda: fmpq(0))
    order: tuple = ()
    notes: tuple = ()

    def output_weight(self, i: int) -> fmpq:
        return fmpq(self.out_num[i], self.out_den[i])

    def flat(self) -> list:
        """All n parameters as fmpq in the canonical order (only for moderate n: canonicalises every m_i)."""
        out = []
        ws = list(self.widths)
        for k, (W, b) in enumerate(self.hidden):
            r, c = ws[k + 1], ws[k]
            row = [fmpq(0)] * (r * c)
            for (i, j), v in W.items():
                row[i * c + j] = v
            out += row + [b.get(i, fmpq(0)) for i in range(r)]
        h = ws[-2]
        out += [self.output_weight(i) if i < len(self.out_num) else fmpq(0) for i in range(h)]
        return out + [self.out_bias]


def construct(data, widths, sigma, *, a=None, gap=1) -> ScalePoint:
    """Lemma 3.3 / Corollary 3.4 (as :func:`symland.constructions.landscape.interpolate`, ℓ = 1), for a rectified
    polynomial σ.

    Triangularity needs no matrix: the sorted values c_1 < … < c_d and the midpoint biases b_j ∈ (c_{j−1}, c_j)
    give c_i − b_j > 0 iff j ≤ i, and σ = 0 on t ≤ 0. With the common denominator Δ of the c's and b's and
    κ = Δ^deg·den(P), Ã = κA has integer entries Ã_ij = Σ_l ẽ_{j,l} c̃_i^l (c̃ = Δc); forward substitution with
    the prefix sums N_l = D_{i−1} Σ_{j<i} ẽ_{j,l} m̃_j keeps every number an integer.

    Raises:
        NotRepresentableError: σ is not a rectified polynomial, two inputs reach the last hidden layer with equal
            values, or a diagonal entry of A is 0.
    """
    from symland.constructions.landscape import choose_projection

    P = rectified_polynomial(sigma)
    if P is None:
        raise NotRepresentableError(f"{sigma.name} is not a rectified polynomial")
    widths = tuple(widths)
    d, T = data.d, len(widths) - 2
    X, Y = data.X, [row[0] for row in data.Y]
    a = tuple(fmpq(v) for v in a) if a is not None else choose_projection(X)
    proj = [sum((ai * xi for ai, xi in zip(a, x)), fmpq(0)) for x in X]
    hidden = [({}, {}) for _ in range(T)]
    if T == 1:
        reach = proj
    else:
        low = min(proj)
        W1, b1 = hidden[0]
        for j, v in enumerate(a):
            if v != 0:
                W1[(0, j)] = v
        b1[0] = low - 1
        reach = [v - b1[0] for v in proj]
        for k in range(1, T):
            reach = [_peval(P, v) if v > 0 else fmpq(0) for v in reach]
            if k < T - 1:
                hidden[k][0][(0, 0)] = fmpq(1)
    order = sorted(range(d), key=lambda s: reach[s])
    c = [reach[s] for s in order]
    if any(c[i] == c[i + 1] for i in range(d - 1)):
        raise NotRepresentableError("two inputs reach the last hidden layer with equal values (σ not strictly "
                                    "increasing?)")
    c0 = c[0] - fmpq(gap)
    prev = [c0] + c[:-1]
    beta = [(u + v) / 2 for u, v in zip(prev, c)]
    W, b = hidden[T - 1]
    for j in range(d):
        if T == 1:
            for q, v in enumerate(a):
                if v != 0:
                    W[(j, q)] = v
        else:
            W[(j, 0)] = fmpq(1)
        b[j] = beta[j]
    num, den = _solve(P, c, beta, [Y[s] for s in order])
    return ScalePoint(widths, hidden, num, den, fmpq(0), tuple(order))


def _peval(P, x):
    acc = fmpq(0)
    for coef in reversed(P):
        acc = acc * x + coef
    return acc


def _solve(P, c, beta, y):
    """Forward substitution for A m = y, A_ij = P(c_i − β_j)·[j ≤ i], fraction-free (see :func:`construct`)."""
    deg = len(P) - 1
    Delta = _lcm_den(c + beta)
    kappa = Delta ** deg * _lcm_den(P)
    ct = [fmpz((v * Delta).p) for v in c]
    Pt = [fmpz((P[k] * kappa / Delta ** k).p) for k in range(deg + 1)]  # κ P(x/Δ) = Σ_k Pt_k x^k, integers
    et = [_shift_coeffs_int(Pt, fmpz((bj * Delta).p)) for bj in beta]  # Ã_ij = Σ_l et[j][l] ct_i^l
    eta = _lcm_den(y)
    yt = [fmpz((v * eta).p) for v in y]
    N = [fmpz(0)] * (deg + 1)
    D = fmpz(1)
    nums, dens = [], []
    for i in range(len(c)):
        diag = sum((et[i][l] * ct[i] ** l for l in range(deg + 1)), fmpz(0))
        if diag == 0:
            raise NotRepresentableError(f"a diagonal entry of A is 0 (row {i + 1})")
        pw = [ct[i] ** l for l in range(deg + 1)]
        Xi = yt[i] * D - sum((pw[l] * N[l] for l in range(deg + 1) if N[l] != 0), fmpz(0))
        N = [N[l] * diag + et[i][l] * Xi for l in range(deg + 1)]
        D = D * diag
        sign = -1 if D < 0 else 1
        nums.append(Xi * kappa * sign)  # m_i = (κ/η)·X_i/D_i
        dens.append(D * eta * sign)
    return nums, dens


def _shift_coeffs_int(Pt, bt):
    """Integer coefficients of Q(x − bt) for Q = Σ Pt_k x^k."""
    from math import comb

    deg = len(Pt) - 1
    return [sum((Pt[k] * comb(k, l) * (-bt) ** (k - l) for k in range(l, deg + 1) if Pt[k] != 0), fmpz(0))
            for l in range(deg + 1)]


@dataclass
class ScaleCheck:
    """What :func:`check_point` found: exact residuals, t_s and β_i, the pre-activations exactly 0."""

    H: list
    t: list
    beta: list
    units: list  # the last hidden layer's units i with V_i ≠ 0 (their β_i in ``beta``)
    zero_preactivations: int
    P: list


def _forward_hidden(point: ScalePoint, data, P):
    """Values of every hidden layer but the last, sparse: {unit: [values over s]}, and the zero pre-activations."""
    d = data.d
    ws = point.widths
    acts = {j: [row[j] for row in data.X] for j in range(ws[0])}
    zeros = 0
    for k in range(len(point.hidden) - 1):
        W, b = point.hidden[k]
        rows: dict = {}
        for (i, j), v in W.items():
            rows.setdefault(i, []).append((j, v))
        new = {}
        for i in range(ws[k + 1]):
            terms = [(j, v) for j, v in rows.get(i, []) if j in acts]
            bi = b.get(i, fmpq(0))
            if not terms:  # a constant pre-activation −b_i (0 for the unused units)
                zeros += d if bi == 0 else 0
                if -bi > 0 and _peval(P, -bi) != 0:
                    new[i] = [_peval(P, -bi)] * d
                continue
            z = [sum((v * acts[j][s] for j, v in terms if j in acts), fmpq(0)) - bi for s in range(d)]
            zeros += sum(1 for v in z if v == 0)
            vals = [_peval(P, v) if v > 0 else fmpq(0) for v in z]
            if any(v != 0 for v in vals):
                new[i] = vals
        acts = new
    return acts, zeros


def check_point(point: ScalePoint, data, sigma) -> ScaleCheck:
    """H at the point, exactly, by the truncated-power sums; NotRepresentableError when the structure is absent.

    Needs: ℓ = 1, every unit of the last hidden layer with V_i ≠ 0 reads the same weight row (z_i = t − β_i).
    """
    P = rectified_polynomial(sigma)
    if P is None or data.l != 1:
        raise NotRepresentableError("the at-scale check needs a rectified polynomial σ and ℓ = 1")
    d = data.d
    acts, zeros = _forward_hidden(point, data, P)
    W, b = point.hidden[-1]
    h = point.widths[-2]
    rows: dict = {}
    for (i, j), v in W.items():
        rows.setdefault(i, {})[j] = v
    units = list(range(min(h, len(point.out_num))))  # the units with an output weight; the others have V_i = 0
    shared = {tuple(sorted(rows.get(i, {}).items())) for i in units}
    if len(shared) > 1:
        raise NotRepresentableError("the used units of the last hidden layer read different weight rows")
    w = dict(next(iter(shared))) if shared else {}
    t = [sum((v * acts[j][s] for j, v in w.items() if j in acts), fmpq(0)) for s in range(d)]
    beta = [b.get(i, fmpq(0)) for i in units]
    # units with V_i = 0: pre-activation w_i·a_s − b_i, counted when exactly 0 (their σ-term is 0 anyway)
    for i in range(len(units), h):  # units = range(len(units))
        terms = rows.get(i, {})
        bi = b.get(i, fmpq(0))
        zeros += sum(1 for s in range(d)
                     if sum((v * acts[j][s] for j, v in terms.items() if j in acts), fmpq(0)) == bi)
    sorted_beta = sorted(beta)
    zeros += sum(bisect.bisect_right(sorted_beta, ts) - bisect.bisect_left(sorted_beta, ts) for ts in t)
    H = _residuals(point, P, t, beta, units, data)
    return ScaleCheck(H, t, beta, units, zeros, P)


def _residuals(point, P, t, beta, units, data):
    """f(x_s) − y_s = Σ_l t_s^l S_l(s) − b_out − y_s with S_l(s) = Σ_{β_i < t_s} V_i e_{i,l}, in integers.

    The prefix sums are kept over the running common denominator D of the V_i added so far, N_l = D·eden·S_l:
    adding unit u multiplies N_l by D'/D (D' = lcm(D, den V_u); at the constructed point den V_u is a multiple of
    D, a quotient of ~deg·bits bits, found by an exact division with remainder 0) and adds ẽ_{u,l}·num V_u·D'/den V_u.
    So every step multiplies an O(s·bits)-bit number by a small one: O(d²·bits) bit operations in all, no product of
    two big numbers (the common denominator of all V_i first cost d big divisions and d big products: d^2.3).
    """
    deg = len(P) - 1
    E = [_shift_coeffs(P, bi) for bi in beta]
    eden = _lcm_den([v for row in E for v in row])
    Et = [[fmpz((v * eden).p) for v in row] for row in E]
    by_beta = sorted(range(len(units)), key=lambda u: beta[u])
    by_t = sorted(range(data.d), key=lambda s: t[s])
    N = [fmpz(0)] * (deg + 1)
    D = fmpz(1)
    H = [None] * data.d
    ptr = 0
    for s in by_t:
        while ptr < len(by_beta) and beta[by_beta[ptr]] < t[s]:
            u = by_beta[ptr]
            num, den = fmpz(point.out_num[units[u]]), fmpz(point.out_den[units[u]])
            if den < 0:
                num, den = -num, -den
            q, r = divmod(den, D)
            if r == 0:  # den V_u = q·D: the new denominator is den V_u
                N = [v * q for v in N]
                D, lift = den, fmpz(1)
            else:  # the general case: D' = lcm(D, den V_u)
                g = D.gcd(den)
                fD, lift = den // g, D // g
                N = [v * fD for v in N]
                D = D * fD
            add = num * lift
            N = [N[l] + Et[u][l] * add if Et[u][l] != 0 else N[l] for l in range(deg + 1)]
            ptr += 1
        ts = t[s]
        tau, tn = fmpz(ts.q), fmpz(ts.p)
        acc = fmpz(0)
        for l in range(deg + 1):  # D·eden·τ^deg·Σ_l t^l S_l, Horner on the small factors
            if N[l] != 0:
                acc += N[l] * (tn ** l * tau ** (deg - l))
        rest = point.out_bias + data.Y[s][0]  # f = Σ − b_out, so f − y = Σ − (b_out + y)
        scale = D * eden * tau ** deg
        lhs = acc * rest.q
        rhs = fmpz(rest.p) * scale
        H[s] = fmpq(0) if lhs == rhs else fmpq(lhs - rhs, scale * rest.q)
    return H


from symland.constructions.scale_minor import minor_mod_p  # noqa: E402 - re-exported (the minor, mod p)
