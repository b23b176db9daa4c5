"""What :func:`proofs_check.recheck.recheck` re-verifies for each claim: at a point (Theorem 2.1, Proposition 2.3,
Theorem 4.1, Remark 4.2) and for the zero sets of Remark 2.2 / Section 5.

Each check is ``check(verdict, witness, checked)``: it appends one line to ``checked`` per step verified and raises
:class:`Reject` (or ``BadWitness``/``NotExact``) at the first step that does not hold. The constructions of
Lemma 3.3 and Corollary 3.4 are in :mod:`proofs_check._recheck_lemma`.
"""

from __future__ import annotations

from sympy import isprime

from proofs_check._recheck_exact import NotExact, Num, Unrecognized, parse, to_mod_p
from proofs_check._recheck_linalg import congruence_diagonal, det_mod_p, independent
from proofs_check._recheck_net import BadWitness, build, preactivations, residuals_and_jacobian
from proofs_check._recheck_sigma import sigma_for

__all__ = ["Reject", "Log", "CHECKS", "setting", "FULL_JACOBIAN_LIMIT"]

FULL_JACOBIAN_LIMIT = 60  # recompute all of J_H (tangent basis, congruence) only for n up to this


class Reject(Exception):
    """A step the verdict rests on does not hold; the message says which."""


class Log(list):
    """The steps re-verified (the list itself) and, in ``skipped``, the steps that could not be re-checked."""

    def __init__(self):
        super().__init__()
        self.skipped: list[str] = []

    def skip(self, step: str) -> None:
        self.skipped.append(step)


def setting(w: dict, point_key: str = "point"):
    """(net, σ, X, Y, params) from the witness; every parameter of the network named exactly once."""
    inst = w["instance"]
    net, X, Y = build(inst)
    point = w[point_key]
    if not isinstance(point, dict) or set(point) != set(net.names):
        extra = sorted(set(point) - set(net.names)) if isinstance(point, dict) else []
        missing = [k for k in net.names if not isinstance(point, dict) or k not in point]
        raise BadWitness(f"the point does not name the network's parameters (unknown {extra[:3]}, "
                         f"missing {missing[:3]})")
    return net, sigma_for(inst), X, Y, {k: parse(v) for k, v in point.items()}


def _ints(value, n: int, what: str) -> list[int]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n
                                                       for i in value):
        raise BadWitness(f"{what} must be indices in [0, {n}), got {value!r}")
    if len(set(value)) != len(value):
        raise BadWitness(f"{what} repeat an index: {value!r}")
    return list(value)


def _minor_cols(rank: dict, n: int) -> list[int]:
    minor = rank.get("minor") or {}
    return _ints(minor.get("cols", []), n, "minor columns")


def _check_minor(rank: dict, J: dict, m: int, n: int, checked: list) -> int:
    """Rank ≥ ``lower`` from the minor: entries recomputed, mapped to F_p, det ≡ det_mod_p ≢ 0."""
    lower = rank["lower"]
    if not isinstance(lower, int) or not 0 <= lower <= min(m, n):
        raise BadWitness(f"rank lower bound {lower!r} impossible for a {m}×{n} Jacobian")
    if lower == 0:
        return 0
    minor = rank["minor"]
    rows, cols = _ints(minor["rows"], m, "minor rows"), _ints(minor["cols"], n, "minor columns")
    p, det = minor["prime"], minor["det_mod_p"]
    if len(rows) != lower or len(cols) != lower:
        raise Reject(f"a {len(rows)}×{len(cols)} minor cannot prove rank ≥ {lower}")
    if not (isinstance(p, int) and p >= 2 and isprime(p)):
        raise Reject(f"the minor's modulus {p!r} is not a prime")
    if not (isinstance(det, int) and 0 < det < p):
        raise Reject(f"det_mod_p = {det!r} is not a nonzero residue mod p")
    red = minor["reduction"]
    if red.get("kind") == "rational":
        N, x0 = 1, None
    elif red.get("kind") == "exppoly":
        N, x0 = red["N"], red["x0"]
        if not (isinstance(N, int) and N >= 1 and isinstance(x0, int)):
            raise BadWitness(f"exppoly reduction needs integers N ≥ 1 and x0, got {red!r}")
    else:
        raise BadWitness(f"unknown reduction {red!r}")
    M = [[to_mod_p(J[(r, c)], p, N, x0) for c in cols] for r in rows]
    got = det_mod_p(M, p)
    if got != det:
        raise Reject(f"the witness minor (rows {rows}, columns {cols}) has det ≡ {got} mod p, not {det}")
    how = "" if x0 is None else f" under e^(k/{N}) ↦ {x0}^k"
    checked.append(f"rank J_H(m) ≥ {lower}: the {lower}×{lower} minor, entries recomputed, has det ≢ 0 mod "
                   f"p = {p}{how}")
    return lower


def _kernel(vectors, J: dict, m: int, n: int, count: int, checked: list) -> None:
    """``count`` independent exact vectors with J_H v = 0: rank J_H ≤ n − count."""
    if not isinstance(vectors, (list, tuple)) or len(vectors) != count:
        raise Reject(f"the tangent basis must hold n − rank = {count} vectors")
    V = []
    for v in vectors:
        if not isinstance(v, (list, tuple)) or len(v) != n:
            raise BadWitness(f"a tangent vector must have n = {n} entries")
        V.append([parse(x) for x in v])
    for k, v in enumerate(V):
        for r in range(m):
            acc = Num()
            for j in range(n):
                if v[j].terms:
                    acc = acc + J[(r, j)] * v[j]
            if not acc.is_zero():
                raise Reject(f"tangent vector {k + 1} is not in ker J_H(m): row {r + 1} gives {acc}")
    if not independent(V):
        raise Reject("the tangent vectors are not shown linearly independent")
    checked.append(f"{count} independent exact vectors with J_H(m) v = 0 (all {m} rows recomputed): "
                   f"rank J_H(m) ≤ {n - count}")


def _residuals(H: list, recorded, what: str) -> None:
    if not isinstance(recorded, (list, tuple)) or len(recorded) != len(H):
        raise Reject(f"{what} must list {len(H)} residuals")
    for r, (got, rec) in enumerate(zip(H, recorded)):
        if parse(rec) != got:
            raise Reject(f"{what}: recorded f_{r + 1} = {rec} but recomputed {got}")


def at_point(claim: str, verdict: str, w: dict, checked: list) -> None:
    """Theorem 2.1, Proposition 2.3, Theorem 4.1, Remark 4.2 at the witness point."""
    net, sigma, X, Y, params = setting(w)
    m, n = len(X) * len(net.outputs), len(net.names)
    rank = w.get("rank")
    basis = w.get("tangent_basis")
    gradient = w.get("gradient_nonzero_index")
    hessian = claim in ("prop-2.3", "rem-4.2") and "congruence_diagonal" in w
    full = n <= FULL_JACOBIAN_LIMIT and (basis is not None or hessian or gradient is not None)
    recorded = [parse(v) for v in w["H"]] if isinstance(w.get("H"), (list, tuple)) else None
    rank_refutation = verdict == "refuted" and recorded is not None and all(v.is_zero() for v in recorded)
    cols = set(range(n)) if full or rank_refutation else set(_minor_cols(rank or {}, n))
    if gradient is not None and not full:
        cols |= {j for j in gradient if isinstance(j, int) and 0 <= j < n}
    H, J = residuals_and_jacobian(net, sigma, X, Y, params, sorted(cols))
    _residuals(H, w["H"], "H(m)")
    nonzero = [r for r, v in enumerate(H) if not v.is_zero()]
    if verdict == "refuted":
        if nonzero:
            checked.append(f"m ∉ M: f_{nonzero[0] + 1}(m) = {H[nonzero[0]]} ≠ 0 recomputed ({len(nonzero)} nonzero)")
            return
        checked.append(f"H(m) = 0 exactly ({m} residuals recomputed)")
        upper = rank["upper"]
        if not (isinstance(upper, int) and 0 <= upper < m):
            raise Reject(f"refuted, but the witness shows no nonzero residual and no rank below {m}")
        _kernel(basis, J, m, n, n - upper, checked)
        checked.append(f"rank J_H(m) ≤ {upper} < {m}: 0 is not a regular value at m")
        return
    if nonzero:
        raise Reject(f"m ∉ M: f_{nonzero[0] + 1}(m) = {H[nonzero[0]]} ≠ 0 (recomputed)")
    checked.append(f"H(m) = 0 exactly ({m} residuals recomputed; zero test coefficient by coefficient)")
    if n <= m:
        raise Reject(f"n = {n} ≤ dℓ = {m}: the instance is not overparameterized (Section 1.1)")
    if not isinstance(rank, dict) or rank.get("lower") != m or rank.get("upper") != m:
        raise Reject(f"the rank witness does not claim rank J_H(m) = dℓ = {m}: {rank!r}")
    _check_minor(rank, J, m, n, checked)
    checked.append(f"rank J_H(m) = {m} (≤ {m} rows): 0 is a regular value near m, M has dimension n − {m} = {n - m}")
    if basis is not None:
        if full:
            _kernel(basis, J, m, n, n - m, checked)
        else:
            checked.skip(f"tangent basis not re-checked (n = {n} > {FULL_JACOBIAN_LIMIT})")
    if claim in ("prop-2.3", "rem-4.2"):
        _twice_differentiable(net, sigma, X, params, checked)
        _hessian_extras(w, J, m, n, full, gradient, checked)


def _twice_differentiable(net, sigma, X: list, params: dict, checked: list) -> None:
    """Hess L(m) exists: σ'' is defined at every (rational) pre-activation, e.g. not a ReLU kink or a C¹ joint."""
    count = 0
    for x in X:
        for z in preactivations(net, sigma, x, params):
            if z.is_rational():  # an irrational z ∈ Q[e^Q] is no (rational) breakpoint of σ
                try:
                    sigma.value(z, 2)
                except NotExact as exc:
                    raise Reject(f"Hess L(m) is not defined: σ'' at the pre-activation {z}: {exc}") from None
            count += 1
    checked.append(f"σ'' exists at all {count} hidden pre-activations: Hess L(m) is defined")


def _hessian_extras(w: dict, J: dict, m: int, n: int, full: bool, gradient, checked: list) -> None:
    """Proposition 2.3: ∇f_r ≠ 0 (rank-one Hess f_r²) and the congruence diagonal of Hess L = 2J_HᵀJ_H."""
    if gradient is not None:
        if not isinstance(gradient, (list, tuple)) or len(gradient) != m:
            raise BadWitness("gradient_nonzero_index must list one index per residual")
        for r, j in enumerate(gradient):
            if not (isinstance(j, int) and 0 <= j < n) or J[(r, j)].is_zero():
                raise Reject(f"∇f_{r + 1}(m) has no nonzero entry at index {j!r}")
            if full and any(not J[(r, k)].is_zero() for k in range(j)):
                raise Reject(f"index {j} is not the first nonzero entry of ∇f_{r + 1}(m)")
        checked.append(f"∇f_r(m) ≠ 0 for all {m} r: each Hess(f_r²)(m) = 2∇f_r∇f_rᵀ has rank one")
    diag = w.get("congruence_diagonal")
    if diag is not None:
        D = [parse(v) for v in diag]
        rational = all(J[(r, j)].is_rational() for r in range(m) for j in range(n)) if full else False
        if full and rational:
            S = [[2 * sum((J[(r, i)].rational() * J[(r, j)].rational() for r in range(m)), 0) for j in range(n)]
                 for i in range(n)]
            mine = congruence_diagonal(S)
            if len(D) != n or any(not d.is_rational() or d.rational() != e for d, e in zip(D, mine)):
                raise Reject("the congruence diagonal differs from the symmetric elimination of 2J_HᵀJ_H")
            checked.append("congruence P·(2J_HᵀJ_H)·Pᵀ = diag(D) recomputed: D as in the witness")
        signs = [d.sign() for d in D]
        if len(D) != n or signs.count(1) != m or signs.count(0) != n - m:
            raise Reject(f"the congruence diagonal does not have {m} positive and {n - m} zero entries")
    checked.append(f"Hess L(m) = 2J_HᵀJ_H (all f_r(m) = 0) has inertia ({m}, {n - m}, 0)")


def zero_sets(claim: str, verdict: str, w: dict, checked: list) -> None:
    """Remark 2.2 / Section 5: Σ|f_i|^a vanishes at m (H(m) = 0) and not at m' (H(m') ≠ 0)."""
    if verdict not in ("proved", "refuted"):  # certified (balls): membership by construction, not re-done here
        raise Unrecognized(f"a {verdict!r} {claim} certificate: its enclosures are not re-checked by the exact checker")
    at_m, at_prime = w.get("H_at_m", w.get("H")), w.get("H_at_m_prime")
    if "point" in w and "instance" in w:
        net, sigma, X, Y, params = setting(w)
        H, _ = residuals_and_jacobian(net, sigma, X, Y, params)
        _residuals(H, at_m, "H(m)")
        if verdict == "proved":
            shifted = dict(params)
            for c in range(len(net.outputs)):  # m' = m with every output bias raised by 1
                name = net.names[len(net.names) - 1 - c]
                shifted[name] = shifted[name] + Num.of(1)
            H2, _ = residuals_and_jacobian(net, sigma, X, Y, shifted)
            _residuals(H2, at_prime, "H(m')")
        checked.append("H(m) and H(m') recomputed from the point" if verdict == "proved"
                       else "H(m) recomputed from the point")
    else:
        checked.skip("the witness carries no point: H(m) and H(m') cannot be recomputed (only recorded values)")
        if verdict == "proved" and (not at_m or any(not parse(v).is_zero() for v in at_m)
                                    or not at_prime or any(parse(v).is_zero() for v in at_prime)):
            raise Reject("the recorded residuals contradict the verdict: H(m) must be 0 and every f_i(m') ≠ 0")
        if verdict == "refuted" and all(parse(v).is_zero() for v in at_m or ()):
            raise Reject("refuted, but every recorded residual is 0")
        return
    if verdict == "proved":
        if not at_m or any(not parse(v).is_zero() for v in at_m):
            raise Reject("H(m) is not recorded as exactly 0")
        if not at_prime or any(parse(v).is_zero() for v in at_prime):
            raise Reject("H(m') is not recorded as nonzero in every entry")
        checked.append("every L_a = Σ|f_i|^a vanishes at m (H(m) = 0) and not at m' (H(m') ≠ 0)")
    elif any(not parse(v).is_zero() for v in at_m or ()):
        checked.append("m ∉ M: a recorded residual is nonzero")
    else:
        raise Reject("refuted, but every recorded residual is 0")


def _claims():
    from proofs_check._recheck_lemma import construction

    table = {c: (lambda v, w, ch, c=c: at_point(c, v, w, ch)) for c in ("thm-2.1", "prop-2.3", "thm-4.1", "rem-4.2")}
    table.update({c: (lambda v, w, ch, c=c: zero_sets(c, v, w, ch)) for c in ("rem-2.2", "sec-5")})
    table.update({c: (lambda v, w, ch, c=c: construction(c, v, w, ch)) for c in ("lem-3.3", "cor-3.4")})
    return table


CHECKS = _claims()
